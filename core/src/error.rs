//! One error type for everything the core can refuse or fail to understand.
//!
//! Every error has a stable [`ErrorCode`]. The shells map codes to their own
//! spelling (C enum values, JS `code` strings) with exhaustive matches, so a
//! new code fails to compile there until it is handled.

use crate::http::HttpResponse;
use serde_json::Value;
use std::fmt;

/// The stable class of an [`Error`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// The input was refused before anything was built or sent.
    InvalidArgument,
    /// 401: the token is missing, malformed, expired or revoked.
    Unauthorized,
    /// 403, or a 401 that names a scope or token class: refreshing won't help.
    Forbidden,
    /// 404: the resource does not exist (or is not visible to this token).
    NotFound,
    /// 400 or 422: the server rejected the input; every message is kept.
    Validation,
    /// 429: a rate budget is spent; `retry_after_ms` says how long to wait.
    RateLimited,
    /// 5xx.
    Server,
    /// Any other status the operation does not expect.
    UnexpectedStatus,
    /// A success status with a body that is not what the operation returns.
    Decode,
    /// A webhook whose signature is missing, malformed or does not verify.
    WebhookSignature,
    /// A webhook that verified but is stale or was already delivered.
    WebhookReplay,
    /// The request could not be sent, or its answer was lost (engine).
    Transport,
    /// The call's deadline passed (engine).
    Timeout,
    /// The call was cancelled by its caller (shells).
    Cancelled,
    /// The host's token store refused a rotated token (engine): the new
    /// tokens are kept in memory and offered to the store again.
    TokenStore,
    /// The state store could not be read or written (a corrupt file, a
    /// host store that failed, a stored value that is not JSON), or it
    /// belongs to another location. Work that needs it stops (fails closed).
    State,
    /// The fleet's shared store (Redis) cannot be reached, and the fleet's
    /// policy is to fail closed rather than spend a budget it cannot share.
    FleetUnavailable,
    /// The token set cannot be renewed by anyone: its refresh token was
    /// spent by a refresh whose answer was lost (a process died between the
    /// response and storing it), and no agency token can mint it again.
    /// The app must be authorized again for the location the message names;
    /// nothing more is sent with the spent token.
    ReauthRequired,
    /// A sync's host adapter failed (a callback that returned an error, a
    /// promise that rejected), or answered what it may not (a page of
    /// changes that is not `{records, ...}`): the pass stopped, and its
    /// state is where the last committed record left it.
    Host,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 19] = [
        ErrorCode::InvalidArgument,
        ErrorCode::Unauthorized,
        ErrorCode::Forbidden,
        ErrorCode::NotFound,
        ErrorCode::Validation,
        ErrorCode::RateLimited,
        ErrorCode::Server,
        ErrorCode::UnexpectedStatus,
        ErrorCode::Decode,
        ErrorCode::WebhookSignature,
        ErrorCode::WebhookReplay,
        ErrorCode::Transport,
        ErrorCode::Timeout,
        ErrorCode::Cancelled,
        ErrorCode::TokenStore,
        ErrorCode::State,
        ErrorCode::FleetUnavailable,
        ErrorCode::ReauthRequired,
        ErrorCode::Host,
    ];

    /// The codes only the engine and the shells produce (never `build` or
    /// `parse`); the engine's own tests cover them, not the shared vectors.
    pub const ENGINE_ONLY: [ErrorCode; 8] = [
        ErrorCode::Transport,
        ErrorCode::Timeout,
        ErrorCode::Cancelled,
        ErrorCode::TokenStore,
        ErrorCode::State,
        ErrorCode::FleetUnavailable,
        ErrorCode::ReauthRequired,
        ErrorCode::Host,
    ];

    /// The language-neutral name used by the vectors, the JS package and the
    /// C header (`CONTACTS_CODE_<NAME>`).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidArgument => "INVALID_ARGUMENT",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Server => "SERVER",
            ErrorCode::UnexpectedStatus => "UNEXPECTED_STATUS",
            ErrorCode::Decode => "DECODE",
            ErrorCode::WebhookSignature => "WEBHOOK_SIGNATURE",
            ErrorCode::WebhookReplay => "WEBHOOK_REPLAY",
            ErrorCode::Transport => "TRANSPORT",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Cancelled => "CANCELLED",
            ErrorCode::TokenStore => "TOKEN_STORE",
            ErrorCode::State => "STATE",
            ErrorCode::FleetUnavailable => "FLEET_UNAVAILABLE",
            ErrorCode::ReauthRequired => "REAUTH_REQUIRED",
            ErrorCode::Host => "HOST",
        }
    }

    /// The code named `name` (as printed by [`ErrorCode::as_str`]).
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ErrorCode::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An error from building a request, parsing a response or verifying a webhook.
///
/// Cheap to move (one box). `Display` is one line; `Debug` never prints the
/// raw body (it may hold tokens), only its length.
#[derive(thiserror::Error, Clone)]
#[error("{}", .0.display())]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    code: ErrorCode,
    message: String,
    http_status: Option<u16>,
    messages: Vec<String>,
    trace_id: Option<String>,
    required_scope: Option<String>,
    retry_after_ms: Option<u64>,
    daily: bool,
    raw_body: Option<Vec<u8>>,
}

impl Inner {
    fn display(&self) -> String {
        let mut s = match self.http_status {
            Some(status) => format!("{} (HTTP {status}): {}", self.code, self.message),
            None => format!("{}: {}", self.code, self.message),
        };
        if let Some(scope) = &self.required_scope {
            s.push_str(&format!(" [requires scope {scope}]"));
        }
        if let Some(t) = &self.trace_id {
            s.push_str(&format!(" [traceId {t}]"));
        }
        s
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("http_status", &self.0.http_status)
            .field("messages", &self.0.messages)
            .field("trace_id", &self.0.trace_id)
            .field("required_scope", &self.0.required_scope)
            .field("retry_after_ms", &self.0.retry_after_ms)
            .field("daily", &self.0.daily)
            .field("raw_body_len", &self.0.raw_body.as_ref().map(Vec::len))
            .finish()
    }
}

impl Error {
    fn bare(code: ErrorCode, message: String) -> Self {
        Error(Box::new(Inner {
            code,
            message,
            http_status: None,
            messages: Vec::new(),
            trace_id: None,
            required_scope: None,
            retry_after_ms: None,
            daily: false,
            raw_body: None,
        }))
    }

    /// An input refused before anything was sent.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::bare(ErrorCode::InvalidArgument, message.into())
    }

    /// A webhook rejected with `code` (one of the `Webhook*` codes).
    pub fn webhook(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::bare(code, message.into())
    }

    /// An error of the engine or a shell (`Transport`, `Timeout`,
    /// `Cancelled`, `TokenStore`, or any other code with a message).
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Error::bare(code, message.into())
    }

    /// The same error with a different message prefix (the code and every
    /// detail are kept).
    pub fn context(mut self, prefix: &str) -> Self {
        self.0.message = format!("{prefix}: {}", self.0.message);
        self
    }

    /// A success response that is not what the protocol promises (e.g. a
    /// full page without a cursor), with no body worth keeping.
    pub fn protocol(message: impl Into<String>) -> Self {
        Error::bare(ErrorCode::Decode, message.into())
    }

    /// A body that did not decode. `raw` is kept unless `sensitive`.
    pub fn decode(message: impl Into<String>, resp: &HttpResponse, sensitive: bool) -> Self {
        let mut e = Error::bare(ErrorCode::Decode, message.into());
        e.0.http_status = Some(resp.status);
        e.0.trace_id = trace_id(resp, None);
        if !sensitive {
            e.0.raw_body = Some(resp.body.clone());
        }
        e
    }

    /// Classifies an error response (any status the operation does not
    /// expect). `scope` is the scope the operation needs, reported on 403.
    pub fn from_response(resp: &HttpResponse, scope: Option<&str>, sensitive: bool) -> Self {
        let body = ErrorBody::read(&resp.body);
        let messages = body.as_ref().map(ErrorBody::messages).unwrap_or_default();
        let joined = messages.join("; ");
        let code = match resp.status {
            401 if mentions_scope(&joined) => ErrorCode::Forbidden,
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            400 | 422 => ErrorCode::Validation,
            429 => ErrorCode::RateLimited,
            500..=599 => ErrorCode::Server,
            _ => ErrorCode::UnexpectedStatus,
        };
        let message = if joined.is_empty() {
            format!("HTTP {}", resp.status)
        } else {
            joined
        };
        let mut e = Error::bare(code, message);
        e.0.http_status = Some(resp.status);
        e.0.messages = messages;
        e.0.trace_id = trace_id(resp, body.as_ref());
        if code == ErrorCode::Forbidden {
            e.0.required_scope = scope.map(str::to_string);
        }
        if code == ErrorCode::RateLimited {
            e.0.retry_after_ms = Some(retry_after_ms(resp));
            e.0.daily = resp
                .header("x-ratelimit-daily-remaining")
                .is_some_and(|d| d.trim() == "0");
        }
        if !sensitive {
            e.0.raw_body = Some(resp.body.clone());
        }
        e
    }

    /// RATE_LIMITED before anything was sent: the day's budget of this
    /// location is spent (by this process's count or the fleet's), and the
    /// next probe of whether it has reset may go in `retry_after_ms`.
    #[cold]
    #[inline(never)]
    pub fn daily_spent(op: &str, retry_after_ms: u64) -> Self {
        let mut e = Error::bare(
            ErrorCode::RateLimited,
            "the daily rate budget of this location is spent; nothing was sent until the next probe (retryAfterMs)".into(),
        )
        .context(op);
        e.0.retry_after_ms = Some(retry_after_ms);
        e.0.daily = true;
        e
    }

    /// The same error advising a wait of `ms` instead.
    pub(crate) fn with_retry_after(mut self, ms: u64) -> Self {
        self.0.retry_after_ms = Some(ms);
        self
    }

    /// The stable class.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }
    /// One human-readable line (without the code).
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The HTTP status, when the error came from a response.
    pub fn http_status(&self) -> Option<u16> {
        self.0.http_status
    }
    /// Every message the server sent (422 bodies carry several).
    pub fn messages(&self) -> &[String] {
        &self.0.messages
    }
    /// The response's `traceId`, when it had one: quote it to HighLevel support.
    pub fn trace_id(&self) -> Option<&str> {
        self.0.trace_id.as_deref()
    }
    /// The scope the operation needs, on [`ErrorCode::Forbidden`].
    pub fn required_scope(&self) -> Option<&str> {
        self.0.required_scope.as_deref()
    }
    /// How long to wait before retrying, on [`ErrorCode::RateLimited`].
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.0.retry_after_ms
    }
    /// On [`ErrorCode::RateLimited`]: whether the daily budget (not the
    /// burst window) is what is spent.
    pub fn daily(&self) -> bool {
        self.0.daily
    }
    /// The raw response body, kept for API and decode errors (not for OAuth
    /// token responses, which carry secrets).
    pub fn raw_body(&self) -> Option<&[u8]> {
        self.0.raw_body.as_deref()
    }
}

/// The result type of the core.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// HighLevel error bodies: `{statusCode, message: string | string[], error}`,
/// the v3 AIP shape `{error: {code, message}}`, and `detail` (fact sheet §6).
struct ErrorBody {
    message: Vec<String>,
    error: Option<Value>,
    detail: Option<String>,
    trace_id: Option<String>,
}

impl ErrorBody {
    /// Reads a body through the one JSON `Value` reader the rest of the
    /// crate uses (a typed decoder here was 4 KB of the npm package).
    /// `None` when it is not a JSON object, or when a known field has
    /// another type: then nothing in it is trusted.
    fn read(body: &[u8]) -> Option<ErrorBody> {
        let value: Value = serde_json::from_slice(body).ok()?;
        let fields = value.as_object()?;
        let text = |key: &str| match fields.get(key) {
            None | Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            Some(_) => None,
        };
        let message = match fields.get("message") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![s.clone()],
            Some(Value::Array(items)) => items
                .iter()
                .map(|m| m.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()?,
            Some(_) => return None,
        };
        Some(ErrorBody {
            message,
            error: fields.get("error").filter(|e| !e.is_null()).cloned(),
            detail: text("detail")?,
            trace_id: text("traceId")?,
        })
    }

    fn messages(&self) -> Vec<String> {
        let mut out = self.message.clone();
        if let Some(Value::Object(aip)) = &self.error {
            if let Some(m) = aip.get("message").and_then(|m| m.as_str()) {
                out.push(m.to_string());
            }
        }
        if out.is_empty() {
            if let Some(d) = &self.detail {
                out.push(d.clone());
            }
        }
        if out.is_empty() {
            if let Some(Value::String(e)) = &self.error {
                out.push(e.clone());
            }
        }
        out
    }
}

fn mentions_scope(message: &str) -> bool {
    // Byte windows, not `str::contains`: the substring searcher is 3 KB of wasm.
    let m = message.to_ascii_lowercase();
    ["scope", "authclass", "user type mismatch"]
        .iter()
        .any(|needle| {
            m.as_bytes()
                .windows(needle.len())
                .any(|w| w == needle.as_bytes())
        })
}

/// HighLevel's `traceId` of any response: a header's, else its body's
/// (success bodies carry one too). The body is scanned for the key rather
/// than parsed again: a second parse of every body cost an observed call
/// about a tenth more CPU. JSON escapes a quote inside a string, so an
/// unescaped `"traceId":"` is a key; a value with an escape is skipped.
pub(crate) fn response_trace_id(resp: &HttpResponse) -> Option<String> {
    if let Some(t) = trace_id(resp, None) {
        return Some(t);
    }
    const KEY: &[u8] = b"\"traceId\"";
    let body = &resp.body[..];
    let at = body
        .windows(KEY.len())
        .enumerate()
        .position(|(i, w)| w == KEY && (i == 0 || body[i - 1] != b'\\'))?;
    let rest = &body[at + KEY.len()..];
    let skip_ws = |b: &[u8]| {
        b.iter()
            .position(|c| !c.is_ascii_whitespace())
            .unwrap_or(b.len())
    };
    let rest = &rest[skip_ws(rest)..];
    let rest = rest.strip_prefix(b":")?;
    let rest = rest[skip_ws(rest)..].strip_prefix(b"\"")?;
    let len = rest.iter().position(|b| *b == b'"')?;
    let value = std::str::from_utf8(&rest[..len]).ok()?;
    (!value.contains('\\')).then(|| value.to_string())
}

fn trace_id(resp: &HttpResponse, body: Option<&ErrorBody>) -> Option<String> {
    body.and_then(|b| b.trace_id.clone())
        .or_else(|| resp.header("traceid").map(str::to_string))
        .or_else(|| resp.header("x-trace-id").map(str::to_string))
}

/// The wait a 429 advises: `Retry-After` (seconds) first, else the burst
/// window `X-RateLimit-Interval-Milliseconds`, else HighLevel's 10 s window.
pub(crate) fn retry_after_ms(resp: &HttpResponse) -> u64 {
    if let Some(ms) = resp.header("retry-after").and_then(seconds_to_ms) {
        return ms;
    }
    resp.header("x-ratelimit-interval-milliseconds")
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(10_000)
}

/// `Retry-After` delay-seconds as milliseconds, rounded up: `2` and `1.5`
/// (some proxies send fractions) are read, a negative number, an exponent or an
/// HTTP-date is not. Read by hand: `str::parse::<f64>` would link core's float
/// parser and its 10 KB table into the wasm for this one header.
fn seconds_to_ms(value: &str) -> Option<u64> {
    let (whole, fraction) = value.trim().split_once('.').unwrap_or((value.trim(), ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    let secs: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut ms = 0u64;
    let mut rest_nonzero = false;
    for (i, b) in fraction.bytes().enumerate() {
        let d = u64::from(b - b'0');
        match i {
            0 => ms += d * 100,
            1 => ms += d * 10,
            2 => ms += d,
            _ => rest_nonzero |= d != 0,
        }
    }
    secs.checked_mul(1000)?
        .checked_add(ms + u64::from(rest_nonzero))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_responses_trace_id_is_found_in_its_body_or_headers() {
        let of = |body: &str| super::response_trace_id(&HttpResponse::new(200, body.to_string()));
        assert_eq!(
            of(r#"{"contact":{},"traceId":"t-1"}"#).as_deref(),
            Some("t-1")
        );
        assert_eq!(of(r#"{"traceId" :  "t-2" }"#).as_deref(), Some("t-2"));
        assert_eq!(
            of(r#"{"note":"say \"traceId\":\"x\""}"#),
            None,
            "inside a string"
        );
        assert_eq!(
            of(r#"{"traceId":"a\"b"}"#),
            None,
            "an escaped value is skipped"
        );
        assert_eq!(of(r#"{"contact":{}}"#), None);
        let h = HttpResponse::new(200, "{}").with_header("traceid", "h-1");
        assert_eq!(super::response_trace_id(&h).as_deref(), Some("h-1"));
    }

    use super::*;

    #[test]
    fn message_array_and_scope() {
        let r = HttpResponse::new(
            422,
            r#"{"statusCode":422,"message":["a must be set","b too"],"error":"Unprocessable Entity"}"#,
        );
        let e = Error::from_response(&r, Some("contacts.write"), false);
        assert_eq!(e.code(), ErrorCode::Validation);
        assert_eq!(e.messages(), ["a must be set", "b too"]);
        assert_eq!(e.required_scope(), None);

        let r = HttpResponse::new(
            401,
            r#"{"statusCode":401,"message":"The token is not authorized for this scope."}"#,
        );
        let e = Error::from_response(&r, Some("contacts.write"), false);
        assert_eq!(e.code(), ErrorCode::Forbidden);
        assert_eq!(e.required_scope(), Some("contacts.write"));
    }

    #[test]
    fn error_bodies_are_trusted_only_when_their_fields_have_their_types() {
        let read = |body: &str| {
            let e = Error::from_response(&HttpResponse::new(400, body), None, false);
            (e.messages().to_vec(), e.trace_id().map(str::to_string))
        };
        let none = (Vec::<String>::new(), None);
        assert_eq!(
            read(r#"{"message":"m","traceId":"t"}"#),
            (vec!["m".into()], Some("t".into()))
        );
        assert_eq!(
            read(r#"{"error":{"code":"X","message":"aip"},"detail":null}"#).0,
            ["aip"]
        );
        assert_eq!(read(r#"{"detail":"d","error":"E"}"#).0, ["d"]);
        assert_eq!(read(r#"{"error":"E","message":null}"#).0, ["E"]);
        assert_eq!(read(r#"{"message":5,"traceId":"t"}"#), none);
        assert_eq!(read(r#"{"message":["a",1],"traceId":"t"}"#), none);
        assert_eq!(read(r#"{"message":"m","traceId":7}"#), none);
        assert_eq!(read(r#"["m"]"#), none);
        assert_eq!(read(r#"{"message":"m""#), none);
    }

    #[test]
    fn retry_after_prefers_header() {
        let r = HttpResponse::new(429, "").with_header("Retry-After", "2");
        assert_eq!(retry_after_ms(&r), 2000);
        let r =
            HttpResponse::new(429, "").with_header("X-RateLimit-Interval-Milliseconds", "10000");
        assert_eq!(retry_after_ms(&r), 10_000);
    }

    #[test]
    fn retry_after_seconds_are_exact() {
        for (text, ms) in [
            ("2", Some(2000)),
            (" 0 ", Some(0)),
            ("1.5", Some(1500)),
            ("0.0001", Some(1)),
            ("1.2500", Some(1250)),
            (".25", Some(250)),
            ("3.", Some(3000)),
            ("", None),
            (".", None),
            ("-1", None),
            ("1e3", None),
            ("+2", None),
            ("1.2.3", None),
            ("Wed, 21 Oct 2015 07:28:00 GMT", None),
            ("99999999999999999999", None),
        ] {
            assert_eq!(seconds_to_ms(text), ms, "{text:?}");
        }
        // An unreadable Retry-After falls back to the interval header.
        let r = HttpResponse::new(429, "")
            .with_header("Retry-After", "soon")
            .with_header("X-RateLimit-Interval-Milliseconds", "250");
        assert_eq!(retry_after_ms(&r), 250);
    }
}
