//! Mapping records with a loaded template: forward (a host record to a
//! HighLevel record's params) with every rule checked, and back.

use super::context::MapContext;
use super::custom_fields::{CustomFields, FieldDefinition};
use super::report::{FieldError, MapReport};
use super::rules::{RecordRule, present};
use super::template::{FieldMap, MappingTemplate, Reverse, Target};
use super::transform::Transform;
use crate::lang::DataPath;
use crate::{Error, Result};
use serde_json::{Map, Value, json};
use std::borrow::Cow;

/// A template bound to a location's custom-field definitions: every key it
/// names resolved to its field. Maps any number of records.
///
/// Immutable; `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Mapper {
    template: MappingTemplate,
    /// Per field, the definition its forward target names.
    forward: Vec<Option<FieldDefinition>>,
    /// Per field, the definition its reverse reads.
    backward: Vec<Option<FieldDefinition>>,
}

fn resolve(
    target: &Target,
    at: &str,
    defs: Option<&CustomFields>,
) -> Result<Option<FieldDefinition>> {
    let Target::CustomField(key) = target else {
        return Ok(None);
    };
    let defs = defs.ok_or_else(|| {
        Error::invalid_argument(format!(
            "{at}.customField: custom field keys need the location's definitions (a client fetches them; the dry run takes a file of them)"
        ))
    })?;
    defs.by_key(key).cloned().map(Some).ok_or_else(|| {
        Error::invalid_argument(format!("{at}.customField: {}", defs.unknown_key(key)))
    })
}

impl Mapper {
    /// Binds `template` to `defs`, the location's contact custom fields.
    /// `defs` may be `None` when the template names no custom field.
    ///
    /// Errors with InvalidArgument naming the field's JSON path for a key the
    /// location does not define, or for keys with no definitions given.
    pub fn new(template: MappingTemplate, defs: Option<&CustomFields>) -> Result<Mapper> {
        let mut forward = Vec::with_capacity(template.fields.len());
        let mut backward = Vec::with_capacity(template.fields.len());
        for f in &template.fields {
            forward.push(resolve(&f.to, &f.at, defs)?);
            backward.push(match &f.reverse {
                Some(Reverse::Map { from, .. }) => {
                    resolve(from, &format!("{}.reverse", f.at), defs)?
                }
                _ => None,
            });
        }
        Ok(Mapper {
            template,
            forward,
            backward,
        })
    }

    /// The template.
    pub fn template(&self) -> &MappingTemplate {
        &self.template
    }

    /// Maps a host record to the params of the template's target
    /// (`contacts.upsert`'s for a contact; custom fields as `customFields:
    /// [{id, fieldValue}]`). Every field is mapped and every rule checked,
    /// so the errors are all of them, each with its path in `record`.
    pub fn map(
        &self,
        record: &Value,
        cx: &MapContext<'_>,
    ) -> std::result::Result<Value, Vec<FieldError>> {
        let mut out = Value::Object(Map::new());
        let mut custom = Vec::new();
        let mut errors = Vec::new();
        for i in 0..self.template.fields.len() {
            if let Some(value) = self.forward_value(i, record, cx, &mut errors)
                && !value.is_null()
            {
                self.write_forward(i, value, &mut out, &mut custom, &mut errors);
            }
        }
        if !custom.is_empty() {
            out["customFields"] = Value::Array(custom);
        }
        self.check_record_rules(record, &out, &mut errors);
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Maps a HighLevel record back to a host record (`contacts.get`'s
    /// `contact`; custom fields read by id from its `customFields`). Fields
    /// with `"reverse": false` are left out; rules are the forward
    /// direction's and are not checked.
    ///
    /// Errors: InvalidArgument when the template is one-way; otherwise each
    /// field that could not be mapped back, with its path in the HighLevel
    /// record.
    pub fn map_back(
        &self,
        record: &Value,
        cx: &MapContext<'_>,
    ) -> Result<std::result::Result<Value, Vec<FieldError>>> {
        if !self.template.two_way {
            return Err(Error::invalid_argument(format!(
                "the mapping template {:?} is one-way: set \"direction\": \"both\" to map back",
                self.template.name
            )));
        }
        let mut out = Value::Object(Map::new());
        let mut errors = Vec::new();
        for i in 0..self.template.fields.len() {
            self.write_back(i, record, cx, false, &mut out, &mut errors);
        }
        Ok(if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        })
    }

    /// The dry run: maps every record (back, with `reverse`) and reports
    /// each outcome. Sends nothing.
    ///
    /// Errors with InvalidArgument only for `reverse` with a one-way template.
    pub fn map_all(
        &self,
        records: &[Value],
        reverse: bool,
        cx: &MapContext<'_>,
    ) -> Result<MapReport> {
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            out.push(if reverse {
                self.map_back(r, cx)?
            } else {
                self.map(r, cx)
            });
        }
        Ok(MapReport {
            records: out,
            collection: self.template.collection.clone(),
        })
    }
}

impl Mapper {
    /// Field `i`'s value for a host record, HighLevel's form (Null when
    /// absent), after its transforms and rules and its custom field's
    /// check; or `None`, its errors pushed to `errors`.
    pub(crate) fn forward_value(
        &self,
        i: usize,
        record: &Value,
        cx: &MapContext<'_>,
        errors: &mut Vec<FieldError>,
    ) -> Option<Value> {
        let f = &self.template.fields[i];
        let fail = |message: String| FieldError {
            path: source_label(f),
            target: Some(target_label(&f.to)),
            message,
        };
        let mut source = read_paths(&f.from, f.from_list, record);
        if !present(Some(&source))
            && let Some(default) = &f.default
        {
            source = Cow::Borrowed(default);
        }
        let value = match run_transforms(&f.transforms, source, record, cx) {
            Ok(value) => value,
            Err(message) => {
                errors.push(fail(message));
                return None;
            }
        };
        if f.required && !present(Some(&value)) {
            errors.push(fail("is required".into()));
            return None;
        }
        let before = errors.len();
        for rule in &f.rules {
            if let Err(message) = rule.check(Some(&value), cx) {
                errors.push(fail(message));
            }
        }
        if errors.len() == before
            && let (Some(def), false) = (&self.forward[i], value.is_null())
            && let Err(message) = def.check(&value)
        {
            errors.push(fail(message));
        }
        (errors.len() == before).then_some(value)
    }

    /// Writes field `i`'s forward `value` into `out` (custom fields into
    /// `custom`, as `{id, fieldValue}`).
    pub(crate) fn write_forward(
        &self,
        i: usize,
        value: Value,
        out: &mut Value,
        custom: &mut Vec<Value>,
        errors: &mut Vec<FieldError>,
    ) {
        let f = &self.template.fields[i];
        match (&f.to, &self.forward[i]) {
            (Target::CustomField(_), Some(def)) => {
                custom.push(json!({"id": def.id, "fieldValue": value}));
            }
            (Target::CustomField(_), None) => {}
            (Target::Paths { paths, list }, _) => {
                if let Err(message) = write_paths(out, paths, *list, value) {
                    errors.push(FieldError {
                        path: source_label(f),
                        target: Some(target_label(&f.to)),
                        message,
                    });
                }
            }
        }
    }

    /// The template's record rules over a mapped record `out`.
    pub(crate) fn check_record_rules(
        &self,
        record: &Value,
        out: &Value,
        errors: &mut Vec<FieldError>,
    ) {
        for rule in &self.template.record_rules {
            match rule {
                RecordRule::AnyPresent { names, paths } => {
                    if !paths.iter().any(|p| present(p.resolve(out))) {
                        errors.push(FieldError {
                            path: String::new(),
                            target: None,
                            message: format!("needs at least one of {}", names.join(", ")),
                        });
                    }
                }
                RecordRule::Condition { condition, message } => {
                    let data = json!({"record": record, "mapped": out});
                    if !condition.eval(&data) {
                        errors.push(FieldError {
                            path: String::new(),
                            target: None,
                            message: message.clone(),
                        });
                    }
                }
            }
        }
    }

    /// Field `i`'s value in a HighLevel record, read where its forward
    /// target writes (its custom field by id), the form
    /// [`forward_value`](Self::forward_value) gives.
    pub(crate) fn highlevel_value(&self, i: usize, record: &Value) -> Value {
        let f = &self.template.fields[i];
        match (&f.to, &self.forward[i]) {
            (Target::Paths { paths, list }, _) => read_paths(paths, *list, record).into_owned(),
            (Target::CustomField(_), Some(def)) => custom_value(record, &def.id).into_owned(),
            (Target::CustomField(_), None) => Value::Null,
        }
    }

    /// Field `i`'s value mapped back from a HighLevel record, written into
    /// the host record `out`; a Null value is written only with `clear` (a
    /// sync, where a cleared field clears the host's). Returns false, its
    /// error pushed, when it could not be; a field that is not mapped back
    /// writes nothing.
    pub(crate) fn write_back(
        &self,
        i: usize,
        record: &Value,
        cx: &MapContext<'_>,
        clear: bool,
        out: &mut Value,
        errors: &mut Vec<FieldError>,
    ) -> bool {
        let f = &self.template.fields[i];
        let Some(Reverse::Map {
            from,
            to,
            to_list,
            transforms,
        }) = &f.reverse
        else {
            return true;
        };
        let source = match (from, &self.backward[i]) {
            (Target::Paths { paths, list }, _) => read_paths(paths, *list, record),
            (Target::CustomField(_), Some(def)) => custom_value(record, &def.id),
            (Target::CustomField(_), None) => Cow::Owned(Value::Null),
        };
        let fail = |message: String| FieldError {
            path: target_label(from),
            target: to.first().map(|p| p.text().to_owned()),
            message,
        };
        let value = match run_transforms(transforms, source, record, cx) {
            Ok(value) => value,
            Err(message) => {
                errors.push(fail(message));
                return false;
            }
        };
        let result = if value.is_null() {
            if clear {
                to.iter().for_each(|p| p.set(out, Value::Null));
            }
            Ok(())
        } else {
            write_paths(out, to, *to_list, value)
        };
        match result {
            Ok(()) => true,
            Err(message) => {
                errors.push(fail(message));
                false
            }
        }
    }

    /// How many fields the template has.
    pub(crate) fn field_count(&self) -> usize {
        self.template.fields.len()
    }

    /// Field `i`'s fingerprint (its JSON with the template's region and
    /// zone), which a sync compares to notice it re-mapped.
    pub(crate) fn field_fingerprint(&self, i: usize) -> &str {
        &self.template.fields[i].fingerprint
    }

    /// Whether field `i` is mapped back (a two-way template's field
    /// without `"reverse": false`).
    pub(crate) fn maps_back(&self, i: usize) -> bool {
        matches!(self.template.fields[i].reverse, Some(Reverse::Map { .. }))
    }

    /// Field `i`'s name in a sync's policies and reports: its target
    /// (`email`, `firstName,lastName`, `customFields["contact.hours"]`).
    pub(crate) fn field_label(&self, i: usize) -> String {
        target_label(&self.template.fields[i].to)
    }
}

/// A field's value through its transforms in order. The source is borrowed
/// until the first transform makes a new value, so a field copies its text
/// once, not once to read it and again to transform it.
fn run_transforms(
    transforms: &[Transform],
    source: Cow<'_, Value>,
    record: &Value,
    cx: &MapContext<'_>,
) -> std::result::Result<Value, String> {
    let mut value = source;
    for t in transforms {
        value = Cow::Owned(t.apply(&value, record, cx)?);
    }
    Ok(value.into_owned())
}

fn read_paths<'a>(paths: &[DataPath], list: bool, record: &'a Value) -> Cow<'a, Value> {
    if list {
        Cow::Owned(Value::Array(
            paths
                .iter()
                .map(|p| p.resolve(record).cloned().unwrap_or(Value::Null))
                .collect(),
        ))
    } else {
        paths
            .first()
            .and_then(|p| p.resolve(record))
            .map_or(Cow::Owned(Value::Null), Cow::Borrowed)
    }
}

fn write_paths(
    out: &mut Value,
    paths: &[DataPath],
    list: bool,
    value: Value,
) -> std::result::Result<(), String> {
    if !list {
        if let Some(p) = paths.first() {
            p.set(out, value);
        }
        return Ok(());
    }
    let Value::Array(items) = value else {
        return Err(format!(
            "{} paths take a list of {} values",
            paths.len(),
            paths.len()
        ));
    };
    for (p, item) in paths.iter().zip(items) {
        if !item.is_null() {
            p.set(out, item);
        }
    }
    Ok(())
}

/// A custom field's value in a HighLevel record: `customFields[{id, value}]`.
fn custom_value<'a>(record: &'a Value, id: &str) -> Cow<'a, Value> {
    record
        .get("customFields")
        .and_then(Value::as_array)
        .and_then(|list| {
            list.iter()
                .find(|f| f.get("id").and_then(Value::as_str) == Some(id))
        })
        .and_then(|f| f.get("value").or_else(|| f.get("fieldValue")))
        .map_or(Cow::Owned(Value::Null), Cow::Borrowed)
}

fn source_label(f: &FieldMap) -> String {
    f.from
        .first()
        .map(|p| p.text().to_owned())
        .unwrap_or_default()
}

fn target_label(t: &Target) -> String {
    match t {
        Target::Paths { paths, .. } => paths
            .iter()
            .map(DataPath::text)
            .collect::<Vec<_>>()
            .join(","),
        Target::CustomField(key) => format!("customFields[\"{key}\"]"),
    }
}
