//! `POST /contacts/search`: filters, sort, `page` and `searchAfter`.

use super::contact_model::{contact_json, matches_query};
use super::{ApiError, Reply, Store, object};
use crate::auth::Principal;
use contacts_core::models::Contact;
use serde_json::Value;
use serde_json::json;
use std::cmp::Ordering;

impl Store {
    /// `POST /contacts/search` (fact sheet §4.2).
    pub(super) fn search_contacts(&mut self, who: &Principal, body: &Value, now_ms: i64) -> Reply {
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
        let matches = |c: &Contact, created_ms: i64| {
            filters.iter().all(|f| filter_matches(f, c, created_ms))
                && query.as_deref().is_none_or(|q| matches_query(c, q))
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
        let fast = sort_field == "dateAdded" && filters.is_empty() && query.is_none();
        let (items, total): (Vec<Value>, usize) = if fast && !l.search_lags() {
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
        } else if sort_field == "dateUpdated" && !l.search_lags() {
            // The `(dateUpdated, id)` index: sorted once for a page walk.
            let contacts = &l.contacts;
            let index = l.by_updated.get_or_insert_with(|| {
                let mut v: Vec<(i64, String)> = contacts
                    .iter()
                    .map(|(id, r)| (updated_ms(&r.contact), id.clone()))
                    .collect();
                v.sort();
                v
            });
            let after = key_after.as_ref().map(|(k, kid)| {
                let ms = match k {
                    SortKey::Num(n) => *n,
                    _ => i64::MIN,
                };
                (ms, kid.as_str())
            });
            let position = |strict: bool| {
                after.map(|a| {
                    index.partition_point(|(ms, id)| {
                        let o = (*ms, id.as_str()).cmp(&a);
                        o == Ordering::Less || (!strict && o == Ordering::Equal)
                    })
                })
            };
            let ordered: Box<dyn Iterator<Item = &(i64, String)>> = if desc {
                Box::new(index[..position(true).unwrap_or(index.len())].iter().rev())
            } else {
                Box::new(index[position(false).unwrap_or(0)..].iter())
            };
            let items = ordered
                .filter_map(|(ms, id)| contacts.get(id).map(|r| (*ms, r)))
                .filter(|(_, r)| matches(&r.contact, r.created_ms))
                .skip(skip)
                .take(limit)
                .map(|(ms, r)| {
                    let key = if ms == i64::MIN {
                        SortKey::Missing
                    } else {
                        SortKey::Num(ms)
                    };
                    with_search_after(&r.contact, key)
                })
                .collect();
            let total = contacts
                .values()
                .filter(|r| matches(&r.contact, r.created_ms))
                .count();
            (items, total)
        } else {
            let mut all: Vec<(SortKey, &str, &Contact)> = l
                .searchable(now_ms)
                .into_iter()
                .filter(|(_, c, created)| matches(c, *created))
                .map(|(id, c, created)| (sort_key(c, created, &sort_field), id, c))
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
                .map(|(k, _, c)| with_search_after(c, k))
                .collect();
            (items, total)
        };
        Ok((200, json!({"contacts": items, "total": total})))
    }
}

/// A contact's `dateUpdated` in ms, as its sort key reads it (none first).
fn updated_ms(c: &Contact) -> i64 {
    c.date_updated
        .as_deref()
        .and_then(contacts_core::time::parse_rfc3339_ms)
        .unwrap_or(i64::MIN)
}

pub(super) fn with_search_after(c: &Contact, key: SortKey) -> Value {
    let mut v = contact_json(c);
    let k = match key {
        SortKey::Num(n) => json!(n),
        SortKey::Str(s) => json!(s),
        SortKey::Missing => Value::Null,
    };
    v["searchAfter"] = json!([k, c.id]);
    v
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum SortKey {
    Missing,
    Num(i64),
    Str(String),
}

pub(super) fn sort_key_from_json(v: &Value) -> SortKey {
    match v {
        Value::Number(n) => SortKey::Num(n.as_i64().unwrap_or_default()),
        Value::String(s) => SortKey::Str(s.clone()),
        _ => SortKey::Missing,
    }
}

pub(super) fn sort_key(c: &Contact, created_ms: i64, field: &str) -> SortKey {
    match field_value(c, created_ms, field) {
        Some(Value::Number(n)) => SortKey::Num(n.as_i64().unwrap_or_default()),
        Some(Value::String(s)) => SortKey::Str(s.to_lowercase()),
        _ => SortKey::Missing,
    }
}

/// The value search filters and sort see for `field`.
pub(super) fn field_value(c: &Contact, created_ms: i64, field: &str) -> Option<Value> {
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

pub(super) fn validate_filter(f: &Value) -> Result<(), ApiError> {
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

pub(super) fn filter_matches(f: &Value, c: &Contact, created_ms: i64) -> bool {
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
