//! The event stream's methods on `ContactsClient` (`on`, `off`, `usage`)
//! and `WebhookVerifier` (`on`, `off`), over their listeners
//! (`listeners.rs`).

use crate::client::ContactsClient;
use crate::webhooks::WebhookVerifier;
use wasm_bindgen::prelude::*;

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
    /// `{locations: [{location, budget, burst, daily, lastHeaders,
    /// counts}]}`. In a fleet, what is left is the fleet's, read from
    /// `config.fleet.store` (`budget: "fleet"`).
    #[wasm_bindgen(unchecked_return_type = "Promise<ClientUsage>")]
    pub fn usage(&self) -> js_sys::Promise {
        let driver = self.inner.base.borrow().clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let usage = driver.usage().await;
            js_sys::JSON::parse(&contacts_core::observe::Usage::report_json(&[usage]))
        })
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
