//! The deploy script against the in-process cluster: a second run changes nothing.

use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::state::Engine;
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::{ops, Client, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// A deployer's in-process client with a fresh 6-decimal mint it controls.
async fn setup() -> (Client, Keypair, Keypair) {
    let deployer = Keypair::new();
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
                t22::instruction::mint_to_checked(
                    &program,
                    &mint.pubkey(),
                    &ops::ata(&keys, &me),
                    &me,
                    &[],
                    1_000_000,
                    6,
                )
                .unwrap(),
            ],
            &[&mint],
        )
        .await
        .unwrap();
    (client, deployer, mint)
}

#[tokio::test]
async fn deploy_is_idempotent() {
    let (mut client, deployer, mint) = setup().await;
    let me = deployer.pubkey();
    let team = Keypair::new();
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
    // No budget in the file: exactly the time-only allocations, all committed.
    assert_eq!((engine.time_only_budget, engine.time_only_used), (100_000, 100_000));
}

/// 16 shards: deploy creates the engine's lookup table (a legacy
/// `close_epoch` would not fit), reports it, and a rerun that knows it
/// (as the binary does from its earlier record) reuses it. Gated vesting
/// from the genesis file.
#[tokio::test]
async fn deploy_with_16_shards_records_the_lookup_table_and_gated_vesting() {
    let (mut client, _, mint) = setup().await;
    let team = Keypair::new();
    let genesis: coherence_migrations::Genesis = serde_json::from_value(serde_json::json!({
        "mint": mint.pubkey().to_string(),
        "max_supply": 10_000_000u64,
        "usage_shards": 16,
        "treasury_deposit": 500_000u64,
        "vesting": [{ "beneficiary": team.pubkey().to_string(), "amount": 100_000u64, "cliff_secs": 7_776_000u64,
                      "duration_secs": 31_536_000u64, "usage_rate_bps": 500, "grace_secs": 15_552_000u32 }]
    }))
    .unwrap();
    let first = coherence_migrations::deploy(&mut client, &genesis).await.unwrap();
    let table = first.lookup_table.expect("16 shards need the lookup table");
    let keys = ops::engine_keys(&mut client, &first.engine).await.unwrap().0;
    let account = client.account(&table).await.unwrap().unwrap();
    assert_eq!(
        coherence_sdk::lookup::decode(table, &account.data).unwrap().addresses,
        coherence_sdk::lookup::close_epoch_addresses(&keys, 16)
    );
    let second = coherence_migrations::deploy(&mut client, &genesis).await.unwrap();
    assert_eq!(second.lookup_table, Some(table), "reused, not created again");
    let record = coherence_sdk::deployment::Deployment {
        lookup_table: second.lookup_table,
        ..coherence_sdk::deployment::Deployment::new(coherence_sdk::deployment::Cluster::Local, first.engine)
    };
    assert_eq!(record.lookup_table, Some(table));
    let schedule: coherence::state::VestingSchedule =
        client.get(&coherence_sdk::pda::vesting(&first.engine, 0)).await.unwrap();
    assert_eq!((schedule.usage_rate_bps, schedule.grace_secs), (500, 15_552_000));
    assert_eq!(client.get::<Engine>(&first.engine).await.unwrap().gated_rate_bps, 500);
}
