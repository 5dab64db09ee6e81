//! Writes `catalog.json` without its layout whitespace to `OUT_DIR`, for
//! `catalog::describe()`, and where each action's and trigger's schemas lie
//! in that text (`catalog_spans.rs`), so a call parses only its own schemas. The committed file stays pretty for people and
//! diffs; the compact copy saves about 190 KB of every binary (4 KB gzipped
//! in the npm package). It also writes the IANA time zone names (`tz_names.txt`) for `time::is_time_zone`.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=catalog.json");
    let pretty = fs::read_to_string("catalog.json").expect("core/catalog.json is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog.min.json");
    let text = compact(&pretty);
    let spans = Spans::of(&text);
    fs::write(&out, &text).expect("OUT_DIR is writable");
    fs::write(out.with_file_name("catalog_spans.rs"), spans).expect("OUT_DIR is writable");
    fs::write(out.with_file_name("tz_names.txt"), time_zone_names()).expect("OUT_DIR is writable");
}

/// Every IANA time zone name (links included), sorted, one per line.
fn time_zone_names() -> String {
    let mut names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
    names.sort_unstable();
    names.dedup();
    names.join("\n")
}

/// The byte ranges of `actions[i].params`, `actions[i].result` and
/// `triggers[i].schema` (with `triggers[i].type`) in the compact catalog, as
/// Rust constants.
struct Spans;

impl Spans {
    fn of(text: &str) -> String {
        let root = Node::parse(text.as_bytes(), &mut 0);
        let list = |key: &str| match root.get(key) {
            Some(Node::Array(items, _)) => items,
            _ => panic!("catalog.json has no {key} list"),
        };
        let mut out = String::from(
            "/// `(name, params, result)` byte ranges of each action, in catalog order.\n",
        );
        out.push_str("const ACTION_SPANS: &[(&str, Span, Span)] = &[\n");
        for action in list("actions") {
            let (s, e) = action.span_of("name");
            let name = &text[s + 1..e - 1];
            let (p, r) = (action.span_of("params"), action.span_of("result"));
            out.push_str(&format!(
                "    ({name:?}, ({}, {}), ({}, {})),\n",
                p.0, p.1, r.0, r.1
            ));
        }
        out.push_str("];\n/// `(type, schema byte range)` of each trigger.\n");
        out.push_str("const TRIGGER_SPANS: &[(&str, Span)] = &[\n");
        for trigger in list("triggers") {
            let (s, e) = trigger.span_of("type");
            let kind = &text[s + 1..e - 1];
            let schema = trigger.span_of("schema");
            out.push_str(&format!("    ({kind:?}, ({}, {})),\n", schema.0, schema.1));
        }
        out.push_str("];\n");
        out.push_str(&format!(
            "/// How many actions.\nconst ACTION_COUNT: usize = {};\n",
            list("actions").len()
        ));
        out.push_str(&format!(
            "/// How many triggers.\nconst TRIGGER_COUNT: usize = {};\n",
            list("triggers").len()
        ));
        out
    }
}

/// Just enough of a JSON reader to find where values are: objects keep their
/// members, every value its byte range.
enum Node {
    Object(Vec<(String, Node)>, (usize, usize)),
    Array(Vec<Node>, (usize, usize)),
    Scalar((usize, usize)),
}

impl Node {
    fn span(&self) -> (usize, usize) {
        match self {
            Node::Object(_, s) | Node::Array(_, s) | Node::Scalar(s) => *s,
        }
    }

    fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Object(members, _) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn span_of(&self, key: &str) -> (usize, usize) {
        self.get(key)
            .unwrap_or_else(|| panic!("catalog entry without {key}"))
            .span()
    }

    /// Reads the value at `*at` (compact JSON: no whitespace), moving past it.
    fn parse(b: &[u8], at: &mut usize) -> Node {
        let start = *at;
        match b[start] {
            b'{' => {
                *at += 1;
                let mut members = Vec::new();
                while b[*at] != b'}' {
                    let key_start = *at;
                    skip_string(b, at);
                    let key = String::from_utf8(b[key_start + 1..*at - 1].to_vec()).expect("UTF-8");
                    *at += 1; // ':'
                    members.push((key, Node::parse(b, at)));
                    if b[*at] == b',' {
                        *at += 1;
                    }
                }
                *at += 1;
                Node::Object(members, (start, *at))
            }
            b'[' => {
                *at += 1;
                let mut items = Vec::new();
                while b[*at] != b']' {
                    items.push(Node::parse(b, at));
                    if b[*at] == b',' {
                        *at += 1;
                    }
                }
                *at += 1;
                Node::Array(items, (start, *at))
            }
            b'"' => {
                skip_string(b, at);
                Node::Scalar((start, *at))
            }
            _ => {
                while !matches!(b[*at], b',' | b'}' | b']') {
                    *at += 1;
                }
                Node::Scalar((start, *at))
            }
        }
    }
}

/// Moves past the string starting at `*at` (its escapes included).
fn skip_string(b: &[u8], at: &mut usize) {
    *at += 1;
    while b[*at] != b'"' {
        *at += if b[*at] == b'\\' { 2 } else { 1 };
    }
    *at += 1;
}

/// Drops whitespace outside JSON strings; strings (and their escapes) are kept byte for byte.
fn compact(json: &str) -> String {
    let mut out = String::with_capacity(json.len() / 2);
    let (mut in_string, mut escaped) = (false, false);
    for c in json.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if !c.is_ascii_whitespace() {
            in_string = c == '"';
            out.push(c);
        }
    }
    out
}
