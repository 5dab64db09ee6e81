//! `contacts.capture`: what a form lead or a new host record needs, once:
//! find or create the contact by email or phone (HighLevel's duplicate
//! rules, through `contacts.upsert`), add its tags, and optionally create a
//! task set and a note.
//!
//! HighLevel has no idempotency header, and task and note creates are not
//! idempotent, so the action journals in the state store, under
//! `capture/<key>/…`: the key with a hash of the params before anything is
//! sent, and each part's outcome before and after its request. A rerun with
//! the same key:
//! - after a finished run, sends nothing and reports every part unchanged;
//! - after a crash, redoes only what the journal does not show done. The
//!   contact is found again by its lookup or the upsert; a task or note whose request may
//!   have gone out is looked for by the marker the action writes at the end
//!   of its body (`[capture <id> task <n>]`, `[capture <id> note]`, where
//!   `<id>` is the first 12 hex digits of the key's SHA-256);
//! - with different params, is refused (InvalidArgument) before anything is
//!   sent.
//!
//! The contact's report lists each field the upsert sent that did not come
//! back as written (`dropped`), so HighLevel's silent losses are seen. A
//! capture with an email looks the contact up first, one request more than
//! a bare upsert, so that an email that is already the contact's additional
//! email does not replace and lose its primary (#337; see
//! [`settle_contact`]); a contact that already holds everything sent is not
//! written at all.

use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use crate::ops::honest;
use crate::state::BoundStore;
use crate::{Error, Result};
use futures_util::future::join_all;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// How long a journal is kept: a rerun after this may create again.
const JOURNAL_TTL_MS: u64 = 30 * 24 * 3_600_000;

/// The longest idempotency key, in bytes.
const MAX_KEY_BYTES: usize = 128;

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct Capture {
    /// Names this capture: the same key runs it once (1 to 128 bytes). Use
    /// the form submission's or the host record's id.
    idempotency_key: String,
    /// The contact's fields, as `contacts.upsert` takes them (email or
    /// phone finds an existing contact); `locationId` defaults to the
    /// credentials'.
    contact: Map<String, Value>,
    /// Tags to add (existing tags are kept).
    tags: Option<Vec<String>>,
    /// Tasks to create on it.
    tasks: Option<Vec<CaptureTask>>,
    /// A note to add to it.
    note: Option<String>,
}

/// A task of a capture.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct CaptureTask {
    /// Title.
    title: String,
    /// Body (the action's marker is added at its end).
    body: Option<String>,
    /// When it is due: an ISO 8601 duration after now (`P1D`, `PT4H`).
    due_after: String,
    /// The user it is assigned to.
    assigned_to: Option<String>,
}

/// What happened to one part.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
enum Outcome {
    /// Made by this capture.
    Created,
    /// Changed by this capture.
    Updated,
    /// Already as asked (by an earlier run with this key, or before it).
    Unchanged,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct CaptureResult {
    /// The contact.
    contact: PartReport,
    /// The tags this capture added (none when the contact had them all).
    tags: TagsReport,
    /// The tasks, in the params' order.
    tasks: Vec<PartReport>,
    /// The note, when asked for.
    note: Option<PartReport>,
    /// Whether an earlier run with this key had finished (nothing was sent).
    replayed: bool,
}

/// One part's id and outcome.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct PartReport {
    /// Its id.
    id: String,
    /// What this capture did to it.
    outcome: Outcome,
    /// The contact only: each field sent that did not come back as written
    /// (compared after normalising email case, phone digits, tag case and
    /// dates), as `contacts.upsert` reports it; empty when nothing was lost.
    dropped: Option<Vec<crate::models::DroppedField>>,
}

/// The tags part.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct TagsReport {
    /// The tags added.
    added: Vec<String>,
    /// What this capture did to the contact's tags.
    outcome: Outcome,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<Capture>(),
        crate::schema::schema_of::<CaptureResult>(),
    )
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One journal of one capture key.
struct Journal<'a> {
    store: &'a BoundStore,
    prefix: String,
    now_ms: u64,
}

impl Journal<'_> {
    fn key(&self, part: &str) -> String {
        if part.is_empty() {
            self.prefix.clone()
        } else {
            format!("{}/{part}", self.prefix)
        }
    }

    async fn get(&self, part: &str) -> Result<Option<Value>> {
        Ok(self
            .store
            .get(&self.key(part), self.now_ms)
            .await?
            .map(|e| e.value))
    }

    async fn put(&self, part: &str, value: Value) -> Result<()> {
        self.store
            .put(&self.key(part), &value, Some(JOURNAL_TTL_MS), self.now_ms)
            .await
            .map(drop)
    }
}

/// A task or note to create, with its marker.
struct Create {
    part: String,
    marker: String,
    op: &'static str,
    body: Value,
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let key = super::text(&params, "idempotencyKey")?;
    if key.is_empty() || key.len() > MAX_KEY_BYTES || key.chars().any(char::is_control) {
        return Err(Error::invalid_argument(format!(
            "contacts.capture: idempotencyKey is 1 to {MAX_KEY_BYTES} bytes of text"
        )));
    }
    let store = driver.state("contacts.capture")?;
    let now_ms = driver.transport().now_ms();
    // serde_json's maps are sorted, so equal params hash equally.
    let hash = hex(&Sha256::digest(Value::Object(params.clone()).to_string()));
    let id = hex(&Sha256::digest(key))[..12].to_owned();
    let journal = Journal {
        store,
        prefix: format!("capture/{id}"),
        now_ms,
    };

    let mut contact = params
        .get("contact")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    if contact.get("email").is_none() && contact.get("phone").is_none() {
        return Err(Error::invalid_argument(
            "contacts.capture: contact needs an email or a phone, to find it again",
        ));
    }
    if !contact.contains_key("locationId") {
        let location = super::location_of(driver, None, "contacts.capture: contact.locationId")?;
        contact.insert("locationId".into(), location.into());
    }

    let tasks: Vec<Value> = params
        .get("tasks")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut creates = Vec::new();
    for (i, task) in tasks.iter().enumerate() {
        let after = task["dueAfter"].as_str().unwrap_or_default();
        let after_ms = super::duration_param(&format!("$.tasks[{i}].dueAfter"), after)?;
        let marker = format!("[capture {id} task {i}]");
        let mut body = json!({
            "title": task["title"],
            "body": with_marker(task["body"].as_str(), &marker),
            "dueDate": crate::time::format_rfc3339_ms(now_ms.saturating_add(after_ms) as i64),
        });
        if let Some(user) = task.get("assignedTo").filter(|u| u.is_string()) {
            body["assignedTo"] = user.clone();
        }
        creates.push(Create {
            part: format!("task/{i}"),
            marker,
            op: "tasks.create",
            body,
        });
    }
    if let Some(note) = params.get("note").and_then(Value::as_str) {
        let marker = format!("[capture {id} note]");
        creates.push(Create {
            part: "note".into(),
            marker: marker.clone(),
            op: "notes.create",
            body: json!({ "body": with_marker(Some(note), &marker) }),
        });
    }
    let wanted_tags: Vec<String> = params
        .get("tags")
        .and_then(Value::as_array)
        .map(|t| {
            t.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();

    // The journal's head: the params' hash, claimed before anything is sent.
    let head = json!({ "key": key, "hash": hash });
    let earlier = match journal.get("").await? {
        Some(held) if held["hash"] != hash.as_str() => {
            return Err(Error::invalid_argument(format!(
                "contacts.capture: idempotencyKey {key:?} was used with different params; nothing was sent"
            )));
        }
        Some(held) => Some(held),
        None => {
            journal.put("", head.clone()).await?;
            None
        }
    };
    if let Some(done) = earlier.as_ref().and_then(|h| h.get("result")) {
        return Ok(replayed(done));
    }
    let resumed = earlier.is_some();

    let settled = settle_contact(driver, contact).await?;
    let contact_id = settled.contact["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    if contact_id.is_empty() {
        return Err(Error::protocol(
            "contacts.capture: the contact came back without an id",
        ));
    }
    let contact_report = json!({
        "id": contact_id,
        "outcome": settled.outcome,
        "dropped": settled.dropped,
    });
    let mut head = head;
    head["contact"] = contact_report.clone();
    journal.put("", head.clone()).await?;

    // Tags, the tasks and the note do not depend on each other: together.
    let have: Vec<&str> = settled.contact["tags"]
        .as_array()
        .map(|t| t.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let missing = super::missing_tags(&have, wanted_tags.iter().map(String::as_str));
    let tags = async {
        if missing.is_empty() {
            return Ok(json!({ "added": [], "outcome": "unchanged" }));
        }
        driver
            .run(JsonCall::new(
                "tags.add",
                json!({ "contactId": contact_id, "tags": missing }),
            )?)
            .await?;
        Ok::<_, Error>(json!({ "added": missing, "outcome": "updated" }))
    };
    let existing = async {
        if !resumed {
            return Ok((Vec::new(), Vec::new()));
        }
        // A crash may have left creates whose answers were never journaled:
        // their markers say whether they exist.
        let by_contact = json!({ "contactId": contact_id });
        let (t, n) = futures_util::future::try_join(
            driver.run(JsonCall::new("tasks.list", by_contact.clone())?),
            driver.run(JsonCall::new("notes.list", by_contact)?),
        )
        .await?;
        let items = |v: &Value, field: &str| v[field].as_array().cloned().unwrap_or_default();
        Ok::<_, Error>((items(&t, "tasks"), items(&n, "notes")))
    };
    let (tags_report, (old_tasks, old_notes)) =
        futures_util::future::try_join(tags, existing).await?;

    let reports = join_all(creates.into_iter().map(|create| {
        let journal = &journal;
        let contact_id = &contact_id;
        let old = if create.op == "tasks.create" {
            &old_tasks
        } else {
            &old_notes
        };
        async move {
            if let Some(done) = journal
                .get(&create.part)
                .await?
                .filter(|p| p["state"] == "done")
            {
                return Ok(json!({ "id": done["id"], "outcome": "unchanged" }));
            }
            let found = old.iter().find(|item| {
                item["body"]
                    .as_str()
                    .is_some_and(|b| b.contains(&create.marker))
            });
            let id = match found.and_then(|item| item["id"].as_str()) {
                Some(id) => id.to_owned(),
                None => {
                    journal
                        .put(&create.part, json!({ "state": "sending" }))
                        .await?;
                    let mut body = create.body;
                    body["contactId"] = contact_id.as_str().into();
                    let answer = driver.run(JsonCall::new(create.op, body)?).await?;
                    let field = if create.op == "tasks.create" {
                        "task"
                    } else {
                        "note"
                    };
                    answer[field]["id"].as_str().unwrap_or_default().to_owned()
                }
            };
            journal
                .put(&create.part, json!({ "state": "done", "id": id }))
                .await?;
            Ok::<_, Error>(json!({ "id": id, "outcome": "created" }))
        }
    }))
    .await;
    let mut task_reports = Vec::new();
    let mut note_report = Value::Null;
    for (i, report) in reports.into_iter().enumerate() {
        let report = report?;
        if i < tasks.len() {
            task_reports.push(report);
        } else {
            note_report = report;
        }
    }
    let result = json!({
        "contact": contact_report,
        "tags": tags_report,
        "tasks": task_reports,
        "note": note_report,
        "replayed": false,
    });
    head["result"] = result.clone();
    journal.put("", head).await?;
    Ok(result)
}

/// The contact as found or made, what this capture did to it, and each
/// field HighLevel did not keep as sent.
struct Settled {
    contact: Value,
    outcome: &'static str,
    dropped: Vec<Value>,
}

/// Finds or makes the contact. With an email it looks first (one request,
/// `contacts.findDuplicate`): a contact that already holds every field sent
/// is left alone, and one whose additional email was sent is updated by id
/// without the email, because an upsert would make that email the primary
/// and lose the primary (GoHighLevel/highlevel-api-docs#337); the email is
/// then reported dropped, beside the primary kept. Otherwise, and by phone,
/// `contacts.upsert` decides by HighLevel's duplicate rules.
async fn settle_contact<T: Transport>(
    driver: &Driver<T>,
    contact: Map<String, Value>,
) -> Result<Settled> {
    let email = contact
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.trim().is_empty());
    let force_new = contact.get("createNewIfDuplicateAllowed") == Some(&Value::Bool(true));
    if let (Some(email), false) = (email, force_new) {
        let lookup = json!({ "locationId": contact["locationId"], "email": email });
        let found = driver
            .run(JsonCall::new("contacts.findDuplicate", lookup)?)
            .await?;
        let existing = &found["contact"];
        if existing["id"].is_string() {
            if honest::holds_all(&contact, existing) {
                return Ok(Settled {
                    contact: existing.clone(),
                    outcome: "unchanged",
                    dropped: Vec::new(),
                });
            }
            if is_additional_email(existing, email) {
                return keep_primary(driver, contact, existing).await;
            }
        }
    }
    let upserted = driver
        .run(JsonCall::new("contacts.upsert", Value::Object(contact))?)
        .await?;
    let dropped = match upserted.get("dropped") {
        Some(Value::Array(lost)) => lost.clone(),
        _ => Vec::new(),
    };
    Ok(Settled {
        outcome: if upserted["new"] == true {
            "created"
        } else {
            "updated"
        },
        contact: upserted["contact"].clone(),
        dropped,
    })
}

/// Whether `email` is one of `contact`'s additional emails and not its
/// primary (compared without case).
fn is_additional_email(contact: &Value, email: &str) -> bool {
    let same = |v: &Value| {
        v.as_str()
            .is_some_and(|e| e.trim().eq_ignore_ascii_case(email.trim()))
    };
    !same(&contact["email"])
        && contact["additionalEmails"]
            .as_array()
            .is_some_and(|others| others.iter().any(same))
}

/// Updates `existing` by id with `contact` minus its email (#337) and the
/// fields `contacts.update`'s params schema has no place for (the upsert's
/// own `gender` and `companyName`), each reported dropped; the upsert's
/// matching settings (`locationId`, `createNewIfDuplicateAllowed`) are left
/// out unreported.
async fn keep_primary<T: Transport>(
    driver: &Driver<T>,
    contact: Map<String, Value>,
    existing: &Value,
) -> Result<Settled> {
    let update_takes = crate::schema::builtin::action_schemas("contacts.update")
        .and_then(|(params, _)| params["properties"].as_object())
        .ok_or_else(|| Error::protocol("contacts.update has no params schema"))?;
    let mut dropped = Vec::new();
    let mut patch = Map::new();
    for (field, sent) in contact {
        if matches!(field.as_str(), "locationId" | "createNewIfDuplicateAllowed") || sent.is_null()
        {
            continue;
        }
        if field == "email" || !update_takes.contains_key(&field) {
            dropped.push(json!({ "field": field, "sent": sent, "got": existing[field.as_str()] }));
        } else {
            patch.insert(field, sent);
        }
    }
    let contact = patch;
    if honest::holds_all(&contact, existing) {
        return Ok(Settled {
            contact: existing.clone(),
            outcome: "unchanged",
            dropped,
        });
    }
    let sent = contact.clone();
    let mut contact = contact;
    contact.insert("contactId".into(), existing["id"].clone());
    let updated = driver
        .run(JsonCall::new("contacts.update", Value::Object(contact))?)
        .await?;
    dropped.extend(honest::dropped(&sent, &updated["contact"]));
    Ok(Settled {
        contact: updated["contact"].clone(),
        outcome: "updated",
        dropped,
    })
}

/// `body` with `marker` on a line of its own at the end.
fn with_marker(body: Option<&str>, marker: &str) -> String {
    match body {
        Some(text) if !text.is_empty() => format!("{text}\n\n{marker}"),
        _ => marker.to_owned(),
    }
}

/// A finished run's result, as a rerun reports it: nothing was sent, so
/// every part is unchanged.
fn replayed(done: &Value) -> Value {
    let mut out = done.clone();
    let unchanged = |part: &mut Value| {
        if part.is_object() {
            part["outcome"] = "unchanged".into();
        }
    };
    unchanged(&mut out["contact"]);
    unchanged(&mut out["note"]);
    if let Some(tasks) = out["tasks"].as_array_mut() {
        tasks.iter_mut().for_each(unchanged);
    }
    out["tags"] = json!({ "added": [], "outcome": "unchanged" });
    out["replayed"] = true.into();
    out
}
