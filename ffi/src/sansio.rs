//! The sans-IO path, for hosts with their own HTTP stack: build a request,
//! send it however you like, hand the response back, get the parsed result.

use crate::boundary::{boundary, getter};
use crate::checked;
use crate::error::{contacts_code, contacts_error};
use crate::result::contacts_result;
use crate::views::{contacts_bytes, contacts_header, contacts_header_in, contacts_str};
use contacts_core::settings::BuildSettings;
use contacts_core::{HttpResponse, catalog};
use serde_json::Value;
use std::ffi::CString;
use std::os::raw::c_char;

/// A built request, remembering its operation so the response is parsed by
/// the right one. Owned by the caller: free with `contacts_request_free`.
/// Use from one thread at a time.
pub struct contacts_request {
    name: &'static str,
    params: Value,
    method: CString,
    url: CString,
    headers: Vec<(CString, CString)>,
    body: Vec<u8>,
}

/// An HTTP response, borrowed for the duration of the call that takes it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct contacts_http_response {
    /// The status code.
    pub status: u16,
    /// The headers (may be NULL when `headers_len` is 0).
    pub headers: *const contacts_header_in,
    /// How many headers.
    pub headers_len: usize,
    /// The body bytes (may be NULL when `body_len` is 0).
    pub body: *const u8,
    /// The body length.
    pub body_len: usize,
}

fn cs(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

/// Builds (does not send) the request for operation `name` with JSON params.
/// `config_json` (may be NULL/0 for the defaults) is `{"baseUrl": …,
/// "token": …, "versionOverrides": {…}}`; with a token the request carries
/// `Authorization: Bearer`. On success `*request_out` is owned by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_build(
    config_json: *const c_char,
    config_len: usize,
    name: *const c_char,
    name_len: usize,
    params_json: *const c_char,
    params_len: usize,
    request_out: *mut *mut contacts_request,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("request_out", request_out)?;
        let cfg_v = checked::json("config_json", config_json, config_len)?;
        let cfg = BuildSettings::config_from_json(&cfg_v)?;
        let name = checked::text("name", name, name_len)?;
        let entry = catalog::find(name)?;
        let params = checked::json("params_json", params_json, params_len)?;
        let req = catalog::build(entry.spec.name, &params, &cfg)?;
        let built = contacts_request {
            name: entry.spec.name,
            params,
            method: cs(req.method.as_str()),
            url: cs(&req.url),
            headers: req.headers.iter().map(|(k, v)| (cs(k), cs(v))).collect(),
            body: req.body,
        };
        out.put(Box::new(built));
        Ok(())
    })
}

/// The method (`GET`, …). Borrowed until the request is freed; empty for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_method(request: *const contacts_request) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(request).map_or(contacts_str::empty(), |r| contacts_str::of(&r.method))
    })
}

/// The absolute URL. Borrowed until the request is freed; empty for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_url(request: *const contacts_request) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(request).map_or(contacts_str::empty(), |r| contacts_str::of(&r.url))
    })
}

/// How many headers to send; 0 for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_header_count(request: *const contacts_request) -> usize {
    getter(0, || checked::peek(request).map_or(0, |r| r.headers.len()))
}

/// Header `index` (name and value, borrowed until the request is freed); two
/// empty strings when `index` is out of range or `request` is NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_header(
    request: *const contacts_request,
    index: usize,
) -> contacts_header {
    let empty = contacts_header {
        name: contacts_str::empty(),
        value: contacts_str::empty(),
    };
    getter(empty, || {
        match checked::peek(request).and_then(|r| r.headers.get(index)) {
            Some((k, v)) => contacts_header {
                name: contacts_str::of(k),
                value: contacts_str::of(v),
            },
            None => empty,
        }
    })
}

/// The body bytes (length 0 when there is none). Borrowed until the request is freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_body(request: *const contacts_request) -> contacts_bytes {
    let empty = contacts_bytes {
        ptr: std::ptr::null(),
        len: 0,
    };
    getter(empty, || match checked::peek(request) {
        Some(r) => contacts_bytes {
            ptr: r.body.as_ptr(),
            len: r.body.len(),
        },
        None => empty,
    })
}

/// Parses the response to `request` into a JSON result, or classifies the
/// error (code, HTTP status, retry-after, trace id, required scope). The
/// response is borrowed for the call; what is kept is copied.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_parse_response(
    request: *const contacts_request,
    response: *const contacts_http_response,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let req = checked::handle("request", request)?;
        let resp = checked::handle("response", response)?;
        let out = checked::out("result_out", result_out)?;
        let headers = checked::headers("response->headers", resp.headers, resp.headers_len)?;
        let body = checked::bytes("response->body", resp.body, resp.body_len)?.to_vec();
        let parsed = catalog::parse(
            req.name,
            &req.params,
            &HttpResponse {
                status: resp.status,
                headers,
                body,
            },
        )?;
        out.put(contacts_result::new(&parsed));
        Ok(())
    })
}

/// The params of the page after `result` (a result of `request`'s operation),
/// as a result holding JSON params; `*next_params_out` is NULL at the end.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_next_page(
    request: *const contacts_request,
    result: *const contacts_result,
    next_params_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let req = checked::handle("request", request)?;
        let res = checked::handle("result", result)?;
        let out = checked::out("next_params_out", next_params_out)?;
        let output: Value = serde_json::from_str(res.json_str())
            .map_err(|e| contacts_error::new(contacts_code::InvalidJson, &e.to_string()))?;
        out.put_option(
            catalog::next_page(req.name, &req.params, &output)?
                .map(|next| contacts_result::new(&next)),
        );
        Ok(())
    })
}

/// Frees a request. NULL is fine; never free twice.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_request_free(request: *mut contacts_request) {
    checked::free_boxed(request);
}

/// The OAuth consent URL (step 1 of the code flow). `params_json` is
/// `{"clientId", "redirectUri", "scopes": [..], "state", "authorizeBaseUrl"?,
/// "sameWindow"?}`; `state` is required (check it on the callback). On
/// success `*result_out` is `{"url": "…"}`, owned by the caller. Exchange the
/// callback's code with operation `oauth.exchangeCode` (sans-IO or a client).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_oauth_authorize_url(
    params_json: *const c_char,
    params_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("result_out", result_out)?;
        let params = checked::json("params_json", params_json, params_len)?;
        let p =
            <contacts_core::ops::oauth::AuthorizeUrl as contacts_core::json::FromJson>::from_json(
                "params", &params,
            )?;
        let url = p.build()?;
        out.put(contacts_result::new(&serde_json::json!({ "url": url })));
        Ok(())
    })
}
