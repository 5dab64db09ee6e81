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

/// An opportunity event: OpportunityCreate, OpportunityUpdate,
/// OpportunityDelete, OpportunityStageUpdate, OpportunityStatusUpdate,
/// OpportunityAssignedToUpdate, OpportunityMonetaryValueUpdate (DOC-WH
/// Opportunity*: one payload for all seven).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct OpportunityEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The opportunity.
    pub id: Option<String>,
    /// The user it is assigned to.
    pub assigned_to: Option<String>,
    /// The contact it is for.
    pub contact_id: Option<String>,
    /// Its value.
    pub monetary_value: Option<serde_json::Number>,
    /// Its name.
    pub name: Option<String>,
    /// The pipeline.
    pub pipeline_id: Option<String>,
    /// The pipeline stage.
    pub pipeline_stage_id: Option<String>,
    /// Where it came from.
    pub source: Option<String>,
    /// `open`, `won`, `lost` or `abandoned`.
    pub status: Option<String>,
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

/// A message event: InboundMessage (a contact wrote) or OutboundMessage
/// (the location wrote), on any channel (SMS, email, calls, chat, …).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct MessageEvent {
    /// The location.
    pub location_id: Option<String>,
    /// Attachment URLs.
    pub attachments: Option<Vec<Value>>,
    /// The text.
    pub body: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// The MIME type of the body.
    pub content_type: Option<String>,
    /// The conversation.
    pub conversation_id: Option<String>,
    /// ISO time it was added.
    pub date_added: Option<String>,
    /// `inbound` or `outbound`.
    pub direction: Option<String>,
    /// The channel: `SMS`, `Email`, `CALL`, `Live Chat`, …
    pub message_type: Option<String>,
    /// Delivery status.
    pub status: Option<String>,
    /// The message.
    pub message_id: Option<String>,
    /// The user who sent it (outbound).
    pub user_id: Option<String>,
    /// Where an outbound message came from (`workflow`, `app`, …).
    pub source: Option<String>,
    /// A custom conversation provider.
    pub conversation_provider_id: Option<String>,
    /// A call's length in seconds.
    pub call_duration: Option<serde_json::Number>,
    /// A call's status.
    pub call_status: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field (`email`, `meta`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// ConversationUnreadUpdate: a conversation's unread count or flags changed
/// (DOC-WH ConversationUnreadWebhook).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ConversationUnreadEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The conversation.
    pub id: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// Unread messages.
    pub unread_count: Option<serde_json::Number>,
    /// Whether it is in the inbox.
    pub inbox: Option<bool>,
    /// Whether it is starred.
    pub starred: Option<bool>,
    /// Whether it was deleted.
    pub deleted: Option<bool>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An association (a kind of link between objects, e.g. contact to custom
/// object) event: AssociationCreate, AssociationUpdate, AssociationDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssociationEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The association.
    pub id: Option<String>,
    /// `USER_DEFINED` or `SYSTEM_DEFINED`.
    pub association_type: Option<String>,
    /// The first object's key (`contact`, `custom_objects.…`).
    pub first_object_key: Option<String>,
    /// The label seen from the first object.
    pub first_object_label: Option<String>,
    /// The second object's key.
    pub second_object_key: Option<String>,
    /// The label seen from the second object.
    pub second_object_label: Option<String>,
    /// The association's key.
    pub key: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A relation (one link between two records under an association) event:
/// RelationCreate, RelationDelete.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RelationEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The relation.
    pub id: Option<String>,
    /// The first record's object key.
    pub first_object_key: Option<String>,
    /// The first record.
    pub first_record_id: Option<String>,
    /// The second record's object key.
    pub second_object_key: Option<String>,
    /// The second record.
    pub second_record_id: Option<String>,
    /// The association it is under.
    pub association_id: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// CampaignStatusUpdate: a contact's status in a campaign changed.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CampaignStatusEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The campaign status record.
    pub id: Option<String>,
    /// The contact.
    pub contact_id: Option<String>,
    /// The new status (`paused`, `finished`, …).
    pub status: Option<String>,
    /// The campaign template.
    pub template_id: Option<String>,
    /// The contact's reply, if any.
    pub replied: Option<Value>,
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

/// A location (sub-account) event: LocationCreate, LocationUpdate.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationEvent {
    /// The location.
    pub id: Option<String>,
    /// The location too, where a delivery carries it (the docs' examples
    /// give only `id`).
    pub location_id: Option<String>,
    /// The agency.
    pub company_id: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its email.
    pub email: Option<String>,
    /// The Stripe product of its plan.
    pub stripe_product_id: Option<String>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// UserCreate: a user was added to a location or agency.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserEvent {
    /// The location.
    pub location_id: Option<String>,
    /// The agency.
    pub company_id: Option<String>,
    /// The user.
    pub id: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Phone extension.
    pub extension: Option<String>,
    /// `admin` or `user`.
    pub role: Option<String>,
    /// What the user may do, flag by flag (`contactsEnabled`, …).
    pub permissions: Option<Map<String, Value>>,
    /// The locations the user belongs to.
    pub locations: Option<Vec<String>>,
    /// The delivery's unique id.
    pub webhook_id: Option<String>,
    /// When it was sent (ISO).
    pub timestamp: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
