//! Validation rules: checks on a field's mapped value (`required`,
//! `pattern`, `email`, `phone`, `length`, `oneOf`) and on the whole mapped
//! record (`anyPresent`, `condition`). [`RULES`] is the one list; the
//! catalog's `mapping.rules` is written from it.

use super::context::MapContext;
use super::custom_fields::kind;
use crate::lang::{Condition, DataPath, Scope};
use serde_json::Value;

/// One rule: its name, where it applies, and one line for people.
#[derive(Debug)]
pub struct RuleInfo {
    /// The name, as `{"rule": name, …}`.
    pub name: &'static str,
    /// `field` (in a field's `rules`) or `record` (in the template's).
    pub applies_to: &'static str,
    /// What it checks.
    pub summary: &'static str,
    /// Its parameters, each `name: JSON Schema type`.
    pub params: &'static [(&'static str, &'static str)],
}

/// Every rule, the whole fixed set.
pub static RULES: &[RuleInfo] = &[
    RuleInfo {
        name: "required",
        applies_to: "field",
        summary: prose!("the value is present: not null, not empty text, not an empty list"),
        params: &[],
    },
    RuleInfo {
        name: "pattern",
        applies_to: "field",
        summary: prose!("text matching a regular expression of the condition language"),
        params: &[("pattern", "string"), ("ignoreCase", "boolean")],
    },
    RuleInfo {
        name: "email",
        applies_to: "field",
        summary: prose!("an email address: one @, a local part, a domain with a dot, no spaces"),
        params: &[],
    },
    RuleInfo {
        name: "phone",
        applies_to: "field",
        summary: prose!("a phone number valid for region (the template's region by default)"),
        params: &[("region", "string")],
    },
    RuleInfo {
        name: "length",
        applies_to: "field",
        summary: prose!(
            "text (in characters) or a list (in items) at least min and at most max long"
        ),
        params: &[("min", "integer"), ("max", "integer")],
    },
    RuleInfo {
        name: "oneOf",
        applies_to: "field",
        summary: prose!("one of values (each item, for a list)"),
        params: &[("values", "array")],
    },
    RuleInfo {
        name: "anyPresent",
        applies_to: "record",
        summary: prose!("at least one of the mapped record's paths is present (email or phone)"),
        params: &[("paths", "array")],
    },
    RuleInfo {
        name: "condition",
        applies_to: "record",
        summary: prose!(
            "a condition of the condition language over record (the input) and mapped (the output) holds; message says why not"
        ),
        params: &[("condition", "object"), ("message", "string")],
    },
];

/// A loaded field rule.
#[derive(Clone, Debug)]
pub(crate) enum FieldRule {
    Required,
    Pattern(regex_lite::Regex),
    Email,
    Phone(String),
    Length { min: Option<u64>, max: Option<u64> },
    OneOf(Vec<Value>),
}

/// A loaded record rule.
#[derive(Clone, Debug)]
pub(crate) enum RecordRule {
    AnyPresent {
        names: Vec<String>,
        paths: Vec<DataPath>,
    },
    Condition {
        condition: Box<Condition>,
        message: String,
    },
}

/// A rule of either kind, as read.
pub(crate) enum Rule {
    Field(FieldRule),
    Record(RecordRule),
}

/// Whether a value counts as present.
pub(crate) fn present(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::String(s)) => !s.trim().is_empty(),
        // A split name of nothing is [null, null]: present only when a part is.
        Some(Value::Array(a)) => a.iter().any(|v| present(Some(v))),
        Some(_) => true,
    }
}

impl Rule {
    /// Reads one rule `{"rule": name, …}` at JSON path `at`.
    pub(crate) fn load(json: &Value, at: &str, region: Option<&str>) -> Result<Rule, String> {
        let o = json
            .as_object()
            .ok_or_else(|| format!("{at}: a rule is {{\"rule\": name, …}}"))?;
        let name = o
            .get("rule")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("{at}: a rule needs \"rule\", its name"))?;
        let info = RULES.iter().find(|r| r.name == name).ok_or_else(|| {
            format!(
                "{at}.rule: unknown rule {name:?} (there is {})",
                RULES.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
            )
        })?;
        for key in o.keys().filter(|k| *k != "rule") {
            if !info.params.iter().any(|(p, _)| p == key) {
                return Err(format!("{at}.{key}: {name} takes no parameter {key:?}"));
            }
        }
        let needed = |key: &str| {
            o.get(key)
                .ok_or_else(|| format!("{at}: {name} needs {key:?}"))
        };
        let count = |key: &str| -> Result<Option<u64>, String> {
            o.get(key)
                .map(|v| {
                    v.as_u64()
                        .ok_or_else(|| format!("{at}.{key}: must be a whole number"))
                })
                .transpose()
        };
        Ok(match name {
            "required" => Rule::Field(FieldRule::Required),
            "pattern" => {
                let p = needed("pattern")?
                    .as_str()
                    .ok_or_else(|| format!("{at}.pattern: must be text"))?;
                let ignore_case = o
                    .get("ignoreCase")
                    .and_then(Value::as_bool)
                    .unwrap_or(false);
                let re = crate::lang::compile_regex(p, ignore_case)
                    .map_err(|e| format!("{at}.pattern: {e}"))?;
                Rule::Field(FieldRule::Pattern(re))
            }
            "email" => Rule::Field(FieldRule::Email),
            "phone" => {
                let region = match o.get("region") {
                    Some(Value::String(r)) => r.clone(),
                    Some(_) => return Err(format!("{at}.region: must be text")),
                    None => region
                        .ok_or_else(|| {
                            format!("{at}: phone needs \"region\" (here or the template's)")
                        })?
                        .to_owned(),
                };
                Rule::Field(FieldRule::Phone(region))
            }
            "length" => {
                let (min, max) = (count("min")?, count("max")?);
                if min.is_none() && max.is_none() {
                    return Err(format!("{at}: length needs \"min\", \"max\" or both"));
                }
                Rule::Field(FieldRule::Length { min, max })
            }
            "oneOf" => Rule::Field(FieldRule::OneOf(
                needed("values")?
                    .as_array()
                    .ok_or_else(|| format!("{at}.values: must be a list"))?
                    .clone(),
            )),
            "anyPresent" => {
                let paths = needed("paths")?
                    .as_array()
                    .and_then(|a| {
                        a.iter()
                            .map(|p| p.as_str().map(str::to_owned))
                            .collect::<Option<Vec<_>>>()
                    })
                    .filter(|p| !p.is_empty())
                    .ok_or_else(|| format!("{at}.paths: must be a list of paths"))?;
                let parsed = paths
                    .iter()
                    .enumerate()
                    .map(|(k, p)| DataPath::parse(p).map_err(|e| format!("{at}.paths[{k}]: {e}")))
                    .collect::<Result<Vec<_>, _>>()?;
                Rule::Record(RecordRule::AnyPresent {
                    names: paths,
                    paths: parsed,
                })
            }
            "condition" => {
                let scope = Scope::new().with_any("record").with_any("mapped");
                let condition =
                    Condition::load_at(needed("condition")?, &scope, &format!("{at}.condition"))
                        .map_err(|e| e.message().to_owned())?;
                let message = match o.get("message") {
                    Some(Value::String(m)) => m.clone(),
                    Some(_) => return Err(format!("{at}.message: must be text")),
                    None => "the record's condition does not hold".to_owned(),
                };
                Rule::Record(RecordRule::Condition {
                    condition: Box::new(condition),
                    message,
                })
            }
            _ => {
                return Err(format!(
                    "{at}.rule: rule {name:?} is in the table but not read"
                ));
            }
        })
    }
}

impl FieldRule {
    /// Checks a mapped value; `Err(message)` when it fails. Absent values
    /// pass every rule but `required`.
    pub(crate) fn check(&self, value: Option<&Value>, cx: &MapContext<'_>) -> Result<(), String> {
        if matches!(self, FieldRule::Required) {
            return if present(value) {
                Ok(())
            } else {
                Err("is required".into())
            };
        }
        let Some(value) = value.filter(|v| present(Some(v))) else {
            return Ok(());
        };
        match self {
            FieldRule::Required => Ok(()),
            FieldRule::Pattern(re) => match value.as_str() {
                Some(s) if re.is_match(s) => Ok(()),
                Some(_) => Err(format!("does not match {}", re.as_str())),
                None => Err(format!("expected text, got {}", kind(value))),
            },
            FieldRule::Email => match value.as_str() {
                Some(s) if is_email(s) => Ok(()),
                _ => Err("not an email address".into()),
            },
            FieldRule::Phone(region) => {
                let phones = cx
                    .phones
                    .ok_or("phone numbers need a phone reader, which this build has not")?;
                let text = value
                    .as_str()
                    .ok_or_else(|| format!("expected text, got {}", kind(value)))?;
                phones
                    .to_e164(text, region)
                    .map(|_| ())
                    .map_err(|_| format!("not a valid number for region {region}"))
            }
            FieldRule::Length { min, max } => {
                let n = match value {
                    Value::String(s) => s.chars().count() as u64,
                    Value::Array(a) => a.len() as u64,
                    other => {
                        return Err(format!(
                            "length applies to text or a list, not {}",
                            kind(other)
                        ));
                    }
                };
                match (min, max) {
                    (Some(min), _) if n < *min => {
                        Err(format!("is {n} long, under the minimum of {min}"))
                    }
                    (_, Some(max)) if n > *max => {
                        Err(format!("is {n} long, over the maximum of {max}"))
                    }
                    _ => Ok(()),
                }
            }
            FieldRule::OneOf(values) => {
                let items: Vec<&Value> = match value {
                    Value::Array(a) => a.iter().collect(),
                    v => vec![v],
                };
                for item in items {
                    if !values.contains(item) {
                        let allowed: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                        return Err(format!(
                            "{} is not one of {}",
                            kind(item),
                            allowed.join(", ")
                        ));
                    }
                }
                Ok(())
            }
        }
    }
}

/// One @, a local part, a dotted domain, no white space: the check people
/// mean by "an email address" (RFC 5322's full grammar accepts forms no
/// CRM does).
fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s.chars().any(char::is_whitespace)
        && domain.split('.').count() >= 2
        && domain.split('.').all(|label| !label.is_empty())
}
