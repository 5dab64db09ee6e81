//! Calendars and their free slots: open hours in the calendar's IANA zone,
//! a slot duration and interval, minus booked appointments and the past.

use super::{ApiError, Call, Location, Reply, Store, unserved};
use contacts_core::models::{Appointment, Calendar, OpenHours, OpenInterval};
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The longest free-slot range served, as the spec documents: 31 days.
const MAX_RANGE_MS: i64 = 31 * 86_400_000;

/// A calendar and the time zone its open hours are in.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct CalendarRecord {
    pub(super) calendar: Calendar,
    pub(super) time_zone: String,
}

impl CalendarRecord {
    /// The seeded calendar of every location: open 09:00–17:00 every day in
    /// its location's zone (America/New_York), 30-minute slots.
    pub(super) fn seeded(id: &str, location_id: &str, name: &str) -> CalendarRecord {
        CalendarRecord {
            calendar: Calendar {
                id: Some(id.to_string()),
                name: Some(name.to_string()),
                location_id: Some(location_id.to_string()),
                calendar_type: Some("event".into()),
                is_active: Some(true),
                slot_duration: Some(30),
                slot_duration_unit: Some("mins".into()),
                slot_interval: Some(30),
                slot_interval_unit: Some("mins".into()),
                slug: Some(name.to_lowercase().replace(' ', "-")),
                group_id: Some("grp_sandbox".into()),
                description: Some(format!("{name}, booked through the sandbox")),
                open_hours: Some(vec![OpenHours {
                    days_of_the_week: (0..7).collect(),
                    hours: vec![OpenInterval {
                        open_hour: 9,
                        open_minute: 0,
                        close_hour: 17,
                        close_minute: 0,
                    }],
                    extra: Map::new(),
                }]),
                extra: Map::new(),
            },
            time_zone: super::SEEDED_TIME_ZONE.into(),
        }
    }

    pub(super) fn tz(&self) -> TimeZone {
        TimeZone::get(&self.time_zone).unwrap_or(TimeZone::UTC)
    }

    /// How long one appointment lasts by default.
    pub(super) fn slot_ms(&self) -> i64 {
        let c = &self.calendar;
        minutes(c.slot_duration, c.slot_duration_unit.as_deref()) * 60_000
    }

    fn interval_ms(&self) -> i64 {
        let c = &self.calendar;
        match c.slot_interval {
            Some(_) => minutes(c.slot_interval, c.slot_interval_unit.as_deref()) * 60_000,
            None => self.slot_ms(),
        }
    }

    /// Every slot start (Unix ms) the open hours give in `[from, to]`.
    fn open_slots(&self, from: i64, to: i64) -> Vec<i64> {
        let tz = self.tz();
        let (Some(first), Some(last)) = (local_date(&tz, from), local_date(&tz, to)) else {
            return Vec::new();
        };
        let slot = SignedDuration::from_millis(self.slot_ms());
        let step = SignedDuration::from_millis(self.interval_ms().max(60_000));
        let mut out = Vec::new();
        let mut day = first;
        while day <= last {
            let weekday = day.weekday().to_sunday_zero_offset() as u8;
            let open_hours = self.calendar.open_hours.as_deref().unwrap_or_default();
            for interval in open_hours
                .iter()
                .filter(|o| o.days_of_the_week.contains(&weekday))
                .flat_map(|o| &o.hours)
            {
                let (Some(open), Some(close)) = (
                    at(day, interval.open_hour, interval.open_minute),
                    at(day, interval.close_hour, interval.close_minute),
                ) else {
                    continue;
                };
                let mut start = open;
                while start.checked_add(slot).is_ok_and(|end| end <= close) {
                    if let Some(ms) = earliest_instant(&tz, start)
                        && (from..=to).contains(&ms)
                    {
                        out.push(ms);
                    }
                    let Ok(next) = start.checked_add(step) else {
                        break;
                    };
                    start = next;
                }
            }
            match day.tomorrow() {
                Ok(next) => day = next,
                Err(_) => break,
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

fn minutes(n: Option<u32>, unit: Option<&str>) -> i64 {
    let n = i64::from(n.unwrap_or(30).max(1));
    if unit == Some("hours") { n * 60 } else { n }
}

fn local_date(tz: &TimeZone, ms: i64) -> Option<Date> {
    let instant = Timestamp::from_millisecond(ms).ok()?;
    Some(tz.to_datetime(instant).date())
}

/// The first instant (Unix ms) a local time names: the earlier one when a DST
/// fold repeats it, none when a DST gap skips it (no slot then).
fn earliest_instant(tz: &TimeZone, local: DateTime) -> Option<i64> {
    let offset = match tz.to_ambiguous_timestamp(local).offset() {
        AmbiguousOffset::Unambiguous { offset } => offset,
        AmbiguousOffset::Fold { before, .. } => before,
        AmbiguousOffset::Gap { .. } => return None,
    };
    Some(offset.to_timestamp(local).ok()?.as_millisecond())
}

/// `day` at `hour:minute` (24:00 is the next midnight).
fn at(day: Date, hour: u8, minute: u8) -> Option<DateTime> {
    let (day, hour) = match hour {
        24 => (day.tomorrow().ok()?, 0),
        _ => (day, hour),
    };
    let (hour, minute) = (i8::try_from(hour).ok()?, i8::try_from(minute).ok()?);
    DateTime::new(day.year(), day.month(), day.day(), hour, minute, 0, 0).ok()
}

/// `ms` as ISO 8601 in `tz`, with its offset (`2030-11-04T10:00:00-05:00`).
pub(super) fn iso_in(tz: &TimeZone, ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string()
        })
        .unwrap_or_default()
}

/// `ms` as a wall-clock time in `tz` without an offset
/// (`2021-07-16 11:00:00`): how the contacts service writes a contact's
/// appointments (`GetEventSchema`'s example).
fn wall_clock_in(tz: &TimeZone, ms: i64) -> String {
    Timestamp::from_millisecond(ms)
        .map(|t| {
            t.to_zoned_datetime(tz.clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string()
        })
        .unwrap_or_default()
}

/// Whether an appointment holds its time (a cancelled one frees it).
pub(super) fn holds_time(a: &Appointment) -> bool {
    a.appointment_status.as_deref() != Some("cancelled")
}

/// An appointment's `[start, end)` in Unix ms.
pub(super) fn span_of(a: &Appointment) -> Option<(i64, i64)> {
    let t = |s: &Option<String>| s.as_deref().and_then(contacts_core::time::parse_rfc3339_ms);
    Some((t(&a.start_time)?, t(&a.end_time)?))
}

impl Location {
    /// `appointments` as the contacts service lists them
    /// (`GET /contacts/{id}/appointments`): start and end as wall-clock
    /// times of their calendar's zone, carrying no offset, as HighLevel
    /// writes them there (the calendars service writes offsets).
    pub(super) fn contact_view(&self, appointments: &[Appointment]) -> Vec<Appointment> {
        appointments
            .iter()
            .map(|a| {
                let tz = a
                    .calendar_id
                    .as_deref()
                    .and_then(|id| self.calendars.get(id))
                    .map(CalendarRecord::tz)
                    .unwrap_or_else(|| {
                        TimeZone::get(self.time_zone.as_deref().unwrap_or(super::SEEDED_TIME_ZONE))
                            .unwrap_or(TimeZone::UTC)
                    });
                let wall = |t: &Option<String>| {
                    t.as_deref()
                        .and_then(contacts_core::time::parse_rfc3339_ms)
                        .map(|ms| wall_clock_in(&tz, ms))
                        .or_else(|| t.clone())
                };
                Appointment {
                    start_time: wall(&a.start_time),
                    end_time: wall(&a.end_time),
                    ..a.clone()
                }
            })
            .collect()
    }

    /// Every appointment of the location (they live with their contacts).
    pub(super) fn appointments(&self) -> impl Iterator<Item = &Appointment> {
        self.event_contact.iter().filter_map(|(event, contact)| {
            let rec = self.contacts.get(contact)?;
            rec.appointments
                .iter()
                .find(|a| a.id.as_deref() == Some(event.as_str()))
        })
    }

    /// The free slot starts of `calendar` in `[from, to]`: open slots that
    /// have not begun by `now_ms` and that no appointment of the calendar
    /// (but `except`) overlaps.
    pub(super) fn free_slots(
        &self,
        calendar: &CalendarRecord,
        from: i64,
        to: i64,
        now_ms: i64,
        except: Option<&str>,
    ) -> Vec<i64> {
        let id = calendar.calendar.id.as_deref();
        let taken: Vec<(i64, i64)> = self
            .appointments()
            .filter(|a| a.calendar_id.as_deref() == id && holds_time(a))
            .filter(|a| except.is_none() || a.id.as_deref() != except)
            .filter_map(span_of)
            .collect();
        let slot = calendar.slot_ms();
        calendar
            .open_slots(from, to)
            .into_iter()
            .filter(|s| *s >= now_ms)
            .filter(|s| !taken.iter().any(|(a, b)| *s < *b && *a < s + slot))
            .collect()
    }
}

impl Store {
    /// The location and record of calendar `id`, if `who` may see it.
    pub(super) fn calendar_of(
        &mut self,
        who: &crate::auth::Principal,
        id: &str,
    ) -> Result<(&mut Location, CalendarRecord), ApiError> {
        // Every location has a `cal_sandbox`: the caller's own comes first.
        let loc_id = self
            .locations
            .iter()
            .filter(|(_, l)| l.calendars.contains_key(id))
            .min_by_key(|(k, _)| super::check_location(who, k).is_err())
            .map(|(k, _)| k.clone())
            .ok_or_else(|| ApiError::new(400, "Calendar not found"))?;
        let loc = self.location(who, &loc_id)?;
        let record = loc.calendars[id].clone();
        Ok((loc, record))
    }

    /// Serves the `calendars` operations.
    pub(super) fn calendars(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who, req, now_ms, ..
        } = cx;
        match op {
            "calendars.list" => {
                let group = req.query("groupId").map(str::to_string);
                let loc = self.location(who, req.query("locationId").unwrap_or_default())?;
                let calendars: Vec<&Calendar> = loc
                    .calendars
                    .values()
                    .map(|c| &c.calendar)
                    .filter(|c| group.is_none() || c.group_id == group)
                    .collect();
                Ok((200, json!({"calendars": calendars})))
            }
            "calendars.get" => {
                let (_, record) = self.calendar_of(who, req.path("calendarId"))?;
                Ok((200, json!({"calendar": record.calendar})))
            }
            "calendars.freeSlots" => {
                let (from, to) = (
                    millis(req.query("startDate"), "startDate")?,
                    millis(req.query("endDate"), "endDate")?,
                );
                if to <= from {
                    return Err(ApiError::new(400, "endDate must be after startDate"));
                }
                if to - from > MAX_RANGE_MS {
                    return Err(ApiError::new(400, "Date range cannot be more than 31 days"));
                }
                let tz_name = req.query("timezone").map(str::to_string);
                let (loc, record) = self.calendar_of(who, req.path("calendarId"))?;
                let tz = match &tz_name {
                    // The core's name list decides (case-sensitive, as the API
                    // compares); jiff's lookup alone would take `america/new_york`.
                    Some(name) => contacts_core::time::is_time_zone(name)
                        .then(|| TimeZone::get(name).ok())
                        .flatten()
                        .ok_or_else(|| ApiError::new(400, format!("Invalid timezone {name}")))?,
                    None => record.tz(),
                };
                let mut days: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for ms in loc.free_slots(&record, from, to, now_ms, None) {
                    let text = iso_in(&tz, ms);
                    days.entry(text[..10].to_string()).or_default().push(text);
                }
                let body: Map<String, Value> = days
                    .into_iter()
                    .map(|(day, slots)| (day, json!({ "slots": slots })))
                    .collect();
                Ok((200, Value::Object(body)))
            }
            "calendars.events" => {
                let (from, to) = (
                    millis(req.query("startTime"), "startTime")?,
                    millis(req.query("endTime"), "endTime")?,
                );
                let by = |k: &str| req.query(k).map(str::to_string);
                let (calendar, user, group) = (by("calendarId"), by("userId"), by("groupId"));
                if calendar.is_none() && user.is_none() && group.is_none() {
                    return Err(ApiError::new(
                        400,
                        "One of calendarId, userId or groupId is required",
                    ));
                }
                let loc = self.location(who, req.query("locationId").unwrap_or_default())?;
                let mut events: Vec<&Appointment> = loc
                    .appointments()
                    .filter(|a| calendar.is_none() || a.calendar_id == calendar)
                    .filter(|a| user.is_none() || a.assigned_user_id == user)
                    .filter(|a| group.is_none() || a.group_id == group)
                    .filter(|a| span_of(a).is_some_and(|(s, e)| s < to && from < e))
                    .collect();
                events.sort_by_key(|a| span_of(a).map(|(s, _)| s));
                Ok((200, json!({ "events": events })))
            }
            other => Err(unserved(other)),
        }
    }
}

/// A required Unix-milliseconds query value.
fn millis(v: Option<&str>, name: &str) -> Result<i64, ApiError> {
    v.and_then(|s| s.parse::<f64>().ok())
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(|n| n as i64)
        .ok_or_else(|| ApiError::validation(vec![format!("{name} must be a number (Unix ms)")]))
}
