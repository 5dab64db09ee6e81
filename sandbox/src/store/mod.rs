//! The in-memory data of every location and the Contacts API's behaviour on
//! it: response shapes of the official spec, with the real API's quirks
//! (`succeded`, `buiseness`, `meta` on `GET /contacts/`, `searchAfter` on
//! search results, 422 bodies whose `message` is an array).

use crate::auth::Principal;
use crate::seed;
use calendars::CalendarRecord;
use contacts_core::models::{
    Appointment, AppointmentNote, Association, Business, Contact, CustomFieldDefinition,
    CustomValue, LocationTag, Note, ObjectCustomField, Relation, Task, User,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet, HashMap};

mod appointments;
mod businesses;
mod calendars;
mod contact_model;
mod contacts;
mod custom_data;
mod directory;
mod engagement;
mod location;
mod notes;
mod search;
mod search_lag;
mod tags;
mod tasks;

/// The time zone of every seeded location and of its calendars: HighLevel's
/// calendar object names none, a calendar's times are its location's.
const SEEDED_TIME_ZONE: &str = "America/New_York";

/// An error response, shaped as HighLevel shapes them (fact sheet §6).
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: u16,
    /// The messages (a 422 sends them as an array).
    pub messages: Vec<String>,
    /// Extra top-level fields (e.g. `meta` of a duplicate refusal).
    pub extra: Map<String, Value>,
}

impl ApiError {
    /// An error with one message.
    pub fn new(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            messages: vec![message.into()],
            extra: Map::new(),
        }
    }

    /// A 422 with every message.
    pub fn validation(messages: Vec<String>) -> Self {
        ApiError {
            status: 422,
            messages,
            extra: Map::new(),
        }
    }

    fn not_found(what: &str) -> Self {
        ApiError::new(404, format!("{what} not found"))
    }

    /// The JSON body: `{statusCode, message, error}`.
    pub fn body(&self) -> Value {
        let error = match self.status {
            400 => "Bad Request",
            401 => "Unauthorized",
            403 => "Forbidden",
            404 => "Not Found",
            422 => "Unprocessable Entity",
            429 => "Too Many Requests",
            _ => "Internal Server Error",
        };
        let message = if self.status == 422 {
            json!(self.messages)
        } else {
            json!(self.messages.join("; "))
        };
        let mut v = json!({"statusCode": self.status, "message": message, "error": error});
        if let Some(m) = v.as_object_mut() {
            m.extend(self.extra.clone());
        }
        v
    }
}

/// A handler's answer: status and JSON body, or an error response.
pub type Reply = Result<(u16, Value), ApiError>;

/// One parsed request, as a handler sees it.
pub struct Req<'a> {
    /// Path parameters by template name (percent-decoded).
    pub path: &'a HashMap<String, String>,
    /// Query parameters (percent-decoded).
    pub query: &'a HashMap<String, String>,
    /// The JSON body (`Null` when there is none).
    pub body: &'a Value,
}

impl Req<'_> {
    fn path(&self, name: &str) -> &str {
        self.path.get(name).map(String::as_str).unwrap_or_default()
    }
    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .get(name)
            .map(String::as_str)
            .filter(|s| !s.is_empty())
    }
    fn body_str(&self, name: &str) -> Option<&str> {
        self.body.get(name).and_then(Value::as_str)
    }
}

/// A contact with everything that hangs off it.
#[derive(Clone, Serialize, Deserialize)]
struct Rec {
    contact: Contact,
    created_ms: i64,
    tasks: Vec<Task>,
    notes: Vec<Note>,
    appointments: Vec<Appointment>,
    campaigns: BTreeSet<String>,
    workflows: BTreeSet<String>,
}

/// One location (sub-account).
#[derive(Default, Serialize, Deserialize)]
struct Location {
    allow_duplicates: bool,
    /// How long a contact change takes to reach search (0: at once).
    #[serde(default)]
    search_lag_ms: i64,
    /// What search sees while it lags (`search_lag.rs`).
    #[serde(skip)]
    lagged: Option<search_lag::LaggedSearch>,
    /// Its IANA time zone, which its calendars' times are in
    /// ([`SEEDED_TIME_ZONE`] when a snapshot names none).
    #[serde(default)]
    time_zone: Option<String>,
    contacts: HashMap<String, Rec>,
    /// Every contact by `(dateUpdated, id)` (ms; none first), built by the
    /// first search sorted by `dateUpdated` and dropped by any operation
    /// but a search, so a page walk sorts the location once, not per page.
    #[serde(skip)]
    by_updated: Option<Vec<(i64, String)>>,
    businesses: BTreeMap<String, Business>,
    tags: BTreeMap<String, LocationTag>,
    custom_fields: Vec<CustomFieldDefinition>,
    #[serde(default)]
    calendars: BTreeMap<String, CalendarRecord>,
    /// Notes by appointment id.
    #[serde(default)]
    appointment_notes: BTreeMap<String, Vec<AppointmentNote>>,
    /// Custom object and company fields (v2), by id.
    #[serde(default)]
    object_fields: BTreeMap<String, ObjectCustomField>,
    #[serde(default)]
    custom_values: BTreeMap<String, CustomValue>,
    #[serde(default)]
    users: Vec<User>,
    #[serde(default)]
    associations: BTreeMap<String, Association>,
    #[serde(default)]
    relations: BTreeMap<String, Relation>,
    /// Which contact each appointment (by id) lives with.
    #[serde(skip)]
    event_contact: HashMap<String, String>,
    /// Creation order, the index `GET /contacts/` and default search walk.
    #[serde(skip)]
    order: BTreeSet<(i64, String)>,
    #[serde(skip)]
    by_email: HashMap<String, String>,
    #[serde(skip)]
    by_phone: HashMap<String, String>,
}

impl Location {
    /// Indexes every contact for duplicate checks and ordering; the ids, in
    /// no particular order.
    fn index_appointments(&mut self) {
        self.event_contact.clear();
        for (contact, rec) in &self.contacts {
            for a in &rec.appointments {
                if let Some(id) = &a.id {
                    self.event_contact.insert(id.clone(), contact.clone());
                }
            }
        }
    }

    fn index_all(&mut self) -> Vec<String> {
        let entries: Vec<(String, Contact, i64)> = self
            .contacts
            .iter()
            .map(|(id, r)| (id.clone(), r.contact.clone(), r.created_ms))
            .collect();
        entries
            .into_iter()
            .map(|(id, c, created)| {
                self.index(&id, &c, created);
                id
            })
            .collect()
    }

    fn index(&mut self, id: &str, rec_contact: &Contact, created_ms: i64) {
        self.order.insert((created_ms, id.to_string()));
        if let Some(e) = &rec_contact.email {
            self.by_email.insert(e.to_lowercase(), id.to_string());
        }
        // An additional email finds its contact too (that is how an upsert
        // reaches #337), after any contact whose primary it is.
        for e in contact_model::additional_emails(rec_contact) {
            self.by_email
                .entry(e.to_lowercase())
                .or_insert_with(|| id.to_string());
        }
        if let Some(p) = &rec_contact.phone {
            self.by_phone.insert(normalize_phone(p), id.to_string());
        }
    }

    fn unindex(&mut self, id: &str, c: &Contact, created_ms: i64) {
        self.order.remove(&(created_ms, id.to_string()));
        for e in c
            .email
            .iter()
            .cloned()
            .chain(contact_model::additional_emails(c))
        {
            if self.by_email.get(&e.to_lowercase()).map(String::as_str) == Some(id) {
                self.by_email.remove(&e.to_lowercase());
            }
        }
        if let Some(p) = &c.phone {
            if self.by_phone.get(&normalize_phone(p)).map(String::as_str) == Some(id) {
                self.by_phone.remove(&normalize_phone(p));
            }
        }
    }

    /// The contact whose phone is `phone` (compared by its digits).
    fn phone_owner(&self, phone: &str) -> Option<&str> {
        self.by_phone
            .get(&normalize_phone(phone))
            .map(String::as_str)
    }

    fn duplicate_of(
        &self,
        email: Option<&str>,
        phone: Option<&str>,
    ) -> Option<(&str, &'static str)> {
        if let Some(id) = email.and_then(|e| self.by_email.get(&e.to_lowercase())) {
            return Some((id, "email"));
        }
        phone
            .and_then(|p| self.by_phone.get(&normalize_phone(p)))
            .map(|id| (id.as_str(), "phone"))
    }
}

fn normalize_phone(p: &str) -> String {
    p.chars().filter(|c| c.is_ascii_digit()).collect()
}

/// Every location's data. Serializable for `--data`.
#[derive(Default, Serialize, Deserialize)]
pub struct Store {
    locations: BTreeMap<String, Location>,
    #[serde(skip)]
    contact_loc: HashMap<String, String>,
    counter: u64,
}

/// The custom fields every sandbox location defines.
fn default_custom_fields(location_id: &str) -> Vec<CustomFieldDefinition> {
    [
        ("cf_favourite_colour", "Favourite colour", "TEXT"),
        ("cf_score", "Score", "NUMERICAL"),
    ]
    .into_iter()
    .map(|(id, name, ty)| CustomFieldDefinition {
        id: Some(id.to_string()),
        name: Some(name.to_string()),
        field_key: Some(format!("contact.{}", id.trim_start_matches("cf_"))),
        data_type: Some(ty.to_string()),
        model: Some("contact".to_string()),
        extra: {
            let mut m = Map::new();
            m.insert("locationId".into(), json!(location_id));
            m
        },
        ..CustomFieldDefinition::default()
    })
    .collect()
}

impl Store {
    /// Rebuilds the indexes after loading from `--data`.
    pub fn reindex(&mut self) {
        self.contact_loc.clear();
        for (loc_id, loc) in &mut self.locations {
            loc.index_appointments();
            loc.set_search_lag(loc.search_lag_ms);
            for id in loc.index_all() {
                self.contact_loc.insert(id, loc_id.clone());
            }
        }
    }

    /// Creates `location_id` if it does not exist, with its own data: custom
    /// fields and values, a calendar, users, a company custom field and an
    /// association (deterministic ids, from the location id).
    pub fn ensure_location(&mut self, location_id: &str) {
        if self.locations.contains_key(location_id) {
            return;
        }
        let base = seed::hash_str(location_id);
        let id = |n: u64| seed::id20(seed::mix(base ^ n), seed::mix(base.wrapping_add(n)));
        let mut loc = Location {
            time_zone: Some(SEEDED_TIME_ZONE.to_string()),
            custom_fields: default_custom_fields(location_id),
            users: directory::seeded_users(location_id, |i| id(0x100 + i)),
            ..Location::default()
        };
        for (n, (cal_id, name)) in [
            ("cal_sandbox", "Demo calls"),
            (id(0x200).as_str(), "Onboarding"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut c = CalendarRecord::seeded(cal_id, location_id, name);
            if n == 1 {
                c.calendar.slot_duration = Some(60);
                c.calendar.slot_interval = Some(60);
            }
            loc.calendars.insert(cal_id.to_string(), c);
        }
        for (n, (name, value)) in [
            ("Booking link", "https://sandbox.example/book"),
            ("Support phone", "+14155550199"),
        ]
        .into_iter()
        .enumerate()
        {
            let value_id = id(0x300 + n as u64);
            loc.custom_values.insert(
                value_id.clone(),
                CustomValue {
                    id: Some(value_id),
                    name: Some(name.to_string()),
                    field_key: Some(format!(
                        "{{{{ custom_values.{} }}}}",
                        name.to_lowercase().replace(' ', "_")
                    )),
                    value: Some(value.to_string()),
                    location_id: Some(location_id.to_string()),
                    extra: Map::new(),
                },
            );
        }
        let field_id = id(0x400);
        loc.object_fields.insert(
            field_id.clone(),
            ObjectCustomField {
                id: Some(field_id),
                name: Some("Industry".into()),
                object_key: Some("business".into()),
                field_key: Some("business.industry".into()),
                data_type: Some("SINGLE_OPTIONS".into()),
                parent_id: Some(id(0x401)),
                location_id: Some(location_id.to_string()),
                options: Some(
                    ["Software", "Retail", "Health"]
                        .iter()
                        .map(|o| contacts_core::models::FieldOption {
                            key: o.to_lowercase(),
                            label: o.to_string(),
                            url: None,
                        })
                        .collect(),
                ),
                extra: {
                    let mut m = Map::new();
                    m.insert("showInForms".into(), json!(true));
                    m.insert("dateAdded".into(), json!(seed::iso(seed::SEED_EPOCH_MS)));
                    m.insert("dateUpdated".into(), json!(seed::iso(seed::SEED_EPOCH_MS)));
                    m
                },
            },
        );
        let association_id = id(0x500);
        loc.associations.insert(
            association_id.clone(),
            directory::seeded_association(location_id, association_id),
        );
        self.locations.insert(location_id.to_string(), loc);
    }

    /// Whether the location exists.
    pub fn has_location(&self, location_id: &str) -> bool {
        self.locations.contains_key(location_id)
    }

    /// Sets a location's "Allow Duplicate Contact" setting.
    pub fn set_allow_duplicates(&mut self, location_id: &str, allow: bool) {
        self.ensure_location(location_id);
        if let Some(l) = self.locations.get_mut(location_id) {
            l.allow_duplicates = allow;
        }
    }

    /// Sets how long a contact change takes to reach `location_id`'s search
    /// (0: at once, the default).
    /// Drops every location's `(dateUpdated, id)` index: contacts may have
    /// changed.
    pub(super) fn forget_search_indexes(&mut self) {
        for l in self.locations.values_mut() {
            l.by_updated = None;
        }
    }

    pub fn set_search_lag(&mut self, location_id: &str, lag_ms: u64) {
        self.forget_search_indexes();
        self.ensure_location(location_id);
        if let Some(l) = self.locations.get_mut(location_id) {
            l.set_search_lag(lag_ms.min(i64::MAX as u64) as i64);
        }
    }

    /// Sets the time zone a location's settings name (any text, as
    /// HighLevel's settings allow: a test may give one no platform knows).
    pub fn set_time_zone(&mut self, location_id: &str, zone: &str) {
        self.ensure_location(location_id);
        if let Some(l) = self.locations.get_mut(location_id) {
            l.time_zone = Some(zone.to_owned());
        }
    }

    /// Adds `count` deterministic contacts (with tasks, notes, appointments).
    pub fn seed(&mut self, location_id: &str, count: u64) {
        self.forget_search_indexes();
        self.ensure_location(location_id);
        let Some(loc) = self.locations.get_mut(location_id) else {
            return;
        };
        let start = loc.contacts.len() as u64;
        loc.contacts.reserve(count as usize);
        self.contact_loc.reserve(count as usize);
        for i in start..start + count {
            let s = seed::contact(location_id, i);
            let id = s.contact.id.clone().unwrap_or_default();
            loc.order.insert((s.created_ms, id.clone()));
            for a in &s.appointments {
                if let Some(event) = &a.id {
                    loc.event_contact.insert(event.clone(), id.clone());
                }
            }
            self.contact_loc.insert(id.clone(), location_id.to_string());
            loc.contacts.insert(
                id,
                Rec {
                    contact: s.contact,
                    created_ms: s.created_ms,
                    tasks: s.tasks,
                    notes: s.notes,
                    appointments: s.appointments,
                    campaigns: BTreeSet::new(),
                    workflows: BTreeSet::new(),
                },
            );
        }
        // Seeded emails and phones are unique by construction; index them for
        // duplicate checks only when the location is small enough to matter.
        if loc.by_email.len() + (count as usize) <= 200_000 {
            loc.index_all();
        }
    }

    /// How many contacts a location has.
    pub fn contact_count(&self, location_id: &str) -> usize {
        self.locations
            .get(location_id)
            .map_or(0, |l| l.contacts.len())
    }

    /// Every contact of a location as `contacts.get` answers it, as stored
    /// now (search's lag does not apply), in creation order: what a test
    /// compares a run's outcome with.
    pub fn contacts_now(&self, location_id: &str) -> Vec<serde_json::Value> {
        self.locations.get(location_id).map_or_else(Vec::new, |l| {
            l.order
                .iter()
                .filter_map(|(_, id)| l.contacts.get(id))
                .map(|r| contact_model::contact_json(&r.contact))
                .collect()
        })
    }

    /// The first seeded contact id of a location, if any (for demos and benches).
    pub fn first_contact_id(&self, location_id: &str) -> Option<String> {
        self.locations
            .get(location_id)?
            .order
            .iter()
            .next()
            .map(|(_, id)| id.clone())
    }

    fn new_id(&mut self) -> String {
        self.counter += 1;
        seed::id20(
            seed::mix(self.counter ^ 0xc0ff_ee00),
            seed::mix(self.counter),
        )
    }

    fn location(&mut self, who: &Principal, location_id: &str) -> Result<&mut Location, ApiError> {
        if location_id.is_empty() {
            return Err(ApiError::validation(vec![
                "locationId should not be empty".into(),
            ]));
        }
        check_location(who, location_id)?;
        self.locations
            .get_mut(location_id)
            .ok_or_else(|| ApiError::new(400, "Location not found"))
    }

    fn rec(&mut self, who: &Principal, contact_id: &str) -> Result<(&mut Rec, String), ApiError> {
        let loc_id = self
            .contact_loc
            .get(contact_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        check_location(who, &loc_id)?;
        let rec = self
            .locations
            .get_mut(&loc_id)
            .and_then(|l| l.contacts.get_mut(contact_id))
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        Ok((rec, loc_id))
    }

    /// Serves operation `op` (a catalog name) for `who`, recording the
    /// webhook events it causes in `events`. Each resource's operations live
    /// in their own file.
    pub fn handle(
        &mut self,
        op: &str,
        who: &Principal,
        req: &Req,
        now_ms: i64,
        base_url: &str,
        events: &mut Vec<Value>,
    ) -> Reply {
        let cx = Call {
            who,
            req,
            now_ms,
            base_url,
            events: &mut *events,
        };
        let reply = match op.split_once('.').map_or(op, |(resource, _)| resource) {
            "contacts" => self.contacts(op, cx),
            "tasks" => self.tasks(op, cx),
            "notes" => self.notes(op, cx),
            "tags" => self.tags(op, cx),
            "appointments" if op != "appointments.list" => self.calendar_events(op, cx),
            "appointments" | "followers" | "campaigns" | "workflows" => self.engagement(op, cx),
            "businesses" => self.businesses(op, cx),
            "locations" | "locationTags" => self.location_data(op, cx),
            "calendars" => self.calendars(op, cx),
            "appointmentNotes" => self.calendar_events(op, cx),
            "locationCustomFields" | "customFields" | "customValues" => self.custom_data(op, cx),
            "users" | "associations" | "relations" => self.directory(op, cx),
            _ => Err(unserved(op)),
        };
        if op != "contacts.search" {
            self.forget_search_indexes();
        }
        for (location_id, l) in &mut self.locations {
            if l.search_lags() {
                let mine: Vec<Value> = events
                    .iter()
                    .filter(|e| e["locationId"] == location_id.as_str())
                    .cloned()
                    .collect();
                l.note_contact_changes(&mine, now_ms);
            }
        }
        reply
    }
}

/// What a handler gets besides the store: who calls, the request, the time,
/// the public base URL (for next-page links) and where the webhook events it
/// causes go.
struct Call<'a> {
    who: &'a Principal,
    req: &'a Req<'a>,
    now_ms: i64,
    base_url: &'a str,
    events: &'a mut Vec<Value>,
}

/// The answer to an operation the sandbox does not serve.
fn unserved(op: &str) -> ApiError {
    ApiError::new(404, format!("Cannot serve {op}"))
}

/// 403 when a location-bound token reaches into another location.
pub fn check_location(who: &Principal, location_id: &str) -> Result<(), ApiError> {
    match &who.location_id {
        Some(l) if l != location_id => Err(ApiError::new(
            403,
            "The token does not have access to this location.",
        )),
        _ => Ok(()),
    }
}

fn trace_id(now_ms: i64) -> String {
    format!("{:016x}", seed::mix(now_ms as u64))
}

fn event(kind: &str, location_id: &str, payload: Value) -> Value {
    let mut v = payload;
    if let Some(m) = v.as_object_mut() {
        m.insert("type".into(), json!(kind));
        m.insert("locationId".into(), json!(location_id));
    }
    v
}

fn object(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::new(400, "Request body must be a JSON object"))
}

fn require_str(body: &Map<String, Value>, name: &str, errs: &mut Vec<String>) {
    match body.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => {}
        Some(Value::String(_)) | None | Some(Value::Null) => {
            errs.push(format!("{name} should not be empty"))
        }
        Some(_) => errs.push(format!("{name} must be a string")),
    }
}

fn string_list(body: &Map<String, Value>, name: &str) -> Result<Vec<String>, ApiError> {
    let list = body
        .get(name)
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::validation(vec![format!("{name} must be an array")]))?;
    list.iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::validation(vec![format!("each value in {name} must be a string")]))
}

fn parse_num(v: Option<&str>, default: usize) -> Result<usize, ApiError> {
    match v {
        None => Ok(default),
        Some(s) => s
            .parse()
            .map_err(|_| ApiError::validation(vec![format!("{s:?} is not a number")])),
    }
}

fn from_body<T: serde::de::DeserializeOwned>(body: &Map<String, Value>) -> Result<T, ApiError> {
    serde_json::from_value(Value::Object(body.clone()))
        .map_err(|e| ApiError::validation(vec![e.to_string()]))
}

fn merge_into(target: &mut Value, patch: &Map<String, Value>) {
    if let Some(t) = target.as_object_mut() {
        for (k, v) in patch {
            t.insert(k.clone(), v.clone());
        }
    }
}

/// `current` with the fields of `patch` replacing its own (an update).
fn patched<T: Serialize + serde::de::DeserializeOwned>(
    current: &T,
    patch: &Map<String, Value>,
) -> Result<T, ApiError> {
    let mut merged = json!(current);
    merge_into(&mut merged, patch);
    from_body(merged.as_object().unwrap_or(&Map::new()))
}

fn find<'a, T>(items: &'a [T], id: &str, key: impl Fn(&T) -> &Option<String>) -> Option<&'a T> {
    items.iter().find(|t| key(t).as_deref() == Some(id))
}

/// Removes and returns the item whose id is `id`, or a 404 naming `what`.
fn take<T>(
    items: &mut Vec<T>,
    id: &str,
    key: impl Fn(&T) -> &Option<String>,
    what: &str,
) -> Result<T, ApiError> {
    let i = items
        .iter()
        .position(|t| key(t).as_deref() == Some(id))
        .ok_or_else(|| ApiError::not_found(what))?;
    Ok(items.remove(i))
}
