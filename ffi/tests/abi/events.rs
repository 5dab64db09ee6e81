//! The event stream through `contacts_client_set_observer` and the usage
//! report through `contacts_client_usage`, against live sandboxes: the
//! shared sequences of `tests/vectors/events.json`, a NULL callback turning
//! events off, bad levels refused. A module of the ABI test.

use super::*;

/// What the callback collected: each event's level and JSON.
#[derive(Default)]
struct Collected(Mutex<Vec<(u32, String)>>);

unsafe extern "C" fn collect(ud: *mut c_void, level: u32, json: *const c_char, len: usize) {
    let seen = unsafe { &*(ud as *const Collected) };
    let bytes = unsafe { std::slice::from_raw_parts(json.cast::<u8>(), len) };
    assert_eq!(unsafe { *json.add(len) }, 0, "NUL-terminated");
    let text = String::from_utf8(bytes.to_vec()).unwrap();
    seen.0.lock().unwrap().push((level, text));
}

unsafe extern "C" fn keep_tokens(_: *mut c_void, _: *const c_char, _: usize) -> i32 {
    0
}

#[test]
fn the_shared_event_sequences_through_the_abi() {
    use contacts_sandbox::{Budgets, SandboxConfig, SandboxThread};
    for vector in support::vectors("events.json") {
        let sbx = SandboxThread::start(
            SandboxConfig {
                seed: 2,
                budgets: Budgets {
                    interval_ms: 1_000,
                    ..Default::default()
                },
                ..Default::default()
            },
            1,
        )
        .unwrap();
        let store = contacts_token_store {
            userdata: null_mut(),
            save: Some(keep_tokens),
            finalize: None,
        };
        let (client, mut secrets) = match vector["setup"].as_str().unwrap() {
            "retry" => (
                live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null()),
                vec![sbx.pit().to_string()],
            ),
            "refresh" => {
                let tokens = mint_tokens(sbx.base_url());
                let client =
                    expired_oauth_client(sbx.base_url(), sbx.location_id(), &tokens, &store);
                let secrets = vec![
                    tokens["access_token"].as_str().unwrap().to_string(),
                    tokens["refresh_token"].as_str().unwrap().to_string(),
                    contacts_sandbox::DEFAULT_CLIENT_SECRET.to_string(),
                ];
                (client, secrets)
            }
            other => panic!("unknown setup {other}"),
        };
        let seen = Collected::default();
        let ud = (&seen as *const Collected).cast_mut().cast();
        assert!(
            take(contacts_client_set_observer(
                client,
                Some(collect),
                ud,
                CONTACTS_LEVEL_DEBUG
            ))
            .is_none()
        );
        sandbox_admin(
            sbx.base_url(),
            "POST",
            "faults",
            &json!({"next": vector["faults"]}).to_string(),
        );
        let params: Value = serde_json::from_str(
            &vector["call"]["params"]
                .to_string()
                .replace("$firstContact", sbx.first_contact_id().unwrap()),
        )
        .unwrap();
        let out = call(client, vector["call"]["name"].as_str().unwrap(), &params).unwrap();
        secrets.extend(out["contact"]["email"].as_str().map(str::to_string));
        // Turned off (no level needed): the callback is not called again.
        assert!(take(contacts_client_set_observer(client, None, null_mut(), 0)).is_none());
        call(client, vector["call"]["name"].as_str().unwrap(), &params).unwrap();
        let events = std::mem::take(&mut *seen.0.lock().unwrap());
        for (level, text) in &events {
            let v: Value = serde_json::from_str(text).unwrap();
            let names = ["", "error", "warn", "info", "debug"];
            assert_eq!(v["level"], names[*level as usize], "{text}");
        }
        let texts: Vec<String> = events.into_iter().map(|(_, t)| t).collect();
        let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
        support::check_events(&vector, &texts, sbx.location_id(), &secrets);
        contacts_client_free(client);
    }
}

#[test]
fn observer_levels_nulls_and_usage() {
    use contacts_sandbox::{SandboxConfig, SandboxThread};
    let sbx = SandboxThread::start(
        SandboxConfig {
            seed: 1,
            ..Default::default()
        },
        1,
    )
    .unwrap();
    let client = live_client(sbx.base_url(), sbx.pit(), sbx.location_id(), null());
    let seen = Collected::default();
    let ud = (&seen as *const Collected).cast_mut().cast();
    for bad in [0, 5, 0x100, 0x105] {
        let (code, msg) =
            take(contacts_client_set_observer(client, Some(collect), ud, bad)).unwrap();
        assert_eq!(code, contacts_code::InvalidArgument, "{msg}");
    }
    assert_eq!(
        code(contacts_client_set_observer(
            null(),
            Some(collect),
            ud,
            CONTACTS_LEVEL_INFO
        )),
        Some(contacts_code::NullArgument)
    );
    // Info: the finished event only; with contact data, its message.
    assert!(
        take(contacts_client_set_observer(
            client,
            Some(collect),
            ud,
            CONTACTS_LEVEL_INFO | CONTACTS_OBSERVE_CONTACT_DATA
        ))
        .is_none()
    );
    let id = sbx.first_contact_id().unwrap().to_string();
    call(client, "contacts.get", &json!({"contactId": id})).unwrap();
    call(client, "contacts.get", &json!({"contactId": "nope"})).unwrap_err();
    let events = std::mem::take(&mut *seen.0.lock().unwrap());
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(
        (events[0].0, events[1].0),
        (CONTACTS_LEVEL_INFO, CONTACTS_LEVEL_ERROR)
    );
    assert!(
        events[1].1.contains("\"code\":\"NOT_FOUND\"") && events[1].1.contains("\"message\""),
        "{events:?}"
    );

    let mut res = null_mut();
    assert!(take(contacts_client_usage(client, &mut res)).is_none());
    let usage = result_json(res);
    let me = &usage["locations"][0];
    assert_eq!(me["location"], sbx.location_id());
    assert_eq!(me["counts"]["requests"], 2);
    assert_eq!(me["counts"]["requests"].as_u64(), Some(sbx.api_requests()));
    assert_eq!(me["daily"]["remaining"], 200_000 - 2);
    assert_eq!(me["lastHeaders"]["dailyRemaining"], 200_000 - 2);
    assert_eq!(
        code(contacts_client_usage(null(), &mut res)),
        Some(contacts_code::NullArgument)
    );
    assert_eq!(
        code(contacts_client_usage(client, null_mut())),
        Some(contacts_code::NullArgument)
    );
    contacts_client_free(client);
}

#[test]
fn a_verifiers_events_say_what_it_accepted_and_refused() {
    let wh = support::load("webhooks.json");
    let key = json!([wh["public_key"]]).to_string();
    let seen = Collected::default();
    let ud = (&seen as *const Collected).cast_mut().cast();
    let (mut accepted, mut refused) = (0, 0);
    for v in wh["vectors"].as_array().unwrap() {
        let mut verifier = null_mut();
        let (k, kl) = cstr(&key);
        assert!(take(contacts_webhook_verifier_new(k, kl, 0, &mut verifier)).is_none());
        assert!(
            take(contacts_webhook_verifier_set_observer(
                verifier,
                Some(collect),
                ud,
                CONTACTS_LEVEL_INFO
            ))
            .is_none()
        );
        for d in v["deliveries"].as_array().unwrap() {
            let (ev, err) = verify_delivery(verifier, d);
            let (level, text) = seen
                .0
                .lock()
                .unwrap()
                .pop()
                .expect("one event per delivery");
            let event: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(
                (event["op"].as_str(), event["at"].as_u64()),
                (Some("webhooks.verify"), d["now_ms"].as_u64())
            );
            match take(err) {
                None => {
                    accepted += 1;
                    let got = result_json(ev);
                    assert_eq!(
                        (level, &event["kind"]),
                        (CONTACTS_LEVEL_INFO, &json!("webhook_accepted")),
                        "{text}"
                    );
                    assert_eq!(event["eventType"], got["type"], "{text}");
                    assert_eq!(event["location"], got["locationId"], "{text}");
                }
                Some((c, _)) => {
                    refused += 1;
                    assert_eq!(
                        (level, &event["kind"]),
                        (CONTACTS_LEVEL_WARN, &json!("webhook_refused")),
                        "{text}"
                    );
                    assert_eq!(
                        event["code"].as_str().unwrap(),
                        s(contacts_code_name(c as u32)),
                        "{text}"
                    );
                }
            }
            let signature = d["headers"]
                .as_object()
                .and_then(|h| h.get("X-GHL-Signature"))
                .and_then(Value::as_str);
            if let Some(sig) = signature.filter(|s| s.len() > 8) {
                assert!(!text.contains(sig), "no signature in {text}");
            }
        }
        assert!(
            take(contacts_webhook_verifier_set_observer(
                verifier,
                None,
                null_mut(),
                CONTACTS_LEVEL_INFO
            ))
            .is_none()
        );
        contacts_webhook_verifier_free(verifier);
    }
    assert!(
        accepted > 10 && refused > 3,
        "{accepted} accepted, {refused} refused"
    );
    assert!(seen.0.lock().unwrap().is_empty());
    assert_eq!(
        code(contacts_webhook_verifier_set_observer(
            null(),
            Some(collect),
            ud,
            CONTACTS_LEVEL_INFO
        )),
        Some(contacts_code::NullArgument)
    );
}
