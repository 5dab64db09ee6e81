//! Composite actions end to end against a live sandbox on loopback, through
//! the native client by name: what the sandbox holds afterwards is checked
//! with plain reads. A module of the native test.

use contacts_core::native::Client;
use contacts_sandbox::Sandbox;
use serde_json::{Value, json};

/// A client of the sandbox's location, without a state store.
fn client_of(sbx: &contacts_sandbox::Sandbox) -> Client {
    Client::new(super::pit_config(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
    ))
    .unwrap()
}

async fn contact(c: &Client, location: &str, first: &str, tags: &[&str]) -> String {
    let params = json!({"locationId": location, "firstName": first,
        "email": format!("{}@example.com", first.to_lowercase()), "tags": tags});
    let out = c.call("contacts.create", params).await.unwrap();
    out["contact"]["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_set_creates_the_tasks_its_rules_pick_for_each_contact() {
    let sbx = super::seeded_sandbox(3).await;
    let c = client_of(&sbx);
    let set = |id: &str| {
        json!({"contactId": id, "tasks": [
            {"title": "Call {{contact.firstName}}", "due": {"after": "PT4H"}},
            {"title": "Send the recording", "body": "to {{contact.email}}", "due": {"after": "P1D", "from": "contact.dateAdded"}},
            {"title": "VIP follow-up", "due": {"after": "P2D"}, "when": {"path": "contact.tags", "op": "contains", "value": "vip"}}
        ]})
    };
    let lead = contact(&c, sbx.location_id(), "Grace", &["webinar"]).await;
    let vip = contact(&c, sbx.location_id(), "Ada", &["webinar", "vip"]).await;
    let out = c.call("tasks.createSet", set(&lead)).await.unwrap();
    assert_eq!(out["skipped"], json!([2]));
    let out = c.call("tasks.createSet", set(&vip)).await.unwrap();
    assert_eq!(out["created"].as_array().unwrap().len(), 3);
    let titles = |id: String| {
        let c = &c;
        async move {
            let tasks = c
                .call("tasks.list", json!({"contactId": id}))
                .await
                .unwrap();
            let mut t: Vec<String> = tasks["tasks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["title"].as_str().unwrap().to_string())
                .collect();
            t.sort();
            t
        }
    };
    assert_eq!(titles(lead).await, ["Call Grace", "Send the recording"]);
    assert_eq!(
        titles(vip.clone()).await,
        ["Call Ada", "Send the recording", "VIP follow-up"]
    );

    let all = c
        .call("contacts.getWithActivity", json!({"contactId": vip}))
        .await
        .unwrap();
    assert_eq!(all["tasks"].as_array().unwrap().len(), 3);
    let body = all["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Send the recording")
        .map(|t| t["body"].clone());
    assert_eq!(body, Some(Value::from("to ada@example.com")));
}

/// The capture every crash test runs: one contact, three tasks, one note.
fn lead(key: &str, email: &str) -> Value {
    json!({
        "idempotencyKey": key,
        "contact": {"email": email, "firstName": "Lin", "source": "webinar form"},
        "tags": ["webinar", "lead"],
        "tasks": [
            {"title": "Call Lin", "dueAfter": "PT4H"},
            {"title": "Send the recording", "body": "The link is in the CRM.", "dueAfter": "P1D"},
            {"title": "Check in", "dueAfter": "P7D"}
        ],
        "note": "Came from the webinar form."
    })
}

/// A client of `sbx` that journals in a fresh SQLite file `s.db` of the
/// returned directory (removed when that is dropped).
fn journaled(sbx: &Sandbox) -> (Client, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let c = super::state_client(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
        &dir.path().join("s.db"),
    );
    (c, dir)
}

/// The child process of the crash tests: runs one capture with the
/// failpoints of its environment armed, and reports if it ever finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capture_child_process() {
    let Ok(base_url) = std::env::var("CAPTURE_BASE_URL") else {
        return;
    };
    let env = |k: &str| std::env::var(k).unwrap();
    let c = super::state_client(
        &base_url,
        &env("CAPTURE_PIT"),
        &env("CAPTURE_LOCATION"),
        env("CAPTURE_STATE").as_ref(),
    );
    let out = c
        .call(
            "contacts.capture",
            lead(&env("CAPTURE_KEY"), &env("CAPTURE_EMAIL")),
        )
        .await;
    println!("FINISHED {out:?}");
}

/// How many contacts, tasks and notes the sandbox holds for `email`.
async fn held(c: &Client, location: &str, email: &str) -> (usize, usize, usize) {
    let all = c
        .call(
            "contacts.list",
            json!({"locationId": location, "limit": 100}),
        )
        .await
        .unwrap();
    let ids: Vec<String> = all["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["email"] == email)
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    let Some(id) = ids.first() else {
        return (0, 0, 0);
    };
    let tasks = c
        .call("tasks.list", json!({"contactId": id}))
        .await
        .unwrap();
    let notes = c
        .call("notes.list", json!({"contactId": id}))
        .await
        .unwrap();
    (
        ids.len(),
        tasks["tasks"].as_array().unwrap().len(),
        notes["notes"].as_array().unwrap().len(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_killed_at_either_failpoint_and_rerun_ends_with_one_of_each() {
    let sbx = super::seeded_sandbox(3).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state.db");
    let base = sbx.base_url();
    let plain = client_of(&sbx);
    for (n, failpoint) in [
        "after-response:contacts.upsert:1",
        "after-response:tasks.create:2",
    ]
    .into_iter()
    .enumerate()
    {
        let key = format!("form-submission-{n}");
        let email = format!("lin{n}@example.com");
        let mut child = std::process::Command::new(std::env::current_exe().unwrap());
        child
            .args([
                "--exact",
                "actions::capture_child_process",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("CAPTURE_BASE_URL", &base)
            .env("CAPTURE_PIT", sbx.pit())
            .env("CAPTURE_LOCATION", sbx.location_id())
            .env("CAPTURE_STATE", &file)
            .env("CAPTURE_KEY", &key)
            .env("CAPTURE_EMAIL", &email)
            .env("LIBCONTACTS_FAILPOINTS", format!("{failpoint}=abort"))
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null());
        let out = tokio::task::spawn_blocking(move || child.output().unwrap())
            .await
            .unwrap();
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(
            out.status.signal(),
            Some(6),
            "{failpoint}: the child died there"
        );
        assert!(
            !String::from_utf8_lossy(&out.stdout).contains("FINISHED"),
            "{failpoint}"
        );
        let (contacts, _, _) = held(&plain, sbx.location_id(), &email).await;
        assert_eq!(
            contacts, 1,
            "{failpoint}: the upsert reached the server before the crash"
        );

        let c = super::state_client(&base, sbx.pit(), sbx.location_id(), &file);
        let rerun = c
            .call("contacts.capture", lead(&key, &email))
            .await
            .unwrap();
        assert_eq!(rerun["replayed"], false);
        assert_eq!(
            held(&plain, sbx.location_id(), &email).await,
            (1, 3, 1),
            "{failpoint}: {rerun}"
        );
        assert_eq!(rerun["tasks"].as_array().unwrap().len(), 3);
        assert!(rerun["note"]["id"].is_string(), "{rerun}");

        // A third run sends nothing and reports every part unchanged.
        let before = c.engine().stats().requests;
        let again = c
            .call("contacts.capture", lead(&key, &email))
            .await
            .unwrap();
        assert_eq!(
            c.engine().stats().requests,
            before,
            "a finished capture sends nothing"
        );
        assert_eq!(again["replayed"], true);
        assert_eq!(again["contact"]["outcome"], "unchanged");
        assert_eq!(again["tasks"][2]["outcome"], "unchanged");
        assert_eq!(held(&plain, sbx.location_id(), &email).await, (1, 3, 1));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_reports_each_part_and_refuses_a_reused_key() {
    let sbx = super::seeded_sandbox(3).await;
    let (c, dir) = journaled(&sbx);
    let first = c
        .call("contacts.capture", lead("k-1", "ivy@example.com"))
        .await
        .unwrap();
    assert_eq!(first["contact"]["outcome"], "created");
    assert_eq!(first["tags"]["outcome"], "updated");
    assert_eq!(first["tasks"][0]["outcome"], "created");
    // Requests for a new lead: the lookup that guards the primary email
    // (#337), the upsert, tags, 3 tasks and a note: one over a bare upsert.
    assert_eq!(c.engine().stats().requests, 7);

    // The same person again, under a new key: found, not duplicated.
    let mut second = lead("k-2", "ivy@example.com");
    second["tasks"] = json!([]);
    second.as_object_mut().unwrap().remove("note");
    let out = c.call("contacts.capture", second).await.unwrap();
    assert_eq!(out["contact"]["outcome"], "unchanged");
    assert_eq!(out["contact"]["id"], first["contact"]["id"]);
    assert_eq!(out["tags"], json!({"added": [], "outcome": "unchanged"}));
    assert_eq!(
        c.engine().stats().requests,
        8,
        "a repeated lead costs one request, the lookup, and writes nothing"
    );

    // Changed fields are written, by the upsert.
    let mut third = lead("k-2b", "ivy@example.com");
    third["contact"]["firstName"] = json!("Ivy");
    third["tasks"] = json!([]);
    third.as_object_mut().unwrap().remove("note");
    let out = c.call("contacts.capture", third).await.unwrap();
    assert_eq!(out["contact"]["outcome"], "updated");
    assert_eq!(c.engine().stats().requests, 10);

    // The same key with other params is refused, and nothing is sent.
    let mut changed = lead("k-1", "ivy@example.com");
    changed["tags"] = json!(["other"]);
    let e = c.call("contacts.capture", changed).await.unwrap_err();
    assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument);
    assert!(e.message().contains("different params"), "{e}");
    assert_eq!(c.engine().stats().requests, 10);

    // Without a store, or with another location's, nothing runs.
    let bare = client_of(&sbx);
    let e = bare
        .call("contacts.capture", lead("k-3", "x@example.com"))
        .await
        .unwrap_err();
    assert!(e.message().contains("give the client a state store"), "{e}");
    let other = super::state_client(
        &sbx.base_url(),
        sbx.pit(),
        "another-location",
        &dir.path().join("s.db"),
    );
    let e = other
        .call("contacts.capture", lead("k-4", "y@example.com"))
        .await
        .unwrap_err();
    assert_eq!(e.code(), contacts_core::ErrorCode::State, "{e}");
    for bad in [
        json!({"idempotencyKey": "k".repeat(129), "contact": {"email": "a@b.c"}}),
        json!({"idempotencyKey": "", "contact": {"email": "a@b.c"}}),
        json!({"idempotencyKey": "k", "contact": {"firstName": "no way to find"}}),
    ] {
        let e = c.call("contacts.capture", bad).await.unwrap_err();
        assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument, "{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_concurrent_bookings_of_the_same_first_slot_end_in_two_slots() {
    let sbx = super::seeded_sandbox(3).await;
    let c = client_of(&sbx);
    let who = contact(&c, sbx.location_id(), "Demo", &[]).await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let from = contacts_core::time::format_rfc3339_ms(now + 2 * 86_400_000);
    let book = |attempts: u64| {
        let c = c.clone();
        let params = json!({"calendarId": "cal_sandbox", "contactId": who, "from": from, "maxAttempts": attempts});
        async move { c.call("appointments.book", params).await }
    };
    // Both read the free slots at once, so both usually go for the same
    // first slot, and the sandbox's refusal sends the loser on to the next
    // (the scripted driver test pins that interleaving exactly).
    let (a, b) = tokio::join!(book(3), book(3));
    let (a, b) = (a.unwrap(), b.unwrap());
    let start = |v: &Value| v["appointment"]["startTime"].as_str().unwrap().to_string();
    assert_ne!(start(&a), start(&b), "two bookings, two slots: {a} {b}");
    for booked in [&a, &b] {
        let tried = booked["tried"].as_array().unwrap();
        assert_eq!(
            tried.last().unwrap().as_str().unwrap(),
            start(booked),
            "the last slot tried is the one booked"
        );
    }

    // Refused before anything is sent.
    let before = c.engine().stats().requests;
    for bad in [
        json!({"calendarId": "cal_sandbox", "contactId": who, "maxAttempts": 0}),
        json!({"calendarId": "cal_sandbox", "contactId": who, "from": "tomorrow"}),
        json!({"calendarId": "cal_sandbox", "contactId": who, "from": from, "to": "2000-01-01T00:00:00Z"}),
    ] {
        let e = c.call("appointments.book", bad).await.unwrap_err();
        assert_eq!(e.code(), contacts_core::ErrorCode::InvalidArgument, "{e}");
    }
    assert_eq!(c.engine().stats().requests, before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_upsert_and_capture_reports_name_each_field_highlevel_silently_lost() {
    let sbx = super::seeded_sandbox(3).await;
    let (c, _dir) = journaled(&sbx);
    let loc = sbx.location_id();
    let make = |email: &str, phone: &str| json!({"locationId": loc, "firstName": "Seed", "email": email, "phone": phone});
    c.call("contacts.create", make("a@example.com", "+15550100001"))
        .await
        .unwrap();
    c.call("contacts.create", make("b@example.com", "+15550100002"))
        .await
        .unwrap();
    let capture = |key: &str, contact: Value| {
        let c = c.clone();
        let params = json!({"idempotencyKey": key, "contact": contact});
        async move { c.call("contacts.capture", params).await.unwrap() }
    };

    // Nothing lost: a new contact, normalised values compared as such.
    let clean = capture(
        "h-1",
        json!({"email": "New@Example.com", "phone": "(555) 010-0003", "firstName": "New"}),
    )
    .await;
    assert_eq!(clean["contact"]["outcome"], "created");
    assert_eq!(clean["contact"]["dropped"], json!([]), "{clean}");

    // Email of one contact, phone of another: the phone is dropped (#37, #313).
    let split = capture(
        "h-2",
        json!({"email": "a@example.com", "phone": "+15550100002"}),
    )
    .await;
    assert_eq!(
        split["contact"]["dropped"],
        json!([{"field": "phone", "sent": "+15550100002", "got": "+15550100001"}]),
        "{split}"
    );

    // gender on an existing contact is discarded (#313).
    let gender = capture("h-3", json!({"email": "b@example.com", "gender": "female"})).await;
    let fields: Vec<&str> = gender["contact"]["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["gender"], "{gender}");

    // The raw upsert reports the same, by name and typed.
    let raw = c
        .call(
            "contacts.upsert",
            json!({"locationId": loc, "email": "a@example.com", "phone": "+15550100002", "gender": "male"}),
        )
        .await
        .unwrap();
    assert_eq!(
        raw["dropped"],
        json!([
            {"field": "gender", "sent": "male", "got": null},
            {"field": "phone", "sent": "+15550100002", "got": "+15550100001"}
        ]),
        "{raw}"
    );
    let typed = c
        .upsert_contact(contacts_core::ops::contacts::UpsertContact {
            location_id: loc.into(),
            gender: Some("female".into()),
            fields: contacts_core::models::ContactFields {
                email: Some("b@example.com".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .await
        .unwrap();
    let lost: Vec<_> = typed
        .dropped
        .unwrap()
        .into_iter()
        .map(|d| d.field)
        .collect();
    assert_eq!(lost, ["gender"]);
    let kept = c
        .call(
            "contacts.upsert",
            json!({"locationId": loc, "email": "B@example.com", "firstName": " Bea", "tags": ["VIP"]}),
        )
        .await
        .unwrap();
    assert_eq!(kept["new"], false);
    assert!(
        kept.get("dropped").is_none(),
        "nothing lost, nothing reported: {kept}"
    );
}

/// Gives a sandbox contact additional emails, as HighLevel's UI does.
async fn stage_additional_emails(sbx: &Sandbox, contact_id: &str, emails: &[&str]) {
    let staged: Value = reqwest::Client::new()
        .post(format!(
            "{}/sandbox/contacts/additional-emails",
            sbx.base_url()
        ))
        .json(&json!({"contactId": contact_id, "emails": emails}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        staged["contact"]["additionalEmails"],
        json!(emails),
        "{staged}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capture_by_an_additional_email_keeps_the_primary_the_upsert_would_lose() {
    let sbx = super::seeded_sandbox(0).await;
    let (c, _dir) = journaled(&sbx);
    let loc = sbx.location_id();
    let make = |email: &str| json!({"locationId": loc, "firstName": "John", "email": email});
    let john = c
        .call("contacts.create", make("john@doe.mail"))
        .await
        .unwrap();
    let john = john["contact"]["id"].as_str().unwrap().to_owned();
    let other = c
        .call("contacts.create", make("jo@doe.mail"))
        .await
        .unwrap();
    let other = other["contact"]["id"].as_str().unwrap().to_owned();
    stage_additional_emails(&sbx, &john, &["jane@doe.mail"]).await;
    stage_additional_emails(&sbx, &other, &["jen@doe.mail"]).await;

    // The API refuses to write additional emails (#262); the library
    // refuses them before sending (the sandbox's 422 is in its own suite).
    let refused = c
        .call(
            "contacts.update",
            json!({"contactId": john, "additionalEmails": ["x@doe.mail"]}),
        )
        .await
        .unwrap_err();
    assert_eq!(
        refused.code(),
        contacts_core::ErrorCode::InvalidArgument,
        "{refused}"
    );

    // The raw upsert by the additional email loses the primary (#337): the
    // sandbox reproduces it, so the capture's guard below can fail.
    let raw = c
        .call(
            "contacts.upsert",
            json!({"locationId": loc, "email": "jen@doe.mail"}),
        )
        .await
        .unwrap();
    assert_eq!(raw["contact"]["id"], other.as_str());
    assert_eq!(raw["contact"]["email"], "jen@doe.mail");
    assert!(raw["contact"].get("additionalEmails").is_none(), "{raw}");

    // The capture looks first and keeps the primary, reporting the email.
    // gender only the upsert takes: it cannot go by id, and says so.
    let params = json!({"idempotencyKey": "k-337", "contact": {"email": "jane@doe.mail", "lastName": "Doe", "gender": "female"}});
    let captured = c.call("contacts.capture", params).await.unwrap();
    assert_eq!(captured["contact"]["id"], john.as_str());
    assert_eq!(captured["contact"]["outcome"], "updated");
    assert_eq!(
        captured["contact"]["dropped"],
        json!([
            {"field": "email", "sent": "jane@doe.mail", "got": "john@doe.mail"},
            {"field": "gender", "sent": "female", "got": null}
        ]),
        "{captured}"
    );
    let now = c
        .call("contacts.get", json!({"contactId": john}))
        .await
        .unwrap();
    assert_eq!(now["contact"]["email"], "john@doe.mail");
    assert_eq!(now["contact"]["lastName"], "Doe");
    assert_eq!(now["contact"]["additionalEmails"], json!(["jane@doe.mail"]));

    // Captured again under a new key, nothing is left to write.
    let params = json!({"idempotencyKey": "k-337b", "contact": {"email": "jane@doe.mail", "lastName": "Doe"}});
    let again = c.call("contacts.capture", params).await.unwrap();
    assert_eq!(again["contact"]["outcome"], "unchanged", "{again}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_activity_feed_merges_newest_first_in_the_calendars_time_zone() {
    use contacts_core::ErrorCode;
    let sbx = super::seeded_sandbox(3).await;
    let c = client_of(&sbx);
    let who = contact(&c, sbx.location_id(), "Feed", &[]).await;
    let call = |op: &'static str, params: Value| {
        let c = c.clone();
        async move { c.call(op, params).await.unwrap() }
    };
    // 11:00 in New York in July is 15:00 UTC; the contacts service lists it
    // as "2030-07-16 11:00:00", with no offset.
    let booked = call(
        "appointments.create",
        json!({"calendarId": "cal_sandbox",
        "locationId": sbx.location_id(), "contactId": who,
        "startTime": "2030-07-16T11:00:00-04:00", "description": "bring the deck"}),
    )
    .await;
    let listed = call("appointments.list", json!({"contactId": who})).await;
    assert_eq!(listed["events"][0]["startTime"], "2030-07-16 11:00:00");
    let mut task_ids = Vec::new();
    for (title, due, done) in [
        ("Call", "2029-05-01T09:00:00Z", false),
        ("Email", "2029-05-01T09:00:00Z", true),
        ("Later", "2029-06-01T09:00:00.000Z", false),
    ] {
        let t = call(
            "tasks.create",
            json!({"contactId": who, "title": title,
            "body": format!("{title} them"), "dueDate": due, "completed": done}),
        )
        .await;
        task_ids.push(t["task"]["id"].as_str().unwrap().to_string());
    }
    let note = call(
        "notes.create",
        json!({"contactId": who, "body": "met at the fair"}),
    )
    .await;

    let before = c.engine().stats().requests;
    let feed = call("activity.feed", json!({"contactId": who})).await;
    assert_eq!(
        c.engine().stats().requests - before,
        4,
        "three lists and the location"
    );
    assert_eq!(feed["timeZone"], "America/New_York");
    let items = feed["items"].as_array().unwrap();
    let row = |i: usize| {
        let it = &items[i];
        (it["type"].as_str().unwrap(), it["at"].as_str().unwrap())
    };
    assert_eq!(items.len(), 5, "{feed}");
    assert_eq!(row(0), ("appointment", "2030-07-16T15:00:00.000Z"));
    assert_eq!(items[0]["id"], booked["id"]);
    assert_eq!(items[0]["body"], "bring the deck");
    assert_eq!(items[0]["status"], "confirmed");
    assert_eq!(row(1), ("task", "2029-06-01T09:00:00.000Z"));
    // Two tasks due at the same instant: by id.
    let mut tied = [task_ids[0].clone(), task_ids[1].clone()];
    tied.sort();
    assert_eq!(items[2]["id"], tied[0].as_str());
    assert_eq!(items[3]["id"], tied[1].as_str());
    let email = items.iter().find(|i| i["title"] == "Email").unwrap();
    assert_eq!(email["status"], "completed");
    assert_eq!(email["body"], "Email them");
    assert_eq!(items[4]["type"], "note");
    assert_eq!(items[4]["id"], note["note"]["id"]);
    assert_eq!(items[4]["at"], note["note"]["dateAdded"]);

    // The limit applies after merging; include picks the kinds (no location
    // read without appointments); timeZone overrides the location's.
    let feed = call("activity.feed", json!({"contactId": who, "limit": 2})).await;
    let types: Vec<_> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["type"].clone())
        .collect();
    assert_eq!(types, [json!("appointment"), json!("task")]);
    let before = c.engine().stats().requests;
    let feed = call(
        "activity.feed",
        json!({"contactId": who, "include": ["notes"]}),
    )
    .await;
    assert_eq!(c.engine().stats().requests - before, 1);
    assert_eq!(feed["items"].as_array().unwrap().len(), 1);
    assert!(feed.get("timeZone").is_none(), "{feed}");
    let feed = call(
        "activity.feed",
        json!({"contactId": who,
        "include": ["appointments"], "timeZone": "Asia/Kolkata"}),
    )
    .await;
    assert_eq!(feed["items"][0]["at"], "2030-07-16T05:30:00.000Z");

    // Bad input is refused before anything is sent.
    let before = c.engine().stats().requests;
    for bad in [
        json!({"contactId": who, "limit": 0}),
        json!({"contactId": who, "limit": 1001}),
        json!({"contactId": who, "timeZone": "Mars/Olympus_Mons"}),
        json!({"contactId": who, "include": ["emails"]}),
        json!({"contactId": who, "sort": "oldest"}),
        json!({"include": ["notes"]}),
    ] {
        let e = c.call("activity.feed", bad.clone()).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{bad}: {e}");
    }
    assert_eq!(c.engine().stats().requests, before);

    // A token without locations.readonly still gets notes and tasks; the
    // appointments' offset-less times then need timeZone, and say so.
    let minted: Value = super::mint_tokens(&sbx, r#"{"scopes":["contacts.readonly"]}"#).await;
    let mut cfg = contacts_core::engine::EngineConfig::new(contacts_core::Credentials::OAuth {
        tokens: contacts_core::OAuthTokens {
            access_token: minted["access_token"].as_str().unwrap().into(),
            user_type: contacts_core::UserType::Location,
            location_id: Some(sbx.location_id().into()),
            ..Default::default()
        },
    });
    cfg.config = contacts_core::Config::new(&sbx.base_url());
    let narrow = Client::new(cfg).unwrap();
    let feed = narrow
        .call(
            "activity.feed",
            json!({"contactId": who, "include": ["notes", "tasks"]}),
        )
        .await
        .unwrap();
    assert_eq!(feed["items"].as_array().unwrap().len(), 4);
    let e = narrow
        .call("activity.feed", json!({"contactId": who}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert_eq!(e.required_scope(), Some("locations.readonly"), "{e}");
    let feed = narrow
        .call(
            "activity.feed",
            json!({"contactId": who, "timeZone": "America/New_York"}),
        )
        .await
        .unwrap();
    assert_eq!(feed["items"][0]["at"], "2030-07-16T15:00:00.000Z");

    // A location whose settings name no time zone the platform knows: the
    // offset-less times cannot be read, and the error says why.
    let staged = reqwest::Client::new()
        .post(format!("{}/sandbox/locations", sbx.base_url()))
        .json(&json!({"locationId": sbx.location_id(), "timeZone": "Eastern Time"}))
        .send()
        .await
        .unwrap();
    assert!(staged.status().is_success());
    let e = c
        .call("activity.feed", json!({"contactId": who}))
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Decode, "{e}");
    assert!(
        e.message().contains("\"Eastern Time\"") && e.message().contains("pass timeZone"),
        "{e}"
    );
    let e = c.call("locations.get", json!({})).await.unwrap_err();
    assert_eq!(e.code(), ErrorCode::InvalidArgument, "{e}");
    sbx.shutdown().await;
}
