//! Associations (kinds of link) and relations (links between records:
//! contact to contact, contact to custom object record). A contact's link to
//! a business is its `businessId` instead (`contacts.update`).

use super::Paginated;
use super::contacts::READ;
use super::pagination::Pages;
use super::{OpSpec, Operation, PaginationKind, Params, require_text, require_texts_of};
use crate::models::{Association, AssociationsResponse, Relation, RelationsResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

const ASSOCIATIONS_READ: OpSpec = OpSpec {
    scope: Some("associations.readonly"),
    ..READ
};
const RELATIONS_READ: OpSpec = OpSpec {
    scope: Some("associations/relation.readonly"),
    ..READ
};
const RELATIONS_WRITE: OpSpec = OpSpec {
    scope: Some("associations/relation.write"),
    ..READ
};

fn default_limit() -> u32 {
    100
}

/// `POST /associations/relations`: links two records.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateRelation {
    /// The location.
    pub location_id: String,
    /// The association the link is of.
    pub association_id: String,
    /// The first record (of the association's first object).
    pub first_record_id: String,
    /// The second record.
    pub second_record_id: String,
}

impl Operation for CreateRelation {
    type Output = Relation;
    const SPEC: OpSpec = OpSpec {
        name: "relations.create",
        operation_id: prose!("create-relation"),
        summary: prose!("Link two records by an association."),
        method: Method::Post,
        path: "/associations/relations",
        idempotent: false,
        success_status: 201,
        ..RELATIONS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(
            params,
            &[
                "locationId",
                "associationId",
                "firstRecordId",
                "secondRecordId",
            ],
        )
    }
}

/// `GET /associations/relations/{recordId}`: a record's relations.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListRelations {
    /// The record (a contact id, a custom object record id).
    pub record_id: String,
    /// The location.
    pub location_id: String,
    /// How many to skip.
    #[serde(default)]
    pub skip: u64,
    /// Page size (the API requires one; 100 when absent).
    #[serde(default = "default_limit")]
    pub limit: u32,
    /// Only relations of these associations.
    pub association_ids: Option<Vec<String>>,
}

impl Operation for ListRelations {
    type Output = RelationsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "relations.list",
        operation_id: prose!("get-relations-by-record-id"),
        summary: prose!("List a record's relations."),
        path: "/associations/relations/{recordId}",
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&["locationId", "skip", "limit", "associationIds"]),
        ..RELATIONS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

impl Paginated for ListRelations {
    const PAGES: Pages = Pages {
        items: "relations",
        limit: "limit",
        default_limit: None,
    };
}

/// `DELETE /associations/relations/{relationId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteRelation {
    /// The relation.
    pub relation_id: String,
    /// The location.
    pub location_id: String,
}

impl Operation for DeleteRelation {
    type Output = Relation;
    const SPEC: OpSpec = OpSpec {
        name: "relations.delete",
        operation_id: prose!("delete-relation"),
        summary: prose!("Remove a relation (unlink two records)."),
        method: Method::Delete,
        path: "/associations/relations/{relationId}",
        params: Params::Query(&["locationId"]),
        ..RELATIONS_WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `GET /associations/`: a location's associations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListAssociations {
    /// The location.
    pub location_id: String,
    /// How many to skip.
    #[serde(default)]
    pub skip: u64,
    /// Page size (the API requires one; 100 when absent).
    #[serde(default = "default_limit")]
    pub limit: u32,
}

impl Operation for ListAssociations {
    type Output = AssociationsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "associations.list",
        operation_id: prose!("find-associations"),
        summary: prose!("List a location's associations (kinds of link between records)."),
        path: "/associations/",
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&["locationId", "skip", "limit"]),
        ..ASSOCIATIONS_READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

impl Paginated for ListAssociations {
    const PAGES: Pages = Pages {
        items: "associations",
        limit: "limit",
        default_limit: None,
    };
}

/// `GET /associations/{associationId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetAssociation {
    /// The association.
    pub association_id: String,
}

impl Operation for GetAssociation {
    type Output = Association;
    const SPEC: OpSpec = OpSpec {
        name: "associations.get",
        operation_id: prose!("get-association-by-ID"),
        summary: prose!("Get an association."),
        path: "/associations/{associationId}",
        ..ASSOCIATIONS_READ
    };
}
