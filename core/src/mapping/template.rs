//! Loading a mapping template: its JSON read and checked whole, so a bad
//! template is refused before any record, with InvalidArgument naming the
//! JSON path (`$.fields[2].transforms[0]: unknown transform "trimm" …`).

use super::rules::{FieldRule, RecordRule, Rule};
use super::transform::{Defaults, Transform};
use crate::lang::{DataPath, Scope};
use crate::{Error, Result};
use serde_json::{Map, Value};

/// The most fields a template may map.
pub const MAX_FIELDS: usize = 500;

/// What a template writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    /// A contact: `contacts.upsert`'s params (and `contacts.create`'s).
    Contact,
    /// A task: `tasks.create`'s.
    Task,
    /// A note: `notes.create`'s.
    Note,
}

impl TargetKind {
    /// Every kind, as templates name them.
    pub const ALL: [TargetKind; 3] = [TargetKind::Contact, TargetKind::Task, TargetKind::Note];

    /// The name in a template's `target`.
    pub fn name(self) -> &'static str {
        match self {
            TargetKind::Contact => "contact",
            TargetKind::Task => "task",
            TargetKind::Note => "note",
        }
    }

    /// The catalog action whose params a template's targets are checked against.
    pub fn action(self) -> &'static str {
        match self {
            TargetKind::Contact => "contacts.upsert",
            TargetKind::Task => "tasks.create",
            TargetKind::Note => "notes.create",
        }
    }
}

/// Where a field's value goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// One path, or several filled from a list (`["firstName", "lastName"]`).
    Paths { paths: Vec<DataPath>, list: bool },
    /// A contact custom field by key, written as `customFields[{id, fieldValue}]`.
    CustomField(String),
}

/// A field's way back, from a HighLevel record to a host record.
#[derive(Clone, Debug)]
pub(crate) enum Reverse {
    /// `"reverse": false`: the field is not written back.
    Skip,
    /// Read `from` in the HighLevel record (a target), pass `transforms`, write `to` in the host record.
    Map {
        from: Target,
        to: Vec<DataPath>,
        to_list: bool,
        transforms: Vec<Transform>,
    },
}

/// One field of a template.
#[derive(Clone, Debug)]
pub(crate) struct FieldMap {
    /// Its JSON path in the template, `$.fields[3]`.
    pub(crate) at: String,
    /// The host record's path(s); empty for a field made from nothing.
    pub(crate) from: Vec<DataPath>,
    /// Whether `from` was a list (the value is then the list of values).
    pub(crate) from_list: bool,
    pub(crate) to: Target,
    pub(crate) required: bool,
    pub(crate) default: Option<Value>,
    pub(crate) transforms: Vec<Transform>,
    pub(crate) rules: Vec<FieldRule>,
    /// `None` for a one-way template.
    pub(crate) reverse: Option<Reverse>,
    /// A digest of the field's JSON and the template's region and time
    /// zone: what a sync compares to notice a field added, removed or
    /// re-mapped, whose values it then baselines again.
    pub(crate) fingerprint: String,
}

/// A loaded mapping template: turns host records into HighLevel contacts,
/// tasks or notes, and (for `"direction": "both"`) back.
///
/// Load it once with [`MappingTemplate::load`]; map with
/// [`super::Mapper`]. Immutable; `Send + Sync`.
#[derive(Clone, Debug)]
pub struct MappingTemplate {
    pub(crate) name: String,
    pub(crate) target: TargetKind,
    pub(crate) collection: String,
    pub(crate) two_way: bool,
    pub(crate) fields: Vec<FieldMap>,
    pub(crate) record_rules: Vec<RecordRule>,
    pub(crate) fingerprint: String,
}

const TEMPLATE_KEYS: &[&str] = &[
    "$schema",
    "name",
    "target",
    "collection",
    "direction",
    "region",
    "timeZone",
    "fields",
    "rules",
];
const FIELD_KEYS: &[&str] = &[
    "from",
    "to",
    "customField",
    "required",
    "default",
    "transforms",
    "rules",
    "reverse",
];
const REVERSE_KEYS: &[&str] = &["from", "to", "customField", "transforms"];

impl MappingTemplate {
    /// Reads and checks a template (its JSON Schema is the catalog's
    /// `mapping.template`).
    ///
    /// Errors with InvalidArgument naming the JSON path of the first thing
    /// wrong: a member the schema does not have, an unknown transform or
    /// rule, a target the target kind does not have, an expression that
    /// refers to nothing, a missing reverse in a two-way template.
    pub fn load(json: &Value) -> Result<MappingTemplate> {
        load(json).map_err(Error::invalid_argument)
    }

    /// Reads a template from JSON text. Errors as [`MappingTemplate::load`],
    /// or with InvalidArgument when the text is not JSON.
    pub fn load_text(text: &str) -> Result<MappingTemplate> {
        let json: Value = serde_json::from_str(text).map_err(|e| {
            Error::invalid_argument(format!("the mapping template is not JSON: {e}"))
        })?;
        MappingTemplate::load(&json)
    }

    /// The template's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What it writes.
    pub fn target(&self) -> TargetKind {
        self.target
    }

    /// Whether it maps back (`"direction": "both"`).
    pub fn is_two_way(&self) -> bool {
        self.two_way
    }

    /// The custom-field keys it writes (and reads back), in field order.
    pub fn custom_field_keys(&self) -> Vec<&str> {
        self.fields
            .iter()
            .filter_map(|f| match &f.to {
                Target::CustomField(k) => Some(k.as_str()),
                Target::Paths { .. } => None,
            })
            .collect()
    }

    /// Whether any transform or rule reads phone numbers (the npm package
    /// loads its phone module first).
    pub fn uses_phone(&self) -> bool {
        self.fields.iter().any(|f| {
            f.transforms.iter().any(Transform::uses_phone)
                || f.rules.iter().any(|r| matches!(r, FieldRule::Phone(_)))
        })
    }

    /// A hash of the template's JSON, its keys in order: two templates with
    /// the same fingerprint map alike. Sync keeps it to notice a change.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }
}

fn check_keys(
    o: &Map<String, Value>,
    allowed: &[&str],
    at: &str,
) -> std::result::Result<(), String> {
    for key in o.keys() {
        if !allowed.contains(&key.as_str()) {
            return Err(format!(
                "{at}.{key}: not a member here (there is {})",
                allowed.join(", ")
            ));
        }
    }
    Ok(())
}

fn text_member<'a>(
    o: &'a Map<String, Value>,
    key: &str,
    at: &str,
) -> std::result::Result<Option<&'a str>, String> {
    match o.get(key) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("{at}.{key}: must be text")),
    }
}

/// Paths from `"a"` or `["a", "b"]`; `check` judges each.
fn paths(
    v: &Value,
    at: &str,
    check: &dyn Fn(&DataPath, &str) -> std::result::Result<(), String>,
) -> std::result::Result<(Vec<DataPath>, bool), String> {
    let one = |p: &Value, at: &str| -> std::result::Result<DataPath, String> {
        let text = p.as_str().ok_or_else(|| format!("{at}: a path is text"))?;
        let path = DataPath::parse(text).map_err(|e| format!("{at}: {e}"))?;
        check(&path, at)?;
        Ok(path)
    };
    match v {
        Value::Array(list) if list.is_empty() => Err(format!("{at}: an empty list of paths")),
        Value::Array(list) => Ok((
            list.iter()
                .enumerate()
                .map(|(i, p)| one(p, &format!("{at}[{i}]")))
                .collect::<std::result::Result<_, _>>()?,
            true,
        )),
        other => Ok((vec![one(other, at)?], false)),
    }
}

fn load(json: &Value) -> std::result::Result<MappingTemplate, String> {
    let o = json
        .as_object()
        .ok_or("$: a mapping template is a JSON object")?;
    check_keys(o, TEMPLATE_KEYS, "$")?;
    let name = text_member(o, "name", "$")?.unwrap_or("mapping").to_owned();
    let target = match text_member(o, "target", "$")? {
        None => return Err("$.target: required (contact, task or note)".into()),
        Some(t) => TargetKind::ALL
            .into_iter()
            .find(|k| k.name() == t)
            .ok_or_else(|| format!("$.target: {t:?} is not contact, task or note"))?,
    };
    let collection = text_member(o, "collection", "$")?
        .unwrap_or("records")
        .to_owned();
    let two_way = match text_member(o, "direction", "$")? {
        None | Some("forward") => false,
        Some("both") => true,
        Some(d) => return Err(format!("$.direction: {d:?} is not forward or both")),
    };
    let region = text_member(o, "region", "$")?;
    if let Some(r) = region
        && !(r.len() == 2 && r.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        return Err(format!(
            "$.region: {r:?} is not a two-letter region (US, GB, …)"
        ));
    }
    let zone = text_member(o, "timeZone", "$")?;
    if let Some(z) = zone
        && !crate::time::is_time_zone(z)
    {
        return Err(format!("$.timeZone: {z:?} is not an IANA time zone"));
    }
    let defaults = Defaults { region, zone };
    let target_scope = Scope::new()
        .with_params("target", target.action())
        .map_err(|e| e.message().to_owned())?;
    let check_target = |path: &DataPath, at: &str| -> std::result::Result<(), String> {
        let full = DataPath::parse(&format!("target.{}", path.text()))
            .map_err(|e| format!("{at}: {e}"))?;
        target_scope
            .check(&full)
            .map_err(|e| format!("{at}: {} has no {:?}: {e}", target.action(), path.text()))
    };
    let free = |_: &DataPath, _: &str| Ok(());

    let list = match o.get("fields") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("$.fields: must be a list".into()),
        None => return Err("$.fields: required".into()),
    };
    if list.len() > MAX_FIELDS {
        return Err(format!(
            "$.fields: {} fields, over the cap of {MAX_FIELDS}",
            list.len()
        ));
    }
    let mut fields = Vec::with_capacity(list.len());
    for (i, f) in list.iter().enumerate() {
        let at = format!("$.fields[{i}]");
        let fo = f
            .as_object()
            .ok_or_else(|| format!("{at}: a field is an object"))?;
        check_keys(fo, FIELD_KEYS, &at)?;
        let transforms =
            transforms_of(fo.get("transforms"), &format!("{at}.transforms"), &defaults)?;
        let (from, from_list) = match fo.get("from") {
            Some(v) => paths(v, &format!("{at}.from"), &free)?,
            None if transforms.first().is_some_and(Transform::produces) => (Vec::new(), false),
            None => {
                return Err(format!(
                    "{at}.from: required unless the first transform is constant or template"
                ));
            }
        };
        let to = target_of(fo, &at, target, &check_target)?;
        let required = match fo.get("required") {
            None => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(format!("{at}.required: must be true or false")),
        };
        let mut rules = Vec::new();
        if let Some(list) = fo.get("rules") {
            let list = list
                .as_array()
                .ok_or_else(|| format!("{at}.rules: must be a list"))?;
            for (j, r) in list.iter().enumerate() {
                match Rule::load(r, &format!("{at}.rules[{j}]"), region)? {
                    Rule::Field(rule) => rules.push(rule),
                    Rule::Record(_) => {
                        return Err(format!(
                            "{at}.rules[{j}]: a record rule belongs in the template's rules"
                        ));
                    }
                }
            }
        }
        // A reverse is read even when unused, so a typo does not wait for the day it is needed.
        let reverse = if two_way || fo.contains_key("reverse") {
            let r = reverse_of(
                fo,
                &at,
                &from,
                from_list,
                &to,
                &transforms,
                &defaults,
                target,
                &check_target,
            )?;
            two_way.then_some(r)
        } else {
            None
        };
        fields.push(FieldMap {
            at,
            from,
            from_list,
            to,
            required,
            default: fo.get("default").cloned(),
            transforms,
            rules,
            reverse,
            fingerprint: fingerprint(&serde_json::json!([f, region, zone])),
        });
    }
    let mut record_rules = Vec::new();
    if let Some(list) = o.get("rules") {
        let list = list.as_array().ok_or("$.rules: must be a list")?;
        for (j, r) in list.iter().enumerate() {
            let at = format!("$.rules[{j}]");
            match Rule::load(r, &at, region)? {
                Rule::Record(RecordRule::AnyPresent { names, paths }) => {
                    for (k, path) in paths.iter().enumerate() {
                        check_target(path, &format!("{at}.paths[{k}]"))?;
                    }
                    record_rules.push(RecordRule::AnyPresent { names, paths });
                }
                Rule::Record(rule) => record_rules.push(rule),
                Rule::Field(_) => {
                    return Err(format!("{at}: a field rule belongs in a field's rules"));
                }
            }
        }
    }
    Ok(MappingTemplate {
        name,
        target,
        collection,
        two_way,
        fields,
        record_rules,
        fingerprint: fingerprint(json),
    })
}

fn transforms_of(
    v: Option<&Value>,
    at: &str,
    defaults: &Defaults<'_>,
) -> std::result::Result<Vec<Transform>, String> {
    match v {
        None => Ok(Vec::new()),
        Some(Value::Array(list)) => list
            .iter()
            .enumerate()
            .map(|(i, t)| Transform::load(t, &format!("{at}[{i}]"), defaults))
            .collect(),
        Some(_) => Err(format!("{at}: must be a list")),
    }
}

fn target_of(
    o: &Map<String, Value>,
    at: &str,
    target: TargetKind,
    check_target: &dyn Fn(&DataPath, &str) -> std::result::Result<(), String>,
) -> std::result::Result<Target, String> {
    match (o.get("to"), o.get("customField")) {
        (Some(_), Some(_)) => Err(format!(
            "{at}: a field has \"to\" or \"customField\", not both"
        )),
        (Some(v), None) => {
            let (paths, list) = paths(v, &format!("{at}.to"), check_target)?;
            Ok(Target::Paths { paths, list })
        }
        (None, Some(Value::String(key))) if target == TargetKind::Contact => {
            if key.trim().is_empty() {
                return Err(format!("{at}.customField: an empty key"));
            }
            Ok(Target::CustomField(key.clone()))
        }
        (None, Some(Value::String(_))) => Err(format!(
            "{at}.customField: only a contact template writes custom fields"
        )),
        (None, Some(_)) => Err(format!(
            "{at}.customField: must be a key as text (contact.favorite_color)"
        )),
        (None, None) => Err(format!("{at}: a field needs \"to\" or \"customField\"")),
    }
}

#[allow(clippy::too_many_arguments)]
fn reverse_of(
    o: &Map<String, Value>,
    at: &str,
    from: &[DataPath],
    from_list: bool,
    to: &Target,
    transforms: &[Transform],
    defaults: &Defaults<'_>,
    target: TargetKind,
    check_target: &dyn Fn(&DataPath, &str) -> std::result::Result<(), String>,
) -> std::result::Result<Reverse, String> {
    let at_reverse = format!("{at}.reverse");
    match o.get("reverse") {
        Some(Value::Bool(false)) => Ok(Reverse::Skip),
        Some(Value::Object(r)) => {
            check_keys(r, REVERSE_KEYS, &at_reverse)?;
            let back_from = if r.contains_key("to") || r.contains_key("customField") {
                target_of(r, &at_reverse, target, check_target)?
            } else {
                to.clone()
            };
            let (back_to, back_list) = match r.get("from") {
                Some(v) => paths(v, &format!("{at_reverse}.from"), &|_, _| Ok(()))?,
                None if !from.is_empty() => (from.to_vec(), from_list),
                None => {
                    return Err(format!(
                        "{at_reverse}.from: required, since the field reads no host path"
                    ));
                }
            };
            Ok(Reverse::Map {
                from: back_from,
                to: back_to,
                to_list: back_list,
                transforms: transforms_of(
                    r.get("transforms"),
                    &format!("{at_reverse}.transforms"),
                    defaults,
                )?,
            })
        }
        Some(_) => Err(format!("{at_reverse}: must be false or an object")),
        None => {
            if from.is_empty() {
                return Err(format!(
                    "{at_reverse}: needed, since the field is made from nothing; add \"reverse\": {{…}} or \"reverse\": false"
                ));
            }
            let mut back = Vec::with_capacity(transforms.len());
            for (i, t) in transforms.iter().enumerate().rev() {
                match t.inverse() {
                    Ok(Some(inverse)) => back.push(inverse),
                    Ok(None) => {}
                    Err(why) => {
                        return Err(format!(
                            "{at_reverse}: needed, since {at}.transforms[{i}]: {why}; add \"reverse\": {{…}} or \"reverse\": false"
                        ));
                    }
                }
            }
            Ok(Reverse::Map {
                from: to.clone(),
                to: from.to_vec(),
                to_list: from_list,
                transforms: back,
            })
        }
    }
}

/// SHA-256 of the template's JSON text, hex, first 16 bytes.
fn fingerprint(json: &Value) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(json.to_string().as_bytes());
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}
