//! What mapping a record gives back: the mapped record, or every error with
//! its path; and the dry run's report over many records, in the one JSON
//! form every surface prints.

use serde_json::{Value, json};

/// One thing wrong with one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// Where, in the record that was read: `phone`, `name.first`, or empty
    /// for a rule over the whole record.
    pub path: String,
    /// The field it was being mapped to, when there is one (`phone`,
    /// `customFields.contact.size`).
    pub target: Option<String>,
    /// What is wrong: `not a valid number for region US`.
    pub message: String,
}

impl FieldError {
    /// The error as `{"path", "target"?, "message"}`, with `path` prefixed
    /// by where the record sits (`members[3]`).
    pub fn to_json(&self, record_at: &str) -> Value {
        let mut v = json!({ "path": join_path(record_at, &self.path), "message": self.message });
        if let Some(t) = &self.target {
            v["target"] = json!(t);
        }
        v
    }
}

/// `members[3]` and `phone` → `members[3].phone`; a path that opens with
/// `[` joins without a dot.
pub(crate) fn join_path(record_at: &str, path: &str) -> String {
    match (record_at.is_empty(), path.is_empty()) {
        (_, true) => record_at.to_owned(),
        (true, false) => path.to_owned(),
        (false, false) if path.starts_with('[') => format!("{record_at}{path}"),
        (false, false) => format!("{record_at}.{path}"),
    }
}

/// The dry run's outcome over a list of records.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MapReport {
    /// Each record's outcome, in input order.
    pub records: Vec<Result<Value, Vec<FieldError>>>,
    /// What the records are called in paths (`members`, the template's
    /// `collection`, or `records`).
    pub collection: String,
}

impl MapReport {
    /// How many records mapped.
    pub fn valid(&self) -> usize {
        self.records.iter().filter(|r| r.is_ok()).count()
    }

    /// How many did not.
    pub fn invalid(&self) -> usize {
        self.records.len() - self.valid()
    }

    /// The report's one JSON form: `{"valid", "invalid", "records": [{"index",
    /// "record"} | {"index", "errors": [{"path", "target"?, "message"}]}]}`.
    /// Written once here; the C ABI, the npm package and the CLI give this
    /// text.
    pub fn to_json(&self) -> Value {
        let records: Vec<Value> = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| match r {
                Ok(record) => json!({"index": i, "record": record}),
                Err(errors) => {
                    let at = format!("{}[{i}]", self.collection);
                    json!({"index": i, "errors": errors.iter().map(|e| e.to_json(&at)).collect::<Vec<_>>()})
                }
            })
            .collect();
        json!({"valid": self.valid(), "invalid": self.invalid(), "records": records})
    }
}
