//! Results: JSON text the library hands out, with one NUL after it.

use crate::boundary::getter;
use crate::checked;
use crate::views::contacts_str;

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
    getter(contacts_str::empty(), || match checked::peek(result) {
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
    checked::free_boxed(result);
}
