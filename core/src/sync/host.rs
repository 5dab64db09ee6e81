//! The host side of a sync: one [`HostAdapter`] per record kind, answering
//! three calls (the changes since a checkpoint, an upsert, a delete), and
//! the one reader of the records an adapter gives as JSON (the C callbacks,
//! the JS object), so a malformed record is refused the same way on every
//! surface.

use super::report::{ItemKind, ReportItem, SyncReport};
use crate::maybe_send::{MaybeSend, MaybeSync};
use crate::state::StoreFuture;
use crate::{Error, Result};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, HashSet};

/// The longest host record id a sync accepts, in bytes (state keys hold it).
pub const MAX_HOST_ID_BYTES: usize = 256;

/// One record as the host has it.
#[derive(Clone, Debug, PartialEq)]
pub struct HostRecord {
    /// The host's id: 1 to [`MAX_HOST_ID_BYTES`] bytes, no control characters.
    pub id: String,
    /// When the host last changed it, Unix ms (a newest-wins policy
    /// compares it with HighLevel's `dateUpdated`).
    pub updated_ms: i64,
    /// Whether the host deleted it (a tombstone or a change-log row).
    pub deleted: bool,
    /// Its fields, an object the mapping template reads (empty for a
    /// deleted record).
    pub fields: Map<String, Value>,
}

/// A page of the host's changes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HostChanges {
    /// The records changed after the checkpoint asked for, deletions
    /// included, oldest first.
    pub records: Vec<HostRecord>,
    /// Where the next page (or the next pass) goes on from; opaque to the
    /// sync, kept in its state once the pass ends.
    pub checkpoint: Option<String>,
    /// Whether more changes follow this page.
    pub more: bool,
    /// Records of the page that could not be read (an adapter answering
    /// JSON), each with its id when it had a readable one and why: the pass
    /// reports them and goes on.
    pub rejected: Vec<(Option<String>, String)>,
}

/// A write to the host: `fields` merged into record `id` (created when
/// `id` is `None`). `key` is the HighLevel contact the record mirrors, which
/// an adapter that cannot assign ids may use as the new record's id.
#[derive(Clone, Copy, Debug)]
pub struct HostWrite<'a> {
    /// The record to write, or `None` to create one.
    pub id: Option<&'a str>,
    /// The HighLevel contact id the record mirrors.
    pub key: &'a str,
    /// The fields to set (a Null clears one); others are left as they are.
    pub fields: &'a Map<String, Value>,
    /// The driver's clock, Unix ms: an adapter that stamps its records
    /// (`updated_at`) stamps them with this.
    pub now_ms: u64,
}

/// A host system's records of one kind, as a sync reads and writes them.
///
/// Every call may fail; the pass then stops with the error (an adapter
/// failure is the host's, [`crate::ErrorCode::InvalidArgument`] for what it
/// answered, or the code it gave) and its state stays where the last
/// committed record left it, so a rerun goes on.
///
/// Threads: a pass calls one method at a time, never concurrently.
pub trait HostAdapter: MaybeSend + MaybeSync {
    /// The records changed after `since` (`None`: every record), at most
    /// `limit`, oldest first.
    fn changes<'a>(&'a self, since: Option<&'a str>, limit: usize) -> StoreFuture<'a, HostChanges>;

    /// Writes `write` and returns the record as the host now has it.
    fn upsert<'a>(&'a self, write: HostWrite<'a>) -> StoreFuture<'a, HostRecord>;

    /// Deletes record `id` (a record already gone is no error).
    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()>;
}

/// Checks a host id: 1 to [`MAX_HOST_ID_BYTES`] bytes, no control characters.
pub fn check_host_id(id: &str) -> std::result::Result<(), String> {
    if id.is_empty() || id.len() > MAX_HOST_ID_BYTES {
        return Err(format!(
            "a host id is 1 to {MAX_HOST_ID_BYTES} bytes, not {}",
            id.len()
        ));
    }
    if id.chars().any(char::is_control) {
        return Err("a host id holds no control characters".into());
    }
    Ok(())
}

impl HostRecord {
    /// Reads a record an adapter gave as JSON: `{id, updatedAt, deleted?,
    /// fields?}`, `id` text (a number is read as its text), `updatedAt`
    /// Unix ms.
    ///
    /// Errors: InvalidArgument naming `at` and what is wrong.
    pub fn from_json(value: &Value, at: &str) -> Result<HostRecord> {
        let bad = |why: String| Error::invalid_argument(format!("{at}: {why}"));
        let o = value
            .as_object()
            .ok_or_else(|| bad(format!("a host record is an object, not {}", kind(value))))?;
        let id = match o.get("id") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) if n.is_i64() || n.is_u64() => n.to_string(),
            Some(other) => return Err(bad(format!("id must be text, not {}", kind(other)))),
            None => return Err(bad("id: required".into())),
        };
        check_host_id(&id).map_err(|why| bad(format!("id: {why}")))?;
        let updated_ms = o
            .get("updatedAt")
            .and_then(Value::as_i64)
            .ok_or_else(|| bad("updatedAt: required, Unix milliseconds".into()))?;
        let deleted = match o.get("deleted") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(other) => {
                return Err(bad(format!(
                    "deleted must be true or false, not {}",
                    kind(other)
                )));
            }
        };
        let fields = match o.get("fields") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(fields)) => fields.clone(),
            Some(other) => {
                return Err(bad(format!(
                    "fields must be an object, not {}",
                    kind(other)
                )));
            }
        };
        Ok(HostRecord {
            id,
            updated_ms,
            deleted,
            fields,
        })
    }

    /// The record's JSON, as [`HostRecord::from_json`] reads it.
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "updatedAt": self.updated_ms,
            "deleted": self.deleted,
            "fields": self.fields,
        })
    }
}

impl HostChanges {
    /// Reads a page an adapter gave as JSON: `{records: [...],
    /// checkpoint?, more?}`.
    ///
    /// Errors: InvalidArgument for a page that is not that shape. A
    /// malformed record is not an error here: it is in
    /// [`rejected`](HostChanges::rejected) with why, so the pass reports it
    /// and goes on.
    pub fn from_json(value: &Value) -> Result<HostChanges> {
        let bad = |why: &str| Error::invalid_argument(format!("the host's changes: {why}"));
        let o = value.as_object().ok_or_else(|| bad("must be an object"))?;
        let list = o
            .get("records")
            .and_then(Value::as_array)
            .ok_or_else(|| bad("records must be a list"))?;
        let checkpoint = match o.get("checkpoint") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => return Err(bad("checkpoint must be text")),
        };
        let more = match o.get("more") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => return Err(bad("more must be true or false")),
        };
        let mut records = Vec::with_capacity(list.len());
        let mut rejected = Vec::new();
        for (i, r) in list.iter().enumerate() {
            match HostRecord::from_json(r, &format!("records[{i}]")) {
                Ok(record) => records.push(record),
                Err(e) => {
                    let id = match r.get("id") {
                        Some(Value::String(s)) => Some(s.clone()),
                        Some(Value::Number(n)) => Some(n.to_string()),
                        _ => None,
                    };
                    rejected.push((id, e.message().to_owned()));
                }
            }
        }
        Ok(HostChanges {
            records,
            checkpoint,
            more,
            rejected,
        })
    }
}

fn kind(v: &Value) -> String {
    crate::mapping::kind(v)
}

/// A walk through a host's changes, page by page, for contacts and notes
/// alike: each page's well-formed records kept by id (a record changed
/// twice is its newest), the rest reported, and the checkpoint after the
/// last page.
pub(crate) struct ChangeWalk {
    checkpoint: Option<String>,
    done: bool,
    pages: u64,
    /// Ids given to more than one record of a page, since the last
    /// [`take_duplicated`](ChangeWalk::take_duplicated).
    duplicated: Vec<String>,
}

/// The most pages a walk reads: a host that says `more` forever stops here.
const MAX_PAGES: u64 = 1_000_000;

impl ChangeWalk {
    /// A walk from checkpoint `since` (`None`: every record).
    pub(crate) fn new(since: Option<String>) -> ChangeWalk {
        ChangeWalk {
            checkpoint: since,
            done: false,
            pages: 0,
            duplicated: Vec::new(),
        }
    }

    /// The ids refused as duplicated since the last call: a caller that
    /// keeps earlier pages' records elsewhere drops those too.
    pub(crate) fn take_duplicated(&mut self) -> Vec<String> {
        std::mem::take(&mut self.duplicated)
    }

    /// The checkpoint after the pages read.
    pub(crate) fn checkpoint(self) -> Option<String> {
        self.checkpoint
    }

    /// Reads the next page into `by_id`, reporting a malformed record, a
    /// bad id and an id given to more than one record of the page (none of
    /// those is synced). Returns how many records the page held, or `None`
    /// when the walk is over: the last page said no more, or did not move
    /// the checkpoint.
    pub(crate) async fn next(
        &mut self,
        adapter: &dyn HostAdapter,
        limit: usize,
        by_id: &mut BTreeMap<String, HostRecord>,
        report: &mut SyncReport,
    ) -> crate::Result<Option<u64>> {
        if self.done || self.pages >= MAX_PAGES {
            return Ok(None);
        }
        self.pages += 1;
        let page = adapter.changes(self.checkpoint.as_deref(), limit).await?;
        let read = (page.rejected.len() + page.records.len()) as u64;
        for (id, why) in page.rejected {
            report.item(ReportItem::new(ItemKind::Error, id, None, why));
        }
        let mut in_page: HashSet<String> = HashSet::new();
        let mut duplicated: HashSet<String> = HashSet::new();
        for r in &page.records {
            if !in_page.insert(r.id.clone()) {
                duplicated.insert(r.id.clone());
            }
        }
        for record in page.records {
            if let Err(why) = check_host_id(&record.id) {
                report.item(ReportItem::new(ItemKind::Error, Some(record.id), None, why));
                continue;
            }
            if duplicated.contains(&record.id) {
                if by_id.remove(&record.id).is_some() || in_page.remove(&record.id) {
                    self.duplicated.push(record.id.clone());
                    report.item(ReportItem::new(
                        ItemKind::Error,
                        Some(record.id.clone()),
                        None,
                        "the host gave this id to more than one record in one page: none of them is synced".into(),
                    ));
                }
                continue;
            }
            by_id.insert(record.id.clone(), record);
        }
        let moved = page.checkpoint.is_some() && page.checkpoint != self.checkpoint;
        if page.checkpoint.is_some() {
            self.checkpoint = page.checkpoint;
        }
        self.done = !page.more || !moved;
        Ok(Some(read))
    }
}
