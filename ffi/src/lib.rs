//! # libcontacts
//!
//! The C ABI over contacts-core: everything the Rust client has, for native
//! host apps. The conventions (prefix, errors, ownership, strings, threads,
//! callbacks, panics, the runtime and fork) are in `ffi/README.md`, "API
//! conventions"; the header is `include/libcontacts.h`, generated from this
//! crate by cbindgen and checked for drift by a test.
#![deny(missing_docs)]
#![allow(non_camel_case_types)]
// Every entry point is called from C with raw pointers whose contract (NULL
// or valid, owned or borrowed) is documented on the function; NULL is checked
// at the boundary. Marking them `unsafe fn` would change nothing for C.
#![allow(clippy::not_unsafe_ptr_arg_deref)]

mod client;
mod error;
mod sansio;
mod types;
mod webhook;

pub use client::*;
pub use error::*;
pub use sansio::*;
pub use types::*;
pub use webhook::*;

use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs a fallible entry point: NULL on success, an owned error otherwise,
/// and a caught panic becomes `CONTACTS_CODE_PANIC`.
pub(crate) fn boundary(f: impl FnOnce() -> types::Fallible<()>) -> *mut contacts_error {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => Box::into_raw(e),
        Err(_) => Box::into_raw(contacts_error::new(
            contacts_code::Panic,
            "a bug in libcontacts: a panic was caught at the C boundary",
        )),
    }
}

/// The one body of every `_free`: NULL is fine; a handle made by
/// `Box::into_raw` is dropped inside the panic boundary, so a panic in a
/// destructor (the runtime's shutdown, a host's finalizer) never unwinds
/// into C.
pub(crate) fn free_boxed<T>(handle: *mut T) {
    if handle.is_null() {
        return;
    }
    // SAFETY: the caller's contract: `handle` came from this library's
    // `Box::into_raw` and is freed once.
    let owned = unsafe { Box::from_raw(handle) };
    getter((), move || drop(owned));
}

/// Runs an infallible getter; a panic gives `default`.
pub(crate) fn getter<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}

/// The library version, e.g. `0.1.0`. Static; never freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_version() -> contacts_str {
    contacts_str::from_static(concat!(env!("CARGO_PKG_VERSION"), "\0"))
}

/// The catalog JSON: every operation (name, method, path, scope, Version,
/// idempotency, JSON Schemas of params and result) and every webhook
/// trigger. Static; never freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_catalog_json() -> contacts_str {
    contacts_str::from_static(contacts_core::catalog::DESCRIBE_NUL)
}

/// A result: JSON text. Owned by the caller; free with `contacts_result_free`.
/// Use from one thread at a time.
pub struct contacts_result {
    /// The JSON text and one NUL after it. serde_json writes a NUL inside a
    /// string as `\u0000`, so this is the only one: no scan, no copy.
    json: Vec<u8>,
}

impl contacts_result {
    pub(crate) fn new(v: &serde_json::Value) -> Box<contacts_result> {
        contacts_result::from_text(serde_json::to_string(v).unwrap_or_else(|_| "null".into()))
    }

    /// From JSON text that serde_json wrote (so it holds no NUL).
    pub(crate) fn from_text(text: String) -> Box<contacts_result> {
        let mut json = text.into_bytes();
        json.push(0);
        Box::new(contacts_result { json })
    }

    /// The text, without the NUL.
    fn text(&self) -> &[u8] {
        self.json.split_last().map_or(&[], |(_, text)| text)
    }

    pub(crate) fn json_str(&self) -> &str {
        std::str::from_utf8(self.text()).unwrap_or("null")
    }
}

/// The result as JSON text (canonical field names, e.g. `succeeded`).
/// Borrowed: valid until `contacts_result_free(result)`. Empty for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_result_json(result: *const contacts_result) -> contacts_str {
    getter(contacts_str::empty(), || match unsafe { result.as_ref() } {
        Some(r) => contacts_str {
            ptr: r.json.as_ptr().cast(),
            len: r.text().len(),
        },
        None => contacts_str::empty(),
    })
}

/// Frees a result. NULL is fine; never free the same result twice.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_result_free(result: *mut contacts_result) {
    crate::free_boxed(result);
}

#[allow(dead_code)]
fn assert_thread_safety() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<contacts_client>();
    send_sync::<contacts_error>();
    send_sync::<contacts_webhook_verifier>();
    send::<contacts_result>();
    send::<contacts_request>();
    send::<contacts_cursor>();
}
