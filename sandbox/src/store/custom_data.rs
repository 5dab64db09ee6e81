//! A location's custom field definitions (contact fields with `fieldKey`,
//! data types and picklist options; custom object and company fields, v2)
//! and its custom values.

use super::{ApiError, Call, Location, Reply, Store, object, require_str, unserved};
use contacts_core::models::{CustomFieldDefinition, CustomValue, ObjectCustomField};
use serde_json::{Map, Value, json};

/// The data types a contact custom field may have.
const DATA_TYPES: [&str; 14] = [
    "TEXT",
    "LARGE_TEXT",
    "NUMERICAL",
    "PHONE",
    "MONETORY",
    "CHECKBOX",
    "SINGLE_OPTIONS",
    "MULTIPLE_OPTIONS",
    "DATE",
    "TEXTBOX_LIST",
    "FILE_UPLOAD",
    "RADIO",
    "EMAIL",
    "SIGNATURE",
];

/// `contact.favourite_colour` from `Favourite colour`.
fn key_of(prefix: &str, name: &str) -> String {
    let mut key = String::from(prefix);
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.ends_with('.') {
            key.push('_');
        }
    }
    key.trim_end_matches('_').to_string()
}

fn text<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    body.get(name).and_then(Value::as_str)
}

fn required(body: &Map<String, Value>, names: &[&str]) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    for name in names {
        require_str(body, name, &mut errs);
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errs))
    }
}

impl Location {
    fn field_mut(&mut self, id: &str) -> Result<&mut CustomFieldDefinition, ApiError> {
        self.custom_fields
            .iter_mut()
            .find(|f| f.id.as_deref() == Some(id))
            .ok_or_else(|| ApiError::new(404, "Custom field not found"))
    }
}

impl Store {
    /// Serves the custom field and custom value operations.
    pub(super) fn custom_data(&mut self, op: &str, cx: Call) -> Reply {
        let Call {
            who, req, now_ms, ..
        } = cx;
        let id = req.path("id").to_string();
        match op {
            "locationCustomFields.list" => {
                let model = req.query("model").unwrap_or("all").to_string();
                let l = self.location(who, req.path("locationId"))?;
                let fields: Vec<&CustomFieldDefinition> = l
                    .custom_fields
                    .iter()
                    .filter(|f| model == "all" || f.model.as_deref() == Some(model.as_str()))
                    .collect();
                Ok((200, json!({"customFields": fields})))
            }
            "locationCustomFields.get" => {
                let l = self.location(who, req.path("locationId"))?;
                Ok((200, json!({"customField": l.field_mut(&id)?})))
            }
            "locationCustomFields.create" => {
                let body = object(req.body)?;
                required(body, &["name", "dataType"])?;
                let data_type = text(body, "dataType").unwrap_or_default();
                if !DATA_TYPES.contains(&data_type) {
                    return Err(ApiError::validation(vec![format!(
                        "dataType must be one of {}",
                        DATA_TYPES.join(", ")
                    )]));
                }
                let new_id = self.new_id();
                let loc_id = req.path("locationId").to_string();
                let l = self.location(who, &loc_id)?;
                let name = text(body, "name").unwrap_or_default();
                let model = text(body, "model").unwrap_or("contact").to_string();
                let field_key = key_of(&format!("{model}."), name);
                if l.custom_fields
                    .iter()
                    .any(|f| f.field_key.as_deref() == Some(&field_key))
                {
                    return Err(ApiError::new(
                        400,
                        format!("A custom field with key {field_key} already exists"),
                    ));
                }
                let mut extra = Map::new();
                extra.insert("locationId".into(), json!(loc_id));
                for k in ["placeholder", "position"] {
                    if let Some(v) = body.get(k) {
                        extra.insert(k.into(), v.clone());
                    }
                }
                let field = CustomFieldDefinition {
                    id: Some(new_id),
                    name: Some(name.to_string()),
                    field_key: Some(field_key),
                    data_type: Some(data_type.to_string()),
                    picklist_options: body
                        .get("textBoxListOptions")
                        .and_then(Value::as_array)
                        .map(|o| {
                            o.iter()
                                .filter_map(|x| x.get("label").or(Some(x)).cloned())
                                .collect()
                        }),
                    model: Some(model),
                    extra,
                };
                l.custom_fields.push(field.clone());
                Ok((201, json!({"customField": field})))
            }
            "locationCustomFields.update" => {
                let body = object(req.body)?;
                required(body, &["name"])?;
                let l = self.location(who, req.path("locationId"))?;
                let field = l.field_mut(&id)?;
                field.name = text(body, "name").map(str::to_string);
                for k in ["placeholder", "position"] {
                    if let Some(v) = body.get(k) {
                        field.extra.insert(k.into(), v.clone());
                    }
                }
                Ok((200, json!({"customField": field})))
            }
            "locationCustomFields.delete" => {
                let l = self.location(who, req.path("locationId"))?;
                super::take(&mut l.custom_fields, &id, |f| &f.id, "Custom field")?;
                Ok((200, json!({"succeded": true})))
            }
            "customFields.v2.list" => {
                let key = req.path("objectKey").to_string();
                let l = self.location(who, req.query("locationId").unwrap_or_default())?;
                let fields: Vec<&ObjectCustomField> = l
                    .object_fields
                    .values()
                    .filter(|f| f.object_key.as_deref() == Some(key.as_str()))
                    .collect();
                Ok((200, json!({"fields": fields, "folders": []})))
            }
            "customFields.v2.get" | "customFields.v2.update" | "customFields.v2.delete" => {
                let loc_id = self
                    .locations
                    .iter()
                    .find(|(_, l)| l.object_fields.contains_key(&id))
                    .map(|(k, _)| k.clone())
                    .ok_or_else(|| ApiError::new(404, "Custom field not found"))?;
                let l = self.location(who, &loc_id)?;
                match op {
                    "customFields.v2.get" => Ok((200, json!({"field": l.object_fields[&id]}))),
                    "customFields.v2.delete" => {
                        let field = l.object_fields.remove(&id).unwrap_or_default();
                        Ok((
                            200,
                            json!({"succeded": true, "id": id, "key": field.field_key}),
                        ))
                    }
                    _ => {
                        let body = object(req.body)?;
                        let field = l
                            .object_fields
                            .get_mut(&id)
                            .ok_or_else(|| ApiError::new(404, "Custom field not found"))?;
                        if let Some(name) = text(body, "name") {
                            field.name = Some(name.to_string());
                        }
                        if let Some(options) = body.get("options") {
                            field.options = serde_json::from_value(options.clone())
                                .map_err(|e| ApiError::validation(vec![e.to_string()]))?;
                        }
                        for k in [
                            "description",
                            "placeholder",
                            "showInForms",
                            "acceptedFormats",
                            "maxFileLimit",
                        ] {
                            if let Some(v) = body.get(k) {
                                field.extra.insert(k.into(), v.clone());
                            }
                        }
                        field
                            .extra
                            .insert("dateUpdated".into(), json!(super::seed::iso(now_ms)));
                        Ok((200, json!({"field": field})))
                    }
                }
            }
            "customFields.v2.create" => {
                let body = object(req.body)?;
                required(
                    body,
                    &[
                        "locationId",
                        "objectKey",
                        "fieldKey",
                        "dataType",
                        "parentId",
                    ],
                )?;
                let new_id = self.new_id();
                let loc_id = text(body, "locationId").unwrap_or_default().to_string();
                let l = self.location(who, &loc_id)?;
                let field_key = text(body, "fieldKey").unwrap_or_default();
                if l.object_fields
                    .values()
                    .any(|f| f.field_key.as_deref() == Some(field_key))
                {
                    return Err(ApiError::new(
                        400,
                        format!("A custom field with key {field_key} already exists"),
                    ));
                }
                let mut field: ObjectCustomField =
                    serde_json::from_value(Value::Object(body.clone()))
                        .map_err(|e| ApiError::validation(vec![e.to_string()]))?;
                field.id = Some(new_id.clone());
                field.extra.entry("showInForms").or_insert(json!(false));
                field
                    .extra
                    .insert("dateAdded".into(), json!(super::seed::iso(now_ms)));
                field
                    .extra
                    .insert("dateUpdated".into(), json!(super::seed::iso(now_ms)));
                l.object_fields.insert(new_id, field.clone());
                Ok((201, json!({"field": field})))
            }
            "customValues.list" => {
                let l = self.location(who, req.path("locationId"))?;
                Ok((
                    200,
                    json!({"customValues": l.custom_values.values().collect::<Vec<_>>()}),
                ))
            }
            "customValues.create" => {
                let body = object(req.body)?;
                required(body, &["name"])?;
                let new_id = self.new_id();
                let loc_id = req.path("locationId").to_string();
                let l = self.location(who, &loc_id)?;
                let name = text(body, "name").unwrap_or_default();
                let value = CustomValue {
                    id: Some(new_id.clone()),
                    name: Some(name.to_string()),
                    field_key: Some(format!("{{{{ {} }}}}", key_of("custom_values.", name))),
                    value: text(body, "value").map(str::to_string),
                    location_id: Some(loc_id),
                    extra: Map::new(),
                };
                l.custom_values.insert(new_id, value.clone());
                Ok((201, json!({"customValue": value})))
            }
            "customValues.get" | "customValues.update" | "customValues.delete" => {
                let l = self.location(who, req.path("locationId"))?;
                if !l.custom_values.contains_key(&id) {
                    return Err(ApiError::new(404, "Custom value not found"));
                }
                match op {
                    "customValues.get" => Ok((200, json!({"customValue": l.custom_values[&id]}))),
                    "customValues.delete" => {
                        l.custom_values.remove(&id);
                        Ok((200, json!({"succeded": true})))
                    }
                    _ => {
                        let body = object(req.body)?;
                        required(body, &["name"])?;
                        let v = l
                            .custom_values
                            .get_mut(&id)
                            .ok_or_else(|| ApiError::new(404, "Custom value not found"))?;
                        v.name = text(body, "name").map(str::to_string);
                        if let Some(value) = text(body, "value") {
                            v.value = Some(value.to_string());
                        }
                        Ok((200, json!({"customValue": v})))
                    }
                }
            }
            other => Err(unserved(other)),
        }
    }
}
