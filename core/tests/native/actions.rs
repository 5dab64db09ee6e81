//! Composite actions end to end against a live sandbox on loopback, through
//! the native client by name: what the sandbox holds afterwards is checked
//! with plain reads. A module of the native test.

use contacts_core::native::Client;
use serde_json::{Value, json};

async fn contact(c: &Client, location: &str, first: &str, tags: &[&str]) -> String {
    let params = json!({"locationId": location, "firstName": first,
        "email": format!("{}@example.com", first.to_lowercase()), "tags": tags});
    let out = c.call("contacts.create", params).await.unwrap();
    out["contact"]["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_set_creates_the_tasks_its_rules_pick_for_each_contact() {
    let sbx = super::seeded_sandbox(3).await;
    let c = Client::new(super::pit_config(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
    ))
    .unwrap();
    let set = |id: &str| {
        json!({"contactId": id, "tasks": [
            {"title": "Call {{contact.firstName}}", "due": {"after": "PT4H"}},
            {"title": "Send the recording", "body": "to {{contact.email}}", "due": {"after": "P1D", "from": "contact.dateAdded"}},
            {"title": "VIP follow-up", "due": {"after": "P2D"}, "when": {"path": "contact.tags", "op": "contains", "value": "vip"}}
        ]})
    };
    let lead = contact(&c, sbx.location_id(), "Grace", &["webinar"]).await;
    let vip = contact(&c, sbx.location_id(), "Ada", &["webinar", "vip"]).await;
    let out = c.call("tasks.createSet", set(&lead)).await.unwrap();
    assert_eq!(out["skipped"], json!([2]));
    let out = c.call("tasks.createSet", set(&vip)).await.unwrap();
    assert_eq!(out["created"].as_array().unwrap().len(), 3);
    let titles = |id: String| {
        let c = &c;
        async move {
            let tasks = c
                .call("tasks.list", json!({"contactId": id}))
                .await
                .unwrap();
            let mut t: Vec<String> = tasks["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["title"].as_str().unwrap().to_string())
                .collect();
            t.sort();
            t
        }
    };
    assert_eq!(titles(lead).await, ["Call Grace", "Send the recording"]);
    assert_eq!(
        titles(vip.clone()).await,
        ["Call Ada", "Send the recording", "VIP follow-up"]
    );

    let all = c
        .call("contacts.getWithActivity", json!({"contactId": vip}))
        .await
        .unwrap();
    assert_eq!(all["tasks"].as_array().unwrap().len(), 3);
    let body = all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Send the recording")
        .map(|t| t["body"].clone());
    assert_eq!(body, Some(Value::from("to ada@example.com")));
}
