//! Conformance with the official OpenAPI specs in `../shared/ghl-openapi/`
//! (read in place, never copied): every spec operation is in the catalog with
//! the same method, path and operationId, and every request body the core
//! builds validates against the spec's request schema.
//!
//! Set `LIBCONTACTS_SHARED` to point at another copy of `shared/`.

use contacts_core::{Config, TokenClass, catalog};
use serde_json::{Map, Value, json};
use std::path::PathBuf;

#[path = "../../tests/support/openapi.rs"]
mod openapi;
use openapi::{body_schema, spec};

fn spec_operations(spec: &Value) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let id = op["operationId"].as_str().unwrap_or_default().to_string();
            out.push((method.to_uppercase(), path.clone(), id));
        }
    }
    out
}

fn catalog_entry(method: &str, path: &str) -> Option<&'static catalog::Entry> {
    catalog::entries()
        .iter()
        .find(|e| e.spec.method.as_str() == method && e.spec.path == path)
}

#[test]
fn every_contacts_spec_operation_is_in_the_catalog() {
    if !openapi::specs_present("every_contacts_spec_operation_is_in_the_catalog") {
        return;
    }
    let ops = spec_operations(&spec("contacts.json"));
    assert_eq!(ops.len(), 32, "the contacts spec has 32 operations");
    for (method, path, id) in ops {
        let entry = catalog_entry(&method, &path)
            .unwrap_or_else(|| panic!("{method} {path} ({id}) is missing from the catalog"));
        assert_eq!(entry.spec.operation_id, id, "{method} {path}");
    }
}

#[test]
fn related_catalog_operations_exist_in_their_specs() {
    if !openapi::specs_present("related_catalog_operations_exist_in_their_specs") {
        return;
    }
    let specs: Vec<(Value, &str)> = openapi::CATALOG_SPECS
        .into_iter()
        .map(|f| (spec(f), f))
        .collect();
    for e in catalog::entries() {
        let found = specs.iter().find_map(|(s, f)| {
            let op = s["paths"][e.spec.path].get(e.spec.method.as_str().to_lowercase())?;
            Some((op.clone(), *f))
        });
        let (op, file) = found.unwrap_or_else(|| {
            panic!(
                "{} ({} {}) is in no spec",
                e.spec.name, e.spec.method, e.spec.path
            )
        });
        assert_eq!(
            op["operationId"], e.spec.operation_id,
            "{} in {file}",
            e.spec.name
        );
        let version_header = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|p| p["name"] == "Version" && p["in"] == "header");
        assert_eq!(
            version_header,
            e.spec.version.is_some(),
            "{}: Version header",
            e.spec.name
        );
        let spec_scope = op
            .pointer("/security/0")
            .and_then(Value::as_object)
            .and_then(|m| m.values().next())
            .and_then(|scopes| scopes.get(0))
            .and_then(Value::as_str);
        if let Some(scope) = spec_scope {
            assert_eq!(Some(scope), e.spec.scope, "{}: scope", e.spec.name);
        }
        if e.spec.bearer {
            assert_eq!(
                e.spec.token,
                token_class_of(&op),
                "{}: token class (security {})",
                e.spec.name,
                op["security"]
            );
        }
    }
}

/// The token class a spec operation's `security` says: agency schemes only,
/// location schemes only, both; a plain `bearer` is HighLevel's location
/// token.
fn token_class_of(op: &Value) -> TokenClass {
    let schemes: Vec<&str> = op["security"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .flat_map(|m| m.keys().map(String::as_str))
        .collect();
    let agency = schemes.iter().any(|s| s.starts_with("Agency-Access"));
    let location = schemes
        .iter()
        .any(|s| *s == "Location-Access" || *s == "bearer");
    match (agency, location) {
        (true, true) => TokenClass::Any,
        (true, false) => TokenClass::Agency,
        _ => TokenClass::Location,
    }
}

fn decode_form(body: &[u8]) -> Value {
    let text = std::str::from_utf8(body).unwrap();
    let mut m = Map::new();
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap();
        let v = percent_decode(v);
        m.insert(percent_decode(k), Value::String(v));
    }
    Value::Object(m)
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn built_request_bodies_validate_against_the_spec() {
    if !openapi::specs_present("built_request_bodies_validate_against_the_spec") {
        return;
    }
    let specs = openapi::all_specs();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/operations.json");
    let vectors: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let cfg = Config::default().with_token("t");
    let mut validated = 0;
    for v in vectors["vectors"].as_array().unwrap() {
        let op = v["op"].as_str().unwrap();
        let entry = catalog::find(op).unwrap();
        let req = catalog::build(op, &v["params"], &cfg).unwrap();
        let method = entry.spec.method.as_str().to_lowercase();
        let Some(schema) = specs
            .iter()
            .find_map(|s| body_schema(s, &method, entry.spec.path))
        else {
            continue;
        };
        let instance = if req.header("Content-Type") == Some("application/x-www-form-urlencoded") {
            decode_form(&req.body)
        } else {
            serde_json::from_slice(&req.body).unwrap()
        };
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{op}: body {instance} does not match the spec: {errors:?}"
        );
        validated += 1;
    }
    assert!(validated >= 25, "only {validated} bodies were checked");
}

#[test]
fn the_validator_rejects_what_the_spec_forbids() {
    if !openapi::specs_present("the_validator_rejects_what_the_spec_forbids") {
        return;
    }
    // The strictness this test relies on, shown on a body we must never send.
    let spec = spec("contacts.json");
    let schema = body_schema(&spec, "post", "/contacts/{contactId}/tasks").unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(
        !validator.is_valid(&json!({"title": "x", "dueDate": "d"})),
        "missing completed"
    );
    assert!(
        !validator
            .is_valid(&json!({"title": "x", "dueDate": "d", "completed": false, "contactId": "c"}))
    );
    assert!(validator.is_valid(&json!({"title": "x", "dueDate": "d", "completed": false})));
}
