//! Tasks on a contact, and task search across a location.

use super::Paginated;
use super::contacts::{READ, WRITE};
use super::pagination::Pages;
use super::{OpSpec, Operation, PaginationKind, require_texts_of};
use crate::models::{SucceededResponse, TaskResponse, TasksResponse};
use crate::{Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `GET /contacts/{contactId}/tasks`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListTasks {
    /// The contact.
    pub contact_id: String,
}

impl Operation for ListTasks {
    type Output = TasksResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.list",
        operation_id: prose!("get-all-tasks"),
        summary: prose!("List a contact's tasks."),
        path: "/contacts/{contactId}/tasks",
        ..READ
    };
}

/// `POST /contacts/{contactId}/tasks`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateTask {
    /// The contact.
    pub contact_id: String,
    /// The task.
    #[serde(flatten)]
    pub task: NewTask,
}

/// The body of [`CreateTask`] (`CreateTaskParams`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct NewTask {
    /// Title.
    pub title: String,
    /// Body text.
    pub body: Option<String>,
    /// ISO due date, e.g. `2020-10-25T11:00:00Z`.
    pub due_date: String,
    /// Whether it is already done (default false).
    #[serde(default)]
    pub completed: bool,
    /// The user to assign it to.
    pub assigned_to: Option<String>,
}

impl Operation for CreateTask {
    type Output = TaskResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.create",
        operation_id: prose!("create-task"),
        summary: prose!("Create a task on a contact."),
        method: Method::Post,
        path: "/contacts/{contactId}/tasks",
        idempotent: false,
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["title", "dueDate"])
    }
}

/// `GET /contacts/{contactId}/tasks/{taskId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetTask {
    /// The contact.
    pub contact_id: String,
    /// The task.
    pub task_id: String,
}

impl Operation for GetTask {
    type Output = TaskResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.get",
        operation_id: prose!("get-task"),
        summary: prose!("Get a task."),
        path: "/contacts/{contactId}/tasks/{taskId}",
        ..READ
    };
}

/// `PUT /contacts/{contactId}/tasks/{taskId}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateTask {
    /// The contact.
    pub contact_id: String,
    /// The task.
    pub task_id: String,
    /// The fields to change.
    #[serde(flatten)]
    pub changes: TaskChanges,
}

/// The body of [`UpdateTask`] (`UpdateTaskBody`): absent fields stay as they are.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskChanges {
    /// Title.
    pub title: Option<String>,
    /// Body text.
    pub body: Option<String>,
    /// ISO due date.
    pub due_date: Option<String>,
    /// Done or not.
    pub completed: Option<bool>,
    /// Assigned user.
    pub assigned_to: Option<String>,
}

impl Operation for UpdateTask {
    type Output = TaskResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.update",
        operation_id: prose!("update-task"),
        summary: prose!("Update a task."),
        method: Method::Put,
        path: "/contacts/{contactId}/tasks/{taskId}",
        ..WRITE
    };
}

/// `DELETE /contacts/{contactId}/tasks/{taskId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteTask {
    /// The contact.
    pub contact_id: String,
    /// The task.
    pub task_id: String,
}

impl Operation for DeleteTask {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.delete",
        operation_id: prose!("delete-task"),
        summary: prose!("Delete a task."),
        method: Method::Delete,
        path: "/contacts/{contactId}/tasks/{taskId}",
        ..WRITE
    };
}

fn default_true() -> bool {
    true
}

/// `PUT /contacts/{contactId}/tasks/{taskId}/completed`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CompleteTask {
    /// The contact.
    pub contact_id: String,
    /// The task.
    pub task_id: String,
    /// True to complete (the default), false to reopen.
    #[serde(default = "default_true")]
    pub completed: bool,
}

impl Operation for CompleteTask {
    type Output = TaskResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.complete",
        operation_id: prose!("update-task-completed"),
        summary: prose!("Mark a task completed (or reopen it)."),
        method: Method::Put,
        path: "/contacts/{contactId}/tasks/{taskId}/completed",
        ..WRITE
    };
}

/// `POST /locations/{locationId}/tasks/search`: tasks across a location.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchTasks {
    /// The location.
    pub location_id: String,
    /// What to look for.
    #[serde(flatten)]
    pub query: TaskQuery,
}

/// The body of [`SearchTasks`] (`TaskSearchParamsDto`).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct TaskQuery {
    /// Only tasks of these contacts.
    pub contact_id: Option<Vec<String>>,
    /// Only completed (true) or pending (false) tasks.
    pub completed: Option<bool>,
    /// Only tasks assigned to these users.
    pub assigned_to: Option<Vec<String>>,
    /// Full-text query.
    pub query: Option<String>,
    /// Page size (the API's default is 25).
    pub limit: Option<u32>,
    /// How many to skip.
    pub skip: Option<u64>,
    /// Only tasks of this business.
    pub business_id: Option<String>,
}

impl Operation for SearchTasks {
    type Output = TasksResponse;
    const SPEC: OpSpec = OpSpec {
        name: "tasks.search",
        operation_id: prose!("task-search"),
        summary: prose!("Search tasks across a location."),
        method: Method::Post,
        path: "/locations/{locationId}/tasks/search",
        scope: Some("locations/tasks.readonly"),
        pagination: PaginationKind::SkipLimit,
        ..READ
    };
}

impl Paginated for SearchTasks {
    const PAGES: Pages = Pages {
        items: "tasks",
        limit: "limit",
        default_limit: Some(25),
    };
}
