//! Response envelopes, shaped as the API sends them. Misspellings the API
//! uses (`succeded`, `buiseness`) are accepted and written correctly.

use super::{
    Appointment, Business, Contact, CustomFieldDefinition, InstalledLocation, Location,
    LocationTag, Note, Task,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `{contact}` from get, create, update and upsert (upsert adds `new`,
/// update adds `succeded`).
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactResponse {
    /// The contact.
    pub contact: Contact,
    /// Upsert only: whether a new contact was created.
    pub new: Option<bool>,
    /// Update only: whether it succeeded.
    #[alias("succeded")]
    pub succeeded: Option<bool>,
    /// The request's trace id.
    pub trace_id: Option<String>,
    /// Upsert only, and only when something was lost: each field the upsert
    /// sent that did not come back as written (HighLevel answers 200 while
    /// dropping some). Worked out by the library, not sent by the API.
    pub dropped: Option<Vec<DroppedField>>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A field a write sent that the API did not keep as sent.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DroppedField {
    /// The field's API name (`phone`, `gender`, `email`).
    pub field: String,
    /// What was sent.
    pub sent: Value,
    /// What came back instead (`null` when the field came back empty).
    pub got: Value,
}

/// `{contacts, count | total, meta}` from list, search and list-by-business.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactListResponse {
    /// This page of contacts.
    #[serde(default)]
    pub contacts: Vec<Contact>,
    /// Total matches, where the API reports it (`total` on search).
    pub total: Option<u64>,
    /// Count, where the API reports it (`count` on lists).
    pub count: Option<u64>,
    /// Paging state of `GET /contacts/`.
    pub meta: Option<ListMeta>,
    /// The request's trace id.
    pub trace_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `meta` of `GET /contacts/` (`ContactsMetaSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    /// Total contacts.
    pub total: Option<u64>,
    /// The id to pass as `startAfterId` for the next page.
    pub start_after_id: Option<String>,
    /// The epoch-ms value to pass as `startAfter` for the next page.
    pub start_after: Option<u64>,
    /// The API's own next-page URL (not followed: its host is not reliable).
    pub next_page_url: Option<String>,
    /// Current page number.
    pub current_page: Option<u64>,
    /// Next page number.
    pub next_page: Option<u64>,
    /// Previous page number.
    pub prev_page: Option<u64>,
}

/// `GET /contacts/search/duplicate`: `{contact}` or `{contact: null}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DuplicateResponse {
    /// The matching contact, if any.
    pub contact: Option<Contact>,
    /// The request's trace id.
    pub trace_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{succeded}` (sic) from deletes, campaigns and workflows.
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SucceededResponse {
    /// Whether it succeeded.
    #[alias("succeded")]
    pub succeeded: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{tasks}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TasksResponse {
    /// The tasks.
    #[serde(default)]
    pub tasks: Vec<Task>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{task}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskResponse {
    /// The task.
    pub task: Task,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{notes}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NotesResponse {
    /// The notes.
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{note}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NoteResponse {
    /// The note.
    pub note: Note,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{events}`: a contact's appointments.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AppointmentsResponse {
    /// The appointments.
    #[serde(default)]
    pub events: Vec<Appointment>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{tags}` after adding or removing tags on a contact.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TagsResponse {
    /// The contact's tags now.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{followers, followersAdded | followersRemoved}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FollowersResponse {
    /// The contact's followers now.
    #[serde(default)]
    pub followers: Vec<String>,
    /// Followers this call added.
    pub followers_added: Option<Vec<String>>,
    /// Followers this call removed.
    pub followers_removed: Option<Vec<String>>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /contacts/bulk/tags/update/{type}`: per-contact outcomes.
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkTagsResponse {
    /// Whether the call as a whole succeeded.
    #[alias("succeded")]
    pub succeeded: Option<bool>,
    /// How many contacts failed.
    pub error_count: Option<u64>,
    /// One `{contactId, message, type: "success" | "error", …}` per contact.
    #[serde(default)]
    pub responses: Vec<Value>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `POST /contacts/bulk/business`: `{success, ids}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkBusinessResponse {
    /// Whether it succeeded.
    pub success: Option<bool>,
    /// The contacts updated.
    #[serde(default)]
    pub ids: Vec<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{businesses}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BusinessesResponse {
    /// The businesses.
    #[serde(default)]
    pub businesses: Vec<Business>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{business}`, or `{success, buiseness}` (sic) from create and update,
/// or `{success}` from delete.
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BusinessResponse {
    /// Whether it succeeded (create, update, delete).
    pub success: Option<bool>,
    /// The business (absent on delete).
    #[alias("buiseness")]
    pub business: Option<Business>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{location}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationResponse {
    /// The location.
    pub location: Option<Location>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{tags}` of a location.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationTagsResponse {
    /// The tags.
    #[serde(default)]
    pub tags: Vec<LocationTag>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{tag}` of a location, or `{succeded}` from delete.
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationTagResponse {
    /// The tag (absent on delete).
    pub tag: Option<LocationTag>,
    /// Delete only: whether it succeeded.
    #[alias("succeded")]
    pub succeeded: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{customFields}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldsResponse {
    /// The definitions.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldDefinition>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{locations, count}` from `/oauth/installedLocations`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstalledLocationsResponse {
    /// The locations.
    #[serde(default)]
    pub locations: Vec<InstalledLocation>,
    /// Total count.
    pub count: Option<u64>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
