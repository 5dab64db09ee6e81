//! One pass of a sync at a time, across every process sharing its store
//! (a fleet's Redis, one SQLite file): a lease under `sync/<name>/lease`,
//! taken by compare-and-set before a pass reads anything, renewed as it
//! commits, given up when it ends. A pass that finds the lease held waits
//! for it (up to `leaseWaitMs`); one whose renewal fails (it stalled past
//! its lease and another pass took over) stops before its next write.

use super::state::Keys;
use crate::Result;
use crate::driver::{Driver, Transport};
use crate::state::{BoundStore, state_error};
use serde_json::json;

/// A held lease: the version of the lease record this pass wrote last.
pub(crate) struct Lease {
    key: String,
    version: u64,
    renewed_ms: u64,
    lease_ms: u64,
}

impl Lease {
    /// Takes the lease of the sync `keys` names, waiting while another
    /// pass holds it, up to `wait_ms`.
    ///
    /// Errors: State when it is still held after `wait_ms`, or the store's.
    pub(crate) async fn take<T: Transport>(
        driver: &Driver<T>,
        store: &BoundStore,
        keys: &Keys,
        lease_ms: u64,
        wait_ms: u64,
    ) -> Result<Lease> {
        let key = keys.lease();
        let started = driver.transport().now_ms();
        loop {
            let now = driver.transport().now_ms();
            let held = store.get(&key, now).await?;
            let until = held
                .as_ref()
                .and_then(|h| h.value["untilMs"].as_u64())
                .unwrap_or(0);
            if until <= now {
                let value = json!({"untilMs": now.saturating_add(lease_ms)});
                if let Some(version) = store
                    .compare_and_set(&key, held.map(|h| h.version), &value, None, now)
                    .await?
                {
                    return Ok(Lease {
                        key,
                        version,
                        renewed_ms: now,
                        lease_ms,
                    });
                }
                continue;
            }
            let waited = now.saturating_sub(started);
            if waited >= wait_ms {
                return Err(state_error(format!(
                    "another pass of this sync holds its lease for {} ms more (waited {waited} ms): run one pass at a time, or raise leaseWaitMs",
                    until - now
                )));
            }
            driver
                .transport()
                .sleep((until - now).min(wait_ms - waited).clamp(1, 500))
                .await;
        }
    }

    /// Renews the lease once a third of it has passed since the last
    /// renewal (so a pass's commits keep it without a write each).
    ///
    /// Errors: State when another pass took it over (this one stalled past
    /// its lease): the pass stops before writing again.
    pub(crate) async fn keep(&mut self, store: &BoundStore, now: u64) -> Result<()> {
        if now.saturating_sub(self.renewed_ms) < self.lease_ms / 3 {
            return Ok(());
        }
        let value = json!({"untilMs": now.saturating_add(self.lease_ms)});
        match store
            .compare_and_set(&self.key, Some(self.version), &value, None, now)
            .await?
        {
            Some(version) => {
                self.version = version;
                self.renewed_ms = now;
                Ok(())
            }
            None => Err(state_error(
                "this sync pass lost its lease to another (it stalled past leaseMs): it stopped before writing again",
            )),
        }
    }

    /// Gives the lease up (a pass that finished, or failed).
    pub(crate) async fn release(self, store: &BoundStore, now: u64) -> Result<()> {
        store
            .compare_and_set(
                &self.key,
                Some(self.version),
                &json!({"untilMs": 0}),
                None,
                now,
            )
            .await
            .map(|_| ())
    }
}
