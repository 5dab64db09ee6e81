//! The plain C views the header declares: borrowed strings, bytes and
//! headers, and the input size limit.

use std::ffi::CString;
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

    /// A view of `s`, valid while `s` is.
    pub(crate) fn of(s: &CString) -> contacts_str {
        contacts_str {
            ptr: s.as_ptr(),
            len: s.as_bytes().len(),
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
