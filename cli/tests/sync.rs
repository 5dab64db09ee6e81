//! `contacts sync` end to end: a SQLite table as the host, a live sandbox
//! on loopback. A first pass creates what each side lacks, a second
//! creates and changes nothing, an edit on each side crosses over, a dry
//! run writes nothing, and bad input exits non-zero naming what is wrong.

#[path = "../../tests/support/slots.rs"]
mod slots;

use contacts_sandbox::{SandboxConfig, SandboxThread};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::Path;
use std::process::{Command, Output};

fn cmd(sbx: &SandboxThread) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_contacts"));
    c.env("HIGHLEVEL_TOKEN", sbx.pit())
        .env("HIGHLEVEL_LOCATION_ID", sbx.location_id())
        .env("HIGHLEVEL_BASE_URL", sbx.base_url())
        .env_remove("HIGHLEVEL_STATE");
    c
}

fn sync(sbx: &SandboxThread, dir: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["--table", "members"];
    args.extend_from_slice(extra);
    sync_table(sbx, dir, &args)
}

/// `contacts sync` of the app database in `dir` with `args` (a `--table`
/// among them).
fn sync_table(sbx: &SandboxThread, dir: &Path, extra: &[&str]) -> Output {
    let host = format!("sqlite:{}", dir.join("app.db").display());
    let template = dir.join("map.json");
    let mut args = vec![
        "--json",
        "sync",
        "--host",
        &host,
        "--template",
        template.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    cmd(sbx).args(&args).output().unwrap()
}

fn report(o: &Output) -> Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&o.stdout)))
}

fn setup(dir: &Path) -> Connection {
    std::fs::write(
        dir.join("map.json"),
        json!({
            "name": "members", "target": "contact", "direction": "both", "region": "US",
            "fields": [
                {"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"]},
                {"from": "email", "to": "email", "transforms": ["email"], "rules": [{"rule": "email"}]},
                {"from": "city", "to": "city"}
            ]
        })
        .to_string(),
    )
    .unwrap();
    let conn = Connection::open(dir.join("app.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT,
            updated_at INTEGER NOT NULL, deleted_at INTEGER);
         INSERT INTO members (name, email, city, updated_at) VALUES
            ('Ada Lovelace', 'ada@example.com', 'London', 1),
            ('Grace Hopper', 'grace@example.com', 'Arlington', 1);",
    )
    .unwrap();
    conn
}

#[test]
fn a_first_pass_then_nothing_then_each_sides_edit() {
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 3,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = setup(dir.path());

    let dry = report(&sync(&sbx, dir.path(), &["--dry-run"]));
    assert_eq!(dry["dryRun"], true);
    assert_eq!(dry["created"], json!({"highlevel": 2, "host": 3}), "{dry}");
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 2, "a dry run writes nothing");
    let again = report(&sync(&sbx, dir.path(), &["--dry-run"]));
    assert_eq!(again["first"], true, "a dry run keeps no sync state");

    let first = report(&sync(&sbx, dir.path(), &["--once"]));
    assert_eq!(first["first"], true);
    assert_eq!(
        first["created"],
        json!({"highlevel": 2, "host": 3}),
        "{first}"
    );
    assert!(
        dir.path().join("app.db.sync").exists(),
        "the state is kept beside the host database"
    );
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 5, "the 3 seeded contacts are now host rows");

    let second = report(&sync(&sbx, dir.path(), &[]));
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

    // An edit on each side crosses over in one pass.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    conn.execute(
        "UPDATE members SET city = 'Paris', updated_at = ?1 WHERE email = 'ada@example.com'",
        [now],
    )
    .unwrap();
    let out = cmd(&sbx)
        .args(["--json", "call", "contacts.search", "--params"])
        .arg(
            json!({"locationId": sbx.location_id(), "pageLimit": 10,
            "filters": [{"field": "email", "operator": "eq", "value": "grace@example.com"}]})
            .to_string(),
        )
        .output()
        .unwrap();
    let found: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
    let grace = found["contacts"][0]["id"].as_str().unwrap().to_owned();
    let out = cmd(&sbx)
        .args(["call", "contacts.update", "--params"])
        .arg(json!({"contactId": grace, "city": "Boston"}).to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third = report(&sync(&sbx, dir.path(), &[]));
    assert_eq!(
        third["updated"],
        json!({"highlevel": 1, "host": 1}),
        "{third}"
    );
    let city: String = conn
        .query_row(
            "SELECT city FROM members WHERE email = 'grace@example.com'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(city, "Boston");

    // The summary a person reads.
    let o = {
        let host = format!("sqlite:{}", dir.path().join("app.db").display());
        cmd(&sbx)
            .args(["sync", "--host", &host, "--table", "members", "--template"])
            .arg(dir.path().join("map.json"))
            .output()
            .unwrap()
    };
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success());
    assert!(text.contains("sync members: read"), "{text}");
    assert!(
        text.contains("created 0 in HighLevel, 0 in the host"),
        "{text}"
    );
}

#[test]
fn bad_input_exits_non_zero_naming_what_is_wrong() {
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = setup(dir.path());
    conn.execute(
        "CREATE TABLE plain (id INTEGER PRIMARY KEY, email TEXT, updated_at INTEGER)",
        [],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO members (name, email, city, updated_at) VALUES ('Bad Email', 'not-an-email', 'X', 2)",
        [],
    )
    .unwrap();
    let template = dir.path().join("map.json");
    let host = format!("sqlite:{}", dir.path().join("app.db").display());
    for (args, needle) in [
        (vec!["--table", "plain"], "deleted_at"),
        (vec!["--table", "nowhere"], "does not exist"),
        (
            vec!["--table", "members", "--interval", "soon"],
            "--interval",
        ),
        (
            vec![
                "--table",
                "members",
                "--settings",
                "{\"name\": \"x\", \"policy\": \"loudest\"}",
            ],
            "loudest",
        ),
    ] {
        let mut all = vec![
            "sync",
            "--host",
            &host,
            "--template",
            template.to_str().unwrap(),
        ];
        all.extend(args.iter().copied());
        let o = cmd(&sbx).args(&all).output().unwrap();
        assert!(!o.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
    let o = cmd(&sbx)
        .args([
            "sync",
            "--host",
            "postgres://x",
            "--table",
            "members",
            "--template",
        ])
        .arg(&template)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("sqlite:PATH"));

    // An invalid record: reported with its path, the pass exits non-zero,
    // and the valid records are synced all the same.
    let o = sync(&sbx, dir.path(), &[]);
    assert!(!o.status.success());
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["invalid"], 1, "{report}");
    assert_eq!(report["created"]["highlevel"], 2, "{report}");
    assert!(
        report.to_string().contains("\"path\":\"email\""),
        "{report}"
    );
}

#[test]
fn notes_sync_with_their_members_through_notes_table() {
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = setup(dir.path());
    conn.execute_batch(
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, member_id INTEGER, body TEXT,
            updated_at INTEGER NOT NULL, deleted_at INTEGER);
         INSERT INTO notes (member_id, body, updated_at) VALUES (1, 'Prefers mornings', 1);",
    )
    .unwrap();
    let first = report(&sync(&sbx, dir.path(), &["--notes-table", "notes"]));
    assert_eq!(
        first["notes"]["created"],
        json!({"highlevel": 1, "host": 0}),
        "{first}"
    );
    let second = report(&sync(&sbx, dir.path(), &["--notes-table", "notes"]));
    assert_eq!(
        second["notes"]["created"],
        json!({"highlevel": 0, "host": 0}),
        "{second}"
    );
    let o = sync(&sbx, dir.path(), &["--notes-table", "nope"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
}

/// Calls `op` with `params` through `contacts call`, answering its JSON.
fn call(sbx: &SandboxThread, op: &str, params: Value) -> Value {
    report(
        &cmd(sbx)
            .args(["--json", "call", op, "--params", &params.to_string()])
            .output()
            .unwrap(),
    )
}

#[test]
fn appointments_reach_their_table_through_appointments_table() {
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let conn = setup(dir.path());
    conn.execute_batch(
        "CREATE TABLE visits (id TEXT PRIMARY KEY, member INTEGER, title TEXT, startTime TEXT,
            endTime TEXT, status TEXT, calendarId TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER);
         CREATE TABLE numbered (id INTEGER PRIMARY KEY, member INTEGER, title TEXT, startTime TEXT,
            endTime TEXT, status TEXT, calendarId TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER);",
    )
    .unwrap();
    let args = [
        "--appointments-table",
        "visits",
        "--appointments-contact",
        "member",
    ];
    report(&sync(&sbx, dir.path(), &args));
    let ada: Value = call(
        &sbx,
        "contacts.search",
        json!({"locationId": sbx.location_id(), "query": "ada@example.com", "pageLimit": 1}),
    );
    let ada = ada["contacts"][0]["id"].as_str().unwrap().to_owned();
    let slots = call(&sbx, "calendars.freeSlots", slots::free_slots_params());
    let slot = slots::free_slots(&slots).remove(0);
    let booked = call(
        &sbx,
        "appointments.create",
        json!({"calendarId": "cal_sandbox", "locationId": sbx.location_id(),
            "contactId": ada, "startTime": slot, "title": "Intro"}),
    );
    let second = report(&sync(&sbx, dir.path(), &args));
    assert_eq!(second["appointments"]["created"], 1, "{second}");
    let row: (String, i64, String) = conn
        .query_row("SELECT id, member, title FROM visits", [], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!(
        row,
        (
            booked["id"].as_str().unwrap().to_owned(),
            1,
            "Intro".to_owned()
        )
    );
    let third = report(&sync(&sbx, dir.path(), &args));
    assert_eq!(third["appointments"]["created"], 0, "{third}");

    let o = sync(&sbx, dir.path(), &["--appointments-table", "numbered"]);
    assert!(!o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("must be TEXT"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn install_triggers_syncs_a_table_without_stamps_and_sees_its_deletes() {
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = tempfile::tempdir().unwrap();
    setup(dir.path());
    let conn = Connection::open(dir.path().join("app.db")).unwrap();
    conn.execute_batch(
        "CREATE TABLE leads (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT);
         INSERT INTO leads (name, email, city) VALUES ('Lin Plain', 'lin.plain@example.com', 'Oslo');",
    )
    .unwrap();
    let leads = |extra: &[&str]| {
        let mut args = vec![
            "--table",
            "leads",
            "--settings",
            r#"{"deletes": {"fromHost": "propagate"}}"#,
        ];
        args.extend_from_slice(extra);
        sync_table(&sbx, dir.path(), &args)
    };
    let refused = leads(&[]);
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("--install-triggers"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let first = report(&leads(&["--install-triggers"]));
    assert_eq!(first["created"]["highlevel"], 1, "{first}");
    let again = report(&leads(&["--install-triggers"]));
    assert_eq!(
        again["created"],
        json!({"highlevel": 0, "host": 0}),
        "{again}"
    );
    conn.execute(
        "UPDATE leads SET city = 'Bergen' WHERE name = 'Lin Plain'",
        [],
    )
    .unwrap();
    let edited = report(&leads(&[]));
    assert_eq!(edited["updated"]["highlevel"], 1, "{edited}");
    conn.execute("DELETE FROM leads WHERE name = 'Lin Plain'", [])
        .unwrap();
    let deleted = report(&leads(&[]));
    assert_eq!(
        deleted["deleted"]["highlevel"], 1,
        "the app's hard delete reached HighLevel: {deleted}"
    );
    let o = sync_table(
        &sbx,
        dir.path(),
        &["--table", "members", "--install-triggers"],
    );
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("needs no change triggers"));
}
