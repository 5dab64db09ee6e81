//! The panic boundary every exported function runs inside: no panic
//! unwinds into C.

use crate::error::{Fallible, contacts_code, contacts_error};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs a fallible entry point: NULL on success, an owned error otherwise,
/// and a caught panic becomes `CONTACTS_CODE_PANIC`.
pub(crate) fn boundary(f: impl FnOnce() -> Fallible<()>) -> *mut contacts_error {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => Box::into_raw(e),
        Err(_) => Box::into_raw(contacts_error::new(
            contacts_code::Panic,
            "a bug in libcontacts: a panic was caught at the C boundary",
        )),
    }
}

/// Runs an infallible getter; a panic gives `default`.
pub(crate) fn getter<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}
