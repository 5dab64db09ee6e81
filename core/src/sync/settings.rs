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
        Ok(s)
    }

    /// The policy of field `label`.
    pub fn policy_of(&self, label: &str) -> FieldPolicy {
        self.fields.get(label).copied().unwrap_or(self.policy)
    }
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
