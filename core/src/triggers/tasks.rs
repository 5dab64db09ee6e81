//! The task triggers: tasks search has no date filter, so each poll reads
//! every task of the location (`skip`/`limit`) and compares each with its
//! stored state:
//! - never seen, after the baseline: TaskCreate;
//! - completed now, not before: TaskComplete;
//! - due before now, not completed, and not reported overdue at this due
//!   date: TaskOverdue (HighLevel has no webhook for it). A task whose due
//!   date moves can be overdue again.
//!
//! A scan cut short by the request bound goes on from its skip count in
//! the next poll. Tasks created while a scan runs may shift the pages by one;
//! the next scan sees what this one missed.

use super::checkpoint::ScanCursor;
use super::{PollContext, event_of, id_of, strip, with_type};
use crate::Result;
use crate::driver::Transport;
use serde_json::{Value, json};

/// Reads tasks for the task triggers of `cx` from `cursor` (`None`: the
/// baseline), adding events to `out`. Returns the new cursor and whether
/// the request bound cut the read short.
pub(super) async fn poll<T: Transport>(
    cx: &PollContext<'_, T>,
    cursor: Option<ScanCursor>,
    out: &mut Vec<Value>,
) -> Result<(ScanCursor, bool)> {
    let mut cursor = cursor.unwrap_or_else(|| ScanCursor::starting(cx.now_ms));
    let records = cx.records("task");
    let limit = cx.params.task_page_limit;
    loop {
        if !cx.bound.take() {
            return Ok((cursor, true));
        }
        let answer = cx
            .driver
            .call(
                "tasks.search",
                json!({"locationId": cx.location, "limit": limit, "skip": cursor.position}),
            )
            .await?;
        let page = answer["tasks"].as_array().cloned().unwrap_or_default();
        for task in &page {
            let Some(id) = id_of(task) else { continue };
            let entry = records.get(id).await?;
            let event = event_of("TaskCreate", cx.location, task);
            let done = task["completed"].as_bool().unwrap_or(false);
            let due = task["dueDate"]
                .as_str()
                .and_then(crate::time::parse_rfc3339_ms);
            let overdue = !done && due.is_some_and(|d| d < cx.now_ms as i64);
            let old = entry.committed.as_ref();
            let reported_overdue = old
                .is_some_and(|o| o["overdue"].as_bool() == Some(true) && o["due"].as_i64() == due);
            if cursor.baselined {
                if old.is_none() && cx.wants("TaskCreate") {
                    out.push(event.clone());
                }
                let was_done = old.is_some_and(|o| o["done"].as_bool() == Some(true));
                if done && !was_done && old.is_some() && cx.wants("TaskComplete") {
                    out.push(with_type("TaskComplete", &strip(&event)));
                }
                if overdue && !reported_overdue && cx.wants("TaskOverdue") {
                    out.push(with_type("TaskOverdue", &strip(&event)));
                }
            }
            let state = json!({
                "done": done,
                "due": due,
                "overdue": overdue,
                "e": strip(&event),
            });
            if old != Some(&state) {
                records.set(id, &entry, Some(state));
            }
        }
        records.flush().await?;
        cursor.position += page.len() as u64;
        if (page.len() as u64) < limit {
            cursor.position = 0;
            cursor.baselined = true;
            return Ok((cursor, false));
        }
    }
}
