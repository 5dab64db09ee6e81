//! One event of the stream and its JSON form: the text every surface gives
//! its host (the C callback, the JS listener, the CLI's `--log-json`, the
//! Python log record), with field names that do not change.
//!
//! An event never holds a header value, a body, a token or a signature. It
//! holds contact data (a request's path with its ids and query, an error's
//! message) only when the host turned that on ([`super::ObserverOptions`]).

use crate::ErrorCode;
use crate::HttpResponse;
use crate::state::Lane;
use std::fmt::Write;

/// How much an event matters. Ordered: `Error` is the most severe.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A call failed, a refresh failed, rotated tokens were not stored.
    Error = 1,
    /// Something will be tried again: a 429, a 5xx, a refused webhook.
    Warn = 2,
    /// What a support person reads: calls finished, waits, refreshes.
    Info = 3,
    /// Every request and response.
    Debug = 4,
}

impl Level {
    /// Every level, most severe first.
    pub const ALL: [Level; 4] = [Level::Error, Level::Warn, Level::Info, Level::Debug];

    /// The name in events and settings: `error`, `warn`, `info`, `debug`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warn => "warn",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    /// The level named `name` (as printed by [`Level::as_str`]).
    pub fn from_name(name: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == name)
    }

    /// The level numbered `n` (1 = error … 4 = debug: the C ABI's
    /// `CONTACTS_LEVEL_*`).
    pub fn from_number(n: u32) -> Option<Level> {
        Level::ALL.into_iter().find(|l| *l as u32 == n)
    }
}

/// Why a call will be sent again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// A 429 in the burst window.
    RateLimited,
    /// A 5xx on an operation that is safe to send twice.
    Server,
    /// The request may not have arrived (a connection failure, a timeout).
    Transport,
    /// A 401: the token is refreshed and the call sent again.
    Unauthorized,
}

impl RetryReason {
    /// The name in events: `rate_limited`, `server`, `transport`, `unauthorized`.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryReason::RateLimited => "rate_limited",
            RetryReason::Server => "server",
            RetryReason::Transport => "transport",
            RetryReason::Unauthorized => "unauthorized",
        }
    }
}

/// Which credential request: renewing the held token, or minting a
/// location token from the agency's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialWork {
    /// Refreshing a location's OAuth token.
    RefreshLocation,
    /// Refreshing the agency's OAuth token.
    RefreshAgency,
    /// Minting a location token from the agency token.
    MintLocation,
}

impl CredentialWork {
    /// The name in events: `refresh_location`, `refresh_agency`, `mint_location`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialWork::RefreshLocation => "refresh_location",
            CredentialWork::RefreshAgency => "refresh_agency",
            CredentialWork::MintLocation => "mint_location",
        }
    }
}

/// The five `X-RateLimit-*` headers of a response, where present.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RateHeaders {
    /// `X-RateLimit-Max`: requests per burst window.
    pub max: Option<u64>,
    /// `X-RateLimit-Remaining`: left in the burst window.
    pub remaining: Option<u64>,
    /// `X-RateLimit-Interval-Milliseconds`: the burst window.
    pub interval_ms: Option<u64>,
    /// `X-RateLimit-Limit-Daily`: requests per day.
    pub daily_limit: Option<u64>,
    /// `X-RateLimit-Daily-Remaining`: left today.
    pub daily_remaining: Option<u64>,
}

impl RateHeaders {
    /// Reads them off `resp`; an unparsable value is absent.
    pub fn of(resp: &HttpResponse) -> RateHeaders {
        let num = |h: &str| resp.header(h).and_then(|v| v.trim().parse::<u64>().ok());
        RateHeaders {
            max: num("x-ratelimit-max"),
            remaining: num("x-ratelimit-remaining"),
            interval_ms: num("x-ratelimit-interval-milliseconds"),
            daily_limit: num("x-ratelimit-limit-daily"),
            daily_remaining: num("x-ratelimit-daily-remaining"),
        }
    }

    fn is_empty(&self) -> bool {
        *self == RateHeaders::default()
    }
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind<'a> {
    /// An API request went to the transport (`request`).
    Request {
        /// `GET`, `POST`, …
        method: &'static str,
        /// The operation's path template, e.g. `/contacts/{contactId}`.
        path: &'static str,
        /// 1 for the first attempt.
        attempt: u32,
        /// The path with its ids and query: contact data, present only when
        /// the host turned it on.
        url: Option<&'a str>,
    },
    /// Its answer came back (`response`).
    Response {
        /// The HTTP status.
        status: u16,
        /// From the send to the answer.
        duration_ms: u64,
        /// HighLevel's `traceId`, from the body or a header.
        trace_id: Option<String>,
        /// The rate-limit headers.
        rate: RateHeaders,
    },
    /// The transport failed: no status (`transport_error`).
    TransportError {
        /// From the send to the failure.
        duration_ms: u64,
        /// Whether the request may have reached the server.
        may_have_arrived: bool,
    },
    /// The call will be sent again (`retry`).
    Retry {
        /// Why.
        reason: RetryReason,
        /// How long it waits first.
        delay_ms: u64,
        /// The attempt that failed.
        attempt: u32,
    },
    /// The call waits for room in the rate budget (`rate_wait`).
    RateWait {
        /// How long.
        wait_ms: u64,
        /// Which limit: `burst` (the window) or `background` (pacing a
        /// background lane).
        limit: &'static str,
        /// The call's lane.
        lane: Lane,
    },
    /// A refresh or mint was sent (`refresh_started`).
    RefreshStarted {
        /// Which.
        work: CredentialWork,
    },
    /// It returned new tokens (`refresh_succeeded`).
    RefreshSucceeded {
        /// Which.
        work: CredentialWork,
    },
    /// It failed (`refresh_failed`).
    RefreshFailed {
        /// Which.
        work: CredentialWork,
        /// Why, as a code.
        code: ErrorCode,
    },
    /// The host's token store accepted rotated tokens (`tokens_stored`).
    TokensStored,
    /// The host's token store refused them (`tokens_store_failed`); they are
    /// kept in memory and offered again.
    TokensStoreFailed,
    /// A webhook was accepted (`webhook_accepted`).
    WebhookAccepted {
        /// Its `type`, e.g. `ContactCreate`.
        event_type: Option<String>,
    },
    /// A webhook was refused (`webhook_refused`).
    WebhookRefused {
        /// Why, as a code (WEBHOOK_SIGNATURE, WEBHOOK_REPLAY, DECODE, …).
        code: ErrorCode,
    },
    /// The call is over (`finished`).
    Finished {
        /// `None`: it succeeded.
        code: Option<ErrorCode>,
        /// The last HTTP status, if a response came.
        status: Option<u16>,
        /// From the first poll to the end.
        duration_ms: u64,
        /// API requests sent.
        attempts: u32,
        /// HighLevel's `traceId` of a failure.
        trace_id: Option<String>,
        /// The error's message: contact data, present only when the host
        /// turned it on.
        message: Option<String>,
    },
}

/// Every kind's name, in the order of [`EventKind`]: what events, the
/// catalog's `events.kinds` and the package's `ContactsEvent` type spell.
pub const EVENT_KINDS: [&str; 13] = [
    "request",
    "response",
    "transport_error",
    "retry",
    "rate_wait",
    "refresh_started",
    "refresh_succeeded",
    "refresh_failed",
    "tokens_stored",
    "tokens_store_failed",
    "webhook_accepted",
    "webhook_refused",
    "finished",
];

impl EventKind<'_> {
    /// The name in events (one of [`EVENT_KINDS`]).
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::Request { .. } => "request",
            EventKind::Response { .. } => "response",
            EventKind::TransportError { .. } => "transport_error",
            EventKind::Retry { .. } => "retry",
            EventKind::RateWait { .. } => "rate_wait",
            EventKind::RefreshStarted { .. } => "refresh_started",
            EventKind::RefreshSucceeded { .. } => "refresh_succeeded",
            EventKind::RefreshFailed { .. } => "refresh_failed",
            EventKind::TokensStored => "tokens_stored",
            EventKind::TokensStoreFailed => "tokens_store_failed",
            EventKind::WebhookAccepted { .. } => "webhook_accepted",
            EventKind::WebhookRefused { .. } => "webhook_refused",
            EventKind::Finished { .. } => "finished",
        }
    }

    /// How much it matters.
    pub fn level(&self) -> Level {
        match self {
            EventKind::Request { .. } => Level::Debug,
            EventKind::Response { status, .. } if *status == 429 || *status >= 500 => Level::Warn,
            EventKind::Response { .. } => Level::Debug,
            EventKind::TransportError { .. } | EventKind::Retry { .. } => Level::Warn,
            EventKind::WebhookRefused { .. } => Level::Warn,
            EventKind::RefreshFailed { .. } | EventKind::TokensStoreFailed => Level::Error,
            EventKind::Finished { code: Some(_), .. } => Level::Error,
            _ => Level::Info,
        }
    }
}

/// One event: when, which call of which operation for which location, and
/// what. Borrowed: an observer that keeps it copies what it needs (or keeps
/// [`Event::to_json`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event<'a> {
    /// Unix ms, from the transport's clock.
    pub at_ms: u64,
    /// The engine's number for the call (0 for work that is no call's, such
    /// as a webhook).
    pub call_id: u64,
    /// The catalog name, e.g. `contacts.get`; `oauth.refresh` for a refresh.
    pub op: &'a str,
    /// The location (or company) of the credentials, if they name one.
    pub location: Option<&'a str>,
    /// What happened.
    pub kind: EventKind<'a>,
}

impl Event<'_> {
    /// How much it matters.
    pub fn level(&self) -> Level {
        self.kind.level()
    }

    /// The event as one JSON object, its fields in a fixed order:
    /// `at`, `level`, `kind`, `callId`, `op`, `location`, then the kind's.
    pub fn to_json(&self) -> String {
        let mut w = JsonWriter::default();
        w.num("at", self.at_ms);
        w.str("level", self.level().as_str());
        w.str("kind", self.kind.name());
        w.num("callId", self.call_id);
        w.str("op", self.op);
        w.opt_str("location", self.location);
        match &self.kind {
            EventKind::Request {
                method,
                path,
                attempt,
                url,
            } => {
                w.str("method", method);
                w.str("path", path);
                w.num("attempt", u64::from(*attempt));
                w.opt_str("url", *url);
            }
            EventKind::Response {
                status,
                duration_ms,
                trace_id,
                rate,
            } => {
                w.num("status", u64::from(*status));
                w.num("durationMs", *duration_ms);
                w.opt_str("traceId", trace_id.as_deref());
                if !rate.is_empty() {
                    w.key("rateLimit");
                    let mut r = JsonWriter::default();
                    r.opt_num("max", rate.max);
                    r.opt_num("remaining", rate.remaining);
                    r.opt_num("intervalMs", rate.interval_ms);
                    r.opt_num("dailyLimit", rate.daily_limit);
                    r.opt_num("dailyRemaining", rate.daily_remaining);
                    w.raw(&r.finish());
                }
            }
            EventKind::TransportError {
                duration_ms,
                may_have_arrived,
            } => {
                w.num("durationMs", *duration_ms);
                w.bool("mayHaveArrived", *may_have_arrived);
            }
            EventKind::Retry {
                reason,
                delay_ms,
                attempt,
            } => {
                w.str("reason", reason.as_str());
                w.num("delayMs", *delay_ms);
                w.num("attempt", u64::from(*attempt));
            }
            EventKind::RateWait {
                wait_ms,
                limit,
                lane,
            } => {
                w.num("waitMs", *wait_ms);
                w.str("limit", limit);
                w.str(
                    "lane",
                    match lane {
                        Lane::Interactive => "interactive",
                        Lane::Background => "background",
                    },
                );
            }
            EventKind::RefreshStarted { work } | EventKind::RefreshSucceeded { work } => {
                w.str("work", work.as_str());
            }
            EventKind::RefreshFailed { work, code } => {
                w.str("work", work.as_str());
                w.str("code", code.as_str());
            }
            EventKind::TokensStored | EventKind::TokensStoreFailed => {}
            EventKind::WebhookAccepted { event_type } => {
                w.opt_str("eventType", event_type.as_deref());
            }
            EventKind::WebhookRefused { code } => w.str("code", code.as_str()),
            EventKind::Finished {
                code,
                status,
                duration_ms,
                attempts,
                trace_id,
                message,
            } => {
                w.str("code", code.map_or("OK", ErrorCode::as_str));
                w.opt_num("status", status.map(u64::from));
                w.num("durationMs", *duration_ms);
                w.num("attempts", u64::from(*attempts));
                w.opt_str("traceId", trace_id.as_deref());
                w.opt_str("message", message.as_deref());
            }
        }
        w.finish()
    }
}

/// A flat JSON object written field by field: smaller code than building a
/// `serde_json::Value` per event (the npm package's main module is
/// size-budgeted), and keys stay in the order written.
#[derive(Default)]
struct JsonWriter {
    out: String,
}

impl JsonWriter {
    fn key(&mut self, k: &str) {
        self.out.push(if self.out.is_empty() { '{' } else { ',' });
        self.out.push('"');
        self.out.push_str(k);
        self.out.push_str("\":");
    }

    fn raw(&mut self, v: &str) {
        self.out.push_str(v);
    }

    fn num(&mut self, k: &str, v: u64) {
        self.key(k);
        let _ = write!(self.out, "{v}");
    }

    fn opt_num(&mut self, k: &str, v: Option<u64>) {
        if let Some(v) = v {
            self.num(k, v);
        }
    }

    fn bool(&mut self, k: &str, v: bool) {
        self.key(k);
        self.out.push_str(if v { "true" } else { "false" });
    }

    fn str(&mut self, k: &str, v: &str) {
        self.key(k);
        // serde_json's escaping, already linked everywhere.
        self.out.push_str(&serde_json::Value::from(v).to_string());
    }

    fn opt_str(&mut self, k: &str, v: Option<&str>) {
        if let Some(v) = v {
            self.str(k, v);
        }
    }

    fn finish(mut self) -> String {
        if self.out.is_empty() {
            self.out.push('{');
        }
        self.out.push('}');
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_fixed_fields_and_escapes() {
        let e = Event {
            at_ms: 5,
            call_id: 2,
            op: "contacts.get",
            location: Some("lo\"c"),
            kind: EventKind::Retry {
                reason: RetryReason::Server,
                delay_ms: 100,
                attempt: 1,
            },
        };
        let v: serde_json::Value = serde_json::from_str(&e.to_json()).unwrap();
        assert_eq!(v["kind"], "retry");
        assert_eq!(v["level"], "warn");
        assert_eq!(v["location"], "lo\"c");
        assert_eq!(v["reason"], "server");
        assert!(
            e.to_json()
                .starts_with("{\"at\":5,\"level\":\"warn\",\"kind\":\"retry\"")
        );
    }

    #[test]
    fn every_kind_is_named_once_in_the_list() {
        let work = CredentialWork::RefreshLocation;
        let samples = [
            EventKind::Request {
                method: "GET",
                path: "/",
                attempt: 1,
                url: None,
            },
            EventKind::Response {
                status: 200,
                duration_ms: 0,
                trace_id: None,
                rate: RateHeaders::default(),
            },
            EventKind::TransportError {
                duration_ms: 0,
                may_have_arrived: false,
            },
            EventKind::Retry {
                reason: RetryReason::Server,
                delay_ms: 0,
                attempt: 1,
            },
            EventKind::RateWait {
                wait_ms: 1,
                limit: "burst",
                lane: Lane::Interactive,
            },
            EventKind::RefreshStarted { work },
            EventKind::RefreshSucceeded { work },
            EventKind::RefreshFailed {
                work,
                code: ErrorCode::Unauthorized,
            },
            EventKind::TokensStored,
            EventKind::TokensStoreFailed,
            EventKind::WebhookAccepted { event_type: None },
            EventKind::WebhookRefused {
                code: ErrorCode::WebhookReplay,
            },
            EventKind::Finished {
                code: None,
                status: None,
                duration_ms: 0,
                attempts: 0,
                trace_id: None,
                message: None,
            },
        ];
        let names: Vec<&str> = samples.iter().map(EventKind::name).collect();
        assert_eq!(names, EVENT_KINDS);
    }

    #[test]
    fn levels_round_trip() {
        for l in Level::ALL {
            assert_eq!(Level::from_name(l.as_str()), Some(l));
            assert_eq!(Level::from_number(l as u32), Some(l));
        }
        assert_eq!(Level::from_number(0), None);
        assert!(Level::Error < Level::Debug);
    }
}
