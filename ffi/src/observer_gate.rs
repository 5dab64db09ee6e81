//! The host's event callback behind a lock, shared by the client and the
//! webhook verifier: what `contacts_*_set_observer` attach.

use crate::error::Fallible;
use contacts_core::Error;
use contacts_core::observe::{Event, Level, Observer, ObserverOptions};
use std::os::raw::{c_char, c_void};
use std::sync::{Arc, Mutex};

/// `min_level` of `contacts_client_set_observer`: failures only.
pub const CONTACTS_LEVEL_ERROR: u32 = 1;
/// Failures and what will be tried again (429s, 5xx, refused webhooks).
pub const CONTACTS_LEVEL_WARN: u32 = 2;
/// Also calls finished, rate waits, refreshes, tokens stored.
pub const CONTACTS_LEVEL_INFO: u32 = 3;
/// Also every request and response.
pub const CONTACTS_LEVEL_DEBUG: u32 = 4;
/// OR'd into `min_level`: events may carry contact data (a request's path
/// with its ids and query, an error's message). Off by default.
pub const CONTACTS_OBSERVE_CONTACT_DATA: u32 = 0x100;

/// Receives one event: its level (`CONTACTS_LEVEL_*`) and its JSON
/// (`(ptr, len)` UTF-8, NUL-terminated, borrowed for the call).
pub type contacts_observer_fn = Option<
    unsafe extern "C" fn(userdata: *mut c_void, level: u32, event_json: *const c_char, len: usize),
>;

/// The host's callback and its userdata.
#[derive(Clone, Copy)]
struct Callback {
    callback: unsafe extern "C" fn(*mut c_void, u32, *const c_char, usize),
    userdata: *mut c_void,
}

/// One client's observer: the callback behind a lock, so events reach the
/// host one at a time, and a replaced callback is never called once
/// `contacts_client_set_observer` has returned.
#[derive(Clone, Default)]
pub(crate) struct CallbackGate(Arc<Mutex<Option<Callback>>>);

// The host promises (by the documented contract) that its callback may be
// called from any thread; userdata is its business.
unsafe impl Send for CallbackGate {}
unsafe impl Sync for CallbackGate {}

impl Observer for CallbackGate {
    fn event(&self, event: &Event<'_>) {
        let gate = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(cb) = *gate {
            let mut json = event.to_json();
            let len = json.len();
            json.push('\0');
            // SAFETY: the host's callback, with the userdata it gave and a
            // NUL-terminated buffer that outlives the call.
            unsafe { (cb.callback)(cb.userdata, event.level() as u32, json.as_ptr().cast(), len) };
        }
    }
}

impl CallbackGate {
    /// Puts `callback` behind the gate and hands the observer over it (or
    /// `None` for a NULL callback) to `set`, at `min_level`'s level.
    pub(crate) fn attach(
        &self,
        callback: contacts_observer_fn,
        userdata: *mut c_void,
        min_level: u32,
        set: impl FnOnce(Option<Arc<dyn Observer>>, ObserverOptions),
    ) -> Fallible<()> {
        let contact_data = min_level & CONTACTS_OBSERVE_CONTACT_DATA != 0;
        // Turning events off needs no level.
        let min_level = if callback.is_none() {
            CONTACTS_LEVEL_ERROR
        } else {
            min_level
        };
        let level =
            Level::from_number(min_level & !CONTACTS_OBSERVE_CONTACT_DATA).ok_or_else(|| {
                Error::invalid_argument(format!(
                    "min_level {min_level} is not CONTACTS_LEVEL_ERROR..CONTACTS_LEVEL_DEBUG"
                ))
            })?;
        // Held while the observer is swapped: no event of the old callback
        // is running, or will run, once this returns.
        let mut gate = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *gate = callback.map(|callback| Callback { callback, userdata });
        let observer: Option<Arc<dyn Observer>> = match *gate {
            Some(_) => Some(Arc::new(self.clone())),
            None => None,
        };
        set(
            observer,
            ObserverOptions {
                min_level: level,
                contact_data,
            },
        );
        Ok(())
    }
}
