//! Refusals of blank required values, shared by the operations and the
//! models they validate.

use crate::{Error, Result};

/// Refuses an empty (or all-whitespace) required string.
pub(crate) fn require(name: &str, value: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::invalid_argument(format!("{name} is required")));
    }
    Ok(())
}

/// Refuses an empty required list.
pub(crate) fn require_list<T>(name: &str, value: &[T]) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_argument(format!(
            "{name} must name at least one item"
        )));
    }
    Ok(())
}
