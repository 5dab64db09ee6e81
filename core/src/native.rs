//! The native transport (feature `native`): the [`Driver`] over reqwest
//! (rustls) on tokio. It only sends requests, sleeps and spawns; every
//! decision (credentials, refresh, rate budget, retries, pages) is the
//! engine's, every multi-step program the driver's.
//!
//! ```no_run
//! # async fn demo() -> contacts_core::Result<()> {
//! use contacts_core::native::Client;
//! use contacts_core::{engine::EngineConfig, Credentials};
//! let mut cfg = EngineConfig::new(Credentials::pit("pit-…"));
//! cfg.config = contacts_core::Config::new("http://127.0.0.1:8080");
//! let client = Client::new(cfg)?;
//! let contact = client.get_contact("nmFmQEsNgz6AVpgLVUJ0").await?;
//! println!("{:?}", contact.first_name);
//! # Ok(()) }
//! ```
//!
//! Threads: a [`Client`] is `Send + Sync` and cheap to clone; every clone
//! shares one engine (one refresh, one rate budget). Dropping a call's future
//! cancels it; a token refresh it started still completes in the background,
//! so a rotated refresh token is never lost.

use crate::driver::{DetachedTask, Driver, PageWalk, Pageable, SendError, Transport};
use crate::engine::{ApiCall, Engine, EngineConfig, Outgoing, TransportError, TransportErrorKind};
use crate::models::{Contact, ContactFields, ContactListResponse, ContactResponse, Note, Task};
use crate::observe::{Observer, ObserverOptions, TracingObserver, Usage};
use crate::ops::appointments::{
    CancelAppointment, CreateAppointment, GetAppointment, ListAppointments,
};
use crate::ops::calendars::{FreeSlots, ListCalendars};
use crate::ops::contacts::{
    CreateContact, DeleteContact, GetContact, SearchContacts, UpdateContact, UpsertContact,
};
use crate::ops::notes::{CreateNote, ListNotes, NewNote};
use crate::ops::tags::{AddTags, RemoveTags};
use crate::ops::tasks::{CompleteTask, CreateTask, ListTasks, NewTask};
use crate::ops::{followers::AddFollowers, users::ListUsers};
use crate::{Error, ErrorCode, HttpResponse, Paginated, Result};
use futures_util::Stream;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The wall clock, in Unix milliseconds: the one place the native shell reads time.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// The native platform for the [`Driver`]: reqwest (rustls) on tokio. It
/// sends, sleeps, reads the wall clock and spawns credential requests on the
/// current tokio runtime; nothing more.
#[derive(Clone, Debug)]
pub struct NativeTransport {
    http: reqwest::Client,
}

impl NativeTransport {
    /// Sends over `http` (built by [`Client::http_client`]).
    pub fn new(http: reqwest::Client) -> Self {
        NativeTransport { http }
    }
}

impl Transport for NativeTransport {
    async fn send(&self, out: Outgoing) -> std::result::Result<HttpResponse, SendError> {
        send(&self.http, out).await.map_err(SendError::Transport)
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await
    }

    fn now_ms(&self) -> u64 {
        now_ms()
    }

    fn spawn_detached(&self, task: DetachedTask) -> std::result::Result<(), DetachedTask> {
        match tokio::runtime::Handle::try_current() {
            Ok(rt) => {
                rt.spawn(task);
                Ok(())
            }
            Err(_) => Err(task),
        }
    }
}

/// A HighLevel client on reqwest + tokio: the [`Driver`] over a
/// [`NativeTransport`], with typed methods. Clone it freely.
#[derive(Clone, Debug)]
pub struct Client {
    driver: Driver<NativeTransport>,
}

impl Client {
    /// A client for `cfg`. Errors if the HTTP stack cannot be set up.
    pub fn new(cfg: EngineConfig) -> Result<Client> {
        let http = Client::http_client(&cfg.config.user_agent)?;
        Ok(Client::with_http(cfg, http))
    }

    /// A client sharing an HTTP stack (connection pool, TLS setup) built by
    /// [`Client::http_client`]: clients created often should share one.
    ///
    /// When a `tracing` subscriber is installed, the client's events go to
    /// it ([`TracingObserver`]) until [`Client::set_observer`] says otherwise.
    pub fn with_http(cfg: EngineConfig, http: reqwest::Client) -> Client {
        let engine = Engine::new(cfg);
        if let Some(min_level) = TracingObserver::enabled_level() {
            engine.set_observer(
                Some(Arc::new(TracingObserver)),
                ObserverOptions {
                    min_level,
                    contact_data: false,
                },
            );
        }
        Client {
            driver: Driver::new(engine, NativeTransport::new(http)),
        }
    }

    /// Sends this client's events (every clone's) to `observer`, or to
    /// no one with `None`. Replaces the observer attached before.
    pub fn set_observer(&self, observer: Option<Arc<dyn Observer>>, options: ObserverOptions) {
        self.engine().set_observer(observer, options);
    }

    /// The rate budget and counts of the client's location now
    /// ([`Driver::usage`]: in a fleet, what is left is the fleet's).
    pub async fn usage(&self) -> Usage {
        self.driver.usage().await
    }

    /// The contact custom-field definitions of `location` (the
    /// credentials' when `None`), kept for `customFieldsTtlMs`
    /// ([`Driver::custom_fields`]). Keys in contact writes and templates
    /// resolve through them.
    ///
    /// Errors: InvalidArgument without a location; the request's error.
    pub async fn custom_fields(
        &self,
        location: Option<&str>,
    ) -> Result<Arc<crate::mapping::CustomFields>> {
        self.driver.custom_fields(location, false).await
    }

    /// The dry run of a mapping template over `records` (back, with
    /// `reverse`): the location's custom-field definitions fetched when the
    /// template names keys (kept for `customFieldsTtlMs`), phones read with
    /// libphonenumber, zones from the tz database. Sends nothing else
    /// ([`Driver::map_records`]).
    ///
    /// Errors with InvalidArgument for a bad template, a key the location
    /// does not define, or `reverse` with a one-way template; or the
    /// definitions' request's error.
    pub async fn map_records(
        &self,
        template: &serde_json::Value,
        records: &[serde_json::Value],
        reverse: bool,
    ) -> Result<crate::mapping::MapReport> {
        self.driver
            .map_records(
                template,
                records,
                reverse,
                Some(&crate::mapping::LibPhoneNumber),
            )
            .await
    }

    /// Builds the HTTP stack a client uses. Costs milliseconds (it loads the
    /// platform's certificate verifier); share the result where you can.
    pub fn http_client(user_agent: &str) -> Result<reqwest::Client> {
        // rustls needs a process-wide crypto provider; ring is ours. Another
        // library may have installed one first, which is just as good.
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::builder()
            .user_agent(user_agent)
            .pool_max_idle_per_host(64)
            .tcp_nodelay(true)
            .build()
            .map_err(|e| Error::new(ErrorCode::Transport, format!("cannot set up HTTP: {e}")))
    }

    /// This client's engine (credentials, single-flight refresh, rate
    /// budget, statistics) over another HTTP stack: calls through either
    /// share the one engine. For hosts that drive calls from more than one
    /// runtime; a connection pool belongs to the runtime that opened it.
    pub fn over_http(&self, http: reqwest::Client) -> Client {
        Client {
            driver: self.driver.with_transport(NativeTransport::new(http)),
        }
    }

    /// The same client keeping state in `store` (for the composite actions
    /// that journal: `contacts.capture`), bound to the credentials'
    /// location: a store that belongs to another fails closed.
    ///
    /// Errors: InvalidArgument when the credentials name no location.
    pub fn with_state(self, store: Arc<dyn crate::state::StateStore>) -> Result<Client> {
        Ok(Client {
            driver: self.driver.with_state(store)?,
        })
    }

    /// The engine all calls of this client share.
    pub fn engine(&self) -> &Arc<Engine> {
        self.driver.engine()
    }

    /// The driver: page walks with cursors, composite actions, the code
    /// exchange.
    pub fn driver(&self) -> &Driver<NativeTransport> {
        &self.driver
    }

    /// Runs any operation to the end: typed ops give typed results.
    pub async fn execute<A: ApiCall>(&self, op: A) -> Result<A::Output> {
        self.driver.run(op).await
    }

    /// Runs a catalog entry by name with JSON params (`contacts.get`,
    /// `{"contactId": "…"}`), returning JSON: an operation or a composite
    /// action.
    pub async fn call(&self, name: &str, params: Value) -> Result<Value> {
        self.driver.call(name, params).await
    }

    /// Polls triggers (`"ContactCreate,ContactUpdate"`) from a checkpoint
    /// (`None`: the baseline); see [`Driver::poll`]. Needs a state store
    /// ([`Client::with_state`]).
    pub async fn poll(
        &self,
        triggers: &str,
        params: Value,
        checkpoint: Option<&str>,
    ) -> Result<crate::triggers::PollOutcome> {
        self.driver.poll(triggers, params, checkpoint).await
    }

    /// Runs `flow` for `event` once (a HighLevel event, verified or polled,
    /// or a host event `{type, id, data}`); see [`Driver::dispatch_flow`].
    /// Phones in its mapping are read with libphonenumber. Needs a state
    /// store ([`Client::with_state`]).
    pub async fn dispatch_flow(
        &self,
        flow: &crate::flows::Flow,
        event: Value,
    ) -> Result<crate::flows::FlowRun> {
        self.driver
            .dispatch_flow(flow, event, Some(&crate::mapping::LibPhoneNumber))
            .await
    }

    /// Polls `flow`'s trigger once and dispatches each event, the checkpoint
    /// kept in the state store; see [`Driver::poll_flow`].
    pub async fn poll_flow(
        &self,
        flow: &crate::flows::Flow,
        params: Value,
    ) -> Result<crate::catalog::FlowPoll> {
        self.driver
            .poll_flow(flow, params, Some(&crate::mapping::LibPhoneNumber))
            .await
    }

    /// One pass of a two-way sync between `host` and the client's location;
    /// see [`Driver::sync_pass`]. Phones are read with libphonenumber.
    pub async fn sync_pass<P: Fn(&crate::sync::Progress) + Send + Sync>(
        &self,
        template: &Value,
        host: &dyn crate::sync::HostAdapter,
        settings: &crate::sync::SyncSettings,
        progress: P,
    ) -> Result<crate::sync::SyncReport> {
        self.driver
            .sync_pass(
                template,
                host,
                settings,
                Some(&crate::mapping::LibPhoneNumber),
                progress,
            )
            .await
    }

    /// [`Client::sync_pass`] over every adapter of `hosts` (notes and
    /// appointments too, when given); see [`Driver::sync_pass_with`].
    pub async fn sync_pass_with<P: Fn(&crate::sync::Progress) + Send + Sync>(
        &self,
        template: &Value,
        hosts: crate::sync::SyncHosts<'_>,
        settings: &crate::sync::SyncSettings,
        progress: P,
    ) -> Result<crate::sync::SyncReport> {
        self.driver
            .sync_pass_with(
                template,
                hosts,
                settings,
                Some(&crate::mapping::LibPhoneNumber),
                progress,
            )
            .await
    }

    /// Goes on with the runs of `flow` a stopped runner left, once their
    /// leases lapse; see [`Driver::resume_flow_runs`].
    pub async fn resume_flow_runs(
        &self,
        flow: &crate::flows::Flow,
    ) -> Result<Vec<crate::flows::FlowRun>> {
        self.driver
            .resume_flow_runs(flow, Some(&crate::mapping::LibPhoneNumber))
            .await
    }

    /// The run log of the flow named `flow` (every flow's when `None`),
    /// latest first, up to `limit` runs; see [`Driver::flow_runs`].
    pub async fn flow_runs(
        &self,
        flow: Option<&str>,
        limit: usize,
    ) -> Result<Vec<crate::flows::RunRecord>> {
        self.driver.flow_runs(flow, limit).await
    }

    /// One logged run of the flow named `flow`; see [`Driver::flow_run`].
    pub async fn flow_run(
        &self,
        flow: &str,
        run_id: &str,
    ) -> Result<Option<crate::flows::RunRecord>> {
        self.driver.flow_run(flow, run_id).await
    }

    /// Pages of a paginated operation, one response per item, ending at the
    /// last page. Each page is one engine call (retries, budget, refresh).
    /// For a cursor to resume from, use [`Client::walk`].
    pub fn pages<O>(
        &self,
        first: O,
    ) -> impl Stream<Item = Result<<O as crate::Operation>::Output>> + Send + 'static
    where
        O: Paginated + Clone + Send + Sync + 'static,
        <O as crate::Operation>::Output: Send,
    {
        self.driver.pages(first).into_stream()
    }

    /// A page walk of `first` whose [`PageWalk::cursor`] says where to
    /// resume (e.g. every contact of a location, from a saved
    /// [`ListContacts`](crate::ops::contacts::ListContacts)).
    pub fn walk<P: Pageable>(&self, first: P) -> PageWalk<NativeTransport, P> {
        self.driver.pages(first)
    }

    /// `GET /contacts/{id}`.
    pub async fn get_contact(&self, contact_id: &str) -> Result<Contact> {
        Ok(self
            .execute(GetContact {
                contact_id: contact_id.into(),
            })
            .await?
            .contact)
    }

    /// `POST /contacts/`.
    pub async fn create_contact(&self, op: CreateContact) -> Result<Contact> {
        Ok(self.execute(op).await?.contact)
    }

    /// `PUT /contacts/{id}`.
    pub async fn update_contact(&self, contact_id: &str, fields: ContactFields) -> Result<Contact> {
        Ok(self
            .execute(UpdateContact {
                contact_id: contact_id.into(),
                fields,
            })
            .await?
            .contact)
    }

    /// `DELETE /contacts/{id}`.
    pub async fn delete_contact(&self, contact_id: &str) -> Result<()> {
        self.execute(DeleteContact {
            contact_id: contact_id.into(),
        })
        .await
        .map(|_| ())
    }

    /// `POST /contacts/upsert`: the contact, whether it was created (`new`),
    /// and each field sent that HighLevel did not keep (`dropped`).
    pub async fn upsert_contact(&self, op: UpsertContact) -> Result<ContactResponse> {
        self.execute(op).await
    }

    /// `POST /contacts/search` (one page; see [`Client::pages`]).
    pub async fn search_contacts(&self, op: SearchContacts) -> Result<ContactListResponse> {
        self.execute(op).await
    }

    /// A contact's tasks.
    pub async fn list_tasks(&self, contact_id: &str) -> Result<Vec<Task>> {
        Ok(self
            .execute(ListTasks {
                contact_id: contact_id.into(),
            })
            .await?
            .tasks)
    }

    /// Creates a task.
    pub async fn create_task(&self, contact_id: &str, task: NewTask) -> Result<Task> {
        Ok(self
            .execute(CreateTask {
                contact_id: contact_id.into(),
                task,
            })
            .await?
            .task)
    }

    /// Marks a task completed.
    pub async fn complete_task(&self, contact_id: &str, task_id: &str) -> Result<Task> {
        let op = CompleteTask {
            contact_id: contact_id.into(),
            task_id: task_id.into(),
            completed: true,
        };
        Ok(self.execute(op).await?.task)
    }

    /// A contact's notes.
    pub async fn list_notes(&self, contact_id: &str) -> Result<Vec<Note>> {
        Ok(self
            .execute(ListNotes {
                contact_id: contact_id.into(),
            })
            .await?
            .notes)
    }

    /// Adds a note.
    pub async fn create_note(&self, contact_id: &str, note: NewNote) -> Result<Note> {
        Ok(self
            .execute(CreateNote {
                contact_id: contact_id.into(),
                note,
            })
            .await?
            .note)
    }

    /// Adds tags; returns the contact's tags.
    pub async fn add_tags(&self, contact_id: &str, tags: Vec<String>) -> Result<Vec<String>> {
        Ok(self
            .execute(AddTags {
                contact_id: contact_id.into(),
                tags,
            })
            .await?
            .tags)
    }

    /// Removes tags; returns the contact's tags.
    pub async fn remove_tags(&self, contact_id: &str, tags: Vec<String>) -> Result<Vec<String>> {
        Ok(self
            .execute(RemoveTags {
                contact_id: contact_id.into(),
                tags,
            })
            .await?
            .tags)
    }

    /// Adds followers; returns the contact's followers.
    pub async fn add_followers(
        &self,
        contact_id: &str,
        followers: Vec<String>,
    ) -> Result<Vec<String>> {
        Ok(self
            .execute(AddFollowers {
                contact_id: contact_id.into(),
                followers,
            })
            .await?
            .followers)
    }

    /// A contact's appointments.
    pub async fn list_appointments(
        &self,
        contact_id: &str,
    ) -> Result<Vec<crate::models::Appointment>> {
        Ok(self
            .execute(ListAppointments {
                contact_id: contact_id.into(),
            })
            .await?
            .events)
    }

    /// A location's calendars.
    pub async fn list_calendars(&self, location_id: &str) -> Result<Vec<crate::models::Calendar>> {
        Ok(self
            .execute(ListCalendars {
                location_id: location_id.into(),
                ..Default::default()
            })
            .await?
            .calendars)
    }

    /// A calendar's free slots in a range of at most 31 days, refused before
    /// sending when longer, reversed, or in a zone that is not IANA's.
    pub async fn free_slots(&self, op: FreeSlots) -> Result<crate::models::FreeSlotsResponse> {
        self.execute(op).await
    }

    /// Books an appointment (into a free slot, unless
    /// `ignore_free_slot_validation`); a taken slot is
    /// [`crate::ErrorCode::Validation`].
    pub async fn book_appointment(
        &self,
        op: CreateAppointment,
    ) -> Result<crate::models::Appointment> {
        self.execute(op).await
    }

    /// One appointment.
    pub async fn get_appointment(&self, event_id: &str) -> Result<crate::models::Appointment> {
        Ok(self
            .execute(GetAppointment {
                event_id: event_id.into(),
            })
            .await?
            .event)
    }

    /// Cancels an appointment (it stays, with status `cancelled`).
    pub async fn cancel_appointment(&self, event_id: &str) -> Result<crate::models::Appointment> {
        self.execute(CancelAppointment {
            event_id: event_id.into(),
            to_notify: None,
        })
        .await
    }

    /// The users of a location (a location token).
    pub async fn list_users(&self, location_id: &str) -> Result<Vec<crate::models::User>> {
        Ok(self
            .execute(ListUsers {
                location_id: location_id.into(),
            })
            .await?
            .users)
    }
}

/// Sends one request; classifies failures for the engine.
async fn send(
    http: &reqwest::Client,
    out: Outgoing,
) -> std::result::Result<HttpResponse, TransportError> {
    let req = out.request;
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
        .map_err(|e| TransportError::new(TransportErrorKind::Connect, e.to_string()))?;
    let mut rb = http
        .request(method, &req.url)
        .timeout(Duration::from_millis(out.timeout_ms.max(1)));
    for (k, v) in &req.headers {
        rb = rb.header(k.as_str(), v.as_str());
    }
    if !req.body.is_empty() {
        rb = rb.body(req.body);
    }
    let classify = |e: reqwest::Error| {
        let kind = if e.is_timeout() {
            TransportErrorKind::Timeout
        } else if e.is_connect() || e.is_builder() {
            TransportErrorKind::Connect
        } else {
            TransportErrorKind::Io
        };
        // reqwest's messages never include headers, so no secret leaks here.
        TransportError::new(kind, format!("{e}{}", source_chain(&e)))
    };
    let resp = rb.send().await.map_err(classify)?;
    let status = resp.status().as_u16();
    let headers = resp
        .headers()
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = resp.bytes().await.map_err(classify)?.to_vec();
    Ok(HttpResponse {
        status,
        headers,
        body,
    })
}

fn source_chain(e: &dyn std::error::Error) -> String {
    let mut out = String::new();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}
