//! A run's record in the state store: the run log a host lists and shows,
//! and what lets a run go on after a crash. One entry per (flow, event),
//! under `flow/<name>/run/<runId>`, written only by compare-and-set on its
//! version, so two runners never both advance one run.

use crate::{Error, ErrorCode, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// How long a run's record is kept: an event delivered again after this
/// runs again. HighLevel redelivers for about an hour; polls replay a
/// checkpoint's events within one interval.
pub const RUN_TTL_MS: u64 = 30 * 24 * 3_600_000;

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum RunState {
    /// Steps are being run (or were, by a runner that stopped: its lease
    /// lapses and the next dispatch of the event, or a resume, goes on).
    Running,
    /// Every step ran or was skipped by its condition.
    Done,
    /// Not run: the condition did not hold, or the event was caused by the
    /// flow's own write (`reason` says which).
    Skipped,
    /// Not run: the mapping refused the event (`errors`).
    Invalid,
    /// A step was refused (`steps[].error`); the steps after it did not run.
    Failed,
    /// A step may or may not have taken effect and nothing can tell: it is
    /// never sent again, and the steps after it do not run.
    UnknownOutcome,
    /// Not this flow's trigger. Never stored.
    Ignored,
}

impl RunState {
    /// Whether the run is over: a dispatch of its event sends nothing.
    pub fn is_final(self) -> bool {
        !matches!(self, RunState::Running)
    }
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub enum StepState {
    /// Not sent.
    Pending,
    /// About to be sent, or sent with its answer not logged.
    Sending,
    /// Answered; `result` holds the answer.
    Done,
    /// Its condition did not hold.
    Skipped,
    /// Refused; `error` says why.
    Failed,
    /// Maybe sent, and nothing can tell.
    UnknownOutcome,
}

/// One step's line of the log.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    /// The step's name.
    pub name: String,
    /// Its catalog action.
    pub action: String,
    /// Where it stands.
    pub state: StepState,
    /// The action's result, once done.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<Value>,
    /// `{code, message}` when it failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<Value>,
    /// How a step whose answer was not logged was settled: `marker` (found
    /// by its marker), `resent` (sent again, harmlessly), `notSent` (its
    /// marker was not found, so it was sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recovered: Option<String>,
}

/// A run: what the log shows, and what a runner resumes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RunRecord {
    /// 20 hex digits, from the flow's name and the event's key.
    pub run_id: String,
    /// The flow's name.
    pub flow: String,
    /// The version of the flow that started it ([`super::Flow::fingerprint`]).
    pub flow_fingerprint: String,
    /// What makes the event one event: its dedupe id, or a host event's
    /// type and id.
    pub event_key: String,
    /// The event's type.
    pub event_type: String,
    /// Where it stands.
    pub state: RunState,
    /// Why it was skipped, failed or stopped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// 0 for an outside change; n for an event caused by a run of depth n-1.
    pub depth: u32,
    /// When it started, Unix ms.
    pub started_at_ms: u64,
    /// When it was last written, Unix ms.
    pub updated_at_ms: u64,
    /// Until when its runner holds it, Unix ms.
    pub lease_until_ms: u64,
    /// The event, as dispatched.
    pub event: Value,
    /// The mapping's output, when the flow maps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mapped: Option<Value>,
    /// The mapping's errors, each `{path, target?, message}`, when invalid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<Value>,
    /// The steps, in run order.
    pub steps: Vec<StepRecord>,
}

impl RunRecord {
    /// The record as stored and as the log shows it.
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Reads a stored record.
    ///
    /// Errors: State naming `key` for anything that is not a run record:
    /// the flow fails closed rather than run the event again.
    pub fn from_json(value: &Value, key: &str) -> Result<RunRecord> {
        serde_json::from_value(value.clone()).map_err(|e| {
            Error::new(
                ErrorCode::State,
                format!("the run record under {key} is corrupt ({e}); the flow stops rather than run its event again"),
            )
        })
    }
}

/// One dispatch's outcome: the run's record, and whether this dispatch
/// found it already over or held by another runner (and so sent nothing).
#[derive(Clone, Debug, PartialEq)]
pub struct FlowRun {
    /// The run (for an ignored event, a record with state `ignored`).
    pub record: RunRecord,
    /// Whether an earlier dispatch of this event had run it, or another
    /// runner holds it: nothing was sent.
    pub replayed: bool,
}

impl FlowRun {
    /// The record's JSON with `replayed`: what every surface returns.
    pub fn to_json(&self) -> Value {
        let mut v = self.record.to_json();
        v["replayed"] = self.replayed.into();
        v
    }
}

/// The JSON Schema of a run as every surface returns it (the record and
/// `replayed`), as the catalog serves it (`flowRun`).
#[cfg(feature = "schema")]
pub fn run_schema() -> Value {
    let mut schema = crate::schema::schema_of::<RunRecord>();
    schema["title"] = "FlowRun".into();
    schema["properties"]["replayed"] = serde_json::json!({
        "type": "boolean",
        "description": "Whether an earlier dispatch of this event had run it, or another runner holds it: nothing was sent."
    });
    if let Some(required) = schema["required"].as_array_mut() {
        required.push("replayed".into());
    }
    schema
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The run id of `event_key` in flow `flow`.
pub(crate) fn run_id(flow: &str, event_key: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(flow.as_bytes());
    hash.update([0]);
    hash.update(event_key.as_bytes());
    hex(&hash.finalize()[..10])
}

/// The store key of a run.
pub(crate) fn run_key(flow: &str, run_id: &str) -> String {
    format!("{}{run_id}", runs_prefix(flow))
}

/// The prefix of every key flows keep.
pub(crate) const ALL_FLOWS_PREFIX: &str = "flow/";

/// Whether store key `key` is a run's (`flow/<name>/run/<id>`).
pub(crate) fn is_run_key(key: &str) -> bool {
    key.strip_prefix(ALL_FLOWS_PREFIX)
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(_, rest)| rest.starts_with("run/"))
}

/// The prefix of every run of `flow`.
pub(crate) fn runs_prefix(flow: &str) -> String {
    format!("flow/{flow}/run/")
}

/// The store key of the echo of a write to `record` (`id:…`, `email:…`).
pub(crate) fn echo_key(flow: &str, record: &str) -> String {
    format!("flow/{flow}/echo/{}", hex(&Sha256::digest(record)[..10]))
}

/// The store key of a polled flow's checkpoint.
pub(crate) fn checkpoint_key(flow: &str) -> String {
    format!("flow/{flow}/checkpoint")
}
