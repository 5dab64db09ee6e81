//! The HTTP layer: hyper on tokio, routing through the core's catalog, auth,
//! rate limits, faults, CORS, and the `/sandbox/*` admin API.

use crate::SandboxConfig;
use crate::auth::{Auth, Grant, Principal, Refusal, TokenKind};
use crate::faults::{FAULT_HEADER, Fault, FaultPlan};
use crate::ratelimit::Limiter;
use crate::store::{ApiError, Req, Store};
use crate::webhooks::Webhooks;
use bytes::Bytes;
use contacts_core::TokenClass;
use contacts_core::catalog::{self, Entry};
use http_body_util::{BodyExt, Full, Limited, combinators::BoxBody};
use hyper::body::{Frame, Incoming};
use hyper::{Method, Request, Response};
use hyper_util::rt::TokioIo;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

type Body = BoxBody<Bytes, std::io::Error>;

/// The largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;

struct State {
    store: Store,
    auth: Auth,
    limiter: Limiter,
}

#[derive(Serialize)]
struct PersistedRef<'a> {
    store: &'a Store,
    auth: &'a Auth,
}

#[derive(Deserialize)]
struct Persisted {
    store: Store,
    auth: Auth,
}

/// Everything the connections share.
pub struct Shared {
    cfg: SandboxConfig,
    base_url: String,
    state: Mutex<State>,
    pub(crate) webhooks: Arc<Webhooks>,
    plan: FaultPlan,
    dirty: AtomicBool,
    /// API requests received (every path but `/sandbox/*`, injected faults
    /// included), for tests that count what a program cost.
    api_requests: AtomicU64,
    /// Refresh-token grants asked for, answered or not.
    token_refreshes: AtomicU64,
    /// Location tokens minted from agency tokens (`/oauth/locationToken`).
    location_token_mints: AtomicU64,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default()
}

impl Shared {
    pub(crate) fn new(cfg: SandboxConfig, addr: SocketAddr) -> std::io::Result<Arc<Shared>> {
        let loaded = match &cfg.data_file {
            Some(path) if path.exists() => {
                let bytes = std::fs::read(path)?;
                let p: Persisted = serde_json::from_slice(&bytes)
                    .map_err(|e| std::io::Error::other(format!("{}: {e}", path.display())))?;
                Some(p)
            }
            _ => None,
        };
        let fresh = loaded.is_none();
        let (mut store, mut auth) = match loaded {
            Some(p) => (p.store, p.auth),
            None => (Store::default(), Auth::default()),
        };
        store.reindex();
        for loc in &cfg.locations {
            if fresh || !store.has_location(loc) {
                store.ensure_location(loc);
                store.set_allow_duplicates(loc, cfg.allow_duplicates);
                store.seed(loc, cfg.seed);
            }
            if cfg.search_lag_ms > 0 {
                store.set_search_lag(loc, cfg.search_lag_ms);
            }
        }
        for (token, loc) in &cfg.pits {
            store.ensure_location(loc);
            auth.add_pit(token, loc, &cfg.company_id, None);
        }
        let seed = cfg.webhook_key_seed.unwrap_or_else(|| {
            let mut s = [0u8; 32];
            let n = now_ms() ^ u64::from(std::process::id());
            for (i, chunk) in s.chunks_mut(8).enumerate() {
                chunk.copy_from_slice(&crate::seed::mix(n ^ (i as u64 * 0x9e37)).to_le_bytes());
            }
            s
        });
        let webhooks = Webhooks::start(
            seed,
            cfg.webhook_urls.clone(),
            cfg.webhook_retry,
            cfg.client_id.clone(),
        );
        let plan = FaultPlan::new(cfg.faults.clone(), cfg.fault_every);
        Ok(Arc::new(Shared {
            base_url: format!("http://{addr}"),
            cfg,
            state: Mutex::new(State {
                store,
                auth,
                limiter: Limiter::default(),
            }),
            webhooks,
            plan,
            dirty: AtomicBool::new(false),
            api_requests: AtomicU64::new(0),
            token_refreshes: AtomicU64::new(0),
            location_token_mints: AtomicU64::new(0),
        }))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn first_pit(&self) -> &str {
        self.cfg
            .pits
            .first()
            .map(|(t, _)| t.as_str())
            .unwrap_or_default()
    }

    pub(crate) fn default_location(&self) -> &str {
        self.cfg
            .locations
            .first()
            .map(String::as_str)
            .unwrap_or_default()
    }

    pub(crate) fn token_refreshes(&self) -> u64 {
        self.token_refreshes.load(Ordering::SeqCst)
    }

    pub(crate) fn location_token_mints(&self) -> u64 {
        self.location_token_mints.load(Ordering::SeqCst)
    }

    pub(crate) fn api_requests(&self) -> u64 {
        self.api_requests.load(Ordering::SeqCst)
    }

    pub(crate) fn contact_count(&self) -> usize {
        self.lock().store.contact_count(self.default_location())
    }

    pub(crate) fn contacts_now(&self) -> Vec<serde_json::Value> {
        self.lock().store.contacts_now(self.default_location())
    }

    pub(crate) fn first_contact_id(&self) -> Option<String> {
        self.lock().store.first_contact_id(self.default_location())
    }

    /// Writes the data file: a new file first, then a rename, so a half-written
    /// file never replaces a good one.
    pub(crate) fn save(&self) -> std::io::Result<()> {
        let Some(path) = &self.cfg.data_file else {
            return Ok(());
        };
        self.dirty.store(false, Ordering::SeqCst);
        let bytes = {
            let st = self.lock();
            serde_json::to_vec(&PersistedRef {
                store: &st.store,
                auth: &st.auth,
            })
            .map_err(std::io::Error::other)?
        };
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)?;
        std::fs::rename(&tmp, path)
    }
}

/// Accepts connections until `stopped` turns true.
pub(crate) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: tokio::sync::watch::Receiver<bool>,
) {
    if shared.cfg.data_file.is_some() {
        let saver = shared.clone();
        let mut stop = stopped.clone();
        tokio::spawn(async move {
            loop {
                tokio::select! {
                    _ = tokio::time::sleep(Duration::from_millis(500)) => {}
                    _ = stop.changed() => return,
                }
                if saver.dirty.load(Ordering::SeqCst) {
                    let s = saver.clone();
                    let _ = tokio::task::spawn_blocking(move || s.save()).await;
                }
            }
        });
    }
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stopped.changed() => return,
        };
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        let shared = shared.clone();
        let mut stop = stopped.clone();
        tokio::spawn(async move {
            // A duplicate of the socket, kept to turn a close into a reset.
            let Ok(std_stream) = stream.into_std() else {
                return;
            };
            let Ok(twin) = std_stream.try_clone() else {
                return;
            };
            let Ok(stream) = tokio::net::TcpStream::from_std(std_stream) else {
                return;
            };
            let reset = Arc::new(Notify::new());
            let r = reset.clone();
            let svc = hyper::service::service_fn(move |req| handle(req, shared.clone(), r.clone()));
            let conn = hyper::server::conn::http1::Builder::new()
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), svc);
            tokio::select! {
                _ = conn => {}
                _ = reset.notified() => {
                    let _ = socket2::SockRef::from(&twin).set_linger(Some(Duration::ZERO));
                }
                _ = stop.changed() => {}
            }
        });
    }
}

fn full(bytes: impl Into<Bytes>) -> Body {
    Full::new(bytes.into())
        .map_err(|never| match never {})
        .boxed()
}

fn cors(b: hyper::http::response::Builder) -> hyper::http::response::Builder {
    b.header("Access-Control-Allow-Origin", "*")
        .header(
            "Access-Control-Expose-Headers",
            "X-RateLimit-Limit-Daily, X-RateLimit-Daily-Remaining, X-RateLimit-Interval-Milliseconds, X-RateLimit-Max, X-RateLimit-Remaining, Retry-After",
        )
}

/// What processing a request produced.
struct Outcome {
    status: u16,
    body: Vec<u8>,
    content_type: &'static str,
    headers: Vec<(String, String)>,
}

impl Outcome {
    fn json(status: u16, v: &Value) -> Outcome {
        Outcome {
            status,
            body: serde_json::to_vec(v).unwrap_or_default(),
            content_type: "application/json; charset=utf-8",
            headers: Vec::new(),
        }
    }
    fn error(e: &ApiError) -> Outcome {
        Outcome::json(e.status, &e.body())
    }
}

async fn handle(
    req: Request<Incoming>,
    shared: Arc<Shared>,
    reset: Arc<Notify>,
) -> Result<Response<Body>, Infallible> {
    if req.method() == Method::OPTIONS {
        let allow = req
            .headers()
            .get("access-control-request-headers")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("*")
            .to_string();
        let resp = cors(Response::builder().status(204))
            .header(
                "Access-Control-Allow-Methods",
                "GET, POST, PUT, DELETE, OPTIONS",
            )
            .header("Access-Control-Allow-Headers", allow)
            .header("Access-Control-Allow-Private-Network", "true")
            .header("Access-Control-Max-Age", "600")
            .body(full(Bytes::new()));
        return Ok(resp.unwrap_or_default());
    }
    let mut faults = shared.plan.next();
    if !req.uri().path().starts_with("/sandbox/") {
        // Counted as received, whether a fault answers it or the API does.
        shared.api_requests.fetch_add(1, Ordering::SeqCst);
        faults.extend(shared.plan.next_scripted());
    }
    if let Some(h) = req
        .headers()
        .get(FAULT_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        match Fault::parse_list(h) {
            Ok(f) => faults.extend(f),
            Err(e) => {
                return Ok(respond(Outcome::json(
                    400,
                    &json!({"statusCode": 400, "message": e}),
                ))
                .await);
            }
        }
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return Ok(respond(Outcome::json(
                413,
                &json!({"statusCode": 413, "message": "Request body too large"}),
            ))
            .await);
        }
    };
    for f in &faults {
        if let Fault::Latency(ms) = f {
            tokio::time::sleep(Duration::from_millis(*ms)).await;
        }
    }
    if faults.contains(&Fault::ResetBefore) {
        reset.notify_one();
        std::future::pending::<()>().await;
    }
    if faults.contains(&Fault::ServerError) {
        let o = Outcome::json(
            500,
            &json!({"statusCode": 500, "message": "Internal server error (injected)"}),
        );
        return Ok(respond(o).await);
    }
    let retry_after = faults.iter().find_map(|f| match f {
        Fault::RetryAfter(s) => Some(*s),
        _ => None,
    });
    if faults.contains(&Fault::RateLimited) || retry_after.is_some() {
        let b = shared.cfg.budgets;
        let mut o = Outcome::json(
            429,
            &json!({"statusCode": 429, "message": "Too Many Requests (injected)"}),
        );
        o.headers = rate_headers_exhausted(&b);
        if let Some(s) = retry_after {
            o.headers.push(("Retry-After".into(), s.to_string()));
        }
        return Ok(respond(o).await);
    }
    let (outcome, events) = process(&shared, &parts, &body);
    if outcome.status < 300 && parts.method != Method::GET {
        shared.dirty.store(true, Ordering::SeqCst);
    }
    for e in events {
        shared.webhooks.emit(e);
    }
    if faults.contains(&Fault::ResetAfter) {
        reset.notify_one();
        std::future::pending::<()>().await;
    }
    let mut outcome = outcome;
    if faults.contains(&Fault::Malformed) {
        outcome.status = 200;
        outcome.body = b"{\"contact\": {\"id\": \"x\",, <html>".to_vec();
    }
    let slow = faults.iter().find_map(|f| match f {
        Fault::SlowBody(ms) => Some(*ms),
        _ => None,
    });
    let truncate = faults.contains(&Fault::Truncate);
    if truncate || slow.is_some() {
        return Ok(streamed(outcome, truncate, slow.unwrap_or(0)));
    }
    Ok(respond(outcome).await)
}

async fn respond(o: Outcome) -> Response<Body> {
    let mut b = cors(Response::builder().status(o.status)).header("Content-Type", o.content_type);
    for (k, v) in &o.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(full(o.body)).unwrap_or_default()
}

/// A body sent in 64-byte chunks `delay_ms` apart; when `truncate`, only the
/// first half is sent and the stream then fails, breaking the connection.
fn streamed(o: Outcome, truncate: bool, delay_ms: u64) -> Response<Body> {
    let total = o.body.len();
    let send_len = if truncate { total / 2 } else { total };
    let chunks: Vec<Bytes> = o.body[..send_len]
        .chunks(64)
        .map(Bytes::copy_from_slice)
        .collect();
    // A truncation waits a moment before failing, so the head and the first
    // half are on the wire before the connection breaks.
    let delay_ms = if truncate { delay_ms.max(20) } else { delay_ms };
    let stream = chunked::ChunkBody::new(chunks, truncate, Duration::from_millis(delay_ms));
    let mut b = cors(Response::builder().status(o.status))
        .header("Content-Type", o.content_type)
        .header("Content-Length", total.to_string());
    for (k, v) in &o.headers {
        b = b.header(k.as_str(), v.as_str());
    }
    b.body(BodyExt::boxed(stream)).unwrap_or_default()
}

/// A response body sent chunk by chunk, with delays, optionally failing at the end.
mod chunked {
    use super::*;
    use std::collections::VecDeque;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    pub struct ChunkBody {
        chunks: VecDeque<Bytes>,
        fail_at_end: bool,
        delay: Duration,
        sleep: Option<Pin<Box<tokio::time::Sleep>>>,
        first: bool,
    }

    impl ChunkBody {
        pub fn new(chunks: Vec<Bytes>, fail_at_end: bool, delay: Duration) -> Self {
            ChunkBody {
                chunks: chunks.into(),
                fail_at_end,
                delay,
                sleep: None,
                first: true,
            }
        }
    }

    impl hyper::body::Body for ChunkBody {
        type Data = Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
            if !self.first && !self.delay.is_zero() {
                if self.sleep.is_none() {
                    let d = self.delay;
                    self.sleep = Some(Box::pin(tokio::time::sleep(d)));
                }
                if let Some(s) = self.sleep.as_mut() {
                    if s.as_mut().poll(cx).is_pending() {
                        return Poll::Pending;
                    }
                }
                self.sleep = None;
            }
            self.first = false;
            match self.chunks.pop_front() {
                Some(c) => Poll::Ready(Some(Ok(Frame::data(c)))),
                None if self.fail_at_end => {
                    self.fail_at_end = false;
                    Poll::Ready(Some(Err(std::io::Error::other("truncated (injected)"))))
                }
                None => Poll::Ready(None),
            }
        }
    }

    use std::future::Future;
}

fn rate_headers_exhausted(b: &crate::Budgets) -> Vec<(String, String)> {
    vec![
        ("X-RateLimit-Limit-Daily".into(), b.daily_max.to_string()),
        (
            "X-RateLimit-Daily-Remaining".into(),
            b.daily_max.to_string(),
        ),
        (
            "X-RateLimit-Interval-Milliseconds".into(),
            b.interval_ms.to_string(),
        ),
        ("X-RateLimit-Max".into(), b.burst_max.to_string()),
        ("X-RateLimit-Remaining".into(), "0".into()),
    ]
}

/// Path templates of every catalog operation, split into segments.
static ROUTES: LazyLock<Vec<(&'static str, Vec<Seg>, &'static Entry)>> = LazyLock::new(|| {
    catalog::entries()
        .iter()
        .map(|e| {
            (
                e.spec.method.as_str(),
                split(e.spec.path).map(Seg::of).collect(),
                e,
            )
        })
        .collect()
});

enum Seg {
    Lit(&'static str),
    Param(&'static str),
}

impl Seg {
    fn of(s: &'static str) -> Seg {
        match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => Seg::Param(name),
            None => Seg::Lit(s),
        }
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_matches('/').split('/').filter(|s| !s.is_empty())
}

/// The catalog entry serving `method path`, with its path parameters. Where
/// two templates match (`…/campaigns/removeAll` and `…/campaigns/{id}`), the
/// one with more literal segments wins.
fn route(method: &str, path: &str) -> Option<(&'static Entry, HashMap<String, String>)> {
    let segs: Vec<&str> = split(path).collect();
    let mut best: Option<(usize, &'static Entry, HashMap<String, String>)> = None;
    for (m, tpl, entry) in ROUTES.iter() {
        if *m != method || tpl.len() != segs.len() {
            continue;
        }
        let mut params = HashMap::new();
        let mut literals = 0;
        let ok = tpl.iter().zip(&segs).all(|(t, s)| match t {
            Seg::Lit(l) => {
                literals += 1;
                l == s
            }
            Seg::Param(p) => {
                params.insert(p.to_string(), percent_decode(s, false));
                true
            }
        });
        if ok && best.as_ref().is_none_or(|(n, _, _)| literals > *n) {
            best = Some((literals, entry, params));
        }
    }
    best.map(|(_, e, p)| (e, p))
}

fn percent_decode(s: &str, plus_is_space: bool) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'%' if i + 2 < b.len() => {
                match u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
                {
                    Ok(v) => {
                        out.push(v);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' if plus_is_space => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn parse_pairs(s: &str) -> HashMap<String, String> {
    s.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k, true), percent_decode(v, true))
        })
        .collect()
}

fn header<'a>(parts: &'a hyper::http::request::Parts, name: &str) -> Option<&'a str> {
    parts.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Everything under the lock: admin API, OAuth, auth, rate limits, the operation.
fn process(
    shared: &Shared,
    parts: &hyper::http::request::Parts,
    body: &[u8],
) -> (Outcome, Vec<Value>) {
    let path = parts.uri.path();
    let query = parse_pairs(parts.uri.query().unwrap_or(""));
    let now = now_ms();
    if let Some(admin) = path.strip_prefix("/sandbox/") {
        return (
            admin_api(shared, &parts.method, admin, body, now),
            Vec::new(),
        );
    }
    if parts.method == Method::GET
        && (path == "/oauth/chooselocation" || path == "/v2/oauth/chooselocation")
    {
        return (consent(shared, &query, now), Vec::new());
    }
    let Some((entry, path_params)) = route(parts.method.as_str(), path) else {
        let msg = format!("Cannot {} {}", parts.method, path);
        let o = Outcome::json(
            404,
            &json!({"statusCode": 404, "message": msg, "error": "Not Found"}),
        );
        return (
            with_rate_headers(shared, o, "anonymous", "-", now),
            Vec::new(),
        );
    };
    let is_form = header(parts, "content-type")
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    let body_json: Value = if body.is_empty() {
        Value::Null
    } else if is_form {
        json!(parse_pairs(std::str::from_utf8(body).unwrap_or("")))
    } else {
        match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                let o = Outcome::error(&ApiError::new(
                    400,
                    format!("Unexpected token in JSON: {e}"),
                ));
                return (
                    with_rate_headers(shared, o, "anonymous", "-", now),
                    Vec::new(),
                );
            }
        }
    };
    let name = entry.spec.name;
    if name == "oauth.exchangeCode" || name == "oauth.refreshToken" {
        let client = body_json
            .get("client_id")
            .or_else(|| body_json.get("clientId"))
            .and_then(Value::as_str)
            .unwrap_or("anonymous")
            .to_string();
        let o = token_endpoint(shared, &body_json, now);
        return (
            with_rate_headers(shared, o, &client, "oauth", now),
            Vec::new(),
        );
    }
    if entry.spec.version.is_some() && header(parts, "version").is_none_or(str::is_empty) {
        let o = Outcome::error(&ApiError::new(400, "Version header is required"));
        return (
            with_rate_headers(shared, o, "anonymous", "-", now),
            Vec::new(),
        );
    }
    let mut st = shared.lock();
    let token = header(parts, "authorization")
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .unwrap_or("")
        .trim();
    let who: Principal = match st.auth.check(token, now) {
        Ok(p) => p.clone(),
        Err(refusal) => {
            let mut o = match refusal {
                Refusal::Invalid => {
                    Outcome::json(401, &json!({"statusCode": 401, "message": "Invalid JWT"}))
                }
                Refusal::Expired => Outcome::error(&ApiError::new(
                    401,
                    "Invalid token: access token is invalid",
                )),
            };
            // Unauthenticated requests are counted against one anonymous budget,
            // so even they carry the five headers.
            let budgets = shared.cfg.budgets;
            let v = st.limiter.take(&budgets, "anonymous", "-", now);
            o.headers = v
                .headers
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect();
            return (o, Vec::new());
        }
    };
    // The token class the catalog declares for the endpoint (the spec's
    // security schemes).
    let agency = who.kind == TokenKind::Company;
    let refusal = match entry.spec.token {
        TokenClass::Agency if !agency => Some("Token's user type mismatch!"),
        TokenClass::Location if agency => Some(
            "This authClass type is not allowed to access this scope. Please verify your IAM configuration.",
        ),
        _ => None,
    };
    if let Some(msg) = refusal {
        return (Outcome::error(&ApiError::new(401, msg)), Vec::new());
    }
    if let Some(scope) = entry.spec.scope {
        if !who.has_scope(scope) {
            return (
                Outcome::error(&ApiError::new(
                    401,
                    "The token is not authorized for this scope.",
                )),
                Vec::new(),
            );
        }
    }
    let budgets = shared.cfg.budgets;
    let verdict = st.limiter.take(&budgets, &who.client, who.resource(), now);
    let rate_headers: Vec<(String, String)> = verdict
        .headers
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    if !verdict.allowed {
        let mut o = Outcome::error(&ApiError::new(429, "Too Many Requests"));
        o.headers = rate_headers;
        return (o, Vec::new());
    }
    let mut events = Vec::new();
    let result = match name {
        "oauth.locationToken" => {
            shared.location_token_mints.fetch_add(1, Ordering::SeqCst);
            location_token(shared, &mut st, &who, &body_json, now)
        }
        "oauth.installedLocations" => installed_locations(shared, &who, &query),
        _ => {
            let req = Req {
                path: &path_params,
                query: &query,
                body: &body_json,
            };
            st.store
                .handle(name, &who, &req, now as i64, &shared.base_url, &mut events)
        }
    };
    let mut o = match result {
        Ok((status, v)) => Outcome::json(status, &v),
        Err(e) => {
            events.clear();
            Outcome::error(&e)
        }
    };
    o.headers = rate_headers;
    (o, events)
}

/// Counts a request that has no authenticated principal and attaches the
/// five rate-limit headers (every API response carries them).
fn with_rate_headers(
    shared: &Shared,
    mut o: Outcome,
    client: &str,
    resource: &str,
    now: u64,
) -> Outcome {
    let budgets = shared.cfg.budgets;
    let v = shared.lock().limiter.take(&budgets, client, resource, now);
    o.headers
        .extend(v.headers.iter().map(|(k, v)| (k.to_string(), v.clone())));
    o
}

fn token_json(i: &crate::auth::Issued) -> Value {
    let user_type = if i.kind == TokenKind::Company {
        "Company"
    } else {
        "Location"
    };
    let mut v = json!({
        "access_token": i.access_token,
        "token_type": "Bearer",
        "expires_in": i.expires_in,
        "refresh_token": i.refresh_token,
        "scope": i.scopes.join(" "),
        "userType": user_type,
        "companyId": i.company_id,
        "userId": "SBXuser0000000000001",
    });
    if let Some(l) = &i.location_id {
        v["locationId"] = json!(l);
    }
    v
}

/// `POST /oauth/token`: code exchange and refresh, form or JSON (v2 snake_case
/// or v3 camelCase fields).
fn token_endpoint(shared: &Shared, body: &Value, now: u64) -> Outcome {
    let field = |snake: &str, camel: &str| {
        body.get(snake)
            .or_else(|| body.get(camel))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    let (client_id, secret) = (
        field("client_id", "clientId"),
        field("client_secret", "clientSecret"),
    );
    if client_id != shared.cfg.client_id || secret != shared.cfg.client_secret {
        return Outcome::error(&ApiError::new(401, "Invalid client credentials"));
    }
    let lifetime = shared.cfg.access_token_lifetime_s;
    let mut st = shared.lock();
    let issued = match field("grant_type", "grantType").as_str() {
        "authorization_code" => {
            st.auth
                .redeem_code(&client_id, &field("code", "code"), lifetime, now)
        }
        "refresh_token" => {
            shared.token_refreshes.fetch_add(1, Ordering::SeqCst);
            st.auth.refresh(
                &client_id,
                &field("refresh_token", "refreshToken"),
                lifetime,
                now,
            )
        }
        other => {
            return Outcome::error(&ApiError::validation(vec![format!(
                "grant_type must be one of: authorization_code, refresh_token (got {other:?})"
            )]));
        }
    };
    match issued {
        Some(i) => Outcome::json(200, &token_json(&i)),
        None => Outcome::error(&ApiError::new(
            400,
            "Invalid grant: the code or refresh token is invalid, expired or already used",
        )),
    }
}

fn location_token(
    shared: &Shared,
    st: &mut State,
    who: &Principal,
    body: &Value,
    now: u64,
) -> Result<(u16, Value), ApiError> {
    let company = body
        .get("companyId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let location = body
        .get("locationId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if company.is_empty() || location.is_empty() {
        return Err(ApiError::validation(vec![
            "companyId and locationId are required".into(),
        ]));
    }
    if company != who.company_id || !st.store.has_location(location) {
        return Err(ApiError::new(400, "Location not found in this company"));
    }
    let issued = st
        .auth
        .location_token(who, location, shared.cfg.access_token_lifetime_s, now);
    let mut v = token_json(&issued);
    v["appId"] = json!(shared.cfg.client_id);
    Ok((200, v))
}

fn installed_locations(
    shared: &Shared,
    who: &Principal,
    query: &HashMap<String, String>,
) -> Result<(u16, Value), ApiError> {
    if query.get("companyId").map(String::as_str) != Some(who.company_id.as_str()) {
        return Err(ApiError::new(400, "companyId does not match the token"));
    }
    let locations: Vec<Value> = shared
        .cfg
        .locations
        .iter()
        .map(|l| json!({"_id": l, "name": format!("Sandbox {l}"), "address": "1 Sandbox Way", "isInstalled": true}))
        .collect();
    let count = locations.len();
    Ok((
        200,
        json!({"locations": locations, "count": count, "installToFutureLocations": false}),
    ))
}

/// The consent page, auto-approved: redirects to `redirect_uri` with a code
/// for the default location (or `locationId` if given) and the `state`.
fn consent(shared: &Shared, query: &HashMap<String, String>, _now: u64) -> Outcome {
    let (Some(client), Some(redirect)) = (query.get("client_id"), query.get("redirect_uri")) else {
        return Outcome::error(&ApiError::new(
            400,
            "client_id and redirect_uri are required",
        ));
    };
    if client != &shared.cfg.client_id {
        return Outcome::error(&ApiError::new(400, "Unknown client_id"));
    }
    let scopes: Vec<String> = query
        .get("scope")
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    let location = query
        .get("locationId")
        .cloned()
        .unwrap_or_else(|| shared.default_location().to_string());
    let code = shared.lock().auth.issue_code(Grant {
        client_id: client.clone(),
        kind: TokenKind::Location,
        location_id: Some(location),
        company_id: shared.cfg.company_id.clone(),
        scopes,
    });
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let mut target = format!(
        "{redirect}{sep}code={}",
        contacts_core::ops::encode_component(&code)
    );
    if let Some(state) = query.get("state") {
        target.push_str(&format!(
            "&state={}",
            contacts_core::ops::encode_component(state)
        ));
    }
    Outcome {
        status: 302,
        body: Vec::new(),
        content_type: "text/plain",
        headers: vec![("Location".into(), target)],
    }
}

/// `/sandbox/*`: information and test controls. Local and unauthenticated.
fn admin_api(shared: &Shared, method: &Method, path: &str, body: &[u8], now: u64) -> Outcome {
    let body: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let s = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_string);
    match (method.as_str(), path.trim_end_matches('/')) {
        ("GET", "info") => Outcome::json(
            200,
            &json!({
                "baseUrl": shared.base_url,
                "locationId": shared.default_location(),
                "locations": shared.cfg.locations,
                "companyId": shared.cfg.company_id,
                "privateIntegrationToken": shared.first_pit(),
                "clientId": shared.cfg.client_id,
                "webhookPublicKey": shared.webhooks.public_key_pem(),
                "webhookUrls": shared.webhooks.urls(),
            }),
        ),
        ("GET", "webhook-public-key") => Outcome {
            status: 200,
            body: shared.webhooks.public_key_pem().into_bytes(),
            content_type: "application/x-pem-file",
            headers: Vec::new(),
        },
        ("POST", "tokens") => match admin_grant(shared, &body) {
            Ok(grant) => {
                let lifetime = body
                    .get("expiresIn")
                    .and_then(Value::as_u64)
                    .unwrap_or(shared.cfg.access_token_lifetime_s);
                let issued = shared.lock().auth.issue_direct(grant, lifetime, now);
                Outcome::json(200, &token_json(&issued))
            }
            Err(e) => Outcome::error(&e),
        },
        ("POST", "oauth/code") => match admin_grant(shared, &body) {
            Ok(grant) => {
                let code = shared.lock().auth.issue_code(grant);
                Outcome::json(200, &json!({"code": code}))
            }
            Err(e) => Outcome::error(&e),
        },
        ("POST", "webhooks") => match s("url") {
            Some(url) => {
                shared.webhooks.add_url(url);
                Outcome::json(200, &json!({"urls": shared.webhooks.urls()}))
            }
            None => Outcome::error(&ApiError::new(400, "url is required")),
        },
        ("POST", "contacts/additional-emails") => {
            let emails: Option<Vec<String>> =
                body.get("emails").and_then(Value::as_array).map(|l| {
                    l.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                });
            match (s("contactId"), emails) {
                (Some(id), Some(emails)) => {
                    match shared
                        .lock()
                        .store
                        .set_contact_additional_emails(&id, emails)
                    {
                        Ok(contact) => Outcome::json(200, &json!({ "contact": contact })),
                        Err(e) => Outcome::error(&e),
                    }
                }
                _ => Outcome::error(&ApiError::new(400, "contactId and emails are required")),
            }
        }
        ("POST", "faults") => {
            // `{"next": ["429=2", "5xx", ""]}`: one fault list per coming
            // API request, in order ("" for none).
            let lists: Option<Result<Vec<Vec<Fault>>, String>> =
                body.get("next").and_then(Value::as_array).map(|l| {
                    l.iter()
                        .map(|f| f.as_str().ok_or("each entry is a string".to_string()))
                        .map(|f| f.and_then(Fault::parse_list))
                        .collect()
                });
            match lists {
                Some(Ok(lists)) => {
                    let n = lists.len();
                    shared.plan.script(lists);
                    Outcome::json(200, &json!({"queued": n}))
                }
                Some(Err(e)) => Outcome::error(&ApiError::new(400, e)),
                None => Outcome::error(&ApiError::new(400, "next is a list of fault lists")),
            }
        }
        ("GET", "stats") => Outcome::json(
            200,
            &json!({
                "apiRequests": shared.api_requests(),
                "tokenRefreshes": shared.token_refreshes(),
                "locationTokenMints": shared.location_token_mints(),
                "rate": shared.lock().limiter.report(&shared.cfg.budgets, now),
            }),
        ),
        ("POST", "batch") => match batch(shared, &body, now) {
            Ok(results) => Outcome::json(200, &json!({ "results": results })),
            Err(e) => Outcome::error(&e),
        },
        ("POST", "webhooks/emit") => match body.get("payload") {
            // Signs and delivers an event the sandbox's API does not make
            // (an opportunity, a message, a user): how tests reach every
            // webhook type through real deliveries.
            Some(Value::Object(payload)) if payload.get("type").is_some_and(Value::is_string) => {
                let mut event = Value::Object(payload.clone());
                if event.get("locationId").is_none() {
                    event["locationId"] = json!(shared.default_location());
                }
                shared.webhooks.emit(event);
                Outcome::json(200, &json!({"emitted": 1}))
            }
            _ => Outcome::error(&ApiError::new(
                400,
                "payload is an object with a string type",
            )),
        },
        ("GET", "webhooks/deliveries") => {
            Outcome::json(200, &json!({"deliveries": shared.webhooks.deliveries()}))
        }
        ("POST", "locations") => {
            let Some(loc) = s("locationId") else {
                return Outcome::error(&ApiError::new(400, "locationId is required"));
            };
            let mut st = shared.lock();
            st.store.ensure_location(&loc);
            if let Some(allow) = body.get("allowDuplicates").and_then(Value::as_bool) {
                st.store.set_allow_duplicates(&loc, allow);
            }
            if let Some(zone) = s("timeZone") {
                st.store.set_time_zone(&loc, &zone);
            }
            if let Some(lag) = body.get("searchLagMs").and_then(Value::as_u64) {
                st.store.set_search_lag(&loc, lag);
            }
            if let Some(n) = body.get("seed").and_then(Value::as_u64) {
                st.store.seed(&loc, n);
            }
            let count = st.store.contact_count(&loc);
            Outcome::json(200, &json!({"locationId": loc, "contacts": count}))
        }
        _ => Outcome::error(&ApiError::new(
            404,
            format!("no sandbox admin route {method} /sandbox/{path}"),
        )),
    }
}

/// `POST /sandbox/batch`: `{locationId?, requests: [{method, path, body?}]}`
/// run in order as the location's Private Integration Token would run
/// them, outside the rate budget and the request count, with their webhooks
/// sent: how a test makes thousands of changes between two polls. Each
/// answer is `{status, body}`; a refused request does not stop the rest.
fn batch(shared: &Shared, body: &Value, now: u64) -> Result<Vec<Value>, ApiError> {
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::new(400, "requests is required"))?;
    let location = body
        .get("locationId")
        .and_then(Value::as_str)
        .unwrap_or(shared.default_location())
        .to_owned();
    let who = Principal {
        kind: TokenKind::Pit,
        client: "sandbox-batch".into(),
        location_id: Some(location),
        company_id: shared.cfg.company_id.clone(),
        scopes: None,
        expires_at_ms: None,
    };
    let empty = HashMap::new();
    let mut results = Vec::with_capacity(requests.len());
    let mut st = shared.lock();
    for request in requests {
        let method = request["method"].as_str().unwrap_or("GET");
        let path = request["path"].as_str().unwrap_or_default();
        let Some((entry, path_params)) = route(method, path) else {
            results.push(json!({"status": 404, "body": format!("Cannot {method} {path}")}));
            continue;
        };
        let req = Req {
            path: &path_params,
            query: &empty,
            body: &request["body"],
        };
        let mut events = Vec::new();
        let reply = st.store.handle(
            entry.spec.name,
            &who,
            &req,
            now as i64,
            &shared.base_url,
            &mut events,
        );
        match reply {
            Ok((status, v)) => {
                for e in events {
                    shared.webhooks.emit(e);
                }
                shared.dirty.store(true, Ordering::SeqCst);
                results.push(json!({"status": status, "body": v}));
            }
            Err(e) => results.push(json!({"status": e.status, "body": e.messages})),
        }
    }
    Ok(results)
}

/// The grant an admin request asks for: `{userType, locationId, scopes}`
/// (defaults: a Location token for the default location, every scope).
fn admin_grant(shared: &Shared, body: &Value) -> Result<Grant, ApiError> {
    let company = body.get("userType").and_then(Value::as_str) == Some("Company");
    let location_id = if company {
        None
    } else {
        let l = body
            .get("locationId")
            .and_then(Value::as_str)
            .unwrap_or(shared.default_location())
            .to_string();
        if !shared.lock().store.has_location(&l) {
            return Err(ApiError::new(400, format!("unknown location {l}")));
        }
        Some(l)
    };
    let scopes = match body.get("scopes").and_then(Value::as_array) {
        Some(a) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_string)
            .collect(),
        None => all_scopes(),
    };
    Ok(Grant {
        client_id: shared.cfg.client_id.clone(),
        kind: if company {
            TokenKind::Company
        } else {
            TokenKind::Location
        },
        location_id,
        company_id: shared.cfg.company_id.clone(),
        scopes,
    })
}

/// Every scope a catalog operation names (what PITs and admin tokens get).
fn all_scopes() -> Vec<String> {
    let mut s: Vec<String> = catalog::entries()
        .iter()
        .filter_map(|e| e.spec.scope)
        .map(str::to_string)
        .collect();
    s.sort();
    s.dedup();
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_prefer_literal_segments() {
        let (e, p) = route("DELETE", "/contacts/c1/campaigns/removeAll").unwrap();
        assert_eq!(e.spec.name, "campaigns.removeAll");
        assert_eq!(p["contactId"], "c1");
        let (e, p) = route("DELETE", "/contacts/c1/campaigns/k%2Fx").unwrap();
        assert_eq!(e.spec.name, "campaigns.remove");
        assert_eq!(p["campaignId"], "k/x");
        assert_eq!(
            route("GET", "/contacts/").unwrap().0.spec.name,
            "contacts.list"
        );
        assert_eq!(
            route("GET", "/contacts").unwrap().0.spec.name,
            "contacts.list"
        );
        assert_eq!(
            route("POST", "/contacts/search").unwrap().0.spec.name,
            "contacts.search"
        );
        assert_eq!(
            route("GET", "/contacts/search/duplicate")
                .unwrap()
                .0
                .spec
                .name,
            "contacts.findDuplicate"
        );
        assert!(route("PATCH", "/contacts/c1").is_none());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("a%2Fb%20c", false), "a/b c");
        assert_eq!(percent_decode("%2B1+2", true), "+1 2");
        assert_eq!(percent_decode("100%", false), "100%");
        assert_eq!(percent_decode("%zz", false), "%zz");
    }
}
