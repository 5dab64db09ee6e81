//! Runs every shared vector in `tests/vectors/` through the Rust API. The C
//! ABI, the JS package and the bindings run the same files.

use contacts_core::webhooks::WebhookVerifier;
use contacts_core::{Config, Error, ErrorCode, HttpResponse, catalog};
use serde_json::Value;
use std::collections::BTreeSet;

#[path = "../../tests/support/vectors.rs"]
mod support;
use support::{body_bytes, event_body, headers, load, subset, vectors};

fn config() -> Config {
    Config::default().with_token("pit-vector-token")
}

fn response(v: &Value) -> HttpResponse {
    HttpResponse {
        status: v["status"].as_u64().unwrap() as u16,
        headers: headers(&v["headers"]),
        body: body_bytes(v),
    }
}

fn check_error(name: &str, err: &Error, expect: &Value) {
    let code = expect["code"].as_str().unwrap();
    assert_eq!(err.code().as_str(), code, "{name}: {err}");
    if let Some(s) = expect.get("http_status") {
        assert_eq!(err.http_status().map(u64::from), s.as_u64(), "{name}");
    }
    if let Some(ms) = expect.get("retry_after_ms") {
        assert_eq!(err.retry_after_ms(), ms.as_u64(), "{name}");
    }
    if let Some(scope) = expect.get("required_scope") {
        assert_eq!(err.required_scope(), scope.as_str(), "{name}");
    }
    if let Some(t) = expect.get("trace_id") {
        assert_eq!(err.trace_id(), t.as_str(), "{name}");
    }
    if let Some(m) = expect.get("messages") {
        let want: Vec<&str> = m
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        assert_eq!(err.messages(), want.as_slice(), "{name}");
    }
    if let Some(raw) = expect.get("raw_body") {
        let got = err
            .raw_body()
            .map(|b| String::from_utf8_lossy(b).into_owned());
        assert_eq!(got.as_deref(), raw.as_str(), "{name}");
    }
    if let Some(c) = expect.get("message_contains") {
        assert!(
            err.to_string().contains(c.as_str().unwrap()),
            "{name}: {err}"
        );
    }
}

/// Runs one operation vector; returns the error codes it exercised.
fn run_operation_vector(v: &Value) -> Option<ErrorCode> {
    let name = v["name"].as_str().unwrap();
    let op = v["op"].as_str().unwrap();
    let built = catalog::build(op, &v["params"], &config());
    if v.get("response").is_none() {
        if let Some(expect) = v.get("expect_error") {
            let err = built.expect_err(name);
            check_error(name, &err, expect);
            return Some(err.code());
        }
    }
    let req = built.unwrap_or_else(|e| panic!("{name}: build failed: {e}"));
    if let Some(expect) = v.get("expect_request") {
        assert_eq!(req.method.as_str(), expect["method"], "{name}");
        assert_eq!(req.url, expect["url"].as_str().unwrap(), "{name}");
        for (k, want) in headers(&expect["headers"]) {
            assert_eq!(req.header(&k), Some(want.as_str()), "{name}: header {k}");
        }
        for absent in expect
            .get("absent_headers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert_eq!(
                req.header(absent.as_str().unwrap()),
                None,
                "{name}: {absent} present"
            );
        }
        if let Some(body) = expect.get("body") {
            let got: Value = serde_json::from_slice(&req.body).unwrap();
            assert_eq!(&got, body, "{name}: body");
        }
        if let Some(text) = expect.get("body_text") {
            assert_eq!(
                String::from_utf8_lossy(&req.body),
                text.as_str().unwrap(),
                "{name}: body"
            );
        }
    }
    let resp = response(v.get("response")?);
    let parsed = catalog::parse(op, &v["params"], &resp);
    // The text path (what the C ABI hands out) must say exactly the same.
    #[cfg(feature = "typed")]
    match (&parsed, catalog::parse_text(op, &v["params"], &resp)) {
        (Ok(value), Ok(text)) => {
            let from_text: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(&from_text, value, "{name}: parse_text");
        }
        // A body that does not fit is found by two readers (the typed decoder
        // and the schema), which word the detail differently; all else is equal.
        (Err(a), Err(b)) if a.code() == contacts_core::ErrorCode::Decode => {
            let prefix = |e: &contacts_core::Error| {
                let s = e.to_string();
                s[..s.find("JSON: ").map_or(s.len(), |i| i + 5)].to_string()
            };
            assert_eq!(prefix(a), prefix(&b), "{name}: parse_text");
            assert_eq!(b.code(), a.code(), "{name}: parse_text");
        }
        (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{name}: parse_text"),
        (a, b) => panic!("{name}: parse gave {a:?}, parse_text {b:?}"),
    }
    if let Some(expect) = v.get("expect_error") {
        let err = parsed.expect_err(name);
        check_error(name, &err, expect);
        return Some(err.code());
    }
    let out = parsed.unwrap_or_else(|e| panic!("{name}: parse failed: {e}"));
    if let Some(expect) = v.get("expect_output") {
        assert!(
            subset(expect, &out),
            "{name}: output\n{out:#}\ndoes not contain\n{expect:#}"
        );
    }
    None
}

#[test]
fn operation_vectors_cover_every_catalog_operation() {
    let vs = vectors("operations.json");
    let covered: BTreeSet<&str> = vs.iter().map(|v| v["op"].as_str().unwrap()).collect();
    for e in catalog::entries() {
        assert!(
            covered.contains(e.spec.name),
            "no vector for {}",
            e.spec.name
        );
    }
    for v in &vs {
        assert!(v.get("expect_request").is_some() && v.get("expect_output").is_some());
        assert_eq!(run_operation_vector(v), None);
    }
}

#[test]
fn error_vectors_cover_every_error_class() {
    let mut codes = BTreeSet::new();
    for v in vectors("errors.json") {
        codes.insert(
            run_operation_vector(&v)
                .expect("an error vector must fail")
                .as_str()
                .to_string(),
        );
    }
    for v in vectors("webhooks.json") {
        for d in v["deliveries"].as_array().unwrap() {
            if let Some(c) = d.pointer("/expect_error/code") {
                codes.insert(c.as_str().unwrap().to_string());
            }
        }
    }
    for code in ErrorCode::ALL {
        if !ErrorCode::ENGINE_ONLY.contains(&code) {
            assert!(codes.contains(code.as_str()), "no vector produces {code}");
        }
    }
}

#[test]
fn hostile_ids_are_encoded_or_refused() {
    for v in vectors("hostile_ids.json") {
        run_operation_vector(&v);
        if let Ok(req) = catalog::build(v["op"].as_str().unwrap(), &v["params"], &config()) {
            let path = req
                .url
                .trim_start_matches("https://services.leadconnectorhq.com");
            let path = path.split('?').next().unwrap();
            assert!(
                !path.contains("/../") && !path.contains('#') && !path.contains(['\r', '\n', ' '])
            );
        }
    }
}

#[test]
fn pagination_vectors() {
    for v in vectors("pagination.json") {
        let name = v["name"].as_str().unwrap();
        let op = v["op"].as_str().unwrap();
        catalog::build(op, &v["params"], &config()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let out = catalog::parse(op, &v["params"], &response(&v["response"])).unwrap();
        let next = catalog::next_page(op, &v["params"], &out);
        match v.get("expect_next_error") {
            Some(expect) => check_error(name, &next.expect_err(name), expect),
            None => {
                let next = next.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(
                    next.unwrap_or(Value::Null),
                    v["expect_next_params"],
                    "{name}"
                );
            }
        }
    }
}

#[test]
fn webhook_vectors() {
    let file = load("webhooks.json");
    let key = file["public_key"].as_str().unwrap();
    // Every trigger the catalog counts has a vector of its own type.
    let catalog: Value = serde_json::from_str(contacts_core::catalog::describe()).unwrap();
    for t in catalog["triggers"].as_array().unwrap() {
        let kind = &t["type"];
        let covered = file["vectors"].as_array().unwrap().iter().any(|v| {
            v["deliveries"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| &d["expect_event"]["type"] == kind)
        });
        assert!(covered, "trigger {kind} has no webhook vector");
    }
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let verifier = WebhookVerifier::from_public_keys(&[key]).unwrap();
        for d in v["deliveries"].as_array().unwrap() {
            let got = verifier.verify(
                &headers(&d["headers"]),
                d["body_text"].as_str().unwrap().as_bytes(),
                d["now_ms"].as_u64().unwrap(),
            );
            match (d.get("expect_event"), d.get("expect_error")) {
                (Some(expect), _) => {
                    let event = got.unwrap_or_else(|e| panic!("{name}: {e}")).to_json();
                    assert!(subset(expect, &event), "{name}: {event:#}");
                }
                (None, Some(expect)) => check_error(name, &got.expect_err(name), expect),
                _ => panic!("{name}: a delivery needs expect_event or expect_error"),
            }
        }
    }
}

#[test]
fn malformed_bodies_are_decode_errors() {
    let mut kinds = BTreeSet::new();
    for v in vectors("malformed.json") {
        let name = v["name"].as_str().unwrap();
        let kind = v["kind"].as_str().unwrap();
        kinds.insert(kind.to_string());
        let got = match kind {
            "event_body" => contacts_core::webhooks::parse_event(&event_body(&v)),
            "response_body" => {
                let r = &v["response"];
                let resp = HttpResponse::new(r["status"].as_u64().unwrap() as u16, body_bytes(r));
                let op = v["op"].as_str().unwrap();
                // The typed Rust API refuses it with the same code.
                #[cfg(feature = "typed")]
                {
                    let e = catalog::parse_text(op, &v["params"], &resp).expect_err(name);
                    assert_eq!(e.code().as_str(), v["expect_code"], "{name} (typed): {e}");
                }
                catalog::parse(op, &v["params"], &resp)
            }
            // The Rust API takes `serde_json::Value`: no JSON text to refuse.
            "host_json" => continue,
            other => panic!("{name}: unknown kind {other}"),
        };
        let e = got.expect_err(name);
        assert_eq!(e.code().as_str(), v["expect_code"], "{name}: {e}");
    }
    assert_eq!(kinds.len(), 3, "every kind is in the table: {kinds:?}");
}
