//! Anchor's `#[program]` emits the program's entrypoint unless the crate
//! feature `no-entrypoint` is on. Coherence declares its own instead
//! (`src/entrypoint.rs`): it refuses instruction data of the wrong length
//! before Anchor dispatches, since Anchor ignores bytes after the arguments.
//! So this script always hides Anchor's entrypoint, and enables ours
//! (`cfg(coherence_entrypoint)`, which also carries `security.txt`) unless a
//! dependant asked for none (`no-entrypoint`, or `cpi`, which implies it).
fn main() {
    println!("cargo:rustc-check-cfg=cfg(coherence_entrypoint)");
    println!("cargo:rustc-cfg=feature=\"no-entrypoint\"");
    if std::env::var_os("CARGO_FEATURE_NO_ENTRYPOINT").is_none() {
        println!("cargo:rustc-cfg=coherence_entrypoint");
    }
}
