//! The fleet's token protocol, sans IO: several engines (as several
//! processes would hold) share one fleet store, under one injected clock,
//! against a token endpoint scripted as HighLevel's (a refresh token works
//! once; the old one is revoked at once).

use contacts_core::engine::{
    Call, Engine, EngineConfig, Fleet, Outgoing, Step, StoreAnswer, StoreStep, TransportError,
    WhenUnavailable,
};
use contacts_core::ops::contacts::GetContact;
use contacts_core::state::{MemoryStore, StateStore};
use contacts_core::{Credentials, ErrorCode, HttpResponse, OAuthClient, OAuthTokens, UserType};
use futures_util::FutureExt;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};

/// A token endpoint and an API: refresh tokens rotate, access tokens work
/// until replaced.
#[derive(Default)]
struct Server {
    live_refresh: Mutex<HashSet<String>>,
    live_access: Mutex<HashSet<String>>,
    refreshes: Mutex<u32>,
    mints: Mutex<u32>,
    next: Mutex<u32>,
    /// `expires_in` of what it issues (0: a day).
    lifetime_s: Mutex<u64>,
}

impl Server {
    fn with(access: &str, refresh: &str) -> Arc<Server> {
        let s = Server::default();
        s.live_access.lock().unwrap().insert(access.into());
        s.live_refresh.lock().unwrap().insert(refresh.into());
        Arc::new(s)
    }

    fn issue(&self) -> (String, String) {
        let mut n = self.next.lock().unwrap();
        *n += 1;
        let (a, r) = (format!("at-new-{n}"), format!("rt-new-{n}"));
        self.live_access.lock().unwrap().insert(a.clone());
        self.live_refresh.lock().unwrap().insert(r.clone());
        (a, r)
    }

    fn answer(&self, o: &Outgoing) -> Result<HttpResponse, TransportError> {
        let url = &o.request.url;
        if url.ends_with("/oauth/token") {
            *self.refreshes.lock().unwrap() += 1;
            let body = String::from_utf8_lossy(&o.request.body).to_string();
            let spent = self
                .live_refresh
                .lock()
                .unwrap()
                .iter()
                .find(|r| body.contains(r.as_str()))
                .cloned();
            let Some(spent) = spent else {
                return Ok(HttpResponse::new(400, r#"{"error":"invalid_grant"}"#));
            };
            self.live_refresh.lock().unwrap().remove(&spent);
            let (a, r) = self.issue();
            return Ok(HttpResponse::new(200, self.token_body(&a, &r)));
        }
        if url.ends_with("/oauth/locationToken") {
            *self.mints.lock().unwrap() += 1;
            let (a, r) = self.issue();
            return Ok(HttpResponse::new(200, self.token_body(&a, &r)));
        }
        let bearer = o
            .request
            .header("Authorization")
            .unwrap_or("")
            .trim_start_matches("Bearer ");
        if self.live_access.lock().unwrap().contains(bearer) {
            Ok(HttpResponse::new(200, r#"{"contact":{"id":"c1"}}"#))
        } else {
            Ok(HttpResponse::new(401, r#"{"message":"Invalid JWT"}"#))
        }
    }
}

impl Server {
    fn token_body(&self, access: &str, refresh: &str) -> String {
        let lifetime = match *self.lifetime_s.lock().unwrap() {
            0 => 86_399,
            s => s,
        };
        format!(
            r#"{{"access_token":"{access}","refresh_token":"{refresh}","expires_in":{lifetime},"userType":"Location","locationId":"loc","companyId":"co"}}"#
        )
    }
}

fn perform(store: &MemoryStore, step: StoreStep, now: u64) -> contacts_core::Result<StoreAnswer> {
    contacts_core::driver::perform_store_step(store, step, now)
        .now_or_never()
        .expect("a memory store answers at once")
}

fn engine(store: &Arc<MemoryStore>, credentials: Credentials, lease_ms: u64) -> Arc<Engine> {
    let mut cfg = EngineConfig::new(credentials);
    cfg.oauth_client = Some(OAuthClient {
        client_id: "app".into(),
        client_secret: "secret".into(),
    });
    cfg.fleet = Some(Fleet {
        store: store.clone() as Arc<dyn StateStore>,
        when_unavailable: WhenUnavailable::FailClosed,
        lease_ms,
    });
    Engine::new(cfg)
}

fn expired_oauth() -> Credentials {
    Credentials::OAuth {
        tokens: OAuthTokens {
            access_token: "at-old".into(),
            refresh_token: Some("rt-old".into()),
            expires_at_ms: Some(1),
            user_type: UserType::Location,
            location_id: Some("loc".into()),
            ..Default::default()
        },
    }
}

/// One call in progress, and what it last asked for.
struct Running {
    call: Call<GetContact>,
    wake: u64,
    done: Option<contacts_core::Result<()>>,
}

fn start(e: &Arc<Engine>, now: u64) -> Running {
    let mut call = e.call(GetContact {
        contact_id: "c1".into(),
    });
    call.set_deadline(now + 20_000);
    Running {
        call,
        wake: now,
        done: None,
    }
}

/// Advances every call one step at `now`: store steps and sends are
/// answered at once; `hold` says which credential requests get no answer
/// (their process died, or paused).
fn tick(
    calls: &mut [&mut Running],
    now: u64,
    store: &MemoryStore,
    server: &Server,
    hold: &mut dyn FnMut(usize, &Outgoing) -> bool,
) {
    for (i, r) in calls.iter_mut().enumerate() {
        if r.done.is_some() || r.wake > now {
            continue;
        }
        for _ in 0..50 {
            match r.call.poll(now) {
                Step::Store(step) => {
                    let answer = perform(store, step, now);
                    r.call.on_store(now, answer);
                }
                Step::Send(out) => {
                    if hold(i, &out) {
                        r.wake = u64::MAX;
                        break;
                    }
                    let answer = server.answer(&out);
                    r.call.on_response(now, answer);
                }
                Step::Wait(ms) => {
                    r.wake = now + ms;
                    break;
                }
                Step::Done(result) => {
                    r.done = Some(result.map(|_| ()));
                    break;
                }
            }
        }
    }
}

#[test]
fn eight_processes_on_one_expired_token_refresh_once() {
    let store = Arc::new(MemoryStore::new());
    let server = Server::with("at-old", "rt-old");
    let engines: Vec<_> = (0..8)
        .map(|_| engine(&store, expired_oauth(), 2_000))
        .collect();
    let mut calls: Vec<Running> = engines.iter().map(|e| start(e, 1_000)).collect();
    let mut now = 1_000;
    while calls.iter().any(|c| c.done.is_none()) && now < 30_000 {
        let mut refs: Vec<&mut Running> = calls.iter_mut().collect();
        tick(&mut refs, now, &store, &server, &mut |_, _| false);
        now += 5;
    }
    for c in &calls {
        assert!(matches!(c.done, Some(Ok(()))), "{:?}", c.done);
    }
    assert_eq!(*server.refreshes.lock().unwrap(), 1, "exactly one refresh");
    let tokens: HashSet<String> = engines
        .iter()
        .map(|e| match e.credentials_snapshot() {
            Credentials::OAuth { tokens } => tokens.access_token.expose().to_string(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        tokens.len(),
        1,
        "every process holds the same token: {tokens:?}"
    );
}

#[test]
fn a_lost_refresh_on_a_location_install_is_reauth_required_and_nothing_more_is_sent() {
    let store = Arc::new(MemoryStore::new());
    let server = Server::with("at-old", "rt-old");
    let dies = engine(&store, expired_oauth(), 2_000);
    let survivor = engine(&store, expired_oauth(), 2_000);
    let log = Arc::new(contacts_core::observe::EventLog::new(100));
    survivor.set_observer(
        Some(log.clone()),
        contacts_core::observe::ObserverOptions::default(),
    );
    let mut first = start(&dies, 1_000);
    // The refresher's response never arrives: it died after the server
    // rotated the token (the server saw the refresh).
    let mut held = false;
    let mut refs = vec![&mut first];
    tick(&mut refs, 1_000, &store, &server, &mut |_, o| {
        if o.request.url.ends_with("/oauth/token") {
            let _ = server.answer(o);
            held = true;
        }
        held
    });
    assert!(held && *server.refreshes.lock().unwrap() == 1);
    let mut second = start(&survivor, 1_010);
    let mut now = 1_010;
    while second.done.is_none() && now < 20_000 {
        let mut refs = vec![&mut second];
        tick(&mut refs, now, &store, &server, &mut |_, _| false);
        now += 10;
    }
    let err = second.done.unwrap().unwrap_err();
    assert_eq!(err.code(), ErrorCode::ReauthRequired, "{err}");
    // The stream says so once, as the refresh that cannot be made, and the
    // call's end carries the code (with the stream compiled in).
    let events = log.take().join("\n");
    assert!(
        !cfg!(feature = "observe") || events.matches("REAUTH_REQUIRED").count() == 2,
        "{events}"
    );
    assert!(
        !cfg!(feature = "observe")
            || events.contains(r#""kind":"refresh_failed","#)
                && events.contains(r#""work":"refresh_location","code":"REAUTH_REQUIRED""#),
        "{events}"
    );
    assert!(
        !cfg!(feature = "observe") || events.contains(r#""kind":"finished","#),
        "{events}"
    );
    assert!(
        !events.contains("rt-old") && !events.contains("at-old"),
        "{events}"
    );
    assert!(
        now < 1_010 + 2_000 + 1_000,
        "within the lease and a step: {now}"
    );
    assert_eq!(
        *server.refreshes.lock().unwrap(),
        1,
        "no refresh with the spent token"
    );
}

fn agency() -> Credentials {
    Credentials::Agency {
        tokens: OAuthTokens {
            access_token: "agency-at".into(),
            refresh_token: Some("agency-rt".into()),
            expires_at_ms: Some(10_000_000),
            user_type: UserType::Company,
            company_id: Some("co".into()),
            ..Default::default()
        },
        location_id: "loc".into(),
    }
}

#[test]
fn on_an_agency_install_a_lost_refresh_is_minted_again_and_a_fenced_write_takes_up_the_newer() {
    let store = Arc::new(MemoryStore::new());
    let server = Server::with("agency-at", "agency-rt");
    *server.lifetime_s.lock().unwrap() = 1;
    let a = engine(&store, agency(), 2_000);
    let b = engine(&store, agency(), 2_000);
    // A mints the location token and shares it; B takes it up.
    let mut first = start(&a, 1_000);
    let mut refs = vec![&mut first];
    tick(&mut refs, 1_000, &store, &server, &mut |_, _| false);
    assert!(matches!(first.done, Some(Ok(()))), "{:?}", first.done);
    let mut second = start(&b, 1_100);
    let mut refs = vec![&mut second];
    tick(&mut refs, 1_100, &store, &server, &mut |_, _| false);
    assert!(matches!(second.done, Some(Ok(()))), "{:?}", second.done);
    assert_eq!(*server.mints.lock().unwrap(), 1, "one mint, shared");
    // The location token (1 s) runs out: A refreshes it, and its answer
    // is held past its lease (a pause).
    let mut paused = start(&a, 2_500);
    let mut held = None;
    let mut refs = vec![&mut paused];
    tick(&mut refs, 2_500, &store, &server, &mut |_, o| {
        if o.request.url.ends_with("/oauth/token") {
            held = Some(server.answer(o));
            return true;
        }
        false
    });
    let held = held.expect("A sent a refresh");
    // B finds A's unfinished refresh once A's lease has run out, and mints.
    let mut recovering = start(&b, 2_510);
    let mut now = 2_510;
    while recovering.done.is_none() && now < 10_000 {
        let mut refs = vec![&mut recovering];
        tick(&mut refs, now, &store, &server, &mut |_, _| false);
        now += 10;
    }
    assert!(
        matches!(recovering.done, Some(Ok(()))),
        "{:?}",
        recovering.done
    );
    assert_eq!(
        *server.mints.lock().unwrap(),
        2,
        "recovered by minting again"
    );
    // A resumes: its write is refused by the version check, and it takes
    // up B's token.
    paused.call.on_response(now, held);
    paused.wake = now;
    while paused.done.is_none() && now < 20_000 {
        let mut refs = vec![&mut paused];
        tick(&mut refs, now, &store, &server, &mut |_, _| false);
        now += 10;
    }
    assert!(matches!(paused.done, Some(Ok(()))), "{:?}", paused.done);
    let location_token = |e: &Arc<Engine>| {
        let mut c = start(e, now);
        let mut refs = vec![&mut c];
        let mut seen = String::new();
        tick(&mut refs, now, &store, &server, &mut |_, o| {
            seen = o.request.header("Authorization").unwrap_or("").to_string();
            false
        });
        seen
    };
    assert_eq!(location_token(&a), location_token(&b), "both on B's token");
}
