//! A host's own store, reached through one call per operation: what the C
//! ABI's callback and the npm package's store object share. The host answers
//! JSON; every answer is checked here, once, and one of the wrong shape fails
//! the work with [`crate::ErrorCode::State`] (fail closed).
//!
//! The operations and their positional arguments, and the answers:
//! - `get(key, nowMs)` → `{value, version}` or `null`;
//! - `put(key, value, ttlMs, nowMs)` → the new version;
//! - `compareAndSet(key, expectedVersion, value, ttlMs, nowMs)` → the new
//!   version, or `null` when the entry was not at `expectedVersion`
//!   (`null`: absent);
//! - `delete(key, nowMs)` → whether a live entry was there;
//! - `list(prefix, limit, nowMs)` → `[{key, value, version}]` in key order;
//! - `take(key, units, {limit, windowMs}, nowMs)` → `{granted, remaining,
//!   resetsAtMs}`.
//!
//! `ttlMs` and `expectedVersion` are `null` when absent.

use super::{Budget, StateStore, StoreFuture, Take, Versioned, check_key, state_error};
use crate::Result;
use serde_json::{Value, json};

/// Every operation a host store answers, by the name it is called with.
pub const HOST_OPERATIONS: [&str; 6] = ["get", "put", "compareAndSet", "delete", "list", "take"];

/// How a shell calls its host: operation `op` with positional JSON `args`
/// (an array), answering JSON. Errors the shell returns (a callback that
/// failed, a promise that rejected) should be [`crate::ErrorCode::State`];
/// for a fleet's store, [`crate::ErrorCode::FleetUnavailable`], so the
/// fleet's policy for an unreachable store applies.
pub trait HostCall: crate::maybe_send::MaybeSend + crate::maybe_send::MaybeSync {
    /// Runs `op` with `args` in the host.
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value>;
}

/// A [`StateStore`] that asks a host ([`HostCall`]) for every operation.
pub struct HostStore<H: HostCall>(pub H);

fn shape(op: &str, expected: &str, got: &Value) -> crate::Error {
    state_error(format!("stateStore.{op} answered {got}, not {expected}"))
}

fn versioned(op: &str, v: &Value) -> Result<Versioned> {
    match (v.get("value"), v.get("version").and_then(Value::as_u64)) {
        (Some(value), Some(version)) => Ok(Versioned {
            value: value.clone(),
            version,
        }),
        _ => Err(shape(op, "{value, version}", v)),
    }
}

impl<H: HostCall> StateStore for HostStore<H> {
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>> {
        Box::pin(async move {
            check_key(key)?;
            let v = self.0.call("get", json!([key, now_ms])).await?;
            if v.is_null() {
                Ok(None)
            } else {
                versioned("get", &v).map(Some)
            }
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            check_key(key)?;
            let v = self
                .0
                .call("put", json!([key, value, ttl_ms, now_ms]))
                .await?;
            v.as_u64()
                .ok_or_else(|| shape("put", "a version number", &v))
        })
    }

    fn compare_and_set<'a>(
        &'a self,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<u64>> {
        Box::pin(async move {
            check_key(key)?;
            let args = json!([key, expected, value, ttl_ms, now_ms]);
            match self.0.call("compareAndSet", args).await? {
                Value::Null => Ok(None),
                other => other
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| shape("compareAndSet", "a version or null", &other)),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            check_key(key)?;
            let v = self.0.call("delete", json!([key, now_ms])).await?;
            v.as_bool()
                .ok_or_else(|| shape("delete", "true or false", &v))
        })
    }

    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move {
            let v = self.0.call("list", json!([prefix, limit, now_ms])).await?;
            let items = v
                .as_array()
                .ok_or_else(|| shape("list", "an array of {key, value, version}", &v))?;
            items
                .iter()
                .take(limit)
                .map(|item| {
                    let key = item
                        .get("key")
                        .and_then(Value::as_str)
                        .filter(|k| k.starts_with(prefix))
                        .ok_or_else(|| {
                            shape("list", "{key, value, version} under the prefix", item)
                        })?;
                    Ok((key.to_owned(), versioned("list", item)?))
                })
                .collect()
        })
    }

    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take> {
        Box::pin(async move {
            check_key(key)?;
            super::check_budget(budget)?;
            let window = json!({"limit": budget.limit, "windowMs": budget.window_ms});
            let v = self
                .0
                .call("take", json!([key, units, window, now_ms]))
                .await?;
            let field = |name: &str| v.get(name);
            match (
                field("granted").and_then(Value::as_bool),
                field("remaining").and_then(Value::as_u64),
                field("resetsAtMs").and_then(Value::as_u64),
            ) {
                (Some(granted), Some(remaining), Some(resets_at_ms)) => Ok(Take {
                    granted,
                    remaining,
                    resets_at_ms,
                }),
                _ => Err(shape("take", "{granted, remaining, resetsAtMs}", &v)),
            }
        })
    }
}
