//! The state store's rules, one suite run against every implementation
//! (memory, SQLite, Redis on a server of the test's own), then what only a file can show: reopening, corrupt and
//! foreign files, two OS processes sharing one file, and a process killed
//! mid-write.

use contacts_core::ErrorCode;
use contacts_core::state::{
    BoundStore, Budget, Lane, MemoryStore, OWNER_KEY, RateGrant, RateRequest, RedisSettings,
    RedisStore, ScopedStore, ServerSeen, SqliteStore, StateStore, Take, Versioned,
};
use serde_json::{Value, json};
use std::future::Future;
use std::process::Command;
use std::sync::Arc;

#[path = "support/redis_server.rs"]
mod redis_server;

thread_local! {
    static RUNTIME: tokio::runtime::Runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
}

/// Runs a store's future to the end (Redis's on a runtime; the others are
/// ready at once).
fn now<T>(f: impl Future<Output = T>) -> T {
    RUNTIME.with(|rt| rt.block_on(f))
}

/// What keeps a store alive: its file's directory, its Redis server.
type Keep = Box<dyn std::any::Any>;

fn stores() -> Vec<(&'static str, Arc<dyn StateStore>, Option<Keep>)> {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = SqliteStore::open(dir.path().join("state.db")).unwrap();
    let server = redis_server::RedisServer::start();
    let redis = RedisStore::new(RedisSettings::new(server.url()), "loc-1").unwrap();
    vec![
        ("memory", Arc::new(MemoryStore::new()), None),
        ("scoped", scoped_beside_another(), None),
        ("sqlite", Arc::new(sqlite), Some(Box::new(dir))),
        ("redis", Arc::new(redis), Some(Box::new(server))),
    ]
}

/// A scope of a memory store that another scope also writes: the suite
/// must see none of the other's keys.
fn scoped_beside_another() -> Arc<dyn StateStore> {
    let shared: Arc<dyn StateStore> = Arc::new(MemoryStore::new());
    let other = ScopedStore::new(shared.clone(), "loc-2:");
    for key in ["a", "b", "k", "p/1", "rate"] {
        now(other.put(key, &json!("other's"), None, 0)).unwrap();
    }
    Arc::new(ScopedStore::new(shared, "loc-1:"))
}

fn value_of(entry: Option<Versioned>) -> Option<Value> {
    entry.map(|e| e.value)
}

#[test]
fn put_get_and_versions_that_never_repeat() {
    for (name, store, _dir) in stores() {
        assert_eq!(now(store.get("a", 0)).unwrap(), None, "{name}");
        let v1 = now(store.put("a", &json!({"n": 1}), None, 0)).unwrap();
        let v2 = now(store.put("b", &json!("x"), None, 0)).unwrap();
        assert!(v2 > v1, "{name}: one sequence per store");
        let got = now(store.get("a", 0)).unwrap().unwrap();
        assert_eq!((got.value, got.version), (json!({"n": 1}), v1), "{name}");
        assert!(now(store.delete("a", 0)).unwrap(), "{name}");
        assert!(!now(store.delete("a", 0)).unwrap(), "{name}: already gone");
        let v3 = now(store.put("a", &json!({"n": 2}), None, 0)).unwrap();
        assert!(
            v3 > v2,
            "{name}: a key written again gets a new version, not 1"
        );
    }
}

#[test]
fn compare_and_set_writes_only_over_the_expected_version() {
    for (name, store, _dir) in stores() {
        let v1 = now(store.compare_and_set("k", None, &json!(1), None, 0))
            .unwrap()
            .expect("create-only on an absent key");
        assert_eq!(
            now(store.compare_and_set("k", None, &json!(2), None, 0)).unwrap(),
            None,
            "{name}: create-only over a live key"
        );
        let v2 = now(store.compare_and_set("k", Some(v1), &json!(3), None, 0))
            .unwrap()
            .expect("the expected version");
        assert_eq!(
            now(store.compare_and_set("k", Some(v1), &json!(4), None, 0)).unwrap(),
            None,
            "{name}: a stale version"
        );
        assert_eq!(
            value_of(now(store.get("k", 0)).unwrap()),
            Some(json!(3)),
            "{name}"
        );
        assert!(v2 > v1);
        // After a delete and a new write, the old version matches nothing.
        now(store.delete("k", 0)).unwrap();
        now(store.put("k", &json!(5), None, 0)).unwrap();
        assert_eq!(
            now(store.compare_and_set("k", Some(v1), &json!(6), None, 0)).unwrap(),
            None,
            "{name}: no ABA"
        );
    }
}

#[test]
fn entries_expire_at_their_time_to_live() {
    for (name, store, _dir) in stores() {
        let v = now(store.put("t", &json!("soon gone"), Some(1_000), 5_000)).unwrap();
        assert!(now(store.get("t", 5_999)).unwrap().is_some(), "{name}");
        assert_eq!(
            now(store.get("t", 6_000)).unwrap(),
            None,
            "{name}: expired at now + ttl"
        );
        assert_eq!(
            now(store.compare_and_set("t", Some(v), &json!(1), None, 6_000)).unwrap(),
            None,
            "{name}: an expired entry's version matches nothing"
        );
        assert!(
            now(store.compare_and_set("t", None, &json!(1), None, 6_000))
                .unwrap()
                .is_some(),
            "{name}: an expired key is absent"
        );
        assert!(!now(store.delete("gone", 6_000)).unwrap());
        now(store.put("d", &json!(1), Some(10), 0)).unwrap();
        assert!(
            !now(store.delete("d", 10)).unwrap(),
            "{name}: deleting an expired entry"
        );
    }
}

#[test]
fn list_by_prefix_in_key_order_with_a_limit() {
    for (name, store, _dir) in stores() {
        for key in ["run/2", "run/1", "run0", "ru", "run/3", "other/1"] {
            now(store.put(key, &json!(key), None, 0)).unwrap();
        }
        now(store.put("run/0", &json!("expired"), Some(5), 0)).unwrap();
        let keys = |limit| -> Vec<String> {
            now(store.list("run/", limit, 10))
                .unwrap()
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        assert_eq!(keys(10), ["run/1", "run/2", "run/3"], "{name}");
        assert_eq!(keys(2), ["run/1", "run/2"], "{name}");
        let all = now(store.list("", 100, 10)).unwrap();
        assert_eq!(
            all.len(),
            6,
            "{name}: the empty prefix lists every live entry"
        );
        assert_eq!(
            all[0].1.value,
            json!("other/1"),
            "{name}: values come along"
        );
    }
}

#[test]
fn pages_after_a_key_and_removes_a_whole_prefix() {
    for (name, store, _dir) in stores() {
        for key in ["w/3", "w/1", "w/2", "w/4", "w0", "v/1", "x"] {
            now(store.put(key, &json!(key), None, 0)).unwrap();
        }
        now(store.put("w/25", &json!("expired"), Some(5), 0)).unwrap();
        let page = |after: &str, limit| -> Vec<String> {
            now(store.list_after("w/", after, limit, 10))
                .unwrap()
                .into_iter()
                .map(|(k, _)| k)
                .collect()
        };
        assert_eq!(page("", 2), ["w/1", "w/2"], "{name}: the first page");
        assert_eq!(
            page("w/2", 2),
            ["w/3", "w/4"],
            "{name}: the next, expired left out"
        );
        assert_eq!(page("w/4", 2), Vec::<String>::new(), "{name}: the end");
        assert_eq!(page("a", 10).len(), 4, "{name}: an after before the prefix");
        let walked = now(store.list_after("w/", "w/1", 1, 10)).unwrap();
        assert_eq!(walked[0].1.value, json!("w/2"), "{name}: values come along");

        now(store.delete_prefix("w/", 10)).unwrap();
        assert!(now(store.list("w/", 10, 10)).unwrap().is_empty(), "{name}");
        for kept in ["w0", "v/1", "x"] {
            assert!(
                now(store.get(kept, 10)).unwrap().is_some(),
                "{name}: {kept} is outside the prefix and stays"
            );
        }
        let bad = now(store.delete_prefix("", 10)).unwrap_err();
        assert_eq!(bad.code(), ErrorCode::InvalidArgument, "{name}: {bad}");
    }
}

#[test]
fn take_from_budget_grants_up_to_the_limit_per_window() {
    let budget = Budget {
        limit: 3,
        window_ms: 1_000,
    };
    for (name, store, _dir) in stores() {
        let take = |units, at| now(store.take("b", units, budget, at)).unwrap();
        assert_eq!(
            take(2, 100),
            Take {
                granted: true,
                remaining: 1,
                resets_at_ms: 1_100
            },
            "{name}"
        );
        assert_eq!(
            take(2, 200),
            Take {
                granted: false,
                remaining: 1,
                resets_at_ms: 1_100
            },
            "{name}: refused, and nothing taken"
        );
        assert!(take(1, 300).granted, "{name}");
        assert!(!take(1, 1_099).granted, "{name}");
        assert_eq!(
            take(3, 1_100),
            Take {
                granted: true,
                remaining: 0,
                resets_at_ms: 2_100
            },
            "{name}: a new window"
        );
        assert!(
            !now(store.take("big", 4, budget, 0)).unwrap().granted,
            "{name}: more than the limit"
        );
        let zero = Budget {
            limit: 3,
            window_ms: 0,
        };
        let e = now(store.take("b", 1, zero, 0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}");
    }
}

/// The rate rule gives the same answers on every store: the generic
/// compare-and-set loop and Redis's script.
#[test]
fn the_rate_rule_answers_alike_on_every_store() {
    let script: Vec<(u64, Lane, Option<ServerSeen>)> = vec![
        (
            0,
            Lane::Interactive,
            Some(ServerSeen {
                at_ms: 0,
                burst_used: Some(2),
                daily_remaining: Some(6),
            }),
        ),
        (0, Lane::Interactive, None),
        (0, Lane::Interactive, None),
        (0, Lane::Background, None),
        (500, Lane::Background, None),
        (1019, Lane::Interactive, None),
        (1020, Lane::Background, None),
        (1020, Lane::Interactive, None),
        (1100, Lane::Background, None),
        (1300, Lane::Background, None),
        (1300, Lane::Interactive, None),
        (1400, Lane::Interactive, None),
        (2000, Lane::Interactive, None),
        (2500, Lane::Interactive, None),
        (2501, Lane::Background, None),
        (
            3500,
            Lane::Interactive,
            Some(ServerSeen {
                at_ms: 3400,
                burst_used: None,
                daily_remaining: Some(40),
            }),
        ),
        (
            3600,
            Lane::Background,
            Some(ServerSeen {
                at_ms: 3590,
                burst_used: Some(4),
                daily_remaining: None,
            }),
        ),
    ];
    let mut answers: Vec<(&str, Vec<RateGrant>)> = Vec::new();
    for (name, store, _keep) in stores() {
        let mut got = Vec::new();
        for &(at, lane, seen) in &script {
            let req = RateRequest {
                burst_max: 4,
                span_ms: 1020,
                lane,
                daily_probe_ms: 1000,
                seen,
            };
            got.push(now(store.reserve_rate("rate:app", req, at)).unwrap());
        }
        answers.push((name, got));
    }
    let (_, first) = &answers[0];
    let kinds = |k: fn(&RateGrant) -> bool| first.iter().filter(|g| k(g)).count();
    assert_eq!(
        (
            kinds(|g| *g == RateGrant::Go),
            kinds(|g| matches!(g, RateGrant::Wait(_))),
            kinds(|g| matches!(g, RateGrant::DailySpent { .. }))
        ),
        (8, 7, 2),
        "{first:?}"
    );
    for (name, got) in &answers[1..] {
        assert_eq!(got, first, "{name} answers as memory does");
    }
}

/// A budget above the exact size is counted in groups: the same answers on
/// every store (Rust's rule and the Lua script), a state of a few dozen
/// groups, and no span with more than the limit.
#[test]
fn a_large_budget_is_grouped_alike_on_every_store() {
    let mut answers: Vec<(&str, Vec<RateGrant>)> = Vec::new();
    for (name, store, _keep) in stores() {
        let (mut at, mut got, mut sent) = (0u64, Vec::new(), Vec::new());
        for i in 0..2_000u64 {
            let seen = (i == 900).then_some(ServerSeen {
                at_ms: at,
                burst_used: Some(450),
                daily_remaining: None,
            });
            let req = RateRequest {
                burst_max: 500,
                span_ms: 1_000,
                lane: if i % 5 == 0 {
                    Lane::Background
                } else {
                    Lane::Interactive
                },
                daily_probe_ms: 1_000,
                seen,
            };
            let grant = now(store.reserve_rate("rate:big", req, at)).unwrap();
            match grant {
                RateGrant::Go => sent.push(at),
                RateGrant::Wait(ms) => at += ms.min(7),
                RateGrant::DailySpent { .. } => panic!("{name}: no daily limit here"),
            }
            at += i % 2;
            got.push(grant);
        }
        for (i, t) in sent.iter().enumerate() {
            let in_span = sent[i..].iter().filter(|&&u| u < t + 1_000).count();
            assert!(
                in_span <= 500,
                "{name}: {in_span} sends within a span from {t}"
            );
        }
        assert!(sent.len() > 800, "{name}: {} sent", sent.len());
        answers.push((name, got));
    }
    let (_, first) = &answers[0];
    for (name, got) in &answers[1..] {
        assert_eq!(got, first, "{name} answers as memory does");
    }
    let memory = MemoryStore::new();
    let req = RateRequest {
        burst_max: 500,
        span_ms: 1_000,
        lane: Lane::Interactive,
        daily_probe_ms: 1_000,
        seen: None,
    };
    for at in 0..400 {
        now(memory.reserve_rate("rate:big", req, at)).unwrap();
    }
    let state = now(memory.get("rate:big", 400)).unwrap().unwrap().value;
    let groups = state["s"].as_array().unwrap().len();
    assert!(groups <= 65, "{groups} groups for 400 sends");
}

#[test]
fn bad_keys_are_refused_before_anything_is_read() {
    for (name, store, _dir) in stores() {
        let long = "k".repeat(513);
        for key in ["", long.as_str(), "a\nb", "nul\0"] {
            let e = now(store.put(key, &json!(1), None, 0)).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}: {key:?}");
            let e = now(store.get(key, 0)).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}: {key:?}");
        }
        // A scope's prefix takes its share of the 512 bytes.
        let longest = if name == "scoped" {
            512 - "loc-1:".len()
        } else {
            512
        };
        assert!(
            now(store.put(&"k".repeat(longest), &json!(1), None, 0)).is_ok(),
            "{name}"
        );
        let e = now(store.put(&"k".repeat(longest + 1), &json!(1), None, 0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}");
        assert!(
            now(store.put("ünïcødé/🙂", &json!(1), None, 0)).is_ok(),
            "{name}"
        );
    }
}

#[test]
fn a_bound_store_claims_its_owner_and_refuses_another_locations() {
    for (name, store, _dir) in stores() {
        let mine = BoundStore::new(store.clone(), "location:loc-a");
        now(mine.put("capture/1", &json!({"step": 1}), None, 0)).unwrap();
        assert_eq!(
            value_of(now(store.get(OWNER_KEY, 0)).unwrap()),
            Some(json!({"owner": "location:loc-a"})),
            "{name}: the first use claims the store"
        );
        let theirs = BoundStore::new(store.clone(), "location:loc-b");
        let e = now(theirs.get("capture/1", 0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::State, "{name}");
        assert!(e.message().contains("location:loc-a"), "{name}: {e}");
        // Fails closed on every operation, writes included.
        assert_eq!(
            now(theirs.put("x", &json!(1), None, 0)).unwrap_err().code(),
            ErrorCode::State
        );
        assert_eq!(
            now(theirs.list("", 10, 0)).unwrap_err().code(),
            ErrorCode::State
        );
        assert_eq!(
            now(store.get("x", 0)).unwrap(),
            None,
            "{name}: nothing written"
        );
        // The runtime's own keys are not a program's to write or list.
        let e = now(mine.put(OWNER_KEY, &json!({"owner": "location:loc-b"}), None, 0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{name}");
        let listed: Vec<String> = now(mine.list("", 10, 0))
            .unwrap()
            .into_iter()
            .map(|(k, _)| k)
            .collect();
        assert_eq!(listed, ["capture/1"], "{name}");
    }
}

#[test]
fn an_owner_record_libcontacts_did_not_write_fails_closed() {
    for (name, store, _dir) in stores() {
        now(store.put(OWNER_KEY, &json!(["not", "an", "owner"]), None, 0)).unwrap();
        let bound = BoundStore::new(store, "location:loc-a");
        let e = now(bound.get("k", 0)).unwrap_err();
        assert_eq!(e.code(), ErrorCode::State, "{name}: {e}");
    }
}

#[test]
fn a_sqlite_store_keeps_its_entries_across_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let v = {
        let store = SqliteStore::open(&path).unwrap();
        now(store.put("k", &json!({"kept": true}), None, 0)).unwrap()
    };
    let store = SqliteStore::open(&path).unwrap();
    let got = now(store.get("k", 0)).unwrap().unwrap();
    assert_eq!((got.value, got.version), (json!({"kept": true}), v));
    assert!(
        now(store.put("k2", &json!(1), None, 0)).unwrap() > v,
        "the sequence survives too"
    );
}

#[test]
fn a_file_that_is_not_a_store_is_refused_with_a_state_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    std::fs::write(
        &path,
        b"this is a checkpoint file from somewhere else, not SQLite at all",
    )
    .unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State, "{e}");
    assert!(e.message().contains("state.db"), "names the file: {e}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"this is a checkpoint file from somewhere else, not SQLite at all",
        "the file is left as it was"
    );
    let e = SqliteStore::open(dir.path().join("no/such/dir/state.db")).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State, "{e}");
}

#[test]
fn a_corrupt_entry_or_a_newer_layout_is_a_state_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute(
        "INSERT INTO libcontacts_entries VALUES ('bad', '{\"truncated\": ', 7, NULL)",
        [],
    )
    .unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let e = now(store.get("bad", 0)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State);
    assert!(e.message().contains("\"bad\""), "names the key: {e}");
    let e = now(store.list("", 10, 0)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State);
    raw.execute(
        "UPDATE libcontacts_meta SET value = 99 WHERE name = 'schema'",
        [],
    )
    .unwrap();
    let e = SqliteStore::open(&path).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State);
    assert!(e.message().contains("newer"), "{e}");
}

/// The roles a child process of this test binary plays, chosen by
/// `STATE_CHILD` (empty: this is the parent, the test does nothing).
#[test]
fn child_process_role() {
    let Ok(role) = std::env::var("STATE_CHILD") else {
        return;
    };
    let path = std::env::var("STATE_FILE").unwrap();
    let store = SqliteStore::open(&path).unwrap();
    let rounds: u64 = std::env::var("STATE_ROUNDS").unwrap().parse().unwrap();
    match role.as_str() {
        // Increments one counter by compare-and-set, retrying on conflict.
        "increment" => {
            for _ in 0..rounds {
                loop {
                    let current = now(store.get("counter", 0)).unwrap();
                    let (n, version) = match &current {
                        Some(e) => (e.value["n"].as_u64().unwrap(), Some(e.version)),
                        None => (0, None),
                    };
                    let next = json!({"n": n + 1, "pad": "x".repeat(200)});
                    if now(store.compare_and_set("counter", version, &next, None, 0))
                        .unwrap()
                        .is_some()
                    {
                        break;
                    }
                }
            }
        }
        // Takes one unit at a time from a shared budget; prints how many it got.
        "take" => {
            let budget = Budget {
                limit: 150,
                window_ms: 3_600_000,
            };
            let granted = (0..rounds)
                .filter(|_| now(store.take("budget", 1, budget, 1_000)).unwrap().granted)
                .count();
            println!("GRANTED {granted}");
        }
        other => panic!("unknown role {other}"),
    }
}

fn child(role: &str, path: &std::path::Path, rounds: u64) -> Command {
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "child_process_role",
        "--nocapture",
        "--test-threads=1",
    ])
    .env("STATE_CHILD", role)
    .env("STATE_FILE", path)
    .env("STATE_ROUNDS", rounds.to_string());
    cmd
}

#[test]
fn two_processes_share_one_file_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    drop(SqliteStore::open(&path).unwrap());
    let kids: Vec<_> = (0..2)
        .map(|_| child("increment", &path, 200).spawn().unwrap())
        .collect();
    for mut kid in kids {
        assert!(kid.wait().unwrap().success());
    }
    let store = SqliteStore::open(&path).unwrap();
    let counter = now(store.get("counter", 0)).unwrap().unwrap();
    assert_eq!(
        counter.value["n"], 400,
        "no increment lost between two processes"
    );

    let kids: Vec<_> = (0..2)
        .map(|_| {
            child("take", &path, 100)
                .stdout(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let granted: usize = kids
        .into_iter()
        .map(|kid| {
            let out = kid.wait_with_output().unwrap();
            assert!(out.status.success());
            let text = String::from_utf8(out.stdout).unwrap();
            // The harness may print its own words on the same line.
            let at = text.find("GRANTED ").expect("the child reports its takes");
            let digits: String = text[at + 8..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<usize>().unwrap()
        })
        .sum();
    assert_eq!(
        granted, 150,
        "200 takes from two processes against a limit of 150"
    );
}

#[test]
fn a_writer_killed_at_any_moment_leaves_a_store_that_opens_and_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let mut last = 0;
    // Five kills at different moments of a busy writer (bounded: each
    // round waits at most a few seconds for the writer to make progress).
    for round in 0..5u64 {
        let mut kid = child("increment", &path, 1_000_000).spawn().unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let target = last + 5 + round * 7;
        loop {
            assert!(
                std::time::Instant::now() < deadline,
                "the writer made no progress"
            );
            std::thread::sleep(std::time::Duration::from_millis(5 + round * 3));
            let seen = SqliteStore::open(&path)
                .ok()
                .and_then(|s| now(s.get("counter", 0)).ok().flatten())
                .map_or(0, |e| e.value["n"].as_u64().unwrap());
            if seen >= target {
                break;
            }
        }
        // SIGKILL: no destructor, no flush, no chance to finish a write.
        kid.kill().unwrap();
        kid.wait().unwrap();
        let store = SqliteStore::open(&path).expect("the file opens after a kill -9");
        let counter = now(store.get("counter", 0))
            .unwrap()
            .expect("the counter is there");
        let n = counter.value["n"].as_u64().unwrap();
        assert!(
            n >= last,
            "round {round}: a committed increment was lost ({n} < {last})"
        );
        assert_eq!(
            counter.value["pad"].as_str().unwrap().len(),
            200,
            "the value is whole"
        );
        last = n;
    }
}

/// A transport that answers every `contacts.get` itself.
#[derive(Clone, Debug)]
struct Canned;

impl contacts_core::driver::Transport for Canned {
    async fn send(
        &self,
        _out: contacts_core::engine::Outgoing,
    ) -> Result<contacts_core::HttpResponse, contacts_core::driver::SendError> {
        Ok(contacts_core::HttpResponse::new(
            200,
            r#"{"contact":{"id":"c1"}}"#,
        ))
    }
    async fn sleep(&self, _ms: u64) {}
    fn now_ms(&self) -> u64 {
        1_000
    }
}

fn driver(credentials: contacts_core::Credentials) -> contacts_core::driver::Driver<Canned> {
    use contacts_core::engine::{Engine, EngineConfig};
    contacts_core::driver::Driver::new(Engine::new(EngineConfig::new(credentials)), Canned)
}

fn pit_of(location: &str) -> contacts_core::Credentials {
    contacts_core::Credentials::PrivateIntegrationToken {
        token: "pit-x".into(),
        location_id: Some(location.into()),
    }
}

#[test]
fn a_driver_binds_its_store_to_the_credentials_location() {
    let store: Arc<dyn StateStore> = Arc::new(MemoryStore::new());
    let e = driver(contacts_core::Credentials::pit("pit-x"))
        .with_state(store.clone())
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    let e = driver(pit_of("loc-a"))
        .state("contacts.capture")
        .unwrap_err();
    assert!(e.message().contains("contacts.capture"), "{e}");

    let a = driver(pit_of("loc-a")).with_state(store.clone()).unwrap();
    now(a.state("test").unwrap().put("k", &json!(1), None, 0)).unwrap();
    let b = driver(pit_of("loc-b")).with_state(store).unwrap();
    let e = now(b.state("test").unwrap().get("k", 0)).unwrap_err();
    assert_eq!(e.code(), ErrorCode::State, "{e}");
}

#[test]
fn the_nth_response_failpoint_fails_exactly_that_step() {
    use contacts_core::failpoint::{Action, set};
    // Only this test makes contacts.get calls in this binary, so the counts
    // are its own.
    set("after-response:contacts.get:2", Action::Error);
    let d = driver(pit_of("loc-a"));
    let call = || now(d.call("contacts.get", json!({"contactId": "c1"})));
    assert!(call().is_ok(), "the 1st response");
    let e = call().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Transport);
    assert!(e.message().contains("after-response:contacts.get:2"), "{e}");
    assert!(call().is_ok(), "the 3rd response");
    // Clearing restarts the counts and disarms every point.
    contacts_core::failpoint::clear();
    set("after-response:contacts.get:1", Action::Error);
    assert!(call().is_err(), "the 1st response since clearing");
    contacts_core::failpoint::clear();
    assert!(call().is_ok(), "nothing armed");
}

/// A child that writes `a`, then dies just before writing `b`.
#[test]
fn child_killed_before_a_commit() {
    if std::env::var("STATE_KILL_CHILD").is_err() {
        return;
    }
    let path = std::env::var("STATE_FILE").unwrap();
    let store = BoundStore::new(
        Arc::new(SqliteStore::open(&path).unwrap()),
        "location:loc-a",
    );
    now(store.put("a", &json!("written"), None, 0)).unwrap();
    now(store.put("b", &json!("never"), None, 0)).unwrap();
    unreachable!("the failpoint aborts before b is written");
}

#[test]
fn a_process_aborted_before_a_store_commit_keeps_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.db");
    let status = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "child_killed_before_a_commit", "--nocapture"])
        .env("STATE_KILL_CHILD", "1")
        .env("STATE_FILE", &path)
        .env("LIBCONTACTS_FAILPOINTS", "before-store-commit:b=abort")
        .stderr(std::process::Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success(), "the child died at the failpoint");
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(
        status.signal(),
        Some(6),
        "SIGABRT: ended at once, not unwound"
    );
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        value_of(now(store.get("a", 0)).unwrap()),
        Some(json!("written"))
    );
    assert_eq!(now(store.get("b", 0)).unwrap(), None);
    assert_eq!(
        value_of(now(store.get(OWNER_KEY, 0)).unwrap()),
        Some(json!({"owner": "location:loc-a"}))
    );
}
