//! Two-way sync (`contacts_core::sync`): one pass between the host's
//! records and the client's location, each kind of host record (contacts,
//! and optionally notes and appointments) reached through a C callback, or
//! the bundled SQLite table, with the change triggers for a table that has
//! only an id. The pass blocks the calling thread, and every callback runs
//! on it.

use crate::boundary::boundary;
use crate::checked;
use crate::client::contacts_client;
use crate::error::{contacts_code, contacts_error};
use crate::result::contacts_result;
use crate::state_store::{HostCallback, ask_host, contacts_state_reply};
use contacts_core::state::{HostCall, StoreFuture};
use contacts_core::sync::{
    HostAdapter, HostCallAdapter, Progress, RecordFields, SqliteTable, SyncHosts, SyncSettings,
};
use contacts_core::{Error, ErrorCode};
use serde_json::Value;
use std::ffi::CString;
use std::os::raw::{c_char, c_void};

/// The host side of a sync, in the host: `call` runs one operation.
/// `request_json` is `{"op": "changes" | "upsert" | "delete", "args":
/// [...]}` (the arguments and answers are in `ffi/README.md`, "Sync
/// hosts"); the host answers by calling `contacts_state_reply_set(reply,
/// json, len)` once and returning 0. Any other return, or no answer, stops
/// the pass with `CONTACTS_CODE_HOST`. `call` runs on the thread that
/// called `contacts_sync_pass`, one operation at a time, and must not call
/// back into libcontacts except `contacts_state_reply_set`. Strings are
/// borrowed for the call.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct contacts_sync_host {
    /// Passed back to `call`.
    pub userdata: *mut c_void,
    /// Runs one operation; 0 once answered.
    pub call: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            request_json: *const c_char,
            request_len: usize,
            reply: *mut contacts_state_reply,
        ) -> i32,
    >,
}

/// Called as a pass goes, on the pass's thread: `phase` is `host` (reading
/// its changes), `highlevel` (reading contacts and handling each) or
/// `records` (the host records left; its last call has `done` equal to
/// `total`), NUL-terminated and borrowed for the call; `done` so far in
/// the phase; `total` its total, or 0 when unknown.
pub type contacts_sync_progress = Option<
    unsafe extern "C" fn(userdata: *mut c_void, phase: *const c_char, done: u64, total: u64),
>;

struct CallbackHost {
    call: HostCallback,
    userdata: *mut c_void,
}

// The pass runs on the caller's thread, one operation at a time, as the
// contract says; the pointers are the host's business.
unsafe impl Send for CallbackHost {}
unsafe impl Sync for CallbackHost {}

fn host_error(message: String) -> Error {
    Error::new(ErrorCode::Host, message)
}

impl HostCall for CallbackHost {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        // SAFETY: the host's contract.
        let answer =
            unsafe { ask_host(self.call, self.userdata, op, args, "syncHost", host_error) };
        Box::pin(async move { answer })
    }
}

#[derive(Clone, Copy)]
struct ProgressCallback {
    call: contacts_sync_progress,
    userdata: *mut c_void,
}

// Called only on the pass's thread (the caller's), as the contract says.
unsafe impl Send for ProgressCallback {}
unsafe impl Sync for ProgressCallback {}

impl ProgressCallback {
    fn tell(&self, p: &Progress) {
        let Some(call) = self.call else { return };
        let phase = CString::new(p.phase).unwrap_or_default();
        // SAFETY: the host's contract; `phase` outlives the call.
        unsafe { call(self.userdata, phase.as_ptr(), p.done, p.total.unwrap_or(0)) };
    }
}

/// Runs one pass with `host` and writes its report.
#[allow(clippy::too_many_arguments)]
fn run_pass(
    client: *const contacts_client,
    template_json: *const c_char,
    template_len: usize,
    settings_json: *const c_char,
    settings_len: usize,
    hosts: SyncHosts<'_>,
    progress: ProgressCallback,
    report_out: *mut *mut contacts_result,
) -> Result<(), Box<contacts_error>> {
    let c = checked::handle("client", client)?;
    let out = checked::out("report_out", report_out)?;
    let template = checked::json("template_json", template_json, template_len)?;
    let settings = checked::json("settings_json", settings_json, settings_len)?;
    let settings = SyncSettings::from_json(&settings)?;
    let tell = move |p: &Progress| progress.tell(p);
    let phones = contacts_core::mapping::LibPhoneNumber;
    let pass = c
        .blocking
        .driver()
        .sync_pass_with(&template, hosts, &settings, Some(&phones), tell);
    let report = c.rt.block_on(pass)??;
    out.put(contacts_result::new(&report.to_json()));
    Ok(())
}

/// One pass of a two-way sync between `host` and `client`'s location:
/// `template_json` is a two-way contact mapping template, `settings_json`
/// the sync's settings (`{name, policy?, fields?, skewMs?, deletes?, ...}`,
/// the README's "Two-way sync"). The sync's state is in the client's state
/// store (`config.state` or `contacts_client_new_with_state`). Blocks the
/// calling thread; `host->call` and `progress` (may be NULL) run on it. On
/// success the pass's report is in `*report_out` (the caller's). Not from
/// inside a libcontacts callback.
///
/// Errors: `CONTACTS_CODE_INVALID_ARGUMENT` for a bad template or
/// settings, or a client with no state store; `INVALID_JSON`;
/// `NULL_ARGUMENT` for a NULL `host` or `host->call`; `CONTACTS_CODE_STATE`
/// when the sync's state is another template's or corrupt; `CONTACTS_CODE_HOST` when
/// the host's callback failed or answered what it may not; a HighLevel
/// read's error. A record that cannot be synced is in the report, not an
/// error.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_sync_pass(
    client: *const contacts_client,
    template_json: *const c_char,
    template_len: usize,
    settings_json: *const c_char,
    settings_len: usize,
    host: *const contacts_sync_host,
    progress: contacts_sync_progress,
    progress_userdata: *mut c_void,
    report_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    let progress = ProgressCallback {
        call: progress,
        userdata: progress_userdata,
    };
    boundary(move || {
        let adapter = callback_adapter("host", host)?;
        run_pass(
            client,
            template_json,
            template_len,
            settings_json,
            settings_len,
            SyncHosts::contacts(&adapter),
            progress,
            report_out,
        )
    })
}

/// Every host adapter of a pass: `contacts` (required), `notes` (both
/// ways) and `appointments` (HighLevel's, one way), each NULL when not
/// synced. Each answers as `contacts_sync_host` says, on the pass's
/// thread; the struct and what it points to are borrowed for the call.
#[repr(C)]
pub struct contacts_sync_hosts {
    /// The host's contact records.
    pub contacts: *const contacts_sync_host,
    /// Its note records, each naming its host contact and holding a body;
    /// or NULL.
    pub notes: *const contacts_sync_host,
    /// Its appointment records, written under HighLevel's appointment ids
    /// (`key`); or NULL.
    pub appointments: *const contacts_sync_host,
}

/// `contacts_sync_pass` over every adapter of `hosts` (README, "Two-way
/// sync"). `fields_json` names the fields that tie notes and appointments
/// to their host contact: `{"notes": {"contactField"?, "bodyField"?},
/// "appointments": {"contactField"?}}` (NULL and 0: `member_id` and
/// `body`). Which appointments: the settings' `appointments`.
///
/// Errors as `contacts_sync_pass`, `NULL_ARGUMENT` for a NULL `hosts`,
/// `hosts->contacts` or a given adapter's `call`, and
/// `CONTACTS_CODE_INVALID_ARGUMENT` for bad `fields_json`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_sync_pass_with(
    client: *const contacts_client,
    template_json: *const c_char,
    template_len: usize,
    settings_json: *const c_char,
    settings_len: usize,
    hosts: *const contacts_sync_hosts,
    fields_json: *const c_char,
    fields_len: usize,
    progress: contacts_sync_progress,
    progress_userdata: *mut c_void,
    report_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    let progress = ProgressCallback {
        call: progress,
        userdata: progress_userdata,
    };
    boundary(move || {
        let given = checked::handle("hosts", hosts)?;
        let contacts = callback_adapter("hosts->contacts", given.contacts)?;
        let optional = |what: &str, host: *const contacts_sync_host| match host.is_null() {
            true => Ok(None),
            false => callback_adapter(what, host).map(Some),
        };
        let notes = optional("hosts->notes", given.notes)?;
        let appointments = optional("hosts->appointments", given.appointments)?;
        let fields = match fields_json.is_null() && fields_len == 0 {
            true => Value::Null,
            false => checked::json("fields_json", fields_json, fields_len)?,
        };
        let fields = RecordFields::from_json(&fields)?;
        let hosts = SyncHosts::with_fields(
            &contacts,
            notes.as_ref().map(|a| a as &dyn HostAdapter),
            appointments.as_ref().map(|a| a as &dyn HostAdapter),
            &fields,
        );
        run_pass(
            client,
            template_json,
            template_len,
            settings_json,
            settings_len,
            hosts,
            progress,
            report_out,
        )
    })
}

/// A host's callback as an adapter; `what` names the parameter.
fn callback_adapter(
    what: &str,
    host: *const contacts_sync_host,
) -> Result<HostCallAdapter<CallbackHost>, Box<contacts_error>> {
    let host = checked::handle(what, host)?;
    let Some(call) = host.call else {
        return Err(contacts_error::new(
            contacts_code::NullArgument,
            &format!("{what}->call is NULL"),
        ));
    };
    Ok(HostCallAdapter(CallbackHost {
        call,
        userdata: host.userdata,
    }))
}

/// `contacts_sync_pass` with the bundled host: table `table` of the SQLite
/// database file `db_path` (UTF-8), which has `id`, `updated_at` (Unix ms)
/// and `deleted_at` columns and a column per field the template reads.
///
/// Errors as `contacts_sync_pass`, and `CONTACTS_CODE_INVALID_ARGUMENT`
/// naming a missing column, for a table that does not exist or a file
/// that is not a database.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_sync_pass_sqlite(
    client: *const contacts_client,
    template_json: *const c_char,
    template_len: usize,
    settings_json: *const c_char,
    settings_len: usize,
    db_path: *const c_char,
    db_path_len: usize,
    table: *const c_char,
    table_len: usize,
    progress: contacts_sync_progress,
    progress_userdata: *mut c_void,
    report_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    let progress = ProgressCallback {
        call: progress,
        userdata: progress_userdata,
    };
    boundary(move || {
        checked::handle("client", client)?;
        let path = checked::text("db_path", db_path, db_path_len)?;
        let table = checked::text("table", table, table_len)?;
        let adapter = SqliteTable::open(path, table)?;
        run_pass(
            client,
            template_json,
            template_len,
            settings_json,
            settings_len,
            SyncHosts::contacts(&adapter),
            progress,
            report_out,
        )
    })
}

/// Keeps `updated_at` and `deleted_at` for table `table` of the SQLite
/// database file `db_path` (UTF-8), which has an `id` column but not
/// those, so `contacts_sync_pass_sqlite` can sync it: a change-log table
/// beside it, kept by triggers on insert, update and delete (README,
/// "Two-way sync"). Running it again changes nothing. Blocks the calling
/// thread.
///
/// Errors: `NULL_ARGUMENT`, `INVALID_UTF8`; `CONTACTS_CODE_INVALID_ARGUMENT`
/// for a file that is not a database, a table that does not exist or has
/// no `id`, or one with its own `updated_at`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_sync_install_triggers(
    db_path: *const c_char,
    db_path_len: usize,
    table: *const c_char,
    table_len: usize,
) -> *mut contacts_error {
    boundary(move || {
        let path = checked::text("db_path", db_path, db_path_len)?;
        let table = checked::text("table", table, table_len)?;
        SqliteTable::install_triggers(path, table)?;
        Ok(())
    })
}
