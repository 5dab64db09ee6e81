//! `contacts flow`: a flow's check, its runner (a loopback webhook
//! receiver or a poll loop), a host event's submission, and its run log.
//! The core decides everything; this reads files, serves HTTP, and prints
//! each run as one line (JSON with `--json`).

use crate::input::json_arg;
use crate::output::Out;
use bytes::Bytes;
use clap::{Args, Subcommand};
use contacts_core::flows::{Flow, FlowRun, RunRecord, RunState};
use contacts_core::native::Client;
use contacts_core::webhooks::WebhookVerifier;
use contacts_core::{Error, ErrorCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::{Request, Response, StatusCode};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest webhook body the receiver reads.
const MAX_BODY_BYTES: usize = 1 << 20;

/// `contacts flow`.
#[derive(Subcommand, Debug)]
pub enum FlowCmd {
    /// Check a flow: print its steps in run order, or its first fault with
    /// the JSON path it is at.
    Check {
        /// The flow: a .json file.
        flow: PathBuf,
    },
    /// Run a flow on its trigger: receive webhooks on loopback (verified,
    /// then dispatched) or poll; each event runs once. Runs a stopped runner
    /// left are resumed first. Prints each run.
    Run(RunArgs),
    /// Submit a host event {type, id, data} to a flow: runs it once (a
    /// second submission of the same id sends nothing). Exits non-zero when
    /// the run failed, the mapping refused the event, or a step's outcome is
    /// unknown.
    Event {
        /// The flow: a .json file.
        flow: PathBuf,
        /// The event: JSON, @FILE, or - for stdin.
        #[arg(long)]
        event: String,
    },
    /// The run log, latest first: a flow's (by its file or name), or every
    /// flow's in the state file.
    Log {
        /// The flow: a .json file, or its name.
        flow: Option<String>,
        /// Show this run whole.
        #[arg(long)]
        run: Option<String>,
        /// At most this many runs.
        #[arg(long, default_value_t = 20)]
        limit: usize,
    },
}

/// `contacts flow run`.
#[derive(Args, Debug)]
pub struct RunArgs {
    /// The flow: a .json file.
    flow: PathBuf,
    /// Receive webhooks on this port (0: any free port; the address is
    /// printed on stderr).
    #[arg(long, conflicts_with = "poll", required_unless_present = "poll")]
    webhooks: Option<u16>,
    /// The address to listen on (loopback unless told).
    #[arg(long, default_value = "127.0.0.1")]
    host: std::net::IpAddr,
    /// The webhook public key (PEM file); default: HighLevel's published key.
    #[arg(long)]
    public_key: Option<PathBuf>,
    /// Accept deliveries up to this old (seconds).
    #[arg(long, default_value_t = 300)]
    max_age: u64,
    /// Poll the trigger every this many milliseconds instead.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..))]
    poll: Option<u64>,
    /// With --poll: the poll's params (JSON, @FILE, or -).
    #[arg(long, default_value = "{}")]
    params: String,
    /// With --poll: stop after this many polls (for cron and tests).
    #[arg(long)]
    polls: Option<u64>,
}

impl FlowCmd {
    /// The flow file whose state file is the default (`FLOW.json.state`).
    pub fn flow_file(&self) -> Option<&Path> {
        match self {
            FlowCmd::Check { flow } | FlowCmd::Event { flow, .. } => Some(flow),
            FlowCmd::Run(args) => Some(&args.flow),
            FlowCmd::Log { flow, .. } => flow.as_deref().map(Path::new).filter(|p| p.is_file()),
        }
    }

    /// Whether the command needs no client (a check).
    pub fn is_check(&self) -> bool {
        matches!(self, FlowCmd::Check { .. })
    }
}

/// The state file of a flow with no `--state` and no fleet: its file with
/// `.state` added.
pub fn state_file(flow: &Path) -> PathBuf {
    let mut p = flow.as_os_str().to_owned();
    p.push(".state");
    PathBuf::from(p)
}

fn load(path: &Path) -> Result<Flow, Error> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::invalid_argument(format!("{}: {e}", path.display())))?;
    Flow::load_text(&text).map_err(|e| e.context(&path.display().to_string()))
}

/// Runs `contacts flow check` (no client).
pub fn check(cmd: &FlowCmd, out: &Out) -> Result<(), Error> {
    let FlowCmd::Check { flow } = cmd else {
        return Ok(());
    };
    let summary = load(flow)?.summary();
    if out.json {
        println!("{summary}");
    } else {
        println!(
            "flow {} ({}): {}",
            summary["name"].as_str().unwrap_or_default(),
            summary["fingerprint"].as_str().unwrap_or_default(),
            summary["trigger"]
        );
        for (i, step) in summary["steps"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            println!(
                "  {}. {} {} (recovery: {})",
                i + 1,
                step["name"].as_str().unwrap_or_default(),
                step["action"].as_str().unwrap_or_default(),
                step["recovery"].as_str().unwrap_or_default()
            );
        }
    }
    Ok(())
}

/// Runs `contacts flow run|event|log` with `client`.
pub async fn run(cmd: FlowCmd, client: Client, out: &Out) -> Result<(), Error> {
    match cmd {
        FlowCmd::Check { .. } => check(&cmd, out),
        FlowCmd::Event { flow, event } => {
            let flow = load(&flow)?;
            let event = json_arg("--event", &event)?;
            let run = client.dispatch_flow(&flow, event).await?;
            print_run(out, &run);
            outcome(&run)
        }
        FlowCmd::Log { flow, run, limit } => {
            let name = match flow.as_deref() {
                Some(f) if Path::new(f).is_file() => Some(load(Path::new(f))?.name().to_owned()),
                Some(name) => Some(name.to_owned()),
                None => None,
            };
            match run {
                Some(id) => {
                    let name = name.ok_or_else(|| {
                        Error::invalid_argument("--run needs the flow (its file or name)")
                    })?;
                    let record = client.flow_run(&name, &id).await?.ok_or_else(|| {
                        Error::new(ErrorCode::NotFound, format!("flow {name} has no run {id}"))
                    })?;
                    println!("{}", record.to_json());
                }
                None => {
                    for record in client.flow_runs(name.as_deref(), limit).await? {
                        print_record(out, &record, false);
                    }
                }
            }
            Ok(())
        }
        FlowCmd::Run(args) => {
            let flow = load(&args.flow)?;
            for run in client.resume_flow_runs(&flow).await? {
                print_run(out, &run);
            }
            match (args.webhooks, args.poll) {
                (Some(port), _) => receive(client, flow, &args, port, out.json).await,
                (None, Some(interval_ms)) => poll(client, flow, &args, interval_ms, out).await,
                (None, None) => Err(Error::invalid_argument("pass --webhooks PORT or --poll MS")),
            }
        }
    }
}

/// A run's exit: an error for a run that did not do its work.
fn outcome(run: &FlowRun) -> Result<(), Error> {
    let r = &run.record;
    let reason = r.reason.clone().unwrap_or_default();
    match r.state {
        RunState::Invalid => Err(Error::invalid_argument(format!(
            "run {}: {reason}: {}",
            r.run_id,
            r.errors
                .iter()
                .map(|e| format!(
                    "{}: {}",
                    e["path"].as_str().unwrap_or_default(),
                    e["message"].as_str().unwrap_or_default()
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
        RunState::Failed => {
            let failed = r.steps.iter().find_map(|s| s.error.as_ref());
            let code = failed
                .and_then(|e| e["code"].as_str())
                .and_then(ErrorCode::from_name)
                .unwrap_or(ErrorCode::Validation);
            let message = failed
                .and_then(|e| e["message"].as_str())
                .unwrap_or_default();
            Err(Error::new(
                code,
                format!("run {}: {reason}: {message}", r.run_id),
            ))
        }
        RunState::UnknownOutcome => Err(Error::new(
            ErrorCode::State,
            format!("run {}: {reason}", r.run_id),
        )),
        _ => Ok(()),
    }
}

fn print_run(out: &Out, run: &FlowRun) {
    if out.json {
        println!("{}", run.to_json());
    } else {
        print_record(out, &run.record, run.replayed);
    }
}

/// One line for a run: JSON with `--json`, else id, state, event, steps.
fn print_record(out: &Out, r: &RunRecord, replayed: bool) {
    if out.json {
        println!("{}", r.to_json());
        return;
    }
    let state = serde_json::to_value(r.state).unwrap_or(Value::Null);
    let steps: Vec<String> = r
        .steps
        .iter()
        .map(|s| {
            let state = serde_json::to_value(s.state).unwrap_or(Value::Null);
            format!("{}={}", s.name, state.as_str().unwrap_or_default())
        })
        .collect();
    println!(
        "{} {}{} {} [{}]{}",
        if r.run_id.is_empty() { "-" } else { &r.run_id },
        state.as_str().unwrap_or_default(),
        if replayed { " (replayed)" } else { "" },
        r.event_type,
        steps.join(" "),
        r.reason
            .as_deref()
            .map(|why| format!(" {why}"))
            .unwrap_or_default()
    );
}

/// Polls every `interval_ms` (or `--polls` times), dispatching each event.
/// A failed poll is reported on stderr and retried from the same checkpoint.
async fn poll(
    client: Client,
    flow: Flow,
    args: &RunArgs,
    interval_ms: u64,
    out: &Out,
) -> Result<(), Error> {
    let params = json_arg("--params", &args.params)?;
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    let mut polls = 0u64;
    loop {
        let polled = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            polled = client.poll_flow(&flow, params.clone()) => polled,
        };
        polls += 1;
        let wait = match polled {
            Ok(p) => {
                for run in &p.runs {
                    print_run(out, run);
                }
                if p.more { 0 } else { interval_ms }
            }
            Err(e) if e.code() == ErrorCode::InvalidArgument => return Err(e),
            Err(e) => {
                eprintln!(
                    "contacts: flow poll failed ({}), retrying: {e}",
                    e.code().as_str()
                );
                interval_ms
            }
        };
        if args.polls.is_some_and(|n| polls >= n) {
            return Ok(());
        }
        tokio::select! {
            _ = &mut interrupted => return Ok(()),
            () = tokio::time::sleep(std::time::Duration::from_millis(wait)) => {}
        }
    }
}

/// What the receiver's connections share.
struct Receiver {
    client: Client,
    flow: Flow,
    verifier: WebhookVerifier,
    json: bool,
}

/// Serves webhooks on `host:port` until Ctrl-C: each POST verified, then
/// dispatched, and answered with the status the core gives the outcome
/// (`flows::delivery_status`: 200 with the run, 401 forged, 400 stale, 429
/// when the run can go on).
async fn receive(
    client: Client,
    flow: Flow,
    args: &RunArgs,
    port: u16,
    json: bool,
) -> Result<(), Error> {
    let verifier = match &args.public_key {
        Some(path) => {
            let pem = std::fs::read_to_string(path).map_err(|e| {
                Error::invalid_argument(format!("--public-key: {}: {e}", path.display()))
            })?;
            WebhookVerifier::from_public_keys(&[pem])?
        }
        None => WebhookVerifier::highlevel(),
    }
    .with_max_age_ms(args.max_age.saturating_mul(1000));
    let listener = tokio::net::TcpListener::bind((args.host, port))
        .await
        .map_err(|e| {
            Error::new(
                ErrorCode::Transport,
                format!("listen on {}:{port}: {e}", args.host),
            )
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| Error::new(ErrorCode::Transport, e.to_string()))?;
    eprintln!(
        "contacts: flow {} receiving webhooks on http://{addr}/",
        flow.name()
    );
    let shared = Arc::new(Receiver {
        client,
        flow,
        verifier,
        json,
    });
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let accepted = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _)) = accepted else { continue };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |req| {
                let shared = shared.clone();
                async move { Ok::<_, std::convert::Infallible>(delivery(&shared, req).await) }
            });
            let io = hyper_util::rt::TokioIo::new(stream);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(io, service)
                .await;
        });
    }
}

fn answer(status: StatusCode, body: &Value) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body.to_string())));
    *response.status_mut() = status;
    response.headers_mut().insert(
        "content-type",
        hyper::header::HeaderValue::from_static("application/json"),
    );
    response
}

fn refusal(status: StatusCode, e: &Error) -> Response<Full<Bytes>> {
    answer(
        status,
        &serde_json::json!({"error": {"code": e.code().as_str(), "message": e.message()}}),
    )
}

/// One delivery: verified, dispatched, answered.
async fn delivery(shared: &Receiver, req: Request<hyper::body::Incoming>) -> Response<Full<Bytes>> {
    if req.method() != hyper::Method::POST {
        return refusal(
            StatusCode::METHOD_NOT_ALLOWED,
            &Error::invalid_argument("deliveries are POSTed"),
        );
    }
    let headers: Vec<(String, String)> = req
        .headers()
        .iter()
        .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
        .collect();
    let body = match Limited::new(req.into_body(), MAX_BODY_BYTES)
        .collect()
        .await
    {
        Ok(b) => b.to_bytes(),
        Err(_) => {
            return refusal(
                StatusCode::PAYLOAD_TOO_LARGE,
                &Error::invalid_argument(format!("a delivery is at most {MAX_BODY_BYTES} bytes")),
            );
        }
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64);
    let outcome = match shared.verifier.verify_json(&headers, &body, now) {
        Ok(event) => shared.client.dispatch_flow(&shared.flow, event).await,
        Err(e) => Err(e),
    };
    let code = outcome.as_ref().err().map(Error::code);
    let status = StatusCode::from_u16(contacts_core::flows::delivery_status(code))
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match outcome {
        Ok(run) => {
            print_run(&Out { json: shared.json }, &run);
            answer(status, &run.to_json())
        }
        Err(e) => {
            if status == StatusCode::TOO_MANY_REQUESTS {
                eprintln!(
                    "contacts: a run stopped and will go on at the next delivery or start: {e}"
                );
            } else {
                eprintln!("contacts: refused a delivery: {e}");
            }
            refusal(status, &e)
        }
    }
}
