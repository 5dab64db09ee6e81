//! Phone numbers to E.164: the [`PhoneNumbers`] a mapping asks, and the
//! native one on the `phonenumber` crate (a maintained port of Google's
//! libphonenumber and its metadata).
//!
//! The answer is the platform's to give: natively [`LibPhoneNumber`]
//! (feature `phone`); in the npm package the same crate built as a separate
//! wasm module inside the package, loaded on first use, answers through the
//! same trait. Both give the same answers on `tests/vectors/phones.json`.

use crate::maybe_send::{MaybeSend, MaybeSync};

/// Why a phone number was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PhoneError {
    /// Not a phone number at all (letters, too short, too long).
    Unparseable,
    /// Read, but not a number that can exist in its region.
    Invalid,
    /// The default region is not an ISO 3166-1 alpha-2 region libphonenumber knows.
    UnknownRegion,
}

/// Reads phone numbers: `text` as written by a person, national numbers
/// read in `region` (ISO 3166-1 alpha-2, `US`), international ones (`+44…`,
/// `0044…` from a region that dials `00`) in their own.
///
/// Threads: `Send + Sync` on native; called from any thread.
pub trait PhoneNumbers: MaybeSend + MaybeSync {
    /// The number in E.164 (`+14155552671`) when it is valid, or why not.
    fn to_e164(&self, text: &str, region: &str) -> Result<String, PhoneError>;
}

/// The native phone reader: the `phonenumber` crate.
#[cfg(feature = "phone")]
#[derive(Clone, Copy, Debug, Default)]
pub struct LibPhoneNumber;

#[cfg(feature = "phone")]
impl PhoneNumbers for LibPhoneNumber {
    fn to_e164(&self, text: &str, region: &str) -> Result<String, PhoneError> {
        use phonenumber::country::Id;
        use std::str::FromStr;
        let id =
            Id::from_str(&region.to_ascii_uppercase()).map_err(|_| PhoneError::UnknownRegion)?;
        let number = phonenumber::parse(Some(id), text).map_err(|_| PhoneError::Unparseable)?;
        if !phonenumber::is_valid(&number) {
            return Err(PhoneError::Invalid);
        }
        Ok(number.format().mode(phonenumber::Mode::E164).to_string())
    }
}

/// Answers the phone vectors' way for one number: `{"e164": …}` or
/// `{"error": "unparseable" | "invalid" | "unknownRegion"}`. The JS phone
/// module returns the same JSON, so the two are compared as text.
pub fn phone_answer_json(answer: &Result<String, PhoneError>) -> serde_json::Value {
    match answer {
        Ok(e164) => serde_json::json!({ "e164": e164 }),
        Err(e) => serde_json::json!({ "error": e.as_str() }),
    }
}

impl PhoneError {
    /// The error's name in JSON (`unparseable`, `invalid`, `unknownRegion`).
    pub fn as_str(&self) -> &'static str {
        match self {
            PhoneError::Unparseable => "unparseable",
            PhoneError::Invalid => "invalid",
            PhoneError::UnknownRegion => "unknownRegion",
        }
    }

    /// Reads [`PhoneError::as_str`]'s names back.
    pub fn from_name(name: &str) -> Option<PhoneError> {
        Some(match name {
            "unparseable" => PhoneError::Unparseable,
            "invalid" => PhoneError::Invalid,
            "unknownRegion" => PhoneError::UnknownRegion,
            _ => return None,
        })
    }
}
