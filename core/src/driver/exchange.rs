//! The OAuth code exchange as an engine call.

use crate::engine::{ApiCall, JsonCall};
use crate::ops::oauth::{ExchangeCode, exchange_user_type, exchanged_tokens};
use crate::{HttpRequest, HttpResponse, OAuthTokens, OpSpec, Operation, Result};
use serde_json::Value;

/// `oauth.exchangeCode` for the engine: its params are read once, its
/// answer kept whole until [`ExchangeCall::tokens`] judges it, so the one
/// rule of whose token it is ([`exchanged_tokens`]) serves every surface.
#[derive(Clone, Debug)]
pub struct ExchangeCall {
    call: JsonCall,
}

impl ExchangeCall {
    /// Reads `params`. Errors with InvalidArgument for bad params, a bad
    /// `userType` included.
    pub fn new(params: Value) -> Result<ExchangeCall> {
        let call = JsonCall::new(ExchangeCode::SPEC.name, params)?;
        // Refused now rather than after the code was spent.
        exchange_user_type(call.params())?;
        Ok(ExchangeCall { call })
    }

    /// The tokens in the endpoint's final answer, received at `now_ms`.
    pub fn tokens(&self, answer: &HttpResponse, now_ms: u64) -> Result<OAuthTokens> {
        exchanged_tokens(self.call.params(), answer, now_ms)
    }
}

impl ApiCall for ExchangeCall {
    type Output = HttpResponse;
    fn spec(&self) -> OpSpec {
        ExchangeCode::SPEC
    }
    fn build(&self, cfg: &crate::Config) -> Result<HttpRequest> {
        self.call.build(cfg)
    }
    fn parse(&self, resp: &HttpResponse) -> Result<HttpResponse> {
        Ok(resp.clone())
    }
}
