//! The native client end to end against a live sandbox on loopback:
//! calls, one refresh for 100 concurrent calls, every fault kind,
//! calendars (`native/calendars.rs`), composite actions
//! (`native/actions.rs`), the event stream (`native/events.rs`) and mapping
//! templates (`native/mapping.rs`).

use contacts_core::engine::{EngineConfig, RetryPolicy, TokenStore};
use contacts_core::models::ContactFields;
use contacts_core::native::Client;
use contacts_core::ops::contacts::{CreateContact, ListContacts};
use contacts_core::ops::notes::NewNote;
use contacts_core::ops::tasks::NewTask;
use contacts_core::{Config, Credentials, ErrorCode, OAuthClient, OAuthTokens, UserType};
use contacts_sandbox::{Fault, Sandbox, SandboxConfig};
use futures_util::TryStreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[path = "native/actions.rs"]
mod actions;
#[path = "native/calendars.rs"]
mod calendars;
#[path = "native/events.rs"]
mod events;
#[path = "native/flows.rs"]
mod flows;
#[path = "native/mapping.rs"]
mod mapping;
#[path = "../../tests/support/slots.rs"]
mod slots;
#[path = "native/sync.rs"]
mod sync;
#[path = "native/triggers.rs"]
mod triggers;
#[path = "../../tests/support/vectors.rs"]
mod vectors;

/// A client configuration with a private integration token for `location`.
fn pit_config(base_url: &str, token: &str, location: &str) -> EngineConfig {
    let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: token.into(),
        location_id: Some(location.into()),
    });
    cfg.config = Config::new(base_url);
    cfg
}

/// A client of `location` whose state (journals, checkpoints, flow runs) is
/// the SQLite file `file`, as a restarted process would open it again.
fn state_client(base_url: &str, token: &str, location: &str, file: &std::path::Path) -> Client {
    let store = contacts_core::state::SqliteStore::open(file).unwrap();
    Client::new(pit_config(base_url, token, location))
        .unwrap()
        .with_state(Arc::new(store))
        .unwrap()
}

/// Runs this binary's test `name` in a child process with `env` and the
/// failpoint `failpoint` armed to abort, and checks that it died there
/// (SIGABRT) without finishing: how the crash tests kill at an exact step.
async fn killed_child(name: &str, env: Vec<(&'static str, String)>, failpoint: &str) {
    let mut child = std::process::Command::new(std::env::current_exe().unwrap());
    child
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .envs(env)
        .env("LIBCONTACTS_FAILPOINTS", format!("{failpoint}=abort"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let out = tokio::task::spawn_blocking(move || child.output().unwrap())
        .await
        .unwrap();
    use std::os::unix::process::ExitStatusExt;
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.signal(),
        Some(6),
        "{failpoint}: the child died there: {stdout}"
    );
    assert!(!stdout.contains("FINISHED"), "{failpoint}: {stdout}");
}

/// A sandbox on loopback with `seed` contacts and the rest by default.
async fn seeded_sandbox(seed: u64) -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed,
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A request to the sandbox's admin API (`/sandbox/<path>`), its JSON answer.
async fn sandbox_admin(
    sbx: &Sandbox,
    method: reqwest::Method,
    path: &str,
    body: String,
) -> serde_json::Value {
    reqwest::Client::new()
        .request(method, format!("{}/sandbox/{path}", sbx.base_url()))
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// Tokens minted by the sandbox's admin API for `grant` (its JSON body).
async fn mint_tokens(sbx: &Sandbox, grant: &str) -> serde_json::Value {
    sandbox_admin(sbx, reqwest::Method::POST, "tokens", grant.to_string()).await
}

fn client_for(sbx: &Sandbox, tweak: impl FnOnce(&mut EngineConfig)) -> Client {
    let mut cfg = pit_config(&sbx.base_url(), sbx.pit(), sbx.location_id());
    tweak(&mut cfg);
    Client::new(cfg).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_against_the_sandbox() {
    let sbx = seeded_sandbox(30).await;
    let c = client_for(&sbx, |_| {});
    let created = c
        .create_contact(CreateContact {
            location_id: sbx.location_id().into(),
            fields: ContactFields {
                first_name: Some("Ada".into()),
                email: Some("ada@example.com".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    let id = created.id.clone().unwrap();
    assert_eq!(c.add_tags(&id, vec!["vip".into()]).await.unwrap(), ["vip"]);
    let task = c
        .create_task(
            &id,
            NewTask {
                title: "Call".into(),
                due_date: "2026-12-01T10:00:00Z".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        c.complete_task(&id, task.id.as_deref().unwrap())
            .await
            .unwrap()
            .completed,
        Some(true)
    );
    c.create_note(
        &id,
        NewNote {
            body: "hello".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    assert_eq!(c.list_notes(&id).await.unwrap().len(), 1);
    let json = c
        .call("contacts.get", serde_json::json!({"contactId": id}))
        .await
        .unwrap();
    assert_eq!(json["contact"]["tags"], serde_json::json!(["vip"]));
    let e = c.get_contact("does-not-exist").await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::NotFound);

    // Every contact once, across pages of 7.
    let pages: Vec<_> = c
        .pages(ListContacts {
            location_id: sbx.location_id().into(),
            limit: Some(7),
            ..Default::default()
        })
        .try_collect()
        .await
        .unwrap();
    let ids: std::collections::BTreeSet<_> = pages
        .iter()
        .flat_map(|p| p.contacts.iter().filter_map(|c| c.id.clone()))
        .collect();
    assert_eq!((ids.len(), pages.len()), (31, 5));
    c.delete_contact(&id).await.unwrap();
    sbx.shutdown().await;
}

/// A client configuration on `admin`'s tokens (minted by the sandbox)
/// marked long expired, so the first call refreshes, with the sandbox's
/// OAuth app and `store` for the rotated tokens.
fn expired_oauth_config(
    sbx: &Sandbox,
    admin: &serde_json::Value,
    store: Arc<Store>,
) -> EngineConfig {
    let mut cfg = EngineConfig::new(Credentials::OAuth {
        tokens: OAuthTokens {
            access_token: admin["access_token"].as_str().unwrap().into(),
            refresh_token: Some(admin["refresh_token"].as_str().unwrap().into()),
            expires_at_ms: Some(1),
            user_type: UserType::Location,
            location_id: Some(sbx.location_id().into()),
            ..Default::default()
        },
    });
    cfg.config = Config::new(&sbx.base_url());
    cfg.oauth_client = Some(OAuthClient {
        client_id: contacts_sandbox::DEFAULT_CLIENT_ID.into(),
        client_secret: contacts_sandbox::DEFAULT_CLIENT_SECRET.into(),
    });
    cfg.token_store = Some(store);
    cfg
}

#[derive(Default)]
struct Store(Mutex<Vec<String>>);

impl TokenStore for Store {
    fn save(&self, t: &OAuthTokens) -> Result<(), String> {
        self.0.lock().unwrap().push(
            t.refresh_token
                .as_ref()
                .map(|s| s.expose().to_string())
                .unwrap_or_default(),
        );
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_on_an_expired_token_refresh_once() {
    let sbx = seeded_sandbox(5).await;
    // Building a native client installs the rustls crypto provider the
    // test's own reqwest client needs too.
    drop(client_for(&sbx, |_| {}));
    let admin: serde_json::Value = mint_tokens(&sbx, r#"{"scopes":["contacts.readonly"]}"#).await;
    let store = Arc::new(Store::default());
    let client = Client::new(expired_oauth_config(&sbx, &admin, store.clone())).unwrap();
    let id = sbx.first_contact_id().unwrap();
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let (c, id) = (client.clone(), id.clone());
            tokio::spawn(async move { c.get_contact(&id).await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let saved = store.0.lock().unwrap().clone();
    assert_eq!(saved.len(), 1, "exactly one refresh: {saved:?}");
    match client.engine().credentials_snapshot() {
        Credentials::OAuth { tokens } => {
            assert_eq!(tokens.refresh_token.unwrap().expose(), saved[0])
        }
        _ => unreachable!(),
    }
    sbx.shutdown().await;
}

struct Outcome {
    get_ok: bool,
    create_code: Option<ErrorCode>,
    created: usize,
    elapsed: Duration,
}

/// A sandbox injecting `fault` into every `every`-th request; one read and
/// one create through a client with a 3 s deadline.
async fn under_fault(fault: Fault, every: u64) -> Outcome {
    let sbx = Sandbox::start(SandboxConfig {
        seed: 1,
        faults: vec![fault],
        fault_every: every,
        // A 1 s window, so the wait a 429 advises fits the 3 s deadline.
        budgets: contacts_sandbox::Budgets {
            burst_max: 100,
            interval_ms: 1_000,
            daily_max: 200_000,
            ..Default::default()
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let c = client_for(&sbx, |cfg| {
        cfg.call_timeout_ms = 3_000;
        cfg.retry = RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 20,
            max_delay_ms: 200,
        };
    });
    let before = sbx.contact_count();
    let start = Instant::now();
    let get = c.get_contact(&sbx.first_contact_id().unwrap()).await;
    if let Err(e) = &get {
        assert!(
            matches!(
                e.code(),
                ErrorCode::Decode | ErrorCode::Server | ErrorCode::Transport | ErrorCode::Timeout
            ),
            "{e}"
        );
    }
    let create = c
        .create_contact(CreateContact {
            location_id: sbx.location_id().into(),
            fields: ContactFields {
                email: Some(format!("f{every}@example.com")),
                ..Default::default()
            },
            ..Default::default()
        })
        .await;
    let elapsed = start.elapsed();
    let created = sbx.contact_count() - before;
    sbx.shutdown().await;
    Outcome {
        get_ok: get.is_ok(),
        create_code: create.err().map(|e| e.code()),
        created,
        elapsed,
    }
}

fn within_deadline(o: &Outcome) {
    assert!(
        o.elapsed < Duration::from_millis(2 * 3_000 + 500),
        "{:?}",
        o.elapsed
    );
    assert!(o.created <= 1, "a create was duplicated");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_latency() {
    let o = under_fault(Fault::Latency(100), 1).await;
    within_deadline(&o);
    assert!(o.get_ok && o.create_code.is_none() && o.created == 1);
    assert!(o.elapsed >= Duration::from_millis(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_5xx() {
    let o = under_fault(Fault::ServerError, 2).await;
    within_deadline(&o);
    // requests: get(1) ok, create(2) 500: a create is not retried after a 5xx
    assert!(o.get_ok);
    assert_eq!((o.create_code, o.created), (Some(ErrorCode::Server), 0));
    let o = under_fault(Fault::ServerError, 1).await;
    within_deadline(&o);
    assert!(
        !o.get_ok,
        "a read retried to its budget ends in a typed error"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_429() {
    let o = under_fault(Fault::RateLimited, 2).await;
    within_deadline(&o);
    // a 429 was not processed, so even the create is retried after the wait
    assert!(o.get_ok && o.create_code.is_none());
    assert_eq!(o.created, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_reset_before() {
    let o = under_fault(Fault::ResetBefore, 1).await;
    within_deadline(&o);
    assert!(!o.get_ok);
    assert_eq!(
        (o.create_code, o.created),
        (Some(ErrorCode::Transport), 0),
        "it may have reached the server, so it is not resent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_reset_after() {
    let o = under_fault(Fault::ResetAfter, 2).await;
    within_deadline(&o);
    assert!(o.get_ok);
    assert_eq!(
        (o.create_code, o.created),
        (Some(ErrorCode::Transport), 1),
        "processed once, never sent twice"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_truncated_body() {
    let o = under_fault(Fault::Truncate, 1).await;
    within_deadline(&o);
    assert!(!o.get_ok);
    assert_eq!((o.create_code, o.created), (Some(ErrorCode::Transport), 1));
    let o = under_fault(Fault::Truncate, 2).await;
    within_deadline(&o);
    assert!(o.get_ok, "a read with a truncated answer is retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_malformed_json() {
    let o = under_fault(Fault::Malformed, 1).await;
    within_deadline(&o);
    assert!(!o.get_ok);
    assert_eq!((o.create_code, o.created), (Some(ErrorCode::Decode), 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_slow_body() {
    let o = under_fault(Fault::SlowBody(5), 1).await;
    within_deadline(&o);
    assert!(o.get_ok && o.create_code.is_none() && o.created == 1);
    let o = under_fault(Fault::SlowBody(400), 1).await;
    within_deadline(&o);
    assert!(
        !o.get_ok,
        "a body slower than the deadline ends in a typed error"
    );
}
