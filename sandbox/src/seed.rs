//! Deterministic ids and seed data: the same `--seed N` gives the same
//! contacts, tasks, notes and appointments on every machine.

use contacts_core::models::{Appointment, Contact, CustomFieldValue, Note, Task};
use serde_json::{Map, Value};

/// SplitMix64: a tiny, well-mixed, deterministic hash of a counter.
pub fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// FNV-1a of a string, to derive a per-location stream.
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// A 20-character HighLevel-style id from two 64-bit draws.
pub fn id20(a: u64, b: u64) -> String {
    let mut out = String::with_capacity(20);
    let (mut x, mut y) = (a, b);
    for i in 0..20 {
        let src = if i < 10 { &mut x } else { &mut y };
        out.push(ALPHABET[(*src % 62) as usize] as char);
        *src /= 62;
    }
    out
}

const FIRST: [&str; 16] = [
    "Ada",
    "Grace",
    "Alan",
    "Edsger",
    "Barbara",
    "Donald",
    "Frances",
    "Ken",
    "Margaret",
    "Dennis",
    "Radia",
    "Tim",
    "Hedy",
    "John",
    "Katherine",
    "Linus",
];
const LAST: [&str; 16] = [
    "Lovelace",
    "Hopper",
    "Turing",
    "Dijkstra",
    "Liskov",
    "Knuth",
    "Allen",
    "Thompson",
    "Hamilton",
    "Ritchie",
    "Perlman",
    "Berners-Lee",
    "Lamarr",
    "McCarthy",
    "Johnson",
    "Torvalds",
];
const CITIES: [(&str, &str); 6] = [
    ("Austin", "TX"),
    ("Denver", "CO"),
    ("Boston", "MA"),
    ("Seattle", "WA"),
    ("Miami", "FL"),
    ("Chicago", "IL"),
];
const TAGS: [&str; 6] = [
    "lead",
    "customer",
    "vip",
    "newsletter",
    "webinar",
    "referral",
];

/// Seeded records are spaced one minute apart from this instant (2025-01-01).
pub const SEED_EPOCH_MS: i64 = 1_735_689_600_000;

/// ISO-8601 UTC of Unix milliseconds.
pub fn iso(ms: i64) -> String {
    contacts_core::time::format_rfc3339_ms(ms)
}

/// One seeded contact with its tasks, notes and appointments.
pub struct Seeded {
    /// The contact.
    pub contact: Contact,
    /// When it was added (Unix ms).
    pub created_ms: i64,
    /// Its tasks.
    pub tasks: Vec<Task>,
    /// Its notes.
    pub notes: Vec<Note>,
    /// Its appointments.
    pub appointments: Vec<Appointment>,
}

/// The `i`-th seeded contact of `location_id`.
pub fn contact(location_id: &str, i: u64) -> Seeded {
    let stream = hash_str(location_id);
    let r = mix(stream ^ i);
    let id = id20(r, mix(r));
    let first = FIRST[(r % 16) as usize];
    let last = LAST[((r >> 8) % 16) as usize];
    let (city, state) = CITIES[((r >> 16) % 6) as usize];
    let created_ms = SEED_EPOCH_MS + i as i64 * 60_000;
    let date = iso(created_ms);
    let tag = TAGS[((r >> 24) % 6) as usize];
    let email = format!(
        "{}.{}{}@example.com",
        first.to_lowercase(),
        last.to_lowercase(),
        i
    );
    let contact = Contact {
        id: Some(id.clone()),
        location_id: Some(location_id.to_string()),
        name: Some(format!("{first} {last}")),
        first_name: Some(first.to_string()),
        last_name: Some(last.to_string()),
        email: Some(email),
        phone: Some(format!("+1512{:07}", i % 10_000_000)),
        city: Some(city.to_string()),
        state: Some(state.to_string()),
        country: Some("US".to_string()),
        source: Some("seed".to_string()),
        contact_type: Some("lead".to_string()),
        dnd: Some(false),
        tags: vec![tag.to_string()],
        date_added: Some(date.clone()),
        date_updated: Some(date.clone()),
        custom_fields: vec![CustomFieldValue {
            id: Some("cf_favourite_colour".to_string()),
            value: Some(Value::String(
                ["blue", "green", "red"][(r % 3) as usize].to_string(),
            )),
            extra: Map::new(),
        }],
        ..Contact::default()
    };
    let due = iso(created_ms + 7 * 86_400_000);
    let tasks = vec![Task {
        id: Some(id20(mix(r ^ 1), mix(r ^ 2))),
        title: Some(format!("Follow up with {first}")),
        body: Some("Seeded follow-up".to_string()),
        due_date: Some(due),
        completed: Some(i % 3 == 0),
        contact_id: Some(id.clone()),
        date_added: Some(date.clone()),
        ..Task::default()
    }];
    let notes = vec![Note {
        id: Some(id20(mix(r ^ 3), mix(r ^ 4))),
        body: Some(format!("Met {first} at a meetup in {city}.")),
        date_added: Some(iso(created_ms + 3_600_000)),
        contact_id: Some(id.clone()),
        ..Note::default()
    }];
    let appointments = if i % 4 == 0 {
        let start = created_ms + 2 * 86_400_000;
        vec![Appointment {
            id: Some(id20(mix(r ^ 5), mix(r ^ 6))),
            calendar_id: Some("cal_sandbox".to_string()),
            title: Some(format!("Demo with {first}")),
            status: Some("booked".to_string()),
            appointment_status: Some("confirmed".to_string()),
            start_time: Some(iso(start)),
            end_time: Some(iso(start + 1_800_000)),
            location_id: Some(location_id.to_string()),
            contact_id: Some(id.clone()),
            date_added: Some(date.clone()),
            ..Appointment::default()
        }]
    } else {
        Vec::new()
    };
    Seeded {
        contact,
        created_ms,
        tasks,
        notes,
        appointments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_round_trips_through_the_core_parser() {
        for ms in [
            0,
            SEED_EPOCH_MS,
            SEED_EPOCH_MS + 59_999_123,
            1_795_341_600_000,
        ] {
            assert_eq!(contacts_core::time::parse_rfc3339_ms(&iso(ms)), Some(ms));
        }
    }

    #[test]
    fn seeding_is_deterministic() {
        assert_eq!(contact("loc", 7).contact, contact("loc", 7).contact);
        assert_ne!(contact("loc", 7).contact.id, contact("loc", 8).contact.id);
        assert_eq!(contact("loc", 7).contact.id.unwrap().len(), 20);
    }
}
