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
    sandbox_with(burst, interval_ms, daily, day_ms, 86_399)
}

fn sandbox_with(
    burst: u32,
    interval_ms: u64,
    daily: u32,
    day_ms: u64,
    token_lifetime_s: u64,
) -> SandboxThread {
    SandboxThread::start(
        SandboxConfig {
            seed: 3,
            access_token_lifetime_s: token_lifetime_s,
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

/// POSTs `body` to the sandbox's admin path `path` (plain HTTP/1.1 over a
/// loopback socket) and returns the JSON answer.
fn admin_post(sbx: &SandboxThread, path: &str, body: &str) -> Value {
    use std::io::{Read, Write};
    let addr = sbx.base_url().trim_start_matches("http://").to_string();
    let mut s = std::net::TcpStream::connect(&addr).unwrap();
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut text = String::new();
    s.read_to_string(&mut text).unwrap();
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// A token set from the sandbox as a token file's JSON; `expired` sets it
/// to have run out already.
fn token_file_json(sbx: &SandboxThread, user_type: &str, expired: bool) -> Value {
    let t = admin_post(
        sbx,
        "/sandbox/tokens",
        &format!(r#"{{"userType":"{user_type}","expiresIn":3600}}"#),
    );
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let mut file = serde_json::json!({
        "accessToken": t["access_token"],
        "refreshToken": t["refresh_token"],
        "expiresAtMs": if expired { now - 1 } else { now + 3_600_000 },
        "userType": user_type,
        "companyId": t["companyId"],
    });
    if let Some(l) = t.get("locationId") {
        file["locationId"] = l.clone();
    }
    file
}

/// A `contacts` process on OAuth tokens from `file`, in fleet `prefix`,
/// with a 6 s deadline.
fn oauth_contacts(
    sbx: &SandboxThread,
    redis: &RedisServer,
    file: &std::path::Path,
    prefix: &str,
) -> Command {
    oauth_contacts_timed(sbx, redis, file, prefix, 6)
}

/// The same, with a deadline of `timeout_s`.
fn oauth_contacts_timed(
    sbx: &SandboxThread,
    redis: &RedisServer,
    file: &std::path::Path,
    prefix: &str,
    timeout_s: u64,
) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_contacts"));
    c.env("HIGHLEVEL_TOKENS_FILE", file)
        .env("HIGHLEVEL_CLIENT_ID", contacts_sandbox::DEFAULT_CLIENT_ID)
        .env(
            "HIGHLEVEL_CLIENT_SECRET",
            contacts_sandbox::DEFAULT_CLIENT_SECRET,
        )
        .env("HIGHLEVEL_LOCATION_ID", sbx.location_id())
        .env("HIGHLEVEL_BASE_URL", sbx.base_url())
        .env("HIGHLEVEL_FLEET_REDIS_URL", redis.url())
        .env_remove("HIGHLEVEL_TOKEN")
        .args(["--json", "--timeout", &timeout_s.to_string()])
        .args(["--fleet-lease-ms", "1000"])
        .args(["--fleet-prefix", prefix]);
    c
}

fn get_location(c: &mut Command, sbx: &SandboxThread) -> Child {
    let params = format!(r#"{{"locationId":"{}"}}"#, sbx.location_id());
    c.args(["call", "locations.get", "--params", &params])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn read_json(path: &std::path::Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn error_code(o: &Output) -> String {
    let line = String::from_utf8_lossy(&o.stderr);
    let first = line.lines().next().unwrap_or("");
    serde_json::from_str::<Value>(first)
        .map(|v| v["error"]["code"].as_str().unwrap_or("").to_string())
        .unwrap_or_else(|_| first.to_string())
}

/// 8 processes start on one expired OAuth token (each with its own copy of
/// the token file): the sandbox sees exactly one refresh, and every process
/// ends with the same working token.
#[test]
fn eight_processes_on_an_expired_token_refresh_once() {
    let sbx = sandbox(100, 10_000, 1_000_000, 86_400_000);
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let tokens = token_file_json(&sbx, "Location", true);
    let files: Vec<_> = (0..8)
        .map(|i| {
            let f = dir.path().join(format!("tokens-{i}.json"));
            std::fs::write(&f, tokens.to_string()).unwrap();
            f
        })
        .collect();
    let children: Vec<Child> = files
        .iter()
        .map(|f| get_location(&mut oauth_contacts(&sbx, &redis, f, "one:"), &sbx))
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(sbx.token_refreshes(), 1, "exactly one refresh");
    let held: std::collections::HashSet<String> = files
        .iter()
        .map(|f| read_json(f)["accessToken"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(held.len(), 1, "one token in every file: {held:?}");
    assert!(!held.contains(tokens["accessToken"].as_str().unwrap()));
}

/// What a failpoint test runs on: a sandbox whose access tokens live
/// `token_lifetime_s`, a Redis, a scratch directory; `None` (the test says
/// it is skipped) in a build without failpoints.
fn failpoint_fleet(
    token_lifetime_s: u64,
) -> Option<(SandboxThread, RedisServer, tempfile::TempDir)> {
    if !cfg!(feature = "failpoints") {
        eprintln!("skipped: needs --features failpoints");
        return None;
    }
    let sbx = sandbox_with(100, 10_000, 1_000_000, 86_400_000, token_lifetime_s);
    Some((sbx, RedisServer::start(), tempfile::tempdir().unwrap()))
}

/// Kill runs, `parallel` at a time, each in its own fleet prefix.
fn kill_runs(runs: usize, parallel: usize, run: impl Fn(usize) + Sync) {
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..parallel {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    if i >= runs {
                        break;
                    }
                    run(i);
                }
            });
        }
    });
}

/// The refresher is killed after the refresh response, before it stored
/// anything (a location install): the next process finds the spent refresh
/// and ends in REAUTH_REQUIRED within its deadline, sending no refresh.
#[test]
fn a_refresher_killed_after_the_response_leaves_reauth_required_on_a_location_install() {
    let Some((sbx, redis, dir)) = failpoint_fleet(86_399) else {
        return;
    };
    kill_runs(20, 4, |i| {
        let tokens = token_file_json(&sbx, "Location", true);
        let (a, b) = (
            dir.path().join(format!("a-{i}.json")),
            dir.path().join(format!("b-{i}.json")),
        );
        std::fs::write(&a, tokens.to_string()).unwrap();
        std::fs::write(&b, tokens.to_string()).unwrap();
        let prefix = format!("loc-run-{i}:");
        let killed = get_location(
            oauth_contacts(&sbx, &redis, &a, &prefix).env(
                "LIBCONTACTS_FAILPOINTS",
                "after-credential-response:1=abort",
            ),
            &sbx,
        )
        .wait_with_output()
        .unwrap();
        assert!(!killed.status.success(), "the refresher died");
        let started = std::time::Instant::now();
        let next = get_location(&mut oauth_contacts(&sbx, &redis, &b, &prefix), &sbx)
            .wait_with_output()
            .unwrap();
        assert_eq!(error_code(&next), "REAUTH_REQUIRED", "run {i}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(6),
            "within the deadline"
        );
        assert_eq!(
            read_json(&b)["refreshToken"],
            tokens["refreshToken"],
            "run {i}: nothing was stored over the spent token"
        );
    });
    assert_eq!(
        sbx.token_refreshes(),
        20,
        "one refresh per run, none after the kill"
    );
}

/// On an agency install: P1 mints the location token and shares it; once
/// it is due, P2 refreshes it and is stopped after the response (`abort`:
/// killed; `sleep`: paused past its lease); P3 finds the spent refresh and
/// mints a new location token from the agency token.
fn agency_run(
    sbx: &SandboxThread,
    redis: &RedisServer,
    dir: &std::path::Path,
    i: usize,
    stop: &str,
) -> (Output, Output, std::path::PathBuf, std::path::PathBuf) {
    let tokens = token_file_json(sbx, "Company", false);
    let files: Vec<_> = (1..=3)
        .map(|p| {
            let f = dir.join(format!("agency-{i}-{p}.json"));
            std::fs::write(&f, tokens.to_string()).unwrap();
            f
        })
        .collect();
    let prefix = format!("agency-run-{i}:");
    let first = get_location(&mut oauth_contacts(sbx, redis, &files[0], &prefix), sbx)
        .wait_with_output()
        .unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    // The 2 s location token runs out; the next process takes it up from
    // the fleet and refreshes it.
    std::thread::sleep(std::time::Duration::from_millis(2_100));
    let stopped = get_location(
        oauth_contacts(sbx, redis, &files[1], &prefix).env(
            "LIBCONTACTS_FAILPOINTS",
            format!("after-credential-response:1={stop}"),
        ),
        sbx,
    );
    std::thread::sleep(std::time::Duration::from_millis(300));
    let recovered = get_location(&mut oauth_contacts(sbx, redis, &files[2], &prefix), sbx)
        .wait_with_output()
        .unwrap();
    let stopped = stopped.wait_with_output().unwrap();
    let location_file = |f: &std::path::Path| {
        let mut p = f.as_os_str().to_owned();
        p.push(".location");
        std::path::PathBuf::from(p)
    };
    (
        stopped,
        recovered,
        location_file(&files[1]),
        location_file(&files[2]),
    )
}

#[test]
fn a_refresher_killed_on_an_agency_install_is_recovered_by_minting_again() {
    let Some((sbx, redis, dir)) = failpoint_fleet(2) else {
        return;
    };
    kill_runs(20, 4, |i| {
        let (killed, recovered, _, _) = agency_run(&sbx, &redis, dir.path(), i, "abort");
        assert!(!killed.status.success(), "run {i}: the refresher died");
        assert!(
            recovered.status.success(),
            "run {i}: {}",
            String::from_utf8_lossy(&recovered.stderr)
        );
    });
    assert_eq!(
        sbx.location_token_mints(),
        40,
        "each run: one mint shared, one to recover"
    );
    assert_eq!(
        sbx.token_refreshes(),
        20,
        "each run: the killed refresh only"
    );
}

/// The lease holder is paused past its lease after its refresh response:
/// another process recovers and writes; the holder's write is refused by
/// the version check and it takes up the stored token.
#[test]
fn a_paused_holder_is_fenced_and_takes_up_the_newer_token() {
    let Some((sbx, redis, dir)) = failpoint_fleet(2) else {
        return;
    };
    let (paused, recovered, paused_file, recovered_file) =
        agency_run(&sbx, &redis, dir.path(), 0, "sleep:2500");
    assert!(
        paused.status.success(),
        "{}",
        String::from_utf8_lossy(&paused.stderr)
    );
    assert!(
        recovered.status.success(),
        "{}",
        String::from_utf8_lossy(&recovered.stderr)
    );
    assert_eq!(
        read_json(&paused_file)["accessToken"],
        read_json(&recovered_file)["accessToken"],
        "the fenced holder ends on the token the recoverer wrote"
    );
}

/// Redis is restarted (empty: nothing saved) while 4 processes spend one
/// budget and share one token file, whose token is renewed after the
/// restart. With `--fleet-local-share 25` calls go on through the outage on
/// a quarter of the budget each; the fleet re-seeds from the token file, so
/// there is exactly one refresh and no token is lost; each process sees at
/// most one 429, and every 429 is honoured (every call ends well).
#[test]
fn redis_restarted_mid_run_loses_no_call_and_no_token() {
    let sbx = sandbox(100, 1_000, 1_000_000, 86_400_000);
    let mut redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("tokens.json");
    let mut tokens = token_file_json(&sbx, "Location", false);
    // Renewed about 4 s in: the engine refreshes 60 s ahead of expiry.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    tokens["expiresAtMs"] = (now + 64_000).into();
    std::fs::write(&file, tokens.to_string()).unwrap();
    let params = format!(r#"{{"locationId":"{}"}}"#, sbx.location_id());
    let children: Vec<Child> = (0..4)
        .map(|_| {
            oauth_contacts_timed(&sbx, &redis, &file, "restart:", 60)
                .args(["--fleet-local-share", "25"])
                .args(["call", "locations.get", "--params", &params])
                .args(["--repeat", "400", "--concurrency", "1"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    redis.restart();
    let summaries: Vec<Value> = children
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
        .collect();
    println!("Redis restarted mid-run: {summaries:?}");
    assert_eq!(total(&summaries, "ok"), 1_600, "{summaries:?}");
    for s in &summaries {
        assert!(s["rateLimited"].as_u64().unwrap() <= 1, "{s}");
    }
    assert_eq!(sbx.token_refreshes(), 1, "one refresh, on the new Redis");
    let held = read_json(&file);
    assert_ne!(held["accessToken"], tokens["accessToken"], "renewed");
    let o = get_location(&mut oauth_contacts(&sbx, &redis, &file, "restart:"), &sbx)
        .wait_with_output()
        .unwrap();
    assert!(
        o.status.success(),
        "the kept token works: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The keys of a Redis, by `redis-cli` (Debian's redis-server brings it).
fn redis_keys(redis: &RedisServer) -> Vec<String> {
    let o = Command::new("redis-cli")
        .args(["-p", &redis.port().to_string(), "--scan"])
        .output()
        .expect("redis-cli");
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(str::to_owned)
        .collect()
}

/// With `--fleet-redis`, a poll keeps its per-record state in the fleet's
/// Redis, not in a file: a second machine (another directory, given only
/// the host's checkpoint) goes on where the first stopped and reports the
/// one change since, not the location's every contact.
#[test]
fn a_poll_in_fleet_mode_keeps_its_per_record_state_in_redis() {
    let sbx = sandbox(100, 10_000, 1_000_000, 86_400_000);
    let redis = RedisServer::start();
    let (first, second) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let poll = |dir: &std::path::Path| {
        let o = contacts(&sbx, &redis)
            .args([
                "poll",
                "ContactCreate,ContactUpdate",
                "--params",
                r#"{"overlapMs":0}"#,
            ])
            .arg("--checkpoint-file")
            .arg(dir.join("checkpoint"))
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .map(|l| serde_json::from_str::<Value>(l).unwrap())
            .collect::<Vec<_>>()
    };
    assert!(
        poll(first.path()).is_empty(),
        "the baseline reports nothing"
    );
    assert!(
        !first.path().join("checkpoint.state").exists(),
        "no state file"
    );
    assert!(
        redis_keys(&redis).iter().any(|k| k.contains("trigger/")),
        "the per-record state is in Redis: {:?}",
        redis_keys(&redis)
    );
    // A contact the baseline saw, changed: only its stored state tells an
    // update from a creation.
    let listed = contacts(&sbx, &redis)
        .args(["call", "contacts.list", "--params"])
        .arg(format!(
            r#"{{"locationId":"{}","limit":1}}"#,
            sbx.location_id()
        ))
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let listed: Value = serde_json::from_slice(&listed.stdout).unwrap();
    let id = listed["contacts"][0]["id"].as_str().unwrap().to_string();
    let changed = contacts(&sbx, &redis)
        .args(["call", "contacts.update", "--params"])
        .arg(format!(r#"{{"contactId":"{id}","firstName":"Moved"}}"#))
        .output()
        .unwrap();
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    std::fs::copy(
        first.path().join("checkpoint"),
        second.path().join("checkpoint"),
    )
    .unwrap();
    let events = poll(second.path());
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["ContactUpdate"], "{events:?}");
    assert_eq!(events[0]["id"], id.as_str());
}

/// A CA and a certificate for 127.0.0.1 it signed, by `openssl`, in `dir`:
/// `ca.pem`, `cert.pem`, `key.pem`.
fn tls_certificates(dir: &std::path::Path) {
    let openssl = |args: &[&str]| {
        let o = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .output()
            .expect("openssl");
        assert!(
            o.status.success(),
            "openssl {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
    };
    std::fs::write(dir.join("san.ext"), "subjectAltName=IP:127.0.0.1\n").unwrap();
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "1",
        "-subj",
        "/CN=libcontacts test CA",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "key.pem",
        "-out",
        "cert.csr",
        "-subj",
        "/CN=127.0.0.1",
    ]);
    openssl(&[
        "x509",
        "-req",
        "-in",
        "cert.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "cert.pem",
        "-days",
        "1",
        "-extfile",
        "san.ext",
    ]);
}

/// `rediss://` with AUTH against a Redis that takes TLS only: the fleet
/// works (it fails closed, so a call that succeeds reached Redis); a wrong
/// password and a plain `redis://` fail with FLEET_UNAVAILABLE; and the
/// password appears in no output.
#[test]
fn rediss_and_auth_work_and_the_password_is_never_printed() {
    let sbx = sandbox(100, 10_000, 1_000_000, 86_400_000);
    let certs = tempfile::tempdir().unwrap();
    tls_certificates(certs.path());
    let password = "s3cret-fleet-pass";
    let redis = RedisServer::start_tls(certs.path(), password);
    let params = format!(r#"{{"locationId":"{}"}}"#, sbx.location_id());
    let run = |url: &str| {
        contacts(&sbx, &redis)
            .env("HIGHLEVEL_FLEET_REDIS_URL", url)
            .env("SSL_CERT_FILE", certs.path().join("ca.pem"))
            .args(["call", "locations.get", "--params", &params])
            .output()
            .unwrap()
    };
    let tls = format!("rediss://:{password}@127.0.0.1:{}", redis.port());
    let ok = run(&tls);
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    for (url, secret) in [
        (
            format!("rediss://:wrong-fleet-pass@127.0.0.1:{}", redis.port()),
            "wrong-fleet-pass",
        ),
        (
            format!("redis://:{password}@127.0.0.1:{}", redis.port()),
            password,
        ),
    ] {
        let o = run(&url);
        assert!(!o.status.success(), "{url}");
        assert_eq!(
            error_code(&o),
            "FLEET_UNAVAILABLE",
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let printed = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(!printed.contains(secret), "the password leaked: {printed}");
    }
}

/// A flow's run log and idempotency keys in the fleet's Redis: processes
/// that get the same host event at once run it once between them.
#[test]
fn fleet_processes_given_one_host_event_run_it_once() {
    let sbx = sandbox(100, 10_000, 200_000, 86_400_000);
    let redis = RedisServer::start();
    let flow = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/flows/host-member-updated.json");
    let event = r#"{"type": "member.updated", "id": "fleet-1", "data": {"name": "Ada Lovelace", "email": "fleet@example.com", "changed": ["email"]}}"#;
    let children: Vec<Child> = (0..4)
        .map(|_| {
            contacts(&sbx, &redis)
                .args(["flow", "event"])
                .arg(&flow)
                .args(["--event", event])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let runs: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            serde_json::from_slice(&o.stdout).unwrap()
        })
        .collect();
    let ran = runs.iter().filter(|r| r["replayed"] == false).count();
    assert_eq!(ran, 1, "exactly one process ran it: {runs:?}");
    let id = runs
        .iter()
        .find(|r| r["replayed"] == false)
        .map(|r| {
            r["steps"][0]["result"]["contact"]["id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .unwrap();
    let tasks = contacts(&sbx, &redis)
        .args(["tasks", "list", &id])
        .output()
        .unwrap();
    let tasks: Value = serde_json::from_slice(&tasks.stdout).unwrap();
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 1, "{tasks}");
}

#[test]
fn two_sync_processes_on_one_fleet_sync_once_and_keep_their_state_in_redis() {
    let sbx = sandbox(100, 1_000, 200_000, 86_400_000);
    let redis = RedisServer::start();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute_batch(
        "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, updated_at INTEGER NOT NULL, deleted_at INTEGER);",
    )
    .unwrap();
    for i in 0..60 {
        conn.execute(
            "INSERT INTO members (email, updated_at) VALUES (?1, 1)",
            [format!("fleet-sync-{i}@example.com")],
        )
        .unwrap();
    }
    let template = dir.path().join("map.json");
    std::fs::write(
        &template,
        r#"{"name": "fleet-members", "target": "contact", "direction": "both",
            "fields": [{"from": "email", "to": "email", "transforms": ["email"]}]}"#,
    )
    .unwrap();
    let host = format!("sqlite:{}", db.display());
    let children: Vec<Child> = (0..2)
        .map(|_| {
            contacts(&sbx, &redis)
                .args(["sync", "--host", &host, "--table", "members", "--template"])
                .arg(&template)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let reports: Vec<Value> = children
        .into_iter()
        .map(|c| {
            let o = c.wait_with_output().unwrap();
            assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
            serde_json::from_slice(&o.stdout).unwrap()
        })
        .collect();
    let created: u64 = reports
        .iter()
        .map(|r| r["created"]["highlevel"].as_u64().unwrap())
        .sum();
    assert_eq!(
        created, 60,
        "one pass created them, the other waited for its lease: {reports:?}"
    );
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM members", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 63, "the 3 seeded contacts became host rows once");
    let keys = redis_keys(&redis);
    assert!(
        keys.iter().any(|k| k.contains("sync/members/meta")),
        "{keys:?}"
    );
    assert!(
        !dir.path().join("app.db.sync").exists(),
        "no state file beside the host in fleet mode"
    );
    let again = contacts(&sbx, &redis)
        .args(["sync", "--host", &host, "--table", "members", "--template"])
        .arg(&template)
        .output()
        .unwrap();
    let again: Value = serde_json::from_slice(&again.stdout).unwrap();
    assert_eq!(
        again["created"],
        serde_json::json!({"highlevel": 0, "host": 0}),
        "{again}"
    );
}
