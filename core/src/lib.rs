//! # contacts-core
//!
//! The sans-IO core of libcontacts, an SDK for the HighLevel (GoHighLevel /
//! LeadConnector) Contacts API.
//!
//! Every API operation is a struct with a pure [`Operation::build`] (input →
//! [`HttpRequest`]) and a pure [`Operation::parse`] ([`HttpResponse`] →
//! typed output or [`Error`]). This crate never opens a socket, reads a clock,
//! spawns a thread or sleeps: hosts (or the shells' transports) send the
//! request however they like and hand the response back. The same pairs are
//! reachable by name with JSON through the [`catalog`].
//!
//! ```
//! use contacts_core::{Config, HttpResponse, Operation, ops::contacts::GetContact};
//! let cfg = Config::default().with_token("pit-example");
//! let op = GetContact { contact_id: "abc123".into() };
//! let req = op.build(&cfg).unwrap();
//! assert_eq!(req.header("Version"), Some("2021-07-28"));
//! // ... send `req` with any HTTP client, then:
//! let resp = HttpResponse::new(404, r#"{"statusCode":404,"message":"Contact not found"}"#);
//! let err = op.parse(&resp).unwrap_err();
//! assert_eq!(err.code(), contacts_core::ErrorCode::NotFound);
//! ```
//!
//! Threads: every type here is `Send + Sync` except where noted; nothing
//! blocks.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

/// Text only people read (an operation's summary, its spec's operationId, an
/// event's summary): the literal, or `""` with feature `lean-catalog`, whose
/// binaries carry no prose (the catalog file has it).
#[cfg(not(feature = "lean-catalog"))]
macro_rules! prose {
    ($text:literal) => {
        $text
    };
}
#[cfg(feature = "lean-catalog")]
macro_rules! prose {
    ($text:literal) => {
        ""
    };
}

pub mod actions;
pub mod catalog;
mod config;
mod credentials;
pub mod driver;
pub mod engine;
mod error;
pub mod failpoint;
#[cfg(feature = "mapping")]
pub mod flows;
mod http;
pub mod json;
pub mod lang;
#[cfg(feature = "mapping")]
pub mod mapping;
mod maybe_send;
pub mod models;
#[cfg(feature = "native")]
pub mod native;
pub mod observe;
pub mod ops;
mod required;
mod schema;
mod secret;
pub mod settings;
pub mod state;
#[cfg(feature = "mapping")]
pub mod sync;
pub mod time;
pub mod triggers;
pub mod webhooks;

pub use config::{CONTACTS_API_VERSION, Config, DEFAULT_AUTHORIZE_URL, DEFAULT_BASE_URL};
pub use credentials::{Credentials, OAuthClient, OAuthTokens, Secret, UserType};
pub use error::{Error, ErrorCode, Result};
pub use http::{HttpRequest, HttpResponse, Method};
pub use ops::pagination;
pub use ops::{OpSpec, Operation, Paginated, PaginationKind, TokenClass, parse_response};

/// The crate version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(all(doctest, feature = "native"))]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;
