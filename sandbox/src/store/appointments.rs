//! Appointments (the calendars service): booking into free slots, reading,
//! changing, deleting, and their notes. Each appointment lives with its
//! contact, so `GET /contacts/{id}/appointments` lists it too, and each
//! change is a signed AppointmentCreate / Update / Delete webhook.

use super::calendars::{iso_in, span_of};
use super::{ApiError, Call, Reply, Store, event, object, require_str, seed, unserved};
use contacts_core::models::{Appointment, AppointmentNote};
use serde_json::{Map, Value, json};

/// The sandbox's answer to a booking into a slot that is not free (taken,
/// outside open hours, or past). HighLevel's own wording is not documented;
/// this is the sandbox's.
pub const SLOT_UNAVAILABLE: &str = "The slot you have selected is no longer available.";

/// Why a booking into another location's calendar is refused: an
/// appointment stays in the calendars of its own location.
const CALENDAR_ELSEWHERE: &str = "Calendar not found in this location";

/// The appointment fields a booking or a change copies as given.
const COPIED: [&str; 6] = [
    "title",
    "appointmentStatus",
    "assignedUserId",
    "address",
    "meetingLocationType",
    "description",
];

impl Store {
    /// The location id and contact id of appointment `event_id`, if `who`
    /// may see it.
    fn appointment_owner(
        &mut self,
        who: &crate::auth::Principal,
        event_id: &str,
    ) -> Result<(String, String), ApiError> {
        let found = self.locations.iter().find_map(|(loc_id, l)| {
            l.event_contact
                .get(event_id)
                .map(|c| (loc_id.clone(), c.clone()))
        });
        let (loc_id, contact) = found.ok_or_else(|| ApiError::new(404, "Event not found"))?;
        self.location(who, &loc_id)?;
        Ok((loc_id, contact))
    }

    fn appointment_mut(&mut self, loc: &str, contact: &str, id: &str) -> Option<&mut Appointment> {
        self.locations
            .get_mut(loc)?
            .contacts
            .get_mut(contact)?
            .appointments
            .iter_mut()
            .find(|a| a.id.as_deref() == Some(id))
    }

    /// Serves the calendar-service `appointments` and `appointmentNotes`
    /// operations.
    pub(super) fn calendar_events(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            now_ms,
            events,
            ..
        } = cx;
        match op {
            "appointments.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                for name in ["calendarId", "locationId", "contactId", "startTime"] {
                    require_str(body, name, &mut errs);
                }
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let text = |k: &str| body.get(k).and_then(Value::as_str).unwrap_or_default();
                let loc_id = text("locationId").to_string();
                let contact_id = text("contactId").to_string();
                let (loc, calendar) = self.calendar_of(who, text("calendarId"))?;
                if calendar.calendar.location_id.as_deref() != Some(loc_id.as_str()) {
                    return Err(ApiError::new(400, CALENDAR_ELSEWHERE));
                }
                if !loc.contacts.contains_key(&contact_id) {
                    return Err(ApiError::new(400, "Contact not found"));
                }
                let (start, end) = times(body, None, calendar.slot_ms())?;
                let ignore = body.get("ignoreFreeSlotValidation") == Some(&json!(true));
                if !ignore
                    && !loc
                        .free_slots(&calendar, start, start, now_ms, None)
                        .contains(&start)
                {
                    return Err(ApiError::new(400, SLOT_UNAVAILABLE));
                }
                let assignee = loc.users.first().and_then(|u| u.id.clone());
                let tz = calendar.tz();
                let id = self.new_id();
                let mut appt = Appointment {
                    id: Some(id.clone()),
                    calendar_id: calendar.calendar.id.clone(),
                    title: calendar.calendar.name.clone(),
                    status: Some("booked".into()),
                    appointment_status: Some("confirmed".into()),
                    start_time: Some(iso_in(&tz, start)),
                    end_time: Some(iso_in(&tz, end)),
                    location_id: Some(loc_id.clone()),
                    contact_id: Some(contact_id.clone()),
                    group_id: calendar.calendar.group_id.clone(),
                    assigned_user_id: assignee,
                    users: Some(Vec::new()),
                    date_added: Some(seed::iso(now_ms)),
                    date_updated: Some(seed::iso(now_ms)),
                    ..Appointment::default()
                };
                copy_fields(&mut appt, body)?;
                let loc = self
                    .locations
                    .get_mut(&loc_id)
                    .ok_or_else(|| ApiError::new(400, "Location not found"))?;
                loc.event_contact.insert(id, contact_id.clone());
                if let Some(rec) = loc.contacts.get_mut(&contact_id) {
                    rec.appointments.push(appt.clone());
                }
                events.push(event(
                    "AppointmentCreate",
                    &loc_id,
                    json!({"appointment": appt}),
                ));
                Ok((200, json!(appt)))
            }
            "appointments.get" => {
                let id = req.path("eventId").to_string();
                let (loc, contact) = self.appointment_owner(who, &id)?;
                let appt = self
                    .appointment_mut(&loc, &contact, &id)
                    .ok_or_else(|| ApiError::new(404, "Event not found"))?;
                Ok((200, json!({"event": appt})))
            }
            "appointments.update" => {
                let id = req.path("eventId").to_string();
                let body = object(req.body)?.clone();
                let (loc_id, contact) = self.appointment_owner(who, &id)?;
                let current = self
                    .appointment_mut(&loc_id, &contact, &id)
                    .cloned()
                    .ok_or_else(|| ApiError::new(404, "Event not found"))?;
                let calendar_id = body
                    .get("calendarId")
                    .and_then(Value::as_str)
                    .or(current.calendar_id.as_deref())
                    .unwrap_or_default()
                    .to_string();
                // A calendar of another location is refused here: the token
                // reaches only the appointment's own location.
                let (loc, calendar) = self.calendar_of(who, &calendar_id)?;
                let mut appt = current.clone();
                if body.contains_key("startTime")
                    || body.contains_key("endTime")
                    || body.contains_key("calendarId")
                {
                    let (start, end) = times(&body, Some(&current), calendar.slot_ms())?;
                    let ignore = body.get("ignoreFreeSlotValidation") == Some(&json!(true));
                    let free = loc.free_slots(&calendar, start, start, now_ms, Some(&id));
                    if !ignore && !free.contains(&start) {
                        return Err(ApiError::new(400, SLOT_UNAVAILABLE));
                    }
                    appt.calendar_id = calendar.calendar.id.clone();
                    appt.start_time = Some(iso_in(&calendar.tz(), start));
                    appt.end_time = Some(iso_in(&calendar.tz(), end));
                }
                copy_fields(&mut appt, &body)?;
                appt.date_updated = Some(seed::iso(now_ms));
                if let Some(stored) = self.appointment_mut(&loc_id, &contact, &id) {
                    *stored = appt.clone();
                }
                events.push(event(
                    "AppointmentUpdate",
                    &loc_id,
                    json!({"appointment": appt}),
                ));
                Ok((200, json!(appt)))
            }
            "appointments.delete" => {
                let id = req.path("eventId").to_string();
                let (loc_id, contact) = self.appointment_owner(who, &id)?;
                let loc = self
                    .locations
                    .get_mut(&loc_id)
                    .ok_or_else(|| ApiError::new(404, "Event not found"))?;
                loc.event_contact.remove(&id);
                loc.appointment_notes.remove(&id);
                let rec = loc
                    .contacts
                    .get_mut(&contact)
                    .ok_or_else(|| ApiError::new(404, "Event not found"))?;
                let appt = super::take(&mut rec.appointments, &id, |a| &a.id, "Event")?;
                events.push(event(
                    "AppointmentDelete",
                    &loc_id,
                    json!({"appointment": appt}),
                ));
                Ok((201, json!({"succeeded": true})))
            }
            "appointmentNotes.list"
            | "appointmentNotes.create"
            | "appointmentNotes.update"
            | "appointmentNotes.delete" => {
                let appointment = req.path("appointmentId").to_string();
                let (loc_id, contact) = self.appointment_owner(who, &appointment)?;
                let note_id = req.path("noteId").to_string();
                let fresh_id = self.new_id();
                let loc = self
                    .locations
                    .get_mut(&loc_id)
                    .ok_or_else(|| ApiError::new(404, "Event not found"))?;
                let notes = loc.appointment_notes.entry(appointment).or_default();
                let body_text = || -> Result<String, ApiError> {
                    let body = object(req.body)?;
                    let mut errs = Vec::new();
                    require_str(body, "body", &mut errs);
                    if !errs.is_empty() {
                        return Err(ApiError::validation(errs));
                    }
                    Ok(body["body"].as_str().unwrap_or_default().to_string())
                };
                match op {
                    "appointmentNotes.list" => {
                        let limit = super::parse_num(req.query("limit"), 10)?;
                        let offset = super::parse_num(req.query("offset"), 0)?;
                        let page: Vec<&AppointmentNote> =
                            notes.iter().skip(offset).take(limit).collect();
                        let has_more = notes.len() > offset + page.len();
                        Ok((200, json!({"notes": page, "hasMore": has_more})))
                    }
                    "appointmentNotes.create" => {
                        let note = AppointmentNote {
                            id: Some(fresh_id),
                            body: Some(body_text()?),
                            user_id: req.body_str("userId").map(str::to_string),
                            contact_id: Some(contact),
                            date_added: Some(seed::iso(now_ms)),
                            extra: Map::new(),
                        };
                        notes.push(note.clone());
                        Ok((201, json!({"note": note})))
                    }
                    "appointmentNotes.update" => {
                        let text = body_text()?;
                        let note = notes
                            .iter_mut()
                            .find(|n| n.id.as_deref() == Some(note_id.as_str()))
                            .ok_or_else(|| ApiError::new(404, "Note not found"))?;
                        note.body = Some(text);
                        if let Some(user) = req.body_str("userId") {
                            note.user_id = Some(user.to_string());
                        }
                        Ok((200, json!({"note": note})))
                    }
                    _ => {
                        super::take(notes, &note_id, |n| &n.id, "Note")?;
                        Ok((200, json!({"success": true})))
                    }
                }
            }
            other => Err(unserved(other)),
        }
    }
}

/// The `[start, end)` a booking or change asks for: `startTime` (or the
/// current one), `endTime` or the slot duration after the start.
fn times(
    body: &Map<String, Value>,
    current: Option<&Appointment>,
    slot_ms: i64,
) -> Result<(i64, i64), ApiError> {
    let parse = |name: &str| -> Result<Option<i64>, ApiError> {
        match body.get(name).and_then(Value::as_str) {
            None => Ok(None),
            Some(s) => contacts_core::time::parse_rfc3339_ms(s)
                .map(Some)
                .ok_or_else(|| {
                    ApiError::validation(vec![format!("{name} must be an ISO 8601 date")])
                }),
        }
    };
    let was = current.and_then(span_of);
    let start = match (parse("startTime")?, was) {
        (Some(s), _) => s,
        (None, Some((s, _))) => s,
        (None, None) => {
            return Err(ApiError::validation(vec![
                "startTime should not be empty".into(),
            ]));
        }
    };
    let end = match parse("endTime")? {
        Some(e) => e,
        None if body.contains_key("startTime") => start + slot_ms,
        None => was.map_or(start + slot_ms, |(s, e)| start + (e - s)),
    };
    if end <= start {
        return Err(ApiError::new(400, "endTime must be after startTime"));
    }
    Ok((start, end))
}

/// Copies the fields a booking sets as given ([`COPIED`]) into `appt`.
fn copy_fields(appt: &mut Appointment, body: &Map<String, Value>) -> Result<(), ApiError> {
    let mut v = json!(appt);
    for name in COPIED {
        if let Some(value) = body.get(name).filter(|v| v.is_string()) {
            v[name] = value.clone();
        }
    }
    *appt = serde_json::from_value(v).map_err(|e| ApiError::validation(vec![e.to_string()]))?;
    Ok(())
}
