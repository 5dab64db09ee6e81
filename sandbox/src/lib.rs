//! contacts-sandbox: a local HighLevel-compatible Contacts API server.
//! Built out by the sandbox issue; this crate reserves its place in the
//! workspace and re-exports the core version it serves.

/// The contacts-core version whose catalog the sandbox serves.
pub const CORE_VERSION: &str = contacts_core::VERSION;
