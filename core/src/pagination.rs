//! Cursors: each paginated operation knows how to make the request for the
//! page after a response, so a caller can walk a million contacts one page at
//! a time without holding more than a page.
//!
//! ```
//! use contacts_core::ops::contacts::ListContacts;
//! use contacts_core::{Operation, Paginated, models::ContactListResponse};
//! let first = ListContacts { location_id: "loc".into(), limit: Some(100), ..Default::default() };
//! let page: ContactListResponse = serde_json::from_str(
//!     r#"{"contacts":[],"meta":{"startAfterId":"c1","startAfter":1700000000000}}"#).unwrap();
//! // An empty page ends the walk.
//! assert!(first.next_page(&page).unwrap().is_none());
//! ```

use crate::models::{
    BusinessesResponse, ContactListResponse, InstalledLocationsResponse, TasksResponse,
};
use crate::ops::businesses::ListBusinesses;
use crate::ops::contacts::{
    ListContacts, ListContactsByBusiness, SEARCH_PAGE_WINDOW, SearchContacts,
};
use crate::ops::oauth::ListInstalledLocations;
use crate::ops::tasks::SearchTasks;
use crate::{Error, Paginated, Result};

/// The page size `GET /contacts/` uses when none is given.
const LIST_DEFAULT_LIMIT: u32 = 20;

impl Paginated for ListContacts {
    /// Continues from `meta.startAfterId` / `meta.startAfter`; a short page ends
    /// the walk. Without `meta`, the last contact's id is the cursor.
    fn next_page(&self, out: &ContactListResponse) -> Result<Option<Self>> {
        let limit = self.limit.unwrap_or(LIST_DEFAULT_LIMIT) as usize;
        if out.contacts.len() < limit {
            return Ok(None);
        }
        let meta = out.meta.as_ref();
        let start_after_id = meta
            .and_then(|m| m.start_after_id.clone())
            .or_else(|| out.contacts.last().and_then(|c| c.id.clone()));
        let start_after = meta.and_then(|m| m.start_after);
        if start_after_id.is_none() && start_after.is_none() {
            return Err(Error::protocol(
                "contacts.list: a full page came back without a cursor (meta.startAfterId); cannot continue",
            ));
        }
        Ok(Some(ListContacts {
            start_after_id,
            start_after,
            ..self.clone()
        }))
    }
}

impl Paginated for SearchContacts {
    /// `page` while the next page stays inside the first 10,000 records, then
    /// `searchAfter` from the last contact. A full page past the window with no
    /// `searchAfter` is an error, never a silent end.
    fn next_page(&self, out: &ContactListResponse) -> Result<Option<Self>> {
        let n = out.contacts.len() as u64;
        let limit = u64::from(self.page_limit);
        if n == 0 || n < limit {
            return Ok(None);
        }
        if self.search_after.is_none() {
            let page = self.page.unwrap_or(1);
            if let Some(total) = out.total {
                if page.saturating_mul(limit) >= total {
                    return Ok(None);
                }
            }
            if (page + 1).saturating_mul(limit) <= SEARCH_PAGE_WINDOW {
                return Ok(Some(SearchContacts {
                    page: Some(page + 1),
                    ..self.clone()
                }));
            }
        }
        match out.contacts.last().and_then(|c| c.search_after.clone()) {
            Some(cursor) if !cursor.is_empty() => Ok(Some(SearchContacts {
                page: None,
                search_after: Some(cursor),
                ..self.clone()
            })),
            _ => Err(Error::protocol(
                "contacts.search: the last contact of a full page has no searchAfter; cannot continue past 10,000 records",
            )),
        }
    }
}

/// The next `skip` of a skip/limit walk, or `None` after an empty or short
/// page. Where the page size is unknown (no limit given, none documented),
/// only an empty page ends the walk: one extra request, never a missed page.
fn next_skip(skip: Option<u64>, limit: Option<u32>, got: usize) -> Option<(u64, Option<u32>)> {
    if got == 0 || limit.is_some_and(|l| got < l as usize) {
        return None;
    }
    Some((skip.unwrap_or(0) + got as u64, limit))
}

impl Paginated for ListContactsByBusiness {
    fn next_page(&self, out: &ContactListResponse) -> Result<Option<Self>> {
        Ok(
            next_skip(self.skip, self.limit.or(Some(25)), out.contacts.len()).map(
                |(skip, limit)| ListContactsByBusiness {
                    skip: Some(skip),
                    limit,
                    ..self.clone()
                },
            ),
        )
    }
}

impl Paginated for ListBusinesses {
    fn next_page(&self, out: &BusinessesResponse) -> Result<Option<Self>> {
        Ok(
            next_skip(self.skip, self.limit, out.businesses.len()).map(|(skip, limit)| {
                ListBusinesses {
                    skip: Some(skip),
                    limit,
                    ..self.clone()
                }
            }),
        )
    }
}

impl Paginated for SearchTasks {
    fn next_page(&self, out: &TasksResponse) -> Result<Option<Self>> {
        let mut next = self.clone();
        Ok(next_skip(
            self.query.skip,
            self.query.limit.or(Some(25)),
            out.tasks.len(),
        )
        .map(|(skip, limit)| {
            next.query.skip = Some(skip);
            next.query.limit = limit;
            next
        }))
    }
}

impl Paginated for ListInstalledLocations {
    fn next_page(&self, out: &InstalledLocationsResponse) -> Result<Option<Self>> {
        Ok(
            next_skip(self.skip, self.limit.or(Some(20)), out.locations.len()).map(
                |(skip, limit)| ListInstalledLocations {
                    skip: Some(skip),
                    limit,
                    ..self.clone()
                },
            ),
        )
    }
}
