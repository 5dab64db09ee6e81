//! The token endpoint's answer.

use crate::{OAuthTokens, Secret, UserType};
use serde::Serialize;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::FromJson;
    use serde_json::json;

    #[test]
    fn reads_both_spellings_keeps_the_rest_and_refuses_two_at_once() {
        let v2 = json!({"access_token": "at", "expires_in": 60, "refresh_token": "rt",
                        "userType": "Company", "companyId": "co", "isBulkInstallation": true});
        let v3 = json!({"accessToken": "at", "expiresIn": 60, "refreshToken": "rt",
                        "userType": "Company", "companyId": "co", "isBulkInstallation": true});
        let a = TokenResponse::from_json("r", &v2).unwrap();
        assert_eq!(a, TokenResponse::from_json("r", &v3).unwrap());
        assert_eq!(a.extra.get("isBulkInstallation"), Some(&json!(true)));
        let t = a.into_tokens(1_000, UserType::Location);
        assert_eq!(t.expires_at_ms, Some(61_000));
        assert_eq!(t.user_type, UserType::Company);
        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), Some("rt"));

        for (bad, needle) in [
            (
                json!({"access_token": "a", "accessToken": "b"}),
                "duplicate field `access_token`",
            ),
            (
                json!({"token_type": "Bearer"}),
                "missing field `access_token`",
            ),
            (
                json!({"access_token": "a", "expires_in": "soon"}),
                "r.expires_in: invalid type",
            ),
            (
                json!({"access_token": "a", "userType": "Agency"}),
                "r.userType: string \"Agency\" matches none of the allowed shapes",
            ),
        ] {
            let e = TokenResponse::from_json("r", &bad).unwrap_err();
            assert!(e.message().contains(needle), "{e} lacks {needle}");
        }
        // serde's route is the same reader.
        let e = serde_json::from_value::<TokenResponse>(json!({})).unwrap_err();
        assert!(
            e.to_string().contains("TokenResponse: missing field"),
            "{e}"
        );
    }
}
