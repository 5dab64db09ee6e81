//! Typed models. Decoding is lenient (every field optional, unknown fields
//! kept in `extra`, known misspellings accepted); encoding is strict (only
//! fields the API documents, in the shape it accepts).

mod activity;
mod business;
mod contact;
mod oauth;
mod responses;
mod search;

pub use activity::{Appointment, Note, Task};
pub use business::{Business, CustomFieldDefinition, InstalledLocation, LocationTag};
pub(crate) use contact::check_custom_fields;
pub use contact::{
    Attribution, Contact, ContactFields, CustomFieldInput, CustomFieldValue, DndChannel,
    DndSettings, DndStatus, InboundDnd, InboundDndSettings,
};
pub use oauth::TokenResponse;
pub use responses::*;
pub(crate) use search::check_filter;
pub use search::{
    Condition, Filter, FilterGroup, FilterOperator, MAX_FILTER_VALUE_CHARS, Sort, SortDirection,
};
