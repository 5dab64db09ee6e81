//! The condition and template language against the shared vectors
//! (`tests/vectors/lang.json`, which every surface runs), then what only the
//! Rust API shows: one load, many evaluations, and the catalog's schema of
//! the language holding every operator and filter.

#[path = "../../tests/support/vectors.rs"]
mod support;

use contacts_core::ErrorCode;
use contacts_core::lang::{Condition, FILTERS, OPERATORS, Scope, Template};
use serde_json::Value;

fn expect_error(name: &str, result: contacts_core::Result<()>, expected: &Value) {
    support::expect_refusal(name, &result.expect_err(name), expected);
}

#[test]
fn condition_vectors() {
    let file = support::load("lang.json");
    let cases = file["conditions"].as_array().unwrap();
    assert!(cases.len() >= 30);
    for v in cases {
        let name = v["name"].as_str().unwrap();
        let scope = Scope::from_json(&v["scope"]).unwrap();
        let loaded = Condition::load(&v["condition"], &scope);
        if let Some(expected) = v.get("expect_error") {
            expect_error(name, loaded.map(drop), expected);
            continue;
        }
        let condition = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in v["cases"].as_array().unwrap() {
            assert_eq!(
                Value::Bool(condition.eval(&case["data"])),
                case["expect"],
                "{name}: {}",
                case["data"]
            );
        }
    }
}

#[test]
fn template_vectors() {
    let file = support::load("lang.json");
    for v in file["templates"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let scope = Scope::from_json(&v["scope"]).unwrap();
        let loaded = Template::load(&v["template"], &scope);
        if let Some(expected) = v.get("expect_error") {
            expect_error(name, loaded.map(drop), expected);
            continue;
        }
        let template = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
        for case in v["cases"].as_array().unwrap() {
            assert_eq!(template.render(&case["data"]), case["expect"], "{name}");
        }
    }
}

#[test]
fn scope_vectors() {
    let file = support::load("lang.json");
    for v in file["scopes"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        expect_error(
            name,
            Scope::from_json(&v["scope"]).map(drop),
            &v["expect_error"],
        );
    }
}

#[test]
fn every_operator_and_filter_is_in_a_vector() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/vectors/lang.json"
    ))
    .unwrap();
    for op in OPERATORS {
        assert!(
            text.contains(&format!("\"op\": \"{}\"", op.name)),
            "no vector uses {}",
            op.name
        );
    }
    for filter in FILTERS {
        assert!(
            text.contains(&format!("| {}", filter.name))
                || text.contains(&format!("|{}", filter.name)),
            "no vector uses {}",
            filter.name
        );
    }
}

#[test]
fn the_catalog_serves_the_language_schema_from_the_one_list_of_each() {
    let catalog: Value = serde_json::from_str(contacts_core::catalog::describe()).unwrap();
    let language = &catalog["language"];
    let ops: Vec<&str> = language["operators"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(ops, OPERATORS.iter().map(|o| o.name).collect::<Vec<_>>());
    let filters: Vec<&str> = language["filters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(filters, FILTERS.iter().map(|f| f.name).collect::<Vec<_>>());
    // The schema accepts what loads and refuses what a builder must not emit.
    let schema = &language["condition"];
    let validator = jsonschema::validator_for(schema).unwrap();
    let file = support::load("lang.json");
    for v in file["conditions"].as_array().unwrap() {
        if v.get("expect_error").is_none() {
            assert!(
                validator.is_valid(&v["condition"]),
                "{}: the schema refuses a condition that loads",
                v["name"]
            );
        }
    }
    for bad in [
        serde_json::json!({"path": "contact.email", "op": "equals", "value": 1}),
        serde_json::json!({"path": "contact.source", "op": "in", "value": "form"}),
        serde_json::json!({"all": [], "any": []}),
    ] {
        assert!(!validator.is_valid(&bad), "the schema takes {bad}");
    }
}

#[test]
fn a_loaded_condition_evaluates_any_number_of_times_without_reloading() {
    let scope = Scope::new().with_any("n");
    let c = Condition::load(
        &serde_json::json!({"path": "n.v", "op": "gt", "value": 10}),
        &scope,
    )
    .unwrap();
    let passed = (0..100)
        .filter(|i| c.eval(&serde_json::json!({"n": {"v": i}})))
        .count();
    assert_eq!(passed, 89);
    assert_eq!(ErrorCode::InvalidArgument.as_str(), "INVALID_ARGUMENT");
}
