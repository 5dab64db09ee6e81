//! Which token a call uses, and what to do when there is none fit to use:
//! refresh a location token, refresh the agency token, or mint a location
//! token from the agency token (fact sheet §2.3, §2.4). One such request is
//! in flight at a time for the whole engine (single-flight).

use super::EngineConfig;
use super::wire::{Outgoing, Purpose, TransportError};
use crate::ops::oauth::{GetLocationToken, RefreshToken};
use crate::{
    Credentials, Error, ErrorCode, HttpResponse, OAuthTokens, OpSpec, Operation, Secret,
    TokenClass, UserType,
};

/// How long before an unanswered credential request is given up on (its
/// transport vanished), so other calls may try again.
const ABANDON_AFTER_MS: u64 = 60_000;
/// How long waiting calls poll for a refresh another call is making.
const WAIT_POLL_MS: u64 = 20;
/// How long a credential failure is reported to every call that asks, before
/// a new attempt is allowed (so a hundred waiting calls fail together rather
/// than each trying again).
const FAILURE_HOLD_MS: u64 = 1_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) enum CredKind {
    RefreshLocation,
    RefreshAgency,
    MintLocation,
}

/// New tokens on their way into the store and then into use.
pub(crate) struct Pending {
    pub(crate) kind: CredKind,
    pub(crate) tokens: OAuthTokens,
    pub(crate) obtained_ms: u64,
}

pub(crate) enum CredAction {
    /// Use this bearer token.
    Ready(Secret),
    /// Send this credential request first.
    Send(Outgoing),
    /// Another call is refreshing: ask again after this many ms.
    Wait(u64),
    /// No usable credentials.
    Fail(Error),
    /// Fleet mode: this credential request must be coordinated with the
    /// fleet first (`fleet_tokens.rs`); nothing was started.
    #[cfg(feature = "fleet")]
    Coordinate(CredKind),
    /// Fleet mode: perform this step on the fleet store first.
    #[cfg(feature = "fleet")]
    Store(super::wire::StoreStep),
}

pub(crate) struct CredState {
    kind: Kind,
    /// A private integration token that names its location.
    static_location: bool,
    in_flight: Option<(u64, u64, CredKind)>,
    /// Since when new tokens have been on their way into the host's store.
    /// Until they are applied the held refresh token is already spent on
    /// the server, so no call may start another refresh with it.
    saving: Option<u64>,
    failure: Option<(Error, u64)>,
    unsaved: Option<Pending>,
    next_ticket: u64,
}

/// A token set and when we got it (unknown for the ones we started with).
#[derive(Clone)]
struct Held {
    tokens: OAuthTokens,
    obtained_ms: Option<u64>,
}

impl Held {
    fn new(tokens: OAuthTokens) -> Held {
        Held {
            tokens,
            obtained_ms: None,
        }
    }

    /// Usable now: not within the refresh margin of its expiry. The margin is
    /// at most half the token's lifetime, so a short-lived token is used
    /// before it is refreshed.
    fn fresh(&self, now: u64, ahead: u64) -> bool {
        self.tokens.expires_at_ms.is_none_or(|exp| {
            let margin = match self.obtained_ms {
                Some(got) => ahead.min(exp.saturating_sub(got) / 2),
                None => ahead,
            };
            now + margin < exp
        })
    }
}

enum Kind {
    Static(Secret),
    OAuth {
        held: Held,
        stale: bool,
    },
    Agency {
        agency: Held,
        agency_stale: bool,
        location_id: String,
        location: Option<Held>,
    },
}

impl CredState {
    pub(crate) fn new(c: &Credentials) -> CredState {
        let kind = match c {
            Credentials::PrivateIntegrationToken { token, .. } => Kind::Static(token.clone()),
            Credentials::OAuth { tokens } => Kind::OAuth {
                held: Held::new(tokens.clone()),
                stale: false,
            },
            Credentials::Agency {
                tokens,
                location_id,
            } => Kind::Agency {
                agency: Held::new(tokens.clone()),
                agency_stale: false,
                location_id: location_id.clone(),
                location: None,
            },
        };
        CredState {
            kind,
            static_location: matches!(
                c,
                Credentials::PrivateIntegrationToken {
                    location_id: Some(_),
                    ..
                }
            ),
            in_flight: None,
            saving: None,
            failure: None,
            unsaved: None,
            next_ticket: 0,
        }
    }

    /// Takes the tokens the store refused before, to offer them again; until
    /// they are applied or kept again, calls wait.
    pub(crate) fn take_unsaved(&mut self, now: u64) -> Option<Pending> {
        let p = self.unsaved.take()?;
        self.saving = Some(now);
        Some(p)
    }

    /// Keeps tokens the store refused, to offer them again.
    pub(crate) fn keep_unsaved(&mut self, p: Pending) {
        self.saving = None;
        self.unsaved = Some(p);
    }

    pub(crate) fn fail(&mut self, e: Error, now: u64) {
        self.failure = Some((e, now));
    }

    /// The class of token these credentials would send for `spec`, if
    /// known: a private integration token that names its location is a
    /// location token, one that does not may be either.
    fn class_for(&self, spec: &OpSpec) -> Option<UserType> {
        match &self.kind {
            Kind::Static(_) => self.static_location.then_some(UserType::Location),
            Kind::OAuth { held, .. } => Some(held.tokens.user_type),
            Kind::Agency { .. } if spec.token == TokenClass::Agency => Some(UserType::Company),
            Kind::Agency { .. } => Some(UserType::Location),
        }
    }

    /// Refuses, before anything is sent, an operation whose endpoint does
    /// not take the class of token these credentials hold.
    fn refuse_class(&self, spec: &OpSpec) -> Option<Error> {
        let held = self.class_for(spec)?;
        let (wanted, have) = match (spec.token, held) {
            (TokenClass::Agency, UserType::Location) => ("an agency (Company)", "a location"),
            (TokenClass::Location, UserType::Company) => ("a location", "an agency (Company)"),
            _ => return None,
        };
        Some(Error::new(
            ErrorCode::Forbidden,
            format!(
                "{} needs {wanted} token; these credentials hold {have} token, so nothing was sent",
                spec.name
            ),
        ))
    }

    /// What a call needs to do before it can send.
    pub(crate) fn action(
        &mut self,
        cfg: &EngineConfig,
        now: u64,
        call_id: u64,
        spec: &OpSpec,
    ) -> CredAction {
        if let Some(e) = self.refuse_class(spec) {
            return CredAction::Fail(e);
        }
        if let Some((_, started, _)) = self.in_flight {
            if now.saturating_sub(started) < ABANDON_AFTER_MS {
                return CredAction::Wait(WAIT_POLL_MS);
            }
            self.in_flight = None;
        }
        if let Some(since) = self.saving {
            if now.saturating_sub(since) < ABANDON_AFTER_MS {
                return CredAction::Wait(WAIT_POLL_MS);
            }
            self.saving = None;
        }
        if let Some((e, at)) = &self.failure {
            if now.saturating_sub(*at) < FAILURE_HOLD_MS {
                return CredAction::Fail(e.clone());
            }
            self.failure = None;
        }
        let ahead = cfg.refresh_ahead_ms;
        let can_refresh = |t: &OAuthTokens| t.refresh_token.is_some() && cfg.oauth_client.is_some();
        let next = match &self.kind {
            Kind::Static(t) => return CredAction::Ready(t.clone()),
            Kind::OAuth { held, stale } => {
                if !stale && held.fresh(now, ahead) {
                    return CredAction::Ready(held.tokens.access_token.clone());
                }
                if !can_refresh(&held.tokens) {
                    let why = if *stale {
                        "was rejected"
                    } else {
                        "has expired"
                    };
                    return CredAction::Fail(Error::new(
                        ErrorCode::Unauthorized,
                        format!(
                            "the access token {why} and cannot be refreshed (no refresh token or OAuth client)"
                        ),
                    ));
                }
                CredKind::RefreshLocation
            }
            Kind::Agency {
                agency,
                agency_stale,
                ..
            } if spec.token == TokenClass::Agency => {
                if !agency_stale && agency.fresh(now, ahead) {
                    return CredAction::Ready(agency.tokens.access_token.clone());
                }
                if !can_refresh(&agency.tokens) {
                    return CredAction::Fail(Error::new(
                        ErrorCode::Unauthorized,
                        "the agency token has expired and cannot be refreshed (no refresh token or OAuth client)",
                    ));
                }
                CredKind::RefreshAgency
            }
            Kind::Agency {
                agency,
                agency_stale,
                location,
                ..
            } => {
                if let Some(l) = location {
                    if l.fresh(now, ahead) {
                        return CredAction::Ready(l.tokens.access_token.clone());
                    }
                }
                match location {
                    Some(l) if can_refresh(&l.tokens) => CredKind::RefreshLocation,
                    _ if !agency_stale && agency.fresh(now, ahead) => CredKind::MintLocation,
                    _ if can_refresh(&agency.tokens) => CredKind::RefreshAgency,
                    _ => {
                        return CredAction::Fail(Error::new(
                            ErrorCode::Unauthorized,
                            "the agency token has expired and cannot be refreshed (no refresh token or OAuth client)",
                        ));
                    }
                }
            }
        };
        #[cfg(feature = "fleet")]
        if super::fleet_of(cfg).is_some() {
            return CredAction::Coordinate(next);
        }
        self.start(next, cfg, now, call_id)
    }

    /// Starts credential request `kind`: the one in flight for the engine.
    pub(crate) fn start(
        &mut self,
        kind: CredKind,
        cfg: &EngineConfig,
        now: u64,
        call_id: u64,
    ) -> CredAction {
        match self.request(kind, cfg) {
            Ok(request) => {
                self.next_ticket += 1;
                let ticket = (call_id << 20) | (self.next_ticket & 0xfffff);
                self.in_flight = Some((ticket, now, kind));
                CredAction::Send(Outgoing {
                    request,
                    purpose: Purpose::Credential(ticket),
                    timeout_ms: cfg.call_timeout_ms,
                })
            }
            Err(e) => CredAction::Fail(e),
        }
    }

    /// Whether a credential request is in flight or its tokens are being
    /// stored (other work on credentials waits).
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    pub(crate) fn busy(&self, now: u64) -> bool {
        self.in_flight
            .is_some_and(|(_, started, _)| now.saturating_sub(started) < ABANDON_AFTER_MS)
            || self
                .saving
                .is_some_and(|since| now.saturating_sub(since) < ABANDON_AFTER_MS)
    }

    /// The token set that request `kind` renews (for a mint, the location
    /// token it replaces, if any).
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    pub(crate) fn tokens_for(&self, kind: CredKind) -> Option<&OAuthTokens> {
        match (&self.kind, kind) {
            (Kind::OAuth { held, .. }, _) => Some(&held.tokens),
            (Kind::Agency { agency, .. }, CredKind::RefreshAgency) => Some(&agency.tokens),
            (Kind::Agency { location, .. }, _) => location.as_ref().map(|l| &l.tokens),
            (Kind::Static(_), _) => None,
        }
    }

    /// Whether the location token can be minted again from an agency token
    /// (an agency install): what recovers a lost location refresh.
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    pub(crate) fn can_mint(&self) -> bool {
        matches!(self.kind, Kind::Agency { .. })
    }

    /// Forgets the location token, whose refresh token is spent: the next
    /// location call mints a new one from the agency token.
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    pub(crate) fn forget_location(&mut self) {
        if let Kind::Agency { location, .. } = &mut self.kind {
            *location = None;
        }
    }

    /// New tokens of `kind` from the fleet (another process's refresh or
    /// mint), as tokens to store and then apply.
    #[cfg_attr(not(feature = "fleet"), allow(dead_code))]
    pub(crate) fn adopt(&mut self, kind: CredKind, tokens: OAuthTokens, now: u64) -> Pending {
        self.saving = Some(now);
        Pending {
            kind,
            tokens,
            obtained_ms: now,
        }
    }

    fn request(&self, kind: CredKind, cfg: &EngineConfig) -> crate::Result<crate::HttpRequest> {
        let client = cfg.oauth_client.clone();
        let refresh = |t: &OAuthTokens, user_type: UserType| -> crate::Result<crate::HttpRequest> {
            let c = client.clone().ok_or_else(|| {
                Error::invalid_argument("refreshing needs the OAuth client id and secret")
            })?;
            RefreshToken {
                client_id: c.client_id,
                client_secret: c.client_secret,
                refresh_token: t.refresh_token.clone().unwrap_or_default(),
                user_type,
            }
            .build(&cfg.config)
        };
        match (&self.kind, kind) {
            (Kind::OAuth { held, .. }, CredKind::RefreshLocation) => {
                refresh(&held.tokens, held.tokens.user_type)
            }
            (
                Kind::Agency {
                    location: Some(l), ..
                },
                CredKind::RefreshLocation,
            ) => refresh(&l.tokens, UserType::Location),
            (Kind::Agency { agency, .. }, CredKind::RefreshAgency) => {
                refresh(&agency.tokens, UserType::Company)
            }
            (
                Kind::Agency {
                    agency,
                    location_id,
                    ..
                },
                CredKind::MintLocation,
            ) => {
                let agency = &agency.tokens;
                let company_id = agency.company_id.clone().ok_or_else(|| {
                    Error::invalid_argument(
                        "agency tokens need a companyId to mint location tokens",
                    )
                })?;
                let mut req = GetLocationToken {
                    company_id,
                    location_id: location_id.clone(),
                }
                .build(&cfg.config)?;
                req.set_bearer(&agency.access_token);
                Ok(req)
            }
            _ => Err(Error::invalid_argument(
                "no credential request fits these credentials",
            )),
        }
    }

    /// Which credential request `ticket` is, while it is in flight.
    pub(crate) fn in_flight_kind(&self, ticket: u64) -> Option<CredKind> {
        self.in_flight
            .and_then(|(t, _, kind)| (t == ticket).then_some(kind))
    }

    /// The code of the failure being reported to waiting calls, if any.
    pub(crate) fn failure_code(&self) -> Option<ErrorCode> {
        self.failure.as_ref().map(|(e, _)| e.code())
    }

    /// Handles the answer to credential request `ticket`. Returns new tokens
    /// to store and apply, or records why there are none.
    pub(crate) fn complete(
        &mut self,
        ticket: u64,
        now: u64,
        result: Result<HttpResponse, TransportError>,
    ) -> Option<Pending> {
        let (t, _, kind) = self.in_flight?;
        if t != ticket {
            return None;
        }
        self.in_flight = None;
        let resp = match result {
            Ok(r) => r,
            Err(e) => {
                let why = if kind == CredKind::MintLocation {
                    "minting a location token failed"
                } else {
                    "the token refresh got no answer (the refresh token may have rotated on the server)"
                };
                self.failure = Some((
                    Error::new(ErrorCode::Transport, format!("{why}: {}", e.message)),
                    now,
                ));
                return None;
            }
        };
        let spec = match kind {
            CredKind::MintLocation => &GetLocationToken::SPEC,
            _ => &RefreshToken::SPEC,
        };
        let parsed = crate::ops::oauth::parse_token_response(spec, &resp);
        match parsed {
            Ok(tr) => {
                let user_type = if kind == CredKind::RefreshAgency {
                    UserType::Company
                } else {
                    UserType::Location
                };
                let mut tokens = tr.into_tokens(now, user_type);
                self.fill_from_old(kind, &mut tokens);
                self.saving = Some(now);
                Some(Pending {
                    kind,
                    tokens,
                    obtained_ms: now,
                })
            }
            Err(e) => {
                match (&mut self.kind, kind) {
                    // A location refresh failed: re-mint from the agency token.
                    (Kind::Agency { location, .. }, CredKind::RefreshLocation) => *location = None,
                    // The agency token was refused while minting: refresh it.
                    (Kind::Agency { agency_stale, .. }, CredKind::MintLocation)
                        if e.code() == ErrorCode::Unauthorized =>
                    {
                        *agency_stale = true
                    }
                    _ => self.failure = Some((e.context("refreshing the credentials failed"), now)),
                }
                None
            }
        }
    }

    /// Keeps what a token response leaves out (location, company, and the
    /// refresh token when none came back).
    fn fill_from_old(&self, kind: CredKind, t: &mut OAuthTokens) {
        let old = match (&self.kind, kind) {
            (Kind::OAuth { held, .. }, _) => Some(&held.tokens),
            (Kind::Agency { agency, .. }, CredKind::RefreshAgency) => Some(&agency.tokens),
            (Kind::Agency { location, .. }, CredKind::RefreshLocation) => {
                location.as_ref().map(|l| &l.tokens)
            }
            (
                Kind::Agency {
                    agency,
                    location_id,
                    ..
                },
                CredKind::MintLocation,
            ) => {
                t.location_id.get_or_insert_with(|| location_id.clone());
                t.company_id = t
                    .company_id
                    .take()
                    .or_else(|| agency.tokens.company_id.clone());
                None
            }
            _ => None,
        };
        if let Some(old) = old {
            t.location_id = t.location_id.take().or_else(|| old.location_id.clone());
            t.company_id = t.company_id.take().or_else(|| old.company_id.clone());
            if t.refresh_token.is_none() {
                t.refresh_token = old.refresh_token.clone();
            }
        }
    }

    /// Puts stored tokens into use.
    pub(crate) fn apply(&mut self, p: Pending) {
        let held = Held {
            tokens: p.tokens,
            obtained_ms: Some(p.obtained_ms),
        };
        match (&mut self.kind, p.kind) {
            (Kind::OAuth { held: h, stale }, _) => {
                *h = held;
                *stale = false;
            }
            (
                Kind::Agency {
                    agency,
                    agency_stale,
                    ..
                },
                CredKind::RefreshAgency,
            ) => {
                *agency = held;
                *agency_stale = false;
            }
            (Kind::Agency { location, .. }, _) => *location = Some(held),
            (Kind::Static(_), _) => {}
        }
        self.saving = None;
        self.failure = None;
    }

    /// A 401 for `used`: mark that token stale. Whether a refresh can follow.
    pub(crate) fn invalidate(&mut self, used: &str, cfg: &EngineConfig) -> bool {
        match &mut self.kind {
            Kind::Static(_) => false,
            Kind::OAuth { held, stale } => {
                if held.tokens.access_token.expose() == used {
                    *stale = true;
                }
                held.tokens.refresh_token.is_some() && cfg.oauth_client.is_some()
            }
            Kind::Agency {
                agency,
                agency_stale,
                location,
                ..
            } => {
                if location
                    .as_ref()
                    .is_some_and(|l| l.tokens.access_token.expose() == used)
                {
                    *location = None;
                }
                if agency.tokens.access_token.expose() == used {
                    *agency_stale = true;
                }
                true
            }
        }
    }

    pub(crate) fn snapshot(&self, original: &Credentials) -> Credentials {
        match &self.kind {
            Kind::Static(_) => original.clone(),
            Kind::OAuth { held, .. } => Credentials::OAuth {
                tokens: held.tokens.clone(),
            },
            Kind::Agency {
                agency,
                location_id,
                ..
            } => Credentials::Agency {
                tokens: agency.tokens.clone(),
                location_id: location_id.clone(),
            },
        }
    }
}
