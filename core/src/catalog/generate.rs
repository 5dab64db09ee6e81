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
            serde_json::json!({
                "name": a.name,
                "summary": a.summary,
                "kind": "composite",
                "category": a.category,
                "scopes": a.scopes(),
                "idempotent": a.idempotent,
                "pagination": "none",
                "params": params,
                "result": result,
            })
        }))
        .collect();
    let triggers: Vec<Value> = EVENT_TYPES
        .iter()
        .map(|(kind, summary, scope)| {
            let schema = event_schema(kind).unwrap_or_default();
            serde_json::json!({ "type": kind, "summary": summary, "scope": scope, "schema": schema })
        })
        .collect();
    serde_json::json!({
        "name": "libcontacts",
        "apiVersion": crate::CONTACTS_API_VERSION,
        "actions": actions,
        "triggers": triggers,
        "errorCodes": crate::ErrorCode::ALL.map(crate::ErrorCode::as_str),
        "engineOnlyErrorCodes": crate::ErrorCode::ENGINE_ONLY.map(crate::ErrorCode::as_str),
        "language": crate::lang::language_schema(),
        "settings": super::settings::schemas(),
    })
}
