//! `ContactsClient`: the core engine driven by `fetch`. Every decision
//! (credentials, refresh, rate budget, retries, pages) is the engine's; this
//! file only sends, sleeps, and translates values and errors.

use crate::js::{self, now_ms};
use crate::transport::{self, Failure};
use contacts_core::engine::{
    Engine, JsonCall, Outgoing, Purpose, Step, TokenStore, TransportError, TransportErrorKind,
};
use contacts_core::settings::ClientSettings;
use contacts_core::{Error, ErrorCode, HttpResponse, OAuthTokens, catalog};
use serde_json::Value;
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{JsFuture, future_to_promise, spawn_local};

/// A HighLevel client. Create one per set of credentials and share it: every
/// call goes through its one engine, so there is one token refresh at a time
/// and one rate budget. Calls may run concurrently.
#[wasm_bindgen]
pub struct ContactsClient {
    inner: Rc<Inner>,
}

struct Inner {
    engine: Arc<Engine>,
    on_tokens: Rc<RefCell<Option<js_sys::Function>>>,
    /// `(operation, params, options) => Promise`, shared by the groups.
    call_fn: JsValue,
    groups: RefCell<Vec<(&'static str, JsValue)>>,
}

/// Hands rotated tokens to the `onTokens` callback, synchronously and before
/// the engine uses them; a throw fails the call with `TOKEN_STORE` and the
/// tokens are offered again on the next call.
struct JsTokenStore(Rc<RefCell<Option<js_sys::Function>>>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread;
// the engine (and with it this store) never leaves it. `TokenStore` asks for
// Send + Sync only because native engines are shared across threads.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Send for JsTokenStore {}
// SAFETY: as above.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
unsafe impl Sync for JsTokenStore {}

impl TokenStore for JsTokenStore {
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String> {
        // Cloned out so the callback may call `onTokens` again.
        let callback = self.0.borrow().clone();
        let Some(callback) = callback else {
            return Ok(());
        };
        let value = serde_json::to_value(tokens).map_err(|e| e.to_string())?;
        callback
            .call1(&JsValue::NULL, &js::from_json(&value))
            .map(|_| ())
            .map_err(|e| js::describe(&e))
    }
}

fn cancelled() -> JsValue {
    js::error(&Error::new(ErrorCode::Cancelled, "the call was aborted"))
}

#[wasm_bindgen]
impl ContactsClient {
    /// A client from settings (see `ClientConfig` in the types): base URL,
    /// credentials, OAuth client, retry and rate-limit settings, timeouts.
    /// Throws `ContactsError` `INVALID_ARGUMENT` naming any bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    ) -> Result<ContactsClient, JsValue> {
        let settings = ClientSettings::from_json(&js::to_json("config", &config)?)
            .map_err(|e| js::error(&e))?;
        let on_tokens = Rc::new(RefCell::new(None));
        let mut cfg = settings.into_engine_config();
        cfg.token_store = Some(Arc::new(JsTokenStore(on_tokens.clone())));
        let engine = Engine::new(cfg);
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let weak = weak.clone();
            let call = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> js_sys::Promise>::new(
                move |name: JsValue, params: JsValue, options: JsValue| match weak.upgrade() {
                    Some(inner) => call_promise(inner, name, params, options),
                    None => js_sys::Promise::reject(&js::invalid("the client was freed")),
                },
            );
            Inner {
                engine,
                on_tokens,
                call_fn: call.into_js_value(),
                groups: RefCell::new(Vec::new()),
            }
        });
        Ok(ContactsClient { inner })
    }

    /// Runs any catalog operation by name (`"contacts.get"`) with its params
    /// object; resolves to the parsed result. `options.signal` (an
    /// AbortSignal) cancels it: the promise rejects with `CANCELLED`, and a
    /// token refresh it started still completes.
    #[wasm_bindgen(skip_typescript)]
    pub fn call(&self, name: JsValue, params: JsValue, options: JsValue) -> js_sys::Promise {
        call_promise(self.inner.clone(), name, params, options)
    }

    /// The pages of a paginated operation as an async iterable, one page per
    /// engine call, ending after the last page.
    #[wasm_bindgen(skip_typescript)]
    pub fn pages(
        &self,
        name: JsValue,
        params: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        let name = js::string("name", &name)?;
        let entry = catalog::find(&name).map_err(|e| js::error(&e))?;
        if !entry.is_paginated() {
            return Err(js::invalid(format!("{name} has no pages")));
        }
        let params = js::to_json("params", &params)?;
        let signal = js::signal_of(&options)?;
        let pages = Pages {
            state: Rc::new(RefCell::new(PagesState {
                inner: self.inner.clone(),
                name: entry.spec.name,
                next: Some(params),
                signal,
                busy: false,
            })),
        };
        Ok(js::async_iterable(pages.into()))
    }

    /// Sets the function that receives rotated OAuth tokens (`OAuthTokens`),
    /// synchronously, before they are used. Persist them there: the refresh
    /// token rotates and the old one stops working. If it throws, the call
    /// fails with `TOKEN_STORE` and the tokens are offered again next call.
    /// `null` removes it.
    #[wasm_bindgen(js_name = onTokens)]
    pub fn on_tokens(
        &self,
        #[wasm_bindgen(unchecked_param_type = "((tokens: OAuthTokens) => void) | null")]
        callback: JsValue,
    ) -> Result<(), JsValue> {
        *self.inner.on_tokens.borrow_mut() = js::optional_function("onTokens", callback)?;
        Ok(())
    }

    /// What this client has sent so far: `{requests, rateLimited, retries}`.
    #[wasm_bindgen(
        unchecked_return_type = "{ requests: number; rateLimited: number; retries: number }"
    )]
    pub fn stats(&self) -> JsValue {
        let s = self.inner.engine.stats();
        js::from_json(&serde_json::json!({
            "requests": s.requests, "rateLimited": s.rate_limited, "retries": s.retries,
        }))
    }

    fn group(&self, name: &'static str) -> JsValue {
        // A handful of groups: a list is smaller in the wasm than a map.
        if let Some((_, g)) = self.inner.groups.borrow().iter().find(|(n, _)| *n == name) {
            return g.clone();
        }
        let (methods, operations) = group_members(name);
        let g = js::make_group(&self.inner.call_fn, methods, operations);
        self.inner.groups.borrow_mut().push((name, g.clone()));
        g
    }

    /// Contacts: get, create, update, delete, upsert, list, search, …
    #[wasm_bindgen(getter, unchecked_return_type = "ContactsGroup")]
    pub fn contacts(&self) -> JsValue {
        self.group("contacts")
    }
    /// Searches: `search.contacts(…)`, `search.tasks(…)`.
    #[wasm_bindgen(getter, unchecked_return_type = "SearchGroup")]
    pub fn search(&self) -> JsValue {
        self.group("search")
    }
    /// A contact's tasks.
    #[wasm_bindgen(getter, unchecked_return_type = "TasksGroup")]
    pub fn tasks(&self) -> JsValue {
        self.group("tasks")
    }
    /// A contact's notes.
    #[wasm_bindgen(getter, unchecked_return_type = "NotesGroup")]
    pub fn notes(&self) -> JsValue {
        self.group("notes")
    }
    /// A contact's tags.
    #[wasm_bindgen(getter, unchecked_return_type = "TagsGroup")]
    pub fn tags(&self) -> JsValue {
        self.group("tags")
    }
    /// A contact's followers.
    #[wasm_bindgen(getter, unchecked_return_type = "FollowersGroup")]
    pub fn followers(&self) -> JsValue {
        self.group("followers")
    }
    /// A contact's appointments.
    #[wasm_bindgen(getter, unchecked_return_type = "AppointmentsGroup")]
    pub fn appointments(&self) -> JsValue {
        self.group("appointments")
    }
    /// Campaign membership.
    #[wasm_bindgen(getter, unchecked_return_type = "CampaignsGroup")]
    pub fn campaigns(&self) -> JsValue {
        self.group("campaigns")
    }
    /// Workflow membership.
    #[wasm_bindgen(getter, unchecked_return_type = "WorkflowsGroup")]
    pub fn workflows(&self) -> JsValue {
        self.group("workflows")
    }
    /// Businesses.
    #[wasm_bindgen(getter, unchecked_return_type = "BusinessesGroup")]
    pub fn businesses(&self) -> JsValue {
        self.group("businesses")
    }
    /// A location's tags.
    #[wasm_bindgen(getter, js_name = locationTags, unchecked_return_type = "LocationTagsGroup")]
    pub fn location_tags(&self) -> JsValue {
        self.group("locationTags")
    }
    /// A location's custom fields.
    #[wasm_bindgen(getter, js_name = customFields, unchecked_return_type = "CustomFieldsGroup")]
    pub fn custom_fields(&self) -> JsValue {
        self.group("customFields")
    }
    /// OAuth token endpoints (code exchange, refresh, location tokens).
    #[wasm_bindgen(getter, unchecked_return_type = "OauthGroup")]
    pub fn oauth(&self) -> JsValue {
        self.group("oauth")
    }
}

/// The methods of group `name` and the operations they run: every catalog
/// operation `name.method`, or for `search` every `*.search` by its group.
fn group_members(name: &str) -> (Vec<String>, Vec<String>) {
    catalog::entries()
        .iter()
        .filter_map(|e| {
            let (group, method) = e.spec.name.split_once('.')?;
            let key = if name == "search" {
                (method == "search").then_some(group)?
            } else {
                (group == name).then_some(method)?
            };
            Some((key.to_string(), e.spec.name.to_string()))
        })
        .unzip()
}

fn call_promise(
    inner: Rc<Inner>,
    name: JsValue,
    params: JsValue,
    options: JsValue,
) -> js_sys::Promise {
    future_to_promise(async move {
        let name = js::string("name", &name)?;
        let params = js::to_json("params", &params)?;
        let signal = js::signal_of(&options)?;
        let value = execute(&inner.engine, &name, params, &signal).await?;
        Ok(js::from_json(&value))
    })
}

/// Runs one operation to the end through the engine.
async fn execute(
    engine: &Arc<Engine>,
    name: &str,
    params: Value,
    signal: &JsValue,
) -> Result<Value, JsValue> {
    let op = JsonCall::new(name, params).map_err(|e| js::error(&e))?;
    let mut call = engine.call(op);
    loop {
        if js::is_aborted(signal) {
            return Err(cancelled());
        }
        match call.poll(now_ms()) {
            Step::Send(out) => {
                let result = match out.purpose {
                    Purpose::Api => match transport::send(&out, signal).await {
                        Ok(r) => Ok(r),
                        Err(Failure::Cancelled) => return Err(cancelled()),
                        Err(Failure::Transport(t)) => Err(t),
                    },
                    Purpose::Credential(ticket) => credential(engine.clone(), out, ticket).await,
                };
                call.on_response(now_ms(), result);
            }
            Step::Wait(ms) => {
                // Resolves on abort too; the loop's check turns that into CANCELLED.
                let _ = JsFuture::from(js::sleep(ms as f64, signal)).await;
            }
            Step::Done(r) => return r.map_err(|e| js::error(&e)),
        }
    }
}

/// Sends a credential request detached from the caller (no AbortSignal), so
/// its answer reaches the engine even if the call is aborted: it may carry a
/// rotated refresh token.
async fn credential(
    engine: Arc<Engine>,
    out: Outgoing,
    ticket: u64,
) -> Result<HttpResponse, TransportError> {
    let (tx, rx) = futures_channel::oneshot::channel();
    spawn_local(async move {
        let result = match transport::send(&out, &JsValue::UNDEFINED).await {
            Ok(r) => Ok(r),
            Err(Failure::Transport(t)) => Err(t),
            Err(Failure::Cancelled) => {
                Err(TransportError::new(TransportErrorKind::Io, "cancelled"))
            }
        };
        engine.complete_credential(ticket, now_ms(), result.clone());
        let _ = tx.send(result);
    });
    rx.await.unwrap_or_else(|_| {
        Err(TransportError::new(
            TransportErrorKind::Io,
            "credential request lost",
        ))
    })
}

/// A page walk (wrapped as an async iterable by the glue).
#[wasm_bindgen]
pub struct Pages {
    state: Rc<RefCell<PagesState>>,
}

struct PagesState {
    inner: Rc<Inner>,
    name: &'static str,
    next: Option<Value>,
    signal: JsValue,
    busy: bool,
}

#[wasm_bindgen]
impl Pages {
    /// The next page, or `undefined` after the last. One at a time.
    #[wasm_bindgen(skip_typescript)]
    pub fn next(&self) -> js_sys::Promise {
        let state = self.state.clone();
        future_to_promise(async move {
            let (inner, name, params, signal) = {
                let mut s = state.borrow_mut();
                if s.busy {
                    return Err(js::invalid(
                        "a page is already being fetched; await it first",
                    ));
                }
                let Some(params) = s.next.clone() else {
                    return Ok(JsValue::UNDEFINED);
                };
                s.busy = true;
                (s.inner.clone(), s.name, params, s.signal.clone())
            };
            let result = execute(&inner.engine, name, params.clone(), &signal).await;
            let mut s = state.borrow_mut();
            s.busy = false;
            let page = result?;
            s.next = catalog::next_page(name, &params, &page).map_err(|e| js::error(&e))?;
            Ok(js::from_json(&page))
        })
    }
}
