//! `MaybeSend` and `MaybeSync`: the thread bounds that are real on native
//! platforms and absent on wasm32. Here, at the bottom of the core, because
//! the state store and the driver both bound their futures by them.

/// `Send` on platforms with threads; no bound at all on wasm32, where
/// JavaScript values (an `AbortSignal`, a host function) are not `Send` and
/// there is only one thread. Transports, their futures and driver futures
/// carry this bound, so native futures stay `Send` and wasm ones need not be.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSend: Send {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Send + ?Sized> MaybeSend for T {}

/// `Send` on platforms with threads; no bound at all on wasm32 (see the
/// native definition).
#[cfg(target_arch = "wasm32")]
pub trait MaybeSend {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSend for T {}

/// `Sync` on platforms with threads; no bound at all on wasm32.
#[cfg(not(target_arch = "wasm32"))]
pub trait MaybeSync: Sync {}
#[cfg(not(target_arch = "wasm32"))]
impl<T: Sync + ?Sized> MaybeSync for T {}

/// `Sync` on platforms with threads; no bound at all on wasm32.
#[cfg(target_arch = "wasm32")]
pub trait MaybeSync {}
#[cfg(target_arch = "wasm32")]
impl<T: ?Sized> MaybeSync for T {}
