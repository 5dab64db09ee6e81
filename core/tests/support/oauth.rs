//! The OAuth engine the engine and driver suites script against: a location
//! token set `at-1` / `rt-1` expiring at `expires_at_ms`, the app `app` /
//! `secret`, and an optional token store. Included with `#[path]`.

use contacts_core::engine::{Engine, EngineConfig, TokenStore};
use contacts_core::{Credentials, OAuthClient, OAuthTokens, UserType};
use std::sync::Arc;

/// An engine on OAuth tokens that expire at `expires_at_ms`.
pub fn oauth_engine(expires_at_ms: u64, store: Option<Arc<dyn TokenStore>>) -> Arc<Engine> {
    let mut cfg = EngineConfig::new(Credentials::OAuth {
        tokens: OAuthTokens {
            access_token: "at-1".into(),
            refresh_token: Some("rt-1".into()),
            expires_at_ms: Some(expires_at_ms),
            user_type: UserType::Location,
            location_id: Some("loc".into()),
            ..Default::default()
        },
    });
    cfg.oauth_client = Some(OAuthClient {
        client_id: "app".into(),
        client_secret: "secret".into(),
    });
    cfg.token_store = store;
    Engine::new(cfg)
}
