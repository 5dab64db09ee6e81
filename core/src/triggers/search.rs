//! One page of contact search in a fixed order, from a `dateUpdated` on,
//! continued with `searchAfter`: the read that contact triggers and sync
//! both walk.

use crate::driver::{Driver, Transport};
use crate::{Error, Result};
use serde_json::{Value, json};

/// One search page of `location`'s contacts sorted by `sort_by` ascending
/// (`dateUpdated`, or `dateAdded` for a scan of every id), from `from_ms`
/// (`dateUpdated` at or after it) when given, after `after` (a
/// `searchAfter`, or Null for the first page); contacts as the result
/// schema reads them, and the search's `total` (how many match) when the
/// answer gives one.
///
/// Errors: the call's.
pub(crate) async fn contacts_page<T: Transport>(
    driver: &Driver<T>,
    location: &str,
    page_limit: u64,
    sort_by: &str,
    from_ms: Option<i64>,
    after: &Value,
) -> Result<(Vec<Value>, Option<u64>)> {
    let mut params = json!({
        "locationId": location,
        "pageLimit": page_limit,
        "sort": [{"field": sort_by, "direction": "asc"}],
    });
    if let Some(from) = from_ms {
        params["filters"] = json!([{
            "field": "dateUpdated",
            "operator": "range",
            "value": {"gte": crate::time::format_rfc3339_ms(from)},
        }]);
    }
    if !after.is_null() {
        params["searchAfter"] = after.clone();
    }
    let mut answer = driver.call("contacts.search", params).await?;
    let total = answer.get("total").and_then(Value::as_u64);
    match answer.get_mut("contacts").map(Value::take) {
        Some(Value::Array(contacts)) => Ok((contacts, total)),
        _ => Ok((Vec::new(), total)),
    }
}

/// The `searchAfter` of a full page's last contact.
///
/// Errors: Decode when it has none (the walk could not go on).
pub(crate) fn search_after(page: &[Value]) -> Result<Value> {
    page.last()
        .and_then(|c| c.get("searchAfter"))
        .filter(|v| !v.is_null())
        .cloned()
        .ok_or_else(|| Error::protocol("a full search page's last contact has no searchAfter"))
}

/// A contact's `dateUpdated`, Unix ms.
pub(crate) fn updated_ms(contact: &Value) -> Option<i64> {
    contact["dateUpdated"]
        .as_str()
        .and_then(crate::time::parse_rfc3339_ms)
}
