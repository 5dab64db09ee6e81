//! The catalog: every operation by a stable name, with its facts and JSON
//! Schemas, plus the webhook events as triggers. It is what makes libcontacts
//! a plugin runtime: a form builder renders from [`describe`], a bot calls
//! [`build`] / [`parse`] with a name and JSON, and the C ABI and the JS
//! package reach every operation through these three functions.
//!
//! ```
//! use contacts_core::{catalog, Config, HttpResponse};
//! use serde_json::json;
//! let params = json!({"contactId": "abc123"});
//! let req = catalog::build("contacts.get", &params, &Config::default()).unwrap();
//! assert_eq!(req.url, "https://services.leadconnectorhq.com/contacts/abc123");
//! let resp = HttpResponse::new(200, r#"{"contact":{"id":"abc123","firstName":"Ada"}}"#);
//! let out = catalog::parse("contacts.get", &params, &resp).unwrap();
//! assert_eq!(out["contact"]["firstName"], "Ada");
//! ```

use crate::ops::{
    OpSpec, Operation, Paginated, appointments::*, build_params, businesses::*, campaigns::*,
    contacts::*, followers::*, locations::*, notes::*, oauth::*, tags::BulkUpdateTags, tags::*,
    tasks::*, workflows::*,
};
use crate::pagination::Pages;
use crate::{Config, Error, HttpRequest, HttpResponse, Result};
#[cfg(feature = "native")]
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// One catalog entry: an operation's facts and its JSON entry points.
pub struct Entry {
    /// The operation's static facts.
    pub spec: &'static OpSpec,
    check: fn(&Map<String, Value>) -> Result<()>,
    pages: Option<Pages>,
    #[cfg(feature = "native")]
    typed: fn(&Value) -> Result<Box<dyn JsonOp>>,
    #[cfg(feature = "native")]
    parse_text: fn(&HttpResponse) -> Result<String>,
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
        let read = read_params(self.spec.name, params)?;
        (self.check)(&read)?;
        Ok(read)
    }
}

/// JSON `params` of action `name` (an operation or a composite) read by its
/// params schema: of the schema's types (aliases renamed, nulls dropped,
/// defaults filled) and with no unknown parameter. `null` means `{}`.
pub(crate) fn read_params(name: &str, params: &Value) -> Result<Map<String, Value>> {
    let given = params_object(name, params)?;
    let schema = action_schemas(name).map(|(p, _)| p).ok_or_else(|| {
        Error::protocol(format!("{name}: the built-in catalog has no params schema"))
    })?;
    for (key, value) in given.as_object().into_iter().flatten() {
        if !value.is_null() && crate::schema::property_for(schema, key).is_none() {
            return Err(Error::invalid_argument(format!(
                "{name}: unknown parameter {key:?}"
            )));
        }
    }
    let read = crate::schema::conform(schema, schema, given.clone(), "params")
        .map_err(|e| invalid_params(name, &e))?;
    let Value::Object(read) = read else {
        return Err(Error::invalid_argument(format!(
            "{name}: params must be a JSON object"
        )));
    };
    Ok(read)
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
        parse_json(self.entry.spec, resp)
    }
    #[cfg(feature = "native")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String> {
        (self.entry.parse_text)(resp)
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
    /// Parses the response into JSON text written straight from the typed
    /// output (no [`Value`] in between): for hosts that hand the text on,
    /// such as the C ABI. Keys come in the models' order, not sorted. It says
    /// what [`parse`](JsonOp::parse) says (the vector runners compare them).
    #[cfg(feature = "native")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String>;
}

impl<T: Operation + Send + Sync> JsonOp for T {
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        Operation::build(self, cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<Value> {
        parse_json(&T::SPEC, resp)
    }
    #[cfg(feature = "native")]
    fn parse_text(&self, resp: &HttpResponse) -> Result<String> {
        parse_text_of::<T>(resp)
    }
}

/// A response as `spec`'s JSON result: a 2xx body conformed to the result
/// schema, anything else classified.
fn parse_json(spec: &OpSpec, resp: &HttpResponse) -> Result<Value> {
    let body: Value = crate::ops::parse_response(spec, resp)?;
    conform_result(spec.name, body).map_err(|e| {
        Error::decode(
            format!("{}: response body is not the expected JSON: {e}", spec.name),
            resp,
            spec.sensitive,
        )
    })
}

#[cfg(feature = "native")]
fn parse_text_of<T: Operation>(resp: &HttpResponse) -> Result<String> {
    let out: T::Output = crate::ops::parse_response(&T::SPEC, resp)?;
    serde_json::to_string(&out).map_err(|e| Error::protocol(format!("{}: {e}", T::SPEC.name)))
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
            pages: $pages,
            #[cfg(feature = "native")]
            typed: decode_json::<$op>,
            #[cfg(feature = "native")]
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
    entry!(ListLocationTags),
    entry!(CreateLocationTag),
    entry!(GetLocationTag),
    entry!(UpdateLocationTag),
    entry!(DeleteLocationTag),
    entry!(ListCustomFields),
    entry!(ExchangeCode),
    entry!(RefreshToken),
    entry!(GetLocationToken),
    entry!(paged ListInstalledLocations),
];

/// Every entry, in catalog order.
pub fn entries() -> &'static [Entry] {
    ENTRIES
}

/// The entry named `name`, or an [`crate::ErrorCode::InvalidArgument`] error
/// that says so.
pub fn find(name: &str) -> Result<&'static Entry> {
    ENTRIES.iter().find(|e| e.spec.name == name).ok_or_else(|| {
        Error::invalid_argument(format!("unknown operation {name:?}; see describe()"))
    })
}

/// Every action name in catalog order: the operations, then the composite
/// actions.
pub fn names() -> impl Iterator<Item = &'static str> {
    ENTRIES
        .iter()
        .map(|e| e.spec.name)
        .chain(crate::actions::all().iter().map(|a| a.name))
}

/// The catalog's own (static) spelling of action `name`, an operation or a
/// composite. Errors with InvalidArgument as [`find`] does.
pub fn action_name(name: &str) -> Result<&'static str> {
    match crate::actions::find(name) {
        Some(action) => Ok(action.name),
        None => find(name).map(|e| e.spec.name),
    }
}

/// Builds operation `name` from JSON `params` (an object of path, query and
/// body fields, named as the API names them; `null` means `{}`).
///
/// Errors with InvalidArgument for an unknown name, a missing or wrongly
/// typed parameter, an unknown parameter, or a value the operation refuses.
pub fn build(name: &str, params: &Value, cfg: &Config) -> Result<HttpRequest> {
    find(name)?.decode(params)?.build(cfg)
}

/// Parses the response to operation `name` (built from `params`) into JSON.
pub fn parse(name: &str, params: &Value, resp: &HttpResponse) -> Result<Value> {
    find(name)?.decode(params)?.parse(resp)
}

/// Like [`parse`], but JSON text ([`JsonOp::parse_text`]).
#[cfg(feature = "native")]
pub fn parse_text(name: &str, params: &Value, resp: &HttpResponse) -> Result<String> {
    find(name)?.decode(params)?.parse_text(resp)
}

/// The params of the page after `output` (a result of [`parse`]), `None` at
/// the end. An operation without pages has no next page.
pub fn next_page(name: &str, params: &Value, output: &Value) -> Result<Option<Value>> {
    let entry = find(name)?;
    let Some(pages) = entry.pages else {
        return Ok(None);
    };
    entry.decode(params)?;
    let output = conform_result(name, output.clone()).map_err(|e| {
        Error::invalid_argument(format!(
            "{name}: output is not a result of this operation: {e}"
        ))
    })?;
    crate::pagination::next_params(entry.spec, &pages, params, &output)
}

/// Like [`build`], but through the operation's Rust type: the params are
/// decoded by serde into the typed operation first. For tests that hold the
/// schema route equal to serde's rules, and hosts that want that route.
#[cfg(feature = "native")]
pub fn build_typed(name: &str, params: &Value, cfg: &Config) -> Result<HttpRequest> {
    (find(name)?.typed)(params)?.build(cfg)
}

/// The catalog as JSON text: `{actions: [...], triggers: [...]}`, each action
/// with `name, summary, method, path, scope, version, idempotent,
/// pagination, params, result`. Generated from the Rust types
/// (`cargo test -p contacts-core --features schema`) and committed as
/// `core/catalog.json`; this is that file without its layout whitespace.
pub fn describe() -> &'static str {
    &DESCRIBE_NUL[..DESCRIBE_NUL.len() - 1]
}

/// [`describe`] followed by one NUL, for C hosts that take it as a C string
/// (one copy of the text serves both).
pub const DESCRIBE_NUL: &str = concat!(
    include_str!(concat!(env!("OUT_DIR"), "/catalog.min.json")),
    "\0"
);

// ACTION_SPANS and TRIGGER_SPANS: where each schema lies in `describe()`,
// found by build.rs, so a call parses only its own action's schemas (parsing
// the whole catalog made the first call in the wasm take 12 ms).
include!(concat!(env!("OUT_DIR"), "/catalog_spans.rs"));

/// A byte range of `describe()`.
type Span = (usize, usize);

/// One schema of the built-in catalog, parsed on first use. `Null` only if
/// its text did not parse, which the catalog tests rule out.
fn schema_at(span: Span, parsed: &'static std::sync::OnceLock<Value>) -> &'static Value {
    parsed.get_or_init(|| {
        describe()
            .get(span.0..span.1)
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or(Value::Null)
    })
}

#[allow(clippy::declare_interior_mutable_const)]
const UNPARSED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
#[allow(clippy::declare_interior_mutable_const)]
const UNPARSED_PAIR: (std::sync::OnceLock<Value>, std::sync::OnceLock<Value>) =
    (UNPARSED, UNPARSED);
static ACTION_SCHEMAS: [(std::sync::OnceLock<Value>, std::sync::OnceLock<Value>); ACTION_COUNT] =
    [UNPARSED_PAIR; ACTION_COUNT];
static TRIGGER_SCHEMAS: [std::sync::OnceLock<Value>; TRIGGER_COUNT] = [UNPARSED; TRIGGER_COUNT];

/// The schema of trigger (webhook event type) `kind`.
fn trigger_schema(kind: &str) -> Option<&'static Value> {
    let index = TRIGGER_SPANS.iter().position(|(k, _)| *k == kind)?;
    Some(schema_at(TRIGGER_SPANS[index].1, &TRIGGER_SCHEMAS[index]))
}

/// The params and result schemas of the action named `name` (the catalog
/// lists actions in [`entries`] order).
fn action_schemas(name: &str) -> Option<(&'static Value, &'static Value)> {
    let index = ENTRIES
        .iter()
        .position(|e| e.spec.name == name)
        .or_else(|| {
            let composite = crate::actions::all().iter().position(|a| a.name == name)?;
            Some(ENTRIES.len() + composite)
        })?;
    let (params, result) = ACTION_SPANS.get(index)?;
    let (parsed_params, parsed_result) = ACTION_SCHEMAS.get(index)?;
    Some((
        schema_at(*params, parsed_params),
        schema_at(*result, parsed_result),
    ))
}

/// A webhook payload (already verified) as the JSON surfaces hand it on:
/// checked against its trigger's schema and normalized as the typed
/// [`crate::webhooks::WebhookEvent`] would write it, with `type`. A payload
/// of an unmodelled type is kept whole; one that is not an object is kept
/// as `{}` (it has no type).
///
/// Errors with [`crate::ErrorCode::Decode`] when a field has the wrong type.
pub fn conform_event(mut value: Value) -> Result<Value> {
    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let Some(schema) = trigger_schema(&kind) else {
        return Ok(match value {
            Value::Object(_) => value,
            _ => Value::Object(Default::default()),
        });
    };
    if let Some(m) = value.as_object_mut() {
        m.remove("type");
    }
    let mut out = crate::schema::conform(schema, schema, value, &kind)
        .map_err(|e| Error::protocol(format!("webhook payload: {e}")))?;
    if let Some(m) = out.as_object_mut() {
        m.insert("type".into(), Value::String(kind));
    }
    Ok(out)
}

/// A 2xx response body (already JSON) as operation `name`'s result: checked
/// against the action's `result` schema and normalized as the typed output
/// would write it ([`crate::schema`]). The JSON surfaces use this, so no
/// typed decoder per result model is needed.
///
/// Errors: the message of the first field that does not fit, for the
/// caller to wrap as a [`crate::ErrorCode::Decode`] error with the raw body.
fn conform_result(name: &str, body: Value) -> std::result::Result<Value, String> {
    let (_, schema) = action_schemas(name)
        .ok_or_else(|| format!("{name}: the built-in catalog has no result schema"))?;
    crate::schema::conform(schema, schema, body, "result")
}

/// Deserializes `params` into the typed operation `T`, refusing parameters
/// `T` does not know ([`build_typed`]'s route).
#[cfg(feature = "native")]
fn decode_json<T: Operation + DeserializeOwned + Send + Sync + 'static>(
    params: &Value,
) -> Result<Box<dyn JsonOp>> {
    let name = T::SPEC.name;
    let given = params_object(name, params)?;
    let op: T = T::deserialize(given).map_err(|e| invalid_params(name, &e))?;
    // Round-trip to find keys serde skipped: a typo must not be dropped silently.
    let known = serde_json::to_value(&op).map_err(|e| invalid_params(name, &e))?;
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

static EMPTY_PARAMS: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| Value::Object(Default::default()));

/// `params` as an object; `null` means `{}`.
fn params_object<'a>(name: &str, params: &'a Value) -> Result<&'a Value> {
    match params {
        Value::Null => Ok(&EMPTY_PARAMS),
        Value::Object(_) => Ok(params),
        _ => Err(Error::invalid_argument(format!(
            "{name}: params must be a JSON object"
        ))),
    }
}

#[cold]
fn invalid_params(name: &str, e: &dyn std::fmt::Display) -> Error {
    Error::invalid_argument(format!("{name}: {e}"))
}

#[cfg(feature = "schema")]
pub(crate) fn schema_of<T: schemars::JsonSchema>() -> Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    crate::schema::index_aliases(&mut schema);
    schema
}

#[cfg(feature = "schema")]
fn schemas<T: Operation + schemars::JsonSchema>() -> (Value, Value)
where
    T::Output: schemars::JsonSchema,
{
    (schema_of::<T>(), schema_of::<T::Output>())
}

/// Generates the catalog JSON from the Rust types (what `catalog.json` holds).
#[cfg(feature = "schema")]
pub fn generate() -> Value {
    use crate::webhooks::*;
    let actions: Vec<Value> = ENTRIES
        .iter()
        .map(|e| {
            let s = e.spec;
            let (params, result) = (e.schemas)();
            serde_json::json!({
                "name": s.name,
                "summary": s.summary,
                "operationId": s.operation_id,
                "method": s.method.as_str(),
                "path": s.path,
                "scope": s.scope,
                "version": s.version,
                "idempotent": s.idempotent,
                "deprecated": s.deprecated,
                "successStatus": s.success_status,
                "pagination": s.pagination.as_str(),
                "params": params,
                "result": result,
            })
        })
        .chain(crate::actions::all().iter().map(|a| {
            let (params, result) = a.schemas();
            serde_json::json!({
                "name": a.name,
                "summary": a.summary,
                "kind": "composite",
                "category": a.category,
                "scopes": a.scopes,
                "idempotent": a.idempotent,
                "pagination": "none",
                "params": params,
                "result": result,
            })
        }))
        .collect();
    let triggers: Vec<Value> = EVENT_TYPES
        .iter()
        .map(|(kind, summary, scope)| {
            let schema = match *kind {
                "ContactCreate" | "ContactUpdate" | "ContactDelete" | "ContactTagUpdate"
                | "ContactDndUpdate" => schema_of::<ContactEvent>(),
                "NoteCreate" | "NoteUpdate" | "NoteDelete" => schema_of::<NoteEvent>(),
                "TaskCreate" | "TaskComplete" | "TaskDelete" => schema_of::<TaskEvent>(),
                "INSTALL" => schema_of::<InstallEvent>(),
                "UNINSTALL" => schema_of::<UninstallEvent>(),
                _ => schema_of::<AppointmentEvent>(),
            };
            serde_json::json!({ "type": kind, "summary": summary, "scope": scope, "schema": schema })
        })
        .collect();
    serde_json::json!({
        "name": "libcontacts",
        "apiVersion": crate::CONTACTS_API_VERSION,
        "actions": actions,
        "triggers": triggers,
        "errorCodes": crate::ErrorCode::ALL.map(crate::ErrorCode::as_str),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_found_by_its_entry_and_parses() {
        let all: Value = serde_json::from_str(describe()).unwrap();
        let actions = all["actions"].as_array().unwrap();
        let names: Vec<&str> = names().collect();
        assert_eq!(actions.len(), names.len());
        for (name, action) in names.into_iter().zip(actions) {
            assert_eq!(action["name"], name, "catalog order is names() order");
            let (params, result) = action_schemas(name).unwrap();
            assert_eq!(params, &action["params"]);
            assert_eq!(result, &action["result"]);
        }
        for trigger in all["triggers"].as_array().unwrap() {
            let kind = trigger["type"].as_str().unwrap();
            assert_eq!(trigger_schema(kind).unwrap(), &trigger["schema"]);
        }
    }
}
