//! `contacts call NAME --repeat N`: one operation many times, with a
//! summary a load test reads (how many succeeded, each error code, the
//! engine's counts of requests, 429s and retries).

use contacts_core::Error;
use contacts_core::native::Client;
use futures_util::StreamExt;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Instant;

/// Runs `name` with `params` `times` times, `concurrency` at once, then
/// prints one JSON summary line. Fails (exit 1) if any call failed, after
/// the summary.
pub async fn run(
    client: &Client,
    name: &str,
    params: Value,
    times: u64,
    concurrency: u64,
) -> Result<(), Error> {
    let started = Instant::now();
    let mut outcomes = futures_util::stream::iter(0..times)
        .map(|_| client.call(name, params.clone()))
        .buffer_unordered(concurrency as usize);
    let (mut ok, mut errors) = (0u64, BTreeMap::<&'static str, u64>::new());
    let mut last_error = None;
    while let Some(outcome) = outcomes.next().await {
        match outcome {
            Ok(_) => ok += 1,
            Err(e) => {
                *errors.entry(e.code().as_str()).or_default() += 1;
                last_error = Some(e);
            }
        }
    }
    let stats = client.engine().stats();
    println!(
        "{}",
        json!({
            "calls": times,
            "ok": ok,
            "errors": errors,
            "requests": stats.requests,
            "rateLimited": stats.rate_limited,
            "retries": stats.retries,
            "elapsedMs": started.elapsed().as_millis() as u64,
        })
    );
    match last_error {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
