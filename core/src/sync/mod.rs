//! Two-way sync between a host system's records and HighLevel's contacts:
//! nothing duplicated, nothing lost, and an edit on one side never
//! overwriting a different edit on the other.
//!
//! The host side is a [`HostAdapter`] (`host.rs`; the bundled one is a
//! SQLite table, `sqlite_table.rs`; a shell's callback or object answers
//! through [`HostCallAdapter`], `host_call.rs`); contacts are mapped through a two-way
//! mapping template and its rules. A pass (`pass.rs`, [`run_pass`]) reads
//! the changes on both sides, matches new records by email then phone
//! before creating anything, merges each pair field by field against the
//! values both had when last in step (`merge.rs`), writes only what
//! differs, and reports (`report.rs`). Its state (`state.rs`) lives in the
//! driver's state store: the id map, each field's last synced values, both
//! checkpoints, a journal of creates in flight, the template's field
//! fingerprints. One pass runs at a time across every process sharing
//! the store (`lease.rs`). Settings: `settings.rs`.
//!
//! What is synced: contacts and their business link as the template maps
//! them (`businessId` is a field like any other; business records
//! themselves are not synced), and, given a second adapter, notes
//! (`notes.rs`), and, given a third, appointments from HighLevel to the
//! host only (`appointments.rs`). Tasks are not synced.

mod appointments;
mod host;
mod host_call;
mod lease;
mod merge;
mod notes;
mod pass;
mod report;
mod scratch;
mod settings;
#[cfg(feature = "sqlite")]
mod sqlite_table;
mod state;

pub use appointments::{APPOINTMENT_FIELDS, AppointmentHost};
pub use host::{HostAdapter, HostChanges, HostRecord, HostWrite, MAX_HOST_ID_BYTES, check_host_id};
pub use host_call::{HOST_ADAPTER_OPERATIONS, HostCallAdapter};
pub use notes::NoteHost;
pub use pass::{Progress, SyncHosts, run_pass};
pub use report::{AppointmentCounts, ItemKind, NoteCounts, ReportItem, SideCounts, SyncReport};
pub use settings::{
    AppointmentSettings, DEFAULT_BODY_FIELD, DEFAULT_CONTACT_FIELD, DeletePolicy, FieldPolicy,
    MAX_PAGE_LIMIT, RecordFields, SyncSettings,
};
#[cfg(feature = "sqlite")]
pub use sqlite_table::SqliteTable;
