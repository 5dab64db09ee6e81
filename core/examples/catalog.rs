//! Prints the catalog: every operation (name, method, path, scope, Version,
//! idempotency, JSON Schemas of params and result) and every webhook trigger.
//!
//! `cargo run -q -p contacts-core --example catalog`

fn main() {
    println!("{}", contacts_core::catalog::describe());
}
