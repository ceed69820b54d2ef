//! Load on a real validator (validator tier): an engine with 16 shards and
//! 60-second epochs (the shortest the program allows) on
//! `solana-test-validator`; N payer wallets (default 64) pay `record_usage`
//! concurrently across the shards, a quarter of them through two builders'
//! sources, while a crank closes every ended epoch, for a bounded time
//! (default 150 s, so two or three epoch boundaries fall inside the run)
//! and a bounded number of payments. Then, from the ledger alone
//! (`coherence_tests::traffic::audit`): every confirmed payment counted once,
//! in the epoch whose clock it landed in; every epoch record the sum of its
//! payments; escrows burned exactly what was paid; unconfirmed payments moved
//! no tokens; the supply history, I1 and I3 hold.
//!
//! Prints payments per second, confirmation latency (p50/p99), epochs
//! crossed and failures by name. Bigger runs: `COHERENCE_LOAD_PAYERS`,
//! `COHERENCE_LOAD_SECS`, `COHERENCE_LOAD_MAX`; `COHERENCE_LOAD_REPORT=FILE`
//! writes the figures as JSON. Runs with `COHERENCE_VALIDATOR=1`.

use anchor_lang::prelude::Pubkey;
use coherence::state::Engine;
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{ops, Client};
use coherence_tests::traffic::{self, close_through, setup};
use coherence_tests::validator::{program_so, validator_binary, TestValidator};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn payments_under_load_are_counted_exactly_once() {
    if std::env::var("COHERENCE_VALIDATOR").as_deref() != Ok("1") {
        eprintln!("load test NOT RUN: set COHERENCE_VALIDATOR=1 (needs scripts/install-validator.sh and scripts/build-sbf.sh)");
        return;
    }
    let binary = validator_binary().expect("solana-test-validator missing: run scripts/install-validator.sh");
    let so = program_so().expect("target/deploy/coherence.so missing: run scripts/build-sbf.sh");
    let (n, secs, max) =
        (env("COHERENCE_LOAD_PAYERS", 64) as usize, env("COHERENCE_LOAD_SECS", 150), env("COHERENCE_LOAD_MAX", 20_000));
    let me = Keypair::new();
    let validator = TestValidator::start(&binary, &so, &me.pubkey(), Duration::from_secs(120)).await;
    let url = validator.url.clone();
    let confirmed = CommitmentConfig::confirmed();
    let mut client = Client::rpc(RpcBackend::new(url.clone(), confirmed, PriorityFee::None), me.insecure_clone());
    let (keys, payers) = setup(&mut client, 16, n, 2).await;
    let wallets: Vec<(Pubkey, Pubkey)> = payers.iter().map(|p| (p.wallet.pubkey(), p.tokens)).collect();
    let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new_with_commitment(url.clone(), confirmed);
    let start_balances = traffic::token_balances(&rpc, &wallets).await;
    let start_supply = traffic::mint_supply(&rpc, &keys.mint).await;
    let first_epoch = client.get::<Engine>(&keys.engine).await.unwrap().epoch_at(client.now().await.unwrap());

    // The crank: every 2 s, whatever happens.
    let stop = Arc::new(AtomicBool::new(false));
    let crank = {
        let (url, stop, cranker) = (url.clone(), stop.clone(), me.insecure_clone());
        tokio::spawn(async move {
            let mut c = Client::rpc(RpcBackend::new(url, confirmed, PriorityFee::None), cranker);
            let mut closed = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                if let Ok(mut e) = ops::crank(&mut c, &keys).await {
                    closed.append(&mut e);
                }
                tokio::time::sleep(Duration::from_secs(2)).await;
            }
            closed
        })
    };
    let until = Instant::now() + Duration::from_secs(secs);
    let run = traffic::run(&url, keys, payers, until, Duration::from_secs(60), max as usize, stop.clone()).await;
    stop.store(true, Ordering::SeqCst);
    let mut closed = crank.await.expect("crank task");
    let last_epoch = client.get::<Engine>(&keys.engine).await.unwrap().epoch_at(client.now().await.unwrap());
    close_through(&mut client, &keys, last_epoch).await;
    closed.sort_unstable();
    let audit = traffic::audit(&url, &keys, &wallets, &start_balances, &run, start_supply).await;

    let failures: Vec<String> = run.failed.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let epochs: Vec<u64> = audit.per_epoch.keys().copied().collect();
    println!(
        "\n| payers | seconds | confirmed payments | payments/s | p50 | p99 | epochs with payments | boundaries crossed | RPC retries | failures |\n|---:|---:|---:|---:|---:|---:|---|---:|---:|---|\n| {n} | {:.0} | {} | {:.1} | {} ms | {} ms | {epochs:?} | {} | {} | {} |",
        run.elapsed.as_secs_f64(),
        run.confirmed.len(),
        run.per_second(),
        run.latency(0.5).as_millis(),
        run.latency(0.99).as_millis(),
        last_epoch - first_epoch,
        run.rpc_retries,
        if failures.is_empty() { "none".to_string() } else { failures.join(", ") },
    );
    if let Ok(path) = std::env::var("COHERENCE_LOAD_REPORT") {
        let json = serde_json::json!({
            "payers": n, "seconds": run.elapsed.as_secs_f64(), "confirmed": run.confirmed.len(),
            "per_second": run.per_second(), "p50_ms": run.latency(0.5).as_millis() as u64,
            "p99_ms": run.latency(0.99).as_millis() as u64, "epochs": epochs, "failures": run.failed,
            "rpc_retries": run.rpc_retries, "crank_closed": closed,
        });
        std::fs::write(path, json.to_string()).expect("report");
    }
    assert_eq!(audit.payments, run.confirmed.len());
    assert!(run.confirmed.len() > n, "at least one payment per payer: {}", run.confirmed.len());
    assert!(last_epoch > first_epoch, "the run crossed an epoch boundary");
    assert!(epochs.len() >= 2, "payments landed in several epochs: {epochs:?}");
    drop(validator);
}
