//! Search filters and sort for `POST /contacts/search` (fact sheet §4.2).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_with::skip_serializing_none;

/// One filter: a condition, or a group of filters joined by AND / OR.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(untagged)]
pub enum Filter {
    /// `{group: "AND" | "OR", filters: [...]}`.
    Group {
        /// How the inner filters combine.
        group: FilterGroup,
        /// The inner filters.
        filters: Vec<Filter>,
    },
    /// `{field, operator, value}`.
    Condition(Condition),
}

/// How a group's filters combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum FilterGroup {
    /// Every filter must match.
    #[serde(rename = "AND")]
    And,
    /// Any filter may match.
    #[serde(rename = "OR")]
    Or,
}

/// A single condition.
#[skip_serializing_none]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Condition {
    /// The field, e.g. `email`, `tags`, `dnd`, `firstNameLowerCase`.
    pub field: String,
    /// The operator.
    pub operator: FilterOperator,
    /// The value (a string of at most 75 characters, a boolean, or a range
    /// object `{gte, gt, lte, lt}`); absent for `exists` / `not_exists`.
    pub value: Option<Value>,
}

/// Search operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FilterOperator {
    /// Equals.
    Eq,
    /// Does not equal.
    NotEq,
    /// Contains (no special characters).
    Contains,
    /// Does not contain.
    NotContains,
    /// Has a value.
    Exists,
    /// Has no value.
    NotExists,
    /// Within `{gte, gt, lte, lt}`.
    Range,
}

/// A sort key.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Sort {
    /// The field, e.g. `dateAdded`.
    pub field: String,
    /// The direction.
    pub direction: SortDirection,
}

/// Sort direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum SortDirection {
    /// Ascending.
    Asc,
    /// Descending.
    Desc,
}

/// The longest value a filter or query may carry (fact sheet §4.2).
pub const MAX_FILTER_VALUE_CHARS: usize = 75;

impl Filter {
    pub(crate) fn validate(&self) -> crate::Result<()> {
        match self {
            Filter::Group { filters, .. } => filters.iter().try_for_each(Filter::validate),
            Filter::Condition(c) => {
                crate::ops::require("filters[].field", &c.field)?;
                match (&c.operator, &c.value) {
                    (FilterOperator::Exists | FilterOperator::NotExists, Some(_)) => {
                        Err(crate::Error::invalid_argument(format!(
                            "filter on {}: exists/not_exists take no value",
                            c.field
                        )))
                    }
                    (FilterOperator::Exists | FilterOperator::NotExists, None) => Ok(()),
                    (_, None) => Err(crate::Error::invalid_argument(format!(
                        "filter on {} needs a value",
                        c.field
                    ))),
                    (_, Some(Value::String(s))) if s.chars().count() > MAX_FILTER_VALUE_CHARS => {
                        Err(crate::Error::invalid_argument(format!(
                            "filter on {}: value is longer than {MAX_FILTER_VALUE_CHARS} characters",
                            c.field
                        )))
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}
