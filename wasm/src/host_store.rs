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

impl HostCall for JsStateStore {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        Box::pin(async move {
            let fail = |what: String| state_error(format!("stateStore.{op}: {what}"));
            let unreachable =
                |what: String| Error::new(self.failure, format!("stateStore.{op}: {what}"));
            let f: js_sys::Function = js_sys::Reflect::get(&self.object, &op.into())
                .ok()
                .and_then(|f| f.dyn_into().ok())
                .ok_or_else(|| fail("is not a function".into()))?;
            let args: js_sys::Array = js::from_json(&args)
                .dyn_into()
                .map_err(|_| fail("arguments".into()))?;
            let returned = f
                .apply(&self.object, &args)
                .map_err(|e| unreachable(format!("threw {}", js::describe(&e))))?;
            let answer = JsFuture::from(js_sys::Promise::resolve(&returned))
                .await
                .map_err(|e| unreachable(format!("rejected {}", js::describe(&e))))?;
            js::to_json("answer", &answer)
                .map_err(|e| fail(format!("answered {}", js::describe(&e))))
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
