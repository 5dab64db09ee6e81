//! Webhook delivery as HighLevel does it: every change POSTs its event with
//! `timestamp` and `webhookId`, signed with Ed25519 in `X-GHL-Signature`, and
//! is retried only when the receiver answers 429 (fact sheet §8.1).

use base64::Engine;
use bytes::Bytes;
use ed25519_dalek::{Signer, SigningKey};
use http_body_util::Full;
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;
use serde::Serialize;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

/// How deliveries are retried.
#[derive(Clone, Copy, Debug)]
pub struct RetryPolicy {
    /// Retries after a 429 (HighLevel: 6).
    pub max_retries: u32,
    /// The wait between tries (HighLevel: about 10 minutes).
    pub delay: Duration,
}

/// One delivery's outcome, for tests and the admin API.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Delivery {
    /// The event's `webhookId`.
    pub webhook_id: String,
    /// The event's `type`.
    pub event_type: String,
    /// Where it went.
    pub url: String,
    /// How many POSTs were made.
    pub attempts: u32,
    /// The last HTTP status, or 0 when the receiver could not be reached.
    pub status: u16,
}

/// The signer and the delivery queue.
pub struct Webhooks {
    key: SigningKey,
    urls: Mutex<Vec<String>>,
    tx: mpsc::UnboundedSender<Value>,
    log: Arc<Mutex<Vec<Delivery>>>,
}

impl Webhooks {
    /// Starts the delivery task on the current runtime.
    pub fn start(
        seed: [u8; 32],
        urls: Vec<String>,
        policy: RetryPolicy,
        app_id: String,
    ) -> Arc<Webhooks> {
        let (tx, rx) = mpsc::unbounded_channel();
        let hooks = Arc::new(Webhooks {
            key: SigningKey::from_bytes(&seed),
            urls: Mutex::new(urls),
            tx,
            log: Arc::new(Mutex::new(Vec::new())),
        });
        tokio::spawn(deliver(Arc::downgrade(&hooks), rx, policy, app_id));
        hooks
    }

    /// The public key, as SPKI PEM (what `WebhookVerifier::from_public_keys` takes).
    pub fn public_key_pem(&self) -> String {
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(self.key.verifying_key().as_bytes());
        let b64 = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN PUBLIC KEY-----\n{b64}\n-----END PUBLIC KEY-----\n")
    }

    /// The signature header value for `body`.
    pub fn sign(&self, body: &[u8]) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.key.sign(body).to_bytes())
    }

    /// Adds a receiver.
    pub fn add_url(&self, url: String) {
        self.urls
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(url);
    }

    /// The configured receivers.
    pub fn urls(&self) -> Vec<String> {
        self.urls.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Queues an event (a payload with `type` and `locationId`).
    pub fn emit(&self, event: Value) {
        let _ = self.tx.send(event);
    }

    /// Every delivery made so far.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.log.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

async fn deliver(
    hooks: std::sync::Weak<Webhooks>,
    mut rx: mpsc::UnboundedReceiver<Value>,
    policy: RetryPolicy,
    app_id: String,
) {
    let client: Client<HttpConnector, Full<Bytes>> =
        Client::builder(TokioExecutor::new()).build_http();
    let mut counter: u64 = 0;
    while let Some(mut event) = rx.recv().await {
        let Some(hooks) = hooks.upgrade() else { return };
        let urls = hooks.urls();
        if urls.is_empty() {
            continue;
        }
        counter += 1;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or_default();
        let webhook_id = format!(
            "wh-{:016x}-{counter}",
            crate::seed::mix(now as u64 ^ counter)
        );
        if let Some(m) = event.as_object_mut() {
            m.insert("webhookId".into(), Value::String(webhook_id.clone()));
            m.insert("timestamp".into(), Value::String(crate::seed::iso(now)));
            m.insert("appId".into(), Value::String(app_id.clone()));
        }
        let event_type = event
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let body = serde_json::to_vec(&event).unwrap_or_default();
        let signature = hooks.sign(&body);
        for url in urls {
            let (client, body, signature, log, webhook_id, event_type) = (
                client.clone(),
                body.clone(),
                signature.clone(),
                hooks.log.clone(),
                webhook_id.clone(),
                event_type.clone(),
            );
            tokio::spawn(async move {
                let mut attempts = 0;
                let status = loop {
                    attempts += 1;
                    let request = hyper::Request::post(url.as_str())
                        .header("Content-Type", "application/json")
                        .header("X-GHL-Signature", signature.as_str())
                        .body(Full::new(Bytes::from(body.clone())));
                    let status = match request {
                        Ok(r) => {
                            match tokio::time::timeout(Duration::from_secs(10), client.request(r))
                                .await
                            {
                                Ok(Ok(resp)) => resp.status().as_u16(),
                                _ => 0,
                            }
                        }
                        Err(_) => 0,
                    };
                    // Only a 429 is retried; anything else is final, as on HighLevel.
                    if status != 429 || attempts > policy.max_retries {
                        break status;
                    }
                    tokio::time::sleep(policy.delay).await;
                };
                log.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(Delivery {
                        webhook_id,
                        event_type,
                        url,
                        attempts,
                        status,
                    });
            });
        }
    }
}
