//! What the engine can call: a typed operation, or a catalog operation read
//! from JSON once.

use crate::ops::by_name::{self, Entry, JsonOp};
use crate::{HttpRequest, HttpResponse, OpSpec, Operation, Result};
use serde_json::Value;
use std::sync::Arc;

/// Something the engine can call: a typed [`Operation`] or a [`JsonCall`].
pub trait ApiCall: Send {
    /// The result.
    type Output;
    /// The operation's facts (idempotency, scope, …).
    fn spec(&self) -> OpSpec;
    /// Builds the request (without credentials).
    fn build(&self, cfg: &crate::Config) -> Result<HttpRequest>;
    /// Parses the final response.
    fn parse(&self, resp: &HttpResponse) -> Result<Self::Output>;
}

impl<O: Operation + Send> ApiCall for O {
    type Output = O::Output;
    fn spec(&self) -> OpSpec {
        O::SPEC
    }
    fn build(&self, cfg: &crate::Config) -> Result<HttpRequest> {
        Operation::build(self, cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<O::Output> {
        Operation::parse(self, resp)
    }
}

/// An operation by catalog name with JSON params; its output is JSON. The
/// params are decoded once, when it is made.
#[derive(Clone)]
pub struct JsonCall {
    entry: &'static Entry,
    params: Value,
    op: Arc<dyn JsonOp>,
}

impl std::fmt::Debug for JsonCall {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JsonCall")
            .field("name", &self.entry.spec.name)
            .field("params", &self.params)
            .finish()
    }
}

impl JsonCall {
    /// Looks up `name` and decodes `params` into the operation. Errors with
    /// InvalidArgument for an unknown name or bad params (see [`catalog::build`]).
    pub fn new(name: &str, params: Value) -> Result<JsonCall> {
        JsonCall::of(by_name::find(name)?, params)
    }

    /// `entry`'s call with `params` (read as [`JsonCall::new`] does).
    pub(crate) fn of(entry: &'static Entry, params: Value) -> Result<JsonCall> {
        let op = entry.decode(&params)?.into();
        Ok(JsonCall { entry, params, op })
    }

    /// Its catalog entry.
    pub fn entry(&self) -> &'static Entry {
        self.entry
    }

    /// The catalog name.
    pub fn name(&self) -> &'static str {
        self.entry.spec.name
    }

    /// The params.
    pub fn params(&self) -> &Value {
        &self.params
    }
}

impl ApiCall for JsonCall {
    type Output = Value;
    fn spec(&self) -> OpSpec {
        *self.entry.spec
    }
    fn build(&self, cfg: &crate::Config) -> Result<HttpRequest> {
        self.op.build(cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<Value> {
        self.op.parse(resp)
    }
}
