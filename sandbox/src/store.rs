//! The in-memory data of every location and the Contacts API's behaviour on
//! it: response shapes of the official spec, with the real API's quirks
//! (`succeded`, `buiseness`, `meta` on `GET /contacts/`, `searchAfter` on
//! search results, 422 bodies whose `message` is an array).

use crate::auth::Principal;
use crate::seed;
use contacts_core::models::{
    Appointment, Business, Contact, CustomFieldDefinition, CustomFieldValue, LocationTag, Note,
    Task,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};

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
    contacts: HashMap<String, Rec>,
    businesses: BTreeMap<String, Business>,
    tags: BTreeMap<String, LocationTag>,
    custom_fields: Vec<CustomFieldDefinition>,
    /// Creation order, the index `GET /contacts/` and default search walk.
    #[serde(skip)]
    order: BTreeSet<(i64, String)>,
    #[serde(skip)]
    by_email: HashMap<String, String>,
    #[serde(skip)]
    by_phone: HashMap<String, String>,
}

impl Location {
    fn index(&mut self, id: &str, rec_contact: &Contact, created_ms: i64) {
        self.order.insert((created_ms, id.to_string()));
        if let Some(e) = &rec_contact.email {
            self.by_email.insert(e.to_lowercase(), id.to_string());
        }
        if let Some(p) = &rec_contact.phone {
            self.by_phone.insert(normalize_phone(p), id.to_string());
        }
    }

    fn unindex(&mut self, id: &str, c: &Contact, created_ms: i64) {
        self.order.remove(&(created_ms, id.to_string()));
        if let Some(e) = &c.email {
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
            let entries: Vec<(String, Contact, i64)> = loc
                .contacts
                .iter()
                .map(|(id, r)| (id.clone(), r.contact.clone(), r.created_ms))
                .collect();
            for (id, c, created) in entries {
                loc.index(&id, &c, created);
                self.contact_loc.insert(id, loc_id.clone());
            }
        }
    }

    /// Creates `location_id` if it does not exist.
    pub fn ensure_location(&mut self, location_id: &str) {
        self.locations
            .entry(location_id.to_string())
            .or_insert_with(|| Location {
                custom_fields: default_custom_fields(location_id),
                ..Location::default()
            });
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

    /// Adds `count` deterministic contacts (with tasks, notes, appointments).
    pub fn seed(&mut self, location_id: &str, count: u64) {
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
            let entries: Vec<(String, Contact, i64)> = loc
                .contacts
                .iter()
                .map(|(id, r)| (id.clone(), r.contact.clone(), r.created_ms))
                .collect();
            for (id, c, created) in entries {
                loc.index(&id, &c, created);
            }
        }
    }

    /// Books an appointment for a contact (what a calendar booking would do;
    /// the Contacts API itself has no way to create one). Returns it, with
    /// the AppointmentCreate event pushed.
    pub fn book_appointment(
        &mut self,
        contact_id: &str,
        title: &str,
        start_ms: i64,
        now_ms: i64,
        events: &mut Vec<Value>,
    ) -> Result<Appointment, ApiError> {
        let id = self.new_id();
        let loc_id = self
            .contact_loc
            .get(contact_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        let rec = self
            .locations
            .get_mut(&loc_id)
            .and_then(|l| l.contacts.get_mut(contact_id))
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        let appt = Appointment {
            id: Some(id),
            calendar_id: Some("cal_sandbox".into()),
            title: Some(title.to_string()),
            status: Some("booked".into()),
            appointment_status: Some("confirmed".into()),
            start_time: Some(seed::iso(start_ms)),
            end_time: Some(seed::iso(start_ms + 1_800_000)),
            location_id: Some(loc_id.clone()),
            contact_id: Some(contact_id.to_string()),
            date_added: Some(seed::iso(now_ms)),
            ..Appointment::default()
        };
        rec.appointments.push(appt.clone());
        events.push(event(
            "AppointmentCreate",
            &loc_id,
            json!({"appointment": appt}),
        ));
        Ok(appt)
    }

    /// How many contacts a location has.
    pub fn contact_count(&self, location_id: &str) -> usize {
        self.locations
            .get(location_id)
            .map_or(0, |l| l.contacts.len())
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

    /// Handles one catalog operation. Changes push their webhook events.
    pub fn handle(
        &mut self,
        op: &str,
        who: &Principal,
        req: &Req,
        now_ms: i64,
        base_url: &str,
        events: &mut Vec<Value>,
    ) -> Reply {
        match op {
            "contacts.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"contact": contact_json(&rec.contact)})))
            }
            "contacts.create" => self.create_contact(who, req.body, now_ms, false, events),
            "contacts.upsert" => self.upsert_contact(who, req.body, now_ms, events),
            "contacts.update" => {
                let body = object(req.body)?;
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let before = rec.contact.clone();
                let updated = merge_contact(&rec.contact, body, now_ms)?;
                let created = rec.created_ms;
                rec.contact = updated.clone();
                let l = self
                    .locations
                    .get_mut(&loc)
                    .ok_or_else(|| ApiError::not_found("Location"))?;
                l.unindex(req.path("contactId"), &before, created);
                l.index(req.path("contactId"), &updated, created);
                events.push(event("ContactUpdate", &loc, contact_json(&updated)));
                if before.tags != updated.tags {
                    events.push(event("ContactTagUpdate", &loc, contact_json(&updated)));
                }
                if before.dnd_settings != updated.dnd_settings || before.dnd != updated.dnd {
                    events.push(event("ContactDndUpdate", &loc, contact_json(&updated)));
                }
                Ok((
                    200,
                    json!({"succeded": true, "contact": contact_json(&updated)}),
                ))
            }
            "contacts.delete" => {
                let id = req.path("contactId").to_string();
                let (rec, loc) = self.rec(who, &id)?;
                let (c, created) = (rec.contact.clone(), rec.created_ms);
                if let Some(l) = self.locations.get_mut(&loc) {
                    l.unindex(&id, &c, created);
                    l.contacts.remove(&id);
                }
                self.contact_loc.remove(&id);
                events.push(event("ContactDelete", &loc, contact_json(&c)));
                Ok((200, json!({"succeded": true})))
            }
            "contacts.list" => self.list_contacts(who, req, base_url),
            "contacts.search" => self.search_contacts(who, req.body),
            "contacts.findDuplicate" => {
                let loc_id = req.query("locationId").unwrap_or_default().to_string();
                let l = self.location(who, &loc_id)?;
                let found = l
                    .duplicate_of(req.query("email"), req.query("number"))
                    .and_then(|(id, _)| l.contacts.get(id))
                    .map(|r| contact_json(&r.contact));
                Ok((200, json!({"contact": found})))
            }
            "contacts.listByBusiness" => {
                let loc_id = req.query("locationId").unwrap_or_default().to_string();
                let business_id = req.path("businessId").to_string();
                let limit = parse_num(req.query("limit"), 25)?;
                let skip = parse_num(req.query("skip"), 0)?;
                let l = self.location(who, &loc_id)?;
                let all: Vec<Value> = l
                    .order
                    .iter()
                    .filter_map(|(_, id)| l.contacts.get(id))
                    .filter(|r| r.contact.business_id.as_deref() == Some(business_id.as_str()))
                    .filter(|r| {
                        req.query("query")
                            .is_none_or(|q| matches_query(&r.contact, q))
                    })
                    .map(|r| search_item(&r.contact))
                    .collect();
                let count = all.len();
                let page: Vec<Value> = all.into_iter().skip(skip).take(limit).collect();
                Ok((200, json!({"contacts": page, "count": count})))
            }
            "contacts.bulkBusiness" => {
                let body = object(req.body)?;
                let loc_id = body
                    .get("locationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let ids = string_list(body, "ids")?;
                let business = body
                    .get("businessId")
                    .and_then(Value::as_str)
                    .map(str::to_string);
                self.location(who, &loc_id)?;
                let mut done = Vec::new();
                for id in ids {
                    if let Ok((rec, l)) = self.rec(who, &id) {
                        if l == loc_id {
                            rec.contact.business_id = business.clone();
                            done.push(id);
                        }
                    }
                }
                Ok((200, json!({"success": true, "ids": done})))
            }
            "tasks.list" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"tasks": rec.tasks})))
            }
            "tasks.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "title", &mut errs);
                require_str(body, "dueDate", &mut errs);
                if !body.get("completed").is_some_and(Value::is_boolean) {
                    errs.push("completed must be a boolean value".into());
                }
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let contact_id = req.path("contactId").to_string();
                let (rec, loc) = self.rec(who, &contact_id)?;
                let mut task: Task = from_body(body)?;
                task.id = Some(id);
                task.contact_id = Some(contact_id);
                task.date_added = Some(seed::iso(now_ms));
                rec.tasks.push(task.clone());
                events.push(event("TaskCreate", &loc, json!(task)));
                if task.completed == Some(true) {
                    events.push(event("TaskComplete", &loc, json!(task)));
                }
                Ok((201, json!({"task": task})))
            }
            "tasks.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                let task = find(&rec.tasks, req.path("taskId"), |t| &t.id)
                    .ok_or_else(|| ApiError::not_found("Task"))?;
                Ok((200, json!({"task": task})))
            }
            "tasks.update" | "tasks.complete" => {
                let body = object(req.body)?;
                if op == "tasks.complete" && !body.get("completed").is_some_and(Value::is_boolean) {
                    return Err(ApiError::validation(vec![
                        "completed must be a boolean value".into(),
                    ]));
                }
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let task_id = req.path("taskId");
                let task = rec
                    .tasks
                    .iter_mut()
                    .find(|t| t.id.as_deref() == Some(task_id))
                    .ok_or_else(|| ApiError::not_found("Task"))?;
                let was_completed = task.completed == Some(true);
                *task = patched(task, body)?;
                if !was_completed && task.completed == Some(true) {
                    events.push(event("TaskComplete", &loc, json!(task)));
                }
                Ok((200, json!({"task": task})))
            }
            "tasks.delete" => {
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let task = take(&mut rec.tasks, req.path("taskId"), |t| &t.id, "Task")?;
                events.push(event("TaskDelete", &loc, json!(task)));
                Ok((200, json!({"succeded": true})))
            }
            "tasks.search" => {
                let loc_id = req.path("locationId").to_string();
                let body = req.body.as_object().cloned().unwrap_or_default();
                let l = self.location(who, &loc_id)?;
                let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(25) as usize;
                let skip = body.get("skip").and_then(Value::as_u64).unwrap_or(0) as usize;
                let contacts = body.get("contactId").and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect::<BTreeSet<_>>()
                });
                let completed = body.get("completed").and_then(Value::as_bool);
                let query = body
                    .get("query")
                    .and_then(Value::as_str)
                    .map(str::to_lowercase);
                let tasks: Vec<&Task> = l
                    .order
                    .iter()
                    .filter_map(|(_, id)| l.contacts.get(id))
                    .filter(|r| {
                        contacts
                            .as_ref()
                            .is_none_or(|c| r.contact.id.as_ref().is_some_and(|id| c.contains(id)))
                    })
                    .flat_map(|r| r.tasks.iter())
                    .filter(|t| completed.is_none_or(|c| t.completed == Some(c)))
                    .filter(|t| {
                        query.as_ref().is_none_or(|q| {
                            t.title.as_deref().unwrap_or("").to_lowercase().contains(q)
                        })
                    })
                    .skip(skip)
                    .take(limit)
                    .collect();
                Ok((200, json!({"tasks": tasks})))
            }
            "notes.list" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"notes": rec.notes})))
            }
            "notes.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "body", &mut errs);
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let contact_id = req.path("contactId").to_string();
                let (rec, loc) = self.rec(who, &contact_id)?;
                let mut note: Note = from_body(body)?;
                note.id = Some(id);
                note.contact_id = Some(contact_id);
                note.date_added = Some(seed::iso(now_ms));
                rec.notes.push(note.clone());
                events.push(event("NoteCreate", &loc, json!(note)));
                Ok((201, json!({"note": note})))
            }
            "notes.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                let note = find(&rec.notes, req.path("id"), |n| &n.id)
                    .ok_or_else(|| ApiError::not_found("Note"))?;
                Ok((200, json!({"note": note})))
            }
            "notes.update" => {
                let body = object(req.body)?;
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let id = req.path("id");
                let note = rec
                    .notes
                    .iter_mut()
                    .find(|n| n.id.as_deref() == Some(id))
                    .ok_or_else(|| ApiError::not_found("Note"))?;
                *note = patched(note, body)?;
                events.push(event("NoteUpdate", &loc, json!(note)));
                Ok((200, json!({"note": note})))
            }
            "notes.delete" => {
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let note = take(&mut rec.notes, req.path("id"), |n| &n.id, "Note")?;
                events.push(event("NoteDelete", &loc, json!(note)));
                Ok((200, json!({"succeded": true})))
            }
            "appointments.list" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"events": rec.appointments})))
            }
            "tags.add" | "tags.remove" => {
                let body = object(req.body)?;
                let tags = string_list(body, "tags")?;
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                if op == "tags.add" {
                    for t in tags {
                        if !rec.contact.tags.contains(&t) {
                            rec.contact.tags.push(t);
                        }
                    }
                } else {
                    rec.contact.tags.retain(|t| !tags.contains(t));
                }
                rec.contact.date_updated = Some(seed::iso(now_ms));
                events.push(event("ContactTagUpdate", &loc, contact_json(&rec.contact)));
                let status = if op == "tags.add" { 201 } else { 200 };
                Ok((status, json!({"tags": rec.contact.tags})))
            }
            "tags.bulkUpdate" => self.bulk_tags(who, req, now_ms, events),
            "followers.add" | "followers.remove" => {
                let body = object(req.body)?;
                let followers = string_list(body, "followers")?;
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                let current = rec.contact.followers.get_or_insert_with(Vec::new);
                let mut changed = Vec::new();
                for f in followers {
                    let present = current.contains(&f);
                    if op == "followers.add" && !present {
                        current.push(f.clone());
                        changed.push(f);
                    } else if op == "followers.remove" && present {
                        current.retain(|x| x != &f);
                        changed.push(f);
                    }
                }
                Ok(if op == "followers.add" {
                    (
                        201,
                        json!({"followers": current, "followersAdded": changed}),
                    )
                } else {
                    (
                        200,
                        json!({"followers": current, "followersRemoved": changed}),
                    )
                })
            }
            "campaigns.add" => {
                let campaign = req.path("campaignId").to_string();
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                rec.campaigns.insert(campaign);
                Ok((201, json!({"succeded": true})))
            }
            "campaigns.remove" => {
                let campaign = req.path("campaignId").to_string();
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                rec.campaigns.remove(&campaign);
                Ok((200, json!({"succeded": true})))
            }
            "campaigns.removeAll" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                rec.campaigns.clear();
                Ok((200, json!({"succeded": true})))
            }
            "workflows.add" | "workflows.remove" => {
                let workflow = req.path("workflowId").to_string();
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                if op == "workflows.add" {
                    rec.workflows.insert(workflow);
                } else {
                    rec.workflows.remove(&workflow);
                }
                Ok((200, json!({"succeded": true})))
            }
            "businesses.list" => {
                let loc_id = req.query("locationId").unwrap_or_default().to_string();
                let limit = parse_num(req.query("limit"), 100)?;
                let skip = parse_num(req.query("skip"), 0)?;
                let l = self.location(who, &loc_id)?;
                let list: Vec<&Business> = l.businesses.values().skip(skip).take(limit).collect();
                Ok((200, json!({"businesses": list})))
            }
            "businesses.get" | "businesses.update" | "businesses.delete" => {
                let id = req.path("businessId").to_string();
                let loc_id = self
                    .locations
                    .iter()
                    .find(|(_, l)| l.businesses.contains_key(&id))
                    .map(|(k, _)| k.clone())
                    .ok_or_else(|| ApiError::not_found("Business"))?;
                let l = self.location(who, &loc_id)?;
                match op {
                    "businesses.get" => Ok((200, json!({"business": l.businesses.get(&id)}))),
                    "businesses.delete" => {
                        l.businesses.remove(&id);
                        Ok((200, json!({"success": true})))
                    }
                    _ => {
                        let body = object(req.body)?;
                        let b = l
                            .businesses
                            .get_mut(&id)
                            .ok_or_else(|| ApiError::not_found("Business"))?;
                        *b = patched(b, body)?;
                        b.updated_at = Some(seed::iso(now_ms));
                        Ok((200, json!({"success": true, "buiseness": b})))
                    }
                }
            }
            "businesses.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "name", &mut errs);
                require_str(body, "locationId", &mut errs);
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let loc_id = body
                    .get("locationId")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                let l = self.location(who, &loc_id)?;
                let mut b: Business = from_body(body)?;
                b.id = Some(id.clone());
                b.created_at = Some(seed::iso(now_ms));
                b.updated_at = b.created_at.clone();
                l.businesses.insert(id, b.clone());
                Ok((201, json!({"success": true, "buiseness": b})))
            }
            "locationTags.list" => {
                let l = self.location(who, req.path("locationId"))?;
                Ok((200, json!({"tags": l.tags.values().collect::<Vec<_>>()})))
            }
            "locationTags.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "name", &mut errs);
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let loc_id = req.path("locationId").to_string();
                let l = self.location(who, &loc_id)?;
                let tag = LocationTag {
                    id: Some(id.clone()),
                    name: body.get("name").and_then(Value::as_str).map(str::to_string),
                    location_id: Some(loc_id),
                    extra: Map::new(),
                };
                l.tags.insert(id, tag.clone());
                Ok((200, json!({"tag": tag})))
            }
            "locationTags.get" | "locationTags.update" | "locationTags.delete" => {
                let tag_id = req.path("tagId").to_string();
                let name = req.body_str("name").map(str::to_string);
                let l = self.location(who, req.path("locationId"))?;
                match op {
                    "locationTags.get" => {
                        let tag = l
                            .tags
                            .get(&tag_id)
                            .ok_or_else(|| ApiError::not_found("Tag"))?;
                        Ok((200, json!({"tag": tag})))
                    }
                    "locationTags.delete" => {
                        l.tags
                            .remove(&tag_id)
                            .ok_or_else(|| ApiError::not_found("Tag"))?;
                        Ok((200, json!({"succeded": true})))
                    }
                    _ => {
                        let tag = l
                            .tags
                            .get_mut(&tag_id)
                            .ok_or_else(|| ApiError::not_found("Tag"))?;
                        let name = name.ok_or_else(|| {
                            ApiError::validation(vec!["name should not be empty".into()])
                        })?;
                        tag.name = Some(name);
                        Ok((200, json!({"tag": tag})))
                    }
                }
            }
            "customFields.list" => {
                let model = req.query("model").unwrap_or("all").to_string();
                let l = self.location(who, req.path("locationId"))?;
                let fields: Vec<&CustomFieldDefinition> = l
                    .custom_fields
                    .iter()
                    .filter(|f| model == "all" || f.model.as_deref() == Some(model.as_str()))
                    .collect();
                Ok((200, json!({"customFields": fields})))
            }
            other => Err(ApiError::new(404, format!("Cannot serve {other}"))),
        }
    }

    fn create_contact(
        &mut self,
        who: &Principal,
        body: &Value,
        now_ms: i64,
        force_new: bool,
        events: &mut Vec<Value>,
    ) -> Reply {
        let body = object(body)?;
        let loc_id = body
            .get("locationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let mut contact = contact_from_body(body)?;
        let l = self.location(who, &loc_id)?;
        if !l.allow_duplicates && !force_new {
            if let Some((id, field)) =
                l.duplicate_of(contact.email.as_deref(), contact.phone.as_deref())
            {
                let mut e = ApiError::new(400, "This location does not allow duplicated contacts.");
                e.extra.insert(
                    "meta".into(),
                    json!({"contactId": id, "matchingField": field}),
                );
                return Err(e);
            }
        }
        let id = self.new_id();
        contact.id = Some(id.clone());
        contact.location_id = Some(loc_id.clone());
        contact.date_added = Some(seed::iso(now_ms));
        contact.date_updated = contact.date_added.clone();
        contact.contact_type.get_or_insert_with(|| "lead".into());
        let l = self
            .locations
            .get_mut(&loc_id)
            .ok_or_else(|| ApiError::not_found("Location"))?;
        l.index(&id, &contact, now_ms);
        l.contacts.insert(
            id.clone(),
            Rec {
                contact: contact.clone(),
                created_ms: now_ms,
                tasks: Vec::new(),
                notes: Vec::new(),
                appointments: Vec::new(),
                campaigns: BTreeSet::new(),
                workflows: BTreeSet::new(),
            },
        );
        self.contact_loc.insert(id, loc_id.clone());
        events.push(event("ContactCreate", &loc_id, contact_json(&contact)));
        Ok((201, json!({"contact": contact_json(&contact)})))
    }

    /// Upsert by the duplicate rules of fact sheet §3: email first, then
    /// phone; a location that allows duplicates and a request with
    /// `createNewIfDuplicateAllowed` always creates.
    fn upsert_contact(
        &mut self,
        who: &Principal,
        body: &Value,
        now_ms: i64,
        events: &mut Vec<Value>,
    ) -> Reply {
        let obj = object(body)?;
        let loc_id = obj
            .get("locationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let email = obj.get("email").and_then(Value::as_str).map(str::to_string);
        let phone = obj.get("phone").and_then(Value::as_str).map(str::to_string);
        let force_new = obj
            .get("createNewIfDuplicateAllowed")
            .and_then(Value::as_bool)
            == Some(true);
        let l = self.location(who, &loc_id)?;
        let allow = l.allow_duplicates;
        let existing = l
            .duplicate_of(email.as_deref(), phone.as_deref())
            .map(|(id, _)| id.to_string());
        match existing {
            Some(id) if !(allow && force_new) => {
                let mut patch = obj.clone();
                patch.remove("locationId");
                patch.remove("createNewIfDuplicateAllowed");
                let (rec, loc) = self.rec(who, &id)?;
                let before = rec.contact.clone();
                let updated = merge_contact(&rec.contact, &patch, now_ms)?;
                rec.contact = updated.clone();
                let created = rec.created_ms;
                if let Some(l) = self.locations.get_mut(&loc) {
                    l.unindex(&id, &before, created);
                    l.index(&id, &updated, created);
                }
                events.push(event("ContactUpdate", &loc, contact_json(&updated)));
                Ok((
                    200,
                    json!({"new": false, "contact": contact_json(&updated), "traceId": trace_id(now_ms)}),
                ))
            }
            _ => {
                let mut create = obj.clone();
                create.remove("createNewIfDuplicateAllowed");
                let (_, v) =
                    self.create_contact(who, &Value::Object(create), now_ms, true, events)?;
                Ok((
                    200,
                    json!({"new": true, "contact": v["contact"], "traceId": trace_id(now_ms)}),
                ))
            }
        }
    }

    /// `GET /contacts/`: creation order, `startAfter` + `startAfterId`, with `meta`.
    fn list_contacts(&mut self, who: &Principal, req: &Req, base_url: &str) -> Reply {
        let loc_id = req.query("locationId").unwrap_or_default().to_string();
        let limit = parse_num(req.query("limit"), 20)?;
        if !(1..=100).contains(&limit) {
            return Err(ApiError::validation(vec![
                "limit must not be greater than 100".into(),
            ]));
        }
        let start_after: Option<i64> =
            match req.query("startAfter") {
                Some(s) => Some(s.parse().map_err(|_| {
                    ApiError::validation(vec!["startAfter must be a number".into()])
                })?),
                None => None,
            };
        let start_after_id = req.query("startAfterId").map(str::to_string);
        let query = req.query("query").map(str::to_string);
        let l = self.location(who, &loc_id)?;
        let cursor = match (start_after, &start_after_id) {
            (Some(ms), Some(id)) => Some((ms, id.clone())),
            (None, Some(id)) => l.contacts.get(id).map(|r| (r.created_ms, id.clone())),
            (Some(ms), None) => Some((ms, "\u{10ffff}".to_string())),
            (None, None) => None,
        };
        let iter: Box<dyn Iterator<Item = &(i64, String)>> = match &cursor {
            Some(c) => Box::new(l.order.range((
                std::ops::Bound::Excluded(c.clone()),
                std::ops::Bound::Unbounded,
            ))),
            None => Box::new(l.order.iter()),
        };
        let mut page = Vec::with_capacity(limit);
        let mut last = None;
        let mut more = false;
        for (ms, id) in iter {
            let Some(rec) = l.contacts.get(id) else {
                continue;
            };
            if query
                .as_deref()
                .is_some_and(|q| !matches_query(&rec.contact, q))
            {
                continue;
            }
            if page.len() == limit {
                more = true;
                break;
            }
            page.push(search_item(&rec.contact));
            last = Some((*ms, id.clone()));
        }
        let total = if query.is_some() {
            page.len()
        } else {
            l.contacts.len()
        };
        let mut meta =
            json!({"total": total, "currentPage": null, "nextPage": null, "prevPage": null});
        if let Some((ms, id)) = &last {
            meta["startAfterId"] = json!(id);
            meta["startAfter"] = json!(ms);
            if more {
                meta["nextPageUrl"] = json!(format!(
                    "{base_url}/contacts/?locationId={loc_id}&startAfter={ms}&startAfterId={id}&limit={limit}"
                ));
            }
        }
        let count = page.len();
        Ok((200, json!({"contacts": page, "count": count, "meta": meta})))
    }

    /// `POST /contacts/search` (fact sheet §4.2).
    fn search_contacts(&mut self, who: &Principal, body: &Value) -> Reply {
        let body = object(body)?;
        let mut errs = Vec::new();
        let loc_id = body
            .get("locationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        if loc_id.is_empty() {
            errs.push("locationId should not be empty".to_string());
        }
        let page_limit = body.get("pageLimit").and_then(Value::as_u64);
        match page_limit {
            None => errs
                .push("pageLimit must be a number conforming to the specified constraints".into()),
            Some(0) => errs.push("pageLimit must not be less than 1".into()),
            Some(n) if n > 500 => errs.push("pageLimit must not be greater than 500".into()),
            _ => {}
        }
        let page = body.get("page").and_then(Value::as_u64);
        let search_after = body.get("searchAfter").and_then(Value::as_array).cloned();
        if page.is_some() && search_after.is_some() {
            errs.push("page and searchAfter cannot be used together".into());
        }
        if let (Some(p), Some(l)) = (page, page_limit) {
            if p == 0 || p * l > 10_000 {
                errs.push(
                    "page x pageLimit cannot exceed 10000 records; use searchAfter to go further"
                        .into(),
                );
            }
        }
        if body
            .get("query")
            .and_then(Value::as_str)
            .is_some_and(|q| q.chars().count() > 75)
        {
            errs.push("query must be shorter than or equal to 75 characters".into());
        }
        if !errs.is_empty() {
            return Err(ApiError::validation(errs));
        }
        let limit = page_limit.unwrap_or(20) as usize;
        let filters: Vec<Value> = body
            .get("filters")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let query = body
            .get("query")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (sort_field, desc) = body
            .get("sort")
            .and_then(Value::as_array)
            .and_then(|s| s.first())
            .map(|s| {
                (
                    s.get("field")
                        .and_then(Value::as_str)
                        .unwrap_or("dateAdded")
                        .to_string(),
                    s.get("direction").and_then(Value::as_str) == Some("desc"),
                )
            })
            .unwrap_or(("dateAdded".to_string(), false));
        for f in &filters {
            validate_filter(f)?;
        }
        let l = self.location(who, &loc_id)?;
        let matches = |r: &Rec| {
            filters
                .iter()
                .all(|f| filter_matches(f, &r.contact, r.created_ms))
                && query
                    .as_deref()
                    .is_none_or(|q| matches_query(&r.contact, q))
        };
        let key_after = search_after.as_ref().map(|sa| {
            (
                sort_key_from_json(sa.first().unwrap_or(&Value::Null)),
                sa.get(1)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            )
        });
        let skip = page.map_or(0, |p| (p as usize - 1) * limit);
        let (items, total): (Vec<Value>, usize) =
            if sort_field == "dateAdded" && filters.is_empty() && query.is_none() {
                // Fast path: walk the creation index, no full scan.
                let total = l.contacts.len();
                let iter: Box<dyn Iterator<Item = &(i64, String)>> = if desc {
                    Box::new(l.order.iter().rev())
                } else {
                    Box::new(l.order.iter())
                };
                let items = iter
                    .filter(|(ms, id)| match &key_after {
                        Some((SortKey::Num(k), kid)) => {
                            let o = ms.cmp(k).then_with(|| id.as_str().cmp(kid));
                            if desc {
                                o == Ordering::Less
                            } else {
                                o == Ordering::Greater
                            }
                        }
                        Some(_) => true,
                        None => true,
                    })
                    .skip(skip)
                    .take(limit)
                    .filter_map(|(ms, id)| {
                        l.contacts
                            .get(id)
                            .map(|r| with_search_after(&r.contact, SortKey::Num(*ms)))
                    })
                    .collect();
                (items, total)
            } else {
                let mut all: Vec<(SortKey, &str, &Rec)> = l
                    .contacts
                    .iter()
                    .filter(|(_, r)| matches(r))
                    .map(|(id, r)| {
                        (
                            sort_key(&r.contact, r.created_ms, &sort_field),
                            id.as_str(),
                            r,
                        )
                    })
                    .collect();
                all.sort_by(|a, b| {
                    let o = a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1));
                    if desc { o.reverse() } else { o }
                });
                let total = all.len();
                let items = all
                    .into_iter()
                    .filter(|(k, id, _)| match &key_after {
                        Some((ka, kid)) => {
                            let o = k.cmp(ka).then_with(|| (*id).cmp(kid.as_str()));
                            if desc {
                                o == Ordering::Less
                            } else {
                                o == Ordering::Greater
                            }
                        }
                        None => true,
                    })
                    .skip(skip)
                    .take(limit)
                    .map(|(k, _, r)| with_search_after(&r.contact, k))
                    .collect();
                (items, total)
            };
        Ok((200, json!({"contacts": items, "total": total})))
    }

    fn bulk_tags(
        &mut self,
        who: &Principal,
        req: &Req,
        now_ms: i64,
        events: &mut Vec<Value>,
    ) -> Reply {
        let kind = req.path("type").to_string();
        if kind != "add" && kind != "remove" {
            return Err(ApiError::validation(vec![
                "type must be one of: add, remove".into(),
            ]));
        }
        let body = object(req.body)?;
        let contacts = string_list(body, "contacts")?;
        let tags = body.get("tags").and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
        let Some(tags) = tags else {
            return Err(ApiError::validation(vec!["tags must be an array".into()]));
        };
        let remove_all = body.get("removeAllTags").and_then(Value::as_bool) == Some(true);
        let loc_id = body
            .get("locationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        self.location(who, &loc_id)?;
        let mut responses = Vec::new();
        let mut errors = 0;
        for id in contacts {
            match self.rec(who, &id) {
                Ok((rec, loc)) if loc == loc_id => {
                    let old = rec.contact.tags.clone();
                    if kind == "add" {
                        for t in &tags {
                            if !rec.contact.tags.contains(t) {
                                rec.contact.tags.push(t.clone());
                            }
                        }
                    } else if remove_all {
                        rec.contact.tags.clear();
                    } else {
                        rec.contact.tags.retain(|t| !tags.contains(t));
                    }
                    rec.contact.date_updated = Some(seed::iso(now_ms));
                    let added: Vec<&String> = rec
                        .contact
                        .tags
                        .iter()
                        .filter(|t| !old.contains(t))
                        .collect();
                    let removed: Vec<&String> = old
                        .iter()
                        .filter(|t| !rec.contact.tags.contains(t))
                        .collect();
                    responses.push(
                        json!({"contactId": id, "message": "Tags updated", "type": "success",
                        "oldTags": old, "tagsAdded": added, "tagsRemoved": removed}),
                    );
                    events.push(event("ContactTagUpdate", &loc, contact_json(&rec.contact)));
                }
                _ => {
                    errors += 1;
                    responses.push(json!({"contactId": id, "message": "contact does not belong to location", "type": "error"}));
                }
            }
        }
        Ok((
            201,
            json!({"succeded": true, "errorCount": errors, "responses": responses}),
        ))
    }
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

/// Custom fields arrive as `{id, fieldValue | field_value | value}` and are
/// stored (and returned) as `{id, value}`.
fn custom_fields_from_input(v: &Value) -> Result<Vec<CustomFieldValue>, ApiError> {
    let list = v
        .as_array()
        .ok_or_else(|| ApiError::validation(vec!["customFields must be an array".into()]))?;
    list.iter()
        .map(|f| {
            let id = f
                .get("id")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty());
            let id = id.ok_or_else(|| {
                ApiError::validation(vec!["customFields.id should not be empty".into()])
            })?;
            let value = f
                .get("fieldValue")
                .or_else(|| f.get("field_value"))
                .or_else(|| f.get("value"))
                .cloned();
            Ok(CustomFieldValue {
                id: Some(id.to_string()),
                value,
                extra: Map::new(),
            })
        })
        .collect()
}

fn contact_from_body(body: &Map<String, Value>) -> Result<Contact, ApiError> {
    let mut input = body.clone();
    let custom = input.remove("customFields");
    input.remove("createNewIfDuplicateAllowed");
    if let Some(Value::String(e)) = input.get("email") {
        if !e.contains('@') {
            return Err(ApiError::validation(vec!["email must be an email".into()]));
        }
    }
    let mut c: Contact = from_body(&input)?;
    if let Some(cf) = custom {
        c.custom_fields = custom_fields_from_input(&cf)?;
    }
    if c.name.is_none() && (c.first_name.is_some() || c.last_name.is_some()) {
        let full = format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or(""),
            c.last_name.as_deref().unwrap_or("")
        );
        c.name = Some(full.trim().to_string());
    }
    Ok(c)
}

/// An update: given fields replace stored ones (tags included); custom
/// fields merge by id.
fn merge_contact(
    current: &Contact,
    patch: &Map<String, Value>,
    now_ms: i64,
) -> Result<Contact, ApiError> {
    let mut patch = patch.clone();
    let custom = patch.remove("customFields");
    if patch.contains_key("locationId") {
        return Err(ApiError::validation(vec![
            "property locationId should not exist".into(),
        ]));
    }
    let mut merged =
        serde_json::to_value(current).map_err(|e| ApiError::new(500, e.to_string()))?;
    merge_into(&mut merged, &patch);
    let mut c = contact_from_body(merged.as_object().unwrap_or(&Map::new()))?;
    c.custom_fields = current.custom_fields.clone();
    if let Some(cf) = custom {
        for f in custom_fields_from_input(&cf)? {
            match c.custom_fields.iter_mut().find(|x| x.id == f.id) {
                Some(existing) => existing.value = f.value,
                None => c.custom_fields.push(f),
            }
        }
    }
    if patch.contains_key("firstName") || patch.contains_key("lastName") {
        let full = format!(
            "{} {}",
            c.first_name.as_deref().unwrap_or(""),
            c.last_name.as_deref().unwrap_or("")
        );
        c.name = Some(full.trim().to_string());
    }
    c.date_updated = Some(seed::iso(now_ms));
    Ok(c)
}

/// A contact as `GET /contacts/{id}` returns it, with the lower-case helper
/// fields the real API adds.
fn contact_json(c: &Contact) -> Value {
    let mut v = serde_json::to_value(c).unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        if let Some(f) = &c.first_name {
            m.insert("firstNameLowerCase".into(), json!(f.to_lowercase()));
        }
        if let Some(l) = &c.last_name {
            m.insert("lastNameLowerCase".into(), json!(l.to_lowercase()));
        }
        if let Some(n) = &c.name {
            m.insert("fullNameLowerCase".into(), json!(n.to_lowercase()));
        }
        if let Some(e) = &c.email {
            m.insert("emailLowerCase".into(), json!(e.to_lowercase()));
        }
        m.remove("searchAfter");
    }
    v
}

/// A contact as list endpoints return it.
fn search_item(c: &Contact) -> Value {
    contact_json(c)
}

fn with_search_after(c: &Contact, key: SortKey) -> Value {
    let mut v = contact_json(c);
    let k = match key {
        SortKey::Num(n) => json!(n),
        SortKey::Str(s) => json!(s),
        SortKey::Missing => Value::Null,
    };
    v["searchAfter"] = json!([k, c.id]);
    v
}

fn matches_query(c: &Contact, q: &str) -> bool {
    let q = q.to_lowercase();
    [
        &c.name,
        &c.first_name,
        &c.last_name,
        &c.email,
        &c.phone,
        &c.company_name,
    ]
    .into_iter()
    .flatten()
    .any(|s| s.to_lowercase().contains(&q))
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Missing,
    Num(i64),
    Str(String),
}

fn sort_key_from_json(v: &Value) -> SortKey {
    match v {
        Value::Number(n) => SortKey::Num(n.as_i64().unwrap_or_default()),
        Value::String(s) => SortKey::Str(s.clone()),
        _ => SortKey::Missing,
    }
}

fn sort_key(c: &Contact, created_ms: i64, field: &str) -> SortKey {
    match field_value(c, created_ms, field) {
        Some(Value::Number(n)) => SortKey::Num(n.as_i64().unwrap_or_default()),
        Some(Value::String(s)) => SortKey::Str(s.to_lowercase()),
        _ => SortKey::Missing,
    }
}

/// The value search filters and sort see for `field`.
fn field_value(c: &Contact, created_ms: i64, field: &str) -> Option<Value> {
    let s = |v: &Option<String>| v.as_ref().map(|x| json!(x));
    let lower = |v: &Option<String>| v.as_ref().map(|x| json!(x.to_lowercase()));
    match field {
        "id" => s(&c.id),
        "dateAdded" => Some(json!(created_ms)),
        "dateUpdated" => c
            .date_updated
            .as_deref()
            .and_then(contacts_core::time::parse_rfc3339_ms)
            .map(|m| json!(m)),
        "firstName" | "firstNameLowerCase" => lower(&c.first_name),
        "lastName" | "lastNameLowerCase" => lower(&c.last_name),
        "name" | "fullNameLowerCase" => lower(&c.name),
        "email" | "emailLowerCase" => lower(&c.email),
        "phone" => s(&c.phone),
        "companyName" => s(&c.company_name),
        "city" => s(&c.city),
        "state" => s(&c.state),
        "country" => s(&c.country),
        "postalCode" => s(&c.postal_code),
        "source" => s(&c.source),
        "type" => s(&c.contact_type),
        "assignedTo" => s(&c.assigned_to),
        "businessId" => s(&c.business_id),
        "dnd" => c.dnd.map(|d| json!(d)),
        "tags" => Some(json!(c.tags)),
        other => c.extra.get(other).cloned(),
    }
}

fn validate_filter(f: &Value) -> Result<(), ApiError> {
    if let Some(inner) = f.get("filters").and_then(Value::as_array) {
        return inner.iter().try_for_each(validate_filter);
    }
    let op = f
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let ok = [
        "eq",
        "not_eq",
        "contains",
        "not_contains",
        "exists",
        "not_exists",
        "range",
    ]
    .contains(&op);
    if !ok || f.get("field").and_then(Value::as_str).is_none() {
        return Err(ApiError::validation(vec![format!("invalid filter {f}")]));
    }
    if f.get("value")
        .and_then(Value::as_str)
        .is_some_and(|v| v.chars().count() > 75)
    {
        return Err(ApiError::validation(vec![
            "filter value must be shorter than or equal to 75 characters".into(),
        ]));
    }
    Ok(())
}

fn filter_matches(f: &Value, c: &Contact, created_ms: i64) -> bool {
    if let Some(inner) = f.get("filters").and_then(Value::as_array) {
        return if f.get("group").and_then(Value::as_str) == Some("OR") {
            inner.iter().any(|x| filter_matches(x, c, created_ms))
        } else {
            inner.iter().all(|x| filter_matches(x, c, created_ms))
        };
    }
    let field = f.get("field").and_then(Value::as_str).unwrap_or_default();
    let op = f
        .get("operator")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let want = f.get("value");
    let have = field_value(c, created_ms, field);
    let eq = |h: &Value, w: &Value| match (h, w) {
        (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
        (Value::Array(a), w) => a.iter().any(|x| match (x, w) {
            (Value::String(a), Value::String(b)) => a.eq_ignore_ascii_case(b),
            _ => x == w,
        }),
        _ => h == w,
    };
    let contains = |h: &Value, w: &Value| {
        let needle = w.as_str().unwrap_or_default().to_lowercase();
        match h {
            Value::String(s) => s.to_lowercase().contains(&needle),
            Value::Array(a) => a.iter().any(|x| {
                x.as_str()
                    .is_some_and(|s| s.to_lowercase().contains(&needle))
            }),
            _ => false,
        }
    };
    let present = have.as_ref().is_some_and(|h| match h {
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Null => false,
        _ => true,
    });
    match (op, &have, want) {
        ("exists", _, _) => present,
        ("not_exists", _, _) => !present,
        ("eq", Some(h), Some(w)) => eq(h, w),
        ("not_eq", Some(h), Some(w)) => !eq(h, w),
        ("not_eq", None, _) => true,
        ("contains", Some(h), Some(w)) => contains(h, w),
        ("not_contains", Some(h), Some(w)) => !contains(h, w),
        ("not_contains", None, _) => true,
        ("range", Some(h), Some(Value::Object(r))) => {
            let num = |v: &Value| match v {
                Value::Number(n) => n.as_f64(),
                Value::String(s) => contacts_core::time::parse_rfc3339_ms(s)
                    .map(|m| m as f64)
                    .or_else(|| s.parse().ok()),
                _ => None,
            };
            let Some(x) = num(h) else { return false };
            r.iter().all(|(k, v)| match (k.as_str(), num(v)) {
                ("gte", Some(b)) => x >= b,
                ("gt", Some(b)) => x > b,
                ("lte", Some(b)) => x <= b,
                ("lt", Some(b)) => x < b,
                _ => false,
            })
        }
        _ => false,
    }
}
