//! The built-in catalog's text (`core/catalog.json`, compacted by build.rs)
//! and its schemas by action name or trigger type, each parsed on first use.
//! It knows no operation type: the catalog names what it holds.

use serde_json::Value;

/// The catalog as JSON text: `{actions: [...], triggers: [...]}`, each action
/// with `name, summary, method, path, scope, version, idempotent,
/// pagination, params, result`. Generated from the Rust types
/// (`cargo test -p contacts-core --features schema`) and committed as
/// `core/catalog.json`; this is that file without its layout whitespace.
/// The catalog module hands it on; the schema route reads its schemas.
pub fn describe() -> &'static str {
    &DESCRIBE_NUL[..DESCRIBE_NUL.len() - 1]
}

/// [`describe`] followed by one NUL, for C hosts that take it as a C string
/// (one copy of the text serves both).
pub const DESCRIBE_NUL: &str = concat!(
    include_str!(concat!(env!("OUT_DIR"), "/catalog.min.json")),
    "\0"
);

// ACTION_SPANS and TRIGGER_SPANS: where each schema lies in `describe()`,
// found by build.rs, so a call parses only its own action's schemas (parsing
// the whole catalog made the first call in the wasm take 12 ms).
include!(concat!(env!("OUT_DIR"), "/catalog_spans.rs"));

/// A byte range of `describe()`.
type Span = (usize, usize);

/// One schema of the built-in catalog, parsed on first use. `Null` only if
/// its text did not parse, which the catalog tests rule out.
fn schema_at(span: Span, parsed: &'static std::sync::OnceLock<Value>) -> &'static Value {
    parsed.get_or_init(|| {
        describe()
            .get(span.0..span.1)
            .and_then(|text| serde_json::from_str(text).ok())
            .unwrap_or(Value::Null)
    })
}

#[allow(clippy::declare_interior_mutable_const)]
const UNPARSED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
#[allow(clippy::declare_interior_mutable_const)]
const UNPARSED_PAIR: (std::sync::OnceLock<Value>, std::sync::OnceLock<Value>) =
    (UNPARSED, UNPARSED);
static ACTION_SCHEMAS: [(std::sync::OnceLock<Value>, std::sync::OnceLock<Value>); ACTION_COUNT] =
    [UNPARSED_PAIR; ACTION_COUNT];
static TRIGGER_SCHEMAS: [std::sync::OnceLock<Value>; TRIGGER_COUNT] = [UNPARSED; TRIGGER_COUNT];

/// The definitions every schema shares, in a lean catalog (feature
/// `lean-catalog` moves each schema's `$defs` there); `None` otherwise.
pub(crate) fn shared_defs() -> Option<&'static Value> {
    static PARSED: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    if SHARED_DEFS_SPAN == (0, 0) {
        return None;
    }
    Some(schema_at(SHARED_DEFS_SPAN, &PARSED))
}

/// The schema of trigger (webhook event type) `kind`.
pub(crate) fn trigger_schema(kind: &str) -> Option<&'static Value> {
    let index = TRIGGER_SPANS.iter().position(|(k, _)| *k == kind)?;
    Some(schema_at(TRIGGER_SPANS[index].1, &TRIGGER_SCHEMAS[index]))
}

/// The params and result schemas of the action named `name`, an operation
/// or a composite.
pub(crate) fn action_schemas(name: &str) -> Option<(&'static Value, &'static Value)> {
    let index = ACTION_SPANS.iter().position(|(n, _, _)| *n == name)?;
    let (_, params, result) = ACTION_SPANS.get(index)?;
    let (parsed_params, parsed_result) = ACTION_SCHEMAS.get(index)?;
    Some((
        schema_at(*params, parsed_params),
        schema_at(*result, parsed_result),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_is_found_by_its_name_and_parses() {
        let all: Value = serde_json::from_str(describe()).unwrap();
        let actions = all["actions"].as_array().unwrap();
        assert_eq!(actions.len(), ACTION_COUNT);
        for action in actions {
            let (params, result) = action_schemas(action["name"].as_str().unwrap()).unwrap();
            assert_eq!(params, &action["params"]);
            assert_eq!(result, &action["result"]);
        }
        for trigger in all["triggers"].as_array().unwrap() {
            let kind = trigger["type"].as_str().unwrap();
            assert_eq!(trigger_schema(kind).unwrap(), &trigger["schema"]);
        }
        assert!(action_schemas("contacts.nope").is_none());
    }
}
