//! The host's token store: where rotated OAuth tokens go, through a C
//! callback.

use contacts_core::OAuthTokens;
use contacts_core::engine::TokenStore;
use std::os::raw::{c_char, c_void};

/// Where rotated OAuth tokens go. `save` gets the new token set as JSON
/// (`{accessToken, refreshToken, expiresAtMs, userType, locationId, …}`)
/// **before** the new access token is used (on the thread of a blocking call
/// or on a libcontacts thread; keep it short), and
/// returns 0 once it is stored (anything else fails the call with
/// `CONTACTS_CODE_TOKEN_STORE`; the tokens are offered again on the next
/// call). `finalize`, if set, runs once when the client is freed. The JSON is
/// borrowed for the duration of `save`. `save` must not call back into
/// libcontacts.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct contacts_token_store {
    /// Passed back to `save` and `finalize`.
    pub userdata: *mut c_void,
    /// Stores a token set; 0 on success.
    pub save: Option<
        unsafe extern "C" fn(
            userdata: *mut c_void,
            tokens_json: *const c_char,
            tokens_len: usize,
        ) -> i32,
    >,
    /// Releases `userdata`; may be NULL.
    pub finalize: Option<unsafe extern "C" fn(userdata: *mut c_void)>,
}

/// The host's store as the engine's [`TokenStore`]; runs `finalize` on drop.
pub(crate) struct HostStore(pub(crate) contacts_token_store);

// The host promises (by the documented contract) that `save` may be called
// from any thread; userdata is its business.
unsafe impl Send for HostStore {}
unsafe impl Sync for HostStore {}

impl TokenStore for HostStore {
    fn save(&self, tokens: &OAuthTokens) -> Result<(), String> {
        let json = serde_json::to_string(tokens).map_err(|e| e.to_string())?;
        let Some(save) = self.0.save else {
            return Err("the token store has no save function".into());
        };
        match unsafe { save(self.0.userdata, json.as_ptr().cast(), json.len()) } {
            0 => Ok(()),
            n => Err(format!("the host's save returned {n}")),
        }
    }
}

impl Drop for HostStore {
    fn drop(&mut self) {
        if let Some(f) = self.0.finalize {
            unsafe { f(self.0.userdata) };
        }
    }
}
