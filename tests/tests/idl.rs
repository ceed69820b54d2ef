//! The committed IDL (`idl/coherence.json`) must match the program.
//!
//! Generation uses the program's `idl-build` feature through
//! `anchor-lang-idl` (no Anchor CLI needed), in its own target directory so it
//! does not invalidate the main build. `UPDATE_IDL=1 cargo test --test idl`
//! rewrites the committed file.

use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

#[test]
fn committed_idl_is_current() {
    let root = root();
    // anchor-lang-idl 0.1.4 mishandles RUSTUP_TOOLCHAIN (set by rustup's cargo proxy).
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    std::env::set_var("CARGO_TARGET_DIR", root.join("target/idl"));
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(root.join("programs/coherence"))
        .build()
        .expect("IDL build");
    let fresh = serde_json::to_string_pretty(&idl).expect("serialize IDL") + "\n";
    let path = root.join("idl/coherence.json");
    if std::env::var("UPDATE_IDL").is_ok() {
        std::fs::write(&path, &fresh).expect("write IDL");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "idl/coherence.json is stale: run `UPDATE_IDL=1 cargo test --test idl` and commit it");

    // The SDK's error-name table covers exactly the IDL's errors, in order.
    let names: Vec<String> = idl.errors.iter().map(|e| e.name.clone()).collect();
    let sdk: Vec<String> = coherence_sdk::error::ALL_ERRORS.iter().map(|e| e.name()).collect();
    assert_eq!(names, sdk);
    for (i, e) in idl.errors.iter().enumerate() {
        assert_eq!(e.code, 6000 + i as u32);
    }
}
