//! `tags.copy`: copies one contact's tags onto another. Two reads at once,
//! then one write that uses both answers.

use crate::driver::{Driver, Transport};
use crate::engine::JsonCall;
use crate::{Error, Result};
use serde_json::{Map, Value, json};

/// The params (declared for the catalog's schema; read through it).
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[allow(dead_code)]
struct CopyTags {
    /// The contact whose tags are copied.
    from_contact_id: String,
    /// The contact that gets them.
    to_contact_id: String,
}

/// The result.
#[cfg(feature = "schema")]
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
struct CopyTagsResult {
    /// The tags that were added (the source's tags the target lacked, compared
    /// without regard to case), in the source's order.
    added: Vec<String>,
    /// The target's tags afterwards.
    tags: Vec<String>,
}

#[cfg(feature = "schema")]
pub(super) fn schemas() -> (Value, Value) {
    (
        crate::schema::schema_of::<CopyTags>(),
        crate::schema::schema_of::<CopyTagsResult>(),
    )
}

fn tags_of(contact: &Value) -> Vec<String> {
    contact["contact"]["tags"]
        .as_array()
        .map(|tags| {
            tags.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub(super) async fn run<T: Transport>(
    driver: &Driver<T>,
    params: Map<String, Value>,
) -> Result<Value> {
    let from = super::text(&params, "fromContactId")?;
    let to = super::text(&params, "toContactId")?;
    if from == to {
        return Err(Error::invalid_argument(
            "tags.copy: fromContactId and toContactId are the same contact",
        ));
    }
    let get = |id: &str| JsonCall::new("contacts.get", json!({ "contactId": id }));
    let (source, target) =
        futures_util::future::try_join(driver.run(get(from)?), driver.run(get(to)?)).await?;
    let have = tags_of(&target);
    let have_refs: Vec<&str> = have.iter().map(String::as_str).collect();
    let source_tags = tags_of(&source);
    let added = super::missing_tags(&have_refs, source_tags.iter().map(String::as_str));
    if added.is_empty() {
        return Ok(json!({ "added": added, "tags": have }));
    }
    let answer = driver
        .run(JsonCall::new(
            "tags.add",
            json!({ "contactId": to, "tags": added }),
        )?)
        .await?;
    Ok(json!({ "added": added, "tags": answer["tags"] }))
}
