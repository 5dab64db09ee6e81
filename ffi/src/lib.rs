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

mod boundary;
mod call;
mod checked;
mod client;
mod cursor;
mod error;
mod error_getters;
mod flow;
mod lang;
mod mapping;
mod observer;
mod observer_gate;
mod poll;
mod result;
mod runtime;
mod sansio;
mod state_store;
mod sync;
mod token_store;
mod views;
mod webhook;

pub use call::*;
pub use client::*;
pub use cursor::*;
pub use error::*;
pub use error_getters::*;
pub use flow::*;
pub use lang::*;
pub use mapping::*;
pub use observer::*;
pub use observer_gate::*;
pub use poll::*;
pub use result::*;
pub use sansio::*;
pub use state_store::*;
pub use sync::*;
pub use token_store::*;
pub use views::*;
pub use webhook::*;

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

#[allow(dead_code)]
fn assert_thread_safety() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<contacts_client>();
    send_sync::<contacts_error>();
    send_sync::<contacts_webhook_verifier>();
    send_sync::<contacts_condition>();
    send_sync::<contacts_template>();
    send::<contacts_result>();
    send::<contacts_request>();
    send::<contacts_cursor>();
}
