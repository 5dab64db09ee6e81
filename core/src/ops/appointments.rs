//! A contact's appointments.

use super::contacts::READ;
use super::{OpSpec, Operation};
use crate::models::AppointmentsResponse;
use serde::{Deserialize, Serialize};

/// `GET /contacts/{contactId}/appointments`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListAppointments {
    /// The contact.
    pub contact_id: String,
}

impl Operation for ListAppointments {
    type Output = AppointmentsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "appointments.list",
        operation_id: "get-appointments-for-contact",
        summary: "List a contact's appointments.",
        path: "/contacts/{contactId}/appointments",
        ..READ
    };
}
