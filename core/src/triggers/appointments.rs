//! The appointment triggers: each calendar's events starting within
//! `windowMs` either side of now, compared with their stored state:
//! - never seen, added after the subscription began: AppointmentCreate
//!   (one added earlier that moves into the window is only stored);
//! - a field of AppointmentUpdate's canonical fields changed:
//!   AppointmentUpdate.
//!
//! The calendars are `calendarIds`, or every calendar of the location (one
//! request more per poll). A read cut short by the request bound goes on
//! from its calendar in the next poll.

use super::calendars::{calendar_events, location_calendars};
use super::checkpoint::ScanCursor;
use super::{PollContext, id_of, with_type};
use crate::Result;
use crate::driver::Transport;
use crate::webhooks::same_fields;
use serde_json::{Value, json};

/// Reads appointments for the appointment triggers of `cx` from `cursor`
/// (`None`: the baseline), adding events to `out`. Returns the new cursor
/// and whether the request bound cut the read short.
pub(super) async fn poll<T: Transport>(
    cx: &PollContext<'_, T>,
    cursor: Option<ScanCursor>,
    out: &mut Vec<Value>,
) -> Result<(ScanCursor, bool)> {
    let mut cursor = cursor.unwrap_or_else(|| ScanCursor::starting(cx.now_ms));
    let calendars = match &cx.params.calendar_ids {
        Some(ids) => ids.clone(),
        None => {
            if !cx.bound.take() {
                return Ok((cursor, true));
            }
            location_calendars(cx.driver, cx.location).await?
        }
    };
    let records = cx.records("appointment");
    let window = cx.params.window_ms;
    while (cursor.position as usize) < calendars.len() {
        if !cx.bound.take() {
            return Ok((cursor, true));
        }
        let calendar = &calendars[cursor.position as usize];
        let (from, to) = (
            cx.now_ms.saturating_sub(window) as i64,
            cx.now_ms.saturating_add(window) as i64,
        );
        let events = calendar_events(cx.driver, cx.location, calendar, from, to).await?;
        for appointment in &events {
            let Some(id) = id_of(appointment) else {
                continue;
            };
            let entry = records.get(id).await?;
            let fields = json!({"locationId": cx.location, "appointment": appointment});
            if cursor.baselined {
                match &entry.committed {
                    None => {
                        let added = appointment["dateAdded"]
                            .as_str()
                            .and_then(crate::time::parse_rfc3339_ms);
                        let new = added.is_none_or(|a| a >= cursor.since_ms as i64);
                        if new && cx.wants("AppointmentCreate") {
                            out.push(with_type("AppointmentCreate", &fields));
                        }
                    }
                    Some(old) => {
                        if !same_fields("AppointmentUpdate", &old["e"], &fields)
                            && cx.wants("AppointmentUpdate")
                        {
                            out.push(with_type("AppointmentUpdate", &fields));
                        }
                    }
                }
            }
            let state = json!({"e": fields});
            if entry.committed.as_ref() != Some(&state) {
                records.set(id, &entry, Some(state));
            }
        }
        records.flush().await?;
        cursor.position += 1;
    }
    cursor.position = 0;
    cursor.baselined = true;
    Ok((cursor, false))
}
