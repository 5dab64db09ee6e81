//! libcontacts: the C ABI over contacts-core. The C surface grows with the
//! engine issue; today it exposes the version and the catalog.

use std::os::raw::c_char;

/// A borrowed UTF-8 string view: `len` bytes at `ptr`, NUL-terminated as well.
#[repr(C)]
pub struct contacts_str {
    /// The first byte.
    pub ptr: *const c_char,
    /// The length in bytes, without the trailing NUL.
    pub len: usize,
}

fn static_str(s: &'static str) -> contacts_str {
    contacts_str {
        ptr: s.as_ptr().cast(),
        len: s.len() - 1,
    }
}

/// The library version, e.g. `0.1.0`. Static; never freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_version() -> contacts_str {
    static_str(concat!(env!("CARGO_PKG_VERSION"), "\0"))
}

/// The catalog JSON (every operation and webhook trigger). Static; never freed.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_catalog_json() -> contacts_str {
    static_str(concat!(include_str!("../../core/catalog.json"), "\0"))
}
