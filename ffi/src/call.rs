//! Async calls: started without blocking, completed by a host callback on a
//! libcontacts thread, cancellable.

use crate::boundary::{boundary, getter};
use crate::checked;
use crate::client::{contacts_client, op_args};
use crate::error::{contacts_code, contacts_error};
use crate::result::contacts_result;
use std::os::raw::{c_char, c_void};
use std::sync::Mutex;

/// Receives the outcome of an async call: exactly one of `result` and
/// `error` is non-NULL, and the callee owns it (free it). Runs exactly once
/// per successful `contacts_client_call_async`, on a libcontacts thread,
/// whether the call succeeded, failed or was cancelled.
pub type contacts_completion = Option<
    unsafe extern "C" fn(
        userdata: *mut c_void,
        result: *mut contacts_result,
        error: *mut contacts_error,
    ),
>;

/// An async call in progress. Owned by the caller: free it with
/// `contacts_call_free` (which does not cancel). Thread-safe.
pub struct contacts_call {
    cancel: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
}

impl contacts_call {
    /// A handle and the future that ends when it is cancelled (never, if
    /// the handle is dropped without `contacts_call_cancel`).
    pub(crate) fn new() -> (
        Box<contacts_call>,
        impl std::future::Future<Output = ()> + Send,
    ) {
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = Box::new(contacts_call {
            cancel: Mutex::new(Some(tx)),
        });
        let cancelled = async {
            // A dropped handle is not a cancellation.
            if rx.await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        (handle, cancelled)
    }
}

struct SendPtr(*mut c_void);
unsafe impl Send for SendPtr {}

/// Starts operation `name` without blocking; `completion(userdata, …)` runs
/// once when it ends. On success `*call_out` (optional: may be NULL) is a
/// handle to cancel it with. If this returns an error, `completion` never runs.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_call_async(
    client: *const contacts_client,
    name: *const c_char,
    name_len: usize,
    params_json: *const c_char,
    params_len: usize,
    completion: contacts_completion,
    userdata: *mut c_void,
    call_out: *mut *mut contacts_call,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        let Some(done) = completion else {
            return Err(contacts_error::new(
                contacts_code::NullArgument,
                "completion is NULL",
            ));
        };
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let (handle, cancelled) = contacts_call::new();
        let (client, ud, rt) = (c.client.clone(), SendPtr(userdata), c.rt.clone());
        c.rt.handle().spawn(async move {
            // Keeps the runtime up until the completion has run, even if the
            // client is freed meanwhile.
            let _rt = rt;
            let outcome = tokio::select! {
                r = client.call(&name, params) => r.map_err(|e| contacts_error::from_core(&e)),
                () = cancelled => Err(contacts_error::new(contacts_code::Cancelled, "the call was cancelled")),
            };
            let ud = ud;
            match outcome {
                Ok(result) => unsafe { done(ud.0, Box::into_raw(contacts_result::new(&result)), std::ptr::null_mut()) },
                Err(e) => unsafe { done(ud.0, std::ptr::null_mut(), Box::into_raw(e)) },
            }
        });
        if let Some(out) = checked::optional_out(call_out) {
            out.put(handle);
        }
        Ok(())
    })
}

/// Cancels an async call: its completion runs (once) with
/// `CONTACTS_CODE_CANCELLED` unless it already ran. NULL and repeated calls
/// are fine. A token refresh the call started still completes.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_call_cancel(call: *const contacts_call) {
    getter((), || {
        if let Some(c) = checked::peek(call) {
            if let Some(tx) = c.cancel.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = tx.send(());
            }
        }
    })
}

/// Frees an async call handle (the call goes on). NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_call_free(call: *mut contacts_call) {
    checked::free_boxed(call);
}
