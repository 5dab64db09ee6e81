//! The JSON Schemas of the settings every shell accepts: the catalog's
//! `settings` (`client`, `build`, `verifier`, `exchange`, `poll`, `sync`), for builders and
//! for the package's TypeScript. The readers stay hand-written
//! (`crate::settings`, for the npm module's size); `core/tests/catalog.rs`
//! holds them to these schemas, field by field, so neither drifts.

use crate::{Credentials, OAuthClient};
use schemars::JsonSchema;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// `new ContactsClient(config)`, `contacts_client_new`: a client. Unknown
/// fields are refused.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct ClientConfig {
    /// The API's base URL: `https://services.leadconnectorhq.com` by
    /// default, a sandbox's in tests.
    base_url: Option<String>,
    /// What the client calls with.
    credentials: Credentials,
    /// The app's client id and secret: needed to refresh OAuth tokens.
    oauth_client: Option<OAuthClient>,
    /// How failed calls are retried.
    retry: Option<RetryConfig>,
    /// The location's rate budget, until the API's headers tell it.
    rate_limits: Option<RateLimitsConfig>,
    /// The deadline of one call, retries and waits included (default 30000).
    #[schemars(range(min = 1))]
    call_timeout_ms: Option<u64>,
    /// Refresh a token when it has less than this left (default 60000).
    refresh_ahead_ms: Option<u64>,
    /// How long a location's contact custom-field definitions, which turn
    /// keys into ids, are kept before they are fetched again (default
    /// 600000). An unknown key fetches them again at once.
    custom_fields_ttl_ms: Option<u64>,
    /// `Version` header per operation name, or `"*"` for all.
    version_overrides: Option<BTreeMap<String, String>>,
    /// The native shells' worker threads (the C ABI's runtime); shells on
    /// the host's event loop ignore it.
    #[schemars(range(min = 1, max = 64))]
    worker_threads: Option<u64>,
    /// Where journaling composites (`contacts.capture`) keep state.
    state: Option<StateConfig>,
    /// Share the rate budget, token refreshes and state with every process
    /// of the fleet, through Redis (native shells) or a host store object
    /// (the npm package's runtime module).
    fleet: Option<FleetConfig>,
}

/// Fleet mode: one rate budget per (app, location) across processes.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct FleetConfig {
    /// `redis://[:password@]host:port[/db]`, or `rediss://` for TLS: the
    /// native shells' store, required there. The npm package ships no Redis
    /// client and refuses it: give `store`, a host store object, instead.
    #[schemars(regex(pattern = r"^rediss?://"))]
    redis_url: Option<String>,
    /// Put before every key (default `libcontacts:`).
    key_prefix: Option<String>,
    /// When Redis cannot be reached: fail every call with
    /// FLEET_UNAVAILABLE (the default), or go on with a local budget of
    /// `localSharePercent` of the limit.
    when_unavailable: Option<WhenUnavailableConfig>,
    /// The local budget's share of the limit, in percent (default 25).
    #[schemars(range(min = 1, max = 100))]
    local_share_percent: Option<u32>,
    /// How long one process may hold the lease to renew a shared token set
    /// (default 10000): a holder that died is replaced after this long.
    #[schemars(range(min = 1))]
    lease_ms: Option<u64>,
}

/// What calls do without the fleet's Redis.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
enum WhenUnavailableConfig {
    /// Fail with FLEET_UNAVAILABLE.
    FailClosed,
    /// Use a local budget of a share of the limit.
    LocalShare,
}

/// How failed calls are retried.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct RetryConfig {
    /// Attempts in all, the first included (at least 1).
    #[schemars(range(min = 1))]
    max_attempts: u32,
    /// The first backoff, doubled each retry.
    base_delay_ms: u64,
    /// The longest backoff.
    max_delay_ms: u64,
}

/// A location's rate budget (HighLevel: 100 per 10 s, 200,000 a day).
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct RateLimitsConfig {
    /// Requests per burst window (above 0).
    #[schemars(range(min = 1))]
    burst_max: u32,
    /// The burst window in milliseconds (above 0).
    #[schemars(range(min = 1))]
    interval_ms: u64,
    /// Requests per day.
    daily_max: u32,
    /// Once the day's budget is spent, how long calls are refused before one
    /// probes whether it has reset (default 900000: HighLevel documents no
    /// reset time).
    #[schemars(range(min = 1))]
    daily_probe_ms: Option<u64>,
}

/// One SQLite file (native builds), memory (gone with the process), or the
/// fleet's store.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum StateConfig {
    /// A SQLite file, created if missing.
    Sqlite(SqliteState),
    /// In memory.
    Memory(MemoryState),
    /// The fleet's store (`config.fleet`), shared by its processes.
    Fleet(FleetState),
}

/// `{"fleet": true}`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct FleetState {
    /// `true`.
    #[schemars(extend("const" = true))]
    fleet: bool,
}

/// `{"sqlite": path}`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct SqliteState {
    /// The file.
    #[schemars(length(min = 1))]
    sqlite: String,
}

/// `{"memory": true}`.
#[derive(JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct MemoryState {
    /// `true`.
    #[schemars(extend("const" = true))]
    memory: bool,
}

/// `buildRequest`'s and `contacts_build_request`'s settings; every field
/// optional.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct BuildConfig {
    /// The API's base URL.
    base_url: Option<String>,
    /// The bearer token to set.
    token: Option<String>,
    /// `Version` header per operation name, or `"*"` for all.
    version_overrides: Option<BTreeMap<String, String>>,
}

/// A webhook verifier's settings.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct WebhookVerifierOptions {
    /// Ed25519 public keys (PEM, base64 or hex); absent for HighLevel's
    /// published key.
    public_keys: Option<Vec<String>>,
    /// The replay window; absent or 0 for the default.
    max_age_ms: Option<u64>,
}

/// The OAuth code exchange's settings.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct ExchangeConfig {
    /// The token endpoint's host; absent for production.
    base_url: Option<String>,
    /// The exchange's deadline (above 0; absent for the default).
    #[schemars(range(min = 1))]
    timeout_ms: Option<u64>,
}

/// A poll's params (`poll(triggers, params, checkpoint)` on every surface).
/// Unknown fields are refused.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct PollParams {
    /// The location to poll; the credentials' by default.
    #[schemars(length(min = 1))]
    location_id: Option<String>,
    /// Names the per-record state (by default derived from the triggers):
    /// two hosts that poll the same triggers into one store name theirs.
    #[schemars(regex(pattern = r"^[A-Za-z0-9._-]{1,64}$"))]
    subscription: Option<String>,
    /// The most requests one poll sends (default 100). A poll cut short
    /// says `more`, and its checkpoint goes on where it stopped.
    #[schemars(range(min = 1, max = 1_000_000))]
    max_requests: Option<u64>,
    /// How far before the newest `dateUpdated` seen each contact read
    /// starts, for search's lag (default 30000).
    #[schemars(range(max = 604_800_000))]
    overlap_ms: Option<u64>,
    /// How often ContactDelete scans every contact (default 3600000; 0:
    /// every poll).
    #[schemars(range(max = 31_536_000_000u64))]
    reconcile_every_ms: Option<u64>,
    /// Contacts per search page (default 500).
    #[schemars(range(min = 1, max = 500))]
    page_limit: Option<u64>,
    /// Tasks per page (default 100).
    #[schemars(range(min = 1, max = 100))]
    task_page_limit: Option<u64>,
    /// The calendars appointment triggers read; every calendar by default.
    #[schemars(inner(length(min = 1)))]
    calendar_ids: Option<Vec<String>>,
    /// Appointment triggers read appointments starting within this far
    /// either side of now (default 30 days).
    #[schemars(range(min = 1, max = 31_622_400_000u64))]
    window_ms: Option<u64>,
}

/// A sync's settings (`client.syncPass`, `contacts_sync_pass`, `contacts
/// sync --settings`; the README's "Two-way sync"). Unknown fields are
/// refused.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct SyncConfig {
    /// The sync's name: its state lives under `sync/<name>/`.
    #[schemars(regex(pattern = r"^[A-Za-z0-9_-]{1,64}$"))]
    name: String,
    /// Who wins a field both sides changed (default `newest`).
    policy: Option<SyncPolicy>,
    /// Policies by field: a template field's target (`email`,
    /// `firstName,lastName`, `customFields["contact.hours"]`).
    fields: Option<BTreeMap<String, SyncPolicy>>,
    /// Within this many ms of each other, `newest` calls it a conflict
    /// (default 2000).
    #[schemars(range(min = 0, max = 86_400_000))]
    skew_ms: Option<i64>,
    /// What a delete on each side does.
    deletes: Option<SyncDeletes>,
    /// Contacts per search page (default 500).
    #[schemars(range(min = 1, max = 500))]
    page_limit: Option<u64>,
    /// Host records per changes call (default 500).
    #[schemars(range(min = 1, max = 10_000))]
    host_page_limit: Option<u64>,
    /// How far before the newest `dateUpdated` seen a pass reads again
    /// (default 60000).
    #[schemars(range(min = 0, max = 86_400_000))]
    overlap_ms: Option<i64>,
    /// How often the delete scan reads every contact id (default a day).
    #[schemars(range(min = 0, max = 2_678_400_000i64))]
    reconcile_every_ms: Option<i64>,
    /// How long a pass holds the sync's lease before renewing it (default
    /// 120000).
    #[schemars(range(min = 100, max = 3_600_000))]
    lease_ms: Option<u64>,
    /// How long a pass waits for another pass's lease (default 120000).
    #[schemars(range(min = 0, max = 86_400_000))]
    lease_wait_ms: Option<u64>,
    /// Decide and report; write nothing and keep no state.
    dry_run: Option<bool>,
    /// Which appointments a pass with an appointments adapter writes to
    /// the host (HighLevel to the host only).
    appointments: Option<SyncAppointments>,
}

/// Which appointments a sync reads.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct SyncAppointments {
    /// The calendars read (default: every calendar of the location, one
    /// request more per pass).
    calendar_ids: Option<Vec<String>>,
    /// Appointments starting within this many ms either side of now
    /// (default 30 days).
    #[schemars(range(min = 60_000, max = 31_622_400_000i64))]
    window_ms: Option<i64>,
}

/// Who wins a field both sides changed.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SyncPolicy {
    /// HighLevel's value.
    Highlevel,
    /// The host's value.
    Host,
    /// The side changed last, by `dateUpdated` against `updatedAt`.
    Newest,
    /// Neither: the conflict is reported.
    Report,
}

/// What a record deleted on one side does to the other.
#[derive(JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct SyncDeletes {
    /// A host record deleted (default `propagate`).
    from_host: Option<SyncDelete>,
    /// A HighLevel contact deleted (default `tombstone`).
    from_high_level: Option<SyncDelete>,
}

/// A delete policy.
#[derive(JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)]
enum SyncDelete {
    /// The other side's record is deleted too.
    Propagate,
    /// The other side's record is kept and never recreated from this one.
    Tombstone,
}

/// The catalog's `settings`.
pub(super) fn schemas() -> Value {
    use crate::schema::schema_of;
    json!({
        "client": schema_of::<ClientConfig>(),
        "build": schema_of::<BuildConfig>(),
        "verifier": schema_of::<WebhookVerifierOptions>(),
        "exchange": schema_of::<ExchangeConfig>(),
        "poll": schema_of::<PollParams>(),
        "sync": schema_of::<SyncConfig>(),
    })
}
