//! Notes, after a pass's contacts: a host's notes (a second
//! [`HostAdapter`], each record naming its host contact and holding a body)
//! and HighLevel's notes of the contacts the pair links, matched through
//! the id map.
//!
//! Which HighLevel notes are read follows the triggers issue's rule: the
//! notes of each linked contact whose `dateUpdated` moved since the last
//! pass (one `notes.list` each), and on a first pass or when the delete
//! scan is due, of every linked contact. A note added to a contact whose
//! `dateUpdated` does not move is therefore seen at the next scan
//! (`reconcileEveryMs`), or by webhook.
//!
//! A note's body is merged as a contact's field is (`merge.rs`, the
//! policy of the settings' `policy`); deletes follow the settings' delete
//! policies. A note created in HighLevel is journaled first; a rerun finds
//! the one an interrupted pass created by its body among the contact's
//! notes instead of creating it again.

use super::host::{ChangeWalk, HostAdapter, HostRecord, HostWrite};
use super::lease::Lease;
use super::merge::{Clocks, Decision, FieldSides, decide};
use super::report::{ItemKind, ReportItem, SyncReport};
use super::settings::{DeletePolicy, SyncSettings};
use super::state::{self, Keys, Link};
use crate::driver::{Driver, Transport};
use crate::state::BoundStore;
use crate::{ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A host's notes: their adapter, and the fields of each record that hold
/// its host contact's id and its body.
#[derive(Clone, Copy)]
pub struct NoteHost<'a> {
    /// The host's note records.
    pub adapter: &'a dyn HostAdapter,
    /// The field naming the host contact (`member_id`).
    pub contact_field: &'a str,
    /// The field holding the body (`body`).
    pub body_field: &'a str,
}

/// A note pair's link: `sync/<name>/nh/<host note id>`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct NoteLink {
    /// The HighLevel note.
    pub(crate) note: String,
    /// Its HighLevel contact.
    pub(crate) contact: String,
    /// `[host, highlevel]` bodies when last in step.
    pub(crate) base: [Value; 2],
    /// Set when one side deleted the note and the other's is kept.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) tombstone: bool,
}

/// The notes stage of one pass.
pub(crate) struct NotesStage<'a, T: Transport> {
    pub(crate) driver: &'a Driver<T>,
    pub(crate) store: &'a BoundStore,
    pub(crate) keys: &'a Keys,
    pub(crate) settings: &'a SyncSettings,
    pub(crate) host: NoteHost<'a>,
    pub(crate) report: &'a mut SyncReport,
    /// The pass's lease, renewed as the notes are read and written: a
    /// first pass lists every contact's notes, which can take longer than
    /// the lease.
    pub(crate) lease: &'a mut Option<Lease>,
}

impl<T: Transport> NotesStage<'_, T> {
    fn now(&self) -> u64 {
        self.driver.transport().now_ms()
    }

    async fn keep_lease(&mut self) -> Result<()> {
        let now = self.now();
        match self.lease.as_mut() {
            Some(lease) => lease.keep(self.store, now).await,
            None => Ok(()),
        }
    }

    /// Syncs the notes: the host's changes since `since`, and the notes of
    /// `listed` contacts (every linked contact when `all`). Returns the
    /// host's new notes checkpoint.
    pub(crate) async fn run(
        &mut self,
        since: Option<String>,
        listed: &[String],
        all: bool,
    ) -> Result<Option<String>> {
        // The host's note changes, by id.
        let mut changes: BTreeMap<String, HostRecord> = BTreeMap::new();
        let mut walk = ChangeWalk::new(since);
        loop {
            self.keep_lease().await?;
            let limit = self.settings.host_page_limit;
            let adapter = self.host.adapter;
            if walk
                .next(adapter, limit, &mut changes, self.report)
                .await?
                .is_none()
            {
                break;
            }
        }
        let checkpoint = walk.checkpoint();

        // HighLevel's notes of the contacts to list.
        let mut contacts: Vec<String> = listed.to_vec();
        if all {
            let prefix = self.keys.contacts();
            for (key, _) in self.store.list(&prefix, usize::MAX, self.now()).await? {
                contacts.push(key[prefix.len()..].to_owned());
            }
        }
        contacts.sort();
        contacts.dedup();
        let mut remote: HashMap<String, (String, Value)> = HashMap::new();
        let mut listed_contacts: HashSet<String> = HashSet::new();
        for contact in &contacts {
            let linked: Option<Value> =
                state::read(self.store, &self.keys.contact(contact), self.now()).await?;
            if linked.is_none() {
                continue;
            }
            for note in self.list(contact).await? {
                if let Some(id) = note["id"].as_str() {
                    remote.insert(id.to_owned(), (contact.clone(), note.clone()));
                }
            }
            listed_contacts.insert(contact.clone());
        }

        // HighLevel notes no host note is linked to, by contact and body: a
        // new host note that matches one is linked to it, not created again
        // (an interrupted pass's create in either direction).
        let mut unlinked: HashMap<(String, String), String> = HashMap::new();
        for (note_id, (contact, note)) in &remote {
            let index: Option<Value> =
                state::read(self.store, &self.keys.note_index(note_id), self.now()).await?;
            if index.is_none() {
                unlinked.insert((contact.clone(), note["body"].to_string()), note_id.clone());
            }
        }

        // Host notes first: each linked one merged, each new one created.
        let mut seen_remote: HashSet<String> = HashSet::new();
        for (id, record) in &changes {
            let link: Option<NoteLink> =
                state::read(self.store, &self.keys.note(id), self.now()).await?;
            match link {
                Some(link) => {
                    seen_remote.insert(link.note.clone());
                    let theirs = remote.get(&link.note).map(|(_, n)| n.clone());
                    let gone = theirs.is_none() && listed_contacts.contains(&link.contact);
                    self.linked(id, link, Some(record), theirs, gone).await?;
                }
                None if record.deleted => {}
                None => {
                    if let Some(note) = self.create_in_highlevel(record, &mut unlinked).await? {
                        seen_remote.insert(note);
                    }
                }
            }
        }
        // HighLevel's notes: each linked one whose host note did not change
        // merged, each new one created in the host.
        let mut ids: Vec<&String> = remote.keys().collect();
        ids.sort();
        for note_id in ids {
            if seen_remote.contains(note_id) {
                continue;
            }
            let (contact, note) = &remote[note_id];
            let host_id: Option<Value> =
                state::read(self.store, &self.keys.note_index(note_id), self.now()).await?;
            match host_id.as_ref().and_then(|v| v["h"].as_str()) {
                Some(host_id) => {
                    let link: Option<NoteLink> =
                        state::read(self.store, &self.keys.note(host_id), self.now()).await?;
                    if let Some(link) = link.filter(|l| &l.note == note_id) {
                        self.linked(host_id, link, None, Some(note.clone()), false)
                            .await?;
                    }
                }
                None => self.create_in_host(contact, note).await?,
            }
        }
        // Linked notes of listed contacts that HighLevel no longer has.
        if !listed_contacts.is_empty() {
            let prefix = self.keys.notes();
            for (key, held) in self.store.list(&prefix, usize::MAX, self.now()).await? {
                let host_id = &key[prefix.len()..];
                let Ok(link) = serde_json::from_value::<NoteLink>(held.value) else {
                    continue;
                };
                if link.tombstone
                    || changes.contains_key(host_id)
                    || remote.contains_key(&link.note)
                    || !listed_contacts.contains(&link.contact)
                {
                    continue;
                }
                self.linked(host_id, link, None, None, true).await?;
            }
        }
        Ok(checkpoint)
    }

    async fn list(&mut self, contact: &str) -> Result<Vec<Value>> {
        self.keep_lease().await?;
        let answer = self
            .driver
            .call("notes.list", json!({"contactId": contact}))
            .await?;
        Ok(answer["notes"].as_array().cloned().unwrap_or_default())
    }

    fn body_of(&self, record: &HostRecord) -> Value {
        record
            .fields
            .get(self.host.body_field)
            .cloned()
            .unwrap_or(Value::Null)
    }

    /// A linked note: deletes first, then the body's three-way merge.
    async fn linked(
        &mut self,
        host_id: &str,
        mut link: NoteLink,
        host: Option<&HostRecord>,
        remote: Option<Value>,
        gone: bool,
    ) -> Result<()> {
        if link.tombstone {
            return Ok(());
        }
        let host_body = host.map_or(link.base[0].clone(), |r| self.body_of(r));
        let remote_body = remote
            .as_ref()
            .map_or(link.base[1].clone(), |n| n["body"].clone());
        let host_moved =
            host.is_some_and(|r| !r.deleted) && !super::merge::same(&host_body, &link.base[0]);
        let remote_moved = remote.is_some() && !super::merge::same(&remote_body, &link.base[1]);
        if host.is_some_and(|r| r.deleted) {
            if remote_moved {
                self.conflict(
                    host_id,
                    &link,
                    "deleted in the host and edited in HighLevel: the note is kept",
                );
            } else if self.settings.host_deletes == DeletePolicy::Propagate {
                self.report.notes.deleted.highlevel += 1;
                if !self.settings.dry_run {
                    let params = json!({"contactId": link.contact, "noteId": link.note});
                    match self.driver.call("notes.delete", params).await {
                        Ok(_) => {}
                        Err(e) if e.code() == ErrorCode::NotFound => {}
                        Err(e) => return Err(e),
                    }
                }
            }
            link.tombstone = true;
            return self.commit(host_id, &link).await;
        }
        if gone {
            if host_moved {
                self.conflict(
                    host_id,
                    &link,
                    "deleted in HighLevel and edited in the host: the note is not recreated",
                );
            } else if self.settings.highlevel_deletes == DeletePolicy::Propagate {
                self.report.notes.deleted.host += 1;
                if !self.settings.dry_run {
                    self.host.adapter.delete(host_id).await?;
                }
            }
            link.tombstone = true;
            return self.commit(host_id, &link).await;
        }
        let clocks = Clocks {
            host_ms: host.map_or(0, |r| r.updated_ms),
            highlevel_ms: remote
                .as_ref()
                .and_then(|n| n["dateUpdated"].as_str().or(n["dateAdded"].as_str()))
                .and_then(crate::time::parse_rfc3339_ms)
                .unwrap_or(0),
            skew_ms: self.settings.skew_ms,
        };
        let sides = FieldSides {
            host: &host_body,
            highlevel: &remote_body,
            base: Some((&link.base[0], &link.base[1])),
        };
        let (mut host_now, mut remote_now) = (host_body.clone(), remote_body.clone());
        match decide(self.settings.policy, sides, clocks) {
            Decision::Keep => {
                if !host_moved && !remote_moved {
                    return Ok(());
                }
            }
            Decision::ToHighLevel => {
                self.report.notes.updated.highlevel += 1;
                if !self.settings.dry_run {
                    let params =
                        json!({"contactId": link.contact, "noteId": link.note, "body": host_body});
                    let answer = self.driver.call("notes.update", params).await?;
                    remote_now = answer["note"]["body"].clone();
                }
            }
            Decision::ToHost => {
                self.report.notes.updated.host += 1;
                if !self.settings.dry_run {
                    let mut fields = Map::new();
                    fields.insert(self.host.body_field.to_owned(), remote_body.clone());
                    let written = self
                        .host
                        .adapter
                        .upsert(HostWrite {
                            id: Some(host_id),
                            key: &link.note,
                            fields: &fields,
                            now_ms: self.now(),
                        })
                        .await?;
                    host_now = self.body_of(&written);
                }
            }
            Decision::Conflict(why) => self.conflict(host_id, &link, why),
        }
        link.base = [host_now, remote_now];
        self.commit(host_id, &link).await
    }

    fn conflict(&mut self, host_id: &str, link: &NoteLink, why: &str) {
        self.report.item(ReportItem {
            kind: ItemKind::Conflict,
            host_id: Some(host_id.to_owned()),
            contact_id: Some(link.contact.clone()),
            field: Some(format!("note {}", link.note)),
            message: why.to_owned(),
            errors: Vec::new(),
            values: None,
        });
    }

    async fn commit(&mut self, host_id: &str, link: &NoteLink) -> Result<()> {
        if self.settings.dry_run {
            return Ok(());
        }
        self.keep_lease().await?;
        let entries = vec![
            (self.keys.note(host_id), state::to_value(link)),
            (self.keys.note_index(&link.note), json!({"h": host_id})),
        ];
        self.store.put_many(&entries, self.now()).await
    }

    /// A host note with no HighLevel note: linked to an unlinked note of
    /// its contact with the same body, or created on its contact's (unless
    /// an interrupted pass already did: found by its body). Returns the
    /// HighLevel note it was linked to.
    async fn create_in_highlevel(
        &mut self,
        record: &HostRecord,
        unlinked: &mut HashMap<(String, String), String>,
    ) -> Result<Option<String>> {
        let contact_host_id = match record.fields.get(self.host.contact_field) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => {
                self.report.item(ReportItem::new(
                    ItemKind::Error,
                    Some(record.id.clone()),
                    None,
                    format!(
                        "the note has no {:?}: it names no contact",
                        self.host.contact_field
                    ),
                ));
                return Ok(None);
            }
        };
        let link: Option<Link> =
            state::read(self.store, &self.keys.link(&contact_host_id), self.now()).await?;
        let Some(contact) = link.filter(|l| l.deleted.is_none()).map(|l| l.contact) else {
            self.report.item(ReportItem::new(
                ItemKind::Error,
                Some(record.id.clone()),
                None,
                format!(
                    "the note's contact {contact_host_id:?} is not synced: the note waits for it"
                ),
            ));
            return Ok(None);
        };
        let body = self.body_of(record);
        if let Some(note) = unlinked.remove(&(contact.clone(), body.to_string())) {
            let link = NoteLink {
                note: note.clone(),
                contact,
                base: [body.clone(), body],
                tombstone: false,
            };
            self.commit(&record.id, &link).await?;
            return Ok(Some(note));
        }
        self.report.notes.created.highlevel += 1;
        if self.settings.dry_run {
            return Ok(None);
        }
        let journal = self.keys.journal(&format!("n:{}", record.id));
        let replay = self.store.get(&journal, self.now()).await?.is_some();
        let found = if replay {
            self.list(&contact)
                .await?
                .into_iter()
                .find(|n| super::merge::same(&n["body"], &body))
        } else {
            None
        };
        let note = match found {
            Some(note) => note,
            None => {
                self.store
                    .put(&journal, &json!({"op": "createNote"}), None, self.now())
                    .await?;
                let answer = self
                    .driver
                    .call("notes.create", json!({"contactId": contact, "body": body}))
                    .await?;
                answer["note"].clone()
            }
        };
        let Some(note_id) = note["id"].as_str().map(str::to_owned) else {
            return Err(crate::Error::protocol("notes.create answered no note id"));
        };
        let link = NoteLink {
            note: note_id,
            contact,
            base: [body, note["body"].clone()],
            tombstone: false,
        };
        self.commit(&record.id, &link).await?;
        self.store.delete(&journal, self.now()).await?;
        Ok(Some(link.note))
    }

    /// A HighLevel note with no host note: created in the host, keyed on
    /// the note's id.
    async fn create_in_host(&mut self, contact: &str, note: &Value) -> Result<()> {
        let Some(note_id) = note["id"].as_str() else {
            return Ok(());
        };
        let linked: Option<Value> =
            state::read(self.store, &self.keys.contact(contact), self.now()).await?;
        let Some(host_contact) = linked.as_ref().and_then(|v| v["h"].as_str()) else {
            return Ok(());
        };
        self.report.notes.created.host += 1;
        if self.settings.dry_run {
            return Ok(());
        }
        let mut fields = Map::new();
        fields.insert(self.host.contact_field.to_owned(), json!(host_contact));
        fields.insert(self.host.body_field.to_owned(), note["body"].clone());
        let written = self
            .host
            .adapter
            .upsert(HostWrite {
                id: None,
                key: note_id,
                fields: &fields,
                now_ms: self.now(),
            })
            .await?;
        let link = NoteLink {
            note: note_id.to_owned(),
            contact: contact.to_owned(),
            base: [self.body_of(&written), note["body"].clone()],
            tombstone: false,
        };
        self.commit(&written.id, &link).await
    }
}
