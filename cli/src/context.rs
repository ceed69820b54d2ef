//! Shared state of one CLI invocation: the client (RPC or the in-process
//! ledger), the signer, output mode, confirmation and `--print-tx`.

use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use base64::Engine as _;
use coherence::state::Engine;
use coherence_sdk::client::local::{LocalBank, LocalState};
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{ops, Client, EngineKeys};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

/// The global flags every command takes.
#[derive(clap::Args, Clone)]
pub struct Global {
    /// Cluster: local (in process), localnet, devnet, mainnet, or an RPC URL.
    #[arg(long, global = true, default_value = "local")]
    pub url: String,
    /// Signer and fee payer (default: the Solana CLI config's keypair).
    #[arg(long, global = true)]
    pub keypair: Option<PathBuf>,
    /// Ledger file of the in-process cluster (`--url local`).
    #[arg(long, global = true, default_value = ".coherence/ledger.bin")]
    pub ledger: PathBuf,
    /// Engine address.
    #[arg(long, global = true)]
    pub engine: Option<Pubkey>,
    #[arg(long, global = true, value_enum, default_value = "text")]
    pub output: Output,
    /// Send without asking for confirmation.
    #[arg(short = 'y', long, global = true)]
    pub yes: bool,
    /// Print the unsigned transaction (base64) instead of sending (for multisigs).
    #[arg(long, global = true)]
    pub print_tx: bool,
    /// Priority fee in micro-lamports per compute unit (default: recent median).
    #[arg(long, global = true)]
    pub priority_fee: Option<u64>,
    /// The engine's address lookup table for `close_epoch` (needed above 9
    /// shards; otherwise the one remembered in `--tables-file`, or one the
    /// crank creates).
    #[arg(long, global = true)]
    pub lookup_table: Option<Pubkey>,
    /// Where the CLI remembers each engine's lookup table between runs, per
    /// cluster (a JSON file; written when a table is created or replaced).
    #[arg(long, global = true, default_value = ".coherence/lookup-tables.json")]
    pub tables_file: PathBuf,
}

/// The tables file: cluster → engine → lookup table.
type TablesFile = std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>;

fn read_tables(path: &Path) -> TablesFile {
    std::fs::read_to_string(path).ok().and_then(|t| serde_json::from_str(&t).ok()).unwrap_or_default()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Output {
    Text,
    Json,
}

/// Resolves `--url` aliases; `None` means the in-process ledger.
pub fn resolve_url(url: &str) -> CliResult<Option<String>> {
    Ok(Some(match url {
        "local" => return Ok(None),
        "localnet" | "l" => "http://127.0.0.1:8899".into(),
        "devnet" | "d" => "https://api.devnet.solana.com".into(),
        "mainnet" | "mainnet-beta" | "m" => "https://api.mainnet-beta.solana.com".into(),
        u if u.starts_with("http://") || u.starts_with("https://") => u.into(),
        other => {
            return Err(CliError::Input(format!(
                "unknown --url {other:?}: use local, localnet, devnet, mainnet or an http(s) URL"
            )))
        }
    }))
}

/// Reads a Solana CLI keypair file (a JSON array of 64 bytes).
pub fn read_keypair(path: &Path) -> CliResult<Keypair> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::Input(format!("cannot read keypair {}: {e}", path.display())))?;
    let bytes: Vec<u8> = serde_json::from_str(&text)
        .map_err(|_| CliError::Input(format!("{} is not a keypair file (JSON array of 64 bytes)", path.display())))?;
    Keypair::try_from(&bytes[..]).map_err(|_| CliError::Input(format!("{} is not a valid keypair", path.display())))
}

pub fn write_keypair(path: &Path, keypair: &Keypair) -> CliResult<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
    }
    let json = serde_json::to_string(&keypair.to_bytes().to_vec()).map_err(|e| CliError::Input(e.to_string()))?;
    std::fs::write(path, json).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

/// `--keypair`, else the Solana CLI config's `keypair_path`, else `~/.config/solana/id.json`.
pub fn default_keypair_path() -> PathBuf {
    let home = std::env::var("HOME").map(PathBuf::from).unwrap_or_default();
    let config = home.join(".config/solana/cli/config.yml");
    if let Ok(text) = std::fs::read_to_string(config) {
        for line in text.lines() {
            if let Some(rest) = line.trim().strip_prefix("keypair_path:") {
                return PathBuf::from(rest.trim().trim_matches('"').trim_matches('\''));
            }
        }
    }
    home.join(".config/solana/id.json")
}

/// One transaction a command sends: what it does, and its instructions.
pub struct Tx {
    pub summary: String,
    pub ixs: Vec<Instruction>,
}

impl Tx {
    pub fn new(summary: impl Into<String>, ixs: Vec<Instruction>) -> Tx {
        Tx { summary: summary.into(), ixs }
    }
}

/// The confirmation prompt: the summary, then each step when there are several.
fn confirmation(summary: &str, txs: &[Tx]) -> String {
    if txs.len() < 2 {
        return summary.to_string();
    }
    let steps: Vec<String> = txs.iter().enumerate().map(|(i, tx)| format!("  {}. {}", i + 1, tx.summary)).collect();
    format!("{summary} in {} transactions:\n{}", txs.len(), steps.join("\n"))
}

/// SPL Governance's bytecode for the local ledger: `COHERENCE_SPL_GOVERNANCE`
/// (a path), else the copy the repository keeps as a test fixture
/// (`tests/fixtures/spl_governance.so`, with its provenance). `None` if
/// neither is there: the `gov` commands then fail on the missing program.
pub fn spl_governance_so() -> Option<Vec<u8>> {
    let path = std::env::var_os("COHERENCE_SPL_GOVERNANCE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures/spl_governance.so")));
    std::fs::read(path).ok()
}

/// Loads SPL Governance at Realms' program id into a local bank, if its
/// bytecode is available ([`spl_governance_so`]).
pub fn add_spl_governance(pt: &mut coherence_sdk::client::local::ProgramTest) {
    if let Some(elf) = spl_governance_so() {
        let id = coherence_sdk::spl_governance::REALMS_PROGRAM_ID;
        coherence_sdk::client::local::add_bpf_program(pt, id, elf);
    }
}

pub struct Ctx {
    pub client: Client,
    pub output: Output,
    yes: bool,
    print_tx: bool,
    engine: Option<Pubkey>,
    ledger: Option<PathBuf>,
    /// The tables file, this cluster's key in it, and the table it holds
    /// for `engine` as last read or written.
    tables_file: PathBuf,
    cluster: String,
    remembered: Option<Pubkey>,
}

impl Ctx {
    pub async fn new(global: &Global) -> CliResult<Ctx> {
        let path = global.keypair.clone().unwrap_or_else(default_keypair_path);
        let signer = read_keypair(&path)?;
        let url = resolve_url(&global.url)?;
        let cluster = url.clone().unwrap_or_else(|| format!("local:{}", global.ledger.display()));
        let (client, ledger) = match url {
            None => {
                let state = LocalState::load(&global.ledger)?;
                let bank = LocalBank::start_with(state, &[signer.pubkey()], add_spl_governance).await?;
                (Client::local(bank, signer), Some(global.ledger.clone()))
            }
            Some(url) => {
                let fee = global.priority_fee.map_or(PriorityFee::Recent, PriorityFee::Fixed);
                (Client::rpc(RpcBackend::new(url, CommitmentConfig::confirmed(), fee), signer), None)
            }
        };
        let mut client = client;
        let mut remembered = None;
        if let Some(engine) = global.engine {
            let saved = read_tables(&global.tables_file)
                .get(&cluster)
                .and_then(|m| m.get(&engine.to_string()))
                .and_then(|t| t.parse::<Pubkey>().ok());
            remembered = saved;
            if let Some(table) = global.lookup_table.or(saved) {
                client.set_lookup_table(engine, table);
            }
        }
        Ok(Ctx {
            client,
            output: global.output,
            yes: global.yes,
            print_tx: global.print_tx,
            engine: global.engine,
            ledger,
            tables_file: global.tables_file.clone(),
            cluster,
            remembered,
        })
    }

    pub fn signer_key(&self) -> Pubkey {
        self.client.payer().pubkey()
    }

    pub fn is_local(&self) -> bool {
        self.ledger.is_some()
    }

    /// The engine named by `--engine`, with all its addresses.
    pub async fn engine(&mut self) -> CliResult<(EngineKeys, Engine)> {
        let engine = self.engine.ok_or_else(|| CliError::Input("pass --engine <ADDRESS>".into()))?;
        match ops::engine_keys(&mut self.client, &engine).await {
            Err(coherence_sdk::ClientError::AccountNotFound(_)) => {
                Err(CliError::Input(format!("no engine at {engine} on this cluster")))
            }
            other => Ok(other?),
        }
    }

    pub async fn decimals(&mut self, keys: &EngineKeys) -> CliResult<u8> {
        let mint = self.client.account(&keys.mint).await?.ok_or_else(|| CliError::Input("mint not found".into()))?;
        // Both token programs put `decimals` at byte 44 of the mint.
        mint.data.get(44).copied().ok_or_else(|| CliError::Input("not a mint".into()))
    }

    /// Asks before a write unless `-y`; refuses when nobody can answer.
    pub fn confirm(&self, summary: &str) -> CliResult<()> {
        if self.yes {
            return Ok(());
        }
        if !std::io::stdin().is_terminal() {
            return Err(CliError::NotConfirmed);
        }
        eprint!("{summary}\nSend? [y/N] ");
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer).map_err(|e| CliError::Input(e.to_string()))?;
        if matches!(answer.trim(), "y" | "Y" | "yes") {
            Ok(())
        } else {
            Err(CliError::NotConfirmed)
        }
    }

    /// `--print-tx`: writes print their unsigned messages and send nothing.
    pub fn print_tx(&self) -> bool {
        self.print_tx
    }

    /// Sends `ixs` after a summary and confirmation; with `--print-tx`
    /// prints the unsigned message (base64) for a multisig instead and
    /// returns `None`: then nothing was sent and nothing may be read back.
    pub async fn write(
        &mut self,
        summary: &str,
        ixs: Vec<Instruction>,
        extra: &[&Keypair],
    ) -> CliResult<Option<String>> {
        let sent = self.write_all(summary, vec![Tx::new(summary, ixs)], extra).await?;
        Ok(sent.and_then(|signatures| signatures.into_iter().next()))
    }

    /// Sends `txs` in order after one confirmation of `summary` (`extra`
    /// co-signs each); with `--print-tx` prints every unsigned message, in
    /// the same order, and returns `None` without sending anything.
    pub async fn write_all(
        &mut self,
        summary: &str,
        txs: Vec<Tx>,
        extra: &[&Keypair],
    ) -> CliResult<Option<Vec<String>>> {
        if self.print_tx {
            self.print_messages(&txs)?;
            return Ok(None);
        }
        if txs.is_empty() {
            return Ok(Some(Vec::new()));
        }
        self.confirm(&confirmation(summary, &txs))?;
        let mut signatures = Vec::with_capacity(txs.len());
        for tx in &txs {
            signatures.push(self.send(tx, extra).await?);
        }
        Ok(Some(signatures))
    }

    /// Sends one transaction behind a spinner.
    async fn send(&mut self, tx: &Tx, extra: &[&Keypair]) -> CliResult<String> {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message(format!("sending: {}", tx.summary));
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        let result = self.client.send(&tx.ixs, extra).await;
        spinner.finish_and_clear();
        let signature = result?;
        if self.output == Output::Text {
            eprintln!("{}: confirmed {signature}", tx.summary);
        }
        Ok(signature)
    }

    /// `--print-tx`: one block per transaction (text), or one JSON array of
    /// (each message starts with a compute-unit limit from `coherence_sdk::compute`)
    /// `{summary, signers, message}` in sending order (empty: nothing to send).
    fn print_messages(&self, txs: &[Tx]) -> CliResult {
        let payer = self.signer_key();
        let mut text = Vec::with_capacity(txs.len());
        let mut json = Vec::with_capacity(txs.len());
        for (i, tx) in txs.iter().enumerate() {
            // No simulation for a proposal: the limit comes from the measured budgets.
            let limit = coherence_sdk::compute::limit_for(&tx.ixs);
            let mut ixs =
                vec![solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(limit)];
            ixs.extend(tx.ixs.iter().cloned());
            let message = solana_message::Message::new(&ixs, Some(&payer));
            let signers: Vec<String> = message
                .account_keys
                .iter()
                .take(message.header.num_required_signatures.into())
                .map(ToString::to_string)
                .collect();
            let bytes = bincode::serialize(&message).map_err(|e| CliError::Input(e.to_string()))?;
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            let head = if txs.len() == 1 {
                tx.summary.clone()
            } else {
                format!("transaction {} of {}: {}", i + 1, txs.len(), tx.summary)
            };
            text.push(format!("{head}\nsigners: {}\nunsigned message (base64):\n{encoded}", signers.join(", ")));
            json.push(serde_json::json!({ "summary": tx.summary, "signers": signers, "message": encoded }));
        }
        let text = if text.is_empty() { "nothing to send".to_string() } else { text.join("\n\n") };
        self.out(text, serde_json::Value::Array(json));
        Ok(())
    }

    /// Prints text or JSON depending on `--output`.
    pub fn out(&self, text: String, json: serde_json::Value) {
        match self.output {
            Output::Text => crate::outln!("{text}"),
            Output::Json => crate::outln!("{json}"),
        }
    }

    /// Writes the engine's lookup table into the tables file when it changed
    /// (created, or a deactivated one replaced or dropped), so the next run
    /// reuses it instead of creating another.
    pub fn remember_lookup_table(&mut self) -> CliResult<()> {
        let Some(engine) = self.engine else { return Ok(()) };
        let current = self.client.lookup_table(&engine);
        if current == self.remembered {
            return Ok(());
        }
        let mut all = read_tables(&self.tables_file);
        let entry = all.entry(self.cluster.clone()).or_default();
        match current {
            Some(t) => entry.insert(engine.to_string(), t.to_string()),
            None => entry.remove(&engine.to_string()),
        };
        let io = |e: std::io::Error| CliError::Input(format!("{}: {e}", self.tables_file.display()));
        if let Some(dir) = self.tables_file.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let json = serde_json::to_string_pretty(&all).map_err(|e| CliError::Input(e.to_string()))?;
        std::fs::write(&self.tables_file, json).map_err(io)?;
        self.remembered = current;
        Ok(())
    }

    /// Saves the local ledger (no-op over RPC) and the engine's lookup table.
    pub async fn finish(mut self) -> CliResult<()> {
        self.remember_lookup_table()?;
        if let Some(path) = self.ledger.take() {
            if let Some(bank) = self.client.local_bank() {
                bank.snapshot().await?.save(&path)?;
            }
        }
        Ok(())
    }
}
