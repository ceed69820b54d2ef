//! Attacks on the holders' vote (#20, DESIGN §9), against the real SPL
//! Governance 3.1.2 bytecode. Each is refused by a named Coherence error
//! or by the governance program's own error code.
//!
//! Defenses: a voter weight counts only the owner's own locked positions
//! of this engine, each once; it is valid for one slot, one action and one
//! target; exits read the owner's token owner record while the engine's
//! holders vote; the max voter weight is a constant of the registrar.

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountSerialize;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::math::stake::weight;
use coherence::state::{MaxVoterWeightRecord, Position, VoterWeightAction, VoterWeightRecord};
use coherence_sdk::instructions as ix;
use coherence_sdk::spl_governance::{ProposalState, Vote};
use coherence_tests::voting::{harness, Dao};
use coherence_tests::*;
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;

const AMOUNT: u64 = 100_000_000_000;
const LOCK: u64 = 30 * DAY;

/// SPL Governance's error codes the attacks meet (`governance/program/src/error.rs`).
const VOTER_WEIGHT_RECORD_EXPIRED: u32 = 577;
const VOTER_WEIGHT_RECORD_INVALID_ACTION: u32 = 587;
const VOTER_WEIGHT_RECORD_INVALID_ACTION_TARGET: u32 = 588;
/// `spl-governance-tools`: the account is not owned by the configured plugin.
const INVALID_ACCOUNT_OWNER: u32 = 1102;

/// A realm over a fresh engine, two lockers (Alice 1×, Bob 1×) and a
/// pending proposal by Alice whose transaction is a harmless `apply_params`.
struct World {
    h: Harness,
    dao: Dao,
    alice: Keypair,
    alice_pos: Pubkey,
    bob: Keypair,
    bob_pos: Pubkey,
    proposal: Pubkey,
}

async fn world() -> World {
    let mut h = harness().await;
    let dao = Dao::setup(&mut h, 1_000 * AMOUNT).await;
    let (alice, alice_pos) = dao.locker(&mut h, AMOUNT, LOCK).await;
    let (bob, bob_pos) = dao.locker(&mut h, AMOUNT, LOCK).await;
    let tx = vec![ix::apply_params(&dao.f.keys)];
    let proposal = dao.propose(&mut h, &alice, &[alice_pos], "p", &tx).await.expect("propose");
    World { h, dao, alice, alice_pos, bob, bob_pos, proposal }
}

/// Attack: Mallory counts Alice's position as his. Refused: NotPositionOwner.
#[tokio::test]
async fn another_owners_position_adds_no_weight() {
    let mut w = world().await;
    let (mallory, _) = w.dao.locker(&mut w.h, AMOUNT, LOCK).await;
    let ixs = w.dao.vote_ixs(&w.h, &mallory.pubkey(), &[w.alice_pos], &w.proposal, &w.alice.pubkey(), Vote::yes());
    assert_error(w.h.send(&ixs, &[&mallory]).await, CoherenceError::NotPositionOwner);
}

/// Attack: one position passed twice. Refused: DuplicateAccount.
#[tokio::test]
async fn a_duplicated_position_is_counted_once_or_not_at_all() {
    let mut w = world().await;
    let (voter, pos) = (&w.bob, w.bob_pos);
    let ixs = w.dao.vote_ixs(&w.h, &voter.pubkey(), &[pos, pos], &w.proposal, &w.alice.pubkey(), Vote::yes());
    assert_error(w.h.send(&ixs, &[voter]).await, CoherenceError::DuplicateAccount);
}

/// Attack: a position of another engine (same owner) adds its weight.
/// Refused: EngineMismatch.
#[tokio::test]
async fn a_position_of_another_engine_adds_no_weight() {
    let mut w = world().await;
    let other = Fixture::new(&mut w.h, TOKEN).await;
    let tokens = w.h.token_account(&other.keys.mint, &w.bob.pubkey()).await;
    w.h.transfer(&other.keys.mint, &other.genesis_tokens, &tokens, &other.genesis, AMOUNT).await;
    let foreign = other.open(&mut w.h, &w.bob, &tokens, 0, AMOUNT, LOCK).await.expect("open elsewhere");
    let positions = [w.bob_pos, foreign];
    let ixs = w.dao.vote_ixs(&w.h, &w.bob.pubkey(), &positions, &w.proposal, &w.alice.pubkey(), Vote::yes());
    assert_error(w.h.send(&ixs, &[&w.bob]).await, CoherenceError::EngineMismatch);
}

/// Attack: an unbonding position (weight 0, tokens on their way out)
/// still votes. It adds nothing: Bob's vote weighs his locked position only.
#[tokio::test]
async fn an_unbonding_position_adds_no_weight() {
    let mut w = world().await;
    let bob_tokens = w.h.token_account(&w.dao.f.keys.mint, &w.bob.pubkey()).await;
    w.h.transfer(&w.dao.f.keys.mint, &w.dao.f.genesis_tokens, &bob_tokens, &w.dao.f.genesis, AMOUNT).await;
    let leaving = w.dao.f.open(&mut w.h, &w.bob, &bob_tokens, 1, AMOUNT, LOCK).await.expect("second position");
    let record = w.dao.realms.token_owner_record(&w.bob.pubkey());
    let unbond = ix::start_unbond_voting(&w.dao.f.keys, &w.bob.pubkey(), &leaving, Some(record));
    w.h.send(&[unbond], &[&w.bob]).await.expect("unbond before voting");
    let positions = [w.bob_pos, leaving];
    w.dao.vote(&mut w.h, &w.bob, &positions, &w.proposal, &w.alice.pubkey(), Vote::yes()).await.expect("vote");
    let locked = w.h.get::<Position>(&w.bob_pos).await.weight as u64;
    let vwr: VoterWeightRecord = w.h.get(&w.dao.voter_weight_record(&w.bob.pubkey())).await;
    assert_eq!(vwr.voter_weight, locked);
    assert_eq!(w.dao.proposal(&mut w.h, &w.proposal).await.yes(), locked);
}

/// Attack: a weight refreshed in an earlier slot (before tokens left, say)
/// is used later. Refused by the governance program: VoterWeightRecordExpired.
#[tokio::test]
async fn a_stale_record_is_refused() {
    let mut w = world().await;
    let refresh = w.dao.refresh(&w.h, &w.bob.pubkey(), VoterWeightAction::CastVote, &w.proposal, &[w.bob_pos]);
    w.h.send(&[refresh], &[&w.bob]).await.expect("refresh");
    w.h.bank.next_slot().await.expect("next slot");
    let cast = w.dao.cast(&w.h, &w.bob.pubkey(), &w.proposal, &w.alice.pubkey(), Vote::yes());
    assert_eq!(custom_code(&w.h.send(&[cast], &[&w.bob]).await), Some(VOTER_WEIGHT_RECORD_EXPIRED));
}

/// Attack: a record refreshed for another proposal, or for another
/// action, serves this vote. Refused by the governance program:
/// VoterWeightRecordInvalidActionTarget, VoterWeightRecordInvalidAction.
#[tokio::test]
async fn a_record_for_another_proposal_or_action_is_refused() {
    let mut w = world().await;
    let (bob, alice) = (w.bob.pubkey(), w.alice.pubkey());
    let elsewhere = Pubkey::new_unique();
    let cast = w.dao.cast(&w.h, &bob, &w.proposal, &alice, Vote::yes());
    let refresh = w.dao.refresh(&w.h, &bob, VoterWeightAction::CastVote, &elsewhere, &[w.bob_pos]);
    let r = w.h.send(&[refresh, cast.clone()], &[&w.bob]).await;
    assert_eq!(custom_code(&r), Some(VOTER_WEIGHT_RECORD_INVALID_ACTION_TARGET));
    let refresh = w.dao.refresh(&w.h, &bob, VoterWeightAction::CreateProposal, &w.proposal, &[w.bob_pos]);
    let r = w.h.send(&[refresh, cast], &[&w.bob]).await;
    assert_eq!(custom_code(&r), Some(VOTER_WEIGHT_RECORD_INVALID_ACTION));
}

/// Attack: a voter weight record written by another program (any weight
/// it likes). Refused by the governance program: the record's owner must be
/// the realm's configured plugin (InvalidAccountOwner).
#[tokio::test]
async fn a_record_of_another_program_is_refused() {
    let mut w = world().await;
    let forged = VoterWeightRecord {
        realm: w.dao.realms.realm,
        governing_token_mint: w.dao.f.keys.mint,
        governing_token_owner: w.bob.pubkey(),
        voter_weight: u64::MAX / 2,
        voter_weight_expiry: None,
        weight_action: None,
        weight_action_target: None,
        reserved: [0; 8],
    };
    let mut data = Vec::new();
    forged.try_serialize(&mut data).unwrap();
    let address = Pubkey::new_unique();
    let account = Account { lamports: 1_000_000_000, data, owner: Pubkey::new_unique(), ..Account::default() };
    w.h.bank.ctx.set_account(&address, &account.into());
    let realms = &w.dao.realms;
    let (bob, alice, payer) = (w.bob.pubkey(), w.alice.pubkey(), w.h.payer().pubkey());
    let max = w.dao.max_voter_weight_record();
    let cast = realms.cast_vote(&w.dao.governance, &w.proposal, &alice, &bob, &payer, Vote::yes(), &address, &max);
    assert_eq!(custom_code(&w.h.send(&[cast], &[&w.bob]).await), Some(INVALID_ACCOUNT_OWNER));
}

/// Attack: vote, unbond (or withdraw), relock the tokens elsewhere and vote
/// the same proposal again. Refused while the vote is unrelinquished:
/// VotesNotRelinquished; without the record, TokenOwnerRecordRequired;
/// with someone else's, Anchor's ConstraintSeeds; a proposer with a live
/// proposal, ProposalsOutstanding. Relinquishing (the owner's own act)
/// unblocks the exit.
#[tokio::test]
async fn no_exit_while_a_vote_is_unrelinquished() {
    let mut w = world().await;
    let keys = w.dao.f.keys;
    let (bob, alice) = (w.bob.pubkey(), w.alice.pubkey());
    // A second position of Bob's that is already unbonding and withdrawable
    // when he votes.
    let bob_tokens = w.h.token_account(&keys.mint, &bob).await;
    w.h.transfer(&keys.mint, &w.dao.f.genesis_tokens, &bob_tokens, &w.dao.f.genesis, AMOUNT).await;
    let old = w.dao.f.open(&mut w.h, &w.bob, &bob_tokens, 1, AMOUNT, 7 * DAY).await.expect("open");
    let record = w.dao.realms.token_owner_record(&bob);
    w.h.send(&[ix::start_unbond_voting(&keys, &bob, &old, Some(record))], &[&w.bob]).await.expect("unbond");
    w.dao.vote(&mut w.h, &w.bob, &[w.bob_pos], &w.proposal, &alice, Vote::yes()).await.expect("vote");

    let unbond = |record| ix::start_unbond_voting(&keys, &bob, &w.bob_pos, record);
    assert_error(w.h.send(&[unbond(None)], &[&w.bob]).await, CoherenceError::TokenOwnerRecordRequired);
    let alices = w.dao.realms.token_owner_record(&alice);
    assert_anchor_error(
        w.h.send(&[unbond(Some(alices))], &[&w.bob]).await,
        anchor_lang::error::ErrorCode::ConstraintSeeds,
    );
    assert_error(w.h.send(&[unbond(Some(record))], &[&w.bob]).await, CoherenceError::VotesNotRelinquished);
    w.h.warp_by(7 * DAY as i64).await;
    let withdraw = ix::withdraw_voting(&keys, &bob, &old, &bob_tokens, Some(record));
    assert_error(w.h.send(std::slice::from_ref(&withdraw), &[&w.bob]).await, CoherenceError::VotesNotRelinquished);
    // Alice proposed: her proposal is outstanding until it is decided.
    let alice_record = w.dao.realms.token_owner_record(&alice);
    let alice_unbond = ix::start_unbond_voting(&keys, &alice, &w.alice_pos, Some(alice_record));
    let r = w.h.send(std::slice::from_ref(&alice_unbond), &[&w.alice]).await;
    assert_error(r, CoherenceError::ProposalsOutstanding);

    // The votes end; relinquishing unblocks every exit.
    w.dao.finalize(&mut w.h, &w.proposal, &alice).await.expect("finalize");
    w.dao.relinquish(&mut w.h, &w.proposal, &bob).await.expect("relinquish");
    w.h.send(&[withdraw], &[&w.bob]).await.expect("withdraw after relinquishing");
    w.h.send(&[unbond(Some(record))], &[&w.bob]).await.expect("unbond after relinquishing");
    w.h.send(&[alice_unbond], &[&w.alice]).await.expect("the proposer leaves once it is decided");
}

/// While the vote is open, relinquishing withdraws the vote's weight from
/// the proposal: an exit then takes nothing the proposal still counts.
#[tokio::test]
async fn relinquishing_an_open_vote_withdraws_its_weight() {
    let mut w = world().await;
    let (bob, alice) = (w.bob.pubkey(), w.alice.pubkey());
    w.dao.vote(&mut w.h, &w.bob, &[w.bob_pos], &w.proposal, &alice, Vote::yes()).await.expect("vote");
    assert!(w.dao.proposal(&mut w.h, &w.proposal).await.yes() > 0);
    let relinquish = w.dao.realms.relinquish_vote(&w.dao.governance, &w.proposal, &bob, Some(&bob));
    w.h.send(&[relinquish], &[&w.bob]).await.expect("relinquish while voting");
    assert_eq!(w.dao.proposal(&mut w.h, &w.proposal).await.yes(), 0);
    let record = w.dao.realms.token_owner_record(&bob);
    w.h.send(&[ix::start_unbond_voting(&w.dao.f.keys, &bob, &w.bob_pos, Some(record))], &[&w.bob])
        .await
        .expect("unbond");
}

/// Lock-then-vote in one transaction is fine: a new holder opens a
/// position and votes with it at once.
#[tokio::test]
async fn lock_then_vote_in_one_transaction() {
    let mut w = world().await;
    let (carol, tokens) = w.dao.f.user(&mut w.h, AMOUNT).await;
    w.dao.create_record(&mut w.h, &carol.pubkey()).await;
    let keys = w.dao.f.keys;
    let position = coherence_sdk::pda::position(&keys.engine, &carol.pubkey(), 0);
    let mut ixs = vec![ix::open_position(&keys, &carol.pubkey(), &tokens, 0, AMOUNT, LOCK)];
    ixs.extend(w.dao.vote_ixs(&w.h, &carol.pubkey(), &[position], &w.proposal, &w.alice.pubkey(), Vote::yes()));
    w.h.send(&ixs, &[&carol]).await.expect("lock and vote");
    let weight = w.h.get::<Position>(&position).await.weight as u64;
    assert_eq!(w.dao.proposal(&mut w.h, &w.proposal).await.yes(), weight);
}

/// Attack on quorum: under a max voter weight derived from what is locked,
/// a whale could lock (without voting) to raise the denominator and block
/// quorum, and a rule from supply moves with burns. The max here is the
/// registrar's constant: a whale locking 20× the voters' weight and usage
/// burning tokens leave it unchanged, and the proposal passes with the
/// same votes.
#[tokio::test]
async fn max_voter_weight_cannot_be_moved_by_locking_or_burning() {
    let mut h = harness().await;
    let p = default_params();
    let one = weight(AMOUNT, LOCK, p.max_lock, p.max_boost_bps).unwrap() as u64;
    let max = 2 * one;
    let dao = Dao::setup(&mut h, max).await;
    let (alice, alice_pos) = dao.locker(&mut h, AMOUNT, LOCK).await;
    let (bob, bob_pos) = dao.locker(&mut h, AMOUNT, LOCK).await;
    let tx = vec![ix::apply_params(&dao.f.keys)];
    let proposal = dao.propose(&mut h, &alice, &[alice_pos], "p", &tx).await.expect("propose");

    // The whale locks 20× at the longest lock and pays usage that is burned.
    let (whale, tokens) = dao.f.user(&mut h, 21 * AMOUNT).await;
    dao.f.open(&mut h, &whale, &tokens, 0, 20 * AMOUNT, p.max_lock).await.expect("whale locks");
    let supply = h.mint_state(&dao.f.keys.mint).await.supply;
    dao.f.crank(&mut h).await.expect("close the epochs that ended");
    dao.f.record(&mut h, &whale, &tokens, 0, AMOUNT, None).await.expect("usage");
    let epoch = dao.f.engine(&mut h).await.epoch_at(h.now().await);
    dao.f.warp_to_epoch(&mut h, epoch + 1).await;
    dao.f.crank(&mut h).await.expect("close epochs: the usage is burned");
    assert!(h.mint_state(&dao.f.keys.mint).await.supply < supply, "supply shrank");
    let payer = h.payer().pubkey();
    h.send(&[ix::update_max_voter_weight_record(&dao.f.keys, &payer)], &[]).await.expect("anyone rewrites it");
    let record: MaxVoterWeightRecord = h.get(&dao.max_voter_weight_record()).await;
    assert_eq!(record.max_voter_weight, max, "neither locking nor burning moved the max");

    // The proposal was signed off before the whale came; the vote is still open.
    dao.vote(&mut h, &alice, &[alice_pos], &proposal, &alice.pubkey(), Vote::yes()).await.expect("alice");
    dao.vote(&mut h, &bob, &[bob_pos], &proposal, &alice.pubkey(), Vote::yes()).await.expect("bob");
    dao.finalize(&mut h, &proposal, &alice.pubkey()).await.expect("finalize");
    let decided = dao.proposal(&mut h, &proposal).await;
    assert_eq!((decided.state, decided.max_vote_weight), (ProposalState::Succeeded, Some(max)));
}
