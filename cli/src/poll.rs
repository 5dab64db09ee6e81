//! `contacts poll` and `contacts watch`: polling triggers from a shell, with
//! the checkpoint in a file. Each poll prints its events as JSON lines,
//! flushes them, and only then renames the new checkpoint into place, so a
//! poll killed at any moment prints its events again when rerun: nothing
//! is lost (a consumer dedupes by `dedupeId`).

use clap::Args;
use contacts_core::native::Client;
use contacts_core::{Error, ErrorCode};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The arguments of `contacts poll` and `contacts watch`.
#[derive(Args, Debug)]
pub struct PollArgs {
    /// The trigger, or several joined by commas: ContactCreate,
    /// ContactUpdate, ContactTagUpdate, ContactDelete, TaskCreate,
    /// TaskComplete, TaskOverdue, NoteCreate, NoteUpdate,
    /// AppointmentCreate, AppointmentUpdate.
    triggers: String,
    /// The poll's params: JSON, @FILE, or - for stdin; e.g.
    /// '{"reconcileEveryMs": 0, "maxRequests": 50}'.
    #[arg(long, default_value = "{}")]
    params: String,
    /// Where the checkpoint is kept (read if present; the first poll, the
    /// baseline, reports nothing). The per-record state goes in the state
    /// file (--state; with --fleet-redis, the fleet's Redis, shared by every
    /// process polling the location; else this path with `.state` added).
    #[arg(long)]
    checkpoint_file: PathBuf,
}

/// The extra argument of `contacts watch`.
#[derive(Args, Debug)]
pub struct WatchArgs {
    #[command(flatten)]
    poll: PollArgs,
    /// How long to wait between polls, in milliseconds (a poll cut short by
    /// its request bound is followed at once).
    #[arg(long, default_value_t = 60_000)]
    interval_ms: u64,
}

impl WatchArgs {
    /// The poll each interval runs.
    pub fn poll(&self) -> &PollArgs {
        &self.poll
    }
}

/// The state file of a poll with no `--state` and no fleet: the
/// checkpoint's path with `.state` added.
pub fn state_file(args: &PollArgs) -> PathBuf {
    let mut p = args.checkpoint_file.clone().into_os_string();
    p.push(".state");
    PathBuf::from(p)
}

/// Runs one poll: events to stdout, then the checkpoint into its file.
pub async fn poll(client: &Client, args: &PollArgs) -> Result<(), Error> {
    let params = crate::input::json_arg("--params", &args.params)?;
    let more = poll_once(client, args, &params).await?;
    if more {
        eprintln!("more: the request bound cut this poll short; poll again");
    }
    Ok(())
}

/// Polls every `interval_ms` until Ctrl-C, as [`poll`] does each time. A
/// failed poll is reported on stderr and retried from the same checkpoint.
pub async fn watch(client: &Client, args: &WatchArgs) -> Result<(), Error> {
    let params = crate::input::json_arg("--params", &args.poll.params)?;
    // One listener for the whole watch: a Ctrl-C that arrives during a poll
    // is seen too (a listener made for each wait misses it). A poll it cuts
    // short has not moved its checkpoint, so the next run reports its events.
    let interrupted = tokio::signal::ctrl_c();
    tokio::pin!(interrupted);
    loop {
        let polled = tokio::select! {
            _ = &mut interrupted => return Ok(()),
            polled = poll_once(client, &args.poll, &params) => polled,
        };
        let wait = match polled {
            Ok(true) => 0,
            Ok(false) => args.interval_ms,
            Err(e) if e.code() == ErrorCode::InvalidArgument => return Err(e),
            Err(e) => {
                eprintln!(
                    "contacts: poll failed ({}), retrying: {e}",
                    e.code().as_str()
                );
                args.interval_ms
            }
        };
        tokio::select! {
            _ = &mut interrupted => return Ok(()),
            () = tokio::time::sleep(std::time::Duration::from_millis(wait)) => {}
        }
    }
}

/// One poll; returns whether it was cut short.
async fn poll_once(
    client: &Client,
    args: &PollArgs,
    params: &serde_json::Value,
) -> Result<bool, Error> {
    let checkpoint = read_checkpoint(&args.checkpoint_file)?;
    let outcome = client
        .poll(&args.triggers, params.clone(), checkpoint.as_deref())
        .await?;
    let mut stdout = std::io::stdout().lock();
    for event in &outcome.events {
        writeln!(stdout, "{event}").map_err(|e| crate::bulk::io_err("stdout", e))?;
    }
    stdout
        .flush()
        .map_err(|e| crate::bulk::io_err("stdout", e))?;
    drop(stdout);
    contacts_core::failpoint::reached("cli:poll-after-flush")?;
    write_checkpoint(&args.checkpoint_file, &outcome.checkpoint)?;
    Ok(outcome.more)
}

/// The checkpoint in `path`, or `None` when there is no file yet.
fn read_checkpoint(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| {
                Error::invalid_argument(format!(
                    "{}: the checkpoint is not UTF-8 (corrupt)",
                    path.display()
                ))
            })?;
            Ok(Some(text.trim_end().to_owned()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(crate::bulk::io_err(&path.display().to_string(), e)),
    }
}

/// Writes `checkpoint` to a new file beside `path`, syncs it, and renames
/// it into place (the old checkpoint stays whole until then).
fn write_checkpoint(path: &Path, checkpoint: &str) -> Result<(), Error> {
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".new");
    let tmp = PathBuf::from(tmp);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(checkpoint.as_bytes())?;
        f.write_all(b"\n")?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::File::open(dir)?.sync_all()?;
        }
        Ok(())
    };
    write().map_err(|e| crate::bulk::io_err(&path.display().to_string(), e))
}
