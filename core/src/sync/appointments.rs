//! Appointments, from HighLevel to the host only: after a pass's contacts,
//! each calendar's events starting within `appointments.windowMs` either
//! side of now (`calendars.events`, one request per calendar, and one
//! `calendars.list` unless `appointments.calendarIds` names them) are
//! written to a third [`HostAdapter`] when they changed since the last
//! pass, each as a record naming its host contact through the id map.
//!
//! A host record is written with the appointment's id as its key
//! ([`HostWrite::key`]), so an adapter keyed on it (the bundled SQLite
//! table with TEXT ids) makes a replayed write land on the same record:
//! after a crash between the write and its link, the rerun writes it
//! again, never twice. An appointment whose contact is not linked yet is
//! left for a later pass. One synced earlier, of a calendar read, that
//! starts within the window and is no longer listed was deleted in
//! HighLevel: the host record is deleted under `deletes.fromHighLevel:
//! "propagate"`, kept under `"tombstone"`. The host's own edits to these
//! records are never read.

use super::host::{HostAdapter, HostWrite};
use super::report::AppointmentCounts;
use super::settings::{DeletePolicy, SyncSettings};
use super::state::{self, Keys};
use crate::driver::{Driver, Transport};
use crate::state::BoundStore;
use crate::triggers::calendars::{calendar_events, location_calendars};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::HashSet;

/// A host's appointments: their adapter, and the field of each record
/// that names its host contact.
#[derive(Clone, Copy)]
pub struct AppointmentHost<'a> {
    /// The host's appointment records.
    pub adapter: &'a dyn HostAdapter,
    /// The field naming the host contact (`member_id`).
    pub contact_field: &'a str,
}

/// The fields of a host appointment record besides its contact's, each
/// with the member of HighLevel's event it is read from.
pub const APPOINTMENT_FIELDS: [(&str, &str); 5] = [
    ("title", "title"),
    ("startTime", "startTime"),
    ("endTime", "endTime"),
    ("status", "appointmentStatus"),
    ("calendarId", "calendarId"),
];

/// What an appointment was when last written to the host:
/// `sync/<name>/a/<appointment id>`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct AppointmentLink {
    /// The host record.
    host: String,
    /// Its start, Unix ms (whether it is still in the window).
    start_ms: i64,
    /// The fields written.
    fields: Map<String, Value>,
}

/// The appointments stage of one pass.
pub(crate) struct AppointmentsStage<'a, T: Transport> {
    pub(crate) driver: &'a Driver<T>,
    pub(crate) store: &'a BoundStore,
    pub(crate) keys: &'a Keys,
    pub(crate) settings: &'a SyncSettings,
    pub(crate) host: AppointmentHost<'a>,
    pub(crate) location: &'a str,
    pub(crate) counts: &'a mut AppointmentCounts,
}

/// Appointment links read per page when looking for those gone.
const LINK_PAGE: usize = 500;

impl<T: Transport> AppointmentsStage<'_, T> {
    fn now(&self) -> u64 {
        self.driver.transport().now_ms()
    }

    /// Runs the stage.
    ///
    /// Errors: the first failing HighLevel read or host call; what was
    /// written before it stays linked.
    pub(crate) async fn run(&mut self) -> Result<()> {
        let calendars = match &self.settings.appointments.calendar_ids {
            Some(ids) => ids.clone(),
            None => location_calendars(self.driver, self.location).await?,
        };
        let now = self.now() as i64;
        let window = self.settings.appointments.window_ms;
        let (from, to) = (now.saturating_sub(window), now.saturating_add(window));
        let mut seen: HashSet<String> = HashSet::new();
        for calendar in &calendars {
            let events = calendar_events(self.driver, self.location, calendar, from, to).await?;
            for event in &events {
                let Some(id) = event["id"].as_str().filter(|s| !s.is_empty()) else {
                    continue;
                };
                self.counts.read += 1;
                seen.insert(id.to_owned());
                self.write(id, event).await?;
            }
        }
        self.gone(&calendars, &seen, from, to).await
    }

    /// Writes appointment `id` to the host if it changed since last written.
    async fn write(&mut self, id: &str, event: &Value) -> Result<()> {
        let contact = event["contactId"].as_str().unwrap_or_default();
        let indexed: Option<Value> = match contact {
            "" => None,
            c => state::read(self.store, &self.keys.contact(c), self.now()).await?,
        };
        let Some(host_contact) = indexed.as_ref().and_then(|v| v["h"].as_str()) else {
            self.counts.unlinked += 1;
            return Ok(());
        };
        let mut fields = Map::new();
        fields.insert(self.host.contact_field.to_owned(), json!(host_contact));
        for (field, member) in APPOINTMENT_FIELDS {
            fields.insert(field.to_owned(), event[member].clone());
        }
        let key = self.keys.appointment(id);
        let link: Option<AppointmentLink> = state::read(self.store, &key, self.now()).await?;
        if link.as_ref().is_some_and(|l| l.fields == fields) {
            return Ok(());
        }
        match link {
            Some(_) => self.counts.updated += 1,
            None => self.counts.created += 1,
        }
        if self.settings.dry_run {
            return Ok(());
        }
        let written = self
            .host
            .adapter
            .upsert(HostWrite {
                id: link.as_ref().map(|l| l.host.as_str()),
                key: id,
                fields: &fields,
                now_ms: self.now(),
            })
            .await?;
        super::host::check_host_id(&written.id).map_err(|why| {
            Error::invalid_argument(format!(
                "the appointments adapter's upsert answered a bad id: {why}"
            ))
        })?;
        let start_ms = event["startTime"]
            .as_str()
            .and_then(crate::time::parse_rfc3339_ms)
            .or_else(|| event["startTime"].as_i64())
            .unwrap_or_default();
        let link = AppointmentLink {
            host: written.id,
            start_ms,
            fields,
        };
        self.store
            .put(&key, &state::to_value(&link), None, self.now())
            .await?;
        Ok(())
    }

    /// Appointments written before, of a calendar read, starting within
    /// `[from, to]`, that HighLevel no longer lists: deleted (or kept, by
    /// the delete policy) in the host, their links dropped. Links of
    /// appointments that started before the window are dropped too: no
    /// pass reads them again.
    async fn gone(
        &mut self,
        calendars: &[String],
        seen: &HashSet<String>,
        from: i64,
        to: i64,
    ) -> Result<()> {
        let prefix = self.keys.appointments();
        let mut after = String::new();
        loop {
            let page = self
                .store
                .list_after(&prefix, &after, LINK_PAGE, self.now())
                .await?;
            let Some((last, _)) = page.last() else {
                return Ok(());
            };
            after = last.clone();
            for (key, held) in page {
                let id = &key[prefix.len()..];
                let Ok(link) = serde_json::from_value::<AppointmentLink>(held.value) else {
                    return Err(crate::state::state_error(format!(
                        "the sync state under {key} is corrupt"
                    )));
                };
                let read = link.fields["calendarId"]
                    .as_str()
                    .is_some_and(|c| calendars.iter().any(|x| x == c));
                let in_window = (from..=to).contains(&link.start_ms);
                if read && in_window && !seen.contains(id) {
                    let propagate = self.settings.highlevel_deletes == DeletePolicy::Propagate;
                    if propagate {
                        self.counts.deleted += 1;
                    }
                    if self.settings.dry_run {
                        continue;
                    }
                    if propagate {
                        self.host.adapter.delete(&link.host).await?;
                    }
                    self.store.delete(&key, self.now()).await?;
                } else if link.start_ms < from && !self.settings.dry_run {
                    self.store.delete(&key, self.now()).await?;
                }
            }
        }
    }
}
