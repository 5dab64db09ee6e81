//! Flows run through the driver: each event claimed once in the state
//! store, its steps' actions called by name (so custom fields by key and
//! composites work in steps as in any call), each step logged, a stopped
//! run gone on from its log. Here rather than in `flows`, because steps
//! call catalog entries by name. The rules are `crate::flows`'s.

use crate::driver::{Driver, Transport};
use crate::flows::{
    self, AfterError, Flow, FlowRun, Recovery, RunRecord, RunState, Step, StepRecord, StepState,
    Trigger,
};
use crate::mapping::{MapContext, PhoneNumbers};
use crate::state::BoundStore;
use crate::{Error, ErrorCode, Result};
use serde_json::{Map, Value, json};

/// How many times a dispatch reads a run again after losing a race to
/// create or take it.
const CLAIM_ATTEMPTS: usize = 3;

/// The most runs a log listing or a resume reads.
const MAX_LISTED_RUNS: usize = 10_000;

/// What one polled dispatch of a flow did.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowPoll {
    /// Each polled event's run, oldest first.
    pub runs: Vec<FlowRun>,
    /// Whether the poll's request bound cut it short: poll again soon.
    pub more: bool,
    /// Requests the poll itself sent (the runs' are theirs).
    pub requests: u64,
}

impl FlowPoll {
    /// `{runs, more, requests}`, what the JSON surfaces return.
    pub fn to_json(&self) -> Value {
        json!({
            "runs": self.runs.iter().map(FlowRun::to_json).collect::<Vec<_>>(),
            "more": self.more,
            "requests": self.requests,
        })
    }
}

/// A run being advanced: its record and the version this runner last wrote.
struct Run<'a> {
    store: &'a BoundStore,
    key: String,
    version: u64,
    record: RunRecord,
    lease_ms: u64,
}

impl Run<'_> {
    /// Writes the record if nobody else has since; renews the lease, or
    /// gives it up when the run is over or `release`.
    ///
    /// Errors: State when another runner has written it (this one stops).
    async fn commit(&mut self, now_ms: u64, release: bool) -> Result<()> {
        self.record.updated_at_ms = now_ms;
        self.record.lease_until_ms = if release || self.record.state.is_final() {
            now_ms
        } else {
            now_ms.saturating_add(self.lease_ms)
        };
        let written = self
            .store
            .compare_and_set(
                &self.key,
                Some(self.version),
                &self.record.to_json(),
                Some(flows::RUN_TTL_MS),
                now_ms,
            )
            .await?;
        match written {
            Some(version) => {
                self.version = version;
                Ok(())
            }
            None => Err(Error::new(
                ErrorCode::State,
                format!(
                    "run {} of flow {} was taken over by another runner; this one stops",
                    self.record.run_id, self.record.flow
                ),
            )),
        }
    }
}

impl<T: Transport> Driver<T> {
    /// Runs `flow` for `event` (a HighLevel event, verified or polled, or a
    /// host event `{type, id, data}`), once: a second dispatch of the same
    /// event sends nothing and returns the run as logged (`replayed`). An
    /// event of another trigger is `ignored`, and nothing is stored. A run
    /// left by a runner that stopped goes on once its lease lapses. Phones
    /// in the flow's mapping are read with `phones`.
    ///
    /// A step refused for good (bad params, a 4xx) ends the run `failed`,
    /// and one whose effect cannot be told ends it `unknownOutcome`; both
    /// are results, not errors.
    ///
    /// Errors: InvalidArgument for an event that is not one (no `type`, a
    /// host event without an id); State without a store, for a store that
    /// fails or holds a corrupt record (fail closed: nothing is sent), or
    /// when another runner took the run over; a step's error that leaves it
    /// resumable (a lost answer, a spent budget), after which a dispatch of
    /// the event goes on.
    pub async fn dispatch_flow(
        &self,
        flow: &Flow,
        event: Value,
        phones: Option<&dyn PhoneNumbers>,
    ) -> Result<FlowRun> {
        let store = self.state("flows")?;
        let accepted = match flows::accept(&flow.trigger, event)? {
            Ok(accepted) => accepted,
            Err(reason) => return Ok(ignored(flow, reason)),
        };
        let run_id = flows::run_id(&flow.name, &accepted.key);
        let key = flows::run_key(&flow.name, &run_id);
        for _ in 0..CLAIM_ATTEMPTS {
            let now = self.transport().now_ms();
            if let Some(held) = store.get(&key, now).await? {
                let record = RunRecord::from_json(&held.value, &key)?;
                if record.state.is_final() || record.lease_until_ms > now {
                    return Ok(FlowRun {
                        record,
                        replayed: true,
                    });
                }
                let mut run = Run {
                    store,
                    key: key.clone(),
                    version: held.version,
                    record,
                    lease_ms: flow.lease_ms,
                };
                match run.commit(now, false).await {
                    Ok(()) => return self.advance(flow, run, true).await,
                    Err(e) if e.code() == ErrorCode::State => continue,
                    Err(e) => return Err(e),
                }
            }
            let record = self.start(flow, &run_id, &accepted, store, phones).await?;
            let now = self.transport().now_ms();
            let mut record = record;
            record.updated_at_ms = now;
            record.lease_until_ms = if record.state.is_final() {
                now
            } else {
                now.saturating_add(flow.lease_ms)
            };
            let Some(version) = store
                .compare_and_set(&key, None, &record.to_json(), Some(flows::RUN_TTL_MS), now)
                .await?
            else {
                continue;
            };
            if record.state.is_final() {
                return Ok(FlowRun {
                    record,
                    replayed: false,
                });
            }
            let run = Run {
                store,
                key: key.clone(),
                version,
                record,
                lease_ms: flow.lease_ms,
            };
            return self.advance(flow, run, false).await;
        }
        Err(Error::new(
            ErrorCode::State,
            format!(
                "run {run_id} of flow {} changed under every one of {CLAIM_ATTEMPTS} attempts to claim it",
                flow.name
            ),
        ))
    }

    /// Goes on with every run of `flow` a runner left unfinished whose lease
    /// has lapsed (a process that died mid-run), as a dispatch of its event
    /// would. What a restarted runner calls first.
    ///
    /// Errors as [`Driver::dispatch_flow`]; the runs before the failing one
    /// stay advanced.
    pub async fn resume_flow_runs(
        &self,
        flow: &Flow,
        phones: Option<&dyn PhoneNumbers>,
    ) -> Result<Vec<FlowRun>> {
        let mut resumed = Vec::new();
        for record in self.flow_runs(Some(&flow.name), MAX_LISTED_RUNS).await? {
            let now = self.transport().now_ms();
            if record.state == RunState::Running && record.lease_until_ms <= now {
                resumed.push(self.dispatch_flow(flow, record.event, phones).await?);
            }
        }
        Ok(resumed)
    }

    /// The run log of the flow named `flow` (of every flow when `None`): up
    /// to `limit` runs, the latest started first.
    ///
    /// Errors: State without a store, or for a corrupt record (named).
    pub async fn flow_runs(&self, flow: Option<&str>, limit: usize) -> Result<Vec<RunRecord>> {
        let store = self.state("flows")?;
        let now = self.transport().now_ms();
        let prefix = flow.map_or_else(|| flows::ALL_FLOWS_PREFIX.to_owned(), flows::runs_prefix);
        let mut runs = store
            .list(&prefix, MAX_LISTED_RUNS, now)
            .await?
            .into_iter()
            .filter(|(key, _)| flows::is_run_key(key))
            .map(|(key, held)| RunRecord::from_json(&held.value, &key))
            .collect::<Result<Vec<_>>>()?;
        runs.sort_by(|a, b| {
            b.started_at_ms
                .cmp(&a.started_at_ms)
                .then_with(|| a.run_id.cmp(&b.run_id))
        });
        runs.truncate(limit);
        Ok(runs)
    }

    /// One run of the flow named `flow`, by its id, if it is logged.
    ///
    /// Errors: State without a store, or for a corrupt record.
    pub async fn flow_run(&self, flow: &str, run_id: &str) -> Result<Option<RunRecord>> {
        let store = self.state("flows")?;
        let key = flows::run_key(flow, run_id);
        match store.get(&key, self.transport().now_ms()).await? {
            Some(held) => RunRecord::from_json(&held.value, &key).map(Some),
            None => Ok(None),
        }
    }

    /// Polls `flow`'s trigger once (params as [`Driver::poll`] takes them)
    /// and dispatches each event; the checkpoint is kept in the state store
    /// (`flow/<name>/checkpoint`) and moved only once every event was
    /// dispatched, so a poll that stops midway reports its events again,
    /// and their runs replay. The first poll is the baseline: it runs
    /// nothing.
    ///
    /// Errors: InvalidArgument for a host-event flow or a trigger only
    /// webhooks report; State for a stored checkpoint that is not text;
    /// then as [`Driver::poll`] and [`Driver::dispatch_flow`].
    pub async fn poll_flow(
        &self,
        flow: &Flow,
        params: Value,
        phones: Option<&dyn PhoneNumbers>,
    ) -> Result<FlowPoll> {
        let kind = match &flow.trigger {
            Trigger::Event(kind) if crate::triggers::find(kind).is_some() => kind,
            Trigger::Event(kind) => {
                return Err(Error::invalid_argument(format!(
                    "flow {}: {kind} is not a polled trigger; run it on webhooks",
                    flow.name
                )));
            }
            Trigger::Host(_) => {
                return Err(Error::invalid_argument(format!(
                    "flow {} runs on host events, which are submitted, not polled",
                    flow.name
                )));
            }
        };
        let store = self.state("flows")?;
        let key = flows::checkpoint_key(&flow.name);
        let checkpoint = match store.get(&key, self.transport().now_ms()).await? {
            None => None,
            Some(held) => match held.value {
                Value::String(text) => Some(text),
                _ => {
                    return Err(Error::new(
                        ErrorCode::State,
                        format!("the checkpoint under {key} is not text (corrupt)"),
                    ));
                }
            },
        };
        let polled = self.poll(kind, params, checkpoint.as_deref()).await?;
        let mut runs = Vec::with_capacity(polled.events.len());
        for event in polled.events {
            runs.push(self.dispatch_flow(flow, event, phones).await?);
        }
        store
            .put(
                &key,
                &Value::String(polled.checkpoint),
                None,
                self.transport().now_ms(),
            )
            .await?;
        Ok(FlowPoll {
            runs,
            more: polled.more,
            requests: polled.requests,
        })
    }

    /// The record a new run starts with: skipped when the event echoes the
    /// flow's own write at the depth bound or the condition does not hold,
    /// invalid when the mapping refuses it, else running.
    async fn start(
        &self,
        flow: &Flow,
        run_id: &str,
        accepted: &flows::Accepted,
        store: &BoundStore,
        phones: Option<&dyn PhoneNumbers>,
    ) -> Result<RunRecord> {
        let now = self.transport().now_ms();
        let mut record = RunRecord {
            run_id: run_id.to_owned(),
            flow: flow.name.clone(),
            flow_fingerprint: flow.fingerprint().to_owned(),
            event_key: accepted.key.clone(),
            event_type: accepted.kind.clone(),
            state: RunState::Running,
            reason: None,
            depth: self.depth_of(flow, &accepted.event, store).await?,
            started_at_ms: now,
            updated_at_ms: now,
            lease_until_ms: now,
            event: accepted.event.clone(),
            mapped: None,
            errors: Vec::new(),
            steps: flow
                .steps
                .iter()
                .map(|s| StepRecord {
                    name: s.name.clone(),
                    action: s.action.to_owned(),
                    state: StepState::Pending,
                    result: None,
                    error: None,
                    recovered: None,
                })
                .collect(),
        };
        if record.depth >= flow.max_depth {
            record.state = RunState::Skipped;
            record.reason = Some(format!(
                "caused by this flow's own write (depth {}, maxDepth {})",
                record.depth, flow.max_depth
            ));
            return Ok(record);
        }
        let mut data = json!({
            "event": accepted.event,
            "now": crate::time::format_rfc3339_ms(now as i64),
        });
        if let Some(mapping) = &flow.mapping {
            let mapper = self.mapper(mapping.template.clone(), None).await?;
            let offsets = |zone: &str, utc_ms: i64| self.transport().zone_offset_s(zone, utc_ms);
            let cx = MapContext {
                phones,
                zone_offsets: &offsets,
            };
            match mapper.map(&mapping.input(&data), &cx) {
                Ok(mapped) => {
                    data["mapped"] = mapped.clone();
                    record.mapped = Some(mapped);
                }
                Err(errors) => {
                    record.state = RunState::Invalid;
                    record.reason = Some(format!("the mapping refused {}", mapping.from));
                    record.errors = errors.iter().map(|e| e.to_json(&mapping.from)).collect();
                    return Ok(record);
                }
            }
        }
        if let Some(condition) = &flow.condition
            && !condition.eval(&data)
        {
            record.state = RunState::Skipped;
            record.reason = Some("the condition does not hold".into());
        }
        Ok(record)
    }

    /// How many of the flow's own writes led to `event`: one more than the
    /// run whose contact update it echoes, or whose marker its body
    /// carries; 0 for an outside change.
    async fn depth_of(&self, flow: &Flow, event: &Value, store: &BoundStore) -> Result<u32> {
        let now = self.transport().now_ms();
        if let Some((run_id, _)) = event["body"].as_str().and_then(flows::marked_run) {
            let key = flows::run_key(&flow.name, run_id);
            if let Some(held) = store.get(&key, now).await? {
                return Ok(RunRecord::from_json(&held.value, &key)?.depth + 1);
            }
        }
        if !event["type"]
            .as_str()
            .is_some_and(|t| t.starts_with("Contact"))
        {
            return Ok(0);
        }
        for record in flows::echoes::records_of(event) {
            if let Some(echo) = store
                .get(&flows::echo_key(&flow.name, &record), now)
                .await?
                && let Some(depth) = flows::echoes::echoed_depth(&echo.value, event)
            {
                return Ok(depth + 1);
            }
        }
        Ok(0)
    }

    /// Runs the steps a run has not finished, in order, logging each.
    /// `resumed`: the run was left by a runner that stopped, so a step it
    /// may have sent without logging (a marker step, whose intent is not
    /// logged) is looked for before it is sent.
    async fn advance(&self, flow: &Flow, mut run: Run<'_>, resumed: bool) -> Result<FlowRun> {
        let names_match = run.record.steps.len() == flow.steps.len()
            && run
                .record
                .steps
                .iter()
                .zip(&flow.steps)
                .all(|(r, s)| r.name == s.name && r.action == s.action);
        if !names_match {
            return Err(Error::new(
                ErrorCode::State,
                format!(
                    "run {} was started by another version of flow {} (fingerprint {}), whose steps differ; it is left as logged",
                    run.record.run_id, flow.name, run.record.flow_fingerprint
                ),
            ));
        }
        let mut data = json!({
            "now": crate::time::format_rfc3339_ms(run.record.started_at_ms as i64),
            "event": run.record.event,
            "mapped": run.record.mapped.clone().unwrap_or(Value::Null),
            "steps": {},
        });
        let last = flow.steps.len() - 1;
        for (i, step) in flow.steps.iter().enumerate() {
            let state = run.record.steps[i].state;
            match state {
                StepState::Done | StepState::Skipped => {
                    data["steps"][step.name.as_str()] =
                        json!({ "result": run.record.steps[i].result });
                    continue;
                }
                StepState::Failed | StepState::UnknownOutcome => break,
                StepState::Pending | StepState::Sending => {}
            }
            if let Some(condition) = &step.condition
                && !condition.eval(&data)
            {
                run.record.steps[i].state = StepState::Skipped;
                data["steps"][step.name.as_str()] = json!({ "result": null });
                continue;
            }
            let mut params = step.params.render(&data);
            if step.needs_location
                && let Some(object) = params.as_object_mut()
                && !object.contains_key("locationId")
                && let Some(location) = self.engine().credentials_snapshot().location_id()
            {
                object.insert("locationId".into(), location.into());
            }
            let marker = flows::marker(&run.record.run_id, &step.name);
            if let Recovery::Marker { .. } = step.recovery {
                let body = flows::with_marker(params["body"].as_str(), &marker);
                params["body"] = body.into();
            }
            let maybe_sent = state == StepState::Sending
                || (resumed && matches!(step.recovery, Recovery::Marker { .. }));
            if maybe_sent {
                match self.settle(step, &params, &marker).await? {
                    Settled::Found(result) => {
                        self.finish_step(&mut run, i, i == last, result, "marker")
                            .await?;
                        data["steps"][step.name.as_str()] =
                            json!({ "result": run.record.steps[i].result });
                        continue;
                    }
                    Settled::Send(how) => run.record.steps[i].recovered = Some(how.into()),
                    Settled::Unknown => {
                        let s = &mut run.record.steps[i];
                        s.state = StepState::UnknownOutcome;
                        run.record.state = RunState::UnknownOutcome;
                        run.record.reason = Some(format!(
                            "step {} ({}) may have been sent before the runner stopped, and nothing tells whether it took effect; it is not sent again",
                            step.name, step.action
                        ));
                        run.commit(self.transport().now_ms(), true).await?;
                        return Ok(FlowRun {
                            record: run.record,
                            replayed: false,
                        });
                    }
                }
            }
            if step.recovery.logs_intent() && state != StepState::Sending {
                run.record.steps[i].state = StepState::Sending;
                run.commit(self.transport().now_ms(), false).await?;
            }
            if let Some((record, fields)) = flows::echoes::written(step.action, &params) {
                let event = &run.record.event;
                let before = flows::echoes::is_of(event, &record).then_some(event);
                let entry =
                    flows::echoes::entry(&run.record.run_id, run.record.depth, &fields, before);
                let now = self.transport().now_ms();
                run.store
                    .put(
                        &flows::echo_key(&flow.name, &record),
                        &entry,
                        Some(flows::ECHO_TTL_MS),
                        now,
                    )
                    .await?;
            }
            match self.call(step.action, params).await {
                Ok(result) => {
                    let how = run.record.steps[i].recovered.take();
                    let how = how.as_deref().unwrap_or_default().to_owned();
                    self.finish_step(&mut run, i, i == last, result, &how)
                        .await?;
                    data["steps"][step.name.as_str()] =
                        json!({ "result": run.record.steps[i].result });
                }
                Err(e) => match flows::after_error(e.code()) {
                    AfterError::Refused => {
                        let s = &mut run.record.steps[i];
                        s.state = StepState::Failed;
                        s.error =
                            Some(json!({ "code": e.code().as_str(), "message": e.message() }));
                        run.record.state = RunState::Failed;
                        run.record.reason =
                            Some(format!("step {} ({}) was refused", step.name, step.action));
                        run.commit(self.transport().now_ms(), true).await?;
                        return Ok(FlowRun {
                            record: run.record,
                            replayed: false,
                        });
                    }
                    how @ (AfterError::Retry | AfterError::MaybeApplied) => {
                        if how == AfterError::Retry {
                            run.record.steps[i].state = StepState::Pending;
                        }
                        // Given up at once, so the next dispatch goes on.
                        let _ = run.commit(self.transport().now_ms(), true).await;
                        return Err(e.context(&format!(
                            "flow {} run {} step {}",
                            flow.name, run.record.run_id, step.name
                        )));
                    }
                },
            }
        }
        if run.record.state == RunState::Running {
            run.record.state = RunState::Done;
            run.commit(self.transport().now_ms(), true).await?;
        }
        Ok(FlowRun {
            record: run.record,
            replayed: false,
        })
    }

    /// Logs step `i` done with `result` (the run done too when it is the
    /// last): one commit.
    async fn finish_step(
        &self,
        run: &mut Run<'_>,
        i: usize,
        last: bool,
        result: Value,
        recovered: &str,
    ) -> Result<()> {
        let s = &mut run.record.steps[i];
        s.state = StepState::Done;
        s.result = Some(result);
        s.recovered = (!recovered.is_empty()).then(|| recovered.to_owned());
        if last {
            run.record.state = RunState::Done;
        }
        run.commit(self.transport().now_ms(), last).await
    }

    /// What to do with a step logged as sending (its answer never logged).
    async fn settle(&self, step: &Step, params: &Value, marker: &str) -> Result<Settled> {
        match step.recovery {
            Recovery::Marker {
                list_op,
                items,
                result_field,
            } => {
                let by_contact = json!({ "contactId": params["contactId"] });
                let list = self.call(list_op, by_contact).await?;
                Ok(match flows::find_marked(&list, items, marker) {
                    Some(item) => {
                        let mut result = Map::new();
                        result.insert(result_field.into(), item.clone());
                        Settled::Found(Value::Object(result))
                    }
                    None => Settled::Send("notSent"),
                })
            }
            Recovery::Resend => Ok(Settled::Send("resent")),
            Recovery::Unknown => Ok(Settled::Unknown),
        }
    }
}

/// How a step whose answer was never logged is settled.
enum Settled {
    /// Its marker found what it made: this is its result.
    Found(Value),
    /// Send it (again), recorded as this.
    Send(&'static str),
    /// Nothing can tell.
    Unknown,
}

/// The outcome of an event that is not `flow`'s trigger's.
fn ignored(flow: &Flow, reason: String) -> FlowRun {
    FlowRun {
        record: RunRecord {
            run_id: String::new(),
            flow: flow.name.clone(),
            flow_fingerprint: flow.fingerprint().to_owned(),
            event_key: String::new(),
            event_type: String::new(),
            state: RunState::Ignored,
            reason: Some(reason),
            depth: 0,
            started_at_ms: 0,
            updated_at_ms: 0,
            lease_until_ms: 0,
            event: Value::Null,
            mapped: None,
            errors: Vec::new(),
            steps: Vec::new(),
        },
        replayed: false,
    }
}
