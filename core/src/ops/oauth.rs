//! OAuth 2.0: the consent URL, code exchange, refresh, agency → location
//! tokens, installed locations (fact sheet §2.2 – §2.4).

use super::FormValue::{Fixed, Param};
use super::Paginated;
use super::contacts::READ;
use super::pagination::Pages;
use super::{
    OpSpec, Operation, PaginationKind, Params, TokenClass, encode_component, require,
    require_texts_of,
};
use crate::config::DEFAULT_AUTHORIZE_URL;
use crate::json::{Fields, FromJson};
use crate::models::{InstalledLocationsResponse, TokenResponse};
use crate::{Error, HttpResponse, Method, Result, Secret, UserType};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// `/oauth/token`: no bearer, no `Version`, form-encoded, secrets both ways.
const TOKEN: OpSpec = OpSpec {
    name: "",
    operation_id: prose!("get-access-token"),
    summary: prose!(""),
    method: Method::Post,
    path: "/oauth/token",
    scope: None,
    version: None,
    idempotent: false,
    success_status: 200,
    bearer: false,
    sensitive: true,
    deprecated: false,
    pagination: PaginationKind::None,
    params: Params::ByMethod,
    path_names: &[],
    fixed: &[],
    token: TokenClass::Any,
};

/// Parses the token endpoint's answer to `spec` (one of the three token
/// calls): a 2xx body read by [`TokenResponse`]'s one decoder, anything else
/// classified. Never keeps the raw body: it holds tokens. The engine's
/// refresh, the typed calls and the JS package's `exchangeCode` use this.
pub fn parse_token_response(spec: &OpSpec, resp: &HttpResponse) -> Result<TokenResponse> {
    let body: Value = crate::ops::parse_response(spec, resp)?;
    TokenResponse::from_json("result", &body).map_err(|e| {
        Error::decode(
            format!(
                "{}: response body is not the expected JSON: {}",
                spec.name,
                e.message()
            ),
            resp,
            spec.sensitive,
        )
    })
}

/// The tokens to store from the answer to an `oauth.exchangeCode` call made
/// with JSON `params` (already read by [`crate::catalog::build`]), given the
/// time the answer arrived. Whose token it is comes from the answer, else
/// from `params.userType`, else Location. For hosts that send the request
/// themselves (sans-IO); [`crate::driver::Driver::exchange_code`] does the
/// same through the engine.
///
/// Errors as [`parse_token_response`]; InvalidArgument for a bad `userType`.
pub fn exchanged_tokens(
    params: &Value,
    resp: &HttpResponse,
    received_at_ms: u64,
) -> Result<crate::OAuthTokens> {
    let user_type = exchange_user_type(params)?;
    let answer = parse_token_response(&ExchangeCode::SPEC, resp)?;
    Ok(answer.into_tokens(received_at_ms, user_type))
}

/// Whose token a code exchange with `params` asks for: `params.userType`,
/// Location when absent. Errors with InvalidArgument for a bad value.
pub fn exchange_user_type(params: &Value) -> Result<UserType> {
    match params.get("userType").filter(|t| !t.is_null()) {
        Some(t) => UserType::from_json("params.userType", t),
        None => Ok(UserType::Location),
    }
}

/// The consent page URL an admin is sent to (step 1 of the code flow).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct AuthorizeUrl {
    /// The app's client id.
    pub client_id: String,
    /// Where HighLevel sends the admin back with `?code=…&state=…`.
    pub redirect_uri: String,
    /// Scopes to ask for, e.g. `contacts.readonly`.
    pub scopes: Vec<String>,
    /// An unguessable value tied to the admin's session; check it on the
    /// callback to stop cross-site request forgery. Required.
    pub state: String,
    /// The consent page; defaults to the standard (non-white-label) one.
    pub authorize_base_url: Option<String>,
    /// Open the consent page in the same window (`loginWindowOpenMode=self`).
    pub same_window: Option<bool>,
}

/// Read by hand ([`crate::json`]) for the JSON surfaces; an unknown field
/// is refused. `Deserialize` goes through this too.
impl FromJson for AuthorizeUrl {
    fn from_json(path: &str, value: &Value) -> Result<Self> {
        let mut f = Fields::of(path, value)?;
        let url = AuthorizeUrl {
            client_id: f.required("clientId")?,
            redirect_uri: f.required("redirectUri")?,
            scopes: f.required("scopes")?,
            state: f.required("state")?,
            authorize_base_url: f.optional("authorizeBaseUrl")?,
            same_window: f.optional("sameWindow")?,
        };
        f.finish()?;
        Ok(url)
    }
}

crate::json::deserialize_from_json!(AuthorizeUrl);

impl AuthorizeUrl {
    /// The URL, with every value percent-encoded.
    pub fn build(&self) -> Result<String> {
        require("clientId", &self.client_id)?;
        require("redirectUri", &self.redirect_uri)?;
        require("state", &self.state)?;
        if self.scopes.is_empty() {
            return Err(Error::invalid_argument(
                "scopes must name at least one scope",
            ));
        }
        let base = self
            .authorize_base_url
            .as_deref()
            .unwrap_or(DEFAULT_AUTHORIZE_URL);
        let mut url = format!(
            "{base}?response_type=code&redirect_uri={}&client_id={}&scope={}&state={}",
            encode_component(&self.redirect_uri),
            encode_component(&self.client_id),
            encode_component(&self.scopes.join(" ")),
            encode_component(&self.state),
        );
        if self.same_window == Some(true) {
            url.push_str("&loginWindowOpenMode=self");
        }
        Ok(url)
    }
}

/// `POST /oauth/token` with `grant_type=authorization_code`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ExchangeCode {
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: Secret,
    /// The `code` from the callback.
    pub code: String,
    /// The redirect URI used in the authorize step.
    pub redirect_uri: Option<String>,
    /// `Location` or `Company`.
    pub user_type: Option<UserType>,
}

impl Operation for ExchangeCode {
    type Output = TokenResponse;
    const SPEC: OpSpec = OpSpec {
        name: "oauth.exchangeCode",
        summary: prose!("Exchange an authorization code for tokens."),
        params: Params::Form(&[
            ("client_id", Param("clientId")),
            ("client_secret", Param("clientSecret")),
            ("grant_type", Fixed("authorization_code")),
            ("code", Param("code")),
            ("user_type", Param("userType")),
            ("redirect_uri", Param("redirectUri")),
        ]),
        ..TOKEN
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["clientId", "clientSecret", "code"])
    }
    fn parse(&self, resp: &HttpResponse) -> Result<TokenResponse> {
        parse_token_response(&Self::SPEC, resp)
    }
}

/// `POST /oauth/token` with `grant_type=refresh_token`. Never retried: the
/// refresh token rotates, so a lost answer must not be asked for twice.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct RefreshToken {
    /// The app's client id.
    pub client_id: String,
    /// The app's client secret.
    pub client_secret: Secret,
    /// The current refresh token.
    pub refresh_token: Secret,
    /// Whose token it is.
    #[serde(default)]
    pub user_type: UserType,
}

impl Operation for RefreshToken {
    type Output = TokenResponse;
    const SPEC: OpSpec = OpSpec {
        name: "oauth.refreshToken",
        summary: prose!("Refresh an access token (the refresh token rotates)."),
        params: Params::Form(&[
            ("client_id", Param("clientId")),
            ("client_secret", Param("clientSecret")),
            ("grant_type", Fixed("refresh_token")),
            ("refresh_token", Param("refreshToken")),
            ("user_type", Param("userType")),
        ]),
        ..TOKEN
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["clientId", "clientSecret", "refreshToken"])
    }
    fn parse(&self, resp: &HttpResponse) -> Result<TokenResponse> {
        parse_token_response(&Self::SPEC, resp)
    }
}

/// `POST /oauth/locationToken`: an agency token mints a location token.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetLocationToken {
    /// The agency.
    pub company_id: String,
    /// The location to mint a token for.
    pub location_id: String,
}

impl Operation for GetLocationToken {
    type Output = TokenResponse;
    const SPEC: OpSpec = OpSpec {
        name: "oauth.locationToken",
        operation_id: prose!("get-location-access-token"),
        summary: prose!("Mint a location token from an agency token."),
        path: "/oauth/locationToken",
        method: Method::Post,
        scope: Some("oauth.write"),
        sensitive: true,
        params: Params::Form(&[
            ("companyId", Param("companyId")),
            ("locationId", Param("locationId")),
        ]),
        token: TokenClass::Agency,
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["companyId", "locationId"])
    }
    fn parse(&self, resp: &HttpResponse) -> Result<TokenResponse> {
        parse_token_response(&Self::SPEC, resp)
    }
}

/// `GET /oauth/installedLocations` (agency token).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListInstalledLocations {
    /// The agency.
    pub company_id: String,
    /// The app.
    pub app_id: String,
    /// How many to skip.
    pub skip: Option<u64>,
    /// Page size (the API's default is 20).
    pub limit: Option<u32>,
    /// Name filter.
    pub query: Option<String>,
    /// Only locations where the app is (or is not) installed.
    pub is_installed: Option<bool>,
}

impl Operation for ListInstalledLocations {
    type Output = InstalledLocationsResponse;
    const SPEC: OpSpec = OpSpec {
        name: "oauth.installedLocations",
        operation_id: prose!("get-installed-location"),
        summary: prose!("List the locations where an app is installed."),
        path: "/oauth/installedLocations",
        scope: Some("oauth.readonly"),
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&[
            "companyId",
            "appId",
            "skip",
            "limit",
            "query",
            "isInstalled",
        ]),
        token: TokenClass::Agency,
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_texts_of(params, &["companyId", "appId"])
    }
}

impl Paginated for ListInstalledLocations {
    const PAGES: Pages = Pages {
        items: "locations",
        limit: "limit",
        default_limit: Some(20),
    };
}

/// The token response read by hand ([`crate::json`]), here beside the
/// operations that return it (the models know no operation); fields it does
/// not model land in
/// `extra`. `Deserialize` goes through this too. The v3 spellings are the
/// schema's `x-aliases` (declared once, on the fields above): the schema
/// route renames them first, and refuses a field given in both spellings.
impl FromJson for TokenResponse {
    fn from_json(path: &str, value: &Value) -> crate::Result<Self> {
        let name = <ExchangeCode as Operation>::SPEC.name;
        let value = crate::schema::conform_result_at(name, value.clone(), path)
            .map_err(crate::json::invalid)?;
        let mut f = Fields::of(path, &value)?;
        let access_token = f.required("access_token")?;
        Ok(TokenResponse {
            access_token,
            token_type: f.optional("token_type")?,
            expires_in: f.optional("expires_in")?,
            refresh_token: f.optional("refresh_token")?,
            scope: f.optional("scope")?,
            user_type: f.optional("userType")?,
            location_id: f.optional("locationId")?,
            company_id: f.optional("companyId")?,
            user_id: f.optional("userId")?,
            extra: f.rest(),
        })
    }
}

crate::json::deserialize_from_json!(TokenResponse);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn exchanged_tokens_say_whose_token_it_is() {
        let resp = HttpResponse::new(200, r#"{"access_token":"at","expires_in":10}"#);
        let t = exchanged_tokens(&json!({"userType": "Company"}), &resp, 5_000).unwrap();
        assert_eq!(
            (t.user_type, t.expires_at_ms),
            (UserType::Company, Some(15_000))
        );
        let t = exchanged_tokens(&json!({}), &resp, 0).unwrap();
        assert_eq!(t.user_type, UserType::Location);
        let resp = HttpResponse::new(200, r#"{"access_token":"at","userType":"Location"}"#);
        let t = exchanged_tokens(&json!({"userType": "Company"}), &resp, 0).unwrap();
        assert_eq!(t.user_type, UserType::Location, "the answer wins");
        let e = exchanged_tokens(&json!({"userType": "Agency"}), &resp, 0).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::InvalidArgument);
        let e = exchanged_tokens(&json!({}), &HttpResponse::new(200, "{"), 0).unwrap_err();
        assert_eq!(e.code(), crate::ErrorCode::Decode);
        assert!(e.raw_body().is_none(), "token answers are never kept");
    }

    #[test]
    fn authorize_params_are_read_strictly() {
        let ok = json!({"clientId": "a", "redirectUri": "r", "scopes": ["x"], "state": "s",
                        "sameWindow": true});
        let p = AuthorizeUrl::from_json("params", &ok).unwrap();
        assert!(p.build().unwrap().ends_with("&loginWindowOpenMode=self"));
        for (bad, needle) in [
            (
                json!({"clientId": "a", "redirectUri": "r", "scopes": ["x"], "state": "s", "samewindow": true}),
                "params: unknown field `samewindow`",
            ),
            (
                json!({"clientId": "a", "redirectUri": "r", "scopes": "x", "state": "s"}),
                "params.scopes: invalid type",
            ),
            (
                json!({"clientId": "a"}),
                "params: missing field `redirectUri`",
            ),
        ] {
            let e = AuthorizeUrl::from_json("params", &bad).unwrap_err();
            assert_eq!(e.code(), crate::ErrorCode::InvalidArgument);
            assert!(e.message().contains(needle), "{e} lacks {needle}");
        }
    }
}
