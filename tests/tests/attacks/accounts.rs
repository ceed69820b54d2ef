//! Account-validation attacks (DESIGN §7, "Account validation"): missing
//! signers, other users' accounts, fake vaults and token accounts, accounts
//! of another engine, reinitialization and duplicate mutable accounts.

use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence_sdk::{instructions as ix, EngineKeys};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;

const AMOUNT: u64 = 1_000_000_000;
const WEEK: u64 = 7 * DAY;

struct World {
    h: Harness,
    f: Fixture,
    owner: Keypair,
    tokens: Pubkey,
    position: Pubkey,
    vesting: Pubkey,
}

async fn world() -> World {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    f.fund_treasury(&mut h, AMOUNT).await.unwrap();
    let (owner, tokens) = f.user(&mut h, 2 * AMOUNT).await;
    let position = f.open(&mut h, &owner, &tokens, 1, AMOUNT, WEEK).await.unwrap();
    let start = h.now().await;
    let vesting = f
        .create_vesting(&mut h, vesting_args(owner.pubkey(), AMOUNT, start, 93 * DAY, 372 * DAY, 0, true))
        .await
        .unwrap();
    World { h, f, owner, tokens, position, vesting }
}

/// Every owner-only instruction with its owner's signature removed.
#[tokio::test]
async fn missing_signer_on_every_owner_instruction() {
    let World { mut h, f, owner, tokens, position, vesting } = world().await;
    let o = owner.pubkey();
    let k = &f.keys;
    let cases: Vec<(&str, Instruction)> = vec![
        ("open_position", ix::open_position(k, &o, &tokens, 2, 1, WEEK)),
        ("add_to_position", ix::add_to_position(k, &o, &position, &tokens, 1)),
        ("extend_lock", ix::extend_lock(k, &o, &position, 2 * WEEK)),
        ("start_unbond", ix::start_unbond(k, &o, &position)),
        ("withdraw", ix::withdraw(k, &o, &position, &tokens)),
        ("claim_rewards", ix::claim_rewards(k, &o, &position, &tokens, false)),
        ("close_position", ix::close_position(k, &o, &position)),
        ("fund_rewards", ix::fund_rewards(k, &o, &tokens, 1)),
        ("deposit_treasury", ix::deposit_treasury(k, &o, &tokens, 1)),
        ("claim_vesting", ix::claim_vesting(k, &o, &vesting, &tokens)),
        ("transfer_vesting", ix::transfer_vesting(&o, &vesting, Pubkey::new_unique())),
        ("close_vesting", ix::close_vesting(k, &o, &vesting)),
        (
            "create_vesting",
            ix::without_signer(
                ix::create_vesting(
                    k,
                    &h.payer().pubkey(),
                    &f.authority.pubkey(),
                    1,
                    vesting_args(o, 1, 0, 0, 0, 0, false),
                    4,
                ),
                &f.authority.pubkey(),
            ),
        ),
        (
            "revoke_vesting",
            ix::without_signer(ix::revoke_vesting(k, &f.authority.pubkey(), &vesting), &f.authority.pubkey()),
        ),
    ];
    for (name, instruction) in cases {
        let unsigned = ix::without_signer(instruction, &o);
        let result = h.send(&[unsigned], &[]).await;
        assert_eq!(custom_code(&result), Some(AnchorError::AccountNotSigner as u32), "{name}: {result:?}");
    }
    assert_eq!(h.balance(&tokens).await, AMOUNT);
}

/// Another user's position or schedule.
#[tokio::test]
async fn another_users_position_or_schedule_rejected() {
    let World { mut h, f, position, vesting, .. } = world().await;
    let (thief, thief_tokens) = f.user(&mut h, AMOUNT).await;
    let t = thief.pubkey();
    let k = &f.keys;
    let cases: Vec<(Instruction, CoherenceError)> = vec![
        (ix::add_to_position(k, &t, &position, &thief_tokens, 1), CoherenceError::NotPositionOwner),
        (ix::extend_lock(k, &t, &position, 2 * WEEK), CoherenceError::NotPositionOwner),
        (ix::start_unbond(k, &t, &position), CoherenceError::NotPositionOwner),
        (ix::withdraw(k, &t, &position, &thief_tokens), CoherenceError::NotPositionOwner),
        (ix::claim_rewards(k, &t, &position, &thief_tokens, false), CoherenceError::NotPositionOwner),
        (ix::close_position(k, &t, &position), CoherenceError::NotPositionOwner),
        (ix::claim_vesting(k, &t, &vesting, &thief_tokens), CoherenceError::NotBeneficiary),
        (ix::transfer_vesting(&t, &vesting, t), CoherenceError::NotBeneficiary),
        (ix::close_vesting(k, &t, &vesting), CoherenceError::NotBeneficiary),
    ];
    for (instruction, err) in cases {
        assert_error(h.send(&[instruction], &[&thief]).await, err);
    }
}

/// Fake vaults and token accounts of another mint or owner.
#[tokio::test]
async fn fake_vault_or_foreign_token_account_rejected() {
    let World { mut h, f, owner, tokens, position, .. } = world().await;
    let o = owner.pubkey();
    // A token account of the right mint the attacker controls, posing as the stake vault.
    let (attacker, attacker_tokens) = f.user(&mut h, 0).await;
    let mut fake_vault = ix::open_position(&f.keys, &o, &tokens, 2, 1, WEEK);
    fake_vault.accounts[6].pubkey = attacker_tokens; // stake_vault
    assert_error(h.send(&[fake_vault], &[&owner]).await, CoherenceError::EngineMismatch);
    // A source account of another mint.
    let other_mint = h.create_mint(TOKEN, &attacker.pubkey(), None, &[]).await;
    let foreign = h.token_account(&other_mint, &o).await;
    assert_error(
        h.send(&[ix::open_position(&f.keys, &o, &foreign, 2, 1, WEEK)], &[&owner]).await,
        CoherenceError::WrongMint,
    );
    // Paying from someone else's account.
    assert_error(
        h.send(&[ix::open_position(&f.keys, &o, &attacker_tokens, 2, 1, WEEK)], &[&owner]).await,
        CoherenceError::WrongTokenOwner,
    );
    // Rewards paid into someone else's account.
    assert_error(
        h.send(&[ix::claim_rewards(&f.keys, &o, &position, &attacker_tokens, false)], &[&owner]).await,
        CoherenceError::WrongTokenOwner,
    );
    // The wrong token program.
    let mut wrong_program = ix::deposit_treasury(&f.keys, &o, &tokens, 1);
    wrong_program.accounts[5].pubkey = TOKEN_2022;
    assert_error(h.send(&[wrong_program], &[&owner]).await, CoherenceError::WrongTokenProgram);
}

/// Accounts of a different engine mixed into an instruction.
#[tokio::test]
async fn accounts_of_a_different_engine_rejected() {
    let World { mut h, f, owner, tokens, position, vesting } = world().await;
    let other = Fixture::new(&mut h, TOKEN).await;
    let o = owner.pubkey();
    // Our position presented to the other engine (with the other engine's pool).
    assert_error(
        h.send(&[ix::start_unbond(&other.keys, &o, &position)], &[&owner]).await,
        CoherenceError::EngineMismatch,
    );
    // Our engine with the other engine's stake pool.
    let mixed = EngineKeys { stake_pool: other.keys.stake_pool, ..f.keys };
    assert_error(h.send(&[ix::start_unbond(&mixed, &o, &position)], &[&owner]).await, CoherenceError::EngineMismatch);
    // The other engine's vesting vault to pay our schedule.
    let mixed = EngineKeys { vesting_vault: other.keys.vesting_vault, ..f.keys };
    assert_error(
        h.send(&[ix::claim_vesting(&mixed, &o, &vesting, &tokens)], &[&owner]).await,
        CoherenceError::EngineMismatch,
    );
    // Our schedule revoked through the other engine (whose authority signs).
    assert_error(
        h.send(&[ix::revoke_vesting(&other.keys, &other.authority.pubkey(), &vesting)], &[&other.authority]).await,
        CoherenceError::EngineMismatch,
    );
}

/// Reinitializing an existing position at its address.
#[tokio::test]
async fn reinitializing_a_position_rejected() {
    let World { mut h, f, owner, tokens, .. } = world().await;
    assert_error(
        f.open(&mut h, &owner, &tokens, 1, AMOUNT, WEEK).await.map(|_| ()),
        CoherenceError::AccountAlreadyInitialized,
    );
}

/// The same writable token account twice (vault as destination).
#[tokio::test]
async fn duplicate_mutable_accounts_rejected() {
    let World { mut h, f, owner, position, .. } = world().await;
    let o = owner.pubkey();
    let result = h.send(&[ix::claim_rewards(&f.keys, &o, &position, &f.keys.reward_vault, false)], &[&owner]).await;
    assert_anchor_error(result, AnchorError::ConstraintDuplicateMutableAccount);
    let result = h.send(&[ix::withdraw(&f.keys, &o, &position, &f.keys.stake_vault)], &[&owner]).await;
    assert_anchor_error(result, AnchorError::ConstraintDuplicateMutableAccount);
}

/// The event CPI (the program invoking itself with an event) is answered by
/// the entrypoint: called from outside, without the event authority's
/// signature (which only the program can give), it is refused by name and
/// changes nothing — whether the authority is named unsigned, another key
/// signs in its place, or no account is given.
#[tokio::test]
#[allow(deprecated)] // NotEnoughAccountKeys: what `next_account_info` (and Anchor) return
async fn a_forged_event_cpi_is_refused() {
    use anchor_lang::solana_program::instruction::AccountMeta;
    use solana_instruction_error::InstructionError;
    use solana_program_test::BanksClientError;
    use solana_transaction_error::TransactionError;
    let mut h = Harness::new().await;
    let data = [anchor_lang::event::EVENT_IX_TAG_LE, &[7; 16]].concat();
    let event = |accounts: Vec<AccountMeta>| Instruction { program_id: coherence::ID, accounts, data: data.clone() };

    let unsigned = event(vec![AccountMeta::new_readonly(coherence_sdk::pda::event_authority(), false)]);
    assert_anchor_error(h.send(&[unsigned], &[]).await, AnchorError::ConstraintSigner);

    let impostor = Keypair::new();
    let signed = event(vec![AccountMeta::new_readonly(impostor.pubkey(), true)]);
    assert_anchor_error(h.send(&[signed], &[&impostor]).await, AnchorError::ConstraintSeeds);

    let none = h.send(&[event(vec![])], &[]).await;
    assert!(
        matches!(
            &none,
            Err(BanksClientError::TransactionError(TransactionError::InstructionError(
                _,
                InstructionError::NotEnoughAccountKeys
            )))
        ),
        "{none:?}"
    );
}

/// The entrypoint reads up to 64 accounts onto the stack and a longer list
/// into a `Vec`. Remaining accounts (duplicates cost a byte each in the
/// transaction) take an instruction to 64, 65 and 200 accounts: it works
/// the same on both sides of the limit, a refusal past it is still named,
/// and the owner's exit with a padded list still pays out.
#[tokio::test]
async fn account_lists_longer_than_the_entrypoints_stack_array_work() {
    use anchor_lang::solana_program::instruction::AccountMeta;
    let World { mut h, f, owner, tokens, position, .. } = world().await;
    let authority = f.authority.pubkey();
    let padded = |mut ix: Instruction, total: usize, key: Pubkey| {
        let extra = total - ix.accounts.len();
        ix.accounts.extend(std::iter::repeat_n(AccountMeta::new_readonly(key, false), extra));
        ix
    };
    for (total, paused) in [(64, true), (65, false), (200, true), (65, false)] {
        h.send(&[padded(ix::set_pause(&f.keys, &authority, paused), total, authority)], &[&f.authority]).await.unwrap();
        assert_eq!(f.engine(&mut h).await.paused, paused, "{total} accounts");
    }
    let intruder = Keypair::new();
    let refused =
        h.send(&[padded(ix::set_pause(&f.keys, &intruder.pubkey(), true), 65, authority)], &[&intruder]).await;
    assert_error(refused, CoherenceError::NotAuthority);
    assert!(!f.engine(&mut h).await.paused);

    f.fund_rewards(&mut h, AMOUNT).await.unwrap();
    h.warp_by(WEEK as i64).await;
    let before = h.balance(&tokens).await;
    let claim = ix::claim_rewards(&f.keys, &owner.pubkey(), &position, &tokens, false);
    h.send(&[padded(claim, 100, owner.pubkey())], &[&owner]).await.unwrap();
    assert!(h.balance(&tokens).await > before, "rewards paid through a 100-account list");
}

/// The user instructions that only read the engine take it as an
/// `EngineView` (its bytes walked in place), not through Anchor's
/// `Account<Engine>`. Whatever stands in the engine's slot is refused by the
/// same name `Account` would give: another account of this program (the
/// stake pool), a copy of the engine's bytes owned by another program, an
/// address with no account. Nothing moves; afterwards each of them but
/// `claim_source_rewards` (its paying call: `tests/tests/emission.rs`)
/// works with the engine, every exit included (rewards, vesting, unbond
/// and withdraw).
#[tokio::test]
async fn what_stands_in_for_the_engine_where_it_is_read_in_place_is_refused() {
    let World { mut h, f, owner, tokens, position, vesting } = world().await;
    let o = owner.pubkey();
    let engine = h.bank.ctx.banks_client.get_account(f.keys.engine).await.unwrap().unwrap();
    let copy = Pubkey::new_unique();
    let foreign = solana_account::Account { owner: TOKEN, ..engine };
    h.bank.ctx.set_account(&copy, &foreign.into());
    let source = Pubkey::new_unique();
    let every: Vec<(&str, Instruction)> = vec![
        ("record_usage", ix::record_usage(&f.keys, &o, &tokens, 0, 1, None, None)),
        ("open_position", ix::open_position(&f.keys, &o, &tokens, 9, 1, WEEK)),
        ("add_to_position", ix::add_to_position(&f.keys, &o, &position, &tokens, 1)),
        ("extend_lock", ix::extend_lock(&f.keys, &o, &position, 2 * WEEK)),
        ("fund_rewards", ix::fund_rewards(&f.keys, &o, &tokens, 1)),
        ("deposit_treasury", ix::deposit_treasury(&f.keys, &o, &tokens, 1)),
        ("claim_rewards", ix::claim_rewards(&f.keys, &o, &position, &tokens, false)),
        ("claim_vesting", ix::claim_vesting(&f.keys, &o, &vesting, &tokens)),
        ("claim_source_rewards", ix::claim_source_rewards(&f.keys, &o, &source, &[], &tokens)),
        ("start_unbond", ix::start_unbond(&f.keys, &o, &position)),
        ("withdraw", ix::withdraw(&f.keys, &o, &position, &tokens)),
    ];
    // Only the engine's slot changes: the other accounts stay the real ones.
    let with_engine = |ix: &Instruction, stand_in: Pubkey| {
        let mut ix = ix.clone();
        let slot = ix.accounts.iter_mut().find(|m| m.pubkey == f.keys.engine).expect("an engine slot");
        slot.pubkey = stand_in;
        ix
    };
    let before = h.balance(&tokens).await;
    for (stand_in, expected) in [
        (f.keys.stake_pool, AnchorError::AccountDiscriminatorMismatch),
        (copy, AnchorError::AccountOwnedByWrongProgram),
        (Pubkey::new_unique(), AnchorError::AccountNotInitialized),
    ] {
        for (name, call) in &every {
            let result = h.send(&[with_engine(call, stand_in)], &[&owner]).await;
            assert_eq!(custom_code(&result), Some(expected as u32), "{name} with {expected:?}: {result:?}");
        }
    }
    assert_eq!(h.balance(&tokens).await, before, "a refused call moved tokens");

    // With the engine, in an order in which each can succeed.
    let send = |name: &'static str| every.iter().find(|(n, _)| *n == name).expect(name).1.clone();
    for name in ["record_usage", "open_position", "add_to_position", "extend_lock", "fund_rewards", "deposit_treasury"]
    {
        h.send(&[send(name)], &[&owner]).await.unwrap_or_else(|e| panic!("{name} with the engine: {e:?}"));
    }
    assert_eq!(h.balance(&tokens).await, before - 5, "five calls paid or staked one unit each");
    f.fund_rewards(&mut h, AMOUNT).await.unwrap();
    h.warp_by(100 * DAY as i64).await; // past the schedule's cliff, the rewards streamed
    for name in ["claim_rewards", "claim_vesting"] {
        let paid_before = h.balance(&tokens).await;
        h.send(&[send(name)], &[&owner]).await.unwrap_or_else(|e| panic!("{name} with the engine: {e:?}"));
        assert!(h.balance(&tokens).await > paid_before, "{name} paid");
    }
    h.send(&[send("start_unbond")], &[&owner]).await.expect("start_unbond with the engine");
    h.warp_by(3 * WEEK as i64).await;
    let paid_before = h.balance(&tokens).await;
    h.send(&[send("withdraw")], &[&owner]).await.expect("withdraw with the engine");
    assert_eq!(h.balance(&tokens).await, paid_before + AMOUNT + 1, "the principal paid out");
}
