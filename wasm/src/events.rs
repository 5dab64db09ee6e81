//! The client's event stream to JS listeners (`client.on('event', fn)`)
//! and its usage report (`client.usage()`). The events are the engine's;
//! this file only turns them into objects and calls the listeners.

use crate::client::ContactsClient;
use crate::js;
use contacts_core::observe::{Event, Level, Observer, ObserverOptions};
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::prelude::*;

/// The listeners of one client, each with the least severe level it wants
/// and whether it asked for contact data.
#[derive(Default)]
pub(crate) struct Listeners(RefCell<Vec<(js_sys::Function, Level, bool)>>);

/// The engine's observer over a client's listeners.
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
                // A listener's throw must not fail the call it watches.
                let _ = listener.call1(&JsValue::NULL, &object);
            }
        }
    }
}

#[wasm_bindgen]
impl ContactsClient {
    /// Calls `listener` with each event of this client (`'event'` is the
    /// only name): `{at, level, kind, callId, op, location, …}`, see
    /// `ContactsEvent`. `options.level` (`'error'`, `'warn'`, `'info'`, the
    /// default, or `'debug'`) is the least severe it gets;
    /// `options.contactData: true` lets events hold ids, queries and error
    /// messages (for every listener of the client while this one is on).
    /// Tokens and secrets are never in an event. With no listener, no event
    /// is built.
    pub fn on(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "(event: ContactsEvent) => void")] listener: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        event_name(name)?;
        let Some(listener) = js::optional_function("listener", listener)? else {
            return Err(js::invalid("on('event', listener) needs a function"));
        };
        let options = js::to_json("options", &options)?;
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
        self.inner
            .listeners
            .0
            .borrow_mut()
            .push((listener, level, contact_data.unwrap_or(false)));
        self.attach();
        Ok(())
    }

    /// Stops calling `listener` (added with `on`).
    pub fn off(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "(event: ContactsEvent) => void")] listener: JsValue,
    ) -> Result<(), JsValue> {
        event_name(name)?;
        self.inner
            .listeners
            .0
            .borrow_mut()
            .retain(|(f, _, _)| !js_sys::Object::is(f, &listener));
        self.attach();
        Ok(())
    }

    /// The rate budget and counts of this client's location now:
    /// `{locations: [{location, burst, daily, lastHeaders, counts}]}`.
    #[wasm_bindgen(unchecked_return_type = "ClientUsage")]
    pub fn usage(&self) -> JsValue {
        let usage = self.inner.base.borrow().engine().usage(js::now_ms());
        js_sys::JSON::parse(&format!("{{\"locations\":[{}]}}", usage.to_json()))
            .unwrap_or(JsValue::NULL)
    }

    /// Points the engine's observer at the listeners, at the least severe
    /// level any of them wants, with contact data if any asked for it; or
    /// detaches it when there are none.
    fn attach(&self) {
        let listeners = &self.inner.listeners;
        let min_level = listeners.0.borrow().iter().map(|(_, l, _)| *l).max();
        let contact_data = listeners.0.borrow().iter().any(|(_, _, c)| *c);
        let engine = self.inner.base.borrow().engine().clone();
        match min_level {
            Some(min_level) => engine.set_observer(
                Some(Arc::new(JsObserver(listeners.clone()))),
                ObserverOptions {
                    min_level,
                    contact_data,
                },
            ),
            None => engine.set_observer(None, ObserverOptions::default()),
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
