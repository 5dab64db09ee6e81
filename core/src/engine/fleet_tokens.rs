//! One refresh across a fleet: the protocol a process follows before it
//! renews a token set that other processes share (a rotating refresh token
//! spent twice leaves one of them with a dead token, and HighLevel has no
//! way back but a person re-authorizing).
//!
//! For each token class (`location`, `company`) the fleet store holds:
//! - `tokens:<class>`: the newest token set, written with a version check;
//! - `lease:<class>`: who may renew now (create-only, with a time to live);
//! - `refreshing:<class>`: a refresh is under way, naming the hash of the
//!   refresh token it spends; deleted once the new set is written.
//!
//! A renewal: take the lease, or wait within the call's deadline and take
//! up what the holder writes; holding it, read the set again (another
//! process may have renewed already) and take that up if it is newer; else
//! check for an unfinished refresh that spent the refresh token held here
//! (its process died between the response and the write), and recover:
//! read the host's token store again, or, on an agency install, mint the
//! location token again from the agency token, or fail with
//! REAUTH_REQUIRED, sending nothing; else mark the refresh, send it, store
//! the answer in the host's token store (the record of truth, before use),
//! then write it to the fleet over the version read, so a process whose
//! lease ran out meanwhile cannot overwrite a newer set: its write is
//! refused and it takes up the stored one. Then clear the mark and release.
//!
//! Every step is a [`StoreStep`] one call performs (the driver runs it like
//! a send); other calls of this process wait, as they wait for a refresh.

use super::EngineConfig;
use super::credentials::{CredAction, CredKind, CredState};
use super::wire::StoreAnswer;
#[cfg(feature = "fleet")]
use super::{WhenUnavailable, wire::StoreStep};
#[cfg(feature = "fleet")]
use crate::ErrorCode;
#[cfg(feature = "fleet")]
use crate::json::FromJson;
use crate::{Error, OAuthTokens};
#[cfg(feature = "fleet")]
use serde_json::{Value, json};
#[cfg(feature = "fleet")]
use sha2::{Digest, Sha256};

/// How long a waiting process sleeps before it looks again.
#[cfg(feature = "fleet")]
const WATCH_MS: u64 = 50;
/// How long the refresh mark is kept when nobody clears it.
#[cfg(feature = "fleet")]
const MARK_TTL_MS: u64 = 24 * 3_600_000;

#[cfg(feature = "fleet")]
/// The class of token set a request renews.
fn class_of(kind: CredKind) -> &'static str {
    match kind {
        CredKind::RefreshAgency => "company",
        CredKind::RefreshLocation | CredKind::MintLocation => "location",
    }
}

#[cfg(feature = "fleet")]
fn key(what: &str, kind: CredKind) -> String {
    format!("{what}:{}", class_of(kind))
}

#[cfg(feature = "fleet")]
/// A short hash of a refresh token: enough to tell which one a mark spent,
/// nothing an attacker with the store can use.
fn hash_of(tokens: Option<&OAuthTokens>) -> String {
    let refresh = tokens
        .and_then(|t| t.refresh_token.as_ref())
        .map(|r| r.expose().to_string())
        .unwrap_or_default();
    Sha256::digest(refresh.as_bytes())[..12]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(feature = "fleet")]
fn same_tokens(a: &OAuthTokens, b: Option<&OAuthTokens>) -> bool {
    b.is_some_and(|b| a.access_token == b.access_token && a.refresh_token == b.refresh_token)
}

#[cfg(feature = "fleet")]
#[derive(Clone, Debug)]
enum Phase {
    Idle,
    Lease(CredKind),
    Watch {
        kind: CredKind,
        until: u64,
    },
    WatchRead(CredKind),
    ReadTokens {
        kind: CredKind,
        lease: u64,
    },
    ReadMark {
        kind: CredKind,
        lease: u64,
        record: Option<u64>,
    },
    /// The host's token store is to be read again (the engine does that,
    /// without its lock).
    LoadHost {
        kind: CredKind,
        lease: u64,
        record: Option<u64>,
        mark: String,
    },
    Mark {
        kind: CredKind,
        lease: Option<u64>,
        record: Option<u64>,
    },
    /// The credential request is in flight.
    Renewing {
        kind: CredKind,
        lease: Option<u64>,
        record: Option<u64>,
    },
    Publish {
        kind: CredKind,
        lease: Option<u64>,
        record: Option<u64>,
        value: Value,
    },
    FencedRead {
        kind: CredKind,
        lease: Option<u64>,
    },
    Unmark {
        kind: CredKind,
        lease: Option<u64>,
    },
    Release {
        kind: CredKind,
        lease: Option<u64>,
    },
}

/// What the engine does next for the call that asked.
#[cfg_attr(not(feature = "fleet"), allow(dead_code))]
pub(crate) enum FleetNext {
    /// Hand this to the call.
    Act(CredAction),
    /// Store these tokens in the host's store, then apply them.
    Adopt(super::credentials::Pending),
    /// Read the host's token store, then call [`FleetTokens::loaded`].
    LoadHost,
}

/// What an answer leaves the engine to do.
#[cfg_attr(not(feature = "fleet"), allow(dead_code))]
pub(crate) enum Answered {
    /// Store these tokens in the host's store, then apply them.
    Adopt(super::credentials::Pending),
    /// End the call that performed the step with this.
    Fail(Error),
}

/// The fleet side of one engine's credentials.
#[cfg(feature = "fleet")]
pub(crate) struct FleetTokens {
    holder: String,
    lease_ms: u64,
    phase: Phase,
    /// The call whose step is out, and since when.
    out: Option<(u64, u64)>,
    /// After a failed write of a renewed set, when to offer it again.
    publish_again_at: u64,
}

#[cfg(feature = "fleet")]
impl FleetTokens {
    pub(crate) fn new(holder: String, lease_ms: u64) -> FleetTokens {
        FleetTokens {
            holder,
            lease_ms: lease_ms.max(1),
            phase: Phase::Idle,
            out: None,
            publish_again_at: 0,
        }
    }

    /// Work left after a renewal (writing, clearing, releasing) that any
    /// call performs before its own request, or `None`.
    pub(crate) fn pending(&mut self, now: u64, call_id: u64) -> Option<CredAction> {
        if now < self.publish_again_at {
            return None;
        }
        match self.phase {
            Phase::Publish { .. }
            | Phase::FencedRead { .. }
            | Phase::Unmark { .. }
            | Phase::Release { .. } => Some(self.step(now, call_id)),
            _ => None,
        }
    }

    /// A call needs credential request `kind`: start or go on.
    pub(crate) fn next(
        &mut self,
        creds: &mut CredState,
        cfg: &EngineConfig,
        now: u64,
        call_id: u64,
        kind: CredKind,
    ) -> FleetNext {
        if let Phase::Idle = self.phase {
            self.phase = Phase::Lease(kind);
        }
        match self.phase.clone() {
            Phase::Watch { until, kind } if now < until => {
                let _ = kind;
                FleetNext::Act(CredAction::Wait((until - now).max(1)))
            }
            Phase::Watch { kind, .. } => {
                self.phase = Phase::WatchRead(kind);
                FleetNext::Act(self.step(now, call_id))
            }
            Phase::LoadHost { .. } => FleetNext::LoadHost,
            Phase::Mark { kind, .. } => {
                if self.taken_by_another(now, call_id) {
                    return FleetNext::Act(CredAction::Wait(20));
                }
                FleetNext::Act(self.mark_step(kind, creds, now, call_id))
            }
            Phase::Renewing { kind, .. } => {
                if creds.busy(now) {
                    FleetNext::Act(CredAction::Wait(20))
                } else {
                    // Marked and not yet sent (the call that was to send
                    // it went away): send it now.
                    FleetNext::Act(creds.start(kind, cfg, now, call_id))
                }
            }
            _ => FleetNext::Act(self.step(now, call_id)),
        }
    }

    /// The store step of the current phase, handed to `call_id`; other
    /// calls wait while one is out, unless it has been out a lease long.
    fn taken_by_another(&self, now: u64, call_id: u64) -> bool {
        self.out.is_some_and(|(owner, since)| {
            owner != call_id && now.saturating_sub(since) < self.lease_ms
        })
    }

    fn step(&mut self, now: u64, call_id: u64) -> CredAction {
        if self.taken_by_another(now, call_id) {
            return CredAction::Wait(20);
        }
        let lease_value = || json!({"holder": self.holder});
        let step = match &self.phase {
            Phase::Lease(kind) => StoreStep::CompareAndSet {
                key: key("lease", *kind),
                expected: None,
                value: lease_value(),
                ttl_ms: Some(self.lease_ms),
            },
            Phase::WatchRead(kind)
            | Phase::ReadTokens { kind, .. }
            | Phase::FencedRead { kind, .. } => StoreStep::Get {
                key: key("tokens", *kind),
            },
            Phase::ReadMark { kind, .. } => StoreStep::Get {
                key: key("refreshing", *kind),
            },
            Phase::Mark { .. }
            | Phase::Idle
            | Phase::Watch { .. }
            | Phase::LoadHost { .. }
            | Phase::Renewing { .. } => {
                return CredAction::Wait(20);
            }
            Phase::Publish {
                kind,
                lease,
                record,
                value,
            } => match lease {
                Some(_) => StoreStep::CompareAndSet {
                    key: key("tokens", *kind),
                    expected: *record,
                    value: value.clone(),
                    ttl_ms: None,
                },
                // No lease (the store was away when the refresh began): the
                // set just rotated here is the newest there is.
                None => StoreStep::Put {
                    key: key("tokens", *kind),
                    value: value.clone(),
                    ttl_ms: None,
                },
            },
            Phase::Unmark { kind, .. } => StoreStep::Delete {
                key: key("refreshing", *kind),
            },
            Phase::Release { kind, lease } => match lease {
                Some(v) => StoreStep::CompareAndSet {
                    key: key("lease", *kind),
                    expected: Some(*v),
                    value: json!({"released": true}),
                    ttl_ms: Some(1),
                },
                None => {
                    self.phase = Phase::Idle;
                    return CredAction::Wait(1);
                }
            },
        };
        self.out = Some((call_id, now));
        CredAction::Store(step)
    }

    /// The mark step: written before the refresh is sent.
    fn mark_step(
        &mut self,
        kind: CredKind,
        creds: &CredState,
        now: u64,
        call_id: u64,
    ) -> CredAction {
        self.out = Some((call_id, now));
        CredAction::Store(StoreStep::Put {
            key: key("refreshing", kind),
            value: json!({"holder": self.holder, "spends": hash_of(creds.tokens_for(kind))}),
            ttl_ms: Some(MARK_TTL_MS),
        })
    }

    /// The answer to the step `call_id` performed. Returns what the engine
    /// must do at once: tokens to adopt, or an action for the call.
    pub(crate) fn answered(
        &mut self,
        creds: &mut CredState,
        cfg: &EngineConfig,
        now: u64,
        call_id: u64,
        answer: crate::Result<StoreAnswer>,
    ) -> Option<Answered> {
        match self.out {
            Some((owner, _)) if owner == call_id => self.out = None,
            _ => return None,
        }
        let answer = match answer {
            Ok(a) => a,
            Err(e) => return self.store_failed(cfg, now, e),
        };
        let phase = std::mem::replace(&mut self.phase, Phase::Idle);
        match (phase, answer) {
            (Phase::Lease(kind), StoreAnswer::Written(Some(lease))) => {
                self.phase = Phase::ReadTokens { kind, lease };
            }
            (Phase::Lease(kind), StoreAnswer::Written(None)) => {
                self.phase = Phase::Watch {
                    kind,
                    until: now + WATCH_MS,
                };
            }
            (Phase::WatchRead(kind), StoreAnswer::Entry(record)) => {
                match newer(record.as_ref(), creds.tokens_for(kind)) {
                    Some(tokens) => return Some(Answered::Adopt(creds.adopt(kind, tokens, now))),
                    None => self.phase = Phase::Lease(kind),
                }
            }
            (Phase::ReadTokens { kind, lease }, StoreAnswer::Entry(record)) => {
                if let Some(tokens) = newer(record.as_ref(), creds.tokens_for(kind)) {
                    self.phase = Phase::Release {
                        kind,
                        lease: Some(lease),
                    };
                    return Some(Answered::Adopt(creds.adopt(kind, tokens, now)));
                }
                self.phase = Phase::ReadMark {
                    kind,
                    lease,
                    record: record.map(|r| r.version),
                };
            }
            (
                Phase::ReadMark {
                    kind,
                    lease,
                    record,
                },
                StoreAnswer::Entry(mark),
            ) => {
                let spends = mark
                    .as_ref()
                    .and_then(|m| m.value.get("spends"))
                    .and_then(Value::as_str)
                    .map(str::to_string);
                let mine = hash_of(creds.tokens_for(kind));
                match spends {
                    Some(spent) if spent == mine && creds.tokens_for(kind).is_some() => {
                        self.phase = Phase::LoadHost {
                            kind,
                            lease,
                            record,
                            mark: spent,
                        };
                    }
                    _ => {
                        self.phase = Phase::Mark {
                            kind,
                            lease: Some(lease),
                            record,
                        };
                    }
                }
            }
            (
                Phase::Mark {
                    kind,
                    lease,
                    record,
                },
                StoreAnswer::Written(_),
            ) => {
                // Sent by the next poll (`next`, phase Renewing).
                self.phase = Phase::Renewing {
                    kind,
                    lease,
                    record,
                };
            }
            (Phase::Publish { kind, lease, .. }, StoreAnswer::Written(Some(_))) => {
                self.phase = Phase::Unmark { kind, lease };
            }
            (Phase::Publish { kind, lease, .. }, StoreAnswer::Written(None)) => {
                // Fenced: a newer set was written while this lease ran out.
                self.phase = Phase::FencedRead { kind, lease };
            }
            (Phase::FencedRead { kind, lease }, StoreAnswer::Entry(record)) => {
                self.phase = Phase::Release { kind, lease };
                if let Some(tokens) = newer(record.as_ref(), creds.tokens_for(kind)) {
                    return Some(Answered::Adopt(creds.adopt(kind, tokens, now)));
                }
            }
            (Phase::Unmark { kind, lease }, _) => self.phase = Phase::Release { kind, lease },
            (Phase::Release { .. }, _) => self.phase = Phase::Idle,
            (phase, answer) => {
                // An answer that does not fit the step: start over.
                let _ = (phase, answer);
                self.phase = Phase::Idle;
            }
        }
        None
    }

    /// The fleet store could not be reached during `self.phase`.
    fn store_failed(&mut self, cfg: &EngineConfig, now: u64, e: Error) -> Option<Answered> {
        let local = matches!(
            super::fleet_of(cfg).map(|f| f.when_unavailable),
            Some(WhenUnavailable::LocalShare { .. })
        ) && e.code() == ErrorCode::FleetUnavailable;
        match self.phase.clone() {
            // The rotated set stays here, in use and in the host's store;
            // it is offered to the fleet again by the next call.
            Phase::Publish { .. } => {
                self.publish_again_at = now + 1_000;
                None
            }
            // Without the fleet, renew here alone (sent by the next poll).
            Phase::Lease(kind) | Phase::WatchRead(kind) if local => {
                self.phase = Phase::Renewing {
                    kind,
                    lease: None,
                    record: None,
                };
                None
            }
            // Clearing and releasing are best effort: the lease expires.
            Phase::Unmark { .. } | Phase::Release { .. } => {
                self.phase = Phase::Idle;
                None
            }
            _ => {
                self.phase = Phase::Idle;
                Some(Answered::Fail(
                    e.context("coordinating a token refresh with the fleet"),
                ))
            }
        }
    }

    /// The token set being given up, in phase Release.
    pub(crate) fn releasing(&self) -> Option<CredKind> {
        match self.phase {
            Phase::Release { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// The class of tokens to read from the host's store, in phase LoadHost.
    pub(crate) fn loading(&self) -> Option<crate::UserType> {
        match self.phase {
            Phase::LoadHost {
                kind: CredKind::RefreshAgency,
                ..
            } => Some(crate::UserType::Company),
            Phase::LoadHost { .. } => Some(crate::UserType::Location),
            _ => None,
        }
    }

    /// The host's token store was read again (recovering a refresh whose
    /// process died): take its set up if it is not the spent one, else mint
    /// again on an agency install, else REAUTH_REQUIRED.
    pub(crate) fn loaded(
        &mut self,
        creds: &mut CredState,
        cfg: &EngineConfig,
        now: u64,
        call_id: u64,
        stored: Option<OAuthTokens>,
    ) -> FleetNext {
        let Phase::LoadHost {
            kind,
            lease,
            record,
            mark,
        } = std::mem::replace(&mut self.phase, Phase::Idle)
        else {
            return FleetNext::Act(CredAction::Wait(1));
        };
        if let Some(tokens) = stored.filter(|t| {
            t.refresh_token.is_some()
                && hash_of(Some(t)) != mark
                && !same_tokens(t, creds.tokens_for(kind))
        }) {
            self.phase = Phase::Publish {
                kind,
                lease: Some(lease),
                record,
                value: record_value(&tokens, now),
            };
            return FleetNext::Adopt(creds.adopt(kind, tokens, now));
        }
        if kind == CredKind::RefreshLocation && creds.can_mint() {
            creds.forget_location();
            self.phase = Phase::Renewing {
                kind: CredKind::MintLocation,
                lease: Some(lease),
                record,
            };
            return FleetNext::Act(creds.start(CredKind::MintLocation, cfg, now, call_id));
        }
        self.phase = Phase::Release {
            kind,
            lease: Some(lease),
        };
        let err = Error::new(
            ErrorCode::ReauthRequired,
            format!(
                "the {} token's refresh was spent by a process that died before storing its answer, and nothing can renew it: the app must be authorized again{}",
                class_of(kind),
                creds
                    .tokens_for(kind)
                    .and_then(|t| t.location_id.as_deref())
                    .map(|l| format!(" for location {l}"))
                    .unwrap_or_default()
            ),
        );
        creds.fail(err.clone(), now);
        FleetNext::Act(CredAction::Fail(err))
    }

    /// New tokens of `kind` were stored and applied here (a refresh or a
    /// mint this process made): write them to the fleet next.
    pub(crate) fn renewed(&mut self, kind: CredKind, tokens: &OAuthTokens, now: u64) {
        self.publish_again_at = 0;
        let (lease, record) = match self.phase {
            Phase::Renewing { lease, record, .. } => (lease, record),
            _ => (None, None),
        };
        let kind = if kind == CredKind::MintLocation {
            CredKind::RefreshLocation
        } else {
            kind
        };
        self.phase = Phase::Publish {
            kind,
            lease,
            record,
            value: record_value(tokens, now),
        };
    }

    /// The credential request failed: give the lease back; the mark stays
    /// (the refresh token may be spent on the server).
    pub(crate) fn renewal_failed(&mut self) {
        if let Phase::Renewing { kind, lease, .. } = self.phase {
            self.phase = Phase::Release { kind, lease };
        }
    }
}

#[cfg(feature = "fleet")]
fn record_value(tokens: &OAuthTokens, now: u64) -> Value {
    json!({"tokens": tokens, "writtenAtMs": now})
}

#[cfg(feature = "fleet")]
/// The fleet's set, when it is not the one held here.
fn newer(
    record: Option<&crate::state::Versioned>,
    mine: Option<&OAuthTokens>,
) -> Option<OAuthTokens> {
    let value = record?.value.get("tokens")?;
    let tokens = OAuthTokens::from_json("tokens", value).ok()?;
    (!same_tokens(&tokens, mine)).then_some(tokens)
}

/// Without feature `fleet` (the npm package's main module) there is no
/// fleet side: a type with no values, so every use of it is dead code and
/// the protocol is not in the binary.
#[cfg(not(feature = "fleet"))]
pub(crate) enum FleetTokens {}

#[cfg(not(feature = "fleet"))]
#[allow(dead_code)]
impl FleetTokens {
    pub(crate) fn pending(&mut self, _now: u64, _call_id: u64) -> Option<CredAction> {
        match *self {}
    }
    pub(crate) fn next(
        &mut self,
        _creds: &mut CredState,
        _cfg: &EngineConfig,
        _now: u64,
        _call_id: u64,
        _kind: CredKind,
    ) -> FleetNext {
        match *self {}
    }
    pub(crate) fn answered(
        &mut self,
        _creds: &mut CredState,
        _cfg: &EngineConfig,
        _now: u64,
        _call_id: u64,
        _answer: crate::Result<StoreAnswer>,
    ) -> Option<Answered> {
        match *self {}
    }
    pub(crate) fn loading(&self) -> Option<crate::UserType> {
        match *self {}
    }
    pub(crate) fn releasing(&self) -> Option<CredKind> {
        match *self {}
    }
    pub(crate) fn loaded(
        &mut self,
        _creds: &mut CredState,
        _cfg: &EngineConfig,
        _now: u64,
        _call_id: u64,
        _stored: Option<OAuthTokens>,
    ) -> FleetNext {
        match *self {}
    }
    pub(crate) fn renewed(&mut self, _kind: CredKind, _tokens: &OAuthTokens, _now: u64) {
        match *self {}
    }
    pub(crate) fn renewal_failed(&mut self) {
        match *self {}
    }
}
