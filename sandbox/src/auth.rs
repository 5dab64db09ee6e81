//! Tokens as HighLevel issues and checks them: Private Integration Tokens,
//! OAuth location and company tokens with rotating refresh tokens, and
//! authorization codes (fact sheet §2).

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What kind of token a bearer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TokenKind {
    /// A sub-account Private Integration Token.
    Pit,
    /// An OAuth token with user type Location.
    Location,
    /// An OAuth token with user type Company (agency).
    Company,
}

/// Who a bearer token speaks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    /// The kind of token.
    pub kind: TokenKind,
    /// The rate-limit client: the OAuth client id, or the PIT itself.
    pub client: String,
    /// The location a Pit or Location token belongs to.
    pub location_id: Option<String>,
    /// The company (agency).
    pub company_id: String,
    /// Granted scopes; `None` grants every scope.
    pub scopes: Option<Vec<String>>,
    /// When the token stops working (Unix ms); `None` never.
    pub expires_at_ms: Option<u64>,
}

impl Principal {
    /// Whether the token carries `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes
            .as_ref()
            .is_none_or(|s| s.iter().any(|x| x == scope))
    }

    /// The rate-limit resource: the location, or the company for agency tokens.
    pub fn resource(&self) -> &str {
        self.location_id.as_deref().unwrap_or(&self.company_id)
    }
}

/// What a code or refresh token grants: what the token endpoint issues.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Grant {
    /// The OAuth client.
    pub client_id: String,
    /// Location or Company.
    pub kind: TokenKind,
    /// The location, for location tokens.
    pub location_id: Option<String>,
    /// The company.
    pub company_id: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

/// Every live token, refresh token and code.
#[derive(Default, Serialize, Deserialize)]
pub struct Auth {
    tokens: HashMap<String, Principal>,
    refresh: HashMap<String, Grant>,
    codes: HashMap<String, Grant>,
    counter: u64,
}

/// Why a bearer was refused.
pub enum Refusal {
    /// Unknown, malformed or revoked.
    Invalid,
    /// Known but past its expiry.
    Expired,
}

/// What the token endpoint answers.
pub struct Issued {
    /// The access token.
    pub access_token: String,
    /// The refresh token.
    pub refresh_token: String,
    /// Lifetime in seconds.
    pub expires_in: u64,
    /// Whose token.
    pub kind: TokenKind,
    /// The location, for location tokens.
    pub location_id: Option<String>,
    /// The company.
    pub company_id: String,
    /// Granted scopes.
    pub scopes: Vec<String>,
}

impl Auth {
    fn mint(&mut self, prefix: &str) -> String {
        self.counter += 1;
        let noise = crate::seed::mix(self.counter ^ 0x5eed_70c3_a11d_f00d);
        format!("{prefix}-{:x}{:016x}", self.counter, noise)
    }

    /// Registers a static Private Integration Token for `location_id`.
    pub fn add_pit(
        &mut self,
        token: &str,
        location_id: &str,
        company_id: &str,
        scopes: Option<Vec<String>>,
    ) {
        self.tokens.insert(
            token.to_string(),
            Principal {
                kind: TokenKind::Pit,
                client: token.to_string(),
                location_id: Some(location_id.to_string()),
                company_id: company_id.to_string(),
                scopes,
                expires_at_ms: None,
            },
        );
    }

    /// Looks up a bearer token at `now_ms`.
    pub fn check(&self, token: &str, now_ms: u64) -> Result<&Principal, Refusal> {
        let p = self.tokens.get(token).ok_or(Refusal::Invalid)?;
        match p.expires_at_ms {
            Some(exp) if now_ms >= exp => Err(Refusal::Expired),
            _ => Ok(p),
        }
    }

    /// Issues an authorization code (what the consent page would redirect with).
    pub fn issue_code(&mut self, grant: Grant) -> String {
        let code = self.mint("code");
        self.codes.insert(code.clone(), grant);
        code
    }

    fn issue(&mut self, grant: Grant, lifetime_s: u64, now_ms: u64) -> Issued {
        let prefix = if grant.kind == TokenKind::Company {
            "atc"
        } else {
            "atl"
        };
        let access = self.mint(prefix);
        let refresh = self.mint("rt");
        self.tokens.insert(
            access.clone(),
            Principal {
                kind: grant.kind,
                client: grant.client_id.clone(),
                location_id: grant.location_id.clone(),
                company_id: grant.company_id.clone(),
                scopes: Some(grant.scopes.clone()),
                expires_at_ms: Some(now_ms + lifetime_s * 1000),
            },
        );
        let issued = Issued {
            access_token: access,
            refresh_token: refresh.clone(),
            expires_in: lifetime_s,
            kind: grant.kind,
            location_id: grant.location_id.clone(),
            company_id: grant.company_id.clone(),
            scopes: grant.scopes.clone(),
        };
        self.refresh.insert(refresh, grant);
        issued
    }

    /// Redeems an authorization code once.
    pub fn redeem_code(
        &mut self,
        client_id: &str,
        code: &str,
        lifetime_s: u64,
        now_ms: u64,
    ) -> Option<Issued> {
        let grant = self.codes.remove(code)?;
        if grant.client_id != client_id {
            return None;
        }
        Some(self.issue(grant, lifetime_s, now_ms))
    }

    /// Rotates a refresh token: the old one stops working at once.
    pub fn refresh(
        &mut self,
        client_id: &str,
        refresh_token: &str,
        lifetime_s: u64,
        now_ms: u64,
    ) -> Option<Issued> {
        if self.refresh.get(refresh_token)?.client_id != client_id {
            return None;
        }
        let grant = self.refresh.remove(refresh_token)?;
        Some(self.issue(grant, lifetime_s, now_ms))
    }

    /// Mints a location token from an agency principal.
    pub fn location_token(
        &mut self,
        agency: &Principal,
        location_id: &str,
        lifetime_s: u64,
        now_ms: u64,
    ) -> Issued {
        let grant = Grant {
            client_id: agency.client.clone(),
            kind: TokenKind::Location,
            location_id: Some(location_id.to_string()),
            company_id: agency.company_id.clone(),
            scopes: agency.scopes.clone().unwrap_or_default(),
        };
        self.issue(grant, lifetime_s, now_ms)
    }

    /// Issues tokens directly (the sandbox admin API, for tests).
    pub fn issue_direct(&mut self, grant: Grant, lifetime_s: u64, now_ms: u64) -> Issued {
        self.issue(grant, lifetime_s, now_ms)
    }
}
