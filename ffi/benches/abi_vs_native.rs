//! get-contact through the C ABI against the native Rust client, in one run,
//! against one in-process sandbox: `contacts_client_call` (blocking) from N
//! host threads, `contacts_client_call_async` as N completion-driven chains,
//! and `native::Client::call` (JSON in and out, like the ABI) and
//! `native::Client::get_contact` (typed) as N tasks. Alternating rounds, medians, and the
//! process CPU per call of each. Also the time `contacts_client_new` takes.
//! Target: the ABI within 5% of native. Prints JSON lines.
//!
//! `cargo bench -p contacts-ffi --bench abi_vs_native [-- SECONDS]`
//!
//! For profiling: `ABI_BENCH_ONLY=native|typed|blocking|async`,
//! `ABI_BENCH_CONCURRENCY=N`, `ABI_BENCH_WORKERS=N` (the ABI's `workerThreads`).

use contacts::*;
use contacts_core::engine::{EngineConfig, RateLimits};
use contacts_core::native::Client;
use contacts_core::{Config, Credentials};
use contacts_sandbox::{Budgets, SandboxConfig, SandboxThread};
use std::ptr::null_mut;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const CONCURRENCY: [usize; 2] = [1, 16];

/// A chain of async ABI calls: each completion starts the next.
struct Chain {
    client: usize,
    params: String,
    stop: AtomicBool,
    calls: AtomicU64,
    live: AtomicU64,
}

impl Chain {
    fn start(self: &Arc<Self>) {
        let name = "contacts.get";
        let ud = Arc::into_raw(self.clone()) as *mut std::os::raw::c_void;
        let err = contacts_client_call_async(
            self.client as *const contacts_client,
            name.as_ptr().cast(),
            name.len(),
            self.params.as_ptr().cast(),
            self.params.len(),
            Some(chain_done),
            ud,
            null_mut(),
        );
        assert!(err.is_null());
    }
}

unsafe extern "C" fn chain_done(
    ud: *mut std::os::raw::c_void,
    res: *mut contacts_result,
    err: *mut contacts_error,
) {
    let chain = unsafe { Arc::from_raw(ud as *const Chain) };
    assert!(err.is_null());
    contacts_result_free(res);
    chain.calls.fetch_add(1, Ordering::Relaxed);
    if chain.stop.load(Ordering::SeqCst) {
        chain.live.fetch_sub(1, Ordering::SeqCst);
    } else {
        chain.start();
    }
}

fn main() {
    let seconds: f64 = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(4.0);
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 100,
            budgets: Budgets {
                burst_max: u32::MAX,
                interval_ms: 10_000,
                daily_max: u32::MAX,
                ..Default::default()
            },
            ..Default::default()
        },
        1,
    )
    .expect("sandbox");
    let id = sbx.first_contact_id().unwrap().to_string();
    // ABI_BENCH_WORKERS=N sets the ABI runtime's workerThreads (default: the ABI's default).
    let workers = std::env::var("ABI_BENCH_WORKERS")
        .map(|n| format!(r#""workerThreads":{n},"#))
        .unwrap_or_default();
    let cfg = format!(
        r#"{{{workers}"baseUrl":"{}","credentials":{{"kind":"privateIntegrationToken","token":"{}","locationId":"{}"}},"rateLimits":{{"burstMax":4000000000,"intervalMs":10000,"dailyMax":4000000000}}}}"#,
        sbx.base_url(),
        sbx.pit(),
        sbx.location_id()
    );

    // contacts_client_new: the first starts the runtime; later ones reuse it.
    let t = Instant::now();
    let mut first = null_mut();
    assert!(
        contacts_client_new(cfg.as_ptr().cast(), cfg.len(), std::ptr::null(), &mut first).is_null()
    );
    let first_us = t.elapsed().as_micros();
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        let mut c = null_mut();
        assert!(
            contacts_client_new(cfg.as_ptr().cast(), cfg.len(), std::ptr::null(), &mut c).is_null()
        );
        times.push(t.elapsed().as_micros());
        contacts_client_free(c);
    }
    times.sort_unstable();
    println!(
        "{{\"bench\":\"contacts_client_new\",\"first_us\":{first_us},\"median_us\":{}}}",
        times[times.len() / 2]
    );

    let params = format!(r#"{{"contactId":"{id}"}}"#);
    let client_addr = first as usize;
    let mut native_cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: sbx.pit().into(),
        location_id: Some(sbx.location_id().into()),
    });
    native_cfg.config = Config::new(sbx.base_url());
    native_cfg.rate = RateLimits {
        burst_max: u32::MAX,
        interval_ms: 10_000,
        daily_max: u32::MAX,
        margin_ms: 0,
        ..RateLimits::default()
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let native = rt.block_on(async { Client::new(native_cfg).unwrap() });

    // Alternating rounds, medians: on a shared 2-core machine identical runs
    // drift by more than the gap being measured, so each round measures all
    // three clients back to back and the ratio is of the medians.
    // ABI_BENCH_ONLY=native|blocking|async runs one mode (for a profiler).
    let only = std::env::var("ABI_BENCH_ONLY").ok();
    let runs = |mode: &str| only.as_deref().is_none_or(|o| o == mode);
    // ABI_BENCH_CONCURRENCY=N runs one concurrency.
    let levels: Vec<usize> = match std::env::var("ABI_BENCH_CONCURRENCY") {
        Ok(n) => vec![n.parse().expect("ABI_BENCH_CONCURRENCY is a number")],
        Err(_) => CONCURRENCY.to_vec(),
    };
    for conc in levels {
        let (mut nat, mut blk, mut asy) = (Vec::new(), Vec::new(), Vec::new());
        let (mut nat_cpu, mut blk_cpu, mut asy_cpu) = (Vec::new(), Vec::new(), Vec::new());
        let (mut typ, mut typ_cpu) = (Vec::new(), Vec::new());
        for _ in 0..ROUNDS {
            let per = seconds / ROUNDS as f64;
            if runs("native") {
                measure(&mut nat, &mut nat_cpu, || {
                    native_rate(&rt, &native, &id, conc, per, false)
                });
            }
            if runs("typed") {
                measure(&mut typ, &mut typ_cpu, || {
                    native_rate(&rt, &native, &id, conc, per, true)
                });
            }
            if runs("blocking") {
                measure(&mut blk, &mut blk_cpu, || {
                    abi_blocking_rate(client_addr, &params, conc, per)
                });
            }
            if runs("async") {
                measure(&mut asy, &mut asy_cpu, || {
                    abi_async_rate(client_addr, &params, conc, per)
                });
            }
        }
        let (n, b, a) = (median(&mut nat), median(&mut blk), median(&mut asy));
        let t = median(&mut typ);
        let (nc, bc, ac, tc) = (
            median(&mut nat_cpu),
            median(&mut blk_cpu),
            median(&mut asy_cpu),
            median(&mut typ_cpu),
        );
        println!(
            "{{\"bench\":\"get_contact\",\"concurrency\":{conc},\"rounds\":{ROUNDS},\"native_calls_per_s\":{n:.0},\"native_typed_calls_per_s\":{t:.0},\"abi_blocking_calls_per_s\":{b:.0},\"abi_async_calls_per_s\":{a:.0},\"blocking_over_native\":{:.3},\"async_over_native\":{:.3},\"blocking_over_typed\":{:.3},\"async_over_typed\":{:.3},\"native_spread\":{:.3},\"process_cpu_us_per_call\":{{\"native\":{nc:.1},\"native_typed\":{tc:.1},\"abi_blocking\":{bc:.1},\"abi_async\":{ac:.1}}}}}",
            b / n,
            a / n,
            b / t,
            a / t,
            (nat.last().unwrap_or(&n) - nat.first().unwrap_or(&n)) / n
        );
    }
    contacts_client_free(first);
}

const ROUNDS: usize = 5;

/// Runs one measurement (calls/s over a known duration), recording its rate
/// and the process CPU time per call (the in-process sandbox's share is the
/// same for every mode, so differences are the client's).
fn measure(rates: &mut Vec<f64>, cpu: &mut Vec<f64>, f: impl FnOnce() -> f64) {
    let (t0, c0) = (Instant::now(), process_cpu_seconds());
    let rate = f();
    let (secs, used) = (t0.elapsed().as_secs_f64(), process_cpu_seconds() - c0);
    rates.push(rate);
    cpu.push(used / (rate * secs).max(1.0) * 1e6);
}

/// User + system CPU of this process, from /proc/self/stat (clock ticks of
/// 10 ms: coarse, but rounds last seconds).
fn process_cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the parenthesised command name; utime and stime are 14 and 15.
    let rest = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// C ABI: `conc` host threads, each blocking in contacts_client_call.
fn abi_blocking_rate(client_addr: usize, params: &str, conc: usize, seconds: f64) -> f64 {
    let name = "contacts.get";
    let stop = Arc::new(AtomicBool::new(false));
    let calls = Arc::new(AtomicU64::new(0));
    let start = Instant::now();
    let threads: Vec<_> = (0..conc)
        .map(|_| {
            let (stop, calls, params) = (stop.clone(), calls.clone(), params.to_string());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let mut r = null_mut();
                    let err = contacts_client_call(
                        client_addr as *const contacts_client,
                        name.as_ptr().cast(),
                        name.len(),
                        params.as_ptr().cast(),
                        params.len(),
                        &mut r,
                    );
                    assert!(err.is_null());
                    contacts_result_free(r);
                    calls.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    threads.into_iter().for_each(|t| t.join().unwrap());
    calls.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
}

/// C ABI, async: `conc` chains, each completion starting the next call
/// (how an event-loop host drives libcontacts).
fn abi_async_rate(client_addr: usize, params: &str, conc: usize, seconds: f64) -> f64 {
    let chain = Arc::new(Chain {
        client: client_addr,
        params: params.to_string(),
        stop: AtomicBool::new(false),
        calls: AtomicU64::new(0),
        live: AtomicU64::new(conc as u64),
    });
    let start = Instant::now();
    for _ in 0..conc {
        chain.start();
    }
    std::thread::sleep(Duration::from_secs_f64(seconds));
    chain.stop.store(true, Ordering::SeqCst);
    while chain.live.load(Ordering::SeqCst) > 0 {
        std::thread::sleep(Duration::from_millis(5));
    }
    chain.calls.load(Ordering::SeqCst) as f64 / start.elapsed().as_secs_f64()
}

/// Native: `conc` tasks on a tokio runtime. By catalog name with JSON
/// params and a JSON result, as the ABI is called, or (`typed`) through
/// `Client::get_contact`, which returns the typed `Contact`.
fn native_rate(
    rt: &tokio::runtime::Runtime,
    native: &Client,
    id: &str,
    conc: usize,
    seconds: f64,
    typed: bool,
) -> f64 {
    rt.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let calls = Arc::new(AtomicU64::new(0));
        let start = Instant::now();
        let tasks: Vec<_> = (0..conc)
            .map(|_| {
                let (c, id, stop, calls) =
                    (native.clone(), id.to_string(), stop.clone(), calls.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        if typed {
                            c.get_contact(&id).await.unwrap();
                        } else {
                            c.call("contacts.get", serde_json::json!({"contactId": id}))
                                .await
                                .unwrap();
                        }
                        calls.fetch_add(1, Ordering::Relaxed);
                    }
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
        stop.store(true, Ordering::Relaxed);
        for t in tasks {
            t.await.unwrap();
        }
        calls.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64()
    })
}
