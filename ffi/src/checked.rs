//! Every raw pointer the host passes in is read here, by one small set of
//! checked helpers (in the manner of rustls-ffi's `Castable`): NULL is a
//! typed error, text is UTF-8 checked, sizes are bounded, and handles go out
//! and come back through one pair ([`Out::put`], [`free_boxed`]).

use crate::error::{Fallible, contacts_code, contacts_error};
use crate::views::{CONTACTS_MAX_INPUT, contacts_header_in};
use std::os::raw::c_char;

/// `(ptr, len)` as UTF-8 text. NULL with length 0 is the empty string.
pub(crate) fn text<'a>(what: &str, ptr: *const c_char, len: usize) -> Fallible<&'a str> {
    let bytes = bytes(what, ptr.cast::<u8>(), len)?;
    let s = std::str::from_utf8(bytes).map_err(|e| {
        contacts_error::new(
            contacts_code::InvalidUtf8,
            &format!("{what} is not UTF-8: {e}"),
        )
    })?;
    if s.contains('\0') {
        return Err(contacts_error::new(
            contacts_code::InvalidUtf8,
            &format!("{what} holds a NUL byte"),
        ));
    }
    Ok(s)
}

/// `(ptr, len)` as JSON. Empty means `null`.
pub(crate) fn json(what: &str, ptr: *const c_char, len: usize) -> Fallible<serde_json::Value> {
    let s = text(what, ptr, len)?;
    if s.trim().is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_str(s).map_err(|e| {
        contacts_error::new(
            contacts_code::InvalidJson,
            &format!("{what} is not JSON: {e}"),
        )
    })
}

/// `(ptr, len)` as bytes. NULL with length 0 is empty.
pub(crate) fn bytes<'a>(what: &str, ptr: *const u8, len: usize) -> Fallible<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(null(what));
    }
    if len > CONTACTS_MAX_INPUT {
        return Err(contacts_error::new(
            contacts_code::InvalidArgument,
            &format!("{what} is larger than 64 MiB"),
        ));
    }
    // SAFETY: the caller's contract: `len` readable bytes at `ptr`.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// An array of `len` host headers as owned `(name, value)` pairs (UTF-8 checked).
pub(crate) fn headers(
    what: &str,
    ptr: *const contacts_header_in,
    len: usize,
) -> Fallible<Vec<(String, String)>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if ptr.is_null() {
        return Err(null(what));
    }
    // SAFETY: the caller's contract: `len` headers at `ptr`.
    unsafe { std::slice::from_raw_parts(ptr, len) }
        .iter()
        .map(|h| {
            let name = text("header name", h.name, h.name_len)?;
            let value = text("header value", h.value, h.value_len)?;
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

/// A handle the host passed in, borrowed for the call; NULL is refused.
pub(crate) fn handle<'a, T>(what: &str, p: *const T) -> Fallible<&'a T> {
    // SAFETY: the caller's contract: NULL or a live handle of this library.
    unsafe { p.as_ref() }.ok_or_else(|| null(what))
}

/// A handle the host passed in for exclusive use during the call (a cursor);
/// NULL is refused.
pub(crate) fn handle_mut<'a, T>(what: &str, p: *mut T) -> Fallible<&'a mut T> {
    // SAFETY: as `handle`, and the host uses it from one thread at a time.
    unsafe { p.as_mut() }.ok_or_else(|| null(what))
}

/// A handle for a getter, which answers a default for NULL.
pub(crate) fn peek<'a, T>(p: *const T) -> Option<&'a T> {
    // SAFETY: as `handle`.
    unsafe { p.as_ref() }
}

/// Where an entry point puts what it hands out: checked before any work, so
/// a NULL out-parameter fails the call with nothing done.
pub(crate) struct Out<'a, T>(&'a mut *mut T);

impl<T> Out<'_, T> {
    /// Hands `value` to the host, who now owns it (and frees it with the
    /// matching `_free`).
    pub(crate) fn put(self, value: Box<T>) {
        *self.0 = Box::into_raw(value);
    }

    /// Hands out `value`, or NULL for none (a walk's end).
    pub(crate) fn put_option(self, value: Option<Box<T>>) {
        *self.0 = value.map_or(std::ptr::null_mut(), Box::into_raw);
    }
}

/// An out-parameter the host must pass (non-NULL).
pub(crate) fn out<'a, T>(what: &str, p: *mut *mut T) -> Fallible<Out<'a, T>> {
    // SAFETY: the caller's contract: NULL or a writable pointer.
    unsafe { p.as_mut() }.map(Out).ok_or_else(|| null(what))
}

/// A plain value out-parameter (a `bool *`) the host must pass (non-NULL).
pub(crate) fn value_out<'a, T>(what: &str, p: *mut T) -> Fallible<&'a mut T> {
    // SAFETY: the caller's contract: NULL or a writable pointer.
    unsafe { p.as_mut() }.ok_or_else(|| null(what))
}

/// An out-parameter the host may leave NULL (it wants no handle).
pub(crate) fn optional_out<'a, T>(p: *mut *mut T) -> Option<Out<'a, T>> {
    // SAFETY: as `out`.
    unsafe { p.as_mut() }.map(Out)
}

/// The one body of every `_free`: NULL is fine; a handle made by
/// [`Out::put`] is dropped inside the panic boundary, so a panic in a
/// destructor (the runtime's shutdown, a host's finalizer) never unwinds
/// into C.
pub(crate) fn free_boxed<T>(handle: *mut T) {
    if handle.is_null() {
        return;
    }
    // SAFETY: the caller's contract: `handle` came from this library's
    // `Box::into_raw` and is freed once.
    let owned = unsafe { Box::from_raw(handle) };
    crate::boundary::getter((), move || drop(owned));
}

#[cold]
fn null(what: &str) -> Box<contacts_error> {
    contacts_error::new(contacts_code::NullArgument, &format!("{what} is NULL"))
}
