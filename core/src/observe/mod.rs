//! What the engine and the driver tell a host while they work: one stream
//! of [`Event`]s (request sent, response, retry, rate wait, refresh, tokens
//! stored, webhook accepted or refused, call finished), the same on every
//! surface, and [`Usage`], the budget a host can show on a dashboard.
//!
//! An engine holds at most one [`Observer`]. With none attached, emitting
//! costs one relaxed atomic load per point: no event is built. Without
//! feature `observe` (the npm package's main module) an attached observer
//! gets nothing, and the emitting code is compiled out.
//!
//! Threads: the observer is called on whichever thread drives the call (or
//! completes a detached refresh), with no engine lock held. It must not
//! block for long, and must not call back into the engine it observes.

mod event;
#[cfg(feature = "native")]
mod tracing;
mod usage;

pub use event::{CredentialWork, EVENT_KINDS, Event, EventKind, Level, RateHeaders, RetryReason};
#[cfg(feature = "native")]
pub use tracing::TracingObserver;
pub use usage::{DailyReset, Usage};

use crate::maybe_send::{MaybeSend, MaybeSync};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::{Arc, Mutex};

/// Receives events. Implemented by the shells (the C callback, the JS
/// listener, the CLI's printer) and by hosts that do not use `tracing`.
pub trait Observer: MaybeSend + MaybeSync {
    /// One event. Possibly called from several threads at once (calls of
    /// one client run concurrently); a shell that promises its host one
    /// event at a time serializes here.
    fn event(&self, event: &Event<'_>);
}

/// How an observer is attached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ObserverOptions {
    /// Events less severe than this are not built.
    pub min_level: Level,
    /// Whether events may carry contact data: a request's path with its ids
    /// and query, an error's message (which can quote an email). Off by
    /// default; secrets are never in an event either way.
    pub contact_data: bool,
}

impl Default for ObserverOptions {
    fn default() -> Self {
        ObserverOptions {
            min_level: Level::Info,
            contact_data: false,
        }
    }
}

/// An engine's observer slot: the observer, and the level as an atomic so
/// that the check with no observer is one load.
#[derive(Default)]
pub(crate) struct ObserverSlot {
    /// 0: off; else the least severe level wanted, as a number.
    level: AtomicU8,
    contact_data: std::sync::atomic::AtomicBool,
    observer: Mutex<Option<Arc<dyn Observer>>>,
}

impl ObserverSlot {
    /// Attaches `observer` (replacing any), or detaches with `None`.
    pub(crate) fn set(&self, observer: Option<Arc<dyn Observer>>, options: ObserverOptions) {
        let mut slot = self.observer.lock().unwrap_or_else(|p| p.into_inner());
        let level = if observer.is_some() {
            options.min_level as u8
        } else {
            0
        };
        *slot = observer;
        self.contact_data
            .store(options.contact_data, Ordering::Relaxed);
        self.level.store(level, Ordering::Release);
    }

    /// Whether an event of `level` would be delivered: never without
    /// feature `observe`, which lets the compiler drop every emitting point.
    #[inline(always)]
    pub(crate) fn wants(&self, level: Level) -> bool {
        cfg!(feature = "observe") && (level as u8) <= self.level.load(Ordering::Relaxed)
    }

    /// Whether contact data may go into events.
    pub(crate) fn contact_data(&self) -> bool {
        self.contact_data.load(Ordering::Relaxed)
    }

    /// Delivers `event` if its level is wanted; the observer is called
    /// without the slot's lock held.
    #[inline(never)]
    pub(crate) fn emit(&self, event: &Event<'_>) {
        if !self.wants(event.level()) {
            return;
        }
        let observer = self
            .observer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if let Some(o) = observer {
            o.event(event);
        }
    }
}

/// An observer that keeps every event's JSON, for tests and for hosts that
/// read the stream after the fact. Bounded: beyond `capacity` the oldest
/// events are dropped.
#[derive(Debug, Default)]
pub struct EventLog {
    capacity: usize,
    events: Mutex<std::collections::VecDeque<String>>,
}

impl EventLog {
    /// A log of at most `capacity` events.
    pub fn new(capacity: usize) -> EventLog {
        EventLog {
            capacity: capacity.max(1),
            events: Mutex::new(std::collections::VecDeque::new()),
        }
    }

    /// The events held, oldest first, as JSON text; the log is emptied.
    pub fn take(&self) -> Vec<String> {
        let mut q = self.events.lock().unwrap_or_else(|p| p.into_inner());
        q.drain(..).collect()
    }
}

impl Observer for EventLog {
    fn event(&self, event: &Event<'_>) {
        let mut q = self.events.lock().unwrap_or_else(|p| p.into_inner());
        if q.len() == self.capacity {
            q.pop_front();
        }
        q.push_back(event.to_json());
    }
}
