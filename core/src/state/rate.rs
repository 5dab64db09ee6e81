//! The rate rule: one (app, location) budget's state and the one decision
//! made on it, whether that state lives in one engine's memory or in a store
//! a fleet of processes shares ([`super::StateStore::reserve_rate`]).
//!
//! - **Burst**: the send times of the requests of the last span (the
//!   server's window plus a margin), counted in groups: one per millisecond
//!   for budgets of up to [`EXACT_SENDS`] a window, one per 1/[`GROUPS`] of
//!   the span above that, so the state stays small (at most `GROUPS + 1`
//!   groups) however large the budget. A group leaves the span when its
//!   latest possible send does. A request goes only when fewer than
//!   `burst_max` were sent within the span, so no server window, fixed or
//!   sliding, sees more than `burst_max`; grouping only ever holds a slot
//!   longer (at most 1/`GROUPS` of the span), never shorter.
//! - **Lanes**: background work (sync, export, triggers) may burst through
//!   the first half of the window, and is then paced to one request per
//!   emission interval (`span / burst_max`); it yields while an interactive
//!   request waits. So an interactive request starts within one emission
//!   interval even when background work saturates the budget.
//! - **Day**: the remaining daily count, learned from
//!   `X-RateLimit-Daily-Remaining` and counted down by every grant. HighLevel
//!   documents no reset time or header: once it reaches 0, calls are refused
//!   for `daily_probe_ms`, then one request (the probe) goes to ask the
//!   server again. A process never stays shut out for good.
//! - **The server wins**: what a response reports (`ServerSeen`) raises the
//!   counts when the server has seen more use than the budget counted (other
//!   clients of the same app, or processes outside the fleet), never lowers.
//!
//! The state's JSON form ([`RateState::to_json`]) is the one a generic
//! store keeps under a versioned key, and the one the Redis script
//! (`redis.rs`) reads and writes with the same rule in Lua; the shared
//! vectors in `core/tests/rate_rule.rs` hold the two to the same answers.

use serde_json::{Value, json};

/// Which lane a call is in when the budget is short.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lane {
    /// A call someone is waiting for: goes first.
    #[default]
    Interactive,
    /// Sync, export, triggers: paced, and yields to interactive calls.
    Background,
}

impl Lane {
    /// The lane's wire number (the Redis script's argument).
    pub fn as_number(self) -> u8 {
        match self {
            Lane::Interactive => 0,
            Lane::Background => 1,
        }
    }
}

/// What responses reported since the last reservation (the rate headers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ServerSeen {
    /// When the response arrived (Unix ms).
    pub at_ms: u64,
    /// Requests the server counted in its current window
    /// (`X-RateLimit-Max` less `X-RateLimit-Remaining`); `burst_max` on a 429.
    pub burst_used: Option<u32>,
    /// `X-RateLimit-Daily-Remaining`.
    pub daily_remaining: Option<u64>,
}

impl ServerSeen {
    /// Two reports as one: the larger use, the smaller daily remaining, the
    /// later time.
    pub fn merge(self, other: ServerSeen) -> ServerSeen {
        ServerSeen {
            at_ms: self.at_ms.max(other.at_ms),
            burst_used: match (self.burst_used, other.burst_used) {
                (Some(a), Some(b)) => Some(a.max(b)),
                (a, b) => a.or(b),
            },
            daily_remaining: match (self.daily_remaining, other.daily_remaining) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            },
        }
    }
}

/// One reservation's question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateRequest {
    /// Requests per window.
    pub burst_max: u32,
    /// The window plus the margin, in ms (at least 1).
    pub span_ms: u64,
    /// The lane.
    pub lane: Lane,
    /// How long calls are refused once the day is spent, before one probe.
    pub daily_probe_ms: u64,
    /// What responses reported since the last reservation.
    pub seen: Option<ServerSeen>,
}

impl RateRequest {
    /// One background request per this many ms (at least 1).
    pub fn emission_ms(&self) -> u64 {
        (self.span_ms / u64::from(self.burst_max.max(1))).max(1)
    }

    /// How many ms of sends one group counts: 1 for budgets of up to
    /// [`EXACT_SENDS`], else 1/[`GROUPS`] of the span.
    pub fn quantum_ms(&self) -> u64 {
        if self.burst_max <= EXACT_SENDS {
            1
        } else {
            (self.span_ms / GROUPS).max(1)
        }
    }
}

/// The answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RateGrant {
    /// Send now: a slot is taken.
    Go,
    /// Ask again after this many ms.
    Wait(u64),
    /// The daily budget is spent; the next probe may go in this many ms.
    DailySpent {
        /// Until the next probe.
        retry_after_ms: u64,
    },
}

/// Budgets of up to this many requests a window count every send time to
/// the millisecond.
pub const EXACT_SENDS: u32 = 128;

/// Larger budgets count sends in groups of 1/`GROUPS` of the span.
pub const GROUPS: u64 = 64;

/// Sends counted together: `count` requests sent from `start` to
/// `start + quantum - 1` (Unix ms).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendGroup {
    /// The group's first millisecond (a multiple of the quantum).
    pub start: u64,
    /// Requests sent in it.
    pub count: u64,
}

/// One budget's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateState {
    /// The sends within the last span, in groups, oldest first.
    pub sends: Vec<SendGroup>,
    /// The earliest time the next background request may go.
    pub background_next_ms: u64,
    /// An interactive request waits for a slot until about then.
    pub interactive_until_ms: u64,
    /// Daily requests left, once a response said.
    pub daily_remaining: Option<u64>,
    /// When the day is spent: when the next probe may go.
    pub daily_probe_at_ms: u64,
}

impl RateState {
    /// The state a store keeps (compact keys; the Redis script reads the same).
    pub fn to_json(&self) -> Value {
        let sends: Vec<[u64; 2]> = self.sends.iter().map(|g| [g.start, g.count]).collect();
        json!({
            "s": sends,
            "b": self.background_next_ms,
            "i": self.interactive_until_ms,
            "d": self.daily_remaining,
            "p": self.daily_probe_at_ms,
        })
    }

    /// Reads [`to_json`](Self::to_json)'s form; `None` for anything else.
    pub fn from_json(v: &Value) -> Option<RateState> {
        let n = |k: &str| v.get(k).and_then(Value::as_u64);
        let sends = v
            .get("s")?
            .as_array()?
            .iter()
            .map(|g| match g.as_array()?.as_slice() {
                [start, count] => Some(SendGroup {
                    start: start.as_u64()?,
                    count: count.as_u64()?,
                }),
                _ => None,
            })
            .collect::<Option<Vec<SendGroup>>>()?;
        Some(RateState {
            sends,
            background_next_ms: n("b")?,
            interactive_until_ms: n("i")?,
            daily_remaining: match v.get("d") {
                None | Some(Value::Null) => None,
                Some(d) => Some(d.as_u64()?),
            },
            daily_probe_at_ms: n("p")?,
        })
    }

    /// Folds in what responses reported: raises the window's count to the
    /// server's, lowers the daily remaining to the server's (or raises it
    /// when the day was spent by our count and the server says it is back).
    // Not inlined: every monomorphized call loop would carry a copy (the
    // npm package's main module is size-budgeted).
    #[inline(never)]
    pub fn learn(&mut self, seen: &ServerSeen, req: &RateRequest, now_ms: u64) {
        if let Some(used) = seen.burst_used {
            let used = u64::from(used.min(req.burst_max));
            let held = self.count();
            if seen.at_ms + req.span_ms > now_ms && held < used {
                // The missing sends, counted as the oldest, at the report's
                // time (or in the oldest group held, if older).
                let q = req.quantum_ms();
                let at = seen.at_ms - seen.at_ms % q;
                match self.sends.first_mut() {
                    Some(oldest) if oldest.start <= at => oldest.count += used - held,
                    _ => self.sends.insert(
                        0,
                        SendGroup {
                            start: at,
                            count: used - held,
                        },
                    ),
                }
            }
        }
        if let Some(d) = seen.daily_remaining {
            match self.daily_remaining {
                Some(mine) if mine > 0 && d >= mine => {}
                _ => self.daily_remaining = Some(d),
            }
            if d == 0 {
                self.daily_probe_at_ms = self.daily_probe_at_ms.max(now_ms + req.daily_probe_ms);
            }
        }
    }

    /// The sends still within the span at `now_ms` (what a reservation then
    /// would count), without changing the state.
    pub fn held_at(&self, req: &RateRequest, now_ms: u64) -> u64 {
        let span = req.span_ms.max(1);
        let q = req.quantum_ms();
        self.sends
            .iter()
            .filter(|g| g.start + q - 1 + span > now_ms)
            .map(|g| g.count)
            .sum()
    }

    /// The sends held.
    fn count(&self) -> u64 {
        self.sends.iter().map(|g| g.count).sum()
    }

    /// The one decision: may a request of `req.lane` go at `now_ms`?
    #[inline(never)]
    pub fn reserve(&mut self, req: &RateRequest, now_ms: u64) -> RateGrant {
        // Background work runs only with feature `runtime` (triggers, sync):
        // without it every call is interactive, and the lane's rules are
        // left out of the npm package's main module.
        let lane = if cfg!(feature = "runtime") {
            req.lane
        } else {
            Lane::Interactive
        };
        let span = req.span_ms.max(1);
        let max = u64::from(req.burst_max.max(1));
        let q = req.quantum_ms();
        // A group's last send leaves the span at start + q - 1 + span.
        let leaves = |g: &SendGroup| g.start + q - 1 + span;
        self.sends.retain(|g| leaves(g) > now_ms);
        if let Some(seen) = &req.seen {
            self.learn(seen, req, now_ms);
        }
        let mut probing = false;
        if self.daily_remaining == Some(0) {
            if now_ms < self.daily_probe_at_ms {
                return RateGrant::DailySpent {
                    retry_after_ms: self.daily_probe_at_ms - now_ms,
                };
            }
            probing = true;
        }
        let emission = req.emission_ms();
        if lane == Lane::Background {
            if self.interactive_until_ms > now_ms {
                return RateGrant::Wait((self.interactive_until_ms - now_ms).min(emission));
            }
            if self.count() * 2 >= max && self.background_next_ms > now_ms {
                return RateGrant::Wait(self.background_next_ms - now_ms);
            }
        }
        let held = self.count();
        if held >= max {
            // When enough of the oldest groups have left for one more send.
            let mut leaving = held - max + 1;
            let mut free_at = now_ms;
            for g in &self.sends {
                free_at = leaves(g);
                if g.count >= leaving {
                    break;
                }
                leaving -= g.count;
            }
            let wait = free_at.saturating_sub(now_ms).max(1);
            if lane == Lane::Interactive {
                self.interactive_until_ms = self.interactive_until_ms.max(now_ms + wait + emission);
            }
            return RateGrant::Wait(wait);
        }
        let group = now_ms - now_ms % q;
        match self.sends.last_mut() {
            Some(last) if last.start == group => last.count += 1,
            _ => self.sends.push(SendGroup {
                start: group,
                count: 1,
            }),
        }
        match lane {
            Lane::Background => self.background_next_ms = now_ms + emission,
            Lane::Interactive => self.interactive_until_ms = 0,
        }
        if probing {
            self.daily_probe_at_ms = now_ms + req.daily_probe_ms;
        } else if let Some(d) = self.daily_remaining.as_mut() {
            *d -= 1;
            if *d == 0 {
                self.daily_probe_at_ms = now_ms + req.daily_probe_ms;
            }
        }
        RateGrant::Go
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(max: u32, span: u64, lane: Lane) -> RateRequest {
        RateRequest {
            burst_max: max,
            span_ms: span,
            lane,
            daily_probe_ms: 1000,
            seen: None,
        }
    }

    #[test]
    fn no_span_ever_sees_more_than_max() {
        let mut s = RateState::default();
        let r = req(3, 1000, Lane::Interactive);
        let (mut now, mut sent) = (0, Vec::new());
        while sent.len() < 30 {
            match s.reserve(&r, now) {
                RateGrant::Go => sent.push(now),
                RateGrant::Wait(ms) => now += ms,
                RateGrant::DailySpent { .. } => unreachable!(),
            }
        }
        for (i, t) in sent.iter().enumerate() {
            assert!(sent[i..].iter().filter(|&&u| u < t + 1000).count() <= 3);
        }
        assert_eq!(*sent.last().unwrap(), 9000, "the full rate, not less");
    }

    #[test]
    fn a_large_budget_is_counted_in_a_few_groups_and_never_overspent() {
        let mut s = RateState::default();
        let r = req(10_000, 1000, Lane::Interactive);
        let (mut now, mut sent) = (0, Vec::new());
        while sent.len() < 40_000 {
            match s.reserve(&r, now) {
                RateGrant::Go => {
                    sent.push(now);
                    // 40 sends a millisecond: the window fills in 250 ms.
                    if sent.len() % 40 == 0 {
                        now += 1;
                    }
                }
                RateGrant::Wait(ms) => now += ms,
                RateGrant::DailySpent { .. } => unreachable!(),
            }
            assert!(s.sends.len() as u64 <= GROUPS + 1, "{}", s.sends.len());
        }
        for (i, t) in sent.iter().enumerate().step_by(997) {
            assert!(sent[i..].iter().filter(|&&u| u < t + 1000).count() <= 10_000);
        }
        // Exact counting would send the last at 3 windows + 250 ms; grouping
        // holds each slot at most one group (15 ms) longer a window.
        let last = *sent.last().unwrap();
        assert!((3_250..=3_250 + 3 * 16).contains(&last), "{last}");
    }

    #[test]
    fn background_is_paced_and_yields_to_an_interactive_wait() {
        let mut s = RateState::default();
        let bg = req(10, 1000, Lane::Background);
        for _ in 0..5 {
            assert_eq!(s.reserve(&bg, 0), RateGrant::Go, "the first half bursts");
        }
        assert_eq!(s.reserve(&bg, 0), RateGrant::Wait(100));
        let mut now = 100;
        while s.count() < 10 {
            assert_eq!(s.reserve(&bg, now), RateGrant::Go);
            now += 100;
        }
        // saturated: an interactive call waits for the oldest slot, and
        // background work does not take it
        let int = req(10, 1000, Lane::Interactive);
        assert_eq!(s.reserve(&int, 1000 - 30), RateGrant::Wait(30));
        assert!(matches!(s.reserve(&bg, 1000), RateGrant::Wait(_)));
        assert_eq!(s.reserve(&int, 1000), RateGrant::Go);
    }

    #[test]
    fn the_server_wins_and_the_day_comes_back() {
        let mut s = RateState::default();
        let mut r = req(5, 1000, Lane::Interactive);
        r.seen = Some(ServerSeen {
            at_ms: 0,
            burst_used: Some(4),
            daily_remaining: Some(2),
        });
        assert_eq!(s.reserve(&r, 10), RateGrant::Go);
        r.seen = None;
        assert_eq!(s.reserve(&r, 10), RateGrant::Wait(990), "4 by others + 1");
        assert_eq!(s.reserve(&r, 1000), RateGrant::Go);
        assert_eq!(
            s.reserve(&r, 1000),
            RateGrant::DailySpent {
                retry_after_ms: 1000
            }
        );
        assert_eq!(s.reserve(&r, 2000), RateGrant::Go, "the probe");
        assert!(matches!(s.reserve(&r, 2001), RateGrant::DailySpent { .. }));
        r.seen = Some(ServerSeen {
            at_ms: 2005,
            burst_used: None,
            daily_remaining: Some(49),
        });
        assert_eq!(s.reserve(&r, 2010), RateGrant::Go, "the day is back");
        assert_eq!(s.daily_remaining, Some(48));
        assert_eq!(RateState::from_json(&s.to_json()), Some(s));
    }
}
