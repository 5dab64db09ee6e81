//! The core's default build does no IO: no async runtime or HTTP stack can
//! even be linked in.

#[test]
fn default_build_depends_on_no_io_crate() {
    let out = std::process::Command::new(env!("CARGO"))
        .args([
            "tree",
            "-p",
            "contacts-core",
            "-e",
            "normal",
            "--no-default-features",
            "--prefix",
            "none",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo tree runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let tree = String::from_utf8(out.stdout).unwrap();
    assert!(tree.starts_with("contacts-core"), "{tree}");
    for forbidden in ["tokio", "reqwest", "hyper", "mio", "async-std", "socket2"] {
        assert!(
            !tree
                .lines()
                .any(|l| l.split_whitespace().next() == Some(forbidden)),
            "contacts-core's default build pulls in {forbidden}:\n{tree}"
        );
    }
}
