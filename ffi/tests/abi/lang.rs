//! The condition and template language through the ABI: every case of
//! `tests/vectors/lang.json`, as a C host would run it.

use super::*;

fn load_condition(
    scope: &str,
    condition: &str,
) -> Result<*mut contacts_condition, (contacts_code, String)> {
    let (sp, sl) = cstr(scope);
    let (cp, cl) = cstr(condition);
    let mut out = null_mut();
    match take(contacts_condition_new(cp, cl, sp, sl, &mut out)) {
        None => Ok(out),
        Some(e) => {
            assert!(out.is_null(), "nothing is handed out on error");
            Err(e)
        }
    }
}

fn load_template(
    scope: &str,
    template: &str,
) -> Result<*mut contacts_template, (contacts_code, String)> {
    let (sp, sl) = cstr(scope);
    let (tp, tl) = cstr(template);
    let mut out = null_mut();
    match take(contacts_template_new(tp, tl, sp, sl, &mut out)) {
        None => Ok(out),
        Some(e) => Err(e),
    }
}

fn check_error(name: &str, (code, message): (contacts_code, String), expected: &Value) {
    assert_eq!(
        s(contacts_code_name(code as u32)),
        expected["code"],
        "{name}: {message}"
    );
    let start = expected["message_starts_with"].as_str().unwrap();
    // The ABI's message is the error's one line, which starts with its code.
    let bare = message.strip_prefix(&format!("{}: ", expected["code"].as_str().unwrap()));
    assert!(
        bare.is_some_and(|m| m.starts_with(start)),
        "{name}: {message:?}"
    );
}

#[test]
fn the_language_vectors_through_the_abi() {
    let file = support::load("lang.json");
    for v in file["conditions"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let loaded = load_condition(&v["scope"].to_string(), &v["condition"].to_string());
        if let Some(expected) = v.get("expect_error") {
            check_error(
                name,
                loaded.map(|c| contacts_condition_free(c)).unwrap_err(),
                expected,
            );
            continue;
        }
        let condition = loaded.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for case in v["cases"].as_array().unwrap() {
            let data = case["data"].to_string();
            let (dp, dl) = cstr(&data);
            let mut matched = !case["expect"].as_bool().unwrap();
            assert_eq!(
                code(contacts_condition_eval(condition, dp, dl, &mut matched)),
                None
            );
            assert_eq!(Value::Bool(matched), case["expect"], "{name}: {data}");
        }
        contacts_condition_free(condition);
    }
    for v in file["templates"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let loaded = load_template(&v["scope"].to_string(), &v["template"].to_string());
        if let Some(expected) = v.get("expect_error") {
            check_error(
                name,
                loaded.map(|t| contacts_template_free(t)).unwrap_err(),
                expected,
            );
            continue;
        }
        let template = loaded.unwrap_or_else(|e| panic!("{name}: {e:?}"));
        for case in v["cases"].as_array().unwrap() {
            let data = case["data"].to_string();
            let (dp, dl) = cstr(&data);
            let mut out = null_mut();
            assert_eq!(
                code(contacts_template_render(template, dp, dl, &mut out)),
                None
            );
            assert_eq!(result_json(out), case["expect"], "{name}");
        }
        contacts_template_free(template);
    }
    for v in file["scopes"].as_array().unwrap() {
        let name = v["name"].as_str().unwrap();
        let loaded = load_condition(&v["scope"].to_string(), r#"{"all": []}"#);
        check_error(
            name,
            loaded.map(|c| contacts_condition_free(c)).unwrap_err(),
            &v["expect_error"],
        );
    }
}

#[test]
fn the_language_refuses_bad_arguments_with_their_codes() {
    let scope = r#"{"v": "any"}"#;
    assert_eq!(
        load_condition(scope, "{").unwrap_err().0,
        contacts_code::InvalidJson
    );
    assert_eq!(
        load_condition("{", "{}").unwrap_err().0,
        contacts_code::InvalidJson
    );
    assert_eq!(
        load_condition(scope, "\"{\\u0000}\"").unwrap_err().0,
        contacts_code::InvalidArgument
    );
    let bad_utf8 = [b'{', b'"', 0xff, b'"', b'}'];
    let mut out = null_mut();
    let e = contacts_condition_new(bad_utf8.as_ptr().cast(), 5, null(), 0, &mut out);
    assert_eq!(code(e), Some(contacts_code::InvalidUtf8));
    let e = contacts_condition_new(null(), 3, null(), 0, &mut out);
    assert_eq!(code(e), Some(contacts_code::NullArgument));
    let e = contacts_template_new(null(), 0, null(), 0, null_mut());
    assert_eq!(code(e), Some(contacts_code::NullArgument));
    // An empty scope has no variables: any path is refused.
    let e = load_template("", r#""{{v.x}}""#).unwrap_err();
    assert_eq!(e.0, contacts_code::InvalidArgument, "{}", e.1);
    let c = load_condition(scope, r#"{"path": "v.x", "op": "exists"}"#).unwrap();
    let mut matched = true;
    assert_eq!(
        code(contacts_condition_eval(c, null(), 0, &mut matched)),
        None,
        "empty data is null"
    );
    assert!(!matched);
    assert_eq!(
        code(contacts_condition_eval(c, null(), 0, null_mut())),
        Some(contacts_code::NullArgument)
    );
    contacts_condition_free(c);
    contacts_condition_free(null_mut());
    contacts_template_free(null_mut());
}
