//! Polling triggers: `poll(triggers, params, checkpoint) → {events,
//! checkpoint}`, for hosts with no public URL, and to fill the gaps that
//! webhooks leave (HighLevel retries a delivery only on a 429).
//!
//! Each polled event has the shape of the webhook event of the same change
//! (the payload models of [`crate::webhooks`], with `type`) and the same
//! `dedupeId` ([`crate::webhooks::dedupe_id`]), so a host that takes both
//! sees each change once.
//!
//! How each family reads, and what it costs, is [`POLLED`]'s `cost`, the
//! catalog's cost table:
//! - **contacts** (`contacts.rs`): search sorted by `dateUpdated`
//!   ascending from the newest `dateUpdated` seen less an overlap window
//!   (search is eventually consistent), continued with `searchAfter`; each
//!   contact compared with its stored state, so the overlap reports nothing
//!   twice. Deletes have no signal: a scan of every id every
//!   `reconcileEveryMs`. Notes follow the contacts whose `dateUpdated`
//!   moved;
//! - **tasks** (`tasks.rs`): tasks search has no date filter, so every poll
//!   reads every task;
//! - **appointments** (`appointments.rs`): each calendar's events over a
//!   window either side of now.
//!
//! The first poll of a subscription (no checkpoint) is its baseline: it
//! reads what exists, reports nothing, and later polls report what changed
//! since. Every poll sends at most `maxRequests` requests; a poll cut short
//! says `more` and its checkpoint goes on where it stopped.
//!
//! Per-record state lives in the driver's state store ([`records`]), tied to
//! the checkpoint's generation, so a host that dies between a poll's return
//! and keeping its checkpoint gets the same events again from the old one.

mod appointments;
pub(crate) mod calendars;
mod checkpoint;
mod contacts;
mod records;
pub(crate) mod search;
mod tasks;

pub use checkpoint::MAX_CHECKPOINT_BYTES;

use crate::driver::{Driver, Transport};
use crate::{Error, Result};
use checkpoint::Checkpoint;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};

/// Which read a trigger comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Family {
    /// Contact search.
    Contacts,
    /// Notes of the contacts whose `dateUpdated` moved.
    Notes,
    /// Tasks search.
    Tasks,
    /// Calendar events.
    Appointments,
}

/// One polled trigger's facts.
#[derive(Debug)]
pub struct PolledTrigger {
    /// The event type it reports (a webhook `type`, or `TaskOverdue`).
    pub name: &'static str,
    /// The read it comes from.
    pub family: Family,
    /// Whether HighLevel also sends it by webhook.
    pub webhook: bool,
    /// What a poll costs, in requests.
    pub cost: &'static str,
    /// The webhook event type whose payload its events carry (its own
    /// name, but for a trigger only a poll reports).
    pub payload_like: &'static str,
    /// One line for people, for a trigger only a poll reports (the others'
    /// is their webhook event's).
    pub summary: &'static str,
}

impl PolledTrigger {
    /// The operations a poll of it may call.
    pub fn calls(&self) -> &'static [&'static str] {
        match self.family {
            Family::Contacts => &["contacts.search"],
            Family::Notes => &["contacts.search", "notes.list"],
            Family::Tasks => &["tasks.search"],
            Family::Appointments => &["calendars.list", "calendars.events"],
        }
    }

    /// Every OAuth scope its polls need: those of [`calls`](Self::calls).
    pub fn scopes(&self) -> Vec<&'static str> {
        crate::ops::by_name::scopes_of(self.calls())
    }

    /// Which group of the catalog it belongs to.
    pub fn category(&self) -> &'static str {
        match self.family {
            Family::Contacts => "contacts",
            Family::Notes => "notes",
            Family::Tasks => "tasks",
            Family::Appointments => "appointments",
        }
    }
}

const CONTACT_COST: &str = "1 request when idle; ⌈N / pageLimit⌉ + 1 for N changed contacts; the first poll (the baseline) reads every contact once";
const TASK_COST: &str = "⌈tasks / taskPageLimit⌉ per poll: tasks search has no date filter, so every poll reads every task";
const NOTE_COST: &str = "1 request per contact whose dateUpdated moved, on top of the contact read; a note added to an otherwise untouched contact is missed unless the contact's dateUpdated moves (HighLevel is not known to move it for a note), so take NoteCreate by webhook too";
const APPOINTMENT_COST: &str = "1 request per calendar per poll (calendarIds, or every calendar for 1 more request), over windowMs either side of now";

/// Every trigger a poll can take, in catalog order.
pub const POLLED: &[PolledTrigger] = &[
    PolledTrigger {
        name: "ContactCreate",
        family: Family::Contacts,
        webhook: true,
        cost: CONTACT_COST,
        payload_like: "ContactCreate",
        summary: "",
    },
    PolledTrigger {
        name: "ContactUpdate",
        family: Family::Contacts,
        webhook: true,
        cost: CONTACT_COST,
        payload_like: "ContactUpdate",
        summary: "",
    },
    PolledTrigger {
        name: "ContactTagUpdate",
        family: Family::Contacts,
        webhook: true,
        cost: CONTACT_COST,
        payload_like: "ContactTagUpdate",
        summary: "",
    },
    PolledTrigger {
        name: "ContactDelete",
        family: Family::Contacts,
        webhook: true,
        cost: "a scan of every contact every reconcileEveryMs (set by the host; 0 scans every poll), costing ⌈contacts / pageLimit⌉; free when webhooks feed it",
        payload_like: "ContactDelete",
        summary: "",
    },
    PolledTrigger {
        name: "TaskCreate",
        family: Family::Tasks,
        webhook: true,
        cost: TASK_COST,
        payload_like: "TaskCreate",
        summary: "",
    },
    PolledTrigger {
        name: "TaskComplete",
        family: Family::Tasks,
        webhook: true,
        cost: TASK_COST,
        payload_like: "TaskComplete",
        summary: "",
    },
    PolledTrigger {
        name: "TaskOverdue",
        family: Family::Tasks,
        webhook: false,
        cost: TASK_COST,
        payload_like: "TaskCreate",
        summary: prose!("A task is due and not completed (HighLevel sends no webhook for it)."),
    },
    PolledTrigger {
        name: "NoteCreate",
        family: Family::Notes,
        webhook: true,
        cost: NOTE_COST,
        payload_like: "NoteCreate",
        summary: "",
    },
    PolledTrigger {
        name: "NoteUpdate",
        family: Family::Notes,
        webhook: true,
        cost: NOTE_COST,
        payload_like: "NoteUpdate",
        summary: "",
    },
    PolledTrigger {
        name: "AppointmentCreate",
        family: Family::Appointments,
        webhook: true,
        cost: APPOINTMENT_COST,
        payload_like: "AppointmentCreate",
        summary: "",
    },
    PolledTrigger {
        name: "AppointmentUpdate",
        family: Family::Appointments,
        webhook: true,
        cost: APPOINTMENT_COST,
        payload_like: "AppointmentUpdate",
        summary: "",
    },
];

/// Triggers that only HighLevel's webhooks report (nothing the API lets a
/// poll observe): `(type, why)`.
pub const WEBHOOK_ONLY: &[(&str, &str)] = &[
    (
        "ContactDndUpdate",
        "search does not return dndSettings (#43)",
    ),
    ("NoteDelete", "a deleted note leaves no trace to read"),
    ("TaskDelete", "a deleted task leaves no trace to read"),
    (
        "AppointmentDelete",
        "a deleted appointment leaves no trace to read",
    ),
];

/// The polled trigger named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static PolledTrigger> {
    POLLED.iter().find(|t| t.name == name)
}

/// What a poll found.
#[derive(Clone, Debug, PartialEq)]
pub struct PollOutcome {
    /// The events, each with `type` and `dedupeId`, oldest change first
    /// within each read.
    pub events: Vec<Value>,
    /// The checkpoint to give the next poll (keep it only once the events
    /// are handled: a poll from the old one reports them again).
    pub checkpoint: String,
    /// Whether the request bound cut the poll short: poll again soon.
    pub more: bool,
    /// Requests the poll sent.
    pub requests: u64,
}

impl PollOutcome {
    /// `{events, checkpoint, more, requests}`, what the JSON surfaces return.
    pub fn to_json(&self) -> Value {
        json!({
            "events": self.events,
            "checkpoint": self.checkpoint,
            "more": self.more,
            "requests": self.requests,
        })
    }
}

/// A poll's params, read once.
#[derive(Clone, Debug)]
struct PollParams {
    location: String,
    subscription: Option<String>,
    max_requests: u64,
    overlap_ms: i64,
    reconcile_every_ms: u64,
    page_limit: u64,
    task_page_limit: u64,
    calendar_ids: Option<Vec<String>>,
    window_ms: u64,
}

/// The params a poll takes (the catalog's `settings.poll` schema describes
/// each; `core/tests/settings_schema.rs` holds the two to one set).
pub const POLL_PARAMS: &[&str] = &[
    "locationId",
    "subscription",
    "maxRequests",
    "overlapMs",
    "reconcileEveryMs",
    "pageLimit",
    "taskPageLimit",
    "calendarIds",
    "windowMs",
];

/// Checks poll params as a poll reads them (with the credentials' location
/// taken to be `"-"` when none is given), for hosts and tests that want
/// the refusal before polling.
///
/// Errors: InvalidArgument naming the param, as [`Driver::poll`] does.
pub fn check_params(params: &Value) -> Result<()> {
    read_params(params, Some("-")).map(drop)
}

/// The request bound of one poll.
pub(crate) struct Bound {
    max: u64,
    used: AtomicU64,
}

impl Bound {
    /// Takes one request, or says the bound is reached.
    pub fn take(&self) -> bool {
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |used| {
                (used < self.max).then_some(used + 1)
            })
            .is_ok()
    }
}

/// What every family's read gets.
pub(crate) struct PollContext<'a, T: Transport> {
    pub driver: &'a Driver<T>,
    pub store: &'a crate::state::BoundStore,
    pub location: &'a str,
    pub subscription: &'a str,
    pub generation: u64,
    pub now_ms: u64,
    pub bound: Bound,
    pub wanted: Vec<&'static str>,
    params: PollParams,
}

impl<T: Transport> PollContext<'_, T> {
    /// Whether the poll takes trigger `name`.
    pub fn wants(&self, name: &str) -> bool {
        self.wanted.contains(&name)
    }

    /// The records of `kind` of this subscription.
    pub fn records(&self, kind: &str) -> records::Records<'_> {
        records::Records::new(
            self.store,
            self.subscription,
            kind,
            self.generation,
            self.now_ms,
        )
    }
}

impl<T: Transport> Driver<T> {
    /// Polls `triggers` (one name, or several joined by commas) with JSON
    /// `params` (the catalog's `settings.poll`) from `checkpoint` (`None` for the first
    /// poll, the baseline, which reports nothing). Needs a state store
    /// ([`Driver::with_state`]).
    ///
    /// Errors: InvalidArgument, before anything is sent or stored, for an
    /// unknown or webhook-only trigger, bad params (a `maxRequests` of 0),
    /// or a checkpoint that is corrupt, too large, or of other triggers, a
    /// subscription or location; State without a store; then the first
    /// failing request's error. On any error the host keeps its checkpoint:
    /// state written meanwhile is not committed.
    pub async fn poll(
        &self,
        triggers: &str,
        params: Value,
        checkpoint: Option<&str>,
    ) -> Result<PollOutcome> {
        // Polling is background work: paced, and second to interactive calls.
        if self.lane() != crate::state::Lane::Background {
            return Box::pin(
                self.in_lane(crate::state::Lane::Background)
                    .poll(triggers, params, checkpoint),
            )
            .await;
        }
        let wanted = trigger_names(triggers)?;
        let credentials = self.engine().credentials_snapshot();
        let params = read_params(&params, credentials.location_id())?;
        let sorted: Vec<String> = wanted.iter().map(|t| t.to_string()).collect();
        let subscription = match &params.subscription {
            Some(s) => s.clone(),
            None => derived_subscription(&sorted),
        };
        let mut point = match checkpoint {
            None => Checkpoint {
                subscription: subscription.clone(),
                location: params.location.clone(),
                triggers: sorted.clone(),
                ..Checkpoint::default()
            },
            Some(text) => Checkpoint::decode(text)?,
        };
        if point.triggers != sorted {
            return Err(Error::invalid_argument(format!(
                "the checkpoint is for triggers {}, not {}",
                point.triggers.join(","),
                sorted.join(",")
            )));
        }
        if point.location != params.location {
            return Err(Error::invalid_argument(format!(
                "the checkpoint is for location {}, not {}",
                point.location, params.location
            )));
        }
        if point.subscription != subscription {
            return Err(Error::invalid_argument(format!(
                "the checkpoint is for subscription {}, not {subscription}",
                point.subscription
            )));
        }
        let store = self.state("polling triggers")?;
        store.check_owner(self.transport().now_ms()).await?;
        let cx = PollContext {
            driver: self,
            store,
            location: &params.location,
            subscription: &subscription,
            generation: point.generation,
            now_ms: self.transport().now_ms(),
            bound: Bound {
                max: params.max_requests,
                used: AtomicU64::new(0),
            },
            wanted: wanted.clone(),
            params: params.clone(),
        };
        let has = |family: Family| {
            wanted
                .iter()
                .any(|t| find(t).is_some_and(|p| p.family == family))
        };
        let mut events = Vec::new();
        let mut more = false;
        if has(Family::Contacts) || has(Family::Notes) {
            let (cursor, cut) = contacts::poll(&cx, point.contacts.take(), &mut events).await?;
            point.contacts = Some(cursor);
            more |= cut;
        }
        if has(Family::Tasks) {
            let (cursor, cut) = tasks::poll(&cx, point.tasks.take(), &mut events).await?;
            point.tasks = Some(cursor);
            more |= cut;
        }
        if has(Family::Appointments) {
            let (cursor, cut) =
                appointments::poll(&cx, point.appointments.take(), &mut events).await?;
            point.appointments = Some(cursor);
            more |= cut;
        }
        point.generation += 1;
        Ok(PollOutcome {
            events,
            checkpoint: point.encode()?,
            more,
            requests: cx.bound.used.load(Ordering::Relaxed),
        })
    }
}

/// The polled triggers `list` names (comma-separated), sorted, once each.
///
/// Errors: InvalidArgument for an empty list, an unknown name, or one that
/// only arrives by webhook (saying why).
fn trigger_names(list: &str) -> Result<Vec<&'static str>> {
    let mut names = Vec::new();
    for name in list.split(',').map(str::trim) {
        let trigger =
            find(name).ok_or_else(|| match WEBHOOK_ONLY.iter().find(|(t, _)| *t == name) {
                Some((_, why)) => {
                    Error::invalid_argument(format!("{name} arrives only by webhook: {why}"))
                }
                None => Error::invalid_argument(format!(
                    "unknown trigger {name:?}; polled triggers: {}",
                    POLLED.iter().map(|t| t.name).collect::<Vec<_>>().join(", ")
                )),
            })?;
        if !names.contains(&trigger.name) {
            names.push(trigger.name);
        }
    }
    names.sort_unstable();
    Ok(names)
}

fn derived_subscription(triggers: &[String]) -> String {
    let hash = Sha256::digest(triggers.join(",").as_bytes());
    let hex: String = hash[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("poll-{hex}")
}

/// Reads a poll's params by hand (each refusal names the param); the
/// location defaults to `credentials_location`.
fn read_params(params: &Value, credentials_location: Option<&str>) -> Result<PollParams> {
    let empty = Map::new();
    let map = match params {
        Value::Null => &empty,
        Value::Object(m) => m,
        other => {
            return Err(Error::invalid_argument(format!(
                "poll params are an object, not {other}"
            )));
        }
    };
    if let Some(key) = map.keys().find(|k| !POLL_PARAMS.contains(&k.as_str())) {
        return Err(Error::invalid_argument(format!(
            "poll params: unknown field `{key}`, expected one of {}",
            POLL_PARAMS.join(", ")
        )));
    }
    let int = |name: &str, default: u64, min: u64, max: u64| -> Result<u64> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(default),
            Some(v) => v
                .as_u64()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    Error::invalid_argument(format!(
                        "{name} is an integer from {min} to {max}, not {v}"
                    ))
                }),
        }
    };
    let text = |name: &str| -> Result<Option<String>> {
        match map.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) if !s.is_empty() => Ok(Some(s.clone())),
            Some(v) => Err(Error::invalid_argument(format!(
                "{name} is a non-empty string, not {v}"
            ))),
        }
    };
    let location = match text("locationId")? {
        Some(l) => l,
        None => credentials_location.map(str::to_owned).ok_or_else(|| {
            Error::invalid_argument("locationId is required (the credentials name no location)")
        })?,
    };
    let subscription = text("subscription")?;
    if let Some(s) = &subscription {
        let ok = s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return Err(Error::invalid_argument(format!(
                "subscription is 1 to 64 of A-Z a-z 0-9 . _ -, not {s:?}"
            )));
        }
    }
    let calendar_ids = match map.get("calendarIds") {
        None | Some(Value::Null) => None,
        Some(Value::Array(ids)) => Some(
            ids.iter()
                .map(|id| {
                    id.as_str()
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .ok_or_else(|| {
                            Error::invalid_argument(format!(
                                "calendarIds holds calendar ids, not {id}"
                            ))
                        })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
        Some(v) => {
            return Err(Error::invalid_argument(format!(
                "calendarIds is a list of calendar ids, not {v}"
            )));
        }
    };
    const DAY_MS: u64 = 86_400_000;
    Ok(PollParams {
        location,
        subscription,
        max_requests: int("maxRequests", 100, 1, 1_000_000)?,
        overlap_ms: int("overlapMs", 30_000, 0, 7 * DAY_MS)? as i64,
        reconcile_every_ms: int("reconcileEveryMs", 3_600_000, 0, 365 * DAY_MS)?,
        page_limit: int("pageLimit", 500, 1, 500)?,
        task_page_limit: int("taskPageLimit", 100, 1, 100)?,
        calendar_ids,
        window_ms: int("windowMs", 30 * DAY_MS, 1, 366 * DAY_MS)?,
    })
}

/// `record` (an API record as JSON) as the webhook event of type `kind`:
/// the fields its payload declares (read by the catalog's schema), with
/// `type`, `locationId` and `dedupeId`. A record with a field of another
/// type than the payload's keeps only its id.
pub(crate) fn event_of(kind: &str, location: &str, record: &Value) -> Value {
    let mut v = crate::schema::event_from_record(kind, record).unwrap_or_else(
        |_| json!({"type": kind, "id": record.get("id").cloned().unwrap_or(Value::Null)}),
    );
    if let Some(m) = v.as_object_mut() {
        m.insert("locationId".into(), json!(location));
    }
    with_type(kind, &v)
}

/// An event without its `type` and `dedupeId` (what state keeps).
pub(crate) fn strip(event: &Value) -> Value {
    let mut e = event.clone();
    if let Some(m) = e.as_object_mut() {
        m.remove("type");
        m.remove("dedupeId");
    }
    e
}

/// Stored event fields as an event of type `kind`, with its dedupe id.
pub(crate) fn with_type(kind: &str, fields: &Value) -> Value {
    let mut e = fields.clone();
    if let Some(m) = e.as_object_mut() {
        m.insert("type".into(), json!(kind));
    }
    let id = crate::webhooks::dedupe_id(&e);
    if let Some(m) = e.as_object_mut() {
        m.insert("dedupeId".into(), json!(id));
    }
    e
}

/// A record's `id`, when it has a non-empty one.
pub(crate) fn id_of(record: &Value) -> Option<&str> {
    record
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}
