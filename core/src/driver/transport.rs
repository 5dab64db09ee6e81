//! What a shell implements so the driver can run work on its platform: send a
//! request, sleep, read the clock, and, where the platform can, run a task
//! detached from its caller. Nothing else: every decision is the engine's,
//! every multi-step program the driver's.

use crate::HttpResponse;
use crate::engine::{Outgoing, TransportError};
use std::future::Future;
use std::pin::Pin;

pub use crate::maybe_send::{MaybeSend, MaybeSync};

/// A task the driver asks a transport to run detached ([`Transport::spawn_detached`]).
#[cfg(not(target_arch = "wasm32"))]
pub type DetachedTask = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;
/// A task the driver asks a transport to run detached ([`Transport::spawn_detached`]).
#[cfg(target_arch = "wasm32")]
pub type DetachedTask = Pin<Box<dyn Future<Output = ()> + 'static>>;

/// How a send ended without a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// A transport failure, for the engine to judge (retry or not).
    Transport(TransportError),
    /// The caller gave up (a JS `AbortSignal`): the driver ends the work with
    /// [`crate::ErrorCode::Cancelled`] and sends nothing more for it.
    Cancelled,
}

impl From<TransportError> for SendError {
    fn from(e: TransportError) -> Self {
        SendError::Transport(e)
    }
}

/// A platform's IO, as the driver uses it. Implementations are small: the
/// native one is reqwest on tokio, the C ABI's are the same on its two
/// runtimes, the JS one is `fetch` or `node:http` with an `AbortSignal`.
///
/// A transport is cloned freely (one per call is fine) and must be cheap to
/// clone. On native platforms it and its futures are `Send`.
pub trait Transport: Clone + MaybeSend + MaybeSync + 'static {
    /// Sends one request and waits for its answer, at most
    /// `out.timeout_ms`. Classify failures as the engine needs
    /// ([`crate::engine::TransportErrorKind`]): whether the request may have
    /// reached the server decides whether it is retried.
    fn send(
        &self,
        out: Outgoing,
    ) -> impl Future<Output = Result<HttpResponse, SendError>> + MaybeSend;

    /// Waits `ms` milliseconds (or less, if the caller gives up meanwhile:
    /// the driver then checks [`Transport::cancelled`]).
    fn sleep(&self, ms: u64) -> impl Future<Output = ()> + MaybeSend;

    /// The wall clock, in Unix milliseconds. The only clock the driver reads.
    fn now_ms(&self) -> u64;

    /// Runs `task` to the end even if the caller's future is dropped, or
    /// hands it back when the platform cannot (then the driver runs it in
    /// place). The driver uses this for credential requests, whose answers
    /// may carry a rotated refresh token that exists nowhere else.
    fn spawn_detached(&self, task: DetachedTask) -> Result<(), DetachedTask> {
        Err(task)
    }

    /// This transport without the caller's cancellation (its `AbortSignal`),
    /// for the detached credential requests. The default is a clone.
    fn detached(&self) -> Self {
        self.clone()
    }

    /// Whether the caller has given up. Checked before every step.
    fn cancelled(&self) -> bool {
        false
    }

    /// The offset from UTC, in seconds, of IANA zone `zone` at Unix
    /// milliseconds `utc_ms`, or `None` when the zone is unknown. Read by
    /// actions that meet offset-less wall-clock times (a contact's
    /// appointments), through [`crate::time::zones::utc_of_wall_clock`].
    /// The default is the tz database compiled into the core (feature
    /// `tzdb`, which `native` implies), or `None` without it; the npm
    /// package answers from `Intl`, so its wasm carries no tz database.
    fn zone_offset_s(&self, zone: &str, utc_ms: i64) -> Option<i32> {
        #[cfg(feature = "tzdb")]
        return crate::time::zones::bundled_offset_s(zone, utc_ms);
        #[cfg(not(feature = "tzdb"))]
        return {
            let _ = (zone, utc_ms);
            None
        };
    }
}
