//! The C ABI called from Rust as a C host would: bad input of every kind
//! gets the right code and never crashes; the shared vectors give the same
//! answers through the ABI as through the Rust API; live calls work.

use contacts::*;
use serde_json::{Value, json};
use std::os::raw::{c_char, c_void};
use std::ptr::{null, null_mut};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[path = "../../tests/support/vectors.rs"]
mod support;
use support::subset;

#[path = "abi/events.rs"]
mod events;
#[path = "abi/flows.rs"]
mod flows;
#[path = "abi/lang.rs"]
mod lang;
#[path = "abi/mapping.rs"]
mod mapping;
#[path = "../../core/tests/support/redis_server.rs"]
mod redis_server;
#[path = "../../tests/support/slots.rs"]
mod slots;
#[path = "abi/sync.rs"]
mod sync;

fn s(v: contacts_str) -> String {
    let bytes = unsafe { std::slice::from_raw_parts(v.ptr.cast::<u8>(), v.len) };
    assert_eq!(
        unsafe { *v.ptr.add(v.len) },
        0,
        "borrowed strings are NUL-terminated"
    );
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The error's code and message, freeing it; None for success.
fn take(err: *mut contacts_error) -> Option<(contacts_code, String)> {
    if err.is_null() {
        return None;
    }
    let out = (contacts_error_code(err), s(contacts_error_message(err)));
    contacts_error_free(err);
    Some(out)
}

fn code(err: *mut contacts_error) -> Option<contacts_code> {
    take(err).map(|(c, _)| c)
}

fn result_json(r: *mut contacts_result) -> Value {
    let v = serde_json::from_str(&s(contacts_result_json(r))).unwrap();
    contacts_result_free(r);
    v
}

/// Holds an ABI error `(code, message)` to a vector's `expect_error
/// {code, message_starts_with}` (the message starts with `CODE: `).
fn expect_refusal(name: &str, got: (contacts_code, String), expected: &Value) {
    let (code, message) = got;
    assert_eq!(
        s(contacts_code_name(code as u32)),
        expected["code"],
        "{name}: {message}"
    );
    let start = format!(
        "{}: {}",
        expected["code"].as_str().unwrap(),
        expected["message_starts_with"].as_str().unwrap()
    );
    assert!(message.starts_with(&start), "{name}: {message:?}");
}

fn cstr(t: &str) -> (*const c_char, usize) {
    (t.as_ptr().cast(), t.len())
}

#[test]
fn null_pointers_get_null_argument_and_defaults() {
    let mut req = null_mut();
    let (n, nl) = cstr("contacts.get");
    let (p, pl) = cstr(r#"{"contactId":"c1"}"#);
    assert_eq!(
        code(contacts_request_build(
            null(),
            0,
            null(),
            5,
            p,
            pl,
            &mut req
        )),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_request_build(
            null(),
            0,
            n,
            nl,
            null(),
            3,
            &mut req
        )),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_request_build(null(), 0, n, nl, p, pl, null_mut())),
        Some(contacts_code::NullArgument)
    );
    let mut res = null_mut();
    assert_eq!(
        code(contacts_request_parse_response(null(), null(), &mut res)),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_client_call(null(), n, nl, p, pl, &mut res)),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_client_call_async(
            null(),
            n,
            nl,
            p,
            pl,
            None,
            null_mut(),
            null_mut()
        )),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_client_new(null(), 10, null(), &mut null_mut())),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_cursor_next(null_mut(), &mut res)),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_webhook_verify(
            null(),
            null(),
            0,
            null(),
            0,
            0,
            &mut res
        )),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_webhook_parse_event(null(), 4, &mut res)),
        Some(contacts_code::NullArgument)
    );
    assert!(res.is_null(), "outputs are written only on success");
    // Getters give documented defaults; frees accept NULL.
    assert_eq!(contacts_error_code(null()), contacts_code::NullArgument);
    assert_eq!(s(contacts_error_message(null())), "");
    assert_eq!(contacts_error_http_status(null()), 0);
    assert_eq!(s(contacts_result_json(null())), "");
    assert_eq!(s(contacts_request_url(null())), "");
    assert_eq!(contacts_request_header_count(null()), 0);
    assert_eq!(contacts_request_body(null()).len, 0);
    contacts_error_free(null_mut());
    contacts_result_free(null_mut());
    contacts_request_free(null_mut());
    contacts_client_free(null_mut());
    contacts_cursor_free(null_mut());
    contacts_call_cancel(null());
    contacts_call_free(null_mut());
    contacts_webhook_verifier_free(null_mut());
}

#[test]
fn bad_strings_and_json_are_refused_with_their_codes() {
    let mut req = null_mut();
    let bad_utf8 = [0x63u8, 0xff, 0xfe];
    let (p, pl) = cstr("{}");
    assert_eq!(
        code(contacts_request_build(
            null(),
            0,
            bad_utf8.as_ptr().cast(),
            3,
            p,
            pl,
            &mut req
        )),
        Some(contacts_code::InvalidUtf8)
    );
    let with_nul = "contacts.get\0x";
    let (n, nl) = cstr(with_nul);
    assert_eq!(
        code(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)),
        Some(contacts_code::InvalidUtf8)
    );
    let (n, nl) = cstr("contacts.get");
    for bad in ["{", "{\"contactId\": }", "nul", "\u{0}"] {
        let (p, pl) = cstr(bad);
        let c = code(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)).unwrap();
        assert!(
            matches!(c, contacts_code::InvalidJson | contacts_code::InvalidUtf8),
            "{bad:?}: {c:?}"
        );
    }
    let deep = "[".repeat(100_000);
    let (p, pl) = cstr(&deep);
    assert_eq!(
        code(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)),
        Some(contacts_code::InvalidJson),
        "deep nesting is an error, not a stack overflow"
    );
    let huge = vec![b' '; CONTACTS_MAX_INPUT + 1];
    assert_eq!(
        code(contacts_request_build(
            null(),
            0,
            n,
            nl,
            huge.as_ptr().cast(),
            huge.len(),
            &mut req
        )),
        Some(contacts_code::InvalidArgument)
    );
    let (u, ul) = cstr("contacts.fetch");
    let (p, pl) = cstr("{}");
    let (c, m) = take(contacts_request_build(null(), 0, u, ul, p, pl, &mut req)).unwrap();
    assert_eq!(c, contacts_code::InvalidArgument);
    assert!(m.contains("unknown operation"), "{m}");
    let (p, pl) = cstr(r#"{"contactId": 42}"#);
    assert_eq!(
        code(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)),
        Some(contacts_code::InvalidArgument)
    );
    let (p, pl) = cstr(r#"{"contactId": "../x", "extra": 1}"#);
    let (c, m) = take(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)).unwrap();
    assert!(
        c == contacts_code::InvalidArgument && m.contains("extra"),
        "{m}"
    );
    assert!(req.is_null());
}

#[test]
fn client_config_errors_name_the_field() {
    let cases = [
        (r#"{}"#, "credentials"),
        (
            r#"{"credentials": {"kind": "pat", "token": "x"}}"#,
            "unknown variant",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "baseUrl": "ftp://x"}"#,
            "baseUrl",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "timeoutMs": 5}"#,
            "timeoutMs",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "retry": {"maxAttempts": 0, "baseDelayMs": 1, "maxDelayMs": 1}}"#,
            "maxAttempts",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "callTimeoutMs": "soon"}"#,
            "config.callTimeoutMs: invalid type",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "workerThreads": 0}"#,
            "workerThreads",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "workerThreads": "two"}"#,
            "workerThreads",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "workerThreads": 1000}"#,
            "workerThreads",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationID": "l"}}"#,
            "config.credentials: unknown field `locationID`",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "oauthClient": {"clientId": "a", "clientSecret": "b", "secret": "c"}}"#,
            "config.oauthClient: unknown field `secret`",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "state": {"sqlite": ""}}"#,
            "config.state is",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "state": {"redis": "redis://x"}}"#,
            "config.state: unknown field `redis`",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "fleet": {"redisUrl": "http://:hunter2@h"}}"#,
            "config.fleet.redisUrl http://***@h is not a redis:// or rediss:// URL",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "fleet": {"redisUrl": "redis://h", "whenUnavailable": "hope"}}"#,
            "config.fleet.whenUnavailable",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "fleet": {"redisUrl": "redis://h", "localSharePercent": 0}}"#,
            "localSharePercent",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "fleet": {"redisUrl": "redis://h", "leaseMs": 0}}"#,
            "leaseMs",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}, "fleet": {"redisUrl": "redis://:hunter2@h"}}"#,
            "a fleet shares one location's budget",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "fleet": {"keyPrefix": "a:"}}"#,
            "config.fleet needs redisUrl",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "state": {"fleet": true}}"#,
            "config.state.fleet needs config.fleet",
        ),
        (
            r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "rateLimits": {"burstMax": 1, "intervalMs": 1, "dailyMax": 1, "dailyProbeMs": 0}}"#,
            "dailyProbeMs",
        ),
    ];
    for (cfg, needle) in cases {
        let mut client = null_mut();
        let (c, l) = cstr(cfg);
        let (code, msg) = take(contacts_client_new(c, l, null(), &mut client))
            .unwrap_or_else(|| panic!("{cfg} was accepted"));
        assert_eq!(code, contacts_code::InvalidArgument, "{cfg}");
        assert!(msg.contains(needle), "{cfg}: {msg}");
        assert!(
            !msg.contains("hunter2"),
            "a Redis password never prints: {msg}"
        );
        assert!(client.is_null());
    }
    let store = contacts_token_store {
        userdata: null_mut(),
        save: None,
        finalize: None,
    };
    let (c, l) = cstr(r#"{"credentials": {"kind": "privateIntegrationToken", "token": "x"}}"#);
    assert_eq!(
        code(contacts_client_new(c, l, &store, &mut null_mut())),
        Some(contacts_code::NullArgument)
    );
}

#[test]
fn every_code_has_a_name() {
    for c in contacts_code::ALL {
        let name = s(contacts_code_name(c as u32));
        assert_ne!(name, "UNKNOWN");
        if let Some(core) = contacts_core::ErrorCode::from_name(&name) {
            assert_eq!(contacts_code::from(core), c, "{name}");
        }
    }
    assert_eq!(s(contacts_code_name(0)), "UNKNOWN");
    assert_eq!(s(contacts_code_name(u32::MAX)), "UNKNOWN");
    assert_eq!(s(contacts_version()), env!("CARGO_PKG_VERSION"));
    let cat: Value = serde_json::from_str(&s(contacts_catalog_json())).unwrap();
    assert_eq!(
        cat["actions"].as_array().unwrap().len(),
        contacts_core::catalog::names().count()
    );
    // The settings contacts_client_new takes, as JSON Schema for builders.
    let client = &cat["settings"]["client"];
    assert!(client["properties"]["credentials"].is_object(), "{client}");
    assert_eq!(client["required"], serde_json::json!(["credentials"]));
}

/// Owned header strings plus the borrowed views the ABI takes.
struct Headers {
    _owned: Vec<(String, String)>,
    views: Vec<contacts_header_in>,
}

fn headers(v: &Value) -> Headers {
    let owned = support::headers(v);
    let views = owned
        .iter()
        .map(|(k, v)| contacts_header_in {
            name: k.as_ptr().cast(),
            name_len: k.len(),
            value: v.as_ptr().cast(),
            value_len: v.len(),
        })
        .collect();
    Headers {
        _owned: owned,
        views,
    }
}

/// Builds and (if there is a response) parses one vector through the ABI.
fn run(v: &Value) -> Result<(Value, *mut contacts_request), (contacts_code, *mut contacts_error)> {
    run_raw(v).map(|(res, req)| {
        (
            if res.is_null() {
                Value::Null
            } else {
                result_json(res)
            },
            req,
        )
    })
}

/// As `run`, keeping the result handle (NULL when there is no response).
fn run_raw(
    v: &Value,
) -> Result<(*mut contacts_result, *mut contacts_request), (contacts_code, *mut contacts_error)> {
    let cfg = r#"{"token": "pit-vector-token"}"#;
    let (c, cl) = cstr(cfg);
    let name = v["op"].as_str().unwrap();
    let params = v["params"].to_string();
    let (n, nl) = cstr(name);
    let (p, pl) = cstr(&params);
    let mut req = null_mut();
    let err = contacts_request_build(c, cl, n, nl, p, pl, &mut req);
    if !err.is_null() {
        return Err((contacts_error_code(err), err));
    }
    let Some(r) = v.get("response") else {
        return Ok((null_mut(), req));
    };
    let hs = headers(&r["headers"]);
    let b = support::body_bytes(r);
    let resp = contacts_http_response {
        status: r["status"].as_u64().unwrap() as u16,
        headers: hs.views.as_ptr(),
        headers_len: hs.views.len(),
        body: b.as_ptr(),
        body_len: b.len(),
    };
    let mut res = null_mut();
    let err = contacts_request_parse_response(req, &resp, &mut res);
    if !err.is_null() {
        contacts_request_free(req);
        return Err((contacts_error_code(err), err));
    }
    Ok((res, req))
}

#[test]
fn the_shared_vectors_through_the_abi() {
    for v in support::vectors("operations.json")
        .iter()
        .chain(support::vectors("hostile_ids.json").iter())
    {
        let name = v["name"].as_str().unwrap();
        match (run(v), v.get("expect_error")) {
            (Ok((out, req)), None) => {
                let want = &v["expect_request"];
                assert_eq!(
                    s(contacts_request_method(req)),
                    want["method"].as_str().unwrap(),
                    "{name}"
                );
                assert_eq!(
                    s(contacts_request_url(req)),
                    want["url"].as_str().unwrap(),
                    "{name}"
                );
                let n = contacts_request_header_count(req);
                let got: Vec<(String, String)> = (0..n)
                    .map(|i| contacts_request_header(req, i))
                    .map(|h| (s(h.name), s(h.value)))
                    .collect();
                for (k, val) in want["headers"].as_object().unwrap() {
                    assert!(
                        got.iter()
                            .any(|(gk, gv)| gk.eq_ignore_ascii_case(k)
                                && gv == val.as_str().unwrap()),
                        "{name}: {k}"
                    );
                }
                let b = contacts_request_body(req);
                let bytes = if b.len == 0 {
                    Vec::new()
                } else {
                    unsafe { std::slice::from_raw_parts(b.ptr, b.len) }.to_vec()
                };
                if let Some(body) = want.get("body") {
                    assert_eq!(
                        &serde_json::from_slice::<Value>(&bytes).unwrap(),
                        body,
                        "{name}"
                    );
                }
                if let Some(expect) = v.get("expect_output") {
                    assert!(subset(expect, &out), "{name}: {out}");
                }
                contacts_request_free(req);
            }
            (Err((c, e)), Some(expect)) => {
                assert_eq!(
                    s(contacts_code_name(c as u32)),
                    expect["code"].as_str().unwrap(),
                    "{name}"
                );
                contacts_error_free(e);
            }
            (Ok(_), Some(_)) => panic!("{name}: expected an error"),
            (Err((c, e)), None) => panic!("{name}: {c:?} {}", {
                let m = s(contacts_error_message(e));
                contacts_error_free(e);
                m
            }),
        }
    }
    for v in &support::vectors("errors.json") {
        let name = v["name"].as_str().unwrap();
        let expect = &v["expect_error"];
        let Err((c, e)) = run(v) else {
            panic!("{name}: expected an error")
        };
        assert_eq!(
            s(contacts_code_name(c as u32)),
            expect["code"].as_str().unwrap(),
            "{name}"
        );
        if let Some(st) = expect.get("http_status") {
            assert_eq!(
                u64::from(contacts_error_http_status(e)),
                st.as_u64().unwrap(),
                "{name}"
            );
        }
        if let Some(ms) = expect.get("retry_after_ms") {
            assert_eq!(
                contacts_error_retry_after_ms(e),
                ms.as_u64().unwrap(),
                "{name}"
            );
        }
        if let Some(scope) = expect.get("required_scope") {
            assert_eq!(
                s(contacts_error_required_scope(e)),
                scope.as_str().unwrap(),
                "{name}"
            );
        }
        if let Some(t) = expect.get("trace_id") {
            assert_eq!(s(contacts_error_trace_id(e)), t.as_str().unwrap(), "{name}");
        }
        contacts_error_free(e);
    }
    for v in &support::vectors("pagination.json") {
        let name = v["name"].as_str().unwrap();
        let (page, req) = run_raw(v).unwrap_or_else(|_| panic!("{name}"));
        let mut next = null_mut();
        let err = contacts_request_next_page(req, page, &mut next);
        match v.get("expect_next_error") {
            Some(expect) => assert_eq!(
                take(err).map(|(c, _)| s(contacts_code_name(c as u32))),
                expect["code"].as_str().map(str::to_string),
                "{name}"
            ),
            None => {
                assert!(err.is_null(), "{name}");
                let got = if next.is_null() {
                    Value::Null
                } else {
                    result_json(next)
                };
                assert_eq!(got, v["expect_next_params"], "{name}");
            }
        }
        contacts_result_free(page);
        contacts_request_free(req);
    }
    let wh = support::load("webhooks.json");
    let key = json!([wh["public_key"]]).to_string();
    for v in wh["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let mut verifier = null_mut();
        let (k, kl) = cstr(&key);
        assert!(take(contacts_webhook_verifier_new(k, kl, 0, &mut verifier)).is_none());
        for d in v["deliveries"].as_array().unwrap() {
            let (ev, err) = verify_delivery(verifier, d);
            match (d.get("expect_event"), take(err)) {
                (Some(expect), None) => assert!(subset(expect, &result_json(ev)), "{name}"),
                (None, Some((c, _))) => assert_eq!(
                    s(contacts_code_name(c as u32)),
                    d["expect_error"]["code"].as_str().unwrap(),
                    "{name}"
                ),
                (e, r) => panic!("{name}: expected {e:?}, got {r:?}"),
            }
        }
        contacts_webhook_verifier_free(verifier);
    }
}

/// Runs one delivery of `webhooks.json` through `verifier`: the event (or
/// NULL) and the error (or NULL), both the caller's.
fn verify_delivery(
    verifier: *const contacts_webhook_verifier,
    d: &Value,
) -> (*mut contacts_result, *mut contacts_error) {
    let hs = headers(&d["headers"]);
    let b = d["body_text"].as_str().unwrap();
    let mut ev = null_mut();
    let err = contacts_webhook_verify(
        verifier,
        hs.views.as_ptr(),
        hs.views.len(),
        b.as_ptr(),
        b.len(),
        d["now_ms"].as_u64().unwrap(),
        &mut ev,
    );
    (ev, err)
}

/// A client of `sbx` whose state is a fresh SQLite file.
fn state_client(
    sbx: &contacts_sandbox::SandboxThread,
    file: &std::path::Path,
) -> *mut contacts_client {
    let _ = std::fs::remove_file(file);
    let cfg = json!({"baseUrl": sbx.base_url(), "credentials": {"kind": "privateIntegrationToken",
        "token": sbx.pit(), "locationId": sbx.location_id()}, "state": {"sqlite": file}})
    .to_string();
    let (c, l) = cstr(&cfg);
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, null(), &mut client)).is_none());
    client
}

fn live_client(
    base: &str,
    pit: &str,
    loc: &str,
    store: *const contacts_token_store,
) -> *mut contacts_client {
    let cfg = json!({"baseUrl": base, "credentials": {"kind": "privateIntegrationToken", "token": pit, "locationId": loc}}).to_string();
    let (c, l) = cstr(&cfg);
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, store, &mut client)).is_none());
    client
}

fn call(
    client: *const contacts_client,
    name: &str,
    params: &Value,
) -> Result<Value, (contacts_code, String)> {
    let (n, nl) = cstr(name);
    let p = params.to_string();
    let (pp, pl) = cstr(&p);
    let mut res = null_mut();
    match take(contacts_client_call(client, n, nl, pp, pl, &mut res)) {
        None => Ok(result_json(res)),
        Some(e) => Err(e),
    }
}

/// Starts an async call; its completion gets `userdata`. Returns the handle.
fn call_async(
    client: *const contacts_client,
    name: &str,
    params: &Value,
    completion: unsafe extern "C" fn(*mut c_void, *mut contacts_result, *mut contacts_error),
    userdata: *mut c_void,
) -> *mut contacts_call {
    let (n, nl) = cstr(name);
    let p = params.to_string();
    let (pp, pl) = cstr(&p);
    let mut handle = null_mut();
    let err = contacts_client_call_async(
        client,
        n,
        nl,
        pp,
        pl,
        Some(completion),
        userdata,
        &mut handle,
    );
    assert!(take(err).is_none());
    handle
}

#[test]
fn live_calls_async_cancel_cursor_and_threads() {
    let sbx = contacts_sandbox::SandboxThread::start(
        contacts_sandbox::SandboxConfig {
            seed: 25,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let client = live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null());
    let id = sbx.first_contact_id().unwrap().to_string();
    assert_eq!(
        call(client, "contacts.get", &json!({"contactId": id})).unwrap()["contact"]["id"],
        id.as_str()
    );
    let (code, msg) = call(client, "contacts.get", &json!({"contactId": "nope"})).unwrap_err();
    assert_eq!(code, contacts_code::NotFound, "{msg}");

    // Async: the completion runs exactly once.
    struct Done {
        count: AtomicUsize,
        got: Mutex<Option<Result<String, contacts_code>>>,
    }
    unsafe extern "C" fn on_done(
        ud: *mut c_void,
        res: *mut contacts_result,
        err: *mut contacts_error,
    ) {
        let done = unsafe { &*(ud as *const Done) };
        done.count.fetch_add(1, Ordering::SeqCst);
        let outcome = if err.is_null() {
            Ok(s(contacts_result_json(res)))
        } else {
            Err(contacts_error_code(err))
        };
        contacts_result_free(res);
        contacts_error_free(err);
        *done.got.lock().unwrap() = Some(outcome);
    }
    let done = Arc::new(Done {
        count: AtomicUsize::new(0),
        got: Mutex::new(None),
    });
    let handle = call_async(
        client,
        "contacts.get",
        &json!({"contactId": id}),
        on_done,
        Arc::as_ptr(&done) as *mut c_void,
    );
    for _ in 0..500 {
        if done.count.load(Ordering::SeqCst) > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    contacts_call_cancel(handle); // too late: it already finished
    contacts_call_free(handle);
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(done.count.load(Ordering::SeqCst), 1);
    assert!(
        done.got
            .lock()
            .unwrap()
            .as_ref()
            .unwrap()
            .as_ref()
            .unwrap()
            .contains(&id)
    );

    // Cancel while the server is slow (a 3 s latency fault on every request).
    let slow = contacts_sandbox::SandboxThread::start(
        contacts_sandbox::SandboxConfig {
            seed: 1,
            faults: vec![contacts_sandbox::Fault::Latency(3_000)],
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let slow_client = live_client(slow.base_url(), slow.pit(), slow.location_id(), null());
    let cancelled = Arc::new(Done {
        count: AtomicUsize::new(0),
        got: Mutex::new(None),
    });
    let started = std::time::Instant::now();
    let handle = call_async(
        slow_client,
        "contacts.list",
        &json!({"locationId": slow.location_id(), "limit": 100}),
        on_done,
        Arc::as_ptr(&cancelled) as *mut c_void,
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    contacts_call_cancel(handle);
    contacts_call_cancel(handle);
    contacts_call_free(handle);
    for _ in 0..500 {
        if cancelled.count.load(Ordering::SeqCst) > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    std::thread::sleep(std::time::Duration::from_millis(50));
    assert_eq!(
        cancelled.count.load(Ordering::SeqCst),
        1,
        "exactly once, cancelled or not"
    );
    assert_eq!(
        cancelled.got.lock().unwrap().clone().unwrap().unwrap_err(),
        contacts_code::Cancelled
    );
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "cancelled promptly, not after the 3 s answer"
    );

    // Blocking callers share one event loop but never wait on each other: a
    // thread stuck on a 3 s answer does not hold up quick calls elsewhere.
    let (slow_addr, slow_loc) = (slow_client as usize, slow.location_id().to_string());
    let stuck = std::thread::spawn(move || {
        call(
            slow_addr as *const contacts_client,
            "contacts.list",
            &json!({"locationId": slow_loc, "limit": 1}),
        )
        .map(|_| ())
    });
    std::thread::sleep(std::time::Duration::from_millis(100));
    let quick = std::time::Instant::now();
    for _ in 0..20 {
        call(client, "contacts.get", &json!({"contactId": id})).unwrap();
    }
    assert!(
        quick.elapsed() < std::time::Duration::from_secs(2),
        "quick calls waited {:?} behind the slow one",
        quick.elapsed()
    );
    assert!(!stuck.is_finished(), "the slow call is still waiting");
    stuck.join().unwrap().unwrap();
    contacts_client_free(slow_client);

    // Pages.
    let (n, nl) = cstr("contacts.list");
    let p = json!({"locationId": sbx.location_id(), "limit": 10}).to_string();
    let (pp, pl) = cstr(&p);
    let mut cursor = null_mut();
    assert!(take(contacts_cursor_new(client, n, nl, pp, pl, &mut cursor)).is_none());
    let mut seen = 0;
    let mut pages = 0;
    loop {
        let mut page = null_mut();
        assert!(take(contacts_cursor_next(cursor, &mut page)).is_none());
        if page.is_null() {
            break;
        }
        pages += 1;
        seen += result_json(page)["contacts"].as_array().unwrap().len();
    }
    assert_eq!((seen, pages), (25, 3));
    contacts_cursor_free(cursor);

    // 8 threads share one client.
    let shared = client as usize;
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let id = id.clone();
            std::thread::spawn(move || {
                for _ in 0..20 {
                    call(
                        shared as *const contacts_client,
                        "contacts.get",
                        &json!({"contactId": id}),
                    )
                    .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    contacts_client_free(client);
}

/// A request to the sandbox's admin API (`/sandbox/<path>`, plain
/// HTTP/1.0), its JSON answer.
fn sandbox_admin(base_url: &str, method: &str, path: &str, body: &str) -> Value {
    use std::io::{Read, Write};
    let mut conn = std::net::TcpStream::connect(base_url.trim_start_matches("http://")).unwrap();
    write!(
        conn,
        "{method} /sandbox/{path} HTTP/1.0\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut resp = String::new();
    conn.read_to_string(&mut resp).unwrap();
    serde_json::from_str(resp.split("\r\n\r\n").nth(1).unwrap()).unwrap()
}

/// A short-lived OAuth token set from the sandbox's admin API.
fn mint_tokens(base_url: &str) -> Value {
    sandbox_admin(base_url, "POST", "tokens", r#"{"expiresIn": 1}"#)
}

/// A client on `tokens` (from [`mint_tokens`]) marked long expired, so its
/// first call refreshes, with the sandbox's OAuth app and `store`.
fn expired_oauth_client(
    base_url: &str,
    location_id: &str,
    tokens: &Value,
    store: &contacts_token_store,
) -> *mut contacts_client {
    let cfg = json!({
        "baseUrl": base_url,
        "credentials": {"kind": "oauth", "tokens": {"accessToken": tokens["access_token"], "refreshToken": tokens["refresh_token"], "expiresAtMs": 1, "userType": "Location", "locationId": location_id}},
        "oauthClient": {"clientId": contacts_sandbox::DEFAULT_CLIENT_ID, "clientSecret": contacts_sandbox::DEFAULT_CLIENT_SECRET}
    })
    .to_string();
    let (c, l) = cstr(&cfg);
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, store, &mut client)).is_none());
    client
}

/// The driver's cases (core/tests/driver.rs) through the C ABI against live
/// sandboxes: a composite the shell knows nothing of, a 429 then success, and
/// an async call cancelled during its refresh whose rotated tokens still
/// reach the host's store. (The 3-page walk is in the live test above.)
#[test]
fn driver_cases_through_the_abi() {
    use contacts_sandbox::{Fault, SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let client = live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null());
    let make = |tags: Value| {
        let params = json!({"locationId": sbx.location_id(), "firstName": "Copy", "tags": tags});
        call(client, "contacts.create", &params).unwrap()["contact"]["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (from, to) = (make(json!(["vip", "webinar"])), make(json!(["webinar"])));
    let out = call(
        client,
        "tags.copy",
        &json!({"fromContactId": from, "toContactId": to}),
    )
    .unwrap();
    assert_eq!(out["added"], json!(["vip"]));
    let again = call(
        client,
        "tags.copy",
        &json!({"fromContactId": from, "toContactId": to}),
    )
    .unwrap();
    assert_eq!(again["added"], json!([]));
    let e = call(client, "tags.copy", &json!({"fromContactId": from})).unwrap_err();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    // A composite that reads four things at once, with nothing in the ABI for it.
    let note = json!({"contactId": from, "body": "from the ABI"});
    call(client, "notes.create", &note).unwrap();
    let all = call(
        client,
        "contacts.getWithActivity",
        &json!({"contactId": from}),
    )
    .unwrap();
    assert_eq!(all["contact"]["id"], json!(from));
    assert_eq!(all["notes"][0]["body"], "from the ABI");
    assert!(
        all["tasks"].is_array() && all["appointments"].is_array(),
        "{all}"
    );
    let some = call(
        client,
        "contacts.getWithActivity",
        &json!({"contactId": from, "include": ["tasks"]}),
    )
    .unwrap();
    assert!(
        some.get("notes").is_none() && some["tasks"].is_array(),
        "{some}"
    );
    // The feed: the appointment's offset-less time read in its calendar's
    // zone (the tz database compiled into the library).
    call(
        client,
        "appointments.create",
        &json!({"calendarId": "cal_sandbox", "locationId": sbx.location_id(),
            "contactId": from, "startTime": "2030-07-16T11:00:00-04:00"}),
    )
    .unwrap();
    let feed = call(client, "activity.feed", &json!({"contactId": from})).unwrap();
    assert_eq!(feed["items"][0]["at"], "2030-07-16T15:00:00.000Z", "{feed}");
    assert_eq!(feed["items"][1]["body"], "from the ABI", "{feed}");
    let e = call(
        client,
        "activity.feed",
        &json!({"contactId": from, "limit": 0}),
    )
    .unwrap_err();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    // A cursor on an operation without pages, or with bad params, is refused
    // before anything is sent.
    for (name, params) in [
        ("contacts.get", json!({"contactId": from})),
        ("contacts.list", json!({"limit": "ten"})),
        ("tags.copy", json!({})),
    ] {
        let (n, nl) = cstr(name);
        let p = params.to_string();
        let (pp, pl) = cstr(&p);
        let mut cursor = null_mut();
        let e = take(contacts_cursor_new(client, n, nl, pp, pl, &mut cursor)).unwrap();
        assert_eq!(e.0, contacts_code::InvalidArgument, "{name}: {}", e.1);
        assert!(cursor.is_null());
    }
    contacts_client_free(client);

    // Every second request is a 429: each call waits it out and succeeds.
    let limited = SandboxThread::start(
        SandboxConfig {
            seed: 3,
            faults: vec![Fault::RateLimited],
            fault_every: 2,
            budgets: contacts_sandbox::Budgets {
                interval_ms: 300,
                ..Default::default()
            },
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let client = live_client(
        limited.base_url(),
        limited.pit(),
        limited.location_id(),
        null(),
    );
    let params = json!({"locationId": limited.location_id(), "limit": 1});
    for _ in 0..2 {
        let page = call(client, "contacts.list", &params).unwrap();
        assert_eq!(page["contacts"].as_array().unwrap().len(), 1);
    }
    contacts_client_free(client);

    // Every request takes 300 ms; the call is cancelled while its refresh is out.
    let slow = SandboxThread::start(
        SandboxConfig {
            seed: 3,
            faults: vec![Fault::Latency(300)],
            fault_every: 1,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let tokens = mint_tokens(slow.base_url());
    static SAVED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static DONE: Mutex<Option<contacts_code>> = Mutex::new(None);
    unsafe extern "C" fn save(_: *mut c_void, json: *const c_char, len: usize) -> i32 {
        let text = unsafe { std::slice::from_raw_parts(json.cast::<u8>(), len) };
        SAVED
            .lock()
            .unwrap()
            .push(String::from_utf8(text.to_vec()).unwrap());
        0
    }
    unsafe extern "C" fn done(_: *mut c_void, r: *mut contacts_result, e: *mut contacts_error) {
        contacts_result_free(r);
        *DONE.lock().unwrap() = code(e);
    }
    let store = contacts_token_store {
        userdata: null_mut(),
        save: Some(save),
        finalize: None,
    };
    let client = expired_oauth_client(slow.base_url(), slow.location_id(), &tokens, &store);
    let handle = call_async(
        client,
        "contacts.list",
        &json!({"locationId": slow.location_id(), "limit": 1}),
        done,
        null_mut(),
    );
    std::thread::sleep(std::time::Duration::from_millis(100));
    contacts_call_cancel(handle);
    contacts_call_free(handle);
    for _ in 0..100 {
        if !SAVED.lock().unwrap().is_empty() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(*DONE.lock().unwrap(), Some(contacts_code::Cancelled));
    let saved = SAVED.lock().unwrap().clone();
    assert_eq!(saved.len(), 1, "the rotated tokens reached the store");
    let t: Value = serde_json::from_str(&saved[0]).unwrap();
    assert_ne!(t["refreshToken"], tokens["refresh_token"]);
    let page = call(
        client,
        "contacts.list",
        &json!({"locationId": slow.location_id(), "limit": 1}),
    )
    .unwrap();
    assert_eq!(page["contacts"].as_array().unwrap().len(), 1);
    assert_eq!(SAVED.lock().unwrap().len(), 1, "no second refresh");
    contacts_client_free(client);
}

/// The engine's token-class rule through the ABI: an agency-only operation
/// with a location's token is FORBIDDEN, and nothing reaches the server.
#[test]
fn a_capture_journals_in_the_state_file_the_config_names() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let dir = std::env::temp_dir().join(format!("libcontacts-abi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.db");
    let _ = std::fs::remove_file(&file);
    let config = |state: &std::path::Path| {
        json!({"baseUrl": sbx.base_url(), "credentials": {"kind": "privateIntegrationToken",
            "token": sbx.pit(), "locationId": sbx.location_id()}, "state": {"sqlite": state}})
        .to_string()
    };
    let text = config(&file);
    let (c, l) = cstr(&text);
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, null(), &mut client)).is_none());
    let lead = json!({"idempotencyKey": "abi-1", "contact": {"email": "abi@example.com"},
        "tags": ["abi"], "tasks": [{"title": "Call", "dueAfter": "P1D"}], "note": "via C"});
    let first = call(client, "contacts.capture", &lead).unwrap();
    assert_eq!(first["contact"]["outcome"], "created");
    let again = call(client, "contacts.capture", &lead).unwrap();
    assert_eq!(again["replayed"], true);
    contacts_client_free(client);
    // Another client on the same file sees the journal: still once.
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, null(), &mut client)).is_none());
    assert_eq!(
        call(client, "contacts.capture", &lead).unwrap()["replayed"],
        true
    );
    contacts_client_free(client);

    // A file that is not a state store: the client is not made.
    let bogus = dir.join("bogus.db");
    std::fs::write(&bogus, b"not a database, a checkpoint from elsewhere").unwrap();
    let text = config(&bogus);
    let (c, l) = cstr(&text);
    let mut client = null_mut();
    let (code, msg) = take(contacts_client_new(c, l, null(), &mut client)).unwrap();
    assert_eq!(code, contacts_code::State, "{msg}");
    assert!(client.is_null());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A host state store behind the C callback, as a C host writes one: the
/// request is JSON, the answer goes back through `contacts_state_reply_set`.
/// Backed by the core's memory store, so the protocol is what is tested.
struct CallbackStore {
    inner: contacts_core::state::MemoryStore,
    calls: AtomicUsize,
    finalized: AtomicUsize,
    /// When set, every call answers these bytes instead (a broken host).
    broken: Mutex<Option<(i32, Option<Vec<u8>>)>>,
    /// What `contacts_state_reply_set` refused from a broken host.
    refused_replies: Mutex<Vec<contacts_code>>,
}

unsafe extern "C" fn store_call(
    userdata: *mut c_void,
    request: *const c_char,
    len: usize,
    reply: *mut contacts_state_reply,
) -> i32 {
    use contacts_core::state::{BlockingStore, Budget};
    let store = unsafe { &*(userdata as *const CallbackStore) };
    store.calls.fetch_add(1, Ordering::SeqCst);
    if let Some((code, text)) = store.broken.lock().unwrap().clone() {
        if let Some(bytes) = text {
            let refused = contacts_state_reply_set(reply, bytes.as_ptr().cast(), bytes.len());
            if let Some((code, _)) = take(refused) {
                store.refused_replies.lock().unwrap().push(code);
            }
        }
        return code;
    }
    let text = unsafe {
        std::str::from_utf8(std::slice::from_raw_parts(request.cast::<u8>(), len)).unwrap()
    };
    let req: Value = serde_json::from_str(text).unwrap();
    let a = &req["args"];
    let s = |i: usize| a[i].as_str().unwrap();
    let n = |i: usize| a[i].as_u64();
    let m = &store.inner;
    let answer = match req["op"].as_str().unwrap() {
        "get" => json!(
            m.get_now(s(0), n(1).unwrap())
                .unwrap()
                .map(|e| json!({"value": e.value, "version": e.version}))
        ),
        "put" => json!(m.put_now(s(0), &a[1], n(2), n(3).unwrap()).unwrap()),
        "compareAndSet" => json!(
            m.compare_and_set_now(s(0), n(1), &a[2], n(3), n(4).unwrap())
                .unwrap()
        ),
        "delete" => json!(m.delete_now(s(0), n(1).unwrap()).unwrap()),
        "list" => json!(
            m.list_now(s(0), n(1).unwrap() as usize, n(2).unwrap())
                .unwrap()
                .into_iter()
                .map(|(k, e)| json!({"key": k, "value": e.value, "version": e.version}))
                .collect::<Vec<_>>()
        ),
        "take" => {
            let b = Budget {
                limit: a[2]["limit"].as_u64().unwrap(),
                window_ms: a[2]["windowMs"].as_u64().unwrap(),
            };
            let t = m.take_now(s(0), n(1).unwrap(), b, n(3).unwrap()).unwrap();
            json!({"granted": t.granted, "remaining": t.remaining, "resetsAtMs": t.resets_at_ms})
        }
        other => panic!("unknown op {other}"),
    };
    let text = answer.to_string();
    let (p, l) = cstr(&text);
    assert!(contacts_state_reply_set(reply, p, l).is_null());
    0
}

unsafe extern "C" fn store_finalize(userdata: *mut c_void) {
    let store = unsafe { &*(userdata as *const CallbackStore) };
    store.finalized.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn a_capture_journals_through_the_hosts_state_store_callback() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let host = Box::new(CallbackStore {
        inner: contacts_core::state::MemoryStore::new(),
        calls: AtomicUsize::new(0),
        finalized: AtomicUsize::new(0),
        broken: Mutex::new(None),
        refused_replies: Mutex::new(Vec::new()),
    });
    let store = contacts_state_store {
        userdata: (&*host as *const CallbackStore).cast_mut().cast(),
        call: Some(store_call),
        finalize: Some(store_finalize),
    };
    let cfg = json!({"baseUrl": sbx.base_url(), "credentials": {"kind": "privateIntegrationToken",
        "token": sbx.pit(), "locationId": sbx.location_id()}})
    .to_string();
    let (c, l) = cstr(&cfg);
    let mut client = null_mut();
    assert!(
        take(contacts_client_new_with_state(
            c,
            l,
            null(),
            &store,
            &mut client
        ))
        .is_none()
    );
    let lead = json!({"idempotencyKey": "cb-1", "contact": {"email": "cb@example.com"}, "note": "via callback"});
    assert_eq!(
        call(client, "contacts.capture", &lead).unwrap()["contact"]["outcome"],
        "created"
    );
    assert!(
        host.calls.load(Ordering::SeqCst) >= 4,
        "the journal went through the callback"
    );
    assert_eq!(
        call(client, "contacts.capture", &lead).unwrap()["replayed"],
        true
    );
    // A broken host fails the work closed: an error code, no answer, nonsense.
    // A reply that is not JSON, or not UTF-8, is refused by
    // contacts_state_reply_set itself, so the call has no answer.
    for (broken, needle) in [
        ((7, None), "the callback returned 7"),
        ((0, None), "gave no answer"),
        ((0, Some(br#""yes""#.to_vec())), "answered \"yes\""),
        ((0, Some(b"{\"value\": tru".to_vec())), "gave no answer"),
        ((0, Some(b"\"\xff\xfe\"".to_vec())), "gave no answer"),
    ] {
        *host.broken.lock().unwrap() = Some(broken);
        let e = call(
            client,
            "contacts.capture",
            &json!({"idempotencyKey": "cb-2", "contact": {"email": "cb2@example.com"}}),
        )
        .unwrap_err();
        assert_eq!(e.0, contacts_code::State, "{}", e.1);
        assert!(e.1.contains(needle), "{}", e.1);
    }
    *host.broken.lock().unwrap() = None;
    let refused = host.refused_replies.lock().unwrap().clone();
    assert!(
        !refused.is_empty()
            && refused
                .iter()
                .all(|c| matches!(c, contacts_code::InvalidJson | contacts_code::InvalidUtf8)),
        "{refused:?}"
    );
    assert!(
        refused.contains(&contacts_code::InvalidJson)
            && refused.contains(&contacts_code::InvalidUtf8)
    );
    contacts_client_free(client);
    assert_eq!(
        host.finalized.load(Ordering::SeqCst),
        1,
        "finalize runs once, when the client is freed"
    );

    // Both a config state and a callback store, or a store without call: refused.
    let both = json!({"credentials": {"kind": "privateIntegrationToken", "token": "x", "locationId": "l"}, "state": {"memory": true}}).to_string();
    let (c, l) = cstr(&both);
    let e = take(contacts_client_new_with_state(
        c,
        l,
        null(),
        &store,
        &mut client,
    ))
    .unwrap();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    assert_eq!(
        host.finalized.load(Ordering::SeqCst),
        2,
        "a store given to a client that is not made is finalized before the call returns"
    );
    let no_call = contacts_state_store {
        userdata: null_mut(),
        call: None,
        finalize: None,
    };
    let (c, l) = cstr(&cfg);
    let e = take(contacts_client_new_with_state(
        c,
        l,
        null(),
        &no_call,
        &mut client,
    ))
    .unwrap();
    assert_eq!(e.0, contacts_code::NullArgument, "{}", e.1);
    assert_eq!(
        code(contacts_state_reply_set(null_mut(), null(), 0)),
        Some(contacts_code::NullArgument)
    );
}

#[test]
fn a_location_token_is_refused_agency_operations_before_sending() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = live_client(&base, "pit-location", "loc_1", null());
    let params = json!({"companyId": "co_1", "emails": "a@x.example"});
    let (code, message) = call(client, "users.filterByEmail", &params).unwrap_err();
    assert_eq!(code, contacts_code::Forbidden, "{message}");
    assert!(message.contains("agency"), "{message}");
    contacts_client_free(client);
    listener.set_nonblocking(true).unwrap();
    assert_eq!(
        listener.accept().map(|_| ()).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock,
        "no connection was made"
    );
}

#[test]
fn rotated_tokens_reach_the_host_store_before_use() {
    let sbx = contacts_sandbox::SandboxThread::start(
        contacts_sandbox::SandboxConfig {
            seed: 2,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let tokens = mint_tokens(sbx.base_url());
    static SAVED: Mutex<Vec<String>> = Mutex::new(Vec::new());
    static FINALIZED: AtomicUsize = AtomicUsize::new(0);
    unsafe extern "C" fn save(_: *mut c_void, json: *const c_char, len: usize) -> i32 {
        let text = String::from_utf8(
            unsafe { std::slice::from_raw_parts(json.cast::<u8>(), len) }.to_vec(),
        )
        .unwrap();
        SAVED.lock().unwrap().push(text);
        0
    }
    unsafe extern "C" fn finalize(_: *mut c_void) {
        FINALIZED.fetch_add(1, Ordering::SeqCst);
    }
    let store = contacts_token_store {
        userdata: null_mut(),
        save: Some(save),
        finalize: Some(finalize),
    };
    let client = expired_oauth_client(sbx.base_url(), sbx.location_id(), &tokens, &store);
    let id = sbx.first_contact_id().unwrap().to_string();
    call(client, "contacts.get", &json!({"contactId": id})).unwrap();
    let saved = SAVED.lock().unwrap().clone();
    assert_eq!(saved.len(), 1);
    let t: Value = serde_json::from_str(&saved[0]).unwrap();
    assert!(
        t["refreshToken"].is_string() && t["refreshToken"] != tokens["refresh_token"],
        "the rotated refresh token: {t}"
    );
    contacts_client_free(client);
    assert_eq!(
        FINALIZED.load(Ordering::SeqCst),
        1,
        "finalize runs once when the client is freed"
    );
}

#[test]
fn null_arrays_with_a_length_are_refused() {
    let (n, nl) = cstr("contacts.get");
    let (p, pl) = cstr(r#"{"contactId":"c1"}"#);
    let mut req = null_mut();
    assert!(take(contacts_request_build(null(), 0, n, nl, p, pl, &mut req)).is_none());
    let mut res = null_mut();
    let no_headers = contacts_http_response {
        status: 200,
        headers: null(),
        headers_len: 2,
        body: null(),
        body_len: 0,
    };
    let (c, m) = take(contacts_request_parse_response(req, &no_headers, &mut res)).unwrap();
    assert!(
        c == contacts_code::NullArgument && m.contains("response->headers"),
        "{m}"
    );
    let no_body = contacts_http_response {
        status: 200,
        headers: null(),
        headers_len: 0,
        body: null(),
        body_len: 5,
    };
    let (c, m) = take(contacts_request_parse_response(req, &no_body, &mut res)).unwrap();
    assert!(
        c == contacts_code::NullArgument && m.contains("response->body"),
        "{m}"
    );
    let bad = [0xffu8, 0xfe];
    let header = contacts_header_in {
        name: bad.as_ptr().cast(),
        name_len: 2,
        value: null(),
        value_len: 0,
    };
    let bad_name = contacts_http_response {
        status: 200,
        headers: &header,
        headers_len: 1,
        body: null(),
        body_len: 0,
    };
    assert_eq!(
        code(contacts_request_parse_response(req, &bad_name, &mut res)),
        Some(contacts_code::InvalidUtf8)
    );
    assert!(res.is_null());
    contacts_request_free(req);
    assert_eq!(
        code(contacts_webhook_parse_event(null(), 3, &mut res)),
        Some(contacts_code::NullArgument)
    );
}

#[test]
fn oauth_authorize_url_builds_or_refuses() {
    let params = r#"{"clientId":"app-1","redirectUri":"https://example.com/cb?x=1","scopes":["contacts.readonly","contacts.write"],"state":"s 1"}"#;
    let (p, pl) = cstr(params);
    let mut r = null_mut();
    assert_eq!(code(contacts_oauth_authorize_url(p, pl, &mut r)), None);
    let url = result_json(r)["url"].as_str().unwrap().to_string();
    assert!(url.contains("client_id=app-1"), "{url}");
    assert!(
        url.contains("redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1"),
        "{url}"
    );
    assert!(
        url.contains("scope=contacts.readonly%20contacts.write"),
        "{url}"
    );
    assert!(url.contains("state=s%201"), "{url}");
    for bad in [
        r#"{"clientId":"a","redirectUri":"r","scopes":[],"state":"s"}"#,
        r#"{"clientId":"a","redirectUri":"r","scopes":["x"],"state":""}"#,
        r#"{"clientId":"a"}"#,
        r#"[1]"#,
        // A typo is refused, not dropped: the URL would lack the option.
        r#"{"clientId":"a","redirectUri":"r","scopes":["x"],"state":"s","samewindow":true}"#,
        r#"{"clientId":"a","redirectUri":"r","scopes":"x","state":"s"}"#,
    ] {
        let (p, pl) = cstr(bad);
        let mut r = null_mut();
        assert_eq!(
            code(contacts_oauth_authorize_url(p, pl, &mut r)),
            Some(contacts_code::InvalidArgument),
            "{bad}"
        );
        assert!(r.is_null());
    }
    let (p, pl) = cstr("{not json");
    assert_eq!(
        code(contacts_oauth_authorize_url(p, pl, &mut r)),
        Some(contacts_code::InvalidJson)
    );
    assert_eq!(
        code(contacts_oauth_authorize_url(null(), 3, &mut r)),
        Some(contacts_code::NullArgument)
    );
    let (p, pl) = cstr(params);
    assert_eq!(
        code(contacts_oauth_authorize_url(p, pl, null_mut())),
        Some(contacts_code::NullArgument)
    );
}

#[test]
fn webhook_verifier_refuses_bad_keys() {
    for (bad, needle) in [
        (r#""one key""#, "keys_json: invalid type"),
        (r#"["ok", 1]"#, "keys_json[1]: invalid type"),
        (r#"["not a key"]"#, "webhook public key"),
    ] {
        let (k, kl) = cstr(bad);
        let mut verifier = null_mut();
        let (code, message) = take(contacts_webhook_verifier_new(k, kl, 0, &mut verifier))
            .unwrap_or_else(|| panic!("{bad} was accepted"));
        assert_eq!(code, contacts_code::InvalidArgument, "{bad}");
        assert!(message.contains(needle), "{message} lacks {needle}");
        assert!(verifier.is_null());
    }
    // NULL keys mean HighLevel's published key.
    let mut verifier = null_mut();
    assert!(take(contacts_webhook_verifier_new(null(), 0, 0, &mut verifier)).is_none());
    contacts_webhook_verifier_free(verifier);
}

#[test]
fn malformed_inputs_have_one_code_through_the_abi() {
    for v in &support::vectors("malformed.json") {
        let name = v["name"].as_str().unwrap();
        let (code, err) = match v["kind"].as_str().unwrap() {
            "event_body" => {
                let body = support::event_body(v);
                let mut out = null_mut();
                let err = contacts_webhook_parse_event(body.as_ptr(), body.len(), &mut out);
                assert!(out.is_null(), "{name}: an event came out");
                (contacts_error_code(err), err)
            }
            "response_body" => match run(v) {
                Err(failed) => failed,
                Ok(_) => panic!("{name}: the body was accepted"),
            },
            "host_json" => {
                let config = v["config_text"].as_str().unwrap_or("");
                let (c, cl) = cstr(config);
                let (n, nl) = cstr(v["op"].as_str().unwrap());
                let (p, pl) = cstr(v["params_text"].as_str().unwrap());
                let mut req = null_mut();
                let err = contacts_request_build(c, cl, n, nl, p, pl, &mut req);
                assert!(req.is_null(), "{name}: a request came out");
                (contacts_error_code(err), err)
            }
            other => panic!("{name}: unknown kind {other}"),
        };
        assert!(!err.is_null(), "{name}: no error");
        assert_eq!(
            s(contacts_code_name(code as u32)),
            v["expect_code"].as_str().unwrap(),
            "{name}: {}",
            s(contacts_error_message(err))
        );
        contacts_error_free(err);
    }
}

/// The result's JSON text, freed.
fn result_text(r: *mut contacts_result) -> String {
    let text = s(contacts_result_json(r));
    contacts_result_free(r);
    text
}

#[test]
fn one_result_is_one_text_from_every_abi_function() {
    let sbx = contacts_sandbox::SandboxThread::start(
        contacts_sandbox::SandboxConfig {
            seed: 7,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let client = live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null());
    let params = json!({"locationId": sbx.location_id(), "limit": 3}).to_string();
    let (n, nl) = cstr("contacts.list");
    let (p, pl) = cstr(&params);

    let mut res = null_mut();
    assert!(take(contacts_client_call(client, n, nl, p, pl, &mut res)).is_none());
    let blocking = result_text(res);

    let mut cursor = null_mut();
    assert!(take(contacts_cursor_new(client, n, nl, p, pl, &mut cursor)).is_none());
    let mut page = null_mut();
    assert!(take(contacts_cursor_next(cursor, &mut page)).is_none());
    let from_cursor = result_text(page);
    contacts_cursor_free(cursor);

    static ASYNC_TEXT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);
    unsafe extern "C" fn done(_: *mut c_void, r: *mut contacts_result, e: *mut contacts_error) {
        assert!(e.is_null());
        *ASYNC_TEXT.lock().unwrap() = Some(result_text(r));
    }
    contacts_call_free(call_async(
        client,
        "contacts.list",
        &serde_json::from_str(&params).unwrap(),
        done,
        null_mut(),
    ));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let from_async = loop {
        if let Some(text) = ASYNC_TEXT.lock().unwrap().take() {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the async call never completed"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    };

    // The sans-IO path: built here, sent over a plain socket, parsed here.
    let cfg = json!({"baseUrl": sbx.base_url(), "token": sbx.pit()}).to_string();
    let (c, cl) = cstr(&cfg);
    let mut req = null_mut();
    assert!(take(contacts_request_build(c, cl, n, nl, p, pl, &mut req)).is_none());
    let url = s(contacts_request_url(req));
    let path = &url[sbx.base_url().len()..];
    let mut head = format!("GET {path} HTTP/1.0\r\n");
    for i in 0..contacts_request_header_count(req) {
        let h = contacts_request_header(req, i);
        head.push_str(&format!("{}: {}\r\n", s(h.name), s(h.value)));
    }
    let answer = {
        use std::io::{Read, Write};
        let addr = sbx.base_url().trim_start_matches("http://");
        let mut conn = std::net::TcpStream::connect(addr).unwrap();
        write!(conn, "{head}\r\n").unwrap();
        let mut raw = Vec::new();
        conn.read_to_end(&mut raw).unwrap();
        raw
    };
    let split = answer.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let body = &answer[split + 4..];
    let resp = contacts_http_response {
        status: 200,
        headers: std::ptr::null(),
        headers_len: 0,
        body: body.as_ptr(),
        body_len: body.len(),
    };
    let mut parsed = null_mut();
    assert!(take(contacts_request_parse_response(req, &resp, &mut parsed)).is_none());
    let from_sans_io = result_text(parsed);
    contacts_request_free(req);
    contacts_client_free(client);

    assert!(blocking.contains("\"contacts\":[{"), "{blocking}");
    assert_eq!(blocking, from_cursor, "blocking call vs cursor");
    assert_eq!(blocking, from_async, "blocking call vs async call");
    assert_eq!(blocking, from_sans_io, "blocking call vs sans-IO parse");
    // Keys in the result schema's property order (the catalog lists them
    // sorted), at every level.
    let contact = &blocking[blocking.find("\"contacts\":[{").unwrap() + 12..];
    let keys = top_level_keys(contact);
    let mut sorted = keys.clone();
    sorted.sort();
    assert!(keys.len() > 3 && keys == sorted, "{keys:?}");
}

/// The keys of the JSON object `text` starts with, in written order.
fn top_level_keys(text: &str) -> Vec<String> {
    let (mut depth, mut keys, mut chars) = (0, Vec::new(), text.char_indices().peekable());
    let mut expect_key = false;
    while let Some((i, ch)) = chars.next() {
        match ch {
            '{' | '[' => {
                depth += 1;
                expect_key = depth == 1 && ch == '{';
            }
            '}' | ']' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect_key = true,
            '"' => {
                let start = i + 1;
                let mut end = start;
                while let Some((j, c)) = chars.next() {
                    if c == '\\' {
                        chars.next();
                    } else if c == '"' {
                        end = j;
                        break;
                    }
                }
                if expect_key && depth == 1 {
                    keys.push(text[start..end].to_string());
                    expect_key = false;
                }
            }
            _ => {}
        }
    }
    keys
}

fn poll(
    client: *const contacts_client,
    triggers: &str,
    params: &Value,
    checkpoint: Option<&str>,
) -> Result<Value, (contacts_code, String)> {
    let (t, tl) = cstr(triggers);
    let p = params.to_string();
    let (pp, pl) = cstr(&p);
    let (k, kl) = checkpoint.map_or((null(), 0), cstr);
    let mut res = null_mut();
    match take(contacts_client_poll(client, t, tl, pp, pl, k, kl, &mut res)) {
        None => Ok(result_json(res)),
        Some(e) => Err(e),
    }
}

/// What a watch's callback saw: each result's JSON, or each error's code.
type Seen = Mutex<Vec<Result<Value, contacts_code>>>;

unsafe extern "C" fn on_poll(
    ud: *mut c_void,
    result: *const contacts_result,
    error: *const contacts_error,
) {
    let seen = unsafe { &*(ud as *const Seen) };
    let entry = if result.is_null() {
        Err(contacts_error_code(error))
    } else {
        Ok(serde_json::from_str(&s(contacts_result_json(result))).unwrap())
    };
    seen.lock().unwrap().push(entry);
}

#[test]
fn polls_and_watches_report_changes_and_stop_when_cancelled() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 5,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("libcontacts-abi-poll-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = state_client(&sbx, &dir.join("poll.db"));

    let base = poll(client, "ContactCreate,ContactUpdate", &json!({}), None).unwrap();
    assert_eq!(base["events"], json!([]));
    let checkpoint = base["checkpoint"].as_str().unwrap().to_owned();
    let made = call(
        client,
        "contacts.create",
        &json!({"locationId": sbx.location_id(), "email": "poll@example.com"}),
    )
    .unwrap();
    let id = made["contact"]["id"].clone();
    let next = poll(
        client,
        "ContactCreate,ContactUpdate",
        &json!({}),
        Some(&checkpoint),
    )
    .unwrap();
    assert_eq!(next["events"].as_array().unwrap().len(), 1, "{next}");
    assert_eq!(next["events"][0]["type"], "ContactCreate");
    assert_eq!(next["events"][0]["id"], id);
    assert_eq!(next["requests"], 1);

    // Bad input: typed, and nothing moves.
    let refused = |r: Result<Value, (contacts_code, String)>, needle: &str| {
        let (code, msg) = r.unwrap_err();
        assert_eq!(code, contacts_code::InvalidArgument, "{msg}");
        assert!(msg.contains(needle), "{msg}");
    };
    refused(poll(client, "Nope", &json!({}), None), "unknown trigger");
    refused(
        poll(client, "ContactCreate", &json!({"maxRequests": 0}), None),
        "maxRequests",
    );
    refused(
        poll(
            client,
            "ContactCreate,ContactUpdate",
            &json!({}),
            Some("{\"v\":1}"),
        ),
        "corrupt",
    );
    refused(
        poll(client, "ContactDelete", &json!({}), Some(&checkpoint)),
        "triggers",
    );
    let (t, tl) = cstr("ContactCreate");
    let mut res = null_mut();
    assert_eq!(
        code(contacts_client_poll(
            client,
            t,
            tl,
            null(),
            0,
            null(),
            7,
            &mut res
        )),
        Some(contacts_code::NullArgument)
    );
    let bad = [0xffu8, 0xfe];
    assert_eq!(
        code(contacts_client_poll(
            client,
            bad.as_ptr().cast(),
            2,
            null(),
            0,
            null(),
            0,
            &mut res
        )),
        Some(contacts_code::InvalidUtf8)
    );
    assert_eq!(
        code(contacts_client_poll(
            null(),
            t,
            tl,
            null(),
            0,
            null(),
            0,
            &mut res
        )),
        Some(contacts_code::NullArgument)
    );

    // A watch: callbacks on its thread, one at a time; none after cancel.
    let seen: Seen = Mutex::new(Vec::new());
    let mut watch = null_mut();
    let k = next["checkpoint"].as_str().unwrap().to_owned();
    let (kp, kl) = cstr(&k);
    let (p, pl) = cstr("{}");
    let (wt, wtl) = cstr("ContactCreate,ContactUpdate");
    assert!(
        take(contacts_watch_new(
            client,
            wt,
            wtl,
            p,
            pl,
            kp,
            kl,
            20,
            Some(on_poll),
            (&seen as *const Seen).cast_mut().cast(),
            &mut watch
        ))
        .is_none()
    );
    call(
        client,
        "contacts.create",
        &json!({"locationId": sbx.location_id(), "email": "watch@example.com"}),
    )
    .unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(10)
        && !seen.lock().unwrap().iter().any(|r| {
            r.as_ref()
                .is_ok_and(|v| v["events"].as_array().is_some_and(|e| !e.is_empty()))
        })
    {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    contacts_watch_cancel(watch);
    let after_cancel = seen.lock().unwrap().len();
    std::thread::sleep(std::time::Duration::from_millis(100));
    assert_eq!(
        seen.lock().unwrap().len(),
        after_cancel,
        "no callback after cancel returned"
    );
    let events: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .flat_map(|v| v["events"].as_array().unwrap().clone())
        .collect();
    assert!(seen.lock().unwrap().iter().all(Result::is_ok));
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["email"], "watch@example.com");
    contacts_watch_cancel(watch);
    contacts_watch_free(watch);
    contacts_watch_free(null_mut());
    let mut w2 = null_mut();
    assert_eq!(
        code(contacts_watch_new(
            client,
            t,
            tl,
            p,
            pl,
            null(),
            0,
            0,
            Some(on_poll),
            null_mut(),
            &mut w2
        )),
        Some(contacts_code::InvalidArgument)
    );
    assert_eq!(
        code(contacts_watch_new(
            client,
            t,
            tl,
            p,
            pl,
            null(),
            0,
            10,
            None,
            null_mut(),
            &mut w2
        )),
        Some(contacts_code::NullArgument)
    );
    contacts_client_free(client);
    let _ = std::fs::remove_dir_all(&dir);
}

/// config.fleet through the ABI: calls reserve their slot in Redis (the
/// budget's state appears there), `"state": {"fleet": true}` keeps a poll's
/// per-record state there too, and with Redis gone a fail-closed client's
/// call is FLEET_UNAVAILABLE, sending nothing.
#[test]
fn a_fleet_client_reserves_through_redis_and_fails_closed_without_it() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(SandboxConfig::default(), 1).unwrap();
    let mut redis = redis_server::RedisServer::start();
    let cfg = json!({
        "baseUrl": sbx.base_url(),
        "credentials": {"kind": "privateIntegrationToken", "token": sbx.pit(), "locationId": sbx.location_id()},
        "fleet": {"redisUrl": redis.url(), "keyPrefix": "abi:"},
        "state": {"fleet": true},
        "callTimeoutMs": 5000,
    })
    .to_string();
    let (c, l) = cstr(&cfg);
    let mut client = null_mut();
    assert!(take(contacts_client_new(c, l, null(), &mut client)).is_none());
    let params = json!({"locationId": sbx.location_id()});
    for _ in 0..3 {
        call(client, "locations.get", &params).unwrap();
    }
    let baseline = poll(client, "ContactCreate", &json!({}), None).unwrap();
    assert_eq!(baseline["events"], json!([]));
    let keys = std::process::Command::new("redis-cli")
        .args(["-u", &redis.url(), "--scan", "--pattern", "abi:*"])
        .output()
        .unwrap();
    let keys = String::from_utf8_lossy(&keys.stdout);
    assert!(keys.contains("rate:"), "the budget lives in Redis: {keys}");
    assert!(
        keys.contains("libcontacts/owner"),
        "the poll's state store is the fleet's, bound to the location: {keys}"
    );
    redis.stop();
    let before = sbx.api_requests();
    let (code, msg) = call(client, "locations.get", &params).unwrap_err();
    assert_eq!(code, contacts_code::FleetUnavailable, "{msg}");
    assert_eq!(sbx.api_requests(), before, "nothing sent");
    contacts_client_free(client);
}
