//! A tour of every instruction: genesis on Token-2022 and on SPL Token (16
//! shards), sources, time-only and usage-gated vesting, positions at both
//! lock bounds, usage in every shard through and around a source, 16-shard
//! closes with the engine's lookup table, claims, every exit, expiry,
//! governance, the time-only budget and voting — each instruction at a moment when
//! it is valid. A [`Visit`] is handed each one and must send it (so the tour
//! can go on): the compute-unit benchmark (`examples/cu.rs`) measures it
//! first, the malformed-input test (`tests/fuzz.rs`) first sends it broken
//! in every way it knows.

use crate::*;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use async_trait::async_trait;
use coherence::constants::DAY;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence_sdk::lookup::AddressLookupTableAccount;
use coherence_sdk::{instructions as ix, pda, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// One stop of the tour: the instruction, its signers (besides the harness
/// payer) and the lookup tables its transaction is compiled against (none:
/// a legacy transaction).
pub struct Stop<'a> {
    pub name: &'a str,
    pub instruction: Instruction,
    pub signers: &'a [&'a Keypair],
    pub tables: &'a [AddressLookupTableAccount],
}

/// What the tour hands each instruction to. `visit` must send the stop's
/// instruction successfully before it returns.
#[async_trait(?Send)]
pub trait Visit {
    async fn visit(&mut self, h: &mut Harness, stop: Stop<'_>);
}

/// Sends a stop as the tour expects (legacy, or v0 with its tables).
pub async fn send_stop(h: &mut Harness, stop: &Stop<'_>) {
    let result = if stop.tables.is_empty() {
        h.send(std::slice::from_ref(&stop.instruction), stop.signers).await.map(|_| ()).map_err(|e| format!("{e:?}"))
    } else {
        let payer = h.payer();
        let mut signers = vec![&payer];
        signers.extend(stop.signers.iter().copied());
        h.bank
            .send_with_tables(std::slice::from_ref(&stop.instruction), &signers, stop.tables)
            .await
            .map(|_| ())
            .map_err(|e| format!("{e:?}"))
    };
    result.unwrap_or_else(|e| panic!("{}: {e}", stop.name));
}

/// The two engines the tour builds: `main` (SPL Token, 16 shards) and
/// `other` (Token-2022, 4 shards): an engine whose accounts the malformed-
/// input test swaps in.
pub struct Engines {
    pub main: EngineKeys,
    pub other: EngineKeys,
}

/// A mint with the genesis supply at a fresh holder, and the engine's keys.
async fn mint(h: &mut Harness, token_program: Pubkey, exts: &[Ext]) -> (EngineKeys, Keypair, Keypair, Pubkey) {
    let authority = h.wallet().await;
    let mint = h.create_mint(token_program, &authority.pubkey(), None, exts).await;
    let holder = h.wallet().await;
    let tokens = h.token_account(&mint, &holder.pubkey()).await;
    h.mint_to(&mint, &tokens, &authority, GENESIS_SUPPLY).await;
    (EngineKeys::new(mint, token_program), authority, holder, tokens)
}

fn args(authority: Pubkey, shards: u8) -> InitEngineArgs {
    let mut a = default_args(authority);
    a.usage_shards = shards;
    a
}

/// Runs the tour, handing every instruction to `v`; returns the engines.
pub async fn tour(h: &mut Harness, v: &mut impl Visit) -> Engines {
    let payer = h.payer();
    let me = payer.pubkey();
    macro_rules! go {
        ($name:expr, $ix:expr, $signers:expr) => {
            v.visit(h, Stop { name: $name, instruction: $ix, signers: $signers, tables: &[] }).await
        };
    }

    // Genesis on Token-2022 (a metadata-pointer mint: extension checks run) and on SPL Token.
    let (k22, auth22, _, _) = mint(h, TOKEN_2022, &[Ext::MetadataPointer]).await;
    go!("initialize_engine (Token-2022)", ix::initialize_engine(&k22, &me, &auth22.pubkey(), args(me, 4)), &[&auth22]);
    for shard in 0..4 {
        h.send(&[ix::init_usage_shard(&k22, &me, shard)], &[]).await.expect("Token-2022 engine shard");
    }
    let (k, auth, holder, holder_tokens) = mint(h, TOKEN, &[]).await;
    let governor = h.wallet().await;
    go!(
        "initialize_engine (SPL Token)",
        ix::initialize_engine(&k, &me, &auth.pubkey(), args(governor.pubkey(), 16)),
        &[&auth]
    );
    for shard in 0..16 {
        go!("init_usage_shard", ix::init_usage_shard(&k, &me, shard), &[]);
    }
    let f = Fixture {
        keys: k,
        authority: governor.insecure_clone(),
        genesis: holder.insecure_clone(),
        genesis_tokens: holder_tokens,
    };
    go!("deposit_treasury", ix::deposit_treasury(&k, &holder.pubkey(), &holder_tokens, GENESIS_SUPPLY / 4), &[&holder]);

    let p = default_params();
    let mut users = Vec::new();
    for _ in 0..3 {
        users.push(f.user(h, GENESIS_SUPPLY / 8).await);
    }
    let builder = h.wallet().await;
    let builder_tokens = h.token_account(&k.mint, &builder.pubkey()).await;
    go!("register_source", ix::register_source(&k, &builder.pubkey(), 0), &[&builder]);
    let source = pda::source(&k.engine, 0);

    // Vesting: create (linear and stepped), claim, transfer, revoke, close.
    let now = h.now().await;
    let mut schedules = Vec::new();
    for (id, period) in [(0u64, 0u64), (1, 30 * DAY), (2, 0)] {
        let (who, _) = &users[id as usize];
        let a = CreateVestingArgs {
            beneficiary: who.pubkey(),
            total: 1_000_000_000,
            start: now,
            cliff: now + p.min_vesting_cliff as i64,
            end: now + p.min_vesting_duration as i64,
            period,
            revocable: true,
            usage_rate_bps: 0,
            grace_secs: 0,
        };
        go!("create_vesting", ix::create_vesting(&k, &me, &governor.pubkey(), id, a, 16), &[&governor]);
        schedules.push(pda::vesting(&k.engine, id));
    }
    // Usage-gated: one that usage will not finish, one that it will.
    for (id, total) in [(3u64, 1_000_000_000u64), (4, 1_000)] {
        let (who, _) = &users[0];
        let a = CreateVestingArgs {
            beneficiary: who.pubkey(),
            total,
            start: now,
            cliff: now + p.min_vesting_cliff as i64,
            end: now + p.min_vesting_duration as i64,
            period: 0,
            revocable: false,
            usage_rate_bps: 1_000,
            grace_secs: coherence::constants::MIN_VESTING_GRACE_SECS as u32,
        };
        go!("create_vesting (usage-gated)", ix::create_vesting(&k, &me, &governor.pubkey(), id, a, 16), &[&governor]);
        schedules.push(pda::vesting(&k.engine, id));
    }

    // Positions: minimum and maximum lock, added to and extended; ids as
    // the SDK picks them (`pda::position_id_from`).
    let ids: Vec<u64> = users.iter().map(|(who, _)| pda::position_id_from(&k.engine, &who.pubkey(), 0)).collect();
    for (i, (who, tokens)) in users.iter().enumerate() {
        let lock = if i == 0 { p.max_lock } else { p.min_lock };
        let name = if i == 0 { "open_position (max lock)" } else { "open_position (min lock)" };
        go!(name, ix::open_position(&k, &who.pubkey(), tokens, ids[i], 1_000_000_000, lock), &[who]);
        let pos = pda::position(&k.engine, &who.pubkey(), ids[i]);
        go!("add_to_position", ix::add_to_position(&k, &who.pubkey(), &pos, tokens, 500_000_000), &[who]);
        if i > 0 {
            go!("extend_lock", ix::extend_lock(&k, &who.pubkey(), &pos, p.min_lock + DAY), &[who]);
        }
    }
    go!("fund_rewards", ix::fund_rewards(&k, &holder.pubkey(), &holder_tokens, 1_000_000_000), &[&holder]);

    // Epochs: usage in every shard (half of it through the source, which
    // settles its oldest epoch once it holds two), then a 16-shard close (a
    // v0 transaction with the engine's lookup table) that burns every
    // escrow, mints three ways and restarts the stream.
    let table = f.lookup_table(h, 16).await;
    for epoch in 0..4u64 {
        f.warp_to_epoch(h, epoch).await;
        for shard in 0..16u8 {
            let (who, tokens) = &users[shard as usize % 3];
            let src = (shard % 2 == 0).then_some(source);
            let record = match src {
                Some(s) => {
                    let st: coherence::state::Source = h.get(&s).await;
                    st.record_needed(epoch).map(|e| pda::epoch_record(&k.engine, e))
                }
                None => None,
            };
            let name = match (src, record) {
                (None, _) => "record_usage",
                (Some(_), None) => "record_usage (source)",
                (Some(_), Some(_)) => "record_usage (source + settlement record)",
            };
            go!(
                name,
                ix::record_usage(&k, &who.pubkey(), tokens, shard, 1_000_000 + shard as u64, src, record),
                &[who]
            );
        }
        f.warp_to_epoch(h, epoch + 1).await;
        let stop = Stop {
            name: "close_epoch (16 shards, lookup table; burns 16 escrows)",
            instruction: ix::close_epoch(&k, &me, epoch, 16),
            signers: &[],
            tables: std::slice::from_ref(&table),
        };
        v.visit(h, stop).await;
        h.warp_by(3_600).await;
        for (i, (who, tokens)) in users.iter().enumerate() {
            let pos = pda::position(&k.engine, &who.pubkey(), ids[i]);
            let restake = i == 1;
            let name = if restake { "claim_rewards (restake)" } else { "claim_rewards" };
            go!(name, ix::claim_rewards(&k, &who.pubkey(), &pos, tokens, restake), &[who]);
        }
    }
    let st: coherence::state::Source = h.get(&source).await;
    let next = f.engine(h).await.next_epoch;
    let records: Vec<Pubkey> = st.settles_with(next).map(|e| pda::epoch_record(&k.engine, e)).collect();
    go!(
        "claim_source_rewards",
        ix::claim_source_rewards(&k, &builder.pubkey(), &source, &records, &builder_tokens),
        &[&builder]
    );

    // Exits.
    for (i, (who, tokens)) in users.iter().enumerate() {
        let pos = pda::position(&k.engine, &who.pubkey(), ids[i]);
        go!("start_unbond", ix::start_unbond(&k, &who.pubkey(), &pos), &[who]);
        let lock = h.get::<coherence::state::Position>(&pos).await.lock_secs;
        h.warp_by(lock as i64).await;
        go!("withdraw", ix::withdraw(&k, &who.pubkey(), &pos, tokens), &[who]);
        let now = h.now().await;
        let owed =
            coherence_sdk::preview::preview_rewards(&h.get(&pos).await, &h.get(&k.stake_pool).await, now).unwrap();
        if owed > 0 {
            go!("claim_rewards", ix::claim_rewards(&k, &who.pubkey(), &pos, tokens, false), &[who]);
        }
        go!("close_position", ix::close_position(&k, &who.pubkey(), &pos), &[who]);
    }
    let (w0, t0) = &users[0];
    go!("claim_vesting", ix::claim_vesting(&k, &w0.pubkey(), &schedules[0], t0), &[w0]);
    let (w1, _) = &users[1];
    go!("revoke_vesting", ix::revoke_vesting(&k, &governor.pubkey(), &schedules[1]), &[&governor]);
    let (w2, t2) = &users[2];
    go!("transfer_vesting", ix::transfer_vesting(&w1.pubkey(), &schedules[1], w2.pubkey()), &[w1]);
    h.warp_by(p.min_vesting_duration as i64).await;
    go!("claim_vesting", ix::claim_vesting(&k, &w2.pubkey(), &schedules[2], t2), &[w2]);
    go!("close_vesting", ix::close_vesting(&k, &w2.pubkey(), &schedules[2]), &[w2]);
    go!("claim_vesting (usage-gated)", ix::claim_vesting(&k, &w0.pubkey(), &schedules[3], t0), &[w0]);
    go!("claim_vesting (usage-gated)", ix::claim_vesting(&k, &w0.pubkey(), &schedules[4], t0), &[w0]);
    go!("close_vesting (usage-gated: releases its budget)", ix::close_vesting(&k, &w0.pubkey(), &schedules[4]), &[w0]);
    // Expiry needs the epoch containing end + grace closed: close every
    // ended epoch (not visited) with the lookup table.
    h.warp_by(coherence::constants::MIN_VESTING_GRACE_SECS as i64 + DAY as i64).await;
    let (engine, now) = (f.engine(h).await, h.now().await);
    for (_, close) in coherence_sdk::ops::due_closes(&k, &engine, &me, now) {
        h.bank.send_with_tables(&[close], &[&payer], std::slice::from_ref(&table)).await.expect("close");
    }
    go!("expire_vesting", ix::expire_vesting(&k, &schedules[3]), &[]);

    // Governance.
    let mut q = p;
    q.gate_bps = 8_000;
    go!("propose_params", ix::propose_params(&k, &governor.pubkey(), q), &[&governor]);
    go!("cancel_params", ix::cancel_params(&k, &governor.pubkey()), &[&governor]);
    go!("propose_params", ix::propose_params(&k, &governor.pubkey(), q), &[&governor]);
    h.warp_by(p.timelock_secs as i64).await;
    go!("apply_params", ix::apply_params(&k), &[]);
    let next = h.wallet().await;
    go!("propose_authority", ix::propose_authority(&k, &governor.pubkey(), next.pubkey()), &[&governor]);
    go!("accept_authority", ix::accept_authority(&k, &next.pubkey()), &[&next]);
    go!("set_pause", ix::set_pause(&k, &next.pubkey(), true), &[&next]);
    go!("set_pause", ix::set_pause(&k, &next.pubkey(), false), &[&next]);
    let budget = f.engine(h).await.time_only_budget;
    go!("lower_time_only_budget", ix::lower_time_only_budget(&k, &next.pubkey(), budget - 1), &[&next]);
    // An engine from before the time-only budget (its bytes rewritten to
    // version 2): counting its five schedules (one closed) in one transaction.
    let mut old: coherence::state::Engine = f.engine(h).await;
    (old.version, old.time_only_budget, old.time_only_used, old.time_only_synced) = (2, 0, 0, false);
    h.overwrite(&k.engine, &old).await;
    go!("sync_time_only_budget (5 schedules)", ix::sync_time_only_budget(&k, 0, old.vesting_count), &[]);

    // Voting: the registrar through the timelock, the records SPL
    // Governance reads, and exits that read the owner's token owner record
    // (none yet at its address: the owner never voted).
    let config = coherence::state::VotingConfig {
        realm: Pubkey::new_unique(),
        governance_program: coherence_sdk::spl_governance::REALMS_PROGRAM_ID,
        max_voter_weight: GENESIS_SUPPLY,
    };
    go!("propose_voting", ix::propose_voting(&k, &next.pubkey(), &me, config), &[&next]);
    h.warp_by(p.timelock_secs as i64).await;
    go!("apply_voting", ix::apply_voting(&k), &[]);
    go!("update_max_voter_weight_record", ix::update_max_voter_weight_record(&k, &me), &[]);
    let (voter, tokens) = &users[0];
    let mut positions = Vec::new();
    let mut id = ids[0];
    for _ in 0..3 {
        id = pda::position_id_from(&k.engine, &voter.pubkey(), id + 1);
        let open = ix::open_position(&k, &voter.pubkey(), tokens, id, 1_000_000_000, p.min_lock);
        h.send(&[open], &[voter]).await.expect("open a voting position");
        positions.push(pda::position(&k.engine, &voter.pubkey(), id));
    }
    let action = coherence::state::VoterWeightAction::CastVote;
    let refresh = ix::update_voter_weight_record(&k, &me, &voter.pubkey(), action, &config.realm, &positions);
    go!("update_voter_weight_record (3 positions)", refresh, &[voter]);
    let record =
        coherence_sdk::pda::token_owner_record(&config.governance_program, &config.realm, &k.mint, &voter.pubkey());
    let unbond = ix::start_unbond_voting(&k, &voter.pubkey(), &positions[0], Some(record));
    go!("start_unbond (voting: token owner record)", unbond, &[voter]);
    h.warp_by(p.min_lock as i64).await;
    let withdraw = ix::withdraw_voting(&k, &voter.pubkey(), &positions[0], tokens, Some(record));
    go!("withdraw (voting: token owner record)", withdraw, &[voter]);
    Engines { main: k, other: k22 }
}
