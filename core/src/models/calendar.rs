//! Calendars, their free slots, and appointment notes (the calendars
//! service, Version `2021-04-15`).

use super::Appointment;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use std::collections::BTreeMap;

/// A calendar (`CalendarDTO`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Calendar {
    /// The calendar id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// The calendar group.
    pub group_id: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Booking page slug.
    pub slug: Option<String>,
    /// `round_robin`, `event`, `class_booking`, `collective`,
    /// `service_booking` or `personal`.
    pub calendar_type: Option<String>,
    /// Whether it takes bookings.
    pub is_active: Option<bool>,
    /// How long one slot lasts, in `slotDurationUnit`.
    pub slot_duration: Option<u32>,
    /// `mins` or `hours`.
    pub slot_duration_unit: Option<String>,
    /// How often a slot starts, in `slotIntervalUnit`.
    pub slot_interval: Option<u32>,
    /// `mins` or `hours`.
    pub slot_interval_unit: Option<String>,
    /// Weekly open hours.
    pub open_hours: Option<Vec<OpenHours>>,
    /// Every other field (team members, notifications, booking rules, …),
    /// as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Open hours on some days of the week (`OpenHour`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OpenHours {
    /// Days, 0 (Sunday) to 6 (Saturday).
    #[serde(default)]
    pub days_of_the_week: Vec<u8>,
    /// The open intervals of each of those days.
    #[serde(default)]
    pub hours: Vec<OpenInterval>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One open interval of a day, in the calendar's time zone (`Hour`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OpenInterval {
    /// Opening hour, 0–23.
    pub open_hour: u8,
    /// Opening minute.
    pub open_minute: u8,
    /// Closing hour, 0–24.
    pub close_hour: u8,
    /// Closing minute.
    pub close_minute: u8,
}

/// `{calendars}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarsResponse {
    /// The calendars.
    #[serde(default)]
    pub calendars: Vec<Calendar>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{calendar}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarResponse {
    /// The calendar.
    pub calendar: Calendar,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Free slots by day: `{"2024-10-28": {"slots": [...]}, ...}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FreeSlotsResponse {
    /// The request's trace id, where the API sends one.
    pub trace_id: Option<String>,
    /// Each day (`YYYY-MM-DD`, in the requested time zone) with its slots.
    #[serde(flatten)]
    pub days: BTreeMap<String, DaySlots>,
}

/// One day's free slots (`SlotsSchema`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DaySlots {
    /// Slot start times, ISO 8601 with the zone's offset
    /// (`2024-10-28T10:00:00-04:00`).
    #[serde(default)]
    pub slots: Vec<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{events}`: calendar events in a range.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarEventsResponse {
    /// The events.
    #[serde(default)]
    pub events: Vec<Appointment>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{event}`: one appointment.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CalendarEventResponse {
    /// The appointment.
    pub event: Appointment,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note on an appointment (`GetNoteSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentNote {
    /// The note id.
    pub id: Option<String>,
    /// Text.
    pub body: Option<String>,
    /// The user who wrote it.
    pub user_id: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// Every other field (`createdBy`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{notes, hasMore}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentNotesResponse {
    /// The notes.
    #[serde(default)]
    pub notes: Vec<AppointmentNote>,
    /// Whether more notes follow.
    pub has_more: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{note}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentNoteResponse {
    /// The note.
    pub note: AppointmentNote,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{success}` after deleting an appointment note.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SuccessResponse {
    /// Whether it succeeded.
    pub success: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
