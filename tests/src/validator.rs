//! A real `solana-test-validator` for the validator tier: started on
//! 127.0.0.1 with free ports and its own temporary ledger, the program's
//! `.so` loaded at genesis and the payer funded by the genesis mint; stopped
//! and its ledger removed when dropped (also when a test panics).

use anchor_lang::prelude::Pubkey;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where `scripts/install-validator.sh` caches the binaries.
pub fn tools_bin() -> PathBuf {
    let root = std::env::var("COHERENCE_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cache/coherence-tools"));
    root.join("bin")
}

/// `solana-test-validator` from `PATH` or the project's tool cache.
pub fn validator_binary() -> Option<PathBuf> {
    let cached = tools_bin().join("solana-test-validator");
    if cached.is_file() {
        return Some(cached);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("solana-test-validator")).find(|p| p.is_file())
}

/// The program's SBF build, `target/deploy/coherence.so` (or `SBF_OUT_DIR`).
pub fn program_so() -> Option<PathBuf> {
    let dir = std::env::var("SBF_OUT_DIR").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace").join("target/deploy")
    });
    Some(dir.join("coherence.so")).filter(|p| p.is_file())
}

/// A running validator; dropping it stops the process and removes the ledger.
pub struct TestValidator {
    child: Child,
    ledger: tempfile::TempDir,
    pub url: String,
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("free port")
}

/// `count` consecutive free ports, for `--dynamic-port-range`.
fn free_range(count: u16) -> u16 {
    for _ in 0..200 {
        let start = 20_000 + (free_port() % 40_000);
        if (start..start + count).all(|p| TcpListener::bind(("127.0.0.1", p)).is_ok()) {
            return start;
        }
    }
    panic!("no free range of {count} ports on 127.0.0.1");
}

impl TestValidator {
    /// Starts `binary` with `so` deployed at the program id and `payer`
    /// funded, and waits until its RPC answers (at most `timeout`).
    pub async fn start(binary: &Path, so: &Path, payer: &Pubkey, timeout: Duration) -> TestValidator {
        let ledger = tempfile::tempdir().expect("ledger dir");
        let (rpc, faucet, gossip) = (free_port(), free_port(), free_port());
        let range = free_range(30);
        let mut cmd = Command::new(binary);
        cmd.arg("--ledger")
            .arg(ledger.path())
            .arg("--mint")
            .arg(payer.to_string())
            .arg("--bpf-program")
            .arg(coherence::ID.to_string())
            .arg(so)
            .args(["--bind-address", "127.0.0.1", "--rpc-port", &rpc.to_string(), "--faucet-port", &faucet.to_string()])
            .args(["--gossip-port", &gossip.to_string(), "--dynamic-port-range", &format!("{range}-{}", range + 29)])
            .args(["--reset", "--quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        let child = cmd.spawn().unwrap_or_else(|e| panic!("start {}: {e}", binary.display()));
        let url = format!("http://127.0.0.1:{rpc}");
        let mut validator = TestValidator { child, ledger, url };
        validator.wait_ready(timeout).await;
        validator
    }

    async fn wait_ready(&mut self, timeout: Duration) {
        let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new(self.url.clone());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("validator status") {
                panic!("solana-test-validator exited early ({status}); ledger log in {}", self.ledger.path().display());
            }
            // Ready once it has produced a slot past genesis.
            if rpc.get_slot().await.is_ok_and(|s| s > 1) {
                return;
            }
            assert!(started.elapsed() < timeout, "solana-test-validator not ready after {timeout:?}");
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

impl Drop for TestValidator {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // `ledger` (a TempDir) removes the directory after this.
    }
}
