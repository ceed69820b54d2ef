//! The CLI against a real `solana-test-validator` (`--url <RPC URL>`, what
//! `--url localnet` resolves to on the default port): genesis, treasury,
//! stake, usage, crank and status over RPC. Runs when `COHERENCE_VALIDATOR=1`
//! (set by `.ci/run`; needs `scripts/install-validator.sh` and
//! `scripts/build-sbf.sh`), otherwise says that it did not run.

use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{ops, Client, EngineKeys};
use coherence_tests::create_mint_ixs;
use coherence_tests::validator::{program_so, validator_binary, TestValidator};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

fn cli(url: &str, keypair: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_coherence"))
        .args(["--url", url, "--keypair"])
        .arg(keypair)
        .args(["-y", "--priority-fee", "0"])
        .args(args)
        .output()
        .expect("run coherence");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "coherence {args:?} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

#[tokio::test]
async fn cli_runs_an_engine_on_a_validator() {
    if std::env::var("COHERENCE_VALIDATOR").as_deref() != Ok("1") {
        eprintln!("CLI on localnet NOT RUN: set COHERENCE_VALIDATOR=1 (needs scripts/install-validator.sh and scripts/build-sbf.sh)");
        return;
    }
    let binary = validator_binary().expect("solana-test-validator missing: run scripts/install-validator.sh");
    let so = program_so().expect("target/deploy/coherence.so missing: run scripts/build-sbf.sh");
    let me = Keypair::new();
    let dir = tempfile::tempdir().unwrap();
    let keypair = dir.path().join("me.json");
    std::fs::write(&keypair, serde_json::to_string(&me.to_bytes().to_vec()).unwrap()).unwrap();
    let validator = TestValidator::start(&binary, &so, &me.pubkey(), Duration::from_secs(120)).await;
    let url = validator.url.clone();

    // A mint whose authority is the CLI's keypair (the SPL CLI's job; done with the SDK here).
    let confirmed = solana_commitment_config::CommitmentConfig::confirmed();
    let mut client = Client::rpc(RpcBackend::new(url.clone(), confirmed, PriorityFee::None), me.insecure_clone());
    let mint = Keypair::new();
    let keys = EngineKeys::new(mint.pubkey(), anchor_spl::token::ID);
    let mut ixs = create_mint_ixs(&me.pubkey(), &mint.pubkey(), keys.token_program, &me.pubkey(), None, &[], 6);
    ixs.push(ops::create_ata_ix(&keys, &me.pubkey(), &me.pubkey()));
    ixs.push(
        t22::instruction::mint_to_checked(
            &keys.token_program,
            &mint.pubkey(),
            &ops::ata(&keys, &me.pubkey()),
            &me.pubkey(),
            &[],
            1_000_000_000_000,
            6,
        )
        .unwrap(),
    );
    client.send(&ixs, &[&mint]).await.expect("mint");

    let m = mint.pubkey().to_string();
    let engine =
        cli(&url, &keypair, &["engine", "init", "--mint", &m, "--max-supply", "10000000", "--epoch-secs", "60"]);
    let engine = engine.trim().to_string();
    assert_eq!(engine, keys.engine.to_string());
    let with = |args: &[&str]| -> String {
        let mut all = vec!["--engine", engine.as_str()];
        all.extend_from_slice(args);
        cli(&url, &keypair, &all)
    };
    with(&["treasury", "deposit", "1000"]);
    with(&["stake", "open", "100", "--lock-secs", "604800"]);
    with(&["usage", "record", "5"]);
    let status: serde_json::Value = serde_json::from_str(&with(&["--output", "json", "status"])).expect("status JSON");
    assert_eq!(status["engine"], serde_json::json!(engine), "{status}");
    assert_eq!(status["total_usage_burned"], serde_json::json!(0), "nothing closed yet: {status}");
    // Wait for epoch 0 to end, then crank it.
    let genesis_ts = client.get::<coherence::state::Engine>(&keys.engine).await.unwrap().genesis_ts;
    while client.now().await.unwrap() < genesis_ts + 60 {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    with(&["crank"]);
    let engine_state: coherence::state::Engine = client.get(&keys.engine).await.unwrap();
    assert_eq!(engine_state.next_epoch, 1, "the crank closed epoch 0 over RPC");
    assert_eq!(engine_state.total_usage_burned, 5_000_000);
    let shown = with(&["stake", "show"]);
    assert!(shown.contains("100"), "{shown}");
    drop(validator);
}
