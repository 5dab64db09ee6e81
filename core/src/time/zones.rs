//! Reading a wall-clock time in an IANA time zone: the one rule for the
//! instants a zone skips or repeats, over the platform's offsets
//! ([`crate::driver::Transport::zone_offset_s`]). Natively (feature `tzdb`)
//! those offsets come from the tz database jiff bundles, so no system
//! `tzdata` matters; in the npm package, from the JS engine's `Intl`.

/// The offset from UTC, in seconds, of IANA zone `zone` at Unix
/// milliseconds `utc_ms`, from the tz database compiled in. `None` when the
/// zone is unknown or the instant is out of range.
#[cfg(feature = "tzdb")]
pub fn bundled_offset_s(zone: &str, utc_ms: i64) -> Option<i32> {
    let tz = jiff::tz::TimeZone::get(zone).ok()?;
    let at = jiff::Timestamp::from_millisecond(utc_ms).ok()?;
    Some(tz.to_offset(at).seconds())
}

/// The instant (Unix ms) of wall-clock time `wall_ms` (milliseconds as if
/// UTC, [`super::parse_wall_clock_ms`]) in a zone whose offset at an instant
/// `offset_s` gives. A time the zone repeats (the hour after clocks go back)
/// is its earlier instant; a time it skips (the hour clocks jump over) is
/// read with the offset before the jump, so it lands that much later: the
/// rule RFC 5545 and Temporal's `compatible` use. `None` when `offset_s`
/// knows no offset.
///
/// Assumes at most one transition within a day of the time, which holds
/// for every zone of the tz database.
pub fn utc_of_wall_clock(wall_ms: i64, offset_s: impl Fn(i64) -> Option<i32>) -> Option<i64> {
    const DAY_MS: i64 = 86_400_000;
    let before = i64::from(offset_s(wall_ms - DAY_MS)?) * 1000;
    let after = i64::from(offset_s(wall_ms + DAY_MS)?) * 1000;
    let fits = |offset_ms: i64| -> Option<i64> {
        let at = wall_ms - offset_ms;
        (i64::from(offset_s(at)?) * 1000 == offset_ms).then_some(at)
    };
    match (fits(before), fits(after)) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (Some(at), None) | (None, Some(at)) => Some(at),
        (None, None) => Some(wall_ms - before),
    }
}

#[cfg(all(test, feature = "tzdb"))]
mod tests {
    use super::{bundled_offset_s, utc_of_wall_clock};
    use crate::time::{format_rfc3339_ms, parse_wall_clock_ms};

    fn in_zone(zone: &str, wall: &str) -> Option<String> {
        let wall = parse_wall_clock_ms(wall)?;
        utc_of_wall_clock(wall, |at| bundled_offset_s(zone, at)).map(format_rfc3339_ms)
    }

    #[test]
    fn ordinary_gap_and_fold_times() {
        let ny = "America/New_York";
        assert_eq!(
            in_zone(ny, "2021-07-16 11:00:00").as_deref(),
            Some("2021-07-16T15:00:00.000Z")
        );
        assert_eq!(
            in_zone(ny, "2021-01-16 11:00:00").as_deref(),
            Some("2021-01-16T16:00:00.000Z")
        );
        // 02:30 does not exist on 2021-03-14 in New York: read at -05:00.
        assert_eq!(
            in_zone(ny, "2021-03-14 02:30:00").as_deref(),
            Some("2021-03-14T07:30:00.000Z")
        );
        // 01:30 happens twice on 2021-11-07: the first, at -04:00.
        assert_eq!(
            in_zone(ny, "2021-11-07 01:30:00").as_deref(),
            Some("2021-11-07T05:30:00.000Z")
        );
        assert_eq!(
            in_zone("Asia/Kolkata", "2021-07-16 11:00:00").as_deref(),
            Some("2021-07-16T05:30:00.000Z")
        );
        assert_eq!(
            in_zone("UTC", "2021-07-16 11:00:00").as_deref(),
            Some("2021-07-16T11:00:00.000Z")
        );
        assert_eq!(in_zone("Mars/Olympus_Mons", "2021-07-16 11:00:00"), None);
    }
}
