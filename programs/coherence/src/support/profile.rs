//! Compute-unit markers for profiling builds. `cu_mark!("label")` logs the
//! label and the compute units left when the crate is built with the
//! `cu-profile` feature (`scripts/build-sbf.sh --features cu-profile`), and
//! compiles to nothing otherwise. The `cu` benchmark turns consecutive
//! marks into a per-phase table: entry → accounts read and checked →
//! handler → accounts written back.

/// Logs `label` and the compute units left (profiling builds only).
#[macro_export]
macro_rules! cu_mark {
    ($label:literal) => {
        #[cfg(all(feature = "cu-profile", target_os = "solana"))]
        $crate::support::profile::mark($label);
    };
}

#[cfg(all(feature = "cu-profile", target_os = "solana"))]
extern "C" {
    fn sol_log_compute_units_();
}

/// The marker itself: one log line with the label, one with the units left.
#[cfg(all(feature = "cu-profile", target_os = "solana"))]
#[inline(never)]
pub fn mark(label: &str) {
    anchor_lang::solana_program::log::sol_log(label);
    // SAFETY: a syscall without arguments.
    unsafe { sol_log_compute_units_() }
}
