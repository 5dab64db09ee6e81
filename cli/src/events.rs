//! `-v` / `-vv` and `--log-json FILE`: the client's event stream as one
//! readable line each on stderr, and as JSON lines in a file.

use contacts_core::observe::{Event, Level, Observer, ObserverOptions};
use contacts_core::{Error, ErrorCode};
use serde_json::Value;
use std::io::Write;
use std::sync::Mutex;

/// Where the events go.
pub struct EventSink {
    /// Lines on stderr from this level up, if any.
    stderr: Option<Level>,
    /// Every event, as JSON lines.
    file: Option<Mutex<std::fs::File>>,
}

impl EventSink {
    /// A sink for `-v` counted `verbose` times and `--log-json`; `None`
    /// when neither asks for anything. Errors: the file cannot be opened.
    pub fn open(
        verbose: u8,
        log_json: Option<&std::path::Path>,
    ) -> Result<Option<(EventSink, ObserverOptions)>, Error> {
        let stderr = match verbose {
            0 => None,
            1 => Some(Level::Info),
            _ => Some(Level::Debug),
        };
        let file = match log_json {
            Some(path) => Some(Mutex::new(
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .map_err(|e| {
                        Error::new(
                            ErrorCode::InvalidArgument,
                            format!("--log-json {}: {e}", path.display()),
                        )
                    })?,
            )),
            None => None,
        };
        if stderr.is_none() && file.is_none() {
            return Ok(None);
        }
        // The file gets everything; stderr filters on its own level.
        let min_level = if file.is_some() {
            Level::Debug
        } else {
            stderr.unwrap_or(Level::Info)
        };
        let options = ObserverOptions {
            min_level,
            contact_data: false,
        };
        Ok(Some((EventSink { stderr, file }, options)))
    }
}

impl Observer for EventSink {
    fn event(&self, event: &Event<'_>) {
        let json = event.to_json();
        if let Some(file) = &self.file {
            let mut f = file.lock().unwrap_or_else(|p| p.into_inner());
            let _ = writeln!(f, "{json}");
        }
        if self.stderr.is_some_and(|l| event.level() <= l) {
            eprintln!("{}", readable(&json));
        }
    }
}

/// `12:00:01.234 info  contacts.get#3 finished code=OK status=200 …`: the
/// time (UTC), level, operation and call, kind, then the event's other
/// fields in their order.
pub fn readable(json: &str) -> String {
    let Ok(Fields(fields)) = serde_json::from_str::<Fields>(json) else {
        return json.to_string();
    };
    let v: serde_json::Map<String, Value> = fields.iter().cloned().collect();
    let at = v.get("at").and_then(Value::as_u64).unwrap_or(0);
    let ms = at % 86_400_000;
    let mut line = format!(
        "{:02}:{:02}:{:02}.{:03} {:<5} {}#{} {}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000,
        v.get("level").and_then(Value::as_str).unwrap_or("?"),
        v.get("op").and_then(Value::as_str).unwrap_or("?"),
        v.get("callId").and_then(Value::as_u64).unwrap_or(0),
        v.get("kind").and_then(Value::as_str).unwrap_or("?"),
    );
    for (k, value) in &fields {
        if matches!(
            k.as_str(),
            "at" | "level" | "op" | "callId" | "kind" | "location"
        ) {
            continue;
        }
        match value {
            Value::String(s) => line.push_str(&format!(" {k}={s}")),
            other => line.push_str(&format!(" {k}={other}")),
        }
    }
    line
}

/// A JSON object's fields in the order written (the event's own order;
/// `serde_json::Map` here sorts them).
struct Fields(Vec<(String, Value)>);

impl<'de> serde::Deserialize<'de> for Fields {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Fields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Fields, A::Error> {
                let mut fields = Vec::new();
                while let Some(entry) = m.next_entry::<String, Value>()? {
                    fields.push(entry);
                }
                Ok(Fields(fields))
            }
        }
        d.deserialize_map(Visit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readable_line_keeps_every_field() {
        let line = readable(
            r#"{"at":3723004,"level":"warn","kind":"retry","callId":2,"op":"contacts.get","location":"L","reason":"server","delayMs":150}"#,
        );
        assert_eq!(
            line,
            "01:02:03.004 warn  contacts.get#2 retry reason=server delayMs=150"
        );
        assert_eq!(readable("not json"), "not json");
    }
}
