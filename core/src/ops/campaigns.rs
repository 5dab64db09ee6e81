//! Campaign membership of a contact.

use super::contacts::WRITE;
use super::{OpSpec, Operation, text};
use crate::models::SucceededResponse;
use crate::{Error, Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The literal segment of `DELETE …/campaigns/removeAll`; a campaign id equal
/// to it would silently turn "remove from one" into "remove from all".
const REMOVE_ALL: &str = "removeAll";

/// `POST /contacts/{contactId}/campaigns/{campaignId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AddToCampaign {
    /// The contact.
    pub contact_id: String,
    /// The campaign.
    pub campaign_id: String,
}

impl Operation for AddToCampaign {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "campaigns.add",
        operation_id: prose!("add-contact-to-campaign"),
        summary: prose!("Add a contact to a campaign."),
        method: Method::Post,
        path: "/contacts/{contactId}/campaigns/{campaignId}",
        idempotent: false,
        success_status: 201,
        ..WRITE
    };
}

/// `DELETE /contacts/{contactId}/campaigns/{campaignId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveFromCampaign {
    /// The contact.
    pub contact_id: String,
    /// The campaign.
    pub campaign_id: String,
}

impl Operation for RemoveFromCampaign {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "campaigns.remove",
        operation_id: prose!("remove-contact-from-campaign"),
        summary: prose!("Remove a contact from a campaign."),
        method: Method::Delete,
        path: "/contacts/{contactId}/campaigns/{campaignId}",
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        if text(params, "campaignId") == REMOVE_ALL {
            return Err(Error::invalid_argument(
                "campaignId \"removeAll\" would remove the contact from every campaign; use campaigns.removeAll",
            ));
        }
        Ok(())
    }
}

/// `DELETE /contacts/{contactId}/campaigns/removeAll`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveFromAllCampaigns {
    /// The contact.
    pub contact_id: String,
}

impl Operation for RemoveFromAllCampaigns {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "campaigns.removeAll",
        operation_id: prose!("remove-contact-from-every-campaign"),
        summary: prose!("Remove a contact from every campaign."),
        method: Method::Delete,
        path: "/contacts/{contactId}/campaigns/removeAll",
        ..WRITE
    };
}
