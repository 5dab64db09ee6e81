//! Workflow enrolment of a contact.

use super::contacts::WRITE;
use super::{OpSpec, Operation, Params};
use crate::Method;
use crate::models::SucceededResponse;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

/// `POST /contacts/{contactId}/workflow/{workflowId}`.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AddToWorkflow {
    /// The contact.
    pub contact_id: String,
    /// The workflow.
    pub workflow_id: String,
    /// When the workflow's event starts, e.g. `2021-06-23T03:30:00+01:00`.
    pub event_start_time: Option<String>,
}

impl Operation for AddToWorkflow {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "workflows.add",
        operation_id: prose!("add-contact-to-workflow"),
        summary: prose!("Enrol a contact in a workflow."),
        method: Method::Post,
        path: "/contacts/{contactId}/workflow/{workflowId}",
        idempotent: false,
        ..WRITE
    };
}

/// `DELETE /contacts/{contactId}/workflow/{workflowId}`.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RemoveFromWorkflow {
    /// The contact.
    pub contact_id: String,
    /// The workflow.
    pub workflow_id: String,
    /// As on enrolment.
    pub event_start_time: Option<String>,
}

impl Operation for RemoveFromWorkflow {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "workflows.remove",
        operation_id: prose!("delete-contact-from-workflow"),
        summary: prose!("Remove a contact from a workflow."),
        method: Method::Delete,
        path: "/contacts/{contactId}/workflow/{workflowId}",
        params: Params::Body,
        ..WRITE
    };
}
