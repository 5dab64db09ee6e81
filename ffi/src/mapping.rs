//! The mapping dry run (`contacts_core::mapping`): a template over sample
//! records, every record mapped or every error with its path, nothing sent.

use crate::boundary::boundary;
use crate::checked;
use crate::client::contacts_client;
use crate::error::{Fallible, contacts_code, contacts_error};
use crate::result::contacts_result;
use contacts_core::mapping::{self, MapContext};
use std::os::raw::c_char;

/// `contacts_map_records` flag: map HighLevel records back to host records
/// (a two-way template's reverse).
pub const CONTACTS_MAP_REVERSE: u32 = 1;

/// Maps `records_json` (a JSON array of records) with the mapping template
/// `template_json` and gives the report as JSON in `*result_out` (the
/// caller's): `{"valid", "invalid", "records": [{"index", "record"} |
/// {"index", "errors": [{"path", "target"?, "message"}]}]}`, each error's
/// path naming the record (`members[3].phone`). Invalid records are part of
/// the report, not an error; nothing is ever sent but the definitions'
/// request below.
///
/// A template that names custom fields by key needs the location's
/// definitions: `custom_fields_json` (`locationCustomFields.list`'s result,
/// or a list of definitions), or else `client`, which fetches them (one
/// request, kept for `customFieldsTtlMs`, fetched again once for an unknown
/// key). `client` may be NULL otherwise. `flags`: `CONTACTS_MAP_REVERSE`.
///
/// Errors: `CONTACTS_CODE_INVALID_ARGUMENT` whose message starts with the
/// template's JSON path for a bad template (an unknown transform, a target
/// the record kind lacks, a missing reverse, an unknown key), or for
/// `CONTACTS_MAP_REVERSE` with a one-way template; `INVALID_JSON` for text
/// that is not JSON; the definitions' request's error. Blocks the calling
/// thread while fetching.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_map_records(
    client: *const contacts_client,
    template_json: *const c_char,
    template_len: usize,
    records_json: *const c_char,
    records_len: usize,
    custom_fields_json: *const c_char,
    custom_fields_len: usize,
    flags: u32,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("result_out", result_out)?;
        let template = checked::json("template_json", template_json, template_len)?;
        let records = match checked::json("records_json", records_json, records_len)? {
            serde_json::Value::Array(list) => list,
            _ => {
                return Err(contacts_error::new(
                    contacts_code::InvalidArgument,
                    "records_json must be a JSON array of records",
                ));
            }
        };
        let custom_fields = if custom_fields_json.is_null() && custom_fields_len == 0 {
            None
        } else {
            Some(checked::json(
                "custom_fields_json",
                custom_fields_json,
                custom_fields_len,
            )?)
            .filter(|v| !v.is_null())
        };
        if flags & !CONTACTS_MAP_REVERSE != 0 {
            return Err(contacts_error::new(
                contacts_code::InvalidArgument,
                &format!("flags: unknown bits {:#x}", flags & !CONTACTS_MAP_REVERSE),
            ));
        }
        let reverse = flags & CONTACTS_MAP_REVERSE != 0;
        let report = match (checked::peek(client), custom_fields) {
            (Some(c), None) => {
                c.rt.block_on(c.blocking.map_records(&template, &records, reverse))??
                    .to_json()
            }
            (_, defs) => mapping::map_records_json(
                &template,
                defs.as_ref(),
                &records,
                reverse,
                &MapContext::native(),
            )?,
        };
        out.put(contacts_result::new(&report));
        Ok(())
    })
}

/// The phone reader the mapping uses, for one number: `*result_out` is
/// `{"e164": "+14155552671"}` or `{"error": "unparseable" | "invalid" |
/// "unknownRegion"}`, national numbers read in `region` (`US`).
///
/// Errors only for the arguments (NULL, not UTF-8).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_phone_to_e164(
    text: *const c_char,
    text_len: usize,
    region: *const c_char,
    region_len: usize,
    result_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| -> Fallible<()> {
        use contacts_core::mapping::PhoneNumbers;
        let out = checked::out("result_out", result_out)?;
        let text = checked::text("text", text, text_len)?;
        let region = checked::text("region", region, region_len)?;
        let answer = mapping::LibPhoneNumber.to_e164(text, region);
        out.put(contacts_result::new(&mapping::phone_answer_json(&answer)));
        Ok(())
    })
}
