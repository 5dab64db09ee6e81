//! The boundary with JavaScript: the glue's helpers, JSON in and out, and
//! core errors as `ContactsError` objects. Every value from JS is checked
//! here and refused with a typed error, never trusted.

use contacts_core::{Error, ErrorCode};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/glue.js")]
extern "C" {
    /// `ContactsError` (an `Error` subclass).
    pub type ContactsError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, fields: &JsValue) -> ContactsError;

    /// Resolves after `ms`, or when `signal` aborts.
    pub fn sleep(ms: f64, signal: &JsValue) -> js_sys::Promise;

    /// Whether `signal` has aborted.
    #[wasm_bindgen(js_name = isAborted)]
    pub fn is_aborted(signal: &JsValue) -> bool;

    /// One request's AbortController (caller's signal or timeout).
    pub type RequestAbort;
    #[wasm_bindgen(constructor)]
    pub fn new(user_signal: &JsValue, timeout_ms: f64) -> RequestAbort;
    #[wasm_bindgen(method, getter)]
    pub fn signal(this: &RequestAbort) -> web_sys::AbortSignal;
    #[wasm_bindgen(method, getter, js_name = timedOut)]
    pub fn timed_out(this: &RequestAbort) -> bool;
    #[wasm_bindgen(method, getter)]
    pub fn cancelled(this: &RequestAbort) -> bool;
    #[wasm_bindgen(method)]
    pub fn dispose(this: &RequestAbort);

    /// Wraps a `Pages` walker as an async iterable.
    #[wasm_bindgen(js_name = asyncIterable)]
    pub fn async_iterable(pages: JsValue) -> JsValue;

    /// A frozen object whose `methods[i]` calls `call(operations[i], …)`.
    #[wasm_bindgen(js_name = makeGroup)]
    pub fn make_group(call: &JsValue, methods: Vec<String>, operations: Vec<String>) -> JsValue;

    /// Any JS headers shape as `[name, value]` pairs; throws TypeError.
    #[wasm_bindgen(js_name = headerPairs, catch)]
    fn header_pairs(headers: &JsValue) -> Result<js_sys::Array, JsValue>;

    /// A body's raw bytes; throws TypeError.
    #[wasm_bindgen(js_name = bodyBytes, catch)]
    fn body_bytes(body: &JsValue) -> Result<js_sys::Uint8Array, JsValue>;

    /// Whether `Intl` knows IANA time zone `zone`, in its exact case.
    #[wasm_bindgen(js_name = isTimeZone)]
    fn is_time_zone_js(zone: &str) -> bool;
}

/// Whether `zone` is an IANA time zone name, as the JS engine's `Intl`
/// knows them (the core's `time::set_zone_checker`).
pub fn is_time_zone(zone: &str) -> bool {
    is_time_zone_js(zone)
}

#[cfg(feature = "runtime")]
#[wasm_bindgen(module = "/src/zones.js")]
extern "C" {
    /// IANA zone `zone`'s offset from UTC in seconds at Unix ms `at`, from
    /// `Intl`; `undefined` for a zone it does not know.
    #[wasm_bindgen(js_name = zoneOffsetSeconds)]
    fn zone_offset_seconds(zone: &str, at: f64) -> Option<f64>;
}

/// A time zone's offset at an instant, from the JS engine's `Intl` (so the
/// wasm carries no tz database). `None` for an unknown zone or an answer
/// that is not a whole number of seconds within a day. Runtime module only:
/// its composites are what read wall-clock times.
#[cfg(feature = "runtime")]
pub fn zone_offset_s(zone: &str, utc_ms: i64) -> Option<i32> {
    let seconds = zone_offset_seconds(zone, utc_ms as f64)?;
    (seconds.fract() == 0.0 && seconds.abs() < 86_400.0).then_some(seconds as i32)
}

/// The wall clock in Unix milliseconds: the one place the JS shell reads time.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// A core error as a thrown `ContactsError`.
pub fn error(e: &Error) -> JsValue {
    let fields = js_sys::Object::new();
    let set = |k: &str, v: JsValue| {
        // Setting a property on a fresh plain object cannot fail.
        let _ = js_sys::Reflect::set(&fields, &JsValue::from_str(k), &v);
    };
    set("code", e.code().as_str().into());
    if let Some(s) = e.http_status() {
        set("status", f64::from(s).into());
    }
    if let Some(ms) = e.retry_after_ms() {
        set("retryAfterMs", (ms as f64).into());
    }
    if e.daily() {
        set("daily", true.into());
    }
    if let Some(t) = e.trace_id() {
        set("traceId", t.into());
    }
    if let Some(s) = e.required_scope() {
        set("scope", s.into());
    }
    let messages: js_sys::Array = e.messages().iter().map(|m| JsValue::from_str(m)).collect();
    set("messages", messages.into());
    if let Some(raw) = e.raw_body() {
        set("rawBody", String::from_utf8_lossy(raw).as_ref().into());
    }
    ContactsError::new(&e.to_string(), &fields).into()
}

/// An `INVALID_ARGUMENT` error as a thrown `ContactsError`.
pub fn invalid(message: impl Into<String>) -> JsValue {
    error(&Error::new(ErrorCode::InvalidArgument, message))
}

/// A JS value (object, array, string, number, boolean, null) as JSON.
/// `undefined` is `null`; functions, symbols, BigInts and cycles are refused.
pub fn to_json(what: &str, value: &JsValue) -> Result<Value, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(Value::Null);
    }
    let text = js_sys::JSON::stringify(value)
        .map_err(|e| invalid(format!("{what} is not JSON: {}", describe(&e))))?;
    let text = text
        .as_string()
        .ok_or_else(|| invalid(format!("{what} is not JSON (a function or symbol?)")))?;
    serde_json::from_str(&text).map_err(|e| invalid(format!("{what} is not JSON: {e}")))
}

/// JSON as a plain JS value.
pub fn from_json(value: &Value) -> JsValue {
    // serde_json output is always valid JSON text, so the parse cannot fail.
    js_sys::JSON::parse(&value.to_string()).unwrap_or(JsValue::NULL)
}

/// A JS string argument, or `INVALID_ARGUMENT` naming it.
pub fn string(what: &str, value: &JsValue) -> Result<String, JsValue> {
    value
        .as_string()
        .ok_or_else(|| invalid(format!("{what} must be a string")))
}

/// The `[name, value]` pairs of any JS headers shape.
pub fn headers(value: &JsValue) -> Result<Vec<(String, String)>, JsValue> {
    let pairs = header_pairs(value).map_err(|e| invalid(format!("headers: {}", describe(&e))))?;
    Ok(pairs
        .iter()
        .map(|p| {
            let p = js_sys::Array::from(&p);
            (
                p.get(0).as_string().unwrap_or_default(),
                p.get(1).as_string().unwrap_or_default(),
            )
        })
        .collect())
}

/// The raw bytes of a body (string, Uint8Array/Buffer, ArrayBuffer).
pub fn bytes(what: &str, value: &JsValue) -> Result<Vec<u8>, JsValue> {
    body_bytes(value)
        .map(|a| a.to_vec())
        .map_err(|e| invalid(format!("{what}: {}", describe(&e))))
}

/// The message of a thrown JS value.
pub fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        return String::from(err.message());
    }
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// The `signal` of an options object (`{signal?: AbortSignal}`), or `undefined`.
pub fn signal_of(options: &JsValue) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Ok(JsValue::UNDEFINED);
    }
    if !options.is_object() {
        return Err(invalid("options must be an object like {signal}"));
    }
    let signal = js_sys::Reflect::get(options, &JsValue::from_str("signal"))
        .map_err(|e| invalid(format!("options.signal: {}", describe(&e))))?;
    if !(signal.is_undefined()
        || signal.is_null()
        || signal.is_instance_of::<web_sys::AbortSignal>())
    {
        return Err(invalid("options.signal must be an AbortSignal"));
    }
    Ok(signal)
}

/// A function argument that may be `null`/`undefined` (meaning "none").
pub fn optional_function(what: &str, value: JsValue) -> Result<Option<js_sys::Function>, JsValue> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    value
        .dyn_into::<js_sys::Function>()
        .map(Some)
        .map_err(|_| invalid(format!("{what} needs a function or null")))
}
