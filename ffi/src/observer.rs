//! The client's event stream, to a C callback, and its usage report.

use crate::boundary::boundary;
use crate::checked;
use crate::client::contacts_client;
use crate::error::contacts_error;
use crate::observer_gate::contacts_observer_fn;
use crate::result::contacts_result;
use crate::webhook::contacts_webhook_verifier;
use std::os::raw::c_void;

/// Sends the client's events to `callback` (with `userdata`), those at
/// least as severe as `min_level` (`CONTACTS_LEVEL_ERROR` … `_DEBUG`, OR'd
/// with `CONTACTS_OBSERVE_CONTACT_DATA` to include contact data), replacing
/// the callback set before. A NULL `callback` turns events off (whatever
/// `min_level` says).
///
/// Each event is one JSON object (`at`, `level`, `kind`, `callId`, `op`,
/// `location`, then the kind's fields; `ffi/README.md` lists them). It never
/// holds a token, a secret, a header value or a body. The callback runs on
/// the thread of a blocking call or on a libcontacts thread, never two at
/// once for one client, and must not call back into libcontacts. Once this
/// function returns, the callback it replaced is not called again, so its
/// userdata may be freed. Errors: NULL_ARGUMENT for a NULL client,
/// INVALID_ARGUMENT for a level out of range with a callback.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_set_observer(
    client: *const contacts_client,
    callback: contacts_observer_fn,
    userdata: *mut c_void,
    min_level: u32,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        c.observer
            .attach(callback, userdata, min_level, |o, options| {
                c.client.engine().set_observer(o, options)
            })
    })
}

/// Sends the verifier's events (`webhook_accepted` with the event's type
/// and location, `webhook_refused` with the code) to `callback`, as
/// `contacts_client_set_observer` does for a client: the same JSON, levels,
/// one event at a time, NULL to turn them off. The callback runs on the
/// thread that calls `contacts_webhook_verify`. Events never hold the
/// signature or the body.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_webhook_verifier_set_observer(
    verifier: *const contacts_webhook_verifier,
    callback: contacts_observer_fn,
    userdata: *mut c_void,
    min_level: u32,
) -> *mut contacts_error {
    boundary(|| {
        let v = checked::handle("verifier", verifier)?;
        v.observer
            .attach(callback, userdata, min_level, |o, options| {
                v.inner.set_observer(o, options)
            })
    })
}

/// The client's rate budget and counts now, as JSON: `{"locations":
/// [{location, at, burst {limit, remaining, intervalMs}, daily {limit,
/// remaining, reset}, lastHeaders, counts {requests, rateLimited, retries,
/// waits, waitMs, refreshes}}]}`. In a fleet, what is left is the fleet's
/// (`budget: "fleet"`), read from its store: the call blocks for that
/// round trip. On success `*result_out` is the caller's.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_client_usage(
    client: *const contacts_client,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        let out = checked::out("result_out", result_out)?;
        let usage = c.rt.block_on(c.blocking.usage())?;
        let usage = contacts_core::observe::Usage::report_json(&[usage]);
        out.put(contacts_result::from_text(usage));
        Ok(())
    })
}
