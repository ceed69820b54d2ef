//! The deploy script against the in-process cluster: a second run changes nothing.

use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::state::Engine;
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::{ops, Client, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

#[tokio::test]
async fn deploy_is_idempotent() {
    let deployer = Keypair::new();
    let team = Keypair::new();
    let bank = LocalBank::start(None, &[deployer.pubkey()]).await.unwrap();
    let mut client = Client::local(bank, deployer.insecure_clone());
    let mint = Keypair::new();
    let program = anchor_spl::token::ID;
    let me = deployer.pubkey();
    let keys = EngineKeys::new(mint.pubkey(), program);
    client
        .send(
            &[
                solana_system_interface::instruction::create_account(&me, &mint.pubkey(), 1_461_600, 82, &program),
                t22::instruction::initialize_mint2(&program, &mint.pubkey(), &me, None, 6).unwrap(),
                ops::create_ata_ix(&keys, &me, &me),
                t22::instruction::mint_to_checked(&program, &mint.pubkey(), &ops::ata(&keys, &me), &me, &[], 1_000_000, 6).unwrap(),
            ],
            &[&mint],
        )
        .await
        .unwrap();
    let genesis: coherence_migrations::Genesis = serde_json::from_value(serde_json::json!({
        "mint": mint.pubkey().to_string(),
        "max_supply": 10_000_000u64,
        "treasury_deposit": 500_000u64,
        "vesting": [{ "beneficiary": team.pubkey().to_string(), "amount": 100_000u64, "cliff_secs": 7_776_000u64, "duration_secs": 31_536_000u64 }]
    }))
    .unwrap();

    let first = coherence_migrations::deploy(&mut client, &genesis).await.unwrap();
    assert!(first.engine_created);
    assert_eq!(first.deposited, 500_000);
    assert_eq!(first.schedules_created, vec![0]);
    let second = coherence_migrations::deploy(&mut client, &genesis).await.unwrap();
    assert!(!second.engine_created);
    assert_eq!(second.deposited, 0);
    assert!(second.schedules_created.is_empty());
    let engine: Engine = client.get(&first.engine).await.unwrap();
    assert_eq!(engine.vesting_count, 1);
    assert_eq!(engine.authority, me);
}
