//! Contacts and the pieces they are made of: custom fields, DND settings,
//! attribution.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A contact as the API returns it (`GetContectByIdSchema` (sic), the create
/// schema and the search item schema, merged). Every field is optional;
/// fields this crate does not model are kept in `extra`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Contact {
    /// The contact id.
    pub id: Option<String>,
    /// The location (sub-account) the contact belongs to.
    pub location_id: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Global do-not-disturb flag.
    pub dnd: Option<bool>,
    /// Do-not-disturb per channel.
    pub dnd_settings: Option<DndSettings>,
    /// `lead`, `customer`, …
    #[serde(rename = "type")]
    pub contact_type: Option<String>,
    /// Where the contact came from.
    pub source: Option<String>,
    /// The user the contact is assigned to.
    pub assigned_to: Option<String>,
    /// Street address.
    pub address1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Date of birth (a string in most responses).
    pub date_of_birth: Option<Value>,
    /// ISO timestamp of creation.
    pub date_added: Option<String>,
    /// ISO timestamp of the last update.
    pub date_updated: Option<String>,
    /// Custom field values, `{id, value}`.
    #[serde(default)]
    pub custom_fields: Vec<CustomFieldValue>,
    /// The business (company record) the contact belongs to.
    pub business_id: Option<String>,
    /// First attribution.
    pub attribution_source: Option<Attribution>,
    /// Last attribution.
    pub last_attribution_source: Option<Attribution>,
    /// Followers (user ids), on search results.
    pub followers: Option<Vec<String>>,
    /// The search cursor of this item: pass the last one as `searchAfter`.
    pub search_after: Option<Vec<Value>>,
    /// Every field this crate does not model, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A custom field value on a contact, as the API returns it: `{id, value}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CustomFieldValue {
    /// The custom field id.
    pub id: Option<String>,
    /// A string, number, list of strings or file map, by field type.
    pub value: Option<Value>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A custom field value to write. Sent as `{id, fieldValue}`: the one shape the
/// API accepts reliably (fact sheet §7; n8n-io/n8n#35392). `field_value` and
/// `value` are accepted as input spellings.
#[contacts_macros::aliases]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldInput {
    /// The custom field id (not its key).
    pub id: String,
    /// A string (text, select, radio), number (numeric, monetary), list of
    /// strings (checkbox, multi-select) or file map.
    #[alias("field_value", "value")]
    pub field_value: Value,
}

/// A custom field value written by key (`contact.shirt_size`), in a
/// contact write's JSON params: a client (the driver) resolves the key
/// through the location's definitions, checks the value against the field's
/// type, and sends `{id, fieldValue}`. The sans-IO build refuses it. Schema
/// only: the typed Rust API writes by id.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CustomFieldByKey {
    /// The field's key, e.g. `contact.shirt_size` (`contact.` may be left off).
    key: String,
    /// The value, of the type the field takes.
    field_value: Value,
}

/// A custom field value to write: by id, or by key through a client.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[schemars(untagged)]
#[allow(dead_code)]
enum CustomFieldWrite {
    /// By id.
    ById(CustomFieldInput),
    /// By key.
    ByKey(CustomFieldByKey),
}

/// One channel's do-not-disturb state.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DndChannel {
    /// `active`, `inactive` or `permanent`.
    pub status: DndStatus,
    /// Why.
    pub message: Option<String>,
    /// A code.
    pub code: Option<String>,
}

/// A do-not-disturb status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum DndStatus {
    /// DND is on.
    Active,
    /// DND is off.
    Inactive,
    /// DND is on and cannot be turned off by automation.
    Permanent,
}

/// Do-not-disturb per channel. Written with the v2 keys (`Call`, `SMS`, …);
/// read with either the v2 or the v3 keys (`call`, `sms`, …).
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DndSettings {
    /// Calls.
    #[serde(rename = "Call")]
    #[alias("call")]
    pub call: Option<DndChannel>,
    /// Email.
    #[serde(rename = "Email")]
    #[alias("email")]
    pub email: Option<DndChannel>,
    /// SMS.
    #[serde(rename = "SMS")]
    #[alias("sms")]
    pub sms: Option<DndChannel>,
    /// WhatsApp.
    #[serde(rename = "WhatsApp")]
    #[alias("whatsApp", "whatsapp")]
    pub whats_app: Option<DndChannel>,
    /// Google Business Messages.
    #[serde(rename = "GMB")]
    #[alias("gmb")]
    pub gmb: Option<DndChannel>,
    /// Facebook.
    #[serde(rename = "FB")]
    #[alias("fb")]
    pub fb: Option<DndChannel>,
    /// RCS (seen in webhook payloads, issue #264).
    #[serde(rename = "RCS")]
    #[alias("rcs")]
    pub rcs: Option<DndChannel>,
}

/// Inbound do-not-disturb (input only): `{all: {status, message}}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboundDndSettings {
    /// Every inbound channel.
    pub all: Option<InboundDnd>,
}

/// An inbound DND state.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboundDnd {
    /// `active` or `inactive`.
    pub status: DndStatus,
    /// Why.
    pub message: Option<String>,
}

/// Where a contact came from (`AttributionSource`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Attribution {
    /// The landing URL.
    pub url: Option<String>,
    /// Campaign.
    pub campaign: Option<String>,
    /// utm_source.
    pub utm_source: Option<String>,
    /// utm_medium.
    pub utm_medium: Option<String>,
    /// utm_content.
    pub utm_content: Option<String>,
    /// Referrer.
    pub referrer: Option<String>,
    /// Campaign id.
    pub campaign_id: Option<String>,
    /// Facebook click id.
    pub fbclid: Option<String>,
    /// Google click id.
    pub gclid: Option<String>,
    /// Medium.
    pub medium: Option<String>,
    /// Medium id.
    pub medium_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// The contact fields every write (create, update, upsert) accepts.
/// `tags` on update or upsert **replaces** all tags; use `tags.add` /
/// `tags.remove` to change them.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ContactFields {
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Full name.
    pub name: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Phone number (E.164 preferred).
    pub phone: Option<String>,
    /// Street address.
    pub address1: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State or region.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// Global do-not-disturb flag.
    pub dnd: Option<bool>,
    /// Do-not-disturb per channel.
    pub dnd_settings: Option<DndSettings>,
    /// Inbound do-not-disturb.
    pub inbound_dnd_settings: Option<InboundDndSettings>,
    /// Tags (replace all existing tags).
    pub tags: Option<Vec<String>>,
    /// Custom field values, by id; or by key through a client, which
    /// resolves keys with the location's definitions.
    #[cfg_attr(feature = "schema", schemars(with = "Option<Vec<CustomFieldWrite>>"))]
    pub custom_fields: Option<Vec<CustomFieldInput>>,
    /// Source.
    pub source: Option<String>,
    /// Date of birth, e.g. `1990-09-25`.
    pub date_of_birth: Option<String>,
    /// Country code.
    pub country: Option<String>,
    /// The user to assign the contact to.
    pub assigned_to: Option<String>,
}

/// Checks the custom field values of contact params (as JSON): each needs
/// an id.
pub(crate) fn check_custom_fields(params: &serde_json::Map<String, Value>) -> crate::Result<()> {
    let fields = params.get("customFields").and_then(Value::as_array);
    fields.into_iter().flatten().try_for_each(|f| {
        crate::required::require(
            "customFields[].id",
            f.get("id").and_then(Value::as_str).unwrap_or_default(),
        )
    })
}
