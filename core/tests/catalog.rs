//! The committed catalog.json is what the Rust types generate, and it lists
//! exactly the operations the registry serves.

use contacts_core::catalog;
use serde_json::Value;

#[cfg(feature = "schema")]
#[test]
fn committed_catalog_matches_generated() {
    let generated = serde_json::to_string_pretty(&catalog::generate()).unwrap() + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/catalog.json");
    if std::env::var_os("UPDATE_CATALOG").is_some() {
        std::fs::write(path, &generated).unwrap();
        return;
    }
    assert!(
        std::fs::read_to_string(path).unwrap() == generated,
        "core/catalog.json is stale: run UPDATE_CATALOG=1 cargo test -p contacts-core --features schema --test catalog"
    );
}

#[test]
fn describe_is_the_committed_file_without_layout() {
    let committed = include_str!("../catalog.json");
    let described = catalog::describe();
    assert!(
        described.len() < committed.len() * 2 / 3,
        "whitespace was not dropped"
    );
    assert!(!described.contains('\n'));
    let a: Value = serde_json::from_str(committed).unwrap();
    let b: Value = serde_json::from_str(described).unwrap();
    assert_eq!(a, b);
}

#[test]
fn catalog_lists_every_registered_operation_with_schemas() {
    let cat: Value = serde_json::from_str(catalog::describe()).unwrap();
    let actions = cat["actions"].as_array().unwrap();
    let names: Vec<&str> = actions
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    let registered: Vec<&str> = catalog::names().collect();
    assert_eq!(names, registered);
    for a in actions {
        for key in ["params", "result"] {
            assert!(a[key].is_object(), "{} has no {key} schema", a["name"]);
        }
        let composite = a["kind"] == "composite";
        let facts: &[&str] = if composite {
            &["category", "scopes", "idempotent", "pagination", "summary"]
        } else {
            &["method", "path", "idempotent", "pagination", "summary"]
        };
        for key in facts {
            assert!(!a[key].is_null(), "{} has no {key}", a["name"]);
        }
    }
    let composites: Vec<&str> = contacts_core::actions::all()
        .iter()
        .map(|a| a.name)
        .collect();
    assert!(
        names.ends_with(&composites),
        "composite actions follow the operations"
    );
    let triggers = cat["triggers"].as_array().unwrap();
    let poll_only = contacts_core::triggers::POLLED
        .iter()
        .filter(|t| !t.webhook)
        .count();
    assert_eq!(
        triggers.len(),
        contacts_core::webhooks::EVENT_TYPES.len() + poll_only,
        "each trigger type once, however it arrives"
    );
    for polled in contacts_core::triggers::POLLED {
        let t = triggers
            .iter()
            .find(|t| t["type"] == polled.name)
            .unwrap_or_else(|| panic!("{} is not a catalog trigger", polled.name));
        let delivery = if polled.webhook { "both" } else { "poll" };
        assert_eq!(t["delivery"], delivery, "{}", polled.name);
        assert_eq!(t["cost"], polled.cost, "{}: the cost row", polled.name);
        assert!(
            t["schema"].is_object() && t["schema"] != serde_json::json!({}),
            "{}",
            polled.name
        );
    }
    for t in triggers {
        assert!(
            t["category"].is_string() && t["delivery"].is_string(),
            "{t}"
        );
    }
    for a in cat["actions"].as_array().unwrap() {
        assert!(a["category"].is_string(), "{}", a["name"]);
        assert!(
            a["readOnly"].is_boolean() && a["destructive"].is_boolean(),
            "{}",
            a["name"]
        );
        assert!(
            !(a["readOnly"] == true && a["destructive"] == true),
            "{}",
            a["name"]
        );
    }
    let hint = |name: &str, key: &str| {
        cat["actions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap()[key]
            .clone()
    };
    assert_eq!(
        hint("contacts.search", "readOnly"),
        true,
        "a search POSTs but only reads"
    );
    assert_eq!(hint("contacts.delete", "destructive"), true);
    assert_eq!(hint("contacts.getWithActivity", "readOnly"), true);
    assert_eq!(hint("contacts.capture", "readOnly"), false);
}

#[test]
fn names_are_unique_and_dotted() {
    let mut seen = std::collections::HashSet::new();
    for e in catalog::entries() {
        assert!(seen.insert(e.spec.name), "duplicate {}", e.spec.name);
        assert!(e.spec.name.contains('.'), "{}", e.spec.name);
        assert_eq!(
            e.is_paginated(),
            e.spec.pagination != contacts_core::PaginationKind::None,
            "{}",
            e.spec.name
        );
    }
}
