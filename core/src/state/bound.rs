//! A store bound to one owner (a location or a company): the check that keeps
//! one location's state from being read as another's, written once for
//! every implementation.

use super::{Budget, StateStore, Take, Versioned, check_key, state_error};
use crate::{Error, Result};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The key under which a store records its owner. Keys under `libcontacts/`
/// are the runtime's own: a program cannot write them.
pub const OWNER_KEY: &str = "libcontacts/owner";

const RESERVED_PREFIX: &str = "libcontacts/";

/// A [`StateStore`] checked to belong to one owner (`location:<id>` or
/// `company:<id>`). The first operation reads [`OWNER_KEY`]: a store with no
/// owner is claimed (compare-and-set, so two processes agree), a store of
/// another owner, or one whose owner record is not what this library
/// writes, fails that operation and every later one with
/// [`crate::ErrorCode::State`]. Nothing is read or written for a program
/// before the check passes.
///
/// Every write passes the failpoint `before-store-commit:<key>` (feature
/// `failpoints`), so crash tests can stop a process just before it.
///
/// Threads: shared by every call of a driver; the check runs at most a few
/// times (racing first uses each check; the store keeps one owner).
pub struct BoundStore {
    store: Arc<dyn StateStore>,
    owner: String,
    checked: AtomicBool,
}

impl std::fmt::Debug for BoundStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BoundStore")
            .field("owner", &self.owner)
            .field("checked", &self.checked.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

impl BoundStore {
    /// `store`, to be used for `owner` (checked on first use).
    pub fn new(store: Arc<dyn StateStore>, owner: impl Into<String>) -> Self {
        BoundStore {
            store,
            owner: owner.into(),
            checked: AtomicBool::new(false),
        }
    }

    /// Whom this store is bound to.
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// Checks (once) that the store is this owner's, claiming it if it has
    /// no owner yet.
    ///
    /// Errors: [`crate::ErrorCode::State`] for another owner's store or an
    /// unreadable owner record; the store's own errors.
    pub async fn check_owner(&self, now_ms: u64) -> Result<()> {
        if self.checked.load(Ordering::Acquire) {
            return Ok(());
        }
        let mine = json!({ "owner": self.owner });
        let held = match self.store.get(OWNER_KEY, now_ms).await? {
            Some(held) => held.value,
            None => match self
                .store
                .compare_and_set(OWNER_KEY, None, &mine, None, now_ms)
                .await?
            {
                Some(_) => mine.clone(),
                // Another process claimed it first: read whom for.
                None => match self.store.get(OWNER_KEY, now_ms).await? {
                    Some(held) => held.value,
                    None => return Err(state_error("the store lost its owner record")),
                },
            },
        };
        match held.get("owner").and_then(Value::as_str) {
            Some(owner) if owner == self.owner => {
                self.checked.store(true, Ordering::Release);
                Ok(())
            }
            Some(owner) => Err(state_error(format!(
                "this state store belongs to {owner}, not {}: refusing to use it",
                self.owner
            ))),
            None => Err(state_error(format!(
                "this state store's {OWNER_KEY} record is not one libcontacts wrote"
            ))),
        }
    }

    async fn ready(&self, key: &str, now_ms: u64) -> Result<()> {
        check_key(key)?;
        if key.starts_with(RESERVED_PREFIX) {
            return Err(Error::invalid_argument(format!(
                "state keys under {RESERVED_PREFIX} are the runtime's own"
            )));
        }
        self.check_owner(now_ms).await
    }

    /// [`StateStore::get`], after the owner check.
    pub async fn get(&self, key: &str, now_ms: u64) -> Result<Option<Versioned>> {
        self.ready(key, now_ms).await?;
        self.store.get(key, now_ms).await
    }

    /// [`StateStore::put`], after the owner check.
    pub async fn put(
        &self,
        key: &str,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<u64> {
        self.ready(key, now_ms).await?;
        crate::failpoint::before_store_commit(key)?;
        self.store.put(key, value, ttl_ms, now_ms).await
    }

    /// [`StateStore::put_many`], after the owner check.
    pub async fn put_many(&self, entries: &[(String, Value)], now_ms: u64) -> Result<()> {
        for (key, _) in entries {
            self.ready(key, now_ms).await?;
            crate::failpoint::before_store_commit(key)?;
        }
        self.store.put_many(entries, now_ms).await
    }

    /// [`StateStore::compare_and_set`], after the owner check.
    pub async fn compare_and_set(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Option<u64>> {
        self.ready(key, now_ms).await?;
        crate::failpoint::before_store_commit(key)?;
        self.store
            .compare_and_set(key, expected, value, ttl_ms, now_ms)
            .await
    }

    /// [`StateStore::delete`], after the owner check.
    pub async fn delete(&self, key: &str, now_ms: u64) -> Result<bool> {
        self.ready(key, now_ms).await?;
        crate::failpoint::before_store_commit(key)?;
        self.store.delete(key, now_ms).await
    }

    /// [`StateStore::list`], after the owner check. The runtime's own keys
    /// are never listed.
    pub async fn list(
        &self,
        prefix: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        self.check_owner(now_ms).await?;
        let entries = self
            .store
            .list(prefix, limit.saturating_add(1), now_ms)
            .await?;
        Ok(callers_own(entries, limit))
    }

    /// [`StateStore::list_after`], after the owner check. The runtime's
    /// own keys are never listed.
    pub async fn list_after(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        self.check_owner(now_ms).await?;
        let entries = self
            .store
            .list_after(prefix, after, limit.saturating_add(1), now_ms)
            .await?;
        Ok(callers_own(entries, limit))
    }

    /// [`StateStore::delete_prefix`], after the owner check; `prefix` is a
    /// key the caller may write (never the runtime's own).
    pub async fn delete_prefix(&self, prefix: &str, now_ms: u64) -> Result<()> {
        self.ready(prefix, now_ms).await?;
        crate::failpoint::before_store_commit(prefix)?;
        self.store.delete_prefix(prefix, now_ms).await
    }

    /// [`StateStore::take`], after the owner check.
    pub async fn take(&self, key: &str, units: u64, budget: Budget, now_ms: u64) -> Result<Take> {
        self.ready(key, now_ms).await?;
        self.store.take(key, units, budget, now_ms).await
    }
}

/// The listed entries but the runtime's own keys, at most `limit` (the
/// store is asked for one more, the owner record it may list).
fn callers_own(mut entries: Vec<(String, Versioned)>, limit: usize) -> Vec<(String, Versioned)> {
    entries.retain(|(key, _)| !key.starts_with(RESERVED_PREFIX));
    entries.truncate(limit);
    entries
}
