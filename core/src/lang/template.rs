//! Templates: JSON whose strings may hold `{{path}}` or
//! `{{path | filter}}`, filled from data.

use super::path::DataPath;
use super::scope::Scope;
use super::{LoadError, MAX_DEPTH};
use crate::Result;
use serde_json::Value;

/// One filter: its name and one line for people. The language's JSON
/// Schema and its docs are written from this table.
#[derive(Debug)]
pub struct Filter {
    /// The name written after `|`.
    pub name: &'static str,
    /// What it does.
    pub summary: &'static str,
}

/// Every filter, the whole fixed set.
pub static FILTERS: &[Filter] = &[
    Filter {
        name: "lower",
        summary: prose!("text in lower case"),
    },
    Filter {
        name: "upper",
        summary: prose!("text in upper case"),
    },
    Filter {
        name: "trim",
        summary: prose!("text without leading and trailing white space"),
    },
    Filter {
        name: "first",
        summary: prose!("a list's first element (null for an empty list)"),
    },
    Filter {
        name: "json",
        summary: prose!("the value as JSON text"),
    },
    Filter {
        name: "after",
        summary: prose!(
            "after:DURATION: a time (RFC 3339 text or Unix ms) plus an ISO 8601 duration (P1D, PT4H, P1DT2H, P2W), as RFC 3339 UTC; null for anything else"
        ),
    },
];

/// The longest string a template may hold, in bytes.
const MAX_TEXT_BYTES: usize = 16 * 1024;

/// A template: any JSON, whose strings may hold expressions. A string that
/// is one expression and nothing else (`"{{contact.tags}}"`) gives the
/// value itself, of any type (null when the path leads nowhere); text with
/// expressions in it (`"Call {{contact.firstName}}"`) gives text, each
/// value written as itself if text, as JSON otherwise, and as nothing if
/// null or absent. Object keys are never templates. `{{` always opens an
/// expression.
///
/// Immutable; `Send + Sync`.
///
/// ```
/// use contacts_core::lang::{Scope, Template};
/// use serde_json::json;
/// let scope = Scope::new().with_any("event");
/// let t = Template::load(&json!({"title": "Call {{event.name | trim}}", "tags": "{{event.tags}}"}), &scope).unwrap();
/// let out = t.render(&json!({"event": {"name": " Ada ", "tags": ["vip"]}}));
/// assert_eq!(out, json!({"title": "Call Ada", "tags": ["vip"]}));
/// ```
#[derive(Clone, Debug)]
pub struct Template {
    doc: Doc,
}

#[derive(Clone, Debug)]
enum Doc {
    Literal(Value),
    Whole(Expr),
    Text(Vec<Part>),
    Array(Vec<Doc>),
    Object(Vec<(String, Doc)>),
}

#[derive(Clone, Debug)]
enum Part {
    Literal(String),
    Expr(Expr),
}

#[derive(Clone, Debug)]
struct Expr {
    path: DataPath,
    filters: Vec<FilterName>,
}

#[derive(Clone, Copy, Debug)]
enum FilterName {
    Lower,
    Upper,
    Trim,
    First,
    Json,
    /// A time plus this many milliseconds.
    After(u64),
}

impl Template {
    /// Reads and checks a template: every expression closed, every path in
    /// `scope`, every filter known.
    ///
    /// Errors with InvalidArgument naming the JSON path of the first fault,
    /// e.g. `$.title: unknown filter "shout" (lower, upper, …)`.
    pub fn load(json: &Value, scope: &Scope) -> Result<Template> {
        Template::load_at(json, scope, "$")
    }

    /// [`Template::load`] for a template found at `json_path` of a larger
    /// document (`$.tasks[0].title`), which its errors then name.
    pub fn load_at(json: &Value, scope: &Scope, json_path: &str) -> Result<Template> {
        let doc = load_doc(json, scope, &mut json_path.to_owned(), 0)?;
        Ok(Template { doc })
    }

    /// A template that is one string (`"Call {{contact.firstName}}"`).
    ///
    /// Errors as [`Template::load`].
    pub fn load_text(text: &str, scope: &Scope) -> Result<Template> {
        Template::load(&Value::String(text.to_owned()), scope)
    }

    /// The template filled from `data` (an object of the scope's variables).
    pub fn render(&self, data: &Value) -> Value {
        render_doc(&self.doc, data)
    }

    /// The fields right under variable `variable` that its paths read, once
    /// each (`{"task1"}` for `{{steps.task1.result.id}}` under `steps`): what
    /// a flow's step depends on.
    pub fn references(&self, variable: &str) -> std::collections::BTreeSet<String> {
        let mut found = std::collections::BTreeSet::new();
        doc_references(&self.doc, variable, &mut found);
        found
    }
}

fn doc_references(doc: &Doc, variable: &str, found: &mut std::collections::BTreeSet<String>) {
    let mut expr = |e: &Expr| {
        if let Some(name) = e.path.field_under(variable) {
            found.insert(name.to_owned());
        }
    };
    match doc {
        Doc::Literal(_) => {}
        Doc::Whole(e) => expr(e),
        Doc::Text(parts) => parts.iter().for_each(|p| {
            if let Part::Expr(e) = p {
                expr(e)
            }
        }),
        Doc::Array(docs) => docs.iter().for_each(|d| doc_references(d, variable, found)),
        Doc::Object(docs) => docs
            .iter()
            .for_each(|(_, d)| doc_references(d, variable, found)),
    }
}

fn load_doc(json: &Value, scope: &Scope, at: &mut String, depth: usize) -> Result<Doc> {
    if depth > MAX_DEPTH {
        return Err(LoadError::at(
            at,
            format!("templates nest more than {MAX_DEPTH} deep"),
        ));
    }
    Ok(match json {
        Value::String(text) => load_text(text, scope, at)?,
        Value::Array(items) => {
            let mut docs = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                docs.push(load_doc(item, scope, at, depth + 1)?);
                at.truncate(len);
            }
            Doc::Array(docs)
        }
        Value::Object(members) => {
            let mut docs = Vec::with_capacity(members.len());
            for (key, item) in members {
                let len = at.len();
                at.push('.');
                at.push_str(key);
                docs.push((key.clone(), load_doc(item, scope, at, depth + 1)?));
                at.truncate(len);
            }
            Doc::Object(docs)
        }
        other => Doc::Literal(other.clone()),
    })
}

fn load_text(text: &str, scope: &Scope, at: &str) -> Result<Doc> {
    if !text.contains("{{") {
        return Ok(Doc::Literal(Value::String(text.to_owned())));
    }
    if text.len() > MAX_TEXT_BYTES {
        return Err(LoadError::at(
            at,
            format!("a template string is at most {MAX_TEXT_BYTES} bytes"),
        ));
    }
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("{{") {
        if open > 0 {
            parts.push(Part::Literal(rest[..open].to_owned()));
        }
        let after = &rest[open + 2..];
        let close = after.find("}}").ok_or_else(|| {
            LoadError::at(
                at,
                format!(
                    "{{{{ at byte {} is never closed",
                    text.len() - rest.len() + open
                ),
            )
        })?;
        parts.push(Part::Expr(load_expr(&after[..close], scope, at)?));
        rest = &after[close + 2..];
    }
    if !rest.is_empty() {
        parts.push(Part::Literal(rest.to_owned()));
    }
    Ok(match parts.as_slice() {
        [Part::Expr(expr)] => Doc::Whole(expr.clone()),
        _ => Doc::Text(parts),
    })
}

fn load_expr(inner: &str, scope: &Scope, at: &str) -> Result<Expr> {
    let mut pieces = inner.split('|').map(str::trim);
    let path_text = pieces.next().unwrap_or_default();
    if path_text.is_empty() {
        return Err(LoadError::at(
            at,
            "an empty {{ }}: write a path, such as {{contact.email}}",
        ));
    }
    let path = DataPath::parse(path_text).map_err(|e| LoadError::at(at, e))?;
    scope.check(&path).map_err(|e| LoadError::at(at, e))?;
    let filters = pieces
        .map(|name| {
            if let Some(duration) = name.strip_prefix("after:") {
                let ms = crate::time::parse_duration_ms(duration.trim()).ok_or_else(|| {
                    LoadError::at(
                        at,
                        format!("after:{duration}: not a duration of the subset (P1D, PT4H, P1DT2H, P2W)"),
                    )
                })?;
                return Ok(FilterName::After(ms));
            }
            Ok(match name {
                "lower" => FilterName::Lower,
                "upper" => FilterName::Upper,
                "trim" => FilterName::Trim,
                "first" => FilterName::First,
                "json" => FilterName::Json,
                _ => {
                    let names: Vec<&str> = FILTERS.iter().map(|f| f.name).collect();
                    return Err(LoadError::at(
                        at,
                        format!("unknown filter {name:?} ({})", names.join(", ")),
                    ));
                }
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Expr { path, filters })
}

fn render_doc(doc: &Doc, data: &Value) -> Value {
    match doc {
        Doc::Literal(value) => value.clone(),
        Doc::Whole(expr) => expr_value(expr, data),
        Doc::Text(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    Part::Literal(text) => out.push_str(text),
                    Part::Expr(expr) => write_text(&expr_value(expr, data), &mut out),
                }
            }
            Value::String(out)
        }
        Doc::Array(docs) => Value::Array(docs.iter().map(|d| render_doc(d, data)).collect()),
        Doc::Object(docs) => Value::Object(
            docs.iter()
                .map(|(key, d)| (key.clone(), render_doc(d, data)))
                .collect(),
        ),
    }
}

fn expr_value(expr: &Expr, data: &Value) -> Value {
    let start = expr.path.resolve(data).cloned().unwrap_or(Value::Null);
    expr.filters
        .iter()
        .fold(start, |value, filter| apply(*filter, value))
}

fn apply(filter: FilterName, value: Value) -> Value {
    let text = |value: Value, f: fn(&str) -> String| match value {
        Value::Null => Value::Null,
        Value::String(s) => Value::String(f(&s)),
        other => {
            let mut s = String::new();
            write_text(&other, &mut s);
            Value::String(f(&s))
        }
    };
    match filter {
        FilterName::Lower => text(value, str::to_lowercase),
        FilterName::Upper => text(value, str::to_uppercase),
        FilterName::Trim => text(value, |s| s.trim().to_owned()),
        FilterName::First => match value {
            Value::Array(items) => items.into_iter().next().unwrap_or(Value::Null),
            other => other,
        },
        FilterName::Json => Value::String(value.to_string()),
        FilterName::After(ms) => {
            let start = match &value {
                Value::String(text) => crate::time::parse_rfc3339_ms(text),
                Value::Number(n) => n.as_i64(),
                _ => None,
            };
            match start {
                Some(t) => Value::String(crate::time::format_rfc3339_ms(
                    t.saturating_add(ms.min(i64::MAX as u64) as i64),
                )),
                None => Value::Null,
            }
        }
    }
}

/// A value written into text: text as itself, null as nothing, anything
/// else as JSON.
fn write_text(value: &Value, out: &mut String) {
    match value {
        Value::Null => {}
        Value::String(s) => out.push_str(s),
        other => out.push_str(&other.to_string()),
    }
}
