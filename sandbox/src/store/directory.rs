//! Users, associations and relations of a location.

use super::{ApiError, Call, Reply, Store, object, require_str, unserved};
use contacts_core::models::{Association, Relation, User, UserRoles};
use serde_json::{Map, Value, json};

/// The seeded users of a location: an admin and two users.
pub(super) fn seeded_users(location_id: &str, id: impl Fn(u64) -> String) -> Vec<User> {
    [
        ("Morgan", "Reyes", "admin"),
        ("Sam", "Okafor", "user"),
        ("Alex", "Lindqvist", "user"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (first, last, role))| User {
        id: Some(id(i as u64)),
        name: Some(format!("{first} {last}")),
        first_name: Some(first.to_string()),
        last_name: Some(last.to_string()),
        email: Some(format!("{}@sandbox.example", first.to_lowercase())),
        phone: Some(format!("+1415555020{i}")),
        roles: Some(UserRoles {
            kind: Some("account".into()),
            role: Some(role.to_string()),
            location_ids: Some(vec![location_id.to_string()]),
            extra: Map::new(),
        }),
        deleted: Some(false),
        ..User::default()
    })
    .collect()
}

/// The seeded association of a location: contact to contact.
pub(super) fn seeded_association(location_id: &str, id: String) -> Association {
    Association {
        id: Some(id),
        location_id: Some(location_id.to_string()),
        key: Some("contact_referred_by".into()),
        first_object_label: Some(json!("Referred")),
        first_object_key: Some(json!("contact")),
        second_object_label: Some(json!("Referrer")),
        second_object_key: Some(json!("contact")),
        association_type: Some(json!("USER_DEFINED")),
        extra: Map::new(),
    }
}

fn page<T: Clone>(items: Vec<T>, skip: usize, limit: usize) -> Vec<T> {
    items.into_iter().skip(skip).take(limit).collect()
}

impl Store {
    /// Every user of the company `company_id` (all its locations), once.
    fn company_users(&self) -> Vec<User> {
        let mut out: Vec<User> = Vec::new();
        for l in self.locations.values() {
            for u in &l.users {
                if !out.iter().any(|o| o.id == u.id) {
                    out.push(u.clone());
                }
            }
        }
        out
    }

    /// Serves the `users`, `associations` and `relations` operations.
    pub(super) fn directory(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who, req, events, ..
        } = cx;
        let num = |k: &str, d: usize| super::parse_num(req.query(k), d);
        match op {
            "users.list" => {
                let l = self.location(who, req.query("locationId").unwrap_or_default())?;
                Ok((200, json!({"users": l.users})))
            }
            "users.search" | "users.filterByEmail" => {
                let company = if op == "users.search" {
                    req.query("companyId").map(str::to_string)
                } else {
                    req.body_str("companyId").map(str::to_string)
                };
                let company = company.filter(|c| !c.trim().is_empty()).ok_or_else(|| {
                    ApiError::validation(vec!["companyId should not be empty".into()])
                })?;
                if company != who.company_id {
                    return Err(ApiError::new(
                        403,
                        "The token does not have access to this company.",
                    ));
                }
                let mut users = self.company_users();
                if let Some(loc) = &who.location_id {
                    users.retain(|u| {
                        u.roles
                            .as_ref()
                            .and_then(|r| r.location_ids.as_ref())
                            .is_some_and(|ids| ids.contains(loc))
                    });
                }
                let (skip, limit);
                if op == "users.search" {
                    let q = req.query("query").map(str::to_lowercase);
                    let has = |u: &User, q: &str| {
                        [&u.name, &u.email, &u.phone]
                            .iter()
                            .any(|f| f.as_deref().is_some_and(|s| s.to_lowercase().contains(q)))
                    };
                    let role = |u: &User| u.roles.as_ref().and_then(|r| r.role.clone());
                    let kind = |u: &User| u.roles.as_ref().and_then(|r| r.kind.clone());
                    users.retain(|u| q.as_deref().is_none_or(|q| has(u, q)));
                    users.retain(|u| {
                        req.query("role")
                            .is_none_or(|r| role(u).as_deref() == Some(r))
                    });
                    users.retain(|u| {
                        req.query("type")
                            .is_none_or(|t| kind(u).as_deref() == Some(t))
                    });
                    if let Some(loc) = req.query("locationId") {
                        users.retain(|u| {
                            u.roles
                                .as_ref()
                                .and_then(|r| r.location_ids.as_ref())
                                .is_some_and(|ids| ids.iter().any(|i| i == loc))
                        });
                    }
                    if let Some(ids) = req.query("ids") {
                        let ids: Vec<&str> = ids.split(',').collect();
                        users.retain(|u| u.id.as_deref().is_some_and(|i| ids.contains(&i)));
                    }
                    (skip, limit) = (num("skip", 0)?, num("limit", 25)?);
                } else {
                    let body = object(req.body)?;
                    let mut errs = Vec::new();
                    require_str(body, "emails", &mut errs);
                    if !errs.is_empty() {
                        return Err(ApiError::validation(errs));
                    }
                    let emails: Vec<String> = body["emails"]
                        .as_str()
                        .unwrap_or_default()
                        .split(',')
                        .map(|e| e.trim().to_lowercase())
                        .collect();
                    users.retain(|u| {
                        u.email
                            .as_deref()
                            .is_some_and(|e| emails.contains(&e.to_lowercase()))
                    });
                    let n = |k: &str, d| {
                        body.get(k)
                            .and_then(Value::as_str)
                            .and_then(|s| s.parse().ok())
                            .unwrap_or(d)
                    };
                    (skip, limit) = (n("skip", 0), n("limit", 25));
                }
                let count = users.len();
                Ok((
                    200,
                    json!({"users": page(users, skip, limit), "count": count}),
                ))
            }
            "users.get" => {
                let id = req.path("userId");
                let user = self
                    .company_users()
                    .into_iter()
                    .find(|u| u.id.as_deref() == Some(id))
                    .ok_or_else(|| ApiError::new(404, "User not found"))?;
                Ok((200, json!(user)))
            }
            "associations.list" => {
                let (skip, limit) = (num("skip", 0)?, num("limit", 100)?);
                let l = self.location(who, req.query("locationId").unwrap_or_default())?;
                let all: Vec<Association> = l.associations.values().cloned().collect();
                let total = all.len();
                Ok((
                    200,
                    json!({"associations": page(all, skip, limit), "total": total}),
                ))
            }
            "associations.get" => {
                let id = req.path("associationId").to_string();
                let loc_id = self
                    .locations
                    .iter()
                    .find(|(_, l)| l.associations.contains_key(&id))
                    .map(|(k, _)| k.clone())
                    .ok_or_else(|| ApiError::new(404, "Association not found"))?;
                let l = self.location(who, &loc_id)?;
                Ok((200, json!(l.associations[&id])))
            }
            "relations.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                for k in [
                    "locationId",
                    "associationId",
                    "firstRecordId",
                    "secondRecordId",
                ] {
                    require_str(body, k, &mut errs);
                }
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let s = |k: &str| body[k].as_str().unwrap_or_default().to_string();
                let new_id = self.new_id();
                let l = self.location(who, &s("locationId"))?;
                let association = l
                    .associations
                    .get(&s("associationId"))
                    .ok_or_else(|| ApiError::new(400, "Association not found"))?;
                let contact_side =
                    |key: &Option<Value>| key.as_ref().and_then(Value::as_str) == Some("contact");
                for (side, key) in [
                    ("firstRecordId", &association.first_object_key),
                    ("secondRecordId", &association.second_object_key),
                ] {
                    if contact_side(key) && !l.contacts.contains_key(&s(side)) {
                        return Err(ApiError::new(400, format!("{side}: contact not found")));
                    }
                }
                let same = |r: &Relation| {
                    r.association_id == Some(s("associationId"))
                        && r.first_record_id == Some(s("firstRecordId"))
                        && r.second_record_id == Some(s("secondRecordId"))
                };
                if l.relations.values().any(same) {
                    return Err(ApiError::new(400, "This relation already exists"));
                }
                let relation = Relation {
                    id: Some(new_id.clone()),
                    association_id: Some(s("associationId")),
                    first_record_id: Some(s("firstRecordId")),
                    second_record_id: Some(s("secondRecordId")),
                    location_id: Some(s("locationId")),
                    extra: Map::new(),
                };
                let payload = relation_event(&relation, association);
                l.relations.insert(new_id, relation.clone());
                events.push(super::event("RelationCreate", &s("locationId"), payload));
                Ok((201, json!(relation)))
            }
            "relations.list" => {
                let record = req.path("recordId").to_string();
                let (skip, limit) = (num("skip", 0)?, num("limit", 100)?);
                let only: Option<Vec<String>> = req
                    .query("associationIds")
                    .map(|s| s.split(',').map(str::to_string).collect());
                let l = self.location(who, req.query("locationId").unwrap_or_default())?;
                let all: Vec<Relation> = l
                    .relations
                    .values()
                    .filter(|r| {
                        r.first_record_id.as_deref() == Some(&record)
                            || r.second_record_id.as_deref() == Some(&record)
                    })
                    .filter(|r| {
                        only.as_ref().is_none_or(|o| {
                            r.association_id.as_ref().is_some_and(|a| o.contains(a))
                        })
                    })
                    .cloned()
                    .collect();
                let total = all.len();
                Ok((
                    200,
                    json!({"relations": page(all, skip, limit), "total": total}),
                ))
            }
            "relations.delete" => {
                let id = req.path("relationId").to_string();
                let l = self.location(who, req.query("locationId").unwrap_or_default())?;
                let relation = l
                    .relations
                    .remove(&id)
                    .ok_or_else(|| ApiError::new(404, "Relation not found"))?;
                let association = relation
                    .association_id
                    .as_ref()
                    .and_then(|a| l.associations.get(a));
                if let Some(association) = association {
                    let loc = relation.location_id.clone().unwrap_or_default();
                    events.push(super::event(
                        "RelationDelete",
                        &loc,
                        relation_event(&relation, association),
                    ));
                }
                Ok((200, json!(relation)))
            }
            other => Err(unserved(other)),
        }
    }
}

/// The RelationCreate / RelationDelete payload of `relation` (DOC-WH
/// RelationCreate: the records with their associations' object keys).
fn relation_event(relation: &Relation, association: &Association) -> Value {
    json!({
        "id": relation.id,
        "associationId": relation.association_id,
        "firstObjectKey": association.first_object_key,
        "firstRecordId": relation.first_record_id,
        "secondObjectKey": association.second_object_key,
        "secondRecordId": relation.second_record_id,
    })
}
