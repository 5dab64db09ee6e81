//! The JSON settings every shell accepts, read in one place so the C ABI and
//! the JS package refuse the same bad fields with the same messages.
//!
//! A client (`ClientSettings`):
//!
//! ```json
//! {"baseUrl": "https://services.leadconnectorhq.com",
//!  "credentials": {"kind": "privateIntegrationToken", "token": "pit-…", "locationId": "…"},
//!  "oauthClient": {"clientId": "…", "clientSecret": "…"},
//!  "retry": {"maxAttempts": 4, "baseDelayMs": 200, "maxDelayMs": 5000},
//!  "rateLimits": {"burstMax": 100, "intervalMs": 10000, "dailyMax": 200000},
//!  "callTimeoutMs": 30000, "refreshAheadMs": 60000, "customFieldsTtlMs": 600000, "versionOverrides": {},
//!  "workerThreads": 1, "state": {"sqlite": "/var/lib/app/contacts-state.db"},
//!  "fleet": {"redisUrl": "redis://…", "keyPrefix": "app:", "whenUnavailable": "failClosed"}}
//! ```
//!
//! `fleet` shares the rate budget with every process that names the same
//! Redis (`whenUnavailable`: `failClosed`, or `localShare` with
//! `localSharePercent`); native shells open it with [`FleetSettings::open`].
//!
//! `state` is where composite actions that journal (`contacts.capture`)
//! keep it: `{"sqlite": path}` or `{"memory": true}`.
//!
//! `workerThreads` (1 to 64) sizes a native shell's async runtime (the C
//! ABI's); shells whose calls run on the host's event loop ignore it.
//!
//! A sans-IO build (`BuildSettings`): `{"baseUrl", "token", "versionOverrides"}`,
//! every field optional. A webhook verifier (`VerifierSettings`):
//! `{"publicKeys", "maxAgeMs"}`. The OAuth code exchange
//! (`ExchangeSettings`): `{"baseUrl", "timeoutMs"}`.
//!
//! ```
//! use contacts_core::settings::ClientSettings;
//! let s = ClientSettings::from_json(&serde_json::json!({
//!     "credentials": {"kind": "privateIntegrationToken", "token": "pit-x"},
//!     "retry": {"maxAttempts": 2, "baseDelayMs": 10, "maxDelayMs": 100}
//! })).unwrap();
//! assert_eq!(s.into_engine_config().retry.max_attempts, 2);
//! let bad = ClientSettings::from_json(&serde_json::json!({"credentials": {"kind": "pit"}}));
//! assert_eq!(bad.unwrap_err().code(), contacts_core::ErrorCode::InvalidArgument);
//! ```

use crate::engine::{DEFAULT_CALL_TIMEOUT_MS, EngineConfig, RateLimits, RetryPolicy};
use crate::json::{Fields, FromJson, invalid};
#[cfg(feature = "fleet")]
use crate::secret::redact_url;
use crate::webhooks::WebhookVerifier;
use crate::{Config, Credentials, OAuthClient, Result};
use serde_json::Value;
use std::collections::BTreeMap;

/// A client's settings, checked. Turn into an engine's with
/// [`ClientSettings::into_engine_config`]; the token store is the shell's.
#[derive(Debug)]
pub struct ClientSettings {
    base_url: Option<String>,
    credentials: Credentials,
    oauth_client: Option<OAuthClient>,
    retry: Option<RetryPolicy>,
    rate_limits: Option<RateLimits>,
    call_timeout_ms: Option<u64>,
    refresh_ahead_ms: Option<u64>,
    custom_fields_ttl_ms: Option<u64>,
    version_overrides: Option<BTreeMap<String, String>>,
    worker_threads: Option<u64>,
    state: Option<StateSettings>,
    #[cfg(feature = "fleet")]
    fleet: Option<FleetSettings>,
}

/// Fleet settings, checked: where the shared store is, and what calls do
/// without it. Native shells name a Redis (`redisUrl`, opened by
/// [`FleetSettings::open`]); the npm package takes a host store object
/// instead ([`FleetSettings::with_store`]), and its shell refuses a URL.
#[cfg(feature = "fleet")]
#[derive(Clone, PartialEq, Eq)]
pub struct FleetSettings {
    /// `redis://` or `rediss://`; printed only redacted. `None` when the
    /// shell gives the store itself.
    pub redis_url: Option<String>,
    /// Put before every key.
    pub key_prefix: String,
    /// The policy when Redis cannot be reached.
    pub when_unavailable: crate::engine::WhenUnavailable,
    /// How long a process may hold the lease to renew a shared token set.
    pub lease_ms: u64,
}

#[cfg(feature = "fleet")]
impl std::fmt::Debug for FleetSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetSettings")
            .field("redis_url", &self.redis_url.as_deref().map(redact_url))
            .field("key_prefix", &self.key_prefix)
            .field("when_unavailable", &self.when_unavailable)
            .field("lease_ms", &self.lease_ms)
            .finish()
    }
}

#[cfg(feature = "fleet")]
fn read_fleet(value: &Value) -> Result<FleetSettings> {
    use crate::engine::WhenUnavailable;
    let mut f = Fields::of("config.fleet", value)?;
    let redis_url: Option<String> = f.optional("redisUrl")?;
    let key_prefix: Option<String> = f.optional("keyPrefix")?;
    let policy: Option<String> = f.optional("whenUnavailable")?;
    let percent: Option<u32> = f.optional("localSharePercent")?;
    let lease_ms: Option<u64> = f.optional("leaseMs")?;
    f.finish()?;
    if lease_ms == Some(0) {
        return Err(invalid("config.fleet.leaseMs must be above 0".into()));
    }
    if let Some(url) = redis_url
        .as_deref()
        .filter(|u| !(u.starts_with("redis://") || u.starts_with("rediss://")))
    {
        return Err(invalid(format!(
            "config.fleet.redisUrl {} is not a redis:// or rediss:// URL",
            redact_url(url)
        )));
    }
    if percent.is_some_and(|p| !(1..=100).contains(&p)) {
        return Err(invalid(
            "config.fleet.localSharePercent must be from 1 to 100".into(),
        ));
    }
    let when_unavailable = match policy.as_deref() {
        None | Some("failClosed") => WhenUnavailable::FailClosed,
        Some("localShare") => WhenUnavailable::LocalShare {
            percent: percent.unwrap_or(25),
        },
        Some(other) => {
            return Err(invalid(format!(
                "config.fleet.whenUnavailable is \"failClosed\" or \"localShare\", not {other:?}"
            )));
        }
    };
    Ok(FleetSettings {
        redis_url,
        key_prefix: key_prefix.unwrap_or_else(|| "libcontacts:".into()),
        when_unavailable,
        lease_ms: lease_ms.unwrap_or(crate::engine::DEFAULT_LEASE_MS),
    })
}

#[cfg(feature = "fleet")]
impl FleetSettings {
    /// Opens the fleet for `credentials`: a Redis store tagged with their
    /// location (or company), so each location's keys share a cluster slot.
    /// Nothing connects until the first call.
    ///
    /// Errors: InvalidArgument when the credentials name no location or
    /// company, or the URL does not parse.
    #[cfg(feature = "redis")]
    pub fn open(&self, credentials: &Credentials) -> Result<crate::engine::Fleet> {
        let tag = fleet_tag(credentials)?;
        let url = self.redis_url.clone().ok_or_else(|| {
            invalid("config.fleet needs redisUrl: the Redis the fleet shares".into())
        })?;
        let mut redis = crate::state::RedisSettings::new(url);
        redis.key_prefix = self.key_prefix.clone();
        let store = crate::state::RedisStore::new(redis, &tag)?;
        Ok(self.fleet_over(std::sync::Arc::new(store)))
    }

    /// The fleet over a host's own store (the npm package's store object),
    /// every key put under `keyPrefix` and the credentials' location, so
    /// one store serves the fleets of many locations, each apart.
    ///
    /// Errors: InvalidArgument when the credentials name no location or
    /// company.
    // On wasm32 the store object is not Send (one thread, JS promises).
    #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
    pub fn with_store(
        &self,
        store: std::sync::Arc<dyn crate::state::StateStore>,
        credentials: &Credentials,
    ) -> Result<crate::engine::Fleet> {
        let prefix = format!("{}{}:", self.key_prefix, fleet_tag(credentials)?);
        let scoped = crate::state::ScopedStore::new(store, prefix);
        Ok(self.fleet_over(std::sync::Arc::new(scoped)))
    }

    fn fleet_over(
        &self,
        store: std::sync::Arc<dyn crate::state::StateStore>,
    ) -> crate::engine::Fleet {
        crate::engine::Fleet {
            store,
            when_unavailable: self.when_unavailable,
            lease_ms: self.lease_ms,
        }
    }
}

/// The location (or company) whose budget a fleet shares.
#[cfg(feature = "fleet")]
fn fleet_tag(credentials: &Credentials) -> Result<String> {
    credentials.resource_id().ok_or_else(|| {
        invalid("a fleet shares one location's budget: give the credentials a locationId".into())
    })
}

/// Where a client keeps state (`"state"` of the client settings): one
/// SQLite file (`{"sqlite": "/path/state.db"}`, native builds), memory
/// (`{"memory": true}`, gone with the process), or the fleet's store
/// (`{"fleet": true}`: Redis, or the package's fleet store object), so every
/// process of the fleet shares triggers' per-record state and journals.
#[derive(Debug)]
pub enum StateSettings {
    /// A SQLite file, created if missing.
    Sqlite(String),
    /// In memory.
    Memory,
    /// The fleet's store, shared by its processes.
    Fleet,
}

fn read_state(value: &Value) -> Result<StateSettings> {
    let mut f = Fields::of("config.state", value)?;
    let sqlite: Option<String> = f.optional("sqlite")?;
    let memory: Option<bool> = f.optional("memory")?;
    let fleet: Option<bool> = f.optional("fleet")?;
    f.finish()?;
    match (sqlite, memory, fleet) {
        (Some(path), None, None) if !path.is_empty() => Ok(StateSettings::Sqlite(path)),
        (None, Some(true), None) => Ok(StateSettings::Memory),
        (None, None, Some(true)) => Ok(StateSettings::Fleet),
        _ => Err(invalid(
            "config.state is {\"sqlite\": \"/path/file.db\"}, {\"memory\": true} or {\"fleet\": true}"
                .into(),
        )),
    }
}

impl StateSettings {
    /// Opens the store these settings name; `fleet` is the engine's, for
    /// `{"fleet": true}`.
    ///
    /// Errors: [`crate::ErrorCode::State`] for a SQLite file that cannot be
    /// used; InvalidArgument for SQLite in a build without it (the npm
    /// package: give it a store object instead), and for the fleet's store
    /// without a fleet.
    pub fn open(
        &self,
        fleet: Option<&crate::engine::Fleet>,
    ) -> Result<std::sync::Arc<dyn crate::state::StateStore>> {
        match self {
            StateSettings::Memory => Ok(std::sync::Arc::new(crate::state::MemoryStore::new())),
            StateSettings::Fleet => fleet.map(|f| f.store.clone()).ok_or_else(|| {
                invalid("config.state.fleet needs config.fleet: the store the fleet shares".into())
            }),
            #[cfg(feature = "sqlite")]
            StateSettings::Sqlite(path) => {
                Ok(std::sync::Arc::new(crate::state::SqliteStore::open(path)?))
            }
            #[cfg(not(feature = "sqlite"))]
            StateSettings::Sqlite(_) => Err(invalid(
                "config.state.sqlite: this build has no SQLite store".into(),
            )),
        }
    }
}

fn read_retry(value: &Value) -> Result<RetryPolicy> {
    let mut f = Fields::of("config.retry", value)?;
    let r = RetryPolicy {
        max_attempts: f.required("maxAttempts")?,
        base_delay_ms: f.required("baseDelayMs")?,
        max_delay_ms: f.required("maxDelayMs")?,
    };
    f.finish()?;
    if r.max_attempts == 0 {
        return Err(invalid(
            "config.retry.maxAttempts must be at least 1".into(),
        ));
    }
    Ok(r)
}

fn read_rate_limits(value: &Value) -> Result<RateLimits> {
    let mut f = Fields::of("config.rateLimits", value)?;
    let r = RateLimits {
        burst_max: f.required("burstMax")?,
        interval_ms: f.required("intervalMs")?,
        daily_max: f.required("dailyMax")?,
        daily_probe_ms: f
            .optional("dailyProbeMs")?
            .unwrap_or(crate::engine::DEFAULT_DAILY_PROBE_MS),
        ..RateLimits::default()
    };
    f.finish()?;
    if r.burst_max == 0 || r.interval_ms == 0 || r.daily_probe_ms == 0 {
        return Err(invalid(
            "config.rateLimits needs burstMax, intervalMs and dailyProbeMs above 0".into(),
        ));
    }
    Ok(r)
}

/// `value` read field by field by `read`, refusing any field it did not
/// take; `null` means `T::default()`. `path` names the object in errors.
fn read_options<T: Default>(
    path: &'static str,
    value: &Value,
    read: impl FnOnce(&mut Fields<'_>) -> Result<T>,
) -> Result<T> {
    if value.is_null() {
        return Ok(T::default());
    }
    let mut f = Fields::of(path, value)?;
    let read = read(&mut f)?;
    f.finish()?;
    Ok(read)
}

fn base_config(base_url: Option<&str>, field: &str) -> Result<Config> {
    match base_url {
        Some(u) if u.starts_with("http://") || u.starts_with("https://") => Ok(Config::new(u)),
        Some(u) => Err(invalid(format!("{field} {u:?} is not an http(s) URL"))),
        None => Ok(Config::default()),
    }
}

impl ClientSettings {
    /// Reads and checks settings. Unknown fields, wrong types and values out
    /// of range are [`ErrorCode::InvalidArgument`], naming the field.
    pub fn from_json(value: &Value) -> Result<ClientSettings> {
        let mut f = Fields::of("config", value)?;
        let s = ClientSettings {
            base_url: f.optional("baseUrl")?,
            credentials: f.required("credentials")?,
            oauth_client: f.optional("oauthClient")?,
            retry: f.value("retry").map(read_retry).transpose()?,
            rate_limits: f.value("rateLimits").map(read_rate_limits).transpose()?,
            call_timeout_ms: f.optional("callTimeoutMs")?,
            refresh_ahead_ms: f.optional("refreshAheadMs")?,
            custom_fields_ttl_ms: f.optional("customFieldsTtlMs")?,
            version_overrides: f.optional("versionOverrides")?,
            worker_threads: f.optional("workerThreads")?,
            state: f.value("state").map(read_state).transpose()?,
            #[cfg(feature = "fleet")]
            fleet: f.value("fleet").map(read_fleet).transpose()?,
        };
        // Without feature `fleet` (the npm package's main module) the field
        // is known, and refused saying where fleets run.
        #[cfg(not(feature = "fleet"))]
        if f.value("fleet").is_some() {
            return Err(invalid(
                "config.fleet: fleet mode runs in libcontacts/runtime and the native builds".into(),
            ));
        }
        f.finish()?;
        base_config(s.base_url.as_deref(), "config.baseUrl")?;
        if s.worker_threads.is_some_and(|w| !(1..=64).contains(&w)) {
            return Err(invalid(
                "config.workerThreads must be an integer from 1 to 64".into(),
            ));
        }
        if s.call_timeout_ms == Some(0) {
            return Err(invalid("config.callTimeoutMs must be above 0".into()));
        }
        Ok(s)
    }

    /// How many async worker threads a native shell's runtime should have,
    /// if the settings say (checked: 1 to 64).
    pub fn worker_threads(&self) -> Option<usize> {
        self.worker_threads.map(|w| w as usize)
    }

    /// Takes the fleet settings out (a native shell opens them with
    /// [`FleetSettings::open`] into the engine's `fleet`).
    #[cfg(feature = "fleet")]
    pub fn take_fleet(&mut self) -> Option<FleetSettings> {
        self.fleet.take()
    }

    /// The credentials these settings call with.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Takes the state settings out (the store is opened by
    /// [`StateSettings::open`] and given to the driver).
    pub fn take_state(&mut self) -> Option<StateSettings> {
        self.state.take()
    }

    /// The engine settings these make (no token store: the shell adds its own).
    pub fn into_engine_config(self) -> EngineConfig {
        let mut e = EngineConfig::new(self.credentials);
        // Checked by `from_json`.
        e.config = base_config(self.base_url.as_deref(), "").unwrap_or_default();
        if let Some(v) = self.version_overrides {
            e.config.version_overrides = v;
        }
        e.oauth_client = self.oauth_client;
        if let Some(r) = self.retry {
            e.retry = r;
        }
        if let Some(r) = self.rate_limits {
            e.rate = r;
        }
        if let Some(t) = self.call_timeout_ms {
            e.call_timeout_ms = t;
        }
        if let Some(a) = self.refresh_ahead_ms {
            e.refresh_ahead_ms = a;
        }
        if let Some(t) = self.custom_fields_ttl_ms {
            e.custom_fields_ttl_ms = t;
        }
        e
    }
}

/// The settings of a sans-IO build: base URL, bearer token, `Version`
/// overrides. `null` means the defaults (production URL, no token).
#[derive(Debug, Default)]
pub struct BuildSettings {
    base_url: Option<String>,
    token: Option<String>,
    version_overrides: Option<BTreeMap<String, String>>,
}

impl BuildSettings {
    /// Reads `value` (`null` for the defaults) into a [`Config`]. Unknown
    /// fields and non-http(s) URLs are [`ErrorCode::InvalidArgument`].
    pub fn config_from_json(value: &Value) -> Result<Config> {
        let s = read_options("config", value, |f| {
            Ok(BuildSettings {
                base_url: f.optional("baseUrl")?,
                token: f.optional("token")?,
                version_overrides: f.optional("versionOverrides")?,
            })
        })?;
        let mut cfg = base_config(s.base_url.as_deref(), "config.baseUrl")?;
        if let Some(t) = s.token {
            cfg = cfg.with_token(t);
        }
        if let Some(v) = s.version_overrides {
            cfg.version_overrides = v;
        }
        Ok(cfg)
    }
}

/// A webhook verifier's settings: `publicKeys` (PEM, base64 or hex
/// Ed25519; absent for HighLevel's published key) and `maxAgeMs` (the
/// replay window; absent or 0 for the default). `null` means the defaults.
#[derive(Debug, Default)]
pub struct VerifierSettings {
    public_keys: Option<Vec<String>>,
    max_age_ms: Option<u64>,
}

impl VerifierSettings {
    /// Reads `value`. Unknown fields and wrong types are
    /// [`ErrorCode::InvalidArgument`], naming the field.
    pub fn from_json(value: &Value) -> Result<VerifierSettings> {
        read_options("options", value, |f| {
            Ok(VerifierSettings {
                public_keys: f.optional("publicKeys")?,
                max_age_ms: f.optional("maxAgeMs")?,
            })
        })
    }

    /// The same settings given apart, as the C ABI takes them: `keys` (a
    /// JSON array, or `null` for HighLevel's key; named `path` in errors)
    /// and `max_age_ms` (0 for the default).
    pub fn from_parts(path: &str, keys: &Value, max_age_ms: u64) -> Result<VerifierSettings> {
        let public_keys = match keys {
            Value::Null => None,
            keys => Some(Vec::<String>::from_json(path, keys)?),
        };
        Ok(VerifierSettings {
            public_keys,
            max_age_ms: Some(max_age_ms),
        })
    }

    /// The verifier these make. A bad key is [`ErrorCode::InvalidArgument`].
    pub fn into_verifier(self) -> Result<WebhookVerifier> {
        WebhookVerifier::configured(self.public_keys.as_deref(), self.max_age_ms)
    }
}

/// The OAuth code exchange's settings: `baseUrl` (the token endpoint's
/// host; absent for production) and `timeoutMs` (absent for the default
/// call timeout). `null` means the defaults.
#[derive(Debug, Default)]
pub struct ExchangeSettings {
    base_url: Option<String>,
    timeout_ms: Option<u64>,
}

impl ExchangeSettings {
    /// Reads `value`, as [`VerifierSettings::from_json`] does.
    pub fn from_json(value: &Value) -> Result<ExchangeSettings> {
        let s = read_options("options", value, |f| {
            Ok(ExchangeSettings {
                base_url: f.optional("baseUrl")?,
                timeout_ms: f.optional("timeoutMs")?,
            })
        })?;
        base_config(s.base_url.as_deref(), "options.baseUrl")?;
        if s.timeout_ms == Some(0) {
            return Err(invalid("options.timeoutMs must be above 0".into()));
        }
        Ok(s)
    }

    /// The config the token endpoint is reached with.
    pub fn config(&self) -> Config {
        // Checked by `from_json`.
        base_config(self.base_url.as_deref(), "").unwrap_or_default()
    }

    /// How long the exchange may take, retries included.
    pub fn timeout_ms(&self) -> u64 {
        self.timeout_ms.unwrap_or(DEFAULT_CALL_TIMEOUT_MS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;
    use serde_json::json;

    #[test]
    fn every_bad_field_is_named() {
        let pit = json!({"kind": "privateIntegrationToken", "token": "pit-x"});
        for (cfg, needle) in [
            (json!({"credentials": pit, "colour": 1}), "colour"),
            (json!({"credentials": pit, "baseUrl": "ftp://x"}), "baseUrl"),
            (
                json!({"credentials": pit, "retry": {"maxAttempts": 0, "baseDelayMs": 1, "maxDelayMs": 1}}),
                "maxAttempts",
            ),
            (
                json!({"credentials": pit, "rateLimits": {"burstMax": 0, "intervalMs": 1, "dailyMax": 1}}),
                "burstMax",
            ),
            (
                json!({"credentials": pit, "callTimeoutMs": 0}),
                "callTimeoutMs",
            ),
            (
                json!({"credentials": pit, "callTimeoutMs": "soon"}),
                "callTimeoutMs",
            ),
            (
                json!({"credentials": pit, "retry": {"maxAttempts": "x", "baseDelayMs": 1, "maxDelayMs": 1}}),
                "config.retry.maxAttempts: invalid type",
            ),
            (
                json!({"credentials": pit, "rateLimits": {"burstMax": 1, "intervalMs": 1, "dailyMax": 1, "burst": 2}}),
                "config.rateLimits: unknown field `burst`",
            ),
            (
                json!({"credentials": pit, "retry": {"maxAttempts": 1}}),
                "config.retry: missing field `baseDelayMs`",
            ),
            (
                json!({"credentials": pit, "retry": 3}),
                "config.retry: expected an object",
            ),
            (
                json!({"credentials": {"kind": "pit"}}),
                "config.credentials: unknown variant `pit`",
            ),
            (
                json!({"credentials": pit, "versionOverrides": {"contacts.get": 1}}),
                "config.versionOverrides.contacts.get: invalid type",
            ),
            (
                json!({"credentials": pit, "workerThreads": 0}),
                "config.workerThreads must be an integer from 1 to 64",
            ),
            (
                json!({"credentials": pit, "workerThreads": 1.5}),
                "config.workerThreads: invalid type",
            ),
            (
                json!({"credentials": {"kind": "privateIntegrationToken", "token": "t", "locationID": "l"}}),
                "config.credentials: unknown field `locationID`",
            ),
            (
                json!({"credentials": pit, "oauthClient": {"clientId": "a", "clientSecret": "b", "secret": 1}}),
                "config.oauthClient: unknown field `secret`",
            ),
            (json!({}), "config: missing field `credentials`"),
            (json!([1]), "config"),
        ] {
            let e = ClientSettings::from_json(&cfg).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{cfg}");
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        }
    }

    #[test]
    fn verifier_and_exchange_settings_name_bad_fields() {
        assert!(VerifierSettings::from_json(&Value::Null).is_ok());
        for (v, needle) in [
            (json!({"publicKey": "x"}), "unknown field `publicKey`"),
            (
                json!({"maxAgeMs": "soon"}),
                "options.maxAgeMs: invalid type",
            ),
            (
                json!({"publicKeys": "one"}),
                "options.publicKeys: invalid type",
            ),
        ] {
            let e = VerifierSettings::from_json(&v).unwrap_err();
            assert_eq!(e.code(), ErrorCode::InvalidArgument, "{v}");
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        }
        let e = VerifierSettings::from_json(&json!({"publicKeys": ["nope"]}))
            .unwrap()
            .into_verifier()
            .unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
        let x = ExchangeSettings::from_json(&json!({"baseUrl": "http://127.0.0.1:9"})).unwrap();
        assert_eq!(x.config().base_url, "http://127.0.0.1:9");
        assert_eq!(x.timeout_ms(), DEFAULT_CALL_TIMEOUT_MS);
        for (v, needle) in [
            (json!({"baseUrl": "ftp://x"}), "options.baseUrl"),
            (json!({"timeoutMs": 0}), "options.timeoutMs"),
            (json!({"signal": 1}), "unknown field `signal`"),
        ] {
            let e = ExchangeSettings::from_json(&v).unwrap_err();
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        }
    }

    #[test]
    fn build_settings_default_and_bad() {
        let cfg = BuildSettings::config_from_json(&Value::Null).unwrap();
        assert_eq!(cfg.base_url, crate::DEFAULT_BASE_URL);
        let cfg = BuildSettings::config_from_json(
            &json!({"baseUrl": "http://127.0.0.1:1", "token": "t"}),
        )
        .unwrap();
        assert_eq!(cfg.base_url, "http://127.0.0.1:1");
        let e = BuildSettings::config_from_json(&json!({"bogus": 1})).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument);
    }
}
