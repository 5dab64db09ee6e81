//! Checks JSON against the catalog's own JSON Schemas and normalizes it the
//! way the typed models would: the JSON surfaces (the C ABI, the npm
//! package) use this instead of a typed decode and re-encode, so the wasm
//! carries one small interpreter instead of a serde decoder per model.
//!
//! It understands the subset of JSON Schema 2020-12 that `schemars` writes
//! for the models: `$ref` into `$defs`, `type` (one or a list), `const`,
//! `oneOf` / `anyOf` (first match wins, as serde's untagged enums),
//! `properties`, `required`, `additionalProperties`, `items`, `minimum`,
//! the integer `format`s, and the `x-aliases` extension the models add for
//! serde's input-only spellings (`sms` for `SMS`, `succeded`, …).
//!
//! Normalizing means what the typed round trip does: an alias is renamed to
//! its property, a `null` optional property is dropped, an absent property
//! with a `default` gets it, an unknown key is dropped unless the object
//! keeps other fields (`additionalProperties`).
//!
//! A differential test (`tests/conform.rs`) holds this equal to the typed
//! decode over the shared vectors and mutations of them.

pub(crate) mod builtin;
mod read;

pub use read::{conform_event, event_from_record};
pub(crate) use read::{conform_result, conform_result_at, read_params};
#[cfg(feature = "typed")]
pub(crate) use read::{invalid_params, params_object};

use serde_json::{Map, Value};

/// How deep `$ref`s and nesting may go before the value is refused (a
/// recursive schema, such as search filters, must not recurse without end).
const MAX_DEPTH: usize = 64;

/// The end of the error for a value nested deeper than [`MAX_DEPTH`].
const TOO_DEEP: &str = "nested too deeply";

/// Conforms `value` to `schema`, a schema inside `root` (whose `$defs` its
/// `$ref`s name). `at` names the value in errors (e.g. `ContactCreate`).
///
/// Errors with a message that names the path of the first value that does
/// not fit, e.g. `ContactCreate.tags: invalid type: string "vip", expected
/// an array`.
pub(crate) fn conform(
    root: &Value,
    schema: &Value,
    value: Value,
    at: &str,
) -> Result<Value, String> {
    Conformer { root }.value(schema, value, &mut at.to_string(), 0)
}

/// Follows `schema`'s `$ref`s (into `root`'s `$defs`, or the lean catalog's
/// shared ones) to the schema they name. `at` names the place in errors.
pub(crate) fn resolve_ref<'a>(
    root: &'a Value,
    mut schema: &'a Value,
    at: &str,
) -> Result<&'a Value, String> {
    for _ in 0..MAX_DEPTH {
        let Some(reference) = schema.get("$ref").and_then(Value::as_str) else {
            return Ok(schema);
        };
        schema = definition(root, reference, at)?;
    }
    Err(format!("{at}: schema references nest too deeply"))
}

/// The definition `reference` (`#/$defs/Name`) names: in `root`'s `$defs`,
/// or a lean catalog's shared ones.
fn definition<'a>(root: &'a Value, reference: &str, at: &str) -> Result<&'a Value, String> {
    let name = reference.strip_prefix("#/$defs/").unwrap_or_default();
    // A lean catalog keeps the definitions once, for every schema.
    root.get("$defs")
        .and_then(|defs| defs.get(name))
        .or_else(|| builtin::shared_defs()?.get(name))
        .ok_or_else(|| format!("{at}: schema reference {reference} is not defined"))
}

/// The keywords [`Conformer::value`] reads, found in one pass over the
/// schema's few entries: five lookups per value cost a quarter of a
/// contact's conforming.
#[derive(Default)]
struct Keywords<'a> {
    reference: Option<&'a str>,
    constant: Option<&'a Value>,
    one_of: Option<&'a [Value]>,
    any_of: Option<&'a [Value]>,
    types: Option<&'a Value>,
    items: Option<&'a Value>,
}

impl<'a> Keywords<'a> {
    fn of(schema: &'a Value) -> Keywords<'a> {
        let mut k = Keywords::default();
        for (name, v) in schema.as_object().into_iter().flatten() {
            match name.as_str() {
                "$ref" => k.reference = v.as_str(),
                "const" => k.constant = Some(v),
                "oneOf" => k.one_of = v.as_array().map(Vec::as_slice),
                "anyOf" => k.any_of = v.as_array().map(Vec::as_slice),
                "type" => k.types = Some(v),
                "items" => k.items = Some(v),
                _ => {}
            }
        }
        k
    }
}

/// One step down into a value, for the path in errors.
enum Step<'k> {
    Key(&'k str),
    Index(usize),
}

struct Conformer<'a> {
    root: &'a Value,
}

impl<'a> Conformer<'a> {
    /// Follows `$ref` to the schema it names, and reads its keywords.
    fn resolved(
        &self,
        mut schema: &'a Value,
        at: &str,
    ) -> Result<(&'a Value, Keywords<'a>), String> {
        for _ in 0..MAX_DEPTH {
            let keywords = Keywords::of(schema);
            let Some(reference) = keywords.reference else {
                return Ok((schema, keywords));
            };
            schema = definition(self.root, reference, at)?;
        }
        Err(format!("{at}: schema references nest too deeply"))
    }

    fn value(
        &self,
        schema: &'a Value,
        value: Value,
        at: &mut String,
        depth: usize,
    ) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(format!("{at}: {TOO_DEEP}"));
        }
        let (schema, keywords) = self.resolved(schema, at)?;
        if let Some(expected) = keywords.constant {
            return if *expected == value {
                Ok(value)
            } else {
                Err(format!("{at}: expected {expected}, got {}", found(&value)))
            };
        }
        if let Some(alternatives) = keywords.one_of.or(keywords.any_of) {
            return self.alternatives(alternatives, value, at, depth);
        }
        // No `type`: any JSON (a `serde_json::Value` field), kept as it is.
        let Some(types) = keywords.types.map(|t| Types(Some(t))) else {
            return Ok(value);
        };
        match value {
            Value::Null if types.allows("null") => Ok(Value::Null),
            Value::Bool(_) if types.allows("boolean") => Ok(value),
            Value::String(_) if types.allows("string") => Ok(value),
            Value::Number(n) if types.allows("integer") && (n.is_i64() || n.is_u64()) => {
                integer_in_range(schema, &n, at)?;
                Ok(Value::Number(n))
            }
            // No model has a float field; a `number` keeps its spelling.
            Value::Number(_) if types.allows("number") => Ok(value),
            Value::Array(items) if types.allows("array") => {
                let item_schema = keywords.items;
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    out.push(match item_schema {
                        Some(s) => self.nested(s, item, at, Step::Index(i), depth)?,
                        None => item,
                    });
                }
                Ok(Value::Array(out))
            }
            Value::Object(map) if types.allows("object") => self.object(schema, map, at, depth),
            other => Err(format!(
                "{at}: invalid type: {}, expected {}",
                found(&other),
                types.describe()
            )),
        }
    }

    fn nested(
        &self,
        schema: &'a Value,
        value: Value,
        at: &mut String,
        step: Step<'_>,
        depth: usize,
    ) -> Result<Value, String> {
        let len = at.len();
        match step {
            Step::Key(key) => {
                at.push('.');
                at.push_str(key);
            }
            Step::Index(i) => {
                use std::fmt::Write;
                let _ = write!(at, "[{i}]");
            }
        }
        let out = self.value(schema, value, at, depth + 1);
        at.truncate(len);
        out
    }

    fn alternatives(
        &self,
        alternatives: &'a [Value],
        value: Value,
        at: &mut String,
        depth: usize,
    ) -> Result<Value, String> {
        // `Option<T>` is `anyOf: [T, {type: null}]`: a value that is not null
        // can only be T, so it is read without a copy per alternative.
        let is_null_only = |a: &Value| a.get("type").and_then(Value::as_str) == Some("null");
        if !value.is_null() {
            let mut rest = alternatives.iter().filter(|a| !is_null_only(a));
            if let (Some(only), None) = (rest.next(), rest.next()) {
                if alternatives.len() == 2 {
                    return self.value(only, value, at, depth + 1);
                }
            }
        }
        let mut first_error = None;
        for alternative in alternatives {
            match self.value(alternative, value.clone(), at, depth + 1) {
                Ok(v) => return Ok(v),
                // Too deep is about the value, not this alternative: no other fits.
                Err(e) if e.ends_with(TOO_DEEP) => return Err(e),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        Err(match (alternatives.len(), first_error) {
            (1, Some(e)) => e,
            _ => format!("{at}: {} matches none of the allowed shapes", found(&value)),
        })
    }

    fn object(
        &self,
        schema: &'a Value,
        map: Map<String, Value>,
        at: &mut String,
        depth: usize,
    ) -> Result<Value, String> {
        let properties = schema.get("properties").and_then(Value::as_object);
        let aliases = schema.get("x-property-aliases");
        let others = schema.get("additionalProperties");
        // Conformed in place: rebuilding every object cost the npm package
        // about 10% of a call's CPU.
        let mut out = map;
        let (mut dropped, mut renamed) = (Vec::new(), Vec::new());
        for (key, value) in out.iter_mut() {
            let Some((name, property)) = properties.and_then(|p| lookup(p, aliases, key)) else {
                match others {
                    Some(Value::Bool(true)) => {}
                    Some(s @ Value::Object(_)) => {
                        *value = self.nested(s, value.take(), at, Step::Key(key), depth)?;
                    }
                    // Unknown fields of a closed model are ignored, as serde does.
                    _ => dropped.push(key.clone()),
                }
                continue;
            };
            let v = self.nested(property, value.take(), at, Step::Key(name), depth)?;
            // An optional property that is null is absent in the typed models;
            // a required one that may be null (a JSON value field) keeps it.
            if v.is_null() && !is_required(schema, name) {
                dropped.push(key.clone());
            } else {
                *value = v;
            }
            if name != key {
                renamed.push((key.clone(), name));
            }
        }
        // Two spellings of one field, as serde refuses them.
        for (i, (_, name)) in renamed.iter().enumerate() {
            if out.contains_key(*name) || renamed[..i].iter().any(|(_, n)| n == name) {
                return Err(format!("{at}: duplicate field `{name}`"));
            }
        }
        for key in dropped {
            out.remove(&key);
        }
        for (from, to) in renamed {
            if let Some(v) = out.remove(&from) {
                out.insert(to.to_string(), v);
            }
        }
        // A property with a default (`#[serde(default)]`) is written even
        // when absent; `x-defaults` indexes them, so an object schema of
        // forty properties costs one lookup here, not forty.
        for (name, default) in schema
            .get("x-defaults")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !out.contains_key(name) {
                out.insert(name.clone(), default.clone());
            }
        }
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(name) = required.as_str() {
                if !out.contains_key(name) {
                    return Err(format!("{at}: missing field `{name}`"));
                }
            }
        }
        Ok(Value::Object(out))
    }
}

fn is_required(schema: &Value, name: &str) -> bool {
    schema
        .get("required")
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|n| n.as_str() == Some(name)))
}

/// The property `key` fills in the object schema `schema`: its own name, or
/// the property the object's `x-property-aliases` index names for it (the
/// catalog writes that index from the properties' `x-aliases`, so an
/// unknown key costs one lookup, not a scan of every property).
pub(crate) fn property_for<'a>(schema: &'a Value, key: &str) -> Option<(&'a str, &'a Value)> {
    let properties = schema.get("properties")?.as_object()?;
    lookup(properties, schema.get("x-property-aliases"), key)
}

/// [`property_for`] with the object schema's keywords already looked up.
fn lookup<'a>(
    properties: &'a Map<String, Value>,
    aliases: Option<&'a Value>,
    key: &str,
) -> Option<(&'a str, &'a Value)> {
    if let Some((name, property)) = properties.get_key_value(key) {
        return Some((name.as_str(), property));
    }
    let name = aliases?.get(key)?.as_str()?;
    properties
        .get_key_value(name)
        .map(|(name, property)| (name.as_str(), property))
}

/// Adds to every object schema in `schema` whose properties have
/// `x-aliases` an `x-property-aliases` index (alias → property), and to
/// every one whose properties have a `default` an `x-defaults` index
/// (property → default).
#[cfg(any(test, feature = "schema"))]
pub(crate) fn index_aliases(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            let index: Map<String, Value> = map
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .flat_map(|(name, property)| {
                    let aliases = property.get("x-aliases").and_then(Value::as_array);
                    aliases
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(move |alias| (alias.to_string(), Value::String(name.clone())))
                })
                .collect();
            if !index.is_empty() {
                map.insert("x-property-aliases".into(), Value::Object(index));
            }
            let defaults: Map<String, Value> = map
                .get("properties")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter_map(|(name, p)| Some((name.clone(), p.get("default")?.clone())))
                .collect();
            if !defaults.is_empty() {
                map.insert("x-defaults".into(), Value::Object(defaults));
            }
            map.values_mut().for_each(index_aliases);
        }
        Value::Array(items) => items.iter_mut().for_each(index_aliases),
        _ => {}
    }
}

/// The `type` keyword: absent (anything), one name, or a list.
struct Types<'a>(Option<&'a Value>);

impl Types<'_> {
    fn allows(&self, name: &str) -> bool {
        match self.0 {
            None => true,
            Some(Value::String(t)) => t == name,
            Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(name)),
            Some(_) => false,
        }
    }

    fn describe(&self) -> String {
        let names: Vec<&str> = match self.0 {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let names: Vec<String> = names
            .iter()
            .map(|n| match *n {
                "array" | "object" | "integer" => format!("an {n}"),
                "null" => "null".to_string(),
                other => format!("a {other}"),
            })
            .collect();
        names.join(" or ")
    }
}

/// Refuses an integer outside its declared `format` or `minimum`, as the
/// typed field (`u32`, `i64`, …) would.
fn integer_in_range(schema: &Value, n: &serde_json::Number, at: &str) -> Result<(), String> {
    let (min, max): (i128, i128) = match schema.get("format").and_then(Value::as_str) {
        Some("uint8") => (0, u8::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("uint32") => (0, u32::MAX.into()),
        Some("uint64") | Some("uint") => (0, u64::MAX.into()),
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("int32") => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN.into(), u64::MAX.into()),
    };
    let min = match schema.get("minimum").and_then(Value::as_i64) {
        Some(m) => min.max(m.into()),
        None => min,
    };
    let v: i128 = match (n.as_i64(), n.as_u64()) {
        (Some(i), _) => i.into(),
        (None, Some(u)) => u.into(),
        _ => return Err(format!("{at}: {n} is not an integer")),
    };
    if v < min || v > max {
        // Printed as i64 and u64, which they fit: formatting an i128 would
        // add about 1.6 KB to the npm module.
        let (min, max) = (min as i64, max as u64);
        return Err(format!("{at}: invalid value: {n}, expected {min} to {max}"));
    }
    Ok(())
}

/// How a value reads in an error: its kind, and short scalars themselves.
/// `value` described for an error: its kind, and short scalars themselves.
pub(crate) fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Number(n) => format!("number `{n}`"),
        Value::String(s) if s.len() <= 40 => format!("string {}", Value::String(s.clone())),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "an array".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The JSON Schema of `T`, as the catalog holds it (aliases indexed).
#[cfg(feature = "schema")]
pub(crate) fn schema_of<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    index_aliases(&mut schema);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(mut schema: Value, value: Value) -> Result<Value, String> {
        index_aliases(&mut schema);
        conform(&schema, &schema, value, "x")
    }

    #[test]
    fn drops_null_optionals_renames_aliases_and_keeps_others_only_when_open() {
        let schema = json!({
            "type": "object",
            "properties": {
                "SMS": {"type": ["string", "null"], "x-aliases": ["sms"]},
                "n": {"type": "number"}
            },
            "required": ["n"]
        });
        let out = check(
            schema.clone(),
            json!({"sms": "on", "n": 5, "other": 1, "gone": null}),
        )
        .unwrap();
        assert_eq!(out, json!({"SMS": "on", "n": 5}));
        let mut open = schema;
        open["additionalProperties"] = json!(true);
        let out = check(open, json!({"SMS": null, "n": 1.5, "other": null})).unwrap();
        assert_eq!(out, json!({"n": 1.5, "other": null}));
    }

    #[test]
    fn refuses_wrong_types_missing_fields_duplicates_and_ranges() {
        let schema = json!({
            "type": "object",
            "properties": {
                "tags": {"type": ["array", "null"], "items": {"type": "string"}},
                "SMS": {"type": "string", "x-aliases": ["sms"]},
                "limit": {"type": "integer", "format": "uint32", "minimum": 0}
            },
            "required": ["SMS"]
        });
        let e = check(schema.clone(), json!({"tags": "vip", "SMS": "a"})).unwrap_err();
        assert_eq!(
            e,
            r#"x.tags: invalid type: string "vip", expected an array or null"#
        );
        let e = check(schema.clone(), json!({"tags": ["a", 1], "SMS": "a"})).unwrap_err();
        assert_eq!(e, "x.tags[1]: invalid type: number `1`, expected a string");
        assert_eq!(
            check(schema.clone(), json!({})).unwrap_err(),
            "x: missing field `SMS`"
        );
        let e = check(schema.clone(), json!({"SMS": "a", "sms": "b"})).unwrap_err();
        assert_eq!(e, "x: duplicate field `SMS`");
        let e = check(schema.clone(), json!({"SMS": "a", "limit": -1})).unwrap_err();
        assert!(e.starts_with("x.limit: invalid value: -1"), "{e}");
        let e = check(schema.clone(), json!({"SMS": "a", "limit": 1.5})).unwrap_err();
        assert!(e.starts_with("x.limit: invalid type: number `1.5`"), "{e}");
        let e = check(schema, json!([1])).unwrap_err();
        assert_eq!(e, "x: invalid type: an array, expected an object");
    }

    #[test]
    fn follows_refs_and_takes_the_first_matching_alternative() {
        let schema = json!({
            "$defs": {
                "Status": {"oneOf": [{"const": "active"}, {"const": "inactive"}]},
                "Node": {"anyOf": [
                    {"type": "object", "properties": {"all": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}, "required": ["all"]},
                    {"$ref": "#/$defs/Status"}
                ]}
            },
            "$ref": "#/$defs/Node"
        });
        let ok = json!({"all": ["active", {"all": ["inactive"]}]});
        assert_eq!(check(schema.clone(), ok.clone()).unwrap(), ok);
        let e = check(schema.clone(), json!({"all": ["on"]})).unwrap_err();
        assert!(e.contains("matches none"), "{e}");
        let e = check(json!({"$ref": "#/$defs/Missing"}), json!(1)).unwrap_err();
        assert_eq!(e, "x: schema reference #/$defs/Missing is not defined");
        // A value nested deeper than the limit is refused, not recursed into.
        let mut deep = json!("active");
        for _ in 0..100 {
            deep = json!({"all": [deep]});
        }
        assert!(check(schema, deep).unwrap_err().contains("too deeply"));
    }
}
