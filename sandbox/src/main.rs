//! `contacts-sandbox`: run a local HighLevel Contacts API.
//!
//! `cargo run -p contacts-sandbox -- --port 8080 --seed 1000`

use clap::Parser;
use contacts_sandbox::{Budgets, Fault, RetryPolicy, Sandbox, SandboxConfig};
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

/// A local, in-memory HighLevel Contacts API for tests, examples, benchmarks
/// and staging. Listens on 127.0.0.1 unless --host says otherwise.
#[derive(Parser, Debug)]
#[command(name = "contacts-sandbox", version)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
    /// Deterministic contacts (with tasks, notes, appointments) per location.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Location ids (repeatable); the first is the default.
    #[arg(long = "location")]
    locations: Vec<String>,
    /// A Private Integration Token for the default location (repeatable).
    #[arg(long = "pit")]
    pits: Vec<String>,
    /// OAuth client id.
    #[arg(long, default_value = contacts_sandbox::DEFAULT_CLIENT_ID)]
    client_id: String,
    /// OAuth client secret.
    #[arg(long, default_value = contacts_sandbox::DEFAULT_CLIENT_SECRET)]
    client_secret: String,
    /// Lifetime of OAuth access tokens, in seconds.
    #[arg(long, default_value_t = 86_399)]
    token_lifetime: u64,
    /// Burst budget: requests per interval, per (client, location).
    #[arg(long, default_value_t = 100)]
    burst: u32,
    /// Burst interval in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    interval_ms: u64,
    /// Daily budget per (client, location).
    #[arg(long, default_value_t = 200_000)]
    daily: u32,
    /// The daily budget's window in milliseconds (default a day; shorter to
    /// test a client across the daily reset).
    #[arg(long, default_value_t = 86_400_000)]
    day_ms: u64,
    /// Webhook receiver URL (repeatable).
    #[arg(long = "webhook-url")]
    webhook_urls: Vec<String>,
    /// Webhook signing key seed: 64 hex digits (default: random per run).
    #[arg(long)]
    webhook_key_seed: Option<String>,
    /// Wait between webhook retries after a 429, in milliseconds.
    #[arg(long, default_value_t = 1000)]
    webhook_retry_ms: u64,
    /// Inject faults (comma-separated): latency=MS, 5xx, 429, reset-before,
    /// reset-after, truncate, malformed, slow-body=MS.
    #[arg(long)]
    fault: Option<String>,
    /// Inject the --fault faults into every Nth request.
    #[arg(long, default_value_t = 1)]
    fault_every: u64,
    /// Turn on "Allow Duplicate Contact" in every location.
    #[arg(long)]
    allow_duplicates: bool,
    /// Delay each contact change's visibility in search by this many ms, as
    /// HighLevel's search is eventually consistent.
    #[arg(long, default_value_t = 0)]
    search_lag_ms: u64,
    /// Keep state across restarts in this file.
    #[arg(long)]
    data: Option<PathBuf>,
    /// Tokio worker threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut cfg = SandboxConfig {
        addr: SocketAddr::new(args.host, args.port),
        seed: args.seed,
        client_id: args.client_id,
        client_secret: args.client_secret,
        access_token_lifetime_s: args.token_lifetime,
        budgets: Budgets {
            burst_max: args.burst,
            interval_ms: args.interval_ms,
            daily_max: args.daily,
            day_ms: args.day_ms,
        },
        webhook_urls: args.webhook_urls,
        webhook_retry: RetryPolicy {
            max_retries: 6,
            delay: Duration::from_millis(args.webhook_retry_ms),
        },
        fault_every: args.fault_every,
        allow_duplicates: args.allow_duplicates,
        search_lag_ms: args.search_lag_ms,
        data_file: args.data,
        ..SandboxConfig::default()
    };
    if !args.locations.is_empty() {
        cfg.locations = args.locations;
    }
    let default_loc = cfg.locations[0].clone();
    cfg.pits = if args.pits.is_empty() {
        vec![(contacts_sandbox::DEFAULT_PIT.to_string(), default_loc)]
    } else {
        args.pits
            .into_iter()
            .map(|p| (p, default_loc.clone()))
            .collect()
    };
    if let Some(f) = &args.fault {
        match Fault::parse_list(f) {
            Ok(f) => cfg.faults = f,
            Err(e) => {
                eprintln!("contacts-sandbox: --fault: {e}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    if let Some(hex) = &args.webhook_key_seed {
        match parse_seed(hex) {
            Some(s) => cfg.webhook_key_seed = Some(s),
            None => {
                eprintln!("contacts-sandbox: --webhook-key-seed must be 64 hex digits");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads.max(1))
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("contacts-sandbox: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    rt.block_on(async move {
        let sandbox = match Sandbox::start(cfg).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("contacts-sandbox: cannot start: {e}");
                return std::process::ExitCode::FAILURE;
            }
        };
        println!("contacts-sandbox listening");
        println!("  base URL:    {}", sandbox.base_url());
        println!("  location:    {}", sandbox.location_id());
        println!("  token (PIT): {}", sandbox.pit());
        println!("  try:         curl -H 'Authorization: Bearer {}' -H 'Version: 2021-07-28' '{}/contacts/?locationId={}&limit=5'", sandbox.pit(), sandbox.base_url(), sandbox.location_id());
        println!("  webhook public key (also at {}/sandbox/webhook-public-key):", sandbox.base_url());
        print!("{}", sandbox.webhook_public_key_pem());
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = tokio::signal::ctrl_c().await;
        sandbox.shutdown().await;
        std::process::ExitCode::SUCCESS
    })
}

fn parse_seed(hex: &str) -> Option<[u8; 32]> {
    let hex = hex.trim();
    if hex.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}
