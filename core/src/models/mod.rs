//! Typed models. Decoding is lenient (every field optional, unknown fields
//! kept in `extra`, known misspellings accepted); encoding is strict (only
//! fields the API documents, in the shape it accepts).

mod activity;
mod association;
mod business;
mod calendar;
mod contact;
mod location_data;
mod oauth;
mod responses;
mod search;
mod user;

pub use activity::{Appointment, Note, Task};
pub use association::{Association, AssociationsResponse, Relation, RelationsResponse};
pub use business::{Business, CustomFieldDefinition, InstalledLocation, Location, LocationTag};
pub use calendar::{
    AppointmentNote, AppointmentNoteResponse, AppointmentNotesResponse, Calendar,
    CalendarEventResponse, CalendarEventsResponse, CalendarResponse, CalendarsResponse, DaySlots,
    FreeSlotsResponse, OpenHours, OpenInterval, SuccessResponse,
};
pub(crate) use contact::check_custom_fields;
pub use contact::{
    Attribution, Contact, ContactFields, CustomFieldInput, CustomFieldValue, DndChannel,
    DndSettings, DndStatus, InboundDnd, InboundDndSettings,
};
pub use location_data::{
    CustomFieldResponse, CustomValue, CustomValueResponse, CustomValuesResponse,
    DeletedFieldResponse, FieldOption, ObjectCustomField, ObjectCustomFieldResponse,
    ObjectCustomFieldsResponse,
};
pub use oauth::TokenResponse;
pub use responses::*;
pub(crate) use search::check_filter;
pub use search::{
    Condition, Filter, FilterGroup, FilterOperator, MAX_FILTER_VALUE_CHARS, Sort, SortDirection,
};
pub use user::{User, UserRoles, UsersResponse};
