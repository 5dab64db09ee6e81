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

use crate::models::{CustomFieldValue, DndSettings};
use crate::{Error, ErrorCode, Result};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

/// The header carrying the Ed25519 signature.
pub const SIGNATURE_HEADER: &str = "X-GHL-Signature";
/// The retired RSA header; its presence alone is reported, never trusted.
pub const LEGACY_SIGNATURE_HEADER: &str = "X-WH-Signature";

/// HighLevel's published Ed25519 webhook key (SPKI PEM), fact sheet §8.2.
pub const HIGHLEVEL_PUBLIC_KEY_PEM: &str = "-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAi2HR1srL4o18O8BRa7gVJY7G7bupbN3H9AwJrHCDiOg=
-----END PUBLIC KEY-----
";

/// How old a delivery may be before it is refused (DOC-WHA suggests 5 min).
pub const DEFAULT_MAX_AGE_MS: u64 = 5 * 60 * 1000;
/// How far in the future a timestamp may lie (sender clock skew).
pub const DEFAULT_MAX_SKEW_MS: u64 = 60 * 1000;
/// How many webhook ids the replay guard remembers at most.
pub const DEFAULT_SEEN_CAPACITY: usize = 100_000;

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo; the 32 key bytes follow.
const ED25519_SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// Decodes standard base64 (RFC 4648 §4) strictly: canonical `=` padding,
/// no whitespace, zero trailing bits; `None` for anything else. Written here
/// rather than taken from the `base64` crate, whose general-purpose engine
/// was 4 KB of the npm package for two 64- and 44-byte values.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.len() % 4 != 0 {
        return None;
    }
    let pad = bytes.iter().rev().take_while(|&&b| b == b'=').count();
    let body = &bytes[..bytes.len() - pad];
    if !matches!((body.len() % 4, pad), (0, 0) | (2, 2) | (3, 1)) {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in body {
        let sextet = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(sextet);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (acc == 0).then_some(out)
}

/// Parses an Ed25519 public key from SPKI PEM, base64 SPKI DER, base64 raw
/// key bytes, or 64 hex digits.
pub fn parse_public_key(text: &str) -> Result<VerifyingKey> {
    let bad = |why: &str| Error::invalid_argument(format!("webhook public key: {why}"));
    let trimmed = text.trim();
    let bytes: Vec<u8> = if trimmed.len() == 64 && trimmed.bytes().all(|b| b.is_ascii_hexdigit()) {
        (0..32)
            .map(|i| u8::from_str_radix(&trimmed[2 * i..2 * i + 2], 16))
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad("bad hex"))?
    } else {
        let body: String = trimmed
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect::<Vec<_>>()
            .concat();
        decode_base64(body.trim()).ok_or_else(|| bad("not PEM, base64 or hex"))?
    };
    let raw: &[u8] = match bytes.len() {
        32 => &bytes,
        44 if bytes.starts_with(&ED25519_SPKI_PREFIX) => &bytes[12..],
        _ => {
            return Err(bad(
                "not an Ed25519 key (expected 32 raw bytes or an Ed25519 SPKI)",
            ));
        }
    };
    let arr: [u8; 32] = raw.try_into().map_err(|_| bad("wrong length"))?;
    VerifyingKey::from_bytes(&arr).map_err(|_| bad("not a valid curve point"))
}

/// Verifies webhook deliveries. Share one per endpoint: it remembers the
/// webhook ids it has accepted. `Send + Sync`; `verify` takes `&self`.
pub struct WebhookVerifier {
    keys: Vec<VerifyingKey>,
    max_age_ms: u64,
    max_skew_ms: u64,
    require_replay_fields: bool,
    seen: Mutex<SeenIds>,
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
        WebhookEvent::from_value(self.verified_payload(headers, body, now_ms)?)
    }

    /// Like [`verify`](Self::verify), but the event as JSON with `type`
    /// ([`crate::catalog::conform_event`]): what the C ABI and the npm
    /// package return. Equal to `verify(..)?.to_json()`, without a typed
    /// decoder per event in the binary.
    pub fn verify_json(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
    ) -> Result<Value> {
        crate::schema::conform_event(self.verified_payload(headers, body, now_ms)?)
    }

    /// Every check of [`verify`](Self::verify) but the payload's field types;
    /// the payload as received.
    fn verified_payload(
        &self,
        headers: &[(String, String)],
        body: &[u8],
        now_ms: u64,
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
            .map_err(|e| Error::protocol(format!("signed webhook body is not JSON: {e}")))?;
        let Value::Object(map) = &value else {
            return Err(Error::protocol("signed webhook body is not a JSON object"));
        };
        let timestamp = map.get("timestamp").and_then(Value::as_str);
        let webhook_id = map.get("webhookId").and_then(Value::as_str);
        let replay = |why: String| Error::webhook(ErrorCode::WebhookReplay, why);

        if let Some(ts) = timestamp {
            let sent_ms = crate::time::parse_rfc3339_ms(ts)
                .ok_or_else(|| replay(format!("timestamp {ts:?} is not an ISO 8601 time")))?;
            let now = i128::from(now_ms);
            let sent = i128::from(sent_ms);
            if now - sent > i128::from(self.max_age_ms) {
                return Err(replay(format!(
                    "delivery is {} s old; the window is {} s",
                    (now - sent) / 1000,
                    self.max_age_ms / 1000
                )));
            }
            if sent - now > i128::from(self.max_skew_ms) {
                return Err(replay(format!(
                    "timestamp is {} s in the future",
                    (sent - now) / 1000
                )));
            }
        } else if self.require_replay_fields {
            return Err(replay("payload has no timestamp".into()));
        }
        match webhook_id {
            Some(id) => {
                let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
                if !seen.insert(id, now_ms, self.max_age_ms + self.max_skew_ms) {
                    return Err(replay(format!("webhookId {id} was already delivered")));
                }
            }
            None if self.require_replay_fields => {
                return Err(replay("payload has no webhookId".into()));
            }
            None => {}
        }
        Ok(value)
    }
}

/// Webhook ids accepted within the replay window, oldest first.
struct SeenIds {
    capacity: usize,
    order: VecDeque<(String, u64)>,
    ids: HashMap<String, u64>,
}

impl SeenIds {
    fn new(capacity: usize) -> Self {
        SeenIds {
            capacity,
            order: VecDeque::new(),
            ids: HashMap::new(),
        }
    }

    /// Records `id`; false if it was already there. Forgets ids older than
    /// `keep_ms` (their deliveries would fail the timestamp check anyway).
    fn insert(&mut self, id: &str, now_ms: u64, keep_ms: u64) -> bool {
        while let Some((old, at)) = self.order.front() {
            if now_ms.saturating_sub(*at) > keep_ms || self.order.len() >= self.capacity {
                self.ids.remove(old);
                self.order.pop_front();
            } else {
                break;
            }
        }
        if self.ids.contains_key(id) {
            return false;
        }
        self.ids.insert(id.to_string(), now_ms);
        self.order.push_back((id.to_string(), now_ms));
        true
    }
}

/// A contact event: ContactCreate, ContactUpdate, ContactDelete,
/// ContactTagUpdate, ContactDndUpdate.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The contact id.
    pub id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// Street address.
    pub address1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<Value>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// Global DND.
    pub dnd: Option<bool>,
    /// DND per channel (ContactDndUpdate).
    pub dnd_settings: Option<DndSettings>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Custom field values.
    pub custom_fields: Option<Vec<CustomFieldValue>>,
    /// Assigned user.
    pub assigned_to: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note event: NoteCreate, NoteUpdate, NoteDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NoteEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The note id.
    pub id: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A task event: TaskCreate, TaskComplete, TaskDelete (there is no TaskUpdate;
/// real TaskCreate payloads may lack `contactId` and `body`, issue #332).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The task id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Body.
    pub body: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// Assigned user.
    pub assigned_to: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// ISO due date.
    pub due_date: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An appointment event: AppointmentCreate, AppointmentUpdate, AppointmentDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The appointment.
    pub appointment: Option<crate::models::Appointment>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// INSTALL: an app was installed in a location or agency.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstallEvent {
    /// The app.
    pub app_id: Option<String>,
    /// The location, for location installs.
    pub location_id: Option<String>,
    /// The agency.
    pub company_id: Option<String>,
    /// The installing user.
    pub user_id: Option<String>,
    /// The plan.
    pub plan_id: Option<String>,
    /// The app version.
    pub version_id: Option<String>,
    /// `Location` or `Company`.
    pub install_type: Option<String>,
    /// The agency's name.
    pub company_name: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field (`trial`, `whitelabelDetails`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// UNINSTALL: an app was removed.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UninstallEvent {
    /// The app.
    pub app_id: Option<String>,
    /// The location, for location uninstalls.
    pub location_id: Option<String>,
    /// The agency, for agency uninstalls.
    pub company_id: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A verified webhook event, by its `type`. Types this crate does not model
/// arrive as [`WebhookEvent::Unknown`] with the whole payload.
#[derive(Clone, Debug, PartialEq)]
#[allow(missing_docs)] // each variant is named for the `type` it carries
pub enum WebhookEvent {
    ContactCreate(ContactEvent),
    ContactUpdate(ContactEvent),
    ContactDelete(ContactEvent),
    ContactTagUpdate(ContactEvent),
    ContactDndUpdate(ContactEvent),
    NoteCreate(NoteEvent),
    NoteUpdate(NoteEvent),
    NoteDelete(NoteEvent),
    TaskCreate(TaskEvent),
    TaskComplete(TaskEvent),
    TaskDelete(TaskEvent),
    AppointmentCreate(AppointmentEvent),
    AppointmentUpdate(AppointmentEvent),
    AppointmentDelete(AppointmentEvent),
    Install(InstallEvent),
    Uninstall(UninstallEvent),
    /// Any other `type`, kept whole.
    Unknown(Value),
}

/// Every modelled event type: `(type, summary, scope that unlocks it)`.
pub const EVENT_TYPES: [(&str, &str, Option<&str>); 16] = [
    (
        "ContactCreate",
        "A contact was created.",
        Some("contacts.readonly"),
    ),
    ("ContactUpdate", "A contact was updated.", None),
    (
        "ContactDelete",
        "A contact was deleted.",
        Some("contacts.readonly"),
    ),
    (
        "ContactTagUpdate",
        "A contact's tags changed.",
        Some("contacts.readonly"),
    ),
    (
        "ContactDndUpdate",
        "A contact's DND settings changed.",
        Some("contacts.readonly"),
    ),
    ("NoteCreate", "A note was added.", Some("contacts.readonly")),
    ("NoteUpdate", "A note was changed.", None),
    (
        "NoteDelete",
        "A note was deleted.",
        Some("contacts.readonly"),
    ),
    (
        "TaskCreate",
        "A task was created.",
        Some("contacts.readonly"),
    ),
    ("TaskComplete", "A task was completed.", None),
    (
        "TaskDelete",
        "A task was deleted.",
        Some("contacts.readonly"),
    ),
    ("AppointmentCreate", "An appointment was booked.", None),
    ("AppointmentUpdate", "An appointment changed.", None),
    ("AppointmentDelete", "An appointment was deleted.", None),
    ("INSTALL", "The app was installed.", None),
    ("UNINSTALL", "The app was uninstalled.", None),
];

impl WebhookEvent {
    /// Types an (already verified) payload by its `type` field. A payload whose
    /// fields have the wrong types is a [`ErrorCode::Decode`] error.
    pub fn from_value(mut value: Value) -> Result<WebhookEvent> {
        let kind = value
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        fn typed<T: serde::de::DeserializeOwned>(kind: &str, mut v: Value) -> Result<T> {
            if let Some(m) = v.as_object_mut() {
                m.remove("type");
            }
            T::deserialize(&v).map_err(|e| Error::protocol(format!("{kind} webhook payload: {e}")))
        }
        use WebhookEvent as E;
        Ok(match kind.as_str() {
            "ContactCreate" => E::ContactCreate(typed(&kind, value)?),
            "ContactUpdate" => E::ContactUpdate(typed(&kind, value)?),
            "ContactDelete" => E::ContactDelete(typed(&kind, value)?),
            "ContactTagUpdate" => E::ContactTagUpdate(typed(&kind, value)?),
            "ContactDndUpdate" => E::ContactDndUpdate(typed(&kind, value)?),
            "NoteCreate" => E::NoteCreate(typed(&kind, value)?),
            "NoteUpdate" => E::NoteUpdate(typed(&kind, value)?),
            "NoteDelete" => E::NoteDelete(typed(&kind, value)?),
            "TaskCreate" => E::TaskCreate(typed(&kind, value)?),
            "TaskComplete" => E::TaskComplete(typed(&kind, value)?),
            "TaskDelete" => E::TaskDelete(typed(&kind, value)?),
            "AppointmentCreate" => E::AppointmentCreate(typed(&kind, value)?),
            "AppointmentUpdate" => E::AppointmentUpdate(typed(&kind, value)?),
            "AppointmentDelete" => E::AppointmentDelete(typed(&kind, value)?),
            "INSTALL" => E::Install(typed(&kind, value)?),
            "UNINSTALL" => E::Uninstall(typed(&kind, value)?),
            _ => {
                if !value.is_object() {
                    value = Value::Object(Map::new());
                }
                E::Unknown(value)
            }
        })
    }

    /// The event's `type`.
    pub fn kind(&self) -> &str {
        use WebhookEvent as E;
        match self {
            E::ContactCreate(_) => "ContactCreate",
            E::ContactUpdate(_) => "ContactUpdate",
            E::ContactDelete(_) => "ContactDelete",
            E::ContactTagUpdate(_) => "ContactTagUpdate",
            E::ContactDndUpdate(_) => "ContactDndUpdate",
            E::NoteCreate(_) => "NoteCreate",
            E::NoteUpdate(_) => "NoteUpdate",
            E::NoteDelete(_) => "NoteDelete",
            E::TaskCreate(_) => "TaskCreate",
            E::TaskComplete(_) => "TaskComplete",
            E::TaskDelete(_) => "TaskDelete",
            E::AppointmentCreate(_) => "AppointmentCreate",
            E::AppointmentUpdate(_) => "AppointmentUpdate",
            E::AppointmentDelete(_) => "AppointmentDelete",
            E::Install(_) => "INSTALL",
            E::Uninstall(_) => "UNINSTALL",
            E::Unknown(v) => v.get("type").and_then(Value::as_str).unwrap_or(""),
        }
    }

    /// The event as JSON: its fields plus `type` (what the C ABI and JS get).
    pub fn to_json(&self) -> Value {
        use WebhookEvent as E;
        let body = match self {
            E::ContactCreate(e)
            | E::ContactUpdate(e)
            | E::ContactDelete(e)
            | E::ContactTagUpdate(e)
            | E::ContactDndUpdate(e) => serde_json::to_value(e),
            E::NoteCreate(e) | E::NoteUpdate(e) | E::NoteDelete(e) => serde_json::to_value(e),
            E::TaskCreate(e) | E::TaskComplete(e) | E::TaskDelete(e) => serde_json::to_value(e),
            E::AppointmentCreate(e) | E::AppointmentUpdate(e) | E::AppointmentDelete(e) => {
                serde_json::to_value(e)
            }
            E::Install(e) => serde_json::to_value(e),
            E::Uninstall(e) => serde_json::to_value(e),
            E::Unknown(v) => return v.clone(),
        };
        let mut v = body.unwrap_or_else(|_| Value::Object(Map::new()));
        if let Some(m) = v.as_object_mut() {
            m.insert("type".into(), Value::String(self.kind().to_string()));
        }
        v
    }
}

impl Serialize for WebhookEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_as_the_base64_crate_does() {
        use base64::Engine;
        let reference = |t: &str| base64::engine::general_purpose::STANDARD.decode(t).ok();
        let mut cases: Vec<String> = [
            "",
            "=",
            "==",
            "A",
            "AA",
            "AA=",
            "AA==",
            "AB==",
            "AAA=",
            "AAB=",
            "AAAA",
            "AAAA====",
            "Zg==",
            "Zm8=",
            "Zm9v",
            "Zm9vYg==",
            "Zm9v\nYg==",
            " Zm9v",
            "Zm9v-_==",
            "Zm9v+/==",
            "Z===",
            "Zg=a",
            "=Zg=",
        ]
        .map(String::from)
        .to_vec();
        // Every 1..=3-byte value's encoding, and each with one character changed.
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_ .";
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for len in 0..=40 {
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) as u8
                })
                .collect();
            let good = base64::engine::general_purpose::STANDARD.encode(&data);
            for i in 0..good.len() {
                let mut bad = good.clone().into_bytes();
                bad[i] = alphabet[(seed as usize + i) % alphabet.len()];
                cases.push(String::from_utf8(bad).unwrap());
            }
            cases.push(good);
        }
        for t in &cases {
            assert_eq!(decode_base64(t), reference(t), "{t:?}");
        }
    }

    #[test]
    fn published_key_parses() {
        let key = parse_public_key(HIGHLEVEL_PUBLIC_KEY_PEM).unwrap();
        let hex: String = key.as_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "8b61d1d6cacbe28d7c3bc0516bb815258ec6edbba96cddc7f40c09ac708388e8"
        );
        assert_eq!(parse_public_key(&hex).unwrap(), key);
    }

    #[test]
    fn seen_ids_expire_and_cap() {
        let mut s = SeenIds::new(2);
        assert!(s.insert("a", 0, 100));
        assert!(!s.insert("a", 50, 100));
        assert!(s.insert("b", 60, 100));
        assert!(s.insert("c", 70, 100)); // evicts "a" by capacity
        assert!(s.insert("a", 80, 100));
        assert!(s.insert("d", 1_000, 100)); // everything older expired
        assert_eq!(s.order.len(), 1);
    }
}
