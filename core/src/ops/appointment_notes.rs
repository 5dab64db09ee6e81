//! Notes on an appointment (the calendars service).

use super::appointments::EVENTS_WRITE;
use super::calendars::EVENTS_READ;
use super::{OpSpec, Operation, Params, require_text};
use crate::models::{AppointmentNoteResponse, AppointmentNotesResponse, SuccessResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `GET /calendars/appointments/{appointmentId}/notes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListAppointmentNotes {
    /// The appointment.
    pub appointment_id: String,
    /// Page size (the API requires one; 10 when absent).
    #[serde(default = "default_limit")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub limit: u32,
    /// How many to skip.
    #[serde(default)]
    pub offset: u32,
}

fn default_limit() -> u32 {
    10
}

impl Operation for ListAppointmentNotes {
    type Output = AppointmentNotesResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointmentNotes.list",
        operation_id: prose!("get-appointment-notes"),
        summary: prose!("List an appointment's notes."),
        path: "/calendars/appointments/{appointmentId}/notes",
        params: Params::Query(&["limit", "offset"]),
        ..EVENTS_READ
    };
}

/// `POST /calendars/appointments/{appointmentId}/notes`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateAppointmentNote {
    /// The appointment.
    pub appointment_id: String,
    /// Text.
    pub body: String,
    /// The user writing it.
    pub user_id: Option<String>,
}

impl Operation for CreateAppointmentNote {
    type Output = AppointmentNoteResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointmentNotes.create",
        operation_id: prose!("create-appointment-note"),
        summary: prose!("Add a note to an appointment."),
        method: Method::Post,
        path: "/calendars/appointments/{appointmentId}/notes",
        success_status: 201,
        ..EVENTS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "body")
    }
}

/// `PUT /calendars/appointments/{appointmentId}/notes/{noteId}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateAppointmentNote {
    /// The appointment.
    pub appointment_id: String,
    /// The note.
    pub note_id: String,
    /// New text.
    pub body: String,
    /// The user writing it.
    pub user_id: Option<String>,
}

impl Operation for UpdateAppointmentNote {
    type Output = AppointmentNoteResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointmentNotes.update",
        operation_id: prose!("update-appointment-note"),
        summary: prose!("Change an appointment's note."),
        method: Method::Put,
        path: "/calendars/appointments/{appointmentId}/notes/{noteId}",
        idempotent: true,
        ..EVENTS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "body")
    }
}

/// `DELETE /calendars/appointments/{appointmentId}/notes/{noteId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteAppointmentNote {
    /// The appointment.
    pub appointment_id: String,
    /// The note.
    pub note_id: String,
}

impl Operation for DeleteAppointmentNote {
    type Output = SuccessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointmentNotes.delete",
        operation_id: prose!("delete-appointment-note"),
        summary: prose!("Delete an appointment's note."),
        method: Method::Delete,
        path: "/calendars/appointments/{appointmentId}/notes/{noteId}",
        idempotent: true,
        ..EVENTS_WRITE
    };
}
