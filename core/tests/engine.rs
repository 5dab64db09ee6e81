//! The engine's rules, each with a fake clock and scripted responses: no
//! server, no sleeping, fully deterministic.

use contacts_core::engine::{
    ApiCall, Call, Engine, EngineConfig, Outgoing, Purpose, RateLimits, Step, TokenStore,
    TransportError, TransportErrorKind,
};
use contacts_core::ops::contacts::{CreateContact, GetContact};
use contacts_core::{
    Credentials, ErrorCode, HttpResponse, OAuthClient, OAuthTokens, Result, UserType,
};
use std::sync::{Arc, Mutex};

#[path = "support/oauth.rs"]
mod oauth;
use oauth::oauth_engine;

type Script<'a> =
    dyn FnMut(&Outgoing, u64) -> std::result::Result<HttpResponse, TransportError> + 'a;

/// Drives one call to the end; every exchange takes 5 ms of fake time.
fn run<A: ApiCall>(
    call: &mut Call<A>,
    clock: &mut u64,
    script: &mut Script,
) -> (Result<A::Output>, Vec<Outgoing>) {
    let mut sent = Vec::new();
    for _ in 0..10_000 {
        match call.poll(*clock) {
            Step::Send(o) => {
                let r = script(&o, *clock);
                sent.push(o);
                *clock += 5;
                call.on_response(*clock, r);
            }
            Step::Wait(ms) => *clock += ms,
            Step::Store(step) => panic!("no fleet here, yet the engine asked for {step:?}"),
            Step::Done(r) => return (r, sent),
        }
    }
    panic!("the call never finished");
}

fn ok(body: &str) -> std::result::Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(200, body.to_string()))
}
fn status(code: u16) -> std::result::Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(
        code,
        format!(r#"{{"statusCode":{code},"message":"scripted"}}"#),
    ))
}
const CONTACT: &str = r#"{"contact":{"id":"c1"}}"#;

/// The call most tests make: `contacts.get` of `c1`.
fn get_c1() -> GetContact {
    GetContact {
        contact_id: "c1".into(),
    }
}

fn token_body(access: &str, refresh: &str) -> String {
    format!(
        r#"{{"access_token":"{access}","refresh_token":"{refresh}","expires_in":86399,"userType":"Location","locationId":"loc"}}"#
    )
}

fn is_refresh(o: &Outgoing) -> bool {
    o.request.url.ends_with("/oauth/token")
}

/// A store that records what it saved, and can be told to fail.
#[derive(Default)]
struct Recorder {
    saved: Mutex<Vec<String>>,
    fail: Mutex<bool>,
}

impl TokenStore for Recorder {
    fn save(&self, tokens: &OAuthTokens) -> std::result::Result<(), String> {
        if *self.fail.lock().unwrap() {
            return Err("disk full".into());
        }
        let rt = tokens
            .refresh_token
            .as_ref()
            .map(|s| s.expose().to_string())
            .unwrap_or_default();
        self.saved
            .lock()
            .unwrap()
            .push(format!("{}/{rt}", tokens.access_token.expose()));
        Ok(())
    }
}

#[test]
fn a_pit_is_used_as_is() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit-1")));
    let mut clock = 1_000;
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut |_, _| {
        ok(CONTACT)
    });
    assert_eq!(r.unwrap().contact.id.as_deref(), Some("c1"));
    assert_eq!(sent.len(), 1);
    assert_eq!(
        sent[0].request.header("Authorization"),
        Some("Bearer pit-1")
    );
}

#[test]
fn bad_input_is_refused_before_any_request() {
    let engine = oauth_engine(0, None);
    let mut clock = 1_000;
    let (r, sent) = run(
        &mut engine.call(GetContact {
            contact_id: "".into(),
        }),
        &mut clock,
        &mut |_, _| panic!("nothing may be sent"),
    );
    assert_eq!(r.unwrap_err().code(), ErrorCode::InvalidArgument);
    assert!(sent.is_empty());
}

#[test]
fn tokens_are_refreshed_ahead_of_expiry_and_stored_before_use() {
    let store = Arc::new(Recorder::default());
    let now = 1_000_000;
    let engine = oauth_engine(now + 30_000, Some(store.clone()));
    let mut clock = now;
    let log = store.clone();
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut |o, _| {
        if is_refresh(o) {
            let body = String::from_utf8(o.request.body.clone()).unwrap();
            assert!(
                body.contains("grant_type=refresh_token") && body.contains("refresh_token=rt-1")
            );
            assert!(body.contains("client_id=app") && body.contains("user_type=Location"));
            ok(&token_body("at-2", "rt-2"))
        } else {
            assert_eq!(
                log.saved.lock().unwrap().as_slice(),
                ["at-2/rt-2"],
                "stored before the new token is used"
            );
            assert_eq!(o.request.header("Authorization"), Some("Bearer at-2"));
            ok(CONTACT)
        }
    });
    r.unwrap();
    assert_eq!(sent.len(), 2);
    assert!(matches!(sent[0].purpose, Purpose::Credential(_)));
    match engine.credentials_snapshot() {
        Credentials::OAuth { tokens } => {
            assert_eq!(tokens.refresh_token.unwrap().expose(), "rt-2");
            // expires_in counted from when the refresh answer came (now + 5)
            assert_eq!(tokens.expires_at_ms, Some(now + 5 + 86_399_000));
            assert_eq!(tokens.location_id.as_deref(), Some("loc"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_401_refreshes_once_then_gives_up() {
    let engine = oauth_engine(u64::MAX, None);
    let mut clock = 1_000;
    let mut refreshes = 0;
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut |o, _| {
        if is_refresh(o) {
            refreshes += 1;
            ok(&token_body("at-2", "rt-2"))
        } else if o.request.header("Authorization") == Some("Bearer at-1") {
            status(401)
        } else {
            ok(CONTACT)
        }
    });
    r.unwrap();
    assert_eq!((refreshes, sent.len()), (1, 3));

    let mut refreshes = 0;
    let (r, _) = run(&mut engine.call(get_c1()), &mut clock, &mut |o, _| {
        if is_refresh(o) {
            refreshes += 1;
            ok(&token_body("at-3", "rt-3"))
        } else {
            status(401)
        }
    });
    assert_eq!(r.unwrap_err().code(), ErrorCode::Unauthorized);
    assert_eq!(refreshes, 1, "only once after a 401");
}

#[test]
fn a_missing_scope_is_not_refreshed() {
    let engine = oauth_engine(u64::MAX, None);
    let mut clock = 1_000;
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut |_, _| {
        Ok(HttpResponse::new(
            401,
            r#"{"statusCode":401,"message":"The token is not authorized for this scope."}"#,
        ))
    });
    let e = r.unwrap_err();
    assert_eq!(
        (e.code(), e.required_scope()),
        (ErrorCode::Forbidden, Some("contacts.readonly"))
    );
    assert_eq!(sent.len(), 1);
}

#[test]
fn a_failing_token_store_is_an_error_and_nothing_is_lost() {
    let store = Arc::new(Recorder::default());
    *store.fail.lock().unwrap() = true;
    let engine = oauth_engine(0, Some(store.clone()));
    let mut clock = 1_000_000;
    let mut refreshes = 0;
    let mut script = |o: &Outgoing, _: u64| {
        if is_refresh(o) {
            refreshes += 1;
            ok(&token_body("at-2", "rt-2"))
        } else {
            assert_eq!(o.request.header("Authorization"), Some("Bearer at-2"));
            ok(CONTACT)
        }
    };
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut script);
    assert_eq!(r.unwrap_err().code(), ErrorCode::TokenStore);
    assert_eq!(
        sent.len(),
        1,
        "the new access token is not used while unstored"
    );
    *store.fail.lock().unwrap() = false;
    let (r, _) = run(&mut engine.call(get_c1()), &mut clock, &mut script);
    r.unwrap();
    assert_eq!(
        refreshes, 1,
        "the kept tokens were stored, not refreshed again"
    );
    assert_eq!(store.saved.lock().unwrap().as_slice(), ["at-2/rt-2"]);
}

#[test]
fn concurrent_calls_share_one_refresh() {
    let store = Arc::new(Recorder::default());
    let engine = oauth_engine(0, Some(store.clone()));
    let mut calls: Vec<_> = (0..100)
        .map(|i| {
            engine.call(GetContact {
                contact_id: format!("c{i}"),
            })
        })
        .collect();
    let mut clock = 1_000_000;
    let mut pending: Vec<Option<Outgoing>> = vec![None; 100];
    let mut done = [false; 100];
    let mut refreshes = 0;
    let mut wake = vec![0u64; 100];
    for _ in 0..100_000 {
        if done.iter().all(|d| *d) {
            break;
        }
        // Every call gets a turn at the same instant: as concurrent as it gets.
        for i in 0..100 {
            if done[i] || wake[i] > clock {
                continue;
            }
            if let Some(o) = pending[i].take() {
                let r = if is_refresh(&o) {
                    refreshes += 1;
                    ok(&token_body("at-2", "rt-2"))
                } else {
                    assert_eq!(o.request.header("Authorization"), Some("Bearer at-2"));
                    assert_eq!(store.saved.lock().unwrap().len(), 1);
                    ok(CONTACT)
                };
                calls[i].on_response(clock, r);
            }
            match calls[i].poll(clock) {
                Step::Send(o) => pending[i] = Some(o),
                Step::Wait(ms) => wake[i] = clock + ms,
                Step::Store(step) => panic!("no fleet here: {step:?}"),
                Step::Done(r) => {
                    r.unwrap();
                    done[i] = true;
                }
            }
        }
        clock += 1;
    }
    assert!(done.iter().all(|d| *d));
    assert_eq!(refreshes, 1, "exactly one refresh for 100 calls");
    assert_eq!(store.saved.lock().unwrap().as_slice(), ["at-2/rt-2"]);
}

#[test]
fn agency_tokens_mint_location_tokens_and_remint_when_a_refresh_fails() {
    let mut cfg = EngineConfig::new(Credentials::Agency {
        tokens: OAuthTokens {
            access_token: "agency-at".into(),
            refresh_token: Some("agency-rt".into()),
            user_type: UserType::Company,
            company_id: Some("co".into()),
            ..Default::default()
        },
        location_id: "loc".into(),
    });
    cfg.oauth_client = Some(OAuthClient {
        client_id: "app".into(),
        client_secret: "s".into(),
    });
    let engine = Engine::new(cfg);
    let mut clock = 1_000;
    let mut mints = 0;
    let mut script = |o: &Outgoing, _: u64| {
        if o.request.url.ends_with("/oauth/locationToken") {
            mints += 1;
            assert_eq!(o.request.header("Authorization"), Some("Bearer agency-at"));
            assert_eq!(
                String::from_utf8_lossy(&o.request.body),
                "companyId=co&locationId=loc"
            );
            ok(&format!(
                r#"{{"access_token":"loc-at-{mints}","refresh_token":"loc-rt-{mints}","expires_in":1}}"#
            ))
        } else if is_refresh(o) {
            status(400) // the location refresh fails: re-mint from the agency token
        } else {
            ok(CONTACT)
        }
    };
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut script);
    r.unwrap();
    assert_eq!(
        sent[1].request.header("Authorization"),
        Some("Bearer loc-at-1")
    );
    clock += 10_000; // the location token (1 s) has expired
    let (r, sent) = run(&mut engine.call(get_c1()), &mut clock, &mut script);
    r.unwrap();
    assert!(is_refresh(&sent[0]) && sent[1].request.url.ends_with("/oauth/locationToken"));
    assert_eq!(
        sent[2].request.header("Authorization"),
        Some("Bearer loc-at-2")
    );
    assert_eq!(mints, 2);
}

#[test]
fn calls_wait_for_budget_instead_of_collecting_429s() {
    let mut cfg = EngineConfig::new(Credentials::pit("pit"));
    cfg.rate = RateLimits {
        burst_max: 10,
        interval_ms: 1_000,
        daily_max: 1_000,
        margin_ms: 0,
        ..RateLimits::default()
    };
    let engine = Engine::new(cfg);
    let mut clock = 0;
    let mut sends = Vec::new();
    for i in 0..35 {
        let (r, _) = run(
            &mut engine.call(GetContact {
                contact_id: format!("c{i}"),
            }),
            &mut clock,
            &mut |_, t| {
                sends.push(t);
                ok(CONTACT)
            },
        );
        r.unwrap();
    }
    for (i, t) in sends.iter().enumerate() {
        let in_window = sends[i..].iter().filter(|&&u| u < t + 1_000).count();
        assert!(in_window <= 10, "{in_window} requests in one window");
    }
    assert!(
        clock < 3 * 1_020 + 100,
        "and the allowed rate is used: {clock} ms for 35 calls"
    );
}

#[test]
fn the_budget_is_learned_from_headers() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit")));
    let mut clock = 0;
    let mut sends = Vec::new();
    for _ in 0..4 {
        let (r, _) = run(
            &mut engine.call(GetContact {
                contact_id: "c".into(),
            }),
            &mut clock,
            &mut |_, t| {
                sends.push(t);
                Ok(HttpResponse::new(200, CONTACT)
                    .with_header("X-RateLimit-Max", "2")
                    .with_header("X-RateLimit-Interval-Milliseconds", "500")
                    .with_header("X-RateLimit-Remaining", "1"))
            },
        );
        r.unwrap();
    }
    assert!(
        sends[2] >= 510,
        "the third request waits for the learned window: {sends:?}"
    );
}

#[test]
fn a_429_is_retried_after_the_advised_wait() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit")));
    let mut clock = 0;
    let mut times = Vec::new();
    let (r, _) = run(
        &mut engine.call(CreateContact {
            location_id: "loc".into(),
            ..Default::default()
        }),
        &mut clock,
        &mut |_, t| {
            times.push(t);
            if times.len() == 1 {
                Ok(HttpResponse::new(429, "").with_header("Retry-After", "2"))
            } else {
                Ok(HttpResponse::new(201, CONTACT))
            }
        },
    );
    r.unwrap();
    assert!(times[1] - times[0] >= 2_000, "{times:?}");
}

#[test]
fn server_errors_are_retried_with_backoff_only_when_idempotent() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit")));
    let mut clock = 0;
    let mut times = Vec::new();
    let (r, _) = run(
        &mut engine.call(GetContact {
            contact_id: "c".into(),
        }),
        &mut clock,
        &mut |_, t| {
            times.push(t);
            status(503)
        },
    );
    assert_eq!(r.unwrap_err().code(), ErrorCode::Server);
    assert_eq!(times.len(), 4, "max_attempts");
    let gaps: Vec<u64> = times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(
        gaps[0] >= 100 && gaps[1] >= 200 && gaps[2] >= 400,
        "exponential backoff with jitter: {gaps:?}"
    );
    assert!(gaps[2] <= 5 + 800, "{gaps:?}");

    let mut n = 0;
    let (r, _) = run(
        &mut engine.call(CreateContact {
            location_id: "loc".into(),
            ..Default::default()
        }),
        &mut clock,
        &mut |_, _| {
            n += 1;
            status(503)
        },
    );
    assert_eq!(
        (r.unwrap_err().code(), n),
        (ErrorCode::Server, 1),
        "a create is never sent twice after a 5xx"
    );
}

#[test]
fn transport_failures_never_duplicate_a_create() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit")));
    let mut clock = 0;
    let create = || CreateContact {
        location_id: "loc".into(),
        ..Default::default()
    };
    let mut n = 0;
    let (r, _) = run(&mut engine.call(create()), &mut clock, &mut |_, _| {
        n += 1;
        Err(TransportError::new(
            TransportErrorKind::Io,
            "connection reset",
        ))
    });
    assert_eq!(
        (r.unwrap_err().code(), n),
        (ErrorCode::Transport, 1),
        "may have reached the server: not resent"
    );
    let mut n = 0;
    let (r, _) = run(&mut engine.call(create()), &mut clock, &mut |_, _| {
        n += 1;
        if n == 1 {
            Err(TransportError::new(TransportErrorKind::Connect, "refused"))
        } else {
            Ok(HttpResponse::new(201, CONTACT))
        }
    });
    r.unwrap();
    assert_eq!(n, 2, "never reached the server: safe to resend");
    let mut n = 0;
    let (r, _) = run(
        &mut engine.call(GetContact {
            contact_id: "c".into(),
        }),
        &mut clock,
        &mut |_, _| {
            n += 1;
            if n < 3 {
                Err(TransportError::new(
                    TransportErrorKind::Timeout,
                    "timed out",
                ))
            } else {
                ok(CONTACT)
            }
        },
    );
    r.unwrap();
    assert_eq!(n, 3, "a read is retried after a timeout");
}

#[test]
fn the_deadline_bounds_every_call() {
    let mut cfg = EngineConfig::new(Credentials::pit("pit"));
    cfg.call_timeout_ms = 1_500;
    cfg.retry.max_attempts = 100;
    let engine = Engine::new(cfg);
    let start = 10_000;
    let mut clock = start;
    let (r, sent) = run(
        &mut engine.call(GetContact {
            contact_id: "c".into(),
        }),
        &mut clock,
        &mut |_, _| Ok(HttpResponse::new(429, "").with_header("Retry-After", "1")),
    );
    let e = r.unwrap_err();
    assert_eq!(e.code(), ErrorCode::Timeout);
    assert!(e.message().contains("RATE_LIMITED"), "{e}");
    assert!(clock - start <= 1_500 + 5, "{}", clock - start);
    assert!(sent.len() <= 2);
    assert!(sent.iter().all(|o| o.timeout_ms <= 1_500));
}

#[test]
fn json_calls_reach_every_operation_by_name() {
    let engine = Engine::new(EngineConfig::new(Credentials::pit("pit")));
    let mut clock = 0;
    let (r, sent) = run(
        &mut engine
            .call_json("contacts.get", serde_json::json!({"contactId": "c1"}))
            .unwrap(),
        &mut clock,
        &mut |_, _| ok(CONTACT),
    );
    assert_eq!(r.unwrap()["contact"]["id"], "c1");
    assert!(sent[0].request.url.ends_with("/contacts/c1"));
    assert_eq!(
        engine
            .call_json("contacts.nope", serde_json::json!({}))
            .err()
            .unwrap()
            .code(),
        ErrorCode::InvalidArgument
    );
    // Params are decoded when the call is made: a bad one never becomes a
    // call, so nothing can be sent.
    assert_eq!(
        engine
            .call_json("contacts.get", serde_json::json!({"contactId": 7}))
            .err()
            .unwrap()
            .code(),
        ErrorCode::InvalidArgument
    );
}

/// A store that, while it saves, lets another call take its turn: what a
/// second thread does during a slow save.
struct InterleavingStore {
    other: Mutex<Option<Call<GetContact>>>,
    fail_first: Mutex<bool>,
    /// What the other call did during each save: `true` if it sent a refresh.
    other_refreshed: Mutex<Vec<bool>>,
}

impl TokenStore for InterleavingStore {
    fn save(&self, _: &OAuthTokens) -> std::result::Result<(), String> {
        if let Some(call) = self.other.lock().unwrap().as_mut() {
            let sent_refresh = matches!(call.poll(1_000_010), Step::Send(o) if is_refresh(&o));
            self.other_refreshed.lock().unwrap().push(sent_refresh);
        }
        let mut fail = self.fail_first.lock().unwrap();
        if *fail {
            *fail = false;
            return Err("disk busy".into());
        }
        Ok(())
    }
}

#[test]
fn no_second_refresh_starts_while_the_rotated_tokens_are_being_stored() {
    // The refresh token is spent on the server the moment the refresh is
    // answered; a call that looked while the host was still storing the new
    // one would refresh with the spent one and get invalid_grant.
    for fail_first in [false, true] {
        let store = Arc::new(InterleavingStore {
            other: Mutex::new(None),
            fail_first: Mutex::new(fail_first),
            other_refreshed: Mutex::new(Vec::new()),
        });
        let engine = oauth_engine(0, Some(store.clone()));
        *store.other.lock().unwrap() = Some(engine.call(get_c1()));
        let mut clock = 1_000_000;
        let mut script = |o: &Outgoing, _: u64| {
            if is_refresh(o) {
                ok(&token_body("at-2", "rt-2"))
            } else {
                ok(CONTACT)
            }
        };
        // With a store that refuses once, the same call offers the kept
        // tokens again on its next turn, so it still succeeds.
        let (result, _) = run(&mut engine.call(get_c1()), &mut clock, &mut script);
        let seen = store.other_refreshed.lock().unwrap().clone();
        assert_eq!(
            seen,
            vec![false; if fail_first { 2 } else { 1 }],
            "a call that looked during a save waited rather than refreshing"
        );
        result.unwrap();
        store.other.lock().unwrap().take();
    }
}
