//! One call through the engine: poll it with the current time, do what it
//! says (send a request, or wait), hand back what happened, until it is done.

use super::api_call::ApiCall;
use super::credentials::CredAction;
#[cfg(feature = "fleet")]
use super::wire::StoreAnswer;
use super::wire::{Outgoing, Purpose, Step, TransportError};
use super::{Engine, Reservation};
use crate::observe::{EventKind, Level, RateHeaders, RetryReason};
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
    /// The first poll (for the call's total duration).
    started_ms: Option<u64>,
    /// When the outstanding request was handed to the transport.
    sent_ms: u64,
    /// The last response's status.
    last_status: Option<u16>,
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
            started_ms: None,
            sent_ms: 0,
            last_status: None,
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

    fn finish(&mut self, now_ms: u64, r: Result<A::Output>) -> Step<A::Output> {
        self.finished = true;
        if self.engine.observing(Level::Error) {
            finished_event(
                &self.engine,
                now_ms,
                self.id,
                self.api.spec().name,
                self.started_ms.unwrap_or(now_ms),
                self.attempts,
                self.last_status,
                r.as_ref().err(),
            );
        }
        Step::Done(r)
    }

    /// Schedules the next attempt `delay_ms` from `now_ms`, and says so.
    fn retry_after(&mut self, now_ms: u64, delay_ms: u64, reason: RetryReason) {
        self.wait_until = Some(now_ms + delay_ms);
        self.engine.emit(
            now_ms,
            self.id,
            self.api.spec().name,
            EventKind::Retry {
                reason,
                delay_ms,
                attempt: self.attempts,
            },
        );
    }

    /// The next thing to do at `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> Step<A::Output> {
        if self.finished {
            return Step::Done(Err(Error::invalid_argument("this call is already done")));
        }
        if let Some(r) = self.result.take() {
            return self.finish(now_ms, r);
        }
        if self.outstanding.is_some() || self.awaiting_store {
            return self.finish(
                now_ms,
                Err(Error::invalid_argument(
                    "poll called before the outstanding request was answered",
                )),
            );
        }
        let spec = self.api.spec();
        self.started_ms.get_or_insert(now_ms);
        let deadline = *self
            .deadline_ms
            .get_or_insert(now_ms + self.engine.cfg.call_timeout_ms);
        if self.prepared.is_none() {
            // Built before any credential work, so bad input is refused first;
            // kept until it is sent (a retry builds afresh).
            match self.api.build(&self.engine.cfg.config) {
                Ok(r) => self.prepared = Some(r),
                Err(e) => return self.finish(now_ms, Err(e)),
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
            return self.finish(now_ms, Err(Error::new(ErrorCode::Timeout, msg)));
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
                CredAction::Fail(e) => return self.finish(now_ms, Err(e)),
                #[cfg(feature = "fleet")]
                CredAction::Store(step) => {
                    self.awaiting_store = true;
                    self.store_for_credentials = true;
                    return Step::Store(step);
                }
                #[cfg(feature = "fleet")]
                CredAction::Coordinate(_) => {
                    return self.finish(
                        now_ms,
                        Err(Error::invalid_argument(
                            "a credential request was not coordinated",
                        )),
                    );
                }
                CredAction::Send(out) => {
                    if let Purpose::Credential(ticket) = out.purpose {
                        self.outstanding = Some((out.purpose, String::new()));
                        if let Some(work) = self.engine.credential_in_flight(ticket) {
                            let op = super::credential_op(work);
                            self.engine.emit(
                                now_ms,
                                self.id,
                                op,
                                EventKind::RefreshStarted { work },
                            );
                        }
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
                let wait = ms.min(deadline - now_ms).max(1);
                rate_wait(&self.engine, now_ms, self.id, spec.name, wait, self.lane);
                return Step::Wait(wait);
            }
            RateGrant::DailySpent { retry_after_ms } => {
                return self.finish(now_ms, Err(Error::daily_spent(spec.name, retry_after_ms)));
            }
        }
        let Some(mut request) = self.prepared.take() else {
            return self.finish(
                now_ms,
                Err(Error::invalid_argument("no request was prepared")),
            );
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
        self.sent_ms = now_ms;
        if self.engine.observing(Level::Debug) {
            request_event(
                &self.engine,
                now_ms,
                self.id,
                &spec,
                self.attempts,
                &request,
            );
        }
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
                self.engine.emit(
                    now_ms,
                    self.id,
                    spec.name,
                    EventKind::TransportError {
                        duration_ms: now_ms.saturating_sub(self.sent_ms),
                        may_have_arrived: te.may_have_reached_server(),
                    },
                );
                // A request that may have been processed is sent again only if
                // sending it twice does no harm.
                if retries_left && (!te.may_have_reached_server() || spec.idempotent) {
                    let delay = self.engine.backoff_ms(self.attempts);
                    self.retry_after(now_ms, delay, RetryReason::Transport);
                    self.last_error = Some(err);
                } else {
                    self.result = Some(Err(err));
                }
                return;
            }
            Ok(r) => r,
        };
        self.last_status = Some(resp.status);
        response_event(
            &self.engine,
            now_ms,
            self.id,
            spec.name,
            self.sent_ms,
            &resp,
        );
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
                    let delay = err.retry_after_ms().unwrap_or(1000);
                    self.retry_after(now_ms, delay, RetryReason::RateLimited);
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
                    self.retry_after(now_ms, 0, RetryReason::Unauthorized);
                    self.last_error = Some(err);
                } else {
                    self.result = Some(Err(err));
                }
            }
            500..=599 if spec.idempotent && retries_left => {
                self.last_error = Some(Error::from_response(&resp, spec.scope, spec.sensitive));
                let delay = self.engine.backoff_ms(self.attempts);
                self.retry_after(now_ms, delay, RetryReason::Server);
            }
            _ => self.result = Some(self.api.parse(&resp)),
        }
    }
}

// The events of a call, out of line and not generic: `Call` is
// monomorphized per operation, and the npm package's main module is
// size-budgeted.

#[inline(never)]
fn request_event(
    engine: &Engine,
    now_ms: u64,
    id: u64,
    spec: &crate::OpSpec,
    attempt: u32,
    request: &HttpRequest,
) {
    let url = engine
        .observing_contact_data()
        .then(|| path_and_query(&request.url));
    engine.emit(
        now_ms,
        id,
        spec.name,
        EventKind::Request {
            method: spec.method.as_str(),
            path: spec.path,
            attempt,
            url,
        },
    );
}

/// `https://host/a/b?q` → `/a/b?q`.
fn path_and_query(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    url[after_scheme..]
        .find('/')
        .map_or("/", |i| &url[after_scheme + i..])
}

#[inline(never)]
fn response_event(
    engine: &Engine,
    now_ms: u64,
    id: u64,
    op: &str,
    sent_ms: u64,
    resp: &HttpResponse,
) {
    let kind_level = if resp.status == 429 || resp.status >= 500 {
        Level::Warn
    } else {
        Level::Debug
    };
    if !engine.observing(kind_level) {
        return;
    }
    engine.emit(
        now_ms,
        id,
        op,
        EventKind::Response {
            status: resp.status,
            duration_ms: now_ms.saturating_sub(sent_ms),
            trace_id: crate::error::response_trace_id(resp),
            rate: RateHeaders::of(resp),
        },
    );
}

#[inline(never)]
fn rate_wait(engine: &Engine, now_ms: u64, id: u64, op: &str, wait_ms: u64, lane: Lane) {
    use std::sync::atomic::Ordering::Relaxed;
    engine.counters.waits.fetch_add(1, Relaxed);
    engine.counters.wait_ms.fetch_add(wait_ms, Relaxed);
    engine.emit(
        now_ms,
        id,
        op,
        EventKind::RateWait {
            wait_ms,
            limit: match lane {
                Lane::Interactive => "burst",
                Lane::Background => "background",
            },
            lane,
        },
    );
}

#[allow(clippy::too_many_arguments)]
#[inline(never)]
fn finished_event(
    engine: &Engine,
    now_ms: u64,
    id: u64,
    op: &str,
    started_ms: u64,
    attempts: u32,
    status: Option<u16>,
    error: Option<&Error>,
) {
    let contact_data = engine.observing_contact_data();
    engine.emit(
        now_ms,
        id,
        op,
        EventKind::Finished {
            code: error.map(Error::code),
            status: error.and_then(Error::http_status).or(status),
            duration_ms: now_ms.saturating_sub(started_ms),
            attempts,
            trace_id: error.and_then(|e| e.trace_id().map(str::to_string)),
            message: error
                .filter(|_| contact_data)
                .map(|e| e.message().to_string()),
        },
    );
}
