//! Mapping templates: a host's records (a busybusy member, a chat's form
//! fields, any JSON object) turned into HighLevel contacts, tasks and notes,
//! and back, through transforms and validation rules declared as JSON.
//!
//! ```json
//! {"name": "members", "target": "contact", "direction": "both",
//!  "collection": "members", "region": "US", "timeZone": "America/Chicago",
//!  "fields": [
//!    {"from": "fullName", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"], "required": true},
//!    {"from": "mobile", "to": "phone", "transforms": ["phone"]},
//!    {"from": "birthday", "to": "dateOfBirth", "transforms": [{"fn": "date", "from": "%m/%d/%Y", "to": "date"}]},
//!    {"from": "shirt", "customField": "contact.shirt_size", "transforms": ["upper"]}
//!  ],
//!  "rules": [{"rule": "anyPresent", "paths": ["email", "phone"]}]}
//! ```
//!
//! - **Load** with [`MappingTemplate::load`]: every path, transform, rule
//!   and reverse is checked before any record, and a bad template is refused
//!   with InvalidArgument naming its JSON path. A two-way template's
//!   reverse is each field's explicit `reverse`, or implied by its
//!   transforms' inverses ([`TRANSFORMS`]); a field whose transforms have
//!   none is refused on load unless it says `"reverse": false`.
//! - **Bind** with [`Mapper::new`] to the location's custom-field
//!   definitions ([`CustomFields`]), which turn keys into ids.
//! - **Map** with [`Mapper::map`] (a record, or every error with its path)
//!   or [`Mapper::map_all`] (the dry run's [`MapReport`]). Nothing is sent.
//!
//! Phone numbers and time zones are the platform's ([`MapContext`]): both
//! compiled in natively; in the npm package, a phone module loaded on
//! first use and `Intl`.

mod apply;
mod context;
mod custom_fields;
mod dates;
mod phone;
mod report;
mod rules;
mod template;
mod transform;

pub use apply::Mapper;
pub use context::MapContext;
pub(crate) use custom_fields::kind;
pub use custom_fields::{CustomFields, FieldDefinition};
pub use dates::ZoneOffsets;
#[cfg(feature = "phone")]
pub use phone::LibPhoneNumber;
pub use phone::{PhoneError, PhoneNumbers, phone_answer_json};
pub use report::{FieldError, MapReport};
pub use rules::{RULES, RuleInfo};
pub use template::{MAX_FIELDS, MappingTemplate, TargetKind};
pub use transform::{InverseKind, TRANSFORMS, TransformInfo};

/// The dry run in one call, as every shell makes it: reads `template`
/// (JSON text) and the custom-field definitions (`locationCustomFields.list`'s
/// result, when given), maps `records` (back, with `reverse`), and gives
/// the report's JSON ([`MapReport::to_json`]).
///
/// Errors with InvalidArgument for a bad template, bad definitions, a key
/// they do not define, or `reverse` with a one-way template.
pub fn map_records_json(
    template: &serde_json::Value,
    custom_fields: Option<&serde_json::Value>,
    records: &[serde_json::Value],
    reverse: bool,
    cx: &MapContext<'_>,
) -> crate::Result<serde_json::Value> {
    let template = MappingTemplate::load(template)?;
    let defs = custom_fields.map(CustomFields::from_json).transpose()?;
    let mapper = Mapper::new(template, defs.as_ref())?;
    Ok(mapper.map_all(records, reverse, cx)?.to_json())
}

/// The mapping's JSON Schemas and tables, as the catalog serves them:
/// `{template, transforms, rules, targets}`, written from [`TRANSFORMS`] and
/// [`RULES`], the one list of each.
#[cfg(feature = "schema")]
pub fn mapping_schema() -> serde_json::Value {
    use serde_json::json;
    let params = |list: &[(&str, &str)]| -> serde_json::Value {
        let mut props = serde_json::Map::new();
        for (name, ty) in list {
            let schema = if *ty == "any" {
                json!({})
            } else {
                json!({"type": ty})
            };
            props.insert((*name).to_owned(), schema);
        }
        serde_json::Value::Object(props)
    };
    let transform_branches: Vec<serde_json::Value> = TRANSFORMS
        .iter()
        .map(|t| {
            let mut props = params(t.params);
            props["fn"] = json!({"const": t.name});
            let required: Vec<&str> = std::iter::once("fn").chain(t.required.iter().copied()).collect();
            json!({"type": "object", "title": t.name, "description": t.summary,
                   "properties": props, "required": required, "additionalProperties": false})
        })
        .chain(std::iter::once(json!({
            "type": "string",
            "enum": TRANSFORMS.iter().filter(|t| t.required.is_empty()).map(|t| t.name).collect::<Vec<_>>(),
        })))
        .collect();
    let rule_branches = |applies: &str| -> Vec<serde_json::Value> {
        RULES
            .iter()
            .filter(|r| r.applies_to == applies)
            .map(|r| {
                let mut props = params(r.params);
                props["rule"] = json!({"const": r.name});
                json!({"type": "object", "title": r.name, "description": r.summary,
                       "properties": props, "required": ["rule"], "additionalProperties": false})
            })
            .collect()
    };
    let paths = json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]});
    let field = json!({
        "type": "object",
        "properties": {
            "from": paths, "to": paths,
            "customField": {"type": "string", "description": "a contact custom field's key, contact.favorite_color"},
            "required": {"type": "boolean", "default": false},
            "default": {},
            "transforms": {"type": "array", "items": {"$ref": "#/$defs/Transform"}},
            "rules": {"type": "array", "items": {"oneOf": rule_branches("field")}},
            "reverse": {"anyOf": [{"const": false}, {"type": "object",
                "description": "the way back; from and to name the field's sides: to (or customField) the HighLevel record's path read, from the host record's path written; each defaults to the field's own",
                "properties": {
                "from": paths, "to": paths, "customField": {"type": "string"},
                "transforms": {"type": "array", "items": {"$ref": "#/$defs/Transform"}}},
                "additionalProperties": false}]},
        },
        "additionalProperties": false,
    });
    json!({
        "template": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "MappingTemplate",
            "type": "object",
            "properties": {
                "$schema": {"type": "string"},
                "name": {"type": "string"},
                "target": {"enum": TargetKind::ALL.iter().map(|k| k.name()).collect::<Vec<_>>()},
                "collection": {"type": "string", "default": "records", "description": "what records are called in error paths: members[3].phone"},
                "direction": {"enum": ["forward", "both"], "default": "forward"},
                "region": {"type": "string", "pattern": "^[A-Za-z]{2}$", "description": "phone numbers' default region"},
                "timeZone": {"type": "string", "description": "dates' default IANA zone"},
                "fields": {"type": "array", "items": field, "maxItems": MAX_FIELDS},
                "rules": {"type": "array", "items": {"oneOf": rule_branches("record")}},
            },
            "required": ["target", "fields"],
            "additionalProperties": false,
            "$defs": {"Transform": {"oneOf": transform_branches}},
        },
        "transforms": TRANSFORMS.iter().map(|t| json!({"name": t.name, "summary": t.summary, "inverse": match t.inverse {
            InverseKind::Identity => "identity", InverseKind::Exact => "exact", InverseKind::None => "none" }})).collect::<Vec<_>>(),
        "rules": RULES.iter().map(|r| json!({"name": r.name, "appliesTo": r.applies_to, "summary": r.summary})).collect::<Vec<_>>(),
        "targets": TargetKind::ALL.iter().map(|k| json!({"name": k.name(), "action": k.action()})).collect::<Vec<_>>(),
    })
}
