//! Data paths (`event.contact.email`, `steps.task1.result.id`,
//! `contact.tags[0]`, `values["contact.lead_source"]`): parsed once, checked
//! against the scope's schemas on load, resolved against data when run.

use super::scope::{Node, Scope};
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

    /// The path's steps, its variable first.
    pub(crate) fn segments(&self) -> &[Segment] {
        &self.segments
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

    /// Checks that this path leads somewhere in `scope`: its first segment
    /// is one of the scope's variables, and each later one a field (or an
    /// element) the schemas there declare. A schema that declares no fields
    /// (free-form data) accepts any path below it.
    ///
    /// Errors name the first segment that leads nowhere, and what is there.
    pub(crate) fn check(&self, scope: &Scope) -> Result<(), String> {
        let mut node = scope.root();
        for (depth, segment) in self.segments.iter().enumerate() {
            let here = || self.prefix(depth);
            node = match (&node, segment) {
                (Node::Any, _) => return Ok(()),
                (Node::Fields(fields), Segment::Field(name)) => match fields.get(name.as_str()) {
                    Some(next) => next.clone(),
                    None if depth == 0 => {
                        return Err(format!(
                            "{:?} is not in scope (there is {})",
                            self.text,
                            list(fields.keys().map(String::as_str))
                        ));
                    }
                    None => {
                        return Err(format!(
                            "{} has no field {name:?} (it has {})",
                            here(),
                            list(fields.keys().map(String::as_str))
                        ));
                    }
                },
                (Node::Fields(_), Segment::Index(_)) => {
                    return Err(format!("{} is an object, not a list", here()));
                }
                (Node::Schema(schemas), segment) => {
                    let next = super::scope::step(schemas, segment)
                        .map_err(|what| format!("{} {what}", here()))?;
                    match next {
                        Some(next) => Node::Schema(next),
                        None => return Ok(()),
                    }
                }
            };
        }
        Ok(())
    }

    /// The path's first `n` segments, as they would be written.
    fn prefix(&self, n: usize) -> String {
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

/// `a, b and c`, at most 12 names (then `…`).
pub(crate) fn list<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    match names.as_slice() {
        [] => "nothing".into(),
        [only] => (*only).into(),
        _ if names.len() > 12 => format!("{}, …", names[..12].join(", ")),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
