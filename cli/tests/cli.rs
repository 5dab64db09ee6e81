//! Every `contacts` command end to end against a live sandbox on loopback.

use contacts_sandbox::{SandboxConfig, SandboxThread};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

/// A sandbox on loopback with `seed` contacts, on one worker thread.
fn sandbox(seed: u64) -> SandboxThread {
    SandboxThread::start(
        SandboxConfig {
            seed,
            ..Default::default()
        },
        1,
    )
    .unwrap()
}

struct Cli<'a> {
    sbx: &'a SandboxThread,
    /// Where every command appends its events (`HIGHLEVEL_LOG_JSON`).
    log: Option<&'a std::path::Path>,
}

impl Cli<'_> {
    fn cmd(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_contacts"));
        c.env("HIGHLEVEL_TOKEN", self.sbx.pit())
            .env("HIGHLEVEL_LOCATION_ID", self.sbx.location_id())
            .env("HIGHLEVEL_BASE_URL", self.sbx.base_url());
        if let Some(log) = self.log {
            c.env("HIGHLEVEL_LOG_JSON", log);
        }
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd().args(args).output().unwrap()
    }

    /// Runs with --json, expects success, returns the JSON printed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let o = self.run(&all);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&o.stdout)))
    }

    fn ok_text(&self, args: &[&str]) -> String {
        let o = self.run(args);
        assert!(
            o.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        String::from_utf8(o.stdout).unwrap()
    }
}

#[test]
fn every_command_against_the_sandbox() {
    let sbx = sandbox(30);
    // Every event of every command below goes to a file, for the
    // redaction check at the end.
    let logs = tempfile::tempdir().unwrap();
    let log = logs.path().join("events.jsonl");
    let cli = Cli {
        sbx: &sbx,
        log: Some(&log),
    };

    let created = cli.json(&[
        "create",
        "--first-name",
        "Ada",
        "--last-name",
        "Lovelace",
        "--email",
        "ada@example.com",
        "--tag",
        "vip",
    ]);
    let id = created["contact"]["id"].as_str().unwrap().to_string();
    assert!(
        cli.ok_text(&["get", &id]).contains("Lovelace"),
        "a table for people"
    );
    assert_eq!(
        cli.json(&["get", &id])["contact"]["email"],
        "ada@example.com"
    );
    assert_eq!(
        cli.json(&["update", &id, "--last-name", "Byron"])["contact"]["lastName"],
        "Byron"
    );
    assert_eq!(
        cli.json(&[
            "upsert",
            "--email",
            "ada@example.com",
            "--phone",
            "+14155550100"
        ])["new"],
        false
    );
    assert_eq!(
        cli.json(&["search", "--filter", "email=ada@example.com"])["total"],
        1
    );
    assert!(cli.ok_text(&["search", "--query", "Byron"]).contains(&id));

    let task = cli.json(&[
        "tasks",
        "create",
        &id,
        "--title",
        "Call",
        "--due",
        "2026-12-01T10:00:00Z",
    ]);
    let task_id = task["task"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        cli.json(&["tasks", "complete", &id, &task_id])["task"]["completed"],
        true
    );
    assert_eq!(
        cli.json(&["tasks", "list", &id])["tasks"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.json(&["tasks", "delete", &id, &task_id])["succeeded"],
        true
    );
    let note = cli.json(&["notes", "create", &id, "--body", "hello"]);
    let note_id = note["note"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        cli.json(&["notes", "list", &id])["notes"][0]["body"],
        "hello"
    );
    assert_eq!(
        cli.json(&["notes", "delete", &id, &note_id])["succeeded"],
        true
    );
    assert_eq!(
        cli.json(&["tags", "add", &id, "a", "b"])["tags"],
        serde_json::json!(["vip", "a", "b"])
    );
    assert_eq!(
        cli.json(&["tags", "remove", &id, "a"])["tags"],
        serde_json::json!(["vip", "b"])
    );
    assert_eq!(
        cli.json(&["followers", "add", &id, "u1"])["followers"],
        serde_json::json!(["u1"])
    );
    assert_eq!(
        cli.json(&["followers", "remove", &id, "u1"])["followersRemoved"],
        serde_json::json!(["u1"])
    );
    let seeded = sbx.first_contact_id().unwrap();
    assert_eq!(
        cli.json(&["appointments", seeded])["events"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.json(&["appointments", "list", seeded])["events"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "`appointments CONTACT_ID` and `appointments list CONTACT_ID` agree"
    );

    // Calendars, free slots and booking through the calendars service.
    let calendars = cli.json(&["calendars", "list"]);
    let calendar = calendars["calendars"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let slots = cli.json(&[
        "calendars",
        "slots",
        &calendar,
        "--from",
        "2030-11-04",
        "--to",
        "2030-11-04",
        "--timezone",
        "America/New_York",
    ]);
    let day = &slots["2030-11-04"]["slots"];
    assert_eq!(day[0], "2030-11-04T09:00:00-05:00");
    let text = cli.ok_text(&[
        "calendars",
        "slots",
        &calendar,
        "--from",
        "2030-11-04",
        "--to",
        "2030-11-04",
    ]);
    assert!(
        text.contains("2030-11-04") && text.contains("FREE SLOTS"),
        "{text}"
    );
    let bad = cli.run(&[
        "calendars",
        "slots",
        &calendar,
        "--from",
        "2030-11-01",
        "--to",
        "2030-12-15",
    ]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("31"));
    let start = day[0].as_str().unwrap();
    let booked = cli.json(&[
        "appointments",
        "book",
        "--calendar",
        &calendar,
        "--contact",
        &id,
        "--start",
        start,
        "--title",
        "Demo",
    ]);
    let event = booked["id"].as_str().unwrap().to_string();
    let again = cli.run(&[
        "appointments",
        "book",
        "--calendar",
        &calendar,
        "--contact",
        &id,
        "--start",
        start,
    ]);
    assert_eq!(again.status.code(), Some(1), "the slot is taken");
    assert!(String::from_utf8_lossy(&again.stderr).contains("no longer available"));
    assert_eq!(
        cli.json(&["appointments", "get", &event])["event"]["title"],
        "Demo"
    );
    assert_eq!(
        cli.json(&["appointments", "update", &event, "--title", "Demo (moved)"])["title"],
        "Demo (moved)"
    );
    assert_eq!(
        cli.json(&["appointments", "cancel", &event])["appointmentStatus"],
        "cancelled"
    );
    assert!(
        cli.ok_text(&["appointments", "get", &event])
            .contains("cancelled")
    );
    assert_eq!(
        cli.json(&["appointments", "delete", &event])["succeeded"],
        true
    );

    // Custom fields and values, users.
    let field = cli.json(&[
        "custom-fields",
        "create",
        "--name",
        "Lead source",
        "--type",
        "TEXT",
    ]);
    assert_eq!(field["customField"]["fieldKey"], "contact.lead_source");
    let fields = cli.ok_text(&["custom-fields", "list"]);
    assert!(fields.contains("contact.lead_source"), "{fields}");
    assert_eq!(
        cli.json(&["custom-values", "list"])["customValues"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let users = cli.json(&["users", "list"]);
    assert_eq!(users["users"].as_array().unwrap().len(), 3);
    let found = cli
        .cmd()
        .args(["--json", "users", "find", "morgan"])
        .env("HIGHLEVEL_COMPANY_ID", contacts_sandbox::DEFAULT_COMPANY_ID)
        .output()
        .unwrap();
    assert!(
        found.status.success(),
        "{}",
        String::from_utf8_lossy(&found.stderr)
    );
    let found: Value = serde_json::from_slice(&found.stdout).unwrap();
    assert_eq!(found["count"], 1);
    let no_company = cli
        .cmd()
        .args(["users", "find", "morgan"])
        .env_remove("HIGHLEVEL_COMPANY_ID")
        .output()
        .unwrap();
    assert_eq!(
        no_company.status.code(),
        Some(2),
        "--company-id is required"
    );

    let biz = cli.json(&["businesses", "create", "--name", "Analytical Engines"]);
    let biz_id = biz["business"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        cli.json(&["businesses", "get", &biz_id])["business"]["name"],
        "Analytical Engines"
    );
    assert_eq!(
        cli.json(&["businesses", "list"])["businesses"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        cli.json(&["businesses", "delete", &biz_id])["success"],
        true
    );
    let catalog: Value = serde_json::from_str(&cli.ok_text(&["catalog"])).unwrap();
    assert_eq!(
        catalog["actions"].as_array().unwrap().len(),
        contacts_core::catalog::names().count()
    );
    let called = cli.json(&[
        "call",
        "contacts.get",
        "--params",
        &format!(r#"{{"contactId":"{id}"}}"#),
    ]);
    assert_eq!(called["contact"]["id"], id.as_str());
    let params_dir = tempfile::tempdir().unwrap();
    let params_file = params_dir.path().join("params.json");
    std::fs::write(&params_file, format!(r#"{{"contactId":"{id}"}}"#)).unwrap();
    let from_file = cli.json(&[
        "call",
        "contacts.get",
        "--params",
        &format!("@{}", params_file.display()),
    ]);
    assert_eq!(from_file["contact"]["id"], id.as_str(), "--params @FILE");
    // A composite action by name, as any operation.
    let other = cli.json(&["create", "--first-name", "Grace", "--tag", "vip"])["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let copied = cli.json(&[
        "call",
        "tags.copy",
        "--params",
        &format!(r#"{{"fromContactId":"{other}","toContactId":"{id}"}}"#),
    ]);
    assert!(
        copied["tags"].as_array().unwrap().contains(&"vip".into()),
        "{copied}"
    );
    // A composite with the shared language in it.
    let set = cli.json(&[
        "call",
        "tasks.createSet",
        "--params",
        &json!({"contactId": other, "tasks": [
            {"title": "Call {{contact.firstName}}", "due": {"after": "PT1H"}},
            {"title": "VIP gift", "due": {"after": "P7D"}, "when": {"path": "contact.tags", "op": "contains", "value": "vip"}}
        ]})
        .to_string(),
    ]);
    assert_eq!(set["created"].as_array().unwrap().len(), 2, "{set}");
    let activity = cli.json(&[
        "call",
        "contacts.getWithActivity",
        "--params",
        &json!({"contactId": other, "include": ["tasks"]}).to_string(),
    ]);
    assert_eq!(activity["tasks"].as_array().unwrap().len(), 2, "{activity}");
    let feed = cli.json(&[
        "call",
        "activity.feed",
        "--params",
        &json!({"contactId": other, "limit": 1}).to_string(),
    ]);
    let items = feed["items"].as_array().unwrap();
    assert_eq!(
        (items.len(), &items[0]["title"]),
        (1, &json!("VIP gift")),
        "the latest due first: {feed}"
    );
    // A journaling composite keeps its journal in --state (SQLite).
    let state_dir = tempfile::tempdir().unwrap();
    let state = state_dir.path().join("state.db");
    let lead = json!({"idempotencyKey": "cli-1", "contact": {"email": "cli-lead@example.com"},
        "tasks": [{"title": "Call", "dueAfter": "PT2H"}], "note": "from the shell"})
    .to_string();
    let state_arg = state.to_str().unwrap();
    let first = cli.json(&[
        "--state",
        state_arg,
        "call",
        "contacts.capture",
        "--params",
        &lead,
    ]);
    assert_eq!(first["contact"]["outcome"], "created", "{first}");
    let again = cli.json(&[
        "--state",
        state_arg,
        "call",
        "contacts.capture",
        "--params",
        &lead,
    ]);
    assert_eq!(again["replayed"], true, "{again}");
    let o = cli.run(&["call", "contacts.capture", "--params", &lead]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("keeps state"),
        "without --state"
    );
    let not_a_store = state_dir.path().join("notes.txt");
    std::fs::write(&not_a_store, "shopping list, not a database").unwrap();
    let o = cli.run(&[
        "--state",
        not_a_store.to_str().unwrap(),
        "call",
        "contacts.capture",
        "--params",
        &lead,
    ]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.starts_with("error: STATE: state file"),
        "a file that is not a store: {err}"
    );
    assert_eq!(
        std::fs::read_to_string(&not_a_store).unwrap(),
        "shopping list, not a database",
        "left as it was"
    );
    let lead_id = first["contact"]["id"].as_str().unwrap().to_string();
    assert_eq!(cli.json(&["delete", &lead_id])["succeeded"], true);
    assert_eq!(cli.json(&["delete", &other])["succeeded"], true);
    assert_eq!(cli.json(&["delete", &id])["succeeded"], true);

    // An error is one clear line and a non-zero exit.
    let o = cli.run(&["get", &id]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8(o.stderr).unwrap();
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: NOT_FOUND (HTTP 404)"), "{err}");
    let o = cli
        .cmd()
        .env_remove("HIGHLEVEL_TOKEN")
        .args(["get", "x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("HIGHLEVEL_TOKEN"));
    let o = cli.run(&["call", "contacts.nope"]);
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("error: INVALID_ARGUMENT"));

    // No event of any command held the token or contact data.
    let events = std::fs::read_to_string(&log).unwrap();
    assert!(
        events.lines().count() > 100,
        "{} events",
        events.lines().count()
    );
    for secret in [
        sbx.pit(),
        "ada@example.com",
        "+14155550100",
        "Lovelace",
        "Byron",
    ] {
        assert!(!events.contains(secret), "{secret:?} is in an event");
    }
    for line in events.lines() {
        serde_json::from_str::<Value>(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    }
}

#[test]
fn export_is_complete_and_resumable_and_import_accounts_for_every_row() {
    let sbx = sandbox(250);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("all.jsonl");
    cli.ok_text(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--page-size",
        "100",
    ]);
    let lines: Vec<Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 250);

    // Resume: a cursor written after the first page of 100 picks up at 101.
    let first_page: Vec<&Value> = lines.iter().take(100).collect();
    let last = first_page.last().unwrap();
    let cursor = dir.path().join("cursor.json");
    let start_after =
        contacts_core::time::parse_rfc3339_ms(last["dateAdded"].as_str().unwrap()).unwrap();
    std::fs::write(&cursor, serde_json::json!({"locationId": sbx.location_id(), "limit": 100, "startAfterId": last["id"], "startAfter": start_after}).to_string()).unwrap();
    let partial = dir.path().join("partial.jsonl");
    std::fs::write(
        &partial,
        lines
            .iter()
            .take(100)
            .map(|l| format!("{l}\n"))
            .collect::<String>(),
    )
    .unwrap();
    cli.ok_text(&[
        "export",
        "--out",
        partial.to_str().unwrap(),
        "--cursor-file",
        cursor.to_str().unwrap(),
    ]);
    let resumed: Vec<String> = std::fs::read_to_string(&partial)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let ids: std::collections::BTreeSet<String> = resumed
        .iter()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["id"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        (resumed.len(), ids.len()),
        (250, 250),
        "no gap, no duplicate"
    );
    assert!(
        !cursor.exists(),
        "the cursor is removed when the export completes"
    );

    let csv = dir.path().join("people.csv");
    let mut f = std::fs::File::create(&csv).unwrap();
    writeln!(f, "first_name,last_name,email,tags").unwrap();
    for i in 0..20 {
        writeln!(f, "P{i},Q{i},p{i}@example.com,a;b").unwrap();
    }
    writeln!(f, "Bad,Row,not-an-email,").unwrap();
    writeln!(f, "Again,Dup,p0@example.com,").unwrap();
    drop(f);
    let report = dir.path().join("report.jsonl");
    let o = cli.run(&[
        "--json",
        "import",
        csv.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "a failed row makes the import fail"
    );
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (
            summary["rows"].as_u64(),
            summary["created"].as_u64(),
            summary["updated"].as_u64(),
            summary["failed"].as_u64()
        ),
        (Some(22), Some(20), Some(1), Some(1))
    );
    let failures = std::fs::read_to_string(&report).unwrap();
    assert!(
        failures.contains("\"row\":21") && failures.contains("VALIDATION"),
        "{failures}"
    );

    let jsonl = dir.path().join("people.jsonl");
    std::fs::write(
        &jsonl,
        "{\"firstName\":\"J\",\"email\":\"j@example.com\"}\nnot json\n",
    )
    .unwrap();
    let o = cli.run(&["--json", "import", jsonl.to_str().unwrap()]);
    let summary: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (summary["created"].as_u64(), summary["failed"].as_u64()),
        (Some(1), Some(1))
    );
}

#[test]
fn webhook_verify_accepts_a_signed_body_and_rejects_a_changed_one() {
    use base64::Engine;
    use ed25519_dalek::Signer;
    let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]);
    let dir = tempfile::tempdir().unwrap();
    let pub_hex: String = key
        .verifying_key()
        .as_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let key_file = dir.path().join("key.txt");
    std::fs::write(&key_file, pub_hex).unwrap();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let ts = contacts_core::time::format_rfc3339_ms(now as i64 * 1000);
    let body = format!(
        r#"{{"type":"NoteCreate","id":"n1","locationId":"l","webhookId":"wh-1","timestamp":"{ts}"}}"#
    );
    let body_file = dir.path().join("body.json");
    std::fs::write(&body_file, &body).unwrap();
    let sig =
        base64::engine::general_purpose::STANDARD.encode(key.sign(body.as_bytes()).to_bytes());
    let run = |file: &std::path::Path| {
        Command::new(env!("CARGO_BIN_EXE_contacts"))
            .args([
                "-v",
                "webhook",
                "verify",
                "--body",
                file.to_str().unwrap(),
                "--signature",
                &sig,
                "--public-key",
                key_file.to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let o = run(&body_file);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("verified: NoteCreate n1"));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("webhooks.verify#0 webhook_accepted eventType=NoteCreate"),
        "{said}"
    );
    std::fs::write(&body_file, body.replace("n1", "n2")).unwrap();
    let o = run(&body_file);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    assert!(
        said.contains("webhook_refused code=WEBHOOK_SIGNATURE"),
        "{said}"
    );
    assert!(
        said.lines()
            .last()
            .unwrap()
            .starts_with("error: WEBHOOK_SIGNATURE"),
        "{said}"
    );
    assert!(!said.contains(&sig), "{said}");
}

#[test]
fn demo_and_sandbox_commands() {
    let o = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .arg("demo")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let text = String::from_utf8(o.stdout).unwrap();
    for step in [
        "create the contact",
        "Tag her",
        "follow-up task set",
        "note",
        "complete the first task",
        "newest first",
        "appointment",
        "task (completed)",
        "calendar's zone, America/New_York",
        "Keep a host app's members in sync",
        "first pass: 1 matched by email, 1 created in HighLevel",
        "the next pass updated 1 contact, created nothing (0 conflicts)",
    ] {
        assert!(text.contains(step), "demo output lacks {step:?}:\n{text}");
    }

    let mut child = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .args(["sandbox", "--port", "0", "--seed", "3"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let base = lines
        .by_ref()
        .take(10)
        .map(|l| l.unwrap())
        .find_map(|l| l.strip_prefix("  base URL:    ").map(str::to_string))
        .unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .args([
            "--json",
            "--token",
            contacts_sandbox::DEFAULT_PIT,
            "--location-id",
            contacts_sandbox::DEFAULT_LOCATION_ID,
            "--base-url",
            &base,
            "search",
        ])
        .output()
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["total"], 3);
}

#[test]
fn bad_cli_input_is_one_clear_line() {
    let sbx = sandbox(3);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let cursor = dir.path().join("cursor.json");
    let out = dir.path().join("out.jsonl");
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec!["search".into(), "--filter".into(), "email".into()],
            "expected FIELD=VALUE",
        ),
        (
            vec!["create".into(), "--data".into(), "[1]".into()],
            "--data must be a JSON object",
        ),
        (
            vec![
                "call".into(),
                "contacts.get".into(),
                "--params".into(),
                "{".into(),
            ],
            "--params is not JSON",
        ),
        (
            vec![
                "export".into(),
                "--out".into(),
                out.to_str().unwrap().into(),
                "--cursor-file".into(),
                cursor.to_str().unwrap().into(),
            ],
            "another location",
        ),
        (
            vec![
                "import".into(),
                dir.path().join("missing.csv").to_str().unwrap().into(),
            ],
            "input",
        ),
    ];
    std::fs::write(
        &cursor,
        r#"{"locationId":"SomeOtherLocation00001","limit":10}"#,
    )
    .unwrap();
    for (args, needle) in cases {
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = cli.run(&refs);
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{args:?}: {err}");
        assert!(
            err.starts_with("error: INVALID_ARGUMENT") && err.contains(needle),
            "{args:?}: {err}"
        );
    }
    std::fs::write(&cursor, "not json").unwrap();
    let o = cli.run(&[
        "export",
        "--out",
        out.to_str().unwrap(),
        "--cursor-file",
        cursor.to_str().unwrap(),
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cursor file"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `contacts lang` runs every case of the shared language vectors, and
/// reads JSON from arguments, @files and stdin.
#[test]
fn lang_runs_the_shared_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/lang.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let contacts = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_contacts"))
            .args(args)
            .output()
            .unwrap()
    };
    let refused = |name: &str, o: Output, expected: &Value| {
        assert_eq!(o.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&o.stderr);
        let line = format!(
            "error: {}: {}",
            expected["code"].as_str().unwrap(),
            expected["message_starts_with"].as_str().unwrap()
        );
        assert!(stderr.starts_with(&line), "{name}: {stderr}");
    };
    for (kind, flag, verb) in [
        ("conditions", "--condition", "eval"),
        ("templates", "--template", "render"),
    ] {
        let source = &kind[..kind.len() - 1];
        for v in file[kind].as_array().unwrap() {
            let name = v["name"].as_str().unwrap();
            let text = v[source].to_string();
            let scope = v["scope"].to_string();
            if let Some(expected) = v.get("expect_error") {
                refused(
                    name,
                    contacts(&["lang", "check", flag, &text, "--scope", &scope]),
                    expected,
                );
                continue;
            }
            for case in v["cases"].as_array().unwrap() {
                let data = case["data"].to_string();
                let o = contacts(&[
                    "--json", "lang", verb, flag, &text, "--scope", &scope, "--data", &data,
                ]);
                assert!(
                    o.status.success(),
                    "{name}: {}",
                    String::from_utf8_lossy(&o.stderr)
                );
                let out: Value = serde_json::from_slice(&o.stdout).unwrap();
                let want = if verb == "eval" {
                    serde_json::json!({"matched": case["expect"]})
                } else {
                    case["expect"].clone()
                };
                assert_eq!(out, want, "{name}");
            }
        }
    }
    for v in file["scopes"].as_array().unwrap() {
        let scope = v["scope"].to_string();
        let o = contacts(&[
            "lang",
            "check",
            "--condition",
            r#"{"all": []}"#,
            "--scope",
            &scope,
        ]);
        refused(v["name"].as_str().unwrap(), o, &v["expect_error"]);
    }

    let dir = tempfile::tempdir().unwrap();
    let cond = dir.path().join("cond.json");
    std::fs::write(&cond, r#"{"path": "v.n", "op": "gt", "value": 2}"#).unwrap();
    let at_file = format!("@{}", cond.display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .args([
            "lang",
            "eval",
            "--condition",
            &at_file,
            "--scope",
            r#"{"v": "any"}"#,
            "--data",
            "-",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"v": {"n": 3}}"#)
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(o.stdout).unwrap(), "true\n");
    let o = contacts(&[
        "lang",
        "eval",
        "--condition",
        &at_file,
        "--scope",
        r#"{"v": "any"}"#,
        "--data",
        "{",
    ]);
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .starts_with("error: INVALID_ARGUMENT: --data is not JSON")
    );
    let o = contacts(&[
        "lang",
        "eval",
        "--condition",
        "@/no/such/file",
        "--data",
        "{}",
    ]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("/no/such/file"));
}

/// Runs `contacts poll` and returns its events (one JSON line each).
fn poll_lines(
    cli: &Cli,
    checkpoint: &std::path::Path,
    extra_env: &[(&str, &str)],
) -> (Output, Vec<Value>) {
    let mut cmd = cli.cmd();
    cmd.args([
        "poll",
        "ContactCreate,ContactUpdate,ContactDelete",
        "--params",
        r#"{"reconcileEveryMs": 0}"#,
        "--checkpoint-file",
    ])
    .arg(checkpoint);
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let events = String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (o, events)
}

#[test]
fn poll_prints_events_and_then_moves_its_checkpoint() {
    let sbx = sandbox(8);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("contacts.checkpoint");
    let (o, events) = poll_lines(&cli, &checkpoint, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(events.is_empty(), "the baseline reports nothing");
    assert!(
        dir.path().join("contacts.checkpoint.state").exists(),
        "state beside the checkpoint"
    );
    let first = std::fs::read_to_string(&checkpoint).unwrap();

    let id = cli.json(&[
        "create",
        "--first-name",
        "Polly",
        "--email",
        "polly@example.com",
    ])["contact"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let (o, events) = poll_lines(&cli, &checkpoint, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0]["type"].as_str(), events[0]["id"].as_str()),
        (Some("ContactCreate"), Some(id.as_str()))
    );
    assert_ne!(
        std::fs::read_to_string(&checkpoint).unwrap(),
        first,
        "the checkpoint moved"
    );
    let (_, events) = poll_lines(&cli, &checkpoint, &[]);
    assert!(events.is_empty(), "{events:?}");

    // A corrupt checkpoint is refused, and left as it was.
    std::fs::write(&checkpoint, "{\"v\":1,\"sum\":\"00\"}").unwrap();
    let (o, events) = poll_lines(&cli, &checkpoint, &[]);
    assert!(!o.status.success() && events.is_empty());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("checkpoint is corrupt"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&checkpoint).unwrap(),
        "{\"v\":1,\"sum\":\"00\"}"
    );
    std::fs::write(&checkpoint, [0xff, 0xfe, b'{']).unwrap();
    let (o, _) = poll_lines(&cli, &checkpoint, &[]);
    assert!(!o.status.success());
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("not UTF-8"), "{stderr}");
    assert_eq!(
        std::fs::read(&checkpoint).unwrap(),
        [0xff, 0xfe, b'{'],
        "left as it was"
    );
    let other = dir.path().join("other.checkpoint");
    let o = cli
        .cmd()
        .args(["poll", "ContactExplode", "--checkpoint-file"])
        .arg(&other)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown trigger"));
}

#[cfg(feature = "failpoints")]
#[test]
fn a_poll_killed_between_the_flush_and_the_rename_prints_its_events_again() {
    let sbx = sandbox(8);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("c.checkpoint");
    let (o, _) = poll_lines(&cli, &checkpoint, &[]);
    assert!(o.status.success());
    let before = std::fs::read_to_string(&checkpoint).unwrap();
    let first = cli.json(&[
        "create",
        "--first-name",
        "Kill",
        "--email",
        "kill@example.com",
    ]);
    let deleted = cli.json(&["search", "--limit", "1"]);
    let gone = deleted["contacts"][0]["id"].as_str().unwrap().to_string();
    cli.json(&["delete", &gone]);
    let (o, killed) = poll_lines(
        &cli,
        &checkpoint,
        &[("LIBCONTACTS_FAILPOINTS", "cli:poll-after-flush=abort")],
    );
    assert!(!o.status.success(), "the failpoint ends the process");
    assert_eq!(killed.len(), 2, "{killed:?}");
    assert_eq!(
        std::fs::read_to_string(&checkpoint).unwrap(),
        before,
        "the checkpoint did not move"
    );
    let (o, again) = poll_lines(&cli, &checkpoint, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(
        again, killed,
        "the rerun prints the same events, dedupe ids and all"
    );
    assert!(
        again
            .iter()
            .any(|e| e["id"] == first["contact"]["id"] && e["type"] == "ContactCreate")
    );
    assert!(
        again
            .iter()
            .any(|e| e["id"] == json!(gone) && e["type"] == "ContactDelete")
    );
    let (_, after) = poll_lines(&cli, &checkpoint, &[]);
    assert!(after.is_empty(), "{after:?}");
}

#[test]
fn watch_polls_until_interrupted() {
    let sbx = sandbox(2);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let dir = tempfile::tempdir().unwrap();
    let checkpoint = dir.path().join("w.checkpoint");
    let mut child = cli
        .cmd()
        .args([
            "watch",
            "ContactCreate",
            "--interval-ms",
            "50",
            "--checkpoint-file",
        ])
        .arg(&checkpoint)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    while !checkpoint.exists() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let id = cli.json(&[
        "create",
        "--first-name",
        "Watt",
        "--email",
        "watt@example.com",
    ])["contact"]["id"]
        .clone();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next().unwrap().unwrap();
    let event: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        (event["type"].as_str(), &event["id"]),
        (Some("ContactCreate"), &id)
    );
    // Ctrl-C ends it cleanly.
    let _ = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status();
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

#[test]
fn verbose_and_log_json_show_events_without_secrets_and_usage_reports_the_budget() {
    let sbx = sandbox(2);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    let id = sbx.first_contact_id().unwrap().to_string();
    let stderr = |args: &[&str]| {
        let o = cli.run(args);
        (o.status.code(), String::from_utf8(o.stderr).unwrap())
    };
    let (code, info) = stderr(&["-v", "get", &id]);
    assert_eq!(code, Some(0), "{info}");
    assert_eq!(info.lines().count(), 1, "{info}");
    assert!(
        info.contains("info  contacts.get#1 finished code=OK status=200"),
        "{info}"
    );
    let (_, debug) = stderr(&["-vv", "get", &id]);
    let kinds: Vec<&str> = debug
        .lines()
        .map(|l| l.split_whitespace().nth(3).unwrap_or(""))
        .collect();
    assert_eq!(kinds, ["request", "response", "finished"], "{debug}");
    assert!(
        debug.contains("path=/contacts/{contactId}") && !debug.contains(&id),
        "{debug}"
    );
    let (_, quiet) = stderr(&["get", &id]);
    assert!(quiet.is_empty(), "{quiet}");

    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("events.jsonl");
    let log_arg = log.to_str().unwrap();
    let (code, _) = stderr(&["--log-json", log_arg, "get", "missing"]);
    assert_eq!(code, Some(1));
    stderr(&["--log-json", log_arg, "get", &id]);
    let text = std::fs::read_to_string(&log).unwrap();
    let events: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events.len(), 6, "{text}");
    assert_eq!(
        (&events[2]["kind"], &events[2]["code"]),
        (&json!("finished"), &json!("NOT_FOUND"))
    );
    assert!(!text.contains(sbx.pit()), "{text}");
    let (code, msg) = stderr(&["--log-json", "/no/such/dir/x.jsonl", "get", &id]);
    assert_eq!(code, Some(1));
    assert!(msg.contains("--log-json /no/such/dir/x.jsonl"), "{msg}");

    let usage = cli.json(&["usage"]);
    let me = &usage["locations"][0];
    assert_eq!(me["location"], sbx.location_id());
    assert_eq!(me["counts"]["requests"], 1);
    assert_eq!(me["burst"]["limit"], 100);
    assert_eq!(
        me["daily"]["remaining"],
        me["lastHeaders"]["dailyRemaining"]
    );
    // The sandbox counted every request of this test's runs: five gets
    // (the one with a log file it could not open sent none) and the probe.
    assert_eq!(me["daily"]["remaining"], 200_000 - 6, "{usage}");
    let table = cli.ok_text(&["usage"]);
    assert!(
        table.contains("LOCATION") && table.contains(sbx.location_id()),
        "{table}"
    );
}

/// Writes `records` as JSON Lines in `dir` and returns the path.
fn jsonl(dir: &std::path::Path, name: &str, records: &[Value]) -> std::path::PathBuf {
    let path = dir.join(name);
    let text: String = records.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn map_runs_the_shared_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors/mapping.json");
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let defs = dir.path().join("fields.json");
    std::fs::write(&defs, file["customFields"].to_string()).unwrap();
    for (i, v) in file["vectors"].as_array().unwrap().iter().enumerate() {
        let name = v["name"].as_str().unwrap();
        let template = dir.path().join(format!("t{i}.json"));
        std::fs::write(&template, v["template"].to_string()).unwrap();
        let input = jsonl(
            dir.path(),
            &format!("r{i}.jsonl"),
            v["records"].as_array().map_or(&[], |r| r.as_slice()),
        );
        let mut args = vec![
            "--json".to_owned(),
            "map".into(),
            "--template".into(),
            template.display().to_string(),
            "--input".into(),
            input.display().to_string(),
        ];
        if v["customFields"] == "file" {
            args.extend(["--custom-fields".into(), defs.display().to_string()]);
        }
        if v["reverse"] == true {
            args.push("--reverse".into());
        }
        // No token: the dry run needs none when the definitions are given.
        let o = Command::new(env!("CARGO_BIN_EXE_contacts"))
            .args(&args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&o.stderr);
        if let Some(expected) = v.get("expect_error") {
            assert_eq!(o.status.code(), Some(1), "{name}");
            let err: Value = serde_json::from_str(stderr.trim())
                .unwrap_or_else(|e| panic!("{name}: {e}: {stderr}"));
            assert_eq!(err["error"]["code"], expected["code"], "{name}");
            let msg = err["error"]["message"].as_str().unwrap();
            let start = expected["message_starts_with"].as_str().unwrap();
            // Keys without a definitions file make the CLI fetch them, which needs a token.
            let start = if start.contains("need the location's definitions") {
                "no token"
            } else {
                start
            };
            assert!(msg.starts_with(start), "{name}: {msg}");
            continue;
        }
        let report: Value =
            serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{name}: {e}: {stderr}"));
        assert_eq!(report, v["expect"], "{name}");
        let all_valid = v["expect"]["invalid"] == 0;
        assert_eq!(
            o.status.success(),
            all_valid,
            "{name}: exits non-zero when a record is invalid: {stderr}"
        );
    }
}

#[test]
fn map_prints_every_error_with_its_path_and_fetches_definitions_once() {
    let sbx = sandbox(3);
    let cli = Cli {
        sbx: &sbx,
        log: None,
    };
    cli.json(&["call", "locationCustomFields.create", "--params",
        &json!({"locationId": sbx.location_id(), "name": "Shirt size", "dataType": "SINGLE_OPTIONS",
                "textBoxListOptions": [{"label": "S"}, {"label": "M"}]}).to_string()]);
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("members.json");
    std::fs::write(&template, json!({
        "target": "contact", "collection": "members", "region": "US",
        "fields": [
            {"from": "name", "to": ["firstName", "lastName"], "transforms": ["splitName"], "required": true},
            {"from": "mobile", "to": "phone", "transforms": ["phone"]},
            {"from": "role", "to": "source", "transforms": [{"fn": "map", "values": {"crew": "Crew", "lead": "Lead"}}]},
            {"from": "size", "customField": "contact.shirt_size"}
        ]
    }).to_string()).unwrap();
    let input = jsonl(
        dir.path(),
        "sample.jsonl",
        &[
            json!({"name": "Ada Lovelace", "mobile": "415 555 2671", "role": "crew", "size": "M"}),
            json!({"mobile": "555", "role": "boss", "size": "XXL"}),
            json!({"name": "Grace Hopper", "mobile": "not a phone"}),
        ],
    );
    let before = sbx.api_requests();
    let o = cli.run(&[
        "map",
        "--template",
        template.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
    ]);
    assert_eq!(
        sbx.api_requests() - before,
        1,
        "the definitions, and nothing else"
    );
    assert_eq!(o.status.code(), Some(1));
    let stdout = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(lines[0].contains("\"phone\":\"+14155552671\""), "{stdout}");
    assert_eq!(
        &lines[1..],
        [
            "members[1].name: is required",
            "members[1].mobile: not a valid number for region US",
            "members[1].role: \"boss\" is not one of crew, lead",
            "members[1].size: contact.shirt_size (SINGLE_OPTIONS) must be one of S, M, not \"XXL\"",
            "members[2].mobile: not a valid number for region US",
        ]
    );
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.contains("1 valid, 2 invalid") && stderr.contains("2 of 3 records are invalid"),
        "{stderr}"
    );

    // A contact written by key reads back by key.
    let made = cli.json(&["call", "contacts.upsert", "--params",
        &json!({"locationId": sbx.location_id(), "email": "cli-key@example.com", "customFields": [{"key": "contact.shirt_size", "fieldValue": "S"}]}).to_string()]);
    let keyed = cli.json(&[
        "call",
        "contacts.get",
        "--params",
        &json!({"contactId": made["contact"]["id"], "renderKeys": true}).to_string(),
    ]);
    assert_eq!(
        keyed["contact"]["customFieldsByKey"],
        json!({"contact.shirt_size": "S"})
    );

    // With the definitions in a file, nothing at all is sent.
    let defs = dir.path().join("fields.json");
    std::fs::write(
        &defs,
        cli.ok_text(&[
            "--json",
            "call",
            "locationCustomFields.list",
            "--params",
            &json!({"locationId": sbx.location_id()}).to_string(),
        ]),
    )
    .unwrap();
    let before = sbx.api_requests();
    let o = cli.run(&[
        "map",
        "--template",
        template.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--custom-fields",
        defs.to_str().unwrap(),
    ]);
    assert_eq!(sbx.api_requests(), before);
    assert_eq!(String::from_utf8(o.stdout).unwrap(), stdout);

    // The template from stdin, read once.
    let mut child = cli
        .cmd()
        .args([
            "map",
            "--template",
            "-",
            "--input",
            input.to_str().unwrap(),
            "--custom-fields",
            defs.to_str().unwrap(),
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(&std::fs::read(&template).unwrap())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(
        String::from_utf8(o.stdout).unwrap(),
        stdout,
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = cli.run(&["map", "--template", "-", "--input", "-"]);
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot both read stdin"));

    // A line that is not JSON is named; nothing is mapped.
    std::fs::write(&input, "{\"name\": \"Ada\"}\n{\"name\": \n").unwrap();
    let o = cli.run(&[
        "map",
        "--template",
        template.to_str().unwrap(),
        "--input",
        input.to_str().unwrap(),
        "--custom-fields",
        defs.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8(o.stderr).unwrap();
    assert!(
        stderr.starts_with("error: INVALID_ARGUMENT: --input: ")
            && stderr.contains("sample.jsonl:2: not JSON"),
        "{stderr}"
    );
    assert!(o.stdout.is_empty());
}
