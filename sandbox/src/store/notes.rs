//! A contact's notes.

use super::{
    ApiError, Call, Reply, Store, event, find, from_body, object, patched, require_str, take,
    unserved,
};
use crate::seed;
use contacts_core::models::Note;
use serde_json::json;

impl Store {
    /// Serves the `notes` operations.
    pub(super) fn notes(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who,
            req,
            now_ms,
            events,
            ..
        } = cx;
        match op {
            "notes.list" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                Ok((200, json!({"notes": rec.notes})))
            }
            "notes.create" => {
                let body = object(req.body)?;
                let mut errs = Vec::new();
                require_str(body, "body", &mut errs);
                if !errs.is_empty() {
                    return Err(ApiError::validation(errs));
                }
                let id = self.new_id();
                let contact_id = req.path("contactId").to_string();
                let (rec, loc) = self.rec(who, &contact_id)?;
                let mut note: Note = from_body(body)?;
                note.id = Some(id);
                note.contact_id = Some(contact_id);
                note.date_added = Some(seed::iso(now_ms));
                rec.notes.push(note.clone());
                events.push(event("NoteCreate", &loc, json!(note)));
                Ok((201, json!({"note": note})))
            }
            "notes.get" => {
                let (rec, _) = self.rec(who, req.path("contactId"))?;
                let note = find(&rec.notes, req.path("id"), |n| &n.id)
                    .ok_or_else(|| ApiError::not_found("Note"))?;
                Ok((200, json!({"note": note})))
            }
            "notes.update" => {
                let body = object(req.body)?;
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let id = req.path("id");
                let note = rec
                    .notes
                    .iter_mut()
                    .find(|n| n.id.as_deref() == Some(id))
                    .ok_or_else(|| ApiError::not_found("Note"))?;
                *note = patched(note, body)?;
                events.push(event("NoteUpdate", &loc, json!(note)));
                Ok((200, json!({"note": note})))
            }
            "notes.delete" => {
                let (rec, loc) = self.rec(who, req.path("contactId"))?;
                let note = take(&mut rec.notes, req.path("id"), |n| &n.id, "Note")?;
                events.push(event("NoteDelete", &loc, json!(note)));
                Ok((200, json!({"succeded": true})))
            }
            other => Err(unserved(other)),
        }
    }
}
