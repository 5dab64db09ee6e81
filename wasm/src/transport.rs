//! Sends one engine request with `fetch` (gloo-net) and classifies what
//! went wrong for the engine. No retry, wait or credential logic lives here.

use crate::js::{self, RequestAbort};
use contacts_core::HttpResponse;
use contacts_core::engine::{Outgoing, TransportError, TransportErrorKind};
use gloo_net::http::{Headers, Method, RequestBuilder};
use wasm_bindgen::JsValue;

/// How a send ended when it did not produce a response.
pub enum Failure {
    /// The caller's AbortSignal fired.
    Cancelled,
    /// A transport failure for the engine to judge.
    Transport(TransportError),
}

/// Sends `out`, giving up after its timeout or when `signal` aborts.
pub async fn send(out: &Outgoing, signal: &JsValue) -> Result<HttpResponse, Failure> {
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
