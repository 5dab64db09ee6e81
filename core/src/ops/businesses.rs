//! Businesses (company records) of a location.

use super::Paginated;
use super::contacts::READ;
use super::pagination::Pages;
use super::{OpSpec, Operation, PaginationKind, Params, require_text, require_texts_of};
use crate::models::{BusinessResponse, BusinessesResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

const BUSINESS_READ: OpSpec = OpSpec {
    scope: Some("businesses.readonly"),
    ..READ
};
const BUSINESS_WRITE: OpSpec = OpSpec {
    scope: Some("businesses.write"),
    ..READ
};

/// `GET /businesses/`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListBusinesses {
    /// The location.
    pub location_id: String,
    /// Page size.
    pub limit: Option<u32>,
    /// How many to skip.
    pub skip: Option<u64>,
}

impl Operation for ListBusinesses {
    type Output = BusinessesResponse;
    const SPEC: OpSpec = OpSpec {
        name: "businesses.list",
        operation_id: prose!("get-businesses-by-location"),
        summary: prose!("List the businesses of a location."),
        path: "/businesses/",
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&["locationId", "limit", "skip"]),
        ..BUSINESS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `GET /businesses/{businessId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetBusiness {
    /// The business.
    pub business_id: String,
}

impl Operation for GetBusiness {
    type Output = BusinessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "businesses.get",
        operation_id: prose!("get-business"),
        summary: prose!("Get a business."),
        path: "/businesses/{businessId}",
        ..BUSINESS_READ
    };
}

/// The writable fields of a business (`UpdateBusinessDto`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BusinessFields {
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
    /// Postal code.
    pub postal_code: Option<String>,
    /// State.
    pub state: Option<String>,
    /// Country.
    pub country: Option<String>,
    /// Description.
    pub description: Option<String>,
}

/// `POST /businesses/`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateBusiness {
    /// Name.
    pub name: String,
    /// The location.
    pub location_id: String,
    /// The other fields.
    #[serde(flatten)]
    pub fields: BusinessFields,
}

impl Operation for CreateBusiness {
    type Output = BusinessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "businesses.create",
        operation_id: prose!("create-business"),
        summary: prose!("Create a business."),
        method: Method::Post,
        path: "/businesses/",
        idempotent: false,
        success_status: 201,
        ..BUSINESS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["name", "locationId"])
    }
}

/// `PUT /businesses/{businessId}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateBusiness {
    /// The business.
    pub business_id: String,
    /// New name.
    pub name: Option<String>,
    /// The other fields to change.
    #[serde(flatten)]
    pub fields: BusinessFields,
}

impl Operation for UpdateBusiness {
    type Output = BusinessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "businesses.update",
        operation_id: prose!("update-business"),
        summary: prose!("Update a business."),
        method: Method::Put,
        path: "/businesses/{businessId}",
        ..BUSINESS_WRITE
    };
}

/// `DELETE /businesses/{businessId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteBusiness {
    /// The business.
    pub business_id: String,
}

impl Operation for DeleteBusiness {
    type Output = BusinessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "businesses.delete",
        operation_id: prose!("delete-Business"),
        summary: prose!("Delete a business."),
        method: Method::Delete,
        path: "/businesses/{businessId}",
        ..BUSINESS_WRITE
    };
}

impl Paginated for ListBusinesses {
    const PAGES: Pages = Pages {
        items: "businesses",
        limit: "limit",
        default_limit: None,
    };
}
