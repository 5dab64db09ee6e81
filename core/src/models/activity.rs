//! What happens around a contact: tasks, notes, appointments.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A task on a contact (`TaskSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Task {
    /// The task id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// Assigned user id.
    pub assigned_to: Option<String>,
    /// ISO due date.
    pub due_date: Option<String>,
    /// Whether it is done.
    pub completed: Option<bool>,
    /// The contact it belongs to.
    pub contact_id: Option<String>,
    /// ISO creation time, where the API sends it.
    pub date_added: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note on a contact (`GetNoteSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// The note id.
    pub id: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// The user who wrote it.
    pub user_id: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// The contact it belongs to.
    pub contact_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Colour, e.g. `#FFAA00`.
    pub color: Option<String>,
    /// Pinned to the top.
    pub pinned: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An appointment of a contact (`GetEventSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Appointment {
    /// The event id.
    pub id: Option<String>,
    /// The calendar.
    pub calendar_id: Option<String>,
    /// Status.
    pub status: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// The assigned user.
    pub assigned_user_id: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Start, e.g. `2021-07-16 11:00:00`.
    pub start_time: Option<String>,
    /// End.
    pub end_time: Option<String>,
    /// Address or meeting link.
    pub address: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// The calendar group.
    pub group_id: Option<String>,
    /// `confirmed`, `cancelled`, `showed`, …
    pub appointment_status: Option<String>,
    /// Users.
    pub users: Option<Vec<String>>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// ISO update time.
    pub date_updated: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
