//! Webhook verification for chat-bot back ends (Node) and browsers: the
//! core's Ed25519 check and replay guard, with JS-shaped headers and bodies.

use crate::js::{self, now_ms};
use contacts_core::catalog;
use contacts_core::json::Fields;
use contacts_core::webhooks::WebhookVerifier as CoreVerifier;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// `{publicKeys?, maxAgeMs?}`.
#[derive(Default)]
struct VerifierOptions {
    public_keys: Option<Vec<String>>,
    max_age_ms: Option<u64>,
}

fn read_options(options: &JsValue) -> Result<(String, VerifierOptions), JsValue> {
    let v = js::to_json("options", options)?;
    if v.is_null() {
        return Ok((String::new(), VerifierOptions::default()));
    }
    let read = || {
        let mut f = Fields::of("options", &v)?;
        let o = VerifierOptions {
            public_keys: f.optional("publicKeys")?,
            max_age_ms: f.optional("maxAgeMs")?,
        };
        f.finish().map(|()| o)
    };
    let o = read().map_err(|e| js::error(&e))?;
    Ok((v.to_string(), o))
}

fn make(o: VerifierOptions) -> Result<CoreVerifier, JsValue> {
    CoreVerifier::configured(o.public_keys.as_deref(), o.max_age_ms).map_err(|e| js::error(&e))
}

fn verify_with(
    v: &CoreVerifier,
    headers: &JsValue,
    raw_body: &JsValue,
    now: Option<f64>,
) -> Result<JsValue, JsValue> {
    let headers = js::headers(headers)?;
    let body = js::bytes("rawBody", raw_body)?;
    let now = match now {
        Some(n) if n.is_finite() && n >= 0.0 => n as u64,
        Some(_) => return Err(js::invalid("nowMs must be a non-negative number")),
        None => now_ms(),
    };
    let event = v
        .verify_json(&headers, &body, now)
        .map_err(|e| js::error(&e))?;
    Ok(js::from_json(&event))
}

/// Verifies webhook deliveries for one endpoint and remembers their ids,
/// so a replayed delivery is refused. Keep one per endpoint.
#[wasm_bindgen]
pub struct WebhookVerifier {
    inner: CoreVerifier,
}

#[wasm_bindgen]
impl WebhookVerifier {
    /// `options`: `{publicKeys?: string[], maxAgeMs?: number}`. Without
    /// keys it trusts HighLevel's published key. Keys are PEM, base64 or hex
    /// Ed25519; a bad key throws `INVALID_ARGUMENT`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "WebhookVerifierOptions")] options: Option<
            JsValue,
        >,
    ) -> Result<WebhookVerifier, JsValue> {
        let (_, o) = read_options(&options.unwrap_or(JsValue::UNDEFINED))?;
        Ok(WebhookVerifier { inner: make(o)? })
    }

    /// Verifies a delivery: its headers as received (a `Headers`, `Map`,
    /// pairs, or Node's `req.headers`) and its **raw** body (string or
    /// bytes, before any JSON parsing). Returns the typed event (with
    /// `type`). A forged, truncated, stale or replayed delivery throws
    /// `WEBHOOK_SIGNATURE` or `WEBHOOK_REPLAY` and is never returned.
    #[wasm_bindgen(unchecked_return_type = "WebhookEvent")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "WebhookHeaders")] headers: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")]
        raw_body: JsValue,
        now_ms: Option<f64>,
    ) -> Result<JsValue, JsValue> {
        verify_with(&self.inner, &headers, &raw_body, now_ms)
    }
}

thread_local! {
    /// The verifiers `verifyWebhook` keeps, one per distinct options, so the
    /// replay guard spans calls.
    /// (A list: hosts use one or two option sets.)
    static SHARED: RefCell<Vec<(String, Rc<CoreVerifier>)>> = const { RefCell::new(Vec::new()) };
}

/// Verifies a delivery with a verifier kept for these `options` (see
/// `WebhookVerifier`; by default HighLevel's key), so replays are refused
/// across calls. Returns the typed event or throws `ContactsError`.
#[wasm_bindgen(js_name = verifyWebhook, unchecked_return_type = "WebhookEvent")]
pub fn verify_webhook(
    #[wasm_bindgen(unchecked_param_type = "WebhookHeaders")] headers: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] raw_body: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "WebhookVerifierOptions")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let (key, o) = read_options(&options.unwrap_or(JsValue::UNDEFINED))?;
    let existing = SHARED.with(|s| {
        s.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    });
    let v = match existing {
        Some(v) => v,
        None => {
            let v = Rc::new(make(o)?);
            SHARED.with(|s| s.borrow_mut().push((key, v.clone())));
            v
        }
    };
    verify_with(&v, &headers, &raw_body, None)
}

/// Types an event payload **without verifying it** (for hosts that verify
/// elsewhere). Unknown event types are kept whole.
#[wasm_bindgen(js_name = parseWebhookEvent, unchecked_return_type = "WebhookEvent")]
pub fn parse_webhook_event(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] raw_body: JsValue,
) -> Result<JsValue, JsValue> {
    let body = js::bytes("rawBody", &raw_body)?;
    let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| {
        js::error(&contacts_core::Error::new(
            contacts_core::ErrorCode::Decode,
            format!("event body: {e}"),
        ))
    })?;
    let event = catalog::conform_event(v).map_err(|e| js::error(&e))?;
    Ok(js::from_json(&event))
}
