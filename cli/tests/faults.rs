//! Faults on a real validator (validator tier), with the CLI's crank as a
//! separate process, as an operator runs it:
//!
//! - **crash and restart**: `coherence crank --watch` runs while payers pay;
//!   the validator is killed with SIGKILL mid-epoch and restarted on the
//!   same ledger. The crank survives the outage without help (one line per
//!   failed round, a growing pause, then it resumes), never closes an epoch
//!   twice or out of order, and its heartbeat says so; payers retrying the
//!   same intent pay once; afterwards the ledger holds exactly the confirmed
//!   payments (`coherence_tests::traffic::audit`).
//! - **a deactivated lookup table**: the deploy key's (unfrozen) table is
//!   deactivated mid-life; once its cool-down has passed, `coherence crank`
//!   still closes every epoch — with a legacy transaction for 4 shards, with
//!   a fresh frozen table (remembered in the tables file) for 16.
//!
//! Runs with `COHERENCE_VALIDATOR=1`.

use anchor_lang::prelude::Pubkey;
use coherence::state::Engine;
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{lookup, Client};
use coherence_tests::traffic::{self, close_through, setup};
use coherence_tests::validator::{program_so, validator_binary, Options, TestValidator};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn enabled(what: &str) -> bool {
    let on = std::env::var("COHERENCE_VALIDATOR").as_deref() == Ok("1");
    if !on {
        eprintln!(
            "{what} NOT RUN: set COHERENCE_VALIDATOR=1 (needs scripts/install-validator.sh and scripts/build-sbf.sh)"
        );
    }
    on
}

fn keypair_file(dir: &Path, kp: &Keypair) -> PathBuf {
    let path = dir.join("me.json");
    std::fs::write(&path, serde_json::to_string(&kp.to_bytes().to_vec()).unwrap()).unwrap();
    path
}

/// `coherence` with the cluster, signer, engine and tables file given.
fn coherence(url: &str, keypair: &Path, engine: &Pubkey, tables: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_coherence"));
    c.args(["--url", url, "--keypair"]).arg(keypair);
    c.args(["--engine", &engine.to_string(), "-y", "--priority-fee", "0", "--tables-file"]).arg(tables);
    c
}

/// Waits until the cluster clock reads at least `t`.
async fn wait_until(client: &mut Client, t: i64) {
    while client.now().await.map_or(true, |now| now < t) {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

struct Crank(Child);

impl Drop for Crank {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_crank_and_the_payers_survive_a_validator_crash() {
    if !enabled("crash test") {
        return;
    }
    let binary = validator_binary().expect("solana-test-validator missing: run scripts/install-validator.sh");
    let so = program_so().expect("target/deploy/coherence.so missing: run scripts/build-sbf.sh");
    let me = Keypair::new();
    let dir = tempfile::tempdir().unwrap();
    let keypair = keypair_file(dir.path(), &me);
    let mut validator = TestValidator::start(&binary, &so, &me.pubkey(), Duration::from_secs(120)).await;
    let url = validator.url.clone();
    let confirmed = CommitmentConfig::confirmed();
    let mut client = Client::rpc(RpcBackend::new(url.clone(), confirmed, PriorityFee::None), me.insecure_clone());
    let (keys, payers) = setup(&mut client, 4, 8, 1).await;
    let wallets: Vec<(Pubkey, Pubkey)> = payers.iter().map(|p| (p.wallet.pubkey(), p.tokens)).collect();
    let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new_with_commitment(url.clone(), confirmed);
    let start_balances = traffic::token_balances(&rpc, &wallets).await;
    let start_supply = traffic::mint_supply(&rpc, &keys.mint).await;

    // The crank, a separate process: --watch, a heartbeat, its logs kept.
    let (out, err, heartbeat) =
        (dir.path().join("crank.out"), dir.path().join("crank.err"), dir.path().join("beat.json"));
    let tables = dir.path().join("tables.json");
    let mut cmd = coherence(&url, &keypair, &keys.engine, &tables);
    cmd.args(["crank", "--watch", "--interval", "2", "--heartbeat"]).arg(&heartbeat);
    cmd.stdout(Stdio::from(std::fs::File::create(&out).unwrap()));
    cmd.stderr(Stdio::from(std::fs::File::create(&err).unwrap()));
    let mut crank = Crank(cmd.spawn().expect("start the crank"));

    // Payers pay throughout; the validator dies mid-epoch once epoch 0 is closed.
    let stop = Arc::new(AtomicBool::new(false));
    let driver = {
        let (url, stop) = (url.clone(), stop.clone());
        let until = Instant::now() + Duration::from_secs(150);
        tokio::spawn(
            async move { traffic::run(&url, keys, payers, until, Duration::from_secs(90), 100_000, stop).await },
        )
    };
    let engine: Engine = client.get(&keys.engine).await.unwrap();
    wait_until(&mut client, engine.epoch_start(1).unwrap() + 25).await;
    while client.get::<Engine>(&keys.engine).await.unwrap().next_epoch < 1 {
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    let before = client.get::<Engine>(&keys.engine).await.unwrap();
    validator.kill().await;
    let killed_at = Instant::now();
    tokio::time::sleep(Duration::from_secs(10)).await;
    assert!(crank.0.try_wait().unwrap().is_none(), "the crank keeps running while the validator is down");
    validator.restart(Duration::from_secs(180)).await;
    let outage = killed_at.elapsed();
    let after = client.get::<Engine>(&keys.engine).await.expect("the engine after the restart");
    assert!(
        after.next_epoch >= before.next_epoch,
        "nothing closed was lost: {} < {}",
        after.next_epoch,
        before.next_epoch
    );

    // Let the payments and the crank go on past another boundary, then stop.
    let engine_now = client.get::<Engine>(&keys.engine).await.unwrap();
    let now = client.now().await.unwrap();
    wait_until(&mut client, engine_now.epoch_end(engine_now.epoch_at(now)).unwrap() + 5).await;
    stop.store(true, Ordering::SeqCst);
    let run = driver.await.expect("payers");
    let engine_now = client.get::<Engine>(&keys.engine).await.unwrap();
    let last = engine_now.epoch_at(client.now().await.unwrap());
    wait_until(&mut client, engine_now.epoch_end(last).unwrap()).await;
    close_through(&mut client, &keys, last).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(crank.0.try_wait().unwrap().is_none(), "the crank is still running");
    drop(crank);

    // The crank's story: failures one line each during the outage, then
    // closes again; every epoch closed once, in order.
    let (stdout, stderr) = (std::fs::read_to_string(&out).unwrap(), std::fs::read_to_string(&err).unwrap());
    let failures: Vec<&str> =
        stderr.lines().filter(|l| l.starts_with("crank: ") && l.contains("round failed")).collect();
    assert!(!failures.is_empty(), "no failure logged during the outage:\n{stderr}");
    let mut closed: Vec<u64> = Vec::new();
    for line in stdout.lines().filter_map(|l| l.strip_prefix("closed epochs: [")) {
        closed.extend(line.trim_end_matches(']').split(", ").filter_map(|n| n.parse::<u64>().ok()));
    }
    assert!(closed.windows(2).all(|w| w[1] == w[0] + 1), "closed in order, once each: {closed:?}");
    assert!(closed.iter().any(|&e| e >= after.next_epoch), "the crank resumed after the restart: {closed:?}");
    let beat: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&heartbeat).unwrap()).unwrap();
    assert_eq!(beat["ok"], true, "{beat}");
    assert!(beat["next_epoch"].as_u64().unwrap() > before.next_epoch, "{beat}");

    // The ledger holds exactly what was confirmed.
    let audit = traffic::audit(&url, &keys, &wallets, &start_balances, &run, start_supply).await;
    let retried = run.confirmed.iter().filter(|p| p.retries > 0).count();
    println!(
        "crash test: outage {:.0} s; {} payments confirmed ({} after RPC failures, {} retries in all), {} on the ledger; \
         failures by name: {:?}; crank failure lines: {}; epochs closed by the crank: {closed:?}",
        outage.as_secs_f64(),
        run.confirmed.len(),
        retried,
        run.rpc_retries,
        audit.payments,
        run.failed,
        failures.len(),
    );
    for line in failures.iter().take(3) {
        println!("  {line}");
    }
    assert_eq!(audit.payments, run.confirmed.len());
    assert!(run.rpc_retries > 0, "the payers met the outage");
}

/// Waits until the cluster's slot is past `slot`.
async fn wait_for_slot(rpc: &solana_rpc_client::nonblocking::rpc_client::RpcClient, slot: u64) {
    while rpc.get_slot().await.unwrap_or(0) <= slot {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// One engine of `shards` shards through the table's whole story: created
/// unfrozen by the deploy key, used, deactivated, cooled down, then the CLI
/// crank closing on without it.
async fn deactivated_table_story(url: String, me: Keypair, keypair: PathBuf, tables: PathBuf, shards: u8) {
    let confirmed = CommitmentConfig::confirmed();
    let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new_with_commitment(url.clone(), confirmed);
    let mut client = Client::rpc(RpcBackend::new(url.clone(), confirmed, PriorityFee::None), me.insecure_clone());
    let (keys, _) = setup(&mut client, shards, 0, 0).await;
    // The deploy key's table, not frozen (as older tools made them).
    let slot = client.recent_slot().await.unwrap();
    let (table, txs) = lookup::create_txs(&me.pubkey(), slot, &lookup::close_epoch_addresses(&keys, shards));
    for tx in txs {
        client.send(&tx, &[]).await.expect("create the table");
    }
    wait_for_slot(&rpc, rpc.get_slot().await.unwrap()).await;
    // The CLI crank, as a process (off the async workers).
    let crank = |extra: Vec<String>| {
        let mut cmd = coherence(&url, &keypair, &keys.engine, &tables);
        cmd.args(extra).arg("crank");
        async move {
            let out = tokio::task::spawn_blocking(move || cmd.output().unwrap()).await.unwrap();
            let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success(), "{shards} shards: crank failed:\n{text}");
            text
        }
    };
    let with_flag = || vec!["--lookup-table".to_string(), table.to_string()];
    let engine: Engine = client.get(&keys.engine).await.unwrap();
    wait_until(&mut client, engine.epoch_start(1).unwrap()).await;
    let with_table = crank(with_flag()).await;
    assert!(with_table.contains("closed epochs: [0]"), "{with_table}");

    // The deploy key deactivates it; the cool-down passes.
    let deactivate = solana_address_lookup_table_interface::instruction::deactivate_lookup_table(table, me.pubkey());
    client.send(&[deactivate], &[]).await.expect("deactivate");
    let at = rpc.get_slot().await.unwrap();
    wait_for_slot(&rpc, at + 520).await;
    wait_until(&mut client, engine.epoch_start(2).unwrap()).await;
    let after = crank(with_flag()).await;
    assert!(after.contains("closed epochs: [1]"), "{shards} shards: {after}");
    assert!(after.contains("deactivated, closed or incomplete"), "{shards} shards: says so: {after}");
    let remembered = std::fs::read_to_string(&tables).unwrap_or_default();
    if shards > lookup::LEGACY_MAX_SHARDS {
        assert!(after.contains("(frozen)"), "{after}");
        let fresh: serde_json::Value = serde_json::from_str(&remembered).unwrap();
        let fresh: Pubkey = fresh[&url][keys.engine.to_string()].as_str().unwrap().parse().unwrap();
        assert_ne!(fresh, table);
        let state = lookup::decode_state(fresh, &rpc.get_account_data(&fresh).await.unwrap()).unwrap();
        assert!(state.is_frozen() && state.is_active());
    } else {
        assert!(!remembered.contains(&table.to_string()), "the deactivated table is forgotten: {remembered}");
    }
    // The next run reuses what was remembered (no flag), and closes on.
    wait_until(&mut client, engine.epoch_start(3).unwrap()).await;
    let next = crank(vec![]).await;
    assert!(next.contains("closed epochs: [2]") && !next.contains("created"), "{shards} shards: {next}");
    println!("{shards} shards: {}", after.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" | "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_deactivated_lookup_table_never_stops_the_cli_crank() {
    if !enabled("lookup table test") {
        return;
    }
    let binary = validator_binary().expect("solana-test-validator missing: run scripts/install-validator.sh");
    let so = program_so().expect("target/deploy/coherence.so missing: run scripts/build-sbf.sh");
    let me = Keypair::new();
    let dir = tempfile::tempdir().unwrap();
    let keypair = keypair_file(dir.path(), &me);
    // 50 ms slots: the table's 512-slot cool-down passes in about half a minute.
    let options = Options { ticks_per_slot: Some(8) };
    let validator = TestValidator::start_with(&binary, &so, &me.pubkey(), Duration::from_secs(120), options).await;
    let url = validator.url.clone();
    // A 4-shard and a 16-shard engine side by side (each its own tables file).
    let story = |shards: u8| {
        let tables = dir.path().join(format!("tables-{shards}.json"));
        deactivated_table_story(url.clone(), me.insecure_clone(), keypair.clone(), tables, shards)
    };
    tokio::join!(story(4), story(16));
    drop(validator);
}
