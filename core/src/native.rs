//! The native transport (feature `native`): the engine driven by reqwest
//! (rustls) on tokio. It only sends requests and sleeps; every decision
//! (credentials, refresh, rate budget, retries, pages) is the engine's.
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

use crate::engine::{
    ApiCall, Engine, EngineConfig, Outgoing, Purpose, Step, TransportError, TransportErrorKind,
};
use crate::models::{Contact, ContactFields, ContactListResponse, Note, Task};
use crate::ops::contacts::{
    CreateContact, DeleteContact, GetContact, SearchContacts, UpdateContact, UpsertContact,
};
use crate::ops::notes::{CreateNote, ListNotes, NewNote};
use crate::ops::tags::{AddTags, RemoveTags};
use crate::ops::tasks::{CompleteTask, CreateTask, ListTasks, NewTask};
use crate::ops::{appointments::ListAppointments, followers::AddFollowers};
use crate::{Error, ErrorCode, HttpResponse, Paginated, Result};
use futures_util::Stream;
use serde_json::Value;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tracing::Instrument;

/// The wall clock, in Unix milliseconds: the one place the native shell reads time.
pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

/// A HighLevel client on reqwest + tokio. Clone it freely.
#[derive(Clone, Debug)]
pub struct Client {
    engine: Arc<Engine>,
    http: reqwest::Client,
}

impl Client {
    /// A client for `cfg`. Errors if the HTTP stack cannot be set up.
    pub fn new(cfg: EngineConfig) -> Result<Client> {
        let http = Client::http_client(&cfg.config.user_agent)?;
        Ok(Client::with_http(cfg, http))
    }

    /// A client sharing an HTTP stack (connection pool, TLS setup) built by
    /// [`Client::http_client`]: clients created often should share one.
    pub fn with_http(cfg: EngineConfig, http: reqwest::Client) -> Client {
        Client {
            engine: Engine::new(cfg),
            http,
        }
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
            engine: self.engine.clone(),
            http,
        }
    }

    /// The engine all calls of this client share.
    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    /// Runs any operation to the end: typed ops give typed results.
    pub async fn execute<A: ApiCall>(&self, op: A) -> Result<A::Output> {
        let name = op.spec().name;
        let mut call = self.engine.call(op);
        let span = tracing::debug_span!("contacts.call", op = name);
        async move {
            loop {
                match call.poll(now_ms()) {
                    Step::Send(out) => {
                        let result = self.send_for(out).await;
                        call.on_response(now_ms(), result);
                    }
                    Step::Wait(ms) => tokio::time::sleep(Duration::from_millis(ms)).await,
                    Step::Done(r) => {
                        if let Err(e) = &r {
                            tracing::debug!(code = %e.code(), "call failed");
                        }
                        return r;
                    }
                }
            }
        }
        .instrument(span)
        .await
    }

    /// Runs an operation by catalog name with JSON params (`contacts.get`,
    /// `{"contactId": "…"}`), returning JSON.
    pub async fn call(&self, name: &str, params: Value) -> Result<Value> {
        let call = crate::engine::JsonCall::new(name, params)?;
        self.execute(call).await
    }

    /// Like [`Client::call`], but the result is JSON text written straight
    /// from the typed output, for hosts that pass text on (the C ABI).
    pub async fn call_text(&self, name: &str, params: Value) -> Result<String> {
        let call = crate::engine::JsonCall::new(name, params)?;
        self.execute(crate::engine::JsonTextCall(call)).await
    }

    async fn send_for(&self, out: Outgoing) -> std::result::Result<HttpResponse, TransportError> {
        match out.purpose {
            Purpose::Api => send(&self.http, out).await,
            Purpose::Credential(ticket) => {
                // Detached, so the answer reaches the engine even if this call
                // is cancelled meanwhile: it may carry a rotated refresh token.
                let (engine, http) = (self.engine.clone(), self.http.clone());
                let task = tokio::spawn(async move {
                    let r = send(&http, out).await;
                    engine.complete_credential(ticket, now_ms(), r.clone());
                    r
                });
                task.await.unwrap_or_else(|e| {
                    Err(TransportError::new(TransportErrorKind::Io, e.to_string()))
                })
            }
        }
    }

    /// Pages of a paginated operation, one response per item, ending at the
    /// last page. Each page is one engine call (retries, budget, refresh).
    pub fn pages<O>(
        &self,
        first: O,
    ) -> impl Stream<Item = Result<<O as crate::Operation>::Output>> + Send + 'static
    where
        O: Paginated + Clone + Send + Sync + 'static,
        <O as crate::Operation>::Output: Send,
    {
        let client = self.clone();
        futures_util::stream::try_unfold(Some(first), move |next| {
            let client = client.clone();
            async move {
                let Some(op) = next else { return Ok(None) };
                let page: <O as crate::Operation>::Output = client.execute(op.clone()).await?;
                let after = Paginated::next_page(&op, &page)?;
                Ok(Some((page, after)))
            }
        })
    }

    /// Every contact of a location, oldest first, via `GET /contacts/` pages of
    /// `page_size` (at most 100), resumable from `start` (a cursor from
    /// [`ListContacts`](crate::ops::contacts::ListContacts)). Yields each
    /// contact with the cursor to resume after it.
    pub fn contacts(
        &self,
        start: crate::ops::contacts::ListContacts,
    ) -> impl Stream<Item = Result<(crate::ops::contacts::ListContacts, ContactListResponse)>>
    + Send
    + 'static {
        let client = self.clone();
        futures_util::stream::try_unfold(Some(start), move |next| {
            let client = client.clone();
            async move {
                let Some(op) = next else { return Ok(None) };
                let page = client.execute(op.clone()).await?;
                let after = op.next_page(&page)?;
                Ok(Some(((op, page), after)))
            }
        })
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

    /// `POST /contacts/upsert`: whether a contact was created, and the contact.
    pub async fn upsert_contact(&self, op: UpsertContact) -> Result<(bool, Contact)> {
        let r = self.execute(op).await?;
        Ok((r.new.unwrap_or(false), r.contact))
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
}

/// Sends one request; classifies failures for the engine.
async fn send(
    http: &reqwest::Client,
    out: Outgoing,
) -> std::result::Result<HttpResponse, TransportError> {
    let req = out.request;
    let method = reqwest::Method::from_bytes(req.method.as_str().as_bytes())
        .map_err(|e| TransportError::new(TransportErrorKind::Connect, e.to_string()))?;
    tracing::trace!(method = %req.method, url = %req.url, "send");
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
