//! Followers (users who follow a contact).

use super::contacts::WRITE;
use super::{OpSpec, Operation, Params, require_texts};
use crate::models::FollowersResponse;
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// `POST /contacts/{contactId}/followers`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AddFollowers {
    /// The contact.
    pub contact_id: String,
    /// User ids to add as followers.
    pub followers: Vec<String>,
}

impl Operation for AddFollowers {
    type Output = FollowersResponse;
    const SPEC: OpSpec = OpSpec {
        name: "followers.add",
        operation_id: prose!("add-followers-contact"),
        summary: prose!("Add followers to a contact."),
        method: Method::Post,
        path: "/contacts/{contactId}/followers",
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts(params, "followers")
    }
}

/// `DELETE /contacts/{contactId}/followers` (with a JSON body).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveFollowers {
    /// The contact.
    pub contact_id: String,
    /// User ids to remove.
    pub followers: Vec<String>,
}

impl Operation for RemoveFollowers {
    type Output = FollowersResponse;
    const SPEC: OpSpec = OpSpec {
        name: "followers.remove",
        operation_id: prose!("remove-followers-contact"),
        summary: prose!("Remove followers from a contact."),
        method: Method::Delete,
        path: "/contacts/{contactId}/followers",
        params: Params::Body,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts(params, "followers")
    }
}
