//! A contact as the API reads and writes it: from a request body, merged
//! with an update, and as the JSON the responses carry.

use super::{ApiError, from_body, merge_into};
use crate::seed;
use contacts_core::models::Contact;
use contacts_core::models::CustomFieldValue;
use serde_json::Map;
use serde_json::Value;
use serde_json::json;

/// Custom fields arrive as `{id, fieldValue | field_value | value}` and are
/// stored (and returned) as `{id, value}`.
pub(super) fn custom_fields_from_input(v: &Value) -> Result<Vec<CustomFieldValue>, ApiError> {
    let list = v
        .as_array()
        .ok_or_else(|| ApiError::validation(vec!["customFields must be an array".into()]))?;
    list.iter()
        .map(|f| {
            let id = f
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let id = id.ok_or_else(|| {
                ApiError::validation(vec!["customFields.id should not be empty".into()])
            })?;
            let value = f
                .get("fieldValue")
                .or_else(|| f.get("field_value"))
                .or_else(|| f.get("value"))
                .cloned();
            Ok(CustomFieldValue {
                id: Some(id.to_string()),
                value,
                extra: Map::new(),
            })
        })
        .collect()
}

/// The field that holds a contact's additional emails. HighLevel returns it
/// on reads but refuses it on create, update and upsert with a 422
/// (GoHighLevel/highlevel-api-docs#262); its UI writes it, and so does the
/// sandbox's admin API.
const ADDITIONAL_EMAILS: &str = "additionalEmails";

/// Refuses what a write may not carry: `additionalEmails` (#262).
pub(super) fn refuse_read_only(body: &Map<String, Value>) -> Result<(), ApiError> {
    if body.contains_key(ADDITIONAL_EMAILS) {
        return Err(ApiError::validation(vec![format!(
            "property {ADDITIONAL_EMAILS} should not exist"
        )]));
    }
    Ok(())
}

/// A contact's additional emails, as stored.
pub(super) fn additional_emails(c: &Contact) -> Vec<String> {
    c.extra
        .get(ADDITIONAL_EMAILS)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces a contact's additional emails (none removes the field).
pub(super) fn set_additional_emails(c: &mut Contact, emails: Vec<String>) {
    if emails.is_empty() {
        c.extra.remove(ADDITIONAL_EMAILS);
    } else {
        c.extra.insert(ADDITIONAL_EMAILS.into(), json!(emails));
    }
}

pub(super) fn contact_from_body(body: &Map<String, Value>) -> Result<Contact, ApiError> {
    let mut input = body.clone();
    let custom = input.remove("customFields");
    input.remove("createNewIfDuplicateAllowed");
    if let Some(Value::String(e)) = input.get("email") {
        if !e.contains('@') {
            return Err(ApiError::validation(vec!["email must be an email".into()]));
        }
    }
    let mut c: Contact = from_body(&input)?;
    if let Some(cf) = custom {
        c.custom_fields = custom_fields_from_input(&cf)?;
    }
    if c.name.is_none() && (c.first_name.is_some() || c.last_name.is_some()) {
        let full = format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or(""),
            c.last_name.as_deref().unwrap_or("")
        );
        c.name = Some(full.trim().to_string());
    }
    Ok(c)
}

/// An update: given fields replace stored ones (tags included); custom
/// fields merge by id.
pub(super) fn merge_contact(
    current: &Contact,
    patch: &Map<String, Value>,
    now_ms: i64,
) -> Result<Contact, ApiError> {
    let mut patch = patch.clone();
    let custom = patch.remove("customFields");
    if patch.contains_key("locationId") {
        return Err(ApiError::validation(vec![
            "property locationId should not exist".into(),
        ]));
    }
    let mut merged =
        serde_json::to_value(current).map_err(|e| ApiError::new(500, e.to_string()))?;
    merge_into(&mut merged, &patch);
    let mut c = contact_from_body(merged.as_object().unwrap_or(&Map::new()))?;
    c.custom_fields = current.custom_fields.clone();
    if let Some(cf) = custom {
        for f in custom_fields_from_input(&cf)? {
            match c.custom_fields.iter_mut().find(|x| x.id == f.id) {
                Some(existing) => existing.value = f.value,
                None => c.custom_fields.push(f),
            }
        }
    }
    if patch.contains_key("firstName") || patch.contains_key("lastName") {
        let full = format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or(""),
            c.last_name.as_deref().unwrap_or("")
        );
        c.name = Some(full.trim().to_string());
    }
    c.date_updated = Some(seed::iso(now_ms));
    Ok(c)
}

/// A contact as `GET /contacts/{id}` returns it, with the lower-case helper
/// fields the real API adds.
pub(super) fn contact_json(c: &Contact) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        if let Some(f) = &c.first_name {
            m.insert("firstNameLowerCase".into(), json!(f.to_lowercase()));
        }
        if let Some(l) = &c.last_name {
            m.insert("lastNameLowerCase".into(), json!(l.to_lowercase()));
        }
        if let Some(n) = &c.name {
            m.insert("fullNameLowerCase".into(), json!(n.to_lowercase()));
        }
        if let Some(e) = &c.email {
            m.insert("emailLowerCase".into(), json!(e.to_lowercase()));
        }
        m.remove("searchAfter");
    }
    v
}

/// A contact as list endpoints return it.
pub(super) fn search_item(c: &Contact) -> Value {
    contact_json(c)
}

pub(super) fn matches_query(c: &Contact, q: &str) -> bool {
    let q = q.to_lowercase();
    [
        &c.name,
        &c.first_name,
        &c.last_name,
        &c.email,
        &c.phone,
        &c.company_name,
    ]
    .into_iter()
    .flatten()
    .any(|s| s.to_lowercase().contains(&q))
}
