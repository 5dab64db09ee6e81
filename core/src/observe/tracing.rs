//! The event stream as `tracing` events (feature `native`): what a Rust
//! host that already uses `tracing` sees without attaching anything.

use super::{Event, Level, Observer};

/// Forwards every event to `tracing` under target `libcontacts`, with the
/// stable fields `kind`, `op`, `call_id`, `location` and `event` (the
/// event's JSON, [`Event::to_json`]). [`crate::native::Client`] attaches it
/// when a `tracing` subscriber is installed at creation.
#[derive(Clone, Copy, Debug, Default)]
pub struct TracingObserver;

impl TracingObserver {
    /// The least severe level the installed subscriber wants, or `None`
    /// when it wants nothing from us.
    pub fn enabled_level() -> Option<Level> {
        use tracing::level_filters::LevelFilter;
        match LevelFilter::current() {
            LevelFilter::OFF => None,
            LevelFilter::ERROR => Some(Level::Error),
            LevelFilter::WARN => Some(Level::Warn),
            LevelFilter::INFO => Some(Level::Info),
            _ => Some(Level::Debug),
        }
    }
}

impl Observer for TracingObserver {
    fn event(&self, e: &Event<'_>) {
        let json = e.to_json();
        macro_rules! forward {
            ($level:expr) => {
                tracing::event!(
                    target: "libcontacts",
                    $level,
                    kind = e.kind.name(),
                    op = e.op,
                    call_id = e.call_id,
                    location = e.location,
                    event = %json,
                )
            };
        }
        match e.level() {
            Level::Error => forward!(tracing::Level::ERROR),
            Level::Warn => forward!(tracing::Level::WARN),
            Level::Info => forward!(tracing::Level::INFO),
            Level::Debug => forward!(tracing::Level::DEBUG),
        }
    }
}
