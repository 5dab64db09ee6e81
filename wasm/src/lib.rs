//! libcontacts for JavaScript. The client and the sans-IO exports arrive with
//! the npm package issue; today it exposes the version and the catalog.

use wasm_bindgen::prelude::*;

/// The library version.
#[wasm_bindgen]
pub fn version() -> String {
    contacts_core::VERSION.to_string()
}

/// The catalog JSON text (every operation and webhook trigger).
#[wasm_bindgen]
pub fn catalog() -> String {
    contacts_core::catalog::describe().to_string()
}
