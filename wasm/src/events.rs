//! The event stream to JS listeners (`client.on('event', fn)`,
//! `verifier.on('event', fn)`) and the client's usage report
//! (`client.usage()`). The events are the core's; this file only turns them
//! into objects and calls the listeners.

use crate::client::ContactsClient;
use crate::js;
use crate::webhooks::WebhookVerifier;
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
    fn on(
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
    fn off(
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
        let engine = self.inner.base.borrow().engine().clone();
        self.inner
            .listeners
            .on(name, listener, &options, |o, opts| {
                engine.set_observer(o, opts)
            })
    }

    /// Stops calling `listener` (added with `on`).
    pub fn off(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "(event: ContactsEvent) => void")] listener: JsValue,
    ) -> Result<(), JsValue> {
        let engine = self.inner.base.borrow().engine().clone();
        self.inner
            .listeners
            .off(name, &listener, |o, opts| engine.set_observer(o, opts))
    }

    /// The rate budget and counts of this client's location now:
    /// `{locations: [{location, burst, daily, lastHeaders, counts}]}`.
    #[wasm_bindgen(unchecked_return_type = "ClientUsage")]
    pub fn usage(&self) -> JsValue {
        let usage = self.inner.base.borrow().engine().usage(js::now_ms());
        js_sys::JSON::parse(&format!("{{\"locations\":[{}]}}", usage.to_json()))
            .unwrap_or(JsValue::NULL)
    }
}

#[wasm_bindgen]
impl WebhookVerifier {
    /// Calls `listener` with an event per delivery checked:
    /// `webhook_accepted` (level info, with `eventType` and `location`) or
    /// `webhook_refused` (level warn, with `code`). Never the signature or
    /// the body. `options.level` as for `client.on`.
    pub fn on(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "(event: ContactsEvent) => void")] listener: JsValue,
        #[wasm_bindgen(unchecked_param_type = "EventOptions")] options: JsValue,
    ) -> Result<(), JsValue> {
        self.listeners.on(name, listener, &options, |o, opts| {
            self.inner.set_observer(o, opts)
        })
    }

    /// Stops calling `listener` (added with `on`).
    pub fn off(
        &self,
        name: &str,
        #[wasm_bindgen(unchecked_param_type = "(event: ContactsEvent) => void")] listener: JsValue,
    ) -> Result<(), JsValue> {
        self.listeners
            .off(name, &listener, |o, opts| self.inner.set_observer(o, opts))
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
