//! A host's state store in JS: an object whose methods (sync or async) the
//! core's state store calls. Everything it returns is checked; a method that
//! is missing, throws, rejects or answers the wrong shape fails the work
//! with `STATE` (fail closed). The rules are the core's `StateStore`.

use crate::client::ContactsClient;
use crate::js;
use contacts_core::Result;
use contacts_core::state::{
    Budget, StateStore, StoreFuture, Take, Versioned, check_key, state_error,
};
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// The host's object: `get(key, nowMs)`, `put(key, value, ttlMs, nowMs)`,
/// `compareAndSet(key, expectedVersion, value, ttlMs, nowMs)`,
/// `delete(key, nowMs)`, `list(prefix, limit, nowMs)` and
/// `take(key, units, {limit, windowMs}, nowMs)`.
pub(crate) struct JsStateStore {
    object: JsValue,
}

impl JsStateStore {
    /// `object`, checked to have every method.
    pub(crate) fn new(object: JsValue) -> std::result::Result<JsStateStore, JsValue> {
        for method in ["get", "put", "compareAndSet", "delete", "list", "take"] {
            let f = js_sys::Reflect::get(&object, &method.into()).unwrap_or(JsValue::UNDEFINED);
            if !f.is_function() {
                return Err(js::invalid(format!(
                    "the state store has no {method}() method"
                )));
            }
        }
        Ok(JsStateStore { object })
    }

    /// Calls `method` with `args` (JSON), awaiting a promise, and reads the
    /// answer as JSON.
    async fn invoke(&self, method: &str, args: Value) -> Result<Value> {
        let fail = |what: String| state_error(format!("stateStore.{method}: {what}"));
        let f: js_sys::Function = js_sys::Reflect::get(&self.object, &method.into())
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| fail("is not a function".into()))?;
        let args: js_sys::Array = match js::from_json(&args).dyn_into() {
            Ok(a) => a,
            Err(_) => return Err(fail("arguments".into())),
        };
        let returned = f
            .apply(&self.object, &args)
            .map_err(|e| fail(format!("threw {}", js::describe(&e))))?;
        let answer = JsFuture::from(js_sys::Promise::resolve(&returned))
            .await
            .map_err(|e| fail(format!("rejected {}", js::describe(&e))))?;
        js::to_json("answer", &answer).map_err(|e| fail(format!("answered {}", js::describe(&e))))
    }
}

fn shape(method: &str, expected: &str, got: &Value) -> contacts_core::Error {
    state_error(format!(
        "stateStore.{method} answered {got}, not {expected}"
    ))
}

fn versioned(method: &str, v: &Value) -> Result<Versioned> {
    match (v.get("value"), v.get("version").and_then(Value::as_u64)) {
        (Some(value), Some(version)) => Ok(Versioned {
            value: value.clone(),
            version,
        }),
        _ => Err(shape(method, "{value, version}", v)),
    }
}

impl StateStore for JsStateStore {
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>> {
        Box::pin(async move {
            check_key(key)?;
            let v = self.invoke("get", json!([key, now_ms])).await?;
            if v.is_null() {
                Ok(None)
            } else {
                versioned("get", &v).map(Some)
            }
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            check_key(key)?;
            let v = self
                .invoke("put", json!([key, value, ttl_ms, now_ms]))
                .await?;
            v.as_u64()
                .ok_or_else(|| shape("put", "a version number", &v))
        })
    }

    fn compare_and_set<'a>(
        &'a self,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<u64>> {
        Box::pin(async move {
            check_key(key)?;
            let v = self
                .invoke(
                    "compareAndSet",
                    json!([key, expected, value, ttl_ms, now_ms]),
                )
                .await?;
            match v {
                Value::Null => Ok(None),
                other => other
                    .as_u64()
                    .map(Some)
                    .ok_or_else(|| shape("compareAndSet", "a version or null", &other)),
            }
        })
    }

    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            check_key(key)?;
            let v = self.invoke("delete", json!([key, now_ms])).await?;
            v.as_bool()
                .ok_or_else(|| shape("delete", "true or false", &v))
        })
    }

    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move {
            let v = self.invoke("list", json!([prefix, limit, now_ms])).await?;
            let items = v
                .as_array()
                .ok_or_else(|| shape("list", "an array of {key, value, version}", &v))?;
            items
                .iter()
                .map(|item| {
                    let key = item
                        .get("key")
                        .and_then(Value::as_str)
                        .ok_or_else(|| shape("list", "{key, value, version}", item))?;
                    if !key.starts_with(prefix) {
                        return Err(shape(
                            "list",
                            &format!("keys starting with {prefix:?}"),
                            item,
                        ));
                    }
                    Ok((key.to_owned(), versioned("list", item)?))
                })
                .take(limit)
                .collect()
        })
    }

    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take> {
        Box::pin(async move {
            check_key(key)?;
            let args =
                json!([key, units, {"limit": budget.limit, "windowMs": budget.window_ms}, now_ms]);
            let v = self.invoke("take", args).await?;
            match (
                v.get("granted").and_then(Value::as_bool),
                v.get("remaining").and_then(Value::as_u64),
                v.get("resetsAtMs").and_then(Value::as_u64),
            ) {
                (Some(granted), Some(remaining), Some(resets_at_ms)) => Ok(Take {
                    granted,
                    remaining,
                    resets_at_ms,
                }),
                _ => Err(shape("take", "{granted, remaining, resetsAtMs}", &v)),
            }
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
    ) -> std::result::Result<(), JsValue> {
        let store = JsStateStore::new(store)?;
        self.set_state(std::sync::Arc::new(store))
    }
}
