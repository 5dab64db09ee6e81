//! Polling triggers end to end against a live sandbox on loopback, with the
//! per-record state in SQLite: what a poll costs (counted by the sandbox),
//! a burst of 10,000 changes under search lag, the same change by webhook
//! and by poll, and a poll whose checkpoint the host never kept. A module of
//! the native test.

use contacts_core::ErrorCode;
use contacts_core::native::Client;
use contacts_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A client of `sbx` whose state lives in `s.db` of the returned directory.
fn polling_client(sbx: &Sandbox) -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = contacts_core::state::SqliteStore::open(dir.path().join("s.db")).unwrap();
    let c = Client::new(super::pit_config(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
    ))
    .unwrap()
    .with_state(std::sync::Arc::new(store))
    .unwrap();
    (c, dir)
}

async fn sandbox(seed: u64, lag_ms: u64) -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed,
        search_lag_ms: lag_ms,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// Runs API-shaped requests in the sandbox outside the rate budget.
async fn batch(sbx: &Sandbox, requests: Vec<Value>) -> Vec<Value> {
    let http = reqwest::Client::new();
    let answer: Value = http
        .post(format!("{}/sandbox/batch", sbx.base_url()))
        .json(&json!({ "requests": requests }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    answer["results"].as_array().unwrap().clone()
}

fn create(email: &str, tags: &[&str]) -> Value {
    json!({"method": "POST", "path": "/contacts/", "body": {
        "locationId": contacts_sandbox::DEFAULT_LOCATION_ID, "email": email, "firstName": "New", "tags": tags}})
}

fn update(id: &str, first: &str) -> Value {
    json!({"method": "PUT", "path": format!("/contacts/{id}"), "body": {"firstName": first}})
}

fn tag(id: &str, t: &str) -> Value {
    json!({"method": "POST", "path": format!("/contacts/{id}/tags"), "body": {"tags": [t]}})
}

fn delete(id: &str) -> Value {
    json!({"method": "DELETE", "path": format!("/contacts/{id}")})
}

/// Every contact id of the location, by a walk outside any trigger.
async fn all_ids(c: &Client, location: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let mut after = Value::Null;
    loop {
        let mut params = json!({"locationId": location, "pageLimit": 500,
            "sort": [{"field": "dateAdded", "direction": "asc"}]});
        if !after.is_null() {
            params["searchAfter"] = after.clone();
        }
        let page = c.call("contacts.search", params).await.unwrap();
        let list = page["contacts"].as_array().unwrap();
        ids.extend(list.iter().map(|c| c["id"].as_str().unwrap().to_owned()));
        if list.len() < 500 {
            return ids;
        }
        after = list.last().unwrap()["searchAfter"].clone();
    }
}

const CONTACT_TRIGGERS: &str = "ContactCreate,ContactUpdate,ContactTagUpdate,ContactDelete";

/// `(type, id)` of each event, and each event by its key.
fn keyed(events: &[Value]) -> BTreeMap<(String, String), Value> {
    let mut out = BTreeMap::new();
    for e in events {
        let key = (
            e["type"].as_str().unwrap().to_owned(),
            e["id"].as_str().unwrap().to_owned(),
        );
        assert!(e["dedupeId"].as_str().is_some_and(|d| d.len() == 16), "{e}");
        assert!(
            out.insert(key.clone(), e.clone()).is_none(),
            "{key:?} reported twice"
        );
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_that_finds_nothing_costs_one_request() {
    let sbx = sandbox(40, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let first = c.poll(CONTACT_TRIGGERS, json!({}), None).await.unwrap();
    assert!(first.events.is_empty(), "the baseline reports nothing");
    assert_eq!(first.requests, 1, "40 contacts are one page");
    let before = sbx.api_requests();
    let idle = c
        .poll(CONTACT_TRIGGERS, json!({}), Some(&first.checkpoint))
        .await
        .unwrap();
    assert_eq!(idle.events, Vec::<Value>::new());
    assert_eq!((idle.requests, sbx.api_requests() - before), (1, 1));
    assert!(!idle.more);
    assert!(idle.checkpoint.len() <= contacts_core::triggers::MAX_CHECKPOINT_BYTES);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_contact_change_arrives_once_though_search_lags() {
    let sbx = sandbox(30, 1_500).await;
    let (c, _dir) = polling_client(&sbx);
    let location = sbx.location_id().to_owned();
    let ids = all_ids(&c, &location).await;
    let params = json!({"reconcileEveryMs": 0});
    let mut checkpoint = c
        .poll(CONTACT_TRIGGERS, params.clone(), None)
        .await
        .unwrap()
        .checkpoint;
    let made = batch(
        &sbx,
        vec![
            create("fresh@example.com", &[]),
            update(&ids[0], "Renamed"),
            tag(&ids[1], "vip"),
            delete(&ids[2]),
            create("brief@example.com", &[]),
        ],
    )
    .await;
    let fresh = made[0]["body"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let brief = made[4]["body"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    batch(&sbx, vec![update(&ids[0], "Renamed again"), delete(&brief)]).await;
    // Poll while the changes are still on their way to search, and after.
    let mut events = Vec::new();
    let started = Instant::now();
    while started.elapsed() < Duration::from_millis(3_000) {
        let out = c
            .poll(CONTACT_TRIGGERS, params.clone(), Some(&checkpoint))
            .await
            .unwrap();
        events.extend(out.events);
        checkpoint = out.checkpoint;
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    let got = keyed(&events);
    let want: BTreeSet<(String, String)> = [
        ("ContactCreate", fresh.as_str()),
        ("ContactUpdate", ids[0].as_str()),
        ("ContactTagUpdate", ids[1].as_str()),
        ("ContactDelete", ids[2].as_str()),
    ]
    .iter()
    .map(|(t, id)| (t.to_string(), id.to_string()))
    .collect();
    assert_eq!(got.keys().cloned().collect::<BTreeSet<_>>(), want);
    let renamed = &got[&("ContactUpdate".to_string(), ids[0].clone())];
    assert_eq!(renamed["firstName"], "Renamed again", "the last state");
    assert!(
        got[&("ContactTagUpdate".to_string(), ids[1].clone())]["tags"]
            .as_array()
            .unwrap()
            .contains(&json!("vip"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_triggers_params_and_checkpoints_are_refused_and_change_nothing() {
    let sbx = sandbox(5, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let first = c.poll("ContactCreate", json!({}), None).await.unwrap();
    let refused = |e: contacts_core::Error, needle: &str| {
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
        assert!(e.to_string().contains(needle), "{e} lacks {needle}");
    };
    let before = sbx.api_requests();
    refused(
        c.poll("ContactExplode", json!({}), None).await.unwrap_err(),
        "unknown trigger",
    );
    refused(
        c.poll("NoteDelete", json!({}), None).await.unwrap_err(),
        "only by webhook",
    );
    refused(
        c.poll("ContactCreate", json!({"maxRequests": 0}), None)
            .await
            .unwrap_err(),
        "maxRequests",
    );
    refused(
        c.poll("ContactCreate", json!({"pageLimt": 5}), None)
            .await
            .unwrap_err(),
        "pageLimt",
    );
    let cut = &first.checkpoint[..first.checkpoint.len() - 4];
    refused(
        c.poll("ContactCreate", json!({}), Some(cut))
            .await
            .unwrap_err(),
        "corrupt",
    );
    let edited = first.checkpoint.replace("\"g\":1", "\"g\":7");
    refused(
        c.poll("ContactCreate", json!({}), Some(&edited))
            .await
            .unwrap_err(),
        "corrupt",
    );
    let huge = "x".repeat(5_000);
    refused(
        c.poll("ContactCreate", json!({}), Some(&huge))
            .await
            .unwrap_err(),
        "4096",
    );
    refused(
        c.poll("ContactUpdate", json!({}), Some(&first.checkpoint))
            .await
            .unwrap_err(),
        "triggers",
    );
    refused(
        c.poll(
            "ContactCreate",
            json!({"locationId": "SBXlocOTHER000000001"}),
            Some(&first.checkpoint),
        )
        .await
        .unwrap_err(),
        "location",
    );
    assert_eq!(sbx.api_requests(), before, "nothing was sent");
    let again = c
        .poll("ContactCreate", json!({}), Some(&first.checkpoint))
        .await
        .unwrap();
    assert!(again.events.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_whose_checkpoint_was_not_kept_reports_its_events_again() {
    let sbx = sandbox(10, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let base = c.poll(CONTACT_TRIGGERS, json!({}), None).await.unwrap();
    let made = batch(&sbx, vec![create("once@example.com", &["a"])]).await;
    let id = made[0]["body"]["contact"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lost = c
        .poll(CONTACT_TRIGGERS, json!({}), Some(&base.checkpoint))
        .await
        .unwrap();
    assert_eq!(lost.events.len(), 1);
    // The host died before keeping `lost.checkpoint`: the rerun from the
    // old one reports the same event, with the same dedupe id.
    let rerun = c
        .poll(CONTACT_TRIGGERS, json!({}), Some(&base.checkpoint))
        .await
        .unwrap();
    assert_eq!(rerun.events, lost.events);
    assert_eq!(rerun.events[0]["id"], json!(id));
    let next = c
        .poll(CONTACT_TRIGGERS, json!({}), Some(&rerun.checkpoint))
        .await
        .unwrap();
    assert!(next.events.is_empty(), "{:?}", next.events);
}

/// A webhook receiver on loopback that answers 200 and keeps each body
/// with its headers.
async fn receiver() -> (String, Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<_>>> = Arc::default();
    let keep = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let keep = keep.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 8192];
                loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    let headers: Vec<(String, String)> = head
                        .lines()
                        .skip(1)
                        .filter_map(|l| l.split_once(':'))
                        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                        .collect();
                    let length: usize = headers
                        .iter()
                        .find(|(k, _)| k.eq_ignore_ascii_case("content-length"))
                        .and_then(|(_, v)| v.parse().ok())
                        .unwrap_or(0);
                    if buf.len() < end + 4 + length {
                        continue;
                    }
                    let body = buf[end + 4..end + 4 + length].to_vec();
                    keep.lock().unwrap().push((headers, body));
                    let _ = stream
                        .write_all(
                            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
                        )
                        .await;
                    return;
                }
            });
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_webhook_and_a_poll_of_the_same_change_carry_one_dedupe_id() {
    let (url, seen) = receiver().await;
    let sbx = Sandbox::start(SandboxConfig {
        seed: 3,
        webhook_urls: vec![url],
        ..Default::default()
    })
    .await
    .unwrap();
    let (c, _dir) = polling_client(&sbx);
    let ids = all_ids(&c, sbx.location_id()).await;
    let params = json!({"reconcileEveryMs": 0});
    let base = c
        .poll(CONTACT_TRIGGERS, params.clone(), None)
        .await
        .unwrap();
    let made = batch(
        &sbx,
        vec![
            create("hook@example.com", &[]),
            tag(&ids[0], "hooked-tag"),
            update(&ids[1], "Hooked"),
            delete(&ids[2]),
        ],
    )
    .await;
    assert!(
        made.iter().all(|r| r["status"].as_u64().unwrap() < 300),
        "{made:?}"
    );
    let polled = c
        .poll(CONTACT_TRIGGERS, params, Some(&base.checkpoint))
        .await
        .unwrap();
    let polled = keyed(&polled.events);
    assert_eq!(polled.len(), 4, "{polled:?}");
    let started = Instant::now();
    while seen.lock().unwrap().len() < 4 && started.elapsed() < Duration::from_secs(10) {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let verifier =
        contacts_core::webhooks::WebhookVerifier::from_public_keys(&[sbx.webhook_public_key_pem()])
            .unwrap();
    let deliveries = seen.lock().unwrap().clone();
    let mut matched = 0;
    for (headers, body) in deliveries {
        let hook = verifier
            .verify_json(&headers, &body, contacts_core::native::now_ms())
            .unwrap();
        let key = (
            hook["type"].as_str().unwrap().to_owned(),
            hook["id"].as_str().unwrap().to_owned(),
        );
        // The sandbox sends ContactUpdate for a PUT; the poll saw only what
        // the PUT changed. Every event both saw must carry one id.
        if let Some(event) = polled.get(&key) {
            assert_eq!(
                event["dedupeId"], hook["dedupeId"],
                "{key:?}: {hook} vs {event}"
            );
            matched += 1;
        }
    }
    assert_eq!(matched, 4, "every polled change also arrived by webhook");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_triggers_report_creates_completions_and_overdue_tasks() {
    let sbx = sandbox(4, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let ids = all_ids(&c, sbx.location_id()).await;
    let triggers = "TaskCreate,TaskComplete,TaskOverdue";
    let base = c.poll(triggers, json!({}), None).await.unwrap();
    assert!(base.events.is_empty());
    let due = |ms: i64| contacts_core::time::format_rfc3339_ms(ms);
    let now = contacts_core::native::now_ms() as i64;
    let late = c
        .call(
            "tasks.create",
            json!({"contactId": ids[0], "title": "Late", "dueDate": due(now - 60_000)}),
        )
        .await
        .unwrap();
    let soon = c
        .call(
            "tasks.create",
            json!({"contactId": ids[1], "title": "Soon", "dueDate": due(now + 3_600_000)}),
        )
        .await
        .unwrap();
    let tasks = c
        .call("tasks.list", json!({"contactId": ids[2]}))
        .await
        .unwrap();
    let existing = tasks["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["completed"] == false)
        .map(|t| t["id"].as_str().unwrap().to_owned());
    if let Some(task) = &existing {
        c.call(
            "tasks.complete",
            json!({"contactId": ids[2], "taskId": task, "completed": true}),
        )
        .await
        .unwrap();
    }
    let out = c
        .poll(triggers, json!({}), Some(&base.checkpoint))
        .await
        .unwrap();
    let got: BTreeSet<(String, String)> = keyed(&out.events).into_keys().collect();
    let late_id = late["task"]["id"].as_str().unwrap().to_owned();
    let soon_id = soon["task"]["id"].as_str().unwrap().to_owned();
    let mut want: BTreeSet<(String, String)> = [
        ("TaskCreate".to_string(), late_id.clone()),
        ("TaskCreate".to_string(), soon_id),
        ("TaskOverdue".to_string(), late_id),
    ]
    .into();
    if let Some(task) = existing {
        want.insert(("TaskComplete".to_string(), task));
    }
    assert_eq!(got, want);
    let again = c
        .poll(triggers, json!({}), Some(&out.checkpoint))
        .await
        .unwrap();
    assert!(again.events.is_empty(), "{:?}", again.events);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_ten_thousand_changes_is_read_completely_within_its_request_bound() {
    let seeded = 3_000u64;
    let sbx = sandbox(seeded, 2_000).await;
    let (c, _dir) = polling_client(&sbx);
    let ids = all_ids(&c, sbx.location_id()).await;
    assert_eq!(ids.len() as u64, seeded);
    let params = json!({"reconcileEveryMs": 0, "maxRequests": 1000});
    let base = c
        .poll(CONTACT_TRIGGERS, params.clone(), None)
        .await
        .unwrap();
    assert!(base.events.is_empty());

    // 10,000 changes, and the net effect the poll must report.
    let mut requests = Vec::new();
    let mut want: BTreeSet<(String, String)> = BTreeSet::new();
    let mut last_name: BTreeMap<String, String> = BTreeMap::new();
    for (i, id) in ids.iter().enumerate().take(2_500) {
        requests.push(update(id, &format!("U{i}")));
        last_name.insert(id.clone(), format!("U{i}"));
        want.insert(("ContactUpdate".into(), id.clone()));
    }
    for (i, id) in ids.iter().enumerate().take(500) {
        requests.push(update(id, &format!("V{i}")));
        last_name.insert(id.clone(), format!("V{i}"));
    }
    for id in &ids[2_500..2_800] {
        requests.push(tag(id, "burst"));
        want.insert(("ContactTagUpdate".into(), id.clone()));
    }
    for id in &ids[2_800..3_000] {
        requests.push(delete(id));
        want.insert(("ContactDelete".into(), id.clone()));
    }
    let creates = 10_000 - requests.len() - 2 * 250;
    for i in 0..creates {
        requests.push(create(&format!("burst{i}@example.com"), &[]));
    }
    for i in 0..250 {
        requests.push(create(&format!("gone{i}@example.com"), &[]));
    }
    assert_eq!(requests.len() + 250, 10_000);
    let first_create = requests.len() - creates - 250;
    let made = batch(&sbx, requests).await;
    let mut doomed = Vec::new();
    for (i, r) in made.iter().enumerate() {
        assert!(r["status"].as_u64().unwrap() < 300, "{i}: {r}");
        let id = || r["body"]["contact"]["id"].as_str().unwrap().to_owned();
        if i >= made.len() - 250 {
            doomed.push(delete(&id()));
        } else if i >= first_create {
            want.insert(("ContactCreate".into(), id()));
        }
    }
    batch(&sbx, doomed).await;
    tokio::time::sleep(Duration::from_millis(2_100)).await;

    let before = sbx.api_requests();
    let started = Instant::now();
    let out = c
        .poll(CONTACT_TRIGGERS, params.clone(), Some(&base.checkpoint))
        .await
        .unwrap();
    let wall = started.elapsed();
    assert!(!out.more);
    let got = keyed(&out.events);
    let got_keys: BTreeSet<_> = got.keys().cloned().collect();
    let missing: Vec<_> = want.difference(&got_keys).take(5).collect();
    let extra: Vec<_> = got_keys.difference(&want).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{} wanted, {} got; missing {missing:?}; extra {extra:?}",
        want.len(),
        got_keys.len()
    );
    for (id, name) in &last_name {
        let e = &got[&("ContactUpdate".to_string(), id.clone())];
        assert_eq!(e["firstName"], json!(name), "the last state of {id}");
    }
    let contacts_now = ids.len() - 200 + creates;
    let bound = 10_000u64.div_ceil(500) + (contacts_now as u64).div_ceil(500) + 2;
    let used = sbx.api_requests() - before;
    assert_eq!(used, out.requests);
    assert!(used <= bound, "{used} requests, over {bound}");
    eprintln!(
        "burst: {} events from 10000 changes in {used} requests (bound {bound}), {:.1} s",
        out.events.len(),
        wall.as_secs_f64()
    );
    let idle = c
        .poll(
            CONTACT_TRIGGERS,
            json!({"reconcileEveryMs": 3_600_000, "maxRequests": 1000}),
            Some(&out.checkpoint),
        )
        .await
        .unwrap();
    assert!(
        idle.events.is_empty(),
        "{} events after the burst",
        idle.events.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_cut_short_by_its_bound_goes_on_where_it_stopped() {
    let sbx = sandbox(20, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let params = json!({"pageLimit": 5, "maxRequests": 2});
    let mut out = c.poll("ContactCreate", params.clone(), None).await.unwrap();
    assert!(out.more, "20 contacts at 5 a page is 5 pages of baseline");
    while out.more {
        out = c
            .poll("ContactCreate", params.clone(), Some(&out.checkpoint))
            .await
            .unwrap();
    }
    let mut made = Vec::new();
    for i in 0..12 {
        made.push(create(&format!("cut{i}@example.com"), &[]));
    }
    let made = batch(&sbx, made).await;
    let want: BTreeSet<String> = made
        .iter()
        .map(|r| r["body"]["contact"]["id"].as_str().unwrap().to_owned())
        .collect();
    let mut got = BTreeSet::new();
    let mut polls = 0;
    loop {
        out = c
            .poll("ContactCreate", params.clone(), Some(&out.checkpoint))
            .await
            .unwrap();
        polls += 1;
        assert!(out.requests <= 2);
        for e in &out.events {
            assert!(
                got.insert(e["id"].as_str().unwrap().to_owned()),
                "{e} twice"
            );
        }
        if !out.more {
            break;
        }
        assert!(polls < 20);
    }
    assert_eq!(got, want);
    assert!(
        polls >= 2,
        "12 changes at 5 a page and 2 requests a poll take more than one"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn note_triggers_follow_the_contacts_whose_date_updated_moved() {
    let sbx = sandbox(3, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let ids = all_ids(&c, sbx.location_id()).await;
    let triggers = "NoteCreate,NoteUpdate";
    let base = c.poll(triggers, json!({}), None).await.unwrap();
    let existing = c
        .call("notes.list", json!({"contactId": ids[0]}))
        .await
        .unwrap();
    let old_note = existing["notes"][0]["id"].as_str().map(str::to_owned);
    let added = c
        .call(
            "notes.create",
            json!({"contactId": ids[0], "body": "Called back"}),
        )
        .await
        .unwrap();
    // A note on an otherwise untouched contact: HighLevel is not known to
    // move the contact's dateUpdated for it, and neither does the sandbox.
    c.call(
        "notes.create",
        json!({"contactId": ids[1], "body": "Unseen"}),
    )
    .await
    .unwrap();
    c.call(
        "contacts.update",
        json!({"contactId": ids[0], "city": "Lisbon"}),
    )
    .await
    .unwrap();
    let out = c
        .poll(triggers, json!({}), Some(&base.checkpoint))
        .await
        .unwrap();
    let got: Vec<(String, String)> = keyed(&out.events).into_keys().collect();
    let added_id = added["note"]["id"].as_str().unwrap().to_owned();
    assert_eq!(got, [("NoteCreate".to_string(), added_id.clone())]);
    assert_eq!(out.requests, 2, "the contact read and one contact's notes");
    // Once a contact's notes are known, an edit is NoteUpdate.
    c.call(
        "notes.update",
        json!({"contactId": ids[0], "noteId": added_id, "body": "Called back twice"}),
    )
    .await
    .unwrap();
    c.call(
        "contacts.update",
        json!({"contactId": ids[0], "city": "Porto"}),
    )
    .await
    .unwrap();
    let next = c
        .poll(triggers, json!({}), Some(&out.checkpoint))
        .await
        .unwrap();
    let got: Vec<(String, String)> = keyed(&next.events).into_keys().collect();
    assert_eq!(got, [("NoteUpdate".to_string(), added_id)]);
    assert_eq!(next.events[0]["body"], "Called back twice");
    assert!(old_note.is_none_or(|id| !got.iter().any(|(_, n)| *n == id)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appointment_triggers_read_each_calendar_over_a_window() {
    let sbx = sandbox(2, 0).await;
    let (c, _dir) = polling_client(&sbx);
    let ids = all_ids(&c, sbx.location_id()).await;
    let triggers = "AppointmentCreate,AppointmentUpdate";
    let calendars = c
        .call("calendars.list", json!({"locationId": sbx.location_id()}))
        .await
        .unwrap();
    let count = calendars["calendars"].as_array().unwrap().len() as u64;
    let base = c.poll(triggers, json!({}), None).await.unwrap();
    assert_eq!(base.requests, 1 + count);
    let slots = c
        .call("calendars.freeSlots", super::slots::free_slots_params())
        .await
        .unwrap();
    let slot = super::slots::free_slots(&slots).remove(0);
    let booked = c
        .call(
            "appointments.create",
            json!({"calendarId": "cal_sandbox", "locationId": sbx.location_id(),
                "contactId": ids[0], "startTime": slot, "title": "Intro"}),
        )
        .await
        .unwrap();
    let event_id = booked["id"].as_str().unwrap().to_owned();
    let params = json!({"calendarIds": ["cal_sandbox"]});
    let out = c
        .poll(triggers, params.clone(), Some(&base.checkpoint))
        .await
        .unwrap();
    assert_eq!(out.requests, 1, "one named calendar is one request");
    assert_eq!(out.events.len(), 1, "{:?}", out.events);
    assert_eq!(out.events[0]["type"], "AppointmentCreate");
    assert_eq!(out.events[0]["appointment"]["id"], json!(event_id));
    c.call(
        "appointments.update",
        json!({"eventId": event_id, "title": "Intro (moved)"}),
    )
    .await
    .unwrap();
    let next = c
        .poll(triggers, params, Some(&out.checkpoint))
        .await
        .unwrap();
    assert_eq!(next.events.len(), 1, "{:?}", next.events);
    assert_eq!(next.events[0]["type"], "AppointmentUpdate");
    assert_eq!(next.events[0]["appointment"]["title"], "Intro (moved)");
    let idle = c
        .poll(triggers, json!({}), Some(&next.checkpoint))
        .await
        .unwrap();
    assert!(idle.events.is_empty());
}
