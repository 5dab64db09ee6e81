//! Test-only failpoints: named points in the runtime where a test can make a
//! process fail or die at an exact step, instead of killing it on a timer
//! (which mostly hits an idle process and proves nothing).
//!
//! The points:
//! - `after-response:<op>:<n>`: the `n`th response (from 1, per process) to
//!   operation `<op>` has arrived, and nothing has been done with it yet;
//! - `after-any-response:<n>`: the same for the `n`th response to any
//!   operation, so a crash test can pick its points by request count;
//! - `before-store-commit:<key>`: a state-store write of `<key>` is about to
//!   be made;
//! - `after-credential-response:<n>`: the `n`th answer (from 1, per
//!   process) to a credential request (a refresh, a mint) has arrived, and
//!   nothing has been done with it: not stored, not written to the fleet;
//! - `<shell>:<step>`: a step a shell names through [`reached`], e.g. the
//!   CLI's `cli:poll-after-flush` (a poll's events are printed and flushed,
//!   its checkpoint not yet renamed into place).
//!
//! With feature `failpoints` (tests only; no release build has it) the
//! points are read from `LIBCONTACTS_FAILPOINTS` when first reached,
//! `name=action` pairs separated by `;`, and may be set with [`set`]. The
//! actions: `abort` (the process ends at once, no destructors, no flush: a
//! crash, as `kill -9` would leave it), `panic`, `error` (the step fails
//! with [`crate::ErrorCode::Transport`]), and `sleep:<ms>` (the thread
//! stops that long, as a process paused by its host would). Without the feature every point is
//! an empty inline function.
//!
//! Written here rather than with the `fail` crate because a crash test needs
//! an action that ends the process without unwinding, and `fail`'s actions
//! from its environment variable all unwind or return.

#[cfg(not(feature = "failpoints"))]
use crate::Result;

/// A response to `op` has arrived (point `after-response:<op>:<n>`).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub(crate) fn after_response(_op: &str) -> Result<()> {
    Ok(())
}

/// A write of state `key` is about to be made (point
/// `before-store-commit:<key>`).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub(crate) fn before_store_commit(_key: &str) -> Result<()> {
    Ok(())
}

/// An answer to a credential request has arrived (point
/// `after-credential-response:<n>`).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub(crate) fn after_credential_response() -> Result<()> {
    Ok(())
}

/// A shell's named step `name` is reached (point `name`).
#[cfg(not(feature = "failpoints"))]
#[inline(always)]
pub fn reached(_name: &str) -> crate::Result<()> {
    Ok(())
}

#[cfg(feature = "failpoints")]
pub use enabled::{Action, clear, reached, set};
#[cfg(feature = "failpoints")]
pub(crate) use enabled::{after_credential_response, after_response, before_store_commit};

#[cfg(feature = "failpoints")]
mod enabled {
    use crate::{Error, ErrorCode, Result};
    use std::collections::HashMap;
    use std::sync::{Mutex, MutexGuard, OnceLock};

    /// What a failpoint does when reached.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Action {
        /// End the process at once (`std::process::abort`).
        Abort,
        /// Panic.
        Panic,
        /// Fail the step with a Transport error.
        Error,
        /// Stop the thread this many milliseconds, then go on.
        Sleep(u64),
    }

    #[derive(Default)]
    struct Registry {
        points: HashMap<String, Action>,
        responses: HashMap<String, u64>,
    }

    fn registry() -> MutexGuard<'static, Registry> {
        static REGISTRY: OnceLock<Mutex<Registry>> = OnceLock::new();
        REGISTRY
            .get_or_init(|| Mutex::new(Registry::from_env()))
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    impl Registry {
        fn from_env() -> Registry {
            let mut registry = Registry::default();
            let spec = std::env::var("LIBCONTACTS_FAILPOINTS").unwrap_or_default();
            for pair in spec.split(';').filter(|p| !p.trim().is_empty()) {
                let Some((name, action)) = pair.rsplit_once('=') else {
                    continue;
                };
                let action = match action.trim() {
                    "abort" => Action::Abort,
                    "panic" => Action::Panic,
                    "error" => Action::Error,
                    other => match other.strip_prefix("sleep:").and_then(|ms| ms.parse().ok()) {
                        Some(ms) => Action::Sleep(ms),
                        None => continue,
                    },
                };
                registry.points.insert(name.trim().to_owned(), action);
            }
            registry
        }
    }

    /// Arms point `name` with `action` (for this process).
    pub fn set(name: &str, action: Action) {
        registry().points.insert(name.to_owned(), action);
    }

    /// Disarms every point and restarts the response counts.
    pub fn clear() {
        let mut registry = registry();
        registry.points.clear();
        registry.responses.clear();
    }

    fn hit(name: &str, action: Option<Action>) -> Result<()> {
        match action {
            None => Ok(()),
            Some(Action::Abort) => std::process::abort(),
            #[allow(clippy::panic)]
            Some(Action::Panic) => panic!("failpoint {name}"),
            Some(Action::Error) => Err(Error::new(
                ErrorCode::Transport,
                format!("failpoint {name}"),
            )),
            Some(Action::Sleep(ms)) => {
                std::thread::sleep(std::time::Duration::from_millis(ms));
                Ok(())
            }
        }
    }

    pub(crate) fn after_credential_response() -> Result<()> {
        let (name, action) = {
            let mut registry = registry();
            let count = registry
                .responses
                .entry("\u{1}credential".to_owned())
                .or_insert(0);
            *count += 1;
            let name = format!("after-credential-response:{count}");
            let action = registry.points.get(&name).copied();
            (name, action)
        };
        hit(&name, action)
    }

    pub(crate) fn after_response(op: &str) -> Result<()> {
        let (name, action) = {
            let mut registry = registry();
            let count = registry.responses.entry(op.to_owned()).or_insert(0);
            *count += 1;
            let name = format!("after-response:{op}:{count}");
            let any = registry.responses.entry("\u{1}any".to_owned()).or_insert(0);
            *any += 1;
            let any_name = format!("after-any-response:{any}");
            match registry.points.get(&name).copied() {
                Some(action) => (name, Some(action)),
                None => {
                    let action = registry.points.get(&any_name).copied();
                    (any_name, action)
                }
            }
        };
        hit(&name, action)
    }

    /// A shell's named step `name` is reached.
    pub fn reached(name: &str) -> Result<()> {
        let action = registry().points.get(name).copied();
        hit(name, action)
    }

    pub(crate) fn before_store_commit(key: &str) -> Result<()> {
        let name = format!("before-store-commit:{key}");
        let action = registry().points.get(&name).copied();
        hit(&name, action)
    }
}
