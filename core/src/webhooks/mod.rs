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

mod events;
mod keys;
mod payloads;
mod seen;
mod verifier;

#[cfg(feature = "schema")]
pub(crate) use events::event_schema;
pub use events::{EVENT_TYPES, WebhookEvent};
pub use keys::{HIGHLEVEL_PUBLIC_KEY_PEM, parse_public_key};
pub use payloads::*;
pub use verifier::WebhookVerifier;

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
