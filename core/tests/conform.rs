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

/// Every variant of `v` with one change at one place: each node replaced by
/// each probe; each object key dropped, respelled and joined by an unknown
/// key. Built one clone per variant (nested clones would be quadratic).
fn mutations(v: &Value) -> Vec<Value> {
    let mut paths = Vec::new();
    collect_paths(v, String::new(), &mut paths);
    let mut out = Vec::new();
    for path in &paths {
        for probe in probes() {
            let mut variant = v.clone();
            *variant.pointer_mut(path).unwrap() = probe;
            out.push(variant);
        }
        let Some(Value::Object(m)) = v.pointer(path) else {
            continue;
        };
        // (key, new spelling): drop it when there is none; `None` adds a key.
        let mut edits: Vec<(Option<String>, Option<String>)> = vec![(None, None)];
        for k in m.keys() {
            edits.push((Some(k.clone()), None));
            for spelling in [k.to_lowercase(), k.to_uppercase(), format!("{k}_x")] {
                if spelling != *k {
                    edits.push((Some(k.clone()), Some(spelling)));
                }
            }
        }
        for (key, spelling) in edits {
            let mut variant = v.clone();
            if let Some(Value::Object(m)) = variant.pointer_mut(path) {
                match (key, spelling) {
                    (None, _) => {
                        m.insert("unmodelled".into(), json!({"n": null}));
                    }
                    (Some(k), None) => {
                        m.remove(&k);
                    }
                    (Some(k), Some(to)) => {
                        let moved = m.remove(&k).unwrap();
                        m.insert(to, moved);
                    }
                }
            }
            out.push(variant);
        }
    }
    out
}

/// JSON Pointers to every node of `v`, the root (`""`) first; of an array,
/// only the first two items (the rest repeat their shape, and a long page
/// would make the variants quadratic).
fn collect_paths(v: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let key = k.replace('~', "~0").replace('/', "~1");
                collect_paths(child, format!("{here}/{key}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate().take(2) {
                collect_paths(child, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// How many inputs both routes accepted (with equal results) and refused
/// (with equal error codes); any other outcome fails the test.
#[derive(Default)]
struct Tally {
    accepted: usize,
    refused: usize,
}

impl Tally {
    fn compare<T: PartialEq + std::fmt::Debug>(
        &mut self,
        input: &dyn std::fmt::Display,
        typed: contacts_core::Result<T>,
        schema: contacts_core::Result<T>,
    ) {
        match (&typed, &schema) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "{input}");
                self.accepted += 1;
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.code(), b.code(), "{input}");
                self.refused += 1;
            }
            _ => panic!("{input}\n typed:  {typed:?}\n schema: {schema:?}"),
        }
    }
}

/// Payloads that reach every modelled field: the vectors' bodies, plus a
/// DND update spelled with the v3 keys and custom fields in both spellings.
fn webhook_seeds() -> Vec<Value> {
    let mut seeds: Vec<Value> = vectors("webhooks.json")["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|v| v["deliveries"].as_array().unwrap().clone())
        .filter_map(|d| serde_json::from_str::<Value>(d["body_text"].as_str()?).ok())
        // A trigger only a poll reports (TaskOverdue) has a schema but no
        // typed webhook variant: the typed route keeps it whole, by design.
        .filter(|payload| {
            let kind = payload["type"].as_str().unwrap_or_default();
            contacts_core::triggers::find(kind).is_none_or(|t| t.webhook)
        })
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
    let mut tally = Tally::default();
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
            let typed = WebhookEvent::from_value(payload.clone()).map(|e| e.to_json());
            // The JSON surfaces' route: conformed, with the dedupe id.
            let by_schema = contacts_core::webhooks::event_json(payload.clone());
            tally.compare(&payload, typed, by_schema);
        }
    }
    // Both outcomes must be exercised, or the comparison proves little.
    let Tally { accepted, refused } = tally;
    assert!(
        accepted > 500 && refused > 200,
        "accepted {accepted}, refused {refused}"
    );
}

#[test]
fn every_event_type_is_conformed_by_its_own_schema() {
    for kind in contacts_core::webhooks::EVENT_TYPES.iter().map(|e| e.kind) {
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

/// `(op, params, body)` of every 2xx response in the operation and
/// pagination vectors.
#[cfg(feature = "typed")]
fn result_seeds() -> Vec<(String, Value, Value)> {
    let mut seeds = Vec::new();
    for file in ["operations.json", "pagination.json"] {
        for v in vectors(file)["vectors"].as_array().unwrap() {
            let status = v["response"]["status"].as_u64().unwrap_or(0);
            if (200..300).contains(&status) {
                let op = v["op"].as_str().unwrap().to_string();
                seeds.push((op, v["params"].clone(), v["response"]["body"].clone()));
            }
        }
    }
    seeds
}

#[cfg(feature = "typed")]
#[test]
fn results_conform_as_the_typed_outputs_decode() {
    use contacts_core::HttpResponse;
    let (mut tally, mut ops) = (Tally::default(), std::collections::BTreeSet::new());
    let started = std::time::Instant::now();
    for (op, params, seed) in result_seeds() {
        ops.insert(catalog::action_name(&op).unwrap_or_default());
        for body in std::iter::once(seed.clone()).chain(mutations(&seed)) {
            let resp = HttpResponse::new(200, body.to_string());
            let typed = catalog::parse_text(&op, &params, &resp)
                .map(|text| serde_json::from_str::<Value>(&text).unwrap());
            let input = format!("{op} body {body}");
            tally.compare(&input, typed, catalog::parse(&op, &params, &resp));
        }
    }
    let Tally { accepted, refused } = tally;
    eprintln!(
        "{accepted} accepted, {refused} refused in {:?}",
        started.elapsed()
    );
    assert_eq!(
        ops.len(),
        catalog::entries().len(),
        "every operation has a 2xx vector"
    );
    assert!(
        accepted > 1000 && refused > 500,
        "accepted {accepted}, refused {refused}"
    );
}

/// The params of every operation vector, by operation.
#[cfg(feature = "typed")]
fn param_seeds() -> Vec<(String, Value)> {
    let mut seeds = Vec::new();
    for file in ["operations.json", "pagination.json", "hostile_ids.json"] {
        let all = vectors(file);
        for v in all["vectors"].as_array().into_iter().flatten() {
            if let (Some(op), Some(params)) = (v["op"].as_str(), v.get("params")) {
                seeds.push((op.to_string(), params.clone()));
            }
        }
    }
    seeds
}

#[cfg(feature = "typed")]
#[test]
fn params_read_by_schema_build_what_the_typed_operations_build() {
    use contacts_core::Config;
    let cfg = Config::default().with_token("t");
    let (mut tally, mut ops) = (Tally::default(), std::collections::BTreeSet::new());
    for (op, seed) in param_seeds() {
        ops.insert(catalog::action_name(&op).unwrap_or_default());
        for params in std::iter::once(seed.clone()).chain(mutations(&seed)) {
            let typed = catalog::build_typed(&op, &params, &cfg);
            let input = format!("{op} params {params}");
            tally.compare(&input, typed, catalog::build(&op, &params, &cfg));
        }
    }
    let Tally { accepted, refused } = tally;
    eprintln!("params: {accepted} accepted, {refused} refused");
    assert_eq!(
        ops.len(),
        catalog::entries().len(),
        "every operation has a params vector"
    );
    assert!(
        accepted > 300 && refused > 300,
        "accepted {accepted}, refused {refused}"
    );
}
