//! The driver's cases over a scripted transport: the test plays the server,
//! sees every request the moment it is sent and answers when it likes, on a
//! fake clock. Each case is written once, generic over the transport; the
//! same cases run against a live sandbox through the native transport in
//! `native.rs`, through the C ABI in `ffi/tests/abi.rs` and through the npm
//! package in `wasm/js/test/client.test.mjs`.

use contacts_core::driver::{DetachedTask, Driver, SendError, Transport};
use contacts_core::engine::{
    Engine, EngineConfig, Outgoing, TokenStore, TransportError, TransportErrorKind,
};
use contacts_core::{Config, Credentials, ErrorCode, HttpResponse, OAuthTokens};
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};

#[path = "support/oauth.rs"]
mod oauth;
use oauth::oauth_engine;

type Reply = std::result::Result<HttpResponse, SendError>;

/// A request the driver sent, waiting for the test's answer.
struct Sent {
    out: Outgoing,
    reply: futures_channel::oneshot::Sender<Reply>,
}

impl Sent {
    fn answer(self, status: u16, body: &str) {
        let _ = self
            .reply
            .send(Ok(HttpResponse::new(status, body.to_string())));
    }
    fn answer_with(self, reply: Reply) {
        let _ = self.reply.send(reply);
    }
    fn url(&self) -> &str {
        &self.out.request.url
    }
}

#[derive(Default)]
struct Wire {
    clock: u64,
    waiting: Vec<Sent>,
    sent: usize,
}

/// The scripted transport: sends go to the test, sleeps move the fake clock.
#[derive(Clone, Default)]
struct Scripted(Arc<Mutex<Wire>>);

impl Transport for Scripted {
    async fn send(&self, out: Outgoing) -> Reply {
        let (reply, answer) = futures_channel::oneshot::channel();
        {
            let mut wire = self.0.lock().unwrap();
            wire.sent += 1;
            wire.waiting.push(Sent { out, reply });
        }
        answer.await.unwrap_or(Err(SendError::Cancelled))
    }

    async fn sleep(&self, ms: u64) {
        self.0.lock().unwrap().clock += ms;
        tokio::task::yield_now().await;
    }

    fn now_ms(&self) -> u64 {
        self.0.lock().unwrap().clock
    }

    fn spawn_detached(&self, task: DetachedTask) -> Result<(), DetachedTask> {
        tokio::spawn(task);
        Ok(())
    }
}

impl Scripted {
    /// Lets the driver run until `n` requests wait for an answer, and takes
    /// them. Bounded: panics if they never come.
    async fn expect(&self, n: usize) -> Vec<Sent> {
        for _ in 0..10_000 {
            {
                let mut wire = self.0.lock().unwrap();
                if wire.waiting.len() >= n {
                    assert_eq!(wire.waiting.len(), n, "more requests than expected");
                    return std::mem::take(&mut wire.waiting);
                }
            }
            tokio::task::yield_now().await;
        }
        panic!(
            "expected {n} requests, {} came",
            self.0.lock().unwrap().waiting.len()
        );
    }

    async fn settle(&self) {
        for _ in 0..100 {
            tokio::task::yield_now().await;
        }
    }

    fn sent(&self) -> usize {
        self.0.lock().unwrap().sent
    }

    fn clock(&self) -> u64 {
        self.0.lock().unwrap().clock
    }
}

fn pit_driver(t: &Scripted) -> Driver<Scripted> {
    Driver::new(
        Engine::new(EngineConfig::new(Credentials::pit("pit-x"))),
        t.clone(),
    )
}

#[derive(Default)]
struct Recorder(Mutex<Vec<String>>);
impl TokenStore for Recorder {
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String> {
        let rt = tokens
            .refresh_token
            .as_ref()
            .map(|s| s.expose().to_string());
        self.0.lock().unwrap().push(rt.unwrap_or_default());
        Ok(())
    }
}

#[tokio::test]
async fn a_call_cancelled_during_its_refresh_still_stores_the_rotated_token() {
    let t = Scripted::default();
    t.0.lock().unwrap().clock = 1_000_000;
    let store = Arc::new(Recorder::default());
    let driver = Driver::new(oauth_engine(1_000, Some(store.clone())), t.clone());
    let d = driver.clone();
    let call =
        tokio::spawn(async move { d.call("contacts.get", json!({"contactId": "c1"})).await });
    let mut refresh = t.expect(1).await;
    assert!(
        refresh[0].url().ends_with("/oauth/token"),
        "{}",
        refresh[0].url()
    );
    call.abort();
    assert!(call.await.unwrap_err().is_cancelled());
    refresh.remove(0).answer(
        200,
        r#"{"access_token":"at-new","refresh_token":"rt-new","expires_in":86399,"userType":"Location","locationId":"loc"}"#,
    );
    t.settle().await;
    assert_eq!(*store.0.lock().unwrap(), ["rt-new"]);
    let Credentials::OAuth { tokens } = driver.engine().credentials_snapshot() else {
        panic!("not OAuth");
    };
    assert_eq!(tokens.access_token.expose(), "at-new");
}

#[tokio::test]
async fn a_429_waits_the_advised_time_then_succeeds() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let call =
        tokio::spawn(async move { d.call("contacts.get", json!({"contactId": "c1"})).await });
    let first = t.expect(1).await.remove(0);
    let before = t.clock();
    first.answer_with(Ok(HttpResponse {
        status: 429,
        headers: vec![("Retry-After".into(), "2".into())],
        body: br#"{"statusCode":429,"message":"Too many requests"}"#.to_vec(),
    }));
    t.expect(1)
        .await
        .remove(0)
        .answer(200, r#"{"contact":{"id":"c1"}}"#);
    let out = call.await.unwrap().unwrap();
    assert_eq!(out["contact"]["id"], "c1");
    assert!(
        t.clock() - before >= 2_000,
        "waited {} ms",
        t.clock() - before
    );
    assert_eq!(t.sent(), 2);
}

#[tokio::test]
async fn a_three_page_walk_follows_the_cursor_and_ends() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let walk = tokio::spawn(async move {
        let mut walk = d
            .pages_json("contacts.list", json!({"locationId": "loc", "limit": 2}))
            .unwrap();
        let mut ids = Vec::new();
        while let Some(page) = walk.next().await.unwrap() {
            for c in page["contacts"].as_array().unwrap() {
                ids.push(c["id"].as_str().unwrap().to_string());
            }
        }
        (ids, walk.pages())
    });
    let pages = [
        r#"{"contacts":[{"id":"c1"},{"id":"c2"}],"meta":{"startAfterId":"c2","startAfter":2}}"#,
        r#"{"contacts":[{"id":"c3"},{"id":"c4"}],"meta":{"startAfterId":"c4","startAfter":4}}"#,
        r#"{"contacts":[{"id":"c5"}],"meta":{"startAfterId":"c5","startAfter":5}}"#,
    ];
    let mut urls = Vec::new();
    for page in pages {
        let sent = t.expect(1).await.remove(0);
        urls.push(sent.url().to_string());
        sent.answer(200, page);
    }
    let (ids, count) = walk.await.unwrap();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    assert_eq!(count, 3);
    assert!(!urls[0].contains("startAfterId"), "{urls:?}");
    assert!(urls[1].contains("startAfterId=c2&startAfter=2"), "{urls:?}");
    assert!(urls[2].contains("startAfterId=c4&startAfter=4"), "{urls:?}");
    t.settle().await;
    assert_eq!(t.sent(), 3, "a short page ends the walk");
}

#[tokio::test]
async fn a_failed_page_leaves_the_walk_where_it_was() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let walk = tokio::spawn(async move {
        let mut walk = d
            .pages_json("contacts.list", json!({"locationId": "loc", "limit": 1}))
            .unwrap();
        let first = walk.next().await.unwrap().unwrap();
        let failed = walk.next().await.unwrap_err();
        let again = walk.next().await.unwrap().unwrap();
        (first, failed.code(), again, walk.pages())
    });
    t.expect(1).await.remove(0).answer(
        200,
        r#"{"contacts":[{"id":"c1"}],"meta":{"startAfterId":"c1","startAfter":1}}"#,
    );
    let failed = t.expect(1).await.remove(0);
    let url = failed.url().to_string();
    failed.answer(403, r#"{"statusCode":403,"message":"no"}"#);
    let retried = t.expect(1).await.remove(0);
    assert_eq!(retried.url(), url, "the same page is asked for again");
    retried.answer(200, r#"{"contacts":[],"meta":{}}"#);
    let (first, code, again, pages) = walk.await.unwrap();
    assert_eq!(first["contacts"][0]["id"], "c1");
    assert_eq!(code, ErrorCode::Forbidden);
    assert_eq!(again["contacts"], json!([]));
    assert_eq!(pages, 2, "a failed page is not counted");
}

#[tokio::test]
async fn a_walk_of_an_operation_without_pages_is_refused() {
    let d = pit_driver(&Scripted::default());
    let e = d
        .pages_json("contacts.get", json!({"contactId": "c1"}))
        .err()
        .unwrap();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert!(e.to_string().contains("has no pages"), "{e}");
    let e = d
        .pages_json("contacts.list", json!({"limit": "x"}))
        .err()
        .unwrap();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
}

fn exchange_params() -> Value {
    json!({"clientId": "app", "clientSecret": "secret", "code": "code-1", "userType": "Location"})
}

#[tokio::test]
async fn a_code_exchange_is_resent_after_a_connect_failure_only() {
    let t = Scripted::default();
    let engine = Engine::for_token_endpoint(Config::new("http://127.0.0.1:9"), 30_000);
    let d = Driver::new(engine.clone(), t.clone());
    let exchange = tokio::spawn(async move { d.exchange_code(exchange_params()).await });
    let first = t.expect(1).await.remove(0);
    assert!(first.url().ends_with("/oauth/token"));
    first.answer_with(Err(SendError::Transport(TransportError::new(
        TransportErrorKind::Connect,
        "connection refused",
    ))));
    t.expect(1).await.remove(0).answer(
        200,
        r#"{"access_token":"at","refresh_token":"rt","expires_in":10,"userType":"Location","locationId":"loc"}"#,
    );
    let tokens = exchange.await.unwrap().unwrap();
    assert_eq!(tokens.access_token.expose(), "at");
    assert_eq!(tokens.expires_at_ms, Some(t.clock() + 10_000));

    // A failure after the request may have reached the server is final: the
    // code may be spent.
    let d = Driver::new(engine, t.clone());
    let exchange = tokio::spawn(async move { d.exchange_code(exchange_params()).await });
    t.expect(1)
        .await
        .remove(0)
        .answer_with(Err(SendError::Transport(TransportError::new(
            TransportErrorKind::Io,
            "connection reset",
        ))));
    let e = exchange.await.unwrap().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Transport);
    t.settle().await;
    assert_eq!(t.sent(), 3);

    // Bad params are refused before anything is sent.
    let d = Driver::new(
        Engine::for_token_endpoint(Config::default(), 1_000),
        t.clone(),
    );
    let mut bad = exchange_params();
    bad["userType"] = json!("Agency");
    assert_eq!(
        d.exchange_code(bad).await.unwrap_err().code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(
        d.exchange_code(json!({"code": 1}))
            .await
            .unwrap_err()
            .code(),
        ErrorCode::InvalidArgument
    );
    assert_eq!(t.sent(), 3);
}

#[tokio::test]
async fn a_composite_sends_its_independent_reads_together_then_writes_with_both() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let copy = tokio::spawn(async move {
        d.call(
            "tags.copy",
            json!({"fromContactId": "src", "toContactId": "dst"}),
        )
        .await
    });
    // Both reads are out before either is answered.
    let mut reads = t.expect(2).await;
    reads.sort_by(|a, b| a.url().cmp(b.url()));
    assert!(
        reads[0].url().ends_with("/contacts/dst"),
        "{}",
        reads[0].url()
    );
    assert!(
        reads[1].url().ends_with("/contacts/src"),
        "{}",
        reads[1].url()
    );
    let src = reads.pop().unwrap();
    let dst = reads.pop().unwrap();
    src.answer(
        200,
        r#"{"contact":{"id":"src","tags":["vip","Webinar","lead"]}}"#,
    );
    dst.answer(200, r#"{"contact":{"id":"dst","tags":["lead"]}}"#);
    let write = t.expect(1).await.remove(0);
    assert!(
        write.url().ends_with("/contacts/dst/tags"),
        "{}",
        write.url()
    );
    let body: Value = serde_json::from_slice(&write.out.request.body).unwrap();
    assert_eq!(body, json!({"tags": ["vip", "Webinar"]}));
    write.answer(201, r#"{"tags":["lead","vip","webinar"]}"#);
    let out = copy.await.unwrap().unwrap();
    assert_eq!(
        out,
        json!({"added": ["vip", "Webinar"], "tags": ["lead", "vip", "webinar"]})
    );

    // Nothing to add: no write.
    let d = pit_driver(&t);
    let copy = tokio::spawn(async move {
        d.call(
            "tags.copy",
            json!({"fromContactId": "a", "toContactId": "b"}),
        )
        .await
    });
    for read in t.expect(2).await {
        read.answer(200, r#"{"contact":{"id":"x","tags":["VIP"]}}"#);
    }
    let out = copy.await.unwrap().unwrap();
    assert_eq!(out, json!({"added": [], "tags": ["VIP"]}));
    assert_eq!(t.sent(), 5);

    // Bad params and a failing read.
    let d = pit_driver(&t);
    for bad in [
        json!({"fromContactId": "a"}),
        json!({"fromContactId": "a", "toContactId": "a"}),
        json!({"fromContactId": "a", "toContactId": "b", "extra": 1}),
        json!({"fromContactId": "", "toContactId": "b"}),
        json!([]),
    ] {
        let e = d.call("tags.copy", bad.clone()).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad}: {e}");
    }
    assert_eq!(t.sent(), 5, "bad params send nothing");
    let copy = tokio::spawn(async move {
        d.call(
            "tags.copy",
            json!({"fromContactId": "a", "toContactId": "gone"}),
        )
        .await
    });
    for read in t.expect(2).await {
        if read.url().ends_with("/gone") {
            read.answer(404, r#"{"statusCode":404,"message":"Contact not found"}"#);
        } else {
            read.answer(200, r#"{"contact":{"id":"a","tags":["x"]}}"#);
        }
    }
    assert_eq!(copy.await.unwrap().unwrap_err().code(), ErrorCode::NotFound);
    t.settle().await;
    assert_eq!(t.sent(), 7, "no write after a failed read");
}

#[tokio::test]
async fn get_with_activity_reads_every_part_at_once_and_only_the_parts_asked_for() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let read = tokio::spawn(async move {
        d.call("contacts.getWithActivity", json!({"contactId": "c1"}))
            .await
    });
    // All four reads are out before any is answered.
    let mut reads = t.expect(4).await;
    reads.sort_by(|a, b| a.url().cmp(b.url()));
    let paths: Vec<String> = reads
        .iter()
        .map(|r| r.url().rsplit("/contacts/").next().unwrap().to_string())
        .collect();
    assert_eq!(paths, ["c1", "c1/appointments", "c1/notes", "c1/tasks"]);
    let mut reads = reads.into_iter();
    reads
        .next()
        .unwrap()
        .answer(200, r#"{"contact":{"id":"c1","firstName":"Ada"}}"#);
    reads
        .next()
        .unwrap()
        .answer(200, r#"{"events":[{"id":"e1","title":"Demo"}]}"#);
    reads
        .next()
        .unwrap()
        .answer(200, r#"{"notes":[{"id":"n1","body":"hi"}]}"#);
    reads.next().unwrap().answer(200, r#"{"tasks":[]}"#);
    let out = read.await.unwrap().unwrap();
    assert_eq!(out["contact"]["firstName"], "Ada");
    assert_eq!(out["appointments"][0]["id"], "e1");
    assert_eq!(out["notes"][0]["body"], "hi");
    assert_eq!(out["tasks"], json!([]));

    let d = pit_driver(&t);
    let read = tokio::spawn(async move {
        d.call(
            "contacts.getWithActivity",
            json!({"contactId": "c1", "include": ["notes"]}),
        )
        .await
    });
    let mut reads = t.expect(2).await;
    reads.sort_by(|a, b| a.url().cmp(b.url()));
    assert!(reads[1].url().ends_with("/contacts/c1/notes"));
    reads.remove(1).answer(200, r#"{"notes":[]}"#);
    reads.remove(0).answer(200, r#"{"contact":{"id":"c1"}}"#);
    let out = read.await.unwrap().unwrap();
    assert_eq!(
        out.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["contact", "notes"],
        "only the parts asked for"
    );
    t.settle().await;
    assert_eq!(t.sent(), 6);

    let d = pit_driver(&t);
    for bad in [
        json!({"contactId": "c1", "include": ["emails"]}),
        json!({"contactId": "c1", "include": "notes"}),
        json!({}),
    ] {
        let e = d
            .call("contacts.getWithActivity", bad.clone())
            .await
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad}: {e}");
    }
    assert_eq!(t.sent(), 6, "bad params send nothing");
}

/// A task set for a webinar lead: three tasks, one of them only for VIPs.
fn webinar_set() -> Value {
    json!({
        "contactId": "c1",
        "assignedTo": "u-default",
        "tasks": [
            {"title": "Call {{contact.firstName}}", "due": {"after": "PT4H"}},
            {"title": "Send the {{contact.tags | first}} recording", "body": "To {{contact.email | lower}}",
             "due": {"after": "P1D", "from": "contact.dateAdded"}, "assignedTo": "u-sales"},
            {"title": "VIP follow-up", "due": {"after": "P1DT2H"},
             "when": {"path": "contact.tags", "op": "contains", "value": "vip"}}
        ]
    })
}

#[tokio::test]
async fn a_task_set_reads_the_contact_once_then_creates_what_its_rules_say_together() {
    let t = Scripted::default();
    t.0.lock().unwrap().clock = 1_764_547_200_000; // 2025-12-01T00:00:00Z: the driver's clock is "now"
    let d = pit_driver(&t);
    let run = tokio::spawn(async move { d.call("tasks.createSet", webinar_set()).await });
    let read = t.expect(1).await.remove(0);
    assert!(read.url().ends_with("/contacts/c1"), "{}", read.url());
    read.answer(
        200,
        r#"{"contact":{"id":"c1","firstName":"Ada","email":"Ada@Acme.io","tags":["webinar"],"dateAdded":"2025-11-30T10:00:00Z"}}"#,
    );
    // Not a VIP: two creates, both out before either is answered.
    let mut creates = t.expect(2).await;
    let bodies: Vec<Value> = creates
        .iter()
        .map(|c| serde_json::from_slice(&c.out.request.body).unwrap())
        .collect();
    let call = bodies
        .iter()
        .position(|b| b["title"] == "Call Ada")
        .unwrap();
    assert_eq!(
        bodies[call]["dueDate"], "2025-12-01T04:00:00.000Z",
        "PT4H after now"
    );
    assert_eq!(bodies[call]["assignedTo"], "u-default");
    let send = &bodies[1 - call];
    assert_eq!(send["title"], "Send the webinar recording");
    assert_eq!(send["body"], "To ada@acme.io");
    assert_eq!(
        send["dueDate"], "2025-12-01T10:00:00.000Z",
        "P1D after dateAdded"
    );
    assert_eq!(send["assignedTo"], "u-sales");
    for c in creates.drain(..) {
        assert!(c.url().ends_with("/contacts/c1/tasks"));
        let title = serde_json::from_slice::<Value>(&c.out.request.body).unwrap()["title"].clone();
        c.answer(201, &json!({"task": {"id": format!("t-{}", title.as_str().unwrap().len()), "title": title}}).to_string());
    }
    let out = run.await.unwrap().unwrap();
    assert_eq!(out["skipped"], json!([2]));
    let indexes: Vec<u64> = out["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indexes, [0, 1], "in the set's order");
    assert_eq!(out["created"][0]["task"]["title"], "Call Ada");
    assert_eq!(t.sent(), 3);
}

#[tokio::test]
async fn a_task_set_that_cannot_be_worked_out_creates_nothing() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    // Refused on load, before the contact is read: each names its place.
    for (edit, message) in [
        (
            json!({"title": "Call {{contact.frstName}}"}),
            "$.tasks[0].title: contact has no field \"frstName\"",
        ),
        (
            json!({"due": {"after": "1 day"}}),
            "$.tasks[0].due.after: \"1 day\" is not a duration",
        ),
        (
            json!({"due": {"after": "P1D", "from": "contact.birthday"}}),
            "$.tasks[0].due.from: contact has no field \"birthday\"",
        ),
        (
            json!({"when": {"path": "contact.tags", "op": "has", "value": "x"}}),
            "$.tasks[0].when.op: unknown operator \"has\"",
        ),
    ] {
        let mut set = webinar_set();
        let first = set["tasks"][0].as_object_mut().unwrap();
        for (k, v) in edit.as_object().unwrap() {
            first.insert(k.clone(), v.clone());
        }
        let e = d.call("tasks.createSet", set).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
        assert!(e.message().starts_with(message), "{}", e.message());
    }
    assert_eq!(t.sent(), 0, "nothing is sent for a set that does not load");

    // A contact without the date a task counts from: nothing is created.
    let d = pit_driver(&t);
    let run = tokio::spawn(async move { d.call("tasks.createSet", webinar_set()).await });
    t.expect(1)
        .await
        .remove(0)
        .answer(200, r#"{"contact":{"id":"c1","tags":["vip"]}}"#);
    let e = run.await.unwrap().unwrap_err();
    assert!(
        e.message()
            .contains("$.tasks[1].due.from: the contact has no time there"),
        "{e}"
    );
    t.settle().await;
    assert_eq!(t.sent(), 1, "no create after the read");

    // A create that fails says which tasks exist.
    let d = pit_driver(&t);
    let run = tokio::spawn(async move { d.call("tasks.createSet", webinar_set()).await });
    t.expect(1).await.remove(0).answer(
        200,
        r#"{"contact":{"id":"c1","tags":["vip"],"dateAdded":"2025-11-30T10:00:00Z"}}"#,
    );
    let creates = t.expect(3).await;
    for (i, c) in creates.into_iter().enumerate() {
        if i == 1 {
            c.answer(
                422,
                r#"{"statusCode":422,"message":["dueDate must be a date"]}"#,
            );
        } else {
            c.answer(201, &json!({"task": {"id": format!("t{i}")}}).to_string());
        }
    }
    let e = run.await.unwrap().unwrap_err();
    assert_eq!(e.code(), ErrorCode::Validation);
    assert!(e.message().contains("2 others were: t0, t2"), "{e}");
}

#[tokio::test]
async fn two_bookings_racing_for_one_slot_end_in_two_slots() {
    let t = Scripted::default();
    t.0.lock().unwrap().clock = 1_764_547_200_000;
    let slots = r#"{"2025-12-02":{"slots":["2025-12-02T09:00:00-05:00","2025-12-02T09:30:00-05:00","2025-12-02T10:00:00-05:00"]}}"#;
    let book = |attempts: u64| {
        let d = pit_driver(&t);
        tokio::spawn(async move {
            d.call(
                "appointments.book",
                json!({"calendarId": "cal1", "contactId": "c1", "locationId": "loc1", "maxAttempts": attempts}),
            )
            .await
        })
    };
    let (a, b) = (book(3), book(3));
    // Both read the same free slots before either books.
    for read in t.expect(2).await {
        assert!(
            read.url().contains("/calendars/cal1/free-slots"),
            "{}",
            read.url()
        );
        read.answer(200, slots);
    }
    let creates = t.expect(2).await;
    let taken =
        r#"{"statusCode":400,"message":"The slot you have selected is no longer available."}"#;
    let mut creates = creates.into_iter();
    for (i, create) in creates.by_ref().enumerate() {
        let body: Value = serde_json::from_slice(&create.out.request.body).unwrap();
        assert_eq!(
            body["startTime"], "2025-12-02T09:00:00-05:00",
            "both go for the first slot"
        );
        if i == 0 {
            create.answer(
                201,
                &json!({"id": "a1", "startTime": body["startTime"]}).to_string(),
            );
        } else {
            create.answer(400, taken);
        }
    }
    // The loser moves on to the next slot.
    let retry = t.expect(1).await.remove(0);
    let body: Value = serde_json::from_slice(&retry.out.request.body).unwrap();
    assert_eq!(body["startTime"], "2025-12-02T09:30:00-05:00");
    retry.answer(
        201,
        &json!({"id": "a2", "startTime": body["startTime"]}).to_string(),
    );
    let (a, b) = (a.await.unwrap().unwrap(), b.await.unwrap().unwrap());
    let mut ids = [
        a["appointment"]["id"].clone(),
        b["appointment"]["id"].clone(),
    ];
    ids.sort_by_key(|v| v.to_string());
    assert_eq!(ids, [json!("a1"), json!("a2")]);
    let tried = |v: &Value| v["tried"].as_array().unwrap().len();
    assert_eq!(tried(&a) + tried(&b), 3);

    // One attempt: the loser says every slot it tried was taken; another
    // refusal is not retried.
    let (a, b) = (book(1), book(1));
    for read in t.expect(2).await {
        read.answer(200, slots);
    }
    let mut creates = t.expect(2).await.into_iter();
    creates.next().unwrap().answer(201, r#"{"id": "a3"}"#);
    creates.next().unwrap().answer(400, taken);
    let outcomes = [a.await.unwrap(), b.await.unwrap()];
    let lost: Vec<_> = outcomes.iter().filter_map(|o| o.as_ref().err()).collect();
    assert_eq!(lost.len(), 1);
    assert_eq!(lost[0].code(), ErrorCode::Validation);
    assert!(
        lost[0].message().contains("every slot tried was taken"),
        "{}",
        lost[0]
    );
    let other = book(3);
    t.expect(1).await.remove(0).answer(200, slots);
    t.expect(1).await.remove(0).answer(
        422,
        r#"{"statusCode":422,"message":["contactId is invalid"]}"#,
    );
    assert_eq!(
        other.await.unwrap().unwrap_err().code(),
        ErrorCode::Validation
    );
    t.settle().await;
    assert_eq!(
        t.sent(),
        11,
        "a refusal that is not about the slot is not retried"
    );

    // No free slot in the window.
    let none = book(3);
    t.expect(1).await.remove(0).answer(200, "{}");
    assert_eq!(none.await.unwrap().unwrap_err().code(), ErrorCode::NotFound);
}

#[tokio::test]
async fn an_unknown_name_is_refused_before_sending() {
    let t = Scripted::default();
    let d = pit_driver(&t);
    let e = d.call("contacts.nope", json!({})).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument);
    assert_eq!(t.sent(), 0);
}
