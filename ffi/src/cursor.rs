//! Page walks: one page per blocking call, driven by the core's walk.

use crate::boundary::boundary;
use crate::checked;
use crate::client::{contacts_client, op_args};
use crate::error::contacts_error;
use crate::result::contacts_result;
use crate::runtime::RuntimeRef;
use contacts_core::driver::PageWalk;
use contacts_core::engine::JsonCall;
use contacts_core::native::NativeTransport;
use std::os::raw::c_char;

/// A walk through the pages of a paginated operation. Use from one thread
/// at a time; free with `contacts_cursor_free`.
pub struct contacts_cursor {
    walk: PageWalk<NativeTransport, JsonCall>,
    rt: RuntimeRef,
}

/// Starts a page walk of operation `name` (e.g. `contacts.list`,
/// `contacts.search`) from `params`. The cursor keeps its own reference to
/// the client's engine. On success `*cursor_out` is owned by the caller.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_new(
    client: *const contacts_client,
    name: *const c_char,
    name_len: usize,
    params_json: *const c_char,
    params_len: usize,
    cursor_out: *mut *mut contacts_cursor,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle("client", client)?;
        let out = checked::out("cursor_out", cursor_out)?;
        let (name, params) = op_args(name, name_len, params_json, params_len)?;
        let walk = c.blocking.driver().pages_json(&name, params)?;
        out.put(Box::new(contacts_cursor {
            walk,
            rt: c.rt.clone(),
        }));
        Ok(())
    })
}

/// Fetches the next page (blocking). On success `*page_out` is the page's
/// JSON result, owned by the caller, or NULL when the walk is over. A page
/// that fails leaves the cursor where it was: the next call asks again.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_next(
    cursor: *mut contacts_cursor,
    page_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let c = checked::handle_mut("cursor", cursor)?;
        let out = checked::out("page_out", page_out)?;
        let page = c.rt.block_on(c.walk.next())??;
        out.put_option(page.map(|page| contacts_result::new(&page)));
        Ok(())
    })
}

/// Frees a cursor. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_cursor_free(cursor: *mut contacts_cursor) {
    checked::free_boxed(cursor);
}
