//! The catalog's settings schemas (`settings.client`, `build`, `verifier`,
//! `exchange`, `poll`, `sync`) and the hand-written readers every shell uses
//! (`contacts_core::settings`) say the same thing: each object's fields are
//! the same set, and a table of good and bad settings is accepted or refused
//! alike by both.

use contacts_core::settings::{BuildSettings, ClientSettings, ExchangeSettings, VerifierSettings};
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn catalog() -> Value {
    serde_json::from_str(include_str!("../catalog.json")).unwrap()
}

type Reader = fn(&Value) -> contacts_core::Result<()>;

fn read_client(v: &Value) -> contacts_core::Result<()> {
    ClientSettings::from_json(v).map(drop)
}
fn read_build(v: &Value) -> contacts_core::Result<()> {
    BuildSettings::config_from_json(v).map(drop)
}
fn read_verifier(v: &Value) -> contacts_core::Result<()> {
    VerifierSettings::from_json(v).map(drop)
}
fn read_exchange(v: &Value) -> contacts_core::Result<()> {
    ExchangeSettings::from_json(v).map(drop)
}
fn read_poll(v: &Value) -> contacts_core::Result<()> {
    contacts_core::triggers::check_params(v)
}
fn read_sync(v: &Value) -> contacts_core::Result<()> {
    contacts_core::sync::SyncSettings::from_json(v).map(drop)
}

/// Follows `$ref`s into `root`'s `$defs`.
fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => {
            let name = r.strip_prefix("#/$defs/").expect("a local $ref");
            resolve(root, &root["$defs"][name])
        }
        None => schema,
    }
}

/// The property names an object schema allows, its variants' together.
fn properties(root: &Value, schema: &Value) -> BTreeSet<String> {
    let schema = resolve(root, schema);
    let mut names: BTreeSet<String> = schema["properties"]
        .as_object()
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    for key in ["anyOf", "oneOf"] {
        for variant in schema[key].as_array().into_iter().flatten() {
            names.extend(properties(root, variant));
        }
    }
    names
}

/// The schema of `path` (property names) inside `root`.
fn at<'a>(root: &'a Value, path: &[&str]) -> &'a Value {
    let mut schema = root;
    for name in path {
        let here = resolve(root, schema);
        schema = match here["properties"].get(*name) {
            Some(s) => s,
            None => here["anyOf"]
                .as_array()
                .or(here["oneOf"].as_array())
                .into_iter()
                .flatten()
                .map(|v| resolve(root, v))
                .find_map(|v| v["properties"].get(*name))
                .unwrap_or_else(|| panic!("no {name} in the schema")),
        };
    }
    schema
}

/// The fields the reader takes at `path` of `base`, from its refusal of an
/// unknown one there ("expected one of a, b").
fn reader_fields(read: Reader, base: &Value, path: &[&str]) -> BTreeSet<String> {
    let mut probe = base.clone();
    let mut here = &mut probe;
    for name in path {
        here = &mut here[*name];
    }
    here["zzUnknown"] = json!(1);
    let e = read(&probe).expect_err(&format!("an unknown field is refused at {path:?}"));
    let message = e.message().to_string();
    let list = message
        .split("expected one of ")
        .nth(1)
        .unwrap_or_else(|| panic!("{path:?}: {message}"));
    list.split(", ").map(str::to_owned).collect()
}

const PIT: &str = r#"{"kind": "privateIntegrationToken", "token": "pit-x", "locationId": "l"}"#;

#[test]
fn every_settings_object_has_the_fields_its_reader_takes() {
    let cat = catalog();
    let settings = &cat["settings"];
    let pit: Value = serde_json::from_str(PIT).unwrap();
    let tokens = json!({"accessToken": "a"});
    let client = json!({"credentials": pit});
    let cases: Vec<(&str, Reader, Value, Vec<&str>)> = vec![
        ("client", read_client, client.clone(), vec![]),
        (
            "client",
            read_client,
            json!({"credentials": pit, "retry": {"maxAttempts": 1, "baseDelayMs": 1, "maxDelayMs": 1}}),
            vec!["retry"],
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "rateLimits": {"burstMax": 1, "intervalMs": 1, "dailyMax": 1}}),
            vec!["rateLimits"],
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "oauthClient": {"clientId": "c", "clientSecret": "s"}}),
            vec!["oauthClient"],
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "state": {"memory": true}}),
            vec!["state"],
        ),
        ("client", read_client, client.clone(), vec!["credentials"]),
        (
            "client",
            read_client,
            json!({"credentials": {"kind": "oauth", "tokens": tokens}}),
            vec!["credentials", "tokens"],
        ),
        ("build", read_build, json!({}), vec![]),
        ("verifier", read_verifier, json!({}), vec![]),
        ("exchange", read_exchange, json!({}), vec![]),
        ("poll", read_poll, json!({}), vec![]),
        ("sync", read_sync, json!({"name": "s"}), vec![]),
        (
            "sync",
            read_sync,
            json!({"name": "s", "deletes": {}}),
            vec!["deletes"],
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "appointments": {}}),
            vec!["appointments"],
        ),
    ];
    for (kind, read, base, path) in cases {
        let root = &settings[kind];
        let schema = at(root, &path);
        let mut declared = properties(root, schema);
        if path.last() == Some(&"credentials") {
            // Each kind of credentials is its own variant; the reader of
            // one kind names that kind's fields.
            let variant = resolve(root, schema)["oneOf"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| resolve(root, v))
                .find(|v| v["properties"]["kind"]["const"] == "privateIntegrationToken")
                .expect("a PIT variant");
            declared = properties(root, variant);
        }
        assert_eq!(
            reader_fields(read, &base, &path),
            declared,
            "settings.{kind} at {path:?}"
        );
    }
}

#[test]
fn good_settings_pass_both_and_bad_ones_neither() {
    let cat = catalog();
    let settings = &cat["settings"];
    let pit: Value = serde_json::from_str(PIT).unwrap();
    let cases: Vec<(&str, Reader, Value, bool)> = vec![
        ("client", read_client, json!({"credentials": pit}), true),
        (
            "client",
            read_client,
            json!({"baseUrl": "http://127.0.0.1:9", "credentials": {"kind": "agency",
                "tokens": {"accessToken": "a", "refreshToken": "r", "userType": "Company", "companyId": "co"},
                "locationId": "l"}, "oauthClient": {"clientId": "c", "clientSecret": "s"},
                "callTimeoutMs": 500, "refreshAheadMs": 0, "versionOverrides": {"*": "2021-04-15"},
                "workerThreads": 2, "state": {"sqlite": "/tmp/x.db"}}),
            true,
        ),
        ("client", read_client, json!({}), false),
        (
            "client",
            read_client,
            json!({"credentials": {"kind": "oauth", "tokens": {"accessToken": "a", "refresh_token": "r"}}}),
            false,
        ),
        (
            "client",
            read_client,
            json!({"credentials": {"kind": "pit", "token": "x"}}),
            false,
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "state": {"memory": false}}),
            false,
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "workerThreads": 65}),
            false,
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "retry": {"maxAttempts": 0, "baseDelayMs": 1, "maxDelayMs": 1}}),
            false,
        ),
        (
            "client",
            read_client,
            json!({"credentials": pit, "callTimeoutMs": "soon"}),
            false,
        ),
        (
            "build",
            read_build,
            json!({"baseUrl": "https://x.example", "token": "t"}),
            true,
        ),
        ("build", read_build, json!({"token": 7}), false),
        (
            "verifier",
            read_verifier,
            json!({"maxAgeMs": 300000, "publicKeys": ["k"]}),
            true,
        ),
        ("verifier", read_verifier, json!({"publicKeys": "k"}), false),
        ("exchange", read_exchange, json!({"timeoutMs": 1000}), true),
        ("exchange", read_exchange, json!({"timeoutMs": 0}), false),
        (
            "poll",
            read_poll,
            json!({"locationId": "l", "subscription": "host-a.1", "maxRequests": 5, "overlapMs": 0,
                "reconcileEveryMs": 0, "pageLimit": 500, "taskPageLimit": 1, "calendarIds": ["c"], "windowMs": 1}),
            true,
        ),
        ("poll", read_poll, json!({"maxRequests": 0}), false),
        ("poll", read_poll, json!({"pageLimit": 501}), false),
        (
            "poll",
            read_poll,
            json!({"subscription": "no spaces"}),
            false,
        ),
        ("poll", read_poll, json!({"calendarIds": [""]}), false),
        ("poll", read_poll, json!({"windowMs": 0}), false),
        ("poll", read_poll, json!({"overlapMs": -1}), false),
        (
            "sync",
            read_sync,
            json!({"name": "members_1", "policy": "host", "fields": {"email": "highlevel"}, "skewMs": 0,
                "deletes": {"fromHost": "tombstone", "fromHighLevel": "propagate"}, "pageLimit": 500,
                "hostPageLimit": 1, "overlapMs": 0, "reconcileEveryMs": 0, "leaseMs": 100, "leaseWaitMs": 0, "dryRun": true,
                "appointments": {"calendarIds": ["cal_1"], "windowMs": 60000}}),
            true,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "appointments": {"windowMs": 59999}}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "appointments": {"calendarIds": "cal_1"}}),
            false,
        ),
        ("sync", read_sync, json!({}), false),
        ("sync", read_sync, json!({"name": "a b"}), false),
        (
            "sync",
            read_sync,
            json!({"name": "s", "policy": "loudest"}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "fields": {"email": "both"}}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "deletes": {"fromHost": "shred"}}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "pageLimit": 501}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "leaseMs": 99}),
            false,
        ),
        (
            "sync",
            read_sync,
            json!({"name": "s", "dryRun": "yes"}),
            false,
        ),
    ];
    for (kind, read, value, good) in cases {
        let validator = jsonschema::validator_for(&settings[kind]).unwrap();
        let by_schema = validator.is_valid(&value);
        let by_reader = read(&value);
        assert_eq!(by_schema, good, "settings.{kind} schema on {value}");
        // The verifier reads keys only when it is built, so a well-formed
        // but unusable key is not the reader's to refuse.
        assert_eq!(
            by_reader.is_ok(),
            good,
            "settings.{kind} reader on {value}: {by_reader:?}"
        );
    }
}
