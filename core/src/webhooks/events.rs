//! The one table of webhook events. Each row names an event's `type`, its
//! [`WebhookEvent`] variant, its payload model, a summary and the scope that
//! unlocks it; the enum, [`EVENT_TYPES`], the typing, the JSON form and the
//! catalog's trigger schemas are all generated from it, and the catalog's
//! triggers (so the header's and the npm package's lists) from those.

use super::payloads::*;
use crate::{Error, Result};
use serde::Serialize;
use serde_json::{Map, Value};

macro_rules! webhook_events {
    ($( $kind:literal => $variant:ident($payload:ty), $category:literal, $summary:literal, $scope:expr; )*) => {
        /// A verified webhook event, by its `type`. Types this crate does not
        /// model arrive as [`WebhookEvent::Unknown`] with the whole payload.
        #[derive(Clone, Debug, PartialEq)]
        #[allow(missing_docs)] // each variant is named for the `type` it carries
        pub enum WebhookEvent {
            $( $variant($payload), )*
            /// Any other `type`, kept whole.
            Unknown(Value),
        }

        /// Every modelled event type.
        pub const EVENT_TYPES: &[EventType] = &[
            $( EventType { kind: $kind, category: $category, summary: prose!($summary), scope: $scope }, )*
        ];

        impl WebhookEvent {
            /// Types an (already verified) payload by its `type` field. A
            /// payload whose fields have the wrong types is a
            /// [`crate::ErrorCode::Decode`] error.
            pub fn from_value(value: Value) -> Result<WebhookEvent> {
                let kind = value
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                Ok(match kind.as_str() {
                    $( $kind => WebhookEvent::$variant(typed(&kind, value)?), )*
                    _ if value.is_object() => WebhookEvent::Unknown(value),
                    _ => WebhookEvent::Unknown(Value::Object(Map::new())),
                })
            }

            /// The event's `type`.
            pub fn kind(&self) -> &str {
                match self {
                    $( WebhookEvent::$variant(_) => $kind, )*
                    WebhookEvent::Unknown(v) => v.get("type").and_then(Value::as_str).unwrap_or(""),
                }
            }

            /// The event as JSON: its fields plus `type` and `dedupeId` (what
            /// the C ABI and JS get, by the schema route, without this enum).
            pub fn to_json(&self) -> Value {
                let body = match self {
                    $( WebhookEvent::$variant(e) => serde_json::to_value(e), )*
                    WebhookEvent::Unknown(v) => Ok(v.clone()),
                };
                let mut v = body.unwrap_or_else(|_| Value::Object(Map::new()));
                if let (Some(m), false) = (v.as_object_mut(), matches!(self, WebhookEvent::Unknown(_))) {
                    m.insert("type".into(), Value::String(self.kind().to_string()));
                }
                let id = super::dedupe_id(&v);
                if let Some(m) = v.as_object_mut() {
                    m.insert("dedupeId".into(), Value::String(id));
                }
                v
            }
        }

        /// The JSON Schema of event type `kind`'s payload, for the catalog's
        /// triggers; `None` for a type the table does not hold.
        #[cfg(feature = "schema")]
        pub(crate) fn event_schema(kind: &str) -> Option<Value> {
            match kind {
                $( $kind => Some(crate::schema::schema_of::<$payload>()), )*
                _ => None,
            }
        }
    };
}

webhook_events! {
    "ContactCreate" => ContactCreate(ContactEvent), "contacts", "A contact was created.", Some("contacts.readonly");
    "ContactUpdate" => ContactUpdate(ContactEvent), "contacts", "A contact was updated.", None;
    "ContactDelete" => ContactDelete(ContactEvent), "contacts", "A contact was deleted.", Some("contacts.readonly");
    "ContactTagUpdate" => ContactTagUpdate(ContactEvent), "contacts", "A contact's tags changed.", Some("contacts.readonly");
    "ContactDndUpdate" => ContactDndUpdate(ContactEvent), "contacts", "A contact's DND settings changed.", Some("contacts.readonly");
    "NoteCreate" => NoteCreate(NoteEvent), "notes", "A note was added.", Some("contacts.readonly");
    "NoteUpdate" => NoteUpdate(NoteEvent), "notes", "A note was changed.", None;
    "NoteDelete" => NoteDelete(NoteEvent), "notes", "A note was deleted.", Some("contacts.readonly");
    "TaskCreate" => TaskCreate(TaskEvent), "tasks", "A task was created.", Some("contacts.readonly");
    "TaskComplete" => TaskComplete(TaskEvent), "tasks", "A task was completed.", None;
    "TaskDelete" => TaskDelete(TaskEvent), "tasks", "A task was deleted.", Some("contacts.readonly");
    "AppointmentCreate" => AppointmentCreate(AppointmentEvent), "appointments", "An appointment was booked.", None;
    "AppointmentUpdate" => AppointmentUpdate(AppointmentEvent), "appointments", "An appointment changed.", None;
    "AppointmentDelete" => AppointmentDelete(AppointmentEvent), "appointments", "An appointment was deleted.", None;
    "OpportunityCreate" => OpportunityCreate(OpportunityEvent), "opportunities", "An opportunity was created.", Some("opportunities.readonly");
    "OpportunityUpdate" => OpportunityUpdate(OpportunityEvent), "opportunities", "An opportunity changed.", None;
    "OpportunityDelete" => OpportunityDelete(OpportunityEvent), "opportunities", "An opportunity was deleted.", Some("opportunities.readonly");
    "OpportunityStageUpdate" => OpportunityStageUpdate(OpportunityEvent), "opportunities", "An opportunity moved to another pipeline stage.", Some("opportunities.readonly");
    "OpportunityStatusUpdate" => OpportunityStatusUpdate(OpportunityEvent), "opportunities", "An opportunity's status (open, won, lost, abandoned) changed.", Some("opportunities.readonly");
    "OpportunityAssignedToUpdate" => OpportunityAssignedToUpdate(OpportunityEvent), "opportunities", "An opportunity was assigned to another user.", None;
    "OpportunityMonetaryValueUpdate" => OpportunityMonetaryValueUpdate(OpportunityEvent), "opportunities", "An opportunity's value changed.", Some("opportunities.readonly");
    "InboundMessage" => InboundMessage(MessageEvent), "conversations", "A contact sent a message (SMS, email, call, chat, social).", Some("conversations/message.readonly");
    "OutboundMessage" => OutboundMessage(MessageEvent), "conversations", "A message was sent to a contact.", Some("conversations/message.readonly");
    "ConversationUnreadUpdate" => ConversationUnreadUpdate(ConversationUnreadEvent), "conversations", "A conversation's unread count or flags changed (the docs' ConversationUnreadWebhook).", Some("conversations.readonly");
    "AssociationCreate" => AssociationCreate(AssociationEvent), "associations", "An association (a kind of link between objects) was created.", None;
    "AssociationUpdate" => AssociationUpdate(AssociationEvent), "associations", "An association's labels changed.", None;
    "AssociationDelete" => AssociationDelete(AssociationEvent), "associations", "An association was deleted.", None;
    "RelationCreate" => RelationCreate(RelationEvent), "associations", "Two records were linked under an association.", None;
    "RelationDelete" => RelationDelete(RelationEvent), "associations", "A link between two records was removed.", None;
    "CampaignStatusUpdate" => CampaignStatusUpdate(CampaignStatusEvent), "campaigns", "A contact's status in a campaign changed.", Some("campaigns.readonly");
    "LocationCreate" => LocationCreate(LocationEvent), "locations", "A location (sub-account) was created.", Some("locations.readonly");
    "LocationUpdate" => LocationUpdate(LocationEvent), "locations", "A location's details changed.", Some("locations.readonly");
    "UserCreate" => UserCreate(UserEvent), "users", "A user was added.", None;
    "INSTALL" => Install(InstallEvent), "app", "The app was installed.", None;
    "UNINSTALL" => Uninstall(UninstallEvent), "app", "The app was uninstalled.", None;
}

/// One modelled webhook event type's facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventType {
    /// The `type` HighLevel sends.
    pub kind: &'static str,
    /// Which group of the catalog it belongs to.
    pub category: &'static str,
    /// One line for people.
    pub summary: &'static str,
    /// The scope that unlocks it, where the docs name one.
    pub scope: Option<&'static str>,
}

/// `v` without its `type`, as payload model `T`.
fn typed<T: serde::de::DeserializeOwned>(kind: &str, mut v: Value) -> Result<T> {
    if let Some(m) = v.as_object_mut() {
        m.remove("type");
    }
    T::deserialize(&v).map_err(|e| Error::protocol(format!("{kind} webhook payload: {e}")))
}

impl Serialize for WebhookEvent {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_json().serialize(s)
    }
}
