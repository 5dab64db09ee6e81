//! The engine: everything between "I want this" and "here is the answer",
//! as a state machine with the clock injected (DESIGN.md, "The flow of one
//! call"). It decides which credentials to use and when to refresh them, how
//! long to wait for rate budget, whether to retry, and how pages continue.
//! It never sends, sleeps or reads a clock: a transport does that.
//!
//! ```
//! use contacts_core::engine::{Engine, EngineConfig, Step};
//! use contacts_core::{Credentials, HttpResponse, ops::contacts::GetContact};
//! let engine = Engine::new(EngineConfig::new(Credentials::pit("pit-x")));
//! let mut call = engine.call(GetContact { contact_id: "c1".into() });
//! let now = 1_000;
//! let req = match call.poll(now) { Step::Send(out) => out.request, _ => unreachable!() };
//! assert_eq!(req.header("Authorization"), Some("Bearer pit-x"));
//! call.on_response(now + 5, Ok(HttpResponse::new(200, r#"{"contact":{"id":"c1"}}"#)));
//! match call.poll(now + 5) { Step::Done(Ok(out)) => assert_eq!(out.contact.id.as_deref(), Some("c1")), _ => unreachable!() }
//! ```
//!
//! Threads: an [`Engine`] is `Send + Sync` and shared by every call of a
//! client (`Arc`); each [`Call`] belongs to one task at a time.

mod api_call;
mod budget;
mod call;
mod credentials;
#[cfg(feature = "mapping")]
mod field_cache;
mod fleet;
mod fleet_tokens;
mod wire;

pub use api_call::{ApiCall, JsonCall};
pub use budget::{DEFAULT_DAILY_PROBE_MS, RateLimits};
pub use call::Call;
pub use fleet::{DEFAULT_LEASE_MS, Fleet, WhenUnavailable};
pub use wire::{
    Outgoing, Purpose, Step, StoreAnswer, StoreStep, TransportError, TransportErrorKind,
};

#[cfg(feature = "fleet")]
use crate::ErrorCode;
use crate::observe::{
    CredentialWork, Event, EventKind, Level, Observer, ObserverOptions, ObserverSlot, Usage,
};
use crate::state::{Lane, RateGrant, StateStore};
use crate::{Config, Credentials, Error, OAuthClient, OAuthTokens};
use budget::Budget;
use credentials::{CredAction, CredState};
#[cfg(feature = "fleet")]
use fleet_tokens::Answered;
use fleet_tokens::{FleetNext, FleetTokens};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

/// What an engine has done so far (for reports and monitoring).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// API requests sent (credential requests not included).
    pub requests: u64,
    /// Responses that were 429.
    pub rate_limited: u64,
    /// API requests that were retries.
    pub retries: u64,
}

#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) requests: AtomicU64,
    pub(crate) rate_limited: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) waits: AtomicU64,
    pub(crate) wait_ms: AtomicU64,
    pub(crate) refreshes: AtomicU64,
}

/// Where rotated tokens go. The engine calls [`TokenStore::save`] with every
/// new token set **before** it uses the new access token; an error keeps the
/// tokens in memory (they are offered again on the next call) and fails the
/// call with [`crate::ErrorCode::TokenStore`], so a rotation is never lost
/// silently.
///
/// Called from whichever thread completes the refresh, with no engine lock
/// held; it must not block for long.
pub trait TokenStore: Send + Sync {
    /// Persists `tokens` (an access and refresh token pair; `user_type` says
    /// whether they are the agency's or a location's). `Err` with a reason.
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String>;

    /// The tokens of `user_type` last saved, if the store can say
    /// (default: it cannot). In a fleet, a process that finds a refresh
    /// whose answer was lost reads the store again before it gives up: the
    /// refresher may have saved the new tokens before it died.
    fn load(&self, user_type: crate::UserType) -> Option<OAuthTokens> {
        let _ = user_type;
        None
    }
}

/// The fleet, when fleet mode is compiled in (feature `fleet`: native,
/// and the npm package's runtime module) and configured. Without the
/// feature a configured fleet is ignored, and its code left out.
#[inline(always)]
pub(crate) fn fleet_of(cfg: &EngineConfig) -> Option<&Fleet> {
    #[cfg(feature = "fleet")]
    return cfg.fleet.as_ref();
    #[cfg(not(feature = "fleet"))]
    {
        let _ = cfg;
        None
    }
}

/// The event name of a credential request.
fn credential_work(kind: credentials::CredKind) -> CredentialWork {
    match kind {
        credentials::CredKind::RefreshLocation => CredentialWork::RefreshLocation,
        credentials::CredKind::RefreshAgency => CredentialWork::RefreshAgency,
        credentials::CredKind::MintLocation => CredentialWork::MintLocation,
    }
}

/// The catalog name of a credential request, for its events.
pub(crate) fn credential_op(work: CredentialWork) -> &'static str {
    match work {
        CredentialWork::MintLocation => {
            <crate::ops::oauth::GetLocationToken as crate::Operation>::SPEC.name
        }
        _ => <crate::ops::oauth::RefreshToken as crate::Operation>::SPEC.name,
    }
}

/// Where a call's slot of the rate budget comes from.
pub(crate) enum Reservation {
    /// Decided in this engine.
    Now(RateGrant),
    /// Ask the fleet store first.
    #[cfg(feature = "fleet")]
    Ask(StoreStep),
}

/// How long a location's custom-field definitions are kept by default, in ms.
pub const DEFAULT_CUSTOM_FIELDS_TTL_MS: u64 = 600_000;

/// The default deadline of one call (retries and waits included), in ms.
pub const DEFAULT_CALL_TIMEOUT_MS: u64 = 30_000;

/// How calls are retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts per call, the first included (a retry budget).
    pub max_attempts: u32,
    /// The first backoff; doubles on each retry, with jitter.
    pub base_delay_ms: u64,
    /// The longest backoff.
    pub max_delay_ms: u64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay_ms: 200,
            max_delay_ms: 5_000,
        }
    }
}

/// Everything an engine is made from.
#[derive(Clone)]
pub struct EngineConfig {
    /// Base URL, `Version` overrides, user agent.
    pub config: Config,
    /// The credentials to call with.
    pub credentials: Credentials,
    /// The app's client id and secret, needed to refresh OAuth tokens.
    pub oauth_client: Option<OAuthClient>,
    /// Retries.
    pub retry: RetryPolicy,
    /// Rate budget per resource.
    pub rate: RateLimits,
    /// The deadline of one call, retries and waits included.
    pub call_timeout_ms: u64,
    /// Refresh a token when it has less than this left.
    pub refresh_ahead_ms: u64,
    /// How long a location's custom-field definitions are kept
    /// ([`crate::driver::Driver::custom_fields`]).
    pub custom_fields_ttl_ms: u64,
    /// Seed of the backoff jitter (fixed in tests for determinism).
    pub jitter_seed: u64,
    /// Receives rotated tokens before they are used.
    pub token_store: Option<Arc<dyn TokenStore>>,
    /// Shares the rate budget with other processes through a store
    /// (fleet mode, feature `fleet`); `None`: this engine's budget is its own.
    #[cfg(feature = "fleet")]
    pub fleet: Option<Fleet>,
}

impl std::fmt::Debug for EngineConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EngineConfig")
            .field("config", &self.config)
            .field("credentials", &self.credentials)
            .field("oauth_client", &self.oauth_client)
            .field("retry", &self.retry)
            .field("rate", &self.rate)
            .field("call_timeout_ms", &self.call_timeout_ms)
            .field("token_store", &self.token_store.is_some())
            .finish_non_exhaustive()
    }
}

impl EngineConfig {
    /// Defaults for `credentials`: production base URL, 4 attempts, 30 s per
    /// call, HighLevel's rate limits, refresh 60 s ahead of expiry.
    pub fn new(credentials: Credentials) -> Self {
        EngineConfig {
            config: Config::default(),
            credentials,
            oauth_client: None,
            retry: RetryPolicy::default(),
            rate: RateLimits::default(),
            call_timeout_ms: DEFAULT_CALL_TIMEOUT_MS,
            refresh_ahead_ms: 60_000,
            custom_fields_ttl_ms: DEFAULT_CUSTOM_FIELDS_TTL_MS,
            jitter_seed: 0x5eed,
            token_store: None,
            #[cfg(feature = "fleet")]
            fleet: None,
        }
    }
}

/// The shared state machine of one client. Cheap to share (`Arc`); every
/// call of the client goes through it, so refreshes are single-flight and the
/// rate budget is shared.
pub struct Engine {
    cfg: EngineConfig,
    /// The budget's key in the fleet store.
    #[cfg(feature = "fleet")]
    fleet_key: String,
    state: Mutex<State>,
    pub(crate) counters: Counters,
    observers: ObserverSlot,
    /// The location (or company) the credentials act for, for events.
    location: Option<String>,
    /// Each location's custom-field definitions, for keys.
    #[cfg(feature = "mapping")]
    pub(crate) field_cache: field_cache::FieldCache,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("cfg", &self.cfg)
            .finish_non_exhaustive()
    }
}

struct State {
    creds: CredState,
    /// Fleet mode: the protocol that renews shared token sets once.
    fleet_tokens: Option<FleetTokens>,
    /// The rate budget of the one resource (location or company) this
    /// engine's credentials act for.
    budget: Budget,
    rng: u64,
    next_id: u64,
}

impl Engine {
    /// A new engine, ready to be shared.
    // On wasm32 a fleet's store object is not Send (one thread, JS
    // promises); the Arc is what native engines share across threads.
    #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
    pub fn new(cfg: EngineConfig) -> Arc<Engine> {
        let creds = CredState::new(&cfg.credentials);
        let rng = cfg.jitter_seed | 1;
        let budget = Budget::new(&cfg.rate);
        #[cfg(feature = "fleet")]
        let fleet_key = fleet::budget_key(
            &cfg.credentials,
            cfg.oauth_client.as_ref().map(|c| c.client_id.as_str()),
        );
        #[cfg(feature = "fleet")]
        let fleet_tokens = cfg.fleet.as_ref().map(|f| {
            static ENGINES: AtomicU64 = AtomicU64::new(0);
            let n = ENGINES.fetch_add(1, Ordering::Relaxed);
            FleetTokens::new(format!("engine-{:x}-{n}", cfg.jitter_seed), f.lease_ms)
        });
        #[cfg(not(feature = "fleet"))]
        let fleet_tokens: Option<FleetTokens> = None;
        let location = cfg.credentials.resource_id();
        Arc::new(Engine {
            cfg,
            #[cfg(feature = "fleet")]
            fleet_key,
            counters: Counters::default(),
            observers: ObserverSlot::default(),
            location,
            #[cfg(feature = "mapping")]
            field_cache: field_cache::FieldCache::default(),
            state: Mutex::new(State {
                creds,
                fleet_tokens,
                budget,
                rng,
                next_id: 0,
            }),
        })
    }

    /// An engine for the OAuth token endpoint alone (a code exchange before
    /// any client has tokens): `config`'s base URL, `timeout_ms` per call.
    /// It holds no usable credentials: operations that send a bearer token
    /// fail on it with UNAUTHORIZED.
    pub fn for_token_endpoint(config: crate::Config, timeout_ms: u64) -> Arc<Engine> {
        let mut cfg = EngineConfig::new(Credentials::pit(String::new()));
        cfg.config = config;
        cfg.call_timeout_ms = timeout_ms;
        Engine::new(cfg)
    }

    /// Counts of what this engine has sent and seen.
    pub fn stats(&self) -> EngineStats {
        EngineStats {
            requests: self.counters.requests.load(Ordering::Relaxed),
            rate_limited: self.counters.rate_limited.load(Ordering::Relaxed),
            retries: self.counters.retries.load(Ordering::Relaxed),
        }
    }

    /// Attaches `observer` to every call of this engine (replacing the one
    /// attached before), or detaches with `None`. Events below
    /// `options.min_level` are never built.
    pub fn set_observer(&self, observer: Option<Arc<dyn Observer>>, options: ObserverOptions) {
        self.observers.set(observer, options);
    }

    /// Whether an event of `level` would reach an observer.
    #[inline(always)]
    pub(crate) fn observing(&self, level: Level) -> bool {
        self.observers.wants(level)
    }

    /// Whether events may carry contact data.
    pub(crate) fn observing_contact_data(&self) -> bool {
        self.observers.contact_data()
    }

    /// Delivers an event about call `call_id` of `op` (0: no call's).
    #[inline(always)]
    pub fn emit(&self, at_ms: u64, call_id: u64, op: &str, kind: EventKind<'_>) {
        if self.observers.wants(Level::Error) {
            self.emit_now(at_ms, call_id, op, kind);
        }
    }

    #[inline(never)]
    fn emit_now(&self, at_ms: u64, call_id: u64, op: &str, kind: EventKind<'_>) {
        self.observers.emit(&Event {
            at_ms,
            call_id,
            op,
            location: self.location.as_deref(),
            kind,
        });
    }

    /// The budget and counts of this engine's location at `now_ms`: the
    /// limits learned from the headers, what is left by the engine's own
    /// count raised to the last response's report, and what was sent,
    /// refused, retried, waited and refreshed since the engine started.
    /// In a fleet the counts are this process's; what is left is as the
    /// last response reported it (the server counts every process).
    pub fn usage(&self, now_ms: u64) -> Usage {
        let load = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut usage = Usage {
            location: self.location.clone(),
            at_ms: now_ms,
            requests: load(&self.counters.requests),
            rate_limited: load(&self.counters.rate_limited),
            retries: load(&self.counters.retries),
            waits: load(&self.counters.waits),
            wait_ms: load(&self.counters.wait_ms),
            refreshes: load(&self.counters.refreshes),
            ..Usage::default()
        };
        self.with_budget(|b| b.fill_usage(now_ms, &mut usage));
        usage
    }

    /// [`Engine::usage`] with what is left taken from a fleet's shared
    /// rate state (as [`StateStore::read_rate`] read it under
    /// [`Engine::fleet_budget_key`]).
    #[cfg(feature = "fleet")]
    pub fn usage_with_shared(
        &self,
        shared: Option<&crate::state::RateState>,
        now_ms: u64,
    ) -> Usage {
        let mut usage = self.usage(now_ms);
        self.with_budget(|b| b.fill_shared_usage(shared, now_ms, &mut usage));
        usage
    }

    /// The key of this engine's rate budget in its fleet's store.
    #[cfg(feature = "fleet")]
    pub fn fleet_budget_key(&self) -> &str {
        &self.fleet_key
    }

    /// The settings.
    pub fn config(&self) -> &EngineConfig {
        &self.cfg
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a call of `op` (a typed operation, or a [`JsonCall`]).
    pub fn call<A: ApiCall>(self: &Arc<Self>, op: A) -> Call<A> {
        let id = {
            let mut st = self.lock();
            st.next_id += 1;
            st.next_id
        };
        Call::new(self.clone(), op, id)
    }

    /// Starts a call by catalog name with JSON params (what the C ABI and
    /// the JS package use). Errors with InvalidArgument for an unknown name.
    pub fn call_json(
        self: &Arc<Self>,
        name: &str,
        params: serde_json::Value,
    ) -> crate::Result<Call<JsonCall>> {
        Ok(self.call(JsonCall::new(name, params)?))
    }

    /// Runs `f` on this engine's rate budget.
    fn with_budget<T>(&self, f: impl FnOnce(&mut Budget) -> T) -> T {
        f(&mut self.lock().budget)
    }

    /// A slot for a call of `lane` at `now_ms`: decided here, or, in a
    /// fleet, the store step that decides it.
    // Not inlined into every monomorphized call loop (the npm package's
    // main module is size-budgeted).
    #[inline(never)]
    pub(crate) fn reserve(&self, now_ms: u64, lane: Lane) -> Reservation {
        #[cfg(feature = "fleet")]
        if fleet_of(&self.cfg).is_some() {
            return Reservation::Ask(StoreStep::ReserveRate {
                key: self.fleet_key.clone(),
                request: self.with_budget(|b| b.fleet_request(lane)),
            });
        }
        Reservation::Now(self.with_budget(|b| b.reserve(now_ms, lane, 100)))
    }

    /// When the fleet store failed with `error`: the policy's answer, a
    /// slot of the local share, or the error to end the call with. Only an
    /// unreachable store falls back; a store that answers wrongly fails.
    #[cfg(feature = "fleet")]
    pub(crate) fn reserve_without_fleet(
        &self,
        now_ms: u64,
        lane: Lane,
        error: Error,
    ) -> crate::Result<RateGrant> {
        let policy = fleet_of(&self.cfg).map(|f| f.when_unavailable);
        match policy {
            Some(WhenUnavailable::LocalShare { percent })
                if error.code() == ErrorCode::FleetUnavailable =>
            {
                Ok(self.with_budget(|b| b.reserve(now_ms, lane, percent.clamp(1, 100))))
            }
            _ => Err(error),
        }
    }

    /// The fleet's store, for the driver to perform [`StoreStep`]s on.
    pub fn fleet_store(&self) -> Option<&Arc<dyn StateStore>> {
        fleet_of(&self.cfg).map(|f| &f.store)
    }

    #[inline(never)]
    pub(crate) fn learn(&self, now_ms: u64, resp: &crate::HttpResponse, rtt_ms: u64) {
        self.with_budget(|b| b.learn(now_ms, resp, rtt_ms));
    }

    /// How long a spent day is refused before a probe.
    pub(crate) fn daily_probe_ms(&self) -> u64 {
        self.with_budget(|b| b.probe_ms())
    }

    /// A backoff for retry number `retry` (1-based): exponential, capped,
    /// with "equal jitter" (between half and all of it).
    pub(crate) fn backoff_ms(&self, retry: u32) -> u64 {
        let p = &self.cfg.retry;
        let full = p
            .base_delay_ms
            .saturating_mul(1u64 << retry.saturating_sub(1).min(20))
            .min(p.max_delay_ms);
        let mut st = self.lock();
        st.rng ^= st.rng << 13;
        st.rng ^= st.rng >> 7;
        st.rng ^= st.rng << 17;
        let half = full / 2;
        half + if half == 0 { 0 } else { st.rng % (half + 1) }
    }

    pub(crate) fn credential_action(
        &self,
        now_ms: u64,
        call_id: u64,
        spec: &crate::OpSpec,
    ) -> CredAction {
        // The token store is called without the lock: take what to save first.
        loop {
            let work = {
                let mut guard = self.lock();
                let st = &mut *guard;
                if let Some(p) = st.creds.take_unsaved(now_ms) {
                    FleetNext::Adopt(p)
                } else if let Some(a) = st
                    .fleet_tokens
                    .as_mut()
                    .and_then(|f| f.pending(now_ms, call_id))
                {
                    return a;
                } else {
                    match st.creds.action(&self.cfg, now_ms, call_id, spec) {
                        #[cfg(feature = "fleet")]
                        CredAction::Coordinate(kind) => match st.fleet_tokens.as_mut() {
                            Some(f) => f.next(&mut st.creds, &self.cfg, now_ms, call_id, kind),
                            None => return st.creds.start(kind, &self.cfg, now_ms, call_id),
                        },
                        a => return a,
                    }
                }
            };
            match work {
                FleetNext::Act(a) => return a,
                FleetNext::Adopt(p) => {
                    if let Err(e) = self.store_then_apply(p, now_ms, call_id) {
                        return CredAction::Fail(e);
                    }
                }
                FleetNext::LoadHost => {
                    let class = self
                        .lock()
                        .fleet_tokens
                        .as_ref()
                        .and_then(FleetTokens::loading);
                    let stored = match (&self.cfg.token_store, class) {
                        (Some(s), Some(class)) => s.load(class),
                        _ => None,
                    };
                    let next = {
                        let mut guard = self.lock();
                        let st = &mut *guard;
                        match st.fleet_tokens.as_mut() {
                            Some(f) => f.loaded(&mut st.creds, &self.cfg, now_ms, call_id, stored),
                            None => FleetNext::Act(CredAction::Wait(1)),
                        }
                    };
                    match next {
                        FleetNext::Adopt(p) => {
                            if let Err(e) = self.store_then_apply(p, now_ms, call_id) {
                                return CredAction::Fail(e);
                            }
                        }
                        FleetNext::Act(a) => return self.reauth_reported(a, now_ms, call_id),
                        FleetNext::LoadHost => {}
                    }
                }
            }
        }
    }

    /// Says so in the event stream when the fleet found a token set that
    /// nothing can renew (REAUTH_REQUIRED): the moment a support person
    /// needs, once, where every later call only fails with it.
    fn reauth_reported(&self, action: CredAction, now_ms: u64, call_id: u64) -> CredAction {
        if let CredAction::Fail(e) = &action
            && e.code() == crate::ErrorCode::ReauthRequired
        {
            let kind = self
                .lock()
                .fleet_tokens
                .as_ref()
                .and_then(FleetTokens::releasing);
            if let Some(work) = kind.map(credential_work) {
                let failed = EventKind::RefreshFailed {
                    work,
                    code: crate::ErrorCode::ReauthRequired,
                };
                self.emit(now_ms, call_id, credential_op(work), failed);
            }
        }
        action
    }

    /// The answer to a fleet step a call performed for the credentials.
    /// Returns the error to end that call with, if any.
    #[cfg(feature = "fleet")]
    pub(crate) fn fleet_answered(
        &self,
        call_id: u64,
        now_ms: u64,
        answer: crate::Result<StoreAnswer>,
    ) -> Option<Error> {
        let outcome = {
            let mut guard = self.lock();
            let st = &mut *guard;
            st.fleet_tokens
                .as_mut()?
                .answered(&mut st.creds, &self.cfg, now_ms, call_id, answer)?
        };
        match outcome {
            Answered::Fail(e) => Some(e),
            Answered::Adopt(p) => self.store_then_apply(p, now_ms, call_id).err(),
        }
    }

    /// Offers new tokens to the host's store (without the engine lock) and
    /// puts them into use only once it accepted them; otherwise keeps them
    /// in memory to offer again and returns why.
    fn store_then_apply(
        &self,
        pending: credentials::Pending,
        now_ms: u64,
        call_id: u64,
    ) -> crate::Result<()> {
        self.store_then_apply_renewed(pending, false, now_ms, call_id)
    }

    /// [`Self::store_then_apply`]; `renewed`: the tokens come from this
    /// process's own refresh or mint, so the fleet is told next.
    fn store_then_apply_renewed(
        &self,
        pending: credentials::Pending,
        renewed: bool,
        now_ms: u64,
        call_id: u64,
    ) -> crate::Result<()> {
        let saved = self.save_tokens(&pending.tokens);
        if self.cfg.token_store.is_some() {
            let kind = match saved {
                Ok(()) => EventKind::TokensStored,
                Err(_) => EventKind::TokensStoreFailed,
            };
            let op = credential_op(credential_work(pending.kind));
            self.emit(now_ms, call_id, op, kind);
        }
        let mut guard = self.lock();
        let st = &mut *guard;
        match saved {
            Ok(()) => {
                if renewed && let Some(f) = st.fleet_tokens.as_mut() {
                    f.renewed(pending.kind, &pending.tokens, pending.obtained_ms);
                }
                st.creds.apply(pending);
                Ok(())
            }
            Err(e) => {
                st.creds.keep_unsaved(pending);
                Err(e)
            }
        }
    }

    fn save_tokens(&self, tokens: &OAuthTokens) -> crate::Result<()> {
        match &self.cfg.token_store {
            Some(store) => store.save(tokens).map_err(|why| {
                Error::new(
                    crate::ErrorCode::TokenStore,
                    format!("the token store refused the rotated tokens: {why}; they are kept in memory and offered again"),
                )
            }),
            None => Ok(()),
        }
    }

    /// Completes a credential request (a refresh or a location-token mint)
    /// started by any call. Transports should deliver this even when the
    /// call that sent it was cancelled: the answer may hold a rotated refresh
    /// token that exists nowhere else.
    pub fn complete_credential(
        &self,
        ticket: u64,
        now_ms: u64,
        result: Result<crate::HttpResponse, TransportError>,
    ) {
        let (work, outcome, failure) = {
            let mut guard = self.lock();
            let st = &mut *guard;
            let work = st.creds.in_flight_kind(ticket);
            let outcome = st.creds.complete(ticket, now_ms, result);
            if outcome.is_none()
                && let Some(f) = st.fleet_tokens.as_mut()
            {
                f.renewal_failed();
            }
            let failure = st.creds.failure_code();
            (work, outcome, failure)
        };
        // A ticket carries the number of the call that started it.
        let call_id = ticket >> 20;
        let work = work.map(credential_work);
        if let Some(work) = work {
            let kind = match (&outcome, failure) {
                (Some(_), _) => {
                    self.counters.refreshes.fetch_add(1, Ordering::Relaxed);
                    EventKind::RefreshSucceeded { work }
                }
                (None, code) => EventKind::RefreshFailed {
                    work,
                    code: code.unwrap_or(crate::ErrorCode::Transport),
                },
            };
            self.emit(now_ms, call_id, credential_op(work), kind);
        }
        if let Some(pending) = outcome {
            if let Err(e) = self.store_then_apply_renewed(pending, true, now_ms, call_id) {
                self.lock().creds.fail(e, now_ms);
            }
        }
    }

    /// Which credential request `ticket` is, while it is in flight.
    pub(crate) fn credential_in_flight(&self, ticket: u64) -> Option<CredentialWork> {
        self.lock()
            .creds
            .in_flight_kind(ticket)
            .map(credential_work)
    }

    /// Marks `used_token` as rejected (a 401): the next call refreshes.
    /// Returns whether a refresh is possible at all.
    pub(crate) fn invalidate(&self, used_token: &str) -> bool {
        self.lock().creds.invalidate(used_token, &self.cfg)
    }

    /// The current credentials, tokens included (for hosts that persist them
    /// at shutdown).
    pub fn credentials_snapshot(&self) -> Credentials {
        self.lock().creds.snapshot(&self.cfg.credentials)
    }
}
