//! Every operation by its stable name: its facts, and entry points that read
//! JSON params once (by the params schema) and answer in JSON (conformed to
//! the result schema). The catalog lists these with the composite actions.

use super::pagination::Pages;
use super::{
    OpSpec, Operation, Paginated, appointment_notes::*, appointments::*, associations::*,
    build_params, businesses::*, calendars::*, campaigns::*, contacts::*, custom_fields::*,
    custom_values::*, followers::*, locations::*, notes::*, oauth::*, tags::BulkUpdateTags,
    tags::*, tasks::*, users::*, workflows::*,
};
use crate::{Config, Error, HttpRequest, HttpResponse, Result};
#[cfg(feature = "typed")]
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// An operation's [`Operation::report`]: adds to a JSON result from its params.
type Report = fn(&Map<String, Value>, &mut Value);

/// One catalog entry: an operation's facts and its JSON entry points.
pub struct Entry {
    /// The operation's static facts.
    pub spec: &'static OpSpec,
    check: fn(&Map<String, Value>) -> Result<()>,
    report: Option<Report>,
    pages: Option<Pages>,
    #[cfg(feature = "typed")]
    typed: fn(&Value) -> Result<Box<dyn JsonOp>>,
    #[cfg(feature = "typed")]
    parse_text: fn(&Map<String, Value>, &HttpResponse) -> Result<String>,
    #[cfg(feature = "schema")]
    schemas: fn() -> (Value, Value),
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("spec", self.spec)
            .finish_non_exhaustive()
    }
}

impl Entry {
    /// Whether results come in pages that [`next_page`] continues.
    pub fn is_paginated(&self) -> bool {
        self.pages.is_some()
    }

    /// Reads `params` through the operation's Rust type instead (serde),
    /// refusing parameters it does not know: the route
    /// [`crate::catalog::build_typed`] takes.
    #[cfg(feature = "typed")]
    pub(crate) fn decode_typed(&self, params: &Value) -> Result<Box<dyn JsonOp>> {
        (self.typed)(params)
    }

    /// The params and result schemas, generated from the Rust types.
    #[cfg(feature = "schema")]
    pub(crate) fn schemas(&self) -> (Value, Value) {
        (self.schemas)()
    }

    /// Where its pages live, for [`crate::pagination::next_params`].
    pub(crate) fn page_rule(&self) -> Option<&Pages> {
        self.pages.as_ref()
    }

    /// Reads JSON `params` for this operation, once: the result builds
    /// every attempt's request and parses the answer without reading the
    /// params again. Errors as [`build`] does for bad params.
    ///
    /// The params are read against the action's params schema, then the
    /// operation's [`Operation::check`], and built by [`build_params`]: no
    /// typed decoder per operation is compiled in for this.
    pub fn decode(&'static self, params: &Value) -> Result<Box<dyn JsonOp>> {
        Ok(Box::new(SchemaOp {
            entry: self,
            params: self.read_params(params)?,
        }))
    }

    /// The params as the typed operation would hold them: of the schema's
    /// types (aliases renamed, nulls dropped, defaults filled), no unknown
    /// parameter, and passing the operation's own check.
    fn read_params(&self, params: &Value) -> Result<Map<String, Value>> {
        let read = crate::schema::read_params(self.spec.name, params)?;
        (self.check)(&read)?;
        Ok(read)
    }
}

/// Params read by the schema ([`Entry::decode`]).
struct SchemaOp {
    entry: &'static Entry,
    params: Map<String, Value>,
}

impl JsonOp for SchemaOp {
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        build_params(self.entry.spec, self.params.clone(), cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<Value> {
        match self.entry.report {
            Some(report) => parse_json(self.entry.spec, resp, Some(&|r| report(&self.params, r))),
            None => parse_json(self.entry.spec, resp, None),
        }
    }
    #[cfg(feature = "typed")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String> {
        (self.entry.parse_text)(&self.params, resp)
    }
}

/// An operation read from JSON params ([`Entry::decode`]). Pure, and
/// shareable across threads.
pub trait JsonOp: Send + Sync {
    /// Builds the request, as [`Operation::build`].
    fn build(&self, cfg: &Config) -> Result<HttpRequest>;
    /// Parses the response into JSON, as [`Operation::parse`] then encoding
    /// would (the body conformed to the result schema).
    fn parse(&self, resp: &HttpResponse) -> Result<Value>;
    /// Parses the response through the operation's Rust type (serde) and
    /// writes that as JSON text: the typed route, by name. No surface hands
    /// this out (they all take [`parse`](JsonOp::parse)); the differential
    /// tests and the fuzzers hold the two routes to the same answers.
    #[cfg(feature = "typed")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String>;
}

impl<T: Operation + Send + Sync> JsonOp for T {
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        Operation::build(self, cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<Value> {
        if !T::REPORTS {
            return parse_json(&T::SPEC, resp, None);
        }
        let report = |result: &mut Value| {
            if let Ok(Value::Object(params)) = serde_json::to_value(self) {
                T::report(&params, result)
            }
        };
        parse_json(&T::SPEC, resp, Some(&report))
    }
    #[cfg(feature = "typed")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String> {
        typed_text(self, resp)
    }
}

/// A response as `spec`'s JSON result: a 2xx body with the operation's
/// [`Operation::report`] added by `report`, conformed to the result schema;
/// anything else classified. Not generic, so one copy serves every
/// operation.
fn parse_json(
    spec: &OpSpec,
    resp: &HttpResponse,
    report: Option<&dyn Fn(&mut Value)>,
) -> Result<Value> {
    let mut body: Value = crate::ops::parse_response(spec, resp)?;
    if let Some(report) = report {
        report(&mut body);
    }
    crate::schema::conform_result(spec.name, body).map_err(|e| {
        Error::decode(
            format!("{}: response body is not the expected JSON: {e}", spec.name),
            resp,
            spec.sensitive,
        )
    })
}

#[cfg(feature = "typed")]
fn typed_text<T: Operation>(op: &T, resp: &HttpResponse) -> Result<String> {
    let out = op.parse(resp)?;
    serde_json::to_string(&out).map_err(|e| Error::protocol(format!("{}: {e}", T::SPEC.name)))
}

/// The typed route for params the schema read: the operation's Rust type
/// holds them, and its own [`Operation::parse`] answers.
#[cfg(feature = "typed")]
fn parse_text_of<T: Operation + DeserializeOwned>(
    params: &Map<String, Value>,
    resp: &HttpResponse,
) -> Result<String> {
    let op: T = serde_json::from_value(Value::Object(params.clone()))
        .map_err(|e| crate::schema::invalid_params(T::SPEC.name, &e))?;
    typed_text(&op, resp)
}

macro_rules! entry {
    ($op:ty) => {
        entry!(@ $op, None)
    };
    (paged $op:ty) => {
        entry!(@ $op, Some(<$op as Paginated>::PAGES))
    };
    (@ $op:ty, $pages:expr) => {
        Entry {
            spec: &<$op as Operation>::SPEC,
            check: <$op as Operation>::check,
            report: if <$op as Operation>::REPORTS {
                Some(<$op as Operation>::report)
            } else {
                None
            },
            pages: $pages,
            #[cfg(feature = "typed")]
            typed: decode_json::<$op>,
            #[cfg(feature = "typed")]
            parse_text: parse_text_of::<$op>,
            #[cfg(feature = "schema")]
            schemas: schemas::<$op>,
        }
    };
}

static ENTRIES: &[Entry] = &[
    entry!(GetContact),
    entry!(CreateContact),
    entry!(UpdateContact),
    entry!(DeleteContact),
    entry!(UpsertContact),
    entry!(paged ListContacts),
    entry!(paged SearchContacts),
    entry!(FindDuplicateContact),
    entry!(paged ListContactsByBusiness),
    entry!(BulkUpdateBusiness),
    entry!(ListTasks),
    entry!(CreateTask),
    entry!(GetTask),
    entry!(UpdateTask),
    entry!(DeleteTask),
    entry!(CompleteTask),
    entry!(paged SearchTasks),
    entry!(ListNotes),
    entry!(CreateNote),
    entry!(GetNote),
    entry!(UpdateNote),
    entry!(DeleteNote),
    entry!(ListAppointments),
    entry!(ListCalendars),
    entry!(GetCalendar),
    entry!(FreeSlots),
    entry!(ListCalendarEvents),
    entry!(CreateAppointment),
    entry!(GetAppointment),
    entry!(UpdateAppointment),
    entry!(CancelAppointment),
    entry!(DeleteAppointment),
    entry!(ListAppointmentNotes),
    entry!(CreateAppointmentNote),
    entry!(UpdateAppointmentNote),
    entry!(DeleteAppointmentNote),
    entry!(AddTags),
    entry!(RemoveTags),
    entry!(BulkUpdateTags),
    entry!(AddFollowers),
    entry!(RemoveFollowers),
    entry!(AddToCampaign),
    entry!(RemoveFromCampaign),
    entry!(RemoveFromAllCampaigns),
    entry!(AddToWorkflow),
    entry!(RemoveFromWorkflow),
    entry!(paged ListBusinesses),
    entry!(GetBusiness),
    entry!(CreateBusiness),
    entry!(UpdateBusiness),
    entry!(DeleteBusiness),
    entry!(GetLocation),
    entry!(ListLocationTags),
    entry!(CreateLocationTag),
    entry!(GetLocationTag),
    entry!(UpdateLocationTag),
    entry!(DeleteLocationTag),
    entry!(ListCustomFields),
    entry!(GetLocationCustomField),
    entry!(CreateLocationCustomField),
    entry!(UpdateLocationCustomField),
    entry!(DeleteLocationCustomField),
    entry!(ListObjectCustomFields),
    entry!(GetObjectCustomField),
    entry!(CreateObjectCustomField),
    entry!(UpdateObjectCustomField),
    entry!(DeleteObjectCustomField),
    entry!(ListCustomValues),
    entry!(GetCustomValue),
    entry!(CreateCustomValue),
    entry!(UpdateCustomValue),
    entry!(DeleteCustomValue),
    entry!(ListUsers),
    entry!(paged SearchUsers),
    entry!(GetUser),
    entry!(FilterUsersByEmail),
    entry!(CreateRelation),
    entry!(paged ListRelations),
    entry!(DeleteRelation),
    entry!(paged ListAssociations),
    entry!(GetAssociation),
    entry!(ExchangeCode),
    entry!(RefreshToken),
    entry!(GetLocationToken),
    entry!(paged ListInstalledLocations),
];

/// Every entry, in catalog order.
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

/// Former names of operations, each with the name it now has: calls by the
/// old name keep working (the catalog lists them as `aliases`).
pub static NAME_ALIASES: &[(&str, &str)] = &[
    // Renamed when the location's other custom field operations arrived,
    // beside the custom objects' `customFields.v2.*`.
    ("customFields.list", "locationCustomFields.list"),
];

/// The former names of operation `name` ([`NAME_ALIASES`]).
pub fn aliases_of(name: &str) -> impl Iterator<Item = &'static str> + '_ {
    NAME_ALIASES
        .iter()
        .filter(move |(_, now)| *now == name)
        .map(|(old, _)| *old)
}

/// Every OAuth scope the operations named in `calls` need, once each, in
/// first-use order (a composite's or a polled trigger's scopes).
pub fn scopes_of(calls: &[&str]) -> Vec<&'static str> {
    let mut scopes: Vec<&'static str> = Vec::new();
    for call in calls {
        let scope = find(call).ok().and_then(|e| e.spec.scope);
        if let Some(scope) = scope.filter(|s| !scopes.contains(s)) {
            scopes.push(scope);
        }
    }
    scopes
}

/// The entry named `name` (or formerly named so, [`NAME_ALIASES`]), or an
/// [`crate::ErrorCode::InvalidArgument`] error that says so.
pub fn find(name: &str) -> Result<&'static Entry> {
    let name = NAME_ALIASES
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, now)| *now);
    ENTRIES.iter().find(|e| e.spec.name == name).ok_or_else(|| {
        Error::invalid_argument(format!("unknown operation {name:?}; see describe()"))
    })
}

/// Deserializes `params` into the typed operation `T`, refusing parameters
/// `T` does not know ([`build_typed`]'s route).
#[cfg(feature = "typed")]
fn decode_json<T: Operation + DeserializeOwned + Send + Sync + 'static>(
    params: &Value,
) -> Result<Box<dyn JsonOp>> {
    let name = T::SPEC.name;
    let given = crate::schema::params_object(name, params)?;
    let op: T = T::deserialize(given).map_err(|e| crate::schema::invalid_params(name, &e))?;
    // Round-trip to find keys serde skipped: a typo must not be dropped silently.
    let known = serde_json::to_value(&op).map_err(|e| crate::schema::invalid_params(name, &e))?;
    let unknown = given.as_object().and_then(|m| {
        m.iter()
            .find(|(k, v)| !v.is_null() && known.get(k.as_str()).is_none())
    });
    if let Some((k, _)) = unknown {
        return Err(Error::invalid_argument(format!(
            "{name}: unknown parameter {k:?}"
        )));
    }
    Ok(Box::new(op))
}

#[cfg(feature = "schema")]
fn schemas<T: Operation + schemars::JsonSchema>() -> (Value, Value)
where
    T::Output: schemars::JsonSchema,
{
    (
        crate::schema::schema_of::<T>(),
        crate::schema::schema_of::<T::Output>(),
    )
}
