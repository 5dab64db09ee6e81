//! Users of a location or an agency (`users.json`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// A user (`UserSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct User {
    /// The user id.
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
    /// Phone extension.
    pub extension: Option<String>,
    /// Role: `type` (`agency` or `account`), `role` (`admin` or `user`) and
    /// the locations it reaches.
    pub roles: Option<UserRoles>,
    /// Whether the user was deleted.
    pub deleted: Option<bool>,
    /// Every other field (`permissions`, `scopes`, …), as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A user's role (`RoleSchema`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UserRoles {
    /// `agency` or `account`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// `admin` or `user`.
    pub role: Option<String>,
    /// The locations the user reaches.
    pub location_ids: Option<Vec<String>>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{users, count}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UsersResponse {
    /// The users.
    #[serde(default)]
    pub users: Vec<User>,
    /// How many match in all (search).
    pub count: Option<u64>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
