//! The contacts themselves: get, create, upsert, update, delete, list,
//! duplicates, and contacts by business.

use super::contact_model::{
    additional_emails, contact_from_body, contact_json, matches_query, merge_contact,
    refuse_read_only, search_item, set_additional_emails,
};
use super::{
    ApiError, Call, Rec, Reply, Req, Store, event, object, parse_num, string_list, trace_id,
    unserved,
};
use crate::auth::Principal;
use crate::seed;
use serde_json::Value;
use serde_json::json;
use std::collections::BTreeSet;

impl Store {
    /// Serves the `contacts` operations.
    pub(super) fn contacts(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            now_ms,
            base_url,
            events,
        } = cx;
        match op {
            "contacts.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"contact": contact_json(&rec.contact)})))
            }
            "contacts.create" => self.create_contact(who, req.body, now_ms, false, events),
            "contacts.upsert" => self.upsert_contact(who, req.body, now_ms, events),
            "contacts.update" => {
                let body = object(req.body)?;
                refuse_read_only(body)?;
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
            "contacts.search" => self.search_contacts(who, req.body, now_ms),
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
            other => Err(unserved(other)),
        }
    }

    /// Sets a contact's additional emails, as HighLevel's UI does (the API
    /// cannot, #262): the sandbox admin API's way to stage #337.
    pub fn set_contact_additional_emails(
        &mut self,
        contact_id: &str,
        emails: Vec<String>,
    ) -> Result<Value, ApiError> {
        self.forget_search_indexes();
        let loc = self
            .contact_loc
            .get(contact_id)
            .cloned()
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        let l = self
            .locations
            .get_mut(&loc)
            .ok_or_else(|| ApiError::not_found("Location"))?;
        let rec = l
            .contacts
            .get_mut(contact_id)
            .ok_or_else(|| ApiError::not_found("Contact"))?;
        let before = rec.contact.clone();
        set_additional_emails(&mut rec.contact, emails);
        let (after, created) = (rec.contact.clone(), rec.created_ms);
        l.unindex(contact_id, &before, created);
        l.index(contact_id, &after, created);
        Ok(contact_json(&after))
    }

    pub(super) fn create_contact(
        &mut self,
        who: &Principal,
        body: &Value,
        now_ms: i64,
        force_new: bool,
        events: &mut Vec<Value>,
    ) -> Reply {
        let body = object(body)?;
        refuse_read_only(body)?;
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
    pub(super) fn upsert_contact(
        &mut self,
        who: &Principal,
        body: &Value,
        now_ms: i64,
        events: &mut Vec<Value>,
    ) -> Reply {
        let obj = object(body)?;
        refuse_read_only(obj)?;
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
        // The phone's own match, when email found another contact.
        let phone_owner = phone
            .as_deref()
            .and_then(|p| l.phone_owner(p))
            .map(str::to_owned);
        match existing {
            Some(id) if !(allow && force_new) => {
                let mut patch = obj.clone();
                patch.remove("locationId");
                patch.remove("createNewIfDuplicateAllowed");
                // HighLevel's silent losses, reproduced so that the honest
                // report of contacts.capture can be tested:
                // email and phone matching two different contacts updates
                // the email's contact and drops the phone, with a 200
                // (GoHighLevel/highlevel-api-docs#37, #313);
                if phone_owner.as_ref().is_some_and(|owner| *owner != id) {
                    patch.remove("phone");
                }
                // `gender` is accepted and discarded on an existing contact
                // (GoHighLevel/highlevel-api-docs#313).
                patch.remove("gender");
                let (rec, loc) = self.rec(who, &id)?;
                let before = rec.contact.clone();
                let mut updated = merge_contact(&rec.contact, &patch, now_ms)?;
                // and an email that is one of the contact's additional
                // emails becomes its primary, while the primary it replaces
                // is lost rather than kept as an additional one
                // (GoHighLevel/highlevel-api-docs#337).
                if let Some(sent) = email.as_deref().map(str::to_lowercase) {
                    let others = additional_emails(&before);
                    if others.iter().any(|e| e.to_lowercase() == sent) {
                        let kept = others.into_iter().filter(|e| e.to_lowercase() != sent);
                        set_additional_emails(&mut updated, kept.collect());
                    }
                }
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
    pub(super) fn list_contacts(&mut self, who: &Principal, req: &Req, base_url: &str) -> Reply {
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
}
