//! Flows through the ABI: every load of `tests/vectors/flows.json` and its
//! dispatches against a sandbox (blocking and async), the run log, and the
//! bad arguments.

use super::*;

fn new_flow(
    client: *const contacts_client,
    flow: &str,
) -> Result<*mut contacts_flow, (contacts_code, String)> {
    let (fp, fl) = cstr(flow);
    let mut out = null_mut();
    match take(contacts_flow_new(client, fp, fl, null(), &mut out)) {
        None => Ok(out),
        Some(e) => {
            assert!(out.is_null(), "nothing is handed out on error");
            Err(e)
        }
    }
}

fn dispatch(flow: *const contacts_flow, event: &str) -> Result<Value, (contacts_code, String)> {
    let (ep, el) = cstr(event);
    let mut out = null_mut();
    match take(contacts_flow_dispatch_blocking(flow, ep, el, &mut out)) {
        None => Ok(result_json(out)),
        Some(e) => Err(e),
    }
}

#[test]
fn the_flow_vectors_through_the_abi() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 2,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let dir = std::env::temp_dir().join(format!("libcontacts-abi-flows-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let client = state_client(&sbx, &dir.join("flows.db"));
    let file = support::load("flows.json");
    for v in file["loads"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        match (
            new_flow(client, &v["flow"].to_string()),
            v.get("expect_error"),
        ) {
            (Ok(flow), None) => {
                let mut out = null_mut();
                assert_eq!(code(contacts_flow_summary(flow, &mut out)), None);
                let summary = result_json(out);
                let order: Vec<&Value> = summary["steps"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| &s["name"])
                    .collect();
                assert_eq!(json!(order), v["expect_order"], "{name}");
                contacts_flow_free(flow);
            }
            (Err(e), Some(expected)) => expect_refusal(name, e, expected),
            (got, _) => panic!("{name}: {got:?}"),
        }
    }

    let spec = &file["dispatches"];
    let flow = new_flow(client, &spec["flow"].to_string()).unwrap();
    for (i, v) in spec["events"].as_array().unwrap().iter().enumerate() {
        let name = format!("event {i}");
        match (
            dispatch(flow, &v["event"].to_string()),
            v.get("expect_error"),
        ) {
            (Ok(run), None) => {
                assert!(support::subset(&v["expect"], &run), "{name}: {run:#}");
                if let Some(paths) = v.get("expect_error_paths") {
                    let got: Vec<&Value> = run["errors"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|e| &e["path"])
                        .collect();
                    assert_eq!(&json!(got), paths, "{name}");
                }
            }
            (Err(e), Some(expected)) => expect_refusal(&name, e, expected),
            (got, _) => panic!("{name}: {got:?}"),
        }
    }

    // The log: every stored run, latest first; one by id; an unknown id.
    let mut out = null_mut();
    assert_eq!(code(contacts_flow_log(flow, null(), 0, 10, &mut out)), None);
    let log = result_json(out);
    assert_eq!(log.as_array().unwrap().len(), 3, "{log:#}");
    let id = log[0]["runId"].as_str().unwrap().to_owned();
    let (ip, il) = cstr(&id);
    assert_eq!(code(contacts_flow_log(flow, ip, il, 10, &mut out)), None);
    assert_eq!(result_json(out)["runId"], id.as_str());
    let (np, nl) = cstr("0000");
    assert_eq!(
        code(contacts_flow_log(flow, np, nl, 10, &mut out)),
        Some(contacts_code::NotFound)
    );
    assert_eq!(s(contacts_flow_name(flow)), "vector-member-updated");
    assert_eq!(code(contacts_flow_resume(flow, &mut out)), None);
    assert_eq!(result_json(out), json!([]));
    let (pp, pl) = cstr("{}");
    let host_polled = take(contacts_flow_poll(flow, pp, pl, &mut out)).unwrap();
    assert_eq!(
        host_polled.0,
        contacts_code::InvalidArgument,
        "{}",
        host_polled.1
    );

    // Async: the completion gets the run once, on a libcontacts thread.
    unsafe extern "C" fn done(ud: *mut c_void, r: *mut contacts_result, e: *mut contacts_error) {
        let tx = unsafe { &*(ud as *const std::sync::mpsc::Sender<Result<Value, String>>) };
        let _ = tx.send(if e.is_null() {
            Ok(result_json(r))
        } else {
            Err(take(e).unwrap().1)
        });
    }
    let (tx, rx) = std::sync::mpsc::channel::<Result<Value, String>>();
    let event = json!({"type": "member.updated", "id": "async-1",
        "data": {"name": "Bo Async", "email": "bo@example.com", "active": true}})
    .to_string();
    let (ep, el) = cstr(&event);
    let mut call = null_mut();
    let ud = &tx as *const _ as *mut c_void;
    assert!(
        take(contacts_flow_dispatch(
            flow,
            ep,
            el,
            Some(done),
            ud,
            &mut call
        ))
        .is_none()
    );
    let run = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap()
        .unwrap();
    assert_eq!(run["state"], "done", "{run}");
    contacts_call_free(call);
    assert!(
        take(contacts_flow_dispatch(
            flow,
            ep,
            el,
            Some(done),
            ud,
            null_mut()
        ))
        .is_none()
    );
    let again = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .unwrap()
        .unwrap();
    assert_eq!(again["replayed"], true);
    contacts_flow_free(flow);
    contacts_client_free(client);
}

#[test]
fn bad_flow_arguments_are_typed() {
    let flow_text = r#"{"name": "f", "trigger": {"hostEvent": "x"}, "steps": [{"name": "a", "action": "contacts.get", "params": {"contactId": "{{event.id}}"}}]}"#;
    let (fp, fl) = cstr(flow_text);
    let mut out = null_mut();
    assert_eq!(
        code(contacts_flow_new(null(), fp, fl, null(), &mut out)),
        Some(contacts_code::NullArgument)
    );
    let client = live_client("http://127.0.0.1:9", "pit", "loc", null());
    // A client without a state store cannot hold a run log.
    let e = take(contacts_flow_new(client, fp, fl, null(), &mut out)).unwrap();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    assert!(e.1.contains("state store"), "{}", e.1);
    assert!(out.is_null());
    let bad = b"{\"name\": \xff}";
    let e = take(contacts_flow_new(
        client,
        bad.as_ptr().cast(),
        bad.len(),
        null(),
        &mut out,
    ))
    .unwrap();
    assert_eq!(e.0, contacts_code::InvalidUtf8, "{}", e.1);
    assert_eq!(
        code(contacts_flow_new(client, fp, fl, null(), null_mut())),
        Some(contacts_code::NullArgument)
    );
    let store = contacts_state_store {
        call: None,
        finalize: None,
        userdata: null_mut(),
    };
    assert_eq!(
        code(contacts_flow_new(client, fp, fl, &store, &mut out)),
        Some(contacts_code::NullArgument)
    );
    let mut result = null_mut();
    assert_eq!(
        code(contacts_flow_summary(null(), &mut result)),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_flow_dispatch_blocking(null(), fp, fl, null_mut())),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(s(contacts_flow_name(null())), "");
    // A receiver's answer to each outcome.
    assert_eq!(contacts_flow_delivery_status(0), 200);
    assert_eq!(
        contacts_flow_delivery_status(contacts_code::WebhookSignature as u32),
        401
    );
    assert_eq!(
        contacts_flow_delivery_status(contacts_code::WebhookReplay as u32),
        400
    );
    assert_eq!(
        contacts_flow_delivery_status(contacts_code::InvalidJson as u32),
        400
    );
    assert_eq!(
        contacts_flow_delivery_status(contacts_code::Transport as u32),
        429
    );
    assert_eq!(
        contacts_flow_delivery_status(contacts_code::Panic as u32),
        429
    );
    assert_eq!(
        contacts_flow_delivery_status(7),
        429,
        "not a code: the run may go on"
    );
    contacts_flow_free(null_mut());
    contacts_client_free(client);
}
