//! The calendar reads that appointment triggers and sync both make: a
//! location's calendars, and one calendar's events over a window.

use crate::Result;
use crate::driver::{Driver, Transport};
use serde_json::{Value, json};

/// The ids of `location`'s calendars (one `calendars.list`).
///
/// Errors: the call's.
pub(crate) async fn location_calendars<T: Transport>(
    driver: &Driver<T>,
    location: &str,
) -> Result<Vec<String>> {
    let answer = driver
        .call("calendars.list", json!({"locationId": location}))
        .await?;
    Ok(answer["calendars"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| super::id_of(c).map(str::to_owned))
        .collect())
}

/// `calendar`'s events starting from `from_ms` to `to_ms` (one
/// `calendars.events`), as the result schema reads them.
///
/// Errors: the call's.
pub(crate) async fn calendar_events<T: Transport>(
    driver: &Driver<T>,
    location: &str,
    calendar: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<Value>> {
    let mut answer = driver
        .call(
            "calendars.events",
            json!({
                "locationId": location,
                "calendarId": calendar,
                "startTime": from_ms,
                "endTime": to_ms,
            }),
        )
        .await?;
    match answer.get_mut("events").map(Value::take) {
        Some(Value::Array(events)) => Ok(events),
        _ => Ok(Vec::new()),
    }
}
