//! Validator tier: the extraction attacks that can be expressed as
//! transactions, and an honest lifecycle, written once against the SDK
//! `Client` and run
//!
//! - in process, always (`scenarios_in_process`);
//! - over RPC against a real `solana-test-validator` with the SBF `.so`
//!   (`scenarios_on_a_validator`): the one at `ANCHOR_PROVIDER_URL` when set
//!   (`anchor test`), otherwise one the test starts on 127.0.0.1 with its own
//!   ledger and stops at the end (also on failure). It runs when
//!   `COHERENCE_VALIDATOR=1` (set by `.ci/run`), and then fails if the binary
//!   (`scripts/install-validator.sh`) or the `.so` (`scripts/build-sbf.sh`) is
//!   missing. Without that variable it prints that it did not run.
//!
//! Time on a real cluster is the wall clock, so the engine uses 60-second
//! epochs and locks, and the lifecycle waits for them.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::constants::{DAY, MIN_VESTING_CLIFF_FLOOR, MIN_VESTING_DURATION_FLOOR};
use coherence::errors::CoherenceError;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{defaults, instructions as ix, ops, pda, Client, ClientError, EngineKeys};
use coherence_tests::validator::{program_so, validator_binary, TestValidator};
use coherence_tests::{create_mint_ixs, Ext};
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::time::Duration;

const UNIT: u64 = 1_000_000;
const EPOCH: u64 = 60;

/// Waits until the cluster's clock reads at least `t`: warps in process,
/// sleeps on a real cluster.
async fn wait_until(client: &mut Client, t: i64) {
    if let Some(bank) = client.local_bank() {
        bank.warp_to(t).await.expect("warp");
        return;
    }
    while client.now().await.expect("clock") < t {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

#[track_caller]
fn refused(result: Result<String, ClientError>, expected: CoherenceError) {
    match result {
        Err(e) => assert_eq!(e.program_error(), Some(expected), "expected {}, got {e}", expected.name()),
        Ok(sig) => panic!("expected {}, but it succeeded ({sig})", expected.name()),
    }
}

/// Refused by an Anchor framework check (`code`, e.g. 3010 AccountNotSigner).
#[track_caller]
fn refused_by_anchor(result: Result<String, ClientError>, expected: u32) {
    match result {
        Err(ClientError::Anchor { code, .. }) => assert_eq!(code, expected),
        other => panic!("expected Anchor error {expected}, got {other:?}"),
    }
}

/// Refused by the token program (not by Coherence).
#[track_caller]
fn refused_by_token_program(result: Result<String, ClientError>) {
    match result {
        Err(ClientError::Transaction { error, .. }) => assert!(error.contains("custom program error"), "{error}"),
        other => panic!("expected a token program error, got {other:?}"),
    }
}

/// Token balance of a token account on any cluster.
async fn balance(client: &mut Client, account: &Pubkey) -> u64 {
    let data = client.account(account).await.expect("account").expect("token account exists").data;
    t22::extension::StateWithExtensions::<t22::state::Account>::unpack(&data).expect("token account").base.amount
}

struct World {
    keys: EngineKeys,
    me: Pubkey,
    tokens: Pubkey,
}

/// Genesis on whatever cluster `client` talks to: a fresh 6-decimal mint, an
/// engine with 60-second epochs and locks, a funded treasury.
async fn genesis(client: &mut Client) -> World {
    let me = client.payer().pubkey();
    let mint = Keypair::new();
    let program = anchor_spl::token::ID;
    let keys = EngineKeys::new(mint.pubkey(), program);
    let tokens = ops::ata(&keys, &me);
    let mut ixs = create_mint_ixs(&me, &mint.pubkey(), program, &me, None, &[], 6);
    ixs.push(ops::create_ata_ix(&keys, &me, &me));
    ixs.push(
        t22::instruction::mint_to_checked(&program, &mint.pubkey(), &tokens, &me, &[], 1_000_000 * UNIT, 6).unwrap(),
    );
    client.send(&ixs, &[&mint]).await.expect("mint");
    let mut args: InitEngineArgs = defaults::init_args(me, 10_000_000 * UNIT);
    args.epoch_secs = EPOCH;
    args.params.min_lock = EPOCH;
    args.params.min_vesting_cliff = MIN_VESTING_CLIFF_FLOOR;
    args.params.min_vesting_duration = MIN_VESTING_DURATION_FLOOR;
    args.time_only_budget = 100_000 * UNIT;
    ops::init_engine(client, mint.pubkey(), program, args).await.expect("genesis");
    client.send(&[ix::deposit_treasury(&keys, &me, &tokens, 100_000 * UNIT)], &[]).await.expect("deposit");
    World { keys, me, tokens }
}

/// A second wallet with `amount` tokens and its token account.
async fn wallet(client: &mut Client, w: &World, amount: u64) -> (Keypair, Pubkey) {
    let kp = Keypair::new();
    let tokens = ops::ata(&w.keys, &kp.pubkey());
    let fund = solana_system_interface::instruction::transfer(&w.me, &kp.pubkey(), 100_000_000);
    let mut ixs = vec![fund, ops::create_ata_ix(&w.keys, &w.me, &kp.pubkey())];
    if amount > 0 {
        ixs.push(
            t22::instruction::transfer_checked(
                &w.keys.token_program,
                &w.tokens,
                &w.keys.mint,
                &tokens,
                &w.me,
                &[],
                amount,
                6,
            )
            .unwrap(),
        );
    }
    client.send(&ixs, &[]).await.expect("wallet");
    (kp, tokens)
}

/// Every attack of `tests/attacks` that a cluster without time travel can
/// express, each refused by name; then an honest lifecycle, and two economic
/// attacks that need a closed epoch, each leaving the attacker at a loss.
async fn scenarios(client: &mut Client) {
    let w = genesis(client).await;
    let (k, me) = (w.keys, w.me);
    let now = client.now().await.unwrap();

    // --- staking -------------------------------------------------------
    let pos = pda::position(&k.engine, &me, 0);
    let flash = [
        ix::open_position(&k, &me, &w.tokens, 0, 10 * UNIT, EPOCH),
        ix::start_unbond(&k, &me, &pos),
        ix::withdraw(&k, &me, &pos, &w.tokens),
    ];
    refused(client.send(&flash, &[]).await, CoherenceError::StillLocked);
    client.send(&[ix::open_position(&k, &me, &w.tokens, 0, 10 * UNIT, EPOCH)], &[]).await.expect("open");
    refused(client.send(&[ix::withdraw(&k, &me, &pos, &w.tokens)], &[]).await, CoherenceError::PositionNotUnbonding);
    refused(
        client.send(&[ix::open_position(&k, &me, &w.tokens, 9, 10 * UNIT, EPOCH - 1)], &[]).await,
        CoherenceError::LockOutOfBounds,
    );
    refused(client.send(&[ix::extend_lock(&k, &me, &pos, EPOCH)], &[]).await, CoherenceError::LockNotExtended);
    refused(
        client.send(&[ix::open_position(&k, &me, &w.tokens, 0, UNIT, EPOCH)], &[]).await,
        CoherenceError::AccountAlreadyInitialized,
    );
    refused(
        client.send(&[ix::open_position(&k, &me, &w.tokens, 1, u64::MAX, EPOCH)], &[]).await,
        CoherenceError::MathOverflow,
    );
    let (thief, thief_tokens) = wallet(client, &w, UNIT).await;
    refused(
        client.send(&[ix::start_unbond(&k, &thief.pubkey(), &pos)], &[&thief]).await,
        CoherenceError::NotPositionOwner,
    );
    refused(
        client.send(&[ix::claim_rewards(&k, &thief.pubkey(), &pos, &thief_tokens, false)], &[&thief]).await,
        CoherenceError::NotPositionOwner,
    );
    // Missing signer on every owner-only instruction (the thief's key, unsigned).
    let t = thief.pubkey();
    let thief_pos = pda::position(&k.engine, &t, 0);
    let v0 = pda::vesting(&k.engine, 0);
    let unsigned = [
        ix::open_position(&k, &t, &thief_tokens, 0, 1, EPOCH),
        ix::add_to_position(&k, &t, &thief_pos, &thief_tokens, 1),
        ix::extend_lock(&k, &t, &thief_pos, 2 * EPOCH),
        ix::start_unbond(&k, &t, &pos),
        ix::withdraw(&k, &t, &pos, &thief_tokens),
        ix::claim_rewards(&k, &t, &pos, &thief_tokens, false),
        ix::close_position(&k, &t, &pos),
        ix::fund_rewards(&k, &t, &thief_tokens, 1),
        ix::deposit_treasury(&k, &t, &thief_tokens, 1),
        ix::claim_vesting(&k, &t, &v0, &thief_tokens),
        ix::transfer_vesting(&t, &v0, t),
        ix::close_vesting(&k, &t, &v0),
        ix::record_usage(&k, &t, &thief_tokens, 0, 1, None, None),
        ix::set_pause(&k, &t, true),
    ];
    for instruction in unsigned {
        refused_by_anchor(
            client.send(&[ix::without_signer(instruction, &t)], &[]).await,
            anchor_lang::error::ErrorCode::AccountNotSigner as u32,
        );
    }
    // A fake stake vault (the thief's own token account).
    let mut fake = ix::withdraw(&k, &me, &pos, &w.tokens);
    fake.accounts.iter_mut().filter(|a| a.pubkey == k.stake_vault).for_each(|a| a.pubkey = thief_tokens);
    refused(client.send(&[fake], &[]).await, CoherenceError::EngineMismatch);
    refused(
        client.send(&[ix::claim_rewards(&k, &me, &pos, &w.tokens, false)], &[]).await,
        CoherenceError::NothingToClaim,
    );

    // --- vesting -------------------------------------------------------
    let schedule = |cliff: i64, end: i64, start: i64| CreateVestingArgs {
        beneficiary: me,
        total: 10 * UNIT,
        start,
        cliff: start + cliff,
        end: start + end,
        period: 0,
        revocable: true,
        usage_rate_bps: 0,
        grace_secs: 0,
    };
    let (cliff, dur) = (MIN_VESTING_CLIFF_FLOOR as i64, MIN_VESTING_DURATION_FLOOR as i64);
    refused(
        client.send(&[ix::create_vesting(&k, &me, &me, 0, schedule(60, dur, now + 5), 4)], &[]).await,
        CoherenceError::VestingCliffTooShort,
    );
    refused(
        client.send(&[ix::create_vesting(&k, &me, &me, 0, schedule(cliff, cliff + 1, now + 5), 4)], &[]).await,
        CoherenceError::VestingDurationTooShort,
    );
    refused(
        client.send(&[ix::create_vesting(&k, &me, &me, 0, schedule(cliff, dur, now - 10 * DAY as i64), 4)], &[]).await,
        CoherenceError::VestingStartInPast,
    );
    refused(
        client
            .send(&[ix::create_vesting(&k, &me, &thief.pubkey(), 0, schedule(cliff, dur, now + 5), 4)], &[&thief])
            .await,
        CoherenceError::NotAuthority,
    );
    client
        .send(&[ix::create_vesting(&k, &me, &me, 0, schedule(cliff, dur, now + 5), 4)], &[])
        .await
        .expect("create_vesting");
    let v = pda::vesting(&k.engine, 0);
    refused(client.send(&[ix::claim_vesting(&k, &me, &v, &w.tokens)], &[]).await, CoherenceError::NothingToClaim);
    refused(
        client.send(&[ix::claim_vesting(&k, &thief.pubkey(), &v, &thief_tokens)], &[&thief]).await,
        CoherenceError::NotBeneficiary,
    );
    refused(client.send(&[ix::close_vesting(&k, &me, &v)], &[]).await, CoherenceError::ScheduleNotEmpty);
    refused(client.send(&[ix::revoke_vesting(&k, &thief.pubkey(), &v)], &[&thief]).await, CoherenceError::NotAuthority);

    // --- governance and minting ----------------------------------------
    let mut p = defaults::params(100_000 * UNIT);
    p.min_lock = EPOCH;
    p.min_vesting_cliff = MIN_VESTING_CLIFF_FLOOR;
    p.min_vesting_duration = MIN_VESTING_DURATION_FLOOR;
    let mut high = p;
    high.alpha_bps = 9_001;
    refused(client.send(&[ix::propose_params(&k, &me, high)], &[]).await, CoherenceError::AlphaOutOfBounds);
    client.send(&[ix::propose_params(&k, &me, p)], &[]).await.expect("propose");
    refused(client.send(&[ix::apply_params(&k)], &[]).await, CoherenceError::TimelockNotElapsed);
    client.send(&[ix::cancel_params(&k, &me)], &[]).await.expect("cancel");
    refused(client.send(&[ix::set_pause(&k, &thief.pubkey(), true)], &[&thief]).await, CoherenceError::NotAuthority);
    refused(
        client.send(&[ix::accept_authority(&k, &thief.pubkey())], &[&thief]).await,
        CoherenceError::NoPendingAuthority,
    );
    // The old mint authority (this wallet) can no longer mint.
    let mint_more = t22::instruction::mint_to(&k.token_program, &k.mint, &w.tokens, &me, &[], UNIT).unwrap();
    refused_by_token_program(client.send(&[mint_more], &[]).await);
    // Genesis again for the same mint, and for a Token-2022 mint with a permanent delegate.
    refused(
        client.send(&[ix::initialize_engine(&k, &me, &me, defaults::init_args(me, 10_000_000 * UNIT))], &[]).await,
        CoherenceError::NotMintAuthority,
    );
    let m22 = Keypair::new();
    client
        .send(&create_mint_ixs(&me, &m22.pubkey(), t22::ID, &me, None, &[Ext::PermanentDelegate], 6), &[&m22])
        .await
        .expect("t22 mint");
    let k22 = EngineKeys::new(m22.pubkey(), t22::ID);
    refused(
        client.send(&[ix::initialize_engine(&k22, &me, &me, defaults::init_args(me, 10_000_000 * UNIT))], &[]).await,
        CoherenceError::PermanentDelegateNotAllowed,
    );

    // --- usage and epochs ------------------------------------------------
    let victim = Pubkey::new_unique();
    let theft =
        [ops::create_ata_ix(&k, &me, &victim), ix::record_usage(&k, &me, &ops::ata(&k, &victim), 0, 1, None, None)];
    refused(client.send(&theft, &[]).await, CoherenceError::WrongTokenOwner);
    let other = Keypair::new();
    let other_keys = EngineKeys::new(other.pubkey(), k.token_program);
    let foreign = ops::ata(&other_keys, &me);
    let mut foreign_mint = create_mint_ixs(&me, &other.pubkey(), k.token_program, &me, None, &[], 6);
    foreign_mint.push(ops::create_ata_ix(&other_keys, &me, &me));
    client.send(&foreign_mint, &[&other]).await.expect("foreign mint");
    refused(
        client.send(&[ix::record_usage(&k, &me, &foreign, 0, 1, None, None)], &[]).await,
        CoherenceError::WrongMint,
    );
    refused(client.send(&[ix::close_epoch(&k, &me, 0, 4)], &[]).await, CoherenceError::EpochNotEnded);
    refused(client.send(&[ix::close_epoch(&k, &me, 1, 4)], &[]).await, CoherenceError::EpochOutOfOrder);

    // --- honest lifecycle and the economic attacks that need an epoch ------
    // A builder source, usage in every shard (half attributed), the epoch
    // closes, the stream pays the staker, the builder claims.
    let (builder, builder_tokens) = wallet(client, &w, 0).await;
    client.send(&[ix::register_source(&k, &builder.pubkey(), 0)], &[&builder]).await.expect("register_source");
    let source = pda::source(&k.engine, 0);
    let genesis_ts = client.get::<coherence::state::Engine>(&k.engine).await.unwrap().genesis_ts;
    let burned = 40 * UNIT;
    for shard in 0..4u8 {
        let src = (shard % 2 == 0).then_some(source);
        client
            .send(&[ix::record_usage(&k, &me, &w.tokens, shard, burned / 4, src, None)], &[])
            .await
            .expect("record_usage");
    }
    let before = balance(client, &w.tokens).await;
    wait_until(client, genesis_ts + EPOCH as i64).await;
    // Closing epoch 0 with a duplicated shard list is refused; the honest close works once.
    let mut dup = ix::close_epoch(&k, &me, 0, 4);
    let n = dup.accounts.len();
    dup.accounts[n - 1] = dup.accounts[n - 2].clone();
    refused(client.send(&[dup], &[]).await, CoherenceError::WrongShardAccounts);
    ops::crank(client, &k).await.expect("crank");
    refused(client.send(&[ix::close_epoch(&k, &me, 0, 4)], &[]).await, CoherenceError::EpochAlreadyClosed);
    let record: coherence::state::EpochRecord = client.get(&pda::epoch_record(&k.engine, 0)).await.unwrap();
    assert_eq!(record.usage, burned);
    assert!(record.gate_passed && record.emission > 0, "{record:?}");
    assert!(record.emission as u128 * 10_000 <= burned as u128 * coherence::constants::MAX_ALPHA_BPS as u128, "I1");

    // The stream runs for one epoch; the sole staker claims its share, the
    // builder its pool. Wash usage by the sole staker and sole builder: what
    // it gets back is below what it burned.
    wait_until(client, record.closed_at + EPOCH as i64 + 1).await;
    client.send(&[ix::claim_rewards(&k, &me, &pos, &w.tokens, false)], &[]).await.expect("claim_rewards");
    let records = ops::source_claim_records(client, &k, &source).await.expect("source records");
    let claim = ix::claim_source_rewards(&k, &builder.pubkey(), &source, &records, &builder_tokens);
    client.send(&[claim], &[&builder]).await.expect("claim_source_rewards");
    // Double claim: the stream has ended, nothing more is owed.
    refused(
        client.send(&[ix::claim_rewards(&k, &me, &pos, &w.tokens, false)], &[]).await,
        CoherenceError::NothingToClaim,
    );
    let staker_got = balance(client, &w.tokens).await - before;
    let builder_got = balance(client, &builder_tokens).await;
    assert_eq!(
        staker_got + builder_got,
        record.stakers_amount + record.builders_amount,
        "everything streamed was paid"
    );
    assert!(
        staker_got + builder_got + record.treasury_amount < burned,
        "wash usage loses: got {} of {burned}",
        staker_got + builder_got
    );
    // A 1-unit funding cannot move a stream's end (the stream is idle now, so the first funding starts one of an epoch).
    client.send(&[ix::fund_rewards(&k, &me, &w.tokens, 1_000)], &[]).await.expect("fund");
    let end = client.get::<coherence::state::StakePool>(&k.stake_pool).await.unwrap().stream.end;
    client.send(&[ix::fund_rewards(&k, &me, &w.tokens, 1)], &[]).await.expect("tiny fund");
    assert_eq!(
        client.get::<coherence::state::StakePool>(&k.stake_pool).await.unwrap().stream.end,
        end,
        "end never moves"
    );

    // The exit works: unbond, wait the lock, withdraw the principal.
    client.send(&[ix::start_unbond(&k, &me, &pos)], &[]).await.expect("start_unbond");
    refused(client.send(&[ix::withdraw(&k, &me, &pos, &w.tokens)], &[]).await, CoherenceError::StillLocked);
    let unbond: coherence::state::Position = client.get(&pos).await.unwrap();
    wait_until(client, unbond.unbond_start + EPOCH as i64).await;
    let before = balance(client, &w.tokens).await;
    client.send(&[ix::withdraw(&k, &me, &pos, &w.tokens)], &[]).await.expect("withdraw");
    assert_eq!(balance(client, &w.tokens).await - before, 10 * UNIT);
}

/// The deploy migration (what `anchor run deploy` runs) from a genesis file
/// for a fresh mint: the second run changes nothing.
async fn deploy_twice(client: &mut Client) {
    let me = client.payer().pubkey();
    let mint = Keypair::new();
    let keys = EngineKeys::new(mint.pubkey(), anchor_spl::token::ID);
    let mut ixs = create_mint_ixs(&me, &mint.pubkey(), keys.token_program, &me, None, &[], 6);
    ixs.push(ops::create_ata_ix(&keys, &me, &me));
    ixs.push(
        t22::instruction::mint_to_checked(
            &keys.token_program,
            &mint.pubkey(),
            &ops::ata(&keys, &me),
            &me,
            &[],
            1_000_000,
            6,
        )
        .unwrap(),
    );
    client.send(&ixs, &[&mint]).await.expect("mint");
    let genesis: coherence_migrations::Genesis = serde_json::from_value(serde_json::json!({
        "mint": mint.pubkey().to_string(),
        "max_supply": 10_000_000u64,
        "treasury_deposit": 500_000u64,
        "vesting": [{ "beneficiary": Pubkey::new_unique().to_string(), "amount": 100_000u64, "cliff_secs": 7_776_000u64, "duration_secs": 31_536_000u64 }]
    }))
    .unwrap();
    let first = coherence_migrations::deploy(client, &genesis).await.expect("first deploy");
    assert!(first.engine_created && first.deposited == 500_000 && first.schedules_created == vec![0], "{first:?}");
    let second = coherence_migrations::deploy(client, &genesis).await.expect("second deploy");
    assert!(!second.engine_created && second.deposited == 0 && second.schedules_created.is_empty(), "{second:?}");
    assert_eq!(client.get::<coherence::state::Engine>(&first.engine).await.unwrap().vesting_count, 1);
}

/// The holders' governance, prepared: an engine, two lockers (one hour and
/// one year), a realm with Coherence as its voter-weight plugin, its
/// governance over the engine, the lockers' token owner records.
struct Voters {
    k: EngineKeys,
    me: Pubkey,
    alice: Keypair,
    bob: Keypair,
    alice_pos: Pubkey,
    weights: u64,
    governance: Pubkey,
}

/// Votes run 20 seconds (wall clock on a validator).
const VOTING_SECS: u32 = 20;

/// On whatever cluster `client` talks to, against the real SPL Governance
/// 3.1.2 (at genesis of the validator and of `anchor test`; loaded in
/// process): engine, lockers, realm, governance, records and
/// `propose_voting`; before the timelock the apply and the plugin refuse by
/// name. The timelock is at least a day (a compiled-in bound): where the
/// clock can be moved (in process) voting is then applied and `Some` is
/// returned; over RPC, `None`.
async fn prepare_voting(client: &mut Client) -> Option<Voters> {
    use coherence::state::{Position, VoterWeightAction, VotingConfig};
    use coherence_sdk::spl_governance::{governance_config, Realms, REALMS_PROGRAM_ID};
    let w = genesis(client).await;
    let (k, me) = (w.keys, w.me);
    let (alice, alice_tokens) = wallet(client, &w, 1_000 * UNIT).await;
    let (bob, bob_tokens) = wallet(client, &w, 1_000 * UNIT).await;
    let open = ix::open_position(&k, &alice.pubkey(), &alice_tokens, 0, 1_000 * UNIT, 3_600);
    client.send(&[open], &[&alice]).await.expect("alice locks");
    let open = ix::open_position(&k, &bob.pubkey(), &bob_tokens, 0, 1_000 * UNIT, 365 * DAY);
    client.send(&[open], &[&bob]).await.expect("bob locks");
    let alice_pos = pda::position(&k.engine, &alice.pubkey(), 0);
    let bob_pos = pda::position(&k.engine, &bob.pubkey(), 0);
    let mut weights = 0;
    for p in [alice_pos, bob_pos] {
        weights += u64::try_from(client.get::<Position>(&p).await.unwrap().weight).unwrap();
    }

    // One realm per engine: its name (the address seed) from the mint.
    let realms = Realms::new(REALMS_PROGRAM_ID, &k.mint.to_string()[..16], k.mint);
    let governance = ops::engine_governance(&k, &realms);
    client.send(&[realms.create_realm(&me, &me, &coherence::ID)], &[]).await.expect("CreateRealm");
    let rules = governance_config(60, VOTING_SECS, 0);
    client.send(&[realms.create_governance(&k.engine, &me, &me, rules)], &[]).await.expect("CreateGovernance");
    for who in [&alice, &bob] {
        let create = realms.create_token_owner_record(&who.pubkey(), &me);
        client.send(&[create], &[]).await.expect("CreateTokenOwnerRecord");
    }
    let config = VotingConfig { realm: realms.realm, governance_program: REALMS_PROGRAM_ID, max_voter_weight: weights };
    client.send(&[ix::propose_voting(&k, &me, &me, config)], &[]).await.expect("propose_voting");
    refused(client.send(&[ix::apply_voting(&k)], &[]).await, CoherenceError::TimelockNotElapsed);
    let action = VoterWeightAction::CastVote;
    let refresh = ix::update_voter_weight_record(&k, &me, &alice.pubkey(), action, &governance, &[alice_pos]);
    refused(client.send(&[refresh], &[&alice]).await, CoherenceError::VotingNotConfigured);
    client.local_bank()?;
    let eta = client.get::<coherence::state::Registrar>(&pda::registrar(&k.engine)).await.unwrap().pending_eta;
    wait_until(client, eta).await;
    client.send(&[ix::apply_voting(&k), ix::update_max_voter_weight_record(&k, &me)], &[]).await.expect("apply");
    Some(Voters { k, me, alice, bob, alice_pos, weights, governance })
}

/// The vote itself, on an engine whose holders vote: the engine handed to
/// the governance by a vote, a parameter change voted with exactly the
/// positions' boosted weights and executed by the governance; its apply
/// refused before the engine's timelock (and, where the clock can be moved,
/// applied after it); an exit refused until the votes are relinquished.
async fn vote_through(client: &mut Client, v: &Voters) {
    use coherence_sdk::spl_governance as gov;
    let (k, me, governance) = (v.k, v.me, v.governance);
    client.send(&[ix::propose_authority(&k, &me, governance)], &[]).await.expect("propose_authority");
    let both = [&v.alice, &v.bob];
    let handover = propose_and_vote(client, &k, &[ix::accept_authority(&k, &governance)], &both).await;
    decide(client, &k, &handover, VOTING_SECS).await.expect("execute accept_authority");
    assert_eq!(client.get::<coherence::state::Engine>(&k.engine).await.unwrap().authority, governance);

    let mut p = client.get::<coherence::state::Engine>(&k.engine).await.unwrap().params;
    p.alpha_bps = 4_000;
    let change = propose_and_vote(client, &k, &[ix::propose_params(&k, &governance, p)], &both).await;
    let data = client.account(&change).await.unwrap().unwrap().data;
    let proposal: gov::Proposal = gov::decode(&data, gov::account_type::PROPOSAL_V2).unwrap();
    assert_eq!(proposal.yes(), v.weights, "yes = the two positions' boosted weights, exactly");
    decide(client, &k, &change, VOTING_SECS).await.expect("execute propose_params");
    let engine = client.get::<coherence::state::Engine>(&k.engine).await.unwrap();
    assert_eq!(engine.pending_params.map(|p| p.alpha_bps), Some(4_000));
    refused(client.send(&[ix::apply_params(&k)], &[]).await, CoherenceError::TimelockNotElapsed);
    if client.local_bank().is_some() {
        wait_until(client, engine.pending_eta).await;
        client.send(&[ix::apply_params(&k)], &[]).await.expect("apply_params");
        assert_eq!(client.get::<coherence::state::Engine>(&k.engine).await.unwrap().params.alpha_bps, 4_000);
    }

    let realms = engine_realm(client, &k).await;
    let record = realms.token_owner_record(&v.alice.pubkey());
    let unbond = ix::start_unbond_voting(&k, &v.alice.pubkey(), &v.alice_pos, Some(record));
    refused(client.send(std::slice::from_ref(&unbond), &[&v.alice]).await, CoherenceError::VotesNotRelinquished);
    for proposal in [handover, change] {
        let relinquish = realms.relinquish_vote(&governance, &proposal, &v.alice.pubkey(), None);
        client.send(&[relinquish], &[]).await.expect("relinquish");
    }
    client.send(&[unbond], &[&v.alice]).await.expect("unbond after relinquishing");
}

/// The holders' governance on `client`: prepared and, where the clock can
/// be moved, voted through (see [`prepare_voting`], [`vote_through`]).
async fn holders_vote(client: &mut Client) {
    match prepare_voting(client).await {
        Some(voters) => vote_through(client, &voters).await,
        None => eprintln!(
            "validator tier: realm, governance and records created with the real SPL Governance over RPC; the vote after the engine's timelock runs in holders_vote_on_a_validator (state prepared in process, loaded at genesis)"
        ),
    }
}

/// The realm the engine's holders vote in (after `apply_voting`).
async fn engine_realm(client: &mut Client, k: &EngineKeys) -> coherence_sdk::spl_governance::Realms {
    let engine: coherence::state::Engine = client.get(&k.engine).await.unwrap();
    ops::engine_realm(k, &engine).expect("voting applied")
}

/// A proposal by `voters[0]` whose transaction is `ixs`, voted yes by every voter.
async fn propose_and_vote(
    client: &mut Client,
    k: &EngineKeys,
    ixs: &[anchor_lang::solana_program::instruction::Instruction],
    voters: &[&Keypair],
) -> Pubkey {
    let realms = engine_realm(client, k).await;
    let (proposal, plan) = ops::propose_transactions(client, k, &realms, &voters[0].pubkey(), "p", ixs).await.unwrap();
    for tx in plan {
        client.send(&tx, &[voters[0]]).await.expect("propose");
    }
    for v in voters {
        let yes = coherence_sdk::spl_governance::Vote::yes();
        let vote = ops::vote_ixs(client, k, &realms, &proposal, &v.pubkey(), yes).await.expect("vote plan");
        client.send(&vote, &[*v]).await.expect("vote");
    }
    proposal
}

/// Waits out the vote, then finalizes and executes (permissionless).
async fn decide(
    client: &mut Client,
    k: &EngineKeys,
    proposal: &Pubkey,
    voting_secs: u32,
) -> Result<String, ClientError> {
    let now = client.now().await.unwrap();
    wait_until(client, now + i64::from(voting_secs) + 1).await;
    let realms = engine_realm(client, k).await;
    let ixs = ops::execute_ixs(client, k, &realms, proposal).await.expect("execute plan");
    client.send(&ixs, &[]).await
}

/// The holders' vote over RPC on a validator the test starts
/// (`COHERENCE_VALIDATOR=1`), SPL Governance at its genesis. The engine's
/// timelock (at least a day) cannot be waited out on a wall clock, so the
/// engine, lockers, realm and governance are prepared in process through
/// `apply_voting` and their accounts loaded at the validator's genesis;
/// the hand-over, the votes, the executions, the refused early apply and
/// exit, the relinquishing and the exit then run over RPC.
#[tokio::test]
async fn holders_vote_on_a_validator() {
    // Under `anchor test` too (its script sets the variable): this test
    // starts its own validator beside Anchor's, since the prepared accounts
    // must be in the genesis.
    if std::env::var("COHERENCE_VALIDATOR").as_deref() != Ok("1") {
        eprintln!("holders_vote_on_a_validator NOT RUN: set COHERENCE_VALIDATOR=1");
        return;
    }
    let binary = validator_binary().expect("solana-test-validator: run scripts/install-validator.sh");
    let so = program_so().expect("target/deploy/coherence.so: run scripts/build-sbf.sh");
    let payer = Keypair::new();
    let bank =
        coherence_tests::token_program::local_bank(&[payer.pubkey()], coherence_tests::voting::add_spl_governance)
            .await;
    let mut local = Client::local(bank, payer.insecure_clone());
    let voters = prepare_voting(&mut local).await.expect("prepared in process");
    let state = local.local_bank().expect("in process").snapshot().await.unwrap();
    let accounts: Vec<(Pubkey, solana_account::Account)> = state
        .accounts
        .into_iter()
        .filter(|a| a.address != payer.pubkey().to_bytes())
        .map(|a| {
            let account = solana_account::Account {
                lamports: a.lamports,
                data: a.data,
                owner: Pubkey::new_from_array(a.owner),
                executable: false,
                rent_epoch: 0,
            };
            (Pubkey::new_from_array(a.address), account)
        })
        .collect();
    let timeout = Duration::from_secs(120);
    let options = coherence_tests::validator::Options::default();
    let validator =
        TestValidator::start_with_accounts(&binary, &so, &payer.pubkey(), timeout, options, &accounts).await;
    eprintln!("holders_vote_on_a_validator: {} accounts prepared in process, at {}", accounts.len(), validator.url);
    let backend = RpcBackend::new(
        validator.url.clone(),
        solana_commitment_config::CommitmentConfig::confirmed(),
        PriorityFee::None,
    );
    let mut client = Client::rpc(backend, payer);
    vote_through(&mut client, &voters).await;
    eprintln!("holders_vote_on_a_validator: handed over, voted, executed and relinquished over RPC");
}

#[tokio::test]
async fn holders_vote_in_process() {
    let payer = Keypair::new();
    let bank =
        coherence_tests::token_program::local_bank(&[payer.pubkey()], coherence_tests::voting::add_spl_governance)
            .await;
    let mut client = Client::local(bank, payer);
    holders_vote(&mut client).await;
}

#[tokio::test]
async fn scenarios_in_process() {
    let payer = Keypair::new();
    let bank = coherence_tests::token_program::local_bank(&[payer.pubkey()], |_| {}).await;
    let mut client = Client::local(bank, payer);
    scenarios(&mut client).await;
    deploy_twice(&mut client).await;
}

#[tokio::test]
async fn scenarios_on_a_validator() {
    let payer = Keypair::new();
    let (url, _running) = match std::env::var("ANCHOR_PROVIDER_URL") {
        Ok(url) => {
            // `anchor test`: its validator, its funded wallet.
            let wallet = std::env::var("ANCHOR_WALLET").expect("ANCHOR_WALLET with ANCHOR_PROVIDER_URL");
            let bytes: Vec<u8> = serde_json::from_str(&std::fs::read_to_string(&wallet).expect("read ANCHOR_WALLET"))
                .expect("keypair JSON");
            let funded = Keypair::try_from(&bytes[..]).expect("keypair");
            let backend = RpcBackend::new(
                url.clone(),
                solana_commitment_config::CommitmentConfig::confirmed(),
                PriorityFee::None,
            );
            let mut client = Client::rpc(backend, funded);
            eprintln!("validator tier: against {url} (ANCHOR_PROVIDER_URL)");
            scenarios(&mut client).await;
            deploy_twice(&mut client).await;
            holders_vote(&mut client).await;
            return;
        }
        Err(_) if std::env::var("COHERENCE_VALIDATOR").as_deref() != Ok("1") => {
            eprintln!("validator tier NOT RUN: set COHERENCE_VALIDATOR=1 (needs scripts/install-validator.sh and scripts/build-sbf.sh)");
            return;
        }
        Err(_) => {
            let binary = validator_binary()
                .expect("COHERENCE_VALIDATOR=1 but solana-test-validator is missing: run scripts/install-validator.sh");
            let so = program_so()
                .expect("COHERENCE_VALIDATOR=1 but target/deploy/coherence.so is missing: run scripts/build-sbf.sh");
            let validator = TestValidator::start(&binary, &so, &payer.pubkey(), Duration::from_secs(120)).await;
            eprintln!("validator tier: started {} with {} at {}", binary.display(), so.display(), validator.url);
            // The token program at SPL Token's address is the one COHERENCE_P_TOKEN selects.
            let rpc = solana_rpc_client::nonblocking::rpc_client::RpcClient::new(validator.url.clone());
            let elf = coherence_tests::token_program::program_elf(&rpc, &coherence_tests::TOKEN).await;
            let selected = coherence_tests::token_program::SplToken::selected();
            let p_token = coherence_tests::token_program::p_token_so();
            assert_eq!(elf.starts_with(&p_token), selected == coherence_tests::token_program::SplToken::PToken);
            eprintln!("validator tier: {} at SPL Token's address", selected.label());
            (validator.url.clone(), validator)
        }
    };
    let backend = RpcBackend::new(url, solana_commitment_config::CommitmentConfig::confirmed(), PriorityFee::None);
    let mut client = Client::rpc(backend, payer);
    scenarios(&mut client).await;
    deploy_twice(&mut client).await;
    holders_vote(&mut client).await;
    eprintln!("validator tier: every scenario, the deploy migration and the holders' governance passed over RPC");
}
