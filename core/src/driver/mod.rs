//! The driver: runs work that takes one call or many, once, for every shell
//! (DESIGN.md, "The driver and the runtime"). It is async code generic over a
//! [`Transport`] that each shell implements (send, sleep, the clock, spawn
//! detached); the engine still makes every decision, and the core still
//! opens no socket, reads no clock and spawns nothing itself.
//!
//! What lives here, written once:
//! - a call, typed ([`Driver::run`]) or by catalog name with JSON
//!   ([`Driver::call`], which also reaches the composite actions of
//!   [`crate::actions`]);
//! - page walks ([`Driver::pages`], [`Driver::pages_json`]), each page
//!   decoded once;
//! - the detached credential rule: a refresh started by a call completes even
//!   if that call is dropped or aborted, so a rotated token is never lost;
//! - the OAuth code exchange through the engine ([`Driver::exchange_code`]).
//!
//! Multi-step programs (composite actions now; triggers, flows and sync
//! later) get a `&Driver<T>`: the engine, the transport, the catalog, a
//! state store when the host gave one ([`Driver::with_state`]), and nothing
//! platform-specific. Independent requests run concurrently by
//! joining futures ([`futures_util::future::try_join`]), not by spawning, so
//! the same program runs on threads and on wasm's one thread.
//!
//! ```
//! use contacts_core::driver::{Driver, SendError, Transport};
//! use contacts_core::engine::{Engine, EngineConfig, Outgoing};
//! use contacts_core::{Credentials, HttpResponse};
//!
//! /// A transport that answers every request itself (a real one sends it).
//! #[derive(Clone)]
//! struct Canned;
//! impl Transport for Canned {
//!     async fn send(&self, out: Outgoing) -> Result<HttpResponse, SendError> {
//!         assert!(out.request.url.ends_with("/contacts/c1"));
//!         Ok(HttpResponse::new(200, r#"{"contact":{"id":"c1","firstName":"Ada"}}"#))
//!     }
//!     async fn sleep(&self, _ms: u64) {}
//!     fn now_ms(&self) -> u64 { 1_000 }
//! }
//!
//! let driver = Driver::new(Engine::new(EngineConfig::new(Credentials::pit("pit-x"))), Canned);
//! let out = futures_executor_block_on(driver.call("contacts.get", serde_json::json!({"contactId": "c1"})));
//! assert_eq!(out.unwrap()["contact"]["firstName"], "Ada");
//! # fn futures_executor_block_on<F: std::future::Future>(f: F) -> F::Output {
//! #     let waker = std::task::Waker::noop();
//! #     let mut cx = std::task::Context::from_waker(&waker);
//! #     let mut f = std::pin::pin!(f);
//! #     loop { if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) { return v; } }
//! # }
//! ```
//!
//! Threads: a [`Driver`] is as `Send`/`Sync` as its transport (always on
//! native); clone it freely, every clone shares one engine.

#[cfg(feature = "mapping")]
mod mapping;
mod pages;
mod run;
mod transport;

pub use pages::{PageWalk, Pageable};
#[cfg(feature = "fleet")]
pub use run::perform_store_step;
pub use transport::{DetachedTask, MaybeSend, MaybeSync, SendError, Transport};

use crate::engine::{ApiCall, Engine, JsonCall};
use crate::json::FromJson;
use crate::models::TokenResponse;
use crate::ops::oauth::{ExchangeCode, exchange_user_type};
use crate::state::{BoundStore, Lane, StateStore};
use crate::{Credentials, Error, OAuthTokens, Operation, Result};
use serde_json::Value;
use std::sync::Arc;

/// An engine, a transport and, for work that keeps state, a state store:
/// everything work needs to run.
#[derive(Clone, Debug)]
pub struct Driver<T: Transport> {
    engine: Arc<Engine>,
    transport: T,
    state: Option<Arc<BoundStore>>,
    lane: Lane,
}

impl<T: Transport> Driver<T> {
    /// Work on `engine`'s credentials and budget, over `transport`.
    pub fn new(engine: Arc<Engine>, transport: T) -> Self {
        Driver {
            engine,
            transport,
            state: None,
            lane: Lane::Interactive,
        }
    }

    /// The same driver with its calls in `lane`: background work (sync,
    /// export, triggers) is paced and yields to interactive calls when the
    /// rate budget is short.
    pub fn in_lane(&self, lane: Lane) -> Self {
        Driver {
            lane,
            ..self.clone()
        }
    }

    /// The lane this driver's calls are in.
    pub fn lane(&self) -> Lane {
        self.lane
    }

    /// The rate budget and counts of the engine's location now
    /// ([`Engine::usage`]); in a fleet, what is left is the fleet's, read
    /// from its store (`budget: "fleet"`), or this engine's own view when
    /// the store cannot be read (`budget: "local"`).
    pub async fn usage(&self) -> crate::observe::Usage {
        let now_ms = self.transport.now_ms();
        #[cfg(feature = "fleet")]
        if let Some(store) = self.engine.fleet_store() {
            let key = self.engine.fleet_budget_key();
            if let Ok(shared) = store.read_rate(key, now_ms).await {
                return self.engine.usage_with_shared(shared.as_ref(), now_ms);
            }
        }
        self.engine.usage(now_ms)
    }

    /// The same driver keeping state in `store`, bound to the location (or
    /// company) of the engine's credentials: a store that belongs to
    /// another fails closed on first use ([`crate::ErrorCode::State`]).
    ///
    /// Errors: InvalidArgument when the credentials name no location or
    /// company (a Private Integration Token without `locationId`), since a
    /// store could not then be bound to anyone.
    // On wasm32 a store (a JS object) is neither Send nor Sync, and there is
    // one thread; on native StateStore requires both.
    #[allow(clippy::arc_with_non_send_sync)]
    pub fn with_state(mut self, store: Arc<dyn StateStore>) -> Result<Self> {
        let owner = state_owner(&self.engine.credentials_snapshot())?;
        self.state = Some(Arc::new(BoundStore::new(store, owner)));
        Ok(self)
    }

    /// The state store, for work that keeps state.
    ///
    /// Errors: InvalidArgument, naming `needed_by`, when the driver has none.
    pub fn state(&self, needed_by: &str) -> Result<&BoundStore> {
        self.state.as_deref().ok_or_else(|| {
            Error::invalid_argument(format!(
                "{needed_by} keeps state: give the client a state store"
            ))
        })
    }

    /// The engine every call of this driver goes through.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// The same engine over another transport (a JS call's `AbortSignal`,
    /// the C ABI's other runtime).
    pub fn with_transport<U: Transport>(&self, transport: U) -> Driver<U> {
        Driver {
            engine: self.engine.clone(),
            transport,
            state: self.state.clone(),
            lane: self.lane,
        }
    }

    /// Runs one operation (typed, or a [`JsonCall`]) to the end: retries,
    /// waits and refreshes included, as the engine decides. Dropping the
    /// future cancels the call; a refresh it started still completes.
    pub async fn run<A: ApiCall>(&self, op: A) -> Result<A::Output> {
        run::drive(&self.engine, &self.transport, self.lane, op).await
    }

    /// A walk through the pages of `first` (a paginated typed operation).
    pub fn pages<P: Pageable>(&self, first: P) -> PageWalk<T, P> {
        PageWalk::new(self.clone(), first)
    }

    /// Step 2 of the OAuth code flow: exchanges the callback's code
    /// (`{clientId, clientSecret, code, redirectUri?, userType?}`) for
    /// tokens, through the engine: a connect failure (nothing sent) is
    /// retried, anything that may have reached the server is not (a code
    /// works once). Needs no credentials: a driver from
    /// [`Engine::for_token_endpoint`] will do.
    ///
    /// Errors: InvalidArgument for bad params (nothing sent), then the
    /// token endpoint's answer classified.
    pub async fn exchange_code(&self, params: Value) -> Result<OAuthTokens> {
        // Refused now rather than after the code was spent.
        let user_type = exchange_user_type(&params)?;
        // The same engine call as any JSON call (one copy of the call's
        // state machine in the wasm); the conformed answer is then read as
        // tokens by the one reader of token answers.
        let answer = self
            .run(JsonCall::new(ExchangeCode::SPEC.name, params)?)
            .await?;
        let tokens = TokenResponse::from_json("result", &answer)?;
        Ok(tokens.into_tokens(self.transport.now_ms(), user_type))
    }
}

/// Whom a state store is bound to: `location:<id>`, or `company:<id>` for
/// an agency token that names no location.
fn state_owner(credentials: &Credentials) -> Result<String> {
    if let Some(location) = credentials.location_id() {
        return Ok(format!("location:{location}"));
    }
    if let Credentials::OAuth { tokens } = credentials
        && let Some(company) = &tokens.company_id
    {
        return Ok(format!("company:{company}"));
    }
    Err(Error::invalid_argument(
        "a state store is bound to a location: give the credentials a locationId",
    ))
}
