//! # contacts-wasm
//!
//! libcontacts for JavaScript: the same engine as the native client
//! (credentials, single-flight refresh, rate budget, retries, pagination),
//! compiled to wasm with wasm-bindgen and sending through `fetch` (gloo-net),
//! so it runs in browsers, chat-bot widgets, workers and Node.
//!
//! Exports (see the generated TypeScript for every shape):
//! - `ContactsClient`: `call(name, params, {signal})`, typed groups
//!   (`client.contacts.get({contactId})`), `pages(name, params)` async
//!   iterables, `onTokens(fn)`, `stats()`;
//! - the sans-IO pair `buildRequest` / `parseResponse` and `nextPage`;
//! - `catalog()`, `version()`;
//! - `WebhookVerifier`, `verifyWebhook`, `parseWebhookEvent`;
//! - in the runtime module only (feature `runtime`, `libcontacts/runtime`):
//!   `Condition` and `Template`, the runtime's one condition and template
//!   language; `client.poll`/`watch`, `setStateStore`, fleet mode over
//!   a host store object (`config.fleet.store`), and the event stream and
//!   usage report (`client.on('event', fn)`, `client.usage()`), which the
//!   main module's size budget leaves out;
//! - the OAuth helpers `authorizeUrl` and `exchangeCode`;
//! - `ContactsError`, thrown by all of them.
//!
//! Threads: JS is single-threaded; a client's calls interleave on the event
//! loop and share one engine.
//!
//! The crate is empty on targets other than wasm32, so `cargo build
//! --workspace` on a native host still works (the JS bindings need JS).
#![cfg(target_arch = "wasm32")]

mod client;
#[cfg(feature = "runtime")]
mod events;
#[cfg(feature = "runtime")]
mod fleet;
#[cfg(feature = "runtime")]
mod flows;
#[cfg(feature = "runtime")]
mod host_store;
mod js;
#[cfg(feature = "runtime")]
mod lang;
#[cfg(feature = "runtime")]
mod listeners;
#[cfg(feature = "runtime")]
mod mapping;
#[cfg(feature = "runtime")]
mod poll;
mod sansio;
#[cfg(feature = "runtime")]
mod state;
#[cfg(feature = "runtime")]
mod sync;
mod transport;
mod webhooks;

pub use client::{ContactsClient, Pages};
#[cfg(feature = "runtime")]
pub use lang::{Condition, Template};
pub use sansio::{
    authorize_url, build_request, catalog, exchange_code, next_page, parse_response, version,
};
pub use transport::set_transport;
pub use webhooks::{WebhookVerifier, parse_webhook_event, verify_webhook};

/// Runs when the module is instantiated: time zone names are judged by the
/// JS engine's `Intl`, so the wasm carries no list of them. (Named with `__`
/// so the package does not list it among its exports.)
#[wasm_bindgen::prelude::wasm_bindgen(start)]
fn __libcontacts_start() {
    contacts_core::time::set_zone_checker(js::is_time_zone);
}

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const GENERATED_TYPES: &str = include_str!("generated.d.ts");

#[wasm_bindgen(typescript_custom_section)]
const HAND_TYPES: &str = include_str!("client.d.ts");
