//! The composite actions against the in-process sandbox on loopback.
//!
//! - `activity.feed` (its four reads go out together) against the same four
//!   reads made one after another, with the sandbox answering at once and
//!   with 20 ms of latency per request (a nearby region's round trip).
//! - `contacts.capture`: requests for a new lead, the same person under a
//!   new key, and a rerun of a finished key, counted by `Engine::stats` and
//!   printed before the timings (counts, not times: they do not drift).
//!
//! `cargo bench -p contacts-core --features native --bench actions`

use contacts_core::engine::EngineConfig;
use contacts_core::native::Client;
use contacts_core::{Config, Credentials};
use contacts_sandbox::{Budgets, Fault, Sandbox, SandboxConfig};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::sync::Arc;

/// A sandbox with `latency_ms` on every answer and a budget the bench never
/// reaches, so the engine never waits for room.
fn sandbox(rt: &tokio::runtime::Runtime, latency_ms: u64) -> Sandbox {
    rt.block_on(Sandbox::start(SandboxConfig {
        faults: if latency_ms > 0 {
            vec![Fault::Latency(latency_ms)]
        } else {
            Vec::new()
        },
        fault_every: 1,
        budgets: Budgets {
            burst_max: 1_000_000,
            interval_ms: 10_000,
            daily_max: 100_000_000,
            ..Default::default()
        },
        ..Default::default()
    }))
    .expect("the sandbox starts")
}

fn client(sbx: &Sandbox) -> Client {
    let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: sbx.pit().into(),
        location_id: Some(sbx.location_id().into()),
    });
    cfg.config = Config::new(&sbx.base_url());
    Client::new(cfg).expect("a client")
}

async fn call(c: &Client, op: &str, params: Value) -> Value {
    c.call(op, params)
        .await
        .unwrap_or_else(|e| panic!("{op}: {e}"))
}

/// A contact with three notes and three tasks; its id.
async fn contact_with_activity(c: &Client, location: &str) -> String {
    let made = call(
        c,
        "contacts.create",
        json!({"locationId": location, "firstName": "Feed", "email": "feed@example.com"}),
    )
    .await;
    let id = made["contact"]["id"].as_str().unwrap().to_owned();
    for i in 0..3 {
        call(
            c,
            "notes.create",
            json!({"contactId": id, "body": format!("note {i}")}),
        )
        .await;
        call(
            c,
            "tasks.create",
            json!({"contactId": id, "title": format!("task {i}"), "dueDate": format!("2030-01-0{}T10:00:00Z", i + 1), "completed": false}),
        )
        .await;
    }
    id
}

/// The feed's four reads, one after another.
async fn sequential(c: &Client, contact: &str, location: &str) {
    let by_contact = json!({ "contactId": contact });
    call(c, "notes.list", by_contact.clone()).await;
    call(c, "tasks.list", by_contact.clone()).await;
    call(c, "appointments.list", by_contact).await;
    call(c, "locations.get", json!({ "locationId": location })).await;
}

fn feed(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut group = c.benchmark_group("activity.feed");
    group.sample_size(20);
    for latency in [0u64, 20] {
        let sbx = sandbox(&rt, latency);
        let client = client(&sbx);
        let location = sbx.location_id().to_owned();
        let contact = rt.block_on(contact_with_activity(&client, &location));
        let before = client.engine().stats().requests;
        let items = rt.block_on(call(
            &client,
            "activity.feed",
            json!({ "contactId": contact }),
        ));
        assert_eq!(items["items"].as_array().map(Vec::len), Some(6), "{items}");
        assert_eq!(client.engine().stats().requests - before, 4);
        group.bench_function(BenchmarkId::new("feed", format!("{latency}ms")), |b| {
            b.iter(|| {
                rt.block_on(call(
                    &client,
                    "activity.feed",
                    json!({ "contactId": contact }),
                ))
            })
        });
        group.bench_function(
            BenchmarkId::new("sequential", format!("{latency}ms")),
            |b| b.iter(|| rt.block_on(sequential(&client, &contact, &location))),
        );
        rt.block_on(sbx.shutdown());
    }
    group.finish();
}

/// Prints what `contacts.capture` costs in requests.
fn capture_requests(_: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sbx = sandbox(&rt, 0);
    let store = contacts_core::state::MemoryStore::new();
    let c = client(&sbx).with_state(Arc::new(store)).unwrap();
    let lead = |key: &str| {
        json!({
            "idempotencyKey": key,
            "contact": {"email": "lin@example.com", "firstName": "Lin"},
            "tags": ["webinar"],
            "tasks": [
                {"title": "Call Lin", "dueAfter": "PT4H"},
                {"title": "Send the recording", "dueAfter": "P1D"},
                {"title": "Check in", "dueAfter": "P7D"}
            ],
            "note": "Came from the webinar form."
        })
    };
    let cost = |params: Value| {
        let before = c.engine().stats().requests;
        rt.block_on(call(&c, "contacts.capture", params));
        c.engine().stats().requests - before
    };
    let new_lead = cost(lead("bench-1"));
    let mut repeated = lead("bench-2");
    repeated["tasks"] = json!([]);
    repeated.as_object_mut().unwrap().remove("note");
    let repeated = cost(repeated);
    let replay = cost(lead("bench-1"));
    println!(
        "contacts.capture requests: new lead {new_lead} (bare minimum 6: upsert, tags, 3 tasks, note; \
         the 7th is the lookup that guards the primary email), repeated lead {repeated}, replay {replay}"
    );
    rt.block_on(sbx.shutdown());
}

criterion_group!(benches, capture_requests, feed);
criterion_main!(benches);
