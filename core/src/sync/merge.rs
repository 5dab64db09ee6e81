//! The three-way merge of one field: its value on each side now, against
//! the values both sides had when the pair was last in step. Pure: the
//! pass gathers the values, this decides, the pass writes.

use super::settings::FieldPolicy;
use serde_json::Value;

/// What one field of a pair needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    /// Nothing to write: the sides agree, or only the side's own base moved.
    Keep,
    /// The host's value goes to HighLevel.
    ToHighLevel,
    /// HighLevel's value goes to the host.
    ToHost,
    /// Nothing is written and the field is reported, with why.
    Conflict(&'static str),
}

/// One field's values, in HighLevel's form on both sides (the host's
/// mapped forward).
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldSides<'a> {
    pub(crate) host: &'a Value,
    pub(crate) highlevel: &'a Value,
    /// `(host, highlevel)` when the pair was last in step; `None` for a
    /// pair linked in this pass.
    pub(crate) base: Option<(&'a Value, &'a Value)>,
}

/// When each side last changed, Unix ms, for `newest`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Clocks {
    pub(crate) host_ms: i64,
    pub(crate) highlevel_ms: i64,
    pub(crate) skew_ms: i64,
}

/// Decides one field.
///
/// - Last in step (`base`): a side changed when its value differs from its
///   own base (each side against its own, so a value HighLevel writes in
///   its own form is no edit); one side changed goes to the other; both
///   changed to the same value is kept; both changed otherwise is the
///   policy's.
/// - Linked in this pass: equal values are kept, a value on one side only
///   fills the other, two different values are the policy's.
pub(crate) fn decide(policy: FieldPolicy, sides: FieldSides<'_>, clocks: Clocks) -> Decision {
    if same(sides.host, sides.highlevel) {
        return Decision::Keep;
    }
    match sides.base {
        Some((host_base, highlevel_base)) => {
            let host_moved = !same(sides.host, host_base);
            let highlevel_moved = !same(sides.highlevel, highlevel_base);
            match (host_moved, highlevel_moved) {
                (false, false) => Decision::Keep,
                (true, false) => Decision::ToHighLevel,
                (false, true) => Decision::ToHost,
                (true, true) => by_policy(policy, clocks),
            }
        }
        None if empty(sides.highlevel) => Decision::ToHighLevel,
        None if empty(sides.host) => Decision::ToHost,
        None => by_policy(policy, clocks),
    }
}

fn by_policy(policy: FieldPolicy, clocks: Clocks) -> Decision {
    match policy {
        FieldPolicy::HighLevel => Decision::ToHost,
        FieldPolicy::Host => Decision::ToHighLevel,
        FieldPolicy::Report => Decision::Conflict("changed on both sides"),
        FieldPolicy::Newest => {
            let gap = clocks.host_ms - clocks.highlevel_ms;
            if gap.abs() <= clocks.skew_ms {
                Decision::Conflict("changed on both sides within skewMs of each other")
            } else if gap > 0 {
                Decision::ToHighLevel
            } else {
                Decision::ToHost
            }
        }
    }
}

/// Whether two values are the same field value: equal JSON, a list equal
/// as a set (tags come back in HighLevel's order), Null equal to an empty
/// text or list.
pub(crate) fn same(a: &Value, b: &Value) -> bool {
    if a == b || (empty(a) && empty(b)) {
        return true;
    }
    match (a, b) {
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|v| y.contains(v)) && y.iter().all(|v| x.contains(v))
        }
        _ => false,
    }
}

fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.iter().all(empty),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn at(host_ms: i64, highlevel_ms: i64) -> Clocks {
        Clocks {
            host_ms,
            highlevel_ms,
            skew_ms: 2_000,
        }
    }

    #[test]
    fn each_side_against_its_own_base() {
        let (a, b, c) = (json!("a"), json!("b"), json!("c"));
        let sides = |host, highlevel, base| FieldSides {
            host,
            highlevel,
            base,
        };
        let p = FieldPolicy::Report;
        assert_eq!(
            decide(p, sides(&a, &a, Some((&a, &a))), at(0, 0)),
            Decision::Keep
        );
        assert_eq!(
            decide(p, sides(&b, &a, Some((&a, &a))), at(0, 0)),
            Decision::ToHighLevel
        );
        assert_eq!(
            decide(p, sides(&a, &b, Some((&a, &a))), at(0, 0)),
            Decision::ToHost
        );
        assert_eq!(
            decide(p, sides(&b, &b, Some((&a, &a))), at(0, 0)),
            Decision::Keep
        );
        assert!(matches!(
            decide(p, sides(&b, &c, Some((&a, &a))), at(0, 0)),
            Decision::Conflict(_)
        ));
        // HighLevel keeps a value in its own form: its base is that form.
        let upper = json!("A");
        assert_eq!(
            decide(p, sides(&a, &upper, Some((&a, &upper))), at(0, 0)),
            Decision::Keep
        );
        let newest = FieldPolicy::Newest;
        assert_eq!(
            decide(newest, sides(&b, &c, Some((&a, &a))), at(10_000, 1_000)),
            Decision::ToHighLevel
        );
        assert_eq!(
            decide(newest, sides(&b, &c, Some((&a, &a))), at(1_000, 10_000)),
            Decision::ToHost
        );
        assert!(matches!(
            decide(newest, sides(&b, &c, Some((&a, &a))), at(1_000, 2_500)),
            Decision::Conflict(_)
        ));
        assert_eq!(
            decide(FieldPolicy::Host, sides(&b, &c, Some((&a, &a))), at(0, 0)),
            Decision::ToHighLevel
        );
        assert_eq!(
            decide(
                FieldPolicy::HighLevel,
                sides(&b, &c, Some((&a, &a))),
                at(0, 0)
            ),
            Decision::ToHost
        );
    }

    #[test]
    fn a_first_link_fills_what_one_side_lacks() {
        let (a, b, none) = (json!("a"), json!("b"), Value::Null);
        let sides = |host, highlevel| FieldSides {
            host,
            highlevel,
            base: None,
        };
        let p = FieldPolicy::Report;
        assert_eq!(decide(p, sides(&a, &none), at(0, 0)), Decision::ToHighLevel);
        assert_eq!(decide(p, sides(&none, &a), at(0, 0)), Decision::ToHost);
        assert!(matches!(
            decide(p, sides(&a, &b), at(0, 0)),
            Decision::Conflict(_)
        ));
        let (xy, yx, nulls) = (json!(["x", "y"]), json!(["y", "x"]), json!([null, null]));
        assert_eq!(decide(p, sides(&xy, &yx), at(0, 0)), Decision::Keep);
        assert_eq!(decide(p, sides(&nulls, &none), at(0, 0)), Decision::Keep);
    }
}
