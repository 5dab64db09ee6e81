//! The payload of each modelled event type, as HighLevel sends it.

use crate::models::{CustomFieldValue, DndSettings};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A contact event: ContactCreate, ContactUpdate, ContactDelete,
/// ContactTagUpdate, ContactDndUpdate.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The contact id.
    pub id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// Street address.
    pub address1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Date of birth.
    pub date_of_birth: Option<Value>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// Global DND.
    pub dnd: Option<bool>,
    /// DND per channel (ContactDndUpdate).
    pub dnd_settings: Option<DndSettings>,
    /// Tags.
    pub tags: Option<Vec<String>>,
    /// Custom field values.
    pub custom_fields: Option<Vec<CustomFieldValue>>,
    /// Assigned user.
    pub assigned_to: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A note event: NoteCreate, NoteUpdate, NoteDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NoteEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The note id.
    pub id: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A task event: TaskCreate, TaskComplete, TaskDelete (there is no TaskUpdate;
/// real TaskCreate payloads may lack `contactId` and `body`, issue #332).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The task id.
    pub id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Body.
    pub body: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// Assigned user.
    pub assigned_to: Option<String>,
    /// ISO creation time.
    pub date_added: Option<String>,
    /// ISO due date.
    pub due_date: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An appointment event: AppointmentCreate, AppointmentUpdate, AppointmentDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The appointment.
    pub appointment: Option<crate::models::Appointment>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// INSTALL: an app was installed in a location or agency.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstallEvent {
    /// The app.
    pub app_id: Option<String>,
    /// The location, for location installs.
    pub location_id: Option<String>,
    /// The agency.
    pub company_id: Option<String>,
    /// The installing user.
    pub user_id: Option<String>,
    /// The plan.
    pub plan_id: Option<String>,
    /// The app version.
    pub version_id: Option<String>,
    /// `Location` or `Company`.
    pub install_type: Option<String>,
    /// The agency's name.
    pub company_name: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field (`trial`, `whitelabelDetails`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// UNINSTALL: an app was removed.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UninstallEvent {
    /// The app.
    pub app_id: Option<String>,
    /// The location, for location uninstalls.
    pub location_id: Option<String>,
    /// The agency, for agency uninstalls.
    pub company_id: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
