//! The sans-IO path for hosts with their own fetch, the catalog, and the
//! OAuth helpers.

use crate::js;
use crate::transport::JsTransport;
use contacts_core::driver::Driver;
use contacts_core::engine::Engine;
use contacts_core::json::FromJson;
use contacts_core::ops::oauth::AuthorizeUrl;
use contacts_core::settings::{BuildSettings, ExchangeSettings};
use contacts_core::{HttpResponse, catalog};
use wasm_bindgen::prelude::*;

/// Builds (does not send) the request for operation `name` with `params`.
/// `config` is `{baseUrl?, token?, versionOverrides?}`; with a token the
/// request carries `Authorization: Bearer`. Returns `{method, url, headers,
/// body}` with `headers` as `[name, value]` pairs and `body` a string or
/// `null`. Throws `ContactsError` (`INVALID_ARGUMENT`) for bad input.
#[wasm_bindgen(js_name = buildRequest, skip_typescript)]
pub fn build_request(name: JsValue, params: JsValue, config: JsValue) -> Result<JsValue, JsValue> {
    let name = js::string("name", &name)?;
    let params = js::to_json("params", &params)?;
    let cfg = BuildSettings::config_from_json(&js::to_json("config", &config)?)
        .map_err(|e| js::error(&e))?;
    let req = catalog::build(&name, &params, &cfg).map_err(|e| js::error(&e))?;
    let body = if req.body.is_empty() {
        serde_json::Value::Null
    } else {
        // Every body the core builds is JSON or a form: UTF-8 text.
        String::from_utf8_lossy(&req.body).into_owned().into()
    };
    Ok(js::from_json(&serde_json::json!({
        "method": req.method.as_str(),
        "url": req.url,
        "headers": req.headers,
        "body": body,
    })))
}

/// Parses a response to operation `name` (called with `params`):
/// `{status, headers?, body}` with `body` the raw text or bytes. Returns the
/// result, or throws the `ContactsError` the response means.
#[wasm_bindgen(js_name = parseResponse, skip_typescript)]
pub fn parse_response(
    name: JsValue,
    params: JsValue,
    response: JsValue,
) -> Result<JsValue, JsValue> {
    let name = js::string("name", &name)?;
    let params = js::to_json("params", &params)?;
    if !response.is_object() {
        return Err(js::invalid("response must be {status, headers, body}"));
    }
    let get = |k: &str| {
        js_sys::Reflect::get(&response, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED)
    };
    let status = get("status")
        .as_f64()
        .filter(|s| s.fract() == 0.0 && (100.0..=599.0).contains(s))
        .ok_or_else(|| js::invalid("response.status must be an HTTP status (100-599)"))?;
    let headers = js::headers(&get("headers"))?;
    let body = get("body");
    let body = if body.is_undefined() || body.is_null() {
        Vec::new()
    } else {
        js::bytes("response.body", &body)?
    };
    let resp = HttpResponse {
        status: status as u16,
        headers,
        body,
    };
    let out = catalog::parse(&name, &params, &resp).map_err(|e| js::error(&e))?;
    Ok(js::from_json(&out))
}

/// The params of the page after `result` (a parsed page of operation `name`
/// called with `params`), or `null` after the last page.
#[wasm_bindgen(js_name = nextPage, skip_typescript)]
pub fn next_page(name: JsValue, params: JsValue, result: JsValue) -> Result<JsValue, JsValue> {
    let name = js::string("name", &name)?;
    let params = js::to_json("params", &params)?;
    let result = js::to_json("result", &result)?;
    match catalog::next_page(&name, &params, &result).map_err(|e| js::error(&e))? {
        Some(next) => Ok(js::from_json(&next)),
        None => Ok(JsValue::NULL),
    }
}

/// The catalog: every operation (name, method, path, scope, pagination,
/// params and result JSON Schemas) and every webhook trigger, as the engine
/// reads it: without the schemas' prose (`description`), which
/// `libcontacts/catalog.json` in the package carries (the same catalog with
/// it, loaded on demand so browsers do not download it with the wasm).
#[wasm_bindgen(unchecked_return_type = "Catalog")]
pub fn catalog() -> JsValue {
    // The committed catalog is valid JSON (a core test parses it).
    js_sys::JSON::parse(catalog::describe()).unwrap_or(JsValue::NULL)
}

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    contacts_core::VERSION.to_string()
}

/// The consent page URL to send an admin to (step 1 of the OAuth code
/// flow): `{clientId, redirectUri, scopes, state, authorizeBaseUrl?,
/// sameWindow?}`. `state` is required: check it on the callback.
#[wasm_bindgen(js_name = authorizeUrl)]
pub fn authorize_url(
    #[wasm_bindgen(unchecked_param_type = "AuthorizeUrlParams")] params: JsValue,
) -> Result<String, JsValue> {
    let v = js::to_json("params", &params)?;
    let p = AuthorizeUrl::from_json("params", &v).map_err(|e| js::error(&e))?;
    p.build().map_err(|e| js::error(&e))
}

/// Step 2 of the OAuth code flow: exchanges the callback's `code` for tokens
/// (`{clientId, clientSecret, code, redirectUri?, userType?}`). Resolves to
/// `OAuthTokens`, ready for `credentials: {kind: "oauth", tokens}`. Resent
/// only when it never left (a refused connection): a code works one time. `options`: `{baseUrl?,
/// timeoutMs?, signal?}`.
#[wasm_bindgen(js_name = exchangeCode, unchecked_return_type = "Promise<OAuthTokens>")]
pub fn exchange_code(
    #[wasm_bindgen(unchecked_param_type = "ExchangeCodeParams")] params: JsValue,
    #[wasm_bindgen(
        unchecked_optional_param_type = "{ baseUrl?: string; timeoutMs?: number; signal?: AbortSignal }"
    )]
    options: Option<JsValue>,
) -> js_sys::Promise {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    wasm_bindgen_futures::future_to_promise(async move {
        let signal = js::signal_of(&options)?;
        let mut opts = js::to_json("options", &options)?;
        if let Some(o) = opts.as_object_mut() {
            o.remove("signal");
        }
        let settings = ExchangeSettings::from_json(&opts).map_err(|e| js::error(&e))?;
        let params = js::to_json("params", &params)?;
        let engine = Engine::for_token_endpoint(settings.config(), settings.timeout_ms());
        let tokens = Driver::new(engine, JsTransport::new(signal))
            .exchange_code(params)
            .await
            .map_err(|e| js::error(&e))?;
        let v = serde_json::to_value(&tokens).map_err(|e| js::invalid(e.to_string()))?;
        Ok(js::from_json(&v))
    })
}
