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

use crate::{Error, OpSpec, PaginationKind, Result};
use serde_json::{Map, Value};

/// How deep `page` numbers reach in a contacts search: past the first
/// 10,000 records the API wants `searchAfter` (fact sheet §5).
pub const SEARCH_PAGE_WINDOW: u64 = 10_000;

/// Where one paginated operation's page lives in its JSON: the result's list
/// of items and the params' page size. With the operation's
/// [`PaginationKind`] this is all [`next_params`] needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pages {
    /// The result's list, e.g. `contacts`.
    pub items: &'static str,
    /// The page-size param, e.g. `limit` or `pageLimit`.
    pub limit: &'static str,
    /// The page size the API uses when none is given, where it is known.
    pub default_limit: Option<u64>,
}

/// The params of the page after `output`, or `None` at the end: the one
/// decision every surface uses, typed ([`crate::Paginated::next_page`]) or JSON
/// ([`crate::catalog::next_page`]). `params` and `output` are JSON as the
/// catalog reads and writes them; the next params are `params` with the
/// cursor fields changed.
///
/// - [`PaginationKind::StartAfter`]: continues from `meta.startAfterId` /
///   `meta.startAfter`; a short page ends the walk. Without `meta`, the last
///   item's id is the cursor.
/// - [`PaginationKind::SearchAfter`]: `page` while the next page stays inside
///   the first 10,000 records, then `searchAfter` from the last item.
/// - [`PaginationKind::SkipLimit`]: `skip` advances by the page's length; an
///   empty or short page ends the walk. Where the page size is unknown (no
///   limit given, none documented), only an empty page ends it: one extra
///   request, never a missed page.
///
/// Errors ([`crate::ErrorCode::Decode`]) when a full page carries no cursor:
/// the walk cannot continue correctly, and never stops silently.
pub fn next_params(
    spec: &OpSpec,
    pages: &Pages,
    params: &Value,
    output: &Value,
) -> Result<Option<Value>> {
    let mut next: Map<String, Value> = params.as_object().cloned().unwrap_or_default();
    next.retain(|_, v| !v.is_null());
    let items = output
        .get(pages.items)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let got = items.len() as u64;
    let limit = next
        .get(pages.limit)
        .and_then(Value::as_u64)
        .or(pages.default_limit);
    let name = spec.name;
    match spec.pagination {
        PaginationKind::None => return Ok(None),
        PaginationKind::StartAfter => {
            if got == 0 || limit.is_some_and(|l| got < l) {
                return Ok(None);
            }
            let meta = output.get("meta");
            let field = |key: &str| meta.and_then(|m| m.get(key)).filter(|v| !v.is_null());
            let start_after_id = field("startAfterId")
                .or_else(|| {
                    items
                        .last()
                        .and_then(|c| c.get("id"))
                        .filter(|v| !v.is_null())
                })
                .cloned();
            let start_after = field("startAfter").cloned();
            if start_after_id.is_none() && start_after.is_none() {
                return Err(Error::protocol(format!(
                    "{name}: a full page came back without a cursor (meta.startAfterId); cannot continue"
                )));
            }
            set_or_remove(&mut next, "startAfterId", start_after_id);
            set_or_remove(&mut next, "startAfter", start_after);
        }
        PaginationKind::SearchAfter => {
            let Some(limit) = limit else {
                return Err(Error::invalid_argument(format!(
                    "{name}: {} is required",
                    pages.limit
                )));
            };
            if got == 0 || got < limit {
                return Ok(None);
            }
            if !next.contains_key("searchAfter") {
                let page = next.get("page").and_then(Value::as_u64).unwrap_or(1);
                if let Some(total) = output.get("total").and_then(Value::as_u64) {
                    if page.saturating_mul(limit) >= total {
                        return Ok(None);
                    }
                }
                if (page + 1).saturating_mul(limit) <= SEARCH_PAGE_WINDOW {
                    next.insert("page".into(), (page + 1).into());
                    return Ok(Some(Value::Object(next)));
                }
            }
            match items.last().and_then(|c| c.get("searchAfter")) {
                Some(Value::Array(cursor)) if !cursor.is_empty() => {
                    next.remove("page");
                    next.insert("searchAfter".into(), Value::Array(cursor.clone()));
                }
                _ => {
                    return Err(Error::protocol(format!(
                        "{name}: the last item of a full page has no searchAfter; cannot continue past 10,000 records"
                    )));
                }
            }
        }
        PaginationKind::SkipLimit => {
            if got == 0 || limit.is_some_and(|l| got < l) {
                return Ok(None);
            }
            let skip = next.get("skip").and_then(Value::as_u64).unwrap_or(0);
            next.insert("skip".into(), (skip + got).into());
            if let Some(l) = limit {
                next.insert(pages.limit.into(), l.into());
            }
        }
    }
    Ok(Some(Value::Object(next)))
}

fn set_or_remove(map: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    match value {
        Some(v) => map.insert(key.into(), v),
        None => map.remove(key),
    };
}
