//! Mapping through a native client against a live sandbox: custom fields by
//! key resolved through the location's definitions (fetched once, kept,
//! fetched again once for a key created since), a contact written with the
//! mapped params and read back by key, and what is refused before sending.

use contacts_core::ErrorCode;
use contacts_core::native::Client;
use contacts_sandbox::Sandbox;
use serde_json::{Value, json};

async fn create_field(
    c: &Client,
    loc: &str,
    name: &str,
    data_type: &str,
    options: &[&str],
) -> Value {
    let mut params = json!({"locationId": loc, "name": name, "dataType": data_type});
    if !options.is_empty() {
        params["textBoxListOptions"] = json!(
            options
                .iter()
                .map(|o| json!({"label": o}))
                .collect::<Vec<_>>()
        );
    }
    c.call("locationCustomFields.create", params).await.unwrap()
}

fn template() -> Value {
    json!({
        "name": "members", "target": "contact", "collection": "members", "direction": "both", "region": "US",
        "fields": [
            {"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"], "required": true},
            {"from": "email", "to": "email", "transforms": ["email"], "rules": [{"rule": "email"}]},
            {"from": "mobile", "to": "phone", "transforms": ["phone"]},
            {"from": "size", "customField": "contact.shirt_size", "transforms": ["upper"]},
            {"from": "hours", "customField": "contact.weekly_hours", "transforms": ["number"]}
        ]
    })
}

async fn sandbox_with_fields() -> (Sandbox, Client, String) {
    let sbx = super::seeded_sandbox(11).await;
    let loc = sbx.location_id().to_string();
    let c = Client::new(super::pit_config(&sbx.base_url(), sbx.pit(), &loc)).unwrap();
    create_field(&c, &loc, "Shirt size", "SINGLE_OPTIONS", &["S", "M", "L"]).await;
    create_field(&c, &loc, "Weekly hours", "NUMERICAL", &[]).await;
    (sbx, c, loc)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_custom_field_written_by_key_reads_back_by_key() {
    let (sbx, c, _loc) = sandbox_with_fields().await;
    let members = [
        json!({"name": " Ada Lovelace ", "email": "ADA@example.com", "mobile": "415 555 2671", "size": "m", "hours": "37.5"}),
    ];

    let before = sbx.api_requests();
    let report = c.map_records(&template(), &members, false).await.unwrap();
    assert_eq!(
        sbx.api_requests() - before,
        1,
        "a cold cache costs one request"
    );
    let mut params = report.records[0].clone().unwrap();
    let again = c.map_records(&template(), &members, false).await.unwrap();
    assert_eq!(
        sbx.api_requests() - before,
        1,
        "then the kept definitions serve"
    );
    assert_eq!(again.records[0], Ok(params.clone()));
    // The mapping gives the record's fields; where it goes is the caller's.
    params["locationId"] = json!(sbx.location_id());

    // Write the mapped contact, read it back, map it back: the keys' values return.
    let created = c.call("contacts.upsert", params).await.unwrap();
    let id = created["contact"]["id"].as_str().unwrap().to_owned();
    let got = c
        .call("contacts.get", json!({"contactId": id}))
        .await
        .unwrap();
    let back = c
        .map_records(&template(), &[got["contact"].clone()], true)
        .await
        .unwrap();
    let host = back.records[0].clone().unwrap();
    assert_eq!(host["size"], "M");
    assert_eq!(host["hours"], "37.5");
    assert_eq!(host["name"], "Ada Lovelace");
    assert_eq!(host["mobile"], "+14155552671");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_key_fetches_once_more_then_is_refused_by_name() {
    let (sbx, c, loc) = sandbox_with_fields().await;
    let members = [json!({"name": "Ada", "size": "S", "hours": 3})];
    c.map_records(&template(), &members, false).await.unwrap();

    // A field created after the definitions were kept: found by one refetch.
    create_field(&c, &loc, "Crew", "TEXT", &[]).await;
    let mut t = template();
    t["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "crew", "customField": "contact.crew"}));
    let before = sbx.api_requests();
    let report = c
        .map_records(&t, &[json!({"name": "Ada", "crew": "north"})], false)
        .await
        .unwrap();
    assert_eq!(sbx.api_requests() - before, 1);
    assert!(
        report.records[0].as_ref().unwrap()["customFields"]
            .to_string()
            .contains("north")
    );

    // A key no one created: one refetch, then InvalidArgument naming the field.
    t["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({"from": "x", "customField": "contact.favorite_color"}));
    let before = sbx.api_requests();
    let e = c.map_records(&t, &members, false).await.unwrap_err();
    assert_eq!(sbx.api_requests() - before, 1);
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(
        e.message().starts_with(
            "$.fields[6].customField: unknown custom field key \"contact.favorite_color\""
        ),
        "{e}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_typed_value_is_reported_and_nothing_is_sent() {
    let (sbx, c, _loc) = sandbox_with_fields().await;
    c.map_records(&template(), &[], false).await.unwrap();
    let before = sbx.api_requests();
    let report = c
        .map_records(
            &template(),
            &[json!({"name": "Ada", "size": "XL", "hours": "many", "mobile": "12"})],
            false,
        )
        .await
        .unwrap();
    assert_eq!(
        sbx.api_requests(),
        before,
        "the kept definitions serve, and a dry run sends nothing"
    );
    let json = report.to_json();
    let messages: Vec<&str> = json["records"][0]["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        messages,
        ["members[0].mobile", "members[0].size", "members[0].hours"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_template_without_keys_fetches_nothing() {
    let (sbx, c, _loc) = sandbox_with_fields().await;
    let t = json!({"target": "note", "fields": [{"from": "text", "to": "body", "required": true}]});
    let before = sbx.api_requests();
    let report = c
        .map_records(&t, &[json!({"text": "hi"}), json!({})], false)
        .await
        .unwrap();
    assert_eq!(sbx.api_requests(), before);
    assert_eq!((report.valid(), report.invalid()), (1, 1));
}
