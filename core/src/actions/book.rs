//! `appointments.book`: books the first free slot of a calendar in a
//! window, or a given start. When the slot was taken meanwhile (another
//! booking won it), it tries the next free one, at most `maxAttempts`
//! bookings in all, so two concurrent bookings of the same first slot end
//! in two distinct slots.

use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use crate::{Error, ErrorCode, Result};
use serde_json::{Map, Value, json};

/// The longest window searched for free slots (HighLevel's free-slots
/// range limit).
const MAX_WINDOW_MS: u64 = 31 * 86_400_000;

/// Bookings tried when `maxAttempts` is absent.
const DEFAULT_ATTEMPTS: u64 = 3;

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct Book {
    /// The calendar.
    calendar_id: String,
    /// The contact it is for.
    contact_id: String,
    /// The location (default: the credentials').
    location_id: Option<String>,
    /// The earliest start (RFC 3339): that slot if free, else the next.
    /// Default: the driver's now.
    from: Option<String>,
    /// The latest start (RFC 3339), at most 31 days after `from`. Default:
    /// 7 days after it.
    to: Option<String>,
    /// How many bookings to try in all, 1 to 10 (default 3).
    max_attempts: Option<u64>,
    /// Title.
    title: Option<String>,
    /// The user it is assigned to.
    assigned_user_id: Option<String>,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Booked {
    /// The appointment booked.
    appointment: crate::models::Appointment,
    /// The slot starts tried, in order; the last is the one booked.
    tried: Vec<String>,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<Book>(),
        crate::schema::schema_of::<Booked>(),
    )
}

/// Whether `e` says the slot is no longer free (HighLevel answers 400 with
/// a message about the slot; any other refusal is not retried).
fn slot_taken(e: &Error) -> bool {
    let about_the_slot = |m: &str| {
        let m = m.to_ascii_lowercase();
        m.contains("slot") && (m.contains("no longer available") || m.contains("not available"))
    };
    e.code() == ErrorCode::Validation
        && (about_the_slot(e.message()) || e.messages().iter().any(|m| about_the_slot(m)))
}

fn time_param(params: &Map<String, Value>, name: &str) -> Result<Option<i64>> {
    match params.get(name).and_then(Value::as_str) {
        None => Ok(None),
        Some(text) => crate::time::parse_rfc3339_ms(text)
            .map(Some)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "appointments.book: {name} {text:?} is not an RFC 3339 time"
                ))
            }),
    }
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let calendar = super::text(&params, "calendarId")?;
    let contact = super::text(&params, "contactId")?;
    let location = super::location_of(
        driver,
        params.get("locationId").and_then(Value::as_str),
        "appointments.book: locationId",
    )?;
    let attempts = params
        .get("maxAttempts")
        .and_then(Value::as_u64)
        .unwrap_or(DEFAULT_ATTEMPTS);
    if !(1..=10).contains(&attempts) {
        return Err(Error::invalid_argument(
            "appointments.book: maxAttempts is 1 to 10",
        ));
    }
    let from = time_param(&params, "from")?.unwrap_or(driver.transport().now_ms() as i64);
    let to = time_param(&params, "to")?.unwrap_or(from.saturating_add(7 * 86_400_000));
    if to < from || (to - from) as u64 > MAX_WINDOW_MS {
        return Err(Error::invalid_argument(
            "appointments.book: to is after from, at most 31 days later",
        ));
    }

    let free = driver
        .run(JsonCall::new(
            "calendars.freeSlots",
            json!({ "calendarId": calendar, "startDate": from.max(0), "endDate": to.max(0) }),
        )?)
        .await?;
    // Every day's slots, in time order, within the window.
    let mut slots: Vec<(i64, String)> = free
        .as_object()
        .into_iter()
        .flat_map(|days| days.values())
        .filter_map(|day| day.get("slots").and_then(Value::as_array))
        .flatten()
        .filter_map(|s| s.as_str())
        .filter_map(|s| crate::time::parse_rfc3339_ms(s).map(|ms| (ms, s.to_owned())))
        .filter(|(ms, _)| (from..=to).contains(ms))
        .collect();
    slots.sort();
    slots.dedup();
    if slots.is_empty() {
        return Err(Error::new(
            ErrorCode::NotFound,
            "appointments.book: no free slot in the window",
        ));
    }

    let mut tried = Vec::new();
    let mut last = None;
    for (_, start) in slots.into_iter().take(attempts as usize) {
        tried.push(start.clone());
        let mut body = json!({
            "calendarId": calendar, "locationId": location, "contactId": contact, "startTime": start,
        });
        for field in ["title", "assignedUserId"] {
            if let Some(v) = params.get(field).filter(|v| v.is_string()) {
                body[field] = v.clone();
            }
        }
        match driver
            .run(JsonCall::new("appointments.create", body)?)
            .await
        {
            Ok(appointment) => return Ok(json!({ "appointment": appointment, "tried": tried })),
            Err(e) if slot_taken(&e) => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last
        .unwrap_or_else(|| Error::new(ErrorCode::Validation, "no slot could be booked"))
        .context(&format!(
            "appointments.book: every slot tried was taken ({})",
            tried.join(", ")
        )))
}
