//! Flows for JS (runtime module): `client.loadFlowWith(flow, phones)` loads
//! a flow once (the package's `client.loadFlow(flow)` passes the phone
//! module for a flow whose mapping reads phones) and gives a `Flow`, whose
//! `run(event)` dispatches one event through the core's runner.

use crate::client::{ContactsClient, Inner, driver};
use crate::js;
use crate::mapping::JsPhones;
use contacts_core::flows;
use contacts_core::mapping::PhoneNumbers;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// A flow loaded for a client: each event runs once (its run log in the
/// client's state store). Made by `client.loadFlow(flow)`.
#[wasm_bindgen(js_name = Flow)]
pub struct JsFlow {
    flow: Rc<flows::Flow>,
    inner: Rc<Inner>,
    phones: Option<Rc<JsPhones>>,
}

/// Whether `flow` (checked on load; a bad one throws `INVALID_ARGUMENT`
/// naming its JSON path) maps phone numbers.
#[wasm_bindgen(js_name = flowUsesPhone)]
pub fn flow_uses_phone(
    #[wasm_bindgen(unchecked_param_type = "FlowDefinition")] flow: JsValue,
) -> Result<bool, JsValue> {
    let json = js::to_json("flow", &flow)?;
    Ok(flows::Flow::load(&json)
        .map_err(|e| js::error(&e))?
        .uses_phone())
}

/// The HTTP status a webhook receiver answers a delivery with: `error` is
/// what verifying or running it threw (`null` or `undefined`: a run). 200
/// for a run (even a failed one), 401 for a forged or unsigned delivery,
/// 400 for a stale or malformed one, 429 when the run stopped and can go
/// on (HighLevel redelivers only after a 429).
#[wasm_bindgen(js_name = flowDeliveryStatus)]
pub fn flow_delivery_status(error: JsValue) -> u16 {
    if error.is_null() || error.is_undefined() {
        return flows::delivery_status(None);
    }
    let code = js_sys::Reflect::get(&error, &"code".into())
        .ok()
        .and_then(|c| c.as_string())
        .and_then(|name| contacts_core::ErrorCode::from_name(&name));
    flows::delivery_status(Some(code.unwrap_or(contacts_core::ErrorCode::Transport)))
}

#[wasm_bindgen]
impl ContactsClient {
    /// Loads `flow` for this client (use the package's `client.loadFlow`,
    /// which passes the phone reader). Throws `INVALID_ARGUMENT` naming the
    /// flow's JSON path for a bad flow, or when the client keeps no state
    /// (`setStateStore`, or `config.state`).
    #[wasm_bindgen(js_name = loadFlowWith)]
    pub fn load_flow_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FlowDefinition")] flow: JsValue,
        phones: Option<js_sys::Function>,
    ) -> Result<JsFlow, JsValue> {
        let json = js::to_json("flow", &flow)?;
        let flow = flows::Flow::load(&json).map_err(|e| js::error(&e))?;
        self.inner
            .base
            .borrow()
            .state("flows")
            .map_err(|e| js::error(&e))?;
        Ok(JsFlow {
            flow: Rc::new(flow),
            inner: self.inner.clone(),
            phones: phones.map(|f| Rc::new(JsPhones(f))),
        })
    }
}

#[wasm_bindgen(js_class = Flow)]
impl JsFlow {
    /// The flow's name, which keys its run log.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.flow.name().to_owned()
    }

    /// `{name, fingerprint, trigger, steps: [{name, action, recovery}]}`,
    /// the steps in run order.
    #[wasm_bindgen(unchecked_return_type = "FlowSummary")]
    pub fn summary(&self) -> JsValue {
        js::from_json(&self.flow.summary())
    }

    /// Runs the flow for `event` (a HighLevel event, verified or polled, or
    /// a host event `{type, id, data}`), once: resolves to the run (`state`,
    /// `steps`, `replayed`). A failed step or an invalid event is a run;
    /// it rejects for an event that is not one, a failing store, or a run
    /// cut short (it goes on at the next run of the event).
    /// `options.signal` cuts it short.
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowRun>")]
    pub fn run(&self, event: JsValue, options: JsValue) -> js_sys::Promise {
        let (flow, inner, phones) = (self.flow.clone(), self.inner.clone(), self.phones.clone());
        future_to_promise(async move {
            let event = js::to_json("event", &event)?;
            let signal = js::signal_of(&options)?;
            let phones = phones.as_deref().map(|p| p as &dyn PhoneNumbers);
            let run = driver(&inner, signal)
                .dispatch_flow(&flow, event, phones)
                .await
                .map_err(|e| js::error(&e))?;
            Ok(js::from_json(&run.to_json()))
        })
    }

    /// Polls the flow's trigger once (`PollParams`) and runs each event, the
    /// checkpoint kept in the state store: resolves to `{runs, more,
    /// requests}`. The first poll is the baseline: it runs nothing.
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowPoll>")]
    pub fn poll(&self, params: JsValue, options: JsValue) -> js_sys::Promise {
        let (flow, inner, phones) = (self.flow.clone(), self.inner.clone(), self.phones.clone());
        future_to_promise(async move {
            let params = match params.is_undefined() || params.is_null() {
                true => serde_json::json!({}),
                false => js::to_json("params", &params)?,
            };
            let signal = js::signal_of(&options)?;
            let phones = phones.as_deref().map(|p| p as &dyn PhoneNumbers);
            let polled = driver(&inner, signal)
                .poll_flow(&flow, params, phones)
                .await
                .map_err(|e| js::error(&e))?;
            Ok(js::from_json(&polled.to_json()))
        })
    }

    /// Goes on with the runs a stopped runner left (a page closed, a process
    /// that died mid-run) whose leases have lapsed: resolves to those runs.
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowRun[]>")]
    pub fn resume(&self) -> js_sys::Promise {
        let (flow, inner, phones) = (self.flow.clone(), self.inner.clone(), self.phones.clone());
        future_to_promise(async move {
            let phones = phones.as_deref().map(|p| p as &dyn PhoneNumbers);
            let runs = driver(&inner, JsValue::UNDEFINED)
                .resume_flow_runs(&flow, phones)
                .await
                .map_err(|e| js::error(&e))?;
            let list: Vec<serde_json::Value> = runs.iter().map(|r| r.to_json()).collect();
            Ok(js::from_json(&serde_json::Value::from(list)))
        })
    }

    /// The run log, latest first (`options.limit`, default 20), or one run
    /// (`options.runId`; rejects `NOT_FOUND` for an unknown one).
    #[wasm_bindgen(unchecked_return_type = "Promise<FlowRecord[] | FlowRecord>")]
    pub fn log(
        &self,
        #[wasm_bindgen(unchecked_param_type = "FlowLogOptions")] options: JsValue,
    ) -> js_sys::Promise {
        let (flow, inner) = (self.flow.clone(), self.inner.clone());
        future_to_promise(async move {
            let o = js::to_json("options", &options)?;
            if !(o.is_null() || o.is_object()) {
                return Err(js::invalid("options must be an object"));
            }
            if let Some(key) = o
                .as_object()
                .and_then(|m| m.keys().find(|k| !matches!(k.as_str(), "limit" | "runId")))
            {
                return Err(js::invalid(format!(
                    "options.{key}: not an option of log (limit, runId)"
                )));
            }
            let d = driver(&inner, JsValue::UNDEFINED);
            match o.get("runId").filter(|v| !v.is_null()) {
                Some(id) => {
                    let id = id
                        .as_str()
                        .ok_or_else(|| js::invalid("options.runId must be text"))?;
                    match d
                        .flow_run(flow.name(), id)
                        .await
                        .map_err(|e| js::error(&e))?
                    {
                        Some(run) => Ok(js::from_json(&run.to_json())),
                        None => Err(js::error(&contacts_core::Error::new(
                            contacts_core::ErrorCode::NotFound,
                            format!("flow {} has no run {id}", flow.name()),
                        ))),
                    }
                }
                None => {
                    let limit =
                        match o.get("limit") {
                            None | Some(serde_json::Value::Null) => 20,
                            Some(v) => v.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
                                js::invalid("options.limit is a whole number from 1")
                            })? as usize,
                        };
                    let runs = d
                        .flow_runs(Some(flow.name()), limit)
                        .await
                        .map_err(|e| js::error(&e))?;
                    let list: Vec<serde_json::Value> = runs.iter().map(|r| r.to_json()).collect();
                    Ok(js::from_json(&serde_json::Value::from(list)))
                }
            }
        })
    }
}
