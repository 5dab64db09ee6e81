//! Each location's contact custom-field definitions, kept for the engine's
//! `custom_fields_ttl_ms` (turning keys into ids costs one request per
//! location per TTL, not one per call). The driver fetches and fills it;
//! the engine only keeps it, under its own lock.

use crate::mapping::CustomFields;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Definitions by location id, each with when it was fetched.
#[derive(Debug, Default)]
pub(crate) struct FieldCache {
    entries: Mutex<HashMap<String, (u64, Arc<CustomFields>)>>,
}

impl FieldCache {
    /// The definitions of `location` fetched less than `ttl_ms` before `now_ms`.
    pub(crate) fn fresh(
        &self,
        location: &str,
        now_ms: u64,
        ttl_ms: u64,
    ) -> Option<Arc<CustomFields>> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(location)
            .filter(|(at, _)| now_ms.saturating_sub(*at) < ttl_ms)
            .map(|(_, f)| f.clone())
    }

    /// Keeps `fields` as `location`'s, fetched at `now_ms`.
    pub(crate) fn put(&self, location: &str, now_ms: u64, fields: Arc<CustomFields>) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.insert(location.to_owned(), (now_ms, fields));
    }
}
