//! Businesses of a location.

use super::{
    ApiError, Call, Reply, Store, from_body, object, parse_num, patched, require_str, unserved,
};
use crate::seed;
use contacts_core::models::Business;
use serde_json::Value;
use serde_json::json;

impl Store {
    /// Serves the `businesses` operations.
    pub(super) fn businesses(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who, req, now_ms, ..
        } = cx;
        match op {
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
            other => Err(unserved(other)),
        }
    }
}
