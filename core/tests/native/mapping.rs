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

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn contact_writes_take_custom_fields_by_key() {
    let (sbx, c, loc) = sandbox_with_fields().await;
    let before = sbx.api_requests();
    let created = c
        .call("contacts.upsert", json!({"locationId": loc, "email": "key@example.com",
            "customFields": [{"key": "contact.shirt_size", "fieldValue": "L"}, {"key": "weekly_hours", "value": 12}]}))
        .await
        .unwrap();
    assert_eq!(
        sbx.api_requests() - before,
        2,
        "a cold cache costs one request more"
    );
    let id = created["contact"]["id"].as_str().unwrap().to_owned();

    // Update by key with the kept definitions: one request; the values read back by id.
    let before = sbx.api_requests();
    c.call("contacts.update", json!({"contactId": id, "customFields": [{"key": "contact.weekly_hours", "field_value": 40}]}))
        .await
        .unwrap();
    assert_eq!(sbx.api_requests() - before, 1);
    let fields = c.custom_fields(None).await.unwrap();
    let got = c
        .call("contacts.get", json!({"contactId": id}))
        .await
        .unwrap();
    let value_of = |key: &str| {
        let def = fields.by_key(key).unwrap();
        got["contact"]["customFields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == def.id.as_str())
            .unwrap()["value"]
            .clone()
    };
    assert_eq!(
        (
            value_of("contact.shirt_size"),
            value_of("contact.weekly_hours")
        ),
        (json!("L"), json!(40))
    );

    // A wrong-typed value and an option the field lacks: refused before sending.
    let before = sbx.api_requests();
    for (entry, says) in [
        (
            json!({"key": "contact.weekly_hours", "fieldValue": "forty"}),
            "contact.weekly_hours (NUMERICAL) takes a number",
        ),
        (
            json!({"key": "contact.shirt_size", "fieldValue": "XXL"}),
            "must be one of S, M, L, not \"XXL\"",
        ),
    ] {
        let e = c
            .call(
                "contacts.update",
                json!({"contactId": id, "customFields": [entry]}),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        assert!(
            e.message()
                .starts_with("contacts.update: customFields[0]: ")
                && e.message().contains(says),
            "{e}"
        );
    }
    assert_eq!(sbx.api_requests(), before, "nothing was sent");

    // An unknown key: one more fetch of the definitions, then refused by name.
    let e = c
        .call(
            "contacts.update",
            json!({"contactId": id, "customFields": [{"key": "contact.nope", "fieldValue": 1}]}),
        )
        .await
        .unwrap_err();
    assert_eq!(sbx.api_requests() - before, 1);
    assert!(
        e.message()
            .starts_with("contacts.update: unknown custom field key \"contact.nope\""),
        "{e}"
    );

    // contacts.capture's contact takes keys too.
    let mut state_client =
        Client::new(super::pit_config(&sbx.base_url(), sbx.pit(), &loc)).unwrap();
    state_client = state_client
        .with_state(std::sync::Arc::new(contacts_core::state::MemoryStore::new()))
        .unwrap();
    let out = state_client
        .call(
            "contacts.capture",
            json!({"idempotencyKey": "k1", "contact": {"email": "cap@example.com",
            "customFields": [{"key": "contact.shirt_size", "fieldValue": "S"}]}}),
        )
        .await
        .unwrap();
    let got = c
        .call("contacts.get", json!({"contactId": out["contact"]["id"]}))
        .await
        .unwrap();
    assert!(
        got["contact"]["customFields"].to_string().contains("\"S\""),
        "{got}"
    );
}

#[test]
fn the_sans_io_build_refuses_keys_and_says_what_to_do() {
    let cfg = contacts_core::Config::default().with_token("pit-x");
    let e = contacts_core::catalog::build(
        "contacts.create",
        &json!({"locationId": "l", "customFields": [{"key": "contact.shirt_size", "fieldValue": "M"}]}),
        &cfg,
    )
    .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(
        e.message().contains("is given by key") && e.message().contains("pass the field's id"),
        "{e}"
    );
    let e = contacts_core::catalog::build(
        "contacts.get",
        &json!({"contactId": "c1", "renderKeys": true}),
        &cfg,
    )
    .unwrap_err();
    assert!(
        e.message()
            .contains("renderKeys needs the location's definitions"),
        "{e}"
    );
    // By id it builds as before.
    contacts_core::catalog::build(
        "contacts.create",
        &json!({"locationId": "l", "customFields": [{"id": "f1", "fieldValue": "M"}]}),
        &cfg,
    )
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn render_keys_adds_custom_fields_by_key_and_changes_nothing_else() {
    let (_sbx, c, loc) = sandbox_with_fields().await;
    let created = c
        .call("contacts.upsert", json!({"locationId": loc, "email": "render@example.com",
            "customFields": [{"key": "contact.shirt_size", "fieldValue": "M"}, {"key": "contact.weekly_hours", "fieldValue": 9}]}))
        .await
        .unwrap();
    let id = created["contact"]["id"].as_str().unwrap().to_owned();
    let plain = c
        .call("contacts.get", json!({"contactId": id}))
        .await
        .unwrap();
    assert!(
        plain["contact"].get("customFieldsByKey").is_none(),
        "off by default"
    );
    let keyed = c
        .call("contacts.get", json!({"contactId": id, "renderKeys": true}))
        .await
        .unwrap();
    assert_eq!(
        keyed["contact"]["customFieldsByKey"],
        json!({"contact.shirt_size": "M", "contact.weekly_hours": 9})
    );
    let mut without = keyed.clone();
    without["contact"]
        .as_object_mut()
        .unwrap()
        .remove("customFieldsByKey");
    assert_eq!(without, plain, "existing output does not change");
    let list = c
        .call("contacts.search", json!({"locationId": loc, "query": "render@example.com", "pageLimit": 10, "renderKeys": true}))
        .await
        .unwrap();
    assert!(
        list["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c.get("customFieldsByKey").is_some()),
        "{list}"
    );
    let e = c
        .call("tasks.list", json!({"contactId": id, "renderKeys": true}))
        .await
        .unwrap_err();
    assert!(
        e.message()
            .contains("renderKeys applies to results that hold contacts"),
        "{e}"
    );
    let e = c
        .call(
            "contacts.get",
            json!({"contactId": id, "renderKeys": "yes"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
}
