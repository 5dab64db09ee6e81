//! The dedupe id of an event: the same for a change whether it arrived by
//! webhook or by a poll, so a host that takes both sees each change once.
//!
//! HighLevel's contact, note and task webhooks carry no `dateUpdated`, so
//! the id cannot be "record id + version". It is a hash of the event's type,
//! its record id, and the canonical values of the fields both shapes carry
//! for that type ([`CANONICAL_FIELDS`]): a create or a delete happens once
//! per record, so only the id counts; an update counts the fields it can
//! change.

use serde_json::Value;
// FNV-1a (64 bits), not a cryptographic hash: a dedupe id tells changes of
// one record apart, it guards nothing, and SHA-512 here cost the npm
// package's size-budgeted main module 3.5 KB gzipped (measured).
use fnv::FnvHasher;
use std::hash::Hasher;

/// Per event type, the fields whose values make an event of that type
/// distinct. Types not listed count only their id (and, without one, their
/// whole payload but the delivery's own `webhookId` and `timestamp`).
pub const CANONICAL_FIELDS: &[(&str, &[&str])] = &[
    (
        "ContactUpdate",
        &[
            "firstName",
            "lastName",
            "email",
            "phone",
            "companyName",
            "address1",
            "city",
            "state",
            "country",
            "postalCode",
            "website",
            "source",
            "assignedTo",
            "dnd",
        ],
    ),
    ("ContactTagUpdate", &["tags"]),
    ("ContactDndUpdate", &["dnd", "dndSettings"]),
    ("NoteUpdate", &["body"]),
    (
        "OpportunityUpdate",
        &[
            "name",
            "status",
            "pipelineId",
            "pipelineStageId",
            "monetaryValue",
            "assignedTo",
        ],
    ),
    ("OpportunityStageUpdate", &["pipelineId", "pipelineStageId"]),
    ("OpportunityStatusUpdate", &["status"]),
    ("OpportunityAssignedToUpdate", &["assignedTo"]),
    ("OpportunityMonetaryValueUpdate", &["monetaryValue"]),
    (
        "ConversationUnreadUpdate",
        &["unreadCount", "inbox", "starred", "deleted"],
    ),
    (
        "AssociationUpdate",
        &["firstObjectLabel", "secondObjectLabel"],
    ),
    ("CampaignStatusUpdate", &["status", "templateId"]),
    ("LocationUpdate", &["name", "email"]),
    ("TaskOverdue", &["dueDate"]),
    (
        "AppointmentUpdate",
        &[
            "appointment.calendarId",
            "appointment.title",
            "appointment.startTime",
            "appointment.endTime",
            "appointment.appointmentStatus",
            "appointment.assignedUserId",
        ],
    ),
];

/// The dedupe id of `event` (a JSON event with `type`): 16 hex digits, the
/// FNV-1a hash of its type, record id and canonical fields.
pub fn dedupe_id(event: &Value) -> String {
    let kind = event
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut hash = FnvHasher::default();
    hash.write(kind.as_bytes());
    hash.write(&[0]);
    match record_id(event) {
        Some(id) => {
            hash.write(id.as_bytes());
            let fields = CANONICAL_FIELDS
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(&[][..], |(_, f)| f);
            for field in fields {
                hash.write(&[0]);
                hash.write(field.as_bytes());
                hash.write(&[1]);
                hash.write(&canonical(field, lookup(event, field)).to_le_bytes());
            }
        }
        None => {
            let mut whole = event.clone();
            if let Some(m) = whole.as_object_mut() {
                m.remove("webhookId");
                m.remove("timestamp");
                m.remove("dedupeId");
            }
            hash.write(whole.to_string().as_bytes());
        }
    }
    hex(hash.finish())
}

/// Whether events `a` and `b` agree on every field that makes an event of
/// type `kind` distinct ([`CANONICAL_FIELDS`], read as [`dedupe_id`] reads
/// them): a poll reports `kind` for a record only when they do not.
pub fn same_fields(kind: &str, a: &Value, b: &Value) -> bool {
    let fields = CANONICAL_FIELDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(&[][..], |(_, f)| f);
    fields
        .iter()
        .all(|f| canonical(f, lookup(a, f)) == canonical(f, lookup(b, f)))
}

/// The id of the record an event is about: `appointment.id` for
/// appointment events, `messageId` for messages, else `id`.
fn record_id(event: &Value) -> Option<&str> {
    event
        .get("appointment")
        .and_then(|a| a.get("id"))
        .or_else(|| event.get("id"))
        .or_else(|| event.get("messageId"))
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
}

/// The value at a dotted `path`.
fn lookup<'a>(event: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(event, |v, key| v.get(key))
}

/// One field's value as the hash reads it, itself an FNV-1a hash: absent
/// and null alike (0); a string's bytes, email without ASCII case and
/// surrounding spaces; a time (`…Date`, `…Time`) as its Unix ms when it
/// parses; a whole number as an integer (40 and 40.0 alike); tags as a set
/// without ASCII case (the sum of each distinct tag's hash, so order and
/// repeats do not count); anything else as its JSON text. Written without
/// sorting or number formatting, which would cost the npm main module
/// another kilobyte.
fn canonical(field: &str, value: Option<&Value>) -> u64 {
    let of = |bytes: &[u8]| {
        let mut h = FnvHasher::default();
        h.write(bytes);
        h.finish()
    };
    let whole = |n: i64| {
        let mut h = FnvHasher::default();
        h.write(b"#");
        h.write(&n.to_le_bytes());
        h.finish()
    };
    match value {
        None | Some(Value::Null) => 0,
        Some(Value::String(s)) if field == "email" => of(s.trim().to_ascii_lowercase().as_bytes()),
        Some(Value::String(s)) if field.ends_with("Date") || field.ends_with("Time") => {
            crate::time::parse_rfc3339_ms(s).map_or_else(|| of(s.as_bytes()), whole)
        }
        Some(Value::String(s)) => of(s.as_bytes()),
        Some(Value::Number(n)) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => whole(f as i64),
            _ => of(n.to_string().as_bytes()),
        },
        Some(Value::Array(items)) if field == "tags" => {
            let tags: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            let mut sum = 0u64;
            for (i, tag) in tags.iter().enumerate() {
                if tags[..i].iter().any(|t| t.eq_ignore_ascii_case(tag)) {
                    continue;
                }
                sum = sum.wrapping_add(of(tag.to_ascii_lowercase().as_bytes()));
            }
            sum
        }
        Some(other) => of(other.to_string().as_bytes()),
    }
}

/// `n` as 16 lower-case hex digits.
fn hex(n: u64) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    (0..16)
        .rev()
        .map(|i| DIGITS[((n >> (i * 4)) & 0xf) as usize] as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_delivery_fields_and_unrelated_fields_do_not_change_the_id() {
        let webhook = json!({"type": "ContactUpdate", "id": "c1", "email": "A@x.io",
            "webhookId": "w1", "timestamp": "2026-01-01T00:00:00Z", "dateAdded": "x"});
        let polled = json!({"type": "ContactUpdate", "id": "c1", "email": "a@x.io"});
        assert_eq!(dedupe_id(&webhook), dedupe_id(&polled));
        let other = json!({"type": "ContactUpdate", "id": "c1", "email": "b@x.io"});
        assert_ne!(dedupe_id(&webhook), dedupe_id(&other));
        let tags =
            |t: Value| dedupe_id(&json!({"type": "ContactTagUpdate", "id": "c1", "tags": t}));
        assert_eq!(tags(json!(["b", "A"])), tags(json!(["a", "b"])));
        assert_ne!(tags(json!(["a"])), tags(json!(["a", "b"])));
        let create = |e: &str| dedupe_id(&json!({"type": "ContactCreate", "id": "c1", "email": e}));
        assert_eq!(
            create("a@x.io"),
            create("b@x.io"),
            "a create happens once per record"
        );
        assert_ne!(
            create("a@x.io"),
            dedupe_id(&json!({"type": "ContactDelete", "id": "c1"}))
        );
    }
}
