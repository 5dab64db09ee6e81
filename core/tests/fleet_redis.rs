//! Fleet mode on a real Redis (a `redis-server` of the test's own on
//! loopback): the priority lane under an injected clock, the webhook replay
//! guard shared by two receivers, and what calls do while Redis is away and
//! after it restarts empty.

#[path = "support/redis_server.rs"]
mod redis_server;

use contacts_core::engine::{EngineConfig, Fleet, WhenUnavailable};
use contacts_core::native::Client;
use contacts_core::state::{Lane, RateGrant, RateRequest, RedisSettings, RedisStore, StateStore};
use contacts_core::webhooks::WebhookVerifier;
use contacts_core::{Config, Credentials, ErrorCode};
use contacts_sandbox::{Sandbox, SandboxConfig};
use redis_server::RedisServer;
use serde_json::Value;
use std::sync::Arc;

fn store(server: &RedisServer, tag: &str) -> RedisStore {
    RedisStore::new(RedisSettings::new(server.url()), tag).unwrap()
}

/// While background work saturates the budget (100 per 10 s), an
/// interactive call's slot comes within one emission interval (102 ms).
#[tokio::test]
async fn an_interactive_call_starts_within_one_emission_interval_of_saturating_background_work() {
    let server = RedisServer::start();
    let s = store(&server, "loc-priority");
    let req = |lane| RateRequest {
        burst_max: 100,
        span_ms: 10_200,
        lane,
        daily_probe_ms: 900_000,
        seen: None,
    };
    let emission = req(Lane::Background).emission_ms();
    // Background work asks every 5 ms for 30 s of (injected) time.
    let mut now = 1_000_000;
    let mut background_sent = 0;
    let mut worst = 0;
    let mut next_interactive = now + 12_345;
    let mut interactive_asked: Option<u64> = None;
    while now < 1_030_000 {
        if s.reserve_rate("rate:app", req(Lane::Background), now)
            .await
            .unwrap()
            == RateGrant::Go
        {
            background_sent += 1;
        }
        if now >= next_interactive {
            let asked = *interactive_asked.get_or_insert(now);
            match s
                .reserve_rate("rate:app", req(Lane::Interactive), now)
                .await
                .unwrap()
            {
                RateGrant::Go => {
                    worst = worst.max(now - asked);
                    interactive_asked = None;
                    next_interactive = now + 1_777;
                }
                RateGrant::Wait(_) => {}
                RateGrant::DailySpent { .. } => unreachable!(),
            }
        }
        now += 5;
    }
    assert!(
        background_sent >= 250,
        "background work saturates: {background_sent} in 30 s"
    );
    assert!(
        worst <= emission,
        "an interactive call waited {worst} ms; one emission is {emission} ms"
    );
}

fn first_delivery() -> (String, Vec<(String, String)>, String, u64) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/webhooks.json"
    );
    let file: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let key = file["public_key"].as_str().unwrap().to_string();
    for v in file["vectors"].as_array().unwrap() {
        for d in v["deliveries"].as_array().unwrap() {
            if d.get("expect_event").is_some() {
                let headers = d["headers"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                return (
                    key,
                    headers,
                    d["body_text"].as_str().unwrap().to_string(),
                    d["now_ms"].as_u64().unwrap(),
                );
            }
        }
    }
    panic!("no accepted delivery in the vectors");
}

/// Two receivers (two verifiers, two connections) behind one Redis accept
/// the same delivery once.
#[tokio::test]
async fn two_receivers_behind_one_redis_accept_a_delivery_once() {
    let server = RedisServer::start();
    let (key, headers, body, now) = first_delivery();
    let (a, b) = (
        WebhookVerifier::from_public_keys(&[&key]).unwrap(),
        WebhookVerifier::from_public_keys(&[&key]).unwrap(),
    );
    let (sa, sb) = (store(&server, "loc-hooks"), store(&server, "loc-hooks"));
    let first = a
        .verify_json_shared(&headers, body.as_bytes(), now, &sa)
        .await;
    assert!(first.is_ok(), "{first:?}");
    let again = b
        .verify_json_shared(&headers, body.as_bytes(), now, &sb)
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::WebhookReplay, "{again}");
    let forged = b
        .verify_json_shared(&headers, b"{\"webhookId\":\"x\"}", now, &sb)
        .await
        .unwrap_err();
    assert_eq!(
        forged.code(),
        ErrorCode::WebhookSignature,
        "a forged body is refused first"
    );
}

/// A sandbox on loopback with one seeded contact.
async fn seeded_sandbox() -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: 1,
        ..Default::default()
    })
    .await
    .unwrap()
}

fn fleet_client(sbx: &Sandbox, server: &RedisServer, policy: WhenUnavailable) -> Client {
    let credentials = Credentials::PrivateIntegrationToken {
        token: sbx.pit().into(),
        location_id: Some(sbx.location_id().into()),
    };
    let mut cfg = EngineConfig::new(credentials);
    cfg.config = Config::new(&sbx.base_url());
    cfg.call_timeout_ms = 5_000;
    cfg.fleet = Some(Fleet {
        store: Arc::new(store(server, sbx.location_id())),
        when_unavailable: policy,
        lease_ms: 2_000,
    });
    Client::new(cfg).unwrap()
}

async fn get_location(c: &Client, sbx: &Sandbox) -> contacts_core::Result<Value> {
    c.call(
        "locations.get",
        serde_json::json!({"locationId": sbx.location_id()}),
    )
    .await
}

/// Redis stops: a fail-closed fleet refuses at once with FLEET_UNAVAILABLE
/// (no request sent); a local-share fleet goes on. Redis restarts empty:
/// after the reconnect wait (at least 1 s), calls go through the fleet again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_redis_calls_follow_the_policy_and_recover_after_a_restart() {
    let sbx = seeded_sandbox().await;
    let mut server = RedisServer::start();
    let closed = fleet_client(&sbx, &server, WhenUnavailable::FailClosed);
    let shared = fleet_client(&sbx, &server, WhenUnavailable::LocalShare { percent: 25 });
    get_location(&closed, &sbx).await.unwrap();
    get_location(&shared, &sbx).await.unwrap();
    server.stop();
    let before = sbx.api_requests();
    let started = std::time::Instant::now();
    let refused = get_location(&closed, &sbx).await.unwrap_err();
    assert_eq!(refused.code(), ErrorCode::FleetUnavailable, "{refused}");
    assert!(
        started.elapsed() < std::time::Duration::from_secs(3),
        "no long hang"
    );
    assert_eq!(
        sbx.api_requests(),
        before,
        "nothing sent on a budget nobody counts"
    );
    assert!(!refused.to_string().contains("redis://127.0.0.1:0"));
    for _ in 0..5 {
        get_location(&shared, &sbx).await.unwrap();
    }
    server.restart();
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    get_location(&closed, &sbx).await.unwrap();
    get_location(&shared, &sbx).await.unwrap();
}

/// Two processes' worth of clients on one Redis: each one's usage reports
/// what is left of the location's budget by the fleet's count (both
/// clients' sends), and its own counts; with Redis down, its own view.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_reports_the_fleets_budget_and_the_processs_counts() {
    let sbx = seeded_sandbox().await;
    let mut server = RedisServer::start();
    let a = fleet_client(&sbx, &server, WhenUnavailable::LocalShare { percent: 50 });
    let b = fleet_client(&sbx, &server, WhenUnavailable::LocalShare { percent: 50 });
    for _ in 0..3 {
        get_location(&a, &sbx).await.unwrap();
    }
    for _ in 0..2 {
        get_location(&b, &sbx).await.unwrap();
    }
    let usage = a.usage().await;
    assert!(usage.fleet, "{usage:?}");
    assert_eq!((usage.requests, usage.burst_limit), (3, 100));
    assert_eq!(
        usage.burst_remaining,
        100 - 5,
        "both clients' sends: {usage:?}"
    );
    assert_eq!(usage.daily_remaining, Some(200_000 - 5), "{usage:?}");
    let json: Value = serde_json::from_str(&usage.to_json()).unwrap();
    assert_eq!(json["budget"], "fleet");
    server.stop();
    let local = a.usage().await;
    assert!(!local.fleet, "{local:?}");
    assert_eq!(local.requests, 3);
}
