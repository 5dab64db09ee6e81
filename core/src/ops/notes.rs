//! Notes on a contact.

use super::contacts::{READ, WRITE};
use super::{OpSpec, Operation, require_text};
use crate::models::{NoteResponse, NotesResponse, SucceededResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `GET /contacts/{contactId}/notes`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListNotes {
    /// The contact.
    pub contact_id: String,
}

impl Operation for ListNotes {
    type Output = NotesResponse;
    const SPEC: OpSpec = OpSpec {
        name: "notes.list",
        operation_id: prose!("get-all-notes"),
        summary: prose!("List a contact's notes."),
        path: "/contacts/{contactId}/notes",
        ..READ
    };
}

/// `POST /contacts/{contactId}/notes`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateNote {
    /// The contact.
    pub contact_id: String,
    /// The note.
    #[serde(flatten)]
    pub note: NewNote,
}

/// The body of [`CreateNote`] (`NotesDTO`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    /// Body text.
    pub body: String,
    /// The author.
    pub user_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Colour, e.g. `#FFAA00`.
    pub color: Option<String>,
    /// Pin it.
    pub pinned: Option<bool>,
}

impl Operation for CreateNote {
    type Output = NoteResponse;
    const SPEC: OpSpec = OpSpec {
        name: "notes.create",
        operation_id: prose!("create-note"),
        summary: prose!("Add a note to a contact."),
        method: Method::Post,
        path: "/contacts/{contactId}/notes",
        idempotent: false,
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "body")
    }
}

/// `GET /contacts/{contactId}/notes/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetNote {
    /// The contact.
    pub contact_id: String,
    /// The note.
    pub note_id: String,
}

impl Operation for GetNote {
    type Output = NoteResponse;
    const SPEC: OpSpec = OpSpec {
        name: "notes.get",
        operation_id: prose!("get-note"),
        summary: prose!("Get a note."),
        path: "/contacts/{contactId}/notes/{id}",
        path_names: &[("id", "noteId")],
        ..READ
    };
}

/// `PUT /contacts/{contactId}/notes/{id}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateNote {
    /// The contact.
    pub contact_id: String,
    /// The note.
    pub note_id: String,
    /// The fields to change.
    #[serde(flatten)]
    pub changes: NoteChanges,
}

/// The body of [`UpdateNote`] (`UpdateNoteDTO`): absent fields stay as they are.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NoteChanges {
    /// Body text.
    pub body: Option<String>,
    /// The author.
    pub user_id: Option<String>,
    /// Title.
    pub title: Option<String>,
    /// Colour.
    pub color: Option<String>,
    /// Pinned.
    pub pinned: Option<bool>,
}

impl Operation for UpdateNote {
    type Output = NoteResponse;
    const SPEC: OpSpec = OpSpec {
        name: "notes.update",
        operation_id: prose!("update-note"),
        summary: prose!("Update a note."),
        method: Method::Put,
        path: "/contacts/{contactId}/notes/{id}",
        path_names: &[("id", "noteId")],
        ..WRITE
    };
}

/// `DELETE /contacts/{contactId}/notes/{id}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteNote {
    /// The contact.
    pub contact_id: String,
    /// The note.
    pub note_id: String,
}

impl Operation for DeleteNote {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "notes.delete",
        operation_id: prose!("delete-note"),
        summary: prose!("Delete a note."),
        method: Method::Delete,
        path: "/contacts/{contactId}/notes/{id}",
        path_names: &[("id", "noteId")],
        ..WRITE
    };
}
