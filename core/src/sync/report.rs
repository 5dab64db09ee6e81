//! A pass's report: what it read, wrote, left and could not do, in one JSON
//! form, which a host shows as its sync log.

use serde_json::{Value, json};

/// Counts per side of a pass's writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SideCounts {
    /// Written (or, in a dry run, to be written) in HighLevel.
    pub highlevel: u64,
    /// Written (or to be written) in the host.
    pub host: u64,
}

impl SideCounts {
    fn to_json(self) -> Value {
        json!({"highlevel": self.highlevel, "host": self.host})
    }
}

/// A pass's note writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoteCounts {
    /// Notes created.
    pub created: SideCounts,
    /// Notes whose body was written.
    pub updated: SideCounts,
    /// Notes deleted.
    pub deleted: SideCounts,
}

/// A pass's appointment reads and writes (`appointments.rs`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AppointmentCounts {
    /// Appointments read in the window.
    pub read: u64,
    /// Host records created.
    pub created: u64,
    /// Host records written again (the appointment changed).
    pub updated: u64,
    /// Host records deleted (the appointment is gone from HighLevel).
    pub deleted: u64,
    /// Appointments of contacts not linked yet, left for a later pass.
    pub unlinked: u64,
}

/// What one reported item is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// A field both sides changed that the policy did not settle, or a
    /// record deleted on one side and edited on the other.
    Conflict,
    /// A record the template's rules refused: nothing of it was sent.
    Invalid,
    /// A record that could not be synced (a malformed host record, a
    /// duplicate id, a write the other side refused).
    Error,
}

impl ItemKind {
    /// Its JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Conflict => "conflict",
            ItemKind::Invalid => "invalid",
            ItemKind::Error => "error",
        }
    }
}

/// One reported record.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportItem {
    /// What it is.
    pub kind: ItemKind,
    /// The host record, when known.
    pub host_id: Option<String>,
    /// The HighLevel contact, when known.
    pub contact_id: Option<String>,
    /// The field, for a field's conflict (its target, as policies name it).
    pub field: Option<String>,
    /// Why.
    pub message: String,
    /// For an invalid record, each error with its path.
    pub errors: Vec<Value>,
    /// For a conflict, the host's and HighLevel's values.
    pub values: Option<(Value, Value)>,
}

/// A pass's report.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncReport {
    /// The sync's name.
    pub name: String,
    /// Whether this was a first pass (every contact read, records matched).
    pub first: bool,
    /// Whether nothing was written (decisions only).
    pub dry_run: bool,
    /// Host records read (changes, deletions included).
    pub host_read: u64,
    /// HighLevel contacts read.
    pub highlevel_read: u64,
    /// Records created.
    pub created: SideCounts,
    /// Records updated.
    pub updated: SideCounts,
    /// Records deleted.
    pub deleted: SideCounts,
    /// Pairs read and already in step.
    pub unchanged: u64,
    /// Host records linked to a HighLevel contact by email or phone.
    pub matched: u64,
    /// Records the template's rules refused.
    pub invalid: u64,
    /// Conflicts reported (fields, and deletes against edits).
    pub conflicts: u64,
    /// Records that could not be synced.
    pub errors: u64,
    /// Writes found in flight from an interrupted pass (each redone or
    /// found done).
    pub recovered: u64,
    /// Fields added, removed or re-mapped since the last pass, whose values
    /// were baselined again rather than read as edits.
    pub rebaselined: Vec<String>,
    /// Whether the delete scan (every contact id) ran.
    pub delete_scan: bool,
    /// The notes' writes, when the pass synced notes.
    pub notes: NoteCounts,
    /// The appointments' reads and writes, when the pass synced them.
    pub appointments: AppointmentCounts,
    /// Each conflict, invalid record and error.
    pub items: Vec<ReportItem>,
}

impl ReportItem {
    /// An item with no field, errors or values.
    pub(crate) fn new(
        kind: ItemKind,
        host_id: Option<String>,
        contact_id: Option<String>,
        message: String,
    ) -> ReportItem {
        ReportItem {
            kind,
            host_id,
            contact_id,
            field: None,
            message,
            errors: Vec::new(),
            values: None,
        }
    }
}

impl SyncReport {
    pub(crate) fn item(&mut self, item: ReportItem) {
        match item.kind {
            ItemKind::Conflict => self.conflicts += 1,
            ItemKind::Invalid => self.invalid += 1,
            ItemKind::Error => self.errors += 1,
        }
        self.items.push(item);
    }

    /// The report as JSON: `{name, first, dryRun, read: {host, highlevel},
    /// created, updated, deleted (each {highlevel, host}), unchanged,
    /// matched, invalid, conflicts, errors, recovered, rebaselined,
    /// deleteScan, notes: {created, updated, deleted}, appointments: {read,
    /// created, updated, deleted, unlinked}, items: [{kind, hostId?,
    /// contactId?, field?, message,
    /// errors?, host?, highlevel?}]}`.
    pub fn to_json(&self) -> Value {
        let items: Vec<Value> = self
            .items
            .iter()
            .map(|i| {
                let mut v = json!({"kind": i.kind.as_str(), "message": i.message});
                if let Some(h) = &i.host_id {
                    v["hostId"] = json!(h);
                }
                if let Some(c) = &i.contact_id {
                    v["contactId"] = json!(c);
                }
                if let Some(f) = &i.field {
                    v["field"] = json!(f);
                }
                if !i.errors.is_empty() {
                    v["errors"] = Value::Array(i.errors.clone());
                }
                if let Some((host, highlevel)) = &i.values {
                    v["host"] = host.clone();
                    v["highlevel"] = highlevel.clone();
                }
                v
            })
            .collect();
        json!({
            "name": self.name,
            "first": self.first,
            "dryRun": self.dry_run,
            "read": {"host": self.host_read, "highlevel": self.highlevel_read},
            "created": self.created.to_json(),
            "updated": self.updated.to_json(),
            "deleted": self.deleted.to_json(),
            "unchanged": self.unchanged,
            "matched": self.matched,
            "invalid": self.invalid,
            "conflicts": self.conflicts,
            "errors": self.errors,
            "recovered": self.recovered,
            "rebaselined": self.rebaselined,
            "deleteScan": self.delete_scan,
            "notes": {
                "created": self.notes.created.to_json(),
                "updated": self.notes.updated.to_json(),
                "deleted": self.notes.deleted.to_json(),
            },
            "appointments": {
                "read": self.appointments.read,
                "created": self.appointments.created,
                "updated": self.appointments.updated,
                "deleted": self.appointments.deleted,
                "unlinked": self.appointments.unlinked,
            },
            "items": items,
        })
    }
}
