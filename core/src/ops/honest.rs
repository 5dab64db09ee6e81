//! The honest write report: the fields a write sent that did not come back
//! as written. HighLevel answers 200 while silently losing some (the phone
//! when email and phone match two contacts, GoHighLevel/highlevel-api-docs#37
//! and #313; `gender` on an existing contact, #313), so a report is the only
//! way a host learns of it. `contacts.upsert` carries it as `dropped`, on the
//! typed and the JSON route alike, and `contacts.capture` passes it on. What
//! an upsert replaced is beyond it: an email that was the contact's
//! additional one becomes the primary and the old primary is lost (#337)
//! while every field sent comes back as sent, so the capture looks first.
//!
//! Values are compared after normalising what HighLevel normalises: email
//! case and white space, phones by their digits (a country code the API
//! added is allowed for: the shorter's digits, at least 7, end the longer),
//! tags by case, dates by their calendar date, other text by surrounding
//! white space. The phone rule approximates E.164 until the mapping work
//! brings a phone-number library.

use serde_json::{Map, Value};

/// What `sent` (the fields written) lost in `got` (the record as the API
/// returned it): `[{field, sent, got}]` (a [`crate::models::DroppedField`]
/// each), in the order of `sent`; empty when nothing was lost. Fields the
/// API does not echo (`locationId`, custom fields, ids) are not compared.
// Plain loops and JSON built by hand: iterator chains and serde's value
// encoder cost the size-budgeted npm module over a kilobyte, measured.
pub(crate) fn dropped(sent: &Map<String, Value>, got: &Value) -> Vec<Value> {
    let mut lost = Vec::new();
    for (field, value) in sent {
        let have = &got[field.as_str()];
        if !value.is_null() && compared(field) && !kept(field, value, have) {
            let mut d = Map::new();
            d.insert("field".into(), Value::String(field.clone()));
            d.insert("sent".into(), value.clone());
            d.insert("got".into(), have.clone());
            lost.push(Value::Object(d));
        }
    }
    lost
}

/// Whether `got` already holds every field of `sent` as sent, so writing
/// it would change nothing. A field the comparison does not cover (custom
/// fields, DND, the assignee) counts as a change, and so do tags unless the
/// record has exactly those (a write replaces them all).
#[cfg(feature = "runtime")]
pub(crate) fn holds_all(sent: &Map<String, Value>, got: &Value) -> bool {
    sent.iter().all(|(field, value)| {
        let have = &got[field.as_str()];
        value.is_null()
            || matches!(field.as_str(), "locationId" | "createNewIfDuplicateAllowed")
            || (compared(field)
                && kept(field, value, have)
                && (field != "tags" || kept(field, have, value)))
    })
}

fn compared(field: &str) -> bool {
    !matches!(
        field,
        "locationId"
            | "customFields"
            | "createNewIfDuplicateAllowed"
            | "id"
            | "assignedTo"
            | "dnd"
            | "dndSettings"
    )
}

fn kept(field: &str, sent: &Value, got: &Value) -> bool {
    match (field, sent, got) {
        (_, _, Value::Null) => false,
        ("email", Value::String(a), Value::String(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
        ("phone", Value::String(a), Value::String(b)) => same_phone(a, b),
        ("dateOfBirth", Value::String(a), Value::String(b)) => date_part(a) == date_part(b),
        ("tags", Value::Array(a), Value::Array(b)) => a.iter().all(|tag| {
            b.iter().any(|have| match (tag.as_str(), have.as_str()) {
                (Some(t), Some(h)) => t.trim().eq_ignore_ascii_case(h.trim()),
                _ => tag == have,
            })
        }),
        (_, Value::String(a), Value::String(b)) => a.trim() == b.trim(),
        _ => sent == got,
    }
}

fn same_phone(a: &str, b: &str) -> bool {
    let digits = |s: &str| {
        let mut only = Vec::with_capacity(s.len());
        for byte in s.bytes() {
            if byte.is_ascii_digit() {
                only.push(byte);
            }
        }
        only
    };
    let (a, b) = (digits(a), digits(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short == long || (short.len() >= 7 && long.ends_with(short))
}

/// `YYYY-MM-DD` of a date or date-time.
fn date_part(s: &str) -> &str {
    s.get(..10).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::dropped;
    use serde_json::json;

    #[test]
    fn only_what_did_not_come_back_as_written_is_reported() {
        let sent = json!({"locationId": "l", "email": " Ada@Acme.io", "phone": "(555) 010-2000",
            "firstName": "Ada ", "gender": "female", "dateOfBirth": "1815-12-10", "tags": ["VIP"]});
        let got = json!({"email": "ada@acme.io", "phone": "+15550102000", "firstName": "Ada",
            "dateOfBirth": "1815-12-10T00:00:00.000Z", "tags": ["vip", "lead"]});
        assert_eq!(
            dropped(sent.as_object().unwrap(), &got),
            [json!({"field": "gender", "sent": "female", "got": null})]
        );
        let got = json!({"email": "ada@acme.io", "phone": "+15550109999", "firstName": "Ada",
            "gender": "female", "dateOfBirth": "1815-12-11", "tags": []});
        let fields: Vec<_> = dropped(sent.as_object().unwrap(), &got)
            .into_iter()
            .map(|d| d["field"].clone())
            .collect();
        assert_eq!(fields, ["dateOfBirth", "phone", "tags"]);
        assert!(dropped(&serde_json::Map::new(), &got).is_empty());
    }

    #[test]
    fn a_record_holds_a_write_only_when_every_field_is_compared_and_kept() {
        use super::holds_all;
        let got = json!({"email": "ada@acme.io", "firstName": "Ada", "tags": ["vip"]});
        let sent = |v: serde_json::Value| v.as_object().unwrap().clone();
        assert!(holds_all(
            &sent(json!({"locationId": "l", "email": "Ada@Acme.io", "tags": ["VIP"]})),
            &got
        ));
        assert!(!holds_all(
            &sent(json!({"email": "ada@acme.io", "firstName": "Bea"})),
            &got
        ));
        assert!(!holds_all(
            &sent(json!({"email": "ada@acme.io", "customFields": []})),
            &got
        ));
        // Writing fewer tags would remove the others: not held.
        let tagged = json!({"email": "ada@acme.io", "tags": ["vip", "lead"]});
        assert!(!holds_all(
            &sent(json!({"email": "ada@acme.io", "tags": ["VIP"]})),
            &tagged
        ));
    }
}
