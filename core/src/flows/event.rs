//! What a dispatched event is to a flow: its trigger's or not, and the key
//! that makes it one event (so a delivery, a poll and a host's resubmission
//! of one change run once).

use super::Trigger;
use crate::{Error, Result};
use serde_json::Value;

/// The longest host event id, in bytes.
pub const MAX_HOST_EVENT_ID_BYTES: usize = 256;

/// An event a flow takes.
pub(crate) struct Accepted {
    /// What makes it one event.
    pub(crate) key: String,
    /// Its type.
    pub(crate) kind: String,
    /// The event.
    pub(crate) event: Value,
}

/// Reads `event` for a flow started by `trigger`: `Ok(Err(reason))` when it
/// is another trigger's (ignored, nothing stored).
///
/// Errors: InvalidArgument for an event that is not an object with a text
/// `type`, or a host event without a text `id` (1 to
/// [`MAX_HOST_EVENT_ID_BYTES`] bytes).
pub(crate) fn accept(
    trigger: &Trigger,
    event: Value,
) -> Result<std::result::Result<Accepted, String>> {
    let kind = match event.get("type") {
        Some(Value::String(kind)) if event.is_object() => kind.clone(),
        _ => {
            return Err(Error::invalid_argument(
                "the event is an object with a text type: a HighLevel event, or a host event {type, id, data}",
            ));
        }
    };
    match trigger {
        Trigger::Event(wanted) if *wanted != kind => {
            Ok(Err(format!("a {kind} event; this flow runs on {wanted}")))
        }
        Trigger::Host(wanted) if *wanted != kind => Ok(Err(format!(
            "a {kind:?} host event; this flow runs on {wanted:?}"
        ))),
        Trigger::Event(_) => Ok(Ok(Accepted {
            key: crate::webhooks::dedupe_id(&event),
            kind,
            event,
        })),
        Trigger::Host(_) => {
            let id = match event.get("id") {
                Some(Value::String(id))
                    if !id.is_empty() && id.len() <= MAX_HOST_EVENT_ID_BYTES =>
                {
                    id
                }
                _ => {
                    return Err(Error::invalid_argument(format!(
                        "$.id: a host event needs a text id of 1 to {MAX_HOST_EVENT_ID_BYTES} bytes, which runs it once"
                    )));
                }
            };
            if let Some(extra) = event.as_object().and_then(|o| {
                o.keys()
                    .find(|k| !matches!(k.as_str(), "type" | "id" | "data"))
            }) {
                return Err(Error::invalid_argument(format!(
                    "$.{extra}: a host event is {{type, id, data}}"
                )));
            }
            Ok(Ok(Accepted {
                key: format!("host\u{0}{kind}\u{0}{id}"),
                kind,
                event,
            }))
        }
    }
}
