//! `deploy --genesis FILE [--url URL] [--keypair FILE] [--ledger FILE]`:
//! initializes an engine from a genesis file, idempotently (re-running skips
//! what exists). Run through Anchor: `anchor run deploy`.

use clap::Parser;
use coherence_sdk::client::local::{LocalBank, LocalState};
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::deployment::{Cluster, Deployment};
use coherence_sdk::Client;
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
struct Args {
    #[arg(long)]
    genesis: PathBuf,
    /// local (in process), localnet, devnet, mainnet or an RPC URL.
    #[arg(long, default_value = "localnet")]
    url: String,
    /// Deployer keypair (the mint's mint authority on the first run).
    #[arg(long)]
    keypair: PathBuf,
    /// Ledger file for `--url local`.
    #[arg(long, default_value = ".coherence/ledger.bin")]
    ledger: PathBuf,
    /// Where to write the deployment record (cluster, program id, engine,
    /// lookup table); an existing record of the same engine is read first.
    #[arg(long)]
    out: Option<PathBuf>,
}

fn load(args: &Args) -> Result<(coherence_migrations::Genesis, Keypair, Cluster), String> {
    let text = std::fs::read_to_string(&args.genesis).map_err(|e| format!("{}: {e}", args.genesis.display()))?;
    let genesis = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", args.genesis.display()))?;
    let bytes: Vec<u8> = std::fs::read_to_string(&args.keypair)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .ok_or_else(|| format!("{}: not a keypair file", args.keypair.display()))?;
    let keypair = Keypair::try_from(&bytes[..]).map_err(|e| e.to_string())?;
    Ok((genesis, keypair, args.url.parse()?))
}

async fn run(args: Args) -> Result<(), String> {
    let (genesis, keypair, cluster) = load(&args)?;
    let mut client = match cluster.rpc_url() {
        None => {
            let state = LocalState::load(&args.ledger).map_err(|e| e.to_string())?;
            let bank = LocalBank::start(state, &[keypair.pubkey()]).await.map_err(|e| e.to_string())?;
            Client::local(bank, keypair)
        }
        Some(url) => Client::rpc(RpcBackend::new(url, CommitmentConfig::confirmed(), PriorityFee::Recent), keypair),
    };
    // An earlier record of this engine names its lookup table: reuse it.
    let engine = coherence_sdk::pda::engine(&genesis.mint.parse().map_err(|e| format!("mint: {e}"))?);
    let earlier: Option<Deployment> =
        args.out.as_ref().and_then(|p| std::fs::read_to_string(p).ok()).and_then(|t| serde_json::from_str(&t).ok());
    if let Some(d) = earlier.filter(|d| d.engine == engine) {
        d.apply(&mut client);
    }
    let report = coherence_migrations::deploy(&mut client, &genesis).await;
    if let Some(bank) = client.local_bank() {
        bank.snapshot().await.and_then(|s| s.save(&args.ledger)).map_err(|e| e.to_string())?;
    }
    let report = report.map_err(|e| e.to_string())?;
    println!(
        "engine {} ({}); deposited {}; schedules created {:?}",
        report.engine,
        if report.engine_created { "created" } else { "existed" },
        report.deposited,
        report.schedules_created
    );
    if let Some(out) = &args.out {
        let record = Deployment { lookup_table: report.lookup_table, ..Deployment::new(cluster, report.engine) };
        let record = serde_json::to_string_pretty(&record).map_err(|e| e.to_string())?;
        std::fs::write(out, record).map_err(|e| format!("{}: {e}", out.display()))?;
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match run(Args::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
