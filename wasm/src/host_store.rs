//! A host's store object in JS: an object whose methods (sync or async) the
//! core's [`HostStore`] calls, one per operation; the core checks every
//! answer. A method that throws or rejects fails the work with `STATE`
//! (the fleet's store: `FLEET_UNAVAILABLE`, and the fleet's policy applies).

use crate::js;
use contacts_core::state::{
    HOST_OPERATIONS, HostCall, HostStore, StateStore, StoreFuture, state_error,
};
use contacts_core::{Error, ErrorCode};
use serde_json::Value;
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The host's object, checked to have every method.
struct JsStateStore {
    object: JsValue,
    /// What a method that throws or rejects is: `STATE` for a state store;
    /// `FLEET_UNAVAILABLE` for the fleet's, so the fleet's policy applies.
    failure: ErrorCode,
}

/// How a host object's method call went wrong.
pub(crate) enum MethodFailure {
    /// Not a function, or an answer that is not JSON: the object's shape.
    Shape(String),
    /// It threw or rejected: the host's own failure.
    Failed(String),
}

/// Calls `object[op](...args)` (sync or async) and reads its answer as
/// JSON: the one way a host's object is asked, for state stores and sync
/// hosts.
pub(crate) async fn call_method(
    object: &JsValue,
    op: &str,
    args: &Value,
) -> Result<Value, MethodFailure> {
    let f: js_sys::Function = js_sys::Reflect::get(object, &op.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| MethodFailure::Shape("is not a function".into()))?;
    let args: js_sys::Array = js::from_json(args)
        .dyn_into()
        .map_err(|_| MethodFailure::Shape("arguments".into()))?;
    let returned = f
        .apply(object, &args)
        .map_err(|e| MethodFailure::Failed(format!("threw {}", js::describe(&e))))?;
    let answer = JsFuture::from(js_sys::Promise::resolve(&returned))
        .await
        .map_err(|e| MethodFailure::Failed(format!("rejected {}", js::describe(&e))))?;
    js::to_json("answer", &answer)
        .map_err(|e| MethodFailure::Shape(format!("answered {}", js::describe(&e))))
}

impl HostCall for JsStateStore {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        Box::pin(async move {
            call_method(&self.object, op, &args)
                .await
                .map_err(|failure| match failure {
                    MethodFailure::Shape(what) => state_error(format!("stateStore.{op}: {what}")),
                    MethodFailure::Failed(what) => {
                        Error::new(self.failure, format!("stateStore.{op}: {what}"))
                    }
                })
        })
    }
}

/// The host's store object as a [`StateStore`], checked to have every
/// method; `what` names it in the error.
pub(crate) fn host_store(
    what: &str,
    store: JsValue,
    failure: ErrorCode,
) -> Result<Arc<dyn StateStore>, JsValue> {
    for method in HOST_OPERATIONS {
        let f = js_sys::Reflect::get(&store, &method.into()).unwrap_or(JsValue::UNDEFINED);
        if !f.is_function() {
            return Err(js::invalid(format!("{what} has no {method}() method")));
        }
    }
    Ok(Arc::new(HostStore(JsStateStore {
        object: store,
        failure,
    })))
}
