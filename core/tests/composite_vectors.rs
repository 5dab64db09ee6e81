//! The composite actions' shared vectors (`tests/vectors/composites.json`):
//! each is a composite's params, the requests it makes with the answers it
//! gets (in the order it starts them, per method and path), and its output.
//! Replayed here through the driver over a transport that answers from the
//! vector, with the clock pinned; the npm package's runtime module replays
//! the same file (`wasm/js/test/composites.test.mjs`).
//!
//! `UPDATE_VECTORS=1` records the file again against a live sandbox.

use contacts_core::driver::{Driver, SendError, Transport};
use contacts_core::engine::{Engine, EngineConfig, Outgoing};
use contacts_core::{Config, Credentials, HttpResponse};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/vectors/composites.json"
);
const LOCATION: &str = "SBXloc00000000000001";

/// `(method, path)` of a request, the path without the base URL and query.
fn route(out: &Outgoing) -> (String, String) {
    let url = &out.request.url;
    let after_host = url.splitn(4, '/').nth(3).unwrap_or_default();
    let path = after_host.split('?').next().unwrap_or_default();
    (out.request.method.as_str().to_owned(), format!("/{path}"))
}

/// Per `(method, path)`: the next answer to give, and the answers
/// `(status, body)` in the order the composite starts its requests.
type Answers = HashMap<(String, String), (usize, Vec<(u16, String)>)>;

/// Answers each request with the next recorded answer of its method and
/// path (the last one again when they run out); 404 for one never recorded.
#[derive(Clone)]
struct Replay {
    answers: Arc<Mutex<Answers>>,
    now_ms: u64,
}

impl Transport for Replay {
    async fn send(&self, out: Outgoing) -> Result<HttpResponse, SendError> {
        let key = route(&out);
        let mut answers = self.answers.lock().unwrap();
        let Some((next, list)) = answers.get_mut(&key) else {
            return Ok(HttpResponse::new(
                404,
                format!("{{\"message\":\"no answer recorded for {key:?}\"}}"),
            ));
        };
        let (status, body) = list[(*next).min(list.len() - 1)].clone();
        *next += 1;
        Ok(HttpResponse::new(status, body))
    }
    async fn sleep(&self, _ms: u64) {}
    fn now_ms(&self) -> u64 {
        self.now_ms
    }
}

fn engine(base_url: &str, token: &str) -> Arc<Engine> {
    let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: token.into(),
        location_id: Some(LOCATION.into()),
    });
    cfg.config = Config::new(base_url);
    Engine::new(cfg)
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

/// Whether `want` is a part of `got`: objects by their keys, the rest equal.
fn subset(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, v)| g.get(k).is_some_and(|x| subset(v, x))),
        (Value::Array(w), Value::Array(g)) => {
            w.len() == g.len() && w.iter().zip(g).all(|(a, b)| subset(a, b))
        }
        _ => want == got,
    }
}

#[test]
fn every_composite_replays_its_vector() {
    if std::env::var_os("UPDATE_VECTORS").is_some() {
        record();
    }
    let file: Value = serde_json::from_str(&std::fs::read_to_string(FILE).unwrap()).unwrap();
    let vectors = file["vectors"].as_array().unwrap();
    let mut covered = Vec::new();
    for v in vectors {
        let mut answers = HashMap::new();
        for x in v["exchanges"].as_array().unwrap() {
            let key = (
                x["method"].as_str().unwrap().to_owned(),
                x["path"].as_str().unwrap().to_owned(),
            );
            let entry = answers.entry(key).or_insert((0, Vec::new()));
            entry.1.push((
                x["status"].as_u64().unwrap() as u16,
                x["response"].to_string(),
            ));
        }
        let transport = Replay {
            answers: Arc::new(Mutex::new(answers)),
            now_ms: v["now_ms"].as_u64().unwrap(),
        };
        let driver = Driver::new(
            engine("https://services.leadconnectorhq.com", "pit-x"),
            transport,
        )
        .with_state(Arc::new(contacts_core::state::MemoryStore::new()))
        .unwrap();
        let name = v["op"].as_str().unwrap();
        let out = run(driver.call(name, v["params"].clone()))
            .unwrap_or_else(|e| panic!("{}: {e}", v["name"]));
        assert!(
            subset(&v["expect_output"], &out),
            "{}:\n want {}\n got  {out}",
            v["name"],
            v["expect_output"]
        );
        covered.push(name.to_owned());
    }
    for action in contacts_core::actions::all() {
        assert!(
            covered.iter().any(|c| c == action.name),
            "{} has no vector",
            action.name
        );
    }
}

/// Records the file: each case run against a live sandbox through a
/// transport that keeps every request's answer.
#[cfg(feature = "native")]
fn record() {
    use contacts_core::native::{NativeTransport, now_ms};
    #[derive(Clone)]
    struct Recording {
        inner: NativeTransport,
        log: Arc<Mutex<Vec<Option<Value>>>>,
    }
    impl Transport for Recording {
        async fn send(&self, out: Outgoing) -> Result<HttpResponse, SendError> {
            let (method, path) = route(&out);
            let slot = {
                let mut log = self.log.lock().unwrap();
                log.push(None);
                log.len() - 1
            };
            let answer = self.inner.send(out).await?;
            let response: Value = serde_json::from_slice(&answer.body).unwrap_or(Value::Null);
            self.log.lock().unwrap()[slot] = Some(
                json!({"method": method, "path": path, "status": answer.status, "response": response}),
            );
            Ok(answer)
        }
        async fn sleep(&self, ms: u64) {
            self.inner.sleep(ms).await
        }
        fn now_ms(&self) -> u64 {
            now_ms()
        }
    }
    let vectors = run(async {
        let sbx = contacts_sandbox::Sandbox::start(contacts_sandbox::SandboxConfig {
            seed: 3,
            ..Default::default()
        })
        .await
        .unwrap();
        let http = contacts_core::native::Client::http_client("vectors").unwrap();
        let plain = Driver::new(
            engine(&sbx.base_url(), sbx.pit()),
            NativeTransport::new(http.clone()),
        );
        let page = plain
            .call("contacts.list", json!({"locationId": LOCATION, "limit": 3}))
            .await
            .unwrap();
        let ids: Vec<String> = page["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_owned())
            .collect();
        let cases = [
            (
                "tags.copy copies the tags the target lacks",
                "tags.copy",
                json!({"fromContactId": ids[0], "toContactId": ids[1]}),
            ),
            (
                "contacts.getWithActivity reads a contact with its tasks and notes",
                "contacts.getWithActivity",
                json!({"contactId": ids[0], "include": ["tasks", "notes"]}),
            ),
            (
                "activity.feed merges newest first",
                "activity.feed",
                json!({"contactId": ids[0], "limit": 5}),
            ),
            (
                "tasks.createSet creates the tasks its rules pick",
                "tasks.createSet",
                json!({"contactId": ids[2], "tasks": [
                {"title": "Call {{contact.firstName}}", "due": {"after": "PT4H"}},
                {"title": "VIP follow-up", "due": {"after": "P2D"}, "when": {"path": "contact.tags", "op": "contains", "value": "never-a-tag"}}]}),
            ),
            (
                "contacts.capture creates a lead once",
                "contacts.capture",
                json!({"idempotencyKey": "vector-1",
                "contact": {"email": "vector.lead@example.com", "firstName": "Vee"}, "tags": ["webinar"],
                "tasks": [{"title": "Call Vee", "dueAfter": "PT4H"}], "note": "From the vector."}),
            ),
            (
                "appointments.book books the first free slot",
                "appointments.book",
                json!({"calendarId": "cal_sandbox", "locationId": LOCATION, "contactId": ids[0], "title": "Demo"}),
            ),
        ];
        let mut out = Vec::new();
        for (name, op, params) in cases {
            let log = Arc::new(Mutex::new(Vec::new()));
            let transport = Recording {
                inner: NativeTransport::new(http.clone()),
                log: log.clone(),
            };
            let now = transport.now_ms();
            let driver = Driver::new(engine(&sbx.base_url(), sbx.pit()), transport)
                .with_state(Arc::new(contacts_core::state::MemoryStore::new()))
                .unwrap();
            let output = driver
                .call(op, params.clone())
                .await
                .unwrap_or_else(|e| panic!("{op}: {e}"));
            let exchanges: Vec<Value> = log.lock().unwrap().iter().flatten().cloned().collect();
            out.push(
                json!({"name": name, "op": op, "params": params, "now_ms": now,
                "exchanges": exchanges, "expect_output": output}),
            );
        }
        sbx.shutdown().await;
        out
    });
    let doc = json!({
        "description": "Each composite action's params, the requests it makes with the answers it gets (in the order it starts them, per method and path), and its output; recorded against the sandbox (UPDATE_VECTORS=1 cargo test -p contacts-core --features native --test composite_vectors). See README.md.",
        "vectors": vectors,
    });
    std::fs::write(FILE, serde_json::to_string_pretty(&doc).unwrap() + "\n").unwrap();
}

#[cfg(not(feature = "native"))]
fn record() {
    panic!("recording needs --features native");
}
