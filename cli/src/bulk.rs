//! Bulk commands: export to JSON Lines (resumable), import from CSV or JSON
//! Lines (upserts under the rate budget), and webhook verification.

use crate::output::Out;
use clap::Args;
use contacts_core::native::{Client, now_ms};
use contacts_core::ops::contacts::ListContacts;
use contacts_core::webhooks::WebhookVerifier;
use contacts_core::{Error, ErrorCode};
use futures_util::StreamExt;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::{Map, Value, json};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A file or stream error as the CLI reports it.
pub(crate) fn io_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::invalid_argument(format!("{what}: {e}"))
}

/// A progress bar over `total` `unit`s, drawn on stderr when it is a terminal.
pub(crate) fn bar(total: u64, unit: &str) -> ProgressBar {
    let pb = ProgressBar::new(total);
    let style = ProgressStyle::with_template(&format!(
        "{{bar:40}} {{pos}}/{{len}} {unit} {{per_sec}} eta {{eta}}"
    ))
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    pb.set_style(style);
    pb
}

/// `contacts export`.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Write here instead of stdout (appended to when resuming).
    #[arg(long, short)]
    out: Option<PathBuf>,
    /// Contacts per request (1-100).
    #[arg(long, default_value_t = 100)]
    page_size: u32,
    /// Keep the cursor here after every page; an export that stopped resumes
    /// from it. Removed when the export completes.
    #[arg(long)]
    cursor_file: Option<PathBuf>,
}

fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path)
}

/// Every contact of `location`, one JSON object per line, page by page: at
/// most one page is held in memory whatever the count.
pub async fn export(
    client: &Client,
    location: &str,
    args: ExportArgs,
    out: &Out,
) -> Result<(), Error> {
    let mut start = ListContacts {
        location_id: location.to_string(),
        limit: Some(args.page_size),
        ..Default::default()
    };
    let mut resuming = false;
    if let Some(cf) = &args.cursor_file {
        if cf.exists() {
            let text = std::fs::read_to_string(cf).map_err(|e| io_err("cursor file", e))?;
            let saved: ListContacts =
                serde_json::from_str(&text).map_err(|e| io_err("cursor file", e))?;
            if saved.location_id != location {
                return Err(Error::invalid_argument(
                    "the cursor file belongs to another location",
                ));
            }
            start = ListContacts {
                limit: Some(args.page_size),
                ..saved
            };
            resuming = true;
        }
    }
    let mut sink: Box<dyn Write> = match &args.out {
        Some(p) => {
            let f = std::fs::OpenOptions::new()
                .create(true)
                .write(true)
                .append(resuming)
                .truncate(!resuming)
                .open(p)
                .map_err(|e| io_err("output", e))?;
            Box::new(std::io::BufWriter::new(f))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let pb = bar(0, "contacts");
    let started = Instant::now();
    let mut count = 0u64;
    let mut walk = client.walk(start);
    while let Some(page) = walk.next().await? {
        if let Some(total) = page.meta.as_ref().and_then(|m| m.total) {
            pb.set_length(total);
        }
        for c in &page.contacts {
            serde_json::to_writer(&mut sink, c).map_err(|e| io_err("output", e))?;
            sink.write_all(b"\n").map_err(|e| io_err("output", e))?;
        }
        sink.flush().map_err(|e| io_err("output", e))?;
        count += page.contacts.len() as u64;
        pb.inc(page.contacts.len() as u64);
        if let (Some(cf), Some(next)) = (&args.cursor_file, walk.cursor()) {
            // Written after the page is on disk: a resume never skips a contact.
            let cursor = serde_json::to_vec(next).map_err(|e| io_err("cursor", e))?;
            write_atomically(cf, &cursor).map_err(|e| io_err("cursor file", e))?;
        }
    }
    pb.finish_and_clear();
    if let Some(cf) = &args.cursor_file {
        let _ = std::fs::remove_file(cf);
    }
    let secs = started.elapsed().as_secs_f64();
    if out.json {
        eprintln!("{}", json!({"exported": count, "seconds": secs}));
    } else {
        eprintln!("exported {count} contacts in {secs:.1} s");
    }
    Ok(())
}

/// `contacts import`.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// A .csv file (header row; columns named like the API's fields) or a
    /// .jsonl file (one contact object per line).
    file: PathBuf,
    /// Requests in flight at once; the rate budget paces them either way.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// Write each failed row and why, as JSON Lines.
    #[arg(long)]
    report: Option<PathBuf>,
}

/// `first_name` and `First Name` become `firstName`.
fn api_key(header: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for (i, ch) in header.trim().chars().enumerate() {
        if ch == '_' || ch == ' ' || ch == '-' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else if i == 0 {
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// One input row: the params object, or why it could not be read.
type Row = Result<Map<String, Value>, String>;

fn rows(path: &Path) -> Result<Box<dyn Iterator<Item = Row> + Send>, Error> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv {
        let mut reader = csv::Reader::from_path(path).map_err(|e| io_err("input", e))?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| io_err("input", e))?
            .iter()
            .map(api_key)
            .collect();
        Ok(Box::new(reader.into_records().map(move |r| {
            let record = r.map_err(|e| e.to_string())?;
            let mut m = Map::new();
            for (h, v) in headers.iter().zip(record.iter()) {
                if v.is_empty() {
                    continue;
                }
                let value = if h == "tags" {
                    json!(
                        v.split([';', ','])
                            .map(str::trim)
                            .filter(|t| !t.is_empty())
                            .collect::<Vec<_>>()
                    )
                } else {
                    json!(v)
                };
                m.insert(h.clone(), value);
            }
            Ok(m)
        })))
    } else {
        let file = std::fs::File::open(path).map_err(|e| io_err("input", e))?;
        Ok(Box::new(
            std::io::BufReader::new(file)
                .lines()
                .filter(|l| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
                .map(|l| {
                    let line = l.map_err(|e| e.to_string())?;
                    match serde_json::from_str::<Value>(&line) {
                        Ok(Value::Object(m)) => Ok(m),
                        Ok(_) => Err("the line is not a JSON object".to_string()),
                        Err(e) => Err(format!("the line is not JSON: {e}")),
                    }
                }),
        ))
    }
}

/// Upserts every row, `concurrency` at a time, paced by the engine's rate
/// budget; every row is accounted for as created, updated or failed.
pub async fn import(
    client: &Client,
    location: &str,
    args: ImportArgs,
    out: &Out,
) -> Result<(), Error> {
    let rows = rows(&args.file)?;
    let pb = bar(0, "rows");
    let started = Instant::now();
    let location = location.to_string();
    let results = futures_util::stream::iter(rows.enumerate())
        .map(|(i, row)| {
            let (client, location, pb) = (client.clone(), location.clone(), pb.clone());
            async move {
                let outcome = match row {
                    Err(why) => Err((ErrorCode::InvalidArgument.as_str().to_string(), why)),
                    Ok(mut params) => {
                        params
                            .entry("locationId")
                            .or_insert_with(|| json!(location));
                        match client.call("contacts.upsert", Value::Object(params)).await {
                            Ok(v) => Ok(v.get("new") == Some(&Value::Bool(true))),
                            Err(e) => Err((e.code().as_str().to_string(), e.message().to_string())),
                        }
                    }
                };
                pb.inc(1);
                (i + 1, outcome)
            }
        })
        .buffer_unordered(args.concurrency.max(1));
    let mut report: Option<Box<dyn Write>> = match &args.report {
        Some(p) => Some(Box::new(std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| io_err("report", e))?,
        ))),
        None => None,
    };
    let (mut created, mut updated, mut failed) = (0u64, 0u64, 0u64);
    futures_util::pin_mut!(results);
    while let Some((row, outcome)) = results.next().await {
        match outcome {
            Ok(true) => created += 1,
            Ok(false) => updated += 1,
            Err((code, message)) => {
                failed += 1;
                let line = json!({"row": row, "code": code, "error": message});
                match report.as_mut() {
                    Some(r) => writeln!(r, "{line}").map_err(|e| io_err("report", e))?,
                    None => eprintln!("row {row}: {code}: {message}"),
                }
            }
        }
    }
    if let Some(r) = report.as_mut() {
        r.flush().map_err(|e| io_err("report", e))?;
    }
    pb.finish_and_clear();
    let secs = started.elapsed().as_secs_f64();
    let total = created + updated + failed;
    let stats = client.engine().stats();
    let summary = json!({
        "rows": total, "created": created, "updated": updated, "failed": failed,
        "seconds": secs, "requestsPerSecond": stats.requests as f64 / secs.max(1e-9),
        "requests": stats.requests, "rateLimited429": stats.rate_limited, "retries": stats.retries,
    });
    if out.json {
        println!("{summary}");
    } else {
        println!(
            "imported {total} rows in {secs:.1} s: {created} created, {updated} updated, {failed} failed ({:.1} requests/s, {} answered 429)",
            stats.requests as f64 / secs.max(1e-9),
            stats.rate_limited
        );
    }
    if failed > 0 {
        return Err(Error::new(
            ErrorCode::Validation,
            format!(
                "{failed} of {total} rows failed{}",
                if args.report.is_some() {
                    "; see the report"
                } else {
                    ""
                }
            ),
        ));
    }
    Ok(())
}

/// `contacts webhook verify`.
pub fn verify_webhook(
    out: &Out,
    body: &str,
    signature: &str,
    public_key: Option<&str>,
    max_age_s: u64,
    events: Option<(
        crate::events::EventSink,
        contacts_core::observe::ObserverOptions,
    )>,
) -> Result<(), Error> {
    let raw = if body == "-" {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut b)
            .map_err(|e| io_err("stdin", e))?;
        b
    } else {
        std::fs::read(body).map_err(|e| io_err("body", e))?
    };
    let verifier = match public_key {
        Some(path) => {
            let pem = std::fs::read_to_string(path).map_err(|e| io_err("public key", e))?;
            WebhookVerifier::from_public_keys(&[pem])?
        }
        None => WebhookVerifier::highlevel(),
    }
    .with_max_age_ms(max_age_s.saturating_mul(1000));
    if let Some((sink, options)) = events {
        verifier.set_observer(Some(std::sync::Arc::new(sink)), options);
    }
    let event = verifier.verify(
        &[("X-GHL-Signature".to_string(), signature.to_string())],
        &raw,
        now_ms(),
    )?;
    if out.json {
        println!("{}", event.to_json());
    } else {
        let j = event.to_json();
        let id = j
            .get("id")
            .or_else(|| j.pointer("/appointment/id"))
            .and_then(Value::as_str)
            .unwrap_or("-");
        println!(
            "verified: {} {id} (webhookId {})",
            event.kind(),
            j.get("webhookId").and_then(Value::as_str).unwrap_or("-")
        );
    }
    Ok(())
}
