//! Followers (users who follow a contact).

use super::contacts::WRITE;
use super::{OpSpec, Operation, RequestBuilder, require, require_list};
use crate::models::FollowersResponse;
use crate::{Config, HttpRequest, Method, Result};
use serde::{Deserialize, Serialize};

fn check_followers(followers: &[String]) -> Result<()> {
    require_list("followers", followers)?;
    followers.iter().try_for_each(|f| require("followers[]", f))
}

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
        operation_id: "add-followers-contact",
        summary: "Add followers to a contact.",
        method: Method::Post,
        path: "/contacts/{contactId}/followers",
        success_status: 201,
        ..WRITE
    };
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        check_followers(&self.followers)?;
        RequestBuilder::new(cfg, &Self::SPEC)
            .path_param("contactId", &self.contact_id)?
            .json(&serde_json::json!({ "followers": self.followers }))?
            .finish()
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
        operation_id: "remove-followers-contact",
        summary: "Remove followers from a contact.",
        method: Method::Delete,
        path: "/contacts/{contactId}/followers",
        ..WRITE
    };
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        check_followers(&self.followers)?;
        RequestBuilder::new(cfg, &Self::SPEC)
            .path_param("contactId", &self.contact_id)?
            .json(&serde_json::json!({ "followers": self.followers }))?
            .finish()
    }
}
