//! The host's state store through one C callback: the core's `HostStore`
//! asks it for each operation (JSON in, JSON out) and checks every answer.

use crate::boundary::boundary;
use crate::checked;
use crate::error::contacts_error;
use contacts_core::state::{HostCall, StoreFuture, state_error};
use serde_json::Value;
use std::os::raw::{c_char, c_void};
use std::sync::Mutex;

/// Where journaling composites (`contacts.capture`) keep state, in the
/// host: `call` runs one operation. `request_json` is `{"op": "get" | "put"
/// | "compareAndSet" | "delete" | "list" | "take", "args": [...]}` (the
/// arguments and the answers are listed in `ffi/README.md`, "State
/// stores"); the host answers by calling `contacts_state_reply_set(reply,
/// json, len)` once and returning 0. Any other return, or no answer, fails
/// the work with `CONTACTS_CODE_STATE`. `call` may run on any libcontacts
/// thread, never twice at once for one store; it must not call back into
/// libcontacts except `contacts_state_reply_set`. `finalize`, if set, runs
/// exactly once when libcontacts is done with the store: when the client is
/// freed, or, if `contacts_client_new_with_state` fails, before it returns. Strings are borrowed for the call.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct contacts_state_store {
    /// Passed back to `call` and `finalize`.
    pub userdata: *mut c_void,
    /// Runs one operation; 0 once answered.
    pub call: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            request_json: *const c_char,
            request_len: usize,
            reply: *mut contacts_state_reply,
        ) -> i32,
    >,
    /// Releases `userdata`; may be NULL.
    pub finalize: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

/// Where a state-store callback puts its answer (`contacts_state_reply_set`).
/// Owned by libcontacts; valid only during the callback.
pub struct contacts_state_reply {
    json: Option<Value>,
}

/// Answers the operation a state-store callback was asked: `json` is the
/// answer as JSON text (see `contacts_state_store`). Call it once, from
/// inside the callback.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_state_reply_set(
    reply: *mut contacts_state_reply,
    json: *const c_char,
    json_len: usize,
) -> *mut contacts_error {
    boundary(|| {
        let reply = checked::handle_mut("reply", reply)?;
        reply.json = Some(checked::json("json", json, json_len)?);
        Ok(())
    })
}

/// The host's store; the mutex keeps its callback to one call at a time.
pub(crate) struct HostStateStore {
    store: contacts_state_store,
    one_at_a_time: Mutex<()>,
}

// The host promises (by the documented contract) that `call` may run on any
// thread; the mutex makes the calls one at a time; userdata is its business.
unsafe impl Send for HostStateStore {}
unsafe impl Sync for HostStateStore {}

impl HostStateStore {
    /// `store`, owned from here on: its `finalize` runs when this drops,
    /// whatever happens next (a client made or not).
    pub(crate) fn new(store: contacts_state_store) -> HostStateStore {
        HostStateStore {
            store,
            one_at_a_time: Mutex::new(()),
        }
    }

    /// Whether the host gave a `call`.
    pub(crate) fn has_call(&self) -> bool {
        self.store.call.is_some()
    }
}

/// A host callback answering one operation (`{"op", "args"}` in, its
/// answer through `contacts_state_reply_set`): the state store's and a sync
/// host's.
pub(crate) type HostCallback = unsafe extern "C" fn(
    userdata: *mut c_void,
    request_json: *const c_char,
    request_len: usize,
    reply: *mut contacts_state_reply,
) -> i32;

/// Asks `call` for operation `op` with `args`; `what` names the host in
/// errors (`stateStore`), which `fail` makes (a callback that returned
/// non-zero or gave no answer).
///
/// Safety: `call` and `userdata` are the host's, under its contract.
pub(crate) unsafe fn ask_host(
    call: HostCallback,
    userdata: *mut c_void,
    op: &str,
    args: Value,
    what: &str,
    fail: fn(String) -> contacts_core::Error,
) -> contacts_core::Result<Value> {
    let request = serde_json::json!({ "op": op, "args": args }).to_string();
    let mut reply = contacts_state_reply { json: None };
    // SAFETY: the caller's; the request and reply outlive the call.
    let code = unsafe { call(userdata, request.as_ptr().cast(), request.len(), &mut reply) };
    match (code, reply.json) {
        (0, Some(json)) => Ok(json),
        (0, None) => Err(fail(format!("{what}.{op}: the callback gave no answer"))),
        (n, _) => Err(fail(format!("{what}.{op}: the callback returned {n}"))),
    }
}

impl HostCall for HostStateStore {
    fn call<'a>(&'a self, op: &'static str, args: Value) -> StoreFuture<'a, Value> {
        let answer = (|| {
            let call = self
                .store
                .call
                .ok_or_else(|| state_error("the state store has no call"))?;
            let _turn = self.one_at_a_time.lock().unwrap_or_else(|p| p.into_inner());
            // SAFETY: the host's contract.
            unsafe {
                ask_host(
                    call,
                    self.store.userdata,
                    op,
                    args,
                    "stateStore",
                    state_error,
                )
            }
        })();
        Box::pin(async move { answer })
    }
}

impl Drop for HostStateStore {
    fn drop(&mut self) {
        if let Some(f) = self.store.finalize {
            // SAFETY: the host's contract: finalize runs once, here.
            unsafe { f(self.store.userdata) };
        }
    }
}
