//! Two-way sync through the ABI: the bundled SQLite host and a host
//! answering through its callback, against a sandbox; the progress
//! callback; and the bad arguments, each with its code.

use super::*;

const TEMPLATE: &str = r#"{"name": "members", "target": "contact", "direction": "both",
  "fields": [{"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"]},
             {"from": "email", "to": "email", "transforms": ["email"]}]}"#;

fn host_db(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("app.db");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(
            "CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, email TEXT,
               updated_at INTEGER NOT NULL, deleted_at INTEGER);
             INSERT INTO members (name, email, updated_at) VALUES ('Ada Lovelace', 'ada@example.com', 1);",
        )
        .unwrap();
    path
}

unsafe extern "C" fn count_progress(
    userdata: *mut c_void,
    phase: *const c_char,
    done: u64,
    total: u64,
) {
    let seen = unsafe { &*(userdata as *const Mutex<Vec<(String, u64, u64)>>) };
    let phase = unsafe { std::ffi::CStr::from_ptr(phase) }
        .to_string_lossy()
        .into_owned();
    seen.lock().unwrap().push((phase, done, total));
}

fn sqlite_pass(
    client: *const contacts_client,
    db: &std::path::Path,
    table: &str,
    settings: &str,
    progress: contacts_sync_progress,
    userdata: *mut c_void,
) -> Result<Value, (contacts_code, String)> {
    let (tp, tl) = cstr(TEMPLATE);
    let (sp, sl) = cstr(settings);
    let db = db.to_str().unwrap();
    let (dp, dl) = cstr(db);
    let (np, nl) = cstr(table);
    let mut out = null_mut();
    match take(contacts_sync_pass_sqlite(
        client, tp, tl, sp, sl, dp, dl, np, nl, progress, userdata, &mut out,
    )) {
        None => Ok(result_json(out)),
        Some(e) => {
            assert!(out.is_null());
            Err(e)
        }
    }
}

#[test]
fn a_sqlite_table_syncs_through_the_abi_and_a_second_pass_writes_nothing() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 2,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let db = host_db(dir.path());
    let client = state_client(&sbx, &dir.path().join("sync.db"));
    let seen: Mutex<Vec<(String, u64, u64)>> = Mutex::new(Vec::new());
    let ud = &seen as *const _ as *mut c_void;
    let first = sqlite_pass(
        client,
        &db,
        "members",
        r#"{"name": "members"}"#,
        Some(count_progress),
        ud,
    )
    .unwrap();
    assert_eq!(
        first["created"],
        json!({"highlevel": 1, "host": 2}),
        "{first}"
    );
    let seen = seen.into_inner().unwrap();
    assert!(
        seen.iter()
            .any(|(p, done, total)| p == "highlevel" && done == total && *total == 2),
        "the walk counts HighLevel's two contacts: {seen:?}"
    );
    let (phase, done, total) = seen.last().unwrap();
    assert!(
        phase == "records" && done == total && *total == 1,
        "the host's one record left for HighLevel ends the pass: {seen:?}"
    );
    let second = sqlite_pass(
        client,
        &db,
        "members",
        r#"{"name": "members"}"#,
        None,
        null_mut(),
    )
    .unwrap();
    assert_eq!(
        second["created"],
        json!({"highlevel": 0, "host": 0}),
        "{second}"
    );
    assert_eq!(
        second["updated"],
        json!({"highlevel": 0, "host": 0}),
        "{second}"
    );

    let err = sqlite_pass(
        client,
        &db,
        "nothing",
        r#"{"name": "members"}"#,
        None,
        null_mut(),
    )
    .unwrap_err();
    assert_eq!(err.0, contacts_code::InvalidArgument);
    assert!(err.1.contains("does not exist"), "{}", err.1);
    let err = sqlite_pass(
        client,
        &db,
        "members",
        r#"{"name": "members", "policy": "loudest"}"#,
        None,
        null_mut(),
    )
    .unwrap_err();
    assert_eq!(err.0, contacts_code::InvalidArgument);
    let err = sqlite_pass(client, &db, "members", "{", None, null_mut()).unwrap_err();
    assert_eq!(err.0, contacts_code::InvalidJson);
    let (bad, bl) = (b"\xff".as_ptr().cast::<c_char>(), 1);
    let (tp, tl) = cstr(TEMPLATE);
    let (sp, sl) = cstr(r#"{"name": "members"}"#);
    let mut out = null_mut();
    let e = take(contacts_sync_pass_sqlite(
        client,
        tp,
        tl,
        sp,
        sl,
        bad,
        bl,
        bad,
        bl,
        None,
        null_mut(),
        &mut out,
    ));
    assert_eq!(e.unwrap().0, contacts_code::InvalidUtf8);
    let e = take(contacts_sync_pass_sqlite(
        null(),
        tp,
        tl,
        sp,
        sl,
        bad,
        bl,
        bad,
        bl,
        None,
        null_mut(),
        &mut out,
    ));
    assert_eq!(e.unwrap().0, contacts_code::NullArgument);
    let stateless = live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null());
    let err = sqlite_pass(
        stateless,
        &db,
        "members",
        r#"{"name": "members"}"#,
        None,
        null_mut(),
    )
    .unwrap_err();
    assert_eq!(err.0, contacts_code::InvalidArgument);
    assert!(err.1.contains("state store"), "{}", err.1);
    contacts_client_free(stateless);
    contacts_client_free(client);
}

/// A host behind the callback: its records, and whether it fails.
struct CallbackHost {
    records: Mutex<Vec<Value>>,
    fail: bool,
}

unsafe extern "C" fn host_call(
    userdata: *mut c_void,
    request: *const c_char,
    len: usize,
    reply: *mut contacts_state_reply,
) -> i32 {
    let host = unsafe { &*(userdata as *const CallbackHost) };
    if host.fail {
        return 7;
    }
    let bytes = unsafe { std::slice::from_raw_parts(request.cast::<u8>(), len) };
    let request: Value = serde_json::from_slice(bytes).unwrap();
    let mut records = host.records.lock().unwrap();
    let answer = match request["op"].as_str().unwrap() {
        "changes" if request["args"][0].is_null() => {
            json!({"records": *records, "checkpoint": "all"})
        }
        "changes" => json!({"records": [], "checkpoint": "all"}),
        "upsert" => {
            let w = &request["args"][0];
            let id = format!("h{}", records.len());
            let record = json!({"id": id, "updatedAt": w["nowMs"], "fields": w["fields"]});
            records.push(record.clone());
            record
        }
        _ => Value::Null,
    };
    let text = answer.to_string();
    let (p, l) = cstr(&text);
    assert!(take(contacts_state_reply_set(reply, p, l)).is_none());
    0
}

fn callback_pass(
    client: *const contacts_client,
    host: *const contacts_sync_host,
) -> Result<Value, (contacts_code, String)> {
    let (tp, tl) = cstr(TEMPLATE);
    let (sp, sl) = cstr(r#"{"name": "callback"}"#);
    let mut out = null_mut();
    match take(contacts_sync_pass(
        client,
        tp,
        tl,
        sp,
        sl,
        host,
        None,
        null_mut(),
        &mut out,
    )) {
        None => Ok(result_json(out)),
        Some(e) => Err(e),
    }
}

#[test]
fn a_host_answering_through_its_callback_syncs_and_its_failures_stop_the_pass() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 1,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = state_client(&sbx, &dir.path().join("sync.db"));
    let host = CallbackHost {
        records: Mutex::new(vec![
            json!({"id": "g1", "updatedAt": 1, "fields": {"name": "Grace Hopper", "email": "grace@example.com"}}),
            json!({"id": "bad", "fields": {}}),
        ]),
        fail: false,
    };
    let abi_host = contacts_sync_host {
        userdata: &host as *const _ as *mut c_void,
        call: Some(host_call),
    };
    let report = callback_pass(client, &abi_host).unwrap();
    assert_eq!(
        report["created"],
        json!({"highlevel": 1, "host": 1}),
        "{report}"
    );
    assert_eq!(
        report["errors"], 1,
        "the malformed record is reported: {report}"
    );
    assert!(
        report.to_string().contains("updatedAt: required"),
        "{report}"
    );
    assert_eq!(
        host.records.lock().unwrap().len(),
        3,
        "the seeded contact became a host record"
    );

    let failing = CallbackHost {
        records: Mutex::new(Vec::new()),
        fail: true,
    };
    let abi_failing = contacts_sync_host {
        userdata: &failing as *const _ as *mut c_void,
        call: Some(host_call),
    };
    let err = callback_pass(client, &abi_failing).unwrap_err();
    assert_eq!(err.0, contacts_code::Host, "{}", err.1);
    assert!(
        err.1.contains("syncHost.changes: the callback returned 7"),
        "{}",
        err.1
    );
    let no_call = contacts_sync_host {
        userdata: null_mut(),
        call: None,
    };
    assert_eq!(
        callback_pass(client, &no_call).unwrap_err().0,
        contacts_code::NullArgument
    );
    assert_eq!(
        callback_pass(client, null()).unwrap_err().0,
        contacts_code::NullArgument
    );
    contacts_client_free(client);
}

#[test]
fn notes_and_appointments_sync_through_more_callback_hosts() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let client = state_client(&sbx, &dir.path().join("sync.db"));
    let members = CallbackHost {
        records: Mutex::new(vec![json!({"id": "g1", "updatedAt": 1,
            "fields": {"name": "Grace Notes", "email": "grace.notes@example.com"}})]),
        fail: false,
    };
    let notes = CallbackHost {
        records: Mutex::new(vec![json!({"id": "nt1", "updatedAt": 1,
            "fields": {"member": "g1", "body": "Ships on Fridays"}})]),
        fail: false,
    };
    let visits = CallbackHost {
        records: Mutex::new(Vec::new()),
        fail: false,
    };
    let abi = |h: &CallbackHost| contacts_sync_host {
        userdata: h as *const _ as *mut c_void,
        call: Some(host_call),
    };
    let (members_host, notes_host, visits_host) = (abi(&members), abi(&notes), abi(&visits));
    let hosts = contacts_sync_hosts {
        contacts: &members_host,
        notes: &notes_host,
        appointments: &visits_host,
    };
    let (tp, tl) = cstr(TEMPLATE);
    let (sp, sl) =
        cstr(r#"{"name": "abi-kinds", "appointments": {"calendarIds": ["cal_sandbox"]}}"#);
    let fields =
        r#"{"notes": {"contactField": "member"}, "appointments": {"contactField": "member"}}"#;
    let (fp, fl) = cstr(fields);
    let pass = |hosts: *const contacts_sync_hosts, fp, fl| {
        let mut out = null_mut();
        match take(contacts_sync_pass_with(
            client,
            tp,
            tl,
            sp,
            sl,
            hosts,
            fp,
            fl,
            None,
            null_mut(),
            &mut out,
        )) {
            None => Ok(result_json(out)),
            Some(e) => Err(e),
        }
    };
    let report = pass(&hosts, fp, fl).unwrap();
    assert_eq!(
        report["notes"]["created"],
        json!({"highlevel": 1, "host": 0}),
        "{report}"
    );
    let found = call(
        client,
        "contacts.search",
        &json!({"locationId": sbx.location_id(), "query": "grace.notes@example.com", "pageLimit": 1}),
    )
    .unwrap();
    let grace = found["contacts"][0]["id"].as_str().unwrap().to_owned();
    let slots = call(client, "calendars.freeSlots", &slots::free_slots_params()).unwrap();
    let slot = slots::free_slots(&slots).remove(0);
    call(
        client,
        "appointments.create",
        &json!({"calendarId": "cal_sandbox", "locationId": sbx.location_id(),
            "contactId": grace, "startTime": slot, "title": "Kickoff"}),
    )
    .unwrap();
    let report = pass(&hosts, fp, fl).unwrap();
    assert_eq!(report["appointments"]["created"], 1, "{report}");
    let written = visits.records.lock().unwrap().clone();
    assert_eq!(written.len(), 1, "{written:?}");
    assert_eq!(written[0]["fields"]["member"], "g1", "{written:?}");
    assert_eq!(written[0]["fields"]["title"], "Kickoff", "{written:?}");

    let no_contacts = contacts_sync_hosts {
        contacts: null(),
        notes: null(),
        appointments: null(),
    };
    assert_eq!(
        pass(&no_contacts, fp, fl).unwrap_err().0,
        contacts_code::NullArgument
    );
    assert_eq!(
        pass(null(), fp, fl).unwrap_err().0,
        contacts_code::NullArgument
    );
    let no_call = contacts_sync_host {
        userdata: null_mut(),
        call: None,
    };
    let bad_notes = contacts_sync_hosts {
        notes: &no_call,
        ..hosts
    };
    assert_eq!(
        pass(&bad_notes, fp, fl).unwrap_err().0,
        contacts_code::NullArgument
    );
    let (bp, bl) = cstr("{");
    assert_eq!(
        pass(&hosts, bp, bl).unwrap_err().0,
        contacts_code::InvalidJson
    );
    let (up, ul) = cstr(r#"{"note": {}}"#);
    let e = pass(&hosts, up, ul).unwrap_err();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    assert!(
        e.1.contains("expected one of notes, appointments"),
        "{}",
        e.1
    );
    contacts_client_free(client);
}
