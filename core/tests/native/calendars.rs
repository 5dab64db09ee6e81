//! Calendars end to end against a live sandbox on loopback: free slots
//! across a DST change, bookings into taken slots, and the inputs refused
//! before anything is sent. A module of the native test: one binary less to
//! build and link.

use contacts_core::engine::EngineConfig;
use contacts_core::native::Client;
use contacts_core::ops::appointments::{AppointmentFields, CreateAppointment};
use contacts_core::ops::calendars::FreeSlots;
use contacts_core::time::parse_rfc3339_ms;
use contacts_core::{Config, Credentials, ErrorCode};
use contacts_sandbox::{Sandbox, SandboxConfig};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

fn client_for(base_url: &str, token: &str, location: &str) -> Client {
    Client::new(super::pit_config(base_url, token, location)).unwrap()
}

fn ms(iso: &str) -> u64 {
    parse_rfc3339_ms(iso).unwrap() as u64
}

/// The seeded calendar: open 09:00–17:00 every day in America/New_York,
/// 30-minute slots.
const CALENDAR: &str = "cal_sandbox";

/// `day`'s half-hour starts from 09:00 to 16:30 at `offset`, but `skip`.
fn half_hours(day: &str, offset: &str, skip: &[&str]) -> Vec<String> {
    (9..17)
        .flat_map(|h| [format!("{h:02}:00"), format!("{h:02}:30")])
        .filter(|t| !skip.contains(&t.as_str()))
        .map(|t| format!("{day}T{t}:00{offset}"))
        .collect()
}

/// The calendar's free slots from `from` to `to` (ISO 8601), in `zone`.
async fn free_slots(
    c: &Client,
    from: &str,
    to: &str,
    zone: &str,
) -> contacts_core::models::FreeSlotsResponse {
    c.free_slots(FreeSlots {
        calendar_id: CALENDAR.into(),
        start_date: ms(from),
        end_date: ms(to),
        timezone: Some(zone.into()),
        ..Default::default()
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn free_slots_across_a_dst_change_and_bookings_into_taken_slots() {
    let sbx = super::seeded_sandbox(4).await;
    let loc = sbx.location_id().to_string();
    let c = client_for(&sbx.base_url(), sbx.pit(), &loc);
    let contact = sbx.first_contact_id().unwrap();
    let book = |start: &str, ignore: Option<bool>| CreateAppointment {
        calendar_id: CALENDAR.into(),
        location_id: loc.clone(),
        contact_id: contact.clone(),
        start_time: start.into(),
        fields: AppointmentFields {
            title: Some("Demo".into()),
            ignore_free_slot_validation: ignore,
            ..Default::default()
        },
    };
    // New York leaves daylight time at 02:00 on Sunday 2030-11-03.
    let booked = c
        .book_appointment(book("2030-11-03T10:00:00-05:00", None))
        .await
        .unwrap();
    assert_eq!(
        booked.start_time.as_deref(),
        Some("2030-11-03T10:00:00-05:00")
    );
    assert_eq!(
        booked.end_time.as_deref(),
        Some("2030-11-03T10:30:00-05:00")
    );

    let slots = free_slots(
        &c,
        "2030-11-02T00:00:00-04:00",
        "2030-11-04T23:59:59-05:00",
        "America/New_York",
    )
    .await;
    let days: Vec<(&str, &[String])> = slots
        .days
        .iter()
        .map(|(d, s)| (d.as_str(), s.slots.as_slice()))
        .collect();
    let expected = [
        ("2030-11-02", half_hours("2030-11-02", "-04:00", &[])),
        ("2030-11-03", half_hours("2030-11-03", "-05:00", &["10:00"])),
        ("2030-11-04", half_hours("2030-11-04", "-05:00", &[])),
    ];
    assert_eq!(
        days,
        expected
            .iter()
            .map(|(d, s)| (*d, s.as_slice()))
            .collect::<Vec<_>>()
    );

    // The same slots in another zone: the same instants, keyed by its days.
    let utc = free_slots(
        &c,
        "2030-11-04T00:00:00-05:00",
        "2030-11-04T23:59:59-05:00",
        "UTC",
    )
    .await;
    assert_eq!(utc.days["2030-11-04"].slots[0], "2030-11-04T14:00:00+00:00");
    assert_eq!(utc.days["2030-11-04"].slots.len(), 16);

    // A second booking into the taken slot is VALIDATION, and adds nothing.
    let again = c
        .book_appointment(book("2030-11-03T10:00:00-05:00", None))
        .await
        .unwrap_err();
    assert_eq!(again.code(), ErrorCode::Validation, "{again}");
    assert_eq!(again.http_status(), Some(400));
    assert_eq!(
        again.messages(),
        ["The slot you have selected is no longer available."]
    );
    let events = |c: &Client| {
        let c = c.clone();
        let loc = loc.clone();
        async move {
            c.call(
                "calendars.events",
                json!({"locationId": loc, "calendarId": CALENDAR,
                   "startTime": ms("2030-11-03T00:00:00-05:00"), "endTime": ms("2030-11-04T00:00:00-05:00")}),
            )
            .await
            .unwrap()["events"]
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(events(&c).await, 1, "no second event");
    // Outside open hours is not a free slot either.
    let night = c
        .book_appointment(book("2030-11-03T20:00:00-05:00", None))
        .await
        .unwrap_err();
    assert_eq!(night.code(), ErrorCode::Validation);

    // ignoreFreeSlotValidation books it anyway.
    let forced = c
        .book_appointment(book("2030-11-03T10:00:00-05:00", Some(true)))
        .await
        .unwrap();
    assert_ne!(forced.id, booked.id);
    assert_eq!(events(&c).await, 2);

    // Cancelling frees the slot, keeps the appointment; both show up on the
    // contact through the Contacts API.
    c.cancel_appointment(booked.id.as_deref().unwrap())
        .await
        .unwrap();
    c.cancel_appointment(forced.id.as_deref().unwrap())
        .await
        .unwrap();
    let read = c
        .get_appointment(booked.id.as_deref().unwrap())
        .await
        .unwrap();
    assert_eq!(read.appointment_status.as_deref(), Some("cancelled"));
    let on_contact = c.list_appointments(&contact).await.unwrap();
    assert!(on_contact.iter().any(|a| a.id == booked.id));
    c.book_appointment(book("2030-11-03T10:00:00-05:00", None))
        .await
        .unwrap();
    sbx.shutdown().await;
}

/// A loopback listener that only counts the connections it gets.
async fn counting_listener() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((_socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
        }
    });
    (url, count)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_ranges_zones_and_token_classes_are_refused_before_sending() {
    let (url, connections) = counting_listener().await;
    let c = client_for(&url, "pit-location", "loc_1");
    let start = ms("2030-11-02T00:00:00-04:00");
    let day = 86_400_000;
    let cases: [(&str, Value, &str); 5] = [
        (
            "a 32-day range",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start + 32 * day}),
            "at most 31",
        ),
        (
            "an end before the start",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start - day}),
            "after",
        ),
        (
            "a zone that is not IANA's",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start + day, "timezone": "Eastern Standard Time"}),
            "IANA",
        ),
        (
            "a misspelt zone",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start + day, "timezone": "America/New_Yrok"}),
            "IANA",
        ),
        (
            "a numeric offset for a zone",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start + day, "timezone": "-05:00"}),
            "IANA",
        ),
    ];
    for (what, params, says) in cases {
        let e = c.call("calendars.freeSlots", params).await.unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidArgument, "{what}: {e}");
        assert!(e.to_string().contains(says), "{what}: {e}");
    }
    // 31 days exactly is allowed: it reaches the (counting) server.
    let _ = c
        .call(
            "calendars.freeSlots",
            json!({"calendarId": CALENDAR, "startDate": start, "endDate": start + 31 * day}),
        )
        .await;
    let after_allowed = connections.load(Ordering::SeqCst);
    assert!(after_allowed >= 1, "the allowed range was sent");

    let e = c
        .call(
            "users.filterByEmail",
            json!({"companyId": "co_1", "emails": "a@x.example"}),
        )
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden, "{e}");
    assert!(e.to_string().contains("agency"), "{e}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        after_allowed,
        "nothing was sent for the refused calls"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn agency_credentials_send_the_agency_token_where_only_it_is_taken() {
    let sbx = Sandbox::start(SandboxConfig::default()).await.unwrap();
    // With the location's token, the core refuses it before sending.
    let c = client_for(&sbx.base_url(), sbx.pit(), sbx.location_id());
    let company = contacts_sandbox::DEFAULT_COMPANY_ID;
    let find = json!({"companyId": company, "emails": "morgan@sandbox.example"});
    let e = c
        .call("users.filterByEmail", find.clone())
        .await
        .unwrap_err();
    assert_eq!(e.code(), ErrorCode::Forbidden);
    assert_eq!(c.list_users(sbx.location_id()).await.unwrap().len(), 3);

    // Agency credentials: the agency token for filter-by-email, a minted
    // location token for the location's users.
    let admin: Value = super::mint_tokens(
        &sbx,
        r#"{"userType":"Company","scopes":["users.readonly","oauth.write"]}"#,
    )
    .await;
    let mut cfg = EngineConfig::new(Credentials::Agency {
        tokens: contacts_core::OAuthTokens {
            access_token: admin["access_token"].as_str().unwrap().into(),
            user_type: contacts_core::UserType::Company,
            company_id: Some(company.into()),
            ..Default::default()
        },
        location_id: sbx.location_id().into(),
    });
    cfg.config = Config::new(&sbx.base_url());
    let agency = Client::new(cfg).unwrap();
    let found = agency.call("users.filterByEmail", find).await.unwrap();
    assert_eq!(found["users"][0]["email"], "morgan@sandbox.example");
    assert_eq!(agency.list_users(sbx.location_id()).await.unwrap().len(), 3);
    sbx.shutdown().await;
}
