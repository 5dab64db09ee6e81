//! A host adapter a shell answers through one call per operation (the C
//! callback, the JS object, the Python object), JSON in and out, every
//! answer read by [`HostRecord::from_json`] and [`HostChanges::from_json`]:
//! - `changes(since, limit)` → `{records: [{id, updatedAt, deleted?,
//!   fields}], checkpoint?, more?}` (`since` null on the first pass);
//! - `upsert({id, key, fields, nowMs})` → the record as the host now has it
//!   (`id` null to create one; `key` the contact it mirrors);
//! - `delete(id)` → anything.
//!
//! An answer of the wrong shape fails the pass with
//! [`crate::ErrorCode::Host`]; a malformed record in a page of changes is
//! reported and the pass goes on.

use super::host::{HostAdapter, HostChanges, HostRecord, HostWrite};
use crate::state::{HostCall, StoreFuture};
use crate::{Error, ErrorCode};
use serde_json::json;

/// Every operation a host adapter answers, by the name it is called with.
pub const HOST_ADAPTER_OPERATIONS: [&str; 3] = ["changes", "upsert", "delete"];

/// A [`HostAdapter`] that asks a host ([`HostCall`]) for every operation.
/// Errors the shell's call returns keep their code (a callback that failed
/// should be [`ErrorCode::Host`]).
pub struct HostCallAdapter<H: HostCall>(pub H);

fn shape(op: &str, e: Error) -> Error {
    Error::new(
        ErrorCode::Host,
        format!(
            "the host adapter's {op} answered what it may not: {}",
            e.message()
        ),
    )
}

impl<H: HostCall> HostAdapter for HostCallAdapter<H> {
    fn changes<'a>(&'a self, since: Option<&'a str>, limit: usize) -> StoreFuture<'a, HostChanges> {
        Box::pin(async move {
            let v = self.0.call("changes", json!([since, limit])).await?;
            HostChanges::from_json(&v).map_err(|e| shape("changes", e))
        })
    }

    fn upsert<'a>(&'a self, write: HostWrite<'a>) -> StoreFuture<'a, HostRecord> {
        Box::pin(async move {
            let request = json!([{
                "id": write.id,
                "key": write.key,
                "fields": write.fields,
                "nowMs": write.now_ms,
            }]);
            let v = self.0.call("upsert", request).await?;
            HostRecord::from_json(&v, "upsert").map_err(|e| shape("upsert", e))
        })
    }

    fn delete<'a>(&'a self, id: &'a str) -> StoreFuture<'a, ()> {
        Box::pin(async move { self.0.call("delete", json!([id])).await.map(|_| ()) })
    }
}
