//! Transforms: the fixed set a mapping field's value passes through, in
//! order, and the inverse each declares, which a two-way template's reverse
//! is written from. [`TRANSFORMS`] is the one list; the catalog's
//! `mapping.transforms` and the template schema are written from it.

use super::context::MapContext;
use super::dates::{self, DateFormat};
use super::phone::PhoneError;
use crate::lang::{Scope, Template};
use serde_json::{Map, Value};

/// What a transform's reverse is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InverseKind {
    /// The value passes back unchanged (a normalisation: trim, lower case,
    /// E.164).
    Identity,
    /// Another transform undoes it (split and join a name; swap a date's
    /// formats; invert a value map).
    Exact,
    /// Nothing undoes it (a constant, a template): a two-way template needs
    /// the field's explicit `reverse`, or `"reverse": false`.
    None,
}

/// One transform: its name, its parameters and what undoes it. The
/// catalog's `mapping.transforms` is written from this table.
#[derive(Debug)]
pub struct TransformInfo {
    /// The name, as `"trim"` or `{"fn": "trim"}`.
    pub name: &'static str,
    /// What it does.
    pub summary: &'static str,
    /// Its parameters, each `name: JSON Schema type`.
    pub params: &'static [(&'static str, &'static str)],
    /// The parameters it cannot do without; one with none may be written
    /// as its bare name.
    pub required: &'static [&'static str],
    /// What its reverse is.
    pub inverse: InverseKind,
}

/// Every transform, the whole fixed set.
pub static TRANSFORMS: &[TransformInfo] = &[
    TransformInfo {
        name: "trim",
        summary: prose!(
            "text without leading and trailing white space, inner runs of white space as one space"
        ),
        params: &[],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "lower",
        summary: prose!("text in lower case"),
        params: &[],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "upper",
        summary: prose!("text in upper case"),
        params: &[],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "title",
        summary: prose!("each word with a capital first letter, the rest lower case"),
        params: &[],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "splitName",
        summary: prose!(
            "a full name to [first, last]: the first word and the rest, or \"Last, First\""
        ),
        params: &[],
        required: &[],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "joinName",
        summary: prose!("[first, last] to one full name"),
        params: &[],
        required: &[],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "email",
        summary: prose!("an email address trimmed and in lower case"),
        params: &[],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "date",
        summary: prose!(
            "a date or time from one format to another (rfc3339, unixMs, unixSeconds, date, or a strftime pattern), wall-clock times read and written in zone"
        ),
        params: &[("from", "string"), ("to", "string"), ("zone", "string")],
        required: &["from", "to"],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "map",
        summary: prose!(
            "a value looked up in values (keys are the values as text); default for one not there, or an error when there is no default"
        ),
        params: &[("values", "object"), ("default", "any")],
        required: &["values"],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "constant",
        summary: prose!("always value"),
        params: &[("value", "any")],
        required: &["value"],
        inverse: InverseKind::None,
    },
    TransformInfo {
        name: "template",
        summary: prose!("a template of the condition and template language, over value and record"),
        params: &[("template", "any")],
        required: &["template"],
        inverse: InverseKind::None,
    },
    TransformInfo {
        name: "tags",
        summary: prose!(
            "a list, or text split at separator, to a list of trimmed, distinct, non-empty tags"
        ),
        params: &[("separator", "string")],
        required: &[],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "joinTags",
        summary: prose!("a list of tags to text joined by separator"),
        params: &[("separator", "string")],
        required: &[],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "phone",
        summary: prose!(
            "a phone number to E.164, national numbers read in region (the template's region by default); an invalid number is an error"
        ),
        params: &[("region", "string")],
        required: &[],
        inverse: InverseKind::Identity,
    },
    TransformInfo {
        name: "number",
        summary: prose!("text to a number"),
        params: &[],
        required: &[],
        inverse: InverseKind::Exact,
    },
    TransformInfo {
        name: "text",
        summary: prose!("a number or boolean to text"),
        params: &[],
        required: &[],
        inverse: InverseKind::Exact,
    },
];

/// A loaded transform.
#[derive(Clone, Debug)]
pub(crate) enum Transform {
    Trim,
    Lower,
    Upper,
    Title,
    SplitName,
    JoinName,
    Email,
    Date {
        from: DateFormat,
        to: DateFormat,
        zone: Option<String>,
    },
    Map {
        values: Map<String, Value>,
        default: Option<Value>,
    },
    Constant(Value),
    Template(Box<Template>),
    Tags {
        separator: Option<String>,
    },
    JoinTags {
        separator: String,
    },
    Phone {
        region: String,
    },
    Number,
    Text,
}

/// The template's defaults a transform may fall back on.
pub(crate) struct Defaults<'a> {
    pub(crate) region: Option<&'a str>,
    pub(crate) zone: Option<&'a str>,
}

impl Transform {
    /// Reads one transform: `"trim"` or `{"fn": "date", "from": …}`.
    pub(crate) fn load(
        json: &Value,
        at: &str,
        defaults: &Defaults<'_>,
    ) -> Result<Transform, String> {
        let (name, params) = match json {
            Value::String(name) => (name.as_str(), None),
            Value::Object(o) => match o.get("fn").and_then(Value::as_str) {
                Some(name) => (name, Some(o)),
                None => return Err(format!("{at}: a transform object needs \"fn\", its name")),
            },
            _ => {
                return Err(format!(
                    "{at}: a transform is a name or {{\"fn\": name, …}}"
                ));
            }
        };
        let info = TRANSFORMS.iter().find(|t| t.name == name).ok_or_else(|| {
            format!(
                "{at}: unknown transform {name:?} (there is {})",
                TRANSFORMS
                    .iter()
                    .map(|t| t.name)
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })?;
        if let Some(o) = params {
            for key in o.keys().filter(|k| *k != "fn") {
                if !info.params.iter().any(|(p, _)| p == key) {
                    return Err(format!("{at}.{key}: {name} takes no parameter {key:?}"));
                }
            }
        }
        let text = |key: &str| -> Result<Option<String>, String> {
            match params.and_then(|o| o.get(key)) {
                None => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("{at}.{key}: must be text")),
            }
        };
        let needed = |key: &str| -> Result<&Value, String> {
            params
                .and_then(|o| o.get(key))
                .ok_or_else(|| format!("{at}: {name} needs {key:?}"))
        };
        Ok(match name {
            "trim" => Transform::Trim,
            "lower" => Transform::Lower,
            "upper" => Transform::Upper,
            "title" => Transform::Title,
            "splitName" => Transform::SplitName,
            "joinName" => Transform::JoinName,
            "email" => Transform::Email,
            "date" => {
                let format = |key: &str| -> Result<DateFormat, String> {
                    let name = text(key)?.ok_or_else(|| format!("{at}: date needs {key:?}"))?;
                    DateFormat::parse(&name).map_err(|e| format!("{at}.{key}: {e}"))
                };
                let zone = text("zone")?.or(defaults.zone.map(str::to_owned));
                if let Some(z) = &zone
                    && !crate::time::is_time_zone(z)
                {
                    return Err(format!("{at}.zone: {z:?} is not an IANA time zone"));
                }
                Transform::Date {
                    from: format("from")?,
                    to: format("to")?,
                    zone,
                }
            }
            "map" => {
                let values = needed("values")?
                    .as_object()
                    .ok_or_else(|| format!("{at}.values: must be an object"))?
                    .clone();
                Transform::Map {
                    values,
                    default: params.and_then(|o| o.get("default")).cloned(),
                }
            }
            "constant" => Transform::Constant(needed("value")?.clone()),
            "template" => {
                let scope = Scope::new().with_any("value").with_any("record");
                let t = Template::load_at(needed("template")?, &scope, &format!("{at}.template"))
                    .map_err(|e| e.message().to_owned())?;
                Transform::Template(Box::new(t))
            }
            "tags" => Transform::Tags {
                separator: text("separator")?,
            },
            "joinTags" => Transform::JoinTags {
                separator: text("separator")?.unwrap_or_else(|| ",".into()),
            },
            "phone" => {
                let region = text("region")?
                    .or(defaults.region.map(str::to_owned))
                    .ok_or_else(|| {
                        format!("{at}: phone needs \"region\" (here or the template's)")
                    })?;
                if !(region.len() == 2 && region.bytes().all(|b| b.is_ascii_alphabetic())) {
                    return Err(format!(
                        "{at}.region: {region:?} is not a two-letter region (US, GB, …)"
                    ));
                }
                Transform::Phone { region }
            }
            "number" => Transform::Number,
            "text" => Transform::Text,
            _ => unreachable_name(name, at)?,
        })
    }

    /// Whether this transform makes a value from nothing (a source path
    /// is then optional).
    pub(crate) fn produces(&self) -> bool {
        matches!(self, Transform::Constant(_) | Transform::Template(_))
    }

    /// Whether it reads phone numbers (the npm package then loads its
    /// phone module first).
    pub(crate) fn uses_phone(&self) -> bool {
        matches!(self, Transform::Phone { .. })
    }

    /// What undoes it: `Ok(None)` when the value passes back unchanged,
    /// `Ok(Some(t))` for an exact inverse, `Err(why)` when nothing does.
    pub(crate) fn inverse(&self) -> Result<Option<Transform>, String> {
        Ok(Some(match self {
            Transform::Trim
            | Transform::Lower
            | Transform::Upper
            | Transform::Title
            | Transform::Email
            | Transform::Phone { .. } => return Ok(None),
            Transform::SplitName => Transform::JoinName,
            Transform::JoinName => Transform::SplitName,
            Transform::Date { from, to, zone } => Transform::Date {
                from: to.clone(),
                to: from.clone(),
                zone: zone.clone(),
            },
            Transform::Map { values, .. } => {
                let mut inverted = Map::new();
                for (k, v) in values {
                    let back = scalar_key(v)
                        .ok_or_else(|| format!("map's value for {k:?} is not text, a number or a boolean, so it has no inverse"))?;
                    if inverted
                        .insert(back.clone(), Value::String(k.clone()))
                        .is_some()
                    {
                        return Err(format!(
                            "map gives {back:?} for more than one value, so it has no inverse"
                        ));
                    }
                }
                Transform::Map {
                    values: inverted,
                    default: None,
                }
            }
            Transform::Constant(_) => return Err("constant has no inverse".into()),
            Transform::Template(_) => return Err("template has no inverse".into()),
            Transform::Tags { separator: Some(s) } => Transform::JoinTags {
                separator: s.clone(),
            },
            Transform::Tags { separator: None } => return Ok(None),
            Transform::JoinTags { separator } => Transform::Tags {
                separator: Some(separator.clone()),
            },
            Transform::Number => Transform::Text,
            Transform::Text => Transform::Number,
        }))
    }

    /// Applies it. Null passes through every transform but a constant and a
    /// template. Errors say what is wrong with the value.
    pub(crate) fn apply(
        &self,
        value: &Value,
        record: &Value,
        cx: &MapContext<'_>,
    ) -> Result<Value, String> {
        use super::custom_fields::kind;
        if value.is_null() && !self.produces() {
            return Ok(Value::Null);
        }
        let text = as_text;
        Ok(match self {
            Transform::Trim => Value::String(collapse_whitespace(text(value)?)),
            Transform::Lower => Value::String(text(value)?.to_lowercase()),
            Transform::Upper => Value::String(text(value)?.to_uppercase()),
            Transform::Title => Value::String(title_case(text(value)?)),
            Transform::Email => Value::String(text(value)?.trim().to_lowercase()),
            Transform::SplitName => {
                let (first, last) = split_name(text(value)?);
                Value::Array(vec![opt_text(first), opt_text(last)])
            }
            Transform::JoinName => {
                let parts = value.as_array().ok_or("joinName takes [first, last]")?;
                let words: Vec<&str> = parts
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .collect();
                opt_text(words.join(" "))
            }
            Transform::Date { from, to, zone } => {
                dates::convert(value, from, to, zone.as_deref(), cx.zone_offsets)?
            }
            Transform::Map { values, default } => {
                let key = scalar_key(value).ok_or_else(|| {
                    format!("map takes text, a number or a boolean, not {}", kind(value))
                })?;
                match (values.get(&key), default) {
                    (Some(v), _) => v.clone(),
                    (None, Some(d)) => d.clone(),
                    (None, None) => {
                        let known: Vec<&str> = values.keys().map(String::as_str).collect();
                        return Err(format!("{key:?} is not one of {}", known.join(", ")));
                    }
                }
            }
            Transform::Constant(v) => v.clone(),
            Transform::Template(t) => {
                let data = serde_json::json!({"value": value, "record": record});
                t.render(&data)
            }
            Transform::Tags { separator } => {
                let items: Vec<&str> = match (value, separator) {
                    (Value::Array(list), _) => list.iter().map(text).collect::<Result<_, _>>()?,
                    (Value::String(s), Some(sep)) => s.split(sep.as_str()).collect(),
                    (Value::String(s), None) => vec![s.as_str()],
                    (other, _) => {
                        return Err(format!("tags takes a list or text, not {}", kind(other)));
                    }
                };
                let mut tags: Vec<Value> = Vec::with_capacity(items.len());
                for t in items {
                    let t = t.trim();
                    if !t.is_empty() && !tags.iter().any(|x| x.as_str() == Some(t)) {
                        tags.push(Value::String(t.to_owned()));
                    }
                }
                Value::Array(tags)
            }
            Transform::JoinTags { separator } => {
                let list = value.as_array().ok_or("joinTags takes a list")?;
                let words: Vec<&str> = list.iter().map(text).collect::<Result<_, _>>()?;
                Value::String(words.join(separator))
            }
            Transform::Phone { region } => {
                let phones = cx
                    .phones
                    .ok_or("phone numbers need a phone reader, which this build has not")?;
                let raw = text(value)?;
                match phones.to_e164(raw, region) {
                    Ok(e164) => Value::String(e164),
                    Err(PhoneError::Invalid | PhoneError::Unparseable) => {
                        return Err(format!("not a valid number for region {region}"));
                    }
                    Err(PhoneError::UnknownRegion) => {
                        return Err(format!("{region:?} is not a region libphonenumber knows"));
                    }
                }
            }
            Transform::Number => match value {
                Value::Number(_) => value.clone(),
                Value::String(s) => {
                    let t = s.trim();
                    if t.is_empty() {
                        Value::Null
                    } else if let Ok(i) = t.parse::<i64>() {
                        Value::from(i)
                    } else {
                        t.parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                            .ok_or_else(|| format!("{} is not a number", kind(value)))?
                    }
                }
                other => return Err(format!("expected a number, got {}", kind(other))),
            },
            Transform::Text => match value {
                Value::String(_) => value.clone(),
                Value::Number(n) => Value::String(n.to_string()),
                Value::Bool(b) => Value::String(b.to_string()),
                other => {
                    return Err(format!(
                        "expected a number or a boolean, got {}",
                        kind(other)
                    ));
                }
            },
        })
    }
}

/// A value's text, or what it is instead.
fn as_text(v: &Value) -> Result<&str, String> {
    match v {
        Value::String(s) => Ok(s),
        other => Err(format!(
            "expected text, got {}",
            super::custom_fields::kind(other)
        )),
    }
}

/// `s` without leading or trailing white space and each inner run of it as
/// one space; text already so is copied as it is.
fn collapse_whitespace(s: &str) -> String {
    let tidy = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_whitespace() && w[1].is_ascii_whitespace())
        && !s.chars().any(|c| c.is_whitespace() && c != ' ');
    if tidy {
        return s.to_owned();
    }
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn unreachable_name(name: &str, at: &str) -> Result<Transform, String> {
    Err(format!(
        "{at}: transform {name:?} is in the table but not read"
    ))
}

fn opt_text(s: String) -> Value {
    if s.is_empty() {
        Value::Null
    } else {
        Value::String(s)
    }
}

/// A value map's key for a value: text as itself, numbers and booleans as JSON.
fn scalar_key(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `"Ada Lovelace"` → (Ada, Lovelace); `"Lovelace, Ada"` → (Ada, Lovelace);
/// `"Jean Luc Picard"` → (Jean, Luc Picard); one word is a first name.
fn split_name(full: &str) -> (String, String) {
    let full = collapse_whitespace(full);
    if let Some((last, first)) = full.split_once(',') {
        return (first.trim().to_owned(), last.trim().to_owned());
    }
    match full.split_once(' ') {
        Some((first, last)) => (first.to_owned(), last.to_owned()),
        None => (full, String::new()),
    }
}

fn title_case(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut start = true;
    for c in s.chars() {
        if c.is_alphanumeric() || c == '\'' {
            if start {
                out.extend(c.to_uppercase());
            } else {
                out.extend(c.to_lowercase());
            }
            start = false;
        } else {
            out.push(c);
            start = true;
        }
    }
    out
}
