//! HighLevel's rate limits: a burst budget and a daily budget per (client,
//! resource), reported on every response by five `X-RateLimit-*` headers
//! (fact sheet §5). Fixed windows, as simple as the headers imply.

use std::collections::HashMap;

/// The budgets.
#[derive(Clone, Copy, Debug)]
pub struct Budgets {
    /// Requests per burst window (HighLevel: 100).
    pub burst_max: u32,
    /// The burst window in milliseconds (HighLevel: 10,000).
    pub interval_ms: u64,
    /// Requests per day (HighLevel: 200,000).
    pub daily_max: u32,
    /// The daily window in milliseconds: a day, or shorter in tests of the
    /// daily reset. HighLevel documents neither its reset time nor a reset
    /// header, and the sandbox sends none: a client learns of the reset by
    /// a request that succeeds again.
    pub day_ms: u64,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            burst_max: 100,
            interval_ms: 10_000,
            daily_max: 200_000,
            day_ms: DAY_MS,
        }
    }
}

#[derive(Default)]
struct Window {
    burst_start: u64,
    burst_used: u32,
    day_start: u64,
    day_used: u32,
}

/// Every (client, resource) window.
#[derive(Default)]
pub struct Limiter {
    windows: HashMap<(String, String), Window>,
}

/// The outcome of one request against the budgets.
pub struct Verdict {
    /// Whether the request may proceed.
    pub allowed: bool,
    /// The five headers, as sent on the response.
    pub headers: Vec<(&'static str, String)>,
}

const DAY_MS: u64 = 86_400_000;

impl Limiter {
    /// Counts one request by `client` on `resource` at `now_ms`. A refused
    /// request does not count.
    pub fn take(
        &mut self,
        budgets: &Budgets,
        client: &str,
        resource: &str,
        now_ms: u64,
    ) -> Verdict {
        let w = self
            .windows
            .entry((client.to_string(), resource.to_string()))
            .or_insert_with(|| Window {
                burst_start: now_ms,
                day_start: now_ms,
                ..Window::default()
            });
        if now_ms.saturating_sub(w.burst_start) >= budgets.interval_ms {
            w.burst_start = now_ms;
            w.burst_used = 0;
        }
        if now_ms.saturating_sub(w.day_start) >= budgets.day_ms.max(1) {
            w.day_start = now_ms;
            w.day_used = 0;
        }
        let allowed = w.burst_used < budgets.burst_max && w.day_used < budgets.daily_max;
        if allowed {
            w.burst_used += 1;
            w.day_used += 1;
        }
        Verdict {
            allowed,
            headers: vec![
                ("X-RateLimit-Limit-Daily", budgets.daily_max.to_string()),
                (
                    "X-RateLimit-Daily-Remaining",
                    (budgets.daily_max - w.day_used).to_string(),
                ),
                (
                    "X-RateLimit-Interval-Milliseconds",
                    budgets.interval_ms.to_string(),
                ),
                ("X-RateLimit-Max", budgets.burst_max.to_string()),
                (
                    "X-RateLimit-Remaining",
                    (budgets.burst_max - w.burst_used).to_string(),
                ),
            ],
        }
    }
}

impl Limiter {
    /// What each (client, resource) has left at `now_ms`, as the headers
    /// of its next response would count before taking: the sandbox's own
    /// view, for tests that hold a client's usage report to it.
    pub fn report(&self, budgets: &Budgets, now_ms: u64) -> Vec<serde_json::Value> {
        let mut rows: Vec<_> = self
            .windows
            .iter()
            .map(|((client, resource), w)| {
                let burst_used = if now_ms.saturating_sub(w.burst_start) >= budgets.interval_ms {
                    0
                } else {
                    w.burst_used
                };
                serde_json::json!({
                    "client": client,
                    "resource": resource,
                    "burstRemaining": budgets.burst_max - burst_used,
                    "dailyRemaining": budgets.daily_max - w.day_used,
                    "dailyUsed": w.day_used,
                })
            })
            .collect();
        rows.sort_by_key(|r| r.to_string());
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn burst_window_refuses_then_resets() {
        let b = Budgets {
            burst_max: 2,
            interval_ms: 1000,
            daily_max: 10,
            day_ms: DAY_MS,
        };
        let mut l = Limiter::default();
        assert!(l.take(&b, "c", "loc", 0).allowed);
        assert!(l.take(&b, "c", "loc", 10).allowed);
        let v = l.take(&b, "c", "loc", 20);
        assert!(!v.allowed);
        assert!(
            v.headers
                .contains(&("X-RateLimit-Remaining", "0".to_string()))
        );
        assert!(
            l.take(&b, "other", "loc", 20).allowed,
            "budgets are per client"
        );
        assert!(l.take(&b, "c", "loc", 1000).allowed, "a new window");
    }
}
