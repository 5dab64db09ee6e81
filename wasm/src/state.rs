//! `client.setStateStore(object)`: the host's state store for the
//! composites that journal (the runtime module).

use crate::client::ContactsClient;
use crate::host_store::host_store;
use contacts_core::ErrorCode;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
impl ContactsClient {
    /// Gives the client the host's state store, for the composite actions
    /// that journal (`contacts.capture`): an object with `get`, `put`,
    /// `compareAndSet`, `delete`, `list` and `take` (sync or async; see
    /// `StateStoreObject` in the types). It is bound to the credentials'
    /// location on first use. Throws `INVALID_ARGUMENT` for an object that
    /// lacks a method, or credentials without a location.
    #[wasm_bindgen(js_name = setStateStore)]
    pub fn set_state_store(
        &self,
        #[wasm_bindgen(unchecked_param_type = "StateStoreObject")] store: JsValue,
    ) -> Result<(), JsValue> {
        self.set_state(host_store("the state store", store, ErrorCode::State)?)
    }
}
