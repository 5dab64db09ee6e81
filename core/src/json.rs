//! Reads the JSON the shells hand in (settings, credentials, options) into
//! Rust values by hand, naming the path of a bad field in every error
//! (`config.retry.maxAttempts: invalid type: string "x", expected an
//! unsigned integer`).
//!
//! Hand-written rather than serde-derived on purpose: serde's visitors for
//! these few types were the last typed decoders in the npm package, and they
//! linked float formatting (for "invalid type: floating point `1.5`") and
//! serde's buffering of internally tagged enums into the wasm. The types'
//! `Deserialize` impls go through [`FromJson`] too, so each type has one
//! decoder.

use crate::{Error, ErrorCode, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A type read from JSON by hand.
pub trait FromJson: Sized {
    /// Reads `value`, found at `path` (for errors).
    ///
    /// Errors with [`ErrorCode::InvalidArgument`], naming `path`.
    fn from_json(path: &str, value: &Value) -> Result<Self>;
}

/// An [`ErrorCode::InvalidArgument`] error.
pub(crate) fn invalid(message: String) -> Error {
    Error::new(ErrorCode::InvalidArgument, message)
}

/// The error for `value` at `path` not being what was `expected`.
pub(crate) fn invalid_type(path: &str, value: &Value, expected: &str) -> Error {
    invalid(format!(
        "{path}: invalid type: {}, expected {expected}",
        crate::schema::found(value)
    ))
}

impl FromJson for String {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        match value {
            Value::String(s) => Ok(s.clone()),
            other => Err(invalid_type(path, other, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        value
            .as_bool()
            .ok_or_else(|| invalid_type(path, value, "a boolean"))
    }
}

impl FromJson for u64 {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        value
            .as_u64()
            .ok_or_else(|| invalid_type(path, value, "an unsigned integer"))
    }
}

impl FromJson for u32 {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        let n = u64::from_json(path, value)?;
        u32::try_from(n).map_err(|_| invalid(format!("{path}: {n} is above {}", u32::MAX)))
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        let Value::Array(items) = value else {
            return Err(invalid_type(path, value, "an array"));
        };
        items
            .iter()
            .enumerate()
            .map(|(i, item)| T::from_json(&format!("{path}[{i}]"), item))
            .collect()
    }
}

impl FromJson for BTreeMap<String, String> {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        let Value::Object(map) = value else {
            return Err(invalid_type(path, value, "an object of strings"));
        };
        // Inserted one by one: collecting into a map sorts first, and that
        // stable sort cost the npm package's main module about 1 KB gzipped
        // per element type (measured 2026-12-03).
        let mut out = BTreeMap::new();
        for (k, v) in map {
            out.insert(k.clone(), String::from_json(&format!("{path}.{k}"), v)?);
        }
        Ok(out)
    }
}

/// Implements serde's `Deserialize` for types that implement [`FromJson`]:
/// through a `Value`, naming the type in errors, so a type has one decoder.
macro_rules! deserialize_from_json {
    ($($t:ty),*) => {$(
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(d)?;
                <$t as $crate::json::FromJson>::from_json(stringify!($t), &value)
                    .map_err(|e| serde::de::Error::custom(e.message()))
            }
        }
    )*};
}
pub(crate) use deserialize_from_json;

/// One JSON object, read field by field: every error names the field's path
/// (`config.retry.maxAttempts: …`), and [`Fields::finish`] refuses a field
/// nobody read, so a typo is never dropped silently.
pub struct Fields<'a> {
    path: &'a str,
    map: &'a Map<String, Value>,
    read: Vec<&'static str>,
}

impl<'a> Fields<'a> {
    /// The fields of `value`, which must be an object; `path` names it.
    pub fn of(path: &'a str, value: &'a Value) -> Result<Fields<'a>> {
        match value {
            Value::Object(map) => Ok(Fields {
                path,
                map,
                read: Vec::new(),
            }),
            _ => Err(invalid(format!("{path}: expected an object"))),
        }
    }

    /// The field `name`, if present and not `null`.
    pub fn value(&mut self, name: &'static str) -> Option<&'a Value> {
        self.read.push(name);
        self.map.get(name).filter(|v| !v.is_null())
    }

    /// The path of field `name`, for errors.
    pub fn path_of(&self, name: &str) -> String {
        format!("{}.{name}", self.path)
    }

    /// Field `name` read as `T`; `None` when absent or `null`.
    pub fn optional<T: FromJson>(&mut self, name: &'static str) -> Result<Option<T>> {
        match self.value(name) {
            Some(v) => T::from_json(&self.path_of(name), v).map(Some),
            None => Ok(None),
        }
    }

    /// Field `name` read as `T`; absent or `null` is an error.
    pub fn required<T: FromJson>(&mut self, name: &'static str) -> Result<T> {
        self.optional(name)?
            .ok_or_else(|| invalid(format!("{}: missing field `{name}`", self.path)))
    }

    /// The fields nobody read, as they are.
    pub fn rest(self) -> Map<String, Value> {
        // One insert at a time, not `collect` (which sorts): see the map
        // reader above.
        let mut out = Map::new();
        for (k, v) in self.map {
            if !self.read.contains(&k.as_str()) {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }

    /// Refuses the fields nobody read.
    pub fn finish(self) -> Result<()> {
        match self.map.keys().find(|k| !self.read.contains(&k.as_str())) {
            Some(k) => Err(invalid(format!(
                "{}: unknown field `{k}`, expected one of {}",
                self.path,
                self.read.join(", ")
            ))),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_path_and_what_was_found() {
        let e = u64::from_json("a.b", &json!(1.5)).unwrap_err();
        assert_eq!(
            e.message(),
            "a.b: invalid type: number `1.5`, expected an unsigned integer"
        );
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        assert!(
            u32::from_json("n", &json!(1u64 << 32))
                .unwrap_err()
                .to_string()
                .contains("n: 4294967296 is above")
        );
        assert_eq!(u32::from_json("n", &json!(7)).unwrap(), 7);
        let e = Vec::<String>::from_json("keys", &json!(["a", 2])).unwrap_err();
        assert!(e.message().starts_with("keys[1]: invalid type: number `2`"));
        let e = BTreeMap::<String, String>::from_json("v", &json!({"x": true})).unwrap_err();
        assert!(e.message().starts_with("v.x: invalid type: boolean"));
        assert!(bool::from_json("b", &json!("yes")).is_err());

        let v = json!({"a": 1, "b": null, "c": "x"});
        let mut f = Fields::of("o", &v).unwrap();
        assert_eq!(f.optional::<u64>("a").unwrap(), Some(1));
        assert_eq!(f.optional::<u64>("b").unwrap(), None);
        assert!(
            f.required::<u64>("z")
                .unwrap_err()
                .to_string()
                .contains("o: missing field `z`")
        );
        assert!(
            f.finish()
                .unwrap_err()
                .to_string()
                .contains("o: unknown field `c`, expected one of a, b, z")
        );
        assert!(Fields::of("o", &json!([])).is_err());
    }
}
