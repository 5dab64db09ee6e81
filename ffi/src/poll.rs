//! Polling triggers: one poll (`contacts_client_poll`), or a watch that
//! polls on an interval on a libcontacts thread and hands each outcome to a
//! host callback (`contacts_watch_new`).

use crate::boundary::{boundary, getter};
use crate::checked;
use crate::client::contacts_client;
use crate::error::{Fallible, contacts_code, contacts_error};
use crate::result::contacts_result;
use contacts_core::native::Client;
use serde_json::Value;
use std::os::raw::{c_char, c_void};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

/// The triggers, params and checkpoint of a poll, read and checked.
fn poll_args(
    triggers: *const c_char,
    triggers_len: usize,
    params: *const c_char,
    params_len: usize,
    checkpoint: *const c_char,
    checkpoint_len: usize,
) -> Fallible<(String, Value, Option<String>)> {
    let triggers = checked::text("triggers", triggers, triggers_len)?;
    let params = checked::json("params_json", params, params_len)?;
    let checkpoint = match (checkpoint.is_null(), checkpoint_len) {
        (true, 0) => None,
        _ => Some(checked::text("checkpoint", checkpoint, checkpoint_len)?.to_owned()),
    };
    Ok((triggers.to_owned(), params, checkpoint))
}

/// Polls `triggers` (one name such as `ContactCreate`, or several joined by
/// commas; UTF-8 `(ptr, len)`) with JSON params from `checkpoint` (NULL with
/// length 0 for the first poll, the baseline, which reports nothing),
/// blocking until done. The client needs a state store (`"state"` in its
/// config, or `contacts_client_new_with_state`).
///
/// On success `*result_out` is `{"events": […], "checkpoint": "…", "more":
/// bool, "requests": n}`, owned by the caller. Keep the new checkpoint only
/// once the events are handled: a poll from the old one reports them again.
/// An unknown trigger, bad params (`maxRequests` 0) or a corrupt, oversized
/// or foreign checkpoint is `CONTACTS_CODE_INVALID_ARGUMENT`, and nothing is
/// sent. Safe from any thread, but not from inside a libcontacts callback.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_poll(
    client: *const contacts_client,
    triggers: *const c_char,
    triggers_len: usize,
    params_json: *const c_char,
    params_len: usize,
    checkpoint: *const c_char,
    checkpoint_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        let out = checked::out("result_out", result_out)?;
        let (triggers, params, checkpoint) = poll_args(
            triggers,
            triggers_len,
            params_json,
            params_len,
            checkpoint,
            checkpoint_len,
        )?;
        let polled =
            c.rt.block_on(c.blocking.poll(&triggers, params, checkpoint.as_deref()))??;
        out.put(contacts_result::new(&polled.to_json()));
        Ok(())
    })
}

/// Receives each poll of a watch: exactly one of `result` (the poll's
/// outcome, as `contacts_client_poll` gives it) and `error` is non-NULL.
/// Both are borrowed, valid only during the call. Runs on the watch's own
/// libcontacts thread, one call at a time; it may make blocking libcontacts
/// calls, but must not free or cancel its own watch (cancel from another
/// thread). The watch goes on from the result's checkpoint once the callback
/// returns, so store it there; after an error it retries from the same one.
pub type contacts_watch_callback = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        result: *const contacts_result,
        error: *const contacts_error,
    ),
>;

/// A watch: polls on an interval until cancelled. Owned by the caller:
/// `contacts_watch_cancel` stops it, `contacts_watch_free` stops and frees
/// it. Thread-safe.
pub struct contacts_watch {
    stop: Arc<Stop>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

/// The cancel flag a watch's thread waits on.
#[derive(Default)]
struct Stop {
    cancelled: Mutex<bool>,
    wake: Condvar,
    /// Wakes a poll in flight.
    signal: tokio::sync::Notify,
}

impl Stop {
    fn is_cancelled(&self) -> bool {
        *self.cancelled.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits `ms`, or less if cancelled. Returns whether it was cancelled.
    fn wait(&self, ms: u64) -> bool {
        let guard = self.cancelled.lock().unwrap_or_else(|p| p.into_inner());
        let (guard, _) = self
            .wake
            .wait_timeout_while(guard, Duration::from_millis(ms), |c| !*c)
            .unwrap_or_else(|p| p.into_inner());
        *guard
    }

    fn cancel(&self) {
        *self.cancelled.lock().unwrap_or_else(|p| p.into_inner()) = true;
        self.wake.notify_all();
        self.signal.notify_one();
    }
}

struct SendPtr(*mut c_void);
// SAFETY: the host's contract: userdata may be used from the watch's thread.
unsafe impl Send for SendPtr {}

/// Starts a watch of `triggers` with JSON params from `checkpoint` (NULL
/// with length 0: start with the baseline), polling every `interval_ms`
/// (at least 1; a poll cut short by its request bound is followed at once by
/// the next) on a new libcontacts thread, and calling `callback(userdata, …)`
/// with each outcome. The arguments are checked as `contacts_client_poll`
/// checks them, before the watch starts. On success `*watch_out` is owned by
/// the caller; the watch holds the client, which may be freed meanwhile.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_watch_new(
    client: *const contacts_client,
    triggers: *const c_char,
    triggers_len: usize,
    params_json: *const c_char,
    params_len: usize,
    checkpoint: *const c_char,
    checkpoint_len: usize,
    interval_ms: u64,
    callback: contacts_watch_callback,
    userdata: *mut c_void,
    watch_out: *mut *mut contacts_watch,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        let out = checked::out("watch_out", watch_out)?;
        let Some(callback) = callback else {
            return Err(contacts_error::new(
                contacts_code::NullArgument,
                "callback is NULL",
            ));
        };
        if interval_ms == 0 {
            return Err(contacts_error::new(
                contacts_code::InvalidArgument,
                "interval_ms is at least 1",
            ));
        }
        let (triggers, params, checkpoint) = poll_args(
            triggers,
            triggers_len,
            params_json,
            params_len,
            checkpoint,
            checkpoint_len,
        )?;
        let stop = Arc::new(Stop::default());
        let (client, rt, ud) = (c.blocking.clone(), c.rt.clone(), SendPtr(userdata));
        let thread_stop = stop.clone();
        let thread = std::thread::Builder::new()
            .name("libcontacts-watch".into())
            .spawn(move || {
                let ud = ud;
                let run = Watch {
                    client,
                    rt,
                    triggers,
                    params,
                    interval_ms,
                    stop: thread_stop,
                };
                // SAFETY: the host's contract for callback and userdata.
                run.run(checkpoint, |result, error| unsafe {
                    callback(ud.0, result, error)
                });
            })
            .map_err(|e| {
                contacts_error::new(
                    contacts_code::InvalidArgument,
                    &format!("could not start the watch thread: {e}"),
                )
            })?;
        out.put(Box::new(contacts_watch {
            stop,
            thread: Mutex::new(Some(thread)),
        }));
        Ok(())
    })
}

/// One watch's loop.
struct Watch {
    client: Client,
    rt: crate::runtime::RuntimeRef,
    triggers: String,
    params: Value,
    interval_ms: u64,
    stop: Arc<Stop>,
}

impl Watch {
    fn run(
        &self,
        mut checkpoint: Option<String>,
        deliver: impl Fn(*const contacts_result, *const contacts_error),
    ) {
        while !self.stop.is_cancelled() {
            let polled = self.rt.block_on(async {
                tokio::select! {
                    r = self.client.poll(&self.triggers, self.params.clone(), checkpoint.as_deref()) => Some(r),
                    () = self.stop.signal.notified() => None,
                }
            });
            let polled = match polled {
                Ok(p) => p,
                Err(e) => {
                    deliver(std::ptr::null(), &*e);
                    return;
                }
            };
            let Some(polled) = polled else { return };
            if self.stop.is_cancelled() {
                return;
            }
            let more = match polled {
                Ok(outcome) => {
                    let result = contacts_result::new(&outcome.to_json());
                    deliver(&*result, std::ptr::null());
                    checkpoint = Some(outcome.checkpoint);
                    outcome.more
                }
                Err(e) => {
                    let error = contacts_error::from_core(&e);
                    deliver(std::ptr::null(), &*error);
                    false
                }
            };
            if !more && self.stop.wait(self.interval_ms) {
                return;
            }
        }
    }
}

/// Stops a watch: a poll in flight is abandoned (its state is not
/// committed, so nothing is lost), and once this returns no callback runs.
/// Waits for a callback that is running to return. NULL and repeated calls
/// are fine; not from the watch's own callback.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_watch_cancel(watch: *const contacts_watch) {
    getter((), || {
        let Some(w) = checked::peek(watch) else {
            return;
        };
        w.stop.cancel();
        let thread = w.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    })
}

/// Stops (as `contacts_watch_cancel`) and frees a watch. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_watch_free(watch: *mut contacts_watch) {
    contacts_watch_cancel(watch);
    checked::free_boxed(watch);
}
