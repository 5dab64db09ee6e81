//! A location's custom values (`/locations/{locationId}/customValues`).

use super::contacts::READ;
use super::{OpSpec, Operation, require_text};
use crate::models::{CustomValueResponse, CustomValuesResponse, SucceededResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

const VALUES_READ: OpSpec = OpSpec {
    scope: Some("locations/customValues.readonly"),
    ..READ
};
const VALUES_WRITE: OpSpec = OpSpec {
    scope: Some("locations/customValues.write"),
    ..READ
};

/// `GET /locations/{locationId}/customValues`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListCustomValues {
    /// The location.
    pub location_id: String,
}

impl Operation for ListCustomValues {
    type Output = CustomValuesResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customValues.list",
        operation_id: prose!("get-custom-values"),
        summary: prose!("List a location's custom values."),
        path: "/locations/{locationId}/customValues",
        ..VALUES_READ
    };
}

/// `GET /locations/{locationId}/customValues/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetCustomValue {
    /// The location.
    pub location_id: String,
    /// The custom value.
    pub id: String,
}

impl Operation for GetCustomValue {
    type Output = CustomValueResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customValues.get",
        operation_id: prose!("get-custom-value"),
        summary: prose!("Get a custom value of a location."),
        path: "/locations/{locationId}/customValues/{id}",
        ..VALUES_READ
    };
}

/// `POST /locations/{locationId}/customValues`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateCustomValue {
    /// The location.
    pub location_id: String,
    /// Name (its key is made from it).
    pub name: String,
    /// The value.
    pub value: String,
}

impl Operation for CreateCustomValue {
    type Output = CustomValueResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customValues.create",
        operation_id: prose!("create-custom-value"),
        summary: prose!("Create a custom value in a location."),
        method: Method::Post,
        path: "/locations/{locationId}/customValues",
        idempotent: false,
        success_status: 201,
        ..VALUES_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "name")
    }
}

/// `PUT /locations/{locationId}/customValues/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateCustomValue {
    /// The location.
    pub location_id: String,
    /// The custom value.
    pub id: String,
    /// Name (the API requires it on every update).
    pub name: String,
    /// The value.
    pub value: String,
}

impl Operation for UpdateCustomValue {
    type Output = CustomValueResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customValues.update",
        operation_id: prose!("update-custom-value"),
        summary: prose!("Change a custom value of a location."),
        method: Method::Put,
        path: "/locations/{locationId}/customValues/{id}",
        ..VALUES_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "name")
    }
}

/// `DELETE /locations/{locationId}/customValues/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteCustomValue {
    /// The location.
    pub location_id: String,
    /// The custom value.
    pub id: String,
}

impl Operation for DeleteCustomValue {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "customValues.delete",
        operation_id: prose!("delete-custom-value"),
        summary: prose!("Delete a custom value of a location."),
        method: Method::Delete,
        path: "/locations/{locationId}/customValues/{id}",
        ..VALUES_WRITE
    };
}
