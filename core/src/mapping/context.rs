//! What a mapping asks of its platform: phone numbers and time-zone
//! offsets. Natively both are compiled in ([`MapContext::native`]); the npm
//! package passes its phone module and `Intl`.

use super::dates::ZoneOffsets;
use super::phone::PhoneNumbers;

/// The platform's answers a mapping uses. Borrowed for one call.
#[derive(Clone, Copy)]
pub struct MapContext<'a> {
    /// Reads phone numbers; `None` makes every `phone` transform and rule
    /// an error saying so.
    pub phones: Option<&'a dyn PhoneNumbers>,
    /// An IANA zone's offset at an instant, for the `date` transform.
    pub zone_offsets: ZoneOffsets<'a>,
}

impl std::fmt::Debug for MapContext<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MapContext")
            .field("phones", &self.phones.is_some())
            .finish_non_exhaustive()
    }
}

/// No zone's offset: the `date` transform then works in UTC only.
fn no_zones(_zone: &str, _utc_ms: i64) -> Option<i32> {
    None
}

impl MapContext<'static> {
    /// A context with neither phone numbers nor zones (dates in UTC only).
    pub fn bare() -> MapContext<'static> {
        MapContext {
            phones: None,
            zone_offsets: &no_zones,
        }
    }

    /// The native context: libphonenumber's metadata and the tz database,
    /// both compiled in.
    #[cfg(all(feature = "phone", feature = "tzdb"))]
    pub fn native() -> MapContext<'static> {
        MapContext {
            phones: Some(&super::phone::LibPhoneNumber),
            zone_offsets: &crate::time::zones::bundled_offset_s,
        }
    }
}
