//! Webhook verification for chat-bot back ends (Node) and browsers: the
//! core's Ed25519 check and replay guard, with JS-shaped headers and bodies.

use crate::js::{self, now_ms};
use contacts_core::settings::VerifierSettings;
use contacts_core::webhooks::WebhookVerifier as CoreVerifier;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// The verifier that options (already JSON) make; the core reads them.
fn verifier_of(options: &serde_json::Value) -> Result<CoreVerifier, JsValue> {
    VerifierSettings::from_json(options)
        .and_then(VerifierSettings::into_verifier)
        .map_err(|e| js::error(&e))
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
    pub(crate) inner: CoreVerifier,
    /// `verifier.on('event', …)`'s listeners (runtime module).
    #[cfg(feature = "runtime")]
    pub(crate) listeners: std::rc::Rc<crate::listeners::Listeners>,
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
        let options = js::to_json("options", &options.unwrap_or(JsValue::UNDEFINED))?;
        let inner = verifier_of(&options)?;
        Ok(WebhookVerifier {
            inner,
            #[cfg(feature = "runtime")]
            listeners: Default::default(),
        })
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
    let options = js::to_json("options", &options.unwrap_or(JsValue::UNDEFINED))?;
    // The options' JSON text is the key of the shared verifiers.
    let key = options.to_string();
    let existing = SHARED.with(|s| {
        s.borrow()
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    });
    let v = match existing {
        Some(v) => v,
        None => {
            let v = Rc::new(verifier_of(&options)?);
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
    let event = contacts_core::webhooks::parse_event(&body).map_err(|e| js::error(&e))?;
    Ok(js::from_json(&event))
}
