//! The events a flow's own writes cause, told apart from outside changes,
//! so a flow that writes the contact it reacts to does not re-trigger
//! itself: before a step writes a contact, the run notes what it writes
//! (`flow/<name>/echo/<record>`, for [`ECHO_TTL_MS`]), keyed by the
//! contact's id (`contacts.update`) or, for a write that finds or makes
//! the contact by email (`contacts.upsert`, `contacts.create`), its email;
//! an event for that contact that shows exactly that write over the run's
//! own event is an echo, one level deeper than the run. Tasks and notes a
//! flow creates carry its marker, which names the run.

use crate::webhooks::same_fields;
use serde_json::{Map, Value, json};

/// How long a write's echo is looked for: HighLevel sends its webhook
/// within seconds, a poll reports it within one interval.
pub const ECHO_TTL_MS: u64 = 10 * 60_000;

/// The record a step writes and the fields it writes, if it writes a
/// contact: `id:<contactId>` for `contacts.update`, `email:<email>` (case
/// folded) for `contacts.upsert` and `contacts.create`; the fields are its
/// params but the id and the location.
pub(crate) fn written(action: &str, params: &Value) -> Option<(String, Map<String, Value>)> {
    let record = match action {
        "contacts.update" => format!("id:{}", params["contactId"].as_str()?),
        "contacts.upsert" | "contacts.create" => {
            format!("email:{}", params["email"].as_str()?.trim().to_lowercase())
        }
        _ => return None,
    };
    let mut fields = params.as_object()?.clone();
    for key in ["contactId", "locationId", "createNewIfDuplicateAllowed"] {
        fields.remove(key);
    }
    Some((record, fields))
}

/// The records a contact event may echo a write to: its id, then its email.
pub(crate) fn records_of(event: &Value) -> Vec<String> {
    let mut records = Vec::new();
    if let Some(id) = event["id"].as_str() {
        records.push(format!("id:{id}"));
    }
    if let Some(email) = event["email"].as_str() {
        records.push(format!("email:{}", email.trim().to_lowercase()));
    }
    records
}

/// Whether `event` is of the contact `record` names.
pub(crate) fn is_of(event: &Value, record: &str) -> bool {
    records_of(event).iter().any(|r| r == record)
}

/// The echo entry of a write by run `run_id` (of depth `depth`) of
/// `fields`, with the run's own event as the contact's state before it
/// when the event is of that contact.
pub(crate) fn entry(
    run_id: &str,
    depth: u32,
    fields: &Map<String, Value>,
    before: Option<&Value>,
) -> Value {
    json!({ "runId": run_id, "depth": depth, "written": fields, "before": before })
}

/// The depth of the run whose write `event` echoes, if `entry` (an echo
/// entry for the event's contact) shows it is one: the event holds every
/// field written, and every other field that makes an event of its type
/// distinct as the run's own event had it.
pub(crate) fn echoed_depth(entry: &Value, event: &Value) -> Option<u32> {
    let written = entry["written"].as_object()?;
    if !crate::ops::honest::dropped(written, event).is_empty() {
        return None;
    }
    if let Some(before) = entry["before"].as_object() {
        let mut expected = Value::Object(before.clone());
        for (field, value) in written {
            expected[field.as_str()] = value.clone();
        }
        let kind = event["type"].as_str().unwrap_or_default();
        if !same_fields(kind, &expected, event) {
            return None;
        }
    }
    entry["depth"].as_u64().map(|d| d as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_outside_change_is_no_echo() {
        let before =
            json!({"type": "ContactUpdate", "id": "c1", "firstName": "Ada", "companyName": "x"});
        let (record, fields) = written(
            "contacts.update",
            &json!({"contactId": "c1", "companyName": "ADA"}),
        )
        .unwrap();
        assert!(is_of(&before, &record));
        let e = entry("r1", 0, &fields, Some(&before));
        let echo =
            json!({"type": "ContactUpdate", "id": "c1", "firstName": "Ada", "companyName": "ADA"});
        assert_eq!(echoed_depth(&e, &echo), Some(0));
        let outside =
            json!({"type": "ContactUpdate", "id": "c1", "firstName": "Bea", "companyName": "ADA"});
        assert_eq!(echoed_depth(&e, &outside), None);
        let unwritten =
            json!({"type": "ContactUpdate", "id": "c1", "firstName": "Ada", "companyName": "x"});
        assert_eq!(echoed_depth(&e, &unwritten), None);
    }

    #[test]
    fn an_upsert_is_keyed_by_its_email() {
        let (record, fields) = written(
            "contacts.upsert",
            &json!({"locationId": "l", "email": " Ada@Example.com", "source": "x"}),
        )
        .unwrap();
        assert_eq!(record, "email:ada@example.com");
        assert!(!fields.contains_key("locationId"));
        let event =
            json!({"type": "ContactUpdate", "id": "c9", "email": "ada@example.com", "source": "x"});
        assert!(is_of(&event, &record));
        assert_eq!(echoed_depth(&entry("r", 0, &fields, None), &event), Some(0));
        assert_eq!(written("contacts.upsert", &json!({"phone": "+1"})), None);
    }
}
