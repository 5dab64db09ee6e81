//! Flows: when TRIGGER, if CONDITION, then STEPS, written as JSON data (the
//! catalog's `flow` schema) and run by the driver for every surface.
//!
//! ```json
//! {"name": "followUpNewContact",
//!  "trigger": {"event": "ContactCreate"},
//!  "condition": {"path": "event.email", "op": "exists"},
//!  "steps": [
//!    {"name": "call", "action": "tasks.create",
//!     "params": {"contactId": "{{event.id}}", "title": "Call {{event.firstName}}",
//!                "dueDate": "{{event.dateAdded}}"}},
//!    {"name": "note", "action": "notes.create",
//!     "params": {"contactId": "{{event.id}}", "body": "Task {{steps.call.result.task.id}} set"}}]}
//! ```
//!
//! - **Triggers**: a HighLevel event type, delivered by a verified webhook
//!   or reported by a poll (the same payload and dedupe id, so a change seen
//!   both ways runs once); or a host event `{type, id, data}` the host
//!   submits, deduplicated by its id.
//! - **Mapping** (optional): a mapping template over the event (by default
//!   the HighLevel event, or a host event's `data`), read as `mapped`; an
//!   event it refuses is logged `invalid` with every error, and nothing is
//!   sent.
//! - **Condition** and each step's condition and params are in the one
//!   language ([`crate::lang`]), over `event`, `mapped`, `now` (when the
//!   run started, RFC 3339; `{{now | after:P1D}}` a day later) and
//!   `steps.NAME.result`. Steps run after the steps they read (references
//!   that form a cycle are refused on load), otherwise in order. A step's
//!   params that leave out a `locationId` its action requires get the
//!   credentials' location.
//!
//! **Once per event.** Each (flow, event) has one run record in the state
//! store ([`RunRecord`], the run log), created by compare-and-set and
//! advanced only by compare-and-set on its version under a lease, so
//! replays and concurrent runners (a fleet's processes on one Redis) never
//! run a step twice. A step is logged at most twice: its intent before it
//! is sent (only where a crash would otherwise leave "never sent" and
//! "maybe sent" alike with nothing to tell them apart) and its result
//! after. A run that stopped (a crash,
//! a lost answer) goes on at the next dispatch of its event or a resume,
//! once its lease lapses; a step whose answer was never logged is settled
//! by [`recovery`]: its marker (`[flow <run> <step>]` at the end of a task's
//! or note's body) is looked for, an idempotent one is sent again, and any
//! other is recorded `unknownOutcome` and never sent again.
//!
//! **Loops.** A flow's own writes do not re-trigger it past `maxDepth`
//! (default 1: not at all): an event that echoes a run's contact write
//! (an update by id, an upsert or create by email), or a task or note that
//! carries a run's marker, is one level deeper than that run, and is
//! logged `skipped` at the bound.
//!
//! The runner is [`crate::driver::Driver::dispatch_flow`] and its kin
//! (`catalog/flow_runs.rs`, where the steps' actions are called by name).

mod definition;
mod echo;
mod event;
mod record;
mod recovery;

pub use definition::{DEFAULT_LEASE_MS, DEFAULT_MAX_DEPTH, Flow, MAX_STEPS, Trigger};
pub use echo::ECHO_TTL_MS;
pub use event::MAX_HOST_EVENT_ID_BYTES;
#[cfg(feature = "schema")]
pub use record::run_schema;
pub use record::{FlowRun, RUN_TTL_MS, RunRecord, RunState, StepRecord, StepState};

pub(crate) use definition::Step;
pub(crate) use event::{Accepted, accept};
pub(crate) use record::{
    ALL_FLOWS_PREFIX, checkpoint_key, echo_key, is_run_key, run_id, run_key, runs_prefix,
};
pub(crate) use recovery::{Recovery, find_marked, marked_run, marker, with_marker};

/// The echo rules, for the runner.
pub(crate) mod echoes {
    pub(crate) use super::echo::{echoed_depth, entry, is_of, records_of, written};
}

/// The HTTP status a webhook receiver answers a delivery with, from the
/// code of the error verifying and dispatching it gave (`None`: a run):
/// 200 for a run (done, skipped, replayed, failed or invalid alike: nothing
/// is gained by a redelivery); 401 for a forged or unsigned delivery; 400
/// for one stale, replayed, not JSON or not an event; 429 when the run
/// stopped and can go on, because HighLevel redelivers only after a 429.
/// Every surface's receiver answers by this (the C ABI's
/// `contacts_flow_delivery_status`, the package's `flowDeliveryStatus`).
pub fn delivery_status(error: Option<crate::ErrorCode>) -> u16 {
    use crate::ErrorCode as C;
    match error {
        None => 200,
        Some(C::WebhookSignature) => 401,
        Some(C::WebhookReplay | C::Decode | C::InvalidArgument) => 400,
        Some(_) => 429,
    }
}

/// How a step's failed call leaves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AfterError {
    /// It was not applied and may succeed later (a spent budget, a token to
    /// renew, a store down): the step stays pending and the run resumable.
    Retry,
    /// It may have been applied (a lost answer, a 5xx, a timeout): settled
    /// as after a crash when the run goes on.
    MaybeApplied,
    /// Refused for good (bad params, 4xx): the run fails.
    Refused,
}

/// How an error of `code` leaves the step that met it.
pub(crate) fn after_error(code: crate::ErrorCode) -> AfterError {
    use crate::ErrorCode as C;
    match code {
        C::Transport | C::Timeout | C::Cancelled | C::Server | C::Decode => {
            AfterError::MaybeApplied
        }
        C::RateLimited
        | C::Unauthorized
        | C::TokenStore
        | C::State
        | C::FleetUnavailable
        | C::ReauthRequired
        | C::Host => AfterError::Retry,
        C::InvalidArgument
        | C::Forbidden
        | C::NotFound
        | C::Validation
        | C::UnexpectedStatus
        | C::WebhookSignature
        | C::WebhookReplay => AfterError::Refused,
    }
}

/// The JSON Schema of a flow, as the catalog serves it (`flow`).
pub fn flow_schema() -> serde_json::Value {
    use serde_json::json;
    let name = |pattern: &str, description: &str| json!({"type": "string", "pattern": pattern, "description": description});
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "FlowDefinition",
        "description": "When the trigger fires, if the condition holds, run the steps: each a catalog action with params templated from {{event…}}, {{mapped…}} and {{steps.NAME.result…}}. Each (flow, event) runs once.",
        "type": "object",
        "required": ["name", "trigger", "steps"],
        "additionalProperties": false,
        "properties": {
            "name": name("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", "keys the run log: runs of flows of one name are one log"),
            "description": {"type": "string"},
            "trigger": {"oneOf": [
                {"type": "object", "required": ["event"], "additionalProperties": false,
                 "properties": {"event": {"type": "string", "description": "a HighLevel event type (the catalog's triggers), by webhook or poll"}}},
                {"type": "object", "required": ["hostEvent"], "additionalProperties": false,
                 "properties": {"hostEvent": {"type": "string", "minLength": 1, "maxLength": 128,
                    "description": "the type of a host event {type, id, data}, deduplicated by its id"}}}
            ]},
            "mapping": {"type": "object", "required": ["template"], "additionalProperties": false,
                "properties": {
                    "template": {"description": "a mapping template (the catalog's mapping schema)"},
                    "from": {"type": "string", "description": "the path it reads: event for a HighLevel event, event.data for a host event, by default"}}},
            "condition": {"description": "a condition of the language over event and mapped"},
            "steps": {"type": "array", "minItems": 1, "maxItems": MAX_STEPS, "items": {
                "type": "object", "required": ["name", "action"], "additionalProperties": false,
                "properties": {
                    "name": name("^[A-Za-z_][A-Za-z0-9_]{0,63}$", "read by later steps as steps.NAME.result"),
                    "action": {"type": "string", "description": "a catalog action: an operation or a composite"},
                    "params": {"type": "object", "description": "the action's params, a template of the language"},
                    "condition": {"description": "a condition of the language: the step is skipped when it does not hold"}}}},
            "maxDepth": {"type": "integer", "minimum": 1, "maximum": 8, "default": DEFAULT_MAX_DEPTH,
                "description": "how many levels of events caused by the flow's own writes run: 1, only outside changes"},
            "leaseMs": {"type": "integer", "minimum": 100, "maximum": 3_600_000, "default": DEFAULT_LEASE_MS,
                "description": "how long a runner holds a run before another may take it over; each commit renews it, so keep it longer than the longest step (a call's deadline is callTimeoutMs, and a composite makes several calls)"}
        }
    })
}
