//! `ContactsClient`: the core engine driven by `fetch`. Every decision
//! (credentials, refresh, rate budget, retries, pages) is the engine's; this
//! file only sends, sleeps, and translates values and errors.

use crate::js;
use crate::transport::JsTransport;
use contacts_core::driver::{Driver, PageWalk};
use contacts_core::engine::{Engine, JsonCall, TokenStore};
use contacts_core::settings::ClientSettings;
use contacts_core::{OAuthTokens, catalog};
use std::cell::RefCell;
use std::rc::{Rc, Weak};
use std::sync::Arc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// A HighLevel client. Create one per set of credentials and share it: every
/// call goes through its one engine, so there is one token refresh at a time
/// and one rate budget. Calls may run concurrently.
#[wasm_bindgen]
pub struct ContactsClient {
    pub(crate) inner: Rc<Inner>,
}

pub(crate) struct Inner {
    /// The engine over a transport without a signal (each call gets its
    /// own), and the state store when the host gave one.
    pub(crate) base: RefCell<Driver<JsTransport>>,
    on_tokens: Rc<RefCell<Option<js_sys::Function>>>,
    /// `(operation, params, options) => Promise`, shared by the groups.
    call_fn: JsValue,
    groups: RefCell<Vec<(&'static str, JsValue)>>,
    /// `client.on('event', …)`'s listeners.
    #[cfg(feature = "runtime")]
    pub(crate) listeners: Rc<crate::listeners::Listeners>,
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

#[wasm_bindgen]
impl ContactsClient {
    /// A client from settings (see `ClientConfig` in the types): base URL,
    /// credentials, OAuth client, retry and rate-limit settings, timeouts.
    /// Throws `ContactsError` `INVALID_ARGUMENT` naming any bad field.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientConfig")] config: JsValue,
    ) -> Result<ContactsClient, JsValue> {
        // The fleet's store is an object of methods: taken out before the
        // rest is read as JSON (the main module, without fleets, refuses
        // `config.fleet` as an unknown field).
        #[cfg(feature = "runtime")]
        let (config, fleet_store) = crate::fleet::split_fleet_store(&config);
        let mut settings = ClientSettings::from_json(&js::to_json("config", &config)?)
            .map_err(|e| js::error(&e))?;
        let state = settings.take_state();
        #[cfg(feature = "runtime")]
        let fleet = crate::fleet::open_fleet(&mut settings, fleet_store)?;
        let on_tokens = Rc::new(RefCell::new(None));
        let mut cfg = settings.into_engine_config();
        cfg.token_store = Some(Arc::new(JsTokenStore(on_tokens.clone())));
        #[cfg(feature = "runtime")]
        {
            cfg.fleet = fleet;
        }
        let state = match state {
            Some(state) => Some(open_config_state(state, &cfg)?),
            None => None,
        };
        let mut base = Driver::new(Engine::new(cfg), JsTransport::new(JsValue::UNDEFINED));
        if let Some(state) = state {
            base = base.with_state(state).map_err(|e| js::error(&e))?;
        }
        let inner = Rc::new_cyclic(|weak: &Weak<Inner>| {
            let weak = weak.clone();
            let call = Closure::<dyn Fn(JsValue, JsValue, JsValue) -> js_sys::Promise>::new(
                move |name: JsValue, params: JsValue, options: JsValue| match weak.upgrade() {
                    Some(inner) => call_promise(inner, name, params, options),
                    None => js_sys::Promise::reject(&js::invalid("the client was freed")),
                },
            );
            Inner {
                base: RefCell::new(base),
                on_tokens,
                call_fn: call.into_js_value(),
                groups: RefCell::new(Vec::new()),
                #[cfg(feature = "runtime")]
                listeners: Rc::default(),
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
        let params = js::to_json("params", &params)?;
        let signal = js::signal_of(&options)?;
        let walk = driver(&self.inner, signal)
            .pages_json(&name, params)
            .map_err(|e| js::error(&e))?;
        let pages = Pages {
            walk: Rc::new(RefCell::new(Some(walk))),
            _client: self.inner.clone(),
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
        let s = self.inner.base.borrow().engine().stats();
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
    /// Appointments: a contact's list; book, get, update, cancel, delete.
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
    /// Custom fields of custom objects and companies (`customFields.v2`),
    /// and `customFields.list`, the former name of
    /// `locationCustomFields.list`.
    #[wasm_bindgen(getter, js_name = customFields, unchecked_return_type = "CustomFieldsGroup")]
    pub fn custom_fields(&self) -> JsValue {
        self.group("customFields")
    }
    /// A location's contact custom fields.
    #[wasm_bindgen(getter, js_name = locationCustomFields, unchecked_return_type = "LocationCustomFieldsGroup")]
    pub fn location_custom_fields(&self) -> JsValue {
        self.group("locationCustomFields")
    }
    /// A location's custom values.
    #[wasm_bindgen(getter, js_name = customValues, unchecked_return_type = "CustomValuesGroup")]
    pub fn custom_values(&self) -> JsValue {
        self.group("customValues")
    }
    /// Calendars: list, get, free slots, events.
    #[wasm_bindgen(getter, unchecked_return_type = "CalendarsGroup")]
    pub fn calendars(&self) -> JsValue {
        self.group("calendars")
    }
    /// Notes on appointments.
    #[wasm_bindgen(getter, js_name = appointmentNotes, unchecked_return_type = "AppointmentNotesGroup")]
    pub fn appointment_notes(&self) -> JsValue {
        self.group("appointmentNotes")
    }
    /// Users of a location or an agency.
    #[wasm_bindgen(getter, unchecked_return_type = "UsersGroup")]
    pub fn users(&self) -> JsValue {
        self.group("users")
    }
    /// Associations (kinds of link between records).
    #[wasm_bindgen(getter, unchecked_return_type = "AssociationsGroup")]
    pub fn associations(&self) -> JsValue {
        self.group("associations")
    }
    /// Relations (links between records).
    #[wasm_bindgen(getter, unchecked_return_type = "RelationsGroup")]
    pub fn relations(&self) -> JsValue {
        self.group("relations")
    }
    /// Locations (sub-accounts): their name, address and time zone.
    #[wasm_bindgen(getter, unchecked_return_type = "LocationsGroup")]
    pub fn locations(&self) -> JsValue {
        self.group("locations")
    }
    /// A contact's activity: `activity.feed(…)` (runtime module).
    #[wasm_bindgen(getter, unchecked_return_type = "ActivityGroup")]
    pub fn activity(&self) -> JsValue {
        self.group("activity")
    }
    /// OAuth token endpoints (code exchange, refresh, location tokens).
    #[wasm_bindgen(getter, unchecked_return_type = "OauthGroup")]
    pub fn oauth(&self) -> JsValue {
        self.group("oauth")
    }
}

/// The methods of group `name` and the actions they run: every catalog
/// action `name.method`, or for `search` every `*.search` by its group.
fn group_members(name: &str) -> (Vec<String>, Vec<String>) {
    catalog::names()
        .chain(catalog::former_names())
        .filter_map(|full| {
            let (group, method) = full.split_once('.')?;
            let key = if name == "search" {
                (method == "search").then_some(group)?
            } else {
                (group == name).then_some(method)?
            };
            Some((key.to_string(), full.to_string()))
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
        let value = driver(&inner, signal)
            .call(&name, params)
            .await
            .map_err(|e| js::error(&e))?;
        Ok(js::from_json(&value))
    })
}

/// The client's driver for one call with `signal`.
pub(crate) fn driver(inner: &Inner, signal: JsValue) -> Driver<JsTransport> {
    inner.base.borrow().with_transport(JsTransport::new(signal))
}

/// The store the config's `state` names (the fleet's, for `{"fleet": true}`).
#[cfg(feature = "runtime")]
fn open_config_state(
    state: contacts_core::settings::StateSettings,
    cfg: &contacts_core::engine::EngineConfig,
) -> Result<Arc<dyn contacts_core::state::StateStore>, JsValue> {
    state.open(cfg.fleet.as_ref()).map_err(|e| js::error(&e))
}

/// In the main module, which runs no composite, a state store has no use:
/// refused, saying where it does.
#[cfg(not(feature = "runtime"))]
fn open_config_state(
    _state: contacts_core::settings::StateSettings,
    _cfg: &contacts_core::engine::EngineConfig,
) -> Result<Arc<dyn contacts_core::state::StateStore>, JsValue> {
    Err(js::invalid(
        "config.state: the actions that keep state run in libcontacts/runtime",
    ))
}

impl ContactsClient {
    /// Gives the client a state store (the runtime module's
    /// `setStateStore`).
    #[cfg(feature = "runtime")]
    pub(crate) fn set_state(
        &self,
        store: Arc<dyn contacts_core::state::StateStore>,
    ) -> Result<(), JsValue> {
        let mut base = self.inner.base.borrow_mut();
        *base = base.clone().with_state(store).map_err(|e| js::error(&e))?;
        Ok(())
    }
}

/// A page walk (wrapped as an async iterable by the glue).
#[wasm_bindgen]
pub struct Pages {
    /// `None` while a page is being fetched.
    walk: Rc<RefCell<Option<PageWalk<JsTransport, JsonCall>>>>,
    /// Keeps the client (its `onTokens`) alive while the walk is.
    _client: Rc<Inner>,
}

#[wasm_bindgen]
impl Pages {
    /// The next page, or `undefined` after the last. One at a time.
    #[wasm_bindgen(skip_typescript)]
    pub fn next(&self) -> js_sys::Promise {
        let slot = self.walk.clone();
        future_to_promise(async move {
            let Some(mut walk) = slot.borrow_mut().take() else {
                return Err(js::invalid(
                    "a page is already being fetched; await it first",
                ));
            };
            let page = walk.next().await;
            *slot.borrow_mut() = Some(walk);
            match page.map_err(|e| js::error(&e))? {
                Some(page) => Ok(js::from_json(&page)),
                None => Ok(JsValue::UNDEFINED),
            }
        })
    }
}
