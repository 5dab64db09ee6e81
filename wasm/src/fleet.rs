//! Fleet mode in the runtime module: `config.fleet.store`, the host's store
//! object every process of the fleet shares (the package ships no Redis
//! client).

use crate::host_store::host_store;
use crate::js;
use contacts_core::ErrorCode;
use contacts_core::engine::Fleet;
use contacts_core::settings::ClientSettings;
use wasm_bindgen::prelude::*;

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
