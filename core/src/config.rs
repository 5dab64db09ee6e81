//! Where requests go and how they are labelled.

use crate::Secret;
use std::collections::BTreeMap;

/// The production API host (fact sheet §1).
pub const DEFAULT_BASE_URL: &str = "https://services.leadconnectorhq.com";
/// The standard OAuth consent page (fact sheet §1, DOC-AUTH).
pub const DEFAULT_AUTHORIZE_URL: &str =
    "https://marketplace.gohighlevel.com/v2/oauth/chooselocation";
/// The `Version` header every Contacts, Businesses, Locations and OAuth operation requires.
pub const CONTACTS_API_VERSION: &str = "2021-07-28";

/// Request-building settings shared by every operation.
///
/// Cheap to clone; holds no connection and no clock.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Scheme, host and optional path prefix, without a trailing slash.
    /// Defaults to [`DEFAULT_BASE_URL`]; point it at a sandbox or another region.
    pub base_url: String,
    /// The bearer token put on requests that need one. The engine replaces it
    /// per attempt; hosts using the sans-IO pair set it themselves.
    pub access_token: Option<Secret>,
    /// `Version` header overrides, keyed by catalog name (`contacts.get`) or
    /// `"*"` for every operation. Without one, each operation sends its own.
    pub version_overrides: BTreeMap<String, String>,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_string(),
            access_token: None,
            version_overrides: BTreeMap::new(),
            user_agent: format!("libcontacts/{}", env!("CARGO_PKG_VERSION")),
        }
    }
}

impl Config {
    /// A config for `base_url` (a trailing `/` is dropped).
    pub fn new(base_url: &str) -> Self {
        Config {
            base_url: base_url.trim_end_matches('/').to_string(),
            ..Config::default()
        }
    }

    /// Sets the bearer token (builder style).
    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// The `Version` header for the operation `name`, whose own default is `default`.
    pub fn version_for<'a>(&'a self, name: &str, default: &'a str) -> &'a str {
        self.version_overrides
            .get(name)
            .or_else(|| self.version_overrides.get("*"))
            .map(String::as_str)
            .unwrap_or(default)
    }
}
