//! `contacts`: the HighLevel Contacts API from a shell.
//!
//! Credentials come from flags or from `HIGHLEVEL_TOKEN`,
//! `HIGHLEVEL_LOCATION_ID` and `HIGHLEVEL_BASE_URL`. Output is a table for
//! people and JSON with `--json`. An error is one line on stderr and a
//! non-zero exit (1 for API and input errors, 2 for usage).

mod bulk;
mod demo;
mod events;
mod flow;
mod input;
mod lang;
mod map;
mod output;
mod poll;
mod repeat;
mod sync;
mod tokens;

use clap::{Args, Parser, Subcommand};
use contacts_core::engine::{EngineConfig, WhenUnavailable};
use contacts_core::native::Client;
use contacts_core::settings::FleetSettings;
use contacts_core::{Config, Credentials, Error, ErrorCode};
use output::Out;
use serde_json::{Value, json};
use std::process::ExitCode;

/// The HighLevel (GoHighLevel / LeadConnector) Contacts API from a shell.
#[derive(Parser, Debug)]
#[command(name = "contacts", version, about)]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Debug, Clone)]
struct Global {
    /// Bearer token: a Private Integration Token or a location access token.
    #[arg(long, env = "HIGHLEVEL_TOKEN", global = true, hide_env_values = true)]
    token: Option<String>,
    /// OAuth tokens instead of --token: a JSON token set, refreshed as it
    /// expires, every rotated set written back to the file before use.
    #[arg(
        long,
        env = "HIGHLEVEL_TOKENS_FILE",
        global = true,
        conflicts_with = "token"
    )]
    tokens_file: Option<std::path::PathBuf>,
    /// The app's OAuth client id (refreshing needs it).
    #[arg(long, env = "HIGHLEVEL_CLIENT_ID", global = true)]
    client_id: Option<String>,
    /// The app's OAuth client secret.
    #[arg(
        long,
        env = "HIGHLEVEL_CLIENT_SECRET",
        global = true,
        hide_env_values = true
    )]
    client_secret: Option<String>,
    /// The location (sub-account) id.
    #[arg(long, env = "HIGHLEVEL_LOCATION_ID", global = true)]
    location_id: Option<String>,
    /// API base URL (a sandbox, or another region).
    #[arg(long, env = "HIGHLEVEL_BASE_URL", global = true, default_value = contacts_core::DEFAULT_BASE_URL)]
    base_url: String,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    json: bool,
    /// Deadline of one call, in seconds (retries included).
    #[arg(long, global = true, default_value_t = 30)]
    timeout: u64,
    /// The state file (SQLite, created if missing) where journaling actions
    /// such as contacts.capture keep their journal.
    #[arg(long, env = "HIGHLEVEL_STATE", global = true)]
    state: Option<std::path::PathBuf>,
    /// Fleet mode: share the location's rate budget with every process
    /// that names this Redis (redis://[:password@]host:port, or rediss://).
    #[arg(
        long,
        env = "HIGHLEVEL_FLEET_REDIS_URL",
        global = true,
        hide_env_values = true
    )]
    fleet_redis: Option<String>,
    /// Put before every fleet key in Redis.
    #[arg(long, global = true, default_value = "libcontacts:")]
    fleet_prefix: String,
    /// Without the fleet's Redis, go on with a local budget of this share
    /// of the limit (percent) instead of failing with FLEET_UNAVAILABLE.
    #[arg(long, global = true, value_parser = clap::value_parser!(u32).range(1..=100))]
    fleet_local_share: Option<u32>,
    /// How long one fleet process may hold the lease to renew shared OAuth
    /// tokens (ms): a holder that died is replaced after this long.
    #[arg(long, global = true, default_value_t = contacts_core::engine::DEFAULT_LEASE_MS)]
    fleet_lease_ms: u64,
    /// Once the day's budget is spent, wait this long before one call
    /// probes whether it has reset (ms; HighLevel documents no reset time).
    #[arg(long, global = true, default_value_t = contacts_core::engine::DEFAULT_DAILY_PROBE_MS)]
    daily_probe_ms: u64,
    /// Print the client's events to stderr, one line each: -v for calls
    /// finished, waits, retries and refreshes; -vv for every request too.
    /// Never a token or a secret.
    #[arg(short = 'v', long = "verbose", action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// Append every event (level debug) to this file as JSON lines.
    #[arg(long, env = "HIGHLEVEL_LOG_JSON", global = true)]
    log_json: Option<std::path::PathBuf>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Get a contact.
    Get { id: String },
    /// Create a contact.
    Create(ContactArgs),
    /// Update a contact (given fields only; --tag replaces all tags).
    Update {
        id: String,
        #[command(flatten)]
        fields: ContactArgs,
    },
    /// Delete a contact.
    Delete { id: String },
    /// Search contacts.
    Search {
        /// Full-text query.
        #[arg(long)]
        query: Option<String>,
        /// Filter FIELD=VALUE (eq), repeatable; e.g. --filter email=ada@example.com
        #[arg(long = "filter")]
        filters: Vec<String>,
        /// Page size (1-500).
        #[arg(long, default_value_t = 20)]
        page_limit: u32,
        /// Stop after this many contacts.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
    /// Create or update a contact matched by email or phone.
    Upsert(ContactArgs),
    /// A contact's tasks.
    #[command(subcommand)]
    Tasks(TaskCmd),
    /// A contact's notes.
    #[command(subcommand)]
    Notes(NoteCmd),
    /// A contact's tags.
    #[command(subcommand)]
    Tags(ListCmd),
    /// A contact's followers.
    #[command(subcommand)]
    Followers(ListCmd),
    /// Appointments: book, update, cancel, delete, get; or a contact's
    /// (`contacts appointments CONTACT_ID`).
    Appointments(AppointmentsArgs),
    /// Calendars: list, free slots.
    #[command(subcommand)]
    Calendars(CalendarCmd),
    /// The location's contact custom fields.
    #[command(subcommand)]
    CustomFields(CustomFieldCmd),
    /// The location's custom values.
    #[command(subcommand)]
    CustomValues(CustomValueCmd),
    /// Users: the location's, or an agency's by text or email.
    #[command(subcommand)]
    Users(UserCmd),
    /// Businesses of the location.
    #[command(subcommand)]
    Businesses(BusinessCmd),
    /// Print the catalog of every operation and webhook trigger (JSON).
    Catalog,
    /// The location's rate budget: sends one request (the first contact)
    /// to read HighLevel's rate-limit headers, then prints the limits, what
    /// is left, and what this process sent.
    Usage,
    /// Call any operation by catalog name with JSON params.
    Call {
        /// e.g. contacts.get
        name: String,
        /// JSON, @FILE, or - for stdin; e.g. '{"contactId":"…"}'
        #[arg(long, default_value = "{}")]
        params: String,
        /// Make the call this many times (a load test, such as of a shared
        /// fleet budget) and print a summary instead of the results.
        #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
        repeat: Option<u64>,
        /// With --repeat: calls in flight at once.
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=256))]
        concurrency: u64,
    },
    /// Poll triggers once: events as JSON lines, then the checkpoint file.
    Poll(poll::PollArgs),
    /// Poll triggers on an interval until Ctrl-C.
    Watch(poll::WatchArgs),
    /// Export every contact of the location as JSON Lines (resumable).
    Export(bulk::ExportArgs),
    /// Upsert contacts from CSV or JSON Lines under the rate budget.
    Import(bulk::ImportArgs),
    /// Webhooks.
    #[command(subcommand)]
    Webhook(WebhookCmd),
    /// The dry run of a mapping template over sample records: prints each
    /// mapped record or every error with its path; exits non-zero when any
    /// record is invalid. Sends nothing but, for custom-field keys without
    /// --custom-fields, the location's definitions request.
    Map(map::MapArgs),
    /// The condition and template language: check, eval, render.
    #[command(subcommand)]
    Lang(lang::LangCmd),
    /// Flows: when a trigger fires, if a condition holds, run catalog
    /// actions, once per event (check, run, event, log). The run log is in
    /// --state, the fleet's Redis, or beside the flow file (FLOW.json.state).
    #[command(subcommand)]
    Flow(flow::FlowCmd),
    /// Two-way sync between a SQLite table and the location's contacts,
    /// through a two-way mapping template: matched by email then phone,
    /// merged field by field, a report per pass. State in --state, the
    /// fleet's Redis, or beside the host database (HOST.db.sync).
    Sync(sync::SyncArgs),
    /// Run contacts-sandbox, a local HighLevel.
    Sandbox {
        #[arg(long, default_value_t = 8080)]
        port: u16,
        #[arg(long, default_value_t = 1000)]
        seed: u64,
    },
    /// Walk through the integration guides' flow against an in-process sandbox.
    Demo,
}

#[derive(Args, Debug, Clone, Default)]
struct ContactArgs {
    #[arg(long)]
    first_name: Option<String>,
    #[arg(long)]
    last_name: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    phone: Option<String>,
    #[arg(long)]
    company_name: Option<String>,
    /// Repeatable.
    #[arg(long = "tag")]
    tags: Vec<String>,
    /// Any other fields, as a JSON object (merged under the flags).
    #[arg(long)]
    data: Option<String>,
}

impl ContactArgs {
    fn to_params(&self) -> Result<serde_json::Map<String, Value>, Error> {
        let mut m = match &self.data {
            Some(d) => match serde_json::from_str::<Value>(d) {
                Ok(Value::Object(m)) => m,
                _ => return Err(Error::invalid_argument("--data must be a JSON object")),
            },
            None => serde_json::Map::new(),
        };
        let mut set = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        };
        set("firstName", &self.first_name);
        set("lastName", &self.last_name);
        set("email", &self.email);
        set("phone", &self.phone);
        set("companyName", &self.company_name);
        if !self.tags.is_empty() {
            m.insert("tags".into(), json!(self.tags));
        }
        Ok(m)
    }
}

#[derive(Subcommand, Debug)]
enum TaskCmd {
    /// List a contact's tasks.
    List { contact_id: String },
    /// Create a task.
    Create {
        contact_id: String,
        #[arg(long)]
        title: String,
        /// ISO due date, e.g. 2026-12-01T10:00:00Z
        #[arg(long)]
        due: String,
        #[arg(long)]
        body: Option<String>,
    },
    /// Mark a task completed.
    Complete { contact_id: String, task_id: String },
    /// Delete a task.
    Delete { contact_id: String, task_id: String },
}

#[derive(Subcommand, Debug)]
enum NoteCmd {
    /// List a contact's notes.
    List { contact_id: String },
    /// Add a note.
    Create {
        contact_id: String,
        #[arg(long)]
        body: String,
    },
    /// Delete a note.
    Delete { contact_id: String, note_id: String },
}

#[derive(Subcommand, Debug)]
enum ListCmd {
    /// Add items.
    Add {
        contact_id: String,
        items: Vec<String>,
    },
    /// Remove items.
    Remove {
        contact_id: String,
        items: Vec<String>,
    },
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
struct AppointmentsArgs {
    #[command(subcommand)]
    command: Option<AppointmentCmd>,
    /// A contact: list its appointments.
    contact_id: Option<String>,
}

#[derive(Subcommand, Debug)]
enum AppointmentCmd {
    /// A contact's appointments.
    List { contact_id: String },
    /// Book an appointment into a free slot (see `calendars slots`).
    Book {
        #[arg(long)]
        calendar: String,
        #[arg(long)]
        contact: String,
        /// Start, ISO 8601 with an offset, e.g. 2026-12-03T10:00:00-05:00
        #[arg(long)]
        start: String,
        /// End (default: the calendar's slot duration after the start).
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// Book even if the slot is not free.
        #[arg(long)]
        ignore_free_slot: bool,
    },
    /// Change an appointment.
    Update {
        event_id: String,
        #[arg(long)]
        start: Option<String>,
        #[arg(long)]
        end: Option<String>,
        #[arg(long)]
        title: Option<String>,
        /// new, confirmed, cancelled, showed, noshow, invalid
        #[arg(long)]
        status: Option<String>,
    },
    /// Cancel an appointment (it stays, with status cancelled).
    Cancel { event_id: String },
    /// Delete an appointment.
    Delete { event_id: String },
    /// Get an appointment.
    Get { event_id: String },
}

#[derive(Subcommand, Debug)]
enum CalendarCmd {
    /// The location's calendars.
    List,
    /// A calendar's free slots (a range of at most 31 days).
    Slots {
        calendar_id: String,
        /// Range start: ISO 8601, a date (YYYY-MM-DD, from 00:00 UTC) or Unix ms.
        #[arg(long)]
        from: String,
        /// Range end: as --from; a date means through its 23:59:59 UTC.
        #[arg(long)]
        to: String,
        /// IANA time zone of the answer, e.g. America/New_York
        #[arg(long)]
        timezone: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum CustomFieldCmd {
    /// List the contact custom fields (id, fieldKey, data type).
    List,
    /// Define a contact custom field.
    Create {
        #[arg(long)]
        name: String,
        /// TEXT, LARGE_TEXT, NUMERICAL, PHONE, MONETORY, CHECKBOX,
        /// SINGLE_OPTIONS, MULTIPLE_OPTIONS, DATE, …
        #[arg(long = "type")]
        data_type: String,
    },
}

#[derive(Subcommand, Debug)]
enum CustomValueCmd {
    /// List the custom values.
    List,
}

#[derive(Subcommand, Debug)]
enum UserCmd {
    /// The location's users.
    List,
    /// An agency's users matching a text (name, email, phone).
    Find {
        query: String,
        /// The agency (users.search requires it).
        #[arg(long, env = "HIGHLEVEL_COMPANY_ID")]
        company_id: String,
    },
}

#[derive(Subcommand, Debug)]
enum BusinessCmd {
    /// List businesses.
    List,
    /// Get a business.
    Get { id: String },
    /// Create a business.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Delete a business.
    Delete { id: String },
}

#[derive(Subcommand, Debug)]
enum WebhookCmd {
    /// Verify a delivery: its raw body and X-GHL-Signature.
    Verify {
        /// The raw body: a file, or - for stdin.
        #[arg(long)]
        body: String,
        /// The X-GHL-Signature header value.
        #[arg(long)]
        signature: String,
        /// Public key (PEM file); default: HighLevel's published key.
        #[arg(long)]
        public_key: Option<String>,
        /// Accept deliveries up to this old (seconds).
        #[arg(long, default_value_t = 300)]
        max_age: u64,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Out {
        json: cli.global.json,
    };
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return out.fail(&Error::new(ErrorCode::Transport, e.to_string())),
    };
    match rt.block_on(run(cli, &out)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => out.fail(&e),
    }
}

/// Where a client keeps state.
enum StateAt {
    /// Nowhere: actions that journal refuse to run.
    Nowhere,
    /// A SQLite file.
    File(std::path::PathBuf),
    /// The fleet's Redis, shared by every process of the fleet.
    Fleet,
}

/// A client from the global flags (state in `--state`, if given).
fn client(g: &Global) -> Result<Client, Error> {
    let at = g.state.clone().map_or(StateAt::Nowhere, StateAt::File);
    client_keeping(g, at)
}

/// A client from the global flags, keeping state `at`.
fn client_keeping(g: &Global, at: StateAt) -> Result<Client, Error> {
    let mut cfg = match &g.tokens_file {
        Some(path) => {
            let (store, credentials) = tokens::FileTokens::open(path, g.location_id.as_deref())?;
            let mut cfg = EngineConfig::new(credentials);
            cfg.token_store = Some(std::sync::Arc::new(store));
            if let (Some(id), Some(secret)) = (&g.client_id, &g.client_secret) {
                cfg.oauth_client = Some(contacts_core::OAuthClient {
                    client_id: id.clone(),
                    client_secret: secret.clone().into(),
                });
            }
            cfg
        }
        None => {
            let token = g.token.clone().ok_or_else(|| {
                Error::invalid_argument(
                    "no token: pass --token (or set HIGHLEVEL_TOKEN) or --tokens-file",
                )
            })?;
            EngineConfig::new(Credentials::PrivateIntegrationToken {
                token: token.into(),
                location_id: g.location_id.clone(),
            })
        }
    };
    cfg.config = Config::new(&g.base_url);
    cfg.call_timeout_ms = g.timeout.saturating_mul(1000);
    cfg.rate.daily_probe_ms = g.daily_probe_ms.max(1);
    if let Some(url) = &g.fleet_redis {
        let fleet = FleetSettings {
            redis_url: Some(url.clone()),
            key_prefix: g.fleet_prefix.clone(),
            when_unavailable: match g.fleet_local_share {
                Some(percent) => WhenUnavailable::LocalShare { percent },
                None => WhenUnavailable::FailClosed,
            },
            lease_ms: g.fleet_lease_ms.max(1),
        };
        cfg.fleet = Some(fleet.open(&cfg.credentials)?);
    }
    let fleet_store = cfg.fleet.as_ref().map(|f| f.store.clone());
    let client = Client::new(cfg)?;
    if let Some((sink, options)) = events::EventSink::open(g.verbose, g.log_json.as_deref())? {
        client.set_observer(Some(std::sync::Arc::new(sink)), options);
    }
    match at {
        StateAt::File(path) => {
            let store = contacts_core::state::SqliteStore::open(&path)?;
            client.with_state(std::sync::Arc::new(store))
        }
        StateAt::Fleet => match fleet_store {
            Some(store) => client.with_state(store),
            None => Err(Error::invalid_argument(
                "state in the fleet's store needs --fleet-redis",
            )),
        },
        StateAt::Nowhere => Ok(client),
    }
}

/// A client whose state is the poll's: `--state`, else the fleet's Redis
/// (every process polling the location shares its per-record state), else
/// a file beside the checkpoint file.
fn polling_client(g: &Global, args: &poll::PollArgs) -> Result<Client, Error> {
    let at = match (&g.state, &g.fleet_redis) {
        (Some(path), _) => StateAt::File(path.clone()),
        (None, Some(_)) => StateAt::Fleet,
        (None, None) => StateAt::File(poll::state_file(args)),
    };
    client_keeping(g, at)
}

/// A client whose state holds a flow's run log: `--state`, else the
/// fleet's Redis (every runner of the flow shares it), else a file beside
/// the flow file.
fn flow_client(g: &Global, cmd: &flow::FlowCmd) -> Result<Client, Error> {
    let at = match (&g.state, &g.fleet_redis, cmd.flow_file()) {
        (Some(path), _, _) => StateAt::File(path.clone()),
        (None, Some(_), _) => StateAt::Fleet,
        (None, None, Some(file)) => StateAt::File(flow::state_file(file)),
        (None, None, None) => {
            return Err(Error::invalid_argument(
                "the run log is in a state store: pass the flow's file, --state FILE or --fleet-redis",
            ));
        }
    };
    client_keeping(g, at)
}

fn location(g: &Global) -> Result<String, Error> {
    g.location_id.clone().ok_or_else(|| {
        Error::invalid_argument("no location: pass --location-id or set HIGHLEVEL_LOCATION_ID")
    })
}

async fn run(cli: Cli, out: &Out) -> Result<(), Error> {
    let g = &cli.global;
    match cli.command {
        Command::Catalog => {
            println!("{}", contacts_core::catalog::describe());
            Ok(())
        }
        Command::Webhook(WebhookCmd::Verify {
            body,
            signature,
            public_key,
            max_age,
        }) => {
            let events = events::EventSink::open(g.verbose, g.log_json.as_deref())?;
            bulk::verify_webhook(
                out,
                &body,
                &signature,
                public_key.as_deref(),
                max_age,
                events,
            )
        }
        Command::Lang(cmd) => lang::run(cmd, g.json),
        Command::Flow(cmd) if cmd.is_check() => flow::check(&cmd, out),
        Command::Flow(cmd) => {
            let client = flow_client(g, &cmd)?;
            flow::run(cmd, client, out).await
        }
        Command::Map(args) => {
            let job = args.load()?;
            let client = if job.needs_client() {
                Some(client(g)?)
            } else {
                None
            };
            map::run(job, client, out).await
        }
        Command::Sync(args) => {
            let at = match (&g.state, &g.fleet_redis) {
                (Some(path), _) => StateAt::File(path.clone()),
                (None, Some(_)) => StateAt::Fleet,
                (None, None) => StateAt::File(sync::state_file(&args.host_file()?)),
            };
            sync::run(args, client_keeping(g, at)?, out).await
        }
        Command::Sandbox { port, seed } => demo::run_sandbox(port, seed).await,
        Command::Demo => demo::run(out).await,
        Command::Poll(args) => poll::poll(&polling_client(g, &args)?, &args).await,
        Command::Watch(args) => poll::watch(&polling_client(g, args.poll())?, &args).await,
        Command::Export(args) => bulk::export(&client(g)?, &location(g)?, args, out).await,
        Command::Call {
            name,
            params,
            repeat: Some(times),
            concurrency,
        } => {
            let name = contacts_core::catalog::action_name(&name)?;
            let params: Value = input::json_arg("--params", &params)?;
            repeat::run(&client(g)?, name, params, times, concurrency).await
        }
        Command::Import(args) => bulk::import(&client(g)?, &location(g)?, args, out).await,
        Command::Usage => {
            let c = client(g)?;
            c.call(
                "contacts.list",
                json!({"locationId": location(g)?, "limit": 1}),
            )
            .await?;
            let usage = contacts_core::observe::Usage::report_json(&[c.usage().await]);
            let usage: Value = serde_json::from_str(&usage)
                .map_err(|e| Error::new(ErrorCode::Decode, e.to_string()))?;
            out.usage(&usage);
            Ok(())
        }
        command => {
            let c = client(g)?;
            let (name, params) = request_of(g, command)?;
            let result = c.call(name, params).await?;
            out.result(name, &result);
            Ok(())
        }
    }
}

/// The catalog operation and params of an `appointments` command.
fn appointment_request(g: &Global, a: AppointmentsArgs) -> Result<(&'static str, Value), Error> {
    let Some(command) = a.command else {
        let contact_id = a.contact_id.ok_or_else(|| {
            Error::invalid_argument("appointments: give a CONTACT_ID or a subcommand (see --help)")
        })?;
        return Ok(("appointments.list", json!({"contactId": contact_id})));
    };
    Ok(match command {
        AppointmentCmd::List { contact_id } => {
            ("appointments.list", json!({"contactId": contact_id}))
        }
        AppointmentCmd::Book {
            calendar,
            contact,
            start,
            end,
            title,
            ignore_free_slot,
        } => (
            "appointments.create",
            json!({"calendarId": calendar, "locationId": location(g)?, "contactId": contact,
                   "startTime": start, "endTime": end, "title": title,
                   "ignoreFreeSlotValidation": ignore_free_slot.then_some(true)}),
        ),
        AppointmentCmd::Update {
            event_id,
            start,
            end,
            title,
            status,
        } => (
            "appointments.update",
            json!({"eventId": event_id, "startTime": start, "endTime": end, "title": title,
                   "appointmentStatus": status}),
        ),
        AppointmentCmd::Cancel { event_id } => {
            ("appointments.cancel", json!({"eventId": event_id}))
        }
        AppointmentCmd::Delete { event_id } => {
            ("appointments.delete", json!({"eventId": event_id}))
        }
        AppointmentCmd::Get { event_id } => ("appointments.get", json!({"eventId": event_id})),
    })
}

/// A range end as Unix ms: ISO 8601 with an offset, a date (its start, or
/// with `end_of_day` its last second, in UTC), or Unix ms.
fn when(text: &str, end_of_day: bool) -> Result<u64, Error> {
    let parse = contacts_core::time::parse_rfc3339_ms;
    let ms = text
        .parse::<u64>()
        .ok()
        .or_else(|| parse(text).map(|ms| ms as u64))
        .or_else(|| {
            let time = if end_of_day {
                "T23:59:59Z"
            } else {
                "T00:00:00Z"
            };
            parse(&format!("{text}{time}")).map(|ms| ms as u64)
        });
    ms.ok_or_else(|| {
        Error::invalid_argument(format!(
            "{text:?} is not a date (YYYY-MM-DD), an ISO 8601 time or Unix ms"
        ))
    })
}

/// The catalog operation and params a simple command stands for.
fn request_of(g: &Global, command: Command) -> Result<(&'static str, Value), Error> {
    let with_loc = |mut m: serde_json::Map<String, Value>| -> Result<Value, Error> {
        m.insert("locationId".into(), json!(location(g)?));
        Ok(Value::Object(m))
    };
    Ok(match command {
        Command::Get { id } => ("contacts.get", json!({"contactId": id})),
        Command::Create(a) => ("contacts.create", with_loc(a.to_params()?)?),
        Command::Upsert(a) => ("contacts.upsert", with_loc(a.to_params()?)?),
        Command::Update { id, fields } => {
            let mut m = fields.to_params()?;
            m.insert("contactId".into(), json!(id));
            ("contacts.update", Value::Object(m))
        }
        Command::Delete { id } => ("contacts.delete", json!({"contactId": id})),
        Command::Search {
            query,
            filters,
            page_limit,
            limit,
        } => {
            let filters: Vec<Value> = filters
                .iter()
                .map(|f| {
                    let (field, value) = f.split_once('=').ok_or_else(|| {
                        Error::invalid_argument(format!("--filter {f:?}: expected FIELD=VALUE"))
                    })?;
                    Ok(json!({"field": field, "operator": "eq", "value": value}))
                })
                .collect::<Result<_, Error>>()?;
            let mut m = serde_json::Map::new();
            m.insert(
                "pageLimit".into(),
                json!(page_limit.min(limit.max(1) as u32)),
            );
            if let Some(q) = query {
                m.insert("query".into(), json!(q));
            }
            if !filters.is_empty() {
                m.insert("filters".into(), json!(filters));
            }
            ("contacts.search", with_loc(m)?)
        }
        Command::Tasks(TaskCmd::List { contact_id }) => {
            ("tasks.list", json!({"contactId": contact_id}))
        }
        Command::Tasks(TaskCmd::Create {
            contact_id,
            title,
            due,
            body,
        }) => (
            "tasks.create",
            json!({"contactId": contact_id, "title": title, "dueDate": due, "body": body}),
        ),
        Command::Tasks(TaskCmd::Complete {
            contact_id,
            task_id,
        }) => (
            "tasks.complete",
            json!({"contactId": contact_id, "taskId": task_id}),
        ),
        Command::Tasks(TaskCmd::Delete {
            contact_id,
            task_id,
        }) => (
            "tasks.delete",
            json!({"contactId": contact_id, "taskId": task_id}),
        ),
        Command::Notes(NoteCmd::List { contact_id }) => {
            ("notes.list", json!({"contactId": contact_id}))
        }
        Command::Notes(NoteCmd::Create { contact_id, body }) => (
            "notes.create",
            json!({"contactId": contact_id, "body": body}),
        ),
        Command::Notes(NoteCmd::Delete {
            contact_id,
            note_id,
        }) => (
            "notes.delete",
            json!({"contactId": contact_id, "noteId": note_id}),
        ),
        Command::Tags(ListCmd::Add { contact_id, items }) => {
            ("tags.add", json!({"contactId": contact_id, "tags": items}))
        }
        Command::Tags(ListCmd::Remove { contact_id, items }) => (
            "tags.remove",
            json!({"contactId": contact_id, "tags": items}),
        ),
        Command::Followers(ListCmd::Add { contact_id, items }) => (
            "followers.add",
            json!({"contactId": contact_id, "followers": items}),
        ),
        Command::Followers(ListCmd::Remove { contact_id, items }) => (
            "followers.remove",
            json!({"contactId": contact_id, "followers": items}),
        ),
        Command::Appointments(a) => appointment_request(g, a)?,
        Command::Calendars(CalendarCmd::List) => {
            ("calendars.list", json!({"locationId": location(g)?}))
        }
        Command::Calendars(CalendarCmd::Slots {
            calendar_id,
            from,
            to,
            timezone,
        }) => (
            "calendars.freeSlots",
            json!({"calendarId": calendar_id, "startDate": when(&from, false)?,
                   "endDate": when(&to, true)?, "timezone": timezone}),
        ),
        Command::CustomFields(CustomFieldCmd::List) => (
            "locationCustomFields.list",
            json!({"locationId": location(g)?}),
        ),
        Command::CustomFields(CustomFieldCmd::Create { name, data_type }) => (
            "locationCustomFields.create",
            json!({"locationId": location(g)?, "name": name, "dataType": data_type}),
        ),
        Command::CustomValues(CustomValueCmd::List) => {
            ("customValues.list", json!({"locationId": location(g)?}))
        }
        Command::Users(UserCmd::List) => ("users.list", json!({"locationId": location(g)?})),
        Command::Users(UserCmd::Find { query, company_id }) => (
            "users.search",
            json!({"companyId": company_id, "query": query}),
        ),
        Command::Businesses(BusinessCmd::List) => {
            ("businesses.list", json!({"locationId": location(g)?}))
        }
        Command::Businesses(BusinessCmd::Get { id }) => {
            ("businesses.get", json!({"businessId": id}))
        }
        Command::Businesses(BusinessCmd::Create { name }) => (
            "businesses.create",
            json!({"name": name, "locationId": location(g)?}),
        ),
        Command::Businesses(BusinessCmd::Delete { id }) => {
            ("businesses.delete", json!({"businessId": id}))
        }
        Command::Call { name, params, .. } => {
            let name = contacts_core::catalog::action_name(&name)?;
            let params: Value = input::json_arg("--params", &params)?;
            (name, params)
        }
        _ => return Err(Error::invalid_argument("not a simple command")),
    })
}
