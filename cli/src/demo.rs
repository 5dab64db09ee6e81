//! `contacts demo` and `contacts sandbox`.

use crate::output::{Out, table};
use contacts_core::engine::EngineConfig;
use contacts_core::models::ContactFields;
use contacts_core::native::{Client, now_ms};
use contacts_core::ops::appointments::{AppointmentFields, CreateAppointment};
use contacts_core::ops::calendars::FreeSlots;
use contacts_core::ops::contacts::CreateContact;
use contacts_core::ops::notes::NewNote;
use contacts_core::ops::tasks::NewTask;
use contacts_core::sync::{SqliteTable, SyncSettings};
use contacts_core::{Config, Credentials, Error, ErrorCode};
use contacts_sandbox::{Sandbox, SandboxConfig};
use serde_json::json;
use std::net::SocketAddr;

fn sandbox_err(e: std::io::Error) -> Error {
    Error::new(
        ErrorCode::Transport,
        format!("cannot start the sandbox: {e}"),
    )
}

/// `contacts sandbox`: runs contacts-sandbox until Ctrl-C.
pub async fn run_sandbox(port: u16, seed: u64) -> Result<(), Error> {
    let sbx = Sandbox::start(SandboxConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], port)),
        seed,
        ..Default::default()
    })
    .await
    .map_err(sandbox_err)?;
    println!("contacts-sandbox listening");
    println!("  base URL:    {}", sbx.base_url());
    println!("  location:    {}", sbx.location_id());
    println!("  token (PIT): {}", sbx.pit());
    println!("  webhook public key:");
    print!("{}", sbx.webhook_public_key_pem());
    let _ = tokio::signal::ctrl_c().await;
    sbx.shutdown().await;
    Ok(())
}

fn iso(ms: u64) -> String {
    contacts_core::time::format_rfc3339_ms(ms as i64)
}

/// `contacts demo`: the flow the integration guides describe, against an
/// in-process sandbox, printing each step.
pub async fn run(out: &Out) -> Result<(), Error> {
    let sbx = Sandbox::start(SandboxConfig {
        seed: 25,
        ..Default::default()
    })
    .await
    .map_err(sandbox_err)?;
    println!(
        "Started contacts-sandbox at {} (location {}, token {})",
        sbx.base_url(),
        sbx.location_id(),
        sbx.pit()
    );
    let mut cfg = EngineConfig::new(Credentials::PrivateIntegrationToken {
        token: sbx.pit().into(),
        location_id: Some(sbx.location_id().into()),
    });
    cfg.config = Config::new(&sbx.base_url());
    let client = Client::new(cfg)?;
    let result = steps(&client, &sbx, out).await;
    sbx.shutdown().await;
    result
}

async fn steps(client: &Client, sbx: &Sandbox, out: &Out) -> Result<(), Error> {
    let day = 86_400_000;
    let now = now_ms();

    println!("\n1. A lead fills in a form: create the contact");
    let contact = client
        .create_contact(CreateContact {
            location_id: sbx.location_id().into(),
            company_name: Some("Analytical Engines Ltd".into()),
            fields: ContactFields {
                first_name: Some("Ada".into()),
                last_name: Some("Lovelace".into()),
                email: Some("ada@analytical-engines.example".into()),
                phone: Some("+14155550123".into()),
                source: Some("website form".into()),
                ..Default::default()
            },
            ..Default::default()
        })
        .await?;
    let id = contact
        .id
        .clone()
        .ok_or_else(|| Error::protocol("the created contact has no id"))?;
    println!(
        "   created {} {} ({id})",
        contact.first_name.as_deref().unwrap_or(""),
        contact.last_name.as_deref().unwrap_or("")
    );

    println!("\n2. Tag her for segmentation");
    let tags = client
        .add_tags(&id, vec!["lead".into(), "webinar-2026".into()])
        .await?;
    println!("   tags: {}", tags.join(", "));

    println!("\n3. Create the follow-up task set");
    let mut task_ids = Vec::new();
    for (title, days) in [
        ("Call Ada to qualify", 1),
        ("Send the proposal", 3),
        ("Check in after the proposal", 7),
    ] {
        let task = client
            .create_task(
                &id,
                NewTask {
                    title: title.into(),
                    due_date: iso(now + days * day),
                    ..Default::default()
                },
            )
            .await?;
        println!(
            "   task \"{title}\" due {}",
            task.due_date.as_deref().unwrap_or("?")
        );
        task_ids.push(task.id.unwrap_or_default());
    }

    println!("\n4. Record the conversation as a note");
    client
        .create_note(
            &id,
            NewNote {
                body: "Interested in the analytics plan; prefers email.".into(),
                ..Default::default()
            },
        )
        .await?;
    println!("   note added");

    println!("\n5. She books a demo: the first free slot of the calendar in two days");
    let calendar = client
        .list_calendars(sbx.location_id())
        .await?
        .into_iter()
        .next()
        .and_then(|c| c.id)
        .ok_or_else(|| Error::protocol("the location has no calendar"))?;
    let slots = client
        .free_slots(FreeSlots {
            calendar_id: calendar.clone(),
            start_date: now + 2 * day,
            end_date: now + 3 * day,
            timezone: Some("America/New_York".into()),
            ..Default::default()
        })
        .await?;
    let slot = slots
        .days
        .values()
        .flat_map(|d| d.slots.first())
        .next()
        .cloned()
        .ok_or_else(|| Error::protocol("no free slot in two days"))?;
    let booked = client
        .book_appointment(CreateAppointment {
            calendar_id: calendar,
            location_id: sbx.location_id().into(),
            contact_id: id.clone(),
            start_time: slot.clone(),
            fields: AppointmentFields {
                title: Some("Product demo".into()),
                ..Default::default()
            },
        })
        .await?;
    println!("   booked {slot} ({})", booked.id.as_deref().unwrap_or("?"));

    println!("\n6. The qualifying call happened: complete the first task");
    let done = client.complete_task(&id, &task_ids[0]).await?;
    println!(
        "   \"{}\" completed: {}",
        done.title.as_deref().unwrap_or(""),
        done.completed == Some(true)
    );

    println!(
        "\n7. Ada's activity, newest first (activity.feed: notes, tasks and appointments in one list)"
    );
    let feed = client
        .call("activity.feed", json!({"contactId": id}))
        .await?;
    let items = feed["items"].as_array().cloned().unwrap_or_default();
    if out.json {
        println!(
            "{}",
            json!({"contactId": id, "activity": items, "timeZone": feed["timeZone"]})
        );
    } else {
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        let rows: Vec<Vec<String>> = items
            .iter()
            .map(|item| {
                let kind = match item["status"].as_str() {
                    Some(status) if item["type"] == "task" => format!("task ({status})"),
                    _ => text(&item["type"]),
                };
                let what = item["title"]
                    .as_str()
                    .or(item["body"].as_str())
                    .unwrap_or_default();
                vec![kind, text(&item["at"]), what.to_string()]
            })
            .collect();
        table(&["TYPE", "WHEN (UTC)", "WHAT"], &rows);
        if let Some(zone) = feed["timeZone"].as_str() {
            println!("   (appointment times read in the calendar's zone, {zone})");
        }
    }
    sync_step(client).await?;
    let stats = client.engine().stats();
    println!(
        "\nDone: {} API requests, {} retries, {} rate-limited.",
        stats.requests, stats.retries, stats.rate_limited
    );
    Ok(())
}

/// Step 8: the host app's members table kept in sync with the location,
/// both ways, in a scratch directory removed afterwards.
async fn sync_step(client: &Client) -> Result<(), Error> {
    println!("\n8. Keep a host app's members in sync: a SQLite table, both ways");
    let dir = std::env::temp_dir().join(format!("contacts-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| Error::invalid_argument(format!("demo: {e}")))?;
    let outcome = sync_in(client, &dir).await;
    let _ = std::fs::remove_dir_all(&dir);
    outcome
}

async fn sync_in(client: &Client, dir: &std::path::Path) -> Result<(), Error> {
    let db = dir.join("app.db");
    let host_err = |e: rusqlite::Error| Error::invalid_argument(format!("demo host table: {e}"));
    let conn = rusqlite::Connection::open(&db).map_err(host_err)?;
    conn.execute_batch(
        "CREATE TABLE members (id INTEGER PRIMARY KEY, name TEXT, email TEXT, city TEXT,
            updated_at INTEGER NOT NULL, deleted_at INTEGER);
         INSERT INTO members (name, email, city, updated_at) VALUES
            ('Ada Lovelace', 'ada@analytical-engines.example', 'London', 1),
            ('Grace Hopper', 'grace@navy.example', 'Arlington', 1);",
    )
    .map_err(host_err)?;
    let store = contacts_core::state::SqliteStore::open(dir.join("sync.db"))?;
    let client = client.clone().with_state(std::sync::Arc::new(store))?;
    let template = json!({
        "name": "members", "target": "contact", "direction": "both",
        "fields": [
            {"from": "name", "to": ["firstName", "lastName"], "transforms": ["trim", "splitName"]},
            {"from": "email", "to": "email", "transforms": ["email"]},
            {"from": "city", "to": "city"}
        ]
    });
    let table = SqliteTable::open(&db, "members")?;
    let settings = SyncSettings::named("members");
    let first = client
        .sync_pass(&template, &table, &settings, |_| {})
        .await?;
    println!(
        "   first pass: {} matched by email, {} created in HighLevel, {} host rows made from contacts",
        first.matched, first.created.highlevel, first.created.host
    );
    let now = now_ms() as i64;
    conn.execute(
        "UPDATE members SET city = 'New York', updated_at = ?1 WHERE name = 'Grace Hopper'",
        [now],
    )
    .map_err(host_err)?;
    let second = client
        .sync_pass(&template, &table, &settings, |_| {})
        .await?;
    println!(
        "   Grace moved in the app: the next pass updated {} contact, created nothing ({} conflicts)",
        second.updated.highlevel, second.conflicts
    );
    Ok(())
}
