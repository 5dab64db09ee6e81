//! `contacts.getWithActivity`: a contact with its tasks, notes and
//! appointments (each part optional), read at once. What the integration
//! guides write as `GET /contacts/:id?include=tasks,notes`, a parameter the
//! API does not have.

use crate::Result;
use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use futures_util::future::try_join4;
use serde_json::{Map, Value, json};

/// The parts besides the contact, in the order the result lists them: the
/// `include` name, the operation that reads it, and the field of its answer.
const PARTS: [(&str, &str, &str); 3] = [
    ("tasks", "tasks.list", "tasks"),
    ("notes", "notes.list", "notes"),
    ("appointments", "appointments.list", "events"),
];

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct GetWithActivity {
    /// The contact.
    contact_id: String,
    /// Which parts to read besides the contact (default: all three).
    include: Option<Vec<Part>>,
}

/// A part of a contact's activity.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
enum Part {
    /// Its tasks.
    Tasks,
    /// Its notes.
    Notes,
    /// Its appointments.
    Appointments,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct WithActivity {
    /// The contact.
    contact: crate::models::Contact,
    /// Its tasks, when included.
    tasks: Option<Vec<crate::models::Task>>,
    /// Its notes, when included.
    notes: Option<Vec<crate::models::Note>>,
    /// Its appointments, when included.
    appointments: Option<Vec<crate::models::Appointment>>,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<GetWithActivity>(),
        crate::schema::schema_of::<WithActivity>(),
    )
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let id = super::text(&params, "contactId")?;
    let wanted = super::included(
        "contacts.getWithActivity",
        &params,
        PARTS.map(|(name, _, _)| name),
    )?;
    let by_contact = json!({ "contactId": id });
    let part = |i: usize| super::run_if(driver, wanted[i], PARTS[i].1, &by_contact);
    // Every read goes out at once, each inside the rate budget.
    let (contact, tasks, notes, appointments) = try_join4(
        driver.run(JsonCall::new("contacts.get", by_contact.clone())?),
        async { part(0)?.await.transpose() },
        async { part(1)?.await.transpose() },
        async { part(2)?.await.transpose() },
    )
    .await?;
    let mut out = Map::new();
    out.insert("contact".into(), contact["contact"].clone());
    for (i, answer) in [tasks, notes, appointments].into_iter().enumerate() {
        if let Some(answer) = answer {
            let (name, _, field) = PARTS[i];
            let items = answer.get(field).cloned().unwrap_or_else(|| json!([]));
            out.insert(name.into(), items);
        }
    }
    Ok(Value::Object(out))
}
