//! Mapping templates against the shared vectors (`tests/vectors/mapping.json`
//! and `tests/vectors/phones.json`, which the C ABI and the npm package run
//! too), then what only the Rust API shows: the template's schema in the
//! catalog naming every transform and rule, fingerprints, binding.

#[path = "../../tests/support/vectors.rs"]
mod support;

use contacts_core::mapping::{
    self, CustomFields, LibPhoneNumber, MapContext, Mapper, MappingTemplate, PhoneNumbers, RULES,
    TRANSFORMS,
};
use serde_json::{Value, json};

/// Runs one mapping vector the way every surface does: the one-call dry run.
fn run(file: &Value, v: &Value) -> contacts_core::Result<Value> {
    let defs = match v["customFields"].as_str() {
        Some("file") => Some(&file["customFields"]),
        _ => None,
    };
    let records: Vec<Value> = v["records"].as_array().cloned().unwrap_or_default();
    let reverse = v["reverse"].as_bool().unwrap_or(false);
    mapping::map_records_json(
        &v["template"],
        defs,
        &records,
        reverse,
        &MapContext::native(),
    )
}

#[test]
fn mapping_vectors() {
    let file = support::load("mapping.json");
    let vectors = file["vectors"].as_array().unwrap();
    assert!(vectors.len() >= 15);
    for v in vectors {
        let name = v["name"].as_str().unwrap();
        match (run(&file, v), v.get("expect_error")) {
            (Ok(report), None) => assert_eq!(report, v["expect"], "{name}:\n{report:#}"),
            (Err(e), Some(expected)) => support::expect_refusal(name, &e, expected),
            (Ok(report), Some(_)) => {
                panic!("{name}: mapped, but should have been refused: {report}")
            }
            (Err(e), None) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn phone_vectors() {
    let file = support::load("phones.json");
    let numbers = file["numbers"].as_array().unwrap();
    let regions: std::collections::BTreeSet<&str> = numbers
        .iter()
        .map(|n| n["region"].as_str().unwrap())
        .collect();
    assert!(
        numbers.len() >= 200 && regions.len() >= 30,
        "{} numbers, {} regions",
        numbers.len(),
        regions.len()
    );
    for n in numbers {
        let answer =
            LibPhoneNumber.to_e164(n["text"].as_str().unwrap(), n["region"].as_str().unwrap());
        assert_eq!(mapping::phone_answer_json(&answer), n["expect"], "{n}");
    }
}

/// Known answers, written by hand, so the recorded vectors cannot drift
/// with the metadata unnoticed.
#[test]
fn phones_known_by_hand() {
    let p = LibPhoneNumber;
    assert_eq!(p.to_e164("(415) 555-2671", "US").unwrap(), "+14155552671");
    assert_eq!(p.to_e164("020 7946 0958", "GB").unwrap(), "+442079460958");
    assert_eq!(p.to_e164("+49 30 901820", "US").unwrap(), "+4930901820");
    assert_eq!(
        p.to_e164("0044 20 7946 0958", "DE").unwrap(),
        "+442079460958"
    );
    assert!(p.to_e164("555-0100", "US").is_err());
    assert!(p.to_e164("hello", "US").is_err());
    assert_eq!(
        p.to_e164("4155552671", "ZZ"),
        Err(mapping::PhoneError::UnknownRegion)
    );
}

#[test]
fn catalog_lists_every_transform_and_rule() {
    let catalog: Value = serde_json::from_str(contacts_core::catalog::describe()).unwrap();
    let m = &catalog["mapping"];
    let names = |key: &str| -> Vec<String> {
        m[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names("transforms"),
        TRANSFORMS.iter().map(|t| t.name).collect::<Vec<_>>()
    );
    assert_eq!(
        names("rules"),
        RULES.iter().map(|r| r.name).collect::<Vec<_>>()
    );
    // Every vector's template validates against the catalog's schema, and a
    // template with a member the schema lacks does not.
    let schema = &m["template"];
    let validator = jsonschema::validator_for(schema).unwrap();
    let file = support::load("mapping.json");
    for v in file["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v.get("expect").is_some())
    {
        let errors: Vec<String> = validator
            .iter_errors(&v["template"])
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", v["name"]);
    }
    assert!(!validator.is_valid(
        &json!({"target": "contact", "fields": [{"from": "a", "to": "b", "transfrom": []}]})
    ));
}

#[test]
fn fingerprints_tell_templates_apart() {
    let a = MappingTemplate::load(
        &json!({"target": "contact", "fields": [{"from": "e", "to": "email"}]}),
    )
    .unwrap();
    let b = MappingTemplate::load(
        &json!({"target": "contact", "fields": [{"from": "e", "to": "email"}]}),
    )
    .unwrap();
    let c = MappingTemplate::load(
        &json!({"target": "contact", "fields": [{"from": "mail", "to": "email"}]}),
    )
    .unwrap();
    assert_eq!(a.fingerprint(), b.fingerprint());
    assert_ne!(a.fingerprint(), c.fingerprint());
    assert_eq!(a.fingerprint().len(), 32);
}

#[test]
fn a_round_trip_gives_the_record_back() {
    let template = json!({
        "target": "contact", "direction": "both", "region": "GB", "timeZone": "Europe/London",
        "fields": [
            {"from": "name", "to": ["firstName", "lastName"], "transforms": ["splitName"]},
            {"from": "phone", "to": "phone", "transforms": ["phone"]},
            {"from": "joined", "to": "dateOfBirth", "transforms": [{"fn": "date", "from": "%d/%m/%Y", "to": "date"}]},
            {"from": "tags", "to": "tags", "transforms": [{"fn": "tags", "separator": "|"}]},
            {"from": "size", "customField": "contact.shirt_size"}
        ]
    });
    let defs = CustomFields::from_json(&support::load("mapping.json")["customFields"]).unwrap();
    let mapper = Mapper::new(MappingTemplate::load(&template).unwrap(), Some(&defs)).unwrap();
    let cx = MapContext::native();
    let host = json!({"name": "Ada Lovelace", "phone": "+442079460958", "joined": "10/12/1815", "tags": "a|b", "size": "L"});
    let contact = mapper.map(&host, &cx).unwrap();
    assert_eq!(
        contact["customFields"],
        json!([{"id": "cf_size", "fieldValue": "L"}])
    );
    // HighLevel answers custom fields as {id, value}.
    let mut answered = contact.clone();
    answered["customFields"] = json!([{"id": "cf_size", "value": "L"}]);
    assert_eq!(mapper.map_back(&answered, &cx).unwrap().unwrap(), host);
}

#[test]
fn bad_definitions_and_text_are_typed_errors() {
    for bad in [json!("x"), json!({"fields": []}), json!(3)] {
        let e = CustomFields::from_json(&bad).unwrap_err();
        assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument, "{bad}");
    }
    let e = MappingTemplate::load_text("{\"target\": \"contact\", \"fields\": [").unwrap_err();
    assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument);
    assert!(
        e.message().starts_with("the mapping template is not JSON"),
        "{e}"
    );
    let e = MappingTemplate::load(&json!([])).unwrap_err();
    assert!(
        e.message()
            .starts_with("$: a mapping template is a JSON object"),
        "{e}"
    );
}

#[test]
fn without_a_phone_reader_phones_are_an_error_not_a_pass() {
    let template = MappingTemplate::load(&json!({"target": "contact", "region": "US",
        "fields": [{"from": "m", "to": "phone", "transforms": ["phone"]}]}))
    .unwrap();
    assert!(template.uses_phone());
    let mapper = Mapper::new(template, None).unwrap();
    let errors = mapper
        .map(&json!({"m": "4155552671"}), &MapContext::bare())
        .unwrap_err();
    assert!(errors[0].message.contains("phone reader"), "{errors:?}");
}

/// Writes `tests/vectors/phones.json` (with `UPDATE_VECTORS=1`): for each
/// of 45 regions, libphonenumber's example fixed-line and mobile numbers
/// written as people write them (nationally with the trunk prefix and
/// punctuation, internationally, read from another region), one cut short
/// and one that is not a number; each answer as the native reader gives it.
/// The npm package's phone module must give the same.
#[test]
fn record_phone_vectors() {
    if std::env::var_os("UPDATE_VECTORS").is_none() {
        return;
    }
    const REGIONS: [&str; 45] = [
        "US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI",
        "PL", "PT", "IE", "AU", "NZ", "JP", "KR", "CN", "IN", "BR", "MX", "AR", "CL", "CO", "ZA",
        "NG", "KE", "EG", "AE", "SA", "IL", "TR", "SG", "HK", "PH", "ID", "TH", "VN", "UA", "CZ",
    ];
    let db = &*phonenumber::metadata::DATABASE;
    let mut numbers = Vec::new();
    let mut push = |text: String, region: &str| {
        let answer = LibPhoneNumber.to_e164(&text, region);
        numbers.push(
            json!({"text": text, "region": region, "expect": mapping::phone_answer_json(&answer)}),
        );
    };
    for region in REGIONS {
        let meta = db.by_id(region).unwrap();
        let d = meta.descriptors();
        let trunk = meta.national_prefix().unwrap_or("");
        let code = meta.country_code();
        for (i, example) in [d.fixed_line(), d.mobile()]
            .into_iter()
            .flatten()
            .filter_map(|x| x.example())
            .enumerate()
        {
            // Punctuation people type: groups of three or four, dashes or spaces.
            let spaced: String = example
                .chars()
                .enumerate()
                .flat_map(|(j, c)| {
                    if j > 0 && j % 3 == 0 {
                        vec![if i == 0 { ' ' } else { '-' }, c]
                    } else {
                        vec![c]
                    }
                })
                .collect();
            push(format!("{trunk}{spaced}"), region);
            push(
                format!("+{code} {example}"),
                if region == "US" { "GB" } else { "US" },
            );
            if i == 0 {
                push(
                    format!(
                        "({trunk}{}) {}",
                        &example[..2.min(example.len())],
                        &example[2.min(example.len())..]
                    ),
                    region,
                );
                push(example[..example.len() - 2].to_owned(), region);
            }
        }
        push(format!("call me at {region}"), region);
    }
    push("4155552671".into(), "XX");
    push("".into(), "US");
    let file = json!({
        "description": "Phone numbers to E.164: text as people write it, the default region, and the answer ({e164} or {error: unparseable | invalid | unknownRegion}). Written from libphonenumber's example numbers by core/tests/mapping.rs (UPDATE_VECTORS=1); the native reader and the npm package's phone module must both give each answer.",
        "numbers": numbers,
    });
    let path = format!(
        "{}/../tests/vectors/phones.json",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::write(&path, serde_json::to_string_pretty(&file).unwrap() + "\n").unwrap();
}
