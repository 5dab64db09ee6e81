//! Appointments: a contact's list (Contacts API), and booking, reading,
//! changing, cancelling and deleting them (the calendars service).

use super::calendars::{CALENDARS_READ, EVENTS_READ};
use super::contacts::READ;
use super::{OpSpec, Operation, Params, require_texts_of, text};
use crate::models::{Appointment, AppointmentsResponse, CalendarEventResponse, SucceededResponse};
use crate::{Error, Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// Defaults of the calendar events' writes.
pub(crate) const EVENTS_WRITE: OpSpec = OpSpec {
    scope: Some("calendars/events.write"),
    idempotent: false,
    ..CALENDARS_READ
};

/// `GET /contacts/{contactId}/appointments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListAppointments {
    /// The contact.
    pub contact_id: String,
}

impl Operation for ListAppointments {
    type Output = AppointmentsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.list",
        operation_id: prose!("get-appointments-for-contact"),
        summary: prose!("List a contact's appointments."),
        path: "/contacts/{contactId}/appointments",
        ..READ
    };
}

/// Where a meeting happens.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum MeetingLocationType {
    /// A custom location.
    Custom,
    /// Zoom.
    Zoom,
    /// Google Meet.
    Gmeet,
    /// A phone call.
    Phone,
    /// An address.
    Address,
    /// Microsoft Teams.
    MsTeams,
    /// Google.
    Google,
}

/// An appointment's status, as it may be set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum AppointmentStatus {
    /// Booked, not yet confirmed.
    New,
    /// Confirmed.
    Confirmed,
    /// Cancelled.
    Cancelled,
    /// The contact came.
    Showed,
    /// The contact did not come.
    Noshow,
    /// Invalid.
    Invalid,
}

/// The fields a booking and a change share (`AppointmentCreateSchema`,
/// `AppointmentEditSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentFields {
    /// End, ISO 8601 with an offset; the calendar's slot duration after the
    /// start when absent.
    pub end_time: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Where the meeting happens.
    pub meeting_location_type: Option<MeetingLocationType>,
    /// The meeting location's configuration id.
    pub meeting_location_id: Option<String>,
    /// Use `address` instead of the calendar's location configuration.
    pub override_location_config: Option<bool>,
    /// Status.
    pub appointment_status: Option<AppointmentStatus>,
    /// The user it is assigned to.
    pub assigned_user_id: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Address or meeting link.
    pub address: Option<String>,
    /// Book outside the calendar's booking window.
    pub ignore_date_range: Option<bool>,
    /// Send the calendar's notifications.
    pub to_notify: Option<bool>,
    /// Book even when the slot is not free (taken, or outside open hours).
    pub ignore_free_slot_validation: Option<bool>,
    /// Recurrence rule (RFC 5545 `RRULE`).
    pub rrule: Option<String>,
}

/// `POST /calendars/events/appointments`: books an appointment.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateAppointment {
    /// The calendar.
    pub calendar_id: String,
    /// The location.
    pub location_id: String,
    /// The contact it is for.
    pub contact_id: String,
    /// Start, ISO 8601 with an offset (`2026-12-03T10:00:00-05:00`), as
    /// `calendars.freeSlots` lists it.
    pub start_time: String,
    /// The other fields.
    #[serde(flatten)]
    pub fields: AppointmentFields,
}

impl Operation for CreateAppointment {
    type Output = Appointment;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.create",
        operation_id: prose!("create-appointment"),
        summary: prose!("Book an appointment (a free slot unless ignoreFreeSlotValidation)."),
        method: Method::Post,
        path: "/calendars/events/appointments",
        ..EVENTS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(
            params,
            &["calendarId", "locationId", "contactId", "startTime"],
        )?;
        check_times(params)
    }
}

/// `GET /calendars/events/appointments/{eventId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetAppointment {
    /// The appointment (event) id.
    pub event_id: String,
}

impl Operation for GetAppointment {
    type Output = CalendarEventResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.get",
        operation_id: prose!("get-appointment"),
        summary: prose!("Get an appointment."),
        path: "/calendars/events/appointments/{eventId}",
        ..EVENTS_READ
    };
}

/// `PUT /calendars/events/appointments/{eventId}`: changes an appointment
/// (reschedule, reassign, set its status).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateAppointment {
    /// The appointment (event) id.
    pub event_id: String,
    /// Move it to this calendar.
    pub calendar_id: Option<String>,
    /// New start, ISO 8601 with an offset.
    pub start_time: Option<String>,
    /// The other fields to change.
    #[serde(flatten)]
    pub fields: AppointmentFields,
}

impl Operation for UpdateAppointment {
    type Output = Appointment;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.update",
        operation_id: prose!("edit-appointment"),
        summary: prose!("Change an appointment (time, calendar, assignee, status)."),
        method: Method::Put,
        path: "/calendars/events/appointments/{eventId}",
        idempotent: true,
        ..EVENTS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        check_times(params)
    }
}

/// `appointments.update` with `appointmentStatus: cancelled`: the
/// appointment stays (with its notes and history), unlike
/// `appointments.delete`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CancelAppointment {
    /// The appointment (event) id.
    pub event_id: String,
    /// Send the calendar's cancellation notifications.
    pub to_notify: Option<bool>,
}

impl Operation for CancelAppointment {
    type Output = Appointment;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.cancel",
        operation_id: prose!("edit-appointment"),
        summary: prose!(
            "Cancel an appointment (sets appointmentStatus to cancelled; it is not deleted)."
        ),
        method: Method::Put,
        path: "/calendars/events/appointments/{eventId}",
        idempotent: true,
        fixed: &[("appointmentStatus", "cancelled")],
        ..EVENTS_WRITE
    };
}

/// `DELETE /calendars/events/{eventId}`: removes an appointment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteAppointment {
    /// The appointment (event) id.
    pub event_id: String,
}

impl Operation for DeleteAppointment {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.delete",
        operation_id: prose!("delete-event"),
        summary: prose!("Delete an appointment (see appointments.cancel to keep it)."),
        method: Method::Delete,
        path: "/calendars/events/{eventId}",
        idempotent: true,
        success_status: 201,
        params: Params::Body,
        ..EVENTS_WRITE
    };
}

/// Refuses a `startTime` or `endTime` that is not ISO 8601 with an offset,
/// and an end that is not after the start.
fn check_times(params: &Map<String, Value>) -> Result<()> {
    let mut times = [None, None];
    for (slot, name) in times.iter_mut().zip(["startTime", "endTime"]) {
        let value = text(params, name);
        if params.contains_key(name) {
            *slot = Some(crate::time::parse_rfc3339_ms(value).ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{name} {value:?} is not an ISO 8601 time with an offset (2026-12-03T10:00:00-05:00)"
                ))
            })?);
        }
    }
    if let [Some(start), Some(end)] = times {
        if end <= start {
            return Err(Error::invalid_argument("endTime must be after startTime"));
        }
    }
    Ok(())
}
