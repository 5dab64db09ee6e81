//! A location's calendars, their free slots and their events (the calendars
//! service, Version `2021-04-15`).

use super::contacts::READ;
use super::{OpSpec, Operation, Params, require_text, text};
use crate::models::{
    CalendarEventsResponse, CalendarResponse, CalendarsResponse, FreeSlotsResponse,
};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The `Version` every calendars-service endpoint takes.
pub const CALENDARS_API_VERSION: &str = "2021-04-15";

/// The longest range `calendars.freeSlots` accepts: 31 days (the spec's
/// limit).
pub const MAX_FREE_SLOTS_RANGE_MS: u64 = 31 * 24 * 3_600_000;

/// Defaults of the calendars service's reads.
pub(crate) const CALENDARS_READ: OpSpec = OpSpec {
    scope: Some("calendars.readonly"),
    version: Some(CALENDARS_API_VERSION),
    ..READ
};

/// Defaults of the calendar events' reads.
pub(crate) const EVENTS_READ: OpSpec = OpSpec {
    scope: Some("calendars/events.readonly"),
    ..CALENDARS_READ
};

/// `GET /calendars/`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListCalendars {
    /// The location.
    pub location_id: String,
    /// Only the calendars of this group.
    pub group_id: Option<String>,
    /// Include draft calendars.
    pub show_drafted: Option<bool>,
}

impl Operation for ListCalendars {
    type Output = CalendarsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "calendars.list",
        operation_id: prose!("get-calendars"),
        summary: prose!("List the calendars of a location."),
        path: "/calendars/",
        params: Params::Query(&["locationId", "groupId", "showDrafted"]),
        ..CALENDARS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `GET /calendars/{calendarId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetCalendar {
    /// The calendar.
    pub calendar_id: String,
}

impl Operation for GetCalendar {
    type Output = CalendarResponse;
    const SPEC: OpSpec = OpSpec {
        name: "calendars.get",
        operation_id: prose!("get-calendar"),
        summary: prose!("Get a calendar (open hours, slot duration, team)."),
        path: "/calendars/{calendarId}",
        ..CALENDARS_READ
    };
}

/// `GET /calendars/{calendarId}/free-slots`: the bookable slot starts of a
/// calendar in a range of at most 31 days.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FreeSlots {
    /// The calendar.
    pub calendar_id: String,
    /// Range start, Unix milliseconds.
    pub start_date: u64,
    /// Range end, Unix milliseconds: after the start, at most 31 days later.
    pub end_date: u64,
    /// IANA time zone the slots are given in (`America/New_York`); the
    /// calendar's own when absent.
    pub timezone: Option<String>,
    /// Only this user's slots.
    pub user_id: Option<String>,
    /// Only these users' slots.
    pub user_ids: Option<Vec<String>>,
}

impl Operation for FreeSlots {
    type Output = FreeSlotsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "calendars.freeSlots",
        operation_id: prose!("get-slots"),
        summary: prose!("List a calendar's free slots in a date range (at most 31 days)."),
        path: "/calendars/{calendarId}/free-slots",
        params: Params::Query(&["startDate", "endDate", "timezone", "userId", "userIds"]),
        ..CALENDARS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        check_range(
            params,
            "startDate",
            "endDate",
            Some(MAX_FREE_SLOTS_RANGE_MS),
        )?;
        check_time_zone(params, "timezone")
    }
}

/// `GET /calendars/events`: the events of a calendar, a user or a group in a
/// range.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListCalendarEvents {
    /// The location.
    pub location_id: String,
    /// Range start, Unix milliseconds.
    pub start_time: u64,
    /// Range end, Unix milliseconds.
    pub end_time: u64,
    /// The calendar (one of `calendarId`, `userId`, `groupId` is needed).
    pub calendar_id: Option<String>,
    /// The user.
    pub user_id: Option<String>,
    /// The calendar group.
    pub group_id: Option<String>,
}

impl Operation for ListCalendarEvents {
    type Output = CalendarEventsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "calendars.events",
        operation_id: prose!("get-calendar-events"),
        summary: prose!("List calendar events in a range, by calendar, user or group."),
        path: "/calendars/events",
        params: Params::Query(&[
            "locationId",
            "userId",
            "calendarId",
            "groupId",
            "startTime",
            "endTime",
        ]),
        ..EVENTS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        check_range(params, "startTime", "endTime", None)?;
        if ["calendarId", "userId", "groupId"]
            .iter()
            .all(|k| text(params, k).trim().is_empty())
        {
            return Err(Error::invalid_argument(
                "calendars.events needs one of calendarId, userId or groupId",
            ));
        }
        Ok(())
    }
}

/// Refuses a range whose end is not after its start, or (with `max_ms`)
/// that is longer than `max_ms`.
fn check_range(
    params: &Map<String, Value>,
    start: &str,
    end: &str,
    max_ms: Option<u64>,
) -> Result<()> {
    let ms = |k: &str| params.get(k).and_then(Value::as_u64).unwrap_or(0);
    let (from, to) = (ms(start), ms(end));
    if to <= from {
        return Err(Error::invalid_argument(format!(
            "{end} ({to}) must be after {start} ({from})"
        )));
    }
    if let Some(max) = max_ms.filter(|max| to - from > *max) {
        // Whole days and hours: formatting a float would add the float
        // printer to the wasm (about 10 KB).
        let (days, hours) = (
            (to - from) / 86_400_000,
            (to - from) % 86_400_000 / 3_600_000,
        );
        return Err(Error::invalid_argument(format!(
            "the range {start}..{end} is {days} days {hours} h; at most {} days are allowed",
            max / 86_400_000
        )));
    }
    Ok(())
}

/// Refuses a time zone that is not an IANA name.
pub(crate) fn check_time_zone(params: &Map<String, Value>, name: &str) -> Result<()> {
    match params.get(name).and_then(Value::as_str) {
        Some(tz) if !crate::time::is_time_zone(tz) => Err(Error::invalid_argument(format!(
            "{name} {tz:?} is not an IANA time zone name (such as America/New_York)"
        ))),
        _ => Ok(()),
    }
}
