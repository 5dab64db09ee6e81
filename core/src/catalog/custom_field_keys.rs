//! Custom fields by key in the params of `contacts.create`, `.update`,
//! `.upsert` and `contacts.capture`: `{"key": "contact.shirt_size",
//! "fieldValue": "M"}` beside (or instead of) `{"id", "fieldValue"}`. The
//! driver resolves keys through the location's definitions and checks each
//! value against its field's type before anything is sent; the sans-IO
//! build, which has no definitions, refuses them and says what to do.

use crate::{Error, Result};
use serde_json::Value;

/// Where each entry's custom-field list sits in its params.
fn list_path(name: &str) -> Option<&'static [&'static str]> {
    match name {
        "contacts.create" | "contacts.update" | "contacts.upsert" => Some(&["customFields"]),
        "contacts.capture" => Some(&["contact", "customFields"]),
        _ => None,
    }
}

#[cfg(feature = "mapping")]
fn list_mut<'a>(
    name: &str,
    params: &'a mut Value,
) -> Option<(&'static [&'static str], &'a mut Vec<Value>)> {
    let path = list_path(name)?;
    let mut here = params;
    for key in path {
        here = here.get_mut(*key)?;
    }
    Some((path, here.as_array_mut()?))
}

/// Whether one entry names its field by key (and not by id).
fn by_key(entry: &Value) -> Option<&str> {
    match (entry.get("key").and_then(Value::as_str), entry.get("id")) {
        (Some(key), None | Some(Value::Null)) => Some(key),
        _ => None,
    }
}

/// The keys `params` of entry `name` write by, in order.
pub(crate) fn keys_in(name: &str, params: &Value) -> Vec<String> {
    let Some(path) = list_path(name) else {
        return Vec::new();
    };
    let list = path
        .iter()
        .try_fold(params, |v, k| v.get(*k))
        .and_then(Value::as_array);
    list.into_iter()
        .flatten()
        .filter_map(by_key)
        .map(str::to_owned)
        .collect()
}

/// The sans-IO build's refusal of keys: InvalidArgument naming the first.
pub(crate) fn refuse_keys(name: &str, params: &Value) -> Result<()> {
    match keys_in(name, params).first() {
        None => Ok(()),
        Some(key) => Err(Error::invalid_argument(format!(
            "{name}: custom field {key:?} is given by key, which needs the location's definitions: call through a client (the driver resolves keys), or pass the field's id"
        ))),
    }
}

/// Replaces each by-key entry with `{id, fieldValue}`, its value checked
/// against the field's type and options.
///
/// Errors: `Ok(Err(key))` for the first key `defs` lacks (the caller may
/// fetch them again once); InvalidArgument naming the entry for a value its
/// field does not take.
#[cfg(feature = "mapping")]
pub(crate) fn resolve_keys(
    name: &str,
    params: &mut Value,
    defs: &crate::mapping::CustomFields,
) -> Result<std::result::Result<(), String>> {
    let Some((path, list)) = list_mut(name, params) else {
        return Ok(Ok(()));
    };
    for (i, entry) in list.iter_mut().enumerate() {
        let Some(key) = by_key(entry) else { continue };
        let Some(def) = defs.by_key(key) else {
            return Ok(Err(key.to_owned()));
        };
        let value = ["fieldValue", "field_value", "value"]
            .iter()
            .find_map(|k| entry.get(*k))
            .cloned()
            .unwrap_or(Value::Null);
        let at = format!("{name}: {}[{i}]", path.join("."));
        def.check(&value)
            .map_err(|e| Error::invalid_argument(format!("{at}: {e}")))?;
        *entry = serde_json::json!({"id": def.id, "fieldValue": value});
    }
    Ok(Ok(()))
}
