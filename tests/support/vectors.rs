//! Test support shared by every Rust runner of `tests/vectors/` (the core's
//! and the C ABI's), so the file format is read one way: loading, the subset
//! match of expected outputs, and the header and body encodings described in
//! `tests/vectors/README.md`. Included with `#[path]`.
#![allow(dead_code)]

use serde_json::Value;

/// A vector file, parsed.
pub fn load(file: &str) -> Value {
    let path = format!("{}/../tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
        .unwrap()
}

/// Holds a core error to a vector's `expect_error {code,
/// message_starts_with}` (a message that starts with the JSON path it names).
pub fn expect_refusal(name: &str, e: &contacts_core::Error, expected: &Value) {
    assert_eq!(e.code().as_str(), expected["code"], "{name}: {e}");
    let start = expected["message_starts_with"].as_str().unwrap();
    assert!(
        e.message().starts_with(start),
        "{name}: {:?} does not start with {start:?}",
        e.message()
    );
}

/// The `vectors` array of a file.
pub fn vectors(file: &str) -> Vec<Value> {
    load(file)["vectors"].as_array().unwrap().clone()
}

/// `expected` is contained in `actual`: objects by key, arrays element-wise
/// with equal length, everything else equal.
pub fn subset(expected: &Value, actual: &Value) -> bool {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e
            .iter()
            .all(|(k, v)| a.get(k).is_some_and(|av| subset(v, av))),
        (Value::Array(e), Value::Array(a)) => {
            e.len() == a.len() && e.iter().zip(a).all(|(x, y)| subset(x, y))
        }
        _ => expected == actual,
    }
}

/// A `headers` object as `(name, value)` pairs.
pub fn headers(v: &Value) -> Vec<(String, String)> {
    v.as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// The bytes of a `body` (compact JSON), `body_text` (as is) or `body_hex`
/// (bytes that are not UTF-8); empty if none.
pub fn body_bytes(v: &Value) -> Vec<u8> {
    match (v.get("body"), v.get("body_text"), v.get("body_hex")) {
        (Some(b), _, _) => serde_json::to_vec(b).unwrap(),
        (None, Some(t), _) => t.as_str().unwrap().as_bytes().to_vec(),
        (None, None, Some(_)) => event_body(v),
        (None, None, None) => Vec::new(),
    }
}

/// The raw bytes of a `malformed.json` event body: `body_text` as is, or
/// `body_hex` (for bytes that are not UTF-8).
pub fn event_body(v: &Value) -> Vec<u8> {
    match (v.get("body_text"), v.get("body_hex")) {
        (Some(t), _) => t.as_str().unwrap().as_bytes().to_vec(),
        (None, Some(h)) => {
            let h = h.as_str().unwrap();
            (0..h.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap())
                .collect()
        }
        (None, None) => panic!("{}: no body_text or body_hex", v["name"]),
    }
}

/// Holds the events one call gave (`events`, JSON text in order) to an
/// `events.json` vector: as many as listed, each a subset match, one
/// `callId` and the `location` on all, and none holding any of `secrets`.
/// Panics with the whole stream on a mismatch.
pub fn check_events(vector: &Value, events: &[String], location: &str, secrets: &[&str]) {
    let name = vector["name"].as_str().unwrap_or("?");
    let shown = events.join("\n");
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        assert!(!shown.contains(s), "{name}: an event holds {s:?}:\n{shown}");
    }
    let parsed: Vec<Value> = events
        .iter()
        .map(|e| serde_json::from_str(e).unwrap_or_else(|err| panic!("{name}: {err}: {e}")))
        .collect();
    let expected = vector["events"].as_array().unwrap();
    assert_eq!(
        parsed.len(),
        expected.len(),
        "{name}: the events were\n{shown}"
    );
    for (i, (e, a)) in expected.iter().zip(&parsed).enumerate() {
        assert!(subset(e, a), "{name}: event {i} is not {e}:\n{shown}");
        assert_eq!(a["location"], location, "{name}: event {i}:\n{shown}");
        assert_eq!(
            a["callId"], parsed[0]["callId"],
            "{name}: event {i}:\n{shown}"
        );
        assert!(a["at"].is_u64(), "{name}: event {i}:\n{shown}");
    }
}
