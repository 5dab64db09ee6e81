//! The state store: one trait for everything the runtime keeps between calls
//! and across crashes (idempotency journals now; trigger checkpoints, flow
//! runs, sync id maps and fleet budgets as they land).
//!
//! A [`StateStore`] holds JSON values under text keys, each with a version
//! that grows on every write (never reused, even after a delete), so a
//! writer can compare-and-set. Entries may
//! carry a time to live. [`StateStore::take`] is an atomic take-from-budget:
//! a counter with a fixed window, the primitive a shared rate budget needs.
//!
//! The store never reads a clock: every operation is given the driver's
//! `now_ms` (the transport's clock), so tests pin time and expiry is the
//! same on every implementation.
//!
//! Implementations: [`MemoryStore`] (here, for tests and short-lived
//! hosts), `SqliteStore` (feature `sqlite`, one file, the default on native
//! and in the CLI), and the host's own: written against this trait in Rust,
//! or answered through [`HostStore`], one call per operation, by a C
//! callback or a JS object's methods.
//!
//! Programs never use a raw store: they use a [`BoundStore`], which checks
//! once that the store belongs to the location (or company) the driver's
//! credentials are for, and fails closed ([`crate::ErrorCode::State`])
//! otherwise, so one location's journal is never replayed against another.
//!
//! Threads: a store is shared (`Arc`) by every call of a driver and may be
//! used from several threads at once on native; implementations serialise
//! what must be atomic.

mod bound;
mod host;
mod memory;
pub mod rate;
#[cfg(feature = "redis")]
mod redis;
mod scoped;
#[cfg(feature = "sqlite")]
mod sqlite;

pub use bound::{BoundStore, OWNER_KEY};
pub use host::{HOST_OPERATIONS, HostCall, HostStore};
pub use memory::MemoryStore;
pub use rate::{Lane, RateGrant, RateRequest, RateState, SendGroup, ServerSeen};
#[cfg(feature = "redis")]
pub use redis::{RedisSettings, RedisStore};
pub use scoped::ScopedStore;
#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

use crate::{Error, ErrorCode, Result};
use serde_json::Value;
use std::future::Future;
use std::pin::Pin;

/// The longest key a store must accept, in bytes.
pub const MAX_KEY_BYTES: usize = 512;

/// A future a store returns: `Send` on native, plain on wasm32 (a JS
/// store's promises are not `Send`).
#[cfg(not(target_arch = "wasm32"))]
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + Send + 'a>>;
/// A future a store returns: `Send` on native, plain on wasm32 (a JS
/// store's promises are not `Send`).
#[cfg(target_arch = "wasm32")]
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T>> + 'a>>;

/// A stored value and its version. Versions come from one sequence per
/// store: every write gets a larger one, so a key deleted and written again
/// never repeats a version a compare-and-set may still hold.
#[derive(Clone, Debug, PartialEq)]
pub struct Versioned {
    /// The value as it was put.
    pub value: Value,
    /// The version this value was written with.
    pub version: u64,
}

/// A budget: at most `limit` units per `window_ms`, the window starting at
/// the first take after the previous one ended (a fixed window).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Units allowed per window.
    pub limit: u64,
    /// The window's length in milliseconds (at least 1).
    pub window_ms: u64,
}

/// What a [`StateStore::take`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Take {
    /// Whether the units were taken. When not, nothing was taken.
    pub granted: bool,
    /// Units left in the current window after this take.
    pub remaining: u64,
    /// When the current window ends (Unix ms): the earliest time a refused
    /// take can succeed.
    pub resets_at_ms: u64,
}

/// Where the runtime keeps state. See the module docs for the rules every
/// implementation follows; `tests/state_store.rs` holds them to it (one
/// suite, run against every implementation).
///
/// Errors: [`ErrorCode::State`] when the store cannot be read or written
/// (a corrupt file, a host callback that failed, a value that is not JSON);
/// [`ErrorCode::InvalidArgument`] for a key that [`check_key`] refuses.
pub trait StateStore: crate::maybe_send::MaybeSend + crate::maybe_send::MaybeSync {
    /// The live value under `key`, if any (an expired one is absent).
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>>;

    /// Writes `value` under `key` whatever was there, with a time to live
    /// from `now_ms` when `ttl_ms` is given. Returns the new version.
    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64>;

    /// Writes `value` only if the live entry's version is `expected` (`None`:
    /// only if there is no live entry). Returns the new version, or `None`
    /// when the entry was not as expected (nothing written).
    fn compare_and_set<'a>(
        &'a self,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<u64>>;

    /// Removes `key`. Returns whether a live entry was there.
    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool>;

    /// The live entries whose keys start with `prefix`, in key order, at
    /// most `limit` of them.
    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>>;

    /// Up to `limit` live entries whose keys start with `prefix` and sort
    /// after `after` (the last key of the page before; `""` for the
    /// first), in key order: a walk through a prefix with more entries
    /// than memory should hold, one page at a time. By default the whole
    /// prefix [`list`](Self::list)ed and filtered (what a host store
    /// answers); SQLite and memory read only the page, Redis scans the key
    /// names and reads only the page's values.
    fn list_after<'a>(
        &'a self,
        prefix: &'a str,
        after: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move {
            let all = self.list(prefix, usize::MAX, now_ms).await?;
            Ok(page_after(all, after, limit))
        })
    }

    /// Removes every entry whose key starts with `prefix`, which is a
    /// valid key. By default a page listed, then its keys deleted, until
    /// none is left; SQLite and Redis remove them in bulk.
    fn delete_prefix<'a>(&'a self, prefix: &'a str, now_ms: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            check_key(prefix)?;
            loop {
                let page = self.list(prefix, DELETE_PAGE, now_ms).await?;
                if page.is_empty() {
                    return Ok(());
                }
                for (key, _) in page {
                    self.delete(&key, now_ms).await?;
                }
            }
        })
    }

    /// Atomically takes `units` from the budget counted under `key`, or
    /// nothing if fewer are left in the current window.
    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take>;

    /// Writes every `(key, value)` of `entries`, without a time to live:
    /// all at once where the store can (SQLite: one transaction, so a page
    /// of trigger state costs one commit, not hundreds), else one
    /// [`put`](Self::put) after another.
    fn put_many<'a>(&'a self, entries: &'a [(String, Value)], now_ms: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            for (key, value) in entries {
                self.put(key, value, None, now_ms).await?;
            }
            Ok(())
        })
    }

    /// Atomically applies the rate rule ([`rate`]) to the budget kept under
    /// `key`: the one reservation a fleet's processes make before each
    /// request. By default a compare-and-set loop over the state's JSON
    /// (a few attempts, then [`ErrorCode::State`]); a store with scripts
    /// (Redis) does it in one round trip.
    fn reserve_rate<'a>(
        &'a self,
        key: &'a str,
        req: RateRequest,
        now_ms: u64,
    ) -> StoreFuture<'a, RateGrant> {
        Box::pin(async move {
            for _ in 0..RESERVE_ATTEMPTS {
                let held = self.get(key, now_ms).await?;
                let (mut state, expected) = rate_state_of(key, held)?;
                let grant = state.reserve(&req, now_ms);
                let ttl = Some(RATE_STATE_TTL_MS.max(req.daily_probe_ms));
                if self
                    .compare_and_set(key, expected, &state.to_json(), ttl, now_ms)
                    .await?
                    .is_some()
                {
                    return Ok(grant);
                }
            }
            Err(state_error(format!(
                "the rate budget under {key} changed under every one of {RESERVE_ATTEMPTS} attempts"
            )))
        })
    }

    /// The rate budget's state under `key` as [`reserve_rate`](Self::reserve_rate)
    /// keeps it, unchanged (`None` before the first reservation): what a
    /// fleet's usage report reads. A store that overrides `reserve_rate`
    /// overrides this too.
    fn read_rate<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<RateState>> {
        Box::pin(async move {
            let held = self.get(key, now_ms).await?;
            Ok(match held {
                None => None,
                held => Some(rate_state_of(key, held)?.0),
            })
        })
    }
}

/// Keys listed per round by the default [`StateStore::delete_prefix`].
const DELETE_PAGE: usize = 500;

/// The entries of `all` (in key order) after `after`, at most `limit`.
fn page_after(
    all: Vec<(String, Versioned)>,
    after: &str,
    limit: usize,
) -> Vec<(String, Versioned)> {
    all.into_iter()
        .filter(|(key, _)| key.as_str() > after)
        .take(limit)
        .collect()
}

/// Compare-and-set attempts of the default [`StateStore::reserve_rate`].
const RESERVE_ATTEMPTS: usize = 32;

/// How long an idle budget's state is kept (a day: the daily count).
pub const RATE_STATE_TTL_MS: u64 = 86_400_000;

/// A stored budget state and its version, or a fresh one.
fn rate_state_of(key: &str, held: Option<Versioned>) -> Result<(RateState, Option<u64>)> {
    match held {
        None => Ok((RateState::default(), None)),
        Some(v) => match RateState::from_json(&v.value) {
            Some(s) => Ok((s, Some(v.version))),
            None => Err(state_error(format!(
                "the value under {key} is not a rate budget's state"
            ))),
        },
    }
}

/// A store whose operations finish on the caller's thread: memory, SQLite,
/// the C ABI's host callbacks. Implement this and get [`StateStore`] (each
/// future is ready at once); the rules are [`StateStore`]'s.
pub trait BlockingStore: crate::maybe_send::MaybeSend + crate::maybe_send::MaybeSync {
    /// [`StateStore::get`].
    fn get_now(&self, key: &str, now_ms: u64) -> Result<Option<Versioned>>;
    /// [`StateStore::put`].
    fn put_now(&self, key: &str, value: &Value, ttl_ms: Option<u64>, now_ms: u64) -> Result<u64>;
    /// [`StateStore::compare_and_set`].
    fn compare_and_set_now(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Option<u64>>;
    /// [`StateStore::delete`].
    fn delete_now(&self, key: &str, now_ms: u64) -> Result<bool>;
    /// [`StateStore::list`].
    fn list_now(&self, prefix: &str, limit: usize, now_ms: u64)
    -> Result<Vec<(String, Versioned)>>;
    /// [`StateStore::list_after`]; by default the whole prefix listed and
    /// filtered.
    fn list_after_now(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        Ok(page_after(
            self.list_now(prefix, usize::MAX, now_ms)?,
            after,
            limit,
        ))
    }
    /// [`StateStore::delete_prefix`]; by default a page listed and deleted
    /// at a time.
    fn delete_prefix_now(&self, prefix: &str, now_ms: u64) -> Result<()> {
        check_key(prefix)?;
        loop {
            let page = self.list_now(prefix, DELETE_PAGE, now_ms)?;
            if page.is_empty() {
                return Ok(());
            }
            for (key, _) in page {
                self.delete_now(&key, now_ms)?;
            }
        }
    }
    /// [`StateStore::take`].
    fn take_now(&self, key: &str, units: u64, budget: Budget, now_ms: u64) -> Result<Take>;
    /// [`StateStore::put_many`]; by default one [`put_now`](Self::put_now)
    /// after another.
    fn put_many_now(&self, entries: &[(String, Value)], now_ms: u64) -> Result<()> {
        for (key, value) in entries {
            self.put_now(key, value, None, now_ms)?;
        }
        Ok(())
    }
}

impl<S: BlockingStore> StateStore for S {
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>> {
        let out = self.get_now(key, now_ms);
        Box::pin(async move { out })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64> {
        let out = self.put_now(key, value, ttl_ms, now_ms);
        Box::pin(async move { out })
    }

    fn compare_and_set<'a>(
        &'a self,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<u64>> {
        let out = self.compare_and_set_now(key, expected, value, ttl_ms, now_ms);
        Box::pin(async move { out })
    }

    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool> {
        let out = self.delete_now(key, now_ms);
        Box::pin(async move { out })
    }

    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        let out = self.list_now(prefix, limit, now_ms);
        Box::pin(async move { out })
    }

    fn list_after<'a>(
        &'a self,
        prefix: &'a str,
        after: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        let out = self.list_after_now(prefix, after, limit, now_ms);
        Box::pin(async move { out })
    }

    fn delete_prefix<'a>(&'a self, prefix: &'a str, now_ms: u64) -> StoreFuture<'a, ()> {
        let out = self.delete_prefix_now(prefix, now_ms);
        Box::pin(async move { out })
    }

    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take> {
        let out = self.take_now(key, units, budget, now_ms);
        Box::pin(async move { out })
    }

    fn put_many<'a>(&'a self, entries: &'a [(String, Value)], now_ms: u64) -> StoreFuture<'a, ()> {
        let out = self.put_many_now(entries, now_ms);
        Box::pin(async move { out })
    }
    // `reserve_rate` is the trait's compare-and-set loop: over futures that
    // are ready at once, it is the same loop a blocking one would be.
}

/// Checks a key: 1 to [`MAX_KEY_BYTES`] bytes, no control characters.
/// Every implementation calls it first, so a key is valid everywhere or
/// nowhere.
pub fn check_key(key: &str) -> Result<()> {
    if key.is_empty() || key.len() > MAX_KEY_BYTES {
        return Err(Error::invalid_argument(format!(
            "a state key is 1 to {MAX_KEY_BYTES} bytes, not {}",
            key.len()
        )));
    }
    if key.chars().any(char::is_control) {
        return Err(Error::invalid_argument(
            "a state key holds no control characters",
        ));
    }
    Ok(())
}

/// Checks a budget's numbers (a zero window cannot be counted).
pub fn check_budget(budget: Budget) -> Result<()> {
    if budget.window_ms == 0 {
        return Err(Error::invalid_argument(
            "a budget's window is at least 1 ms",
        ));
    }
    Ok(())
}

/// A state error: the store could not be read or written.
pub fn state_error(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::State, message)
}

/// When an entry written at `now_ms` with `ttl_ms` expires (`None`: never).
fn expiry(now_ms: u64, ttl_ms: Option<u64>) -> Option<u64> {
    ttl_ms.map(|ttl| now_ms.saturating_add(ttl))
}

/// The counter rule every implementation shares: from the window held
/// (`start`, `used`; `None` if none), the window after taking `units` at
/// `now_ms`, and the outcome.
fn take_from_window(
    window: Option<(u64, u64)>,
    units: u64,
    budget: Budget,
    now_ms: u64,
) -> ((u64, u64), Take) {
    let (start, used) = match window {
        Some((start, used)) if now_ms < start.saturating_add(budget.window_ms) => (start, used),
        _ => (now_ms, 0),
    };
    let resets_at_ms = start.saturating_add(budget.window_ms);
    let left = budget.limit.saturating_sub(used);
    if units <= left {
        let used = used + units;
        let take = Take {
            granted: true,
            remaining: budget.limit.saturating_sub(used),
            resets_at_ms,
        };
        ((start, used), take)
    } else {
        let take = Take {
            granted: false,
            remaining: left,
            resets_at_ms,
        };
        ((start, used), take)
    }
}
