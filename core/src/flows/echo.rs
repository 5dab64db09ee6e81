//! The events a flow's own writes cause, told apart from outside changes,
//! so a flow that updates the contact it reacts to does not re-trigger
//! itself: before a step updates a contact, the run notes what it writes
//! (`flow/<name>/echo/<contact>`, for [`ECHO_TTL_MS`]); an event for that
//! contact that shows exactly that write over the run's own event is an
//! echo, one level deeper than the run. Tasks and notes a flow creates carry
//! its marker, which names the run.

use crate::webhooks::same_fields;
use serde_json::{Map, Value, json};

/// How long a write's echo is looked for: HighLevel sends its webhook
/// within seconds, a poll reports it within one interval.
pub const ECHO_TTL_MS: u64 = 10 * 60_000;

/// The fields a step writes to a contact by id, if it is such a step
/// (`contacts.update`): its params but the id and what the event does
/// not show.
pub(crate) fn written(action: &str, params: &Value) -> Option<(String, Map<String, Value>)> {
    if action != "contacts.update" {
        return None;
    }
    let id = params["contactId"].as_str()?.to_owned();
    let mut fields = params.as_object()?.clone();
    fields.remove("contactId");
    Some((id, fields))
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
        let (_, fields) = written(
            "contacts.update",
            &json!({"contactId": "c1", "companyName": "ADA"}),
        )
        .unwrap();
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
}
