//! Sends one engine request and classifies what went wrong for the engine:
//! through `fetch` (gloo-net) by default, or through a host function set
//! with `setTransport` (the Node entry installs one on `node:http`, which
//! costs far less CPU than Node's fetch). No retry, wait or credential logic
//! lives here.

use crate::js::{self, RequestAbort};
use contacts_core::HttpResponse;
use contacts_core::driver::{DetachedTask, SendError, Transport};
use contacts_core::engine::{Outgoing, TransportError, TransportErrorKind};
use gloo_net::http::{Headers, Method, RequestBuilder};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    static HOST: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// Replaces how requests are sent: `send(method, url, headers, body,
/// timeoutMs, signal)` resolving `[status, headers, body]` (headers as a
/// flat `[name, value, …]` array, or one string of alternating name and
/// value lines; body a `Uint8Array`) or rejecting with
/// `{kind, message}` (`kind`: `connect` when nothing was sent, `timeout`,
/// `io`, `cancelled`). `null` restores `fetch`. Under Node the package
/// installs a `node:http` transport; use this for proxies, tests or
/// runtimes with their own HTTP. Applies to every client.
#[wasm_bindgen(js_name = setTransport)]
pub fn set_transport(
    #[wasm_bindgen(
        unchecked_param_type = "((method: string, url: string, headers: string[], body: Uint8Array | null, timeoutMs: number, signal: AbortSignal | undefined) => Promise<[number, string[] | string, Uint8Array]>) | null"
    )]
    send: JsValue,
) -> Result<(), JsValue> {
    let f = js::optional_function("setTransport", send)?;
    HOST.with(|h| *h.borrow_mut() = f);
    Ok(())
}

/// The JS platform for the driver: `fetch` or the host's transport, timers,
/// `Date.now()`, `Intl`'s time zone offsets, `spawn_local`, and the caller's `AbortSignal`, which the
/// driver checks before every step (an aborted call ends with `CANCELLED`).
#[derive(Clone)]
pub struct JsTransport {
    signal: JsValue,
}

impl JsTransport {
    /// Sends with `signal` (an `AbortSignal`, or `undefined` for none).
    pub fn new(signal: JsValue) -> Self {
        JsTransport { signal }
    }
}

impl Transport for JsTransport {
    async fn send(&self, out: Outgoing) -> Result<HttpResponse, SendError> {
        send(&out, &self.signal).await.map_err(|f| match f {
            Failure::Cancelled => SendError::Cancelled,
            Failure::Transport(t) => SendError::Transport(t),
        })
    }

    async fn sleep(&self, ms: u64) {
        // Resolves on abort too; the driver then sees `cancelled()`.
        let _ = JsFuture::from(js::sleep(ms as f64, &self.signal)).await;
    }

    fn now_ms(&self) -> u64 {
        js::now_ms()
    }

    fn spawn_detached(&self, task: DetachedTask) -> Result<(), DetachedTask> {
        wasm_bindgen_futures::spawn_local(task);
        Ok(())
    }

    fn detached(&self) -> Self {
        JsTransport::new(JsValue::UNDEFINED)
    }

    fn cancelled(&self) -> bool {
        js::is_aborted(&self.signal)
    }

    #[cfg(feature = "runtime")]
    fn zone_offset_s(&self, zone: &str, utc_ms: i64) -> Option<i32> {
        js::zone_offset_s(zone, utc_ms)
    }
}

/// How a send ended when it did not produce a response.
pub enum Failure {
    /// The caller's AbortSignal fired.
    Cancelled,
    /// A transport failure for the engine to judge.
    Transport(TransportError),
}

/// Sends `out`, giving up after its timeout or when `signal` aborts.
pub async fn send(out: &Outgoing, signal: &JsValue) -> Result<HttpResponse, Failure> {
    if let Some(host) = HOST.with(|h| h.borrow().clone()) {
        return send_host(&host, out, signal).await;
    }
    let abort = RequestAbort::new(signal, out.timeout_ms.max(1) as f64);
    let result = send_with(out, &abort).await;
    abort.dispose();
    match result {
        Ok(r) => Ok(r),
        Err(_) if abort.cancelled() => Err(Failure::Cancelled),
        Err(e) if abort.timed_out() => Err(Failure::Transport(TransportError::new(
            TransportErrorKind::Timeout,
            format!("no answer within {} ms ({})", out.timeout_ms, e.message),
        ))),
        Err(e) => Err(Failure::Transport(e)),
    }
}

async fn send_with(out: &Outgoing, abort: &RequestAbort) -> Result<HttpResponse, TransportError> {
    let req = &out.request;
    let refuse = |m: String| TransportError::new(TransportErrorKind::Connect, m);
    let method =
        Method::from_bytes(req.method.as_str().as_bytes()).map_err(|e| refuse(e.to_string()))?;
    let raw = web_sys::Headers::new().map_err(|e| refuse(js::describe(&e)))?;
    for (name, value) in &req.headers {
        // Browsers refuse to let scripts set the user agent; fetch sends its own.
        if name.eq_ignore_ascii_case("user-agent") {
            continue;
        }
        raw.append(name, value)
            .map_err(|e| refuse(format!("header {name}: {}", js::describe(&e))))?;
    }
    let signal = abort.signal();
    let builder = RequestBuilder::new(&req.url)
        .method(method)
        .headers(Headers::from_raw(raw))
        .abort_signal(Some(&signal));
    let request = if req.body.is_empty() {
        builder.build()
    } else {
        builder.body(js_sys::Uint8Array::from(req.body.as_slice()))
    }
    .map_err(|e| refuse(e.to_string()))?;
    // fetch rejects only on network failure, after which the request may or
    // may not have reached the server: the engine treats Io accordingly.
    let io = |e: gloo_net::Error| TransportError::new(TransportErrorKind::Io, e.to_string());
    let resp = request.send().await.map_err(io)?;
    let status = resp.status();
    let headers = resp.headers().entries().collect();
    let body = resp.binary().await.map_err(io)?;
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

/// Sends through the host's transport function.
async fn send_host(
    host: &js_sys::Function,
    out: &Outgoing,
    signal: &JsValue,
) -> Result<HttpResponse, Failure> {
    let req = &out.request;
    let headers = js_sys::Array::new();
    for (name, value) in &req.headers {
        headers.push(&JsValue::from_str(name));
        headers.push(&JsValue::from_str(value));
    }
    let body = if req.body.is_empty() {
        JsValue::NULL
    } else {
        js_sys::Uint8Array::from(req.body.as_slice()).into()
    };
    let args = js_sys::Array::new();
    args.push(&req.method.as_str().into());
    args.push(&req.url.as_str().into());
    args.push(&headers);
    args.push(&body);
    args.push(&(out.timeout_ms.max(1) as f64).into());
    args.push(signal);
    let io = |kind, m: String| Failure::Transport(TransportError::new(kind, m));
    let promise = host
        .apply(&JsValue::NULL, &args)
        .map_err(|e| io(TransportErrorKind::Connect, js::describe(&e)))?;
    let answer = JsFuture::from(js_sys::Promise::resolve(&promise))
        .await
        .map_err(|e| {
            let field = |k: &str| {
                js_sys::Reflect::get(&e, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            let message = field("message").unwrap_or_else(|| js::describe(&e));
            match field("kind").as_deref() {
                Some("cancelled") => Failure::Cancelled,
                Some("connect") => io(TransportErrorKind::Connect, message),
                Some("timeout") => io(TransportErrorKind::Timeout, message),
                _ => io(TransportErrorKind::Io, message),
            }
        })?;
    let answer = js_sys::Array::from(&answer);
    let status = answer
        .get(0)
        .as_f64()
        .filter(|s| (100.0..=599.0).contains(s))
        .ok_or_else(|| {
            io(
                TransportErrorKind::Io,
                "the transport gave no HTTP status".into(),
            )
        })?;
    let raw = answer.get(1);
    let headers = match raw.as_string() {
        // One string of alternating name and value lines: one copy into
        // wasm instead of one per header (HTTP forbids newlines in both).
        Some(lines) => {
            let mut it = lines.split('\n');
            std::iter::from_fn(|| Some((it.next()?.to_string(), it.next()?.to_string()))).collect()
        }
        None => {
            let flat = js_sys::Array::from(&raw);
            (0..flat.length() / 2)
                .map(|i| {
                    (
                        flat.get(2 * i).as_string().unwrap_or_default(),
                        flat.get(2 * i + 1).as_string().unwrap_or_default(),
                    )
                })
                .collect()
        }
    };
    let body = answer
        .get(2)
        .dyn_into::<js_sys::Uint8Array>()
        .map(|b| b.to_vec())
        .map_err(|_| {
            io(
                TransportErrorKind::Io,
                "the transport gave no body bytes".into(),
            )
        })?;
    Ok(HttpResponse {
        status: status as u16,
        headers,
        body,
    })
}
