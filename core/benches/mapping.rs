//! Mapping throughput on one core: a 12-field contact template with phone,
//! date and custom-field transforms (`bench/mapping/`, which the npm
//! package's bench maps too), against the phone transform's own rate in the
//! same run (libphonenumber reading one number). The bar: mapping
//! at least 0.6× the phone rate. `cargo bench -p contacts-core --bench mapping`.

use contacts_core::mapping::{
    CustomFields, LibPhoneNumber, MapContext, Mapper, MappingTemplate, PhoneNumbers,
};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::Value;
use std::hint::black_box;

fn load(name: &str) -> Value {
    let path = format!("{}/../bench/mapping/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn mapping(c: &mut Criterion) {
    let defs = CustomFields::from_json(&load("fields.json")).unwrap();
    let mapper = Mapper::new(
        MappingTemplate::load(&load("template.json")).unwrap(),
        Some(&defs),
    )
    .unwrap();
    let record = load("record.json");
    let cx = MapContext::native();
    assert!(mapper.map(&record, &cx).is_ok(), "the bench record maps");
    let mut g = c.benchmark_group("mapping");
    g.bench_function("phone transform alone", |b| {
        b.iter(|| {
            LibPhoneNumber
                .to_e164(black_box("(415) 555-2671"), "US")
                .unwrap()
        })
    });
    g.bench_function("12-field record", |b| {
        b.iter(|| mapper.map(black_box(&record), &cx).unwrap())
    });
    // The same record without its phone field: what the rest costs.
    let mut no_phone = load("template.json");
    no_phone["fields"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["from"] != "mobile");
    let rest = Mapper::new(MappingTemplate::load(&no_phone).unwrap(), Some(&defs)).unwrap();
    g.bench_function("the other 11 fields", |b| {
        b.iter(|| rest.map(black_box(&record), &cx).unwrap())
    });
    let mut only_phone = load("template.json");
    only_phone["fields"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["from"] == "mobile");
    only_phone["rules"] = serde_json::json!([]);
    let phone_field =
        Mapper::new(MappingTemplate::load(&only_phone).unwrap(), Some(&defs)).unwrap();
    g.bench_function("the phone field alone", |b| {
        b.iter(|| phone_field.map(black_box(&record), &cx).unwrap())
    });
    g.bench_function("template load and bind", |b| {
        let json = load("template.json");
        b.iter(|| {
            Mapper::new(
                MappingTemplate::load(black_box(&json)).unwrap(),
                Some(&defs),
            )
            .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, mapping);
criterion_main!(benches);
