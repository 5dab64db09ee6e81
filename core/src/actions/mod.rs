//! Composite actions: catalog entries that take more than one request, run
//! by the [`Driver`] for every surface. Each is reached by name through
//! [`Driver::call`], like a raw operation, and is listed in the catalog
//! (`kind: "composite"`) with JSON Schemas of its params and result. Their
//! params are read by those schemas, the same route as every JSON call.
//!
//! An action is a plain async function over `&Driver<T>`: it makes engine
//! calls, joins independent ones so they run concurrently inside the rate
//! budget, and builds its result. It never touches a platform.

mod tags_copy;

use crate::driver::{Driver, Transport};
use crate::{Error, Result};
use serde_json::{Map, Value};

/// One composite action's facts.
#[derive(Debug)]
pub struct Action {
    /// The stable catalog name, e.g. `tags.copy`.
    pub name: &'static str,
    /// One line for people.
    pub summary: &'static str,
    /// Which group of the catalog it belongs to.
    pub category: &'static str,
    /// Every OAuth scope its requests need.
    pub scopes: &'static [&'static str],
    /// Whether running it twice has the effect of running it once.
    pub idempotent: bool,
    program: Program,
    #[cfg(feature = "schema")]
    schemas: fn() -> (Value, Value),
}

/// Which program runs an action.
#[derive(Clone, Copy, Debug)]
enum Program {
    CopyTags,
}

static ACTIONS: &[Action] = &[Action {
    name: "tags.copy",
    summary: prose!(
        "Copy one contact's tags onto another (merging duplicates): both contacts are read at once, then the missing tags are added"
    ),
    category: "tags",
    scopes: &["contacts.readonly", "contacts.write"],
    idempotent: true,
    program: Program::CopyTags,
    #[cfg(feature = "schema")]
    schemas: tags_copy::schemas,
}];

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
    /// sent), then the first failing request's error.
    pub async fn run<T: Transport>(
        &'static self,
        driver: &Driver<T>,
        params: Value,
    ) -> Result<Value> {
        let params = crate::schema::read_params(self.name, &params)?;
        match self.program {
            Program::CopyTags => tags_copy::run(driver, params).await,
        }
    }

    /// This action's params and result schemas, generated from its Rust types.
    #[cfg(feature = "schema")]
    pub fn schemas(&self) -> (Value, Value) {
        (self.schemas)()
    }
}

/// Text param `name` of params already read by the action's schema (so it
/// is there when the schema requires it).
fn text<'a>(params: &'a Map<String, Value>, name: &str) -> Result<&'a str> {
    params
        .get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| Error::invalid_argument(format!("{name} is required")))
}
