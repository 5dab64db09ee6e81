//! Two-way sync for JS (runtime module): `client.syncPassWith(template,
//! host, settings, phones, options)` runs one pass through the core, the
//! host side a JS object with `changes`, `upsert` and `delete` (sync or
//! async; the package's `client.syncPass` passes the phone module for a
//! template that reads phones), and `options.notes` and
//! `options.appointments` objects of the same shape for those kinds. The
//! core reads every answer and the options' field names; a method that
//! throws or rejects stops the pass with `HOST`.

use crate::client::{ContactsClient, driver};
use crate::host_store::{MethodFailure, call_method};
use crate::js;
use crate::mapping::JsPhones;
use contacts_core::mapping::PhoneNumbers;
use contacts_core::state::{HostCall, StoreFuture};
use contacts_core::sync::{
    HOST_ADAPTER_OPERATIONS, HostAdapter, HostCallAdapter, Progress, RecordFields, SyncHosts,
    SyncSettings,
};
use contacts_core::{Error, ErrorCode};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// The host's object, checked to have every method.
struct JsSyncHost {
    object: JsValue,
}

impl HostCall for JsSyncHost {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        Box::pin(async move {
            call_method(&self.object, op, &args)
                .await
                .map_err(|failure| {
                    let (MethodFailure::Shape(what) | MethodFailure::Failed(what)) = failure;
                    Error::new(ErrorCode::Host, format!("syncHost.{op}: {what}"))
                })
        })
    }
}

#[wasm_bindgen]
impl ContactsClient {
    /// One pass of a two-way sync between `host` and this client's
    /// location (use the package's `client.syncPass`, which passes the
    /// phone reader): resolves to the report. `options.onProgress({phase,
    /// done, total})` is called as it goes; `options.signal` cuts it short
    /// (the state stays where the last committed record left it). Rejects
    /// with `INVALID_ARGUMENT` for a bad template or settings or a client
    /// with no state store, `HOST` when the host's method threw, rejected
    /// or answered what it may not, `STATE` for a state store of another
    /// template.
    #[wasm_bindgen(js_name = syncPassWith, unchecked_return_type = "Promise<SyncReport>")]
    pub fn sync_pass_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MappingTemplate")] template: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SyncHost")] host: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SyncSettings")] settings: JsValue,
        phones: Option<js_sys::Function>,
        #[wasm_bindgen(unchecked_param_type = "SyncOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let inner = self.inner.clone();
        future_to_promise(async move {
            let template = js::to_json("template", &template)?;
            let settings = SyncSettings::from_json(&js::to_json("settings", &settings)?)
                .map_err(|e| js::error(&e))?;
            for method in HOST_ADAPTER_OPERATIONS {
                let f = js_sys::Reflect::get(&host, &method.into()).unwrap_or(JsValue::UNDEFINED);
                if !f.is_function() {
                    return Err(js::invalid(format!(
                        "the sync host has no {method}() method"
                    )));
                }
            }
            let signal = js::signal_of(&options)?;
            let on_progress = match options.is_object() {
                true => js_sys::Reflect::get(&options, &"onProgress".into())
                    .unwrap_or(JsValue::UNDEFINED),
                false => JsValue::UNDEFINED,
            };
            let on_progress = js::optional_function("options.onProgress", on_progress)?;
            let tell = move |p: &Progress| {
                if let Some(f) = &on_progress {
                    let total = p
                        .total
                        .map_or(JsValue::NULL, |t| JsValue::from_f64(t as f64));
                    let arg = js::from_json(&serde_json::json!({"phase": p.phase, "done": p.done}));
                    let _ = js_sys::Reflect::set(&arg, &"total".into(), &total);
                    let _ = f.call1(&JsValue::NULL, &arg);
                }
            };
            let phones = phones.map(JsPhones);
            let phones = phones.as_ref().map(|p| p as &dyn PhoneNumbers);
            let adapter = HostCallAdapter(JsSyncHost { object: host });
            let notes = kind_host(&options, "notes")?;
            let appointments = kind_host(&options, "appointments")?;
            let fields =
                RecordFields::from_json(&record_fields(&options)?).map_err(|e| js::error(&e))?;
            let hosts = SyncHosts::with_fields(
                &adapter,
                notes.as_ref().map(|a| a as &dyn HostAdapter),
                appointments.as_ref().map(|a| a as &dyn HostAdapter),
                &fields,
            );
            let report = driver(&inner, signal)
                .sync_pass_with(&template, hosts, &settings, phones, tell)
                .await
                .map_err(|e| js::error(&e))?;
            Ok(js::from_json(&report.to_json()))
        })
    }
}

/// `options[kind]`'s `host` (`notes`, `appointments`), checked to have
/// every method; `None` when the kind is not given.
fn kind_host(
    options: &JsValue,
    kind: &str,
) -> Result<Option<HostCallAdapter<JsSyncHost>>, JsValue> {
    let given = kind_options(options, kind);
    if given.is_undefined() || given.is_null() {
        return Ok(None);
    }
    let host = js_sys::Reflect::get(&given, &"host".into()).unwrap_or(JsValue::UNDEFINED);
    for method in HOST_ADAPTER_OPERATIONS {
        let f = js_sys::Reflect::get(&host, &method.into()).unwrap_or(JsValue::UNDEFINED);
        if !f.is_function() {
            return Err(js::invalid(format!(
                "options.{kind}.host has no {method}() method"
            )));
        }
    }
    Ok(Some(HostCallAdapter(JsSyncHost { object: host })))
}

fn kind_options(options: &JsValue, kind: &str) -> JsValue {
    match options.is_object() {
        true => js_sys::Reflect::get(options, &kind.into()).unwrap_or(JsValue::UNDEFINED),
        false => JsValue::UNDEFINED,
    }
}

/// The options' record fields as the core reads them (`RecordFields`):
/// each kind's members but its `host`.
fn record_fields(options: &JsValue) -> Result<Value, JsValue> {
    let mut out = serde_json::Map::new();
    for kind in ["notes", "appointments"] {
        let given = kind_options(options, kind);
        if !given.is_object() {
            continue;
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), given.unchecked_ref());
        let _ = js_sys::Reflect::delete_property(&copy, &"host".into());
        out.insert(
            kind.to_owned(),
            js::to_json(&format!("options.{kind}"), &copy)?,
        );
    }
    Ok(Value::Object(out))
}
