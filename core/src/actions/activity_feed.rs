//! `activity.feed`: a contact's notes, tasks and appointments as one list,
//! newest first, each `{type, id, at, title, body, status}`.
//!
//! `at` is RFC 3339 UTC (`2021-07-16T15:00:00.000Z`): a note's `dateAdded`;
//! a task's `dueDate`, or its `dateAdded` when it has none; an
//! appointment's `startTime`. The contacts service writes appointment times
//! as wall-clock times without an offset (`2021-07-16 11:00:00`), in the
//! calendar's time zone; HighLevel's calendar object names no zone, a
//! calendar's times are its location's (`locations.get` → `timezone`), so
//! that is the zone they are read in, unless `timeZone` is given. A time the
//! zone skips or repeats is read by [`crate::time::zones::utc_of_wall_clock`].
//!
//! Items sort by `at`, newest first, ties by id; an item whose time cannot
//! be read has `at: null` and comes last. `limit` applies after merging.
//! The three lists, and the location when appointments are asked for and no
//! `timeZone` is given, are read at once: one round trip.

use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use crate::time::{format_rfc3339_ms, parse_rfc3339_ms, parse_wall_clock_ms, zones};
use crate::{Error, ErrorCode, Result};
use futures_util::future::{join, try_join3};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;

/// The kinds of item, in the order `include` names them: the name, the
/// operation that lists them, and the field of its answer.
const KINDS: [(&str, &str, &str); 3] = [
    ("notes", "notes.list", "notes"),
    ("tasks", "tasks.list", "tasks"),
    ("appointments", "appointments.list", "events"),
];

/// The most items a feed returns.
const MAX_LIMIT: u64 = 1000;

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct ActivityFeed {
    /// The contact.
    contact_id: String,
    /// Which kinds of item to list (default: all three).
    include: Option<Vec<Kind>>,
    /// At most this many items, the newest (1 to 1000; default: all).
    limit: Option<u64>,
    /// The IANA time zone that offset-less times (a contact's appointments)
    /// are read in. Default: the location's, read with `locations.get`.
    time_zone: Option<String>,
    /// The location whose time zone is read (default: the credentials', or
    /// the appointment's own).
    location_id: Option<String>,
}

/// A kind of feed item.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
enum Kind {
    /// Notes.
    Notes,
    /// Tasks.
    Tasks,
    /// Appointments.
    Appointments,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct Feed {
    /// The items, newest first (ties by id; unreadable times last).
    items: Vec<FeedItem>,
    /// The zone offset-less times were read in, when there were any.
    time_zone: Option<String>,
}

/// One item of the feed.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct FeedItem {
    /// `note`, `task` or `appointment`.
    r#type: String,
    /// The note's, task's or appointment's id.
    id: String,
    /// When, RFC 3339 UTC; null when HighLevel gave no readable time.
    at: Option<String>,
    /// The task's or appointment's title (a note's, when it has one).
    title: Option<String>,
    /// The note's or task's body, or the appointment's notes (its
    /// `description` when it has none).
    body: Option<String>,
    /// A task's `completed` or `incomplete`; an appointment's status
    /// (`confirmed`, `cancelled`, …); null for a note.
    status: Option<String>,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<ActivityFeed>(),
        crate::schema::schema_of::<Feed>(),
    )
}

/// One item before its time is read: `when` as HighLevel wrote it.
struct Raw {
    kind: &'static str,
    id: String,
    when: Option<String>,
    title: Option<String>,
    body: Option<String>,
    status: Option<String>,
    location_id: Option<String>,
}

fn text_of(item: &Value, field: &str) -> Option<String> {
    item.get(field)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// The items of one list answer, of kind `KINDS[index]`.
fn raw_items(index: usize, answer: &Value) -> Vec<Raw> {
    let field = KINDS[index].2;
    let items = answer.get(field).and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .map(|item| {
            let text = |field: &str| text_of(item, field);
            let (kind, when, body, status) = match index {
                0 => ("note", text("dateAdded"), text("body"), None),
                1 => (
                    "task",
                    text("dueDate").or_else(|| text("dateAdded")),
                    text("body"),
                    Some(match item.get("completed") {
                        Some(Value::Bool(true)) => "completed".to_owned(),
                        _ => "incomplete".to_owned(),
                    }),
                ),
                _ => (
                    "appointment",
                    text("startTime"),
                    text("notes").or_else(|| text("description")),
                    text("appointmentStatus").or_else(|| text("status")),
                ),
            };
            Raw {
                kind,
                id: text("id").unwrap_or_default(),
                when,
                title: text("title"),
                body,
                status,
                location_id: text("locationId"),
            }
        })
        .collect()
}

/// The time zone named by a `locations.get` answer.
///
/// Errors: Decode when it names none the platform knows.
fn zone_of_location(answer: &Value, transport: &impl Transport) -> Result<String> {
    let zone = answer["location"]["timezone"].as_str().unwrap_or_default();
    if transport.zone_offset_s(zone, 0).is_none() {
        let id = answer["location"]["id"].as_str().unwrap_or("the location");
        return Err(Error::new(
            ErrorCode::Decode,
            format!(
                "activity.feed: {id} names no time zone this platform knows ({zone:?}), so its appointments' offset-less times cannot be read; pass timeZone"
            ),
        ));
    }
    Ok(zone.to_owned())
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let contact_id = super::text(&params, "contactId")?;
    let wanted = super::included("activity.feed", &params, KINDS.map(|(name, _, _)| name))?;
    let limit = match params.get("limit").and_then(Value::as_u64) {
        Some(n @ 1..=MAX_LIMIT) => Some(n as usize),
        Some(_) => {
            return Err(Error::invalid_argument(format!(
                "activity.feed: limit is 1 to {MAX_LIMIT}"
            )));
        }
        None => None,
    };
    let given_zone = params.get("timeZone").and_then(Value::as_str);
    if let Some(zone) = given_zone
        && driver.transport().zone_offset_s(zone, 0).is_none()
    {
        return Err(Error::invalid_argument(format!(
            "activity.feed: timeZone {zone:?} is not an IANA time zone this platform knows"
        )));
    }
    let known_location = super::location_of(
        driver,
        params.get("locationId").and_then(Value::as_str),
        "locationId",
    )
    .ok();
    let by_contact = json!({ "contactId": contact_id });
    let list = |i: usize| super::run_if(driver, wanted[i], KINDS[i].1, &by_contact);
    // The location is read beside the lists only when it will be needed (a
    // contact's appointment times carry no offset), and its failure matters
    // only then: a token without locations.readonly still gets notes and tasks.
    let early_location = super::run_if(
        driver,
        known_location.is_some() && given_zone.is_none() && wanted[2],
        "locations.get",
        &json!({ "locationId": known_location }),
    )?;
    let (lists, early_location) = join(
        try_join3(
            async { list(0)?.await.transpose() },
            async { list(1)?.await.transpose() },
            async { list(2)?.await.transpose() },
        ),
        early_location,
    )
    .await;
    let (notes, tasks, appointments) = lists?;

    let mut raw = Vec::new();
    for (index, answer) in [notes, tasks, appointments].into_iter().enumerate() {
        if let Some(answer) = answer {
            raw.extend(raw_items(index, &answer));
        }
    }

    let needs_zone = raw.iter().any(|r| {
        r.when
            .as_deref()
            .is_some_and(|w| parse_wall_clock_ms(w).is_some())
    });
    let zone = match (needs_zone, given_zone) {
        (false, _) => None,
        (true, Some(zone)) => Some(zone.to_owned()),
        (true, None) => {
            let answer = match early_location {
                Some(answer) => answer?,
                None => {
                    let location = raw.iter().find_map(|r| r.location_id.clone()).ok_or_else(|| {
                        Error::invalid_argument(
                            "activity.feed: offset-less times need a time zone: pass timeZone or locationId",
                        )
                    })?;
                    driver
                        .run(JsonCall::new(
                            "locations.get",
                            json!({ "locationId": location }),
                        )?)
                        .await?
                }
            };
            Some(zone_of_location(&answer, driver.transport())?)
        }
    };

    let transport = driver.transport();
    let mut items: Vec<(Option<i64>, Raw)> = raw
        .into_iter()
        .map(|r| {
            let at = r.when.as_deref().and_then(|w| {
                parse_rfc3339_ms(w).or_else(|| {
                    let zone = zone.as_deref()?;
                    zones::utc_of_wall_clock(parse_wall_clock_ms(w)?, |at| {
                        transport.zone_offset_s(zone, at)
                    })
                })
            });
            (at, r)
        })
        .collect();
    items.sort_by(|(a_at, a), (b_at, b)| {
        let by_time = match (a_at, b_at) {
            (Some(a), Some(b)) => b.cmp(a),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        };
        by_time.then_with(|| a.id.cmp(&b.id))
    });
    if let Some(limit) = limit {
        items.truncate(limit);
    }
    let items: Vec<Value> = items
        .into_iter()
        .map(|(at, r)| {
            json!({
                "type": r.kind,
                "id": r.id,
                "at": at.map(format_rfc3339_ms),
                "title": r.title,
                "body": r.body,
                "status": r.status,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("items".into(), Value::Array(items));
    if let Some(zone) = zone {
        out.insert("timeZone".into(), Value::String(zone));
    }
    Ok(Value::Object(out))
}
