//! The budget a host can show on its dashboard: the limits, what is left,
//! and what the client has done since it started.

use std::fmt::Write;

/// What is assumed about the daily budget's reset. HighLevel documents no
/// reset time and sends no reset header (fact sheet §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DailyReset {
    /// Once the day is spent, calls are refused this long, then one request
    /// probes whether the day has reset.
    pub probe_every_ms: u64,
    /// When the next probe may go, if the day is spent now (Unix ms).
    pub next_probe_at_ms: Option<u64>,
}

/// The usage of one location (or company) by one client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// The location or company the budget is for, if the credentials name it.
    pub location: Option<String>,
    /// When this was read (Unix ms, the transport's clock).
    pub at_ms: u64,
    /// Requests per burst window (learned from `X-RateLimit-Max`).
    pub burst_limit: u64,
    /// Left in the burst window now, by the engine's count raised to what
    /// the last response reported.
    pub burst_remaining: u64,
    /// The burst window (learned from `X-RateLimit-Interval-Milliseconds`).
    pub interval_ms: u64,
    /// Requests per day (learned from `X-RateLimit-Limit-Daily`).
    pub daily_limit: u64,
    /// Left today: the last response's `X-RateLimit-Daily-Remaining` less
    /// what was sent since; `None` before any response said.
    pub daily_remaining: Option<u64>,
    /// The reset assumption.
    pub daily_reset: Option<DailyReset>,
    /// The last response's rate headers, and when it came (Unix ms).
    pub last_headers: Option<(u64, super::RateHeaders)>,
    /// API requests sent since the client started.
    pub requests: u64,
    /// 429s seen.
    pub rate_limited: u64,
    /// Requests that were retries.
    pub retries: u64,
    /// Times a call waited for the rate budget, and their total time.
    pub waits: u64,
    /// The total of those waits.
    pub wait_ms: u64,
    /// Token refreshes and mints that succeeded.
    pub refreshes: u64,
    /// Whether what is left is the fleet's (read from its shared store)
    /// rather than this engine's own count. The counts stay this process's.
    pub fleet: bool,
}

impl Usage {
    /// The report every surface gives (`usage()`): `{"locations": [..]}`,
    /// one [`Usage::to_json`] object per location.
    pub fn report_json(usages: &[Usage]) -> String {
        let each: Vec<String> = usages.iter().map(Usage::to_json).collect();
        format!("{{\"locations\":[{}]}}", each.join(","))
    }

    /// One location's usage as a JSON object.
    pub fn to_json(&self) -> String {
        let mut s = String::from("{");
        let mut first = true;
        let mut key = |s: &mut String, k: &str| {
            if !first {
                s.push(',');
            }
            first = false;
            let _ = write!(s, "\"{k}\":");
        };
        key(&mut s, "location");
        s.push_str(&serde_json::Value::from(self.location.clone()).to_string());
        key(&mut s, "at");
        let _ = write!(s, "{}", self.at_ms);
        key(&mut s, "budget");
        s.push_str(if self.fleet { "\"fleet\"" } else { "\"local\"" });
        key(&mut s, "burst");
        let _ = write!(
            s,
            "{{\"limit\":{},\"remaining\":{},\"intervalMs\":{}}}",
            self.burst_limit, self.burst_remaining, self.interval_ms
        );
        key(&mut s, "daily");
        let _ = write!(s, "{{\"limit\":{},\"remaining\":", self.daily_limit);
        match self.daily_remaining {
            Some(d) => {
                let _ = write!(s, "{d}");
            }
            None => s.push_str("null"),
        }
        if let Some(r) = self.daily_reset {
            let _ = write!(
                s,
                ",\"reset\":{{\"documented\":false,\"probeEveryMs\":{}",
                r.probe_every_ms
            );
            if let Some(at) = r.next_probe_at_ms {
                let _ = write!(s, ",\"nextProbeAt\":{at}");
            }
            s.push('}');
        }
        s.push('}');
        key(&mut s, "lastHeaders");
        match &self.last_headers {
            Some((at, h)) => {
                let _ = write!(s, "{{\"at\":{at}");
                for (k, v) in [
                    ("max", h.max),
                    ("remaining", h.remaining),
                    ("intervalMs", h.interval_ms),
                    ("dailyLimit", h.daily_limit),
                    ("dailyRemaining", h.daily_remaining),
                ] {
                    if let Some(v) = v {
                        let _ = write!(s, ",\"{k}\":{v}");
                    }
                }
                s.push('}');
            }
            None => s.push_str("null"),
        }
        key(&mut s, "counts");
        let _ = write!(
            s,
            "{{\"requests\":{},\"rateLimited\":{},\"retries\":{},\"waits\":{},\"waitMs\":{},\"refreshes\":{}}}",
            self.requests,
            self.rate_limited,
            self.retries,
            self.waits,
            self.wait_ms,
            self.refreshes
        );
        s.push('}');
        s
    }
}
