//! The client: created from JSON, calls through the core's driver and the
//! native transport on the runtime libcontacts owns.

use crate::boundary::boundary;
use crate::checked;
use crate::error::{Fallible, contacts_code, contacts_error};
use crate::observer_gate::CallbackGate;
use crate::result::contacts_result;
use crate::runtime::RuntimeRef;
use crate::state_store::{HostStateStore, contacts_state_store};
use crate::token_store::{HostStore as HostTokenStore, contacts_token_store};
use contacts_core::engine::TokenStore;
use contacts_core::native::Client;
use contacts_core::settings::ClientSettings;
use contacts_core::state::{HostStore, StateStore};
use serde_json::Value;
use std::os::raw::c_char;
use std::sync::Arc;

/// The async runtime's worker threads unless the first client's config
/// says otherwise. One thread does the IO of every async call: on the 2-core
/// bench machine a second one cost 10–15% more CPU per call (work stealing
/// wakes it for every call) and made calls slower, not faster.
const DEFAULT_WORKER_THREADS: usize = 1;

/// A client. Immutable and thread-safe: share one across threads; every
/// call goes through its one engine (one refresh, one rate budget).
pub struct contacts_client {
    /// For async calls (the multi-thread runtime's HTTP stack).
    pub(crate) client: Client,
    /// The same engine, for blocking calls (the blocking runtime's HTTP stack).
    pub(crate) blocking: Client,
    /// Keeps the runtime up while the client lives.
    pub(crate) rt: RuntimeRef,
    /// The host's event callback (`contacts_client_set_observer`).
    pub(crate) observer: CallbackGate,
}

/// Creates a client from a JSON config (`(ptr, len)` UTF-8):
///
/// ```json
/// {"baseUrl": "https://services.leadconnectorhq.com",
///  "credentials": {"kind": "privateIntegrationToken", "token": "pit-…", "locationId": "…"},
///  "oauthClient": {"clientId": "…", "clientSecret": "…"},
///  "retry": {"maxAttempts": 4, "baseDelayMs": 200, "maxDelayMs": 5000},
///  "rateLimits": {"burstMax": 100, "intervalMs": 10000, "dailyMax": 200000},
///  "callTimeoutMs": 30000, "refreshAheadMs": 60000, "versionOverrides": {}, "workerThreads": 1,
///  "state": {"sqlite": "/path/state.db"}}
/// ```
///
/// `state` (optional) is where journaling composites (`contacts.capture`)
/// keep it: a SQLite file, or `{"memory": true}`. A file that is not a
/// state store is `CONTACTS_CODE_STATE`.
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
    contacts_client_new_with_state(config_json, config_len, store, std::ptr::null(), client_out)
}

/// Like `contacts_client_new`, with the host's state store (may be NULL;
/// copied) for the composites that journal (`contacts.capture`), in place
/// of the config's `state`. Giving both is `CONTACTS_CODE_INVALID_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_new_with_state(
    config_json: *const c_char,
    config_len: usize,
    store: *const contacts_token_store,
    state_store: *const contacts_state_store,
    client_out: *mut *mut contacts_client,
) -> *mut contacts_error {
    // Owned at once, so its finalize runs once whatever fails below.
    let host = checked::peek(state_store).map(|s| HostStateStore::new(*s));
    boundary(move || {
        let out = checked::out("client_out", client_out)?;
        let v = checked::json("config_json", config_json, config_len)?;
        let mut settings = ClientSettings::from_json(&v)?;
        let configured = settings.take_state();
        // Opened first: `{"fleet": true}` state is the fleet's store.
        let fleet = match settings.take_fleet() {
            Some(f) => Some(f.open(settings.credentials())?),
            None => None,
        };
        let state: Option<Arc<dyn StateStore>> = match (host, configured) {
            (Some(_), Some(_)) => {
                return Err(contacts_error::new(
                    contacts_code::InvalidArgument,
                    "give config.state or a state_store, not both",
                ));
            }
            (Some(host), None) if !host.has_call() => {
                return Err(contacts_error::new(
                    contacts_code::NullArgument,
                    "state_store->call is NULL",
                ));
            }
            (Some(host), None) => Some(Arc::new(HostStore(host))),
            (None, Some(configured)) => Some(configured.open(fleet.as_ref())?),
            (None, None) => None,
        };
        let workers = settings.worker_threads().unwrap_or(DEFAULT_WORKER_THREADS);
        let host_store = match checked::peek(store) {
            Some(s) if s.save.is_none() => {
                return Err(contacts_error::new(
                    contacts_code::NullArgument,
                    "store->save is NULL",
                ));
            }
            Some(s) => Some(HostTokenStore(*s)),
            None => None,
        };
        let mut engine_cfg = settings.into_engine_config();
        engine_cfg.token_store = host_store.map(|s| Arc::new(s) as Arc<dyn TokenStore>);
        engine_cfg.fleet = fleet;
        let rt = RuntimeRef::acquire(workers)?;
        let mut client = Client::with_http(engine_cfg, rt.0.http.clone());
        if let Some(store) = state {
            client = client.with_state(store)?;
        }
        let blocking = client.over_http(rt.0.blocking_http.clone());
        out.put(Box::new(contacts_client {
            client,
            blocking,
            rt,
            observer: CallbackGate::default(),
        }));
        Ok(())
    })
}

/// Frees a client. NULL is fine; never free twice. Calls still running keep
/// what they need; the runtime stops when the last client is freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_free(client: *mut contacts_client) {
    checked::free_boxed(client);
}

/// An action name (checked against the catalog) and its JSON params.
pub(crate) fn op_args(
    name: *const c_char,
    name_len: usize,
    params: *const c_char,
    params_len: usize,
) -> Fallible<(String, Value)> {
    let name = checked::text("name", name, name_len)?;
    contacts_core::catalog::action_name(name)?;
    let params = checked::json("params_json", params, params_len)?;
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
        let c = checked::handle("client", client)?;
        let out = checked::out("result_out", result_out)?;
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let result = c.rt.block_on(c.blocking.call(&name, params))??;
        out.put(contacts_result::new(&result));
        Ok(())
    })
}
