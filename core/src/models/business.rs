//! Businesses (company records contacts can belong to) and location objects.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A business (`BusinessDto`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Business {
    /// The business id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// ISO creation time.
    pub created_at: Option<String>,
    /// ISO update time.
    pub updated_at: Option<String>,
    /// Every other field (`createdBy`, `updatedBy`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A location (sub-account), as `locations.get` returns it
/// (`GetLocationByIdSchema`). Its `timezone` is the one its calendars'
/// times are in.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The location id.
    pub id: Option<String>,
    /// The agency (company) it belongs to.
    pub company_id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Its IANA time zone, e.g. `America/Chicago`.
    pub timezone: Option<String>,
    /// Email.
    pub email: Option<String>,
    /// Phone.
    pub phone: Option<String>,
    /// Website.
    pub website: Option<String>,
    /// Street address.
    pub address: Option<String>,
    /// City.
    pub city: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Postal code.
    pub postal_code: Option<String>,
    /// Country (ISO 3166 alpha-2).
    pub country: Option<String>,
    /// Every other field (`business`, `settings`, `social`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A tag defined in a location.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationTag {
    /// The tag id.
    pub id: Option<String>,
    /// The tag name.
    pub name: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A custom field defined in a location: use its `id` when writing values.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldDefinition {
    /// The field id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Key, e.g. `contact.pincode`.
    pub field_key: Option<String>,
    /// `TEXT`, `NUMERICAL`, `CHECKBOX`, …
    pub data_type: Option<String>,
    /// Options of select-like fields.
    pub picklist_options: Option<Vec<Value>>,
    /// `contact` or `opportunity`.
    pub model: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A location where an app is installed (`/oauth/installedLocations`).
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct InstalledLocation {
    /// The location id.
    #[serde(rename = "_id")]
    #[alias("id")]
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Whether the app is installed there.
    pub is_installed: Option<bool>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
