//! Webhooks leave the sandbox signed with its Ed25519 key, verify with the
//! core's verifier, and are retried only when the receiver answers 429.

use contacts_core::webhooks::{WebhookEvent, WebhookVerifier};
use contacts_sandbox::{RetryPolicy, Sandbox, SandboxConfig};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Seen = Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>;

/// A receiver on 127.0.0.1 that answers the scripted statuses in turn (the
/// last one repeats) and records every delivery.
async fn receiver(script: Vec<u16>) -> (String, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let script = Arc::new(Mutex::new(VecDeque::from(script)));
    let s = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (seen, script) = (s.clone(), script.clone());
            tokio::spawn(async move {
                let svc = hyper::service::service_fn(
                    move |req: hyper::Request<hyper::body::Incoming>| {
                        let (seen, script) = (seen.clone(), script.clone());
                        async move {
                            let headers = req
                                .headers()
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
                                .collect();
                            let body = req.into_body().collect().await.unwrap().to_bytes().to_vec();
                            seen.lock().unwrap().push((headers, body));
                            let status = {
                                let mut s = script.lock().unwrap();
                                if s.len() > 1 {
                                    s.pop_front().unwrap()
                                } else {
                                    *s.front().unwrap()
                                }
                            };
                            Ok::<_, std::convert::Infallible>(
                                hyper::Response::builder()
                                    .status(status)
                                    .body(Full::new(Bytes::new()))
                                    .unwrap(),
                            )
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), svc)
                    .await;
            });
        }
    });
    (url, seen)
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64
}

#[tokio::test]
async fn webhooks_are_signed_and_retried_only_on_429() {
    let (retrying, retrying_seen) = receiver(vec![429, 200]).await;
    let (failing, failing_seen) = receiver(vec![500]).await;
    let sbx = Sandbox::start(SandboxConfig {
        webhook_urls: vec![retrying.clone(), failing.clone()],
        webhook_key_seed: Some([7; 32]),
        webhook_retry: RetryPolicy {
            max_retries: 6,
            delay: Duration::from_millis(50),
        },
        ..Default::default()
    })
    .await
    .unwrap();
    let resp = reqwest::Client::new()
        .post(format!("{}/contacts/", sbx.base_url()))
        .header("Authorization", format!("Bearer {}", sbx.pit()))
        .header("Version", "2021-07-28")
        .header("Content-Type", "application/json")
        .body(format!(
            r#"{{"locationId":"{}","firstName":"Hook","email":"hook@example.com"}}"#,
            sbx.location_id()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    let id = serde_json::from_slice::<serde_json::Value>(&resp.bytes().await.unwrap()).unwrap()["contact"]["id"].as_str().unwrap().to_string();

    let deadline = Instant::now() + Duration::from_secs(5);
    while (retrying_seen.lock().unwrap().len() < 2 || failing_seen.lock().unwrap().is_empty())
        && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await; // room for a wrong retry to show up
    assert_eq!(
        retrying_seen.lock().unwrap().len(),
        2,
        "a 429 is retried once, then 200 ends it"
    );
    assert_eq!(
        failing_seen.lock().unwrap().len(),
        1,
        "a 500 is final, as on HighLevel"
    );

    let (headers, body) = retrying_seen.lock().unwrap()[1].clone();
    assert_eq!(
        retrying_seen.lock().unwrap()[0].1,
        body,
        "a retry resends the same bytes"
    );
    let verifier = WebhookVerifier::from_public_keys(&[sbx.webhook_public_key_pem()]).unwrap();
    match verifier.verify(&headers, &body, now_ms()).unwrap() {
        WebhookEvent::ContactCreate(c) => {
            assert_eq!(c.id.as_deref(), Some(id.as_str()));
            assert_eq!(c.location_id.as_deref(), Some(sbx.location_id()));
        }
        other => panic!("unexpected {other:?}"),
    }
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    assert!(
        WebhookVerifier::from_public_keys(&[sbx.webhook_public_key_pem()])
            .unwrap()
            .verify(&headers, &tampered, now_ms())
            .is_err()
    );

    let log = sbx.webhook_deliveries();
    let by_url = |u: &str| {
        log.iter()
            .find(|d| d.url == u)
            .map(|d| (d.attempts, d.status))
    };
    assert_eq!(by_url(&retrying), Some((2, 200)));
    assert_eq!(by_url(&failing), Some((1, 500)));
    sbx.shutdown().await;
}

#[tokio::test]
async fn appointment_changes_are_signed_appointment_webhooks() {
    let (url, seen) = receiver(vec![200]).await;
    let sbx = Sandbox::start(SandboxConfig {
        seed: 2,
        webhook_urls: vec![url],
        ..Default::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    let send = |method: reqwest::Method, path: String, body: Option<String>| {
        let mut rb = http
            .request(method, format!("{}{path}", sbx.base_url()))
            .header("Authorization", format!("Bearer {}", sbx.pit()))
            .header("Version", "2021-04-15")
            .header("Content-Type", "application/json");
        if let Some(b) = body {
            rb = rb.body(b);
        }
        rb.send()
    };
    let contact = sbx.first_contact_id().unwrap();
    let booked = send(
        reqwest::Method::POST,
        "/calendars/events/appointments".into(),
        Some(format!(
            r#"{{"calendarId":"cal_sandbox","locationId":"{}","contactId":"{contact}","startTime":"2030-11-04T10:00:00-05:00"}}"#,
            sbx.location_id()
        )),
    )
    .await
    .unwrap();
    assert_eq!(booked.status().as_u16(), 200);
    let id =
        serde_json::from_slice::<serde_json::Value>(&booked.bytes().await.unwrap()).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
    let moved = send(
        reqwest::Method::PUT,
        format!("/calendars/events/appointments/{id}"),
        Some(r#"{"startTime":"2030-11-04T11:00:00-05:00"}"#.into()),
    )
    .await
    .unwrap();
    assert_eq!(moved.status().as_u16(), 200);
    let deleted = send(
        reqwest::Method::DELETE,
        format!("/calendars/events/{id}"),
        Some("{}".into()),
    )
    .await
    .unwrap();
    assert_eq!(deleted.status().as_u16(), 201);

    let deadline = Instant::now() + Duration::from_secs(5);
    while seen.lock().unwrap().len() < 3 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let verifier = WebhookVerifier::from_public_keys(&[sbx.webhook_public_key_pem()]).unwrap();
    let mut kinds = Vec::new();
    for (headers, body) in seen.lock().unwrap().iter() {
        let event = verifier.verify(headers, body, now_ms()).unwrap();
        let (kind, appointment) = match event {
            WebhookEvent::AppointmentCreate(e) => ("create", e.appointment),
            WebhookEvent::AppointmentUpdate(e) => ("update", e.appointment),
            WebhookEvent::AppointmentDelete(e) => ("delete", e.appointment),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(appointment.and_then(|a| a.id).as_deref(), Some(id.as_str()));
        kinds.push(kind);
    }
    kinds.sort();
    assert_eq!(kinds, ["create", "delete", "update"]);
    sbx.shutdown().await;
}

/// Every modelled event type leaves the sandbox signed (its own operations
/// for relations, `POST /sandbox/webhooks/emit` for the kinds it has no API
/// for), verifies, and is typed as its own variant, not `Unknown`.
#[tokio::test]
async fn every_modelled_event_type_is_delivered_signed_and_typed() {
    use contacts_core::webhooks::EVENT_TYPES;
    let (url, seen) = receiver(vec![200]).await;
    let sbx = Sandbox::start(SandboxConfig {
        seed: 2,
        webhook_urls: vec![url],
        ..Default::default()
    })
    .await
    .unwrap();
    let http = reqwest::Client::new();
    // RelationCreate and RelationDelete from the sandbox's own relations.
    let api = |method: reqwest::Method, path: String, body: serde_json::Value| {
        http.request(method, format!("{}{path}", sbx.base_url()))
            .header("Authorization", format!("Bearer {}", sbx.pit()))
            .header("Version", "2021-07-28")
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
    };
    let location = sbx.location_id().to_string();
    let listed: serde_json::Value = api(
        reqwest::Method::GET,
        format!("/associations/?locationId={location}"),
        serde_json::json!({}),
    )
    .await
    .unwrap()
    .bytes()
    .await
    .map(|b| serde_json::from_slice::<serde_json::Value>(&b).unwrap())
    .unwrap();
    let association = listed["associations"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let contacts: serde_json::Value = api(
        reqwest::Method::GET,
        format!("/contacts/?locationId={location}&limit=2"),
        serde_json::json!({}),
    )
    .await
    .unwrap()
    .bytes()
    .await
    .map(|b| serde_json::from_slice::<serde_json::Value>(&b).unwrap())
    .unwrap();
    let (a, b) = (
        contacts["contacts"][0]["id"].clone(),
        contacts["contacts"][1]["id"].clone(),
    );
    let made: serde_json::Value = api(
        reqwest::Method::POST,
        "/associations/relations".into(),
        serde_json::json!({"locationId": location, "associationId": association, "firstRecordId": a, "secondRecordId": b}),
    )
    .await
    .unwrap()
    .bytes()
    .await
    .map(|b| serde_json::from_slice::<serde_json::Value>(&b).unwrap())
    .unwrap();
    let relation = made["id"].as_str().unwrap().to_string();
    let gone = api(
        reqwest::Method::DELETE,
        format!("/associations/relations/{relation}?locationId={location}"),
        serde_json::json!(null),
    )
    .await
    .unwrap();
    assert_eq!(gone.status().as_u16(), 200);
    // The rest through the admin route, one of each.
    let by_api = ["RelationCreate", "RelationDelete"];
    let mut expected = by_api.len();
    for (n, e) in EVENT_TYPES.iter().enumerate() {
        if by_api.contains(&e.kind) {
            continue;
        }
        let payload = serde_json::json!({"type": e.kind, "id": format!("rec-{n}"),
            "webhookId": format!("emit-{n}"), "timestamp": contacts_core::time::format_rfc3339_ms(now_ms() as i64)});
        let r = http
            .post(format!("{}/sandbox/webhooks/emit", sbx.base_url()))
            .body(serde_json::json!({ "payload": payload }).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{}", e.kind);
        expected += 1;
    }
    let refused = http
        .post(format!("{}/sandbox/webhooks/emit", sbx.base_url()))
        .body(serde_json::json!({"payload": {"id": "x"}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status().as_u16(), 400, "a payload needs a type");

    let deadline = Instant::now() + Duration::from_secs(10);
    while seen.lock().unwrap().len() < expected && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let verifier = WebhookVerifier::from_public_keys(&[sbx.webhook_public_key_pem()]).unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    for (headers, body) in seen.lock().unwrap().iter() {
        let event = verifier.verify(headers, body, now_ms()).unwrap();
        assert!(!matches!(event, WebhookEvent::Unknown(_)), "{event:?}");
        if event.kind().starts_with("Relation") {
            let json = event.to_json();
            assert_eq!(
                json["associationId"],
                serde_json::json!(association),
                "{json}"
            );
            assert_eq!(json["firstRecordId"], a);
        }
        kinds.insert(event.kind().to_string());
    }
    let all: std::collections::BTreeSet<String> =
        EVENT_TYPES.iter().map(|e| e.kind.to_string()).collect();
    assert_eq!(kinds, all, "one delivery of every modelled type");
    sbx.shutdown().await;
}
