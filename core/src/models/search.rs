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

/// Checks one search filter (params as JSON, already of the
/// [`Filter`] shape): a group's filters in turn; a condition's field must not
/// be blank, `exists` / `not_exists` take no value, every other operator
/// needs one, and a string value holds at most 75 characters.
pub(crate) fn check_filter(filter: &Value) -> crate::Result<()> {
    if let Some(inner) = filter.get("filters").and_then(Value::as_array) {
        return inner.iter().try_for_each(check_filter);
    }
    let field = filter
        .get("field")
        .and_then(Value::as_str)
        .unwrap_or_default();
    crate::required::require("filters[].field", field)?;
    let value = filter.get("value").filter(|v| !v.is_null());
    let operator = filter
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let refuse = |why: &str| {
        Err(crate::Error::invalid_argument(format!(
            "filter on {field}{why}"
        )))
    };
    match (operator, value) {
        ("exists" | "not_exists", Some(_)) => refuse(": exists/not_exists take no value"),
        ("exists" | "not_exists", None) => Ok(()),
        (_, None) => refuse(" needs a value"),
        (_, Some(Value::String(s))) if s.chars().count() > MAX_FILTER_VALUE_CHARS => refuse(
            &format!(": value is longer than {MAX_FILTER_VALUE_CHARS} characters"),
        ),
        _ => Ok(()),
    }
}
