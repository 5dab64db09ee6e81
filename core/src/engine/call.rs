//! One call through the engine: poll it with the current time, do what it
//! says (send a request, or wait), hand back what happened, until it is done.

use super::api_call::ApiCall;
use super::credentials::CredAction;
#[cfg(feature = "fleet")]
use super::wire::StoreAnswer;
use super::wire::{Outgoing, Purpose, Step, TransportError};
use super::{Engine, Reservation};
use crate::state::{Lane, RateGrant};
use crate::{Error, ErrorCode, HttpRequest, HttpResponse, Result};
use std::sync::Arc;

/// One call in progress. Poll it; never poll twice without delivering the
/// response of a `Send` in between.
pub struct Call<A: ApiCall> {
    engine: Arc<Engine>,
    api: A,
    id: u64,
    deadline_ms: Option<u64>,
    attempts: u32,
    refreshed_after_401: bool,
    wait_until: Option<u64>,
    outstanding: Option<(Purpose, String)>,
    prepared: Option<HttpRequest>,
    result: Option<Result<A::Output>>,
    last_error: Option<Error>,
    finished: bool,
    lane: Lane,
    /// The fleet store's answer to the reservation asked for.
    #[cfg(feature = "fleet")]
    grant: Option<RateGrant>,
    /// A store step was asked for and not yet answered.
    awaiting_store: bool,
    /// That step is the credentials' (the fleet's token protocol).
    #[cfg(feature = "fleet")]
    store_for_credentials: bool,
    /// When the outstanding API request's slot was first asked for: the
    /// budget counts it from then, the server from when it arrives.
    reserved_at_ms: Option<u64>,
}

impl<A: ApiCall> Call<A> {
    pub(crate) fn new(engine: Arc<Engine>, api: A, id: u64) -> Self {
        Call {
            engine,
            api,
            id,
            deadline_ms: None,
            attempts: 0,
            refreshed_after_401: false,
            wait_until: None,
            outstanding: None,
            prepared: None,
            result: None,
            last_error: None,
            finished: false,
            lane: Lane::Interactive,
            #[cfg(feature = "fleet")]
            grant: None,
            awaiting_store: false,
            #[cfg(feature = "fleet")]
            store_for_credentials: false,
            reserved_at_ms: None,
        }
    }

    /// Puts the call in `lane` (default: interactive). Background calls
    /// (sync, export, triggers) are paced and yield to interactive ones when
    /// the budget is short.
    pub fn set_lane(&mut self, lane: Lane) {
        self.lane = lane;
    }

    /// The operation.
    pub fn op(&self) -> &A {
        &self.api
    }

    /// How many API requests were sent so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// Overrides the deadline (absolute Unix ms); the default is the
    /// engine's `call_timeout_ms` from the first poll.
    pub fn set_deadline(&mut self, deadline_ms: u64) {
        self.deadline_ms = Some(deadline_ms);
    }

    fn finish(&mut self, r: Result<A::Output>) -> Step<A::Output> {
        self.finished = true;
        Step::Done(r)
    }

    /// The next thing to do at `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Step<A::Output> {
        if self.finished {
            return Step::Done(Err(Error::invalid_argument("this call is already done")));
        }
        if let Some(r) = self.result.take() {
            return self.finish(r);
        }
        if self.outstanding.is_some() || self.awaiting_store {
            return self.finish(Err(Error::invalid_argument(
                "poll called before the outstanding request was answered",
            )));
        }
        let spec = self.api.spec();
        let deadline = *self
            .deadline_ms
            .get_or_insert(now_ms + self.engine.cfg.call_timeout_ms);
        if self.prepared.is_none() {
            // Built before any credential work, so bad input is refused first;
            // kept until it is sent (a retry builds afresh).
            match self.api.build(&self.engine.cfg.config) {
                Ok(r) => self.prepared = Some(r),
                Err(e) => return self.finish(Err(e)),
            }
        }
        if now_ms >= deadline {
            let mut msg = format!(
                "{}: the call's deadline passed after {} attempt(s)",
                spec.name, self.attempts
            );
            if let Some(e) = &self.last_error {
                msg.push_str(&format!("; last error: {e}"));
            }
            return self.finish(Err(Error::new(ErrorCode::Timeout, msg)));
        }
        if let Some(until) = self.wait_until {
            if now_ms < until {
                return Step::Wait(until.min(deadline) - now_ms);
            }
            self.wait_until = None;
        }
        let token = if spec.bearer {
            match self.engine.credential_action(now_ms, self.id, &spec) {
                CredAction::Ready(t) => Some(t),
                CredAction::Wait(ms) => return Step::Wait(ms.min(deadline - now_ms).max(1)),
                CredAction::Fail(e) => return self.finish(Err(e)),
                #[cfg(feature = "fleet")]
                CredAction::Store(step) => {
                    self.awaiting_store = true;
                    self.store_for_credentials = true;
                    return Step::Store(step);
                }
                #[cfg(feature = "fleet")]
                CredAction::Coordinate(_) => {
                    return self.finish(Err(Error::invalid_argument(
                        "a credential request was not coordinated",
                    )));
                }
                CredAction::Send(out) => {
                    if let Purpose::Credential(_) = out.purpose {
                        self.outstanding = Some((out.purpose, String::new()));
                    }
                    return Step::Send(Outgoing {
                        timeout_ms: out.timeout_ms.min(deadline - now_ms),
                        ..out
                    });
                }
            }
        } else {
            None
        };
        self.reserved_at_ms.get_or_insert(now_ms);
        #[cfg(feature = "fleet")]
        let held = self.grant.take();
        #[cfg(not(feature = "fleet"))]
        let held: Option<RateGrant> = None;
        let grant = match held {
            Some(g) => g,
            None => match self.engine.reserve(now_ms, self.lane) {
                Reservation::Now(g) => g,
                #[cfg(feature = "fleet")]
                Reservation::Ask(step) => {
                    self.awaiting_store = true;
                    return Step::Store(step);
                }
            },
        };
        match grant {
            RateGrant::Go => {}
            RateGrant::Wait(ms) => {
                self.reserved_at_ms = None;
                return Step::Wait(ms.min(deadline - now_ms).max(1));
            }
            RateGrant::DailySpent { retry_after_ms } => {
                return self.finish(Err(Error::daily_spent(spec.name, retry_after_ms)));
            }
        }
        let Some(mut request) = self.prepared.take() else {
            return self.finish(Err(Error::invalid_argument("no request was prepared")));
        };
        let used = match &token {
            Some(t) => {
                request.set_bearer(t);
                t.expose().to_string()
            }
            None => String::new(),
        };
        self.attempts += 1;
        self.engine
            .counters
            .requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if self.attempts > 1 {
            self.engine
                .counters
                .retries
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        self.outstanding = Some((Purpose::Api, used));
        Step::Send(Outgoing {
            request,
            purpose: Purpose::Api,
            timeout_ms: deadline - now_ms,
        })
    }

    /// Hands back what became of the last [`Step::Store`].
    #[cfg(feature = "fleet")]
    pub fn on_store(&mut self, now_ms: u64, answer: Result<StoreAnswer>) {
        if !std::mem::take(&mut self.awaiting_store) {
            return;
        }
        if std::mem::take(&mut self.store_for_credentials) {
            if let Some(e) = self.engine.fleet_answered(self.id, now_ms, answer) {
                self.result = Some(Err(e.context(self.api.spec().name)));
            }
            return;
        }
        let grant = match answer {
            Ok(StoreAnswer::Rate(g)) => Ok(g),
            Ok(_) => Err(Error::new(
                ErrorCode::State,
                "the fleet store answered a rate reservation with something else",
            )),
            Err(e) => self.engine.reserve_without_fleet(now_ms, self.lane, e),
        };
        match grant {
            Ok(g) => self.grant = Some(g),
            Err(e) => self.result = Some(Err(e.context(self.api.spec().name))),
        }
    }

    /// Hands back what became of the last `Send`.
    pub fn on_response(
        &mut self,
        now_ms: u64,
        result: std::result::Result<HttpResponse, TransportError>,
    ) {
        let Some((purpose, used_token)) = self.outstanding.take() else {
            return;
        };
        if let Purpose::Credential(ticket) = purpose {
            self.engine.complete_credential(ticket, now_ms, result);
            return;
        }
        let spec = self.api.spec();
        let retries_left = self.attempts < self.engine.cfg.retry.max_attempts;
        let resp = match result {
            Err(te) => {
                let err = te.to_error().context(spec.name);
                // A request that may have been processed is sent again only if
                // sending it twice does no harm.
                if retries_left && (!te.may_have_reached_server() || spec.idempotent) {
                    self.wait_until = Some(now_ms + self.engine.backoff_ms(self.attempts));
                    self.last_error = Some(err);
                } else {
                    self.result = Some(Err(err));
                }
                return;
            }
            Ok(r) => r,
        };
        let reserved_at = self.reserved_at_ms.take().unwrap_or(now_ms);
        self.engine
            .learn(now_ms, &resp, now_ms.saturating_sub(reserved_at));
        match resp.status {
            429 => {
                self.engine
                    .counters
                    .rate_limited
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let err = Error::from_response(&resp, spec.scope, spec.sensitive);
                if err.daily() {
                    // The day does not come back within a call's deadline:
                    // say when the next probe may go.
                    let probe = self.engine.daily_probe_ms();
                    self.result = Some(Err(err.with_retry_after(probe)));
                } else if retries_left {
                    self.wait_until = Some(now_ms + err.retry_after_ms().unwrap_or(1000));
                    self.last_error = Some(err);
                } else {
                    self.result = Some(Err(err));
                }
            }
            401 if !self.refreshed_after_401 && spec.bearer => {
                let err = Error::from_response(&resp, spec.scope, spec.sensitive);
                // Refreshing cannot fix a missing scope or a wrong token class.
                if err.code() == ErrorCode::Unauthorized && self.engine.invalidate(&used_token) {
                    self.refreshed_after_401 = true;
                    self.last_error = Some(err);
                } else {
                    self.result = Some(Err(err));
                }
            }
            500..=599 if spec.idempotent && retries_left => {
                self.last_error = Some(Error::from_response(&resp, spec.scope, spec.sensitive));
                self.wait_until = Some(now_ms + self.engine.backoff_ms(self.attempts));
            }
            _ => self.result = Some(self.api.parse(&resp)),
        }
    }
}
