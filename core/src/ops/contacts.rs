//! Contacts: get, create, update, delete, upsert, list, search, duplicates,
//! by business, bulk business.

use super::Paginated;
use super::pagination::{Pages, SEARCH_PAGE_WINDOW};
use super::{OpSpec, Operation, PaginationKind, Params, require_text, require_texts, text};
use crate::models::{
    BulkBusinessResponse, ContactFields, ContactListResponse, ContactResponse, DuplicateResponse,
    Filter, Sort, SucceededResponse,
};
use crate::{CONTACTS_API_VERSION, Error, HttpResponse, Method, Result};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

/// The defaults every Contacts API read shares; operations override the rest.
pub(crate) const READ: OpSpec = OpSpec {
    name: "",
    operation_id: prose!(""),
    summary: prose!(""),
    method: Method::Get,
    path: "",
    scope: Some("contacts.readonly"),
    version: Some(CONTACTS_API_VERSION),
    idempotent: true,
    success_status: 200,
    bearer: true,
    sensitive: false,
    deprecated: false,
    pagination: PaginationKind::None,
    params: super::Params::ByMethod,
    path_names: &[],
    fixed: &[],
    token: super::TokenClass::Location,
};

/// The defaults every Contacts API write shares.
pub(crate) const WRITE: OpSpec = OpSpec {
    scope: Some("contacts.write"),
    ..READ
};

/// The largest `pageLimit` search accepts.
pub const SEARCH_MAX_PAGE_LIMIT: u32 = 500;
/// The largest `limit` of `GET /contacts/`.
pub const LIST_MAX_LIMIT: u32 = 100;

/// `GET /contacts/{contactId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct GetContact {
    /// The contact id.
    pub contact_id: String,
}

impl Operation for GetContact {
    type Output = ContactResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.get",
        operation_id: prose!("get-contact"),
        summary: prose!("Get a contact by id."),
        path: "/contacts/{contactId}",
        ..READ
    };
}

/// `POST /contacts/`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct CreateContact {
    /// The location to create the contact in.
    pub location_id: String,
    /// Gender.
    pub gender: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// The contact's fields.
    #[serde(flatten)]
    pub fields: ContactFields,
}

impl Operation for CreateContact {
    type Output = ContactResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.create",
        operation_id: prose!("create-contact"),
        summary: prose!("Create a contact."),
        method: Method::Post,
        path: "/contacts/",
        idempotent: false,
        success_status: 201,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        crate::models::check_custom_fields(params)
    }
}

/// `PUT /contacts/{contactId}`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpdateContact {
    /// The contact id.
    pub contact_id: String,
    /// The fields to change; absent fields are left as they are.
    #[serde(flatten)]
    pub fields: ContactFields,
}

impl Operation for UpdateContact {
    type Output = ContactResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.update",
        operation_id: prose!("update-contact"),
        summary: prose!("Update a contact (tags given here replace all tags)."),
        method: Method::Put,
        path: "/contacts/{contactId}",
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        crate::models::check_custom_fields(params)
    }
}

/// `DELETE /contacts/{contactId}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeleteContact {
    /// The contact id.
    pub contact_id: String,
}

impl Operation for DeleteContact {
    type Output = SucceededResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.delete",
        operation_id: prose!("delete-contact"),
        summary: prose!("Delete a contact."),
        method: Method::Delete,
        path: "/contacts/{contactId}",
        ..WRITE
    };
}

/// `POST /contacts/upsert`: update the contact matching email or phone (by
/// the location's duplicate settings), or create one.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct UpsertContact {
    /// The location.
    pub location_id: String,
    /// Gender.
    pub gender: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// Create a new contact even if one matches, where the location allows duplicates.
    pub create_new_if_duplicate_allowed: Option<bool>,
    /// The contact's fields.
    #[serde(flatten)]
    pub fields: ContactFields,
}

impl Operation for UpsertContact {
    type Output = ContactResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.upsert",
        operation_id: prose!("upsert-contact"),
        summary: prose!("Create or update a contact matched by email or phone."),
        method: Method::Post,
        path: "/contacts/upsert",
        idempotent: false,
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        if text(params, "email").is_empty() && text(params, "phone").is_empty() {
            return Err(Error::invalid_argument(
                "upsert needs an email or a phone to match on",
            ));
        }
        crate::models::check_custom_fields(params)
    }
    /// The answer, with `dropped`: what the upsert sent that HighLevel did
    /// not keep.
    fn parse(&self, resp: &HttpResponse) -> Result<ContactResponse> {
        let mut out: ContactResponse = super::parse_response(&Self::SPEC, resp)?;
        let encode = |e: serde_json::Error| Error::protocol(format!("{}: {e}", Self::SPEC.name));
        let sent = serde_json::to_value(self).map_err(encode)?;
        let got = serde_json::to_value(&out.contact).map_err(encode)?;
        let lost = super::honest::dropped(sent.as_object().unwrap_or(&Map::new()), &got);
        if !lost.is_empty() {
            out.dropped = Some(serde_json::from_value(Value::Array(lost)).map_err(encode)?);
        }
        Ok(out)
    }
    const REPORTS: bool = true;
    fn report(params: &Map<String, Value>, result: &mut Value) {
        let lost = super::honest::dropped(params, &result["contact"]);
        if let (false, Some(result)) = (lost.is_empty(), result.as_object_mut()) {
            result.insert("dropped".into(), Value::Array(lost));
        }
    }
}

/// `GET /contacts/` (deprecated by HighLevel in favour of search, but the only
/// cursor that walks a whole location in creation order).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListContacts {
    /// The location.
    pub location_id: String,
    /// Page size, 1 to 100 (the API's default is 20).
    pub limit: Option<u32>,
    /// Cursor: the epoch-ms `startAfter` from the previous page's `meta`.
    pub start_after: Option<u64>,
    /// Cursor: the `startAfterId` from the previous page's `meta`.
    pub start_after_id: Option<String>,
    /// Full-text query.
    pub query: Option<String>,
}

impl Operation for ListContacts {
    type Output = ContactListResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.list",
        operation_id: prose!("get-contacts"),
        summary: prose!(
            "List contacts of a location, oldest first (deprecated upstream; prefer contacts.search)."
        ),
        path: "/contacts/",
        deprecated: true,
        pagination: PaginationKind::StartAfter,
        params: Params::Query(&["locationId", "limit", "startAfterId", "startAfter", "query"]),
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        if let Some(l) = params.get("limit").and_then(Value::as_u64) {
            if !(1..=u64::from(LIST_MAX_LIMIT)).contains(&l) {
                return Err(Error::invalid_argument(format!(
                    "limit must be 1 to {LIST_MAX_LIMIT}, got {l}"
                )));
            }
        }
        Ok(())
    }
}

/// `POST /contacts/search` (body documented in fact sheet §4.2).
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct SearchContacts {
    /// The location.
    pub location_id: String,
    /// Page size, 1 to 500.
    pub page_limit: u32,
    /// 1-based page, while `page × pageLimit` ≤ 10,000. Not with `searchAfter`.
    pub page: Option<u64>,
    /// Cursor: the `searchAfter` of the previous page's last contact.
    pub search_after: Option<Vec<Value>>,
    /// Filters, joined by AND.
    pub filters: Option<Vec<Filter>>,
    /// Sort keys.
    pub sort: Option<Vec<Sort>>,
    /// Full-text query over searchable fields (at most 75 characters).
    pub query: Option<String>,
}

impl Operation for SearchContacts {
    type Output = ContactListResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.search",
        operation_id: prose!("search-contacts-advanced"),
        summary: prose!("Search contacts with filters, sort and paging."),
        method: Method::Post,
        path: "/contacts/search",
        pagination: PaginationKind::SearchAfter,
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        let page_limit = params
            .get("pageLimit")
            .and_then(Value::as_u64)
            .unwrap_or_default();
        if !(1..=u64::from(SEARCH_MAX_PAGE_LIMIT)).contains(&page_limit) {
            return Err(Error::invalid_argument(format!(
                "pageLimit must be 1 to {SEARCH_MAX_PAGE_LIMIT}, got {page_limit}"
            )));
        }
        let page = params.get("page").and_then(Value::as_u64);
        if page.is_some() && params.get("searchAfter").is_some_and(|v| !v.is_null()) {
            return Err(Error::invalid_argument(
                "page and searchAfter cannot be sent together",
            ));
        }
        if let Some(page) = page {
            if page == 0 || page.saturating_mul(page_limit) > SEARCH_PAGE_WINDOW {
                return Err(Error::invalid_argument(format!(
                    "page {page} × pageLimit {page_limit} is outside the first {SEARCH_PAGE_WINDOW} records; use searchAfter"
                )));
            }
        }
        if text(params, "query").chars().count() > crate::models::MAX_FILTER_VALUE_CHARS {
            return Err(Error::invalid_argument(
                "query is longer than 75 characters",
            ));
        }
        let filters = params.get("filters").and_then(Value::as_array);
        filters
            .into_iter()
            .flatten()
            .try_for_each(crate::models::check_filter)
    }
}

/// `GET /contacts/search/duplicate`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct FindDuplicateContact {
    /// The location.
    pub location_id: String,
    /// Phone number to match (sent percent-encoded, so `+` survives).
    pub number: Option<String>,
    /// Email to match.
    pub email: Option<String>,
}

impl Operation for FindDuplicateContact {
    type Output = DuplicateResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.findDuplicate",
        operation_id: prose!("get-duplicate-contact"),
        summary: prose!("Find the contact a new one with this email or phone would duplicate."),
        path: "/contacts/search/duplicate",
        params: Params::Query(&["locationId", "number", "email"]),
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        let given = |name| params.get(name).is_some_and(|v| !v.is_null());
        if !given("number") && !given("email") {
            return Err(Error::invalid_argument(
                "give a number or an email to match",
            ));
        }
        Ok(())
    }
}

/// `GET /contacts/business/{businessId}`.
#[skip_serializing_none]
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct ListContactsByBusiness {
    /// The business.
    pub business_id: String,
    /// The location.
    pub location_id: String,
    /// Page size (the API's default is 25).
    pub limit: Option<u32>,
    /// How many to skip.
    pub skip: Option<u64>,
    /// Full-text query.
    pub query: Option<String>,
}

impl Operation for ListContactsByBusiness {
    type Output = ContactListResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.listByBusiness",
        operation_id: prose!("get-contacts-by-businessId"),
        summary: prose!("List the contacts of a business."),
        path: "/contacts/business/{businessId}",
        pagination: PaginationKind::SkipLimit,
        params: Params::Query(&["limit", "locationId", "skip", "query"]),
        ..READ
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")
    }
}

/// `POST /contacts/bulk/business`: attach contacts to a business, or detach
/// them with `businessId: null`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase")]
pub struct BulkUpdateBusiness {
    /// The location.
    pub location_id: String,
    /// The contacts.
    pub ids: Vec<String>,
    /// The business, or null to remove the contacts from their business.
    /// Always sent: absent means null.
    #[serde(default)]
    pub business_id: Option<String>,
}

impl Operation for BulkUpdateBusiness {
    type Output = BulkBusinessResponse;
    const SPEC: OpSpec = OpSpec {
        name: "contacts.bulkBusiness",
        operation_id: prose!("add-remove-contact-from-business"),
        summary: prose!("Add contacts to a business, or remove them (businessId null)."),
        method: Method::Post,
        path: "/contacts/bulk/business",
        ..WRITE
    };
    fn check(params: &Map<String, Value>) -> Result<()> {
        require_text(params, "locationId")?;
        require_texts(params, "ids")
    }
}

impl Paginated for ListContacts {
    /// `limit` defaults to 20.
    const PAGES: Pages = Pages {
        items: "contacts",
        limit: "limit",
        default_limit: Some(20),
    };
}

impl Paginated for SearchContacts {
    const PAGES: Pages = Pages {
        items: "contacts",
        limit: "pageLimit",
        default_limit: None,
    };
}

impl Paginated for ListContactsByBusiness {
    const PAGES: Pages = Pages {
        items: "contacts",
        limit: "limit",
        default_limit: Some(25),
    };
}
