//! One call through the engine: poll it with the current time, do what it
//! says (send a request, or wait), hand back what happened, until it is done.

use super::Engine;
use super::api_call::ApiCall;
use super::budget::Room;
use super::credentials::CredAction;
use super::wire::{Outgoing, Purpose, Step, TransportError};
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
        }
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
        if self.outstanding.is_some() {
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
        match self.engine.reserve(now_ms) {
            Room::Go => {}
            Room::Wait(ms) => return Step::Wait(ms.min(deadline - now_ms).max(1)),
            Room::DailySpent => {
                return self.finish(Err(Error::new(
                    ErrorCode::RateLimited,
                    "the daily rate budget of this location is spent",
                )));
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
        self.engine.learn(now_ms, &resp);
        match resp.status {
            429 => {
                self.engine
                    .counters
                    .rate_limited
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let err = Error::from_response(&resp, spec.scope, spec.sensitive);
                if retries_left {
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
