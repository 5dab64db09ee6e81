//! Replays the committed, minimised fuzz corpus (`fuzz/corpus/<target>/`)
//! and every finding (`fuzz/findings/<target>/`, kept apart so minimising
//! never drops one) through the same harnesses the fuzzers run
//! (`fuzz/harness.rs`), on the stable toolchain: an input that once broke a
//! promise stays a test. The instrumented runs are `tests/fuzz.sh`.

#[path = "../../fuzz/harness.rs"]
mod harness;

use std::path::Path;

/// Runs every input of `target`'s corpus through `harness`; returns how many.
fn replay(target: &str, harness: fn(&[u8])) -> usize {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    inputs.sort();
    for input in &inputs {
        let data = std::fs::read(input).unwrap();
        let outcome = std::panic::catch_unwind(|| harness(&data));
        assert!(
            outcome.is_ok(),
            "{target}: {} breaks the harness",
            input.display()
        );
    }
    assert!(!inputs.is_empty(), "{target}: the corpus is empty");
    inputs.len()
}

#[test]
fn response_parse_corpus() {
    replay("response_parse", harness::response_parse);
}

#[test]
fn webhook_corpus() {
    replay("webhook", harness::webhook);
}

#[test]
fn settings_corpus() {
    replay("settings", harness::settings);
}

#[test]
fn params_corpus() {
    replay("params", harness::params);
}

#[test]
fn mapping_corpus() {
    replay("mapping", harness::mapping);
}

#[test]
fn path_corpus() {
    replay("path", harness::path);
}

#[test]
fn flow_corpus() {
    replay("flow", harness::flow);
}

/// Inputs written by hand for each oracle, beside what the fuzzers found: a
/// key twice, a forged and an honest delivery, hostile path values.
#[test]
fn hand_written_inputs() {
    // A valid contacts.get answer with a key twice: the one known difference
    // between the typed and JSON routes, accepted by the harness.
    harness::response_parse(b"\x00\x00\x00{\"contact\":{\"id\":\"a\",\"id\":\"b\"}}");
    // Forged (mode bit 2) and honest (mode 0) deliveries both pass the harness.
    harness::webhook(b"\x02{\"type\":\"ContactCreate\"}");
    harness::webhook(b"\x01{\"type\":\"ContactCreate\",\"locationId\":\"l\"}");
    // Hostile path values: encoded as one segment or refused.
    for value in ["a/b", "..", "?x#y", "%", " ", "é"] {
        let mut data = vec![0u8];
        data.extend_from_slice(value.as_bytes());
        harness::path(&data);
    }
}
