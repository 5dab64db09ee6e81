//! Mapping templates for JS (runtime module): the dry run, with or without
//! a client, and the phone reader the package's phone module provides
//! (passed in by the package's `mapRecords`, which loads that module only
//! for a template that reads phones).

use crate::client::ContactsClient;
use crate::js;
use contacts_core::mapping::{self, MapContext, MappingTemplate, PhoneError, PhoneNumbers};
use serde_json::Value;
use wasm_bindgen::prelude::*;

/// The phone module's `phoneToE164(text, region)`, which answers JSON text.
pub(crate) struct JsPhones(pub(crate) js_sys::Function);

impl PhoneNumbers for JsPhones {
    fn to_e164(&self, text: &str, region: &str) -> Result<String, PhoneError> {
        let answer = self
            .0
            .call2(
                &JsValue::NULL,
                &JsValue::from_str(text),
                &JsValue::from_str(region),
            )
            .ok()
            .and_then(|v| v.as_string())
            .and_then(|t| serde_json::from_str::<Value>(&t).ok());
        match answer {
            Some(v) => match (
                v.get("e164").and_then(Value::as_str),
                v.get("error").and_then(Value::as_str),
            ) {
                (Some(e164), _) => Ok(e164.to_owned()),
                (None, Some(name)) => {
                    Err(PhoneError::from_name(name).unwrap_or(PhoneError::Unparseable))
                }
                (None, None) => Err(PhoneError::Unparseable),
            },
            None => Err(PhoneError::Unparseable),
        }
    }
}

/// `{reverse?, customFields?}`.
struct Options {
    reverse: bool,
    custom_fields: Option<Value>,
}

fn options(value: &JsValue) -> Result<Options, JsValue> {
    let json = js::to_json("options", value)?;
    if !(json.is_null() || json.is_object()) {
        return Err(js::invalid("options must be an object"));
    }
    for key in json.as_object().into_iter().flat_map(|o| o.keys()) {
        if !matches!(key.as_str(), "reverse" | "customFields" | "client") {
            return Err(js::invalid(format!(
                "options.{key}: not an option of mapRecords (reverse, customFields, client)"
            )));
        }
    }
    let reverse = match json.get("reverse") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return Err(js::invalid("options.reverse must be true or false")),
    };
    Ok(Options {
        reverse,
        custom_fields: json.get("customFields").filter(|v| !v.is_null()).cloned(),
    })
}

fn records_of(value: &JsValue) -> Result<Vec<Value>, JsValue> {
    match js::to_json("records", value)? {
        Value::Array(list) => Ok(list),
        _ => Err(js::invalid("records must be an array of records")),
    }
}

/// Whether `template` (checked on load; a bad one throws
/// `INVALID_ARGUMENT` naming its JSON path) reads phone numbers.
#[wasm_bindgen(js_name = mappingUsesPhone)]
pub fn mapping_uses_phone(
    #[wasm_bindgen(unchecked_param_type = "MappingTemplate")] template: JsValue,
) -> Result<bool, JsValue> {
    let json = js::to_json("template", &template)?;
    Ok(MappingTemplate::load(&json)
        .map_err(|e| js::error(&e))?
        .uses_phone())
}

/// The dry run without a client (use the package's `mapRecords`, which
/// passes the phone reader). `options.customFields`: the location's
/// definitions, needed for keys.
#[wasm_bindgen(js_name = mapRecordsWith, unchecked_return_type = "MapReport")]
pub fn map_records_with(
    #[wasm_bindgen(unchecked_param_type = "MappingTemplate")] template: JsValue,
    records: JsValue,
    #[wasm_bindgen(unchecked_param_type = "MapOptions")] options_value: JsValue,
    phones: Option<js_sys::Function>,
) -> Result<JsValue, JsValue> {
    let template = js::to_json("template", &template)?;
    let records = records_of(&records)?;
    let o = options(&options_value)?;
    let phones = phones.map(JsPhones);
    let offsets = |zone: &str, utc_ms: i64| js::zone_offset_s(zone, utc_ms);
    let cx = MapContext {
        phones: phones.as_ref().map(|p| p as &dyn PhoneNumbers),
        zone_offsets: &offsets,
    };
    let report = mapping::map_records_json(
        &template,
        o.custom_fields.as_ref(),
        &records,
        o.reverse,
        &cx,
    )
    .map_err(|e| js::error(&e))?;
    Ok(js::from_json(&report))
}

#[wasm_bindgen]
impl ContactsClient {
    /// The dry run through this client, which fetches the location's
    /// definitions for a template that names keys (kept for
    /// `customFieldsTtlMs`) unless `options.customFields` gives them. Use
    /// the package's `mapRecords(template, records, {client})`.
    #[wasm_bindgen(js_name = mapRecordsWith, unchecked_return_type = "Promise<MapReport>")]
    pub fn map_records_with(
        &self,
        #[wasm_bindgen(unchecked_param_type = "MappingTemplate")] template: JsValue,
        records: JsValue,
        #[wasm_bindgen(unchecked_param_type = "MapOptions")] options_value: JsValue,
        phones: Option<js_sys::Function>,
    ) -> js_sys::Promise {
        let prepared = (|| -> Result<_, JsValue> {
            Ok((
                js::to_json("template", &template)?,
                records_of(&records)?,
                options(&options_value)?,
            ))
        })();
        let driver = self.inner.base.borrow().clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let (template, records, o) = prepared?;
            let phones = phones.map(JsPhones);
            let phones = phones.as_ref().map(|p| p as &dyn PhoneNumbers);
            let report = match o.custom_fields {
                Some(defs) => {
                    let offsets = |zone: &str, utc_ms: i64| js::zone_offset_s(zone, utc_ms);
                    let cx = MapContext {
                        phones,
                        zone_offsets: &offsets,
                    };
                    mapping::map_records_json(&template, Some(&defs), &records, o.reverse, &cx)
                        .map_err(|e| js::error(&e))?
                }
                None => driver
                    .map_records(&template, &records, o.reverse, phones)
                    .await
                    .map_err(|e| js::error(&e))?
                    .to_json(),
            };
            Ok(js::from_json(&report))
        })
    }
}
