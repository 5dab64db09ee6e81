//! Custom fields by key, through the driver: in the params of
//! `contacts.create`, `.update`, `.upsert` and `contacts.capture`
//! (`{"key": "contact.shirt_size", "fieldValue": "M"}` beside or instead of
//! `{"id", "fieldValue"}`), each resolved through the location's
//! definitions and its value checked against its field's type before
//! anything is sent; and in results, opt-in (`"renderKeys": true`), a
//! contact's `customFieldsByKey` beside its `customFields`. The sans-IO
//! build, which has no definitions, refuses both and says what to do.

use crate::driver::{Driver, Transport};
use crate::{Error, Result};
use serde_json::Value;

/// The entries whose results hold contacts, which `renderKeys` applies to.
const RENDERS_KEYS: &[&str] = &[
    "contacts.get",
    "contacts.list",
    "contacts.search",
    "contacts.create",
    "contacts.update",
    "contacts.upsert",
    "contacts.listByBusiness",
    "contacts.getWithActivity",
    "contacts.capture",
];

/// Takes `renderKeys` out of `params`: `Ok(true)` when it asked for keys.
///
/// Errors with InvalidArgument when it is not a boolean, or `name`'s
/// result holds no contacts.
fn take_render_keys(name: &str, params: &mut Value) -> Result<bool> {
    let Some(v) = params.as_object_mut().and_then(|o| o.remove("renderKeys")) else {
        return Ok(false);
    };
    match v {
        Value::Bool(on) if !on || RENDERS_KEYS.contains(&name) => Ok(on),
        Value::Bool(_) => Err(Error::invalid_argument(format!(
            "{name}: renderKeys applies to results that hold contacts"
        ))),
        _ => Err(Error::invalid_argument(format!(
            "{name}: renderKeys must be true or false"
        ))),
    }
}

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

/// The sans-IO build's refusal of keys and of `renderKeys`:
/// InvalidArgument naming the first key.
pub(crate) fn refuse_keys(name: &str, params: &Value) -> Result<()> {
    if params.get("renderKeys").is_some() {
        return Err(Error::invalid_argument(format!(
            "{name}: renderKeys needs the location's definitions: call through a client"
        )));
    }
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

impl<T: Transport> Driver<T> {
    /// Custom fields given by key (`{"key": "contact.shirt_size",
    /// "fieldValue": "M"}`) in a contact write's params, turned into ids
    /// through the location's definitions (kept for `customFieldsTtlMs`;
    /// a cold copy costs one request, a key it lacks one more fetch), each
    /// value checked against its field's type first. Without feature
    /// `mapping` (the npm package's main module) keys are refused.
    ///
    /// Returns the params and, when they asked for `renderKeys`, the
    /// location to render by (`Some(None)`: the credentials').
    pub(crate) async fn custom_field_keys(
        &self,
        name: &str,
        mut params: Value,
    ) -> Result<(Value, Option<Option<String>>)> {
        let render = take_render_keys(name, &mut params)?;
        let location = params
            .get("locationId")
            .or_else(|| params.get("contact").and_then(|c| c.get("locationId")))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let render = render.then(|| location.clone());
        if keys_in(name, &params).is_empty() {
            return Ok((params, render));
        }
        #[cfg(feature = "mapping")]
        {
            let defs = self.custom_fields(location.as_deref(), false).await?;
            if let Err(_unknown) = resolve_keys(name, &mut params, &defs)? {
                let defs = self.custom_fields(location.as_deref(), true).await?;
                if let Err(key) = resolve_keys(name, &mut params, &defs)? {
                    return Err(Error::invalid_argument(format!(
                        "{name}: {}",
                        defs.unknown_key(&key)
                    )));
                }
            }
            Ok((params, render))
        }
        #[cfg(not(feature = "mapping"))]
        {
            let _ = (&mut params, render);
            Err(Error::invalid_argument(format!(
                "{name}: custom fields by key need the location's definitions, which the runtime resolves: use libcontacts/runtime (or await loadRuntime()), or pass the field's id"
            )))
        }
    }

    /// Adds `customFieldsByKey` (`{key: value}`) beside each contact's
    /// `customFields` in `result`, through `location`'s definitions.
    /// Without feature `mapping`, refused as keys are.
    pub(crate) async fn render_custom_field_keys(
        &self,
        location: Option<&str>,
        result: &mut Value,
    ) -> Result<()> {
        #[cfg(feature = "mapping")]
        {
            let defs = self.custom_fields(location, false).await?;
            let contacts: Vec<&mut Value> = match result {
                Value::Object(o) => {
                    let mut found = Vec::new();
                    for (k, v) in o.iter_mut() {
                        match (k.as_str(), v) {
                            ("contact", c @ Value::Object(_)) => found.push(c),
                            ("contacts", Value::Array(list)) => found.extend(list.iter_mut()),
                            _ => {}
                        }
                    }
                    found
                }
                _ => Vec::new(),
            };
            for contact in contacts {
                let mut by_key = serde_json::Map::new();
                for f in contact
                    .get("customFields")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let def = f
                        .get("id")
                        .and_then(Value::as_str)
                        .and_then(|id| defs.by_id(id));
                    if let (Some(def), Some(value)) = (def, f.get("value")) {
                        by_key.insert(def.key.clone(), value.clone());
                    }
                }
                contact["customFieldsByKey"] = Value::Object(by_key);
            }
            Ok(())
        }
        #[cfg(not(feature = "mapping"))]
        {
            let _ = (location, result);
            Err(Error::invalid_argument(
                "renderKeys needs the location's definitions, which the runtime resolves: use libcontacts/runtime (or await loadRuntime())",
            ))
        }
    }
}
