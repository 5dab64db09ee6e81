//! The condition and template language (`contacts_core::lang`): load once,
//! checked against a scope, then evaluate or render any number of times.

use crate::boundary::boundary;
use crate::checked;
use crate::error::contacts_error;
use crate::result::contacts_result;
use contacts_core::lang::{Condition, Scope, Template};
use std::os::raw::c_char;

/// A loaded condition. Immutable and thread-safe: share it. Free with
/// `contacts_condition_free`.
pub struct contacts_condition {
    inner: Condition,
}

/// A loaded template. Immutable and thread-safe: share it. Free with
/// `contacts_template_free`.
pub struct contacts_template {
    inner: Template,
}

/// Reads `scope_json` (the variables and what each holds, as in
/// `ffi/README.md`, "Conditions and templates"); empty means no variables.
fn scope(scope_json: *const c_char, scope_len: usize) -> crate::error::Fallible<Scope> {
    let json = checked::json("scope_json", scope_json, scope_len)?;
    if json.is_null() {
        return Ok(Scope::new());
    }
    Ok(Scope::from_json(&json)?)
}

/// Loads a condition (`{"all": […]}`, `{"path", "op", "value"}`, …) and
/// checks every path against the scope. A fault is
/// `CONTACTS_CODE_INVALID_ARGUMENT` whose message starts with its JSON path
/// (`$.all[1].op: unknown operator "equals" …`); text that is not JSON is
/// `CONTACTS_CODE_INVALID_JSON`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_condition_new(
    condition_json: *const c_char,
    condition_len: usize,
    scope_json: *const c_char,
    scope_len: usize,
    condition_out: *mut *mut contacts_condition,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("condition_out", condition_out)?;
        let json = checked::json("condition_json", condition_json, condition_len)?;
        let scope = scope(scope_json, scope_len)?;
        let inner = Condition::load(&json, &scope)?;
        out.put(Box::new(contacts_condition { inner }));
        Ok(())
    })
}

/// Whether `data_json` (an object of the scope's variables) meets the
/// condition: `*matched_out` is set. Evaluation itself never fails; only
/// the arguments can (NULL, not UTF-8, not JSON).
#[unsafe(no_mangle)]
pub extern "C" fn contacts_condition_eval(
    condition: *const contacts_condition,
    data_json: *const c_char,
    data_len: usize,
    matched_out: *mut bool,
) -> *mut contacts_error {
    boundary(|| {
        let condition = checked::handle("condition", condition)?;
        let out = checked::value_out("matched_out", matched_out)?;
        let data = checked::json("data_json", data_json, data_len)?;
        *out = condition.inner.eval(&data);
        Ok(())
    })
}

/// Frees a condition. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_condition_free(condition: *mut contacts_condition) {
    checked::free_boxed(condition);
}

/// Loads a template (any JSON whose strings may hold `{{path | filter}}`)
/// and checks every path and filter. Errors as `contacts_condition_new`.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_template_new(
    template_json: *const c_char,
    template_len: usize,
    scope_json: *const c_char,
    scope_len: usize,
    template_out: *mut *mut contacts_template,
) -> *mut contacts_error {
    boundary(|| {
        let out = checked::out("template_out", template_out)?;
        let json = checked::json("template_json", template_json, template_len)?;
        let scope = scope(scope_json, scope_len)?;
        let inner = Template::load(&json, &scope)?;
        out.put(Box::new(contacts_template { inner }));
        Ok(())
    })
}

/// Fills the template from `data_json`: `*rendered_out` is the JSON,
/// owned by the caller. Rendering never fails; only the arguments can.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_template_render(
    template: *const contacts_template,
    data_json: *const c_char,
    data_len: usize,
    rendered_out: *mut *mut contacts_result,
) -> *mut contacts_error {
    boundary(|| {
        let template = checked::handle("template", template)?;
        let out = checked::out("rendered_out", rendered_out)?;
        let data = checked::json("data_json", data_json, data_len)?;
        out.put(contacts_result::new(&template.inner.render(&data)));
        Ok(())
    })
}

/// Frees a template. NULL is fine.
#[unsafe(no_mangle)]
pub extern "C" fn contacts_template_free(template: *mut contacts_template) {
    checked::free_boxed(template);
}
