//! Every operation as a pure `build` / `parse` pair.
//!
//! An operation is a plain struct of its parameters (path, query and body
//! fields side by side, named as the API names them). `build` turns it into an
//! [`HttpRequest`]; `parse` turns the [`HttpResponse`] into the typed output or
//! a classified [`Error`]. Neither does IO.

pub(crate) use crate::required::{require, require_list};
use crate::{Config, Error, HttpRequest, HttpResponse, Method, Result};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

pub mod appointment_notes;
pub mod appointments;
pub mod associations;
pub mod businesses;
pub mod by_name;
pub mod calendars;
pub mod campaigns;
pub mod contacts;
pub mod custom_fields;
pub mod custom_values;
pub mod followers;
pub(crate) mod honest;
pub mod locations;
pub mod notes;
pub mod oauth;
pub mod pagination;
pub mod tags;
pub mod tasks;
pub mod users;
pub mod workflows;

/// How an operation's pages continue (see [`crate::pagination`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PaginationKind {
    /// One response is the whole answer.
    None,
    /// `GET /contacts/`: `startAfter` + `startAfterId` from `meta`.
    StartAfter,
    /// `POST /contacts/search`: `page` up to 10,000 records, then `searchAfter`.
    SearchAfter,
    /// `skip` + `limit`.
    SkipLimit,
}

impl PaginationKind {
    /// The name used in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            PaginationKind::None => "none",
            PaginationKind::StartAfter => "startAfter",
            PaginationKind::SearchAfter => "searchAfter",
            PaginationKind::SkipLimit => "skipLimit",
        }
    }
}

/// The static facts about one operation: what the catalog publishes and what
/// the engine needs to decide retries and credentials.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpSpec {
    /// The stable catalog name, e.g. `contacts.get`.
    pub name: &'static str,
    /// The `operationId` in the official OpenAPI spec (empty with feature
    /// `lean-catalog`).
    pub operation_id: &'static str,
    /// One line for people (empty with feature `lean-catalog`).
    pub summary: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, e.g. `/contacts/{contactId}`.
    pub path: &'static str,
    /// The OAuth scope the operation needs, if the spec names one.
    pub scope: Option<&'static str>,
    /// The default `Version` header; `None` where the endpoint takes none.
    pub version: Option<&'static str>,
    /// Whether sending it twice has the effect of sending it once: only these
    /// are retried after a 5xx or a connection failure.
    pub idempotent: bool,
    /// The success status the spec documents (any 2xx is accepted).
    pub success_status: u16,
    /// Whether it sends `Authorization: Bearer`.
    pub bearer: bool,
    /// Whether request or response bodies carry secrets (OAuth tokens).
    pub sensitive: bool,
    /// Whether the spec marks it deprecated.
    pub deprecated: bool,
    /// How its pages continue.
    pub pagination: PaginationKind,
    /// Where its params go besides the path ([`build_params`]).
    pub params: Params,
    /// Path placeholders filled by a param of another name, e.g.
    /// `("id", "noteId")`; any other `{name}` is filled by param `name`.
    pub path_names: &'static [(&'static str, &'static str)],
    /// Body fields this operation always sends, whatever the params say
    /// (`appointments.cancel` is `appointments.update` with
    /// `appointmentStatus: cancelled`).
    pub fixed: &'static [(&'static str, &'static str)],
    /// Which class of token the endpoint accepts (the spec's `security`).
    pub token: TokenClass,
}

/// Which class of access token an endpoint accepts: the spec's
/// `Location-Access` / `Agency-Access` security schemes. Where a spec says
/// only `bearer`, HighLevel takes location tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenClass {
    /// Either (the spec names both schemes).
    Any,
    /// Location (sub-account) tokens only: refused before sending when the
    /// credentials hold only an agency token.
    Location,
    /// Agency (company) tokens only: refused before sending when the
    /// credentials hold only a location token.
    Agency,
}

impl TokenClass {
    /// The name used in the catalog.
    pub fn as_str(self) -> &'static str {
        match self {
            TokenClass::Any => "any",
            TokenClass::Location => "location",
            TokenClass::Agency => "agency",
        }
    }
}

/// Where an operation's params go once its path placeholders are filled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Params {
    /// By method: nothing more for `GET` and `DELETE`, a JSON body of the
    /// rest for `POST` and `PUT`.
    ByMethod,
    /// These query params, in this order, and no body.
    Query(&'static [&'static str]),
    /// A JSON body of every param not in the path (also for `DELETE`).
    Body,
    /// A form body (`application/x-www-form-urlencoded`) of these fields, in
    /// this order: each a form name and where its value comes from. The
    /// OAuth token endpoint takes this.
    Form(&'static [(&'static str, FormValue)]),
}

/// Where a form field's value comes from ([`Params::Form`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FormValue {
    /// Param of this name; the field is left out when the param is absent.
    Param(&'static str),
    /// Always this value (e.g. `grant_type`).
    Fixed(&'static str),
}

/// One API operation: its parameters, how to build its request, how to parse
/// its response.
pub trait Operation: Serialize {
    /// The typed result.
    type Output: DeserializeOwned + Serialize;

    /// The operation's static facts.
    const SPEC: OpSpec;

    /// The operation's own rules for its params beyond their types (a
    /// required string that must not be blank, a range, two fields that
    /// exclude each other), over the params as JSON: the typed build and the
    /// catalog's JSON build both run it, so each rule is written once.
    fn check(_params: &Map<String, Value>) -> Result<()> {
        Ok(())
    }

    /// Builds the request. Pure: refuses bad input with
    /// [`crate::ErrorCode::InvalidArgument`] before anything is sent. By
    /// default the params as JSON pass [`check`](Operation::check) and are
    /// placed by [`build_params`], as the catalog's JSON calls are.
    fn build(&self, cfg: &Config) -> Result<HttpRequest> {
        let params = serde_json::to_value(self).map_err(|e| {
            Error::invalid_argument(format!("{}: params do not encode: {e}", Self::SPEC.name))
        })?;
        let params = params.as_object().cloned().unwrap_or_default();
        Self::check(&params)?;
        build_params(&Self::SPEC, params, cfg)
    }

    /// Parses the response: any 2xx decodes into `Output`, anything else is
    /// classified into an [`Error`] that keeps the raw body.
    fn parse(&self, resp: &HttpResponse) -> Result<Self::Output> {
        parse_response(&Self::SPEC, resp)
    }

    /// Whether [`report`](Operation::report) adds anything. A constant, so
    /// the JSON routes of the operations without a report compile to
    /// nothing extra (the npm module is size-budgeted).
    const REPORTS: bool = false;

    /// Adds to a 2xx JSON result what the answer leaves unsaid, worked out
    /// from the params sent: the honest-write report of `contacts.upsert`.
    /// The JSON routes run it before conforming the result; an operation
    /// that has one sets [`REPORTS`](Operation::REPORTS) and also overrides
    /// [`parse`](Operation::parse) to fill the same field from the same
    /// function.
    fn report(_params: &Map<String, Value>, _result: &mut Value) {}
}

/// An operation whose results come in pages: the cursor is the operation
/// itself, advanced from the last response.
pub trait Paginated: Operation + Serialize + DeserializeOwned {
    /// Where its page lives in its JSON.
    const PAGES: crate::pagination::Pages;

    /// The request for the page after `output`, or `None` at the end.
    /// An error means the walk cannot continue correctly (never a silent stop).
    /// Decided by [`crate::pagination::next_params`] over JSON, so typed and
    /// JSON walks take the same steps.
    fn next_page(&self, output: &Self::Output) -> Result<Option<Self>> {
        let encode = |e: serde_json::Error| Error::protocol(format!("{}: {e}", Self::SPEC.name));
        let params = serde_json::to_value(self).map_err(encode)?;
        let output = serde_json::to_value(output).map_err(encode)?;
        match crate::pagination::next_params(&Self::SPEC, &Self::PAGES, &params, &output)? {
            Some(next) => serde_json::from_value(next).map(Some).map_err(encode),
            None => Ok(None),
        }
    }
}

/// Decodes a 2xx body into `T`, or classifies the error response.
pub fn parse_response<T: DeserializeOwned>(spec: &OpSpec, resp: &HttpResponse) -> Result<T> {
    if !(200..300).contains(&resp.status) {
        return Err(Error::from_response(resp, spec.scope, spec.sensitive));
    }
    let decode = |why: String| {
        Error::decode(
            format!(
                "{}: response body is not the expected JSON: {why}",
                spec.name
            ),
            resp,
            spec.sensitive,
        )
    };
    // The whole body must be UTF-8 (RFC 8259 §8.1), not only the strings a
    // model keeps: serde skips an ignored field's bytes unchecked, which
    // made the typed and JSON routes disagree (found by fuzzing).
    let text = std::str::from_utf8(&resp.body).map_err(|e| decode(e.to_string()))?;
    serde_json::from_str(text).map_err(|e| decode(e.to_string()))
}

/// Builds `spec`'s request from its params as JSON (already of the right
/// types and checked): each path placeholder from its param, then the query
/// or the JSON body as [`OpSpec::params`] says.
///
/// Errors with InvalidArgument for a missing or empty path param, or a param
/// the operation has no place for.
pub fn build_params(
    spec: &OpSpec,
    mut params: Map<String, Value>,
    cfg: &Config,
) -> Result<HttpRequest> {
    for (name, value) in spec.fixed {
        params.insert((*name).to_string(), Value::String((*value).to_string()));
    }
    let mut path = String::with_capacity(spec.path.len() + 24);
    let mut rest = spec.path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        path.push_str(&rest[..start]);
        let placeholder = &rest[start + 1..start + len];
        rest = &rest[start + len + 1..];
        let name = spec
            .path_names
            .iter()
            .find(|(p, _)| *p == placeholder)
            .map_or(placeholder, |(_, n)| *n);
        let value = params.remove(name).map(scalar_text).unwrap_or_default();
        if value.is_empty() {
            return Err(Error::invalid_argument(format!("{name} is required")));
        }
        // URL parsers collapse the dot segments: they would change the path.
        if value == "." || value == ".." {
            return Err(Error::invalid_argument(format!(
                "{placeholder} must not be '{value}': it would change the path"
            )));
        }
        path.push_str(&encode_component(&value));
    }
    path.push_str(rest);
    let mut b = RequestBuilder::new(cfg, spec, path);
    let params_in = match (spec.params, spec.method) {
        (Params::ByMethod, Method::Get | Method::Delete) => Params::Query(&[]),
        (Params::ByMethod, _) => Params::Body,
        (p, _) => p,
    };
    match params_in {
        Params::Query(names) => {
            for name in names {
                match params.remove(*name) {
                    // A list goes as one comma-separated value (`userIds=a,b`).
                    Some(Value::Array(items)) => {
                        let items: Vec<String> = items.into_iter().map(scalar_text).collect();
                        b = b.query(name, items.join(","));
                    }
                    Some(v) => b = b.query(name, scalar_text(v)),
                    None => {}
                }
            }
            refuse_leftover(spec, &params)?;
        }
        Params::Form(fields) => {
            let mut form = Vec::with_capacity(fields.len());
            for (name, from) in fields {
                match from {
                    FormValue::Fixed(v) => form.push((*name, v.to_string())),
                    FormValue::Param(p) => {
                        if let Some(v) = params.remove(*p) {
                            form.push((*name, scalar_text(v)));
                        }
                    }
                }
            }
            refuse_leftover(spec, &params)?;
            b = b.form(&form);
        }
        _ => b = b.json(&Value::Object(params))?,
    }
    b.finish()
}

/// Refuses a param that no place of `spec` takes.
fn refuse_leftover(spec: &OpSpec, params: &Map<String, Value>) -> Result<()> {
    match params.keys().next() {
        Some(name) => Err(Error::invalid_argument(format!(
            "{}: unknown parameter {name:?}",
            spec.name
        ))),
        None => Ok(()),
    }
}

/// A path or query value as text: strings as they are, numbers and booleans
/// as JSON writes them.
fn scalar_text(v: Value) -> String {
    match v {
        Value::String(s) => s,
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// Encodes everything but RFC 3986 unreserved characters, so a value can
/// never add a path segment, a query or a fragment.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path segment or query component.
pub fn encode_component(value: &str) -> String {
    utf8_percent_encode(value, COMPONENT).to_string()
}

/// String param `name` of params as JSON; `""` when absent (or not a string,
/// which the params' schema or types rule out before checks run).
pub(crate) fn text<'a>(params: &'a Map<String, Value>, name: &str) -> &'a str {
    params.get(name).and_then(Value::as_str).unwrap_or_default()
}

/// Refuses a blank or absent string param.
pub(crate) fn require_text(params: &Map<String, Value>, name: &str) -> Result<()> {
    require(name, text(params, name))
}

/// Refuses a blank or absent string param of any of `names`, the first
/// first (one loop for every operation that needs several).
pub(crate) fn require_texts_of(params: &Map<String, Value>, names: &[&str]) -> Result<()> {
    names.iter().try_for_each(|name| require_text(params, name))
}

/// Refuses an absent or empty list param, or a blank string in it.
pub(crate) fn require_texts(params: &Map<String, Value>, name: &str) -> Result<()> {
    let items = params
        .get(name)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    require_list(name, items)?;
    items
        .iter()
        .try_for_each(|item| require(&format!("{name}[]"), item.as_str().unwrap_or_default()))
}

/// Assembles one request from an [`OpSpec`] and its filled path: appends
/// the query, sets the standard headers and the body.
pub(crate) struct RequestBuilder<'a> {
    cfg: &'a Config,
    spec: &'a OpSpec,
    path: String,
    query: Vec<(&'static str, String)>,
    body: Option<(&'static str, Vec<u8>)>,
}

impl<'a> RequestBuilder<'a> {
    /// `path` is the template already filled (encoded values).
    pub(crate) fn new(cfg: &'a Config, spec: &'a OpSpec, path: String) -> Self {
        RequestBuilder {
            cfg,
            spec,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn query(mut self, name: &'static str, value: impl ToString) -> Self {
        self.query.push((name, value.to_string()));
        self
    }

    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        // Through a `Value`: each model then has one serializer (the one the
        // params' unknown-key check needs anyway), which keeps the wasm small.
        let bytes = serde_json::to_value(body)
            .and_then(|v| serde_json::to_vec(&v))
            .map_err(|e| {
                Error::invalid_argument(format!("{}: body does not encode: {e}", self.spec.name))
            })?;
        self.body = Some(("application/json", bytes));
        Ok(self)
    }

    pub(crate) fn form(mut self, fields: &[(&str, String)]) -> Self {
        let encoded = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v)))
            .collect::<Vec<_>>()
            .join("&");
        self.body = Some(("application/x-www-form-urlencoded", encoded.into_bytes()));
        self
    }

    pub(crate) fn finish(self) -> Result<HttpRequest> {
        if let Some(start) = self.path.find('{') {
            return Err(Error::invalid_argument(format!(
                "{}: path parameter {} is missing",
                self.spec.name,
                &self.path[start..]
            )));
        }
        let mut url = String::with_capacity(self.cfg.base_url.len() + self.path.len() + 32);
        url.push_str(self.cfg.base_url.trim_end_matches('/'));
        url.push_str(&self.path);
        for (i, (k, v)) in self.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(k);
            url.push('=');
            url.push_str(&encode_component(v));
        }
        let mut headers = Vec::with_capacity(6);
        headers.push(("Accept".to_string(), "application/json".to_string()));
        if let Some(default) = self.spec.version {
            let v = self.cfg.version_for(self.spec.name, default);
            headers.push(("Version".to_string(), v.to_string()));
        }
        if self.spec.bearer {
            if let Some(token) = &self.cfg.access_token {
                headers.push((
                    "Authorization".to_string(),
                    format!("Bearer {}", token.expose()),
                ));
            }
        }
        headers.push(("User-Agent".to_string(), self.cfg.user_agent.clone()));
        let body = match self.body {
            Some((content_type, bytes)) => {
                headers.push(("Content-Type".to_string(), content_type.to_string()));
                bytes
            }
            None => Vec::new(),
        };
        Ok(HttpRequest {
            method: self.spec.method,
            url,
            headers,
            body,
            sensitive_body: self.spec.sensitive,
        })
    }
}
