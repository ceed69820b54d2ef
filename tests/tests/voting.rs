//! Holders govern (#20), in process against the real SPL Governance 3.1.2
//! bytecode: a realm with Coherence as its voter-weight plugin, two lockers
//! with different lock lengths vote a `propose_params` proposal with
//! weights exactly their boosted positions', it passes, the governance
//! executes it, and `apply_params` lands after the timelock; a proposal
//! without quorum is defeated. Attacks are in `attacks/voting.rs`.

use anchor_lang::Discriminator;
use coherence::constants::DAY;
use coherence::errors::CoherenceError;
use coherence::math::stake::weight;
use coherence::state::{Engine, MaxVoterWeightRecord, Position, Registrar, VoterWeightAction, VoterWeightRecord};
use coherence_sdk::instructions as ix;
use coherence_sdk::spl_governance::{ProposalState, Vote};
use coherence_tests::voting::{harness, Dao, YES_PERCENT};
use coherence_tests::*;
use solana_signer::Signer;

const AMOUNT: u64 = 100_000_000_000;
const SHORT_LOCK: u64 = 30 * DAY;
const LONG_LOCK: u64 = 365 * DAY;

/// The weights the two lockers' positions get under the default parameters.
fn expected_weights() -> (u64, u64) {
    let p = default_params();
    let w = |lock| weight(AMOUNT, lock, p.max_lock, p.max_boost_bps).unwrap() as u64;
    (w(SHORT_LOCK), w(LONG_LOCK))
}

/// The plugin's records carry the discriminators SPL Governance's
/// `addin-api` checks: `sha256("account:VoterWeightRecord")[..8]` and
/// `sha256("account:MaxVoterWeightRecord")[..8]`, byte for byte.
#[test]
fn addin_discriminators_match_the_addin_api() {
    assert_eq!(VoterWeightRecord::DISCRIMINATOR, [46, 249, 155, 75, 153, 248, 116, 9]);
    assert_eq!(MaxVoterWeightRecord::DISCRIMINATOR, [157, 95, 242, 151, 16, 98, 26, 118]);
}

#[tokio::test]
async fn lockers_vote_params_through_realms_and_the_engine_applies_them() {
    let mut h = harness().await;
    let (w_short, w_long) = expected_weights();
    assert!(w_long > w_short, "the longer lock weighs more");
    // The max voter weight: the two lockers' weight together. Both yes →
    // 100 % ≥ 60 %; the short lock alone is below 50 %.
    let max = w_short + w_long;
    let dao = Dao::setup(&mut h, max).await;
    let (alice, alice_pos) = dao.locker(&mut h, AMOUNT, SHORT_LOCK).await;
    let (bob, bob_pos) = dao.locker(&mut h, AMOUNT, LONG_LOCK).await;
    assert_eq!(h.get::<Position>(&alice_pos).await.weight as u64, w_short);
    assert_eq!(h.get::<Position>(&bob_pos).await.weight as u64, w_long);

    // The records are laid out as the addin-api reads them.
    let mvwr: MaxVoterWeightRecord = h.get(&dao.max_voter_weight_record()).await;
    assert_eq!(mvwr.max_voter_weight, max);
    assert_eq!(
        (mvwr.realm, mvwr.governing_token_mint, mvwr.max_voter_weight_expiry),
        (dao.realms.realm, dao.f.keys.mint, None)
    );
    let data = h.account_data(&dao.max_voter_weight_record()).await.unwrap();
    assert_eq!(&data[8..40], dao.realms.realm.as_ref());
    assert_eq!(&data[72..80], &max.to_le_bytes());
    let engine: Engine = dao.f.engine(&mut h).await;
    assert_eq!((engine.version, engine.voting_realm), (4, dao.realms.realm));

    // The engine is handed to its holders, by their vote.
    dao.hand_over(&mut h, &alice, &[(&alice, alice_pos), (&bob, bob_pos)]).await;
    assert_eq!(dao.f.engine(&mut h).await.authority, dao.governance);

    // A parameter change, proposed by Alice, voted by both.
    let mut params = dao.f.engine(&mut h).await.params;
    params.alpha_bps = 4_000;
    let change = vec![ix::propose_params(&dao.f.keys, &dao.governance, params)];
    let proposal = dao.propose(&mut h, &alice, &[alice_pos], "alpha 40 %", &change).await.expect("propose");
    let first = proposal;
    dao.vote(&mut h, &alice, &[alice_pos], &proposal, &alice.pubkey(), Vote::yes()).await.expect("alice votes");
    let vwr: VoterWeightRecord = h.get(&dao.voter_weight_record(&alice.pubkey())).await;
    assert_eq!(vwr.voter_weight, w_short);
    assert_eq!((vwr.weight_action, vwr.weight_action_target), (Some(VoterWeightAction::CastVote), Some(proposal)));
    assert_eq!(vwr.voter_weight_expiry, Some(h.clock().await.slot));
    dao.vote(&mut h, &bob, &[bob_pos], &proposal, &alice.pubkey(), Vote::yes()).await.expect("bob votes");
    let p = dao.proposal(&mut h, &proposal).await;
    assert_eq!(p.yes(), w_short + w_long, "yes = Σ boosted weights, exactly");
    assert_eq!(p.no(), 0);

    dao.finalize(&mut h, &proposal, &alice.pubkey()).await.expect("finalize");
    let p = dao.proposal(&mut h, &proposal).await;
    assert_eq!(p.state, ProposalState::Succeeded);
    assert_eq!(p.max_vote_weight, Some(max));
    dao.execute(&mut h, &proposal, &change).await.expect("the governance executes propose_params");
    let engine = dao.f.engine(&mut h).await;
    assert_eq!(engine.pending_params.map(|p| p.alpha_bps), Some(4_000));

    // apply_params waits out the timelock, then anyone applies.
    assert_error(h.send(&[ix::apply_params(&dao.f.keys)], &[]).await, CoherenceError::TimelockNotElapsed);
    h.warp_by(engine.params.timelock_secs as i64).await;
    h.send(&[ix::apply_params(&dao.f.keys)], &[]).await.expect("apply_params");
    assert_eq!(dao.f.engine(&mut h).await.params.alpha_bps, 4_000);

    // A proposal only Alice supports has no quorum: defeated, not executable.
    let mut params = dao.f.engine(&mut h).await.params;
    params.alpha_bps = 3_000;
    let change = vec![ix::propose_params(&dao.f.keys, &dao.governance, params)];
    let proposal = dao.propose(&mut h, &alice, &[alice_pos], "alpha 30 %", &change).await.expect("propose");
    dao.vote(&mut h, &alice, &[alice_pos], &proposal, &alice.pubkey(), Vote::yes()).await.expect("alice votes");
    assert!(w_short * 100 < max * u64::from(YES_PERCENT), "alone below the threshold");
    dao.finalize(&mut h, &proposal, &alice.pubkey()).await.expect("finalize");
    assert_eq!(dao.proposal(&mut h, &proposal).await.state, ProposalState::Defeated);
    let refused = dao.execute(&mut h, &proposal, &change).await;
    assert_eq!(custom_code(&refused), Some(524), "InvalidStateCannotExecuteTransaction");
    assert_eq!(dao.f.engine(&mut h).await.pending_params, None);

    // Until every vote is relinquished, Alice's position stays; then she may leave.
    let record = dao.realms.token_owner_record(&alice.pubkey());
    let unbond = ix::start_unbond_voting(&dao.f.keys, &alice.pubkey(), &alice_pos, Some(record));
    dao.relinquish(&mut h, &proposal, &alice.pubkey()).await.expect("relinquish");
    assert_error(h.send(std::slice::from_ref(&unbond), &[&alice]).await, CoherenceError::VotesNotRelinquished);
    dao.relinquish(&mut h, &first, &alice.pubkey()).await.expect("relinquish");
    assert_eq!(dao.token_owner_record(&mut h, &alice.pubkey()).await.unrelinquished_votes_count, 0);
    h.send(&[unbond], &[&alice]).await.expect("unbond after relinquishing");
}

/// The registrar goes through the engine's timelock: an early apply is
/// refused by name, and only the authority proposes.
#[tokio::test]
async fn voting_configuration_waits_out_the_timelock() {
    let mut h = harness().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let payer = h.payer().pubkey();
    let realm = anchor_lang::prelude::Pubkey::new_unique();
    let config = coherence::state::VotingConfig {
        realm,
        governance_program: coherence_sdk::spl_governance::REALMS_PROGRAM_ID,
        max_voter_weight: 1_000,
    };
    let stranger = h.wallet().await;
    let r = h.send(&[ix::propose_voting(&f.keys, &stranger.pubkey(), &payer, config)], &[&stranger]).await;
    assert_error(r, CoherenceError::NotAuthority);
    let mut bad = config;
    bad.max_voter_weight = 0;
    let r = h.send(&[ix::propose_voting(&f.keys, &f.authority.pubkey(), &payer, bad)], &[&f.authority]).await;
    assert_error(r, CoherenceError::InvalidVotingConfig);
    h.send(&[ix::propose_voting(&f.keys, &f.authority.pubkey(), &payer, config)], &[&f.authority])
        .await
        .expect("propose_voting");
    let registrar: Registrar = h.get(&coherence_sdk::pda::registrar(&f.keys.engine)).await;
    assert_eq!((registrar.config, registrar.pending), (None, Some(config)));
    // Nothing of the plugin works before the apply.
    let r = h.send(&[ix::update_max_voter_weight_record(&f.keys, &payer)], &[]).await;
    assert_error(r, CoherenceError::VotingNotConfigured);
    let owner = h.wallet().await;
    let refresh =
        ix::update_voter_weight_record(&f.keys, &payer, &owner.pubkey(), VoterWeightAction::CastVote, &realm, &[]);
    assert_error(h.send(&[refresh], &[&owner]).await, CoherenceError::VotingNotConfigured);

    let timelock = f.engine(&mut h).await.params.timelock_secs as i64;
    h.warp_by(timelock - 10).await;
    assert_error(h.send(&[ix::apply_voting(&f.keys)], &[]).await, CoherenceError::TimelockNotElapsed);
    h.warp_by(10).await;
    h.send(&[ix::apply_voting(&f.keys)], &[]).await.expect("apply_voting");
    assert_error(h.send(&[ix::apply_voting(&f.keys)], &[]).await, CoherenceError::NoPendingVoting);
    let engine = f.engine(&mut h).await;
    assert_eq!((engine.version, engine.voting_realm), (4, realm));
    let registrar: Registrar = h.get(&coherence_sdk::pda::registrar(&f.keys.engine)).await;
    assert_eq!((registrar.config, registrar.pending), (Some(config), None));
}

/// Once the engine is its holders', every authority instruction runs as a
/// proposal transaction executed by SPL Governance: pause and resume, a
/// vesting grant from the treasury (rent paid by the governance's native
/// treasury) and its revocation, a new voting configuration. The former
/// key can do none of it.
#[tokio::test]
async fn every_authority_instruction_runs_as_a_proposal() {
    let mut h = harness().await;
    let (w_short, w_long) = expected_weights();
    let dao = Dao::setup(&mut h, w_short + w_long).await;
    let (alice, alice_pos) = dao.locker(&mut h, AMOUNT, SHORT_LOCK).await;
    let (bob, bob_pos) = dao.locker(&mut h, AMOUNT, LONG_LOCK).await;
    dao.f.fund_treasury(&mut h, AMOUNT).await.expect("treasury");
    let old_key = dao.f.authority.insecure_clone();
    dao.hand_over(&mut h, &alice, &[(&alice, alice_pos), (&bob, bob_pos)]).await;
    let keys = dao.f.keys;
    let gov = dao.governance;
    let refused = h.send(&[ix::set_pause(&keys, &old_key.pubkey(), true)], &[&old_key]).await;
    assert_error(refused, CoherenceError::NotAuthority);

    // The native treasury (a system account the governance signs for) pays rent.
    let treasury = coherence_sdk::spl_governance::native_treasury(&dao.realms.program, &gov);
    let fund = solana_system_interface::instruction::transfer(&h.payer().pubkey(), &treasury, 1_000_000_000);
    h.send(&[fund], &[]).await.expect("fund the native treasury");
    let engine = dao.f.engine(&mut h).await;
    let (id, now, p) = (engine.vesting_count, h.now().await, engine.params);
    let beneficiary = h.wallet().await.pubkey();
    let start = now + 10 * DAY as i64;
    let grant = vesting_args(beneficiary, 1_000_000, start, p.min_vesting_cliff, p.min_vesting_duration, 0, true);
    let schedule = coherence_sdk::pda::vesting(&keys.engine, id);
    let config = dao.voting_config(2 * (w_short + w_long));
    let ixs = vec![
        ix::set_pause(&keys, &gov, true),
        ix::set_pause(&keys, &gov, false),
        ix::create_vesting(&keys, &treasury, &gov, id, grant, engine.usage_shards),
        ix::revoke_vesting(&keys, &gov, &schedule),
        ix::propose_voting(&keys, &gov, &treasury, config),
    ];
    let proposal = dao.propose(&mut h, &bob, &[bob_pos], "authority levers", &ixs).await.expect("propose");
    dao.vote(&mut h, &alice, &[alice_pos], &proposal, &bob.pubkey(), Vote::yes()).await.expect("alice");
    dao.vote(&mut h, &bob, &[bob_pos], &proposal, &bob.pubkey(), Vote::yes()).await.expect("bob");
    dao.finalize(&mut h, &proposal, &bob.pubkey()).await.expect("finalize");
    dao.execute(&mut h, &proposal, &ixs).await.expect("the governance pulls every lever");
    let engine = dao.f.engine(&mut h).await;
    assert!(!engine.paused);
    let revoked: coherence::state::VestingSchedule = h.get(&schedule).await;
    assert!(revoked.revoked().is_some());
    let registrar: Registrar = h.get(&coherence_sdk::pda::registrar(&keys.engine)).await;
    assert_eq!(registrar.pending, Some(config), "a new max voter weight waits out the timelock");
}
