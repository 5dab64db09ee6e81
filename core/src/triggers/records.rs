//! Per-record state of a subscription (what each record looked like when a
//! poll last saw it), kept in the state store so that it survives the
//! process, and tied to the checkpoint so that an uncommitted poll loses
//! nothing.
//!
//! A poll runs with the generation `G` of the checkpoint it was given and
//! writes generation `G + 1`. Each record's entry keeps the state written
//! last (`c`, with the generation `g` that wrote it) and the one before
//! (`p`). A poll reads a record as committed: `c` if `g ≤ G`, else `p`
//! (written by a poll whose checkpoint the host never kept). So when a host
//! dies after a poll returned but before it stored the new checkpoint, the
//! rerun from the old checkpoint sees the old state and reports the same
//! events again: delivery is at least once.
//!
//! Entries live under `trigger/<subscription>/<kind>/<id>`; a deleted record
//! is kept as a tombstone (`c: null`) until a later scan drops it.

use crate::Result;
use crate::state::{BoundStore, state_error};
use serde_json::{Value, json};
use std::sync::Mutex;

/// The most entries one subscription's kind may hold (a list reads them all).
const MAX_RECORDS: usize = 5_000_000;

/// One record's entry as stored, and its committed state.
#[derive(Clone, Debug, Default)]
pub(crate) struct Entry {
    raw: Option<Value>,
    /// Whether the stored state was written by a poll not yet committed.
    uncommitted: bool,
    /// The committed state; `None` for a record never seen or deleted.
    pub committed: Option<Value>,
}

impl Entry {
    /// Whether this is a deleted record's tombstone that a committed poll
    /// wrote (so it can be dropped).
    pub fn is_committed_tombstone(&self) -> bool {
        self.committed.is_none()
            && self
                .raw
                .as_ref()
                .is_some_and(|r| r.get("c").is_some_and(Value::is_null) && !self.uncommitted)
    }
}

/// The records of one kind (`contact`, `task`, `note`, `appointment`) of one
/// subscription, read as of generation `generation`.
///
/// Writes wait in memory until [`flush`](Records::flush), which stores them
/// at once (one SQLite transaction per page read).
pub(crate) struct Records<'a> {
    store: &'a BoundStore,
    prefix: String,
    generation: u64,
    now_ms: u64,
    pending: Mutex<Vec<(String, Value)>>,
}

impl<'a> Records<'a> {
    /// The records of `kind` for `subscription`, read as committed by
    /// generation `generation` (the checkpoint's) and written as the next.
    pub fn new(
        store: &'a BoundStore,
        subscription: &str,
        kind: &str,
        generation: u64,
        now_ms: u64,
    ) -> Self {
        Records {
            store,
            prefix: format!("trigger/{subscription}/{kind}/"),
            generation,
            now_ms,
            pending: Mutex::new(Vec::new()),
        }
    }

    /// Record `id`'s entry.
    ///
    /// Errors: State when the store fails or holds something that is not an
    /// entry.
    pub async fn get(&self, id: &str) -> Result<Entry> {
        let raw = self
            .store
            .get(&self.key(id), self.now_ms)
            .await?
            .map(|v| v.value);
        self.entry(raw)
    }

    /// Writes `state` (`None`: deleted) as record `id`'s state of the next
    /// generation, keeping its committed state as the one before; stored at
    /// the next [`flush`](Self::flush).
    ///
    /// Nothing can fail here: `flush` stores the write, and reports.
    pub fn set(&self, id: &str, entry: &Entry, state: Option<Value>) {
        let raw_generation = entry
            .raw
            .as_ref()
            .and_then(|r| r.get("g"))
            .and_then(Value::as_u64);
        let previous = match raw_generation {
            // Already written by this (uncommitted) generation: keep the
            // state before it.
            Some(g) if g > self.generation => entry
                .raw
                .as_ref()
                .and_then(|r| r.get("p"))
                .cloned()
                .unwrap_or(Value::Null),
            _ => entry.committed.clone().unwrap_or(Value::Null),
        };
        let value = json!({
            "g": self.generation + 1,
            "c": state.unwrap_or(Value::Null),
            "p": previous,
        });
        self.pending
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push((self.key(id), value));
    }

    /// Stores every write since the last flush, at once.
    ///
    /// Errors: State when the store fails (nothing of the batch is then
    /// committed by SQLite; other stores may have taken part of it, which a
    /// rerun writes again).
    pub async fn flush(&self) -> Result<()> {
        let batch = std::mem::take(&mut *self.pending.lock().unwrap_or_else(|p| p.into_inner()));
        if batch.is_empty() {
            return Ok(());
        }
        self.store.put_many(&batch, self.now_ms).await
    }

    /// Drops record `id`'s entry (a tombstone a scan found committed).
    ///
    /// Errors: State when the store fails.
    pub async fn forget(&self, id: &str) -> Result<()> {
        self.store
            .delete(&self.key(id), self.now_ms)
            .await
            .map(|_| ())
    }

    /// Every record's id and entry, in id order.
    ///
    /// Errors: State when the store fails, or holds more than the most a
    /// subscription may.
    pub async fn all(&self) -> Result<Vec<(String, Entry)>> {
        let listed = self
            .store
            .list(&self.prefix, MAX_RECORDS + 1, self.now_ms)
            .await?;
        if listed.len() > MAX_RECORDS {
            return Err(state_error(format!(
                "{} holds more than {MAX_RECORDS} records",
                self.prefix
            )));
        }
        listed
            .into_iter()
            .map(|(key, v)| {
                let id = key[self.prefix.len()..].to_owned();
                Ok((id, self.entry(Some(v.value))?))
            })
            .collect()
    }

    fn key(&self, id: &str) -> String {
        format!("{}{id}", self.prefix)
    }

    fn entry(&self, raw: Option<Value>) -> Result<Entry> {
        let Some(raw) = raw else {
            return Ok(Entry::default());
        };
        let generation = raw.get("g").and_then(Value::as_u64).ok_or_else(|| {
            state_error(format!(
                "{}: a stored record has no generation",
                self.prefix
            ))
        })?;
        let slot = if generation <= self.generation {
            "c"
        } else {
            "p"
        };
        let committed = raw.get(slot).cloned().filter(|v| !v.is_null());
        Ok(Entry {
            raw: Some(raw),
            uncommitted: generation > self.generation,
            committed,
        })
    }
}
