//! `tasks.createSet`: a tailored set of tasks for one contact, from a
//! task-set template ("leads tagged webinar get these three tasks"). The
//! contact is read once; each task's condition, title and body are the
//! shared language's, evaluated against it; the creates then go out at
//! once.
//!
//! Everything is checked before anything is created: a template that does
//! not load, or a due date that cannot be worked out for this contact,
//! fails the whole set with nothing created.

use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use crate::lang::{Condition, Scope, Template};
use crate::{Error, Result};
use futures_util::future::join_all;
use serde_json::{Map, Value, json};

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct CreateTaskSet {
    /// The contact the tasks are for.
    contact_id: String,
    /// The task set, in order.
    tasks: Vec<TaskTemplate>,
    /// The user tasks are assigned to when a task names none.
    assigned_to: Option<String>,
}

/// One task of a set. `title` and `body` are templates of the shared
/// language (`{{contact.firstName}}`), `when` a condition of it, both over
/// `contact` (the contact as `contacts.get` returns it) and `now`.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct TaskTemplate {
    /// The title (a template).
    title: String,
    /// The body (a template).
    body: Option<String>,
    /// When it is due.
    due: Due,
    /// The user it is assigned to (else the set's `assignedTo`).
    assigned_to: Option<String>,
    /// Create it only when the contact meets this condition (the catalog's
    /// `language.condition`).
    when: Option<Value>,
}

/// A due date: an ISO 8601 duration after an instant.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct Due {
    /// `PnW`, or `PnD` / `PTnH` / `PTnM` / `PTnS` combined in that order
    /// (`P1D`, `PT4H`, `P1DT2H`); a day is 24 hours.
    after: String,
    /// `now` (the default: the driver's clock), or a path to a time of the
    /// contact (`contact.dateAdded`).
    from: Option<String>,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct TaskSetResult {
    /// The tasks created, in the set's order.
    created: Vec<CreatedTask>,
    /// The indexes (in the set) of the tasks whose condition the contact
    /// did not meet.
    skipped: Vec<usize>,
}

/// One created task.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct CreatedTask {
    /// Its index in the set.
    index: usize,
    /// The task as the API returned it.
    task: crate::models::Task,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<CreateTaskSet>(),
        crate::schema::schema_of::<TaskSetResult>(),
    )
}

/// What the templates and conditions of a set may name.
fn scope() -> Result<Scope> {
    Ok(Scope::new()
        .with_result("contact", "contacts.get", Some("contact"))?
        .with_any("now"))
}

/// One task of the set, loaded.
struct Planned {
    title: Template,
    body: Option<Template>,
    after_ms: u64,
    from: Option<Template>,
    assigned_to: Option<String>,
    when: Option<Condition>,
}

fn load(tasks: &[Value], scope: &Scope) -> Result<Vec<Planned>> {
    tasks
        .iter()
        .enumerate()
        .map(|(i, task)| {
            let at = format!("$.tasks[{i}]");
            let field = |name: &str| task.get(name).filter(|v| !v.is_null());
            let template = |name: &str| -> Result<Option<Template>> {
                field(name)
                    .map(|v| Template::load_at(v, scope, &format!("{at}.{name}")))
                    .transpose()
            };
            let title = template("title")?
                .ok_or_else(|| Error::invalid_argument(format!("{at}.title: required")))?;
            let due = field("due").unwrap_or(&Value::Null);
            let after = due.get("after").and_then(Value::as_str).unwrap_or_default();
            let after_ms = super::duration_param(&format!("{at}.due.after"), after)?;
            // `from` is a path: loaded as a one-expression template, so it is
            // checked against the scope like any other path.
            let from = match due.get("from").and_then(Value::as_str) {
                None | Some("now") => None,
                Some(path) => Some(
                    Template::load_text(&format!("{{{{{path}}}}}"), scope).map_err(|e| {
                        Error::invalid_argument(format!(
                            "{at}.due.from: {}",
                            strip_root(e.message())
                        ))
                    })?,
                ),
            };
            let when = field("when")
                .map(|c| Condition::load_at(c, scope, &format!("{at}.when")))
                .transpose()?;
            Ok(Planned {
                title,
                body: template("body")?,
                after_ms,
                from,
                assigned_to: field("assignedTo")
                    .and_then(Value::as_str)
                    .map(str::to_owned),
                when,
            })
        })
        .collect()
}

/// A load error's message without its `$: ` (the caller names the place).
fn strip_root(message: &str) -> &str {
    message.strip_prefix("$: ").unwrap_or(message)
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let contact_id = super::text(&params, "contactId")?;
    let tasks = params
        .get("tasks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let plan = load(&tasks, &scope()?)?;
    let default_assignee = params.get("assignedTo").and_then(Value::as_str);

    let answer = driver
        .run(JsonCall::new(
            "contacts.get",
            json!({ "contactId": contact_id }),
        )?)
        .await?;
    let now_ms = driver.transport().now_ms();
    let data = json!({
        "contact": answer["contact"],
        "now": crate::time::format_rfc3339_ms(now_ms as i64),
    });

    // Every create is worked out before the first is sent.
    let mut creates = Vec::new();
    let mut skipped = Vec::new();
    for (index, task) in plan.iter().enumerate() {
        if task.when.as_ref().is_some_and(|c| !c.eval(&data)) {
            skipped.push(index);
            continue;
        }
        let from_ms = match &task.from {
            None => now_ms as i64,
            Some(path) => {
                let value = path.render(&data);
                value.as_str().and_then(crate::time::parse_rfc3339_ms).ok_or_else(|| {
                    Error::invalid_argument(format!(
                        "$.tasks[{index}].due.from: the contact has no time there (found {value})"
                    ))
                })?
            }
        };
        let mut body = json!({
            "contactId": contact_id,
            "title": text_of(task.title.render(&data)),
            "dueDate": crate::time::format_rfc3339_ms(from_ms.saturating_add(task.after_ms as i64)),
        });
        if let Some(text) = task.body.as_ref().map(|b| text_of(b.render(&data))) {
            body["body"] = text.into();
        }
        if let Some(user) = task.assigned_to.as_deref().or(default_assignee) {
            body["assignedTo"] = user.into();
        }
        creates.push((index, JsonCall::new("tasks.create", body)?));
    }

    // The creates go out together, each inside the rate budget. Each is
    // awaited to its end, so a failure can say which tasks exist.
    let outcomes = join_all(
        creates
            .into_iter()
            .map(|(index, call)| async move { (index, driver.run(call).await) }),
    )
    .await;
    let mut created = Vec::new();
    let mut failed = None;
    for (index, outcome) in outcomes {
        match outcome {
            Ok(answer) => created.push(json!({ "index": index, "task": answer["task"] })),
            Err(e) if failed.is_none() => failed = Some((index, e)),
            Err(_) => {}
        }
    }
    if let Some((index, e)) = failed {
        let ids: Vec<&str> = created
            .iter()
            .filter_map(|c| c["task"]["id"].as_str())
            .collect();
        return Err(e.context(&format!(
            "tasks.createSet: task {index} was not created ({} others were: {})",
            ids.len(),
            if ids.is_empty() {
                "none".to_owned()
            } else {
                ids.join(", ")
            }
        )));
    }
    Ok(json!({ "created": created, "skipped": skipped }))
}

/// A rendered title or body as the text the API takes (a template of one
/// expression may give a number or null).
fn text_of(value: Value) -> String {
    match value {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}
