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
        let (params, render_keys) = self.custom_field_keys(name, params).await?;
        let mut result = match crate::actions::find(name) {
            Some(action) => action.run(self, params).await?,
            None => self.run(JsonCall::new(name, params)?).await?,
        };
        if let Some(location) = render_keys {
            self.render_custom_field_keys(location.as_deref(), &mut result)
                .await?;
        }
        Ok(result)
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
