//! Two-way sync end to end: a SQLite table as the host, a live sandbox on
//! loopback at a tenth of the real budget window (`interval_ms` 1,000), the
//! sync's state in a SQLite store. First passes, matching, repeat passes,
//! the policy table, deletes and bad records. A module of the native test.

use contacts_core::ErrorCode;
use contacts_core::native::Client;
use contacts_core::sync::{SqliteTable, SyncReport, SyncSettings};
use contacts_sandbox::{Budgets, Sandbox, SandboxConfig};
use rusqlite::Connection;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The host's table: members with a name, an email, a phone, four plain
/// fields (one per conflict policy in the policy table) and tags.
const TABLE: &str = "CREATE TABLE members (
    id INTEGER PRIMARY KEY, name TEXT, email TEXT, phone TEXT,
    city TEXT, state TEXT, street TEXT, site TEXT, tags TEXT,
    updated_at INTEGER NOT NULL, deleted_at INTEGER)";

pub(crate) fn template() -> Value {
    json!({
        "name": "members", "target": "contact", "direction": "both", "region": "US",
        "fields": [
            {"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"]},
            {"from": "email", "to": "email", "transforms": ["email"], "rules": [{"rule": "email"}]},
            {"from": "phone", "to": "phone", "transforms": ["phone"]},
            {"from": "city", "to": "city"},
            {"from": "state", "to": "state"},
            {"from": "street", "to": "address1"},
            {"from": "site", "to": "website"},
            {"from": "tags", "to": "tags", "transforms": [{"fn": "tags", "separator": ";"}]}
        ],
        "rules": [{"rule": "anyPresent", "paths": ["email", "phone"]}]
    })
}

/// A member row: id, then each column by name (`deleted_at` too).
pub(crate) type Row = (i64, std::collections::BTreeMap<String, Option<String>>);

/// The host system: a database file with the members table.
pub(crate) struct Host {
    pub(crate) path: PathBuf,
}

impl Host {
    pub(crate) fn create(dir: &Path) -> Host {
        let path = dir.join("host.db");
        Connection::open(&path).unwrap().execute(TABLE, []).unwrap();
        Host { path }
    }

    fn conn(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }

    /// Inserts a member as the host's app would, stamped `at`.
    pub(crate) fn insert(
        &self,
        name: &str,
        email: Option<&str>,
        phone: Option<&str>,
        city: &str,
        at: i64,
    ) -> i64 {
        let conn = self.conn();
        conn.execute(
            "INSERT INTO members (name, email, phone, city, tags, updated_at) VALUES (?1, ?2, ?3, ?4, '', ?5)",
            rusqlite::params![name, email, phone, city, at],
        )
        .unwrap();
        conn.last_insert_rowid()
    }

    /// Sets one column of member `id`, stamped `at`.
    pub(crate) fn set(&self, id: i64, column: &str, value: Option<&str>, at: i64) {
        self.conn()
            .execute(
                &format!("UPDATE members SET {column} = ?1, updated_at = ?2 WHERE id = ?3"),
                rusqlite::params![value, at, id],
            )
            .unwrap();
    }

    /// Soft-deletes member `id` at `at`.
    pub(crate) fn delete(&self, id: i64, at: i64) {
        self.conn()
            .execute(
                "UPDATE members SET deleted_at = ?1, updated_at = ?1 WHERE id = ?2",
                rusqlite::params![at, id],
            )
            .unwrap();
    }

    /// Every member, deleted ones too, by id.
    pub(crate) fn rows(&self) -> Vec<Row> {
        let conn = self.conn();
        let names = [
            "name",
            "email",
            "phone",
            "city",
            "state",
            "street",
            "site",
            "tags",
            "deleted_at",
        ];
        let mut stmt = conn
            .prepare(&format!(
                "SELECT id, {} FROM members ORDER BY id",
                names.join(", ")
            ))
            .unwrap();
        stmt.query_map([], |r| {
            let mut cols = std::collections::BTreeMap::new();
            for (i, n) in names.iter().enumerate() {
                let text = match r.get::<_, rusqlite::types::Value>(i + 1)? {
                    rusqlite::types::Value::Null => None,
                    rusqlite::types::Value::Integer(n) => Some(n.to_string()),
                    rusqlite::types::Value::Text(t) => Some(t),
                    other => Some(format!("{other:?}")),
                };
                cols.insert((*n).to_owned(), text);
            }
            Ok((r.get(0)?, cols))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }

    /// The members not deleted.
    pub(crate) fn live(&self) -> Vec<Row> {
        self.rows()
            .into_iter()
            .filter(|(_, cols)| cols["deleted_at"].is_none())
            .collect()
    }

    pub(crate) fn table(&self) -> SqliteTable {
        SqliteTable::open(&self.path, "members").unwrap()
    }
}

/// A sandbox with no seeded contacts at a tenth of the real window.
pub(crate) async fn sandbox(search_lag_ms: u64) -> Sandbox {
    Sandbox::start(SandboxConfig {
        budgets: Budgets {
            interval_ms: 1_000,
            ..Budgets::default()
        },
        search_lag_ms,
        ..Default::default()
    })
    .await
    .unwrap()
}

pub(crate) fn client_of(sbx: &Sandbox, dir: &Path) -> Client {
    super::state_client(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
        &dir.join("sync.db"),
    )
}

pub(crate) async fn pass(c: &Client, host: &Host, settings: &SyncSettings) -> SyncReport {
    c.sync_pass(&template(), &host.table(), settings, |_| {})
        .await
        .unwrap()
}

/// Every contact of the location as stored, by email (those without one by id).
pub(crate) fn contacts(sbx: &Sandbox) -> Vec<Value> {
    let mut out = sbx.contacts_now();
    out.sort_by_key(|c| {
        c["email"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| c["id"].as_str().unwrap_or_default().to_owned())
    });
    out
}

async fn create_contact(c: &Client, location: &str, body: Value) -> String {
    let mut params = body;
    params["locationId"] = json!(location);
    let made = c.call("contacts.create", params).await.unwrap();
    made["contact"]["id"].as_str().unwrap().to_owned()
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_first_sync_matches_before_it_creates_and_a_second_changes_nothing() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let loc = sbx.location_id();
    let host = Host::create(dir.path());
    let t = now_ms() - 60_000;
    // Matched by email (the host's differs in case), by phone, and one on
    // each side alone.
    host.insert("Ada Lovelace", Some(" Ada@Example.com "), None, "London", t);
    host.insert("Grace Hopper", None, Some("(415) 555-2671"), "Arlington", t);
    host.insert("Only Host", Some("host@example.com"), None, "Paris", t);
    create_contact(
        &c,
        loc,
        json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}),
    )
    .await;
    create_contact(&c, loc, json!({"firstName": "Grace", "lastName": "Hopper", "phone": "+14155552671", "city": "Arlington"})).await;
    create_contact(&c, loc, json!({"firstName": "Only", "lastName": "Highlevel", "email": "hl@example.com", "city": "Oslo"})).await;
    let settings = SyncSettings::named("members");

    let first = pass(&c, &host, &settings).await;
    assert!(first.first, "{:?}", first.to_json());
    assert_eq!(first.matched, 2, "{}", first.to_json());
    assert_eq!(first.created.highlevel, 1, "{}", first.to_json());
    assert_eq!(first.created.host, 1, "{}", first.to_json());
    assert_eq!(
        first.errors + first.invalid + first.conflicts,
        0,
        "{}",
        first.to_json()
    );

    let all = contacts(&sbx);
    assert_eq!(all.len(), 4, "no duplicate: {all:#?}");
    let ada = all
        .iter()
        .find(|x| x["email"] == "ada@example.com")
        .unwrap();
    assert_eq!(
        ada["city"], "London",
        "a value on one side only fills the other"
    );
    let rows = host.live();
    assert_eq!(rows.len(), 4, "{rows:?}");
    let col = |r: &Row, c: &str| r.1[c].clone();
    let from_hl = rows
        .iter()
        .find(|r| col(r, "email").as_deref() == Some("hl@example.com"))
        .unwrap();
    assert_eq!(col(from_hl, "name").as_deref(), Some("Only Highlevel"));
    assert_eq!(col(from_hl, "city").as_deref(), Some("Oslo"));
    let grace = rows.iter().find(|r| col(r, "phone").is_some()).unwrap();
    assert_eq!(
        col(grace, "phone").as_deref(),
        Some("(415) 555-2671"),
        "the host keeps its own form"
    );

    for n in 2..=3 {
        let again = pass(&c, &host, &settings).await;
        assert!(!again.first);
        assert_eq!(
            (again.created, again.updated, again.deleted),
            Default::default(),
            "pass {n} writes nothing: {}",
            again.to_json()
        );
        assert_eq!(
            again.errors + again.invalid + again.conflicts,
            0,
            "{}",
            again.to_json()
        );
    }
    assert_eq!(contacts(&sbx).len(), 4);
    assert_eq!(host.live().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_store_of_another_template_and_bad_settings_are_refused() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let host = Host::create(dir.path());
    host.insert(
        "Ada Lovelace",
        Some("ada@example.com"),
        None,
        "London",
        now_ms(),
    );
    let settings = SyncSettings::named("members");
    pass(&c, &host, &settings).await;
    let mut other = template();
    other["name"] = json!("customers");
    let err = c
        .sync_pass(&other, &host.table(), &settings, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::State, "{err}");
    assert!(err.to_string().contains("\"members\""), "{err}");

    let bad = SyncSettings::from_json(&json!({"name": "members", "fields": {"nickname": "host"}}))
        .unwrap();
    let err = c
        .sync_pass(&template(), &host.table(), &bad, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert!(err.to_string().contains("nickname"), "{err}");
    for (settings, member) in [
        (json!({"name": "a b"}), "name"),
        (json!({"name": "m", "policy": "loudest"}), "policy"),
        (
            json!({"name": "m", "deletes": {"fromHost": "shred"}}),
            "fromHost",
        ),
        (json!({"name": "m", "pageLimit": 501}), "pageLimit"),
        (json!({"name": "m", "extra": 1}), "extra"),
    ] {
        let err = SyncSettings::from_json(&settings).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgument);
        assert!(err.to_string().contains(member), "{member}: {err}");
    }
    let one_way = json!({"name": "members", "target": "contact", "fields": [{"from": "email", "to": "email"}]});
    let err = c
        .sync_pass(&one_way, &host.table(), &settings, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgument);
    assert!(err.to_string().contains("two-way"), "{err}");

    // A table without the columns a sync needs is refused by name.
    Connection::open(dir.path().join("host.db"))
        .unwrap()
        .execute(
            "CREATE TABLE plain (id INTEGER PRIMARY KEY, email TEXT, updated_at INTEGER)",
            [],
        )
        .unwrap();
    let err = SqliteTable::open(dir.path().join("host.db"), "plain").unwrap_err();
    assert!(err.to_string().contains("deleted_at"), "{err}");
    let err = SqliteTable::open(dir.path().join("host.db"), "nothing").unwrap_err();
    assert!(err.to_string().contains("does not exist"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_host_records_are_reported_with_their_paths_and_never_sent() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let host = Host::create(dir.path());
    let t = now_ms();
    host.insert(
        "Bad Phone",
        Some("bad-phone@example.com"),
        Some("12"),
        "X",
        t,
    );
    host.insert("Bad Email", Some("not an email"), None, "X", t);
    host.insert("Nothing", None, None, "X", t);
    host.insert("Good", Some("good@example.com"), None, "X", t);
    let report = pass(&c, &host, &SyncSettings::named("members")).await;
    assert_eq!(report.invalid, 3, "{}", report.to_json());
    assert_eq!(report.created.highlevel, 1, "{}", report.to_json());
    let json = report.to_json().to_string();
    assert!(json.contains("not a valid number for region US"), "{json}");
    assert!(json.contains("\"path\":\"phone\""), "{json}");
    assert!(json.contains("\"path\":\"email\""), "{json}");
    assert!(
        json.contains("needs at least one of email, phone"),
        "{json}"
    );
    let all = contacts(&sbx);
    assert_eq!(
        all.len(),
        1,
        "only the valid record reached HighLevel: {all:#?}"
    );
}

/// One row of the policy table: what the test does to a record after the
/// first pass, and what both sides must hold after the next.
struct Case {
    /// The host column edited (and its HighLevel field).
    column: &'static str,
    field: &'static str,
    /// The host's new value, and its `updated_at` against the HighLevel
    /// edit's `dateUpdated` (ms; `None`: now).
    host: Option<(&'static str, Option<i64>)>,
    /// HighLevel's new value.
    highlevel: Option<&'static str>,
    /// HighLevel also edits another field (firstName).
    other_field: bool,
    host_deletes: bool,
    highlevel_deletes: bool,
    /// After the pass: the host's value (`None`: the row is deleted) and
    /// HighLevel's (`None`: the contact is gone), and whether a conflict
    /// is reported.
    want_host: Option<&'static str>,
    want_highlevel: Option<&'static str>,
    conflict: bool,
}

const fn case(column: &'static str, field: &'static str) -> Case {
    Case {
        column,
        field,
        host: None,
        highlevel: None,
        other_field: false,
        host_deletes: false,
        highlevel_deletes: false,
        want_host: Some("old"),
        want_highlevel: Some("old"),
        conflict: false,
    }
}

/// The policies under test, one field each: city highlevel, state host,
/// address1 newest, website report.
const POLICIES: [(&str, &str, &str); 4] = [
    ("city", "city", "highlevel"),
    ("state", "state", "host"),
    ("street", "address1", "newest"),
    ("site", "website", "report"),
];

/// The table, written out by hand. "old" is the record's value before the
/// edits (per record: `old-<n>`).
fn policy_table() -> Vec<Case> {
    let mut t = Vec::new();
    for (column, field, policy) in POLICIES {
        let c = || case(column, field);
        // Edited on one side: the other side follows, whatever the policy.
        t.push(Case {
            host: Some(("H", None)),
            want_host: Some("H"),
            want_highlevel: Some("H"),
            ..c()
        });
        t.push(Case {
            highlevel: Some("G"),
            want_host: Some("G"),
            want_highlevel: Some("G"),
            ..c()
        });
        // The same field on both sides, differently: the policy's.
        let both = |at: Option<i64>| Case {
            host: Some(("H", at)),
            highlevel: Some("G"),
            ..c()
        };
        match policy {
            "highlevel" => t.push(Case {
                want_host: Some("G"),
                want_highlevel: Some("G"),
                ..both(None)
            }),
            "host" => t.push(Case {
                want_host: Some("H"),
                want_highlevel: Some("H"),
                ..both(None)
            }),
            "report" => t.push(Case {
                want_host: Some("H"),
                want_highlevel: Some("G"),
                conflict: true,
                ..both(None)
            }),
            _ => {
                t.push(Case {
                    want_host: Some("H"),
                    want_highlevel: Some("H"),
                    ..both(Some(60_000))
                });
                t.push(Case {
                    want_host: Some("G"),
                    want_highlevel: Some("G"),
                    ..both(Some(-60_000))
                });
                t.push(Case {
                    want_host: Some("H"),
                    want_highlevel: Some("G"),
                    conflict: true,
                    ..both(Some(500))
                });
            }
        }
        // The same field on both sides, alike: kept, no conflict.
        t.push(Case {
            host: Some(("S", None)),
            highlevel: Some("S"),
            want_host: Some("S"),
            want_highlevel: Some("S"),
            ..c()
        });
        // Different fields on each side: both applied in the one pass.
        t.push(Case {
            host: Some(("H", None)),
            other_field: true,
            want_host: Some("H"),
            want_highlevel: Some("H"),
            ..c()
        });
        // A delete against an edit: a conflict, and nothing comes back.
        t.push(Case {
            highlevel: Some("G"),
            host_deletes: true,
            want_host: None,
            want_highlevel: Some("G"),
            conflict: true,
            ..c()
        });
        t.push(Case {
            host: Some(("H", None)),
            highlevel_deletes: true,
            want_host: Some("H"),
            want_highlevel: None,
            conflict: true,
            ..c()
        });
    }
    // Deletes with no edit: a host delete propagates (the default), a
    // HighLevel delete tombstones (the default: the host row stays).
    t.push(Case {
        host_deletes: true,
        want_host: None,
        want_highlevel: None,
        ..case("city", "city")
    });
    t.push(Case {
        highlevel_deletes: true,
        want_host: Some("old"),
        want_highlevel: None,
        ..case("city", "city")
    });
    // Untouched.
    t.push(case("city", "city"));
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_records_follow_the_policy_table_record_by_record() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let host = Host::create(dir.path());
    let table = policy_table();
    let records = 200;
    let t0 = now_ms() - 3_600_000;
    let conn = host.conn();
    for i in 0..records {
        conn.execute(
            "INSERT INTO members (name, email, city, state, street, site, updated_at)
             VALUES (?1, ?2, ?3, ?3, ?3, ?3, ?4)",
            rusqlite::params![
                format!("Member {i}"),
                format!("m{i}@example.com"),
                format!("old-{i}"),
                t0
            ],
        )
        .unwrap();
    }
    let settings = SyncSettings::from_json(&json!({
        "name": "members",
        "fields": Value::Object(POLICIES.iter().map(|(_, f, p)| ((*f).to_owned(), json!(p))).collect()),
        "reconcileEveryMs": 0,
        // No search lag here: a contact synced a moment ago and missing from
        // the delete scan is deleted (the overlap's default wait is for lag).
        "overlapMs": 0,
    }))
    .unwrap();
    let first = pass(&c, &host, &settings).await;
    assert_eq!(
        first.created.highlevel,
        records as u64,
        "{}",
        first.to_json()
    );
    let ids: std::collections::HashMap<String, String> = contacts(&sbx)
        .into_iter()
        .map(|x| {
            (
                x["email"].as_str().unwrap().to_owned(),
                x["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(ids.len(), records);

    // The edits: HighLevel's first, then the host's, stamped against them.
    for i in 0..records {
        let k = &table[i % table.len()];
        let id = &ids[&format!("m{i}@example.com")];
        let row = i as i64 + 1;
        let value = |v: &str| format!("{v}-{i}");
        let mut highlevel_at = now_ms();
        if k.highlevel.is_some() || k.other_field {
            let mut params = json!({"contactId": id});
            if let Some(v) = k.highlevel {
                params[k.field] = json!(value(v));
            }
            if k.other_field {
                params["firstName"] = json!("Changed");
            }
            let answer = c.call("contacts.update", params).await.unwrap();
            highlevel_at = contacts_core::time::parse_rfc3339_ms(
                answer["contact"]["dateUpdated"].as_str().unwrap(),
            )
            .unwrap();
        }
        if k.highlevel_deletes {
            c.call("contacts.delete", json!({"contactId": id}))
                .await
                .unwrap();
        }
        if let Some((v, at)) = k.host {
            host.set(
                row,
                k.column,
                Some(&value(v)),
                at.map_or(now_ms(), |d| highlevel_at + d),
            );
        }
        if k.host_deletes {
            host.delete(row, now_ms());
        }
    }

    let second = pass(&c, &host, &settings).await;
    let rows = host.rows();
    let remote: std::collections::HashMap<String, Value> = contacts(&sbx)
        .into_iter()
        .map(|x| (x["email"].as_str().unwrap().to_owned(), x))
        .collect();
    let conflicts: std::collections::HashSet<String> = second
        .items
        .iter()
        .filter(|item| item.kind == contacts_core::sync::ItemKind::Conflict)
        .filter_map(|item| item.host_id.clone())
        .collect();
    for i in 0..records {
        let k = &table[i % table.len()];
        let email = format!("m{i}@example.com");
        let want = |v: Option<&str>| v.map(|v| format!("{v}-{i}"));
        let (_, cols) = &rows[i];
        let host_value = cols["deleted_at"]
            .is_none()
            .then(|| cols[k.column].clone().unwrap_or_default());
        assert_eq!(
            host_value,
            want(k.want_host),
            "record {i}, case {}: the host",
            i % table.len()
        );
        let remote_value = remote
            .get(&email)
            .map(|x| x[k.field].as_str().unwrap_or_default().to_owned());
        assert_eq!(
            remote_value,
            want(k.want_highlevel),
            "record {i}, case {}: HighLevel",
            i % table.len()
        );
        assert_eq!(
            conflicts.contains(&(i + 1).to_string()),
            k.conflict,
            "record {i}, case {}: conflict",
            i % table.len()
        );
        if k.other_field {
            assert_eq!(
                cols["name"].as_deref(),
                Some(format!("Changed {i}").as_str()),
                "record {i}"
            );
            assert_eq!(remote[&email]["firstName"], "Changed");
        }
    }
    assert_eq!(second.errors + second.invalid, 0, "{}", second.to_json());
    assert_eq!(second.created, Default::default(), "{}", second.to_json());

    for n in 3..=4 {
        let again = pass(&c, &host, &settings).await;
        assert_eq!(
            (again.created, again.updated, again.deleted, again.conflicts),
            Default::default(),
            "pass {n} creates and changes nothing: {}",
            again.to_json()
        );
    }
    assert_eq!(host.rows(), rows, "the host is as the second pass left it");
}

/// The child process of the kill tests: one pass with the failpoints of its
/// environment armed; says so if it ever finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_child_process() {
    let Ok(base_url) = std::env::var("SYNC_BASE_URL") else {
        return;
    };
    let env = |k: &str| std::env::var(k).unwrap();
    let c = super::state_client(
        &base_url,
        &env("SYNC_PIT"),
        &env("SYNC_LOCATION"),
        env("SYNC_STATE").as_ref(),
    );
    let host = Host {
        path: env("SYNC_HOST").into(),
    };
    let settings =
        SyncSettings::from_json(&serde_json::from_str(&env("SYNC_SETTINGS")).unwrap()).unwrap();
    let out = match std::env::var("SYNC_NOTES") {
        Err(_) if std::env::var("SYNC_APPOINTMENTS").is_ok() => {
            try_appointments_pass(&c, &host, &settings).await
        }
        Ok(_) => {
            let notes = SqliteTable::open(&host.path, "notes").unwrap();
            let notes = contacts_core::sync::NoteHost {
                adapter: &notes,
                contact_field: "member_id",
                body_field: "body",
            };
            let table = host.table();
            let hosts = contacts_core::sync::SyncHosts {
                notes: Some(notes),
                ..contacts_core::sync::SyncHosts::contacts(&table)
            };
            c.sync_pass_with(&template(), hosts, &settings, |_| {})
                .await
        }
        Err(_) => {
            c.sync_pass(&template(), &host.table(), &settings, |_| {})
                .await
        }
    };
    println!("FINISHED {:?}", out.map(|r| r.to_json()));
}

/// The kill tests' settings: a short lease, which a killed pass leaves
/// held and the rerun waits out.
const KILL_SETTINGS: &str = r#"{"name": "members", "leaseMs": 500}"#;

/// The kill tests' starting point: 4 host records matching contacts by
/// email (their cities differ, so each is written), 20 on the host alone,
/// 4 contacts in HighLevel alone.
async fn kill_scenario(sbx: &Sandbox, dir: &Path) -> Host {
    let c = client_of(sbx, dir);
    let host = Host::create(dir);
    let t0 = now_ms() - 3_600_000;
    for i in 0..4 {
        let email = format!("both{i}@example.com");
        host.insert(
            &format!("Both {i}"),
            Some(&email),
            None,
            &format!("host-city-{i}"),
            t0,
        );
        create_contact(
            &c,
            sbx.location_id(),
            json!({"firstName": "Both", "lastName": format!("{i}"), "email": email}),
        )
        .await;
    }
    for i in 0..20 {
        host.insert(
            &format!("Host {i}"),
            Some(&format!("host{i}@example.com")),
            None,
            "H",
            t0,
        );
    }
    for i in 0..4 {
        create_contact(&c, sbx.location_id(), json!({"firstName": "Remote", "lastName": format!("{i}"), "email": format!("remote{i}@example.com")})).await;
    }
    host
}

/// What a run leaves, ignoring ids and timestamps: HighLevel's contacts,
/// the host's rows, and the id map as (host email, contact email).
async fn outcome(
    sbx: &Sandbox,
    dir: &Path,
    host: &Host,
) -> (Vec<Value>, Vec<Row>, Vec<(String, String)>) {
    let all = sbx.contacts_now();
    let mut remote: Vec<Value> = all
        .iter()
        .map(|x| {
            json!([
                x["email"],
                x["firstName"],
                x["lastName"],
                x["phone"],
                x["city"],
                x["tags"]
            ])
        })
        .collect();
    remote.sort_by_key(|x| x[0].as_str().unwrap_or_default().to_owned());
    let mut rows: Vec<Row> = host.rows().into_iter().map(|(_, cols)| (0, cols)).collect();
    rows.sort_by(|a, b| a.1["email"].cmp(&b.1["email"]));
    let email_of_row: std::collections::HashMap<String, String> = host
        .rows()
        .into_iter()
        .map(|(id, cols)| (id.to_string(), cols["email"].clone().unwrap_or_default()))
        .collect();
    let email_of_contact: std::collections::HashMap<String, String> = all
        .iter()
        .map(|x| {
            (
                x["id"].as_str().unwrap().to_owned(),
                x["email"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    use contacts_core::state::StateStore;
    let store = contacts_core::state::SqliteStore::open(dir.join("sync.db")).unwrap();
    let mut map: Vec<(String, String)> = store
        .list("sync/members/h/", usize::MAX, now_ms() as u64)
        .await
        .unwrap()
        .into_iter()
        .map(|(key, held)| {
            let host_id = key.trim_start_matches("sync/members/h/").to_owned();
            let contact = held.value["contact"].as_str().unwrap().to_owned();
            (
                email_of_row[&host_id].clone(),
                email_of_contact.get(&contact).cloned().unwrap_or(contact),
            )
        })
        .collect();
    map.sort();
    (remote, rows, map)
}

/// The kill tests' search lag.
const LAG_MS: u64 = 2_000;

/// `count` fresh runs of the kill scenario (a sandbox under the search lag,
/// a host), left the lag so each starts from contacts search can see.
async fn kill_runs(count: usize) -> Vec<(Sandbox, tempfile::TempDir, Host)> {
    let mut runs = Vec::new();
    for _ in 0..count {
        let sbx = sandbox(LAG_MS).await;
        let dir = tempfile::tempdir().unwrap();
        let host = kill_scenario(&sbx, dir.path()).await;
        runs.push((sbx, dir, host));
    }
    tokio::time::sleep(std::time::Duration::from_millis(LAG_MS + 200)).await;
    runs
}

/// Kills a pass of this run's sync (in a child process) after its `n`th
/// response, reruns it here, and returns what the rerun left.
async fn kill_and_rerun(
    sbx: &Sandbox,
    dir: &Path,
    host: &Host,
    n: u64,
) -> (Vec<Value>, Vec<Row>, Vec<(String, String)>) {
    let env = child_env(sbx, dir, host, KILL_SETTINGS, "SYNC_CONTACTS_ONLY");
    super::killed_child(
        "sync::sync_child_process",
        env,
        &format!("after-any-response:{n}"),
    )
    .await;
    let settings = SyncSettings::from_json(&serde_json::from_str(KILL_SETTINGS).unwrap()).unwrap();
    let rerun = pass(&client_of(sbx, dir), host, &settings).await;
    assert_eq!(
        rerun.errors + rerun.conflicts + rerun.invalid,
        0,
        "after a kill at {n}: {}",
        rerun.to_json()
    );
    outcome(sbx, dir, host).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pass_killed_at_any_of_twenty_requests_reruns_to_the_uninterrupted_outcome() {
    let kills: Vec<u64> = (1..=20).collect();
    let runs = kill_runs(kills.len() + 1).await;
    let settings = SyncSettings::from_json(&serde_json::from_str(KILL_SETTINGS).unwrap()).unwrap();

    let (sbx, dir, host) = &runs[0];
    let report = pass(&client_of(sbx, dir.path()), host, &settings).await;
    assert_eq!(
        (
            report.matched,
            report.created.highlevel,
            report.created.host
        ),
        (4, 20, 4),
        "{}",
        report.to_json()
    );
    let reference = outcome(sbx, dir.path(), host).await;
    assert_eq!(reference.0.len(), 28);
    assert_eq!(reference.2.len(), 28, "every record linked");
    for (n, (sbx, dir, host)) in kills.iter().zip(&runs[1..]) {
        let got = kill_and_rerun(sbx, dir.path(), host, *n).await;
        assert_eq!(got, reference, "after a kill at response {n}");
    }
}

/// A host that answers JSON, as the C callback and the JS object do: its
/// records in memory, and answers a test may spoil.
struct JsonHost {
    records: std::sync::Mutex<Vec<Value>>,
    spoil: Option<&'static str>,
}

impl contacts_core::state::HostCall for JsonHost {
    fn call<'a>(
        &'a self,
        op: &'static str,
        args: Value,
    ) -> contacts_core::state::StoreFuture<'a, Value> {
        let answer = (|| {
            if self.spoil == Some(op) {
                return Ok(json!("not what it may answer"));
            }
            let mut records = self.records.lock().unwrap();
            Ok(match op {
                "changes" => {
                    let done = args[0].as_str().map_or(0, |s| s.parse::<usize>().unwrap());
                    let page: Vec<Value> = records
                        .iter()
                        .skip(done)
                        .take(args[1].as_u64().unwrap() as usize)
                        .cloned()
                        .collect();
                    json!({"records": page, "checkpoint": (done + page.len()).to_string(), "more": false})
                }
                "upsert" => {
                    let w = &args[0];
                    let id = w["id"].as_str().map_or_else(
                        || format!("new-{}", w["key"].as_str().unwrap()),
                        str::to_owned,
                    );
                    let record = json!({"id": id, "updatedAt": w["nowMs"], "fields": w["fields"]});
                    records.push(record.clone());
                    record
                }
                _ => Value::Null,
            })
        })();
        Box::pin(async move { answer })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_answering_json_has_its_bad_records_reported_and_its_bad_answers_refused() {
    use contacts_core::sync::HostCallAdapter;
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let t = now_ms();
    let records = vec![
        json!({"id": "a", "updatedAt": t, "fields": {"name": "Ada Lovelace", "email": "ada@example.com"}}),
        json!({"id": "", "updatedAt": t, "fields": {}}),
        json!({"id": "b", "fields": {"email": "b@example.com"}}),
        json!({"id": "c", "updatedAt": t, "fields": "not an object"}),
        json!({"id": "d", "updatedAt": t, "fields": {"email": "d1@example.com"}}),
        json!({"id": "d", "updatedAt": t, "fields": {"email": "d2@example.com"}}),
        json!(["not a record"]),
    ];
    let host = HostCallAdapter(JsonHost {
        records: std::sync::Mutex::new(records),
        spoil: None,
    });
    let settings = SyncSettings::named("json");
    let report = c
        .sync_pass(&template(), &host, &settings, |_| {})
        .await
        .unwrap();
    assert_eq!(report.created.highlevel, 1, "{}", report.to_json());
    assert_eq!(report.errors, 5, "{}", report.to_json());
    let json = report.to_json().to_string();
    for needle in [
        "id: a host id is 1 to 256 bytes",
        "updatedAt: required",
        "fields must be an object",
        "more than one record in one page",
        "a host record is an object",
    ] {
        assert!(json.contains(needle), "{needle}: {json}");
    }
    assert_eq!(
        sbx.contacts_now().len(),
        1,
        "only the good record reached HighLevel"
    );

    for op in ["changes", "upsert"] {
        let dir = tempfile::tempdir().unwrap();
        let c = client_of(&sbx, dir.path());
        let host = HostCallAdapter(JsonHost {
            records: std::sync::Mutex::new(vec![
                json!({"id": "z", "updatedAt": t, "fields": {"email": "z@example.com"}}),
            ]),
            spoil: Some(op),
        });
        c.call(
            "contacts.create",
            json!({"locationId": sbx.location_id(), "email": format!("{op}@example.com")}),
        )
        .await
        .unwrap();
        let err = c
            .sync_pass(&template(), &host, &settings, |_| {})
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::Host, "{op}: {err}");
        assert!(err.to_string().contains(op), "{err}");
    }
}

/// A sandbox and a host of thirty members (emails `<prefix><i>@…`) after
/// their first pass.
async fn thirty_synced_members(prefix: &str) -> (Sandbox, tempfile::TempDir, Host) {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let host = Host::create(dir.path());
    let t = now_ms() - 60_000;
    for i in 0..30 {
        let email = format!("{prefix}{i}@example.com");
        host.insert(&format!("Member {i}"), Some(&email), None, "C", t);
    }
    pass(
        &client_of(&sbx, dir.path()),
        &host,
        &SyncSettings::named("members"),
    )
    .await;
    (sbx, dir, host)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_pass_with_no_changes_costs_one_request() {
    let (sbx, dir, host) = thirty_synced_members("cost").await;
    let c = client_of(&sbx, dir.path());
    let settings = SyncSettings::named("members");
    let before = sbx.api_requests();
    let idle = pass(&c, &host, &settings).await;
    assert_eq!(
        sbx.api_requests() - before,
        1,
        "one search page: {}",
        idle.to_json()
    );
    assert!(!idle.delete_scan);
    // Five host edits: the same one read, and one update each.
    for id in 1..=5 {
        host.set(id, "city", Some("D"), now_ms());
    }
    let before = sbx.api_requests();
    let five = pass(&c, &host, &settings).await;
    assert_eq!(five.updated.highlevel, 5, "{}", five.to_json());
    assert_eq!(sbx.api_requests() - before, 6, "{}", five.to_json());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_passes_at_once_on_one_store_run_one_after_the_other_and_a_held_lease_is_waited_out() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let host = Host::create(dir.path());
    let t = now_ms() - 60_000;
    for i in 0..40 {
        host.insert(
            &format!("Member {i}"),
            Some(&format!("lease{i}@example.com")),
            None,
            "L",
            t,
        );
    }
    // Two clients (as two processes would be) on one state file.
    let (a, b) = (client_of(&sbx, dir.path()), client_of(&sbx, dir.path()));
    let settings = SyncSettings::named("members");
    let (ra, rb) = tokio::join!(pass(&a, &host, &settings), pass(&b, &host, &settings));
    assert_eq!(
        ra.created.highlevel + rb.created.highlevel,
        40,
        "{} {}",
        ra.to_json(),
        rb.to_json()
    );
    assert!(
        ra.created.highlevel == 0 || rb.created.highlevel == 0,
        "one pass made them all, the other waited"
    );
    assert_eq!(contacts(&sbx).len(), 40, "no duplicate");

    // A lease a dead pass left: waited out when leaseWaitMs allows, else
    // refused with STATE, naming the lease.
    use contacts_core::state::StateStore;
    let store = contacts_core::state::SqliteStore::open(dir.path().join("sync.db")).unwrap();
    let now = now_ms() as u64;
    store
        .put(
            "sync/members/lease",
            &json!({"untilMs": now + 60_000}),
            None,
            now,
        )
        .await
        .unwrap();
    let impatient = SyncSettings::from_json(&json!({"name": "members", "leaseWaitMs": 0})).unwrap();
    let err = a
        .sync_pass(&template(), &host.table(), &impatient, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::State, "{err}");
    assert!(err.to_string().contains("lease"), "{err}");
    store
        .put(
            "sync/members/lease",
            &json!({"untilMs": now_ms() as u64 + 300}),
            None,
            now,
        )
        .await
        .unwrap();
    let patient =
        SyncSettings::from_json(&json!({"name": "members", "leaseWaitMs": 5_000})).unwrap();
    let report = a
        .sync_pass(&template(), &host.table(), &patient, |_| {})
        .await
        .unwrap();
    assert_eq!(report.created.highlevel, 0, "{}", report.to_json());
    let held = store
        .get("sync/members/lease", now_ms() as u64)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        held.value["untilMs"], 0,
        "a finished pass gives its lease up"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_state_of_another_location_is_refused_and_nothing_is_sent() {
    use contacts_sandbox::{DEFAULT_LOCATION_ID, DEFAULT_PIT};
    let other = "SBXloc00000000000002";
    let sbx = Sandbox::start(SandboxConfig {
        locations: vec![DEFAULT_LOCATION_ID.into(), other.into()],
        pits: vec![
            (DEFAULT_PIT.into(), DEFAULT_LOCATION_ID.into()),
            ("pit-other".into(), other.into()),
        ],
        ..Default::default()
    })
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let host = Host::create(dir.path());
    host.insert(
        "Ada Lovelace",
        Some("ada@example.com"),
        None,
        "London",
        now_ms(),
    );
    let settings = SyncSettings::named("members");
    pass(&client_of(&sbx, dir.path()), &host, &settings).await;
    let elsewhere = super::state_client(
        &sbx.base_url(),
        "pit-other",
        other,
        &dir.path().join("sync.db"),
    );
    let before = sbx.api_requests();
    let err = elsewhere
        .sync_pass(&template(), &host.table(), &settings, |_| {})
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::State, "{err}");
    assert!(
        err.to_string().contains(other) || err.to_string().contains("location"),
        "{err}"
    );
    assert_eq!(
        sbx.api_requests(),
        before,
        "nothing was sent for the other location"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_changes_go_through_the_bulk_endpoint_batched_across_records() {
    let (sbx, dir, host) = thirty_synced_members("tags").await;
    let c = client_of(&sbx, dir.path());
    let settings = SyncSettings::named("members");
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let at = now_ms();
    for id in 1..=30 {
        host.set(id, "tags", Some("crew; vip"), at);
    }
    host.set(1, "city", Some("Changed"), at);
    let before = sbx.api_requests();
    let report = pass(&c, &host, &settings).await;
    assert_eq!(report.updated.highlevel, 30, "{}", report.to_json());
    assert_eq!(
        sbx.api_requests() - before,
        3,
        "one search page, one update (the city), one bulk tag write: {}",
        report.to_json()
    );
    for contact in contacts(&sbx) {
        assert_eq!(contact["tags"], json!(["crew", "vip"]), "{contact}");
    }
    assert_eq!(
        contacts(&sbx)
            .iter()
            .filter(|x| x["city"] == "Changed")
            .count(),
        1
    );
    let again = pass(&c, &host, &settings).await;
    assert_eq!(
        (again.updated, again.created),
        Default::default(),
        "{}",
        again.to_json()
    );

    // Removing one tag from some: one bulk removal.
    for id in 1..=10 {
        host.set(id, "tags", Some("crew"), now_ms());
    }
    let before = sbx.api_requests();
    let report = pass(&c, &host, &settings).await;
    assert_eq!(report.updated.highlevel, 10, "{}", report.to_json());
    assert_eq!(sbx.api_requests() - before, 2, "{}", report.to_json());
    let crew_only = contacts(&sbx)
        .iter()
        .filter(|x| x["tags"] == json!(["crew"]))
        .count();
    assert_eq!(crew_only, 10);
}

/// The edits between the incremental kill tests' two passes: ten host city
/// edits, ten host tag edits (one bulk write), five HighLevel city edits
/// of tagged members.
async fn incremental_edits(sbx: &Sandbox, dir: &Path, host: &Host) {
    let c = client_of(sbx, dir);
    let at = now_ms();
    for id in 5..15 {
        host.set(id, "city", Some(&format!("moved-{id}")), at);
    }
    for id in 15..25 {
        host.set(id, "tags", Some("kept; tagged"), at);
    }
    let by_email: std::collections::HashMap<String, String> = sbx
        .contacts_now()
        .into_iter()
        .map(|x| {
            (
                x["email"].as_str().unwrap().to_owned(),
                x["id"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    // The last five host-tagged members: a different field on each side.
    for i in 15..20 {
        let id = &by_email[&format!("host{i}@example.com")];
        c.call(
            "contacts.update",
            json!({"contactId": id, "city": format!("remote-city-{i}")}),
        )
        .await
        .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_incremental_pass_killed_at_any_of_its_requests_reruns_to_the_uninterrupted_outcome() {
    let settings = SyncSettings::from_json(&serde_json::from_str(KILL_SETTINGS).unwrap()).unwrap();
    let kills: Vec<u64> = (1..=12).collect();
    let runs = kill_runs(kills.len() + 1).await;
    for (sbx, dir, host) in &runs {
        pass(&client_of(sbx, dir.path()), host, &settings).await;
    }
    // The first pass's own writes settle in search too, then the edits.
    tokio::time::sleep(std::time::Duration::from_millis(LAG_MS + 200)).await;
    for (sbx, dir, host) in &runs {
        incremental_edits(sbx, dir.path(), host).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(LAG_MS + 200)).await;

    let (sbx, dir, host) = &runs[0];
    let before = sbx.api_requests();
    let report = pass(&client_of(sbx, dir.path()), host, &settings).await;
    assert_eq!(
        report.updated,
        contacts_core::sync::SideCounts {
            highlevel: 20,
            host: 5
        },
        "{}",
        report.to_json()
    );
    let sent = sbx.api_requests() - before;
    assert!(
        sent >= *kills.last().unwrap(),
        "the kills span the pass's {sent} requests"
    );
    let reference = outcome(sbx, dir.path(), host).await;
    assert!(
        reference
            .0
            .iter()
            .any(|x| x[5] == json!(["kept", "tagged"]))
    );
    for (n, (sbx, dir, host)) in kills.iter().zip(&runs[1..]) {
        let got = kill_and_rerun(sbx, dir.path(), host, *n).await;
        assert_eq!(got, reference, "after a kill at response {n}");
    }
}

/// The host's notes table, beside its members.
const NOTES: &str = "CREATE TABLE notes (id INTEGER PRIMARY KEY, member_id INTEGER, body TEXT,
    updated_at INTEGER NOT NULL, deleted_at INTEGER)";

fn note_rows(host: &Host) -> Vec<(i64, Option<i64>, String)> {
    let conn = host.conn();
    let mut stmt = conn
        .prepare("SELECT id, member_id, body FROM notes WHERE deleted_at IS NULL ORDER BY body")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

async fn notes_of(c: &Client, contact: &str) -> Vec<String> {
    let listed = c
        .call("notes.list", json!({"contactId": contact}))
        .await
        .unwrap();
    let mut bodies: Vec<String> = listed["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["body"].as_str().unwrap().to_owned())
        .collect();
    bodies.sort();
    bodies
}

async fn notes_pass(c: &Client, host: &Host, settings: &SyncSettings) -> SyncReport {
    let notes = SqliteTable::open(&host.path, "notes").unwrap();
    let notes = contacts_core::sync::NoteHost {
        adapter: &notes,
        contact_field: "member_id",
        body_field: "body",
    };
    let table = host.table();
    let hosts = contacts_core::sync::SyncHosts {
        notes: Some(notes),
        ..contacts_core::sync::SyncHosts::contacts(&table)
    };
    c.sync_pass_with(&template(), hosts, settings, |_| {})
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn notes_follow_their_contacts_both_ways_once_and_a_killed_create_is_not_made_twice() {
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let host = Host::create(dir.path());
    host.conn().execute(NOTES, []).unwrap();
    let t = now_ms() - 60_000;
    let ada = host.insert("Ada Lovelace", Some("ada@example.com"), None, "London", t);
    let bea = host.insert("Bea Host", Some("bea@example.com"), None, "Paris", t);
    let conn = host.conn();
    conn.execute(
        "INSERT INTO notes (member_id, body, updated_at) VALUES (?1, 'from the host', ?2)",
        rusqlite::params![ada, t],
    )
    .unwrap();
    conn.execute(
        "INSERT INTO notes (member_id, body, updated_at) VALUES (?1, 'about bea', ?2)",
        rusqlite::params![bea, t],
    )
    .unwrap();
    let remote_ada = create_contact(
        &c,
        sbx.location_id(),
        json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}),
    )
    .await;
    c.call(
        "notes.create",
        json!({"contactId": remote_ada, "body": "from highlevel"}),
    )
    .await
    .unwrap();
    // Every pass lists every linked contact's notes (a note edit does not
    // move its contact's dateUpdated).
    let settings =
        SyncSettings::from_json(&json!({"name": "members", "reconcileEveryMs": 0, "overlapMs": 0}))
            .unwrap();

    let first = notes_pass(&c, &host, &settings).await;
    assert_eq!(
        first.notes.created,
        contacts_core::sync::SideCounts {
            highlevel: 2,
            host: 1
        },
        "{}",
        first.to_json()
    );
    assert_eq!(
        notes_of(&c, &remote_ada).await,
        ["from highlevel", "from the host"]
    );
    let rows = note_rows(&host);
    assert_eq!(
        rows.iter().map(|r| r.2.as_str()).collect::<Vec<_>>(),
        ["about bea", "from highlevel", "from the host"]
    );
    assert!(
        rows.iter().all(|r| r.1.is_some()),
        "every host note names its member: {rows:?}"
    );
    let again = notes_pass(&c, &host, &settings).await;
    assert_eq!(again.notes, Default::default(), "{}", again.to_json());

    // An edit on each side, and a host delete.
    conn.execute("UPDATE notes SET body = 'from the host, edited', updated_at = ?1 WHERE body = 'from the host'", [now_ms()]).unwrap();
    conn.execute(
        "UPDATE notes SET deleted_at = ?1, updated_at = ?1 WHERE body = 'about bea'",
        [now_ms()],
    )
    .unwrap();
    let listed = c
        .call("notes.list", json!({"contactId": remote_ada}))
        .await
        .unwrap();
    let hl_note = listed["notes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["body"] == "from highlevel")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    c.call(
        "notes.update",
        json!({"contactId": remote_ada, "noteId": hl_note, "body": "from highlevel, edited"}),
    )
    .await
    .unwrap();
    let third = notes_pass(&c, &host, &settings).await;
    assert_eq!(
        third.notes.updated,
        contacts_core::sync::SideCounts {
            highlevel: 1,
            host: 1
        },
        "{}",
        third.to_json()
    );
    assert_eq!(third.notes.deleted.highlevel, 1, "{}", third.to_json());
    assert_eq!(
        notes_of(&c, &remote_ada).await,
        ["from highlevel, edited", "from the host, edited"]
    );
    assert!(
        note_rows(&host)
            .iter()
            .any(|r| r.2 == "from highlevel, edited")
    );
    let bea_contact = contacts(&sbx)
        .into_iter()
        .find(|x| x["email"] == "bea@example.com")
        .unwrap();
    assert!(
        notes_of(&c, bea_contact["id"].as_str().unwrap())
            .await
            .is_empty(),
        "the deleted note is gone"
    );

    // A pass killed after HighLevel answered a note's create: the rerun
    // finds that note by its body and makes no second one.
    conn.execute(
        "INSERT INTO notes (member_id, body, updated_at) VALUES (?1, 'made once', ?2)",
        rusqlite::params![ada, now_ms()],
    )
    .unwrap();
    let env = child_env(
        &sbx,
        dir.path(),
        &host,
        r#"{"name": "members", "reconcileEveryMs": 0, "overlapMs": 0, "leaseMs": 500}"#,
        "SYNC_NOTES",
    );
    super::killed_child(
        "sync::sync_child_process",
        env,
        "after-response:notes.create:1",
    )
    .await;
    let rerun = notes_pass(
        &c,
        &host,
        &SyncSettings::from_json(
            &json!({"name": "members", "reconcileEveryMs": 0, "overlapMs": 0, "leaseWaitMs": 5000}),
        )
        .unwrap(),
    )
    .await;
    assert_eq!(rerun.errors, 0, "{}", rerun.to_json());
    let bodies = notes_of(&c, &remote_ada).await;
    assert_eq!(
        bodies.iter().filter(|b| *b == "made once").count(),
        1,
        "{bodies:?}"
    );
    let host_copies = note_rows(&host)
        .iter()
        .filter(|r| r.2 == "made once")
        .count();
    assert_eq!(host_copies, 1, "and no copy came back to the host");
}

/// The environment of `sync_child_process` for one pass with `settings`,
/// syncing the kind `kind` (`SYNC_NOTES`, `SYNC_APPOINTMENTS`) too, or
/// contacts only (`SYNC_CONTACTS_ONLY`, which it does not read).
fn child_env(
    sbx: &Sandbox,
    dir: &Path,
    host: &Host,
    settings: &str,
    kind: &'static str,
) -> Vec<(&'static str, String)> {
    vec![
        ("SYNC_BASE_URL", sbx.base_url()),
        ("SYNC_PIT", sbx.pit().to_owned()),
        ("SYNC_LOCATION", sbx.location_id().to_owned()),
        ("SYNC_STATE", dir.join("sync.db").display().to_string()),
        ("SYNC_HOST", host.path.display().to_string()),
        ("SYNC_SETTINGS", settings.to_owned()),
        (kind, "1".to_owned()),
    ]
}

const APPOINTMENTS: &str = "CREATE TABLE appointments (id TEXT PRIMARY KEY, member_id INTEGER,
    title TEXT, startTime TEXT, endTime TEXT, status TEXT, calendarId TEXT,
    updated_at INTEGER NOT NULL, deleted_at INTEGER)";

/// The host's appointment rows: (id, member, title), by id.
fn appointment_rows(host: &Host) -> Vec<(String, Option<i64>, Option<String>)> {
    let conn = host.conn();
    let mut stmt = conn
        .prepare(
            "SELECT id, member_id, title FROM appointments WHERE deleted_at IS NULL ORDER BY id",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

async fn appointments_pass(c: &Client, host: &Host, settings: &SyncSettings) -> SyncReport {
    try_appointments_pass(c, host, settings).await.unwrap()
}

/// One pass of the members and their `appointments` table.
async fn try_appointments_pass(
    c: &Client,
    host: &Host,
    settings: &SyncSettings,
) -> contacts_core::Result<SyncReport> {
    let table = host.table();
    let appointments = SqliteTable::open(&host.path, "appointments").unwrap();
    let hosts = contacts_core::sync::SyncHosts {
        appointments: Some(contacts_core::sync::AppointmentHost {
            adapter: &appointments,
            contact_field: "member_id",
        }),
        ..contacts_core::sync::SyncHosts::contacts(&table)
    };
    c.sync_pass_with(&template(), hosts, settings, |_| {}).await
}

/// Books an appointment for `contact` on the sandbox's calendar, a day on.
async fn book(c: &Client, location: &str, contact: &str, title: &str) -> String {
    let slots = c
        .call("calendars.freeSlots", super::slots::free_slots_params())
        .await
        .unwrap();
    // Another slot per title, so two bookings do not take the same one.
    let slot = super::slots::free_slots(&slots).swap_remove(title.len() % 5);
    let booked = c
        .call(
            "appointments.create",
            json!({"calendarId": "cal_sandbox", "locationId": location,
                "contactId": contact, "startTime": slot, "title": title}),
        )
        .await
        .unwrap();
    booked["id"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appointments_reach_the_host_once_follow_their_edits_and_a_killed_write_is_not_made_twice()
{
    let sbx = sandbox(0).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, dir.path());
    let host = Host::create(dir.path());
    host.conn().execute(APPOINTMENTS, []).unwrap();
    let t = now_ms() - 60_000;
    let ada = host.insert("Ada Lovelace", Some("ada@example.com"), None, "London", t);
    let remote_ada = create_contact(
        &c,
        sbx.location_id(),
        json!({"firstName": "Ada", "lastName": "Lovelace", "email": "ada@example.com"}),
    )
    .await;
    let intro = book(&c, sbx.location_id(), &remote_ada, "Intro").await;
    let settings = SyncSettings::from_json(&json!({
        "name": "members",
        "deletes": {"fromHighLevel": "propagate"},
        "appointments": {"calendarIds": ["cal_sandbox"]},
    }))
    .unwrap();

    let first = appointments_pass(&c, &host, &settings).await;
    assert_eq!(first.appointments.created, 1, "{}", first.to_json());
    assert_eq!(
        appointment_rows(&host),
        [(intro.clone(), Some(ada), Some("Intro".to_owned()))],
        "the appointment names its host member, under HighLevel's id"
    );
    let before = sbx.api_requests();
    let again = appointments_pass(&c, &host, &settings).await;
    assert_eq!(
        (
            again.appointments.read,
            again.appointments.created,
            again.appointments.updated
        ),
        (1, 0, 0),
        "{}",
        again.to_json()
    );
    assert_eq!(
        sbx.api_requests() - before,
        2,
        "an idle pass: one search page, one events read of the one named calendar"
    );

    // An edit, then a delete, each followed by the host.
    c.call(
        "appointments.update",
        json!({"eventId": intro, "title": "Intro (moved)"}),
    )
    .await
    .unwrap();
    let edited = appointments_pass(&c, &host, &settings).await;
    assert_eq!(edited.appointments.updated, 1, "{}", edited.to_json());
    assert_eq!(
        appointment_rows(&host)[0].2.as_deref(),
        Some("Intro (moved)")
    );
    c.call("appointments.delete", json!({"eventId": intro}))
        .await
        .unwrap();
    let gone = appointments_pass(&c, &host, &settings).await;
    assert_eq!(gone.appointments.deleted, 1, "{}", gone.to_json());
    assert!(appointment_rows(&host).is_empty());

    // A pass killed after the host wrote an appointment, before its link
    // was kept: the rerun writes the same row again, not a second one.
    let follow_up = book(&c, sbx.location_id(), &remote_ada, "Follow-up").await;
    let env = child_env(
        &sbx,
        dir.path(),
        &host,
        r#"{"name": "members", "leaseMs": 500, "appointments": {"calendarIds": ["cal_sandbox"]}}"#,
        "SYNC_APPOINTMENTS",
    );
    super::killed_child(
        "sync::sync_child_process",
        env,
        &format!("before-store-commit:sync/members/a/{follow_up}"),
    )
    .await;
    assert_eq!(
        appointment_rows(&host).len(),
        1,
        "the killed pass wrote the row"
    );
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let rerun = appointments_pass(&c, &host, &settings).await;
    assert_eq!(
        appointment_rows(&host),
        [(follow_up.clone(), Some(ada), Some("Follow-up".to_owned()))],
        "{}",
        rerun.to_json()
    );

    // A link the sync did not write is a STATE error, and nothing is
    // written to the host for it.
    {
        use contacts_core::state::StateStore;
        let store = contacts_core::state::SqliteStore::open(dir.path().join("sync.db")).unwrap();
        let key = format!("sync/members/a/{follow_up}");
        store.put(&key, &json!({"host": 7}), None, 0).await.unwrap();
    }
    c.call(
        "appointments.update",
        json!({"eventId": follow_up, "title": "Follow-up (moved)"}),
    )
    .await
    .unwrap();
    let e = try_appointments_pass(&c, &host, &settings)
        .await
        .unwrap_err();
    assert_eq!(e.code(), contacts_core::ErrorCode::State, "{e}");
    assert!(e.message().contains("is corrupt"), "{e}");
    assert_eq!(appointment_rows(&host)[0].2.as_deref(), Some("Follow-up"));
}

#[test]
fn appointment_settings_and_record_fields_refuse_what_they_cannot_use() {
    for (settings, why) in [
        (
            json!({"name": "m", "appointments": []}),
            "must be {calendarIds?, windowMs?}",
        ),
        (
            json!({"name": "m", "appointments": {"calendarIds": [""]}}),
            "calendarIds[0]",
        ),
        (
            json!({"name": "m", "appointments": {"windowMs": 5}}),
            "windowMs: must be",
        ),
        (
            json!({"name": "m", "appointments": {"calendar": "x"}}),
            "expected one of calendarIds, windowMs",
        ),
    ] {
        let e = SyncSettings::from_json(&settings).unwrap_err();
        assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument);
        assert!(e.message().contains(why), "{settings}: {e}");
    }
    use contacts_core::sync::RecordFields;
    let f = RecordFields::from_json(&json!({"appointments": {"contactField": "owner"}})).unwrap();
    assert_eq!(
        (f.appointment_contact.as_str(), f.note_body.as_str()),
        ("owner", "body")
    );
    assert_eq!(
        RecordFields::from_json(&Value::Null).unwrap(),
        RecordFields::default()
    );
    for (bad, why) in [
        (json!({"note": {}}), "expected one of notes, appointments"),
        (json!({"notes": {"bodyField": ""}}), "notes.bodyField"),
        (
            json!({"appointments": {"contactField": 3}}),
            "appointments.contactField",
        ),
        (json!([]), "must be an object"),
    ] {
        let e = RecordFields::from_json(&bad).unwrap_err();
        assert!(e.message().contains(why), "{bad}: {e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn change_triggers_keep_a_plain_tables_stamps_and_its_deletes() {
    use contacts_core::sync::HostAdapter;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.db");
    let conn = Connection::open(&path).unwrap();
    conn.execute_batch(
        "CREATE TABLE people (id TEXT PRIMARY KEY, name TEXT);
         INSERT INTO people VALUES ('p1', 'One'), ('p2', 'Two');
         CREATE TABLE anonymous (name TEXT);",
    )
    .unwrap();
    let refused = SqliteTable::open(&path, "people").unwrap_err();
    assert!(
        refused.message().contains("--install-triggers"),
        "{refused}"
    );
    SqliteTable::install_triggers(&path, "people").unwrap();
    SqliteTable::install_triggers(&path, "people").unwrap();
    let table = SqliteTable::open(&path, "people").unwrap();
    let all = table.changes(None, 10).await.unwrap();
    assert_eq!(
        all.records
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        ["p1", "p2"],
        "the rows there before are logged once, though installed twice"
    );
    assert!(all.records.iter().all(|r| r.updated_ms > 0 && !r.deleted));
    std::thread::sleep(std::time::Duration::from_millis(5));
    conn.execute("UPDATE people SET name = 'Uno' WHERE id = 'p1'", [])
        .unwrap();
    conn.execute("DELETE FROM people WHERE id = 'p2'", [])
        .unwrap();
    let later = table.changes(all.checkpoint.as_deref(), 10).await.unwrap();
    let seen: Vec<(&str, bool, Option<&Value>)> = later
        .records
        .iter()
        .map(|r| (r.id.as_str(), r.deleted, r.fields.get("name")))
        .collect();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen.contains(&("p1", false, Some(&json!("Uno")))),
        "{seen:?}"
    );
    assert!(seen.contains(&("p2", true, None)), "{seen:?}");
    let written = table
        .upsert(contacts_core::sync::HostWrite {
            id: None,
            key: "contact-9",
            fields: json!({"name": "Nine"}).as_object().unwrap(),
            now_ms: 1,
        })
        .await
        .unwrap();
    assert_eq!(written.id, "contact-9");
    assert!(
        written.updated_ms > 1,
        "stamped by the trigger, not the caller"
    );
    for (table, why) in [
        ("anonymous", "no \"id\" column"),
        ("nothing", "does not exist"),
    ] {
        let e = SqliteTable::install_triggers(&path, table).unwrap_err();
        assert!(e.message().contains(why), "{table}: {e}");
    }
}
