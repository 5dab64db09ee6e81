//! The driver's calls by catalog name: an operation or a composite action,
//! with JSON in and out. Here rather than in the driver, because the names
//! span the composite actions, which are themselves written on the driver.

use crate::driver::{Driver, PageWalk, Transport};
use crate::engine::JsonCall;
use crate::{Error, Result};
use serde_json::Value;

impl<T: Transport> Driver<T> {
    /// Runs catalog entry `name` with JSON `params`, returning JSON: an
    /// operation (one engine call) or a composite action (many).
    ///
    /// Errors: InvalidArgument for an unknown name or bad params (nothing is
    /// sent), then whatever the calls end with.
    pub async fn call(&self, name: &str, params: Value) -> Result<Value> {
        let params = self.resolve_custom_field_keys(name, params).await?;
        match crate::actions::find(name) {
            Some(action) => action.run(self, params).await,
            None => self.run(JsonCall::new(name, params)?).await,
        }
    }

    /// Custom fields given by key (`{"key": "contact.shirt_size",
    /// "fieldValue": "M"}`) in a contact write's params, turned into ids
    /// through the location's definitions (kept for `customFieldsTtlMs`;
    /// a cold copy costs one request, a key it lacks one more fetch), each
    /// value checked against its field's type first. Without feature
    /// `mapping` (the npm package's main module) keys are refused.
    async fn resolve_custom_field_keys(&self, name: &str, mut params: Value) -> Result<Value> {
        if super::custom_field_keys::keys_in(name, &params).is_empty() {
            return Ok(params);
        }
        #[cfg(feature = "mapping")]
        {
            let location = params
                .get("locationId")
                .or_else(|| params.get("contact").and_then(|c| c.get("locationId")))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let defs = self.custom_fields(location.as_deref(), false).await?;
            if let Err(_unknown) = super::custom_field_keys::resolve_keys(name, &mut params, &defs)?
            {
                let defs = self.custom_fields(location.as_deref(), true).await?;
                if let Err(key) = super::custom_field_keys::resolve_keys(name, &mut params, &defs)?
                {
                    return Err(Error::invalid_argument(format!(
                        "{name}: {}",
                        defs.unknown_key(&key)
                    )));
                }
            }
            Ok(params)
        }
        #[cfg(not(feature = "mapping"))]
        {
            let _ = &mut params;
            Err(Error::invalid_argument(format!(
                "{name}: custom fields by key need the location's definitions, which the runtime resolves: use libcontacts/runtime (or await loadRuntime()), or pass the field's id"
            )))
        }
    }

    /// A walk through the pages of catalog operation `name` from `params`.
    ///
    /// Errors with InvalidArgument, before anything is sent, for an unknown
    /// name, bad params, or an operation that has no pages.
    pub fn pages_json(&self, name: &str, params: Value) -> Result<PageWalk<T, JsonCall>> {
        let no_pages = || Error::invalid_argument(format!("{name} has no pages"));
        if crate::actions::find(name).is_some() {
            return Err(no_pages());
        }
        let first = JsonCall::new(name, params)?;
        if !first.entry().is_paginated() {
            return Err(no_pages());
        }
        Ok(self.pages(first))
    }
}
