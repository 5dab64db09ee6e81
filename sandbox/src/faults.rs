//! Fault injection: by flag (every Nth request) and per request through the
//! `X-Sandbox-Fault` header, e.g. `X-Sandbox-Fault: latency=200,truncate`.

use std::sync::atomic::{AtomicU64, Ordering};

/// The request header that injects faults into one request.
pub const FAULT_HEADER: &str = "x-sandbox-fault";

/// One injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Wait this many milliseconds before answering.
    Latency(u64),
    /// Answer 500 (the request is not processed).
    ServerError,
    /// Answer 429 with the rate-limit headers (not processed).
    RateLimited,
    /// Answer 429 with the rate-limit headers and `Retry-After` of this
    /// many seconds (not processed).
    RetryAfter(u64),
    /// Reset the connection before processing: no change, no response.
    ResetBefore,
    /// Process the request, then reset the connection instead of answering.
    ResetAfter,
    /// Send the headers and half of the body, then break the connection.
    Truncate,
    /// Answer 200 with a body that is not JSON.
    Malformed,
    /// Send the body in small chunks, this many milliseconds apart.
    SlowBody(u64),
}

impl Fault {
    /// Parses `latency=MS`, `5xx`/`500`, `429`, `429=SECONDS` (with
    /// `Retry-After`), `reset-before`, `reset-after`,
    /// `truncate`, `malformed`, `slow-body=MS`.
    pub fn parse(s: &str) -> Result<Fault, String> {
        let (name, arg) = match s.trim().split_once('=') {
            Some((n, a)) => (n.trim(), Some(a.trim())),
            None => (s.trim(), None),
        };
        let ms = |default: u64| -> Result<u64, String> {
            arg.map_or(Ok(default), |a| {
                a.parse()
                    .map_err(|_| format!("fault {name}: {a:?} is not milliseconds"))
            })
        };
        Ok(match name {
            "latency" => Fault::Latency(ms(200)?),
            "5xx" | "500" => Fault::ServerError,
            "429" if arg.is_some() => Fault::RetryAfter(ms(1)?),
            "429" => Fault::RateLimited,
            "reset-before" => Fault::ResetBefore,
            "reset-after" => Fault::ResetAfter,
            "truncate" => Fault::Truncate,
            "malformed" => Fault::Malformed,
            "slow-body" => Fault::SlowBody(ms(50)?),
            other => return Err(format!("unknown fault {other:?}")),
        })
    }

    /// Parses a comma-separated list.
    pub fn parse_list(s: &str) -> Result<Vec<Fault>, String> {
        s.split(',')
            .filter(|p| !p.trim().is_empty())
            .map(Fault::parse)
            .collect()
    }
}

/// Faults applied by flag to every `every`-th request, and a script of
/// faults for the next API requests, one list each (`POST /sandbox/faults`).
#[derive(Debug, Default)]
pub struct FaultPlan {
    faults: Vec<Fault>,
    every: u64,
    counter: AtomicU64,
    scripted: std::sync::Mutex<std::collections::VecDeque<Vec<Fault>>>,
}

impl FaultPlan {
    /// A plan injecting `faults` into every `every`-th request (1 = all).
    pub fn new(faults: Vec<Fault>, every: u64) -> Self {
        FaultPlan {
            faults,
            every: every.max(1),
            counter: AtomicU64::new(0),
            scripted: Default::default(),
        }
    }

    /// Queues `lists`: the next API requests get them, one list each, in
    /// order (besides the flag's faults).
    pub fn script(&self, lists: Vec<Vec<Fault>>) {
        let mut q = self.scripted.lock().unwrap_or_else(|p| p.into_inner());
        q.extend(lists);
    }

    /// The next scripted list, if any (taken by API requests only).
    pub fn next_scripted(&self) -> Vec<Fault> {
        let mut q = self.scripted.lock().unwrap_or_else(|p| p.into_inner());
        q.pop_front().unwrap_or_default()
    }

    /// The faults for the next request.
    pub fn next(&self) -> Vec<Fault> {
        if self.faults.is_empty() {
            return Vec::new();
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed) + 1;
        if n % self.every == 0 {
            self.faults.clone()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_plans() {
        assert_eq!(
            Fault::parse_list("latency=5, truncate").unwrap(),
            vec![Fault::Latency(5), Fault::Truncate]
        );
        assert!(Fault::parse("explode").is_err());
        let plan = FaultPlan::new(vec![Fault::ServerError], 2);
        assert!(plan.next().is_empty());
        assert_eq!(plan.next(), vec![Fault::ServerError]);
    }
}
