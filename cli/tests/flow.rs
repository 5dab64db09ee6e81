//! `contacts flow` end to end against a live sandbox on loopback: the
//! runner receiving the sandbox's signed webhooks (and refusing a forged
//! one), a delivery of the same change again running nothing, the poll
//! runner, host events submitted twice, bad input exiting non-zero with the
//! JSON path, and the run log.

use base64::Engine;
use contacts_sandbox::{SandboxConfig, SandboxThread};
use ed25519_dalek::Signer;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const KEY_SEED: [u8; 32] = [7; 32];

fn sandbox() -> SandboxThread {
    SandboxThread::start(
        SandboxConfig {
            seed: 2,
            webhook_key_seed: Some(KEY_SEED),
            ..Default::default()
        },
        1,
    )
    .unwrap()
}

fn examples(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../examples/flows/{name}.json"))
}

fn cmd(sbx: &SandboxThread, state: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_contacts"));
    c.env("HIGHLEVEL_TOKEN", sbx.pit())
        .env("HIGHLEVEL_LOCATION_ID", sbx.location_id())
        .env("HIGHLEVEL_BASE_URL", sbx.base_url())
        .env("HIGHLEVEL_STATE", state);
    c
}

fn run(sbx: &SandboxThread, state: &Path, args: &[&str]) -> Output {
    cmd(sbx, state).args(args).output().unwrap()
}

fn json_out(sbx: &SandboxThread, state: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let o = run(sbx, state, &all);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&o.stdout)))
}

/// A POST of `body` to `url` (http://host:port/path) with `headers`: the
/// status and the answer's body.
fn post(url: &str, headers: &[(&str, &str)], body: &str) -> (u16, String) {
    let rest = url.strip_prefix("http://").unwrap();
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_owned()), |(h, p)| (h, format!("/{p}")));
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nhost: {host}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let status = answer[9..12].parse().unwrap();
    let body = answer
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}

fn now_rfc3339() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    contacts_core::time::format_rfc3339_ms(ms)
}

#[test]
fn the_runner_takes_signed_webhooks_once_and_refuses_forged_ones() {
    let sbx = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("flows.db");
    let key_file = dir.path().join("key.pem");
    std::fs::write(&key_file, sbx.webhook_public_key_pem()).unwrap();
    let flow = examples("new-contact-follow-up");
    let mut runner = cmd(&sbx, &state)
        .args(["--json", "flow", "run"])
        .arg(&flow)
        .args(["--webhooks", "0", "--public-key"])
        .arg(&key_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut said = BufReader::new(runner.stderr.take().unwrap()).lines();
    let listening = said.next().unwrap().unwrap();
    let url = listening.split("on ").nth(1).unwrap().trim().to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{listening}");
    let (status, _) = post(
        &format!("{}/sandbox/webhooks", sbx.base_url()),
        &[],
        &json!({"url": url}).to_string(),
    );
    assert_eq!(status, 200);

    let created = json_out(
        &sbx,
        &state,
        &[
            "create",
            "--first-name",
            "Lin",
            "--email",
            "lin@example.com",
        ],
    );
    let id = created["contact"]["id"].as_str().unwrap().to_owned();
    let mut printed = BufReader::new(runner.stdout.take().unwrap()).lines();
    let started = Instant::now();
    let run = loop {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no run printed"
        );
        let line = printed.next().unwrap().unwrap();
        let run: Value = serde_json::from_str(&line).unwrap();
        if run["eventType"] == "ContactCreate" {
            break run;
        }
    };
    assert_eq!(run["state"], "done", "{run}");
    assert_eq!(run["event"]["id"], id.as_str());
    let tasks = json_out(&sbx, &state, &["tasks", "list", &id]);
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 2, "{tasks}");

    // The same change delivered again (a new webhookId, as HighLevel's
    // retry or a second subscription would be): verified, and runs nothing.
    let key = ed25519_dalek::SigningKey::from_bytes(&KEY_SEED);
    let mut event = run["event"].clone();
    event.as_object_mut().unwrap().remove("dedupeId");
    event["webhookId"] = json!("wh-again");
    event["timestamp"] = json!(now_rfc3339());
    let body = event.to_string();
    let sig =
        base64::engine::general_purpose::STANDARD.encode(key.sign(body.as_bytes()).to_bytes());
    let (status, answer) = post(&url, &[("x-ghl-signature", &sig)], &body);
    assert_eq!(status, 200, "{answer}");
    let again: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(again["replayed"], true, "{again}");
    assert_eq!(
        json_out(&sbx, &state, &["tasks", "list", &id])["tasks"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Forged: 401, nothing run.
    let forged = body.replace("wh-again", "wh-forged");
    let (status, answer) = post(&url, &[("x-ghl-signature", &sig)], &forged);
    assert_eq!(status, 401, "{answer}");
    assert!(answer.contains("WEBHOOK_SIGNATURE"));
    let (status, _) = post(&url, &[], &forged);
    assert_eq!(status, 401);

    let _ = Command::new("kill")
        .args(["-INT", &runner.id().to_string()])
        .status();
    assert!(runner.wait().unwrap().success());

    let log = run_lines(&run_ok(
        &sbx,
        &state,
        &["--json", "flow", "log", flow.to_str().unwrap()],
    ));
    assert_eq!(log.len(), 1, "{log:?}");
    let shown = json_out(
        &sbx,
        &state,
        &[
            "flow",
            "log",
            flow.to_str().unwrap(),
            "--run",
            log[0]["runId"].as_str().unwrap(),
        ],
    );
    assert_eq!(shown["steps"].as_array().unwrap().len(), 3);
}

fn run_ok(sbx: &SandboxThread, state: &Path, args: &[&str]) -> String {
    let o = run(sbx, state, args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

fn run_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn the_poll_runner_runs_each_new_contact_once() {
    let sbx = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("flows.db");
    let flow = examples("new-contact-follow-up");
    let f = flow.to_str().unwrap();
    // The baseline poll, then two more after a contact is created.
    assert!(
        run_ok(
            &sbx,
            &state,
            &["--json", "flow", "run", f, "--poll", "10", "--polls", "1"]
        )
        .is_empty()
    );
    let id = json_out(
        &sbx,
        &state,
        &["create", "--first-name", "Po", "--email", "po@example.com"],
    )["contact"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let runs = run_lines(&run_ok(
        &sbx,
        &state,
        &["--json", "flow", "run", f, "--poll", "10", "--polls", "2"],
    ));
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0]["state"], "done");
    assert_eq!(runs[0]["event"]["id"], id.as_str());
    let again = run_ok(
        &sbx,
        &state,
        &["--json", "flow", "run", f, "--poll", "10", "--polls", "2"],
    );
    assert!(again.is_empty(), "{again}");
    let tasks = json_out(&sbx, &state, &["tasks", "list", &id]);
    assert_eq!(tasks["tasks"].as_array().unwrap().len(), 2);
}

#[test]
fn host_events_run_once_and_bad_input_exits_non_zero_with_its_path() {
    let sbx = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("flows.db");
    let flow = examples("host-member-updated");
    let f = flow.to_str().unwrap();
    let event = json!({"type": "member.updated", "id": "bb-1",
                       "data": {"name": "Ada Lovelace", "email": "ada@example.com", "phone": "415 555 2671", "changed": ["phone"]}})
    .to_string();
    let first = json_out(&sbx, &state, &["flow", "event", f, "--event", &event]);
    assert_eq!(first["state"], "done", "{first}");
    assert_eq!(first["replayed"], false);
    let again = json_out(&sbx, &state, &["flow", "event", f, "--event", &event]);
    assert_eq!(again["replayed"], true);
    let text = run_ok(&sbx, &state, &["flow", "event", f, "--event", &event]);
    assert!(
        text.contains("done (replayed) member.updated [contact=done followUp=done]"),
        "{text}"
    );

    let bad = json!({"type": "member.updated", "id": "bb-2", "data": {"name": "", "email": "nope", "phone": "12"}}).to_string();
    let o = run(&sbx, &state, &["flow", "event", f, "--event", &bad]);
    assert_eq!(o.status.code(), Some(1));
    let said = String::from_utf8_lossy(&o.stderr);
    for path in ["event.data.name", "event.data.email", "event.data.phone"] {
        assert!(said.contains(path), "{said}");
    }

    let no_id = run(
        &sbx,
        &state,
        &[
            "flow",
            "event",
            f,
            "--event",
            r#"{"type": "member.updated", "data": {}}"#,
        ],
    );
    assert_eq!(no_id.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&no_id.stderr).contains("INVALID_ARGUMENT: $.id:"));

    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, r#"{"name": "b", "trigger": {"hostEvent": "x"}, "steps": [{"name": "a", "action": "tasks.make"}]}"#).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .args(["flow", "check"])
        .arg(&broken)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr)
            .contains("$.steps[0].action: \"tasks.make\" is not an action")
    );
    let checked = Command::new(env!("CARGO_BIN_EXE_contacts"))
        .args(["flow", "check"])
        .arg(&flow)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&checked.stdout)
            .contains("2. followUp tasks.create (recovery: marker)")
    );

    let log = run_lines(&run_ok(&sbx, &state, &["--json", "flow", "log"]));
    let states: Vec<&str> = log.iter().map(|r| r["state"].as_str().unwrap()).collect();
    assert_eq!(states.len(), 2, "{states:?}");
    assert!(
        states.contains(&"done") && states.contains(&"invalid"),
        "{states:?}"
    );
}
