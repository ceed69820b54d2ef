//! A real `solana-test-validator` for the validator tier: started on
//! 127.0.0.1 with free ports and its own temporary ledger, the program's
//! `.so` and SPL Governance's loaded at genesis and the payer funded by the
//! genesis mint; stopped and its ledger removed when dropped (also when a
//! test panics).

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

/// The committed SPL Governance bytecode (`tests/fixtures/spl_governance.so`).
pub fn spl_governance_so_path() -> PathBuf {
    crate::fixture_so_path("spl_governance.so")
}

/// A running validator; dropping it stops the process and removes the ledger.
pub struct TestValidator {
    child: Child,
    ledger: tempfile::TempDir,
    pub url: String,
    /// The command line, to start it again on the same ledger and ports.
    binary: PathBuf,
    args: Vec<std::ffi::OsString>,
    /// The slot reached before the last kill.
    reached: u64,
    /// Account files loaded at genesis (`--account`), if any.
    _accounts: Option<tempfile::TempDir>,
}

/// How a test validator differs from the default one.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Ticks per slot (default 64: 400 ms slots; 8 gives 50 ms slots, e.g.
    /// to pass an address lookup table's 512-slot cool-down in ~30 s).
    pub ticks_per_slot: Option<u64>,
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
        Self::start_with(binary, so, payer, timeout, Options::default()).await
    }

    /// [`TestValidator::start`] with `options`.
    pub async fn start_with(
        binary: &Path,
        so: &Path,
        payer: &Pubkey,
        timeout: Duration,
        options: Options,
    ) -> TestValidator {
        Self::start_with_accounts(binary, so, payer, timeout, options, &[]).await
    }

    /// [`TestValidator::start_with`], with `accounts` in its genesis
    /// (`--account`, one JSON file each in the format of `solana account
    /// --output json`): state prepared elsewhere — in process, where the
    /// clock can be moved past a timelock — and then used over RPC.
    pub async fn start_with_accounts(
        binary: &Path,
        so: &Path,
        payer: &Pubkey,
        timeout: Duration,
        options: Options,
        accounts: &[(Pubkey, solana_account::Account)],
    ) -> TestValidator {
        let ledger = tempfile::tempdir().expect("ledger dir");
        let files = (!accounts.is_empty()).then(|| tempfile::tempdir().expect("accounts dir"));
        let (rpc, faucet, gossip) = (free_port(), free_port(), free_port());
        let range = free_range(30);
        let mut args: Vec<std::ffi::OsString> = vec!["--ledger".into(), ledger.path().into(), "--mint".into()];
        args.push(payer.to_string().into());
        args.extend(["--bpf-program".into(), coherence::ID.to_string().into(), so.into()]);
        // SPL Governance 3.1.2 (the committed fixture) at Realms' program id:
        // the holders' governance runs against the real program here too.
        let governance = coherence_sdk::spl_governance::REALMS_PROGRAM_ID.to_string();
        args.extend(["--bpf-program".into(), governance.into(), spl_governance_so_path().into()]);
        // With `COHERENCE_P_TOKEN=1`, p-token at SPL Token's address (`crate::token_program`).
        if crate::token_program::SplToken::selected() == crate::token_program::SplToken::PToken {
            args.extend([
                "--bpf-program".into(),
                crate::TOKEN.to_string().into(),
                crate::token_program::p_token_so_path().into(),
            ]);
        }
        for (flag, value) in [
            ("--bind-address", "127.0.0.1".to_string()),
            ("--rpc-port", rpc.to_string()),
            ("--faucet-port", faucet.to_string()),
            ("--gossip-port", gossip.to_string()),
            ("--dynamic-port-range", format!("{range}-{}", range + 29)),
        ] {
            args.extend([flag.into(), value.into()]);
        }
        if let Some(dir) = &files {
            use base64::Engine as _;
            for (address, account) in accounts {
                let path = dir.path().join(format!("{address}.json"));
                let json = serde_json::json!({
                    "pubkey": address.to_string(),
                    "account": {
                        "lamports": account.lamports,
                        "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
                        "owner": account.owner.to_string(),
                        "executable": account.executable,
                        "rentEpoch": 0,
                        "space": account.data.len(),
                    }
                });
                std::fs::write(&path, json.to_string()).expect("write account file");
                args.extend(["--account".into(), address.to_string().into(), path.into()]);
            }
        }
        if let Some(ticks) = options.ticks_per_slot {
            args.extend(["--ticks-per-slot".into(), ticks.to_string().into()]);
        }
        args.push("--quiet".into());
        let mut fresh = args.clone();
        fresh.push("--reset".into());
        let child = Self::spawn(binary, &fresh);
        let url = format!("http://127.0.0.1:{rpc}");
        let mut validator =
            TestValidator { child, ledger, url, binary: binary.to_path_buf(), args, reached: 0, _accounts: files };
        validator.wait_ready(timeout).await;
        validator
    }

    fn spawn(binary: &Path, args: &[std::ffi::OsString]) -> Child {
        Command::new(binary)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", binary.display()))
    }

    /// Kills the validator with SIGKILL (no shutdown of any kind), after
    /// noting the slot it had reached.
    pub async fn kill(&mut self) {
        let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new(self.url.clone());
        self.reached = rpc.get_slot().await.unwrap_or(self.reached);
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same ledger and ports, and waits until its
    /// RPC answers past the slot it had reached before the kill (the ledger
    /// replayed).
    pub async fn restart(&mut self, timeout: Duration) {
        self.child = Self::spawn(&self.binary, &self.args);
        self.wait_ready(timeout).await;
    }

    async fn wait_ready(&mut self, timeout: Duration) {
        let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new(self.url.clone());
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("validator status") {
                panic!("solana-test-validator exited early ({status}); ledger log in {}", self.ledger.path().display());
            }
            // Ready once it has produced a slot past genesis and past any
            // slot reached before a kill.
            if rpc.get_slot().await.is_ok_and(|s| s > self.reached.max(1)) {
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
