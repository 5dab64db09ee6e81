//! Flows end to end against a live sandbox on loopback, the run log in
//! SQLite: the three shipped flows (`examples/flows/`), each event run
//! once however often it is dispatched, a runner killed between a step's
//! response and its log commit (by failpoint, in a child process), a step
//! whose outcome nothing can tell, and a flow that updates the contact it
//! reacts to. A module of the native test.

use contacts_core::ErrorCode;
use contacts_core::flows::{Flow, RunState, StepState};
use contacts_core::native::Client;
use contacts_sandbox::Sandbox;
use serde_json::{Value, json};
use std::path::Path;

fn example(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/flows/{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn client_of(sbx: &Sandbox, file: &Path) -> Client {
    super::state_client(&sbx.base_url(), sbx.pit(), sbx.location_id(), file)
}

/// The tasks of contact `id`.
async fn tasks_of(c: &Client, id: &str) -> Vec<Value> {
    let listed = c
        .call("tasks.list", json!({"contactId": id}))
        .await
        .unwrap();
    listed["tasks"].as_array().cloned().unwrap_or_default()
}

/// The notes of contact `id`.
async fn notes_of(c: &Client, id: &str) -> Vec<Value> {
    let listed = c
        .call("notes.list", json!({"contactId": id}))
        .await
        .unwrap();
    listed["notes"].as_array().cloned().unwrap_or_default()
}

/// Every contact whose email is `email`.
async fn contacts_with(c: &Client, location: &str, email: &str) -> Vec<Value> {
    let found = c
        .call(
            "contacts.search",
            json!({"locationId": location, "pageLimit": 100,
                   "filters": [{"field": "email", "operator": "eq", "value": email}]}),
        )
        .await
        .unwrap();
    found["contacts"].as_array().cloned().unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_new_contact_flow_runs_once_per_contact_however_often_it_is_seen() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, &dir.path().join("s.db"));
    let flow = Flow::load(&example("new-contact-follow-up")).unwrap();

    let baseline = c.poll_flow(&flow, json!({})).await.unwrap();
    assert!(baseline.runs.is_empty(), "the first poll is the baseline");
    let created = c
        .call(
            "contacts.create",
            json!({"locationId": sbx.location_id(), "firstName": "Lin", "email": "lin@example.com"}),
        )
        .await
        .unwrap();
    let id = created["contact"]["id"].as_str().unwrap().to_owned();
    c.call(
        "contacts.create",
        json!({"locationId": sbx.location_id(), "firstName": "Nobody"}),
    )
    .await
    .unwrap();

    let polled = c.poll_flow(&flow, json!({})).await.unwrap();
    assert_eq!(polled.runs.len(), 2, "{:?}", polled.runs);
    let ran = polled
        .runs
        .iter()
        .find(|r| r.record.event["id"] == id.as_str())
        .unwrap();
    assert_eq!(ran.record.state, RunState::Done, "{}", ran.to_json());
    let skipped = polled
        .runs
        .iter()
        .find(|r| r.record.event["id"] != id.as_str())
        .unwrap();
    assert_eq!(skipped.record.state, RunState::Skipped);
    assert_eq!(
        skipped.record.reason.as_deref(),
        Some("the condition does not hold")
    );

    let tasks = tasks_of(&c, &id).await;
    assert_eq!(tasks.len(), 2, "{tasks:?}");
    let notes = notes_of(&c, &id).await;
    assert_eq!(notes.len(), 1);
    let call_id = ran.record.steps[0].result.as_ref().unwrap()["task"]["id"]
        .as_str()
        .unwrap();
    assert!(
        notes[0]["body"].as_str().unwrap().contains(call_id),
        "the note reads the step's result"
    );
    let due = tasks
        .iter()
        .map(|t| t["dueDate"].as_str().unwrap().to_owned())
        .collect::<Vec<_>>();
    assert!(due.iter().all(|d| d.ends_with('Z')), "{due:?}");

    // The same change, again: by the event itself (a webhook's delivery of
    // it carries the same dedupe id), and by a poll from an old checkpoint.
    let before = sbx.api_requests();
    let again = c
        .dispatch_flow(&flow, ran.record.event.clone())
        .await
        .unwrap();
    assert!(again.replayed);
    assert_eq!(again.record.state, RunState::Done);
    assert_eq!(sbx.api_requests(), before, "a replay sends nothing");
    assert_eq!(tasks_of(&c, &id).await.len(), 2);

    let log = c.flow_runs(Some(flow.name()), 10).await.unwrap();
    assert_eq!(log.len(), 2);
    let shown = c
        .flow_run(flow.name(), &ran.record.run_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(shown.steps.len(), 3);
    assert!(shown.steps.iter().all(|s| s.state == StepState::Done));
}

fn member_event(id: &str, email: &str, phone: &str) -> Value {
    json!({"type": "member.updated", "id": id,
           "data": {"name": " Ada  Lovelace ", "email": email, "phone": phone, "changed": ["phone"]}})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_event_is_mapped_written_and_followed_up_once() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, &dir.path().join("s.db"));
    let flow = Flow::load(&example("host-member-updated")).unwrap();
    let loc = sbx.location_id().to_owned();

    let first = c
        .dispatch_flow(
            &flow,
            member_event("evt-1", "ADA@example.com", "415 555 2671"),
        )
        .await
        .unwrap();
    assert_eq!(first.record.state, RunState::Done, "{}", first.to_json());
    assert_eq!(
        first.record.mapped.as_ref().unwrap()["phone"],
        "+14155552671"
    );
    let contacts = contacts_with(&c, &loc, "ada@example.com").await;
    assert_eq!(contacts.len(), 1);
    let id = contacts[0]["id"].as_str().unwrap();
    assert_eq!(contacts[0]["firstName"], "Ada");
    let tasks = tasks_of(&c, id).await;
    assert_eq!(tasks.len(), 1);
    assert!(
        tasks[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("Ada Lovelace changed")
    );

    let before = sbx.api_requests();
    let replay = c
        .dispatch_flow(
            &flow,
            member_event("evt-1", "ADA@example.com", "415 555 2671"),
        )
        .await
        .unwrap();
    assert!(replay.replayed);
    assert_eq!(sbx.api_requests(), before);

    // A second change is another event: the same contact, one more task.
    c.dispatch_flow(
        &flow,
        member_event("evt-2", "ada@example.com", "415 555 2672"),
    )
    .await
    .unwrap();
    assert_eq!(contacts_with(&c, &loc, "ada@example.com").await.len(), 1);
    assert_eq!(tasks_of(&c, id).await.len(), 2);

    // Bad input: refused by the mapping, logged with every error's path,
    // nothing sent.
    let before = sbx.api_requests();
    let invalid = c
        .dispatch_flow(
            &flow,
            json!({"type": "member.updated", "id": "evt-3", "data": {"name": "", "email": "not-an-email", "phone": "12"}}),
        )
        .await
        .unwrap();
    assert_eq!(invalid.record.state, RunState::Invalid);
    let paths: Vec<&str> = invalid
        .record
        .errors
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(
        paths.contains(&"event.data.name"),
        "{:?}",
        invalid.record.errors
    );
    assert!(paths.contains(&"event.data.email"), "{paths:?}");
    assert!(paths.contains(&"event.data.phone"), "{paths:?}");
    assert_eq!(sbx.api_requests(), before, "an invalid event sends nothing");

    // Not this flow's event: ignored, nothing stored.
    let other = c
        .dispatch_flow(
            &flow,
            json!({"type": "member.deleted", "id": "evt-4", "data": {}}),
        )
        .await
        .unwrap();
    assert_eq!(other.record.state, RunState::Ignored);
    let no_id = c
        .dispatch_flow(&flow, json!({"type": "member.updated", "data": {}}))
        .await
        .unwrap_err();
    assert_eq!(no_id.code(), ErrorCode::InvalidArgument);
    assert!(no_id.message().starts_with("$.id:"), "{no_id}");
    assert_eq!(c.flow_runs(Some(flow.name()), 100).await.unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_lead_is_captured_through_its_mapping_once() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, &dir.path().join("s.db"));
    let flow = Flow::load(&example("form-lead-capture")).unwrap();
    let lead = json!({"type": "form.submitted", "id": "sub-77",
                      "data": {"full_name": "Grace Hopper", "email": "grace@example.com", "phone": "(415) 555-0100"}});
    let run = c.dispatch_flow(&flow, lead.clone()).await.unwrap();
    assert_eq!(run.record.state, RunState::Done, "{}", run.to_json());
    let captured = run.record.steps[0].result.as_ref().unwrap();
    assert_eq!(captured["contact"]["outcome"], "created");
    let id = captured["contact"]["id"].as_str().unwrap();
    let contact = c
        .call("contacts.get", json!({"contactId": id}))
        .await
        .unwrap();
    assert_eq!(contact["contact"]["source"], "web form");
    assert_eq!(contact["contact"]["tags"], json!(["form-lead"]));
    assert_eq!(tasks_of(&c, id).await.len(), 1);
    assert_eq!(notes_of(&c, id).await.len(), 1);

    let again = c.dispatch_flow(&flow, lead).await.unwrap();
    assert!(again.replayed);
    assert_eq!(tasks_of(&c, id).await.len(), 1);
}

/// The child process of the crash tests: dispatches one event with the
/// failpoints of its environment armed, and reports if it ever finishes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flow_child_process() {
    let Ok(base_url) = std::env::var("FLOW_BASE_URL") else {
        return;
    };
    let env = |k: &str| std::env::var(k).unwrap();
    let c = super::state_client(
        &base_url,
        &env("FLOW_PIT"),
        &env("FLOW_LOCATION"),
        env("FLOW_STATE").as_ref(),
    );
    let flow = Flow::load_text(&env("FLOW_JSON")).unwrap();
    let event: Value = serde_json::from_str(&env("FLOW_EVENT")).unwrap();
    if event == "poll" {
        let out = c.poll_flow(&flow, json!({})).await;
        println!("FINISHED {out:?}");
        return;
    }
    let out = c.dispatch_flow(&flow, event).await;
    println!("FINISHED {out:?}");
}

/// Runs `flow` for `event` in a child process that aborts at `failpoint`.
async fn killed_at(sbx: &Sandbox, state: &Path, flow: &Value, event: &Value, failpoint: &str) {
    let env = vec![
        ("FLOW_BASE_URL", sbx.base_url()),
        ("FLOW_PIT", sbx.pit().to_owned()),
        ("FLOW_LOCATION", sbx.location_id().to_owned()),
        ("FLOW_STATE", state.display().to_string()),
        ("FLOW_JSON", flow.to_string()),
        ("FLOW_EVENT", event.to_string()),
    ];
    super::killed_child("flows::flow_child_process", env, failpoint).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_runner_killed_after_a_steps_response_finishes_with_exactly_one_task() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let mut flow_json = example("host-member-updated");
    flow_json["leaseMs"] = json!(200);
    let event = member_event("evt-kill", "kim@example.com", "415 555 0199");

    killed_at(
        &sbx,
        &state,
        &flow_json,
        &event,
        "after-response:tasks.create:1",
    )
    .await;
    let c = client_of(&sbx, &state);
    let contacts = contacts_with(&c, sbx.location_id(), "kim@example.com").await;
    let id = contacts[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(
        tasks_of(&c, &id).await.len(),
        1,
        "the task reached the server before the crash"
    );

    let flow = Flow::load(&flow_json).unwrap();
    let log = c.flow_runs(Some(flow.name()), 10).await.unwrap();
    assert_eq!(log[0].state, RunState::Running);
    // A marker step logs no intent: the resumed run looks for its marker.
    assert_eq!(log[0].steps[1].state, StepState::Pending, "{:?}", log[0]);
    // Within the dead runner's lease, a dispatch leaves the run alone.
    let held = c.dispatch_flow(&flow, event.clone()).await.unwrap();
    assert!(held.replayed);
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    let resumed = c.resume_flow_runs(&flow).await.unwrap();
    assert_eq!(resumed.len(), 1);
    let run = &resumed[0].record;
    assert_eq!(run.state, RunState::Done, "{}", resumed[0].to_json());
    assert_eq!(run.steps[1].recovered.as_deref(), Some("marker"));
    assert_eq!(tasks_of(&c, &id).await.len(), 1, "exactly one task");
    assert_eq!(
        run.steps[1].result.as_ref().unwrap()["task"]["id"],
        tasks_of(&c, &id).await[0]["id"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poll_killed_before_its_checkpoint_moves_runs_nothing_twice() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let flow_json = example("new-contact-follow-up");
    let flow = Flow::load(&flow_json).unwrap();
    let c = client_of(&sbx, &state);
    c.poll_flow(&flow, json!({})).await.unwrap();
    let made = c
        .call(
            "contacts.create",
            json!({"locationId": sbx.location_id(), "firstName": "Kai", "email": "kai@example.com"}),
        )
        .await
        .unwrap();
    let id = made["contact"]["id"].as_str().unwrap().to_owned();
    drop(c);
    // The poll runs the event's flow, then dies before keeping its checkpoint.
    let checkpoint = format!("before-store-commit:flow/{}/checkpoint", flow.name());
    killed_at(&sbx, &state, &flow_json, &json!("poll"), &checkpoint).await;
    let c = client_of(&sbx, &state);
    assert_eq!(
        tasks_of(&c, &id).await.len(),
        2,
        "the run finished before the crash"
    );
    let again = c.poll_flow(&flow, json!({})).await.unwrap();
    assert_eq!(
        again.runs.len(),
        1,
        "the old checkpoint reports the event again"
    );
    assert!(again.runs[0].replayed, "{}", again.runs[0].to_json());
    assert_eq!(tasks_of(&c, &id).await.len(), 2, "and nothing runs twice");
    assert_eq!(notes_of(&c, &id).await.len(), 1);
    assert!(c.poll_flow(&flow, json!({})).await.unwrap().runs.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_step_with_neither_marker_nor_upsert_ends_unknown_and_is_never_resent() {
    let sbx = super::seeded_sandbox(4).await;
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("s.db");
    let flow_json = json!({
        "name": "create-a-contact", "leaseMs": 200,
        "trigger": {"hostEvent": "signup"},
        "steps": [{"name": "make", "action": "contacts.create",
                   "params": {"firstName": "{{event.data.name}}", "email": "{{event.data.email}}"}}]
    });
    let event =
        json!({"type": "signup", "id": "s-1", "data": {"name": "Uma", "email": "uma@example.com"}});
    killed_at(
        &sbx,
        &state,
        &flow_json,
        &event,
        "after-response:contacts.create:1",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(250)).await;

    let c = client_of(&sbx, &state);
    let flow = Flow::load(&flow_json).unwrap();
    let before = sbx.api_requests();
    let run = c.dispatch_flow(&flow, event.clone()).await.unwrap();
    assert_eq!(
        run.record.state,
        RunState::UnknownOutcome,
        "{}",
        run.to_json()
    );
    assert_eq!(run.record.steps[0].state, StepState::UnknownOutcome);
    assert_eq!(sbx.api_requests(), before, "nothing more is sent");
    let again = c.dispatch_flow(&flow, event).await.unwrap();
    assert!(again.replayed);
    assert_eq!(
        contacts_with(&c, sbx.location_id(), "uma@example.com")
            .await
            .len(),
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_that_updates_its_own_contact_runs_once_per_outside_change() {
    // By id, and by email through the upsert (HighLevel's duplicate rule
    // finds the same contact).
    let by_id = json!({"contactId": "{{event.id}}", "source": "{{event.firstName | upper}} flow"});
    let by_email =
        json!({"email": "{{event.email}}", "source": "{{event.firstName | upper}} flow"});
    for (action, params) in [("contacts.update", by_id), ("contacts.upsert", by_email)] {
        own_writes_run_once(action, params).await;
    }
}

async fn own_writes_run_once(action: &str, params: Value) {
    let sbx = super::seeded_sandbox(2).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, &dir.path().join("s.db"));
    let flow = Flow::load(&json!({
        "name": "source-from-name",
        "trigger": {"event": "ContactUpdate"},
        "steps": [{"name": "stamp", "action": action, "params": params}]
    }))
    .unwrap();
    let created = c
        .call(
            "contacts.create",
            json!({"locationId": sbx.location_id(), "firstName": "Ada", "email": "ada@example.com"}),
        )
        .await
        .unwrap();
    let id = created["contact"]["id"].as_str().unwrap().to_owned();
    c.poll_flow(&flow, json!({})).await.unwrap();

    let mut done = 0;
    for name in ["Bea", "Cy"] {
        c.call(
            "contacts.update",
            json!({"contactId": id, "firstName": name}),
        )
        .await
        .unwrap();
        for _ in 0..3 {
            for run in c.poll_flow(&flow, json!({})).await.unwrap().runs {
                match run.record.state {
                    RunState::Done => done += 1,
                    RunState::Skipped => {
                        assert_eq!(run.record.depth, 1, "{action}: {}", run.to_json())
                    }
                    other => panic!("{action}: {other:?}: {}", run.to_json()),
                }
            }
        }
        let contact = c
            .call("contacts.get", json!({"contactId": id}))
            .await
            .unwrap();
        assert_eq!(
            contact["contact"]["source"],
            format!("{} flow", name.to_uppercase())
        );
    }
    assert_eq!(done, 2, "{action}: one run per outside change");
    let log = c.flow_runs(Some(flow.name()), 100).await.unwrap();
    let echoes = log.iter().filter(|r| r.state == RunState::Skipped).count();
    assert_eq!(
        echoes, 2,
        "{action}: each write's echo is logged, not run: {log:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_run_record_fails_closed() {
    let sbx = super::seeded_sandbox(2).await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.db");
    let c = client_of(&sbx, &file);
    let flow = Flow::load(&example("form-lead-capture")).unwrap();
    let lead = json!({"type": "form.submitted", "id": "sub-1",
                      "data": {"full_name": "Ida B", "email": "ida@example.com"}});
    let run = c.dispatch_flow(&flow, lead.clone()).await.unwrap();
    drop(c);
    // The record overwritten with something that is not a run.
    let store = contacts_core::state::SqliteStore::open(&file).unwrap();
    use contacts_core::state::StateStore;
    let key = format!("flow/{}/run/{}", flow.name(), run.record.run_id);
    store
        .put(&key, &json!({"state": 7}), None, 0)
        .await
        .unwrap();
    drop(store);
    let c = client_of(&sbx, &file);
    let before = sbx.api_requests();
    let err = c.dispatch_flow(&flow, lead).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::State);
    assert!(err.message().contains("corrupt"), "{err}");
    assert_eq!(sbx.api_requests(), before, "nothing is sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn flow_dispatch_vectors() {
    let file = super::vectors::load("flows.json");
    let spec = &file["dispatches"];
    let sbx = super::seeded_sandbox(2).await;
    let dir = tempfile::tempdir().unwrap();
    let c = client_of(&sbx, &dir.path().join("s.db"));
    let flow = Flow::load(&spec["flow"]).unwrap();
    for (i, v) in spec["events"].as_array().unwrap().iter().enumerate() {
        let name = format!("event {i}");
        match (
            c.dispatch_flow(&flow, v["event"].clone()).await,
            v.get("expect_error"),
        ) {
            (Ok(run), None) => {
                let got = run.to_json();
                assert!(
                    super::vectors::subset(&v["expect"], &got),
                    "{name}: {got:#}"
                );
                if let Some(paths) = v.get("expect_error_paths") {
                    let got: Vec<&Value> = run.record.errors.iter().map(|e| &e["path"]).collect();
                    assert_eq!(
                        &Value::from(got.into_iter().cloned().collect::<Vec<_>>()),
                        paths,
                        "{name}"
                    );
                }
            }
            (Err(e), Some(expected)) => super::vectors::expect_refusal(&name, &e, expected),
            (out, _) => panic!("{name}: {out:?}"),
        }
    }
    let contacts = contacts_with(&c, sbx.location_id(), "ada@example.com").await;
    let id = contacts[0]["id"].as_str().unwrap();
    assert_eq!(
        tasks_of(&c, id).await.len() as u64,
        spec["expect_tasks"].as_u64().unwrap()
    );
}

/// A host store whose flow keys cannot be read or written (a disk gone),
/// the rest kept in memory.
struct FailingFlowKeys(contacts_core::state::MemoryStore);

impl contacts_core::state::HostCall for FailingFlowKeys {
    fn call<'a>(
        &'a self,
        op: &'static str,
        args: Value,
    ) -> contacts_core::state::StoreFuture<'a, Value> {
        use contacts_core::state::StateStore;
        Box::pin(async move {
            let key = args[0].as_str().unwrap_or_default().to_owned();
            if key.starts_with("flow/") {
                return Err(contacts_core::Error::new(
                    ErrorCode::State,
                    "the store's disk is gone",
                ));
            }
            let now = |i: usize| args[i].as_u64().unwrap_or(0);
            Ok(match op {
                "get" => match self.0.get(&key, now(1)).await? {
                    Some(v) => json!({"value": v.value, "version": v.version}),
                    None => Value::Null,
                },
                "put" => json!(self.0.put(&key, &args[1], args[2].as_u64(), now(3)).await?),
                "compareAndSet" => json!(
                    self.0
                        .compare_and_set(&key, args[1].as_u64(), &args[2], args[3].as_u64(), now(4))
                        .await?
                ),
                other => panic!("not needed here: {other}"),
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flow_whose_store_fails_sends_nothing() {
    let sbx = super::seeded_sandbox(2).await;
    let store =
        contacts_core::state::HostStore(FailingFlowKeys(contacts_core::state::MemoryStore::new()));
    let c = Client::new(super::pit_config(
        &sbx.base_url(),
        sbx.pit(),
        sbx.location_id(),
    ))
    .unwrap()
    .with_state(std::sync::Arc::new(store))
    .unwrap();
    let flow = Flow::load(&example("form-lead-capture")).unwrap();
    let lead = json!({"type": "form.submitted", "id": "sub-disk",
                      "data": {"full_name": "Di Sk", "email": "disk@example.com"}});
    let before = sbx.api_requests();
    let err = c.dispatch_flow(&flow, lead).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::State, "{err}");
    assert_eq!(sbx.api_requests(), before, "fails closed: nothing is sent");
}
