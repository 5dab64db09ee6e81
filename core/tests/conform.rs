//! The JSON surfaces conform payloads to the catalog's schemas
//! (`catalog::conform_event`) instead of decoding them into the typed models.
//! These tests hold the two equal: over every payload in the shared vectors,
//! and over mutations of each (every node swapped for every JSON kind, keys
//! dropped, renamed to their aliases, unknown keys added), the schema path
//! accepts exactly what the typed path accepts and writes the same JSON.

use contacts_core::catalog;
use contacts_core::webhooks::WebhookEvent;
use serde_json::{Value, json};

fn vectors(file: &str) -> Value {
    let path = format!("{}/../tests/vectors/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Values of every JSON kind, to put in place of each node.
fn probes() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(7),
        json!(1.5),
        json!(""),
        json!("active"),
        json!([]),
        json!(["x"]),
        json!([1]),
        json!({}),
        json!({"status": "inactive"}),
    ]
}

/// Every variant of `v` with one change at one place.
fn mutations(v: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for probe in probes() {
        out.push(probe);
    }
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let mut dropped = m.clone();
                dropped.remove(k);
                out.push(Value::Object(dropped));
                for spelling in [k.to_lowercase(), k.to_uppercase(), format!("{k}_x")] {
                    if spelling != *k {
                        let mut renamed = m.clone();
                        let moved = renamed.remove(k).unwrap();
                        renamed.insert(spelling, moved);
                        out.push(Value::Object(renamed));
                    }
                }
                for changed in mutations(child) {
                    let mut with = m.clone();
                    with.insert(k.clone(), changed);
                    out.push(Value::Object(with));
                }
            }
            let mut extra = m.clone();
            extra.insert("unmodelled".into(), json!({"n": null}));
            out.push(Value::Object(extra));
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                for changed in mutations(child) {
                    let mut with = items.clone();
                    with[i] = changed;
                    out.push(Value::Array(with));
                }
            }
        }
        _ => {}
    }
    out
}

fn assert_same(payload: &Value) -> bool {
    let typed = WebhookEvent::from_value(payload.clone()).map(|e| e.to_json());
    let conformed = catalog::conform_event(payload.clone());
    match (&typed, &conformed) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "payload {payload}"),
        (Err(a), Err(b)) => {
            assert_eq!(a.code(), b.code(), "payload {payload}");
            return false;
        }
        _ => panic!("payload {payload}\n typed:     {typed:?}\n conformed: {conformed:?}"),
    }
    true
}

/// Payloads that reach every modelled field: the vectors' bodies, plus a
/// DND update spelled with the v3 keys and custom fields in both spellings.
fn webhook_seeds() -> Vec<Value> {
    let mut seeds: Vec<Value> = vectors("webhooks.json")["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["deliveries"].as_array().unwrap().clone())
        .filter_map(|d| serde_json::from_str(d["body_text"].as_str()?).ok())
        .collect();
    seeds.push(json!({
        "type": "ContactDndUpdate", "id": "c1", "dnd": true,
        "dndSettings": {"sms": {"status": "active", "message": "m"}, "Call": {"status": "permanent", "code": null},
                        "whatsapp": {"status": "inactive"}, "rcs": {"status": "active"}},
        "customFields": [{"id": "f1", "value": 3}, {"id": "f2", "field_value": ["a"]}],
        "dateOfBirth": {"year": 1990}
    }));
    seeds.push(json!({"type": "AppointmentCreate", "appointment": {"id": "a1", "startTime": "2026-01-01T10:00:00Z", "x": 1}}));
    seeds.push(
        json!({"type": "INSTALL", "appId": "app", "installType": "Location", "locationId": "l"}),
    );
    seeds.push(json!({"type": "UNINSTALL", "appId": "app", "companyId": "co"}));
    seeds
}

#[test]
fn webhook_events_conform_as_the_typed_models_decode() {
    let (mut accepted, mut refused) = (0, 0);
    for seed in webhook_seeds() {
        for payload in std::iter::once(seed.clone()).chain(mutations(&seed)) {
            // Keep the type: a mutated `type` is another event, tested as a seed.
            let payload = match (&payload, seed.get("type")) {
                (Value::Object(m), Some(t)) => {
                    let mut m = m.clone();
                    m.insert("type".into(), t.clone());
                    Value::Object(m)
                }
                _ => payload,
            };
            if assert_same(&payload) {
                accepted += 1;
            } else {
                refused += 1;
            }
        }
    }
    // Both outcomes must be exercised, or the comparison proves little.
    assert!(
        accepted > 500 && refused > 200,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn every_event_type_is_conformed_by_its_own_schema() {
    for kind in contacts_core::webhooks::EVENT_TYPES
        .iter()
        .map(|(k, _, _)| *k)
    {
        let out =
            catalog::conform_event(json!({"type": kind, "locationId": "l", "gone": null})).unwrap();
        assert_eq!(out["type"], kind);
        assert_eq!(out["locationId"], "l");
        let wrong = catalog::conform_event(json!({"type": kind, "locationId": 5})).unwrap_err();
        assert_eq!(wrong.code(), contacts_core::ErrorCode::Decode, "{kind}");
        assert!(
            wrong.message().contains(&format!("{kind}.locationId")),
            "{wrong}"
        );
    }
    // Not an object, unknown types: kept (as `{}` when there is nothing to keep).
    assert_eq!(catalog::conform_event(json!([1])).unwrap(), json!({}));
    let unknown = json!({"type": "OpportunityCreate", "n": null});
    assert_eq!(catalog::conform_event(unknown.clone()).unwrap(), unknown);
}
