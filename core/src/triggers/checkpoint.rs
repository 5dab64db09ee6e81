//! The checkpoint a poll hands back: an opaque text of at most
//! [`MAX_CHECKPOINT_BYTES`] that the host keeps and gives to the next poll.
//!
//! It is compact JSON with a checksum (`sum`, the first 16 hex digits of the
//! SHA-256 of the rest), so a cut or edited checkpoint is refused rather than
//! read as a different position. It names its triggers, its subscription and
//! its location, so a checkpoint of another poll is refused too.

use crate::{Error, Result};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// The longest checkpoint, in bytes.
pub const MAX_CHECKPOINT_BYTES: usize = 4096;

/// The format's version.
const VERSION: u64 = 1;

/// Where a subscription's polls stand. Each family's part is `None` until
/// the subscription reads that family.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Checkpoint {
    /// The subscription (names the per-record state).
    pub subscription: String,
    /// The location polled.
    pub location: String,
    /// The triggers, sorted.
    pub triggers: Vec<String>,
    /// The generation this checkpoint commits: per-record state written by
    /// the poll that returned it.
    pub generation: u64,
    /// Contact triggers (and the note triggers, which follow them).
    pub contacts: Option<ContactsCursor>,
    /// Task triggers.
    pub tasks: Option<ScanCursor>,
    /// Appointment triggers.
    pub appointments: Option<ScanCursor>,
}

/// Where the contact read stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ContactsCursor {
    /// The baseline scan, while it runs: the `searchAfter` to go on from
    /// (`Null` before its first page).
    pub baseline: Option<Value>,
    /// The newest `dateUpdated` seen (Unix ms).
    pub mark_ms: i64,
    /// A read cut short by the request bound: the `dateUpdated` it reads
    /// from and the `searchAfter` to go on from.
    pub read: Option<(i64, Value)>,
    /// When the last delete scan finished (the transport's clock, Unix ms).
    pub reconciled_ms: u64,
    /// A delete scan cut short: the `searchAfter` to go on from and how many
    /// pages of ids it has kept.
    pub scan: Option<(Value, u64)>,
    /// When the baseline started (the transport's clock, Unix ms): a note
    /// first seen later but added before it predates the subscription.
    pub since_ms: u64,
}

/// Where a scan that reads every record each poll stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ScanCursor {
    /// Whether the baseline (the first full scan, which reports nothing)
    /// is done.
    pub baselined: bool,
    /// The position a scan cut short goes on from (a skip count, or a
    /// calendar index), 0 when none is under way.
    pub position: u64,
    /// When the baseline started (the transport's clock, Unix ms): a record
    /// first seen later but added before it predates the subscription.
    pub since_ms: u64,
}

impl ScanCursor {
    /// A scan whose baseline starts at `now_ms`.
    pub fn starting(now_ms: u64) -> ScanCursor {
        ScanCursor {
            since_ms: now_ms,
            ..ScanCursor::default()
        }
    }
}

impl Checkpoint {
    /// The checkpoint as text.
    ///
    /// Errors: InvalidArgument if it would exceed [`MAX_CHECKPOINT_BYTES`]
    /// (a `searchAfter` of a size HighLevel does not send).
    pub fn encode(&self) -> Result<String> {
        let mut body = Map::new();
        body.insert("v".into(), json!(VERSION));
        body.insert("sub".into(), json!(self.subscription));
        body.insert("loc".into(), json!(self.location));
        body.insert("trig".into(), json!(self.triggers));
        body.insert("g".into(), json!(self.generation));
        if let Some(c) = &self.contacts {
            let mut m = Map::new();
            if let Some(b) = &c.baseline {
                m.insert("base".into(), b.clone());
            }
            m.insert("mark".into(), json!(c.mark_ms));
            if let Some((from, after)) = &c.read {
                m.insert("read".into(), json!([from, after]));
            }
            m.insert("rec".into(), json!(c.reconciled_ms));
            m.insert("since".into(), json!(c.since_ms));
            if let Some((after, pages)) = &c.scan {
                m.insert("scan".into(), json!([after, pages]));
            }
            body.insert("c".into(), Value::Object(m));
        }
        for (key, part) in [("t", &self.tasks), ("a", &self.appointments)] {
            if let Some(s) = part {
                body.insert(key.into(), json!([s.baselined, s.position, s.since_ms]));
            }
        }
        let text = Value::Object(body.clone()).to_string();
        body.insert("sum".into(), json!(checksum(&text)));
        let out = Value::Object(body).to_string();
        if out.len() > MAX_CHECKPOINT_BYTES {
            return Err(Error::invalid_argument(format!(
                "checkpoint would be {} bytes, over {MAX_CHECKPOINT_BYTES}",
                out.len()
            )));
        }
        Ok(out)
    }

    /// Reads a checkpoint that [`encode`](Self::encode) wrote.
    ///
    /// Errors: InvalidArgument for text over [`MAX_CHECKPOINT_BYTES`], not
    /// JSON, with a wrong checksum, of another version, or with a field
    /// missing or of the wrong type.
    pub fn decode(text: &str) -> Result<Checkpoint> {
        if text.len() > MAX_CHECKPOINT_BYTES {
            return Err(corrupt(format!(
                "{} bytes, over {MAX_CHECKPOINT_BYTES}",
                text.len()
            )));
        }
        let value: Value = serde_json::from_str(text).map_err(|e| corrupt(e.to_string()))?;
        let Value::Object(mut body) = value else {
            return Err(corrupt("not an object".into()));
        };
        let sum = body.remove("sum");
        let expected = checksum(&Value::Object(body.clone()).to_string());
        if sum.as_ref().and_then(Value::as_str) != Some(expected.as_str()) {
            return Err(corrupt("checksum does not match (cut or edited)".into()));
        }
        if body.get("v").and_then(Value::as_u64) != Some(VERSION) {
            return Err(corrupt(format!("version is not {VERSION}")));
        }
        let text_of = |k: &str| -> Result<String> {
            body.get(k)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| corrupt(format!("{k} is missing")))
        };
        let triggers = body
            .get("trig")
            .and_then(Value::as_array)
            .and_then(|l| l.iter().map(|t| t.as_str().map(str::to_owned)).collect())
            .ok_or_else(|| corrupt("trig is missing".into()))?;
        let contacts = match body.get("c") {
            None => None,
            Some(c) => Some(ContactsCursor {
                baseline: c.get("base").cloned(),
                mark_ms: c
                    .get("mark")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| corrupt("c.mark is missing".into()))?,
                read: match c.get("read") {
                    None => None,
                    Some(r) => Some((
                        r.get(0)
                            .and_then(Value::as_i64)
                            .ok_or_else(|| corrupt("c.read is malformed".into()))?,
                        r.get(1).cloned().unwrap_or(Value::Null),
                    )),
                },
                reconciled_ms: c
                    .get("rec")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| corrupt("c.rec is missing".into()))?,
                since_ms: c
                    .get("since")
                    .and_then(Value::as_u64)
                    .ok_or_else(|| corrupt("c.since is missing".into()))?,
                scan: match c.get("scan") {
                    None => None,
                    Some(s) => Some((
                        s.get(0).cloned().unwrap_or(Value::Null),
                        s.get(1)
                            .and_then(Value::as_u64)
                            .ok_or_else(|| corrupt("c.scan is malformed".into()))?,
                    )),
                },
            }),
        };
        let scan = |k: &str| -> Result<Option<ScanCursor>> {
            match body.get(k) {
                None => Ok(None),
                Some(s) => Ok(Some(ScanCursor {
                    baselined: s
                        .get(0)
                        .and_then(Value::as_bool)
                        .ok_or_else(|| corrupt(format!("{k} is malformed")))?,
                    position: s
                        .get(1)
                        .and_then(Value::as_u64)
                        .ok_or_else(|| corrupt(format!("{k} is malformed")))?,
                    since_ms: s
                        .get(2)
                        .and_then(Value::as_u64)
                        .ok_or_else(|| corrupt(format!("{k} is malformed")))?,
                })),
            }
        };
        Ok(Checkpoint {
            subscription: text_of("sub")?,
            location: text_of("loc")?,
            triggers,
            generation: body
                .get("g")
                .and_then(Value::as_u64)
                .ok_or_else(|| corrupt("g is missing".into()))?,
            contacts,
            tasks: scan("t")?,
            appointments: scan("a")?,
        })
    }
}

fn checksum(text: &str) -> String {
    Sha256::digest(text.as_bytes())[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn corrupt(why: String) -> Error {
    Error::invalid_argument(format!("checkpoint is corrupt: {why}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Checkpoint {
        Checkpoint {
            subscription: "s".into(),
            location: "loc".into(),
            triggers: vec!["ContactCreate".into()],
            generation: 3,
            contacts: Some(ContactsCursor {
                baseline: None,
                mark_ms: 1_700_000_000_000,
                read: Some((1_699_999_990_000, json!([1_700_000_000_000i64, "c9"]))),
                reconciled_ms: 5,
                scan: Some((json!([1, "c2"]), 2)),
                since_ms: 4,
            }),
            tasks: Some(ScanCursor {
                baselined: true,
                position: 200,
                since_ms: 7,
            }),
            appointments: None,
        }
    }

    #[test]
    fn a_checkpoint_reads_back_as_written() {
        let text = sample().encode().unwrap();
        assert_eq!(Checkpoint::decode(&text).unwrap(), sample());
    }

    #[test]
    fn a_cut_or_edited_checkpoint_is_refused() {
        let text = sample().encode().unwrap();
        for bad in [
            text[..text.len() - 3].to_string(),
            text.replace("\"g\":3", "\"g\":4"),
            "[]".to_string(),
            "x".repeat(MAX_CHECKPOINT_BYTES + 1),
        ] {
            let err = Checkpoint::decode(&bad).unwrap_err();
            assert_eq!(err.code(), crate::ErrorCode::InvalidArgument, "{bad}");
            assert!(err.to_string().contains("checkpoint"), "{err}");
        }
    }
}
