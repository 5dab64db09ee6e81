//! The in-memory store: a map behind a mutex. For tests, and for hosts whose
//! state may die with the process.

use super::{
    BlockingStore, Budget, Take, Versioned, check_budget, check_key, expiry, take_from_window,
};
use crate::Result;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

/// A [`StateStore`] in memory. Every operation holds one lock, so each is
/// atomic; nothing survives the process.
#[derive(Debug, Default)]
pub struct MemoryStore {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: BTreeMap<String, Slot>,
    budgets: BTreeMap<String, (u64, u64)>,
    last_version: u64,
}

#[derive(Debug)]
struct Slot {
    value: Value,
    version: u64,
    expires_at_ms: Option<u64>,
}

impl Slot {
    fn live(&self, now_ms: u64) -> bool {
        self.expires_at_ms.is_none_or(|at| now_ms < at)
    }
}

impl Inner {
    fn live(&self, key: &str, now_ms: u64) -> Option<&Slot> {
        self.entries.get(key).filter(|slot| slot.live(now_ms))
    }

    fn write(&mut self, key: &str, value: &Value, ttl_ms: Option<u64>, now_ms: u64) -> u64 {
        self.last_version += 1;
        let slot = Slot {
            value: value.clone(),
            version: self.last_version,
            expires_at_ms: expiry(now_ms, ttl_ms),
        };
        self.entries.insert(key.to_owned(), slot);
        self.last_version
    }
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryStore::default()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves whole entries only (each
        // write is one insert), so the map is still good to use.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl BlockingStore for MemoryStore {
    fn get_now(&self, key: &str, now_ms: u64) -> Result<Option<Versioned>> {
        check_key(key)?;
        Ok(self.lock().live(key, now_ms).map(|slot| Versioned {
            value: slot.value.clone(),
            version: slot.version,
        }))
    }

    fn put_now(&self, key: &str, value: &Value, ttl_ms: Option<u64>, now_ms: u64) -> Result<u64> {
        check_key(key)?;
        Ok(self.lock().write(key, value, ttl_ms, now_ms))
    }

    fn compare_and_set_now(
        &self,
        key: &str,
        expected: Option<u64>,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Option<u64>> {
        check_key(key)?;
        let mut inner = self.lock();
        let current = inner.live(key, now_ms).map(|slot| slot.version);
        if current != expected {
            return Ok(None);
        }
        Ok(Some(inner.write(key, value, ttl_ms, now_ms)))
    }

    fn delete_now(&self, key: &str, now_ms: u64) -> Result<bool> {
        check_key(key)?;
        let mut inner = self.lock();
        let was_live = inner.live(key, now_ms).is_some();
        inner.entries.remove(key);
        Ok(was_live)
    }

    fn list_now(
        &self,
        prefix: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        self.list_after_now(prefix, "", limit, now_ms)
    }

    fn list_after_now(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        let inner = self.lock();
        let from = if after < prefix { prefix } else { after };
        Ok(inner
            .entries
            .range::<str, _>((std::ops::Bound::Included(from), std::ops::Bound::Unbounded))
            .filter(|(key, _)| key.as_str() > after)
            .take_while(|(key, _)| key.starts_with(prefix))
            .filter(|(_, slot)| slot.live(now_ms))
            .take(limit)
            .map(|(key, slot)| {
                let entry = Versioned {
                    value: slot.value.clone(),
                    version: slot.version,
                };
                (key.clone(), entry)
            })
            .collect())
    }

    fn delete_prefix_now(&self, prefix: &str, _now_ms: u64) -> Result<()> {
        check_key(prefix)?;
        self.lock()
            .entries
            .retain(|key, _| !key.starts_with(prefix));
        Ok(())
    }

    fn take_now(&self, key: &str, units: u64, budget: Budget, now_ms: u64) -> Result<Take> {
        check_key(key)?;
        check_budget(budget)?;
        let mut inner = self.lock();
        let held = inner.budgets.get(key).copied();
        let (window, take) = take_from_window(held, units, budget, now_ms);
        inner.budgets.insert(key.to_owned(), window);
        Ok(take)
    }
}
