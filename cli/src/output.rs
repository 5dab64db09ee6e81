//! Tables for people, JSON for scripts, and one-line errors.

use contacts_core::Error;
use serde_json::Value;
use std::process::ExitCode;

/// How to print.
pub struct Out {
    /// JSON instead of tables.
    pub json: bool,
}

fn s(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(x)) => x.clone(),
        Some(Value::Array(a)) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join(", "),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn clip(mut text: String, width: usize) -> String {
    if text.chars().count() > width {
        text = text
            .chars()
            .take(width.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    text
}

/// Prints rows under headers, columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.len()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c:<w$}", w = widths[i]))
            .collect();
        println!("{}", padded.join("  ").trim_end());
    };
    line(headers.iter().map(|h| h.to_string()).collect());
    for r in rows {
        line(r.clone());
    }
}

fn rows(list: &Value, cols: &[(&str, usize)]) -> Vec<Vec<String>> {
    list.as_array()
        .map(|a| {
            a.iter()
                .map(|item| cols.iter().map(|(k, w)| clip(s(item, k), *w)).collect())
                .collect()
        })
        .unwrap_or_default()
}

impl Out {
    /// Prints a usage report (`{"locations": [...]}`).
    pub fn usage(&self, v: &Value) {
        if self.json {
            println!("{v}");
            return;
        }
        let n = |l: &Value, a: &str, b: &str| match &l[a][b] {
            Value::Null => "?".to_string(),
            x => x.to_string(),
        };
        let rows: Vec<Vec<String>> = v["locations"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                vec![
                    s(l, "location"),
                    format!("{}/{}", n(l, "burst", "remaining"), n(l, "burst", "limit")),
                    format!("{}/{}", n(l, "daily", "remaining"), n(l, "daily", "limit")),
                    n(l, "counts", "requests"),
                    n(l, "counts", "rateLimited"),
                    n(l, "counts", "retries"),
                ]
            })
            .collect();
        table(
            &[
                "LOCATION",
                "BURST LEFT",
                "DAILY LEFT",
                "SENT",
                "429S",
                "RETRIES",
            ],
            &rows,
        );
        println!(
            "HighLevel documents no daily reset time: once spent, one call probes every --daily-probe-ms."
        );
    }

    /// Prints a mapping dry run's report: each record as one JSON line, or
    /// each of its errors as `PATH: message` (stdout), then a count on
    /// stderr; with --json, the report.
    pub fn map_report(&self, v: &Value) {
        if self.json {
            println!("{v}");
            return;
        }
        for r in v["records"].as_array().into_iter().flatten() {
            match r.get("errors").and_then(Value::as_array) {
                Some(errors) => {
                    for e in errors {
                        println!("{}: {}", s(e, "path"), s(e, "message"));
                    }
                }
                None => println!("{}", r["record"]),
            }
        }
        eprintln!("{} valid, {} invalid", v["valid"], v["invalid"]);
    }

    /// Prints a sync pass's report: a summary line per count and a line per
    /// conflict, invalid record and error; with --json, the report.
    pub fn sync_report(&self, v: &Value) {
        if self.json {
            println!("{v}");
            return;
        }
        let side = |k: &str| {
            format!(
                "{} in HighLevel, {} in the host",
                v[k]["highlevel"], v[k]["host"]
            )
        };
        println!(
            "sync {}{}{}: read {} host records and {} contacts",
            s(v, "name"),
            if v["first"] == true {
                " (first pass)"
            } else {
                ""
            },
            if v["dryRun"] == true {
                " (dry run: nothing written)"
            } else {
                ""
            },
            v["read"]["host"],
            v["read"]["highlevel"]
        );
        println!("  created {}", side("created"));
        println!("  updated {}", side("updated"));
        println!("  deleted {}", side("deleted"));
        println!(
            "  {} unchanged, {} matched, {} invalid, {} conflicts, {} errors",
            v["unchanged"], v["matched"], v["invalid"], v["conflicts"], v["errors"]
        );
        let notes = &v["notes"];
        let note_writes = ["created", "updated", "deleted"]
            .iter()
            .map(|k| {
                notes[k]["highlevel"].as_u64().unwrap_or(0) + notes[k]["host"].as_u64().unwrap_or(0)
            })
            .sum::<u64>();
        if note_writes > 0 {
            let side = |k: &str| {
                format!(
                    "{} in HighLevel, {} in the host",
                    notes[k]["highlevel"], notes[k]["host"]
                )
            };
            println!(
                "  notes: created {}; updated {}; deleted {}",
                side("created"),
                side("updated"),
                side("deleted")
            );
        }
        if let Some(fields) = v["rebaselined"].as_array().filter(|f| !f.is_empty()) {
            let names: Vec<String> = fields
                .iter()
                .map(|f| f.as_str().unwrap_or_default().to_owned())
                .collect();
            println!(
                "  baselined again (the template changed): {}",
                names.join(", ")
            );
        }
        for item in v["items"].as_array().into_iter().flatten() {
            let who = [
                ("host", "hostId"),
                ("contact", "contactId"),
                ("field", "field"),
            ]
            .iter()
            .filter_map(|(label, k)| item[*k].as_str().map(|x| format!("{label} {x}")))
            .collect::<Vec<_>>()
            .join(", ");
            println!("  {} ({who}): {}", s(item, "kind"), s(item, "message"));
            for e in item["errors"].as_array().into_iter().flatten() {
                println!("    {}: {}", s(e, "path"), s(e, "message"));
            }
        }
    }

    /// Prints an operation's result.
    pub fn result(&self, op: &str, v: &Value) {
        if self.json {
            println!("{v}");
            return;
        }
        if op == "calendars.freeSlots" {
            let days: Vec<Vec<String>> = v
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(_, d)| d.get("slots").is_some())
                .map(|(day, d)| vec![day.clone(), clip(s(d, "slots"), 100)])
                .collect();
            table(&["DAY", "FREE SLOTS"], &days);
            return;
        }
        if op.starts_with("appointments.")
            && op != "appointments.list"
            && op != "appointments.delete"
        {
            let a = v.get("event").unwrap_or(v);
            table(
                &["ID", "START", "END", "TITLE", "STATUS"],
                &rows(
                    &Value::Array(vec![a.clone()]),
                    &[
                        ("id", 20),
                        ("startTime", 25),
                        ("endTime", 25),
                        ("title", 30),
                        ("appointmentStatus", 10),
                    ],
                ),
            );
            return;
        }
        let contact_cols = [
            ("id", 20),
            ("name", 28),
            ("email", 32),
            ("phone", 16),
            ("tags", 30),
        ];
        if let Some(list) = v.get("contacts") {
            table(
                &["ID", "NAME", "EMAIL", "PHONE", "TAGS"],
                &rows(list, &contact_cols),
            );
            if let Some(t) = v.get("total").or_else(|| v.pointer("/meta/total")) {
                println!("({t} in all)");
            }
        } else if let Some(c) = v.get("contact").filter(|c| c.is_object()) {
            let fields = [
                "id",
                "name",
                "firstName",
                "lastName",
                "email",
                "phone",
                "companyName",
                "tags",
                "source",
                "dateAdded",
            ];
            let kv: Vec<Vec<String>> = fields
                .iter()
                .filter(|f| c.get(**f).is_some())
                .map(|f| vec![f.to_string(), s(c, f)])
                .collect();
            table(&["FIELD", "VALUE"], &kv);
            if v.get("new") == Some(&Value::Bool(true)) {
                println!("(created)");
            }
        } else if let Some(list) = v.get("tasks") {
            table(
                &["ID", "TITLE", "DUE", "DONE"],
                &rows(
                    list,
                    &[("id", 20), ("title", 40), ("dueDate", 24), ("completed", 5)],
                ),
            );
        } else if let Some(t) = v.get("task") {
            table(
                &["ID", "TITLE", "DUE", "DONE"],
                &rows(
                    &Value::Array(vec![t.clone()]),
                    &[("id", 20), ("title", 40), ("dueDate", 24), ("completed", 5)],
                ),
            );
        } else if let Some(list) = v.get("notes") {
            table(
                &["ID", "ADDED", "BODY"],
                &rows(list, &[("id", 20), ("dateAdded", 24), ("body", 60)]),
            );
        } else if let Some(n) = v.get("note") {
            table(
                &["ID", "ADDED", "BODY"],
                &rows(
                    &Value::Array(vec![n.clone()]),
                    &[("id", 20), ("dateAdded", 24), ("body", 60)],
                ),
            );
        } else if let Some(list) = v.get("events") {
            table(
                &["ID", "START", "TITLE", "STATUS"],
                &rows(
                    list,
                    &[
                        ("id", 20),
                        ("startTime", 24),
                        ("title", 40),
                        ("appointmentStatus", 12),
                    ],
                ),
            );
        } else if let Some(list) = v.get("calendars") {
            table(
                &["ID", "NAME", "SLOT", "ACTIVE"],
                &rows(
                    list,
                    &[
                        ("id", 24),
                        ("name", 40),
                        ("slotDuration", 6),
                        ("isActive", 6),
                    ],
                ),
            );
        } else if let Some(list) = v.get("customFields") {
            table(
                &["ID", "NAME", "FIELD KEY", "TYPE"],
                &rows(
                    list,
                    &[("id", 24), ("name", 30), ("fieldKey", 36), ("dataType", 18)],
                ),
            );
        } else if let Some(f) = v.get("customField") {
            table(
                &["ID", "NAME", "FIELD KEY", "TYPE"],
                &rows(
                    &Value::Array(vec![f.clone()]),
                    &[("id", 24), ("name", 30), ("fieldKey", 36), ("dataType", 18)],
                ),
            );
        } else if let Some(list) = v.get("customValues") {
            table(
                &["ID", "NAME", "KEY", "VALUE"],
                &rows(
                    list,
                    &[("id", 24), ("name", 24), ("fieldKey", 36), ("value", 40)],
                ),
            );
        } else if let Some(list) = v.get("users") {
            table(
                &["ID", "NAME", "EMAIL", "PHONE"],
                &rows(
                    list,
                    &[("id", 24), ("name", 28), ("email", 32), ("phone", 16)],
                ),
            );
        } else if let Some(list) = v.get("businesses") {
            table(
                &["ID", "NAME", "EMAIL"],
                &rows(list, &[("id", 24), ("name", 40), ("email", 32)]),
            );
        } else if let Some(b) = v.get("business").filter(|b| b.is_object()) {
            table(
                &["ID", "NAME", "EMAIL"],
                &rows(
                    &Value::Array(vec![b.clone()]),
                    &[("id", 24), ("name", 40), ("email", 32)],
                ),
            );
        } else if let Some(tags) = v
            .get("tags")
            .filter(|t| t.as_array().is_some_and(|a| a.iter().all(Value::is_string)))
        {
            println!("tags: {}", s(&serde_json::json!({ "t": tags }), "t"));
        } else if let Some(f) = v.get("followers") {
            println!("followers: {}", s(&serde_json::json!({ "f": f }), "f"));
        } else if v.get("succeeded") == Some(&Value::Bool(true))
            || v.get("success") == Some(&Value::Bool(true))
        {
            println!("{op}: done");
        } else {
            println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
        }
    }

    /// Prints the error as one line on stderr; the exit code is 1.
    pub fn fail(&self, e: &Error) -> ExitCode {
        if self.json {
            let mut j =
                serde_json::json!({"error": {"code": e.code().as_str(), "message": e.message()}});
            if let Some(s) = e.http_status() {
                j["error"]["httpStatus"] = s.into();
            }
            if let Some(t) = e.trace_id() {
                j["error"]["traceId"] = t.into();
            }
            if let Some(sc) = e.required_scope() {
                j["error"]["requiredScope"] = sc.into();
            }
            if let Some(ms) = e.retry_after_ms() {
                j["error"]["retryAfterMs"] = ms.into();
            }
            if e.daily() {
                j["error"]["daily"] = true.into();
            }
            eprintln!("{j}");
        } else {
            eprintln!("error: {}", e.to_string().replace('\n', " "));
        }
        ExitCode::from(1)
    }
}
