//! Where the CLI's output goes.
//!
//! When the program runs natively (local mode, `demo`), its `msg!` logs print
//! straight to the process's stdout. To keep stdout clean for people and for
//! `--output json`, [`silence_native_logs`] points fd 1 at /dev/null and keeps
//! a private duplicate of the real stdout for [`outln!`]. Failed transactions
//! still report their program logs (from simulation) on stderr.

use std::fs::File;
use std::io::Write;
use std::os::fd::FromRawFd;
use std::sync::{Mutex, OnceLock};

static OUT: OnceLock<Mutex<File>> = OnceLock::new();

/// Redirects fd 1 to /dev/null, keeping the real stdout for `outln!`.
pub fn silence_native_logs() {
    if OUT.get().is_some() {
        return;
    }
    // SAFETY: plain POSIX fd calls on descriptors this process owns; the
    // duplicate is wrapped in a File exactly once.
    unsafe {
        let real = libc::dup(1);
        if real < 0 {
            return;
        }
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
        if null < 0 {
            libc::close(real);
            return;
        }
        libc::dup2(null, 1);
        libc::close(null);
        let _ = OUT.set(Mutex::new(File::from_raw_fd(real)));
    }
}

/// Writes one line to the real stdout.
pub fn print_line(line: &str) {
    match OUT.get() {
        Some(out) => {
            if let Ok(mut f) = out.lock() {
                let _ = writeln!(f, "{line}");
            }
        }
        None => println!("{line}"),
    }
}

/// `println!` to the real stdout.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => { $crate::output::print_line(&format!($($arg)*)) };
}
