//! Validator tier: attack scenarios written once against the SDK `Client`,
//! run in process here and against a real cluster through the SDK's RPC path
//! when `ANCHOR_PROVIDER_URL` is set (e.g. by `anchor test` with the Solana
//! toolchain, after `anchor build && anchor deploy`). `ANCHOR_WALLET` is the
//! funded payer keypair file. Without a validator the cluster run is skipped
//! with a message; the in-process run always executes the same code.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::instructions::CreateVestingArgs;
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{defaults, instructions as ix, ops, pda, Client, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

const UNIT: u64 = 1_000_000;

/// Genesis on whatever cluster `client` talks to: a fresh mint, an engine,
/// a funded treasury. Returns the engine's keys.
async fn genesis(client: &mut Client) -> EngineKeys {
    let me = client.payer().pubkey();
    let mint = Keypair::new();
    let program = anchor_spl::token::ID;
    let keys = EngineKeys::new(mint.pubkey(), program);
    let ata = ops::ata(&keys, &me);
    client
        .send(
            &[
                solana_system_interface::instruction::create_account(&me, &mint.pubkey(), 1_461_600, 82, &program),
                t22::instruction::initialize_mint2(&program, &mint.pubkey(), &me, None, 6).unwrap(),
                ops::create_ata_ix(&keys, &me, &me),
                t22::instruction::mint_to_checked(&program, &mint.pubkey(), &ata, &me, &[], 1_000_000 * UNIT, 6).unwrap(),
            ],
            &[&mint],
        )
        .await
        .expect("mint");
    ops::init_engine(client, mint.pubkey(), program, defaults::init_args(me, 10_000_000 * UNIT)).await.expect("genesis");
    client.send(&[ix::deposit_treasury(&keys, &me, &ata, 100_000 * UNIT)], &[]).await.expect("deposit");
    keys
}

/// The scenarios: each attack must fail with its named error.
async fn attack_scenarios(client: &mut Client) {
    let keys = genesis(client).await;
    let me = client.payer().pubkey();
    let ata = ops::ata(&keys, &me);
    let week = 7 * DAY;

    // Flash stake: open, unbond and withdraw in one transaction.
    let pos = pda::position(&keys.engine, &me, 0);
    let flash = client
        .send(&[ix::open_position(&keys, &me, &ata, 0, 10 * UNIT, week), ix::start_unbond(&keys, &me, &pos), ix::withdraw(&keys, &me, &pos, &ata)], &[])
        .await
        .unwrap_err();
    assert_eq!(flash.program_error(), Some(CoherenceError::StillLocked), "{flash}");

    // Treasury drain through a schedule below the minimum cliff.
    let now = client.now().await.unwrap();
    let short = CreateVestingArgs { beneficiary: me, total: UNIT, start: now, cliff: now + 60, end: now + 400 * DAY as i64, period: 0, revocable: false };
    let drain = client.send(&[ix::create_vesting(&keys, &me, &me, 0, short)], &[]).await.unwrap_err();
    assert_eq!(drain.program_error(), Some(CoherenceError::VestingCliffTooShort), "{drain}");

    // Closing an epoch before it ended.
    let early = client.send(&[ix::close_epoch(&keys, &me, 0, 4)], &[]).await.unwrap_err();
    assert_eq!(early.program_error(), Some(CoherenceError::EpochNotEnded), "{early}");

    // α above the bound.
    let mut p = defaults::params(100_000 * UNIT);
    p.alpha_bps = 9_001;
    let alpha = client.send(&[ix::propose_params(&keys, &me, p)], &[]).await.unwrap_err();
    assert_eq!(alpha.program_error(), Some(CoherenceError::AlphaOutOfBounds), "{alpha}");

    // Usage paid from someone else's account.
    let victim = Pubkey::new_unique();
    let theft = client
        .send(&[ops::create_ata_ix(&keys, &me, &victim), ix::record_usage(&keys, &me, &ops::ata(&keys, &victim), 0, 1, None, None)], &[])
        .await
        .unwrap_err();
    assert_eq!(theft.program_error(), Some(CoherenceError::WrongTokenOwner), "{theft}");
}

#[tokio::test]
async fn attack_scenarios_in_process() {
    let payer = Keypair::new();
    let bank = LocalBank::start(None, &[payer.pubkey()]).await.unwrap();
    let mut client = Client::local(bank, payer);
    attack_scenarios(&mut client).await;
}

/// Ignored by default (reported as such): run with
/// `ANCHOR_PROVIDER_URL=http://127.0.0.1:8899 ANCHOR_WALLET=~/.config/solana/id.json
/// cargo test --test validator -- --ignored` or `anchor run validator-tier`.
#[tokio::test]
#[ignore = "needs a validator with the program deployed: set ANCHOR_PROVIDER_URL and ANCHOR_WALLET, run with --ignored"]
async fn attack_scenarios_on_a_validator() {
    let url = std::env::var("ANCHOR_PROVIDER_URL")
        .expect("ANCHOR_PROVIDER_URL: the RPC URL of a validator where the program is deployed");
    let wallet = std::env::var("ANCHOR_WALLET").expect("ANCHOR_WALLET: the payer keypair file");
    let bytes: Vec<u8> = serde_json::from_str(&std::fs::read_to_string(&wallet).expect("read ANCHOR_WALLET")).expect("keypair JSON");
    let payer = Keypair::try_from(&bytes[..]).expect("keypair");
    let backend = RpcBackend::new(url, solana_commitment_config::CommitmentConfig::confirmed(), PriorityFee::None);
    attack_scenarios(&mut Client::rpc(backend, payer)).await;
}
