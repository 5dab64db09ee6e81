//! Credentials: what the API accepts as a bearer token, and how each kind is
//! renewed (fact sheet §2).

use crate::json::{Fields, FromJson, invalid, invalid_type};
pub use crate::secret::Secret;
use serde::Serialize;
use serde_json::Value;
use std::fmt;

/// Whose token an OAuth token is (`userType` in the token response).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum UserType {
    /// A sub-account (location) token: what every Contacts operation needs.
    #[default]
    Location,
    /// An agency (company) token: exchanged for location tokens.
    Company,
}

impl UserType {
    /// The value the token endpoint expects in `user_type`.
    pub fn as_str(self) -> &'static str {
        match self {
            UserType::Location => "Location",
            UserType::Company => "Company",
        }
    }
}

/// An OAuth token set, as returned by `/oauth/token` or `/oauth/locationToken`.
///
/// `expires_at_ms` is absolute (Unix milliseconds), computed by the caller
/// from `expires_in` and its own clock: the core never reads a clock.
#[derive(Clone, PartialEq, Eq, Serialize, Default)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OAuthTokens {
    /// The bearer access token.
    pub access_token: Secret,
    /// The refresh token; rotates on every refresh (the old one stops working).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    /// When the access token expires, in Unix milliseconds, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    /// Location or Company (Location when absent).
    #[cfg_attr(feature = "schema", schemars(default))]
    pub user_type: UserType,
    /// The location (sub-account) the token is for, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The company (agency) the token belongs to, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub company_id: Option<String>,
    /// Granted scopes, space-separated, if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<String>,
}

impl fmt::Debug for OAuthTokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthTokens")
            .field("access_token", &self.access_token)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "[redacted]"),
            )
            .field("expires_at_ms", &self.expires_at_ms)
            .field("user_type", &self.user_type)
            .field("location_id", &self.location_id)
            .field("company_id", &self.company_id)
            .field("scope", &self.scope)
            .finish()
    }
}

/// The credentials a client calls the API with (fact sheet §2.1). As JSON,
/// tagged by `kind`: `{"kind": "privateIntegrationToken", "token",
/// "locationId"?}`, `{"kind": "oauth", "tokens"}` or `{"kind": "agency",
/// "tokens", "locationId"}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum Credentials {
    /// A Private Integration Token of a sub-account (`pit-…`): static, used as is.
    PrivateIntegrationToken {
        /// The token.
        token: Secret,
        /// The location it belongs to, used where an operation needs `locationId`.
        #[serde(rename = "locationId", skip_serializing_if = "Option::is_none")]
        location_id: Option<String>,
    },
    /// A location OAuth token set, refreshed ahead of expiry.
    #[serde(rename = "oauth")]
    OAuth {
        /// The tokens.
        tokens: OAuthTokens,
    },
    /// An agency (Company) token, exchanged for a token of `location_id`.
    Agency {
        /// The agency's tokens.
        tokens: OAuthTokens,
        /// The location to mint location tokens for.
        #[serde(rename = "locationId")]
        location_id: String,
    },
}

impl Credentials {
    /// A Private Integration Token credential.
    pub fn pit(token: impl Into<Secret>) -> Self {
        Credentials::PrivateIntegrationToken {
            token: token.into(),
            location_id: None,
        }
    }

    /// The location these credentials act for, when they name one.
    pub fn location_id(&self) -> Option<&str> {
        match self {
            Credentials::PrivateIntegrationToken { location_id, .. } => location_id.as_deref(),
            Credentials::OAuth { tokens } => tokens.location_id.as_deref(),
            Credentials::Agency { location_id, .. } => Some(location_id),
        }
    }

    /// The resource HighLevel counts these credentials' requests against:
    /// the location, or the company for agency tokens that name none.
    pub fn resource_id(&self) -> Option<String> {
        if let Some(location) = self.location_id() {
            return Some(location.to_string());
        }
        match self {
            Credentials::OAuth { tokens } => tokens.company_id.clone(),
            _ => None,
        }
    }
}

/// The OAuth client (Marketplace app) credentials used for code exchange and refresh.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OAuthClient {
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: Secret,
}

// Read by hand ([`crate::json`]); fields nobody reads are ignored, as a
// token store may keep its own beside them. `Deserialize` goes through the
// same readers, so each type has one decoder.

impl FromJson for Secret {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        String::from_json(path, value).map(Secret::new)
    }
}

impl FromJson for UserType {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        match value.as_str() {
            Some("Location") => Ok(UserType::Location),
            Some("Company") => Ok(UserType::Company),
            Some(other) => Err(invalid(format!(
                "{path}: unknown variant `{other}`, expected `Location` or `Company`"
            ))),
            None => Err(invalid_type(path, value, "`Location` or `Company`")),
        }
    }
}

impl FromJson for OAuthTokens {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        let mut f = Fields::of(path, value)?;
        let tokens = OAuthTokens {
            access_token: f.required("accessToken")?,
            refresh_token: f.optional("refreshToken")?,
            expires_at_ms: f.optional("expiresAtMs")?,
            user_type: f.optional("userType")?.unwrap_or_default(),
            location_id: f.optional("locationId")?,
            company_id: f.optional("companyId")?,
            scope: f.optional("scope")?,
        };
        // A typo (`refresh_token`) would leave tokens that cannot refresh,
        // silently: refused, as the credentials refuse theirs.
        f.finish()?;
        Ok(tokens)
    }
}

impl FromJson for Credentials {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        let mut f = Fields::of(path, value)?;
        let kind: String = f.required("kind")?;
        let credentials = match kind.as_str() {
            "privateIntegrationToken" => Credentials::PrivateIntegrationToken {
                token: f.required("token")?,
                location_id: f.optional("locationId")?,
            },
            "oauth" => Credentials::OAuth {
                tokens: f.required("tokens")?,
            },
            "agency" => Credentials::Agency {
                tokens: f.required("tokens")?,
                location_id: f.required("locationId")?,
            },
            other => {
                return Err(invalid(format!(
                    "{path}: unknown variant `{other}`, expected one of \
                     `privateIntegrationToken`, `oauth`, `agency`"
                )));
            }
        };
        // A typo (`locationID`) must not be dropped: settings refuse it.
        f.finish()?;
        Ok(credentials)
    }
}

impl FromJson for OAuthClient {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        let mut f = Fields::of(path, value)?;
        let client = OAuthClient {
            client_id: f.required("clientId")?,
            client_secret: f.required("clientSecret")?,
        };
        f.finish()?;
        Ok(client)
    }
}

crate::json::deserialize_from_json!(UserType, OAuthTokens, Credentials, OAuthClient);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print() {
        let c = Credentials::OAuth {
            tokens: OAuthTokens {
                access_token: "at-123".into(),
                refresh_token: Some("rt-456".into()),
                ..Default::default()
            },
        };
        let printed = format!("{c:?} {}", Secret::from("pit-789"));
        assert!(!printed.contains("at-123") && !printed.contains("rt-456"));
        assert!(!printed.contains("pit-789"));
        assert!(printed.contains("redacted"));
    }

    #[test]
    fn json_round_trips_and_bad_input_is_named() {
        let tokens = OAuthTokens {
            access_token: "at".into(),
            refresh_token: Some("rt".into()),
            expires_at_ms: Some(5),
            user_type: UserType::Company,
            location_id: Some("loc".into()),
            company_id: Some("co".into()),
            scope: Some("contacts.readonly".into()),
        };
        for c in [
            Credentials::pit("pit-1"),
            Credentials::PrivateIntegrationToken {
                token: "pit-2".into(),
                location_id: Some("loc".into()),
            },
            Credentials::OAuth {
                tokens: tokens.clone(),
            },
            Credentials::Agency {
                tokens: OAuthTokens {
                    access_token: "a".into(),
                    ..Default::default()
                },
                location_id: "loc".into(),
            },
        ] {
            let v = serde_json::to_value(&c).unwrap();
            assert_eq!(serde_json::from_value::<Credentials>(v.clone()).unwrap(), c);
            assert_eq!(Credentials::from_json("c", &v).unwrap(), c);
        }
        let client = OAuthClient {
            client_id: "id".into(),
            client_secret: "s".into(),
        };
        let v = serde_json::to_value(&client).unwrap();
        assert_eq!(serde_json::from_value::<OAuthClient>(v).unwrap(), client);

        for (bad, needle) in [
            (
                serde_json::json!({"kind": "pit"}),
                "c: unknown variant `pit`",
            ),
            (serde_json::json!({"token": "x"}), "c: missing field `kind`"),
            (
                serde_json::json!({"kind": "oauth", "tokens": {"accessToken": 1}}),
                "c.tokens.accessToken: invalid type: number `1`",
            ),
            (
                serde_json::json!({"kind": "oauth", "tokens": {"accessToken": "a", "userType": "Agency"}}),
                "c.tokens.userType: unknown variant `Agency`",
            ),
            (
                serde_json::json!({"kind": "agency", "tokens": {"accessToken": "a"}}),
                "c: missing field `locationId`",
            ),
            (serde_json::json!("pit-x"), "c: expected an object"),
        ] {
            let e = Credentials::from_json("c", &bad).unwrap_err();
            assert!(e.to_string().contains(needle), "{e} lacks {needle}");
        }
        let e = serde_json::from_value::<OAuthTokens>(serde_json::json!({})).unwrap_err();
        assert!(
            e.to_string()
                .contains("OAuthTokens: missing field `accessToken`"),
            "{e}"
        );
    }
}
