//! Plain C views and the argument checks every entry point uses.

use crate::error::{contacts_code, contacts_error};
use std::os::raw::c_char;

/// A borrowed UTF-8 string: `len` bytes at `ptr`, followed by a NUL (so `ptr`
/// is also a C string). Valid as long as its owner; never free it.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct contacts_str {
    /// The first byte; never NULL.
    pub ptr: *const c_char,
    /// The length in bytes, without the NUL.
    pub len: usize,
}

impl contacts_str {
    pub(crate) fn empty() -> contacts_str {
        contacts_str::from_static("\0")
    }

    /// `s` must end with a NUL.
    pub(crate) fn from_static(s: &'static str) -> contacts_str {
        contacts_str {
            ptr: s.as_ptr().cast(),
            len: s.len().saturating_sub(1),
        }
    }
}

/// Borrowed bytes: `len` bytes at `ptr` (`ptr` may be NULL when `len` is 0).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct contacts_bytes {
    /// The first byte.
    pub ptr: *const u8,
    /// The length.
    pub len: usize,
}

/// One HTTP header, as borrowed views.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct contacts_header {
    /// The name.
    pub name: contacts_str,
    /// The value.
    pub value: contacts_str,
}

/// A header the host passes in: `(ptr, len)` UTF-8 name and value, borrowed
/// for the duration of the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct contacts_header_in {
    /// The name's bytes.
    pub name: *const c_char,
    /// The name's length.
    pub name_len: usize,
    /// The value's bytes.
    pub value: *const c_char,
    /// The value's length.
    pub value_len: usize,
}

/// The largest string or JSON argument accepted (64 MiB).
pub const CONTACTS_MAX_INPUT: usize = 64 * 1024 * 1024;

pub(crate) type Fallible<T> = Result<T, Box<contacts_error>>;

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
        return Err(contacts_error::new(
            contacts_code::NullArgument,
            &format!("{what} is NULL"),
        ));
    }
    if len > CONTACTS_MAX_INPUT {
        return Err(contacts_error::new(
            contacts_code::InvalidArgument,
            &format!("{what} is larger than 64 MiB"),
        ));
    }
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
        return Err(contacts_error::new(
            contacts_code::NullArgument,
            &format!("{what} is NULL"),
        ));
    }
    unsafe { std::slice::from_raw_parts(ptr, len) }
        .iter()
        .map(|h| {
            let name = text("header name", h.name, h.name_len)?;
            let value = text("header value", h.value, h.value_len)?;
            Ok((name.to_string(), value.to_string()))
        })
        .collect()
}

/// A non-NULL handle.
pub(crate) fn handle<'a, T>(what: &str, p: *const T) -> Fallible<&'a T> {
    unsafe { p.as_ref() }
        .ok_or_else(|| contacts_error::new(contacts_code::NullArgument, &format!("{what} is NULL")))
}

/// Checks an out-parameter is writable (non-NULL).
pub(crate) fn out<'a, T>(what: &str, p: *mut *mut T) -> Fallible<&'a mut *mut T> {
    unsafe { p.as_mut() }
        .ok_or_else(|| contacts_error::new(contacts_code::NullArgument, &format!("{what} is NULL")))
}
