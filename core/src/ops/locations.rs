//! A location (sub-account) and its tags (its custom fields are in
//! `custom_fields`).

use super::contacts::READ;
use super::{OpSpec, Operation, TokenClass, require_text};
use crate::models::{LocationResponse, LocationTagResponse, LocationTagsResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A location's own record: agency tokens read it too.
const LOCATIONS_READ: OpSpec = OpSpec {
    scope: Some("locations.readonly"),
    token: TokenClass::Any,
    ..READ
};
const TAGS_READ: OpSpec = OpSpec {
    scope: Some("locations/tags.readonly"),
    ..READ
};
const TAGS_WRITE: OpSpec = OpSpec {
    scope: Some("locations/tags.write"),
    ..READ
};

/// `GET /locations/{locationId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetLocation {
    /// The location.
    pub location_id: String,
}

impl Operation for GetLocation {
    type Output = LocationResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locations.get",
        operation_id: prose!("get-location"),
        summary: prose!("Get a location (sub-account): its name, address and time zone."),
        path: "/locations/{locationId}",
        ..LOCATIONS_READ
    };
}

/// `GET /locations/{locationId}/tags`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListLocationTags {
    /// The location.
    pub location_id: String,
}

impl Operation for ListLocationTags {
    type Output = LocationTagsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationTags.list",
        operation_id: prose!("get-location-tags"),
        summary: prose!("List the tags defined in a location."),
        path: "/locations/{locationId}/tags",
        ..TAGS_READ
    };
}

/// `POST /locations/{locationId}/tags`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateLocationTag {
    /// The location.
    pub location_id: String,
    /// The tag name.
    pub name: String,
}

impl Operation for CreateLocationTag {
    type Output = LocationTagResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationTags.create",
        operation_id: prose!("create-tag"),
        summary: prose!("Define a tag in a location."),
        method: Method::Post,
        path: "/locations/{locationId}/tags",
        idempotent: false,
        ..TAGS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "name")
    }
}

/// `GET /locations/{locationId}/tags/{tagId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetLocationTag {
    /// The location.
    pub location_id: String,
    /// The tag.
    pub tag_id: String,
}

impl Operation for GetLocationTag {
    type Output = LocationTagResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationTags.get",
        operation_id: prose!("get-tag-by-id"),
        summary: prose!("Get a location tag."),
        path: "/locations/{locationId}/tags/{tagId}",
        ..TAGS_READ
    };
}

/// `PUT /locations/{locationId}/tags/{tagId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateLocationTag {
    /// The location.
    pub location_id: String,
    /// The tag.
    pub tag_id: String,
    /// The new name.
    pub name: String,
}

impl Operation for UpdateLocationTag {
    type Output = LocationTagResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationTags.update",
        operation_id: prose!("update-tag"),
        summary: prose!("Rename a location tag."),
        method: Method::Put,
        path: "/locations/{locationId}/tags/{tagId}",
        ..TAGS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "name")
    }
}

/// `DELETE /locations/{locationId}/tags/{tagId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteLocationTag {
    /// The location.
    pub location_id: String,
    /// The tag.
    pub tag_id: String,
}

impl Operation for DeleteLocationTag {
    type Output = LocationTagResponse;
    const SPEC: OpSpec = OpSpec {
        name: "locationTags.delete",
        operation_id: prose!("delete-tag"),
        summary: prose!("Delete a location tag."),
        method: Method::Delete,
        path: "/locations/{locationId}/tags/{tagId}",
        ..TAGS_WRITE
    };
}
