//! A store seen through a key prefix: how one host store object serves the
//! fleets of many locations (each client's keys start with its location),
//! as Redis keys carry the location's hash tag.

use super::{
    Budget, MAX_KEY_BYTES, RateGrant, RateRequest, RateState, StateStore, StoreFuture, Take,
    Versioned, check_key,
};
use crate::{Error, Result};
use serde_json::Value;
use std::sync::Arc;

/// `inner` with `prefix` put before every key it is given, and taken off
/// every key it lists. Keys are at most [`ScopedStore::max_key_bytes`]
/// (what is left of [`MAX_KEY_BYTES`] after the prefix), so `inner` sees
/// none it must refuse. Every rule of [`StateStore`] is `inner`'s; its
/// [`StateStore::reserve_rate`] is `inner`'s too (a host store's default
/// compare-and-set loop, or a script), so the prefix changes nothing else.
///
/// Threads: as `inner`.
pub struct ScopedStore {
    inner: Arc<dyn StateStore>,
    prefix: String,
}

impl ScopedStore {
    /// `inner`, with every key under `prefix`.
    pub fn new(inner: Arc<dyn StateStore>, prefix: impl Into<String>) -> Self {
        ScopedStore {
            inner,
            prefix: prefix.into(),
        }
    }

    /// The longest key this scope takes, in bytes.
    pub fn max_key_bytes(&self) -> usize {
        MAX_KEY_BYTES.saturating_sub(self.prefix.len())
    }

    /// `key` under the prefix, checked as every store checks keys.
    fn key(&self, key: &str) -> Result<String> {
        check_key(key)?;
        if key.len() > self.max_key_bytes() {
            return Err(Error::invalid_argument(format!(
                "a state key under {:?} is 1 to {} bytes, not {}",
                self.prefix,
                self.max_key_bytes(),
                key.len()
            )));
        }
        Ok(format!("{}{key}", self.prefix))
    }
}

impl StateStore for ScopedStore {
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>> {
        Box::pin(async move { self.inner.get(&self.key(key)?, now_ms).await })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64> {
        Box::pin(async move { self.inner.put(&self.key(key)?, value, ttl_ms, now_ms).await })
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
            let key = self.key(key)?;
            self.inner
                .compare_and_set(&key, expected, value, ttl_ms, now_ms)
                .await
        })
    }

    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool> {
        Box::pin(async move { self.inner.delete(&self.key(key)?, now_ms).await })
    }

    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move {
            // A list's prefix may be empty: it is not a key.
            let scoped = format!("{}{prefix}", self.prefix);
            let listed = self.inner.list(&scoped, limit, now_ms).await?;
            Ok(listed
                .into_iter()
                .filter_map(|(key, v)| Some((key.strip_prefix(&self.prefix)?.to_owned(), v)))
                .collect())
        })
    }

    fn list_after<'a>(
        &'a self,
        prefix: &'a str,
        after: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move {
            let scoped = format!("{}{prefix}", self.prefix);
            let after = format!("{}{after}", self.prefix);
            let listed = self
                .inner
                .list_after(&scoped, &after, limit, now_ms)
                .await?;
            Ok(listed
                .into_iter()
                .filter_map(|(key, v)| Some((key.strip_prefix(&self.prefix)?.to_owned(), v)))
                .collect())
        })
    }

    fn delete_prefix<'a>(&'a self, prefix: &'a str, now_ms: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.inner.delete_prefix(&self.key(prefix)?, now_ms).await })
    }

    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take> {
        Box::pin(async move {
            self.inner
                .take(&self.key(key)?, units, budget, now_ms)
                .await
        })
    }

    fn put_many<'a>(&'a self, entries: &'a [(String, Value)], now_ms: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            let scoped = entries
                .iter()
                .map(|(k, v)| Ok((self.key(k)?, v.clone())))
                .collect::<Result<Vec<(String, Value)>>>()?;
            self.inner.put_many(&scoped, now_ms).await
        })
    }

    fn reserve_rate<'a>(
        &'a self,
        key: &'a str,
        req: RateRequest,
        now_ms: u64,
    ) -> StoreFuture<'a, RateGrant> {
        Box::pin(async move { self.inner.reserve_rate(&self.key(key)?, req, now_ms).await })
    }

    fn read_rate<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<RateState>> {
        Box::pin(async move { self.inner.read_rate(&self.key(key)?, now_ms).await })
    }
}
