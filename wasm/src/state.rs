//! A host's state store in JS: an object whose methods (sync or async) the
//! core's [`HostStore`] calls, one per operation; the core checks every
//! answer. A method that throws or rejects fails the work with `STATE`.

use crate::client::ContactsClient;
use crate::js;
use contacts_core::state::{HOST_OPERATIONS, HostCall, HostStore, StoreFuture, state_error};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The host's object, checked to have every method.
struct JsStateStore {
    object: JsValue,
}

impl HostCall for JsStateStore {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        Box::pin(async move {
            let fail = |what: String| state_error(format!("stateStore.{op}: {what}"));
            let f: js_sys::Function = js_sys::Reflect::get(&self.object, &op.into())
                .ok()
                .and_then(|f| f.dyn_into().ok())
                .ok_or_else(|| fail("is not a function".into()))?;
            let args: js_sys::Array = js::from_json(&args)
                .dyn_into()
                .map_err(|_| fail("arguments".into()))?;
            let returned = f
                .apply(&self.object, &args)
                .map_err(|e| fail(format!("threw {}", js::describe(&e))))?;
            let answer = JsFuture::from(js_sys::Promise::resolve(&returned))
                .await
                .map_err(|e| fail(format!("rejected {}", js::describe(&e))))?;
            js::to_json("answer", &answer)
                .map_err(|e| fail(format!("answered {}", js::describe(&e))))
        })
    }
}

#[wasm_bindgen]
impl ContactsClient {
    /// Gives the client the host's state store, for the composite actions
    /// that journal (`contacts.capture`): an object with `get`, `put`,
    /// `compareAndSet`, `delete`, `list` and `take` (sync or async; see
    /// `StateStoreObject` in the types). It is bound to the credentials'
    /// location on first use. Throws `INVALID_ARGUMENT` for an object that
    /// lacks a method, or credentials without a location.
    #[wasm_bindgen(js_name = setStateStore)]
    pub fn set_state_store(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StateStoreObject")] store: JsValue,
    ) -> Result<(), JsValue> {
        for method in HOST_OPERATIONS {
            let f = js_sys::Reflect::get(&store, &method.into()).unwrap_or(JsValue::UNDEFINED);
            if !f.is_function() {
                return Err(js::invalid(format!(
                    "the state store has no {method}() method"
                )));
            }
        }
        let store = HostStore(JsStateStore { object: store });
        self.set_state(std::sync::Arc::new(store))
    }
}
