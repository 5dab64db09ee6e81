//! The one schema route for JSON: params, results and webhook payloads read
//! against the built-in catalog's schemas, so every JSON surface reads them
//! the same way and no typed decoder per model is compiled in for it.

use super::builtin::{action_schemas, trigger_schema};
use crate::{Error, Result};
use serde_json::{Map, Value};

/// JSON `params` of action `name` (an operation or a composite) read by its
/// params schema: of the schema's types (aliases renamed, nulls dropped,
/// defaults filled) and with no unknown parameter. `null` means `{}`.
pub(crate) fn read_params(name: &str, params: &Value) -> Result<Map<String, Value>> {
    let given = params_object(name, params)?;
    let schema = action_schemas(name).map(|(p, _)| p).ok_or_else(|| {
        Error::protocol(format!("{name}: the built-in catalog has no params schema"))
    })?;
    for (key, value) in given.as_object().into_iter().flatten() {
        if !value.is_null() && super::property_for(schema, key).is_none() {
            return Err(Error::invalid_argument(format!(
                "{name}: unknown parameter {key:?}"
            )));
        }
    }
    let read = super::conform(schema, schema, given.clone(), "params")
        .map_err(|e| invalid_params(name, &e))?;
    let Value::Object(read) = read else {
        return Err(Error::invalid_argument(format!(
            "{name}: params must be a JSON object"
        )));
    };
    Ok(read)
}

/// A webhook payload (already verified) as the JSON surfaces hand it on:
/// checked against its trigger's schema and normalized as the typed
/// [`crate::webhooks::WebhookEvent`] would write it, with `type`. A payload
/// of an unmodelled type is kept whole; one that is not an object is kept
/// as `{}` (it has no type).
///
/// Errors with [`crate::ErrorCode::Decode`] when a field has the wrong type.
pub fn conform_event(mut value: Value) -> Result<Value> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(schema) = trigger_schema(&kind) else {
        return Ok(match value {
            Value::Object(_) => value,
            _ => Value::Object(Default::default()),
        });
    };
    if let Some(m) = value.as_object_mut() {
        m.remove("type");
    }
    let mut out = super::conform(schema, schema, value, &kind)
        .map_err(|e| Error::protocol(format!("webhook payload: {e}")))?;
    if let Some(m) = out.as_object_mut() {
        m.insert("type".into(), Value::String(kind));
    }
    Ok(out)
}

/// `record` (an API record as JSON: a contact, a task, a note) as an event
/// of trigger `kind` (a polled one): the fields its payload schema declares,
/// conformed to that schema, with `type`. The schema route, so no typed
/// decoder per payload model reaches the wasm.
///
/// Errors: InvalidArgument for a kind without a schema; Decode when a
/// declared field has the wrong type.
pub fn event_from_record(kind: &str, record: &Value) -> Result<Value> {
    let schema = trigger_schema(kind)
        .ok_or_else(|| Error::invalid_argument(format!("no trigger {kind}")))?;
    let declared = schema.get("properties").and_then(Value::as_object);
    let mut picked = serde_json::Map::new();
    if let (Some(declared), Some(fields)) = (declared, record.as_object()) {
        for (name, value) in fields {
            if declared.contains_key(name) && !value.is_null() {
                picked.insert(name.clone(), value.clone());
            }
        }
    }
    picked.insert("type".into(), Value::String(kind.to_owned()));
    conform_event(Value::Object(picked))
}

/// A 2xx response body (already JSON) as operation `name`'s result: checked
/// against the action's `result` schema and normalized as the typed output
/// would write it ([`super::conform`]). The JSON surfaces use this, so no
/// typed decoder per result model is needed.
///
/// Errors: the message of the first field that does not fit, for the
/// caller to wrap as a [`crate::ErrorCode::Decode`] error with the raw body.
pub(crate) fn conform_result(name: &str, body: Value) -> std::result::Result<Value, String> {
    conform_result_at(name, body, "result")
}

/// [`conform_result`], naming the value `at` in errors (a hand reader's
/// path, for a model read by hand after the schema renamed its aliases).
pub(crate) fn conform_result_at(
    name: &str,
    body: Value,
    at: &str,
) -> std::result::Result<Value, String> {
    let (_, schema) = action_schemas(name)
        .ok_or_else(|| format!("{name}: the built-in catalog has no result schema"))?;
    super::conform(schema, schema, body, at)
}

static EMPTY_PARAMS: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| Value::Object(Default::default()));

/// `params` as an object; `null` means `{}`.
pub(crate) fn params_object<'a>(name: &str, params: &'a Value) -> Result<&'a Value> {
    match params {
        Value::Null => Ok(&EMPTY_PARAMS),
        Value::Object(_) => Ok(params),
        _ => Err(Error::invalid_argument(format!(
            "{name}: params must be a JSON object"
        ))),
    }
}

#[cold]
pub(crate) fn invalid_params(name: &str, e: &dyn std::fmt::Display) -> Error {
    Error::invalid_argument(format!("{name}: {e}"))
}
