//! Decoding speed: the core's `parse` (status check + typed decode) against a
//! plain `serde_json::from_slice` into the same structs, for a 100-contact
//! search page and a single contact. Target: within 1.2x. Beside them, the
//! JSON route (`catalog::parse`: the body read as a `Value`, then conformed
//! to the result schema) against plain `serde_json::from_slice::<Value>`.
//!
//! `cargo bench -p contacts-core --bench decode`

use contacts_core::models::{ContactListResponse, ContactResponse};
use contacts_core::ops::contacts::{GetContact, SearchContacts};
use contacts_core::{HttpResponse, Operation, catalog};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde_json::{Value, json};
use std::hint::black_box;

fn contact(i: usize) -> Value {
    json!({
        "id": format!("c{i:019}"), "locationId": "ve9EPM428h8vShlRW1KT",
        "firstName": format!("First{i}"), "lastName": format!("Last{i}"), "name": format!("First{i} Last{i}"),
        "firstNameLowerCase": format!("first{i}"), "lastNameLowerCase": format!("last{i}"),
        "email": format!("person{i}@example.com"), "phone": format!("+1555{i:07}"),
        "companyName": "Analytical Engines", "timezone": "Europe/London", "type": "lead", "source": "web form",
        "address1": "3535 1st St N", "city": "Dolomite", "state": "AL", "country": "US", "postalCode": "35061",
        "website": "https://example.com", "dnd": false,
        "dndSettings": {"SMS": {"status": "inactive", "message": "", "code": ""}, "Email": {"status": "active"}},
        "tags": ["vip", "newsletter", format!("cohort-{}", i % 12)],
        "dateAdded": "2026-01-05T12:41:02.193Z", "dateUpdated": "2026-11-01T08:00:00.000Z",
        "customFields": [{"id": "cf_colour", "value": "blue"}, {"id": "cf_score", "value": i}, {"id": "cf_multi", "value": ["a", "b"]}],
        "additionalEmails": [], "followers": ["u1"], "validEmail": true,
        "opportunities": [{"id": "op1", "pipeline_id": "p1", "status": "open", "monetary_value": 100}],
        "searchAfter": [1_767_616_862_193u64 + i as u64, format!("c{i:019}")]
    })
}

fn bench(c: &mut Criterion) {
    let page = serde_json::to_vec(&json!({
        "contacts": (0..100).map(contact).collect::<Vec<_>>(), "total": 12345
    }))
    .unwrap();
    let single = serde_json::to_vec(&json!({"contact": contact(7), "traceId": "tr"})).unwrap();
    let page_resp =
        HttpResponse::new(200, page.clone()).with_header("content-type", "application/json");
    let single_resp =
        HttpResponse::new(200, single.clone()).with_header("content-type", "application/json");
    let search = SearchContacts {
        location_id: "loc".into(),
        page_limit: 100,
        ..Default::default()
    };
    let get = GetContact {
        contact_id: "c7".into(),
    };

    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(page.len() as u64));
    g.bench_function(BenchmarkId::new("search_page_100", "core_parse"), |b| {
        b.iter(|| search.parse(black_box(&page_resp)).unwrap())
    });
    g.bench_function(
        BenchmarkId::new("search_page_100", "serde_from_slice"),
        |b| b.iter(|| serde_json::from_slice::<ContactListResponse>(black_box(&page)).unwrap()),
    );
    let search_params = json!({"locationId": "loc", "pageLimit": 100});
    g.bench_function(BenchmarkId::new("search_page_100", "catalog_parse"), |b| {
        b.iter(|| catalog::parse("contacts.search", &search_params, black_box(&page_resp)).unwrap())
    });
    g.bench_function(BenchmarkId::new("search_page_100", "serde_value"), |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&page)).unwrap())
    });
    g.throughput(Throughput::Bytes(single.len() as u64));
    let get_params = json!({"contactId": "c7"});
    g.bench_function(BenchmarkId::new("single_contact", "catalog_parse"), |b| {
        b.iter(|| catalog::parse("contacts.get", &get_params, black_box(&single_resp)).unwrap())
    });
    g.bench_function(BenchmarkId::new("single_contact", "serde_value"), |b| {
        b.iter(|| serde_json::from_slice::<Value>(black_box(&single)).unwrap())
    });
    g.bench_function(BenchmarkId::new("single_contact", "core_parse"), |b| {
        b.iter(|| get.parse(black_box(&single_resp)).unwrap())
    });
    g.bench_function(
        BenchmarkId::new("single_contact", "serde_from_slice"),
        |b| b.iter(|| serde_json::from_slice::<ContactResponse>(black_box(&single)).unwrap()),
    );
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
