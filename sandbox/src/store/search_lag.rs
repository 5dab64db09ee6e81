//! Search that is as slow to be consistent as HighLevel's ("updates may take
//! a few seconds" to reach search): with a location's lag above 0, contact
//! search reads a copy of the contacts that each change reaches only `lag`
//! ms after it was made. Reads by id, lists and duplicates stay current, as
//! on HighLevel. With no lag (the default) search reads the contacts
//! themselves and none of this runs.

use super::{Contact, Location};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};

/// A contact as search shows it, and when it was created.
type Shown = (Contact, i64);

/// The state search sees of one location's contacts, and the changes on
/// their way to it.
#[derive(Default)]
pub(super) struct LaggedSearch {
    /// What search shows: each contact's state and creation time.
    shown: BTreeMap<String, Shown>,
    /// Changes in the order made: when each becomes visible, the contact,
    /// and its state after the change (`None`: deleted).
    pending: VecDeque<(i64, String, Option<Shown>)>,
}

impl Location {
    /// Sets the search lag; a copy of the contacts as they are now starts
    /// what search shows.
    pub(super) fn set_search_lag(&mut self, lag_ms: i64) {
        self.search_lag_ms = lag_ms.max(0);
        self.lagged = (self.search_lag_ms > 0).then(|| LaggedSearch {
            shown: self
                .contacts
                .iter()
                .map(|(id, r)| (id.clone(), (r.contact.clone(), r.created_ms)))
                .collect(),
            pending: VecDeque::new(),
        });
    }

    /// Notes the contact changes an operation made at `now_ms` (its webhook
    /// events say which), to reach search `lag` ms later.
    pub(super) fn note_contact_changes(&mut self, events: &[Value], now_ms: i64) {
        let Some(lagged) = self.lagged.as_mut() else {
            return;
        };
        for e in events {
            let is_contact = e["type"].as_str().is_some_and(|t| t.starts_with("Contact"));
            let Some(id) = e["id"].as_str().filter(|_| is_contact) else {
                continue;
            };
            let now_state = self
                .contacts
                .get(id)
                .map(|r| (r.contact.clone(), r.created_ms));
            lagged
                .pending
                .push_back((now_ms + self.search_lag_ms, id.to_owned(), now_state));
        }
    }

    /// The contacts as search sees them at `now_ms`: `(id, contact,
    /// created_ms)`, in no particular order.
    pub(super) fn searchable(&mut self, now_ms: i64) -> Vec<(&str, &Contact, i64)> {
        match self.lagged.as_mut() {
            None => self
                .contacts
                .iter()
                .map(|(id, r)| (id.as_str(), &r.contact, r.created_ms))
                .collect(),
            Some(lagged) => {
                while lagged
                    .pending
                    .front()
                    .is_some_and(|(at, _, _)| *at <= now_ms)
                {
                    let Some((_, id, state)) = lagged.pending.pop_front() else {
                        break;
                    };
                    match state {
                        Some(state) => lagged.shown.insert(id, state),
                        None => lagged.shown.remove(&id),
                    };
                }
                lagged
                    .shown
                    .iter()
                    .map(|(id, (c, created))| (id.as_str(), c, *created))
                    .collect()
            }
        }
    }

    /// Whether search reads a lagged copy (so the creation index, which is
    /// current, cannot serve it).
    pub(super) fn search_lags(&self) -> bool {
        self.lagged.is_some()
    }
}
