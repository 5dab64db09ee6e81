//! `contacts sync`: two-way sync between a SQLite table and the location's
//! contacts (the core decides and writes; this reads the arguments, shows
//! a progress bar, prints the report and repeats on an interval).

use crate::input::json_arg;
use crate::output::Out;
use clap::Args;
use contacts_core::native::Client;
use contacts_core::sync::{
    DEFAULT_BODY_FIELD, DEFAULT_CONTACT_FIELD, HostAdapter, Progress, RecordFields, SqliteTable,
    SyncHosts, SyncReport, SyncSettings,
};
use contacts_core::{Error, ErrorCode};
use indicatif::ProgressBar;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `contacts sync`.
#[derive(Args, Debug)]
pub struct SyncArgs {
    /// The host side: `sqlite:PATH`, a SQLite database file.
    #[arg(long)]
    host: String,
    /// The host table: `id`, `updated_at` (Unix ms) and `deleted_at`
    /// columns, and a column per field the template reads.
    #[arg(long)]
    table: String,
    /// The mapping template: a two-way contact template (.json file, JSON
    /// text or @FILE).
    #[arg(long)]
    template: String,
    /// The sync's settings (policies, deletes, read sizes) as JSON or
    /// @FILE; its name defaults to the table's.
    #[arg(long)]
    settings: Option<String>,
    /// One pass, then exit (the default).
    #[arg(long, conflicts_with = "interval")]
    once: bool,
    /// A pass every INTERVAL (`60s`, `5m`, `500ms`) until Ctrl-C.
    #[arg(long)]
    interval: Option<String>,
    /// Decide and report; write nothing and keep no state.
    #[arg(long)]
    dry_run: bool,
    /// For a table without `updated_at` and `deleted_at`: first add the
    /// triggers that keep them in a change-log table beside it (once; the
    /// app writing the table changes nothing).
    #[arg(long)]
    install_triggers: bool,
    /// Sync notes too: this table of the host database holds them (`id`,
    /// `updated_at`, `deleted_at`, the member's id and the body).
    #[arg(long)]
    notes_table: Option<String>,
    /// The notes table's column naming the note's member.
    #[arg(long, default_value = DEFAULT_CONTACT_FIELD, requires = "notes_table")]
    notes_contact: String,
    /// The notes table's column holding the body.
    #[arg(long, default_value = DEFAULT_BODY_FIELD, requires = "notes_table")]
    notes_body: String,
    /// Write HighLevel's appointments to this table of the host database
    /// too (one way): TEXT `id` (the appointment's), `updated_at`,
    /// `deleted_at`, the member's id and `title`, `startTime`, `endTime`,
    /// `status`, `calendarId`. Which calendars and how far ahead: the
    /// settings' `appointments`.
    #[arg(long)]
    appointments_table: Option<String>,
    /// The appointments table's column naming the member.
    #[arg(long, default_value = DEFAULT_CONTACT_FIELD, requires = "appointments_table")]
    appointments_contact: String,
}

impl SyncArgs {
    /// The host database file of `--host sqlite:PATH`.
    pub fn host_file(&self) -> Result<PathBuf, Error> {
        self.host
            .strip_prefix("sqlite:")
            .filter(|p| !p.is_empty())
            .map(PathBuf::from)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "--host: {:?} is not sqlite:PATH (the one host adapter the CLI has)",
                    self.host
                ))
            })
    }
}

/// The state file of a sync with no `--state` and no fleet: beside the host
/// database (`app.db.sync`).
pub fn state_file(host: &Path) -> PathBuf {
    let mut name = host.as_os_str().to_owned();
    name.push(".sync");
    PathBuf::from(name)
}

/// `60s`, `5m`, `1h`, `500ms` or a bare number of seconds, in ms.
fn interval_ms(text: &str) -> Result<u64, Error> {
    let t = text.trim();
    let (digits, unit) = t.split_at(t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len()));
    let n: u64 = digits.parse().map_err(|_| bad_interval(text))?;
    let ms = match unit {
        "ms" => n,
        "" | "s" => n.saturating_mul(1_000),
        "m" => n.saturating_mul(60_000),
        "h" => n.saturating_mul(3_600_000),
        _ => return Err(bad_interval(text)),
    };
    if ms == 0 {
        return Err(bad_interval(text));
    }
    Ok(ms)
}

fn bad_interval(text: &str) -> Error {
    Error::invalid_argument(format!(
        "--interval: {text:?} is not a duration (60s, 5m, 1h, 500ms)"
    ))
}

/// Runs the sync: one pass, or one per interval until Ctrl-C. Exits
/// non-zero when a pass fails, or (after printing the report) when it
/// found invalid records or records it could not sync.
pub async fn run(args: SyncArgs, client: Client, out: &Out) -> Result<(), Error> {
    let template = if Path::new(&args.template).is_file() {
        json_arg("--template", &format!("@{}", args.template))?
    } else {
        json_arg("--template", &args.template)?
    };
    let mut settings = match &args.settings {
        Some(text) => {
            let mut json = json_arg("--settings", text)?;
            if json.get("name").is_none()
                && let Some(o) = json.as_object_mut()
            {
                o.insert("name".into(), Value::String(args.table.clone()));
            }
            SyncSettings::from_json(&json)?
        }
        None => SyncSettings::from_json(&serde_json::json!({"name": args.table}))?,
    };
    settings.dry_run |= args.dry_run;
    if args.install_triggers {
        SqliteTable::install_triggers(args.host_file()?, &args.table)?;
    }
    let table = SqliteTable::open(args.host_file()?, &args.table)?;
    let notes = args
        .notes_table
        .as_deref()
        .map(|t| SqliteTable::open(args.host_file()?, t))
        .transpose()?;
    let appointments = args
        .appointments_table
        .as_deref()
        .map(|t| {
            let table = SqliteTable::open(args.host_file()?, t)?;
            table.require_text_ids().map(|()| table)
        })
        .transpose()?;
    let fields = RecordFields {
        note_contact: args.notes_contact.clone(),
        note_body: args.notes_body.clone(),
        appointment_contact: args.appointments_contact.clone(),
    };
    let hosts = SyncHosts::with_fields(
        &table,
        notes.as_ref().map(|a| a as &dyn HostAdapter),
        appointments.as_ref().map(|a| a as &dyn HostAdapter),
        &fields,
    );
    let every = args.interval.as_deref().map(interval_ms).transpose()?;
    let Some(every) = every else {
        let report = pass(&client, &template, hosts, &settings).await?;
        return finish(&report, out);
    };
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let done = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            done = pass(&client, &template, hosts, &settings) => done,
        };
        match done {
            Ok(report) => {
                let _ = finish(&report, out);
            }
            Err(e) if e.code() == ErrorCode::InvalidArgument => return Err(e),
            Err(e) => eprintln!(
                "contacts: sync pass failed ({}), retrying: {e}",
                e.code().as_str()
            ),
        }
        tokio::select! {
            _ = &mut interrupted => return Ok(()),
            () = tokio::time::sleep(std::time::Duration::from_millis(every)) => {}
        }
    }
}

/// One pass, with a progress bar over HighLevel's contacts and then the
/// host records left, once each count is known (on a terminal; none when
/// stderr is not one).
async fn pass(
    client: &Client,
    template: &Value,
    hosts: SyncHosts<'_>,
    settings: &SyncSettings,
) -> Result<SyncReport, Error> {
    // The bar's unit is the phase's (its message).
    let bar = crate::bulk::bar(0, "{msg}");
    let shown = bar.clone();
    let progress = move |p: &Progress| show(&shown, p);
    let report = client
        .sync_pass_with(template, hosts, settings, progress)
        .await;
    bar.finish_and_clear();
    report
}

fn show(bar: &ProgressBar, p: &Progress) {
    match p.total {
        Some(total) => {
            bar.set_message(match p.phase {
                "highlevel" => "HighLevel contacts",
                "records" => "host records left",
                other => other,
            });
            bar.set_length(total);
            bar.set_position(p.done);
        }
        None => bar.set_message(format!("{} read: {}", p.phase, p.done)),
    }
}

/// Prints the report; an error when it has invalid records or errors.
fn finish(report: &SyncReport, out: &Out) -> Result<(), Error> {
    out.sync_report(&report.to_json());
    match report.invalid + report.errors {
        0 => Ok(()),
        n => Err(Error::invalid_argument(format!(
            "{n} records could not be synced (see the report)"
        ))),
    }
}
