//! The token endpoint's answer.

use crate::json::{Fields, FromJson};
use crate::{OAuthTokens, Secret, UserType};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;
use std::fmt;

/// A token response from `/oauth/token` or `/oauth/locationToken`
/// (snake_case v2 fields; the v3 camelCase spellings are accepted too).
/// `Debug` redacts both tokens.
#[skip_serializing_none]
#[derive(Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct TokenResponse {
    /// The access token.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["accessToken"])))]
    pub access_token: Secret,
    /// `Bearer`.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["tokenType"])))]
    pub token_type: Option<String>,
    /// Lifetime in seconds (about a day).
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["expiresIn"])))]
    pub expires_in: Option<u64>,
    /// The new refresh token: persist it, the old one no longer works.
    #[cfg_attr(feature = "schema", schemars(extend("x-aliases" = ["refreshToken"])))]
    pub refresh_token: Option<Secret>,
    /// Granted scopes, space-separated.
    pub scope: Option<String>,
    /// `Location` or `Company`.
    #[serde(rename = "userType")]
    pub user_type: Option<UserType>,
    /// The location, for location tokens.
    #[serde(rename = "locationId")]
    pub location_id: Option<String>,
    /// The company.
    #[serde(rename = "companyId")]
    pub company_id: Option<String>,
    /// The installing user.
    #[serde(rename = "userId")]
    pub user_id: Option<String>,
    /// Every other field, as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl TokenResponse {
    /// The token set to store, given the time the response arrived.
    /// `default_user_type` applies when the response does not say.
    pub fn into_tokens(self, received_at_ms: u64, default_user_type: UserType) -> OAuthTokens {
        OAuthTokens {
            access_token: self.access_token,
            refresh_token: self.refresh_token,
            expires_at_ms: self
                .expires_in
                .map(|s| received_at_ms.saturating_add(s.saturating_mul(1000))),
            user_type: self.user_type.unwrap_or(default_user_type),
            location_id: self.location_id,
            company_id: self.company_id,
            scope: self.scope,
        }
    }
}

/// Read by hand ([`crate::json`]), with the v3 spellings as aliases; fields
/// it does not model land in `extra`. `Deserialize` goes through this too.
impl FromJson for TokenResponse {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        let mut f = Fields::of(path, value)?;
        let access_token = f.optional_either("access_token", "accessToken")?;
        let access_token = access_token
            .ok_or_else(|| crate::json::invalid(format!("{path}: missing field `access_token`")))?;
        Ok(TokenResponse {
            access_token,
            token_type: f.optional_either("token_type", "tokenType")?,
            expires_in: f.optional_either("expires_in", "expiresIn")?,
            refresh_token: f.optional_either("refresh_token", "refreshToken")?,
            scope: f.optional("scope")?,
            user_type: f.optional("userType")?,
            location_id: f.optional("locationId")?,
            company_id: f.optional("companyId")?,
            user_id: f.optional("userId")?,
            extra: f.rest(),
        })
    }
}

impl<'de> Deserialize<'de> for TokenResponse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        TokenResponse::from_json("TokenResponse", &value)
            .map_err(|e| serde::de::Error::custom(e.message()))
    }
}

impl fmt::Debug for TokenResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenResponse")
            .field("access_token", &self.access_token)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_in", &self.expires_in)
            .field("user_type", &self.user_type)
            .field("location_id", &self.location_id)
            .field("company_id", &self.company_id)
            .finish_non_exhaustive()
    }
}
