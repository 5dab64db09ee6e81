//! The rate budget of one resource (a location, or a company for agency
//! calls): calls wait for room instead of collecting 429s.
//!
//! HighLevel counts requests per (app, resource) in windows of
//! `X-RateLimit-Interval-Milliseconds` (fact sheet §5). The budget keeps the
//! send times of the last `max` requests and lets a new one go only when the
//! oldest is more than one window (plus a safety margin for latency jitter)
//! old, so no window on the server's side can see more than `max`.

use crate::HttpResponse;
use std::collections::VecDeque;

/// Rate settings; the defaults are HighLevel's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimits {
    /// Requests per window (HighLevel: 100). Learned from `X-RateLimit-Max`.
    pub burst_max: u32,
    /// The window (HighLevel: 10,000 ms). Learned from `X-RateLimit-Interval-Milliseconds`.
    pub interval_ms: u64,
    /// Requests per day (HighLevel: 200,000).
    pub daily_max: u32,
    /// Added to every window, against latency jitter between our clock and
    /// the server's. Also scaled: at least 2% of the window.
    pub margin_ms: u64,
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            burst_max: 100,
            interval_ms: 10_000,
            daily_max: 200_000,
            margin_ms: 20,
        }
    }
}

/// One resource's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    max: u32,
    interval_ms: u64,
    margin_ms: u64,
    sends: VecDeque<u64>,
    daily_remaining: Option<u64>,
}

/// What the budget says about sending now.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Room {
    /// Go: a slot is taken.
    Go,
    /// Wait this long, then ask again.
    Wait(u64),
    /// The daily budget is spent.
    DailySpent,
}

impl Budget {
    pub(crate) fn new(l: &RateLimits) -> Budget {
        Budget {
            max: l.burst_max.max(1),
            interval_ms: l.interval_ms,
            margin_ms: l.margin_ms,
            sends: VecDeque::new(),
            daily_remaining: None,
        }
    }

    fn span(&self) -> u64 {
        self.interval_ms + self.margin_ms.max(self.interval_ms / 50)
    }

    /// Takes a slot at `now_ms`, or says how long to wait.
    pub(crate) fn reserve(&mut self, now_ms: u64) -> Room {
        if self.daily_remaining == Some(0) {
            return Room::DailySpent;
        }
        let span = self.span();
        while self.sends.front().is_some_and(|&t| t + span <= now_ms) {
            self.sends.pop_front();
        }
        if self.sends.len() < self.max as usize {
            self.sends.push_back(now_ms);
            if let Some(d) = self.daily_remaining.as_mut() {
                *d = d.saturating_sub(1);
            }
            Room::Go
        } else {
            let oldest = self.sends.front().copied().unwrap_or(now_ms);
            Room::Wait((oldest + span).saturating_sub(now_ms).max(1))
        }
    }

    /// Learns from a response's `X-RateLimit-*` headers. When the server
    /// reports less room than we counted (another client shares the budget,
    /// or a 429), the window is filled so every call waits.
    pub(crate) fn learn(&mut self, now_ms: u64, resp: &HttpResponse) {
        let num = |h: &str| resp.header(h).and_then(|v| v.trim().parse::<u64>().ok());
        if let Some(max) = num("x-ratelimit-max").filter(|m| *m > 0) {
            self.max = u32::try_from(max).unwrap_or(u32::MAX);
        }
        if let Some(i) = num("x-ratelimit-interval-milliseconds").filter(|i| *i > 0) {
            self.interval_ms = i;
        }
        if let Some(d) = num("x-ratelimit-daily-remaining") {
            self.daily_remaining = Some(d);
        }
        let exhausted = resp.status == 429 || num("x-ratelimit-remaining") == Some(0);
        if exhausted {
            while self.sends.len() < self.max as usize {
                self.sends.push_back(now_ms);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(max: u32, interval: u64) -> RateLimits {
        RateLimits {
            burst_max: max,
            interval_ms: interval,
            daily_max: 1000,
            margin_ms: 0,
        }
    }

    #[test]
    fn no_window_ever_sees_more_than_max() {
        let mut b = Budget::new(&limits(3, 1000));
        let mut sent = Vec::new();
        let mut now = 0;
        while sent.len() < 30 {
            match b.reserve(now) {
                Room::Go => sent.push(now),
                Room::Wait(ms) => now += ms,
                Room::DailySpent => unreachable!(),
            }
        }
        for (i, t) in sent.iter().enumerate() {
            let in_window = sent[i..].iter().filter(|&&u| u < t + 1000).count();
            assert!(
                in_window <= 3,
                "{in_window} sends within a window starting at {t}"
            );
        }
        // and the rate is the allowed one: 30 sends in about 10 windows
        assert!(*sent.last().unwrap() <= 9 * 1020);
    }

    #[test]
    fn learns_from_headers_and_429() {
        let mut b = Budget::new(&limits(100, 10_000));
        let r = HttpResponse::new(200, "")
            .with_header("X-RateLimit-Max", "2")
            .with_header("X-RateLimit-Interval-Milliseconds", "500")
            .with_header("X-RateLimit-Remaining", "1");
        b.learn(0, &r);
        assert_eq!(b.reserve(0), Room::Go);
        assert_eq!(b.reserve(0), Room::Go);
        assert_eq!(b.reserve(0), Room::Wait(510));
        let mut b = Budget::new(&limits(5, 1000));
        b.learn(100, &HttpResponse::new(429, ""));
        assert_eq!(b.reserve(100), Room::Wait(1020));
        b.learn(
            2000,
            &HttpResponse::new(200, "").with_header("X-RateLimit-Daily-Remaining", "0"),
        );
        assert_eq!(b.reserve(5000), Room::DailySpent);
    }
}
