//! What a contact is enrolled in or followed by: appointments, followers,
//! campaigns, workflows.

use super::{Call, Reply, Store, object, string_list, unserved};
use serde_json::json;

impl Store {
    /// Serves the `engagement` operations.
    pub(super) fn engagement(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            events: _,
            ..
        } = cx;
        match op {
            "appointments.list" => {
                let (rec, loc_id) = self.rec(who, req.path("contactId"))?;
                let appointments = rec.appointments.clone();
                let listed = match self.locations.get(&loc_id) {
                    Some(loc) => loc.contact_view(&appointments),
                    None => appointments,
                };
                Ok((200, json!({"events": listed})))
            }
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
            other => Err(unserved(other)),
        }
    }
}
