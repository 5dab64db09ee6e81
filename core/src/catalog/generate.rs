//! Generates `catalog.json` from the Rust types: the operations, the
//! composite actions and the webhook events (the schema feature only).

use crate::webhooks::{EVENT_TYPES, event_schema};
use serde_json::Value;

/// Generates the catalog JSON from the Rust types (what `catalog.json` holds).
pub fn generate() -> Value {
    let actions: Vec<Value> = crate::ops::by_name::entries()
        .iter()
        .map(|e| {
            let s = e.spec;
            let (params, result) = e.schemas();
            let mut action = serde_json::json!({
                "name": s.name,
                "summary": s.summary,
                "category": category_of(s.name),
                "readOnly": read_only(s),
                "destructive": s.method == crate::http::Method::Delete,
                "operationId": s.operation_id,
                "method": s.method.as_str(),
                "path": s.path,
                "scope": s.scope,
                // Every entry lists all the scopes it needs; an operation needs its one.
                "scopes": s.scope.into_iter().collect::<Vec<_>>(),
                "version": s.version,
                "idempotent": s.idempotent,
                "deprecated": s.deprecated,
                "successStatus": s.success_status,
                "pagination": s.pagination.as_str(),
                "token": s.token.as_str(),
                "params": params,
                "result": result,
            });
            // Only where there are any, to keep the catalog small.
            let aliases: Vec<&str> = crate::ops::by_name::aliases_of(s.name).collect();
            if !aliases.is_empty() {
                action["aliases"] = aliases.into();
            }
            if !s.fixed.is_empty() {
                let fixed = s
                    .fixed
                    .iter()
                    .map(|(k, v)| (k.to_string(), Value::from(*v)));
                action["fixed"] = Value::Object(fixed.collect());
            }
            action
        })
        .chain(crate::actions::all().iter().map(|a| {
            let (params, result) = a.schemas();
            let called = || {
                a.calls
                    .iter()
                    .filter_map(|c| crate::ops::by_name::find(c).ok())
            };
            serde_json::json!({
                "name": a.name,
                "summary": a.summary,
                "kind": "composite",
                "category": a.category,
                "readOnly": called().all(|e| read_only(e.spec)),
                "destructive": called().any(|e| e.spec.method == crate::http::Method::Delete),
                "scopes": a.scopes(),
                "idempotent": a.idempotent,
                "pagination": "none",
                "params": params,
                "result": result,
            })
        }))
        .collect();
    // Each trigger type once, however it arrives: the webhook events, with
    // the polled ones' cost, then the triggers only a poll reports.
    let webhook = EVENT_TYPES.iter().map(|e| {
        let polled = crate::triggers::find(e.kind);
        trigger(
            e.kind,
            e.category,
            e.summary,
            e.scope,
            event_schema(e.kind),
            polled,
            true,
        )
    });
    let poll_only = crate::triggers::POLLED
        .iter()
        .filter(|t| !t.webhook)
        .map(|t| {
            let schema = event_schema(t.payload_like);
            trigger(
                t.name,
                t.category(),
                t.summary,
                None,
                schema,
                Some(t),
                false,
            )
        });
    let triggers: Vec<Value> = webhook.chain(poll_only).collect();
    serde_json::json!({
        "name": "libcontacts",
        "apiVersion": crate::CONTACTS_API_VERSION,
        "actions": actions,
        "triggers": triggers,
        "errorCodes": crate::ErrorCode::ALL.map(crate::ErrorCode::as_str),
        "engineOnlyErrorCodes": crate::ErrorCode::ENGINE_ONLY.map(crate::ErrorCode::as_str),
        "language": crate::lang::language_schema(),
        "mapping": crate::mapping::mapping_schema(),
        "flow": crate::flows::flow_schema(),
        "flowRun": crate::flows::run_schema(),
        "settings": super::settings::schemas(),
        "events": {
            "kinds": crate::observe::EVENT_KINDS,
            "levels": crate::observe::Level::ALL.map(crate::observe::Level::as_str),
        },
    })
}

/// One catalog trigger.
fn trigger(
    kind: &str,
    category: &str,
    summary: &str,
    scope: Option<&str>,
    schema: Option<Value>,
    polled: Option<&crate::triggers::PolledTrigger>,
    webhook: bool,
) -> Value {
    let delivery = match (webhook, polled.is_some()) {
        (true, true) => "both",
        (true, false) => "webhook",
        _ => "poll",
    };
    let mut t = serde_json::json!({
        "type": kind,
        "summary": summary,
        "category": category,
        "delivery": delivery,
        "scope": scope,
        "schema": schema.unwrap_or_default(),
    });
    if let Some(p) = polled {
        t["cost"] = Value::from(p.cost);
        t["pollScopes"] = p.scopes().into();
    }
    t
}

/// The catalog group of operation `name`: its first dotted part.
fn category_of(name: &str) -> &str {
    name.split('.').next().unwrap_or(name)
}

/// Whether an operation only reads: a GET, or a read-only scope (the
/// searches that POST a query).
fn read_only(spec: &crate::ops::OpSpec) -> bool {
    spec.method == crate::http::Method::Get || spec.scope.is_some_and(|s| s.ends_with(".readonly"))
}
