//! What the host reads off an error, and the names of the codes.

use crate::boundary::getter;
use crate::checked;
use crate::error::{contacts_code, contacts_error};
use crate::views::contacts_str;

/// The error's code. `err` NULL gives `CONTACTS_CODE_NULL_ARGUMENT`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_code(err: *const contacts_error) -> contacts_code {
    getter(contacts_code::NullArgument, || {
        checked::peek(err).map_or(contacts_code::NullArgument, |e| e.code)
    })
}

/// One line describing the error (code, HTTP status, message, trace id).
/// Borrowed: valid until `contacts_error_free(err)`. Empty for NULL.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_message(err: *const contacts_error) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(err).map_or(contacts_str::empty(), |e| contacts_str::of(&e.message))
    })
}

/// The HTTP status the error came with, or 0.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_http_status(err: *const contacts_error) -> u16 {
    getter(0, || checked::peek(err).map_or(0, |e| e.http_status))
}

/// How long to wait before retrying (on `CONTACTS_CODE_RATE_LIMITED`), or 0.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_retry_after_ms(err: *const contacts_error) -> u64 {
    getter(0, || checked::peek(err).map_or(0, |e| e.retry_after_ms))
}

/// Whether a `CONTACTS_CODE_RATE_LIMITED` error is the daily budget's (the
/// next probe may go in `contacts_error_retry_after_ms`), not the burst
/// window's. False for NULL and every other error.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_daily(err: *const contacts_error) -> bool {
    getter(false, || checked::peek(err).is_some_and(|e| e.daily))
}

/// The response's trace id (quote it to HighLevel support), or empty.
/// Borrowed: valid until `contacts_error_free(err)`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_trace_id(err: *const contacts_error) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(err).map_or(contacts_str::empty(), |e| contacts_str::of(&e.trace_id))
    })
}

/// The scope the operation needs (on `CONTACTS_CODE_FORBIDDEN`), or empty.
/// Borrowed: valid until `contacts_error_free(err)`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_required_scope(err: *const contacts_error) -> contacts_str {
    getter(contacts_str::empty(), || {
        checked::peek(err).map_or(contacts_str::empty(), |e| {
            contacts_str::of(&e.required_scope)
        })
    })
}

/// Frees an error. NULL is fine; never free the same error twice.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_error_free(err: *mut contacts_error) {
    checked::free_boxed(err);
}

/// The name of a code (`NOT_FOUND`), or `UNKNOWN` for a value that is not a
/// code. Takes a plain integer so any value is safe to pass. Static.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_code_name(code: u32) -> contacts_str {
    let name = contacts_code::ALL
        .iter()
        .find(|c| **c as u32 == code)
        .map_or("UNKNOWN\0", |c| c.name());
    contacts_str::from_static(name)
}
