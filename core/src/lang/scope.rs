//! What data a condition or template may name: variables (`contact`,
//! `event`, `steps`, `now`), each described by a catalog schema or left
//! free-form. Paths are checked against it on load, so a typo is refused
//! before anything runs.

use super::path::{DataPath, Segment};
use crate::schema::builtin;
use crate::{Error, Result};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// A schema and the catalog document its `$ref`s point into.
type SchemaAt = (&'static Value, &'static Value);

/// One place in a scope.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    /// Free-form: any path below is accepted.
    Any,
    /// Named fields, each its own node (a scope's variables, `steps`).
    Fields(Arc<BTreeMap<String, Node>>),
    /// The value has one of these schemas (several for `anyOf` branches).
    Schema(Vec<SchemaAt>),
}

/// The variables a condition or template may use, and what each holds.
///
/// Build one in Rust with [`Scope::new`] and the `with_*` methods, or from
/// JSON with [`Scope::from_json`]: an object whose members are variables,
/// each `"any"`, `{"result": "<action>", "at": "<path>"?}` (the result of a
/// catalog action, or a field of it), `{"event": "<EventType>"}` (a webhook
/// payload), or `{"fields": {…}}` (nested variables, such as
/// `steps.task1.result`).
///
/// Threads: immutable, `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Scope {
    fields: BTreeMap<String, Node>,
}

impl Default for Scope {
    fn default() -> Self {
        Scope::new()
    }
}

impl Scope {
    /// A scope with no variables.
    pub fn new() -> Scope {
        Scope {
            fields: BTreeMap::new(),
        }
    }

    /// Adds variable `name` holding any JSON (paths below it are not checked).
    pub fn with_any(mut self, name: &str) -> Scope {
        self.fields.insert(name.to_owned(), Node::Any);
        self
    }

    /// Adds variable `name` holding the result of catalog action `action`,
    /// or, with `at` (`"contact"`), that field of it.
    ///
    /// Errors with InvalidArgument for an unknown action or an `at` that is
    /// not in its result.
    pub fn with_result(mut self, name: &str, action: &str, at: Option<&str>) -> Result<Scope> {
        // An operation's former name reads as its current one.
        let action = crate::ops::by_name::find(action).map_or(action, |e| e.spec.name);
        let (_, result) = builtin::action_schemas(action).ok_or_else(|| {
            Error::invalid_argument(format!("{action:?} is not an action of the catalog"))
        })?;
        let mut node = Node::Schema(vec![(result, result)]);
        if let Some(at) = at {
            let path = DataPath::parse(&format!("result.{at}")).map_err(Error::invalid_argument)?;
            node = descend(node, &path).map_err(|e| {
                Error::invalid_argument(format!("{action}'s result at {at:?}: {e}"))
            })?;
        }
        self.fields.insert(name.to_owned(), node);
        Ok(self)
    }

    /// Adds variable `name` holding the params of catalog action `action`
    /// (what a mapping template writes: `contacts.upsert`'s fields).
    ///
    /// Errors with InvalidArgument for an unknown action.
    pub fn with_params(mut self, name: &str, action: &str) -> Result<Scope> {
        let (params, _) = builtin::action_schemas(action).ok_or_else(|| {
            Error::invalid_argument(format!("{action:?} is not an action of the catalog"))
        })?;
        self.fields
            .insert(name.to_owned(), Node::Schema(vec![(params, params)]));
        Ok(self)
    }

    /// Adds variable `name` holding the payload of webhook event type `event`
    /// (`ContactCreate`, …).
    ///
    /// Errors with InvalidArgument for an unknown event type.
    pub fn with_event(mut self, name: &str, event: &str) -> Result<Scope> {
        let schema = builtin::trigger_schema(event).ok_or_else(|| {
            Error::invalid_argument(format!("{event:?} is not a webhook event type"))
        })?;
        self.fields
            .insert(name.to_owned(), Node::Schema(vec![(schema, schema)]));
        Ok(self)
    }

    /// Adds variable `name` holding the variables of `inner`.
    pub fn with_fields(mut self, name: &str, inner: Scope) -> Scope {
        self.fields
            .insert(name.to_owned(), Node::Fields(Arc::new(inner.fields)));
        self
    }

    /// Reads a scope from its JSON form (see [`Scope`]).
    ///
    /// Errors with InvalidArgument naming the member that is wrong.
    pub fn from_json(value: &Value) -> Result<Scope> {
        scope_from_json(value, "$")
    }

    pub(crate) fn root(&self) -> Node {
        Node::Fields(Arc::new(self.fields.clone()))
    }

    /// Checks that `path` leads somewhere in this scope: its first segment
    /// is one of the scope's variables, and each later one a field (or an
    /// element) the schemas there declare. A schema that declares no fields
    /// (free-form data) accepts any path below it.
    ///
    /// Errors name the first segment that leads nowhere, and what is there.
    pub(crate) fn check(&self, path: &DataPath) -> std::result::Result<(), String> {
        let mut node = self.root();
        for (depth, segment) in path.segments().iter().enumerate() {
            let here = || path.prefix(depth);
            node = match (&node, segment) {
                (Node::Any, _) => return Ok(()),
                (Node::Fields(fields), Segment::Field(name)) => match fields.get(name.as_str()) {
                    Some(next) => next.clone(),
                    None if depth == 0 => {
                        return Err(format!(
                            "{:?} is not in scope (there is {})",
                            path.text(),
                            list(fields.keys().map(String::as_str))
                        ));
                    }
                    None => {
                        return Err(format!(
                            "{} has no field {name:?} (it has {})",
                            here(),
                            list(fields.keys().map(String::as_str))
                        ));
                    }
                },
                (Node::Fields(_), Segment::Index(_)) => {
                    return Err(format!("{} is an object, not a list", here()));
                }
                (Node::Schema(schemas), segment) => {
                    let next =
                        step(schemas, segment).map_err(|what| format!("{} {what}", here()))?;
                    match next {
                        Some(next) => Node::Schema(next),
                        None => return Ok(()),
                    }
                }
            };
        }
        Ok(())
    }
}

fn scope_from_json(value: &Value, at: &str) -> Result<Scope> {
    let members = value.as_object().ok_or_else(|| {
        Error::invalid_argument(format!("{at}: a scope is an object of variables"))
    })?;
    let mut scope = Scope::new();
    for (name, var) in members {
        let here = format!("{at}.{name}");
        let text = |key: &str| var.get(key).and_then(Value::as_str);
        scope = match var {
            Value::String(any) if any == "any" => scope.with_any(name),
            Value::Object(o) if o.contains_key("result") => {
                let action = text("result").ok_or_else(|| {
                    Error::invalid_argument(format!("{here}.result: an action name"))
                })?;
                scope
                    .with_result(name, action, text("at"))
                    .map_err(|e| e.context(&here))?
            }
            Value::Object(o) if o.contains_key("event") => {
                let event = text("event").ok_or_else(|| {
                    Error::invalid_argument(format!("{here}.event: an event type"))
                })?;
                scope
                    .with_event(name, event)
                    .map_err(|e| e.context(&here))?
            }
            Value::Object(o) if o.contains_key("fields") => {
                let inner = scope_from_json(&o["fields"], &format!("{here}.fields"))?;
                scope.with_fields(name, inner)
            }
            _ => {
                return Err(Error::invalid_argument(format!(
                    "{here}: a variable is \"any\", {{\"result\": action}}, {{\"event\": type}} or {{\"fields\": {{…}}}}"
                )));
            }
        };
    }
    Ok(scope)
}

/// The node `path` (whose first segment is skipped) leads to from `node`.
fn descend(mut node: Node, path: &DataPath) -> std::result::Result<Node, String> {
    for segment in path.segments().iter().skip(1) {
        node = match node {
            Node::Schema(schemas) => match step(&schemas, segment)? {
                Some(next) => Node::Schema(next),
                None => Node::Any,
            },
            other => other,
        };
    }
    Ok(node)
}

/// The schemas one `segment` below `schemas`, or `None` when some branch is
/// free-form (so anything below is accepted).
///
/// Errors with what the value is instead (`has no field "emial" (it has
/// …)`, `is a string, not an object`).
pub(crate) fn step(
    schemas: &[SchemaAt],
    segment: &Segment,
) -> std::result::Result<Option<Vec<SchemaAt>>, String> {
    let mut branches = Vec::new();
    for &(root, schema) in schemas {
        flatten(root, schema, &mut branches, 0)?;
    }
    let mut next = Vec::new();
    let mut fields: Vec<&str> = Vec::new();
    let mut kinds: Vec<&str> = Vec::new();
    for (root, schema) in branches {
        let types = types_of(schema);
        let is_object = schema.get("properties").is_some() || types.contains(&"object");
        let is_array = schema.get("items").is_some() || types.contains(&"array");
        if types.is_empty() && !is_object && !is_array {
            return Ok(None);
        }
        match segment {
            Segment::Field(name) if is_object => {
                let properties = schema.get("properties").and_then(Value::as_object);
                if let Some(property) = properties.and_then(|p| p.get(name.as_str())) {
                    next.push((root, property));
                    continue;
                }
                match schema.get("additionalProperties") {
                    Some(map @ Value::Object(_)) => next.push((root, map)),
                    // An object that declares no fields is free-form.
                    _ if properties.is_none() => return Ok(None),
                    _ => fields.extend(
                        properties
                            .into_iter()
                            .flat_map(|p| p.keys().map(String::as_str)),
                    ),
                }
            }
            Segment::Index(_) if is_array => match schema.get("items") {
                Some(items) => next.push((root, items)),
                None => return Ok(None),
            },
            _ => kinds.extend(types.iter().filter(|t| **t != "null")),
        }
    }
    if !next.is_empty() {
        return Ok(Some(next));
    }
    match segment {
        Segment::Field(name) if !fields.is_empty() => {
            fields.sort_unstable();
            fields.dedup();
            Err(format!(
                "has no field {name:?} (it has {})",
                list(fields.into_iter())
            ))
        }
        Segment::Field(_) => Err(format!("is {}, not an object", article(&kinds))),
        Segment::Index(_) => Err(format!("is {}, not a list", article(&kinds))),
    }
}

/// `schema` with its `$ref`s followed and its `anyOf`/`oneOf` branches
/// spread, pushed onto `out`.
fn flatten(
    root: &'static Value,
    schema: &'static Value,
    out: &mut Vec<SchemaAt>,
    depth: usize,
) -> std::result::Result<(), String> {
    if depth > 16 {
        return Err("has schemas nested too deeply".into());
    }
    let schema = crate::schema::resolve_ref(root, schema, "scope")?;
    match schema
        .get("anyOf")
        .or_else(|| schema.get("oneOf"))
        .and_then(Value::as_array)
    {
        Some(branches) => {
            for branch in branches {
                flatten(root, branch, out, depth + 1)?;
            }
        }
        None => out.push((root, schema)),
    }
    Ok(())
}

fn types_of(schema: &Value) -> Vec<&str> {
    match schema.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn article(kinds: &[&str]) -> String {
    match kinds.first().copied() {
        Some(kind @ ("object" | "array" | "integer")) => format!("an {kind}"),
        Some(kind) => format!("a {kind}"),
        None => "null".into(),
    }
}

/// `a, b and c`, at most 12 names (then `…`).
pub(crate) fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [only] => (*only).into(),
        _ if names.len() > 12 => format!("{}, …", names[..12].join(", ")),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
