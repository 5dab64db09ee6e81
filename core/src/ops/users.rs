//! Users of a location or an agency (`users.json`).

use super::Paginated;
use super::contacts::READ;
use super::pagination::Pages;
use super::{
    OpSpec, Operation, PaginationKind, Params, TokenClass, require_text, require_texts_of,
};
use crate::models::{User, UsersResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The users endpoints take agency and location tokens alike, unless
/// marked otherwise.
const USERS_READ: OpSpec = OpSpec {
    scope: Some("users.readonly"),
    token: TokenClass::Any,
    ..READ
};

/// `GET /users/`: the users of a location (location tokens only).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListUsers {
    /// The location.
    pub location_id: String,
}

impl Operation for ListUsers {
    type Output = UsersResponse;
    const SPEC: OpSpec = OpSpec {
        name: "users.list",
        operation_id: prose!("get-user-by-location"),
        summary: prose!("List the users of a location (a location token)."),
        path: "/users/",
        params: Params::Query(&["locationId"]),
        token: TokenClass::Location,
        ..USERS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `GET /users/search`: users of an agency, by text, role, location or id.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchUsers {
    /// The agency (required; the CLI reads `--company-id` or
    /// `HIGHLEVEL_COMPANY_ID`).
    pub company_id: String,
    /// Text in the name, email or phone.
    pub query: Option<String>,
    /// How many to skip.
    pub skip: Option<u64>,
    /// Page size.
    pub limit: Option<u32>,
    /// Only users of this location.
    pub location_id: Option<String>,
    /// `agency` or `account`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `admin` or `user`.
    pub role: Option<String>,
    /// Only these users.
    pub ids: Option<Vec<String>>,
    /// Field to sort by (`dateAdded`, …).
    pub sort: Option<String>,
    /// `asc` or `desc`.
    pub sort_direction: Option<String>,
}

impl Operation for SearchUsers {
    type Output = UsersResponse;
    const SPEC: OpSpec = OpSpec {
        name: "users.search",
        operation_id: prose!("search-users"),
        summary: prose!("Search the users of an agency (needs companyId)."),
        path: "/users/search",
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&[
            "companyId",
            "query",
            "skip",
            "limit",
            "locationId",
            "type",
            "role",
            "ids",
            "sort",
            "sortDirection",
        ]),
        ..USERS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "companyId")
    }
}

impl Paginated for SearchUsers {
    const PAGES: Pages = Pages {
        items: "users",
        limit: "limit",
        default_limit: Some(25),
    };
}

/// `GET /users/{userId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetUser {
    /// The user.
    pub user_id: String,
}

impl Operation for GetUser {
    type Output = User;
    const SPEC: OpSpec = OpSpec {
        name: "users.get",
        operation_id: prose!("get-user"),
        summary: prose!("Get a user."),
        path: "/users/{userId}",
        ..USERS_READ
    };
}

/// `POST /users/search/filter-by-email`: an agency's users with these
/// emails (agency tokens only: refused before sending with a location
/// token).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FilterUsersByEmail {
    /// The agency.
    pub company_id: String,
    /// The emails, comma-separated.
    pub emails: String,
    /// Include deleted users.
    pub deleted: Option<bool>,
    /// How many to skip.
    pub skip: Option<String>,
    /// Page size.
    pub limit: Option<String>,
    /// Fields to return.
    pub projection: Option<String>,
}

impl Operation for FilterUsersByEmail {
    type Output = UsersResponse;
    const SPEC: OpSpec = OpSpec {
        name: "users.filterByEmail",
        operation_id: prose!("filter-users-by-email"),
        summary: prose!("Find an agency's users by email (an agency token)."),
        method: Method::Post,
        path: "/users/search/filter-by-email",
        token: TokenClass::Agency,
        ..USERS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["companyId", "emails"])
    }
}
