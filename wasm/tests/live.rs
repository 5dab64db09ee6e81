//! wasm-bindgen-test against a live sandbox (with CORS): calls, errors,
//! pagination, refresh and webhook verification, through the exported API
//! exactly as JS sees it. Runs in Node, and in headless Chromium with
//! `WASM_BINDGEN_USE_BROWSER=1` (tests/run.sh does both).
//!
//! The sandbox URL and token come in at compile time (wasm has no env):
//! `CONTACTS_SANDBOX_URL`, `CONTACTS_SANDBOX_PIT`.
#![cfg(target_arch = "wasm32")]

use contacts_wasm::{ContactsClient, WebhookVerifier};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

const BASE: &str = match option_env!("CONTACTS_SANDBOX_URL") {
    Some(s) => s,
    None => "http://127.0.0.1:8080",
};
const PIT: &str = match option_env!("CONTACTS_SANDBOX_PIT") {
    Some(s) => s,
    None => "pit-sandbox-0000-0000-0000",
};
const LOCATION: &str = "SBXloc00000000000001";

fn json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap()
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(v.clone(), |v, k| Reflect::get(&v, &k.into()).unwrap())
}

fn pit_client() -> ContactsClient {
    ContactsClient::new(json(&format!(
        r#"{{"baseUrl":"{BASE}","credentials":{{"kind":"privateIntegrationToken","token":"{PIT}","locationId":"{LOCATION}"}}}}"#
    )))
    .unwrap()
}

async fn call(client: &ContactsClient, name: &str, params: &str) -> Result<JsValue, JsValue> {
    JsFuture::from(client.call(name.into(), json(params), JsValue::UNDEFINED)).await
}

fn code(err: &JsValue) -> String {
    assert!(
        err.is_instance_of::<js_sys::Error>(),
        "not an Error: {err:?}"
    );
    assert_eq!(
        get(err, "name").as_string().as_deref(),
        Some("ContactsError")
    );
    get(err, "code").as_string().unwrap()
}

#[wasm_bindgen_test]
async fn create_get_update_delete() {
    let c = pit_client();
    let created = call(
        &c,
        "contacts.create",
        &format!(
            r#"{{"locationId":"{LOCATION}","firstName":"Wasm","email":"wasm.{}@example.com"}}"#,
            js_sys::Date::now() as u64
        ),
    )
    .await
    .unwrap();
    let id = get(&created, "contact.id").as_string().unwrap();
    let got = call(&c, "contacts.get", &format!(r#"{{"contactId":"{id}"}}"#))
        .await
        .unwrap();
    assert_eq!(
        get(&got, "contact.firstName").as_string().as_deref(),
        Some("Wasm")
    );
    // The typed group reaches the same operation.
    let group = c.contacts();
    let update: Function = get(&group, "update").dyn_into().unwrap();
    let p: Promise = update
        .call1(
            &group,
            &json(&format!(r#"{{"contactId":"{id}","lastName":"Bindgen"}}"#)),
        )
        .unwrap()
        .dyn_into()
        .unwrap();
    let updated = JsFuture::from(p).await.unwrap();
    assert_eq!(
        get(&updated, "contact.lastName").as_string().as_deref(),
        Some("Bindgen")
    );
    call(&c, "contacts.delete", &format!(r#"{{"contactId":"{id}"}}"#))
        .await
        .unwrap();
    let err = call(&c, "contacts.get", &format!(r#"{{"contactId":"{id}"}}"#))
        .await
        .unwrap_err();
    assert_eq!(code(&err), "NOT_FOUND");
    assert_eq!(get(&err, "status").as_f64(), Some(404.0));
}

#[wasm_bindgen_test]
async fn errors_are_typed() {
    let c = pit_client();
    let err = call(&c, "contacts.nope", "{}").await.unwrap_err();
    assert_eq!(code(&err), "INVALID_ARGUMENT");
    let bad = ContactsClient::new(json(&format!(
        r#"{{"baseUrl":"{BASE}","credentials":{{"kind":"privateIntegrationToken","token":"pit-wrong"}}}}"#
    )))
    .unwrap();
    let err = call(&bad, "contacts.get", r#"{"contactId":"x"}"#)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "UNAUTHORIZED");
    let err = ContactsClient::new(json(r#"{"credentials":{"kind":"pit"}}"#))
        .err()
        .unwrap();
    assert_eq!(code(&err), "INVALID_ARGUMENT");
    // Nothing listens on port 9: a transport failure, not a hang.
    let dead = ContactsClient::new(json(
        r#"{"baseUrl":"http://127.0.0.1:9","credentials":{"kind":"privateIntegrationToken","token":"x"},"retry":{"maxAttempts":1,"baseDelayMs":1,"maxDelayMs":1}}"#,
    ))
    .unwrap();
    let err = call(&dead, "contacts.get", r#"{"contactId":"x"}"#)
        .await
        .unwrap_err();
    assert_eq!(code(&err), "TRANSPORT");
}

#[wasm_bindgen_test]
async fn pages_walk_to_the_end() {
    let c = pit_client();
    let pages = c
        .pages(
            "contacts.search".into(),
            json(&format!(r#"{{"locationId":"{LOCATION}","pageLimit":4}}"#)),
            JsValue::UNDEFINED,
        )
        .unwrap();
    let next: Function = get(&pages, "next").dyn_into().unwrap();
    let (mut seen, mut count) = (std::collections::BTreeSet::new(), 0);
    for _ in 0..100 {
        let step = JsFuture::from(next.call0(&pages).unwrap().dyn_into::<Promise>().unwrap())
            .await
            .unwrap();
        if get(&step, "done").as_bool() == Some(true) {
            break;
        }
        count += 1;
        let contacts = js_sys::Array::from(&get(&step, "value.contacts"));
        for c in contacts.iter() {
            assert!(seen.insert(get(&c, "id").as_string().unwrap()), "duplicate");
        }
    }
    assert!(seen.len() >= 10, "saw {}", seen.len());
    assert_eq!(count, seen.len().div_ceil(4));
}

#[wasm_bindgen_test]
async fn an_expired_token_is_refreshed_once_and_handed_over() {
    let admin = gloo_net::http::Request::post(&format!("{BASE}/sandbox/tokens"))
        .body(r#"{"scopes":["contacts.readonly"]}"#)
        .unwrap()
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let admin = json(&admin);
    let config = json(&format!(
        r#"{{"baseUrl":"{BASE}","oauthClient":{{"clientId":"sandbox-client","clientSecret":"sandbox-secret"}},
            "credentials":{{"kind":"oauth","tokens":{{"accessToken":{},"refreshToken":{},"expiresAtMs":1,"locationId":"{LOCATION}"}}}}}}"#,
        js_sys::JSON::stringify(&get(&admin, "access_token")).unwrap(),
        js_sys::JSON::stringify(&get(&admin, "refresh_token")).unwrap(),
    ));
    let c = ContactsClient::new(config).unwrap();
    let saved = js_sys::Array::new();
    let sink = saved.clone();
    let on_tokens = Closure::<dyn Fn(JsValue)>::new(move |t: JsValue| {
        sink.push(&t);
    });
    c.on_tokens(on_tokens.as_ref().clone()).unwrap();
    let calls: Vec<_> = (0..10)
        .map(|_| {
            JsFuture::from(c.call(
                "contacts.search".into(),
                json(&format!(r#"{{"locationId":"{LOCATION}","pageLimit":1}}"#)),
                JsValue::UNDEFINED,
            ))
        })
        .collect();
    for f in calls {
        f.await.unwrap();
    }
    assert_eq!(saved.length(), 1, "one refresh for ten calls");
    let rotated = get(&saved.get(0), "refreshToken").as_string().unwrap();
    assert_ne!(Some(rotated), get(&admin, "refresh_token").as_string());
}

#[wasm_bindgen_test]
fn webhook_vectors_verify() {
    let file = json(include_str!("../../tests/vectors/webhooks.json"));
    let key = get(&file, "public_key");
    for v in js_sys::Array::from(&get(&file, "vectors")).iter() {
        let opts = Object::new();
        Reflect::set(&opts, &"publicKeys".into(), &js_sys::Array::of1(&key)).unwrap();
        let verifier = WebhookVerifier::new(Some(opts.into())).unwrap();
        for d in js_sys::Array::from(&get(&v, "deliveries")).iter() {
            let result = verifier.verify(
                get(&d, "headers"),
                get(&d, "body_text"),
                get(&d, "now_ms").as_f64(),
            );
            let want = get(&d, "expect_error");
            if want.is_undefined() {
                let event = result.unwrap();
                assert_eq!(get(&event, "type"), get(&d, "expect_event.type"));
            } else {
                assert_eq!(
                    Some(code(&result.unwrap_err())),
                    get(&want, "code").as_string()
                );
            }
        }
    }
}
