//! Conditions: `all`, `any`, `not`, and comparisons on a path.

use super::path::DataPath;
use super::scope::Scope;
use super::{LoadError, MAX_DEPTH};
use crate::Result;
use serde_json::{Map, Value};

/// How a comparison's operand is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Operand {
    /// `value`: any JSON (or `valuePath`: another path).
    Any,
    /// `value`: an array of candidates.
    List,
    /// `value`: a string, number or boolean (or `valuePath`).
    Scalar,
    /// `value`: optional, `true` (the default) or `false` (must be absent).
    Presence,
    /// `value`: a number or an RFC 3339 time (or `valuePath`).
    Ordered,
    /// `value`: a regular expression.
    Pattern,
}

/// One comparison operator: its name in JSON, its operand, one line for
/// people. The language's JSON Schema and its docs are written from this
/// table, so it is the one list of operators.
#[derive(Debug)]
pub struct Operator {
    /// The `op` value.
    pub name: &'static str,
    pub(crate) operand: Operand,
    /// What it tests.
    pub summary: &'static str,
}

impl Operator {
    /// How the operand is written.
    #[cfg(feature = "schema")]
    pub(crate) fn operand(&self) -> Operand {
        self.operand
    }
}

/// Every comparison operator, in the order the docs list them.
pub static OPERATORS: &[Operator] = &[
    Operator {
        name: "eq",
        operand: Operand::Any,
        summary: prose!("equal (numbers by value: 1 equals 1.0)"),
    },
    Operator {
        name: "ne",
        operand: Operand::Any,
        summary: prose!("not equal; an absent value is null"),
    },
    Operator {
        name: "in",
        operand: Operand::List,
        summary: prose!("equal to one of the listed values"),
    },
    Operator {
        name: "contains",
        operand: Operand::Scalar,
        summary: prose!("a list holding the value, or text holding it"),
    },
    Operator {
        name: "exists",
        operand: Operand::Presence,
        summary: prose!("present and not null (value false: absent or null)"),
    },
    Operator {
        name: "gt",
        operand: Operand::Ordered,
        summary: prose!("greater: numbers, or RFC 3339 times as instants"),
    },
    Operator {
        name: "gte",
        operand: Operand::Ordered,
        summary: prose!("greater or equal"),
    },
    Operator {
        name: "lt",
        operand: Operand::Ordered,
        summary: prose!("less: numbers, or RFC 3339 times as instants"),
    },
    Operator {
        name: "lte",
        operand: Operand::Ordered,
        summary: prose!("less or equal"),
    },
    Operator {
        name: "matches",
        operand: Operand::Pattern,
        summary: prose!("text matching a regular expression (linear time, size-capped)"),
    },
];

/// A condition, checked against its scope on load and evaluated against
/// data any number of times. Immutable; `Send + Sync`.
///
/// ```
/// use contacts_core::lang::{Condition, Scope};
/// use serde_json::json;
/// let scope = Scope::new().with_result("contact", "contacts.get", Some("contact")).unwrap();
/// let webinar = Condition::load(
///     &json!({"all": [
///         {"path": "contact.tags", "op": "contains", "value": "webinar", "ignoreCase": true},
///         {"not": {"path": "contact.email", "op": "matches", "value": "@example\\.com$"}}
///     ]}),
///     &scope,
/// ).unwrap();
/// assert!(webinar.eval(&json!({"contact": {"tags": ["Webinar"], "email": "ada@acme.io"}})));
///
/// let typo = Condition::load(&json!({"path": "contact.emial", "op": "exists"}), &scope).unwrap_err();
/// assert!(typo.message().starts_with("$.path: contact has no field \"emial\""));
/// ```
#[derive(Clone, Debug)]
pub struct Condition {
    node: Node,
}

#[derive(Clone, Debug)]
enum Node {
    All(Vec<Node>),
    Any(Vec<Node>),
    Not(Box<Node>),
    Compare(Box<Compare>),
}

#[derive(Clone, Debug)]
struct Compare {
    path: DataPath,
    op: Op,
    operand: Rhs,
    ignore_case: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    In,
    Contains,
    Exists,
    Gt,
    Gte,
    Lt,
    Lte,
    Matches,
}

#[derive(Clone, Debug)]
enum Rhs {
    Value(Value),
    Path(DataPath),
    Present(bool),
    Number(f64),
    Time(i64),
    Pattern(regex_lite::Regex),
}

impl Condition {
    /// Reads and checks a condition: every operator known, every path in
    /// `scope`, every operand of its operator's kind, every regex within
    /// the cap.
    ///
    /// Errors with InvalidArgument naming the JSON path of the first fault,
    /// e.g. `$.all[1].op: unknown operator "equals" (eq, ne, …)`.
    pub fn load(json: &Value, scope: &Scope) -> Result<Condition> {
        Condition::load_at(json, scope, "$")
    }

    /// [`Condition::load`] for a condition found at `json_path` of a larger
    /// document (`$.tasks[1].when`), which its errors then name.
    pub fn load_at(json: &Value, scope: &Scope, json_path: &str) -> Result<Condition> {
        let node = load_node(json, scope, &mut json_path.to_owned(), 0)?;
        Ok(Condition { node })
    }

    /// Whether `data` (an object of the scope's variables) meets this
    /// condition. A path that leads nowhere in `data` reads as null.
    pub fn eval(&self, data: &Value) -> bool {
        eval_node(&self.node, data)
    }

    /// The fields right under variable `variable` that its paths read, once
    /// each (see [`super::Template::references`]).
    pub fn references(&self, variable: &str) -> std::collections::BTreeSet<String> {
        let mut found = std::collections::BTreeSet::new();
        node_references(&self.node, variable, &mut found);
        found
    }
}

fn node_references(node: &Node, variable: &str, found: &mut std::collections::BTreeSet<String>) {
    match node {
        Node::All(nodes) | Node::Any(nodes) => nodes
            .iter()
            .for_each(|n| node_references(n, variable, found)),
        Node::Not(inner) => node_references(inner, variable, found),
        Node::Compare(c) => {
            let right = match &c.operand {
                Rhs::Path(p) => Some(p),
                _ => None,
            };
            for path in std::iter::once(&c.path).chain(right) {
                if let Some(name) = path.field_under(variable) {
                    found.insert(name.to_owned());
                }
            }
        }
    }
}

fn load_node(json: &Value, scope: &Scope, at: &mut String, depth: usize) -> Result<Node> {
    if depth > MAX_DEPTH {
        return Err(LoadError::at(
            at,
            format!("conditions nest more than {MAX_DEPTH} deep"),
        ));
    }
    let Some(object) = json.as_object() else {
        return Err(LoadError::at(
            at,
            "a condition is an object: {all}, {any}, {not} or {path, op, value}",
        ));
    };
    for group in ["all", "any"] {
        if let Some(list) = object.get(group) {
            only_keys(object, &[group], at)?;
            let Some(list) = list.as_array() else {
                return Err(LoadError::at(
                    &format!("{at}.{group}"),
                    "a list of conditions",
                ));
            };
            let mut nodes = Vec::with_capacity(list.len());
            for (i, item) in list.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!(".{group}[{i}]"));
                nodes.push(load_node(item, scope, at, depth + 1)?);
                at.truncate(len);
            }
            return Ok(if group == "all" {
                Node::All(nodes)
            } else {
                Node::Any(nodes)
            });
        }
    }
    if let Some(inner) = object.get("not") {
        only_keys(object, &["not"], at)?;
        let len = at.len();
        at.push_str(".not");
        let node = load_node(inner, scope, at, depth + 1)?;
        at.truncate(len);
        return Ok(Node::Not(Box::new(node)));
    }
    load_compare(object, scope, at).map(|c| Node::Compare(Box::new(c)))
}

fn only_keys(object: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<()> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(extra) => Err(LoadError::at(
            &format!("{at}.{extra}"),
            format!("unexpected beside {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

fn load_compare(object: &Map<String, Value>, scope: &Scope, at: &str) -> Result<Compare> {
    only_keys(
        object,
        &["path", "op", "value", "valuePath", "ignoreCase"],
        at,
    )?;
    let path = load_path(object.get("path"), scope, &format!("{at}.path"))?;
    let op_at = format!("{at}.op");
    let op_name = object
        .get("op")
        .ok_or_else(|| LoadError::at(&op_at, "required"))?
        .as_str()
        .ok_or_else(|| LoadError::at(&op_at, "an operator name"))?;
    let (op, operator) = find_operator(op_name).ok_or_else(|| {
        let names: Vec<&str> = OPERATORS.iter().map(|o| o.name).collect();
        LoadError::at(
            &op_at,
            format!("unknown operator {op_name:?} ({})", names.join(", ")),
        )
    })?;
    let ignore_case = match object.get("ignoreCase") {
        None => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(LoadError::at(&format!("{at}.ignoreCase"), "true or false")),
    };
    let value_at = format!("{at}.value");
    let value = object.get("value");
    let operand = if let Some(other) = object.get("valuePath") {
        if value.is_some() {
            return Err(LoadError::at(
                &value_at,
                "give value or valuePath, not both",
            ));
        }
        if !matches!(
            operator.operand,
            Operand::Any | Operand::Scalar | Operand::Ordered
        ) {
            return Err(LoadError::at(
                &format!("{at}.valuePath"),
                format!("{op_name} takes a value, not a path"),
            ));
        }
        Rhs::Path(load_path(Some(other), scope, &format!("{at}.valuePath"))?)
    } else {
        load_operand(operator.operand, value, ignore_case, &value_at, op_name)?
    };
    Ok(Compare {
        path,
        op,
        operand,
        ignore_case,
    })
}

fn load_path(json: Option<&Value>, scope: &Scope, at: &str) -> Result<DataPath> {
    let text = json
        .ok_or_else(|| LoadError::at(at, "required"))?
        .as_str()
        .ok_or_else(|| LoadError::at(at, "a path, such as contact.email"))?;
    let path = DataPath::parse(text).map_err(|e| LoadError::at(at, e))?;
    scope.check(&path).map_err(|e| LoadError::at(at, e))?;
    Ok(path)
}

fn load_operand(
    kind: Operand,
    value: Option<&Value>,
    ignore_case: bool,
    at: &str,
    op: &str,
) -> Result<Rhs> {
    let required = || LoadError::at(at, format!("{op} needs a value"));
    Ok(match kind {
        Operand::Any => Rhs::Value(value.ok_or_else(required)?.clone()),
        Operand::List => match value.ok_or_else(required)? {
            list @ Value::Array(_) => Rhs::Value(list.clone()),
            _ => return Err(LoadError::at(at, "in takes a list of values")),
        },
        Operand::Scalar => match value.ok_or_else(required)? {
            v @ (Value::String(_) | Value::Number(_) | Value::Bool(_)) => Rhs::Value(v.clone()),
            _ => {
                return Err(LoadError::at(
                    at,
                    "contains takes a string, number or boolean",
                ));
            }
        },
        Operand::Presence => match value {
            None => Rhs::Present(true),
            Some(Value::Bool(b)) => Rhs::Present(*b),
            Some(_) => {
                return Err(LoadError::at(
                    at,
                    "exists takes true (the default) or false",
                ));
            }
        },
        Operand::Ordered => match value.ok_or_else(required)? {
            Value::Number(n) => Rhs::Number(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => match crate::time::parse_rfc3339_ms(s) {
                Some(ms) => Rhs::Time(ms),
                None => {
                    return Err(LoadError::at(
                        at,
                        format!("{op} takes a number or an RFC 3339 time, not {s:?}"),
                    ));
                }
            },
            _ => {
                return Err(LoadError::at(
                    at,
                    format!("{op} takes a number or an RFC 3339 time"),
                ));
            }
        },
        Operand::Pattern => {
            let pattern = value.ok_or_else(required)?.as_str().ok_or_else(|| {
                LoadError::at(at, "matches takes a regular expression as a string")
            })?;
            let regex =
                super::compile_regex(pattern, ignore_case).map_err(|e| LoadError::at(at, e))?;
            Rhs::Pattern(regex)
        }
    })
}

fn find_operator(name: &str) -> Option<(Op, &'static Operator)> {
    let op = match name {
        "eq" => Op::Eq,
        "ne" => Op::Ne,
        "in" => Op::In,
        "contains" => Op::Contains,
        "exists" => Op::Exists,
        "gt" => Op::Gt,
        "gte" => Op::Gte,
        "lt" => Op::Lt,
        "lte" => Op::Lte,
        "matches" => Op::Matches,
        _ => return None,
    };
    OPERATORS.iter().find(|o| o.name == name).map(|o| (op, o))
}

fn eval_node(node: &Node, data: &Value) -> bool {
    match node {
        Node::All(nodes) => nodes.iter().all(|n| eval_node(n, data)),
        Node::Any(nodes) => nodes.iter().any(|n| eval_node(n, data)),
        Node::Not(inner) => !eval_node(inner, data),
        Node::Compare(c) => eval_compare(c, data),
    }
}

const NULL: Value = Value::Null;

fn eval_compare(c: &Compare, data: &Value) -> bool {
    let left = c.path.resolve(data).unwrap_or(&NULL);
    let right = match &c.operand {
        Rhs::Path(path) => Some(path.resolve(data).unwrap_or(&NULL)),
        Rhs::Value(v) => Some(v),
        _ => None,
    };
    let fold = c.ignore_case;
    match (c.op, &c.operand) {
        (Op::Eq, _) => right.is_some_and(|r| same(left, r, fold)),
        (Op::Ne, _) => !right.is_some_and(|r| same(left, r, fold)),
        (Op::In, _) => right
            .and_then(Value::as_array)
            .is_some_and(|list| list.iter().any(|r| same(left, r, fold))),
        (Op::Contains, _) => right.is_some_and(|r| contains(left, r, fold)),
        (Op::Exists, Rhs::Present(wanted)) => left.is_null() != *wanted,
        (Op::Gt | Op::Gte | Op::Lt | Op::Lte, operand) => {
            let ordering = match (operand, right) {
                (Rhs::Number(n), _) => left.as_f64().and_then(|l| l.partial_cmp(n)),
                (Rhs::Time(t), _) => time_of(left).map(|l| l.cmp(t)),
                (_, Some(r)) => order(left, r),
                _ => None,
            };
            ordering.is_some_and(|o| match c.op {
                Op::Gt => o.is_gt(),
                Op::Gte => o.is_ge(),
                Op::Lt => o.is_lt(),
                _ => o.is_le(),
            })
        }
        (Op::Matches, Rhs::Pattern(regex)) => left.as_str().is_some_and(|s| regex.is_match(s)),
        _ => false,
    }
}

fn time_of(value: &Value) -> Option<i64> {
    value.as_str().and_then(crate::time::parse_rfc3339_ms)
}

/// Two values of the data ordered: both numbers, or both RFC 3339 times.
fn order(left: &Value, right: &Value) -> Option<std::cmp::Ordering> {
    match (left, right) {
        (Value::Number(_), Value::Number(_)) => left.as_f64()?.partial_cmp(&right.as_f64()?),
        _ => Some(time_of(left)?.cmp(&time_of(right)?)),
    }
}

/// JSON equality, numbers by value, text case-folded when `fold`.
fn same(left: &Value, right: &Value, fold: bool) -> bool {
    match (left, right) {
        (Value::Number(a), Value::Number(b)) => match (a.as_i64(), b.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => a.as_f64() == b.as_f64(),
        },
        (Value::String(a), Value::String(b)) if fold => a.to_lowercase() == b.to_lowercase(),
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b, fold))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .all(|(k, v)| b.get(k).is_some_and(|w| same(v, w, fold)))
        }
        _ => left == right,
    }
}

fn contains(left: &Value, right: &Value, fold: bool) -> bool {
    match (left, right) {
        (Value::Array(items), _) => items.iter().any(|item| same(item, right, fold)),
        (Value::String(text), Value::String(part)) if fold => {
            text.to_lowercase().contains(&part.to_lowercase())
        }
        (Value::String(text), Value::String(part)) => text.contains(part.as_str()),
        _ => false,
    }
}
