//! Fleet mode: processes that share one rate budget per (app, location)
//! through a store (Redis, or a host's store object in JS). The engine still
//! decides everything; it only asks the store to apply the rate rule
//! atomically ([`crate::state::StateStore::reserve_rate`]), as a step the
//! driver performs like a send ([`super::Step::Store`]).

#[cfg(feature = "fleet")]
use crate::credentials::Credentials;
use crate::state::StateStore;
#[cfg(feature = "fleet")]
use sha2::{Digest, Sha256};
use std::sync::Arc;

/// What a call does when the fleet store cannot be reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WhenUnavailable {
    /// Fail the call with [`crate::ErrorCode::FleetUnavailable`]: no request
    /// is sent on a budget the fleet cannot count.
    FailClosed,
    /// Go on with a local budget of this share of the limit (a percentage,
    /// 1 to 100): with N processes, 100 / N keeps the fleet within it.
    LocalShare {
        /// Percent of the limit.
        percent: u32,
    },
}

/// A fleet: the store every process shares, and the policy when it is away.
#[derive(Clone)]
pub struct Fleet {
    /// The shared store; for Redis, opened for the credentials' location.
    pub store: Arc<dyn StateStore>,
    /// What to do without it.
    pub when_unavailable: WhenUnavailable,
    /// How long a process may hold the lease to renew a shared token set
    /// (default 10 s): a holder that died is replaced after this long.
    pub lease_ms: u64,
}

/// The default token lease.
pub const DEFAULT_LEASE_MS: u64 = 10_000;

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("when_unavailable", &self.when_unavailable)
            .field("lease_ms", &self.lease_ms)
            .finish_non_exhaustive()
    }
}

/// The key of the budget HighLevel counts: per app (the OAuth client id,
/// or a hash of the Private Integration Token, which is its own app) and per
/// resource (the store is opened for the location or company, so the
/// resource is in the key's prefix).
#[cfg(feature = "fleet")]
pub(crate) fn budget_key(credentials: &Credentials, oauth_client_id: Option<&str>) -> String {
    match (credentials, oauth_client_id) {
        (Credentials::PrivateIntegrationToken { token, .. }, _) => {
            let digest = Sha256::digest(token.expose().as_bytes());
            let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
            format!("rate:pit-{hex}")
        }
        (_, Some(client)) => format!("rate:{client}"),
        (_, None) => "rate:oauth".into(),
    }
}
