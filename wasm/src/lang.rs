//! The condition and template language for JS: the core's loader and
//! evaluator, with JS values in and out.

use crate::js;
use contacts_core::lang::{Condition as CoreCondition, Scope, Template as CoreTemplate};
use wasm_bindgen::prelude::*;

fn scope_of(scope: Option<JsValue>) -> Result<Scope, JsValue> {
    let json = js::to_json("scope", &scope.unwrap_or(JsValue::UNDEFINED))?;
    if json.is_null() {
        return Ok(Scope::new());
    }
    Scope::from_json(&json).map_err(|e| js::error(&e))
}

/// A condition of the shared language, checked on load against a scope and
/// evaluated any number of times.
#[wasm_bindgen]
pub struct Condition {
    inner: CoreCondition,
}

#[wasm_bindgen]
impl Condition {
    /// Loads `condition` (`{all: […]}`, `{path, op, value}`, …), checking
    /// every path against `scope`. A fault throws `INVALID_ARGUMENT` whose
    /// message names its JSON path.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ConditionJson")] condition: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LanguageScope")] scope: Option<JsValue>,
    ) -> Result<Condition, JsValue> {
        let json = js::to_json("condition", &condition)?;
        let inner = CoreCondition::load(&json, &scope_of(scope)?).map_err(|e| js::error(&e))?;
        Ok(Condition { inner })
    }

    /// Whether `data` (an object of the scope's variables) meets it.
    pub fn eval(&self, data: JsValue) -> Result<bool, JsValue> {
        Ok(self.inner.eval(&js::to_json("data", &data)?))
    }
}

/// A template of the shared language (`{{path | filter}}` in any JSON),
/// checked on load and rendered any number of times.
#[wasm_bindgen]
pub struct Template {
    inner: CoreTemplate,
}

#[wasm_bindgen]
impl Template {
    /// Loads `template`, checking every path and filter against `scope`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        template: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LanguageScope")] scope: Option<JsValue>,
    ) -> Result<Template, JsValue> {
        let json = js::to_json("template", &template)?;
        let inner = CoreTemplate::load(&json, &scope_of(scope)?).map_err(|e| js::error(&e))?;
        Ok(Template { inner })
    }

    /// The template filled from `data`.
    #[wasm_bindgen(unchecked_return_type = "JsonValue")]
    pub fn render(&self, data: JsValue) -> Result<JsValue, JsValue> {
        Ok(js::from_json(
            &self.inner.render(&js::to_json("data", &data)?),
        ))
    }
}
