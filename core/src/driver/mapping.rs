//! Mapping through the driver: the location's custom-field definitions
//! fetched once per TTL (`locationCustomFields.list`, kept in the engine)
//! and fetched again, once, when a template names a key they lack (a field
//! created since); then the dry run.

use super::{Driver, Transport};
use crate::mapping::{CustomFields, MapContext, MapReport, Mapper, MappingTemplate, PhoneNumbers};
use crate::{Error, Result};
use serde_json::{Value, json};
use std::sync::Arc;

impl<T: Transport> Driver<T> {
    /// The contact custom-field definitions of `location` (the credentials'
    /// location when `None`): the engine's copy when it is younger than
    /// `custom_fields_ttl_ms`, otherwise fetched (one request) and kept.
    /// `refresh` fetches them whatever the copy's age.
    ///
    /// Errors: InvalidArgument when there is no location to ask about;
    /// otherwise the request's own error.
    pub async fn custom_fields(
        &self,
        location: Option<&str>,
        refresh: bool,
    ) -> Result<Arc<CustomFields>> {
        let engine = self.engine();
        let location = match location.or(engine.config().credentials.location_id()) {
            Some(l) => l.to_owned(),
            None => {
                return Err(Error::invalid_argument(
                    "custom fields by key need a location: credentials for one, or its id",
                ));
            }
        };
        let ttl = engine.config().custom_fields_ttl_ms;
        if !refresh
            && let Some(fresh) = engine
                .field_cache
                .fresh(&location, self.transport().now_ms(), ttl)
        {
            return Ok(fresh);
        }
        // The operation itself, not `call`: a by-name call resolves keys, which lands here.
        let list = crate::engine::JsonCall::new(
            "locationCustomFields.list",
            json!({"locationId": location, "model": "contact"}),
        )?;
        let answer = self.run(list).await?;
        let fields = Arc::new(CustomFields::from_json(&answer)?);
        engine
            .field_cache
            .put(&location, self.transport().now_ms(), fields.clone());
        Ok(fields)
    }

    /// Binds `template` to the location's definitions: none fetched when it
    /// names no custom field; fetched again once when it names a key the
    /// kept copy lacks.
    ///
    /// Errors: InvalidArgument naming the field for a key the location does
    /// not define even after the refetch; the fetch's own error.
    pub async fn mapper(
        &self,
        template: MappingTemplate,
        location: Option<&str>,
    ) -> Result<Mapper> {
        if template.custom_field_keys().is_empty() {
            return Mapper::new(template, None);
        }
        let defs = self.custom_fields(location, false).await?;
        let missing = template
            .custom_field_keys()
            .iter()
            .any(|k| defs.by_key(k).is_none());
        let defs = if missing {
            self.custom_fields(location, true).await?
        } else {
            defs
        };
        Mapper::new(template, Some(&defs))
    }

    /// The dry run through a client: reads `template`, binds it (fetching
    /// definitions only when it names keys), and maps `records` (back, with
    /// `reverse`). Sends nothing else. Dates use the transport's zone
    /// offsets; phones, `phones`.
    ///
    /// Errors as [`Driver::mapper`], and InvalidArgument for a bad template
    /// or `reverse` with a one-way one.
    pub async fn map_records(
        &self,
        template: &Value,
        records: &[Value],
        reverse: bool,
        phones: Option<&dyn PhoneNumbers>,
    ) -> Result<MapReport> {
        let template = MappingTemplate::load(template)?;
        let mapper = self.mapper(template, None).await?;
        let offsets = |zone: &str, utc_ms: i64| self.transport().zone_offset_s(zone, utc_ms);
        let cx = MapContext {
            phones,
            zone_offsets: &offsets,
        };
        mapper.map_all(records, reverse, &cx)
    }
}
