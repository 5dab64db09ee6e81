//! Webhook verification and event typing.

use crate::boundary::boundary;
use crate::checked;
use crate::error::contacts_error;
use crate::result::contacts_result;
use crate::views::contacts_header_in;
use contacts_core::settings::VerifierSettings;
use contacts_core::webhooks::WebhookVerifier;
use std::os::raw::c_char;

/// Verifies webhook deliveries and remembers their ids (replay guard).
/// Thread-safe: share one per endpoint. Free with `contacts_webhook_verifier_free`.
pub struct contacts_webhook_verifier {
    pub(crate) inner: WebhookVerifier,
    /// The host's event callback (`contacts_webhook_verifier_set_observer`).
    pub(crate) observer: crate::observer_gate::CallbackGate,
}

/// Creates a verifier. `keys_json` is a JSON array of public keys (PEM,
/// base64 or hex Ed25519), or NULL/0 for HighLevel's published key.
/// `max_age_ms` is the replay window (0 for the default, 5 minutes).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_webhook_verifier_new(
    keys_json: *const c_char,
    keys_len: usize,
    max_age_ms: u64,
    verifier_out: *mut *mut contacts_webhook_verifier,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("verifier_out", verifier_out)?;
        let keys = checked::json("keys_json", keys_json, keys_len)?;
        let v = VerifierSettings::from_parts("keys_json", &keys, max_age_ms)?.into_verifier()?;
        out.put(Box::new(contacts_webhook_verifier {
            inner: v,
            observer: Default::default(),
        }));
        Ok(())
    })
}

/// Verifies a delivery: its headers (as received), its **raw** body, and the
/// current Unix time in ms. On success `*event_out` is the event as JSON
/// (with `type`), owned by the caller. A forged, truncated, stale or
/// replayed delivery is `CONTACTS_CODE_WEBHOOK_SIGNATURE` or
/// `CONTACTS_CODE_WEBHOOK_REPLAY` and is never handed over.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_webhook_verify(
    verifier: *const contacts_webhook_verifier,
    headers: *const contacts_header_in,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    now_ms: u64,
    event_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let v = checked::handle("verifier", verifier)?;
        let out = checked::out("event_out", event_out)?;
        let hs = checked::headers("headers", headers, headers_len)?;
        let raw = checked::bytes("body", body, body_len)?;
        let event = v.inner.verify_json(&hs, raw, now_ms)?;
        out.put(contacts_result::new(&event));
        Ok(())
    })
}

/// Types an event payload **without verifying it** (for hosts that verify
/// elsewhere): the JSON with `type`; unknown types are kept whole. A body
/// that is not JSON, or has a field of the wrong type, is
/// `CONTACTS_CODE_DECODE`, as a signed one would be.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_webhook_parse_event(
    body: *const u8,
    body_len: usize,
    event_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("event_out", event_out)?;
        let raw = checked::bytes("body", body, body_len)?;
        let event = contacts_core::webhooks::parse_event(raw)?;
        out.put(contacts_result::new(&event));
        Ok(())
    })
}

/// Frees a verifier. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_webhook_verifier_free(verifier: *mut contacts_webhook_verifier) {
    checked::free_boxed(verifier);
}
