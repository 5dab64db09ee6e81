//! include/libcontacts.h is exactly what cbindgen generates from this crate,
//! plus the code list macros written from `contacts_code::ALL`.

use contacts::contacts_code;

/// `CONTACTS_CODE_ALL` (an initializer of every code) and
/// `CONTACTS_CODE_COUNT`, in the variants' header spelling.
fn code_list_macros() -> String {
    let names: Vec<String> = contacts_code::ALL
        .iter()
        .map(|c| format!("CONTACTS_CODE_{}", c.name().trim_end_matches('\0')))
        .collect();
    format!(
        "\n// Every code, as an initializer: `contacts_code all[] = CONTACTS_CODE_ALL;`\n\
         #define CONTACTS_CODE_ALL {{ {} }}\n\
         // How many codes CONTACTS_CODE_ALL holds.\n\
         #define CONTACTS_CODE_COUNT {}\n",
        names.join(", "),
        names.len()
    )
}

#[test]
fn committed_header_matches_generated() {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let mut cfg = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).unwrap();
    cfg.after_includes = Some(code_list_macros());
    let mut out = Vec::new();
    cbindgen::generate_with_config(crate_dir, cfg)
        .unwrap()
        .write(&mut out);
    let path = format!("{crate_dir}/../include/libcontacts.h");
    if std::env::var_os("UPDATE_HEADER").is_some() {
        std::fs::write(&path, &out).unwrap();
        return;
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == out,
        "include/libcontacts.h is stale: run UPDATE_HEADER=1 cargo test -p contacts-ffi --test header"
    );
}

/// The C ABI's guide lists every event kind the core emits (its one list,
/// `observe::EVENT_KINDS`), so a kind added in the core fails here until
/// the documentation says what it carries.
#[test]
fn the_guide_lists_every_event_kind() {
    let guide =
        std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    for kind in contacts_core::observe::EVENT_KINDS {
        assert!(
            guide.contains(&format!("`{kind}`")),
            "ffi/README.md does not name the event kind {kind}"
        );
    }
}
