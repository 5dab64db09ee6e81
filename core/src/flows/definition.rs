//! A flow read and checked whole on load: its trigger, its mapping, its
//! condition, and its steps put in run order, every path and every action
//! name checked, and step references that form a cycle refused, each fault
//! naming its JSON path.

use super::recovery::Recovery;
use crate::lang::{Condition, Scope, Template};
use crate::mapping::MappingTemplate;
use crate::{Error, Result};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;

/// How deep a flow's own writes may re-trigger it, by default: not at all
/// (an event its own write caused is logged and not run).
pub const DEFAULT_MAX_DEPTH: u32 = 1;

/// How long a runner holds a run it is working on before another may take
/// it over, by default, in milliseconds. Each commit renews it, so it must
/// outlast the longest step: a call's deadline is `callTimeoutMs` (30 s by
/// default), and a composite makes several calls.
pub const DEFAULT_LEASE_MS: u64 = 120_000;

/// The most steps a flow may have.
pub const MAX_STEPS: usize = 32;

const FLOW_KEYS: &[&str] = &[
    "name",
    "description",
    "trigger",
    "mapping",
    "condition",
    "steps",
    "maxDepth",
    "leaseMs",
];
const STEP_KEYS: &[&str] = &["name", "action", "params", "condition"];
const MAPPING_KEYS: &[&str] = &["template", "from"];

/// What starts a flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trigger {
    /// A HighLevel event type (`ContactCreate`), delivered by webhook or
    /// reported by a poll: the two carry the same payload and dedupe id.
    Event(String),
    /// A host event `{type, id, data}` of this type, deduplicated by its id.
    Host(String),
}

/// A flow's mapping: a template over a part of the event, whose output the
/// condition and steps read as `mapped`.
#[derive(Clone, Debug)]
pub(crate) struct FlowMapping {
    pub(crate) template: MappingTemplate,
    /// What it reads, as written (`event.data`).
    pub(crate) from: String,
    from_template: Template,
}

impl FlowMapping {
    /// The record the template reads, from the run's data.
    pub(crate) fn input(&self, data: &Value) -> Value {
        self.from_template.render(data)
    }
}

/// One step: a catalog action with templated params.
#[derive(Clone, Debug)]
pub(crate) struct Step {
    pub(crate) name: String,
    /// The action's catalog name (an operation's current name).
    pub(crate) action: &'static str,
    pub(crate) params: Template,
    pub(crate) condition: Option<Condition>,
    pub(crate) recovery: Recovery,
    /// Whether its action requires `locationId`, which the credentials'
    /// location fills when the params leave it out.
    pub(crate) needs_location: bool,
    /// Where it is declared, for error paths.
    pub(crate) at: String,
}

/// A flow: when its trigger fires, if its condition holds, run its steps.
/// Loaded once ([`Flow::load`]) and run by the driver, any number of times.
///
/// Immutable; `Send + Sync`.
#[derive(Clone, Debug)]
pub struct Flow {
    pub(crate) name: String,
    pub(crate) trigger: Trigger,
    pub(crate) mapping: Option<FlowMapping>,
    pub(crate) condition: Option<Condition>,
    /// In run order: every step after the steps it reads.
    pub(crate) steps: Vec<Step>,
    pub(crate) max_depth: u32,
    pub(crate) lease_ms: u64,
    fingerprint: String,
}

impl Flow {
    /// Reads and checks a flow (its JSON Schema is the catalog's `flow`).
    ///
    /// Errors: InvalidArgument naming the JSON path of the first fault: an
    /// unknown member, trigger or action, a param the action does not take,
    /// a path that refers to nothing (`{{steps.nope.result}}`), a bad
    /// mapping template, a step that reads itself, or steps whose
    /// references form a cycle.
    pub fn load(json: &Value) -> Result<Flow> {
        load(json).map_err(Error::invalid_argument)
    }

    /// [`Flow::load`] from JSON text.
    ///
    /// Errors: InvalidArgument for text that is not JSON, then as
    /// [`Flow::load`].
    pub fn load_text(text: &str) -> Result<Flow> {
        let json: Value = serde_json::from_str(text)
            .map_err(|e| Error::invalid_argument(format!("the flow is not JSON: {e}")))?;
        Flow::load(&json)
    }

    /// Its name, which keys its run log.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What starts it.
    pub fn trigger(&self) -> &Trigger {
        &self.trigger
    }

    /// 16 hex digits of the SHA-256 of its JSON (keys sorted): a run logs
    /// the version of the flow it ran.
    pub fn fingerprint(&self) -> &str {
        &self.fingerprint
    }

    /// Whether its mapping reads phone numbers (the npm package loads its
    /// phone module first).
    pub fn uses_phone(&self) -> bool {
        self.mapping
            .as_ref()
            .is_some_and(|m| m.template.uses_phone())
    }

    /// Its steps' names, in run order.
    pub fn step_names(&self) -> Vec<&str> {
        self.steps.iter().map(|s| s.name.as_str()).collect()
    }

    /// What the flow is, as every surface shows it: `{name, fingerprint,
    /// trigger: {event} | {hostEvent}, steps: [{name, action, recovery}]}`,
    /// the steps in run order, each action by its current catalog name, and
    /// `recovery` how an unlogged outcome is settled (`marker`, `resend`,
    /// `unknown`).
    pub fn summary(&self) -> Value {
        let trigger = match &self.trigger {
            Trigger::Event(kind) => serde_json::json!({ "event": kind }),
            Trigger::Host(kind) => serde_json::json!({ "hostEvent": kind }),
        };
        let steps: Vec<Value> = self
            .steps
            .iter()
            .map(|s| {
                serde_json::json!({
                    "name": s.name,
                    "action": s.action,
                    "recovery": s.recovery.name(),
                })
            })
            .collect();
        serde_json::json!({
            "name": self.name,
            "fingerprint": self.fingerprint,
            "trigger": trigger,
            "steps": steps,
        })
    }
}

fn check_keys(object: &Map<String, Value>, allowed: &[&str], at: &str) -> Result<(), String> {
    match object.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(format!(
            "{at}.{k}: unknown member (a {} takes {})",
            if at == "$" { "flow" } else { "part here" },
            allowed.join(", ")
        )),
        None => Ok(()),
    }
}

fn text<'a>(object: &'a Map<String, Value>, key: &str, at: &str) -> Result<&'a str, String> {
    match object.get(key) {
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(format!("{at}.{key}: must be text")),
        None => Err(format!("{at}.{key}: is required")),
    }
}

fn is_name(text: &str, first: fn(char) -> bool, rest: fn(char) -> bool) -> bool {
    let mut chars = text.chars();
    text.len() <= 64 && chars.next().is_some_and(first) && chars.all(rest)
}

fn load(json: &Value) -> Result<Flow, String> {
    let root = json
        .as_object()
        .ok_or("$: a flow is a JSON object {name, trigger, steps, …}")?;
    check_keys(root, FLOW_KEYS, "$")?;
    let name = text(root, "name", "$")?;
    if !is_name(
        name,
        |c| c.is_ascii_alphanumeric(),
        |c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'),
    ) {
        return Err(format!(
            "$.name: {name:?} is not a flow name (1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit)"
        ));
    }
    if let Some(d) = root.get("description")
        && !d.is_string()
    {
        return Err("$.description: must be text".into());
    }
    let trigger = load_trigger(root.get("trigger"))?;
    let base = match &trigger {
        Trigger::Event(kind) => Scope::new()
            .with_event("event", kind)
            .map_err(|e| format!("$.trigger.event: {}", e.message()))?,
        Trigger::Host(_) => Scope::new().with_fields(
            "event",
            Scope::new()
                .with_any("type")
                .with_any("id")
                .with_any("data"),
        ),
    };
    // `now`: when the run started (RFC 3339), the same on every resume.
    let event_scope = base.with_any("now");
    let mapping = match root.get("mapping") {
        None => None,
        Some(m) => Some(load_mapping(m, &trigger, &event_scope)?),
    };
    let mut scope = event_scope;
    if let Some(m) = &mapping {
        scope = scope
            .with_params("mapped", m.template.target().action())
            .map_err(|e| format!("$.mapping: {}", e.message()))?;
    }
    let condition = root
        .get("condition")
        .map(|c| Condition::load_at(c, &scope, "$.condition"))
        .transpose()
        .map_err(|e| e.message().to_owned())?;
    let steps = load_steps(root.get("steps"), &scope)?;
    let max_depth = match root.get("maxDepth") {
        None => DEFAULT_MAX_DEPTH,
        Some(v) => v
            .as_u64()
            .filter(|d| (1..=8).contains(d))
            .map(|d| d as u32)
            .ok_or("$.maxDepth: a whole number from 1 to 8")?,
    };
    let lease_ms = match root.get("leaseMs") {
        None => DEFAULT_LEASE_MS,
        Some(v) => v
            .as_u64()
            .filter(|ms| (100..=3_600_000).contains(ms))
            .ok_or("$.leaseMs: milliseconds from 100 to 3600000")?,
    };
    let digest = Sha256::digest(json.to_string());
    let fingerprint = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Flow {
        name: name.to_owned(),
        trigger,
        mapping,
        condition,
        steps,
        max_depth,
        lease_ms,
        fingerprint,
    })
}

fn load_trigger(json: Option<&Value>) -> Result<Trigger, String> {
    let object = json
        .and_then(Value::as_object)
        .ok_or("$.trigger: is required: {\"event\": \"ContactCreate\"} or {\"hostEvent\": \"member.updated\"}")?;
    check_keys(object, &["event", "hostEvent"], "$.trigger")?;
    match (object.get("event"), object.get("hostEvent")) {
        (Some(Value::String(kind)), None) => Ok(Trigger::Event(kind.clone())),
        (None, Some(Value::String(kind))) if !kind.is_empty() && kind.len() <= 128 => {
            Ok(Trigger::Host(kind.clone()))
        }
        (None, Some(_)) => Err("$.trigger.hostEvent: 1 to 128 bytes of text".into()),
        _ => Err(
            "$.trigger: exactly one of event (a HighLevel event type) or hostEvent (text)".into(),
        ),
    }
}

fn load_mapping(json: &Value, trigger: &Trigger, scope: &Scope) -> Result<FlowMapping, String> {
    let object = json.as_object().ok_or("$.mapping: {template, from?}")?;
    check_keys(object, MAPPING_KEYS, "$.mapping")?;
    let template = MappingTemplate::load(object.get("template").unwrap_or(&Value::Null))
        .map_err(|e| format!("$.mapping.template: {}", e.message()))?;
    let from = match object.get("from") {
        Some(Value::String(path)) => path.clone(),
        Some(_) => return Err("$.mapping.from: a path, such as event.data".into()),
        None => match trigger {
            Trigger::Event(_) => "event".into(),
            Trigger::Host(_) => "event.data".into(),
        },
    };
    let from_template = Template::load_at(
        &Value::String(format!("{{{{{from}}}}}")),
        scope,
        "$.mapping.from",
    )
    .map_err(|e| e.message().to_owned())?;
    Ok(FlowMapping {
        template,
        from,
        from_template,
    })
}

/// A step as first read: its action and the names of the steps it reads.
struct Declared<'a> {
    name: String,
    action: &'static str,
    object: &'a Map<String, Value>,
    at: String,
}

fn load_steps(json: Option<&Value>, scope: &Scope) -> Result<Vec<Step>, String> {
    let list = json
        .and_then(Value::as_array)
        .ok_or("$.steps: is required: a list of {name, action, params}")?;
    if list.is_empty() || list.len() > MAX_STEPS {
        return Err(format!("$.steps: 1 to {MAX_STEPS} steps"));
    }
    let mut declared = Vec::with_capacity(list.len());
    let mut names = BTreeSet::new();
    for (i, step) in list.iter().enumerate() {
        let at = format!("$.steps[{i}]");
        let object = step
            .as_object()
            .ok_or_else(|| format!("{at}: a step is {{name, action, params}}"))?;
        check_keys(object, STEP_KEYS, &at)?;
        let name = text(object, "name", &at)?;
        if !is_name(
            name,
            |c| c.is_ascii_alphabetic() || c == '_',
            |c| c.is_ascii_alphanumeric() || c == '_',
        ) {
            return Err(format!(
                "{at}.name: {name:?} is not a step name (1 to 64 of A-Z a-z 0-9 _, not starting with a digit)"
            ));
        }
        if !names.insert(name.to_owned()) {
            return Err(format!("{at}.name: another step is named {name:?}"));
        }
        let given = text(object, "action", &at)?;
        let action = action_name(given)
            .ok_or_else(|| format!("{at}.action: {given:?} is not an action of the catalog"))?;
        declared.push(Declared {
            name: name.to_owned(),
            action,
            object,
            at,
        });
    }
    // Every step's result is in scope, so a reference to a step that does
    // not exist is refused by the scope, and one to a later step orders it.
    let mut steps_scope = Scope::new();
    for d in &declared {
        steps_scope = steps_scope.with_fields(
            &d.name,
            Scope::new()
                .with_result("result", d.action, None)
                .map_err(|e| format!("{}.action: {}", d.at, e.message()))?,
        );
    }
    let scope = scope.clone().with_fields("steps", steps_scope);
    let mut steps = Vec::with_capacity(declared.len());
    let mut reads = Vec::with_capacity(declared.len());
    for d in &declared {
        let params_json = d
            .object
            .get("params")
            .cloned()
            .unwrap_or(Value::Object(Map::new()));
        match &params_json {
            Value::Object(given) => check_params(d.action, given, &d.at)?,
            Value::String(whole)
                if whole.trim().starts_with("{{") && whole.trim().ends_with("}}") => {}
            _ => {
                return Err(format!(
                    "{}.params: an object of the action's params, or one expression such as \"{{{{mapped}}}}\"",
                    d.at
                ));
            }
        }
        let params = Template::load_at(&params_json, &scope, &format!("{}.params", d.at))
            .map_err(|e| e.message().to_owned())?;
        let condition = d
            .object
            .get("condition")
            .map(|c| Condition::load_at(c, &scope, &format!("{}.condition", d.at)))
            .transpose()
            .map_err(|e| e.message().to_owned())?;
        let mut read: BTreeSet<String> = params.references("steps");
        if let Some(c) = &condition {
            read.extend(c.references("steps"));
        }
        if read.contains(&d.name) {
            return Err(format!("{}: step {:?} reads its own result", d.at, d.name));
        }
        reads.push(read);
        steps.push(Step {
            name: d.name.clone(),
            action: d.action,
            params,
            condition,
            recovery: Recovery::of(d.action),
            needs_location: requires_location(d.action),
            at: d.at.clone(),
        });
    }
    let order = run_order(&steps, &reads)?;
    let mut slots: Vec<Option<Step>> = steps.into_iter().map(Some).collect();
    Ok(order.into_iter().filter_map(|i| slots[i].take()).collect())
}

/// The catalog name of action `name` (a former name reads as the current
/// one), if the catalog has it.
fn action_name(name: &str) -> Option<&'static str> {
    if let Some(action) = crate::actions::find(name) {
        return Some(action.name);
    }
    crate::ops::by_name::find(name).ok().map(|e| e.spec.name)
}

/// Whether action `action`'s params schema requires `locationId`.
fn requires_location(action: &str) -> bool {
    crate::schema::builtin::action_schemas(action)
        .and_then(|(params, _)| params.get("required"))
        .and_then(Value::as_array)
        .is_some_and(|r| r.iter().any(|f| f == "locationId"))
}

/// Refuses a param the action's params schema has no place for.
fn check_params(action: &str, given: &Map<String, Value>, at: &str) -> Result<(), String> {
    let Some(properties) = crate::schema::builtin::action_schemas(action)
        .and_then(|(params, _)| params.get("properties"))
        .and_then(Value::as_object)
    else {
        return Ok(());
    };
    match given.keys().find(|k| !properties.contains_key(k.as_str())) {
        Some(k) => {
            let mut takes: Vec<&str> = properties.keys().map(String::as_str).collect();
            takes.truncate(12);
            Err(format!(
                "{at}.params.{k}: {action} takes no param {k:?} ({}…)",
                takes.join(", ")
            ))
        }
        None => Ok(()),
    }
}

/// The steps' indexes in run order: each after every step it reads, and
/// otherwise in declared order.
///
/// Errors naming the steps of a cycle.
fn run_order(steps: &[Step], reads: &[BTreeSet<String>]) -> Result<Vec<usize>, String> {
    let index_of = |name: &str| steps.iter().position(|s| s.name == name);
    let deps: Vec<Vec<usize>> = reads
        .iter()
        .map(|r| r.iter().filter_map(|n| index_of(n)).collect())
        .collect();
    let mut placed = vec![false; steps.len()];
    let mut order = Vec::with_capacity(steps.len());
    while order.len() < steps.len() {
        let ready = (0..steps.len()).find(|&i| !placed[i] && deps[i].iter().all(|&d| placed[d]));
        match ready {
            Some(i) => {
                placed[i] = true;
                order.push(i);
            }
            None => {
                // Every step left waits on another left: walk until one repeats.
                let mut walk = vec![(0..steps.len()).find(|&i| !placed[i]).unwrap_or(0)];
                loop {
                    let here = *walk.last().unwrap_or(&0);
                    let next = deps[here]
                        .iter()
                        .copied()
                        .find(|&d| !placed[d])
                        .unwrap_or(here);
                    if let Some(start) = walk.iter().position(|&w| w == next) {
                        let cycle: Vec<String> = walk[start..]
                            .iter()
                            .chain(std::iter::once(&next))
                            .map(|&i| format!("{:?}", steps[i].name))
                            .collect();
                        return Err(format!(
                            "{}.params: the steps {} read each other's results in a cycle",
                            steps[walk[start]].at,
                            cycle.join(" → ")
                        ));
                    }
                    walk.push(next);
                }
            }
        }
    }
    Ok(order)
}
