//! A host's state store in JS: an object whose methods (sync or async) the
//! core's [`HostStore`] calls, one per operation; the core checks every
//! answer. A method that throws or rejects fails the work with `STATE`
//! (the fleet's store: `FLEET_UNAVAILABLE`, and the fleet's policy applies).

use crate::client::ContactsClient;
use crate::js;
use contacts_core::engine::Fleet;
use contacts_core::settings::ClientSettings;
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
        self.set_state(host_store("the state store", store, ErrorCode::State)?)
    }
}

/// The host's store object as a [`StateStore`], checked to have every
/// method; `what` names it in the error.
fn host_store(
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

/// `config` without `config.fleet.store` (an object of methods, not JSON),
/// and that store. The config is copied, never changed.
pub(crate) fn split_fleet_store(config: &JsValue) -> (JsValue, Option<JsValue>) {
    let get =
        |o: &JsValue, k: &str| js_sys::Reflect::get(o, &k.into()).unwrap_or(JsValue::UNDEFINED);
    let fleet = if config.is_object() {
        get(config, "fleet")
    } else {
        JsValue::UNDEFINED
    };
    let store = if fleet.is_object() {
        get(&fleet, "store")
    } else {
        JsValue::UNDEFINED
    };
    if store.is_undefined() {
        return (config.clone(), None);
    }
    let copy = |o: &JsValue| js_sys::Object::assign(&js_sys::Object::new(), o.unchecked_ref());
    let fleet_copy = copy(&fleet);
    let config_copy = copy(config);
    // Both are plain objects made here: setting and deleting cannot throw.
    let _ = js_sys::Reflect::delete_property(&fleet_copy, &"store".into());
    let _ = js_sys::Reflect::set(&config_copy, &"fleet".into(), &fleet_copy);
    (config_copy.into(), Some(store))
}

/// The engine's fleet from the config's `fleet` and its `store` object.
///
/// Errors: `INVALID_ARGUMENT` for a `redisUrl` (this package ships no Redis
/// client), a missing store or one that lacks a method, and credentials
/// without a location.
pub(crate) fn open_fleet(
    settings: &mut ClientSettings,
    store: Option<JsValue>,
) -> Result<Option<Fleet>, JsValue> {
    let Some(fleet) = settings.take_fleet() else {
        return Ok(None);
    };
    if fleet.redis_url.is_some() {
        return Err(js::invalid(
            "config.fleet.redisUrl: this package ships no Redis client; give config.fleet.store, a store object over the host's own (StateStoreObject)",
        ));
    }
    let store = store.ok_or_else(|| {
        js::invalid("config.fleet.store is required: the store object every process of the fleet shares (StateStoreObject)")
    })?;
    let store = host_store("config.fleet.store", store, ErrorCode::FleetUnavailable)?;
    fleet
        .with_store(store, settings.credentials())
        .map(Some)
        .map_err(|e| js::error(&e))
}
