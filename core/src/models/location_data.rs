//! Custom values of a location, and the custom fields of custom objects and
//! companies (the custom fields v2 API).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A custom value: a named text a location reuses (`{{ custom_values.x }}`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomValue {
    /// The custom value id.
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
    /// Key, e.g. `{{ custom_values.booking_link }}`.
    pub field_key: Option<String>,
    /// The value.
    pub value: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{customValues}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomValuesResponse {
    /// The custom values.
    #[serde(default)]
    pub custom_values: Vec<CustomValue>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{customValue}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomValueResponse {
    /// The custom value.
    pub custom_value: CustomValue,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A custom field of a custom object or of companies (`ICustomField`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ObjectCustomField {
    /// The field id.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// The object it belongs to, e.g. `custom_objects.pet` or `business`.
    pub object_key: Option<String>,
    /// Key, e.g. `custom_objects.pet.breed`.
    pub field_key: Option<String>,
    /// `TEXT`, `NUMERICAL`, `SINGLE_OPTIONS`, …
    pub data_type: Option<String>,
    /// The folder it sits in.
    pub parent_id: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Options of select-like fields.
    pub options: Option<Vec<FieldOption>>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// An option of a select-like custom field (`OptionDTO`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FieldOption {
    /// The stored value.
    pub key: String,
    /// What people see.
    pub label: String,
    /// An image, for radio options with pictures.
    pub url: Option<String>,
}

/// `{field}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ObjectCustomFieldResponse {
    /// The field.
    pub field: ObjectCustomField,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{fields, folders}`: an object's custom fields.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ObjectCustomFieldsResponse {
    /// The fields.
    #[serde(default)]
    pub fields: Vec<ObjectCustomField>,
    /// The folders they sit in.
    #[serde(default)]
    pub folders: Vec<Value>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{succeded, id, key}` after deleting a v2 custom field.
#[contacts_macros::aliases]
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeletedFieldResponse {
    /// Whether it succeeded.
    #[alias("succeded")]
    pub succeeded: Option<bool>,
    /// The deleted field's id.
    pub id: Option<String>,
    /// The deleted field's key.
    pub key: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{customField}`: one contact custom field of a location.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CustomFieldResponse {
    /// The definition.
    pub custom_field: super::CustomFieldDefinition,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
