//! The rate budget of one resource (a location, or a company for agency
//! calls): calls wait for room instead of collecting 429s.
//!
//! HighLevel counts requests per (app, resource) in windows of
//! `X-RateLimit-Interval-Milliseconds` (fact sheet §5). The decision is the
//! rate rule ([`crate::state::rate`]): kept here, in this engine's memory,
//! or, in a fleet, in the shared store, where every process's reservation
//! is one atomic step. Either way this budget learns the limits from the
//! headers and remembers what responses reported, for the next reservation
//! to tell the fleet.

use crate::HttpResponse;
use crate::observe::RateHeaders;
use crate::state::{Lane, RateGrant, RateRequest, RateState, ServerSeen};

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
    /// the server's. Also scaled: at least 2% of the window, and at least
    /// the slowest recent round trip (a request counts from when it was
    /// reserved, the server counts it when it arrives).
    pub margin_ms: u64,
    /// Once the day's budget is spent, calls are refused (RATE_LIMITED,
    /// `daily`) for this long, then one request goes to see whether the day
    /// has reset. HighLevel documents no reset time and sends no reset
    /// header, so this is the assumption: by default 15 minutes.
    pub daily_probe_ms: u64,
}

/// The default wait between daily probes.
pub const DEFAULT_DAILY_PROBE_MS: u64 = 15 * 60 * 1000;

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits {
            burst_max: 100,
            interval_ms: 10_000,
            daily_max: 200_000,
            margin_ms: 20,
            daily_probe_ms: DEFAULT_DAILY_PROBE_MS,
        }
    }
}

/// One resource's budget.
#[derive(Debug)]
pub(crate) struct Budget {
    max: u32,
    interval_ms: u64,
    margin_ms: u64,
    probe_ms: u64,
    /// Requests per day, learned from `X-RateLimit-Limit-Daily`.
    daily_max: u64,
    /// The last response's rate headers, and when it came.
    last_headers: Option<(u64, RateHeaders)>,
    /// The slowest recent round trip, from asking for a slot to the
    /// response, decaying by 1/256 per response. Kept in fleet builds: a
    /// fleet's reservation is a store round trip before the send, which is
    /// what makes the skew large; the npm package's main module has none.
    #[cfg(feature = "fleet")]
    slowest_ms: u64,
    local: RateState,
    /// What responses reported since the last fleet reservation.
    #[cfg(feature = "fleet")]
    untold: Option<ServerSeen>,
}

impl Budget {
    pub(crate) fn new(l: &RateLimits) -> Budget {
        Budget {
            max: l.burst_max.max(1),
            interval_ms: l.interval_ms,
            margin_ms: l.margin_ms,
            probe_ms: l.daily_probe_ms,
            daily_max: u64::from(l.daily_max),
            last_headers: None,
            #[cfg(feature = "fleet")]
            slowest_ms: 0,
            local: RateState::default(),
            #[cfg(feature = "fleet")]
            untold: None,
        }
    }

    fn span(&self) -> u64 {
        let margin = self.margin_ms.max(self.interval_ms / 50);
        #[cfg(feature = "fleet")]
        let margin = margin.max(self.slowest_ms);
        self.interval_ms + margin
    }

    /// How long the day's budget is refused before a probe.
    pub(crate) fn probe_ms(&self) -> u64 {
        self.probe_ms
    }

    /// The question for the rate rule, at `share_percent` of the limit.
    fn request(&self, lane: Lane, share_percent: u32, seen: Option<ServerSeen>) -> RateRequest {
        let max = (u64::from(self.max) * u64::from(share_percent) / 100).max(1);
        RateRequest {
            burst_max: u32::try_from(max).unwrap_or(u32::MAX),
            span_ms: self.span(),
            lane,
            daily_probe_ms: self.probe_ms,
            seen,
        }
    }

    /// Takes a slot of this engine's own budget at `now_ms` (`share_percent`
    /// of the limit: 100 alone, less as a fleet's fallback), or says how long
    /// to wait.
    #[inline(never)]
    pub(crate) fn reserve(&mut self, now_ms: u64, lane: Lane, share_percent: u32) -> RateGrant {
        let req = self.request(lane, share_percent, None);
        self.local.reserve(&req, now_ms)
    }

    /// The fleet's question: what this engine learned since it last asked
    /// goes with it.
    #[cfg(feature = "fleet")]
    pub(crate) fn fleet_request(&mut self, lane: Lane) -> RateRequest {
        let seen = self.untold.take();
        self.request(lane, 100, seen)
    }

    /// Learns from a response's `X-RateLimit-*` headers: the limits, and
    /// how much of them the server has seen used (another client shares the
    /// budget, or a 429), which raises this budget's count; and from its
    /// round trip `rtt_ms`, the margin.
    #[inline(never)]
    pub(crate) fn learn(&mut self, now_ms: u64, resp: &HttpResponse, rtt_ms: u64) {
        #[cfg(feature = "fleet")]
        {
            self.slowest_ms = rtt_ms.max(self.slowest_ms - self.slowest_ms / 256);
        }
        #[cfg(not(feature = "fleet"))]
        let _ = rtt_ms;
        let headers = RateHeaders::of(resp);
        if headers != RateHeaders::default() {
            self.last_headers = Some((now_ms, headers));
        }
        if let Some(max) = headers.max.filter(|m| *m > 0) {
            self.max = u32::try_from(max).unwrap_or(u32::MAX);
        }
        if let Some(i) = headers.interval_ms.filter(|i| *i > 0) {
            self.interval_ms = i;
        }
        if let Some(d) = headers.daily_limit.filter(|d| *d > 0) {
            self.daily_max = d;
        }
        let burst_used = if resp.status == 429 {
            Some(self.max)
        } else {
            headers
                .remaining
                .map(|r| u32::try_from(u64::from(self.max).saturating_sub(r)).unwrap_or(self.max))
        };
        let seen = ServerSeen {
            at_ms: now_ms,
            burst_used,
            daily_remaining: headers.daily_remaining,
        };
        if seen.burst_used.is_none() && seen.daily_remaining.is_none() {
            return;
        }
        let req = self.request(Lane::Interactive, 100, None);
        self.local.learn(&seen, &req, now_ms);
        #[cfg(feature = "fleet")]
        {
            self.untold = Some(match self.untold {
                Some(old) => old.merge(seen),
                None => seen,
            });
        }
    }
}

impl Budget {
    /// The limits and what is left at `now_ms`, into `usage`.
    pub(crate) fn fill_usage(&self, now_ms: u64, usage: &mut crate::observe::Usage) {
        let req = self.request(Lane::Interactive, 100, None);
        usage.burst_limit = u64::from(self.max);
        usage.burst_remaining =
            u64::from(self.max).saturating_sub(self.local.held_at(&req, now_ms));
        usage.interval_ms = self.interval_ms;
        usage.daily_limit = self.daily_max;
        usage.daily_remaining = self.local.daily_remaining;
        usage.daily_reset = Some(crate::observe::DailyReset {
            probe_every_ms: self.probe_ms,
            next_probe_at_ms: (self.local.daily_remaining == Some(0))
                .then_some(self.local.daily_probe_at_ms),
        });
        usage.last_headers = self.last_headers;
    }

    /// What is left at `now_ms` by a fleet's shared state (`None`: no
    /// process has reserved yet), into `usage`: the fleet's count, not
    /// this engine's.
    #[cfg(feature = "fleet")]
    pub(crate) fn fill_shared_usage(
        &self,
        shared: Option<&RateState>,
        now_ms: u64,
        usage: &mut crate::observe::Usage,
    ) {
        let empty = RateState::default();
        let shared = shared.unwrap_or(&empty);
        let req = self.request(Lane::Interactive, 100, None);
        usage.burst_remaining = u64::from(self.max).saturating_sub(shared.held_at(&req, now_ms));
        usage.daily_remaining = shared.daily_remaining.or(usage.daily_remaining);
        if let Some(reset) = usage.daily_reset.as_mut() {
            reset.next_probe_at_ms =
                (shared.daily_remaining == Some(0)).then_some(shared.daily_probe_at_ms);
        }
        usage.fleet = true;
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
            daily_probe_ms: 5_000,
        }
    }

    #[test]
    fn learns_from_headers_and_429() {
        let mut b = Budget::new(&limits(100, 10_000));
        let r = HttpResponse::new(200, "")
            .with_header("X-RateLimit-Max", "2")
            .with_header("X-RateLimit-Interval-Milliseconds", "500")
            .with_header("X-RateLimit-Remaining", "1");
        b.learn(0, &r, 0);
        assert_eq!(b.reserve(0, Lane::Interactive, 100), RateGrant::Go);
        assert_eq!(b.reserve(0, Lane::Interactive, 100), RateGrant::Wait(510));
        let mut b = Budget::new(&limits(5, 1000));
        b.learn(100, &HttpResponse::new(429, ""), 0);
        assert_eq!(
            b.reserve(100, Lane::Interactive, 100),
            RateGrant::Wait(1020)
        );
        b.learn(
            2000,
            &HttpResponse::new(200, "").with_header("X-RateLimit-Daily-Remaining", "0"),
            0,
        );
        assert_eq!(
            b.reserve(5000, Lane::Interactive, 100),
            RateGrant::DailySpent {
                retry_after_ms: 2000
            }
        );
        // the bug this fixes: the day was refused for the life of the process
        assert_eq!(
            b.reserve(7000, Lane::Interactive, 100),
            RateGrant::Go,
            "a probe"
        );
        let told = b.fleet_request(Lane::Interactive).seen.unwrap();
        assert_eq!((told.burst_used, told.daily_remaining), (Some(5), Some(0)));
        assert_eq!(b.fleet_request(Lane::Interactive).seen, None, "told once");
    }

    #[test]
    fn a_slow_round_trip_widens_the_margin() {
        let mut b = Budget::new(&limits(1, 1000));
        b.learn(0, &HttpResponse::new(200, ""), 45);
        assert_eq!(b.reserve(0, Lane::Interactive, 100), RateGrant::Go);
        assert_eq!(b.reserve(0, Lane::Interactive, 100), RateGrant::Wait(1045));
    }

    #[test]
    fn a_share_is_a_fraction_of_the_limit() {
        let mut b = Budget::new(&limits(10, 1000));
        let granted = (0..10)
            .filter(|_| b.reserve(0, Lane::Interactive, 30) == RateGrant::Go)
            .count();
        assert_eq!(granted, 3);
    }
}
