//! Test support shared by the Rust test suites: reading the official OpenAPI
//! specs in place from `../shared/ghl-openapi/` and turning their schemas into
//! JSON Schema for the `jsonschema` validator. Included with `#[path]`.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::path::PathBuf;

/// `../shared` beside the project, or `LIBCONTACTS_SHARED`.
pub fn shared_dir() -> PathBuf {
    std::env::var_os("LIBCONTACTS_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"))
}

/// Whether the official specs are there for `suite` to read. Without them a
/// suite is skipped, and says so on stderr with how to point it at a copy;
/// with `CI=true` a missing copy fails instead, so CI never skips silently.
pub fn specs_present(suite: &str) -> bool {
    let dir = shared_dir().join("ghl-openapi/apps");
    if dir.is_dir() {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{suite}: CI=true but {} is missing; the spec suites are never skipped in CI",
        dir.display()
    );
    eprintln!(
        "skipped {suite}: no official specs at {} (set LIBCONTACTS_SHARED to a copy of shared/)",
        dir.display()
    );
    false
}

/// One spec of `ghl-openapi/apps/`, parsed.
pub fn spec(name: &str) -> Value {
    let path = shared_dir().join("ghl-openapi/apps").join(name);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (is ../shared beside the project?)", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// The specs the catalog draws on.
pub const CATALOG_SPECS: [&str; 8] = [
    "contacts.json",
    "businesses.json",
    "locations.json",
    "oauth.json",
    "calendars.json",
    "custom-fields.json",
    "users.json",
    "associations.json",
];

/// The specs the catalog draws on ([`CATALOG_SPECS`]), parsed.
pub fn all_specs() -> Vec<Value> {
    CATALOG_SPECS.into_iter().map(spec).collect()
}

/// OpenAPI 3.0 → JSON Schema 2020-12: `nullable: true` becomes a `"null"` type.
pub fn openapi_to_json_schema(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.remove("nullable") == Some(Value::Bool(true)) {
                if let Some(Value::String(t)) = m.get("type").cloned() {
                    m.insert("type".into(), json!([t, "null"]));
                }
            }
            m.values_mut().for_each(openapi_to_json_schema);
        }
        Value::Array(a) => a.iter_mut().for_each(openapi_to_json_schema),
        _ => {}
    }
}

fn resolve(spec: &Value, mut schema: Value) -> Value {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        schema = spec
            .pointer(r.trim_start_matches('#'))
            .unwrap_or_else(|| panic!("{r}"))
            .clone();
    }
    schema
}

fn with_components(spec: &Value, mut schema: Value) -> Value {
    schema["components"] = spec["components"].clone();
    openapi_to_json_schema(&mut schema);
    schema
}

/// The request-body schema of `method path`, strict at the top level (no
/// properties the spec does not list).
pub fn body_schema(spec: &Value, method: &str, path: &str) -> Option<Value> {
    let content = spec["paths"][path][method]
        .pointer("/requestBody/content")?
        .as_object()?;
    let media = content
        .get("application/json")
        .or_else(|| content.get("application/x-www-form-urlencoded"))?;
    let mut schema = resolve(spec, media["schema"].clone());
    if schema["properties"]
        .as_object()
        .is_some_and(|p| !p.is_empty())
    {
        schema["additionalProperties"] = json!(false);
    }
    Some(with_components(spec, schema))
}

/// The response schema of `method path` for `status`, if the spec gives one.
pub fn response_schema(spec: &Value, method: &str, path: &str, status: u16) -> Option<Value> {
    let resp = spec["paths"][path][method].pointer(&format!("/responses/{status}"))?;
    let schema = resp.pointer("/content/application~1json/schema")?.clone();
    Some(with_components(spec, resolve(spec, schema)))
}

/// The spec (of `specs`) that documents `method path`.
pub fn spec_for<'a>(specs: &'a [Value], method: &str, path: &str) -> Option<&'a Value> {
    specs
        .iter()
        .find(|s| s["paths"][path].get(method).is_some())
}
