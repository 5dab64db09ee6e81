//! The client: created from JSON, calls through the engine and the native
//! transport on a runtime libcontacts owns (started with the first client,
//! shut down with the last).

use crate::error::{contacts_code, contacts_error};
use crate::types::{self, Fallible};
use crate::{boundary, contacts_result};
use contacts_core::OAuthTokens;
use contacts_core::driver::PageWalk;
use contacts_core::engine::JsonCall;
use contacts_core::engine::TokenStore;
use contacts_core::native::{Client, NativeTransport};
use contacts_core::settings::ClientSettings;
use serde_json::Value;
use std::os::raw::{c_char, c_void};
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
struct Shared {
    rt: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    http: reqwest::Client,
    blocking: Option<tokio::runtime::Runtime>,
    blocking_http: reqwest::Client,
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
struct RuntimeRef(Arc<Shared>);

impl RuntimeRef {
    fn acquire(workers: usize) -> Fallible<RuntimeRef> {
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

    fn handle(&self) -> &tokio::runtime::Handle {
        &self.0.handle
    }

    /// Runs `fut` to completion on the calling (host) thread, on the
    /// blocking runtime (see [`Shared`]). Refused from inside a runtime,
    /// e.g. from a libcontacts callback, where it would deadlock.
    fn block_on<T>(&self, fut: impl std::future::Future<Output = T>) -> Fallible<T> {
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

/// Where rotated OAuth tokens go. `save` gets the new token set as JSON
/// (`{accessToken, refreshToken, expiresAtMs, userType, locationId, …}`)
/// **before** the new access token is used (on the thread of a blocking call
/// or on a libcontacts thread; keep it short), and
/// returns 0 once it is stored (anything else fails the call with
/// `CONTACTS_CODE_TOKEN_STORE`; the tokens are offered again on the next
/// call). `finalize`, if set, runs once when the client is freed. The JSON is
/// borrowed for the duration of `save`. `save` must not call back into
/// libcontacts.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct contacts_token_store {
    /// Passed back to `save` and `finalize`.
    pub userdata: *mut c_void,
    /// Stores a token set; 0 on success.
    pub save: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            tokens_json: *const c_char,
            tokens_len: usize,
        ) -> i32,
    >,
    /// Releases `userdata`; may be NULL.
    pub finalize: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

struct HostStore(contacts_token_store);

// The host promises (by the documented contract) that `save` may be called
// from any thread; userdata is its business.
unsafe impl Send for HostStore {}
unsafe impl Sync for HostStore {}

impl TokenStore for HostStore {
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String> {
        let json = serde_json::to_string(tokens).map_err(|e| e.to_string())?;
        let Some(save) = self.0.save else {
            return Err("the token store has no save function".into());
        };
        match unsafe { save(self.0.userdata, json.as_ptr().cast(), json.len()) } {
            0 => Ok(()),
            n => Err(format!("the host's save returned {n}")),
        }
    }
}

impl Drop for HostStore {
    fn drop(&mut self) {
        if let Some(f) = self.0.finalize {
            unsafe { f(self.0.userdata) };
        }
    }
}

/// The async runtime's worker threads unless the first client's config
/// says otherwise. One thread does the IO of every async call: on the 2-core
/// bench machine a second one cost 10–15% more CPU per call (work stealing
/// wakes it for every call) and made calls slower, not faster.
const DEFAULT_WORKER_THREADS: usize = 1;

/// A client. Immutable and thread-safe: share one across threads; every
/// call goes through its one engine (one refresh, one rate budget).
pub struct contacts_client {
    /// For async calls (the multi-thread runtime's HTTP stack).
    client: Client,
    /// The same engine, for blocking calls (the blocking runtime's HTTP stack).
    blocking: Client,
    rt: RuntimeRef,
}

/// Creates a client from a JSON config (`(ptr, len)` UTF-8):
///
/// ```json
/// {"baseUrl": "https://services.leadconnectorhq.com",
///  "credentials": {"kind": "privateIntegrationToken", "token": "pit-…", "locationId": "…"},
///  "oauthClient": {"clientId": "…", "clientSecret": "…"},
///  "retry": {"maxAttempts": 4, "baseDelayMs": 200, "maxDelayMs": 5000},
///  "rateLimits": {"burstMax": 100, "intervalMs": 10000, "dailyMax": 200000},
///  "callTimeoutMs": 30000, "refreshAheadMs": 60000, "versionOverrides": {}, "workerThreads": 1}
/// ```
///
/// Credentials may also be `{"kind": "oauth", "tokens": {"accessToken",
/// "refreshToken", "expiresAtMs", "userType", "locationId"}}` or `{"kind":
/// "agency", "tokens": {…, "companyId"}, "locationId": "…"}`. Unknown fields
/// are refused. `store` (may be NULL) receives rotated tokens; it is copied.
/// On success `*client_out` is owned by the caller: free it with
/// `contacts_client_free`. The first client starts libcontacts' runtime
/// (`workerThreads`, 1 to 64, default 1, only the first client's setting counts).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_new(
    config_json: *const c_char,
    config_len: usize,
    store: *const contacts_token_store,
    client_out: *mut *mut contacts_client,
) -> *mut contacts_error {
    boundary(|| {
        let out = types::out("client_out", client_out)?;
        let v = types::json("config_json", config_json, config_len)?;
        // `workerThreads` is the C ABI's own; the rest is shared with every shell.
        let mut v = v;
        let workers = match v.as_object_mut().and_then(|o| o.remove("workerThreads")) {
            None => DEFAULT_WORKER_THREADS,
            Some(w) => w.as_u64().filter(|w| (1..=64).contains(w)).ok_or_else(|| {
                contacts_error::new(
                    contacts_code::InvalidArgument,
                    "config.workerThreads must be an integer from 1 to 64",
                )
            })? as usize,
        };
        let settings = ClientSettings::from_json(&v)?;
        let host_store = match unsafe { store.as_ref() } {
            Some(s) if s.save.is_none() => {
                return Err(contacts_error::new(
                    contacts_code::NullArgument,
                    "store->save is NULL",
                ));
            }
            Some(s) => Some(HostStore(*s)),
            None => None,
        };
        let mut engine_cfg = settings.into_engine_config();
        engine_cfg.token_store = host_store.map(|s| Arc::new(s) as Arc<dyn TokenStore>);
        let rt = RuntimeRef::acquire(workers)?;
        let client = Client::with_http(engine_cfg, rt.0.http.clone());
        let blocking = client.over_http(rt.0.blocking_http.clone());
        *out = Box::into_raw(Box::new(contacts_client {
            client,
            blocking,
            rt,
        }));
        Ok(())
    })
}

/// Frees a client. NULL is fine; never free twice. Calls still running keep
/// what they need; the runtime stops when the last client is freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_free(client: *mut contacts_client) {
    crate::free_boxed(client);
}

fn op_args(
    name: *const c_char,
    name_len: usize,
    params: *const c_char,
    params_len: usize,
) -> Fallible<(String, Value)> {
    let name = types::text("name", name, name_len)?;
    contacts_core::catalog::action_name(name)?;
    let params = types::json("params_json", params, params_len)?;
    Ok((name.to_string(), params))
}

/// Calls operation `name` (a catalog name such as `contacts.get`) with JSON
/// params, blocking until it is done (retries, refresh and rate waits
/// included, within the client's call timeout). Safe from any thread, but
/// not from inside a libcontacts callback. On success `*result_out` holds
/// the JSON result, owned by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_call(
    client: *const contacts_client,
    name: *const c_char,
    name_len: usize,
    params_json: *const c_char,
    params_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let c = types::handle("client", client)?;
        let out = types::out("result_out", result_out)?;
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let text = c.rt.block_on(c.blocking.call_text(&name, params))??;
        *out = Box::into_raw(contacts_result::from_text(text));
        Ok(())
    })
}

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
        let c = types::handle("client", client)?;
        let Some(done) = completion else {
            return Err(contacts_error::new(
                contacts_code::NullArgument,
                "completion is NULL",
            ));
        };
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let handle = Box::new(contacts_call {
            cancel: Mutex::new(Some(tx)),
        });
        let (client, ud, rt) = (c.client.clone(), SendPtr(userdata), c.rt.clone());
        c.rt.handle().spawn(async move {
            // Keeps the runtime up until the completion has run, even if the
            // client is freed meanwhile.
            let _rt = rt;
            let cancelled = async {
                // A dropped handle is not a cancellation.
                if rx.await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            let outcome = tokio::select! {
                r = client.call_text(&name, params) => r.map_err(|e| contacts_error::from_core(&e)),
                () = cancelled => Err(contacts_error::new(contacts_code::Cancelled, "the call was cancelled")),
            };
            let ud = ud;
            match outcome {
                Ok(text) => unsafe { done(ud.0, Box::into_raw(contacts_result::from_text(text)), std::ptr::null_mut()) },
                Err(e) => unsafe { done(ud.0, std::ptr::null_mut(), Box::into_raw(e)) },
            }
        });
        if !call_out.is_null() {
            unsafe { *call_out = Box::into_raw(handle) };
        }
        Ok(())
    })
}

/// Cancels an async call: its completion runs (once) with
/// `CONTACTS_CODE_CANCELLED` unless it already ran. NULL and repeated calls
/// are fine. A token refresh the call started still completes.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_call_cancel(call: *const contacts_call) {
    crate::getter((), || {
        if let Some(c) = unsafe { call.as_ref() } {
            if let Some(tx) = c.cancel.lock().unwrap_or_else(|p| p.into_inner()).take() {
                let _ = tx.send(());
            }
        }
    })
}

/// Frees an async call handle (the call goes on). NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_call_free(call: *mut contacts_call) {
    crate::free_boxed(call);
}

/// A walk through the pages of a paginated operation. Use from one thread
/// at a time; free with `contacts_cursor_free`.
pub struct contacts_cursor {
    walk: PageWalk<NativeTransport, JsonCall>,
    rt: RuntimeRef,
}

/// Starts a page walk of operation `name` (e.g. `contacts.list`,
/// `contacts.search`) from `params`. The cursor keeps its own reference to
/// the client's engine. On success `*cursor_out` is owned by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_new(
    client: *const contacts_client,
    name: *const c_char,
    name_len: usize,
    params_json: *const c_char,
    params_len: usize,
    cursor_out: *mut *mut contacts_cursor,
) -> *mut contacts_error {
    boundary(|| {
        let c = types::handle("client", client)?;
        let out = types::out("cursor_out", cursor_out)?;
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let walk = c.blocking.driver().pages_json(&name, params)?;
        *out = Box::into_raw(Box::new(contacts_cursor {
            walk,
            rt: c.rt.clone(),
        }));
        Ok(())
    })
}

/// Fetches the next page (blocking). On success `*page_out` is the page's
/// JSON result, owned by the caller, or NULL when the walk is over. A page
/// that fails leaves the cursor where it was: the next call asks again.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_next(
    cursor: *mut contacts_cursor,
    page_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let c = unsafe { cursor.as_mut() }
            .ok_or_else(|| contacts_error::new(contacts_code::NullArgument, "cursor is NULL"))?;
        let out = types::out("page_out", page_out)?;
        let page = c.rt.block_on(c.walk.next())??;
        *out = match page {
            Some(page) => Box::into_raw(contacts_result::new(&page)),
            None => std::ptr::null_mut(),
        };
        Ok(())
    })
}

/// Frees a cursor. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_free(cursor: *mut contacts_cursor) {
    crate::free_boxed(cursor);
}
