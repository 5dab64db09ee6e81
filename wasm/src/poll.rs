//! Polling triggers from JS (the runtime module only): `client.poll(triggers,
//! params, checkpoint)` and `client.watch(triggers, options)`, an async
//! iterator of poll outcomes. The main module's entry file gives its client
//! two methods that refuse, saying where polling runs
//! (`wasm/js/scripts/build.mjs`).

use crate::client::ContactsClient;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl ContactsClient {
    /// Polls `triggers` ("ContactCreate,ContactUpdate", or an array of
    /// names) with `params` (`PollParams`) from `checkpoint` (a string, or
    /// null for the baseline, which reports nothing); resolves to `{events,
    /// checkpoint, more, requests}`. Keep the checkpoint only once the
    /// events are handled. Needs a state store (`setStateStore`, or
    /// `config.state`). `options.signal` cancels it; the state it wrote is
    /// then not committed.
    #[wasm_bindgen(skip_typescript)]
    pub fn poll(
        &self,
        triggers: JsValue,
        params: JsValue,
        checkpoint: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        imp::poll(self, triggers, params, checkpoint, options)
    }

    /// Polls `triggers` every `options.intervalMs` (default 60000) from
    /// `options.checkpoint`, as an async iterator of poll outcomes; the
    /// next poll starts when the consumer asks for the next outcome, so a
    /// checkpoint moves only once its events are handled. `options.signal`
    /// ends it; a failed poll throws from the loop.
    #[wasm_bindgen(skip_typescript)]
    pub fn watch(&self, triggers: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
        imp::watch(self, triggers, options)
    }
}

/// The triggers argument: a comma-separated string or an array of names.
fn trigger_list(triggers: &JsValue) -> Result<String, JsValue> {
    if let Some(text) = triggers.as_string() {
        return Ok(text);
    }
    if js_sys::Array::is_array(triggers) {
        let names: Result<Vec<String>, JsValue> = js_sys::Array::from(triggers)
            .iter()
            .map(|t| crate::js::string("triggers[]", &t))
            .collect();
        return Ok(names?.join(","));
    }
    Err(crate::js::invalid(
        "triggers is a trigger name or an array of names",
    ))
}

mod imp {
    use super::trigger_list;
    use crate::client::{ContactsClient, Inner, driver};
    use crate::js;
    use contacts_core::driver::Transport;
    use serde_json::Value;
    use std::cell::RefCell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen_futures::future_to_promise;

    fn checkpoint_arg(value: &JsValue) -> Result<Option<String>, JsValue> {
        if value.is_null() || value.is_undefined() {
            return Ok(None);
        }
        js::string("checkpoint", value).map(Some)
    }

    pub fn poll(
        client: &ContactsClient,
        triggers: JsValue,
        params: JsValue,
        checkpoint: JsValue,
        options: JsValue,
    ) -> js_sys::Promise {
        let inner = client.inner.clone();
        future_to_promise(async move {
            let triggers = trigger_list(&triggers)?;
            let params = js::to_json("params", &params)?;
            let checkpoint = checkpoint_arg(&checkpoint)?;
            let signal = js::signal_of(&options)?;
            let outcome = driver(&inner, signal)
                .poll(&triggers, params, checkpoint.as_deref())
                .await
                .map_err(|e| js::error(&e))?;
            Ok(js::from_json(&outcome.to_json()))
        })
    }

    pub fn watch(
        client: &ContactsClient,
        triggers: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let triggers = trigger_list(&triggers)?;
        let get =
            |name: &str| js_sys::Reflect::get(&options, &name.into()).unwrap_or(JsValue::UNDEFINED);
        let params = js::to_json("options.params", &get("params"))?;
        let checkpoint = checkpoint_arg(&get("checkpoint"))?;
        let interval = get("intervalMs");
        let interval_ms = if interval.is_undefined() || interval.is_null() {
            60_000
        } else {
            interval
                .as_f64()
                .filter(|ms| ms.fract() == 0.0 && *ms >= 1.0 && *ms <= 86_400_000.0)
                .ok_or_else(|| {
                    js::invalid("options.intervalMs is a whole number of ms from 1 to 86400000")
                })? as u64
        };
        let signal = js::signal_of(&options)?;
        let watch = Watch {
            state: Rc::new(RefCell::new(WatchState {
                triggers,
                params,
                checkpoint,
                interval_ms,
                signal,
                started: false,
                more: false,
                busy: false,
            })),
            inner: client.inner.clone(),
        };
        Ok(js::async_iterable(watch.into()))
    }

    struct WatchState {
        triggers: String,
        params: Value,
        checkpoint: Option<String>,
        interval_ms: u64,
        signal: JsValue,
        started: bool,
        more: bool,
        busy: bool,
    }

    /// A watch (wrapped as an async iterable by the glue).
    #[wasm_bindgen]
    pub struct Watch {
        state: Rc<RefCell<WatchState>>,
        inner: Rc<Inner>,
    }

    #[wasm_bindgen]
    impl Watch {
        /// The next poll's outcome, after the interval (at once for the
        /// first, and after a poll cut short); `undefined` once the signal
        /// aborted. One at a time.
        #[wasm_bindgen(skip_typescript)]
        pub fn next(&self) -> js_sys::Promise {
            let (state, inner) = (self.state.clone(), self.inner.clone());
            future_to_promise(async move {
                let (signal, wait) = {
                    let mut s = state.borrow_mut();
                    if s.busy {
                        return Err(js::invalid("a poll is already running; await it first"));
                    }
                    s.busy = true;
                    let wait = if s.started && !s.more {
                        s.interval_ms
                    } else {
                        0
                    };
                    s.started = true;
                    (s.signal.clone(), wait)
                };
                let d = driver(&inner, signal);
                let finish = |v: Result<JsValue, JsValue>| {
                    state.borrow_mut().busy = false;
                    v
                };
                if wait > 0 {
                    d.transport().sleep(wait).await;
                }
                if d.transport().cancelled() {
                    return finish(Ok(JsValue::UNDEFINED));
                }
                let (triggers, params, checkpoint) = {
                    let s = state.borrow();
                    (s.triggers.clone(), s.params.clone(), s.checkpoint.clone())
                };
                let polled = d.poll(&triggers, params, checkpoint.as_deref()).await;
                if d.transport().cancelled() {
                    return finish(Ok(JsValue::UNDEFINED));
                }
                let outcome = match polled {
                    Ok(o) => o,
                    Err(e) => return finish(Err(js::error(&e))),
                };
                {
                    let mut s = state.borrow_mut();
                    s.checkpoint = Some(outcome.checkpoint.clone());
                    s.more = outcome.more;
                }
                finish(Ok(js::from_json(&outcome.to_json())))
            })
        }
    }
}
