//! Tags on one contact, and in bulk.

use super::contacts::WRITE;
use super::{OpSpec, Operation, Params, require_list, require_text, require_texts, text};
use crate::models::{BulkTagsResponse, TagsResponse};
use crate::{Error, Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

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
        operation_id: prose!("add-tags"),
        summary: prose!("Add tags to a contact."),
        method: Method::Post,
        path: "/contacts/{contactId}/tags",
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts(params, "tags")
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
        operation_id: prose!("remove-tags"),
        summary: prose!("Remove tags from a contact."),
        method: Method::Delete,
        path: "/contacts/{contactId}/tags",
        params: Params::Body,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts(params, "tags")
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
        operation_id: prose!("create-association"),
        summary: prose!("Add or remove tags on many contacts at once."),
        method: Method::Post,
        path: "/contacts/bulk/tags/update/{type}",
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        require_list(
            "contacts",
            params
                .get("contacts")
                .and_then(Value::as_array)
                .map(Vec::as_slice)
                .unwrap_or_default(),
        )?;
        let remove_all = params.get("removeAllTags").and_then(Value::as_bool) == Some(true);
        if remove_all && text(params, "type") != "remove" {
            return Err(Error::invalid_argument(
                "removeAllTags can only be used with type \"remove\"",
            ));
        }
        if !remove_all {
            require_texts(params, "tags")?;
        }
        Ok(())
    }
}
