//! The one loop that drives an engine call over a transport, and the
//! detached credential rule. Every shell's calls go through here.

use super::transport::{SendError, Transport};
use crate::engine::{ApiCall, Engine, Outgoing, Purpose, Step, TransportError, TransportErrorKind};
#[cfg(feature = "fleet")]
use crate::engine::{StoreAnswer, StoreStep};
use crate::state::Lane;
use crate::{Error, ErrorCode, HttpResponse, Result};
use std::sync::Arc;

/// The error of work whose caller gave up.
pub(crate) fn cancelled() -> Error {
    Error::new(ErrorCode::Cancelled, "the call was cancelled")
}

/// Runs one engine call of `op` to the end: sends what the engine says to
/// send, waits what it says to wait, hands every answer back.
pub(crate) async fn drive<T: Transport, A: ApiCall>(
    engine: &Arc<Engine>,
    transport: &T,
    lane: Lane,
    op: A,
) -> Result<A::Output> {
    let op_name = op.spec().name;
    let mut call = engine.call(op);
    call.set_lane(lane);
    loop {
        if transport.cancelled() {
            return Err(cancelled());
        }
        match call.poll(transport.now_ms()) {
            Step::Send(out) => {
                let result = match out.purpose {
                    Purpose::Api => match transport.send(out).await {
                        Ok(resp) => {
                            crate::failpoint::after_response(op_name)?;
                            Ok(resp)
                        }
                        Err(SendError::Cancelled) => return Err(cancelled()),
                        Err(SendError::Transport(e)) => Err(e),
                    },
                    Purpose::Credential(ticket) => {
                        send_credential(engine, transport, out, ticket).await
                    }
                };
                call.on_response(transport.now_ms(), result);
            }
            #[cfg(feature = "fleet")]
            Step::Store(step) => {
                let answer = perform(engine, step, transport.now_ms()).await;
                call.on_store(transport.now_ms(), answer);
            }
            Step::Wait(ms) => transport.sleep(ms).await,
            Step::Done(result) => return result,
        }
    }
}

/// Performs a store step on the engine's fleet store.
#[cfg(feature = "fleet")]
async fn perform(engine: &Arc<Engine>, step: StoreStep, now_ms: u64) -> Result<StoreAnswer> {
    let Some(store) = engine.fleet_store() else {
        return Err(Error::new(
            ErrorCode::FleetUnavailable,
            "the engine asked for its fleet store, and it has none",
        ));
    };
    perform_store_step(store.as_ref(), step, now_ms).await
}

/// Performs one [`StoreStep`] on `store` at `now_ms`: what the driver does
/// with a [`Step::Store`], for hosts that drive an engine's calls by hand.
///
/// Errors: the store's ([`ErrorCode::FleetUnavailable`], [`ErrorCode::State`]).
#[cfg(feature = "fleet")]
pub async fn perform_store_step(
    store: &dyn crate::state::StateStore,
    step: StoreStep,
    now_ms: u64,
) -> Result<StoreAnswer> {
    match step {
        StoreStep::ReserveRate { key, request } => store
            .reserve_rate(&key, request, now_ms)
            .await
            .map(StoreAnswer::Rate),
        StoreStep::Get { key } => store.get(&key, now_ms).await.map(StoreAnswer::Entry),
        StoreStep::Put { key, value, ttl_ms } => store
            .put(&key, &value, ttl_ms, now_ms)
            .await
            .map(|v| StoreAnswer::Written(Some(v))),
        StoreStep::CompareAndSet {
            key,
            expected,
            value,
            ttl_ms,
        } => store
            .compare_and_set(&key, expected, &value, ttl_ms, now_ms)
            .await
            .map(StoreAnswer::Written),
        StoreStep::Delete { key } => store.delete(&key, now_ms).await.map(StoreAnswer::Deleted),
    }
}

/// Sends a credential request (a refresh, a location-token mint) so that its
/// answer reaches the engine even if the call that sent it is dropped or
/// aborted meanwhile: that answer may hold a rotated refresh token that
/// exists nowhere else. Detached where the transport can spawn; otherwise in
/// place, with a guard that fails the ticket if the caller drops it (so no
/// other call waits on it forever).
async fn send_credential<T: Transport>(
    engine: &Arc<Engine>,
    transport: &T,
    out: Outgoing,
    ticket: u64,
) -> std::result::Result<HttpResponse, TransportError> {
    let (tx, rx) = futures_channel::oneshot::channel();
    let detached = transport.detached();
    let owner = engine.clone();
    let task = async move {
        let result = match detached.send(out).await {
            Ok(resp) => match crate::failpoint::after_credential_response() {
                Ok(()) => Ok(resp),
                Err(e) => Err(TransportError::new(TransportErrorKind::Io, e.to_string())),
            },
            Err(SendError::Transport(e)) => Err(e),
            Err(SendError::Cancelled) => Err(TransportError::new(
                TransportErrorKind::Io,
                "the credential request was cancelled by its transport",
            )),
        };
        owner.complete_credential(ticket, detached.now_ms(), result.clone());
        let _ = tx.send(result);
    };
    if let Err(task) = transport.spawn_detached(Box::pin(task)) {
        let _guard = FailTicketOnDrop {
            engine: engine.clone(),
            transport: transport.clone(),
            ticket,
        };
        task.await;
    }
    rx.await.unwrap_or_else(|_| {
        Err(TransportError::new(
            TransportErrorKind::Io,
            "the credential request was lost",
        ))
    })
}

/// Completes a credential ticket as failed when dropped; a no-op once the
/// ticket was completed (the engine ignores a finished ticket).
struct FailTicketOnDrop<T: Transport> {
    engine: Arc<Engine>,
    transport: T,
    ticket: u64,
}

impl<T: Transport> Drop for FailTicketOnDrop<T> {
    fn drop(&mut self) {
        self.engine.complete_credential(
            self.ticket,
            self.transport.now_ms(),
            Err(TransportError::new(
                TransportErrorKind::Io,
                "the call that sent the credential request was dropped",
            )),
        );
    }
}
