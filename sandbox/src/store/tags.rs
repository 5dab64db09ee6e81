//! A contact's tags, one contact or in bulk.

use super::contact_model::contact_json;
use super::{ApiError, Call, Reply, Req, Store, event, object, string_list, unserved};
use crate::auth::Principal;
use crate::seed;
use serde_json::Value;
use serde_json::json;

impl Store {
    /// Serves the `tags` operations.
    pub(super) fn tags(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            now_ms,
            events,
            ..
        } = cx;
        match op {
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
            other => Err(unserved(other)),
        }
    }

    pub(super) fn bulk_tags(
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
