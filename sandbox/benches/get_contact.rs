//! Throughput of `GET /contacts/{id}` over loopback, with the sandbox on one
//! tokio worker thread (one core). Target: at least 20,000 requests/s, so the
//! sandbox is never the bottleneck of a client benchmark.
//!
//! The load comes from plain blocking keep-alive connections (one thread
//! each) that write a prepared request and read the response by its
//! Content-Length: as little client work as possible, so what is measured is
//! the server. Prints one JSON line.
//!
//! `cargo bench -p contacts-sandbox --bench get_contact [-- SECONDS CONNECTIONS]`

use contacts_sandbox::{Budgets, SandboxConfig, SandboxThread};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let seconds: f64 = args.first().and_then(|s| s.parse().ok()).unwrap_or(5.0);
    let connections: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(16);
    let sandbox = SandboxThread::start(
        SandboxConfig {
            seed: 1000,
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
    .expect("sandbox starts");
    let id = sandbox.first_contact_id().expect("seeded").to_string();
    let addr = sandbox.base_url().trim_start_matches("http://").to_string();
    let request = format!(
        "GET /contacts/{id} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {}\r\nVersion: 2021-07-28\r\nAccept: application/json\r\n\r\n",
        sandbox.pit()
    );
    let stop = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (addr, request, stop) = (addr.clone(), request.clone(), stop.clone());
            std::thread::spawn(move || {
                let stream = TcpStream::connect(&addr).expect("connect");
                stream.set_nodelay(true).ok();
                let mut writer = stream.try_clone().expect("clone");
                let mut reader = BufReader::new(stream);
                let mut latencies = Vec::with_capacity(200_000);
                let mut line = String::new();
                let mut body = Vec::new();
                while !stop.load(Ordering::Relaxed) {
                    let t = Instant::now();
                    writer.write_all(request.as_bytes()).expect("write");
                    let mut length = 0usize;
                    let mut status_ok = false;
                    loop {
                        line.clear();
                        reader.read_line(&mut line).expect("read");
                        if line.starts_with("HTTP/1.1 ") {
                            status_ok = line.as_bytes().get(9..12) == Some(b"200");
                        }
                        let lower = line.to_ascii_lowercase();
                        if let Some(v) = lower.strip_prefix("content-length:") {
                            length = v.trim().parse().expect("length");
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    body.resize(length, 0);
                    reader.read_exact(&mut body).expect("body");
                    assert!(status_ok, "non-200 answer");
                    latencies.push(t.elapsed());
                }
                latencies
            })
        })
        .collect();
    std::thread::sleep(Duration::from_secs_f64(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all: Vec<Duration> = workers
        .into_iter()
        .flat_map(|w| w.join().expect("worker"))
        .collect();
    let elapsed = start.elapsed().as_secs_f64();
    all.sort();
    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)].as_micros();
    println!(
        "{{\"bench\":\"sandbox_get_contact\",\"server_threads\":1,\"connections\":{connections},\"requests\":{},\"seconds\":{elapsed:.2},\"requests_per_s\":{:.0},\"p50_us\":{},\"p99_us\":{}}}",
        all.len(),
        all.len() as f64 / elapsed,
        pct(0.50),
        pct(0.99)
    );
}
