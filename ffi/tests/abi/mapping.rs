//! Mapping through the ABI: every vector of `tests/vectors/mapping.json`
//! and `tests/vectors/phones.json`, as a C host would run them; a client
//! fetching the definitions from a sandbox; and the bad arguments.

use super::*;

fn map(
    client: *const contacts_client,
    template: &str,
    records: &str,
    custom_fields: Option<&str>,
    flags: u32,
) -> Result<Value, (contacts_code, String)> {
    let (tp, tl) = cstr(template);
    let (rp, rl) = cstr(records);
    let (cp, cl) = custom_fields.map_or((std::ptr::null(), 0), cstr);
    let mut out = null_mut();
    match take(contacts_map_records(
        client, tp, tl, rp, rl, cp, cl, flags, &mut out,
    )) {
        None => Ok(result_json(out)),
        Some(e) => {
            assert!(out.is_null(), "nothing is handed out on error");
            Err(e)
        }
    }
}

#[test]
fn the_mapping_vectors_through_the_abi() {
    let file = support::load("mapping.json");
    let defs = file["customFields"].to_string();
    for v in file["vectors"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let custom = (v["customFields"] == "file").then_some(defs.as_str());
        let records = v.get("records").cloned().unwrap_or(json!([])).to_string();
        let flags = if v["reverse"] == true {
            CONTACTS_MAP_REVERSE
        } else {
            0
        };
        match (
            map(null(), &v["template"].to_string(), &records, custom, flags),
            v.get("expect_error"),
        ) {
            (Ok(report), None) => assert_eq!(report, v["expect"], "{name}"),
            (Err(e), Some(expected)) => expect_refusal(name, e, expected),
            (got, _) => panic!("{name}: {got:?}"),
        }
    }
}

#[test]
fn the_phone_vectors_through_the_abi() {
    let file = support::load("phones.json");
    for n in file["numbers"].as_array().unwrap() {
        let (tp, tl) = cstr(n["text"].as_str().unwrap());
        let (rp, rl) = cstr(n["region"].as_str().unwrap());
        let mut out = null_mut();
        assert_eq!(code(contacts_phone_to_e164(tp, tl, rp, rl, &mut out)), None);
        assert_eq!(result_json(out), n["expect"], "{n}");
    }
}

#[test]
fn bad_mapping_arguments_are_typed() {
    let t = r#"{"target": "contact", "fields": [{"from": "e", "to": "email"}]}"#;
    let mut out = null_mut();
    let (tp, tl) = cstr(t);
    // NULL records, NULL out, bad flags, records that are not a list, not JSON, not UTF-8.
    let err = take(contacts_map_records(
        null(),
        tp,
        tl,
        null(),
        5,
        null(),
        0,
        0,
        &mut out,
    ))
    .unwrap();
    assert_eq!(err.0, contacts_code::NullArgument, "{}", err.1);
    let (rp, rl) = cstr("[]");
    let err = take(contacts_map_records(
        null(),
        tp,
        tl,
        rp,
        rl,
        null(),
        0,
        0,
        std::ptr::null_mut(),
    ))
    .unwrap();
    assert_eq!(err.0, contacts_code::NullArgument);
    assert_eq!(
        map(null(), t, "[]", None, 8).unwrap_err().0,
        contacts_code::InvalidArgument
    );
    assert_eq!(
        map(null(), t, "{}", None, 0).unwrap_err().0,
        contacts_code::InvalidArgument
    );
    assert_eq!(
        map(null(), t, "[", None, 0).unwrap_err().0,
        contacts_code::InvalidJson
    );
    assert_eq!(
        map(null(), "{\"target\":", "[]", None, 0).unwrap_err().0,
        contacts_code::InvalidJson
    );
    assert_eq!(
        map(null(), t, "[]", Some("{\"x\": 1}"), 0).unwrap_err().0,
        contacts_code::InvalidArgument
    );
    let bad = [0xffu8, 0xfe];
    let err = take(contacts_map_records(
        null(),
        bad.as_ptr().cast(),
        2,
        rp,
        rl,
        null(),
        0,
        0,
        &mut out,
    ))
    .unwrap();
    assert_eq!(err.0, contacts_code::InvalidUtf8);
    let (rg, rgl) = cstr("US");
    let err = take(contacts_phone_to_e164(null(), 3, rg, rgl, &mut out)).unwrap();
    assert_eq!(err.0, contacts_code::NullArgument);
}

#[test]
fn a_client_fetches_the_definitions_and_reads_keys_back() {
    let sbx = contacts_sandbox::SandboxThread::start(contacts_sandbox::SandboxConfig::default(), 1)
        .unwrap();
    let base = sbx.base_url();
    let loc = sbx.location_id().to_string();
    let client = live_client(base, sbx.pit(), &loc, null());
    call(
        client,
        "locationCustomFields.create",
        &json!({"locationId": loc, "name": "Crew", "dataType": "TEXT"}),
    )
    .unwrap();
    let t = json!({"target": "contact", "direction": "both", "fields": [
        {"from": "email", "to": "email"}, {"from": "crew", "customField": "contact.crew", "transforms": ["upper"]}]})
    .to_string();
    let report = map(
        client,
        &t,
        r#"[{"email": "c@abi.io", "crew": "north"}]"#,
        None,
        0,
    )
    .unwrap();
    let mut params = report["records"][0]["record"].clone();
    params["locationId"] = json!(loc);
    let id = call(client, "contacts.upsert", &params).unwrap()["contact"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let contact =
        call(client, "contacts.get", &json!({"contactId": id})).unwrap()["contact"].clone();
    let back = map(
        client,
        &t,
        &json!([contact]).to_string(),
        None,
        CONTACTS_MAP_REVERSE,
    )
    .unwrap();
    assert_eq!(
        back["records"][0]["record"],
        json!({"email": "c@abi.io", "crew": "NORTH"})
    );

    // Contact writes take keys directly, read back by key; a wrong-typed value is refused.
    let write =
        json!({"contactId": id, "customFields": [{"key": "contact.crew", "fieldValue": "south"}]});
    call(client, "contacts.update", &write).unwrap();
    let keyed = call(
        client,
        "contacts.get",
        &json!({"contactId": id, "renderKeys": true}),
    )
    .unwrap();
    assert_eq!(
        keyed["contact"]["customFieldsByKey"],
        json!({"contact.crew": "south"})
    );
    let bad = json!({"contactId": id, "customFields": [{"key": "contact.crew", "fieldValue": 3}]});
    let (code, message) = call(client, "contacts.update", &bad).unwrap_err();
    assert_eq!(code, contacts_code::InvalidArgument, "{message}");
    assert!(
        message.contains("contact.crew (TEXT) takes text"),
        "{message}"
    );
    contacts_client_free(client);
}
