//! Test support for booking on the sandbox's calendar, shared by the Rust
//! runners that do (the core's, the C ABI's, the CLI's), so the free-slots
//! answer is read one way. Included with `#[path]`.
#![allow(dead_code)]

use serde_json::{Value, json};

/// The sandbox's calendar.
pub const CALENDAR: &str = "cal_sandbox";

/// `calendars.freeSlots` params for the sandbox's calendar from a day after
/// now to three days after.
pub fn free_slots_params() -> Value {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    json!({"calendarId": CALENDAR, "startDate": now + 86_400_000, "endDate": now + 3 * 86_400_000})
}

/// Every slot of a `calendars.freeSlots` answer, day by day.
pub fn free_slots(answer: &Value) -> Vec<String> {
    let days = answer
        .as_object()
        .expect("a free-slots answer is an object");
    let slots: Vec<String> = days
        .values()
        .filter_map(|day| day["slots"].as_array())
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_owned))
        .collect();
    assert!(
        !slots.is_empty(),
        "the sandbox's calendar has free slots: {answer}"
    );
    slots
}
