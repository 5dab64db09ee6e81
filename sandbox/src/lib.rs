//! # contacts-sandbox
//!
//! A local, in-memory HighLevel: the Contacts API paths and response shapes of
//! the official spec, OAuth with rotating refresh tokens and location tokens,
//! scopes, the real rate-limit headers and 429s, pagination, webhooks signed
//! with Ed25519, CORS, and fault injection. Every test, example and benchmark
//! of libcontacts runs against it, and users run their staging tests on it.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let sandbox = contacts_sandbox::Sandbox::start(contacts_sandbox::SandboxConfig {
//!     seed: 100,
//!     ..Default::default()
//! }).await?;
//! println!("{} with token {}", sandbox.base_url(), sandbox.pit());
//! sandbox.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! It listens on 127.0.0.1 unless told otherwise. Tests start it on port 0 and
//! read [`Sandbox::base_url`].

mod auth;
mod faults;
mod ratelimit;
mod seed;
mod server;
mod store;
mod webhooks;

pub use faults::{FAULT_HEADER, Fault};
pub use ratelimit::Budgets;
pub use webhooks::{Delivery, RetryPolicy};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The default location id (20 characters, like HighLevel's).
pub const DEFAULT_LOCATION_ID: &str = "SBXloc00000000000001";
/// The default company (agency) id.
pub const DEFAULT_COMPANY_ID: &str = "SBXco000000000000001";
/// The default Private Integration Token, bound to [`DEFAULT_LOCATION_ID`].
pub const DEFAULT_PIT: &str = "pit-sandbox-0000-0000-0000";
/// The default OAuth client id.
pub const DEFAULT_CLIENT_ID: &str = "sandbox-client";
/// The default OAuth client secret.
pub const DEFAULT_CLIENT_SECRET: &str = "sandbox-secret";

/// Everything the sandbox can be told at start.
#[derive(Clone, Debug)]
pub struct SandboxConfig {
    /// Where to listen; port 0 picks a free port. Default `127.0.0.1:0`.
    pub addr: SocketAddr,
    /// Locations to create (the first is the default). Each gets `seed` contacts.
    pub locations: Vec<String>,
    /// The agency that owns the locations.
    pub company_id: String,
    /// Deterministic contacts (with tasks, notes, appointments) per location.
    pub seed: u64,
    /// Private Integration Tokens as `(token, location id)`; each has every scope.
    pub pits: Vec<(String, String)>,
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: String,
    /// Lifetime of OAuth access tokens, in seconds (HighLevel: 86,399).
    pub access_token_lifetime_s: u64,
    /// Rate budgets per (client, resource).
    pub budgets: Budgets,
    /// Webhook receivers.
    pub webhook_urls: Vec<String>,
    /// Seed of the Ed25519 webhook signing key; `None` derives one from the clock.
    pub webhook_key_seed: Option<[u8; 32]>,
    /// How 429 answers to webhooks are retried.
    pub webhook_retry: RetryPolicy,
    /// Faults injected by flag, into every `fault_every`-th request.
    pub faults: Vec<Fault>,
    /// See `faults`.
    pub fault_every: u64,
    /// Whether the "Allow Duplicate Contact" setting is on for every location.
    pub allow_duplicates: bool,
    /// How long a contact change takes to reach search in every location,
    /// as on HighLevel ("updates may take a few seconds"); 0 for at once.
    pub search_lag_ms: u64,
    /// Keep state across restarts in this file (written to a new file, then renamed).
    pub data_file: Option<PathBuf>,
}

impl Default for SandboxConfig {
    fn default() -> Self {
        SandboxConfig {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            locations: vec![DEFAULT_LOCATION_ID.to_string()],
            company_id: DEFAULT_COMPANY_ID.to_string(),
            seed: 0,
            pits: vec![(DEFAULT_PIT.to_string(), DEFAULT_LOCATION_ID.to_string())],
            client_id: DEFAULT_CLIENT_ID.to_string(),
            client_secret: DEFAULT_CLIENT_SECRET.to_string(),
            access_token_lifetime_s: 86_399,
            budgets: Budgets::default(),
            webhook_urls: Vec::new(),
            webhook_key_seed: None,
            webhook_retry: RetryPolicy {
                max_retries: 6,
                delay: Duration::from_secs(1),
            },
            faults: Vec::new(),
            fault_every: 1,
            allow_duplicates: false,
            search_lag_ms: 0,
            data_file: None,
        }
    }
}

/// A running sandbox. Dropping it without [`Sandbox::shutdown`] stops serving
/// too, but only `shutdown` waits for the data file to be written.
pub struct Sandbox {
    shared: Arc<server::Shared>,
    addr: SocketAddr,
    stop: tokio::sync::watch::Sender<bool>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Sandbox {
    /// Binds, loads or seeds the data, and starts serving on the current
    /// tokio runtime.
    pub async fn start(config: SandboxConfig) -> std::io::Result<Sandbox> {
        let listener = tokio::net::TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let shared = server::Shared::new(config, addr)?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let task = tokio::spawn(server::serve(listener, shared.clone(), stopped));
        Ok(Sandbox {
            shared,
            addr,
            stop,
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT`: point a client's base URL here.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// A ready Private Integration Token for [`Sandbox::location_id`].
    pub fn pit(&self) -> &str {
        self.shared.first_pit()
    }

    /// The default location.
    pub fn location_id(&self) -> &str {
        self.shared.default_location()
    }

    /// The webhook signing key's public half (SPKI PEM).
    pub fn webhook_public_key_pem(&self) -> String {
        self.shared.webhooks.public_key_pem()
    }

    /// Every webhook delivery made so far.
    pub fn webhook_deliveries(&self) -> Vec<Delivery> {
        self.shared.webhooks.deliveries()
    }

    /// The first contact of the default location, if any (for demos and benches).
    pub fn first_contact_id(&self) -> Option<String> {
        self.shared.first_contact_id()
    }

    /// How many contacts the default location holds now.
    pub fn contact_count(&self) -> usize {
        self.shared.contact_count()
    }

    /// Every contact of the default location as stored now, without
    /// search's lag (`contacts.get`'s shape), for tests that compare outcomes.
    pub fn contacts_now(&self) -> Vec<serde_json::Value> {
        self.shared.contacts_now()
    }

    /// API requests received so far (every path but `/sandbox/*`; also
    /// `GET /sandbox/stats`), for tests that count what a program cost.
    pub fn api_requests(&self) -> u64 {
        self.shared.api_requests()
    }

    /// Stops serving and writes the data file, if one is configured.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Err(e) = self.shared.save() {
            eprintln!("contacts-sandbox: could not save data: {e}");
        }
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

/// A sandbox on its own runtime thread, for callers that are not async (the
/// CLI's demo, C and Python tests, benches). Stops when dropped.
pub struct SandboxThread {
    base_url: String,
    pit: String,
    location_id: String,
    public_key_pem: String,
    first_contact_id: Option<String>,
    shared: Arc<server::Shared>,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SandboxThread {
    /// Starts a sandbox on a new thread with `worker_threads` tokio workers.
    pub fn start(config: SandboxConfig, worker_threads: usize) -> std::io::Result<SandboxThread> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("contacts-sandbox".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(worker_threads.max(1))
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                rt.block_on(async move {
                    match Sandbox::start(config).await {
                        Ok(s) => {
                            let info = (
                                s.base_url(),
                                s.pit().to_string(),
                                s.location_id().to_string(),
                                s.webhook_public_key_pem(),
                                s.first_contact_id(),
                                s.shared.clone(),
                            );
                            let _ = ready_tx.send(Ok(info));
                            let _ = tokio::task::spawn_blocking(move || stop_rx.recv()).await;
                            s.shutdown().await;
                        }
                        Err(e) => {
                            let _ = ready_tx.send(Err(e));
                        }
                    }
                });
            })?;
        let (base_url, pit, location_id, public_key_pem, first_contact_id, shared) = ready_rx
            .recv()
            .map_err(|_| std::io::Error::other("sandbox thread exited"))??;
        Ok(SandboxThread {
            base_url,
            pit,
            location_id,
            public_key_pem,
            first_contact_id,
            shared,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// See [`Sandbox::base_url`].
    pub fn base_url(&self) -> &str {
        &self.base_url
    }
    /// See [`Sandbox::pit`].
    pub fn pit(&self) -> &str {
        &self.pit
    }
    /// See [`Sandbox::location_id`].
    pub fn location_id(&self) -> &str {
        &self.location_id
    }
    /// See [`Sandbox::webhook_public_key_pem`].
    pub fn webhook_public_key_pem(&self) -> &str {
        &self.public_key_pem
    }
    /// See [`Sandbox::first_contact_id`].
    pub fn first_contact_id(&self) -> Option<&str> {
        self.first_contact_id.as_deref()
    }
    /// See [`Sandbox::api_requests`].
    pub fn api_requests(&self) -> u64 {
        self.shared.api_requests()
    }
    /// Refresh-token grants asked for so far, answered or not.
    pub fn token_refreshes(&self) -> u64 {
        self.shared.token_refreshes()
    }
    /// Location tokens minted from agency tokens so far.
    pub fn location_token_mints(&self) -> u64 {
        self.shared.location_token_mints()
    }
}

impl Drop for SandboxThread {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
