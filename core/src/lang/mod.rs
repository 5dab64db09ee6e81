//! One condition and template language for the whole runtime: composite
//! actions (`tasks.createSet`'s rules), triggers, mapping templates, flows
//! and sync all use it; none invents its own.
//!
//! It is JSON and holds data, never code. Its JSON Schema is served by the
//! catalog (`language` in `catalog.json`), so a no-code builder can render
//! it.
//!
//! - **Conditions** ([`Condition`]): `{"all": [...]}`, `{"any": [...]}`,
//!   `{"not": {...}}`, and comparisons `{"path", "op", "value"}` (or
//!   `"valuePath"`, another path) with the operators of [`OPERATORS`];
//!   `"ignoreCase": true` folds case for text.
//! - **Templates** ([`Template`]): strings holding `{{path}}`, optionally
//!   through the fixed [`FILTERS`] (`{{contact.email | lower}}`).
//! - **Paths**: `event.contact.email`, `steps.task1.result.id`,
//!   `contact.tags[0]` (or `contact.tags.0`), `customData["a.b"]`. Every
//!   path is checked on load against a [`Scope`]: the variables the caller
//!   provides and the catalog schemas that describe them.
//!
//! Bad input is refused on load, with InvalidArgument naming its JSON path
//! (`$.all[1].op: unknown operator "equals" …`): an unknown operator or
//! filter, a path into nothing, an operand of the wrong kind, a regular
//! expression over [`REGEX_MAX_BYTES`] or one that compiles too large.
//! Evaluation never fails: a path absent from the data reads as null.
//!
//! Regular expressions are `regex-lite`'s (linear-time matching, no
//! look-around or back-references; classes such as `\w` and case folding
//! are ASCII), chosen over `regex` for its size in the npm package.

mod condition;
mod path;
mod scope;
mod template;

pub use condition::{Condition, OPERATORS, Operator};
#[cfg(feature = "mapping")]
pub(crate) use path::DataPath;
pub use scope::Scope;
pub use template::{FILTERS, Filter, Template};

use crate::Error;

/// How deep conditions, templates and regex groups may nest.
pub const MAX_DEPTH: usize = 32;

/// The longest regular expression `matches` takes, in bytes.
pub const REGEX_MAX_BYTES: usize = 256;

/// The most memory one compiled regular expression may take, in bytes.
const REGEX_SIZE_LIMIT: usize = 64 * 1024;

/// Compiles a regular expression of the language: at most
/// [`REGEX_MAX_BYTES`] long, nested at most [`MAX_DEPTH`] deep, compiled
/// within the memory cap. Mapping templates' `pattern` rules take the same.
///
/// Errors with why it is refused.
pub(crate) fn compile_regex(
    pattern: &str,
    ignore_case: bool,
) -> std::result::Result<regex_lite::Regex, String> {
    if pattern.len() > REGEX_MAX_BYTES {
        return Err(format!(
            "the regular expression is {} bytes, over the cap of {REGEX_MAX_BYTES}",
            pattern.len()
        ));
    }
    regex_lite::RegexBuilder::new(pattern)
        .case_insensitive(ignore_case)
        .size_limit(REGEX_SIZE_LIMIT)
        .nest_limit(MAX_DEPTH as u32)
        .build()
        .map_err(|e| format!("not a regular expression this language takes: {e}"))
}

/// The error of a condition or template refused on load.
struct LoadError;

impl LoadError {
    fn at(json_path: &str, message: impl std::fmt::Display) -> Error {
        Error::invalid_argument(format!("{json_path}: {message}"))
    }
}

/// The language's JSON Schemas and tables, as the catalog serves them:
/// `{condition, template, operators, filters, limits}`. Written from
/// [`OPERATORS`] and [`FILTERS`], the one list of each.
#[cfg(feature = "schema")]
pub fn language_schema() -> serde_json::Value {
    use serde_json::json;
    let comparison = |op: &Operator| {
        use condition::Operand;
        let text_path =
            json!({"type": "string", "description": "a path into the data, e.g. contact.email"});
        let (value, path_allowed) = match op.operand() {
            Operand::Any => (json!({}), true),
            Operand::List => (json!({"type": "array"}), false),
            Operand::Scalar => (json!({"type": ["string", "number", "boolean"]}), true),
            Operand::Presence => (json!({"type": "boolean", "default": true}), false),
            Operand::Ordered => (
                json!({"anyOf": [{"type": "number"}, {"type": "string", "format": "date-time"}]}),
                true,
            ),
            Operand::Pattern => (
                json!({"type": "string", "format": "regex", "maxLength": REGEX_MAX_BYTES}),
                false,
            ),
        };
        let mut properties = json!({
            "path": text_path,
            "op": {"const": op.name, "description": op.summary},
            "value": value,
            "ignoreCase": {"type": "boolean", "default": false},
        });
        let mut required = vec!["path", "op"];
        if path_allowed {
            properties["valuePath"] = text_path.clone();
        }
        if !matches!(op.operand(), Operand::Presence) && !path_allowed {
            required.push("value");
        }
        json!({
            "type": "object",
            "title": op.name,
            "properties": properties,
            "required": required,
            "additionalProperties": false,
        })
    };
    let group = |name: &str, items: serde_json::Value| {
        json!({
            "type": "object",
            "properties": {name: items},
            "required": [name],
            "additionalProperties": false,
        })
    };
    let mut branches = vec![
        group(
            "all",
            json!({"type": "array", "items": {"$ref": "#/$defs/Condition"}}),
        ),
        group(
            "any",
            json!({"type": "array", "items": {"$ref": "#/$defs/Condition"}}),
        ),
        group("not", json!({"$ref": "#/$defs/Condition"})),
    ];
    branches.extend(OPERATORS.iter().map(comparison));
    json!({
        "condition": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Condition",
            "$ref": "#/$defs/Condition",
            "$defs": {"Condition": {"oneOf": branches}},
        },
        "template": {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "title": "Template",
            "description": "Any JSON. A string may hold {{path}} or {{path | filter | …}}; a string that is one {{…}} alone gives the value itself, of any type.",
        },
        "operators": OPERATORS.iter().map(|o| json!({"name": o.name, "summary": o.summary})).collect::<Vec<_>>(),
        "filters": FILTERS.iter().map(|f| json!({"name": f.name, "summary": f.summary})).collect::<Vec<_>>(),
        "limits": {"maxDepth": MAX_DEPTH, "regexMaxBytes": REGEX_MAX_BYTES},
    })
}
