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

mod calls;
mod custom_field_keys;
#[cfg(feature = "mapping")]
mod flow_runs;
#[cfg(feature = "schema")]
mod generate;
#[cfg(feature = "schema")]
mod settings;

pub use crate::ops::by_name::{Entry, JsonOp, entries, find};
pub use crate::schema::builtin::{DESCRIBE_NUL, describe};
pub use crate::schema::conform_event;
use crate::{Config, Error, HttpRequest, HttpResponse, Result};
#[cfg(feature = "mapping")]
pub use flow_runs::FlowPoll;
#[cfg(feature = "schema")]
pub use generate::generate;
use serde_json::Value;

/// Every action name in catalog order: the operations, then the composite
/// actions.
pub fn names() -> impl Iterator<Item = &'static str> {
    entries()
        .iter()
        .map(|e| e.spec.name)
        .chain(crate::actions::all().iter().map(|a| a.name))
}

/// The former names of operations that still work (each listed in the
/// catalog as an `aliases` entry of the operation it now names).
pub fn former_names() -> impl Iterator<Item = &'static str> {
    crate::ops::by_name::NAME_ALIASES
        .iter()
        .map(|(old, _)| *old)
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
    custom_field_keys::refuse_keys(name, params)?;
    find(name)?.decode(params)?.build(cfg)
}

/// Parses the response to operation `name` (built from `params`) into JSON.
pub fn parse(name: &str, params: &Value, resp: &HttpResponse) -> Result<Value> {
    find(name)?.decode(params)?.parse(resp)
}

/// Like [`parse`], but through the operation's Rust type, as JSON text
/// ([`JsonOp::parse_text`]): the typed route, for tests that hold the two
/// routes equal.
#[cfg(feature = "typed")]
pub fn parse_text(name: &str, params: &Value, resp: &HttpResponse) -> Result<String> {
    find(name)?.decode(params)?.parse_text(resp)
}

/// The params of the page after `output` (a result of [`parse`]), `None` at
/// the end. An operation without pages has no next page.
pub fn next_page(name: &str, params: &Value, output: &Value) -> Result<Option<Value>> {
    let entry = find(name)?;
    let Some(pages) = entry.page_rule() else {
        return Ok(None);
    };
    entry.decode(params)?;
    let output = crate::schema::conform_result(name, output.clone()).map_err(|e| {
        Error::invalid_argument(format!(
            "{name}: output is not a result of this operation: {e}"
        ))
    })?;
    crate::pagination::next_params(entry.spec, pages, params, &output)
}

/// Like [`build`], but through the operation's Rust type: the params are
/// decoded by serde into the typed operation first. For tests that hold the
/// schema route equal to serde's rules, and hosts that want that route.
#[cfg(feature = "typed")]
pub fn build_typed(name: &str, params: &Value, cfg: &Config) -> Result<HttpRequest> {
    find(name)?.decode_typed(params)?.build(cfg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_lists_every_name_in_order() {
        let all: Value = serde_json::from_str(describe()).unwrap();
        let actions = all["actions"].as_array().unwrap();
        let names: Vec<&str> = names().collect();
        assert_eq!(actions.len(), names.len());
        for (name, action) in names.into_iter().zip(actions) {
            assert_eq!(action["name"], name, "catalog order is names() order");
            let scopes = action["scopes"]
                .as_array()
                .expect("every entry lists its scopes");
            if let Some(scope) = action.get("scope").filter(|s| !s.is_null()) {
                assert!(scopes.contains(scope), "{name}: scopes holds its scope");
            }
        }
    }
}
