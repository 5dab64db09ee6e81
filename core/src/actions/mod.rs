//! Composite actions: catalog entries that take more than one request, run
//! by the [`Driver`] for every surface. Each is reached by name through
//! [`Driver::call`], like a raw operation, and is listed in the catalog
//! (`kind: "composite"`) with JSON Schemas of its params and result. Their
//! params are read by those schemas, the same route as every JSON call.
//!
//! An action is a plain async function over `&Driver<T>`: it makes engine
//! calls, joins independent ones so they run concurrently inside the rate
//! budget, and builds its result. It never touches a platform.
//!
//! Every action is in the catalog, but their programs are compiled only with
//! feature `runtime` (which `native` implies): the npm package's main module
//! is built without it, for size (each composite costs it a kilobyte or two
//! gzipped), and refuses them by name, saying where they run (its runtime
//! module).

#[cfg(feature = "runtime")]
mod activity_feed;
#[cfg(feature = "runtime")]
mod book;
#[cfg(feature = "runtime")]
mod capture;
#[cfg(feature = "runtime")]
mod get_with_activity;
#[cfg(feature = "runtime")]
mod tags_copy;
#[cfg(feature = "runtime")]
mod task_set;

use crate::driver::{Driver, Transport};
use crate::{Error, Result};
#[cfg(feature = "runtime")]
use serde_json::Map;
use serde_json::Value;

/// One composite action's facts.
#[derive(Debug)]
pub struct Action {
    /// The stable catalog name, e.g. `tags.copy`.
    pub name: &'static str,
    /// One line for people.
    pub summary: &'static str,
    /// Which group of the catalog it belongs to.
    pub category: &'static str,
    /// The operations it may call; its scopes are theirs ([`Action::scopes`]).
    pub calls: &'static [&'static str],
    /// Whether running it twice has the effect of running it once.
    pub idempotent: bool,
    #[cfg(feature = "runtime")]
    program: Program,
    #[cfg(feature = "schema")]
    schemas: fn() -> (Value, Value),
}

/// Which program runs an action.
#[cfg(feature = "runtime")]
#[derive(Clone, Copy, Debug)]
enum Program {
    CopyTags,
    GetWithActivity,
    ActivityFeed,
    CreateTaskSet,
    Capture,
    Book,
}

static ACTIONS: &[Action] = &[
    Action {
        name: "tags.copy",
        summary: prose!(
            "Copy one contact's tags onto another (merging duplicates): both contacts are read at once, then the missing tags are added"
        ),
        category: "tags",
        calls: &["contacts.get", "tags.add"],
        idempotent: true,
        #[cfg(feature = "runtime")]
        program: Program::CopyTags,
        #[cfg(feature = "schema")]
        schemas: tags_copy::schemas,
    },
    Action {
        name: "contacts.getWithActivity",
        summary: prose!(
            "A contact with its tasks, notes and appointments (each optional: include), all read at once"
        ),
        category: "contacts",
        calls: &[
            "contacts.get",
            "tasks.list",
            "notes.list",
            "appointments.list",
        ],
        idempotent: true,
        #[cfg(feature = "runtime")]
        program: Program::GetWithActivity,
        #[cfg(feature = "schema")]
        schemas: get_with_activity::schemas,
    },
    Action {
        name: "activity.feed",
        summary: prose!(
            "A contact's notes, tasks and appointments as one list, newest first ({type, id, at, title, body, status}, at in RFC 3339 UTC; appointment times read in the calendar's time zone), all read at once; limit applies after merging"
        ),
        category: "contacts",
        calls: &[
            "notes.list",
            "tasks.list",
            "appointments.list",
            "locations.get",
        ],
        idempotent: true,
        #[cfg(feature = "runtime")]
        program: Program::ActivityFeed,
        #[cfg(feature = "schema")]
        schemas: activity_feed::schemas,
    },
    Action {
        name: "tasks.createSet",
        summary: prose!(
            "A tailored task set for one contact: each task's title and body filled from the contact, its due date an ISO 8601 duration after now or a contact date, created only when the contact meets its condition; the creates go out together"
        ),
        category: "tasks",
        calls: &["contacts.get", "tasks.create"],
        idempotent: false,
        #[cfg(feature = "runtime")]
        program: Program::CreateTaskSet,
        #[cfg(feature = "schema")]
        schemas: task_set::schemas,
    },
    Action {
        name: "contacts.capture",
        summary: prose!(
            "A form lead or new host record, once per idempotency key: find or create the contact by email or phone, add tags, and optionally create tasks and a note; journaled in the state store so a rerun after a crash finishes the work without duplicates"
        ),
        category: "contacts",
        calls: &[
            "contacts.findDuplicate",
            "contacts.upsert",
            "contacts.update",
            "tags.add",
            "tasks.list",
            "notes.list",
            "tasks.create",
            "notes.create",
        ],
        idempotent: true,
        #[cfg(feature = "runtime")]
        program: Program::Capture,
        #[cfg(feature = "schema")]
        schemas: capture::schemas,
    },
    Action {
        name: "appointments.book",
        summary: prose!(
            "Book a demo: the first free slot of a calendar from a start (default now) in a window, trying the next free slot when one was just taken, at most maxAttempts bookings"
        ),
        category: "appointments",
        calls: &["calendars.freeSlots", "appointments.create"],
        idempotent: false,
        #[cfg(feature = "runtime")]
        program: Program::Book,
        #[cfg(feature = "schema")]
        schemas: book::schemas,
    },
];

/// Every composite action, in catalog order (after the operations).
pub fn all() -> &'static [Action] {
    ACTIONS
}

/// The composite action named `name`, if there is one.
pub fn find(name: &str) -> Option<&'static Action> {
    ACTIONS.iter().find(|a| a.name == name)
}

impl Action {
    /// Runs this action with JSON `params` over `driver`.
    ///
    /// Errors: InvalidArgument for params its schema refuses (nothing is
    /// sent), or, in a build without feature `runtime`, for any composite;
    /// then the first failing request's error.
    #[cfg(feature = "runtime")]
    pub async fn run<T: Transport>(
        &'static self,
        driver: &Driver<T>,
        params: Value,
    ) -> Result<Value> {
        let params = crate::schema::read_params(self.name, &params)?;
        match self.program {
            Program::CopyTags => tags_copy::run(driver, params).await,
            Program::GetWithActivity => get_with_activity::run(driver, params).await,
            Program::ActivityFeed => activity_feed::run(driver, params).await,
            Program::CreateTaskSet => task_set::run(driver, params).await,
            Program::Capture => capture::run(driver, params).await,
            Program::Book => book::run(driver, params).await,
        }
    }

    /// Runs this action: in a build without feature `runtime`, refused by
    /// name with where it runs.
    #[cfg(not(feature = "runtime"))]
    pub async fn run<T: Transport>(
        &'static self,
        _driver: &Driver<T>,
        _params: Value,
    ) -> Result<Value> {
        Err(Error::invalid_argument(format!(
            "{} runs in the runtime build (in the npm package: libcontacts/runtime, or await loadRuntime())",
            self.name
        )))
    }

    /// Every OAuth scope its requests need: those of the operations it calls,
    /// once each, in first-use order.
    pub fn scopes(&self) -> Vec<&'static str> {
        crate::ops::by_name::scopes_of(self.calls)
    }

    /// This action's params and result schemas, generated from its Rust types.
    #[cfg(feature = "schema")]
    pub fn schemas(&self) -> (Value, Value) {
        (self.schemas)()
    }
}

/// Text param `name` of params already read by the action's schema (so it
/// is there when the schema requires it).
#[cfg(feature = "runtime")]
fn text<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    params
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_argument(format!("{name} is required")))
}

/// Which of `parts` (names, in order) `params`' `include` list asks for:
/// all when it is absent.
///
/// Errors: InvalidArgument naming `action` for a name not in `parts`.
#[cfg(feature = "runtime")]
fn included<const N: usize>(
    action: &str,
    params: &Map<String, Value>,
    parts: [&str; N],
) -> Result<[bool; N]> {
    let Some(list) = params.get("include").and_then(Value::as_array) else {
        return Ok([true; N]);
    };
    let mut wanted = [false; N];
    for item in list {
        let name = item.as_str().unwrap_or_default();
        let index = parts.iter().position(|part| *part == name).ok_or_else(|| {
            Error::invalid_argument(format!(
                "{action}: include takes {}, not {item}",
                parts.join(", ")
            ))
        })?;
        wanted[index] = true;
    }
    Ok(wanted)
}

/// Runs `op` with `params` when `wanted`: a future that answers `None`
/// otherwise, so optional reads join with the rest.
///
/// Errors: InvalidArgument for an unknown `op` (before anything is sent).
#[cfg(feature = "runtime")]
fn run_if<'a, T: Transport>(
    driver: &'a Driver<T>,
    wanted: bool,
    op: &str,
    params: &Value,
) -> Result<futures_util::future::OptionFuture<impl std::future::Future<Output = Result<Value>> + 'a>>
{
    let call = match wanted {
        true => Some(crate::engine::JsonCall::new(op, params.clone())?),
        false => None,
    };
    Ok(call.map(|c| driver.run(c)).into())
}

/// `wanted` without the tags `have` already holds, compared as HighLevel
/// does (without regard to ASCII case), in `wanted`'s order.
#[cfg(feature = "runtime")]
fn missing_tags<'a>(have: &[&str], wanted: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    wanted
        .into_iter()
        .filter(|t| !have.iter().any(|h| h.eq_ignore_ascii_case(t)))
        .map(str::to_owned)
        .collect()
}

/// An ISO 8601 duration param at `json_path`, in milliseconds
/// ([`crate::time::parse_duration_ms`]'s subset).
#[cfg(feature = "runtime")]
fn duration_param(json_path: &str, text: &str) -> Result<u64> {
    crate::time::parse_duration_ms(text).ok_or_else(|| {
        Error::invalid_argument(format!(
            "{json_path}: {text:?} is not a duration of the subset (P1D, PT4H, P1DT2H, P2W)"
        ))
    })
}

/// The location a call acts for: `given`, else the credentials'.
///
/// Errors: InvalidArgument naming `param` when neither says.
#[cfg(feature = "runtime")]
fn location_of<T: Transport>(
    driver: &Driver<T>,
    given: Option<&str>,
    param: &str,
) -> Result<String> {
    match given {
        Some(location) => Ok(location.to_owned()),
        None => driver
            .engine()
            .credentials_snapshot()
            .location_id()
            .map(str::to_owned)
            .ok_or_else(|| {
                Error::invalid_argument(format!(
                    "{param} is required (the credentials name no location)"
                ))
            }),
    }
}
