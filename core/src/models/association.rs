//! Associations (kinds of link between records) and relations (the links:
//! contact to contact, contact to custom object record) (`associations.json`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// An association: a kind of link between two object types.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Association {
    /// The association id.
    pub id: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Its key, e.g. `contact_partner`.
    pub key: Option<String>,
    /// The first side's label.
    pub first_object_label: Option<Value>,
    /// The first side's object key, e.g. `contact`.
    pub first_object_key: Option<Value>,
    /// The second side's label.
    pub second_object_label: Option<Value>,
    /// The second side's object key.
    pub second_object_key: Option<Value>,
    /// `USER_DEFINED` or `SYSTEM_DEFINED`.
    pub association_type: Option<Value>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{associations, total}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AssociationsResponse {
    /// The associations.
    #[serde(default)]
    pub associations: Vec<Association>,
    /// How many in all.
    pub total: Option<u64>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A relation: one link of an association between two records.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct Relation {
    /// The relation id.
    pub id: Option<String>,
    /// The association it is a link of.
    pub association_id: Option<String>,
    /// The first record.
    pub first_record_id: Option<String>,
    /// The second record.
    pub second_record_id: Option<String>,
    /// The location.
    pub location_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// `{relations, total}`: a record's relations.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RelationsResponse {
    /// The relations.
    #[serde(default)]
    pub relations: Vec<Relation>,
    /// How many in all.
    pub total: Option<u64>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}
