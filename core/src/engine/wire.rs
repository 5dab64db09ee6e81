//! What crosses between the engine and a transport: the requests it asks for
//! and the failures a transport reports.

use crate::{Error, ErrorCode, HttpRequest, Result};

/// Why a request got no response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransportErrorKind {
    /// It never left: connection refused, DNS, TLS handshake. Safe to resend.
    Connect,
    /// The transport's timeout fired: the server may have processed it.
    Timeout,
    /// The connection broke after the request was written: the server may
    /// have processed it.
    Io,
}

/// A transport failure, as the transport reports it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    /// What kind.
    pub kind: TransportErrorKind,
    /// The transport's own words.
    pub message: String,
}

impl TransportError {
    /// A failure of `kind`.
    pub fn new(kind: TransportErrorKind, message: impl Into<String>) -> Self {
        TransportError {
            kind,
            message: message.into(),
        }
    }

    /// Whether the server may have seen the request.
    pub fn may_have_reached_server(&self) -> bool {
        self.kind != TransportErrorKind::Connect
    }

    /// The error a call ends with when its last attempt failed this way:
    /// [`ErrorCode::Timeout`] for a timeout, [`ErrorCode::Transport`] otherwise.
    pub fn to_error(&self) -> Error {
        let code = if self.kind == TransportErrorKind::Timeout {
            ErrorCode::Timeout
        } else {
            ErrorCode::Transport
        };
        Error::new(code, self.message.clone())
    }
}

/// What a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// The call's own API request.
    Api,
    /// A credential request (refresh, location token) on behalf of every
    /// call; complete it with [`Engine::complete_credential`] even if the
    /// call is dropped.
    Credential(u64),
}

/// A request to send.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The request, credentials included.
    pub request: HttpRequest,
    /// What it is for.
    pub purpose: Purpose,
    /// Give up waiting for the answer after this long.
    pub timeout_ms: u64,
}

/// A step on the fleet's shared store ([`crate::engine::Fleet`]): the
/// driver performs it as it performs a send, and hands the answer to
/// [`Call::on_store`].
#[derive(Clone, Debug, PartialEq)]
pub enum StoreStep {
    /// [`crate::state::StateStore::reserve_rate`] under `key`.
    ReserveRate {
        /// The budget's key in the fleet store.
        key: String,
        /// The question, with what this engine learned since it last asked.
        request: crate::state::RateRequest,
    },
    /// [`crate::state::StateStore::get`].
    Get {
        /// The key.
        key: String,
    },
    /// [`crate::state::StateStore::put`].
    Put {
        /// The key.
        key: String,
        /// The value.
        value: serde_json::Value,
        /// Its time to live.
        ttl_ms: Option<u64>,
    },
    /// [`crate::state::StateStore::compare_and_set`].
    CompareAndSet {
        /// The key.
        key: String,
        /// The version the live entry must have (`None`: none).
        expected: Option<u64>,
        /// The value.
        value: serde_json::Value,
        /// Its time to live.
        ttl_ms: Option<u64>,
    },
    /// [`crate::state::StateStore::delete`].
    Delete {
        /// The key.
        key: String,
    },
}

/// What became of a [`StoreStep`].
#[derive(Clone, Debug, PartialEq)]
pub enum StoreAnswer {
    /// The answer to [`StoreStep::ReserveRate`].
    Rate(crate::state::RateGrant),
    /// The answer to [`StoreStep::Get`].
    Entry(Option<crate::state::Versioned>),
    /// The answer to [`StoreStep::Put`] (always `Some`) and
    /// [`StoreStep::CompareAndSet`] (`None`: not as expected).
    Written(Option<u64>),
    /// The answer to [`StoreStep::Delete`].
    Deleted(bool),
}

/// What the transport should do next.
#[derive(Debug)]
pub enum Step<T> {
    /// Send this, then call [`Call::on_response`].
    Send(Outgoing),
    /// Perform this on the fleet store, then call [`Call::on_store`]
    /// (feature `fleet`: native, and the npm package's runtime module).
    #[cfg(feature = "fleet")]
    Store(StoreStep),
    /// Sleep this many milliseconds, then poll again.
    Wait(u64),
    /// The call is over.
    Done(Result<T>),
}
