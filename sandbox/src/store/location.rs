//! A location (what `GET /locations/{id}` shows of it) and its tags.

use super::{ApiError, Call, Reply, Store, object, require_str, unserved};
use contacts_core::models::LocationTag;
use serde_json::Map;
use serde_json::Value;
use serde_json::json;

impl Store {
    /// Serves `locations.get` and the `locationTags` operations.
    pub(super) fn location_data(&mut self, op: &str, cx: Call) -> Reply {
        let Call { who, req, .. } = cx;
        match op {
            "locations.get" => {
                let location_id = req.path("locationId").to_string();
                let l = self.location(who, &location_id)?;
                let time_zone = l.time_zone.as_deref().unwrap_or(super::SEEDED_TIME_ZONE);
                Ok((
                    200,
                    json!({"location": {
                        "id": location_id,
                        "companyId": who.company_id,
                        "name": format!("Sandbox location {location_id}"),
                        "timezone": time_zone,
                        "country": "US",
                        "email": "owner@sandbox.example",
                    }}),
                ))
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
            other => Err(unserved(other)),
        }
    }
}
