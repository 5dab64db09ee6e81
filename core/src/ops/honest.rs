//! The honest write report: the fields a write sent that did not come back
//! as written. HighLevel answers 200 while silently losing some (the phone
//! when email and phone match two contacts, GoHighLevel/highlevel-api-docs#37
//! and #313; `gender` on an existing contact, #313), so a report is the only
//! way a host learns of it. `contacts.upsert` carries it as `dropped`, on the
//! typed and the JSON route alike, and `contacts.capture` passes it on.
//!
//! Values are compared after normalising what HighLevel normalises: email
//! case and white space, phones by their digits (a country code the API
//! added is allowed for: the shorter's digits, at least 7, end the longer),
//! tags by case, dates by their calendar date, other text by surrounding
//! white space. The phone rule approximates E.164 until the mapping work
//! brings a phone-number library.

use crate::models::DroppedField;
use serde_json::{Map, Value};

/// What `sent` (the fields written) lost in `got` (the record as the API
/// returned it), in the order of `sent`; `None` when nothing was lost.
/// Fields the API does not echo (`locationId`, custom fields, ids) are not
/// compared.
pub(crate) fn dropped(sent: &Map<String, Value>, got: &Value) -> Option<Vec<DroppedField>> {
    let lost: Vec<DroppedField> = sent
        .iter()
        .filter(|(field, _)| compared(field))
        .filter(|(field, value)| !value.is_null() && !kept(field, value, &got[field.as_str()]))
        .map(|(field, value)| DroppedField {
            field: field.clone(),
            sent: value.clone(),
            got: got[field.as_str()].clone(),
        })
        .collect();
    (!lost.is_empty()).then_some(lost)
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
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let (a, b) = (digits(a), digits(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    short == long || (short.len() >= 7 && long.ends_with(short.as_str()))
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
        let report = serde_json::to_value(dropped(sent.as_object().unwrap(), &got)).unwrap();
        assert_eq!(
            report,
            json!([{"field": "gender", "sent": "female", "got": null}])
        );
        let got = json!({"email": "ada@acme.io", "phone": "+15550109999", "firstName": "Ada",
            "gender": "female", "dateOfBirth": "1815-12-11", "tags": []});
        let fields: Vec<_> = dropped(sent.as_object().unwrap(), &got)
            .unwrap()
            .into_iter()
            .map(|d| d.field)
            .collect();
        assert_eq!(fields, ["dateOfBirth", "phone", "tags"]);
        assert_eq!(dropped(&serde_json::Map::new(), &got), None);
    }
}
