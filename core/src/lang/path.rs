//! Data paths (`event.contact.email`, `steps.task1.result.id`,
//! `contact.tags[0]`, `values["contact.lead_source"]`): parsed once,
//! resolved against data when run. The scope checks them on load
//! ([`super::Scope`]).

use serde_json::Value;

/// The most segments a path may have.
const MAX_SEGMENTS: usize = 32;

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// An object field.
    Field(String),
    /// An array element, from 0.
    Index(usize),
}

/// A parsed data path: a variable of the scope, then fields and indexes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct DataPath {
    text: String,
    segments: Vec<Segment>,
}

impl DataPath {
    /// Parses `text`: segments joined by `.`; `[N]` for an element; `["key"]`
    /// for a field whose name holds a `.`, a `[` or a space. A bare numeric
    /// segment (`tags.0`) is an element too.
    ///
    /// Errors with what is wrong and where, e.g. `unclosed [ at byte 8`.
    pub(crate) fn parse(text: &str) -> Result<DataPath, String> {
        let bytes = text.as_bytes();
        let mut segments = Vec::new();
        let mut i = 0;
        let mut expect_segment = true;
        while i < bytes.len() {
            match bytes[i] {
                b'.' if !expect_segment => {
                    i += 1;
                    expect_segment = true;
                    if i == bytes.len() {
                        return Err(format!("{text:?} ends with a ."));
                    }
                }
                b'[' => {
                    let close = text[i..]
                        .find(']')
                        .map(|n| i + n)
                        .ok_or_else(|| format!("unclosed [ at byte {i} of {text:?}"))?;
                    let inner = text[i + 1..close].trim();
                    let segment = if let Some(quoted) = inner.strip_prefix('"') {
                        let key = quoted
                            .strip_suffix('"')
                            .ok_or_else(|| format!("unclosed quote at byte {i} of {text:?}"))?;
                        Segment::Field(key.to_owned())
                    } else {
                        let index = inner.parse::<usize>().map_err(|_| {
                            format!("[{inner}] in {text:?} is neither an index nor a quoted key")
                        })?;
                        Segment::Index(index)
                    };
                    if segments.is_empty() && matches!(segment, Segment::Index(_)) {
                        return Err(format!("{text:?} starts with an index, not a name"));
                    }
                    segments.push(segment);
                    i = close + 1;
                    expect_segment = false;
                }
                _ if expect_segment => {
                    let end = text[i..].find(['.', '[']).map_or(bytes.len(), |n| i + n);
                    let name = &text[i..end];
                    if name.is_empty()
                        || !name
                            .chars()
                            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '$')
                    {
                        return Err(format!(
                            "{name:?} in {text:?} is not a name (letters, digits, _ - $; quote other keys as [\"key\"])"
                        ));
                    }
                    let segment = match name.parse::<usize>() {
                        Ok(index) if !segments.is_empty() => Segment::Index(index),
                        _ => Segment::Field(name.to_owned()),
                    };
                    segments.push(segment);
                    i = end;
                    expect_segment = false;
                }
                _ => return Err(format!("expected . or [ at byte {i} of {text:?}")),
            }
        }
        if segments.is_empty() {
            return Err("a path is not empty".into());
        }
        if segments.len() > MAX_SEGMENTS {
            return Err(format!("{text:?} has more than {MAX_SEGMENTS} segments"));
        }
        Ok(DataPath {
            text: text.to_owned(),
            segments,
        })
    }

    /// The path as written.
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The path's steps, its variable first.
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
    }

    /// The field right under variable `variable` that this path reads
    /// (`task1` of `steps.task1.result.id` under `steps`), if it reads one.
    pub(crate) fn field_under(&self, variable: &str) -> Option<&str> {
        match self.segments.as_slice() {
            [Segment::Field(first), Segment::Field(next), ..] if first == variable => Some(next),
            _ => None,
        }
    }

    /// The value at this path in `data`, if there is one.
    pub(crate) fn resolve<'a>(&self, data: &'a Value) -> Option<&'a Value> {
        self.segments
            .iter()
            .try_fold(data, |value, segment| match segment {
                Segment::Field(name) => value.get(name.as_str()),
                Segment::Index(index) => value.get(*index),
            })
    }

    #[cfg(feature = "mapping")]
    /// Writes `value` at this path in `data`, making the objects and lists
    /// on the way (a list is padded with nulls up to an index). A step
    /// into something that is neither is replaced by what the path needs.
    pub(crate) fn set(&self, data: &mut Value, value: Value) {
        // Most targets are one field of an object: insert it at once.
        if let ([Segment::Field(name)], Value::Object(o)) = (self.segments.as_slice(), &mut *data) {
            o.insert(name.clone(), value);
            return;
        }
        let mut here = data;
        for segment in &self.segments {
            here = match segment {
                Segment::Field(name) => {
                    if !here.is_object() {
                        *here = Value::Object(serde_json::Map::new());
                    }
                    match here {
                        Value::Object(o) => o.entry(name.clone()).or_insert(Value::Null),
                        _ => return,
                    }
                }
                Segment::Index(index) => {
                    if !here.is_array() {
                        *here = Value::Array(Vec::new());
                    }
                    match here {
                        Value::Array(a) => {
                            if a.len() <= *index {
                                a.resize(index + 1, Value::Null);
                            }
                            &mut a[*index]
                        }
                        _ => return,
                    }
                }
            };
        }
        *here = value;
    }

    /// The path's first `n` segments, as they would be written.
    pub(crate) fn prefix(&self, n: usize) -> String {
        let mut out = String::new();
        for segment in &self.segments[..n] {
            match segment {
                Segment::Field(name) if out.is_empty() => out.push_str(name),
                Segment::Field(name) => {
                    out.push('.');
                    out.push_str(name);
                }
                Segment::Index(index) => out.push_str(&format!("[{index}]")),
            }
        }
        out
    }
}
