//! The event stream and the usage report end to end against a live
//! sandbox: the shared sequences of `tests/vectors/events.json`, no secret
//! or contact data in any event of a run of many operations, and `usage()`
//! held to the sandbox's own count. A module of the native test.

use super::vectors;
use contacts_core::native::Client;
use contacts_core::observe::{EventLog, Level, ObserverOptions};
use contacts_sandbox::{Budgets, Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::sync::Arc;

fn debug() -> ObserverOptions {
    ObserverOptions {
        min_level: Level::Debug,
        contact_data: false,
    }
}

async fn admin(sbx: &Sandbox, method: reqwest::Method, path: &str, body: Value) -> Value {
    super::sandbox_admin(sbx, method, path, body.to_string()).await
}

fn params_of(vector: &Value, sbx: &Sandbox) -> Value {
    let text = vector["call"]["params"]
        .to_string()
        .replace("$firstContact", &sbx.first_contact_id().unwrap());
    serde_json::from_str(&text).unwrap()
}

/// A client for a vector's `setup`, and the secrets its events must not hold.
async fn client_for_setup(sbx: &Sandbox, setup: &str) -> (Client, Vec<String>) {
    // Building a native client installs the rustls provider the admin calls use.
    drop(super::client_for(sbx, |_| {}));
    match setup {
        "retry" => (super::client_for(sbx, |_| {}), vec![sbx.pit().to_string()]),
        "refresh" => {
            let t = super::mint_tokens(sbx, r#"{"scopes":["contacts.readonly"]}"#).await;
            let cfg = super::expired_oauth_config(sbx, &t, Arc::new(super::Store::default()));
            let client = Client::new(cfg).unwrap();
            let secrets = ["access_token", "refresh_token"]
                .map(|k| t[k].as_str().unwrap().to_string())
                .into_iter()
                .chain([contacts_sandbox::DEFAULT_CLIENT_SECRET.to_string()])
                .collect();
            (client, secrets)
        }
        other => panic!("unknown setup {other}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_shared_event_sequences() {
    for vector in vectors::vectors("events.json") {
        let sbx = Sandbox::start(SandboxConfig {
            seed: 2,
            budgets: Budgets {
                interval_ms: 1_000,
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
        let (client, mut secrets) = client_for_setup(&sbx, vector["setup"].as_str().unwrap()).await;
        let log = Arc::new(EventLog::new(1000));
        client.set_observer(Some(log.clone()), debug());
        admin(
            &sbx,
            reqwest::Method::POST,
            "faults",
            json!({"next": vector["faults"]}),
        )
        .await;
        let name = vector["call"]["name"].as_str().unwrap();
        let out = client.call(name, params_of(&vector, &sbx)).await.unwrap();
        secrets.extend(out["contact"]["email"].as_str().map(str::to_string));
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        vectors::check_events(&vector, &log.take(), sbx.location_id(), &secrets);
        sbx.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_event_of_a_run_holds_a_secret_or_contact_data() {
    let sbx = super::seeded_sandbox(3).await;
    let client = super::client_for(&sbx, |_| {});
    let log = Arc::new(EventLog::new(10_000));
    client.set_observer(Some(log.clone()), debug());
    let email = "grace.hopper.events@example.com";
    let phone = "+14155550123";
    let loc = sbx.location_id();
    let created = client
        .call(
            "contacts.create",
            json!({"locationId": loc, "firstName": "Grace", "lastName": "Hopperevents", "email": email, "phone": phone}),
        )
        .await
        .unwrap();
    let id = created["contact"]["id"].as_str().unwrap().to_string();
    let steps = [
        ("contacts.get", json!({"contactId": id})),
        (
            "contacts.search",
            json!({"locationId": loc, "query": email, "pageLimit": 5}),
        ),
        (
            "contacts.upsert",
            json!({"locationId": loc, "email": email, "firstName": "Grace"}),
        ),
        (
            "contacts.update",
            json!({"contactId": id, "lastName": "Hopperevents"}),
        ),
        (
            "contacts.list",
            json!({"locationId": loc, "query": "Hopperevents"}),
        ),
        (
            "contacts.findDuplicate",
            json!({"locationId": loc, "email": email}),
        ),
        ("contacts.get", json!({"contactId": "no-such-contact"})),
        ("contacts.delete", json!({"contactId": id})),
    ];
    for (name, params) in steps {
        if let Err(e) = client.call(name, params).await {
            assert_eq!(e.code(), contacts_core::ErrorCode::NotFound, "{name}: {e}");
        }
    }
    let events = log.take();
    assert_eq!(events.len(), 3 * 9, "request, response, finished per call");
    let all = events.join("\n");
    for secret in [sbx.pit(), email, phone, "Hopperevents", "Grace"] {
        assert!(!all.contains(secret), "{secret:?} in\n{all}");
    }
    assert!(all.contains("\"code\":\"NOT_FOUND\""), "{all}");

    // Turned on explicitly, contact data comes: the path with its ids.
    client.set_observer(
        Some(log.clone()),
        ObserverOptions {
            min_level: Level::Debug,
            contact_data: true,
        },
    );
    let _ = client
        .call("contacts.get", json!({"contactId": "no-such-contact"}))
        .await;
    let with_data = log.take().join("\n");
    assert!(
        with_data.contains("/contacts/no-such-contact"),
        "{with_data}"
    );
    assert!(!with_data.contains(sbx.pit()), "{with_data}");
    sbx.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_matches_the_sandboxs_count_and_headers() {
    let sbx = super::seeded_sandbox(3).await;
    let client = super::client_for(&sbx, |_| {});
    let before = admin(&sbx, reqwest::Method::GET, "stats", Value::Null).await;
    let id = sbx.first_contact_id().unwrap();
    admin(
        &sbx,
        reqwest::Method::POST,
        "faults",
        json!({"next": ["", "5xx"]}),
    )
    .await;
    for _ in 0..6 {
        client
            .call("contacts.get", json!({"contactId": id}))
            .await
            .unwrap();
    }
    let usage = client.usage().await;
    let stats = admin(&sbx, reqwest::Method::GET, "stats", Value::Null).await;
    let sent = stats["apiRequests"].as_u64().unwrap() - before["apiRequests"].as_u64().unwrap();
    assert_eq!(usage.requests, sent, "{stats}");
    assert_eq!((usage.requests, usage.retries), (7, 1));
    assert_eq!(usage.location.as_deref(), Some(sbx.location_id()));
    let rows = stats["rate"].as_array().unwrap();
    let row = rows
        .iter()
        .find(|r| r["resource"] == sbx.location_id())
        .unwrap_or_else(|| panic!("{stats}"));
    // The sandbox's limiter did not count the injected 500; the engine
    // counts every attempt it sent, so it is one lower on both budgets.
    let (day, burst) = (
        row["dailyRemaining"].as_u64().unwrap(),
        row["burstRemaining"].as_u64().unwrap(),
    );
    assert_eq!(usage.daily_remaining, Some(day - 1), "{stats} {usage:?}");
    assert_eq!(usage.burst_remaining, burst - 1, "{stats} {usage:?}");
    assert_eq!((usage.burst_limit, usage.daily_limit), (100, 200_000));
    let (_, headers) = usage.last_headers.unwrap();
    assert_eq!(
        (headers.daily_remaining, headers.remaining),
        (Some(day), Some(burst))
    );
    let json: Value = serde_json::from_str(&usage.to_json()).unwrap();
    assert_eq!(json["counts"]["requests"], 7);
    assert_eq!(json["daily"]["reset"]["documented"], false);
    assert_eq!(json["budget"], "local");
    sbx.shutdown().await;
}

/// One `tracing` event: its level, target, and fields as text.
type TracedEvent = (tracing::Level, String, Vec<(String, String)>);

/// A `tracing` subscriber that keeps each event.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<TracedEvent>>>);

impl tracing::Subscriber for Captured {
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::DEBUG)
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        struct Fields(Vec<(String, String)>);
        impl tracing::field::Visit for Fields {
            fn record_debug(&mut self, f: &tracing::field::Field, v: &dyn std::fmt::Debug) {
                self.0.push((f.name().to_string(), format!("{v:?}")));
            }
            fn record_str(&mut self, f: &tracing::field::Field, v: &str) {
                self.0.push((f.name().to_string(), v.to_string()));
            }
            fn record_u64(&mut self, f: &tracing::field::Field, v: u64) {
                self.0.push((f.name().to_string(), v.to_string()));
            }
        }
        let mut fields = Fields(Vec::new());
        event.record(&mut fields);
        let m = event.metadata();
        self.0
            .lock()
            .unwrap()
            .push((*m.level(), m.target().to_string(), fields.0));
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test(flavor = "current_thread")]
async fn with_a_tracing_subscriber_the_events_go_to_tracing_with_stable_fields() {
    let sbx = super::seeded_sandbox(1).await;
    let captured = Captured::default();
    // The calls run on this thread (a current-thread runtime), where the
    // subscriber is the default.
    let _guard = tracing::subscriber::set_default(captured.clone());
    let client = super::client_for(&sbx, |_| {});
    let id = sbx.first_contact_id().unwrap();
    client
        .call("contacts.get", json!({"contactId": id}))
        .await
        .unwrap();
    let seen = captured.0.lock().unwrap().clone();
    let ours: Vec<_> = seen
        .iter()
        .filter(|(_, target, _)| target == "libcontacts")
        .collect();
    let kinds: Vec<(tracing::Level, &str)> = ours
        .iter()
        .map(|(level, _, f)| {
            (
                *level,
                f.iter().find(|(k, _)| k == "kind").unwrap().1.as_str(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (tracing::Level::DEBUG, "request"),
            (tracing::Level::DEBUG, "response"),
            (tracing::Level::INFO, "finished")
        ]
    );
    let names: Vec<&str> = ours[2].2.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(names, ["kind", "op", "call_id", "location", "event"]);
    let event: Value = serde_json::from_str(&ours[2].2[4].1).unwrap();
    assert_eq!(
        (event["op"].as_str(), event["code"].as_str()),
        (Some("contacts.get"), Some("OK"))
    );
    assert!(!format!("{seen:?}").contains(sbx.pit()));
    drop(_guard);
    sbx.shutdown().await;
}
