//! The `date` transform: a date or time from one format to another, read
//! and written in a time zone. Patterns are strftime's (`%m/%d/%Y`, `%F
//! %H:%M`), parsed and formatted by jiff; the zone's offsets come from the
//! platform (the tz database compiled in natively, `Intl` in the npm
//! package), and wall-clock times a zone skips or repeats follow the core's
//! one rule (`time::zones::utc_of_wall_clock`).

use crate::time;
use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::fmt::strtime::{self, BrokenDownTime};
use jiff::tz::Offset;
use serde_json::Value;

/// The offset from UTC (seconds) of an IANA zone at a Unix-ms instant.
pub type ZoneOffsets<'a> = &'a dyn Fn(&str, i64) -> Option<i32>;

/// One side of a date conversion.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum DateFormat {
    /// `2021-11-26T12:41:02.193Z`: an instant, written in UTC.
    Rfc3339,
    /// Unix milliseconds, a number.
    UnixMs,
    /// Unix seconds, a number.
    UnixSeconds,
    /// A strftime pattern: a wall-clock time in the zone (or an instant
    /// when the pattern carries an offset, `%z`).
    Pattern(String),
}

impl DateFormat {
    /// Reads a format's JSON name: `rfc3339`, `unixMs`, `unixSeconds`,
    /// `date` (`%Y-%m-%d`), or a pattern holding `%`.
    pub(crate) fn parse(name: &str) -> Result<DateFormat, String> {
        Ok(match name {
            "rfc3339" => DateFormat::Rfc3339,
            "unixMs" => DateFormat::UnixMs,
            "unixSeconds" => DateFormat::UnixSeconds,
            "date" => DateFormat::Pattern("%Y-%m-%d".into()),
            p if p.contains('%') => {
                // A pattern jiff cannot use is refused on load, not per record.
                let probe = DateTime::constant(2024, 7, 14, 21, 14, 0, 0);
                let mut tm = BrokenDownTime::from(probe);
                tm.set_offset(Some(Offset::UTC));
                tm.to_string(p)
                    .map_err(|e| format!("{p:?} is not a date pattern jiff can use: {e}"))?;
                DateFormat::Pattern(p.to_owned())
            }
            other => {
                return Err(format!(
                    "{other:?} is not a date format (rfc3339, unixMs, unixSeconds, date, or a strftime pattern such as %m/%d/%Y)"
                ));
            }
        })
    }

    /// Whether a wall-clock value in this format needs a zone to become an
    /// instant (patterns without an offset do).
    fn is_instant(&self) -> bool {
        match self {
            DateFormat::Pattern(p) => p.contains("%z") || p.contains("%:z") || p.contains("%Q"),
            _ => true,
        }
    }
}

/// A date or time read from its source format.
enum Moment {
    /// An instant, Unix ms.
    Instant(i64),
    /// A wall-clock date and time with no offset.
    Civil(DateTime),
}

/// Converts `value` from `from` to `to`, reading and writing wall-clock
/// times in `zone` (UTC when `None`). Errors say what the value is not.
pub(crate) fn convert(
    value: &Value,
    from: &DateFormat,
    to: &DateFormat,
    zone: Option<&str>,
    offsets: ZoneOffsets<'_>,
) -> Result<Value, String> {
    let moment = read(value, from)?;
    let needs_zone = matches!(moment, Moment::Civil(_)) && to.is_instant()
        || matches!(moment, Moment::Instant(_)) && !to.is_instant();
    let offset_at = |utc_ms: i64| -> Result<i32, String> {
        match zone {
            None => Ok(0),
            Some(z) => {
                offsets(z, utc_ms).ok_or_else(|| format!("no offset known for time zone {z:?}"))
            }
        }
    };
    let moment = if needs_zone {
        match moment {
            Moment::Civil(dt) => {
                let wall = Offset::UTC
                    .to_timestamp(dt)
                    .map_err(|e| e.to_string())?
                    .as_millisecond();
                let utc = match zone {
                    None => wall,
                    Some(z) => time::zones::utc_of_wall_clock(wall, |at| offsets(z, at))
                        .ok_or_else(|| format!("no offset known for time zone {z:?}"))?,
                };
                Moment::Instant(utc)
            }
            Moment::Instant(ms) => {
                let offset = Offset::from_seconds(offset_at(ms)?).map_err(|e| e.to_string())?;
                let at = Timestamp::from_millisecond(ms).map_err(|e| e.to_string())?;
                Moment::Civil(offset.to_datetime(at))
            }
        }
    } else {
        moment
    };
    write(moment, to, &offset_at)
}

fn read(value: &Value, format: &DateFormat) -> Result<Moment, String> {
    let number = || -> Option<i64> {
        match value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    };
    match format {
        DateFormat::Rfc3339 => {
            let text = value.as_str().ok_or("a date must be text")?;
            if let Some(ms) = time::parse_rfc3339_ms(text.trim()) {
                return Ok(Moment::Instant(ms));
            }
            time::parse_wall_clock_ms(text.trim())
                .and_then(|wall| Timestamp::from_millisecond(wall).ok())
                .map(|at| Moment::Civil(Offset::UTC.to_datetime(at)))
                .ok_or_else(|| format!("{text:?} is not an RFC 3339 date-time"))
        }
        DateFormat::UnixMs => number()
            .map(Moment::Instant)
            .ok_or_else(|| "not a number of milliseconds".to_owned()),
        DateFormat::UnixSeconds => number()
            .map(|s| Moment::Instant(s.saturating_mul(1000)))
            .ok_or_else(|| "not a number of seconds".to_owned()),
        DateFormat::Pattern(p) => {
            let text = value.as_str().ok_or("a date must be text")?;
            let tm = strtime::parse(p, text.trim())
                .map_err(|_| format!("{text:?} does not match the date format {p:?}"))?;
            if tm.offset().is_some() {
                let at = tm
                    .to_timestamp()
                    .map_err(|_| format!("{text:?} is not a whole date-time for {p:?}"))?;
                return Ok(Moment::Instant(at.as_millisecond()));
            }
            let date: Date = tm
                .to_date()
                .map_err(|_| format!("{text:?} is not a date for {p:?}"))?;
            let time = if tm.hour().is_some() {
                tm.to_time()
                    .map_err(|_| format!("{text:?} is not a time for {p:?}"))?
            } else {
                Time::midnight()
            };
            Ok(Moment::Civil(DateTime::from_parts(date, time)))
        }
    }
}

fn write(
    moment: Moment,
    format: &DateFormat,
    offset_at: &dyn Fn(i64) -> Result<i32, String>,
) -> Result<Value, String> {
    match (format, moment) {
        (DateFormat::Rfc3339, Moment::Instant(ms)) => {
            Ok(Value::String(time::format_rfc3339_ms(ms)))
        }
        (DateFormat::UnixMs, Moment::Instant(ms)) => Ok(Value::from(ms)),
        (DateFormat::UnixSeconds, Moment::Instant(ms)) => Ok(Value::from(ms.div_euclid(1000))),
        (DateFormat::Pattern(p), Moment::Instant(ms)) => {
            // A pattern with an offset: written at the zone's offset then.
            let offset = Offset::from_seconds(offset_at(ms)?).map_err(|e| e.to_string())?;
            let at = Timestamp::from_millisecond(ms).map_err(|e| e.to_string())?;
            let mut tm = BrokenDownTime::from(offset.to_datetime(at));
            tm.set_offset(Some(offset));
            tm.to_string(p)
                .map(Value::String)
                .map_err(|e| e.to_string())
        }
        (DateFormat::Pattern(p), Moment::Civil(dt)) => BrokenDownTime::from(dt)
            .to_string(p)
            .map(Value::String)
            .map_err(|e| e.to_string()),
        (_, Moment::Civil(_)) => Err("a wall-clock time needs a zone to become an instant".into()),
    }
}
