//! A pass's scratch space in the state store, so that its memory stays
//! flat however many records it reads: the host's changes, kept until
//! HighLevel's side of each comes by; the match keys (email, E.164 phone)
//! of the unlinked ones; and, in a pass with a delete scan, the contacts it
//! has handled. Written a page at a time (one store commit each), walked
//! back with [`BoundStore::list_after`], and cleared at both ends of a
//! pass: a crashed pass's leftovers are cleared by the next, which reads
//! the same changes again since neither checkpoint moved.

use super::host::{HostRecord, MAX_HOST_ID_BYTES};
use super::state::Keys;

/// The scratch keys of one pass.
pub(crate) struct Scratch {
    root: String,
}

/// The longest match key kept, in bytes: an email is at most 254, so a
/// longer value is not one and is left unindexed (never matched).
const MAX_MATCH_BYTES: usize = 254;

impl Scratch {
    /// The scratch of the sync `keys` names (a dry run's apart).
    pub(crate) fn new(keys: &Keys, dry_run: bool) -> Scratch {
        Scratch {
            root: keys.scratch(dry_run),
        }
    }

    /// The prefix every scratch key starts with.
    pub(crate) fn root(&self) -> &str {
        &self.root
    }

    /// The prefix of the host's spilled records.
    pub(crate) fn records(&self) -> String {
        format!("{}x/", self.root)
    }

    /// Host record `host_id` as read this pass (Null once handled).
    pub(crate) fn record(&self, host_id: &str) -> String {
        debug_assert!(host_id.len() <= MAX_HOST_ID_BYTES);
        format!("{}x/{host_id}", self.root)
    }

    /// The unlinked host record with this email, lower case.
    pub(crate) fn email(&self, email: &str) -> Option<String> {
        matchable(email).then(|| format!("{}e/{email}", self.root))
    }

    /// The unlinked host record with this E.164 phone.
    pub(crate) fn phone(&self, phone: &str) -> Option<String> {
        matchable(phone).then(|| format!("{}p/{phone}", self.root))
    }

    /// Set once the pass has handled contact `contact_id`.
    pub(crate) fn handled(&self, contact_id: &str) -> String {
        format!("{}v/{contact_id}", self.root)
    }

    /// A spilled record back from the store.
    ///
    /// Errors: State when the entry is not one this module wrote.
    pub(crate) fn read_record(
        &self,
        key: &str,
        value: &serde_json::Value,
    ) -> crate::Result<HostRecord> {
        HostRecord::from_json(value, key).map_err(|e| {
            crate::state::state_error(format!(
                "the sync's scratch entry {key} is corrupt: {}",
                e.message()
            ))
        })
    }
}

fn matchable(value: &str) -> bool {
    !value.is_empty() && value.len() <= MAX_MATCH_BYTES && !value.chars().any(char::is_control)
}
