//! The date formats the core reads and writes: ISO 8601 / RFC 3339
//! timestamps, as webhook payloads carry them, and the offset-less wall-clock
//! times some answers carry (read in a zone by [`zones`]); which time zone
//! names are IANA's; and the duration subset the runtime takes. The core
//! never reads a clock.

pub mod zones;

/// Parses `2021-11-26T12:41:02.193Z` (fraction optional, `Z` or `±hh:mm`)
/// into Unix milliseconds. `None` for anything else, including a time
/// without an offset ([`parse_wall_clock_ms`] reads those).
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    match parse_date_time(s)? {
        (wall, Some(offset_min)) => Some(wall - offset_min * 60_000),
        (_, None) => None,
    }
}

/// Parses a wall-clock time without an offset, `2021-07-16 11:00:00` (as
/// the contacts service writes appointments) or `2021-07-16T11:00:00`,
/// fraction optional, into milliseconds counted as if it were UTC: the
/// input of [`zones::utc_of_wall_clock`]. `None` for anything else,
/// including a time that carries an offset.
pub fn parse_wall_clock_ms(s: &str) -> Option<i64> {
    match parse_date_time(s)? {
        (wall, None) => Some(wall),
        (_, Some(_)) => None,
    }
}

/// A date-time's wall clock (milliseconds as if UTC) and its offset in
/// minutes, when it carries one.
fn parse_date_time(s: &str) -> Option<(i64, Option<i64>)> {
    let b = s.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let part = b.get(from..from + len)?;
        if !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 19 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            if i - start < 3 {
                millis = millis * 10 + i64::from(b[i] - b'0');
            }
            i += 1;
        }
        if i == start {
            return None;
        }
        for _ in (i - start)..3 {
            millis *= 10;
        }
    }
    let offset_min = match b.get(i) {
        None => None,
        Some(b'Z' | b'z') if i + 1 == b.len() => Some(0),
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let m = num(i + 1, 2)? * 60 + num(i + 4, 2)?;
            Some(if *sign == b'+' { m } else { -m })
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some((secs * 1000 + millis, offset_min))
}

/// Parses an ISO 8601 duration of the subset the runtime takes: `PnW`, or
/// `PnD`, `PTnH`, `PTnM`, `PTnS` and their combinations in that order
/// (`P1DT2H`, `PT90M`), whole numbers only, into milliseconds. A day is 24
/// hours (an offset from an instant, not a calendar date). `None` for
/// anything else, including `P` and `PT` alone.
pub fn parse_duration_ms(s: &str) -> Option<u64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) if !time.is_empty() => (date, Some(time)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total: u64 = 0;
    let mut parts = 0;
    let mut take = |text: &str, units: &[(u8, u64)]| -> Option<()> {
        let mut text = text.as_bytes();
        let mut next_unit = 0;
        while !text.is_empty() {
            let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
            let unit = *text.get(digits)?;
            let at = units[next_unit..].iter().position(|(u, _)| *u == unit)? + next_unit;
            let n: u64 = std::str::from_utf8(&text[..digits]).ok()?.parse().ok()?;
            total = total.checked_add(n.checked_mul(units[at].1)?)?;
            parts += 1;
            next_unit = at + 1;
            text = &text[digits + 1..];
        }
        Some(())
    };
    take(date, &[(b'W', 7 * 86_400_000), (b'D', 86_400_000)])?;
    if let Some(time) = time {
        take(time, &[(b'H', 3_600_000), (b'M', 60_000), (b'S', 1_000)])?;
    }
    (parts > 0).then_some(total)
}

/// Formats Unix milliseconds as `2021-11-26T12:41:02.193Z` (UTC): what the
/// API writes, and what [`parse_rfc3339_ms`] reads back.
pub fn format_rfc3339_ms(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
    let sod = secs.rem_euclid(86_400);
    if !(0..=9999).contains(&y) {
        return format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}Z",
            sod / 3600,
            (sod % 3600) / 60,
            sod % 60
        );
    }
    // Written digit by digit: `format!` was a tenth of a mapped record's
    // cost in the mapping bench, which writes one of these per date field.
    let mut out = String::with_capacity(24);
    push_digits(&mut out, y, 4);
    for (separator, n, width) in [
        ('-', m, 2),
        ('-', d, 2),
        ('T', sod / 3600, 2),
        (':', sod % 3600 / 60, 2),
        (':', sod % 60, 2),
        ('.', millis, 3),
    ] {
        out.push(separator);
        push_digits(&mut out, n, width);
    }
    out.push('Z');
    out
}

/// Appends `n` (0 ≤ n < 10^width) as exactly `width` decimal digits.
fn push_digits(out: &mut String, n: i64, width: u32) {
    for place in (0..width).rev() {
        out.push(char::from(b'0' + (n / 10_i64.pow(place) % 10) as u8));
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Every IANA time zone name, one line per area (`Area/Place,Place,…`;
/// names without an area on their own line), from the tz database at build
/// time (see `build.rs`).
#[cfg(not(feature = "platform-zones"))]
const TIME_ZONE_NAMES: &str = include_str!(concat!(env!("OUT_DIR"), "/tz_names.txt"));

/// The platform's judge of time zone names, with feature `platform-zones`.
#[cfg(feature = "platform-zones")]
static ZONE_CHECKER: std::sync::OnceLock<fn(&str) -> bool> = std::sync::OnceLock::new();

/// With feature `platform-zones`: installs the platform's answer to "is
/// this an IANA time zone name" (the npm package asks `Intl`). The first
/// call wins. Until one is installed every non-empty name is taken, and
/// HighLevel judges it.
#[cfg(feature = "platform-zones")]
pub fn set_zone_checker(check: fn(&str) -> bool) {
    let _ = ZONE_CHECKER.set(check);
}

/// Whether `name` is an IANA time zone name (`America/New_York`, `UTC`;
/// case-sensitive, as the API compares them). With feature
/// `platform-zones`, the installed checker decides.
#[cfg(feature = "platform-zones")]
pub fn is_time_zone(name: &str) -> bool {
    !name.is_empty() && ZONE_CHECKER.get().is_none_or(|check| check(name))
}

/// Whether `name` is an IANA time zone name (`America/New_York`, `UTC`;
/// case-sensitive, as the API compares them).
#[cfg(not(feature = "platform-zones"))]
pub fn is_time_zone(name: &str) -> bool {
    let (area, place) = name.rsplit_once('/').unwrap_or(("", name));
    !place.is_empty()
        && TIME_ZONE_NAMES.lines().any(|line| {
            let (line_area, places) = line.rsplit_once('/').unwrap_or(("", line));
            line_area == area && places.split(',').any(|p| p == place)
        })
}

#[cfg(test)]
mod tests {
    use super::parse_rfc3339_ms;

    #[test]
    fn durations_of_the_stated_subset() {
        use super::parse_duration_ms;
        let h = 3_600_000;
        for (text, ms) in [
            ("P1D", 24 * h),
            ("PT4H", 4 * h),
            ("P1DT2H", 26 * h),
            ("PT90M", 90 * 60_000),
            ("PT30S", 30_000),
            ("P2W", 14 * 24 * h),
            ("P0D", 0),
            ("P1W2DT3H4M5S", (9 * 24 + 3) * h + 4 * 60_000 + 5_000),
        ] {
            assert_eq!(parse_duration_ms(text), Some(ms), "{text}");
        }
        for bad in [
            "",
            "P",
            "PT",
            "1D",
            "P1",
            "PT1D",
            "P1H",
            "P1.5D",
            "P-1D",
            "P1DT",
            "P1D2W",
            "PT1S2H",
            "P1M",
            "p1d",
            "P99999999999999999999D",
            "P1D ",
        ] {
            assert_eq!(parse_duration_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_and_round_trips() {
        use super::format_rfc3339_ms;
        assert_eq!(
            format_rfc3339_ms(1_637_930_462_193),
            "2021-11-26T12:41:02.193Z"
        );
        for ms in [0, 951_782_400_000, 1_795_341_600_001, -86_400_000] {
            assert_eq!(parse_rfc3339_ms(&format_rfc3339_ms(ms)), Some(ms));
        }
        // The digit writer against `format!`, across years 0 to 9999 and
        // past both ends (where `format!` writes them).
        let reference = |ms: i64| {
            let secs = ms.div_euclid(1000);
            let (y, m, d) = super::civil_from_days(secs.div_euclid(86_400));
            let sod = secs.rem_euclid(86_400);
            format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:03}Z",
                sod / 3600,
                (sod % 3600) / 60,
                sod % 60,
                ms.rem_euclid(1000)
            )
        };
        let (first, last) = (-62_198_755_200_000_i64, 253_433_923_200_000_i64);
        let mut ms = first;
        while ms < last {
            assert_eq!(format_rfc3339_ms(ms), reference(ms), "{ms}");
            ms += 3_701_234_567_891;
        }
        for ms in [
            -62_167_219_200_001,
            -62_167_219_200_000,
            253_402_300_799_999,
            253_402_300_800_000,
        ] {
            assert_eq!(format_rfc3339_ms(ms), reference(ms), "{ms}");
        }
        assert_eq!(
            format_rfc3339_ms(253_402_300_799_999),
            "9999-12-31T23:59:59.999Z"
        );
        assert_eq!(
            format_rfc3339_ms(-62_167_219_200_000),
            "0000-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(parse_rfc3339_ms("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_rfc3339_ms("2021-11-26T12:41:02.193Z"),
            Some(1_637_930_462_193)
        );
        assert_eq!(
            parse_rfc3339_ms("2021-11-26T13:41:02.193+01:00"),
            Some(1_637_930_462_193)
        );
        assert_eq!(
            parse_rfc3339_ms("2021-11-26T12:41:02.1Z"),
            Some(1_637_930_462_100)
        );
        for bad in [
            "",
            "2021-11-26",
            "2021-13-26T12:41:02Z",
            "2021-11-26T12:41:02",
            "2021-11-26 12:41:02",
            "2021-11-26T12:41:02.Z",
            "２０２１-11-26T12:41:02Z",
        ] {
            assert_eq!(parse_rfc3339_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn wall_clock_times_carry_no_offset() {
        use super::parse_wall_clock_ms;
        let noon = parse_rfc3339_ms("2021-07-16T11:00:00Z");
        assert_eq!(parse_wall_clock_ms("2021-07-16 11:00:00"), noon);
        assert_eq!(parse_wall_clock_ms("2021-07-16T11:00:00"), noon);
        assert_eq!(
            parse_wall_clock_ms("2021-07-16 11:00:00.5"),
            noon.map(|n| n + 500)
        );
        for bad in [
            "2021-07-16T11:00:00Z",
            "2021-07-16 11:00:00+02:00",
            "2021-07-16 11:00",
            "2021-07-16 11:00:00 ",
            "2021-07-16",
            "",
        ] {
            assert_eq!(parse_wall_clock_ms(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn iana_time_zone_names() {
        for ok in [
            "America/New_York",
            "UTC",
            "Europe/London",
            "Africa/Abidjan",
            "Asia/Kolkata",
            "US/Eastern",
            "Zulu",
        ] {
            assert!(super::is_time_zone(ok), "{ok}");
        }
        for bad in [
            "",
            "America/New_Yrok",
            "america/new_york",
            "EST+5",
            "\n",
            "Mars/Olympus",
        ] {
            assert!(!super::is_time_zone(bad), "{bad:?}");
        }
    }
}
