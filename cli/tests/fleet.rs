//! Fleet mode with real processes: several `contacts` processes share one
//! location's rate budget through a Redis of the test's own
//! (`redis-server` on loopback, on a port it picks, nothing saved), against
//! a sandbox that answers 429 to anything over its budget.

#[path = "../../core/tests/support/redis_server.rs"]
mod redis_server;

use contacts_sandbox::{Budgets, SandboxConfig, SandboxThread};
use redis_server::RedisServer;
use serde_json::Value;
use std::process::{Child, Command, Output, Stdio};

fn sandbox(burst: u32, interval_ms: u64, daily: u32, day_ms: u64) -> SandboxThread {
    SandboxThread::start(
        SandboxConfig {
            seed: 3,
            budgets: Budgets {
                burst_max: burst,
                interval_ms,
                daily_max: daily,
                day_ms,
            },
            ..Default::default()
        },
        2,
    )
    .unwrap()
}

fn contacts(sbx: &SandboxThread, redis: &RedisServer) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_contacts"));
    c.env("HIGHLEVEL_TOKEN", sbx.pit())
        .env("HIGHLEVEL_LOCATION_ID", sbx.location_id())
        .env("HIGHLEVEL_BASE_URL", sbx.base_url())
        .env("HIGHLEVEL_FLEET_REDIS_URL", redis.url())
        .arg("--json")
        .arg("--timeout")
        .arg("120");
    c
}

/// `call locations.get --repeat N` in a new process; its summary comes out
/// when it is waited for.
fn repeat(sbx: &SandboxThread, redis: &RedisServer, times: u64, extra: &[&str]) -> Child {
    let params = format!(r#"{{"locationId":"{}"}}"#, sbx.location_id());
    contacts(sbx, redis)
        .args(extra)
        .args(["call", "locations.get", "--params", &params])
        .args(["--repeat", &times.to_string(), "--concurrency", "2"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn summary(o: &Output) -> Value {
    let text = String::from_utf8_lossy(&o.stdout);
    serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "no summary ({e}): {text} / {}",
            String::from_utf8_lossy(&o.stderr)
        )
    })
}

fn run_fleet(sbx: &SandboxThread, redis: &RedisServer, processes: usize, calls: u64) -> Vec<Value> {
    let children: Vec<Child> = (0..processes)
        .map(|_| repeat(sbx, redis, calls, &[]))
        .collect();
    children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            let s = summary(&o);
            assert!(
                o.status.success(),
                "{s} / {}",
                String::from_utf8_lossy(&o.stderr)
            );
            s
        })
        .collect()
}

fn total(summaries: &[Value], field: &str) -> u64 {
    summaries.iter().map(|s| s[field].as_u64().unwrap()).sum()
}

/// 4 processes × 1,500 calls at 100 per second (HighLevel's shape, 10×
/// faster): no 429, and at least 95% of the budget used.
#[test]
fn four_processes_share_one_budget_without_a_429() {
    let sbx = sandbox(100, 1_000, 1_000_000, 86_400_000);
    let redis = RedisServer::start();
    let summaries = run_fleet(&sbx, &redis, 4, 1_500);
    assert_eq!(total(&summaries, "ok"), 6_000);
    assert_eq!(total(&summaries, "rateLimited"), 0, "{summaries:?}");
    let requests = total(&summaries, "requests");
    let elapsed_ms = summaries
        .iter()
        .map(|s| s["elapsedMs"].as_u64().unwrap())
        .max()
        .unwrap();
    let used = requests as f64 / (elapsed_ms as f64 / 1_000.0 * 100.0);
    println!(
        "4 × 1500 at 100/1 s: {requests} requests in {elapsed_ms} ms, {:.1}% of the budget",
        used * 100.0
    );
    assert!(used >= 0.95, "{:.1}% of the budget used", used * 100.0);
}

/// The same at HighLevel's real budget, 100 per 10 s.
#[test]
fn four_processes_at_the_real_budget_without_a_429() {
    let sbx = sandbox(100, 10_000, 1_000_000, 86_400_000);
    let redis = RedisServer::start();
    let summaries = run_fleet(&sbx, &redis, 4, 100);
    assert_eq!(total(&summaries, "ok"), 400);
    assert_eq!(total(&summaries, "rateLimited"), 0, "{summaries:?}");
}

/// The day's budget is shared too: once one process spent it, another's
/// call is refused before it is sent (RATE_LIMITED, daily, with when to
/// ask again), and after the sandbox's day resets, a probe goes and
/// succeeds.
#[test]
fn the_daily_budget_is_refused_then_probed_after_the_reset() {
    let sbx = sandbox(100, 10_000, 50, 5_000);
    let redis = RedisServer::start();
    let probe = ["--daily-probe-ms", "1000"];
    let first = repeat(&sbx, &redis, 50, &probe).wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let started = std::time::Instant::now();
    let refused = repeat(&sbx, &redis, 1, &probe).wait_with_output().unwrap();
    assert!(!refused.status.success());
    let err: Value =
        serde_json::from_slice(refused.stderr.split(|b| *b == b'\n').next().unwrap()).unwrap();
    assert_eq!(err["error"]["code"], "RATE_LIMITED", "{err}");
    assert_eq!(err["error"]["daily"], true, "{err}");
    let after = err["error"]["retryAfterMs"].as_u64().unwrap();
    assert!((1..=1_000).contains(&after), "{err}");
    assert_eq!(summary(&refused)["requests"], 0, "nothing was sent");
    let before = sbx.api_requests();
    // The sandbox's day (5 s from the first request) ends; probes go at
    // most once a second, so within 7 s a call succeeds.
    let mut succeeded = false;
    while started.elapsed() < std::time::Duration::from_secs(9) {
        let o = repeat(&sbx, &redis, 1, &probe).wait_with_output().unwrap();
        if o.status.success() {
            succeeded = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
    assert!(succeeded, "a call after the reset succeeds");
    let probes = sbx.api_requests() - before;
    assert!(probes <= 9, "{probes} requests: at most one probe a second");
}
