//! Custom field definitions: a location's contact (and opportunity) fields
//! (`/locations/{locationId}/customFields`), and the fields of custom
//! objects and companies (the v2 API, `/custom-fields`).

use super::contacts::READ;
use super::{OpSpec, Operation, Params, require_text, require_texts_of};
use crate::models::{
    CustomFieldResponse, CustomFieldsResponse, DeletedFieldResponse, FieldOption,
    ObjectCustomFieldResponse, ObjectCustomFieldsResponse, SucceededResponse,
};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

const FIELDS_READ: OpSpec = OpSpec {
    scope: Some("locations/customFields.readonly"),
    ..READ
};
const FIELDS_WRITE: OpSpec = OpSpec {
    scope: Some("locations/customFields.write"),
    ..READ
};

/// Which objects' custom fields to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum CustomFieldModel {
    /// Contact fields.
    Contact,
    /// Opportunity fields.
    Opportunity,
    /// Both.
    All,
}

/// `GET /locations/{locationId}/customFields`: the ids to write custom field values with.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListCustomFields {
    /// The location.
    pub location_id: String,
    /// Which objects' fields.
    pub model: Option<CustomFieldModel>,
}

impl Operation for ListCustomFields {
    type Output = CustomFieldsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationCustomFields.list",
        operation_id: prose!("get-custom-fields"),
        summary: prose!("List the custom fields defined in a location."),
        path: "/locations/{locationId}/customFields",
        params: Params::Query(&["model"]),
        ..FIELDS_READ
    };
}

/// The writable settings of a contact custom field (`CreateCustomFieldsDTO`,
/// `UpdateCustomFieldsDTO`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct LocationCustomFieldSettings {
    /// Placeholder text.
    pub placeholder: Option<String>,
    /// File types a `FILE_UPLOAD` field accepts.
    pub accepted_format: Option<Vec<String>>,
    /// Whether a `FILE_UPLOAD` field takes several files.
    pub is_multiple_file: Option<bool>,
    /// How many files a `FILE_UPLOAD` field takes.
    pub max_number_of_files: Option<u32>,
    /// Options of a `TEXTBOX_LIST` field.
    pub text_box_list_options: Option<Vec<Value>>,
    /// Position in forms.
    pub position: Option<u32>,
    /// `contact` or `opportunity`.
    pub model: Option<FieldModel>,
}

/// Which object a location custom field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum FieldModel {
    /// A contact field.
    Contact,
    /// An opportunity field.
    Opportunity,
}

/// `GET /locations/{locationId}/customFields/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetLocationCustomField {
    /// The location.
    pub location_id: String,
    /// The field.
    pub id: String,
}

impl Operation for GetLocationCustomField {
    type Output = CustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationCustomFields.get",
        operation_id: prose!("get-custom-field"),
        summary: prose!("Get a contact custom field of a location (fieldKey, dataType, options)."),
        path: "/locations/{locationId}/customFields/{id}",
        ..FIELDS_READ
    };
}

/// `POST /locations/{locationId}/customFields`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateLocationCustomField {
    /// The location.
    pub location_id: String,
    /// Display name.
    pub name: String,
    /// `TEXT`, `LARGE_TEXT`, `NUMERICAL`, `PHONE`, `MONETORY`, `CHECKBOX`,
    /// `SINGLE_OPTIONS`, `MULTIPLE_OPTIONS`, `DATE`, `TEXTBOX_LIST`,
    /// `FILE_UPLOAD`, `RADIO`, …
    pub data_type: String,
    /// The other settings.
    #[serde(flatten)]
    pub settings: LocationCustomFieldSettings,
}

impl Operation for CreateLocationCustomField {
    type Output = CustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationCustomFields.create",
        operation_id: prose!("create-custom-field"),
        summary: prose!("Define a contact custom field in a location."),
        method: Method::Post,
        path: "/locations/{locationId}/customFields",
        idempotent: false,
        success_status: 201,
        ..FIELDS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["name", "dataType"])
    }
}

/// `PUT /locations/{locationId}/customFields/{id}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateLocationCustomField {
    /// The location.
    pub location_id: String,
    /// The field.
    pub id: String,
    /// Display name (the API requires it on every update).
    pub name: String,
    /// The other settings to change.
    #[serde(flatten)]
    pub settings: LocationCustomFieldSettings,
}

impl Operation for UpdateLocationCustomField {
    type Output = CustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationCustomFields.update",
        operation_id: prose!("update-custom-field"),
        summary: prose!("Change a contact custom field of a location."),
        method: Method::Put,
        path: "/locations/{locationId}/customFields/{id}",
        ..FIELDS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "name")
    }
}

/// `DELETE /locations/{locationId}/customFields/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteLocationCustomField {
    /// The location.
    pub location_id: String,
    /// The field.
    pub id: String,
}

impl Operation for DeleteLocationCustomField {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationCustomFields.delete",
        operation_id: prose!("delete-custom-field"),
        summary: prose!("Delete a contact custom field of a location (its values go with it)."),
        method: Method::Delete,
        path: "/locations/{locationId}/customFields/{id}",
        ..FIELDS_WRITE
    };
}

/// `GET /custom-fields/object-key/{objectKey}`: the fields of a custom
/// object (`custom_objects.pet`) or of companies (`business`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListObjectCustomFields {
    /// The object, e.g. `custom_objects.pet` or `business`.
    pub object_key: String,
    /// The location.
    pub location_id: String,
}

impl Operation for ListObjectCustomFields {
    type Output = ObjectCustomFieldsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customFields.v2.list",
        operation_id: prose!("get-custom-fields-by-object-key"),
        summary: prose!("List the custom fields (and folders) of a custom object or of companies."),
        path: "/custom-fields/object-key/{objectKey}",
        params: Params::Query(&["locationId"]),
        ..FIELDS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `GET /custom-fields/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetObjectCustomField {
    /// The field.
    pub id: String,
}

impl Operation for GetObjectCustomField {
    type Output = ObjectCustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customFields.v2.get",
        operation_id: prose!("get-custom-field-by-id"),
        summary: prose!("Get a custom field of a custom object or of companies."),
        path: "/custom-fields/{id}",
        ..FIELDS_READ
    };
}

/// The settings of a v2 custom field both create and update take.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ObjectCustomFieldSettings {
    /// Display name.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Placeholder text.
    pub placeholder: Option<String>,
    /// Options of select-like fields.
    pub options: Option<Vec<FieldOption>>,
    /// File types a `FILE_UPLOAD` field accepts (`.pdf`, …, `all`).
    pub accepted_formats: Option<String>,
    /// How many files a `FILE_UPLOAD` field takes.
    pub max_file_limit: Option<u32>,
}

/// `POST /custom-fields/`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateObjectCustomField {
    /// The location.
    pub location_id: String,
    /// The object, e.g. `custom_objects.pet` or `business`.
    pub object_key: String,
    /// Key, e.g. `custom_objects.pet.breed`.
    pub field_key: String,
    /// `TEXT`, `LARGE_TEXT`, `NUMERICAL`, `PHONE`, `MONETORY`, `CHECKBOX`,
    /// `SINGLE_OPTIONS`, `MULTIPLE_OPTIONS`, `DATE`, `TEXTBOX_LIST`,
    /// `FILE_UPLOAD`, `RADIO`, `EMAIL`.
    pub data_type: String,
    /// The folder it goes in.
    pub parent_id: String,
    /// Whether forms show it.
    pub show_in_forms: bool,
    /// Whether a select-like field takes values outside its options.
    pub allow_custom_option: Option<bool>,
    /// The other settings.
    #[serde(flatten)]
    pub settings: ObjectCustomFieldSettings,
}

impl Operation for CreateObjectCustomField {
    type Output = ObjectCustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customFields.v2.create",
        operation_id: prose!("create-custom-field"),
        summary: prose!("Define a custom field of a custom object or of companies."),
        method: Method::Post,
        path: "/custom-fields/",
        idempotent: false,
        success_status: 201,
        ..FIELDS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(
            params,
            &[
                "locationId",
                "objectKey",
                "fieldKey",
                "dataType",
                "parentId",
            ],
        )
    }
}

/// `PUT /custom-fields/{id}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateObjectCustomField {
    /// The field.
    pub id: String,
    /// The location.
    pub location_id: String,
    /// Whether forms show it (the API requires it on every update).
    pub show_in_forms: bool,
    /// The settings to change.
    #[serde(flatten)]
    pub settings: ObjectCustomFieldSettings,
}

impl Operation for UpdateObjectCustomField {
    type Output = ObjectCustomFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customFields.v2.update",
        operation_id: prose!("update-custom-field"),
        summary: prose!("Change a custom field of a custom object or of companies."),
        method: Method::Put,
        path: "/custom-fields/{id}",
        ..FIELDS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `DELETE /custom-fields/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteObjectCustomField {
    /// The field.
    pub id: String,
}

impl Operation for DeleteObjectCustomField {
    type Output = DeletedFieldResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customFields.v2.delete",
        operation_id: prose!("delete-custom-field"),
        summary: prose!("Delete a custom field of a custom object or of companies."),
        method: Method::Delete,
        path: "/custom-fields/{id}",
        ..FIELDS_WRITE
    };
}
