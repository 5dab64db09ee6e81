//! A client's or a verifier's JS listeners (`on('event', fn)`) as the
//! core's observer: events become objects, each listener gets those at its
//! level. The `on`/`off` methods that reach them are in `events.rs`.

use crate::js;
use contacts_core::observe::{Event, Level, Observer, ObserverOptions};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// One listener: its function, the least severe level it wants, and
/// whether it asked for contact data.
type Listener = (js_sys::Function, Level, bool);

/// The listeners of one client or verifier.
#[derive(Default)]
pub(crate) struct Listeners(RefCell<Vec<Listener>>);

/// The core's observer over a set of listeners.
struct JsObserver(Rc<Listeners>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one
// thread; the engine (and with it this observer) never leaves it.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Send for JsObserver {}
// SAFETY: as above.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for JsObserver {}

impl Observer for JsObserver {
    fn event(&self, event: &Event<'_>) {
        // Cloned out, so a listener may add or remove listeners.
        let listeners = self.0.0.borrow().clone();
        let level = event.level();
        let Ok(object) = js_sys::JSON::parse(&event.to_json()) else {
            return;
        };
        for (listener, wanted, _) in listeners {
            if level <= wanted {
                // A listener's throw must not fail the work it watches.
                let _ = listener.call1(&JsValue::NULL, &object);
            }
        }
    }
}

impl Listeners {
    /// Adds `listener` for event `name` with `options`, then hands the
    /// observer to `set`.
    pub(crate) fn on(
        self: &Rc<Self>,
        name: &str,
        listener: JsValue,
        options: &JsValue,
        set: impl FnOnce(Option<Arc<dyn Observer>>, ObserverOptions),
    ) -> Result<(), JsValue> {
        event_name(name)?;
        let Some(listener) = js::optional_function("listener", listener)? else {
            return Err(js::invalid("on('event', listener) needs a function"));
        };
        let options = js::to_json("options", options)?;
        let level = match options.get("level") {
            None | Some(serde_json::Value::Null) => Level::Info,
            Some(l) => l.as_str().and_then(Level::from_name).ok_or_else(|| {
                js::invalid(format!(
                    "options.level is 'error', 'warn', 'info' or 'debug', not {l}"
                ))
            })?,
        };
        let contact_data = options
            .get("contactData")
            .and_then(serde_json::Value::as_bool);
        self.0
            .borrow_mut()
            .push((listener, level, contact_data.unwrap_or(false)));
        self.attach(set);
        Ok(())
    }

    /// Removes `listener` for event `name`, then hands the observer (or
    /// `None`, when no listener is left) to `set`.
    pub(crate) fn off(
        self: &Rc<Self>,
        name: &str,
        listener: &JsValue,
        set: impl FnOnce(Option<Arc<dyn Observer>>, ObserverOptions),
    ) -> Result<(), JsValue> {
        event_name(name)?;
        self.0
            .borrow_mut()
            .retain(|(f, _, _)| !js_sys::Object::is(f, listener));
        self.attach(set);
        Ok(())
    }

    /// The observer at the least severe level any listener wants, with
    /// contact data if any asked for it; `None` when there are none.
    fn attach(self: &Rc<Self>, set: impl FnOnce(Option<Arc<dyn Observer>>, ObserverOptions)) {
        let min_level = self.0.borrow().iter().map(|(_, l, _)| *l).max();
        let contact_data = self.0.borrow().iter().any(|(_, _, c)| *c);
        match min_level {
            Some(min_level) => set(
                Some(Arc::new(JsObserver(self.clone()))),
                ObserverOptions {
                    min_level,
                    contact_data,
                },
            ),
            None => set(None, ObserverOptions::default()),
        }
    }
}

fn event_name(name: &str) -> Result<(), JsValue> {
    if name == "event" {
        Ok(())
    } else {
        Err(js::invalid(format!(
            "no event {name:?}: the one name is 'event'"
        )))
    }
}
