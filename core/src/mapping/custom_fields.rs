//! A location's contact custom-field definitions, by key and by id, and the
//! check of a value against its field's `dataType` and picklist options.
//!
//! HighLevel answers custom fields by id only (`{id, value}`, never the key:
//! GoHighLevel/highlevel-api-docs#177), and writes take `{id, fieldValue}`
//! (n8n-io/n8n#35392). Keys (`contact.favorite_color`) are what people
//! write; these definitions turn one into the other.

use crate::{Error, Result};
use serde_json::Value;
use std::collections::HashMap;

/// One contact custom field: what a key resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldDefinition {
    /// The id values are written with.
    pub id: String,
    /// The key, `contact.favorite_color`.
    pub key: String,
    /// The display name.
    pub name: String,
    /// `TEXT`, `NUMERICAL`, `SINGLE_OPTIONS`, … as HighLevel names it.
    pub data_type: String,
    /// The options of a picklist field; empty for others.
    pub options: Vec<String>,
}

/// A location's contact custom-field definitions, as
/// `locationCustomFields.list` answers them.
///
/// Immutable once read; `Send + Sync`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomFields {
    fields: Vec<FieldDefinition>,
    by_key: HashMap<String, usize>,
    by_id: HashMap<String, usize>,
}

impl CustomFields {
    /// Reads definitions from `locationCustomFields.list`'s result
    /// (`{"customFields": [...]}`) or from a bare list of them. Opportunity
    /// fields are left out; a definition without an id or a key is skipped.
    ///
    /// Errors with InvalidArgument when `json` is neither.
    pub fn from_json(json: &Value) -> Result<CustomFields> {
        let list = match json {
            Value::Array(list) => list,
            Value::Object(o) => o
                .get("customFields")
                .and_then(Value::as_array)
                .ok_or_else(|| {
                    Error::invalid_argument(
                        "custom-field definitions: expected {\"customFields\": [...]} or a list of definitions",
                    )
                })?,
            _ => {
                return Err(Error::invalid_argument(
                    "custom-field definitions: expected {\"customFields\": [...]} or a list of definitions",
                ));
            }
        };
        let text = |d: &Value, k: &str| d.get(k).and_then(Value::as_str).map(str::to_owned);
        let mut defs = CustomFields::default();
        for d in list {
            if d.get("model")
                .and_then(Value::as_str)
                .is_some_and(|m| m != "contact")
            {
                continue;
            }
            let (Some(id), Some(key)) = (text(d, "id"), text(d, "fieldKey")) else {
                continue;
            };
            let options = d
                .get("picklistOptions")
                .and_then(Value::as_array)
                .map(|o| {
                    o.iter()
                        .filter_map(|x| {
                            x.as_str()
                                .or_else(|| x.get("label").and_then(Value::as_str))
                        })
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            defs.insert(FieldDefinition {
                id,
                key,
                name: text(d, "name").unwrap_or_default(),
                data_type: text(d, "dataType").unwrap_or_else(|| "TEXT".into()),
                options,
            });
        }
        Ok(defs)
    }

    fn insert(&mut self, def: FieldDefinition) {
        let at = self.fields.len();
        self.by_key.insert(def.key.clone(), at);
        self.by_id.insert(def.id.clone(), at);
        self.fields.push(def);
    }

    /// The field with key `key`; `contact.` may be left off.
    pub fn by_key(&self, key: &str) -> Option<&FieldDefinition> {
        let at = match self.by_key.get(key) {
            Some(at) => Some(at),
            None if !key.starts_with("contact.") => self.by_key.get(&format!("contact.{key}")),
            None => None,
        };
        at.map(|&i| &self.fields[i])
    }

    /// The field with id `id`.
    pub fn by_id(&self, id: &str) -> Option<&FieldDefinition> {
        self.by_id.get(id).map(|&i| &self.fields[i])
    }

    /// Every key, in the definitions' order (for an unknown key's error).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.key.as_str())
    }

    /// How many definitions there are.
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The error of a key the location does not define, naming the ones it does.
    pub(crate) fn unknown_key(&self, key: &str) -> String {
        let mut known: Vec<&str> = self.keys().take(12).collect();
        if self.len() > known.len() {
            known.push("…");
        }
        if known.is_empty() {
            format!(
                "unknown custom field key {key:?} (the location defines no contact custom fields)"
            )
        } else {
            format!(
                "unknown custom field key {key:?} (the location has {})",
                known.join(", ")
            )
        }
    }
}

impl FieldDefinition {
    /// Checks `value` against the field's data type and options, as
    /// HighLevel stores them: text for text, phone, email, large text,
    /// single options and radio; a number for numerical and monetary; a
    /// list of text for checkbox, multiple options and text-box lists;
    /// a date as `YYYY-MM-DD`, RFC 3339 or Unix ms; an object for files and
    /// signatures. A picklist value must be one of its options.
    ///
    /// Errors with what is wrong, e.g. `contact.size (SINGLE_OPTIONS) must be
    /// one of S, M, L, not "XL"`.
    pub fn check(&self, value: &Value) -> std::result::Result<(), String> {
        let what = || format!("{} ({})", self.key, self.data_type);
        let one_of = |v: &str| -> std::result::Result<(), String> {
            if self.options.is_empty() || self.options.iter().any(|o| o == v) {
                Ok(())
            } else {
                Err(format!(
                    "{} must be one of {}, not {v:?}",
                    what(),
                    self.options.join(", ")
                ))
            }
        };
        match self.data_type.as_str() {
            "NUMERICAL" | "MONETORY" | "FLOAT" => match value {
                Value::Number(_) => Ok(()),
                other => Err(format!("{} takes a number, not {}", what(), kind(other))),
            },
            "SINGLE_OPTIONS" | "RADIO" => match value {
                Value::String(s) => one_of(s),
                other => Err(format!(
                    "{} takes one option as text, not {}",
                    what(),
                    kind(other)
                )),
            },
            "CHECKBOX" | "MULTIPLE_OPTIONS" | "TEXTBOX_LIST" => match value {
                Value::Array(items) => {
                    for item in items {
                        match item {
                            Value::String(s) if self.data_type != "TEXTBOX_LIST" => one_of(s)?,
                            Value::String(_) => {}
                            other => {
                                return Err(format!(
                                    "{} takes a list of text, and holds {}",
                                    what(),
                                    kind(other)
                                ));
                            }
                        }
                    }
                    Ok(())
                }
                other => Err(format!(
                    "{} takes a list of text, not {}",
                    what(),
                    kind(other)
                )),
            },
            "DATE" => match value {
                Value::Number(_) => Ok(()),
                Value::String(s)
                    if crate::time::parse_rfc3339_ms(s).is_some() || is_plain_date(s) =>
                {
                    Ok(())
                }
                other => Err(format!(
                    "{} takes a date (YYYY-MM-DD, RFC 3339 or Unix ms), not {}",
                    what(),
                    kind(other)
                )),
            },
            "FILE_UPLOAD" | "SIGNATURE" => match value {
                Value::Object(_) => Ok(()),
                other => Err(format!("{} takes a file map, not {}", what(), kind(other))),
            },
            // TEXT, LARGE_TEXT, PHONE, EMAIL and types HighLevel adds later: text.
            _ => match value {
                Value::String(_) => Ok(()),
                other => Err(format!("{} takes text, not {}", what(), kind(other))),
            },
        }
    }
}

fn is_plain_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// A value's JSON kind, for errors: `text "abc"`, `a number`, `a list`.
pub(crate) fn kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("{b}"),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) if s.chars().count() <= 40 => format!("text {s:?}"),
        Value::String(_) => "text".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}
