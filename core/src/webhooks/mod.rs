//! Webhooks: verify that HighLevel sent a payload, refuse replays, and hand
//! over a typed event (fact sheet §8).
//!
//! Verification is over the **raw body bytes** as received: re-serialized JSON
//! would not verify. Only `X-GHL-Signature` (Ed25519) is accepted; the legacy
//! RSA `X-WH-Signature` was retired by HighLevel on 2026-07-01 and a payload
//! that carries only it is rejected.
//!
//! ```
//! use contacts_core::webhooks::WebhookVerifier;
//! let verifier = WebhookVerifier::highlevel();
//! let err = verifier.verify(&[], br#"{"type":"ContactCreate"}"#, 0).unwrap_err();
//! assert_eq!(err.code(), contacts_core::ErrorCode::WebhookSignature);
//! ```

mod dedupe;
mod events;
mod keys;
mod payloads;
mod seen;
mod verifier;

pub use dedupe::{CANONICAL_FIELDS, dedupe_id, same_fields};
#[cfg(feature = "schema")]
pub(crate) use events::event_schema;
pub use events::{EVENT_TYPES, EventType, WebhookEvent};
pub use keys::{HIGHLEVEL_PUBLIC_KEY_PEM, parse_public_key};
pub use payloads::*;
pub use verifier::WebhookVerifier;

use crate::{Error, Result};
use serde_json::Value;

/// Types an event payload **without verifying it**, for hosts that verify
/// elsewhere: the raw body as the JSON surfaces hand events on (with `type`;
/// an unmodelled type kept whole). Every shell's unverified parse is this.
///
/// Errors: [`crate::ErrorCode::Decode`] for a body that is not JSON, or a
/// field of the wrong type, as a signed body would be.
pub fn parse_event(raw_body: &[u8]) -> Result<Value> {
    let value: Value = serde_json::from_slice(raw_body)
        .map_err(|e| Error::protocol(format!("webhook body is not JSON: {e}")))?;
    event_json(value)
}

/// A payload as every JSON surface hands an event on: conformed to its
/// trigger's schema ([`crate::schema::conform_event`]), with its `dedupeId`
/// ([`dedupe_id`]), the id a polled event of the same change carries too.
///
/// Errors with [`crate::ErrorCode::Decode`] when a field has the wrong type.
pub fn event_json(payload: Value) -> Result<Value> {
    let mut event = crate::schema::conform_event(payload)?;
    let id = dedupe_id(&event);
    if let Some(m) = event.as_object_mut() {
        m.insert("dedupeId".into(), Value::String(id));
    }
    Ok(event)
}

/// The header carrying the Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "X-GHL-Signature";
/// The retired RSA header; its presence alone is reported, never trusted.
pub const LEGACY_SIGNATURE_HEADER: &str = "X-WH-Signature";

/// How old a delivery may be before it is refused (DOC-WHA suggests 5 min).
pub const DEFAULT_MAX_AGE_MS: u64 = 5 * 60 * 1000;
/// How far in the future a timestamp may lie (sender clock skew).
pub const DEFAULT_MAX_SKEW_MS: u64 = 60 * 1000;
/// How many webhook ids the replay guard remembers at most.
pub const DEFAULT_SEEN_CAPACITY: usize = 100_000;
