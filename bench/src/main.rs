//! `contacts-bench`: get-contact through the native client against a running
//! sandbox, at each concurrency given, for a fixed time. Prints one JSON line
//! per concurrency: calls/s, p50/p99 latency, client CPU µs per call, peak RSS.
//!
//! `contacts-bench BASE_URL TOKEN LOCATION_ID CONTACT_ID [SECONDS] [CONCURRENCY,…]`
//!
//! CPU and RSS come from /proc/self (Linux): this process is only the client.
//!
//! `BENCH_OBSERVER=drop` attaches an observer at level debug that drops
//! every event (what the event stream costs when someone listens).

use contacts_core::engine::{EngineConfig, RateLimits};
use contacts_core::native::Client;
use contacts_core::observe::{Event, Level, Observer, ObserverOptions};
use contacts_core::{Config, Credentials};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// An observer that builds nothing from the events it gets.
struct DropEvents;

impl Observer for DropEvents {
    fn event(&self, event: &Event<'_>) {
        std::hint::black_box(event);
    }
}

/// User + system CPU time of this process, in microseconds.
fn cpu_us() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks: u64 = f.get(11).and_then(|u| u.parse().ok()).unwrap_or(0)
        + f.get(12).and_then(|s| s.parse().ok()).unwrap_or(0);
    ticks * 1_000_000 / 100 // USER_HZ is 100 on Linux
}

/// Peak resident set size (VmHWM), KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 4 {
        eprintln!(
            "usage: contacts-bench BASE_URL TOKEN LOCATION_ID CONTACT_ID [SECONDS] [CONCURRENCY,...]"
        );
        std::process::exit(2);
    }
    let seconds: f64 = args.get(4).and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let levels: Vec<usize> = args
        .get(5)
        .map(|s| s.split(',').filter_map(|c| c.parse().ok()).collect())
        .unwrap_or(vec![1, 32]);
    let workers: usize = std::env::var("BENCH_CLIENT_THREADS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async move {
        let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken { token: args[1].clone().into(), location_id: Some(args[2].clone()) });
        cfg.config = Config::new(&args[0]);
        // The sandbox for this bench grants a huge budget; start from it.
        cfg.rate = RateLimits { burst_max: u32::MAX, interval_ms: 10_000, daily_max: u32::MAX, margin_ms: 0, ..RateLimits::default() };
        let client = Client::new(cfg).expect("client");
        if std::env::var("BENCH_OBSERVER").as_deref() == Ok("drop") {
            client.set_observer(
                Some(Arc::new(DropEvents)),
                ObserverOptions { min_level: Level::Debug, contact_data: false },
            );
        }
        let id = args[3].clone();
        client.get_contact(&id).await.expect("warm-up call");
        for concurrency in levels {
            let stop = Arc::new(AtomicBool::new(false));
            let cpu0 = cpu_us();
            let start = Instant::now();
            let workers: Vec<_> = (0..concurrency)
                .map(|_| {
                    let (c, id, stop) = (client.clone(), id.clone(), stop.clone());
                    tokio::spawn(async move {
                        let mut lat = Vec::with_capacity(100_000);
                        while !stop.load(Ordering::Relaxed) {
                            let t = Instant::now();
                            c.get_contact(&id).await.expect("call");
                            lat.push(t.elapsed().as_micros() as u64);
                        }
                        lat
                    })
                })
                .collect();
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
            stop.store(true, Ordering::Relaxed);
            let mut all = Vec::new();
            for w in workers {
                all.extend(w.await.expect("worker"));
            }
            let elapsed = start.elapsed().as_secs_f64();
            let cpu = cpu_us() - cpu0;
            all.sort_unstable();
            let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
            println!(
                "{{\"client\":\"rust\",\"concurrency\":{concurrency},\"calls\":{},\"calls_per_s\":{:.0},\"p50_us\":{},\"p99_us\":{},\"cpu_us_per_call\":{:.1},\"peak_rss_kib\":{}}}",
                all.len(),
                all.len() as f64 / elapsed,
                pct(0.5),
                pct(0.99),
                cpu as f64 / all.len() as f64,
                peak_rss_kib()
            );
        }
    });
}
