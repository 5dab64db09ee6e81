//! Errors across the C boundary: `contacts_error *` (NULL = success) and the
//! stable `contacts_code` values.

use contacts_core::{Error, ErrorCode};
use std::ffi::CString;

/// What every fallible step inside an entry point returns: the error is
/// boxed, ready to hand to the host.
pub(crate) type Fallible<T> = Result<T, Box<contacts_error>>;

/// Why a call failed. The values are explicit and never reused: 1xx bad
/// input, 2xx the API answered with an error status (2NN mirrors HTTP 4NN,
/// 250 any 5xx, 299 anything else), 3xx an answer that does not decode, 4xx
/// webhooks, 5xx the call itself (network, deadline, cancel, token store,
/// state store),
/// 9xx bugs. 0 is never an error code.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum contacts_code {
    /// An argument was refused before anything was sent.
    InvalidArgument = 100,
    /// A required pointer was NULL.
    NullArgument = 101,
    /// A string argument was not valid UTF-8 (or held a NUL byte).
    InvalidUtf8 = 102,
    /// A JSON argument did not parse.
    InvalidJson = 103,
    /// 401: the token is missing, malformed, expired or revoked.
    Unauthorized = 201,
    /// 403, or a 401 naming a scope: see `contacts_error_required_scope`.
    Forbidden = 203,
    /// 404.
    NotFound = 204,
    /// 400 or 422: the server rejected the input.
    Validation = 222,
    /// 429: see `contacts_error_retry_after_ms`.
    RateLimited = 229,
    /// 5xx.
    Server = 250,
    /// Any other unexpected status.
    UnexpectedStatus = 299,
    /// A success status with a body that is not what the operation returns.
    Decode = 300,
    /// A webhook whose signature is missing, malformed or forged.
    WebhookSignature = 400,
    /// A webhook that is stale or was already delivered.
    WebhookReplay = 401,
    /// The request could not be sent, or its answer was lost.
    Transport = 500,
    /// The call's deadline passed.
    Timeout = 501,
    /// The call was cancelled.
    Cancelled = 502,
    /// The host's token store refused a rotated token (kept in memory).
    TokenStore = 503,
    /// The state store could not be read or written, or belongs to another
    /// location: the work that needed it stopped.
    State = 504,
    /// The fleet's shared store (Redis) is unreachable and the fleet fails
    /// closed.
    FleetUnavailable = 505,
    /// Nobody can renew the token set (its refresh was lost): the app must
    /// be authorized again.
    ReauthRequired = 506,
    /// A sync's host callback failed or answered what it may not: the pass
    /// stopped where its last committed record left it.
    Host = 507,
    /// A bug in libcontacts: a panic was caught at the boundary.
    Panic = 900,
}

impl contacts_code {
    /// Every code. The header's `CONTACTS_CODE_ALL` and `CONTACTS_CODE_COUNT`
    /// are written from this list (cbindgen would spell the variants
    /// unrenamed inside a constant, which C cannot compile).
    /// cbindgen:ignore
    pub const ALL: [contacts_code; 23] = [
        contacts_code::InvalidArgument,
        contacts_code::NullArgument,
        contacts_code::InvalidUtf8,
        contacts_code::InvalidJson,
        contacts_code::Unauthorized,
        contacts_code::Forbidden,
        contacts_code::NotFound,
        contacts_code::Validation,
        contacts_code::RateLimited,
        contacts_code::Server,
        contacts_code::UnexpectedStatus,
        contacts_code::Decode,
        contacts_code::WebhookSignature,
        contacts_code::WebhookReplay,
        contacts_code::Transport,
        contacts_code::Timeout,
        contacts_code::Cancelled,
        contacts_code::TokenStore,
        contacts_code::State,
        contacts_code::FleetUnavailable,
        contacts_code::ReauthRequired,
        contacts_code::Host,
        contacts_code::Panic,
    ];

    /// The name (`NOT_FOUND`), the same string the JS package and the vectors use.
    pub fn name(self) -> &'static str {
        match self {
            contacts_code::InvalidArgument => "INVALID_ARGUMENT\0",
            contacts_code::NullArgument => "NULL_ARGUMENT\0",
            contacts_code::InvalidUtf8 => "INVALID_UTF8\0",
            contacts_code::InvalidJson => "INVALID_JSON\0",
            contacts_code::Unauthorized => "UNAUTHORIZED\0",
            contacts_code::Forbidden => "FORBIDDEN\0",
            contacts_code::NotFound => "NOT_FOUND\0",
            contacts_code::Validation => "VALIDATION\0",
            contacts_code::RateLimited => "RATE_LIMITED\0",
            contacts_code::Server => "SERVER\0",
            contacts_code::UnexpectedStatus => "UNEXPECTED_STATUS\0",
            contacts_code::Decode => "DECODE\0",
            contacts_code::WebhookSignature => "WEBHOOK_SIGNATURE\0",
            contacts_code::WebhookReplay => "WEBHOOK_REPLAY\0",
            contacts_code::Transport => "TRANSPORT\0",
            contacts_code::Timeout => "TIMEOUT\0",
            contacts_code::Cancelled => "CANCELLED\0",
            contacts_code::TokenStore => "TOKEN_STORE\0",
            contacts_code::State => "STATE\0",
            contacts_code::FleetUnavailable => "FLEET_UNAVAILABLE\0",
            contacts_code::ReauthRequired => "REAUTH_REQUIRED\0",
            contacts_code::Host => "HOST\0",
            contacts_code::Panic => "PANIC\0",
        }
    }
}

impl From<ErrorCode> for contacts_code {
    fn from(c: ErrorCode) -> Self {
        // No `_ =>` arm: a new core code must be given a number here.
        match c {
            ErrorCode::InvalidArgument => contacts_code::InvalidArgument,
            ErrorCode::Unauthorized => contacts_code::Unauthorized,
            ErrorCode::Forbidden => contacts_code::Forbidden,
            ErrorCode::NotFound => contacts_code::NotFound,
            ErrorCode::Validation => contacts_code::Validation,
            ErrorCode::RateLimited => contacts_code::RateLimited,
            ErrorCode::Server => contacts_code::Server,
            ErrorCode::UnexpectedStatus => contacts_code::UnexpectedStatus,
            ErrorCode::Decode => contacts_code::Decode,
            ErrorCode::WebhookSignature => contacts_code::WebhookSignature,
            ErrorCode::WebhookReplay => contacts_code::WebhookReplay,
            ErrorCode::Transport => contacts_code::Transport,
            ErrorCode::Timeout => contacts_code::Timeout,
            ErrorCode::Cancelled => contacts_code::Cancelled,
            ErrorCode::TokenStore => contacts_code::TokenStore,
            ErrorCode::State => contacts_code::State,
            ErrorCode::FleetUnavailable => contacts_code::FleetUnavailable,
            ErrorCode::ReauthRequired => contacts_code::ReauthRequired,
            ErrorCode::Host => contacts_code::Host,
        }
    }
}

/// An error. Owned by the caller, who frees it with `contacts_error_free`.
/// Immutable; may be read from any thread.
pub struct contacts_error {
    pub(crate) code: contacts_code,
    pub(crate) message: CString,
    pub(crate) http_status: u16,
    pub(crate) retry_after_ms: u64,
    pub(crate) daily: bool,
    pub(crate) trace_id: CString,
    pub(crate) required_scope: CString,
}

fn cstring(s: &str) -> CString {
    CString::new(s.replace('\0', " ")).unwrap_or_default()
}

impl contacts_error {
    pub(crate) fn new(code: contacts_code, message: &str) -> Box<contacts_error> {
        Box::new(contacts_error {
            code,
            message: cstring(message),
            http_status: 0,
            retry_after_ms: 0,
            daily: false,
            trace_id: CString::default(),
            required_scope: CString::default(),
        })
    }

    pub(crate) fn from_core(e: &Error) -> Box<contacts_error> {
        Box::new(contacts_error {
            code: e.code().into(),
            message: cstring(&e.to_string()),
            http_status: e.http_status().unwrap_or(0),
            retry_after_ms: e.retry_after_ms().unwrap_or(0),
            daily: e.daily(),
            trace_id: cstring(e.trace_id().unwrap_or("")),
            required_scope: cstring(e.required_scope().unwrap_or("")),
        })
    }
}

impl From<Error> for Box<contacts_error> {
    fn from(e: Error) -> Self {
        contacts_error::from_core(&e)
    }
}
