//! A sync's settings: its name, the conflict policy per field, what a
//! delete on each side does, and the read sizes. Read by hand from JSON, as
//! every shell gives them, each error naming its member.

use crate::{Error, Result};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// Who wins a field both sides changed since the last pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldPolicy {
    /// HighLevel's value is kept and written to the host.
    HighLevel,
    /// The host's value is kept and written to HighLevel.
    Host,
    /// The side changed last wins, by HighLevel's `dateUpdated` against
    /// the host's `updatedAt`; within the skew tolerance it is a conflict.
    Newest,
    /// Neither is written; the conflict is reported.
    Report,
}

impl FieldPolicy {
    /// Every policy, as settings name them.
    pub const ALL: [FieldPolicy; 4] = [
        FieldPolicy::HighLevel,
        FieldPolicy::Host,
        FieldPolicy::Newest,
        FieldPolicy::Report,
    ];

    /// Its JSON name: `highlevel`, `host`, `newest`, `report`.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldPolicy::HighLevel => "highlevel",
            FieldPolicy::Host => "host",
            FieldPolicy::Newest => "newest",
            FieldPolicy::Report => "report",
        }
    }

    fn parse(name: &str, at: &str) -> Result<FieldPolicy> {
        FieldPolicy::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{at}: {name:?} is not a policy (highlevel, host, newest, report)"
                ))
            })
    }
}

/// What a record deleted on one side does to the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeletePolicy {
    /// The other side's record is deleted too.
    Propagate,
    /// The other side's record is kept, and the pair is marked so that
    /// neither side's record is ever created again from the other.
    Tombstone,
}

impl DeletePolicy {
    /// Its JSON name: `propagate`, `tombstone`.
    pub fn as_str(self) -> &'static str {
        match self {
            DeletePolicy::Propagate => "propagate",
            DeletePolicy::Tombstone => "tombstone",
        }
    }

    fn parse(name: &str, at: &str) -> Result<DeletePolicy> {
        match name {
            "propagate" => Ok(DeletePolicy::Propagate),
            "tombstone" => Ok(DeletePolicy::Tombstone),
            other => Err(Error::invalid_argument(format!(
                "{at}: {other:?} is not a delete policy (propagate, tombstone)"
            ))),
        }
    }
}

/// The most contacts a search page returns.
pub const MAX_PAGE_LIMIT: u64 = 500;

/// A sync's settings (`{name, policy?, fields?, skewMs?, deletes?, ...}`).
#[derive(Clone, Debug, PartialEq)]
pub struct SyncSettings {
    /// The sync's name: its state lives under `sync/<name>/`.
    pub name: String,
    /// The policy of a field `fields` does not name (default `newest`).
    pub policy: FieldPolicy,
    /// Policies by field: a template field's target (`email`,
    /// `firstName,lastName`, `customFields["contact.hours"]`).
    pub fields: BTreeMap<String, FieldPolicy>,
    /// Within this many ms of each other, `newest` calls it a conflict
    /// (default 2,000).
    pub skew_ms: i64,
    /// A host record deleted: `propagate` (the default) deletes its contact.
    pub host_deletes: DeletePolicy,
    /// A HighLevel contact deleted: `tombstone` (the default) keeps the
    /// host's record and never recreates the contact.
    pub highlevel_deletes: DeletePolicy,
    /// Contacts per search page (1 to 500, default 500).
    pub page_limit: u64,
    /// Host records per changes call (default 500).
    pub host_page_limit: usize,
    /// How far before the newest `dateUpdated` seen a pass reads again,
    /// since search is eventually consistent (default 60,000).
    pub overlap_ms: i64,
    /// How often the delete scan reads every contact id (default a day).
    pub reconcile_every_ms: i64,
    /// How long a pass holds the sync's lease before renewing it (default
    /// 120,000): a pass that stalls longer loses it to another.
    pub lease_ms: u64,
    /// How long a pass waits for another pass's lease (default 120,000)
    /// before failing with STATE.
    pub lease_wait_ms: u64,
    /// Decide and report, write nothing and keep no state.
    pub dry_run: bool,
    /// Which appointments a pass with an appointments adapter writes to
    /// the host.
    pub appointments: AppointmentSettings,
}

/// Which appointments a sync reads (`appointments.rs`).
#[derive(Clone, Debug, PartialEq)]
pub struct AppointmentSettings {
    /// The calendars read (`None`: every calendar of the location, one
    /// `calendars.list` more per pass).
    pub calendar_ids: Option<Vec<String>>,
    /// Appointments starting within this many ms either side of now
    /// (default 30 days).
    pub window_ms: i64,
}

const KEYS: &[&str] = &[
    "name",
    "policy",
    "fields",
    "skewMs",
    "deletes",
    "pageLimit",
    "hostPageLimit",
    "overlapMs",
    "reconcileEveryMs",
    "leaseMs",
    "leaseWaitMs",
    "dryRun",
    "appointments",
];

impl SyncSettings {
    /// Settings with every default, for the sync `name`.
    pub fn named(name: &str) -> SyncSettings {
        SyncSettings {
            name: name.to_owned(),
            policy: FieldPolicy::Newest,
            fields: BTreeMap::new(),
            skew_ms: 2_000,
            host_deletes: DeletePolicy::Propagate,
            highlevel_deletes: DeletePolicy::Tombstone,
            page_limit: MAX_PAGE_LIMIT,
            host_page_limit: 500,
            overlap_ms: 60_000,
            reconcile_every_ms: 86_400_000,
            lease_ms: 120_000,
            lease_wait_ms: 120_000,
            dry_run: false,
            appointments: AppointmentSettings {
                calendar_ids: None,
                window_ms: 30 * 86_400_000,
            },
        }
    }

    /// Reads settings from JSON.
    ///
    /// Errors: InvalidArgument naming the member: an unknown one, a name
    /// that is not 1 to 64 letters, digits, `-` or `_`, an unknown policy,
    /// a number out of range.
    pub fn from_json(value: &Value) -> Result<SyncSettings> {
        let bad = |why: String| Error::invalid_argument(format!("sync settings: {why}"));
        let o = value
            .as_object()
            .ok_or_else(|| bad("must be an object".into()))?;
        if let Some(k) = o.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(bad(format!(
                "{k:?} is not a member; expected one of {}",
                KEYS.join(", ")
            )));
        }
        let name = o
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| bad("name: required, text".into()))?;
        if name.is_empty()
            || name.len() > 64
            || !name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        {
            return Err(bad(format!(
                "name: {name:?} is not 1 to 64 letters, digits, - or _"
            )));
        }
        let mut s = SyncSettings::named(name);
        if let Some(p) = o.get("policy") {
            let p = p
                .as_str()
                .ok_or_else(|| bad("policy: must be text".into()))?;
            s.policy = FieldPolicy::parse(p, "sync settings: policy")?;
        }
        if let Some(fields) = o.get("fields") {
            let fields = fields
                .as_object()
                .ok_or_else(|| bad("fields: must be an object of field to policy".into()))?;
            for (field, p) in fields {
                let at = format!("sync settings: fields[{field:?}]");
                let p = p
                    .as_str()
                    .ok_or_else(|| Error::invalid_argument(format!("{at}: must be text")))?;
                s.fields.insert(field.clone(), FieldPolicy::parse(p, &at)?);
            }
        }
        if let Some(d) = o.get("deletes") {
            read_deletes(d, &mut s)?;
        }
        let number = |key: &str, min: i64, max: i64| -> Result<Option<i64>> {
            match o.get(key) {
                None => Ok(None),
                Some(v) => match v.as_i64() {
                    Some(n) if (min..=max).contains(&n) => Ok(Some(n)),
                    _ => Err(bad(format!(
                        "{key}: must be a whole number from {min} to {max}"
                    ))),
                },
            }
        };
        if let Some(n) = number("skewMs", 0, 86_400_000)? {
            s.skew_ms = n;
        }
        if let Some(n) = number("pageLimit", 1, MAX_PAGE_LIMIT as i64)? {
            s.page_limit = n as u64;
        }
        if let Some(n) = number("hostPageLimit", 1, 10_000)? {
            s.host_page_limit = n as usize;
        }
        if let Some(n) = number("overlapMs", 0, 86_400_000)? {
            s.overlap_ms = n;
        }
        if let Some(n) = number("reconcileEveryMs", 0, 31 * 86_400_000)? {
            s.reconcile_every_ms = n;
        }
        if let Some(n) = number("leaseMs", 100, 3_600_000)? {
            s.lease_ms = n as u64;
        }
        if let Some(n) = number("leaseWaitMs", 0, 86_400_000)? {
            s.lease_wait_ms = n as u64;
        }
        match o.get("dryRun") {
            None => {}
            Some(Value::Bool(b)) => s.dry_run = *b,
            Some(_) => return Err(bad("dryRun: must be true or false".into())),
        }
        if let Some(a) = o.get("appointments") {
            read_appointments(a, &mut s.appointments)?;
        }
        Ok(s)
    }

    /// The policy of field `label`.
    pub fn policy_of(&self, label: &str) -> FieldPolicy {
        self.fields.get(label).copied().unwrap_or(self.policy)
    }
}

fn read_appointments(value: &Value, a: &mut AppointmentSettings) -> Result<()> {
    let at = "sync settings: appointments";
    let bad = |why: String| Error::invalid_argument(format!("{at}{why}"));
    let o = value
        .as_object()
        .ok_or_else(|| bad(": must be {calendarIds?, windowMs?}".into()))?;
    for (key, v) in o {
        match key.as_str() {
            "calendarIds" => {
                let ids = v
                    .as_array()
                    .ok_or_else(|| bad(".calendarIds: must be a list of calendar ids".into()))?;
                let mut out = Vec::with_capacity(ids.len());
                for (i, id) in ids.iter().enumerate() {
                    match id.as_str() {
                        Some(id) if super::host::check_host_id(id).is_ok() => {
                            out.push(id.to_owned())
                        }
                        _ => {
                            return Err(bad(format!(
                                ".calendarIds[{i}]: {id} is not a calendar id"
                            )));
                        }
                    }
                }
                a.calendar_ids = Some(out);
            }
            "windowMs" => match v.as_i64() {
                Some(n) if (60_000..=366 * 86_400_000).contains(&n) => a.window_ms = n,
                _ => {
                    return Err(bad(
                        ".windowMs: must be a whole number from 60000 to 31622400000".into(),
                    ));
                }
            },
            other => {
                return Err(bad(format!(
                    ": {other:?} is not a member; expected one of calendarIds, windowMs"
                )));
            }
        }
    }
    Ok(())
}

fn read_deletes(value: &Value, s: &mut SyncSettings) -> Result<()> {
    let at = "sync settings: deletes";
    let o: &Map<String, Value> = value.as_object().ok_or_else(|| {
        Error::invalid_argument(format!("{at}: must be {{fromHost?, fromHighLevel?}}"))
    })?;
    for (key, v) in o {
        if key != "fromHost" && key != "fromHighLevel" {
            return Err(Error::invalid_argument(format!(
                "{at}: {key:?} is not a member; expected one of fromHost, fromHighLevel"
            )));
        }
        let name = v
            .as_str()
            .ok_or_else(|| Error::invalid_argument(format!("{at}.{key}: must be text")))?;
        let policy = DeletePolicy::parse(name, &format!("{at}.{key}"))?;
        if key == "fromHost" {
            s.host_deletes = policy;
        } else {
            s.highlevel_deletes = policy;
        }
    }
    Ok(())
}

/// The host fields that tie a note or an appointment record to its host
/// contact, and that hold a note's body: how every surface names them,
/// read from `{"notes": {"contactField"?, "bodyField"?}, "appointments":
/// {"contactField"?}}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordFields {
    /// A note record's host contact (default `member_id`).
    pub note_contact: String,
    /// A note record's body (default `body`).
    pub note_body: String,
    /// An appointment record's host contact (default `member_id`).
    pub appointment_contact: String,
}

/// The default field naming a note's or an appointment's host contact.
pub const DEFAULT_CONTACT_FIELD: &str = "member_id";

/// The default field holding a note's body.
pub const DEFAULT_BODY_FIELD: &str = "body";

impl Default for RecordFields {
    fn default() -> Self {
        RecordFields {
            note_contact: DEFAULT_CONTACT_FIELD.into(),
            note_body: DEFAULT_BODY_FIELD.into(),
            appointment_contact: DEFAULT_CONTACT_FIELD.into(),
        }
    }
}

impl RecordFields {
    /// Reads the fields; Null is every default.
    ///
    /// Errors: InvalidArgument naming the member: an unknown one, or a
    /// name that is not 1 to 64 bytes of text.
    pub fn from_json(value: &Value) -> Result<RecordFields> {
        let mut out = RecordFields::default();
        if value.is_null() {
            return Ok(out);
        }
        let at = "record fields";
        let object = |v: &'_ Value, at: &str, keys: &[&str]| -> Result<Map<String, Value>> {
            let o = v
                .as_object()
                .ok_or_else(|| Error::invalid_argument(format!("{at}: must be an object")))?;
            if let Some(k) = o.keys().find(|k| !keys.contains(&k.as_str())) {
                return Err(Error::invalid_argument(format!(
                    "{at}: {k:?} is not a member; expected one of {}",
                    keys.join(", ")
                )));
            }
            Ok(o.clone())
        };
        let name = |o: &Map<String, Value>, key: &str, at: &str, slot: &mut String| -> Result<()> {
            match o.get(key) {
                None | Some(Value::Null) => Ok(()),
                Some(Value::String(s)) if !s.is_empty() && s.len() <= 64 => {
                    *slot = s.clone();
                    Ok(())
                }
                Some(_) => Err(Error::invalid_argument(format!(
                    "{at}.{key}: must be a field name, 1 to 64 bytes of text"
                ))),
            }
        };
        let top = object(value, at, &["notes", "appointments"])?;
        if let Some(n) = top.get("notes").filter(|v| !v.is_null()) {
            let at = "record fields: notes";
            let n = object(n, at, &["contactField", "bodyField"])?;
            name(&n, "contactField", at, &mut out.note_contact)?;
            name(&n, "bodyField", at, &mut out.note_body)?;
        }
        if let Some(a) = top.get("appointments").filter(|v| !v.is_null()) {
            let at = "record fields: appointments";
            let a = object(a, at, &["contactField"])?;
            name(&a, "contactField", at, &mut out.appointment_contact)?;
        }
        Ok(out)
    }
}
