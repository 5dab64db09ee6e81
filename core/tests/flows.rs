//! Flows loaded against the shared vectors (`tests/vectors/flows.json`'s
//! `loads`, which the C ABI, the npm package and the bindings run too):
//! each refusal names its JSON path; accepted flows put their steps in run
//! order. The dispatches run against a sandbox in `native/flows.rs`.

#[path = "../../tests/support/vectors.rs"]
mod support;

use contacts_core::flows::Flow;
use serde_json::Value;

#[test]
fn flow_load_vectors() {
    let file = support::load("flows.json");
    let loads = file["loads"].as_array().unwrap();
    assert!(loads.len() >= 20);
    for v in loads {
        let name = v["name"].as_str().unwrap();
        match (Flow::load(&v["flow"]), v.get("expect_error")) {
            (Err(e), Some(expected)) => support::expect_refusal(name, &e, expected),
            (Ok(flow), None) => {
                let summary = flow.summary();
                let order: Vec<&str> = summary["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["name"].as_str().unwrap())
                    .collect();
                assert_eq!(Value::from(order), v["expect_order"], "{name}");
                if let Some(actions) = v.get("expect_actions") {
                    let got: Vec<&Value> = summary["steps"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| &s["action"])
                        .collect();
                    assert_eq!(
                        &Value::from(got.into_iter().cloned().collect::<Vec<_>>()),
                        actions,
                        "{name}"
                    );
                }
            }
            (Ok(flow), Some(_)) => panic!("{name}: loaded {}", flow.summary()),
            (Err(e), None) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn the_shipped_flows_load_and_the_catalog_serves_the_schema() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/flows");
    let mut shipped = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let flow = Flow::load_text(&std::fs::read_to_string(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(
            format!("{}.json", flow.name()),
            path.file_name().unwrap().to_string_lossy(),
            "a shipped flow's file is named after it"
        );
        shipped += 1;
    }
    assert_eq!(shipped, 3);
    let catalog: Value = serde_json::from_str(contacts_core::catalog::describe()).unwrap();
    assert_eq!(catalog["flow"]["title"], "FlowDefinition");
    assert_eq!(catalog["flowRun"]["title"], "FlowRun");
    let states = &catalog["flowRun"]["$defs"]["RunState"];
    assert!(states.to_string().contains("unknownOutcome"), "{states}");
    assert_eq!(
        catalog["flow"]["properties"]["steps"]["maxItems"],
        contacts_core::flows::MAX_STEPS
    );
}

#[test]
fn a_flow_summary_says_how_each_step_recovers() {
    let flow = Flow::load_text(
        r#"{"name": "s", "trigger": {"event": "ContactCreate"}, "steps": [
            {"name": "task", "action": "tasks.create", "params": {"contactId": "{{event.id}}", "title": "t", "dueDate": "{{now | after:P1D}}"}},
            {"name": "upsert", "action": "contacts.upsert", "params": {"email": "{{event.email}}"}},
            {"name": "made", "action": "contacts.create", "params": {"email": "{{event.email}}"}}]}"#,
    )
    .unwrap();
    let recovery: Vec<Value> = flow.summary()["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["recovery"].clone())
        .collect();
    assert_eq!(
        Value::from(recovery),
        serde_json::json!(["marker", "resend", "unknown"])
    );
    assert_eq!(flow.fingerprint().len(), 16);
}

#[test]
fn a_receiver_answers_each_outcome_with_the_status_highlevel_acts_on() {
    use contacts_core::ErrorCode;
    use contacts_core::flows::{RunRecord, delivery_status};
    // A run, even a failed one, is answered: a redelivery would change nothing.
    assert_eq!(delivery_status(None), 200);
    assert_eq!(delivery_status(Some(ErrorCode::WebhookSignature)), 401);
    for code in [
        ErrorCode::WebhookReplay,
        ErrorCode::Decode,
        ErrorCode::InvalidArgument,
    ] {
        assert_eq!(delivery_status(Some(code)), 400, "{code:?}");
    }
    // A run that stopped and can go on: HighLevel redelivers only after a 429.
    for code in [
        ErrorCode::Transport,
        ErrorCode::RateLimited,
        ErrorCode::State,
        ErrorCode::Timeout,
    ] {
        assert_eq!(delivery_status(Some(code)), 429, "{code:?}");
    }
    assert!(
        RunRecord::from_json(&serde_json::json!({"state": 7}), "flow/f/run/x")
            .unwrap_err()
            .message()
            .contains("corrupt")
    );
}
