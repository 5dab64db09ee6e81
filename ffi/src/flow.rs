//! Flows (`contacts_core::flows`): a flow loaded once and bound to a client
//! and a state store, then dispatched events, async or blocking; its poll,
//! its resume, and its run log.

use crate::boundary::{boundary, getter};
use crate::call::{contacts_call, contacts_completion};
use crate::checked;
use crate::client::contacts_client;
use crate::error::{Fallible, contacts_code, contacts_error};
use crate::result::contacts_result;
use crate::runtime::RuntimeRef;
use crate::state_store::{HostStateStore, contacts_state_store};
use crate::views::contacts_str;
use contacts_core::flows::{self, Flow};
use contacts_core::native::Client;
use contacts_core::state::HostStore;
use serde_json::Value;
use std::ffi::CString;
use std::os::raw::{c_char, c_void};
use std::sync::Arc;

/// A flow bound to a client and its state store. Immutable and
/// thread-safe: dispatch from any thread; each event runs once however
/// many threads or processes (sharing the store) are given it. Owned by the
/// caller: `contacts_flow_free`.
pub struct contacts_flow {
    flow: Arc<Flow>,
    name: CString,
    client: Client,
    blocking: Client,
    rt: RuntimeRef,
}

/// Loads the flow `flow_json` (the catalog's `flow` schema) for `client`,
/// its run log in `state_store` (copied; NULL: the client's own, from
/// `config.state` or `contacts_client_new_with_state`). On success
/// `*flow_out` is owned by the caller; it holds what it needs of the client,
/// which may be freed meanwhile.
///
/// Errors: `CONTACTS_CODE_INVALID_ARGUMENT` whose message starts with the
/// flow's JSON path for a bad flow (an unknown action or param, a path
/// that refers to nothing, steps that read each other in a cycle, a bad
/// mapping template), or when neither the client nor `state_store` keeps
/// state; `INVALID_JSON`; `NULL_ARGUMENT` for a NULL `state_store->call`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_new(
    client: *const contacts_client,
    flow_json: *const c_char,
    flow_len: usize,
    state_store: *const contacts_state_store,
    flow_out: *mut *mut contacts_flow,
) -> *mut contacts_error {
    // Owned at once, so its finalize runs once whatever fails below.
    let host = checked::peek(state_store).map(|s| HostStateStore::new(*s));
    boundary(move || {
        let c = checked::handle("client", client)?;
        let out = checked::out("flow_out", flow_out)?;
        let json = checked::json("flow_json", flow_json, flow_len)?;
        let flow = Flow::load(&json)?;
        let (client, blocking) = match host {
            Some(host) if !host.has_call() => {
                return Err(contacts_error::new(
                    contacts_code::NullArgument,
                    "state_store->call is NULL",
                ));
            }
            Some(host) => {
                let store = Arc::new(HostStore(host));
                (
                    c.client.clone().with_state(store.clone())?,
                    c.blocking.clone().with_state(store)?,
                )
            }
            None if c.client.driver().state("flows").is_err() => {
                return Err(contacts_error::new(
                    contacts_code::InvalidArgument,
                    "a flow keeps its run log in a state store: give the client one (config.state) or pass state_store",
                ));
            }
            None => (c.client.clone(), c.blocking.clone()),
        };
        let name = CString::new(flow.name()).map_err(|_| {
            contacts_error::new(
                contacts_code::InvalidArgument,
                "the flow's name holds a NUL",
            )
        })?;
        out.put(Box::new(contacts_flow {
            flow: Arc::new(flow),
            name,
            client,
            blocking,
            rt: c.rt.clone(),
        }));
        Ok(())
    })
}

/// Frees a flow. NULL is fine; never free twice. Dispatches in flight keep
/// what they need.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_free(flow: *mut contacts_flow) {
    checked::free_boxed(flow);
}

/// The flow as loaded: `{name, fingerprint, trigger, steps: [{name,
/// action, recovery}]}`, steps in run order, in `*result_out` (the
/// caller's).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_summary(
    flow: *const contacts_flow,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let out = checked::out("result_out", result_out)?;
        out.put(contacts_result::new(&f.flow.summary()));
        Ok(())
    })
}

struct SendPtr(*mut c_void);
// SAFETY: the host's contract: userdata may be used from a libcontacts thread.
unsafe impl Send for SendPtr {}

/// Dispatches `event_json` (a HighLevel event, verified or polled, or a
/// host event `{type, id, data}`) to the flow without blocking;
/// `completion(userdata, result, error)` runs once, on a libcontacts
/// thread, with the run (`{runId, state, steps, …, replayed}`): a second
/// dispatch of one event sends nothing and says `replayed`. A failed step,
/// an event the mapping refuses and an unknown outcome are runs (`state`),
/// not errors. On success `*call_out` (optional) cancels it: a run cut short
/// goes on at the next dispatch of its event. If this returns an error,
/// `completion` never runs.
///
/// Errors (to the completion): `INVALID_ARGUMENT` for an event that is not
/// one (no `type`, a host event without an `id`); `STATE` for a store that
/// fails or holds a corrupt record (nothing is sent); a step's error that
/// leaves the run resumable.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_dispatch(
    flow: *const contacts_flow,
    event_json: *const c_char,
    event_len: usize,
    completion: contacts_completion,
    userdata: *mut c_void,
    call_out: *mut *mut contacts_call,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let Some(done) = completion else {
            return Err(contacts_error::new(
                contacts_code::NullArgument,
                "completion is NULL",
            ));
        };
        let event = checked::json("event_json", event_json, event_len)?;
        let (handle, cancelled) = contacts_call::new();
        let (flow, client, ud, rt) = (
            f.flow.clone(),
            f.client.clone(),
            SendPtr(userdata),
            f.rt.clone(),
        );
        f.rt.handle().spawn(async move {
            // Keeps the runtime up until the completion has run.
            let _rt = rt;
            let outcome = tokio::select! {
                r = client.dispatch_flow(&flow, event) => {
                    r.map(|run| run.to_json()).map_err(|e| contacts_error::from_core(&e))
                }
                () = cancelled => Err(contacts_error::new(contacts_code::Cancelled, "the dispatch was cancelled")),
            };
            let ud = ud;
            match outcome {
                Ok(result) => unsafe {
                    done(ud.0, Box::into_raw(contacts_result::new(&result)), std::ptr::null_mut())
                },
                Err(e) => unsafe { done(ud.0, std::ptr::null_mut(), Box::into_raw(e)) },
            }
        });
        if let Some(out) = checked::optional_out(call_out) {
            out.put(handle);
        }
        Ok(())
    })
}

/// `contacts_flow_dispatch`, blocking the calling thread until the run is
/// over: the run in `*result_out` (the caller's). Errors as the async one's
/// completion gets them. Not from inside a libcontacts callback.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_dispatch_blocking(
    flow: *const contacts_flow,
    event_json: *const c_char,
    event_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let out = checked::out("result_out", result_out)?;
        let event = checked::json("event_json", event_json, event_len)?;
        let run = f.rt.block_on(f.blocking.dispatch_flow(&f.flow, event))??;
        out.put(contacts_result::new(&run.to_json()));
        Ok(())
    })
}

/// Polls the flow's trigger once (params as `contacts_client_poll` takes
/// them, JSON; NULL with length 0 for `{}`) and dispatches each event, the
/// checkpoint kept in the state store; blocks. `*result_out` is `{runs,
/// more, requests}`. The first poll is the baseline: it runs nothing.
///
/// Errors: `INVALID_ARGUMENT` for a host-event flow or a trigger only
/// webhooks report, or bad params; then as a poll and a dispatch.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_poll(
    flow: *const contacts_flow,
    params_json: *const c_char,
    params_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let out = checked::out("result_out", result_out)?;
        let params = optional_json("params_json", params_json, params_len)?;
        let polled = f.rt.block_on(f.blocking.poll_flow(&f.flow, params))??;
        out.put(contacts_result::new(&polled.to_json()));
        Ok(())
    })
}

/// Goes on with the runs a stopped runner left (a process that died
/// mid-run) whose leases have lapsed; blocks. `*result_out` is the list of
/// runs resumed. What a restarted host calls first.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_resume(
    flow: *const contacts_flow,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let out = checked::out("result_out", result_out)?;
        let runs = f.rt.block_on(f.blocking.resume_flow_runs(&f.flow))??;
        let list: Vec<Value> = runs.iter().map(|r| r.to_json()).collect();
        out.put(contacts_result::new(&Value::from(list)));
        Ok(())
    })
}

/// The flow's run log, latest first, at most `limit` runs: a list of run
/// records in `*result_out`. With `run_id` (UTF-8, not NULL), that one run,
/// or `CONTACTS_CODE_NOT_FOUND`; pass NULL with length 0 for the list.
/// Errors: `STATE` for a store that fails or a corrupt record.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_log(
    flow: *const contacts_flow,
    run_id: *const c_char,
    run_id_len: usize,
    limit: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let f = checked::handle("flow", flow)?;
        let out = checked::out("result_out", result_out)?;
        let name = f.flow.name();
        let log = if run_id.is_null() && run_id_len == 0 {
            let runs = f.rt.block_on(f.blocking.flow_runs(Some(name), limit))??;
            Value::from(runs.iter().map(|r| r.to_json()).collect::<Vec<_>>())
        } else {
            let id = checked::text("run_id", run_id, run_id_len)?;
            match f.rt.block_on(f.blocking.flow_run(name, id))?? {
                Some(run) => run.to_json(),
                None => {
                    return Err(contacts_error::new(
                        contacts_code::NotFound,
                        &format!("flow {name} has no run {id}"),
                    ));
                }
            }
        };
        out.put(contacts_result::new(&log));
        Ok(())
    })
}

/// JSON text, or `{}` for NULL with length 0.
fn optional_json(what: &str, ptr: *const c_char, len: usize) -> Fallible<Value> {
    if ptr.is_null() && len == 0 {
        return Ok(Value::Object(Default::default()));
    }
    checked::json(what, ptr, len)
}

/// The flow's name (NUL-terminated UTF-8), borrowed for the flow's
/// lifetime; empty for a NULL flow.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_name(flow: *const contacts_flow) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(flow).map_or(contacts_str::empty(), |f| contacts_str::of(&f.name))
    })
}

/// The HTTP status a webhook receiver answers a delivery with
/// (`contacts_core::flows::delivery_status`), from the `contacts_code` of
/// the error verifying or dispatching it gave, 0 for a run: 200 for a run
/// (even a failed one), 401 for a forged or unsigned delivery, 400 for a
/// stale, replayed or malformed one (and for the ABI's own bad-input
/// codes), 429 when the run stopped and can go on, since HighLevel
/// redelivers only after a 429. Never fails.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_flow_delivery_status(code: u32) -> u16 {
    getter(429, || {
        let bad_input = [
            contacts_code::NullArgument,
            contacts_code::InvalidUtf8,
            contacts_code::InvalidJson,
        ];
        if code == 0 {
            return flows::delivery_status(None);
        }
        if bad_input.iter().any(|c| *c as u32 == code) {
            return flows::delivery_status(Some(contacts_core::ErrorCode::InvalidArgument));
        }
        let core = contacts_core::ErrorCode::ALL
            .into_iter()
            .find(|c| contacts_code::from(*c) as u32 == code);
        flows::delivery_status(Some(core.unwrap_or(contacts_core::ErrorCode::Transport)))
    })
}
