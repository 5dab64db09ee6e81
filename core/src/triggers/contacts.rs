//! The contact read, shared by every contact and note trigger of a poll:
//! search sorted by `dateUpdated` ascending, from the newest `dateUpdated`
//! seen less the overlap window, continued with `searchAfter`. Each contact
//! is compared with its stored state:
//! - never seen: ContactCreate (and its notes are NoteCreate);
//! - tags differ: ContactTagUpdate;
//! - any other field of ContactUpdate's canonical fields differs:
//!   ContactUpdate (a PUT that changes only tags is, by webhook, both);
//! - nothing differs (the overlap read it again, or it changed and changed
//!   back): nothing.
//!
//! ContactDelete has no signal in search: a scan of every contact id every
//! `reconcileEveryMs` reports the stored contacts it no longer finds, with
//! the fields last seen. A contact created and deleted between two polls is
//! never reported.

use super::checkpoint::ContactsCursor;
use super::records::Entry;
use super::search::{contacts_page, search_after, updated_ms};
use super::{PollContext, event_of, id_of, strip, with_type};
use crate::Result;
use crate::driver::Transport;
use crate::webhooks::same_fields;
use serde_json::{Value, json};
use std::collections::HashSet;

/// Reads contacts for the contact and note triggers of `cx`, from `cursor`
/// (`None`: the baseline), adding events to `out`. Returns the new cursor
/// and whether the request bound cut the read short.
pub(super) async fn poll<T: Transport>(
    cx: &PollContext<'_, T>,
    cursor: Option<ContactsCursor>,
    out: &mut Vec<Value>,
) -> Result<(ContactsCursor, bool)> {
    let mut cursor = cursor.unwrap_or(ContactsCursor {
        baseline: Some(Value::Null),
        reconciled_ms: cx.now_ms,
        since_ms: cx.now_ms,
        ..ContactsCursor::default()
    });
    if let Some(after) = cursor.baseline.clone() {
        match baseline(cx, after, &mut cursor.mark_ms).await? {
            Some(after) => {
                cursor.baseline = Some(after);
                return Ok((cursor, true));
            }
            None => {
                cursor.baseline = None;
                cursor.reconciled_ms = cx.now_ms;
                return Ok((cursor, false));
            }
        }
    }
    if !read_changes(cx, &mut cursor, out).await? {
        return Ok((cursor, true));
    }
    let due = cursor.scan.is_some()
        || cx.now_ms.saturating_sub(cursor.reconciled_ms) >= cx.params.reconcile_every_ms;
    if cx.wants("ContactDelete") && due {
        let (after, pages) = cursor.scan.take().unwrap_or((Value::Null, 0));
        match scan_deletes(cx, after, pages, out).await? {
            Some(progress) => {
                cursor.scan = Some(progress);
                return Ok((cursor, true));
            }
            None => cursor.reconciled_ms = cx.now_ms,
        }
    }
    Ok((cursor, false))
}

/// One search page: contacts as the result schema reads them.
async fn search<T: Transport>(
    cx: &PollContext<'_, T>,
    sort_by: &str,
    from_ms: Option<i64>,
    after: &Value,
) -> Result<Vec<Value>> {
    contacts_page(
        cx.driver,
        cx.location,
        cx.params.page_limit,
        sort_by,
        from_ms,
        after,
    )
    .await
    .map(|(contacts, _)| contacts)
}

/// The baseline: every contact's state stored, nothing reported. Returns
/// the `searchAfter` to go on from when the bound cut it short.
async fn baseline<T: Transport>(
    cx: &PollContext<'_, T>,
    mut after: Value,
    mark_ms: &mut i64,
) -> Result<Option<Value>> {
    let records = cx.records("contact");
    loop {
        if !cx.bound.take() {
            return Ok(Some(after));
        }
        let page = search(cx, "dateUpdated", None, &after).await?;
        for contact in &page {
            let Some(id) = id_of(contact) else { continue };
            let entry = records.get(id).await?;
            let state = state_of(cx, contact);
            *mark_ms = (*mark_ms).max(state["u"].as_i64().unwrap_or_default());
            if entry.committed.as_ref() != Some(&state) {
                records.set(id, &entry, Some(state));
            }
        }
        records.flush().await?;
        if (page.len() as u64) < cx.params.page_limit {
            return Ok(None);
        }
        after = search_after(&page)?;
    }
}

/// Reads the contacts changed since the mark (less the overlap) and reports
/// them. Returns false when the bound cut it short (the cursor then goes
/// on from the last contact done).
async fn read_changes<T: Transport>(
    cx: &PollContext<'_, T>,
    cursor: &mut ContactsCursor,
    out: &mut Vec<Value>,
) -> Result<bool> {
    let (from, mut after) = cursor
        .read
        .take()
        .unwrap_or((cursor.mark_ms - cx.params.overlap_ms, Value::Null));
    let records = cx.records("contact");
    let notes_wanted = cx.wants("NoteCreate") || cx.wants("NoteUpdate");
    loop {
        if !cx.bound.take() {
            cursor.read = Some((from, after));
            return Ok(false);
        }
        let page = search(cx, "dateUpdated", Some(from), &after).await?;
        for contact in &page {
            let Some(id) = id_of(contact) else { continue };
            let entry = records.get(id).await?;
            let state = state_of(cx, contact);
            let seen_ms = entry.committed.as_ref().and_then(|s| s["u"].as_i64());
            let moved = seen_ms.is_none_or(|seen| state["u"].as_i64() > Some(seen));
            if notes_wanted && moved {
                if !cx.bound.take() {
                    records.flush().await?;
                    cursor.read = Some((from, after));
                    return Ok(false);
                }
                let new_contact = entry.committed.is_none();
                read_notes(cx, id, new_contact, cursor.since_ms, out).await?;
            }
            report(cx, &entry, &state, out);
            if entry.committed.as_ref() != Some(&state) {
                records.set(id, &entry, Some(state.clone()));
            }
            cursor.mark_ms = cursor.mark_ms.max(state["u"].as_i64().unwrap_or_default());
            after = contact.get("searchAfter").cloned().unwrap_or(Value::Null);
        }
        records.flush().await?;
        if (page.len() as u64) < cx.params.page_limit {
            return Ok(true);
        }
    }
}

/// The events one contact's change makes, by its stored state.
fn report<T: Transport>(
    cx: &PollContext<'_, T>,
    entry: &Entry,
    state: &Value,
    out: &mut Vec<Value>,
) {
    let now = &state["e"];
    let kinds: &[&str] = match &entry.committed {
        None => &["ContactCreate"],
        Some(_) => &["ContactTagUpdate", "ContactUpdate"],
    };
    for kind in kinds {
        let changed = match &entry.committed {
            None => true,
            Some(old) => !same_fields(kind, &old["e"], now),
        };
        if changed && cx.wants(kind) {
            out.push(with_type(kind, now));
        }
    }
}

/// The notes of contact `id`, reported against their stored state: a note
/// never seen is NoteCreate when the contact is new or the note was added
/// after the subscription began (`since_ms`), and is only stored otherwise
/// (it predates what this subscription watches); a note whose body changed
/// is NoteUpdate.
async fn read_notes<T: Transport>(
    cx: &PollContext<'_, T>,
    contact_id: &str,
    new_contact: bool,
    since_ms: u64,
    out: &mut Vec<Value>,
) -> Result<()> {
    let answer = cx
        .driver
        .call("notes.list", json!({"contactId": contact_id}))
        .await?;
    let records = cx.records("note");
    for note in answer["notes"].as_array().into_iter().flatten() {
        let Some(id) = id_of(note) else { continue };
        let mut note = note.clone();
        if note.get("contactId").is_none() {
            note["contactId"] = json!(contact_id);
        }
        let event = event_of("NoteCreate", cx.location, &note);
        let state = json!({"e": strip(&event)});
        let entry = records.get(id).await?;
        match &entry.committed {
            None => {
                let added = note["dateAdded"]
                    .as_str()
                    .and_then(crate::time::parse_rfc3339_ms);
                let new = new_contact || added.is_none_or(|a| a >= since_ms as i64);
                if new && cx.wants("NoteCreate") {
                    out.push(event);
                }
            }
            Some(old) => {
                if !same_fields("NoteUpdate", &old["e"], &state["e"]) && cx.wants("NoteUpdate") {
                    out.push(with_type("NoteUpdate", &state["e"]));
                }
            }
        }
        if entry.committed.as_ref() != Some(&state) {
            records.set(id, &entry, Some(state));
        }
    }
    records.flush().await
}

/// The delete scan: every contact id, pages kept in the store as they are
/// read (so a scan cut short goes on in the next poll), then every stored
/// contact not found reported as ContactDelete. Returns the progress when
/// the bound cut it short.
async fn scan_deletes<T: Transport>(
    cx: &PollContext<'_, T>,
    mut after: Value,
    mut pages: u64,
    out: &mut Vec<Value>,
) -> Result<Option<(Value, u64)>> {
    let page_key = |n: u64| format!("trigger/{}/scan/{n}", cx.subscription);
    loop {
        if !cx.bound.take() {
            return Ok(Some((after, pages)));
        }
        let page = search(cx, "dateAdded", None, &after).await?;
        let ids: Vec<&str> = page.iter().filter_map(id_of).collect();
        cx.store
            .put(&page_key(pages), &json!(ids), None, cx.now_ms)
            .await?;
        pages += 1;
        if (page.len() as u64) < cx.params.page_limit {
            break;
        }
        after = search_after(&page)?;
    }
    let mut found = HashSet::new();
    for n in 0..pages {
        let ids = cx.store.get(&page_key(n), cx.now_ms).await?;
        let list = ids.as_ref().and_then(|v| v.value.as_array());
        let Some(list) = list else {
            return Err(crate::state::state_error(format!(
                "{}: a page of the delete scan is missing",
                page_key(n)
            )));
        };
        found.extend(list.iter().filter_map(Value::as_str).map(str::to_owned));
    }
    let records = cx.records("contact");
    for (id, entry) in records.all().await? {
        if found.contains(&id) {
            continue;
        }
        match &entry.committed {
            Some(last) => {
                if cx.wants("ContactDelete") {
                    out.push(with_type("ContactDelete", &last["e"]));
                }
                records.set(&id, &entry, None);
            }
            None if entry.is_committed_tombstone() => records.forget(&id).await?,
            None => {}
        }
    }
    records.flush().await?;
    for n in 0..pages {
        cx.store.delete(&page_key(n), cx.now_ms).await?;
    }
    Ok(None)
}

/// A contact's stored state: when it was last updated and its event fields.
fn state_of<T: Transport>(cx: &PollContext<'_, T>, contact: &Value) -> Value {
    let updated = updated_ms(contact).unwrap_or_default();
    let event = event_of("ContactUpdate", cx.location, contact);
    json!({"u": updated, "e": strip(&event)})
}
