//! include/libcontacts.h is exactly what cbindgen generates from this crate.

#[test]
fn committed_header_matches_generated() {
    let crate_dir = env!("CARGO_MANIFEST_DIR");
    let cfg = cbindgen::Config::from_file(format!("{crate_dir}/cbindgen.toml")).unwrap();
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
