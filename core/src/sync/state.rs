//! What a sync keeps in the state store, under `sync/<name>/`:
//! - `meta`: the template it was made with (its name, and each field's
//!   fingerprint), the checkpoints on both sides, whether the first pass
//!   finished, when the delete scan last ran;
//! - `h/<host id>`: the pair's link: its HighLevel contact, and each field's
//!   last synced value on both sides, for the three-way merge;
//! - `c/<contact id>`: the host id of a linked contact;
//! - `j/<host id or c:contact id>`: a create in flight (the journal): written
//!   before the create is sent, removed with the link's commit;
//! - `nh/<host note id>`, `nc/<note id>`: a note pair's link and the note
//!   index (`notes.rs`);
//! - `lease`: which pass may run now (`lease.rs`).
//!
//! Every value is checked when read: a corrupt one is
//! [`crate::ErrorCode::State`], never read as empty.

use crate::Result;
use crate::state::{BoundStore, state_error};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A sync's meta record.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Meta {
    /// The state's version of this layout.
    pub(crate) v: u32,
    /// The mapping template's name.
    pub(crate) template: String,
    /// Each field's fingerprint, by its label.
    pub(crate) fields: BTreeMap<String, String>,
    /// The host's checkpoint after the last finished pass.
    pub(crate) host: Option<String>,
    /// The newest `dateUpdated` read in HighLevel, Unix ms.
    pub(crate) mark_ms: Option<i64>,
    /// Whether a first pass has finished (later passes read changes only).
    pub(crate) baselined: bool,
    /// When the delete scan (every contact id) last finished, Unix ms.
    pub(crate) scanned_ms: i64,
    /// The host's notes checkpoint after the last finished pass.
    #[serde(default)]
    pub(crate) notes_host: Option<String>,
}

/// Which side deleted a linked record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum DeletedOn {
    Host,
    HighLevel,
}

/// A pair's link.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub(crate) struct Link {
    /// The HighLevel contact.
    pub(crate) contact: String,
    /// Each field's `[host, highlevel]` values when last in step, by label.
    pub(crate) base: BTreeMap<String, [Value; 2]>,
    /// The host's `updatedAt` then.
    pub(crate) host_ms: i64,
    /// HighLevel's `dateUpdated` then.
    pub(crate) highlevel_ms: i64,
    /// Set when one side deleted its record and the other was kept (a
    /// tombstone, or a delete against an edit): the pair is never synced
    /// again, so neither record comes back from the other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deleted: Option<DeletedOn>,
}

/// The keys of one sync.
#[derive(Clone, Debug)]
pub(crate) struct Keys {
    prefix: String,
}

impl Keys {
    pub(crate) fn new(name: &str) -> Keys {
        Keys {
            prefix: format!("sync/{name}/"),
        }
    }
    pub(crate) fn meta(&self) -> String {
        format!("{}meta", self.prefix)
    }
    pub(crate) fn link(&self, host_id: &str) -> String {
        format!("{}h/{host_id}", self.prefix)
    }
    pub(crate) fn contact(&self, contact_id: &str) -> String {
        format!("{}c/{contact_id}", self.prefix)
    }
    pub(crate) fn contacts(&self) -> String {
        format!("{}c/", self.prefix)
    }
    pub(crate) fn journal(&self, entry: &str) -> String {
        format!("{}j/{entry}", self.prefix)
    }
    pub(crate) fn journals(&self) -> String {
        format!("{}j/", self.prefix)
    }
    pub(crate) fn note(&self, host_note_id: &str) -> String {
        format!("{}nh/{host_note_id}", self.prefix)
    }
    pub(crate) fn notes(&self) -> String {
        format!("{}nh/", self.prefix)
    }
    pub(crate) fn note_index(&self, note_id: &str) -> String {
        format!("{}nc/{note_id}", self.prefix)
    }
    pub(crate) fn lease(&self) -> String {
        format!("{}lease", self.prefix)
    }
    pub(crate) fn appointment(&self, appointment_id: &str) -> String {
        format!("{}a/{appointment_id}", self.prefix)
    }
    pub(crate) fn appointments(&self) -> String {
        format!("{}a/", self.prefix)
    }
    /// Where a pass keeps its scratch entries (`scratch.rs`): one root
    /// for real passes, another for dry runs, which hold no lease.
    pub(crate) fn scratch(&self, dry_run: bool) -> String {
        let root = if dry_run { "dry/" } else { "run/" };
        format!("{}{root}", self.prefix)
    }
}

/// Reads a JSON record of type `R` under `key`.
///
/// Errors: State when the store fails or the value is not such a record.
pub(crate) async fn read<R: for<'de> Deserialize<'de>>(
    store: &BoundStore,
    key: &str,
    now_ms: u64,
) -> Result<Option<R>> {
    match store.get(key, now_ms).await? {
        None => Ok(None),
        Some(held) => serde_json::from_value(held.value)
            .map(Some)
            .map_err(|e| state_error(format!("the sync state under {key} is corrupt: {e}"))),
    }
}

/// A record as the JSON the store keeps.
pub(crate) fn to_value<R: Serialize>(record: &R) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}
