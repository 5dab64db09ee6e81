//! How a step whose outcome was never logged is settled when its run goes
//! on (after a crash, or an answer lost in transit): looked for by the
//! marker the step wrote, sent again when sending twice does no harm, or
//! else recorded as `unknownOutcome` and never sent again.

use serde_json::Value;

/// How a step's effect is found when its outcome is unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Recovery {
    /// A create whose body carries the step's marker: the contact's list
    /// (`list_op`, items under `items`) shows whether it was made; its
    /// result is the found item under `result_field`.
    Marker {
        list_op: &'static str,
        items: &'static str,
        result_field: &'static str,
    },
    /// Sending it again has the effect of sending it once: an idempotent
    /// operation, `contacts.upsert` (HighLevel's duplicate rules find the
    /// contact it made), or an idempotent composite (`contacts.capture`,
    /// keyed by its idempotency key).
    Resend,
    /// Neither: an unknown outcome stays unknown.
    Unknown,
}

impl Recovery {
    /// The recovery of catalog action `action`.
    pub(crate) fn of(action: &str) -> Recovery {
        match action {
            "tasks.create" => Recovery::Marker {
                list_op: "tasks.list",
                items: "tasks",
                result_field: "task",
            },
            "notes.create" => Recovery::Marker {
                list_op: "notes.list",
                items: "notes",
                result_field: "note",
            },
            "contacts.upsert" => Recovery::Resend,
            _ => {
                let idempotent = match crate::actions::find(action) {
                    Some(composite) => composite.idempotent,
                    None => crate::ops::by_name::find(action).is_ok_and(|e| e.spec.idempotent),
                };
                if idempotent {
                    Recovery::Resend
                } else {
                    Recovery::Unknown
                }
            }
        }
    }

    /// Its name in a flow's summary: `marker`, `resend` or `unknown`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Recovery::Marker { .. } => "marker",
            Recovery::Resend => "resend",
            Recovery::Unknown => "unknown",
        }
    }

    /// Whether the step's intent is logged before it is sent: only where a
    /// crash would otherwise leave "never sent" and "maybe sent" alike and
    /// nothing could tell them apart. A step sent again harmlessly needs no
    /// intent, nor does a marker step: a resumed run looks for its marker
    /// (one list request, on resume only) instead of every run paying a
    /// durable commit before each create.
    pub(crate) fn logs_intent(self) -> bool {
        matches!(self, Recovery::Unknown)
    }
}

/// The marker a step writes at the end of its body: `[flow <run> <step>]`.
pub(crate) fn marker(run_id: &str, step: &str) -> String {
    format!("[flow {run_id} {step}]")
}

/// The run a body's marker names, with its step, if it carries one.
pub(crate) fn marked_run(body: &str) -> Option<(&str, &str)> {
    let start = body.rfind("[flow ")?;
    let inner = body[start + 6..].split(']').next()?;
    let mut words = inner.split(' ');
    match (words.next(), words.next(), words.next()) {
        (Some(run), Some(step), None) if !run.is_empty() && !step.is_empty() => Some((run, step)),
        _ => None,
    }
}

/// `body` with `marker` on a line of its own at the end.
pub(crate) fn with_marker(body: Option<&str>, marker: &str) -> String {
    match body {
        Some(text) if !text.is_empty() => format!("{text}\n\n{marker}"),
        _ => marker.to_owned(),
    }
}

/// The item of `list` (a list operation's result, items under `items`)
/// whose body carries `marker`.
pub(crate) fn find_marked<'a>(list: &'a Value, items: &str, marker: &str) -> Option<&'a Value> {
    list[items]
        .as_array()?
        .iter()
        .find(|item| item["body"].as_str().is_some_and(|b| b.contains(marker)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_marker_reads_back_as_its_run_and_step() {
        let m = marker("0123abcd", "followUp");
        let body = with_marker(Some("Call them"), &m);
        assert_eq!(marked_run(&body), Some(("0123abcd", "followUp")));
        assert_eq!(marked_run("no marker here"), None);
        assert_eq!(marked_run("[flow broken"), None);
    }

    #[test]
    fn recovery_follows_the_catalog() {
        assert!(matches!(
            Recovery::of("tasks.create"),
            Recovery::Marker { .. }
        ));
        assert_eq!(Recovery::of("contacts.upsert"), Recovery::Resend);
        assert_eq!(Recovery::of("contacts.capture"), Recovery::Resend);
        assert_eq!(Recovery::of("contacts.get"), Recovery::Resend);
        assert_eq!(Recovery::of("tasks.createSet"), Recovery::Unknown);
        assert_eq!(Recovery::of("contacts.create"), Recovery::Unknown);
    }
}
