//! A contact's tasks, and task search across a location.

use super::{
    ApiError, Call, Reply, Store, event, find, from_body, object, patched, require_str, take,
    unserved,
};
use crate::seed;
use contacts_core::models::Task;
use serde_json::Value;
use serde_json::json;
use std::collections::BTreeSet;

impl Store {
    /// Serves the `tasks` operations.
    pub(super) fn tasks(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            now_ms,
            events,
            ..
        } = cx;
        match op {
            "tasks.list" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"tasks": rec.tasks})))
            }
            "tasks.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "title", &mut errs);
                require_str(body, "dueDate", &mut errs);
                if !body.get("completed").is_some_and(Value::is_boolean) {
                    errs.push("completed must be a boolean value".into());
                }
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let contact_id = req.path("contactId").to_string();
                let (rec, loc) = self.rec(who, &contact_id)?;
                let mut task: Task = from_body(body)?;
                task.id = Some(id);
                task.contact_id = Some(contact_id);
                task.date_added = Some(seed::iso(now_ms));
                rec.tasks.push(task.clone());
                events.push(event("TaskCreate", &loc, json!(task)));
                if task.completed == Some(true) {
                    events.push(event("TaskComplete", &loc, json!(task)));
                }
                Ok((201, json!({"task": task})))
            }
            "tasks.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                let task = find(&rec.tasks, req.path("taskId"), |t| &t.id)
                    .ok_or_else(|| ApiError::not_found("Task"))?;
                Ok((200, json!({"task": task})))
            }
            "tasks.update" | "tasks.complete" => {
                let body = object(req.body)?;
                if op == "tasks.complete" && !body.get("completed").is_some_and(Value::is_boolean) {
                    return Err(ApiError::validation(vec![
                        "completed must be a boolean value".into(),
                    ]));
                }
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let task_id = req.path("taskId");
                let task = rec
                    .tasks
                    .iter_mut()
                    .find(|t| t.id.as_deref() == Some(task_id))
                    .ok_or_else(|| ApiError::not_found("Task"))?;
                let was_completed = task.completed == Some(true);
                *task = patched(task, body)?;
                if !was_completed && task.completed == Some(true) {
                    events.push(event("TaskComplete", &loc, json!(task)));
                }
                Ok((200, json!({"task": task})))
            }
            "tasks.delete" => {
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let task = take(&mut rec.tasks, req.path("taskId"), |t| &t.id, "Task")?;
                events.push(event("TaskDelete", &loc, json!(task)));
                Ok((200, json!({"succeded": true})))
            }
            "tasks.search" => {
                let loc_id = req.path("locationId").to_string();
                let body = req.body.as_object().cloned().unwrap_or_default();
                let l = self.location(who, &loc_id)?;
                let limit = body.get("limit").and_then(Value::as_u64).unwrap_or(25) as usize;
                let skip = body.get("skip").and_then(Value::as_u64).unwrap_or(0) as usize;
                let contacts = body.get("contactId").and_then(Value::as_array).map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect::<BTreeSet<_>>()
                });
                let completed = body.get("completed").and_then(Value::as_bool);
                let query = body
                    .get("query")
                    .and_then(Value::as_str)
                    .map(str::to_lowercase);
                let tasks: Vec<&Task> = l
                    .order
                    .iter()
                    .filter_map(|(_, id)| l.contacts.get(id))
                    .filter(|r| {
                        contacts
                            .as_ref()
                            .is_none_or(|c| r.contact.id.as_ref().is_some_and(|id| c.contains(id)))
                    })
                    .flat_map(|r| r.tasks.iter())
                    .filter(|t| completed.is_none_or(|c| t.completed == Some(c)))
                    .filter(|t| {
                        query.as_ref().is_none_or(|q| {
                            t.title.as_deref().unwrap_or("").to_lowercase().contains(q)
                        })
                    })
                    .skip(skip)
                    .take(limit)
                    .collect();
                Ok((200, json!({"tasks": tasks})))
            }
            other => Err(unserved(other)),
        }
    }
}
