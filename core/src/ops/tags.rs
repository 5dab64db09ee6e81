//! Tags on one contact, and in bulk.

use super::contacts::WRITE;
use super::{OpSpec, Operation, RequestBuilder, require, require_list};
use crate::models::{BulkTagsResponse, TagsResponse};
use crate::{Config, Error, HttpRequest, Method, Result};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

fn check_tags(tags: &[String]) -> Result<()> {
    require_list("tags", tags)?;
    tags.iter().try_for_each(|t| require("tags[]", t))
}

/// `POST /contacts/{contactId}/tags`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AddTags {
    /// The contact.
    pub contact_id: String,
    /// Tags to add.
    pub tags: Vec<String>,
}

impl Operation for AddTags {
    type Output = TagsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tags.add",
        operation_id: "add-tags",
        summary: "Add tags to a contact.",
        method: Method::Post,
        path: "/contacts/{contactId}/tags",
        success_status: 201,
        ..WRITE
    };
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        check_tags(&self.tags)?;
        RequestBuilder::new(cfg, &Self::SPEC)
            .path_param("contactId", &self.contact_id)?
            .json(&serde_json::json!({ "tags": self.tags }))?
            .finish()
    }
}

/// `DELETE /contacts/{contactId}/tags` (with a JSON body).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveTags {
    /// The contact.
    pub contact_id: String,
    /// Tags to remove.
    pub tags: Vec<String>,
}

impl Operation for RemoveTags {
    type Output = TagsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tags.remove",
        operation_id: "remove-tags",
        summary: "Remove tags from a contact.",
        method: Method::Delete,
        path: "/contacts/{contactId}/tags",
        ..WRITE
    };
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        check_tags(&self.tags)?;
        RequestBuilder::new(cfg, &Self::SPEC)
            .path_param("contactId", &self.contact_id)?
            .json(&serde_json::json!({ "tags": self.tags }))?
            .finish()
    }
}

/// Whether a bulk tag update adds or removes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum BulkTagAction {
    /// Add the tags.
    #[default]
    Add,
    /// Remove the tags.
    Remove,
}

/// `POST /contacts/bulk/tags/update/{type}`: add or remove tags on many contacts.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateTags {
    /// `add` or `remove` (the path's `{type}`).
    #[serde(rename = "type")]
    pub action: BulkTagAction,
    /// The location.
    pub location_id: String,
    /// The contacts.
    pub contacts: Vec<String>,
    /// The tags.
    pub tags: Vec<String>,
    /// With `remove` only: remove every tag.
    pub remove_all_tags: Option<bool>,
}

impl Operation for BulkUpdateTags {
    type Output = BulkTagsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tags.bulkUpdate",
        operation_id: "create-association",
        summary: "Add or remove tags on many contacts at once.",
        method: Method::Post,
        path: "/contacts/bulk/tags/update/{type}",
        success_status: 201,
        ..WRITE
    };
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        require("locationId", &self.location_id)?;
        require_list("contacts", &self.contacts)?;
        if self.remove_all_tags == Some(true) && self.action != BulkTagAction::Remove {
            return Err(Error::invalid_argument(
                "removeAllTags can only be used with type \"remove\"",
            ));
        }
        if self.remove_all_tags != Some(true) {
            check_tags(&self.tags)?;
        }
        let action = match self.action {
            BulkTagAction::Add => "add",
            BulkTagAction::Remove => "remove",
        };
        let mut body = serde_json::json!({
            "contacts": self.contacts,
            "tags": self.tags,
            "locationId": self.location_id,
        });
        if let Some(all) = self.remove_all_tags {
            body["removeAllTags"] = all.into();
        }
        RequestBuilder::new(cfg, &Self::SPEC)
            .path_param("type", action)?
            .json(&body)?
            .finish()
    }
}
