//! The verifier: signature over the raw body, then the replay checks, then
//! the payload typed or conformed.

use super::keys::{HIGHLEVEL_PUBLIC_KEY_PEM, decode_base64, parse_public_key};
use super::seen::SeenIds;
use super::{
    DEFAULT_MAX_AGE_MS, DEFAULT_MAX_SKEW_MS, DEFAULT_SEEN_CAPACITY, LEGACY_SIGNATURE_HEADER,
    SIGNATURE_HEADER, WebhookEvent,
};
use crate::observe::{Event, EventKind, Observer, ObserverOptions, ObserverSlot};
use crate::{Error, ErrorCode, Result};
use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::Value;
use std::sync::Mutex;

/// Verifies webhook deliveries. Share one per endpoint: it remembers the
/// webhook ids it has accepted. `Send + Sync`; `verify` takes `&self`.
pub struct WebhookVerifier {
    keys: Vec<VerifyingKey>,
    max_age_ms: u64,
    max_skew_ms: u64,
    require_replay_fields: bool,
    seen: Mutex<SeenIds>,
    observers: ObserverSlot,
}

impl std::fmt::Debug for WebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookVerifier")
            .field("keys", &self.keys.len())
            .field("max_age_ms", &self.max_age_ms)
            .field("require_replay_fields", &self.require_replay_fields)
            .finish_non_exhaustive()
    }
}

impl WebhookVerifier {
    /// A verifier for HighLevel's published key, with the default replay window.
    pub fn highlevel() -> Self {
        // The constant is a valid key; a failure here would be a build defect,
        // caught by the unit test `published_key_parses`.
        let keys = parse_public_key(HIGHLEVEL_PUBLIC_KEY_PEM)
            .into_iter()
            .collect();
        WebhookVerifier::with_keys(keys)
    }

    /// A verifier that accepts a signature by any of `keys` (to roll keys).
    pub fn with_keys(keys: Vec<VerifyingKey>) -> Self {
        WebhookVerifier {
            keys,
            max_age_ms: DEFAULT_MAX_AGE_MS,
            max_skew_ms: DEFAULT_MAX_SKEW_MS,
            require_replay_fields: true,
            seen: Mutex::new(SeenIds::new(DEFAULT_SEEN_CAPACITY)),
            observers: ObserverSlot::default(),
        }
    }

    /// A verifier for keys given as text (see [`parse_public_key`]).
    pub fn from_public_keys<S: AsRef<str>>(keys: &[S]) -> Result<Self> {
        if keys.is_empty() {
            return Err(Error::invalid_argument(
                "give at least one webhook public key",
            ));
        }
        let keys = keys
            .iter()
            .map(|k| parse_public_key(k.as_ref()))
            .collect::<Result<Vec<_>>>()?;
        Ok(WebhookVerifier::with_keys(keys))
    }

    /// A verifier from a shell's settings: `keys` (PEM, base64 or hex; `None`
    /// for HighLevel's published key) and a replay window (`None` or 0 for
    /// the default). Bad keys are [`ErrorCode::InvalidArgument`].
    pub fn configured<S: AsRef<str>>(keys: Option<&[S]>, max_age_ms: Option<u64>) -> Result<Self> {
        let v = match keys {
            Some(keys) => WebhookVerifier::from_public_keys(keys)?,
            None => WebhookVerifier::highlevel(),
        };
        Ok(match max_age_ms {
            Some(ms) if ms > 0 => v.with_max_age_ms(ms),
            _ => v,
        })
    }

    /// Sets the replay window: deliveries older than `max_age_ms` are refused.
    pub fn with_max_age_ms(mut self, max_age_ms: u64) -> Self {
        self.max_age_ms = max_age_ms;
        self
    }

    /// Whether a payload without `timestamp` or `webhookId` is refused
    /// (default true: without them a replay cannot be detected).
    pub fn require_replay_fields(mut self, require: bool) -> Self {
        self.require_replay_fields = require;
        self
    }

    /// Sends an event per delivery checked (`webhook_accepted` with its
    /// type and location, or `webhook_refused` with the code) to
    /// `observer`, or to no one with `None`. Events never hold the
    /// signature or the body.
    pub fn set_observer(
        &self,
        observer: Option<std::sync::Arc<dyn Observer>>,
        options: ObserverOptions,
    ) {
        self.observers.set(observer, options);
    }

    /// Tells the observer what became of a delivery at `now_ms`.
    fn report(&self, now_ms: u64, outcome: &Result<Value>) {
        if !self.observers.wants(crate::observe::Level::Error) {
            return;
        }
        let text = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let (kind, location) = match outcome {
            Ok(v) => (
                EventKind::WebhookAccepted {
                    event_type: text(v, "type"),
                },
                text(v, "locationId"),
            ),
            Err(e) => (EventKind::WebhookRefused { code: e.code() }, None),
        };
        self.observers.emit(&Event {
            at_ms: now_ms,
            call_id: 0,
            op: "webhooks.verify",
            location: location.as_deref(),
            kind,
        });
    }

    /// Checks the signature of `body` against `signature_b64` only.
    pub fn verify_signature(&self, signature_b64: &str, body: &[u8]) -> Result<()> {
        let sig_bytes = decode_base64(signature_b64.trim()).ok_or_else(|| {
            Error::webhook(ErrorCode::WebhookSignature, "X-GHL-Signature is not base64")
        })?;
        let sig_arr: [u8; 64] = sig_bytes.as_slice().try_into().map_err(|_| {
            Error::webhook(
                ErrorCode::WebhookSignature,
                format!(
                    "X-GHL-Signature decodes to {} bytes, not 64",
                    sig_bytes.len()
                ),
            )
        })?;
        let sig = Signature::from_bytes(&sig_arr);
        if self
            .keys
            .iter()
            .any(|k| k.verify_strict(body, &sig).is_ok())
        {
            Ok(())
        } else {
            Err(Error::webhook(
                ErrorCode::WebhookSignature,
                "signature does not verify: the body was altered or not signed by a trusted key",
            ))
        }
    }

    /// Verifies a delivery and returns its event. `headers` are as received
    /// (names case-insensitive); `body` is the raw request body; `now_ms` is
    /// the current Unix time in milliseconds.
    ///
    /// Errors: [`ErrorCode::WebhookSignature`] (missing, malformed, forged),
    /// [`ErrorCode::WebhookReplay`] (stale, from the future, already seen, or
    /// missing `timestamp`/`webhookId`), [`ErrorCode::Decode`] (signed but not
    /// a JSON object). Nothing is remembered unless every check passes.
    pub fn verify(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
    ) -> Result<WebhookEvent> {
        let payload = self.verified_payload(headers, body, now_ms);
        self.report(now_ms, &payload);
        WebhookEvent::from_value(payload?)
    }

    /// Like [`verify`](Self::verify), but the event as JSON with `type`
    /// with its `dedupeId` ([`super::event_json`]): what the C ABI and the npm
    /// package return. Equal to `verify(..)?.to_json()`, without a typed
    /// decoder per event in the binary.
    pub fn verify_json(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
    ) -> Result<Value> {
        let event = self
            .verified_payload(headers, body, now_ms)
            .and_then(super::event_json);
        self.report(now_ms, &event);
        event
    }

    /// Like [`verify_json`](Self::verify_json), with the replay guard's ids
    /// in `store`, shared by every receiver of a fleet: a delivery is
    /// accepted by one of them once (a create-only write of
    /// `webhook:<webhookId>`, kept as long as the replay window). This
    /// receiver's own memory of ids is checked too.
    ///
    /// Errors: those of `verify_json`, and the store's
    /// ([`ErrorCode::FleetUnavailable`], [`ErrorCode::State`]): a delivery
    /// that cannot be checked against the fleet is refused, and may be
    /// retried by the sender.
    #[cfg(feature = "fleet")]
    pub async fn verify_json_shared(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
        store: &dyn crate::state::StateStore,
    ) -> Result<Value> {
        let event = self
            .verify_shared_unreported(headers, body, now_ms, store)
            .await;
        self.report(now_ms, &event);
        event
    }

    #[cfg(feature = "fleet")]
    async fn verify_shared_unreported(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
        store: &dyn crate::state::StateStore,
    ) -> Result<Value> {
        let value = self.checked_payload(headers, body, now_ms, false)?;
        if let Some(id) = value.get("webhookId").and_then(Value::as_str) {
            let key = format!("webhook:{id}");
            let ttl = Some(self.max_age_ms + self.max_skew_ms);
            let first = store
                .compare_and_set(&key, None, &Value::Bool(true), ttl, now_ms)
                .await?;
            if first.is_none() {
                return Err(Error::webhook(
                    ErrorCode::WebhookReplay,
                    format!("webhookId {id} was already delivered (to this fleet)"),
                ));
            }
            self.remember(id, now_ms)?;
        }
        super::event_json(value)
    }

    /// Every check of [`verify`](Self::verify) but the payload's field types;
    /// the payload as received.
    fn verified_payload(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
    ) -> Result<Value> {
        self.checked_payload(headers, body, now_ms, true)
    }

    /// Records `id` as delivered, or refuses it as a replay.
    #[cfg(feature = "fleet")]
    fn remember(&self, id: &str, now_ms: u64) -> Result<()> {
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if !seen.insert(id, now_ms, self.max_age_ms + self.max_skew_ms) {
            return Err(Error::webhook(
                ErrorCode::WebhookReplay,
                format!("webhookId {id} was already delivered"),
            ));
        }
        Ok(())
    }

    /// The signature and replay-window checks; the payload, its
    /// `webhookId` remembered when `remember` (else the caller does it).
    fn checked_payload(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
        remember: bool,
    ) -> Result<Value> {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str())
        };
        let Some(signature) = header(SIGNATURE_HEADER) else {
            let why = if header(LEGACY_SIGNATURE_HEADER).is_some() {
                "only the legacy X-WH-Signature is present; HighLevel retired it on 2026-07-01 and it is not trusted"
            } else {
                "missing X-GHL-Signature header"
            };
            return Err(Error::webhook(ErrorCode::WebhookSignature, why));
        };
        self.verify_signature(signature, body)?;

        let value: Value = serde_json::from_slice(body)
            .map_err(|e| Error::protocol(format!("webhook body is not JSON: {e}")))?;
        let Value::Object(map) = &value else {
            return Err(Error::protocol("signed webhook body is not a JSON object"));
        };
        let timestamp = map.get("timestamp").and_then(Value::as_str);
        let webhook_id = map.get("webhookId").and_then(Value::as_str);
        let replay = |why: String| Error::webhook(ErrorCode::WebhookReplay, why);

        if let Some(ts) = timestamp {
            let sent_ms = crate::time::parse_rfc3339_ms(ts)
                .ok_or_else(|| replay(format!("timestamp {ts:?} is not an ISO 8601 time")))?;
            // Before 1970 counts as 0: older than any window. Unsigned
            // arithmetic here (not i128) keeps 128-bit formatting out of
            // the npm package.
            let sent = u64::try_from(sent_ms).unwrap_or(0);
            let age_ms = now_ms.saturating_sub(sent);
            if age_ms > self.max_age_ms {
                return Err(replay(format!(
                    "delivery is {} s old; the window is {} s",
                    age_ms / 1000,
                    self.max_age_ms / 1000
                )));
            }
            let ahead_ms = sent.saturating_sub(now_ms);
            if ahead_ms > self.max_skew_ms {
                return Err(replay(format!(
                    "timestamp is {} s in the future",
                    ahead_ms / 1000
                )));
            }
        } else if self.require_replay_fields {
            return Err(replay("payload has no timestamp".into()));
        }
        match webhook_id {
            Some(id) if remember => {
                let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
                if !seen.insert(id, now_ms, self.max_age_ms + self.max_skew_ms) {
                    return Err(replay(format!("webhookId {id} was already delivered")));
                }
            }
            None if self.require_replay_fields => {
                return Err(replay("payload has no webhookId".into()));
            }
            _ => {}
        }
        Ok(value)
    }
}
