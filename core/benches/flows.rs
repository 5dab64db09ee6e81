//! What a flow adds to the requests it makes, per event: one host event
//! dispatched through a two-step flow (a task, then a note naming it)
//! against the same two calls made directly, against the in-process
//! sandbox on loopback. The flow's run log in memory, then in SQLite (a
//! file, as the CLI keeps it). The overhead is the difference of medians;
//! each event is new, so every dispatch runs both steps.
//!
//! `cargo bench -p contacts-core --features native --bench flows`

use contacts_core::engine::EngineConfig;
use contacts_core::flows::{Flow, RunState};
use contacts_core::native::Client;
use contacts_core::state::{MemoryStore, SqliteStore, StateStore};
use contacts_core::{Config, Credentials};
use contacts_sandbox::{Budgets, Sandbox, SandboxConfig};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

fn sandbox(rt: &tokio::runtime::Runtime) -> Sandbox {
    rt.block_on(Sandbox::start(SandboxConfig {
        budgets: Budgets {
            burst_max: 10_000_000,
            interval_ms: 10_000,
            daily_max: 1_000_000_000,
            ..Default::default()
        },
        ..Default::default()
    }))
    .expect("the sandbox starts")
}

fn client(sbx: &Sandbox, store: Arc<dyn StateStore>) -> Client {
    let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: sbx.pit().into(),
        location_id: Some(sbx.location_id().into()),
    });
    cfg.config = Config::new(&sbx.base_url());
    Client::new(cfg)
        .expect("a client")
        .with_state(store)
        .expect("a state store")
}

fn flows(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sbx = sandbox(&rt);
    let dir = tempfile::tempdir().unwrap();
    let memory = client(&sbx, Arc::new(MemoryStore::new()));
    let sqlite = client(
        &sbx,
        Arc::new(SqliteStore::open(dir.path().join("flows.db")).unwrap()),
    );
    let made = rt
        .block_on(memory.call(
            "contacts.create",
            json!({"locationId": sbx.location_id(), "firstName": "Bench", "email": "bench@example.com"}),
        ))
        .unwrap();
    let contact = made["contact"]["id"].as_str().unwrap().to_owned();
    let flow = Flow::load(&json!({
        "name": "bench-follow-up",
        "trigger": {"hostEvent": "bench"},
        "steps": [
            {"name": "task", "action": "tasks.create", "params": {"contactId": "{{event.data.contactId}}", "title": "Call", "dueDate": "{{now | after:P1D}}"}},
            {"name": "note", "action": "notes.create", "params": {"contactId": "{{event.data.contactId}}", "body": "Task {{steps.task.result.task.id}}"}}
        ]
    }))
    .unwrap();
    let next = AtomicU64::new(0);
    let event = || {
        let id = next.fetch_add(1, Ordering::Relaxed);
        json!({"type": "bench", "id": format!("e{id}"), "data": {"contactId": contact}})
    };

    let mut group = c.benchmark_group("flow_per_event");
    group.sample_size(50);
    group.bench_function("direct_two_calls", |b| {
        b.iter(|| {
            rt.block_on(async {
                let task = memory
                    .call(
                        "tasks.create",
                        json!({"contactId": contact, "title": "Call", "dueDate": "2030-01-01T10:00:00Z"}),
                    )
                    .await
                    .unwrap();
                let id = task["task"]["id"].as_str().unwrap().to_owned();
                memory
                    .call("notes.create", json!({"contactId": contact, "body": format!("Task {id}")}))
                    .await
                    .unwrap();
            })
        })
    });
    for (name, c) in [
        ("flow_memory_store", &memory),
        ("flow_sqlite_store", &sqlite),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                let run = rt.block_on(c.dispatch_flow(&flow, event())).unwrap();
                assert_eq!(run.record.state, RunState::Done);
            })
        });
    }
    group.bench_function("replay_memory_store", |b| {
        let seen = event();
        rt.block_on(memory.dispatch_flow(&flow, seen.clone()))
            .unwrap();
        b.iter(|| {
            let run = rt
                .block_on(memory.dispatch_flow(&flow, seen.clone()))
                .unwrap();
            assert!(run.replayed);
        })
    });
    group.bench_function("load_flow", |b| {
        let text = json!({
            "name": "bench-follow-up",
            "trigger": {"hostEvent": "bench"},
            "steps": [
                {"name": "task", "action": "tasks.create", "params": {"contactId": "{{event.data.contactId}}", "title": "Call", "dueDate": "{{now | after:P1D}}"}},
                {"name": "note", "action": "notes.create", "params": {"contactId": "{{event.data.contactId}}", "body": "Task {{steps.task.result.task.id}}"}}
            ]
        });
        b.iter(|| Flow::load(&text).unwrap())
    });
    group.finish();
}

criterion_group!(benches, flows);
criterion_main!(benches);
