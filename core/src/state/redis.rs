//! The state store on Redis (feature `redis`, native only): what a fleet of
//! processes shares. Every operation that must be atomic is one Lua script,
//! so each costs one round trip, and the rate rule ([`super::rate`]) runs in
//! Redis on the same JSON state the other stores keep.
//!
//! **Keys.** Every key is `{prefix}{tag}:{key}`, where `tag` is the location
//! (or company) the store was opened for, in braces: a Redis Cluster hash
//! tag, so one location's keys (its budget, its token lease, its version
//! sequence) share a slot and a script may touch them together.
//!
//! **Values.** `"<version> <expires-at-ms or -> <json>"`: the version from
//! the tag's own sequence (`…:\x01seq`, never reset; internal keys end in
//! `\x01…`, which no caller's key can, as keys hold no control characters), the expiry by the
//! caller's clock, as every store decides it. Redis's own expiry (`PX`, the
//! time to live plus a minute) only collects what is long dead.
//!
//! **When Redis is away.** An operation that cannot reach Redis fails with
//! [`ErrorCode::FleetUnavailable`]; the next attempt to connect waits at
//! least 1 s, doubling to at most 30 s, so a dead Redis costs no time per
//! call. The URL's password never appears in `Debug` output or an error.
//!
//! Redis then holds what the fleet shares: the rate budget, and the state
//! of triggers; with fleet refresh, live tokens. Protect it as the token
//! store is protected (AUTH, `rediss://`, no public port).

use super::rate::{RateGrant, RateRequest};
use super::{
    Budget, RATE_STATE_TTL_MS, StateStore, StoreFuture, Take, Versioned, check_budget, check_key,
    state_error,
};
use crate::{Error, ErrorCode, Result};
use redis::aio::MultiplexedConnection;
use serde_json::Value;
use std::sync::Mutex;
use std::time::Duration;

/// How to reach Redis.
#[derive(Clone, PartialEq, Eq)]
pub struct RedisSettings {
    /// `redis://[:password@]host:port[/db]` or `rediss://…` (TLS).
    pub url: String,
    /// Put before every key, so several apps can share one Redis.
    pub key_prefix: String,
    /// How long one command may take before Redis counts as unavailable.
    pub response_timeout_ms: u64,
}

impl RedisSettings {
    /// `url` with the default prefix (`libcontacts:`) and a 2 s timeout.
    pub fn new(url: impl Into<String>) -> Self {
        RedisSettings {
            url: url.into(),
            key_prefix: "libcontacts:".into(),
            response_timeout_ms: 2_000,
        }
    }

    /// The URL with its password (and user) replaced by `***`.
    pub fn redacted_url(&self) -> String {
        redact(&self.url)
    }
}

impl std::fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisSettings")
            .field("url", &self.redacted_url())
            .field("key_prefix", &self.key_prefix)
            .field("response_timeout_ms", &self.response_timeout_ms)
            .finish()
    }
}

use crate::secret::redact_url as redact;

/// The first reconnect wait and the longest.
const RECONNECT_MIN_MS: u64 = 1_000;
const RECONNECT_MAX_MS: u64 = 30_000;
/// How much longer than its time to live Redis keeps an entry.
const GC_SLACK_MS: u64 = 60_000;

/// A [`StateStore`] on one Redis (or one Cluster slot per location).
/// Threads: shared freely; commands share one multiplexed connection.
pub struct RedisStore {
    settings: RedisSettings,
    client: redis::Client,
    /// `{prefix}{tag}:`.
    base: String,
    conn: Mutex<Conn>,
}

struct Conn {
    live: Option<MultiplexedConnection>,
    /// No connection attempt before this (the caller's clock).
    next_attempt_ms: u64,
    backoff_ms: u64,
}

impl std::fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RedisStore")
            .field("settings", &self.settings)
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

fn unavailable(settings: &RedisSettings, what: impl std::fmt::Display) -> Error {
    let msg = what
        .to_string()
        .replace(&settings.url, &settings.redacted_url());
    Error::new(
        ErrorCode::FleetUnavailable,
        format!("Redis at {} is unavailable: {msg}", settings.redacted_url()),
    )
}

impl RedisStore {
    /// A store for the location (or company) `tag`. Nothing is connected
    /// yet: the first operation connects.
    ///
    /// Errors: InvalidArgument for a URL that is not `redis://` or
    /// `rediss://`, or an empty tag.
    pub fn new(settings: RedisSettings, tag: &str) -> Result<RedisStore> {
        if tag.is_empty() || tag.contains(['{', '}']) {
            return Err(Error::invalid_argument(
                "a fleet store is opened for one location or company id (no braces)",
            ));
        }
        if !(settings.url.starts_with("redis://") || settings.url.starts_with("rediss://")) {
            return Err(Error::invalid_argument(format!(
                "the fleet's Redis URL is redis://… or rediss://…, not {}",
                settings.redacted_url()
            )));
        }
        if settings.url.starts_with("rediss://") {
            // The process-wide TLS provider redis's rustls uses; another
            // part of the process may have installed one already.
            let _ = rustls::crypto::ring::default_provider().install_default();
        }
        let client = redis::Client::open(settings.url.as_str()).map_err(|e| {
            Error::invalid_argument(format!(
                "the fleet's Redis URL {} does not parse: {}",
                settings.redacted_url(),
                e.to_string().replace(&settings.url, "***")
            ))
        })?;
        let base = format!("{}{{{tag}}}:", settings.key_prefix);
        Ok(RedisStore {
            settings,
            client,
            base,
            conn: Mutex::new(Conn {
                live: None,
                next_attempt_ms: 0,
                backoff_ms: RECONNECT_MIN_MS,
            }),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Conn> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn key(&self, key: &str) -> String {
        format!("{}{key}", self.base)
    }

    fn seq_key(&self) -> String {
        format!("{}\u{1}seq", self.base)
    }

    /// The live connection, or a new one unless a reconnect is not due.
    async fn connection(&self, now_ms: u64) -> Result<MultiplexedConnection> {
        {
            let c = self.lock();
            if let Some(live) = &c.live {
                return Ok(live.clone());
            }
            if now_ms < c.next_attempt_ms {
                return Err(unavailable(
                    &self.settings,
                    format!("next reconnect in {} ms", c.next_attempt_ms - now_ms),
                ));
            }
        }
        let timeout = Duration::from_millis(self.settings.response_timeout_ms.max(1));
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(timeout))
            .set_response_timeout(Some(timeout));
        match self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await
        {
            Ok(conn) => {
                let mut c = self.lock();
                c.backoff_ms = RECONNECT_MIN_MS;
                c.live = Some(conn.clone());
                Ok(conn)
            }
            Err(e) => Err(self.lost(now_ms, e)),
        }
    }

    /// Drops the connection after `e` and schedules the next attempt.
    fn lost(&self, now_ms: u64, e: redis::RedisError) -> Error {
        let mut c = self.lock();
        c.live = None;
        c.next_attempt_ms = now_ms + c.backoff_ms;
        c.backoff_ms = (c.backoff_ms * 2).min(RECONNECT_MAX_MS);
        unavailable(&self.settings, e)
    }

    /// Runs `script` with `keys` and `args`; a connection failure drops the
    /// connection, an error reply is a [`ErrorCode::State`] error.
    async fn run<T: redis::FromRedisValue>(
        &self,
        script: &redis::Script,
        keys: &[String],
        args: &[String],
        now_ms: u64,
    ) -> Result<T> {
        let mut conn = self.connection(now_ms).await?;
        let mut inv = script.prepare_invoke();
        for k in keys {
            inv.key(k);
        }
        for a in args {
            inv.arg(a);
        }
        match inv.invoke_async::<T>(&mut conn).await {
            Ok(v) => Ok(v),
            Err(e)
                if e.kind() == redis::ErrorKind::Server(redis::ServerErrorKind::ResponseError)
                    || e.kind() == redis::ErrorKind::UnexpectedReturnType
                    || e.kind() == redis::ErrorKind::Parse =>
            {
                Err(state_error(format!("Redis refused a state operation: {e}")))
            }
            Err(e) => Err(self.lost(now_ms, e)),
        }
    }

    /// Up to `limit` entries under `prefix` whose keys sort after `after`:
    /// the key names scanned and sorted, and only the page's values read
    /// (a walk through a large prefix GETs each value once, not once per
    /// page).
    async fn list_from(
        &self,
        prefix: &str,
        after: &str,
        limit: usize,
        now_ms: u64,
    ) -> Result<Vec<(String, Versioned)>> {
        if !prefix.is_empty() {
            check_key(prefix)?;
        }
        let seq = self.seq_key();
        let mut keys: Vec<String> = self
            .keys_with_prefix(prefix, now_ms)
            .await?
            .into_iter()
            .filter(|full| *full != seq && full[self.base.len()..] > *after)
            .collect();
        keys.sort();
        let mut out = Vec::new();
        let mut conn = self.connection(now_ms).await?;
        for full in keys {
            if out.len() >= limit {
                break;
            }
            let key = full[self.base.len()..].to_string();
            let text: Option<String> =
                match redis::cmd("GET").arg(&full).query_async(&mut conn).await {
                    Ok(t) => t,
                    Err(e) => return Err(self.lost(now_ms, e)),
                };
            // Budget windows and rate states share the namespace but are
            // not entries; only entries are listed.
            if let Some(Ok(Some(v))) = text.map(|t| parse_entry(&key, &t, now_ms)) {
                out.push((key, v));
            }
        }
        Ok(out)
    }

    async fn keys_with_prefix(&self, prefix: &str, now_ms: u64) -> Result<Vec<String>> {
        let mut conn = self.connection(now_ms).await?;
        let pattern = format!("{}*", glob_escape(&self.key(prefix)));
        let mut cursor: u64 = 0;
        let mut found = Vec::new();
        // SCAN is bounded by the keyspace; each round returns a cursor.
        for _ in 0..100_000 {
            let (next, batch): (u64, Vec<String>) = match redis::cmd("SCAN")
                .arg(cursor)
                .arg("MATCH")
                .arg(&pattern)
                .arg("COUNT")
                .arg(1000)
                .query_async(&mut conn)
                .await
            {
                Ok(v) => v,
                Err(e) => return Err(self.lost(now_ms, e)),
            };
            found.extend(batch);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        Ok(found)
    }
}

fn glob_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A stored entry's text, read.
fn parse_entry(key: &str, text: &str, now_ms: u64) -> Result<Option<Versioned>> {
    let bad = || state_error(format!("the Redis entry under {key} is not a state entry"));
    let mut parts = text.splitn(3, ' ');
    let version = parts
        .next()
        .and_then(|v| v.parse::<u64>().ok())
        .ok_or_else(bad)?;
    let expires = parts.next().ok_or_else(bad)?;
    if expires != "-" {
        let at = expires.parse::<u64>().map_err(|_| bad())?;
        if now_ms >= at {
            return Ok(None);
        }
    }
    let value: Value = serde_json::from_str(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
    Ok(Some(Versioned { value, version }))
}

fn ttl_args(ttl_ms: Option<u64>, now_ms: u64) -> (String, String) {
    match ttl_ms {
        Some(ttl) => (
            now_ms.saturating_add(ttl).to_string(),
            ttl.saturating_add(GC_SLACK_MS).to_string(),
        ),
        None => ("-".into(), String::new()),
    }
}

/// Writes ARGV[1] (json) with ARGV[2] (expires-at or -) and ARGV[3] (PX or
/// empty) when the live entry's version is ARGV[4] ("*": any; "": none),
/// judged at ARGV[5] (now). Returns the new version, or false.
const WRITE: &str = r#"
local cur = redis.call('GET', KEYS[1])
local live = nil
if cur then
  local ver, exp = string.match(cur, '^(%d+) (%S+) ')
  if ver == nil then return redis.error_reply('not a state entry') end
  if exp == '-' or tonumber(ARGV[5]) < tonumber(exp) then live = ver end
end
if ARGV[4] ~= '*' then
  if ARGV[4] == '' then
    if live ~= nil then return false end
  elseif live ~= ARGV[4] then
    return false
  end
end
local v = redis.call('INCR', KEYS[2])
local text = v .. ' ' .. ARGV[2] .. ' ' .. ARGV[1]
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[1], text, 'PX', ARGV[3])
else
  redis.call('SET', KEYS[1], text)
end
return v
"#;

/// Deletes KEYS[1]; returns 1 when it was live at ARGV[1].
const DELETE: &str = r#"
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
redis.call('DEL', KEYS[1])
local exp = string.match(cur, '^%d+ (%S+) ')
if exp == '-' or (exp and tonumber(ARGV[1]) < tonumber(exp)) then return 1 end
return 0
"#;

/// The fixed-window take (`take_from_window` in `mod.rs`):
/// ARGV = units, limit, window, now. Returns {granted, remaining, resets_at}.
const TAKE: &str = r#"
local units, limit, window, now = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local start, used = now, 0
local cur = redis.call('GET', KEYS[1])
if cur then
  local s, u = string.match(cur, '^(%d+) (%d+)$')
  if s == nil then return redis.error_reply('not a budget window') end
  s, u = tonumber(s), tonumber(u)
  if now < s + window then start, used = s, u end
end
local resets = start + window
local left = math.max(limit - used, 0)
local granted = 0
if units <= left then
  used = used + units
  left = math.max(limit - used, 0)
  granted = 1
end
redis.call('SET', KEYS[1], string.format('%.0f %.0f', start, used), 'PX', math.max(resets - now, 1) + 60000)
return {granted, left, resets}
"#;

/// The rate rule (`RateState::reserve` in `rate.rs`), line for line:
/// ARGV = now, burst_max, span, lane (0 interactive, 1 background),
/// probe_ms, seen_at (-1: nothing seen), seen_used (-1), seen_daily (-1),
/// px, quantum (`RateRequest::quantum_ms`: the rule's constants stay in
/// Rust). Returns {0, 0} go, {1, ms} wait, {2, ms} daily spent.
const RESERVE: &str = r#"
local now, max, span = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local lane, probe = tonumber(ARGV[4]), tonumber(ARGV[5])
local seen_at, seen_used, seen_daily = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
if max < 1 then max = 1 end
if span < 1 then span = 1 end
local st = {s = {}, b = 0, i = 0, d = nil, p = 0}
local raw = redis.call('GET', KEYS[1])
if raw then
  local ok, v = pcall(cjson.decode, raw)
  if not ok or type(v) ~= 'table' or type(v.s) ~= 'table' then
    return redis.error_reply('not a rate budget state')
  end
  st.s, st.b, st.i, st.p = v.s, v.b, v.i, v.p
  if v.d ~= cjson.null then st.d = v.d end
end
local q = math.max(tonumber(ARGV[10]), 1)
-- s: groups {start, count}, oldest first; a group leaves at start + q - 1 + span.
local s = {}
for _, g in ipairs(st.s) do
  if type(g) ~= 'table' or #g ~= 2 then return redis.error_reply('not a rate budget state') end
  if g[1] + q - 1 + span > now then s[#s + 1] = {g[1], g[2]} end
end
local function held()
  local c = 0
  for _, g in ipairs(s) do c = c + g[2] end
  return c
end
if seen_at >= 0 then
  if seen_used >= 0 and seen_at + span > now then
    local used, h = math.min(seen_used, max), held()
    if h < used then
      local at = seen_at - seen_at % q
      if #s > 0 and s[1][1] <= at then
        s[1][2] = s[1][2] + used - h
      else
        table.insert(s, 1, {at, used - h})
      end
    end
  end
  if seen_daily >= 0 then
    if not (st.d ~= nil and st.d > 0 and seen_daily >= st.d) then st.d = seen_daily end
    if seen_daily == 0 then st.p = math.max(st.p, now + probe) end
  end
end
local function n(x) return string.format('%.0f', x) end
local function save()
  local parts = {}
  for k, g in ipairs(s) do parts[k] = '[' .. n(g[1]) .. ',' .. n(g[2]) .. ']' end
  local d = 'null'
  if st.d ~= nil then d = n(st.d) end
  redis.call('SET', KEYS[1], '{"s":[' .. table.concat(parts, ',') .. '],"b":' .. n(st.b) ..
    ',"i":' .. n(st.i) .. ',"d":' .. d .. ',"p":' .. n(st.p) .. '}', 'PX', ARGV[9])
end
local probing = false
if st.d == 0 then
  if now < st.p then save() return {2, st.p - now} end
  probing = true
end
local emission = math.max(math.floor(span / max), 1)
if lane == 1 then
  if st.i > now then save() return {1, math.min(st.i - now, emission)} end
  if held() * 2 >= max and st.b > now then save() return {1, st.b - now} end
end
local h = held()
if h >= max then
  local leaving, free_at = h - max + 1, now
  for _, g in ipairs(s) do
    free_at = g[1] + q - 1 + span
    if g[2] >= leaving then break end
    leaving = leaving - g[2]
  end
  local wait = math.max(free_at - now, 1)
  if lane == 0 then st.i = math.max(st.i, now + wait + emission) end
  save()
  return {1, wait}
end
local group = now - now % q
if #s > 0 and s[#s][1] == group then
  s[#s][2] = s[#s][2] + 1
else
  s[#s + 1] = {group, 1}
end
if lane == 1 then st.b = now + emission else st.i = 0 end
if probing then
  st.p = now + probe
elseif st.d ~= nil then
  st.d = st.d - 1
  if st.d == 0 then st.p = now + probe end
end
save()
return {0, 0}
"#;

fn script(cell: &'static std::sync::OnceLock<redis::Script>, text: &str) -> &'static redis::Script {
    cell.get_or_init(|| redis::Script::new(text))
}

static WRITE_SCRIPT: std::sync::OnceLock<redis::Script> = std::sync::OnceLock::new();
static DELETE_SCRIPT: std::sync::OnceLock<redis::Script> = std::sync::OnceLock::new();
static TAKE_SCRIPT: std::sync::OnceLock<redis::Script> = std::sync::OnceLock::new();
static RESERVE_SCRIPT: std::sync::OnceLock<redis::Script> = std::sync::OnceLock::new();

impl RedisStore {
    async fn write(
        &self,
        key: &str,
        expected: &str,
        value: &Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> Result<Option<u64>> {
        check_key(key)?;
        let (expires, px) = ttl_args(ttl_ms, now_ms);
        self.run::<Option<u64>>(
            script(&WRITE_SCRIPT, WRITE),
            &[self.key(key), self.seq_key()],
            &[
                value.to_string(),
                expires,
                px,
                expected.to_string(),
                now_ms.to_string(),
            ],
            now_ms,
        )
        .await
    }
}

impl StateStore for RedisStore {
    fn get<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, Option<Versioned>> {
        Box::pin(async move {
            check_key(key)?;
            let mut conn = self.connection(now_ms).await?;
            let text: Option<String> = match redis::cmd("GET")
                .arg(self.key(key))
                .query_async(&mut conn)
                .await
            {
                Ok(t) => t,
                Err(e) => return Err(self.lost(now_ms, e)),
            };
            match text {
                Some(t) => parse_entry(key, &t, now_ms),
                None => Ok(None),
            }
        })
    }

    fn put<'a>(
        &'a self,
        key: &'a str,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, u64> {
        Box::pin(async move {
            self.write(key, "*", value, ttl_ms, now_ms)
                .await?
                .ok_or_else(|| state_error("Redis did not write an unconditional put"))
        })
    }

    fn compare_and_set<'a>(
        &'a self,
        key: &'a str,
        expected: Option<u64>,
        value: &'a Value,
        ttl_ms: Option<u64>,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<u64>> {
        Box::pin(async move {
            let expected = expected.map(|v| v.to_string()).unwrap_or_default();
            self.write(key, &expected, value, ttl_ms, now_ms).await
        })
    }

    fn delete<'a>(&'a self, key: &'a str, now_ms: u64) -> StoreFuture<'a, bool> {
        Box::pin(async move {
            check_key(key)?;
            let live: u64 = self
                .run(
                    script(&DELETE_SCRIPT, DELETE),
                    &[self.key(key)],
                    &[now_ms.to_string()],
                    now_ms,
                )
                .await?;
            Ok(live == 1)
        })
    }

    fn delete_prefix<'a>(&'a self, prefix: &'a str, now_ms: u64) -> StoreFuture<'a, ()> {
        Box::pin(async move {
            check_key(prefix)?;
            let seq = self.seq_key();
            let keys: Vec<String> = self
                .keys_with_prefix(prefix, now_ms)
                .await?
                .into_iter()
                .filter(|k| *k != seq)
                .collect();
            let mut conn = self.connection(now_ms).await?;
            for chunk in keys.chunks(500) {
                let removed: std::result::Result<u64, _> =
                    redis::cmd("DEL").arg(chunk).query_async(&mut conn).await;
                if let Err(e) = removed {
                    return Err(self.lost(now_ms, e));
                }
            }
            Ok(())
        })
    }

    fn list<'a>(
        &'a self,
        prefix: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move { self.list_from(prefix, "", limit, now_ms).await })
    }

    fn list_after<'a>(
        &'a self,
        prefix: &'a str,
        after: &'a str,
        limit: usize,
        now_ms: u64,
    ) -> StoreFuture<'a, Vec<(String, Versioned)>> {
        Box::pin(async move { self.list_from(prefix, after, limit, now_ms).await })
    }

    fn take<'a>(
        &'a self,
        key: &'a str,
        units: u64,
        budget: Budget,
        now_ms: u64,
    ) -> StoreFuture<'a, Take> {
        Box::pin(async move {
            check_key(key)?;
            check_budget(budget)?;
            let (granted, remaining, resets_at_ms): (u64, u64, u64) = self
                .run(
                    script(&TAKE_SCRIPT, TAKE),
                    &[self.key(&format!("{key}\u{1}take"))],
                    &[
                        units.to_string(),
                        budget.limit.to_string(),
                        budget.window_ms.to_string(),
                        now_ms.to_string(),
                    ],
                    now_ms,
                )
                .await?;
            Ok(Take {
                granted: granted == 1,
                remaining,
                resets_at_ms,
            })
        })
    }

    fn reserve_rate<'a>(
        &'a self,
        key: &'a str,
        req: RateRequest,
        now_ms: u64,
    ) -> StoreFuture<'a, RateGrant> {
        Box::pin(async move {
            check_key(key)?;
            let seen = req.seen.unwrap_or_default();
            let opt = |v: Option<u64>| v.map_or("-1".to_string(), |n| n.to_string());
            let (kind, ms): (u64, u64) = self
                .run(
                    script(&RESERVE_SCRIPT, RESERVE),
                    &[self.key(&format!("{key}\u{1}rate"))],
                    &[
                        now_ms.to_string(),
                        req.burst_max.to_string(),
                        req.span_ms.to_string(),
                        req.lane.as_number().to_string(),
                        req.daily_probe_ms.to_string(),
                        if req.seen.is_some() {
                            seen.at_ms.to_string()
                        } else {
                            "-1".into()
                        },
                        opt(seen.burst_used.map(u64::from)),
                        opt(seen.daily_remaining),
                        RATE_STATE_TTL_MS.max(req.daily_probe_ms).to_string(),
                        req.quantum_ms().to_string(),
                    ],
                    now_ms,
                )
                .await?;
            Ok(match kind {
                0 => RateGrant::Go,
                1 => RateGrant::Wait(ms.max(1)),
                _ => RateGrant::DailySpent { retry_after_ms: ms },
            })
        })
    }

    fn read_rate<'a>(
        &'a self,
        key: &'a str,
        now_ms: u64,
    ) -> StoreFuture<'a, Option<super::RateState>> {
        Box::pin(async move {
            check_key(key)?;
            let mut conn = self.connection(now_ms).await?;
            let text: Option<String> = match redis::cmd("GET")
                .arg(self.key(&format!("{key}\u{1}rate")))
                .query_async(&mut conn)
                .await
            {
                Ok(t) => t,
                Err(e) => return Err(self.lost(now_ms, e)),
            };
            let Some(text) = text else {
                return Ok(None);
            };
            // The script writes RateState::to_json's form.
            let value: Value = serde_json::from_str(&text).map_err(|e| {
                Error::new(
                    ErrorCode::State,
                    format!("the rate budget under {key}: {e}"),
                )
            })?;
            super::RateState::from_json(&value)
                .map(Some)
                .ok_or_else(|| {
                    Error::new(
                        ErrorCode::State,
                        format!("the value under {key} is not a rate budget's state"),
                    )
                })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_prints() {
        let s = RedisSettings::new("redis://:hunter2@127.0.0.1:6379/0");
        assert_eq!(s.redacted_url(), "redis://***@127.0.0.1:6379/0");
        assert!(!format!("{s:?}").contains("hunter2"));
        let e = RedisStore::new(RedisSettings::new("http://:hunter2@x"), "loc").unwrap_err();
        assert!(!e.to_string().contains("hunter2"), "{e}");
        assert!(RedisStore::new(RedisSettings::new("redis://x"), "a{b}").is_err());
    }
}
