//! The npm package's phone module (`dist/phone/`): one function, the
//! core's phone reader. libphonenumber's metadata alone builds to hundreds
//! of KiB for wasm32, so it is not in the main or the runtime module; the
//! runtime module loads this one, from inside the package, the first time a
//! mapping reads a phone number, and never over the network.

use contacts_core::mapping::{LibPhoneNumber, PhoneNumbers, phone_answer_json};
use wasm_bindgen::prelude::*;

/// `text` (as a person wrote it; national numbers read in `region`, ISO
/// 3166-1 alpha-2) in E.164, as JSON text: `{"e164":"+14155552671"}` or
/// `{"error":"unparseable"|"invalid"|"unknownRegion"}`, the same answer
/// the native reader gives.
#[wasm_bindgen(js_name = phoneToE164)]
pub fn phone_to_e164(text: &str, region: &str) -> String {
    phone_answer_json(&LibPhoneNumber.to_e164(text, region)).to_string()
}
