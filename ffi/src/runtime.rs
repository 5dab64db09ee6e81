//! The runtime libcontacts owns: started with the first client, shut down
//! with the last handle that needs it.

use crate::error::{Fallible, contacts_code, contacts_error};
use contacts_core::native::Client;
use std::sync::{Arc, Mutex, Weak};

/// The runtimes every client shares while any client, cursor or in-flight
/// async call holds them, each with the HTTP stack whose connections it drives.
///
/// Async calls run on `rt`, a multi-thread runtime with its own worker(s).
/// Blocking calls run on `blocking`, a current-thread runtime with no worker thread
/// of its own: the host threads blocked in calls drive it, one at a time
/// (tokio hands its scheduler to the next when one returns). A lone caller
/// thus does its IO itself and crosses no thread; many callers share one
/// event loop and one connection pool.
pub(crate) struct Shared {
    rt: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    pub(crate) http: reqwest::Client,
    blocking: Option<tokio::runtime::Runtime>,
    pub(crate) blocking_http: reqwest::Client,
}

impl Drop for Shared {
    fn drop(&mut self) {
        for rt in [self.rt.take(), self.blocking.take()].into_iter().flatten() {
            // A runtime may not be shut down from inside a runtime (the last
            // reference can be an async call finishing on a worker).
            if tokio::runtime::Handle::try_current().is_ok() {
                std::thread::spawn(move || rt.shutdown_background());
            } else {
                // Joins the worker threads, so nothing of libcontacts outlives
                // the last client (valgrind sees no leak).
                rt.shutdown_timeout(std::time::Duration::from_secs(2));
            }
        }
        // The HTTP stacks drop after: their connections' tasks died with the runtimes.
    }
}

/// Hands out the running runtime, or starts one. Weak: the runtime lives
/// exactly as long as some [`RuntimeRef`] does.
static RUNTIME: Mutex<Weak<Shared>> = Mutex::new(Weak::new());

/// Builds one of libcontacts' runtimes, with IO and timers on.
fn start(builder: &mut tokio::runtime::Builder) -> Fallible<tokio::runtime::Runtime> {
    builder.enable_all().build().map_err(|e| {
        contacts_error::new(
            contacts_code::Transport,
            &format!("cannot start the runtime: {e}"),
        )
    })
}

/// A reference to the shared runtime; the last one dropped shuts it down.
/// Cloning is an atomic increment (a cursor, an async call).
#[derive(Clone)]
pub(crate) struct RuntimeRef(pub(crate) Arc<Shared>);

impl RuntimeRef {
    /// The running runtime, or a new one with `workers` async worker threads.
    pub(crate) fn acquire(workers: usize) -> Fallible<RuntimeRef> {
        let mut current = RUNTIME.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(shared) = current.upgrade() {
            return Ok(RuntimeRef(shared));
        }
        let rt = start(
            tokio::runtime::Builder::new_multi_thread()
                .worker_threads(workers.max(1))
                .thread_name("libcontacts"),
        )?;
        let blocking = start(&mut tokio::runtime::Builder::new_current_thread())?;
        // Building an HTTP stack loads the platform's certificate verifier
        // (milliseconds): once per runtime, not once per client.
        let user_agent = contacts_core::Config::default().user_agent;
        let shared = Arc::new(Shared {
            handle: rt.handle().clone(),
            rt: Some(rt),
            http: Client::http_client(&user_agent)?,
            blocking: Some(blocking),
            blocking_http: Client::http_client(&user_agent)?,
        });
        *current = Arc::downgrade(&shared);
        Ok(RuntimeRef(shared))
    }

    /// The async runtime, to spawn async calls on.
    pub(crate) fn handle(&self) -> &tokio::runtime::Handle {
        &self.0.handle
    }

    /// Runs `fut` to completion on the calling (host) thread, on the
    /// blocking runtime (see [`Shared`]). Refused from inside a runtime,
    /// e.g. from a libcontacts callback, where it would deadlock.
    pub(crate) fn block_on<T>(&self, fut: impl std::future::Future<Output = T>) -> Fallible<T> {
        let blocking = match &self.0.blocking {
            Some(rt) if tokio::runtime::Handle::try_current().is_err() => rt,
            _ => {
                return Err(contacts_error::new(
                    contacts_code::InvalidArgument,
                    "this call blocks: do not make it from a libcontacts callback; use contacts_client_call_async",
                ));
            }
        };
        Ok(blocking.block_on(fut))
    }
}
