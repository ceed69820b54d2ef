//! Benchmark: compute units of every instruction, measured on the SBF build
//! of the program in solana-program-test's VM, including the worst cases
//! (`close_epoch` with 16 shards that all hold usage, `record_usage` with a
//! source and its settlement record, `claim_rewards` with restake,
//! `open_position` at the maximum lock, `initialize_engine` on Token-2022).
//! Prints min / median / worst per instruction as a Markdown table.
//!
//! ```sh
//! scripts/build-sbf.sh --locked
//! COHERENCE_SBF=1 SBF_OUT_DIR=$PWD/target/deploy cargo run --locked -p coherence-tests --example cu
//! ```
//!
//! Each figure is the program's top-level "consumed" log line for that
//! instruction (its own work plus every CPI it makes), one instruction per
//! transaction, simulated before it is sent.

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::constants::DAY;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence_sdk::{instructions as ix, pda, EngineKeys};
use coherence_tests::*;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::collections::BTreeMap;

/// The program's top-level "consumed" log line: its CU, CPIs included.
fn consumed(name: &str, logs: &[String]) -> u64 {
    let needle = format!("Program {} consumed ", coherence::ID);
    logs.iter()
        .rev()
        .find_map(|l| {
            l.strip_prefix(&needle).and_then(|rest| rest.split(' ').next()).and_then(|n| n.parse::<u64>().ok())
        })
        .unwrap_or_else(|| panic!("{name}: no consumed line (is this the SBF build?)\n{}", logs.join("\n")))
}

/// Compute-unit samples per instruction.
#[derive(Default)]
struct Bench {
    samples: BTreeMap<String, Vec<u64>>,
}

impl Bench {
    /// Simulates `instruction` alone, records the program's CU, then sends it.
    async fn run(&mut self, h: &mut Harness, name: &str, instruction: Instruction, signers: &[&Keypair]) {
        let sim = h.simulate(std::slice::from_ref(&instruction), signers).await;
        let details = sim.simulation_details.as_ref().expect("simulation details");
        if let Some(Err(e)) = &sim.result {
            panic!("{name} failed: {e:?}\n{}", details.logs.join("\n"));
        }
        let used = consumed(name, &details.logs);
        self.samples.entry(name.to_string()).or_default().push(used);
        h.send(&[instruction], signers).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }

    /// [`Bench::run`] as a v0 transaction compiled against `tables`.
    async fn run_v0(
        &mut self,
        h: &mut Harness,
        name: &str,
        instruction: Instruction,
        tables: &[coherence_sdk::lookup::AddressLookupTableAccount],
    ) {
        let payer = h.payer();
        let tx = h.bank.transaction_v0(std::slice::from_ref(&instruction), &[&payer], tables).expect("v0 transaction");
        let sim = h.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate");
        let details = sim.simulation_details.as_ref().expect("simulation details");
        if let Some(Err(e)) = &sim.result {
            panic!("{name} failed: {e:?}\n{}", details.logs.join("\n"));
        }
        let used = consumed(name, &details.logs);
        self.samples.entry(name.to_string()).or_default().push(used);
        h.bank.send_with_tables(&[instruction], &[&payer], tables).await.unwrap_or_else(|e| panic!("{name}: {e:?}"));
    }

    fn print(&self) {
        println!("| instruction | runs | min CU | median CU | worst CU |\n|---|---:|---:|---:|---:|");
        for (name, samples) in &self.samples {
            let mut s = samples.clone();
            s.sort_unstable();
            println!("| {name} | {} | {} | {} | {} |", s.len(), s[0], s[s.len() / 2], s[s.len() - 1]);
        }
    }
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

#[tokio::main]
async fn main() {
    if coherence_sdk::client::local::sbf_program().expect("SBF setup").is_none() {
        eprintln!("cu: run with COHERENCE_SBF=1 SBF_OUT_DIR=<dir with coherence.so> (scripts/build-sbf.sh builds it)");
        std::process::exit(2);
    }
    let mut h = Harness::new().await;
    let mut b = Bench::default();
    let payer = h.payer();

    // Genesis on Token-2022 (a metadata-pointer mint: extension checks run) and on SPL Token.
    let (k22, auth22, _, _) = mint(&mut h, TOKEN_2022, &[Ext::MetadataPointer]).await;
    let me = payer.pubkey();
    b.run(
        &mut h,
        "initialize_engine (Token-2022)",
        ix::initialize_engine(&k22, &me, &auth22.pubkey(), args(me, 4)),
        &[&auth22],
    )
    .await;
    let (k, auth, holder, holder_tokens) = mint(&mut h, TOKEN, &[]).await;
    let governor = h.wallet().await;
    b.run(
        &mut h,
        "initialize_engine (SPL Token)",
        ix::initialize_engine(&k, &me, &auth.pubkey(), args(governor.pubkey(), 16)),
        &[&auth],
    )
    .await;
    for shard in 0..16 {
        b.run(&mut h, "init_usage_shard", ix::init_usage_shard(&k, &me, shard), &[]).await;
    }
    let f = Fixture {
        keys: k,
        authority: governor.insecure_clone(),
        genesis: holder.insecure_clone(),
        genesis_tokens: holder_tokens,
    };
    b.run(
        &mut h,
        "deposit_treasury",
        ix::deposit_treasury(&k, &holder.pubkey(), &holder_tokens, GENESIS_SUPPLY / 4),
        &[&holder],
    )
    .await;

    let p = default_params();
    let mut users = Vec::new();
    for _ in 0..3 {
        users.push(f.user(&mut h, GENESIS_SUPPLY / 8).await);
    }
    let builder = h.wallet().await;
    let builder_tokens = h.token_account(&k.mint, &builder.pubkey()).await;
    b.run(&mut h, "register_source", ix::register_source(&k, &builder.pubkey(), 0), &[&builder]).await;
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
        b.run(&mut h, "create_vesting", ix::create_vesting(&k, &me, &governor.pubkey(), id, a, 16), &[&governor]).await;
        schedules.push(pda::vesting(&k.engine, id));
    }
    // Usage-gated: one that usage will not finish, one that it will.
    for (id, total) in [(3u64, 1_000_000_000u64), (4, 1_000)] {
        let (who, _) = &users[0];
        let grace = coherence::constants::MIN_VESTING_GRACE_SECS as u32;
        let a = CreateVestingArgs {
            beneficiary: who.pubkey(),
            total,
            start: now,
            cliff: now + p.min_vesting_cliff as i64,
            end: now + p.min_vesting_duration as i64,
            period: 0,
            revocable: false,
            usage_rate_bps: 1_000,
            grace_secs: grace,
        };
        b.run(
            &mut h,
            "create_vesting (usage-gated)",
            ix::create_vesting(&k, &me, &governor.pubkey(), id, a, 16),
            &[&governor],
        )
        .await;
        schedules.push(pda::vesting(&k.engine, id));
    }

    // Positions: minimum and maximum lock, added to and extended.
    for (i, (who, tokens)) in users.iter().enumerate() {
        let lock = if i == 0 { p.max_lock } else { p.min_lock };
        let name = if i == 0 { "open_position (max lock)" } else { "open_position (min lock)" };
        b.run(&mut h, name, ix::open_position(&k, &who.pubkey(), tokens, 0, 1_000_000_000, lock), &[who]).await;
        let pos = pda::position(&k.engine, &who.pubkey(), 0);
        b.run(&mut h, "add_to_position", ix::add_to_position(&k, &who.pubkey(), &pos, tokens, 500_000_000), &[who])
            .await;
        if i > 0 {
            b.run(&mut h, "extend_lock", ix::extend_lock(&k, &who.pubkey(), &pos, p.min_lock + DAY), &[who]).await;
        }
    }
    b.run(&mut h, "fund_rewards", ix::fund_rewards(&k, &holder.pubkey(), &holder_tokens, 1_000_000_000), &[&holder])
        .await;

    // Epochs: usage in every shard (half of it through the source), then a
    // 16-shard close (a v0 transaction with the engine's lookup table) that
    // burns every escrow, mints three ways and restarts the stream.
    let table = f.lookup_table(&mut h, 16).await;
    for epoch in 0..4u64 {
        f.warp_to_epoch(&mut h, epoch).await;
        for shard in 0..16u8 {
            let (who, tokens) = &users[shard as usize % 3];
            let src = (shard % 2 == 0).then_some(source);
            let record = match src {
                Some(s) => {
                    let st: coherence::state::Source = h.get(&s).await;
                    let next = f.engine(&mut h).await.next_epoch;
                    (st.usage > 0 && st.epoch < next).then(|| pda::epoch_record(&k.engine, st.epoch))
                }
                None => None,
            };
            let name = match (src, record) {
                (None, _) => "record_usage",
                (Some(_), None) => "record_usage (source)",
                (Some(_), Some(_)) => "record_usage (source + settlement record)",
            };
            b.run(
                &mut h,
                name,
                ix::record_usage(&k, &who.pubkey(), tokens, shard, 1_000_000 + shard as u64, src, record),
                &[who],
            )
            .await;
        }
        f.warp_to_epoch(&mut h, epoch + 1).await;
        let close = ix::close_epoch(&k, &me, epoch, 16);
        b.run_v0(
            &mut h,
            "close_epoch (16 shards, lookup table; burns 16 escrows)",
            close,
            std::slice::from_ref(&table),
        )
        .await;
        h.warp_by(3_600).await;
        for (i, (who, tokens)) in users.iter().enumerate() {
            let pos = pda::position(&k.engine, &who.pubkey(), 0);
            let restake = i == 1;
            let name = if restake { "claim_rewards (restake)" } else { "claim_rewards" };
            b.run(&mut h, name, ix::claim_rewards(&k, &who.pubkey(), &pos, tokens, restake), &[who]).await;
        }
    }
    let st: coherence::state::Source = h.get(&source).await;
    let record = (st.usage > 0).then(|| pda::epoch_record(&k.engine, st.epoch));
    b.run(
        &mut h,
        "claim_source_rewards",
        ix::claim_source_rewards(&k, &builder.pubkey(), &source, record, &builder_tokens),
        &[&builder],
    )
    .await;

    // Exits.
    for (who, tokens) in &users {
        let pos = pda::position(&k.engine, &who.pubkey(), 0);
        b.run(&mut h, "start_unbond", ix::start_unbond(&k, &who.pubkey(), &pos), &[who]).await;
        let lock = h.get::<coherence::state::Position>(&pos).await.lock_secs;
        h.warp_by(lock as i64).await;
        b.run(&mut h, "withdraw", ix::withdraw(&k, &who.pubkey(), &pos, tokens), &[who]).await;
        if preview_owed(&mut h, &k, &pos).await > 0 {
            b.run(&mut h, "claim_rewards", ix::claim_rewards(&k, &who.pubkey(), &pos, tokens, false), &[who]).await;
        }
        b.run(&mut h, "close_position", ix::close_position(&k, &who.pubkey(), &pos), &[who]).await;
    }
    let (w0, t0) = &users[0];
    b.run(&mut h, "claim_vesting", ix::claim_vesting(&k, &w0.pubkey(), &schedules[0], t0), &[w0]).await;
    let (w1, _) = &users[1];
    b.run(&mut h, "revoke_vesting", ix::revoke_vesting(&k, &governor.pubkey(), &schedules[1]), &[&governor]).await;
    let (w2, t2) = &users[2];
    b.run(&mut h, "transfer_vesting", ix::transfer_vesting(&w1.pubkey(), &schedules[1], w2.pubkey()), &[w1]).await;
    h.warp_by(p.min_vesting_duration as i64).await;
    b.run(&mut h, "claim_vesting", ix::claim_vesting(&k, &w2.pubkey(), &schedules[2], t2), &[w2]).await;
    b.run(&mut h, "close_vesting", ix::close_vesting(&k, &w2.pubkey(), &schedules[2]), &[w2]).await;
    b.run(&mut h, "claim_vesting (usage-gated)", ix::claim_vesting(&k, &w0.pubkey(), &schedules[3], t0), &[w0]).await;
    b.run(&mut h, "claim_vesting (usage-gated)", ix::claim_vesting(&k, &w0.pubkey(), &schedules[4], t0), &[w0]).await;
    b.run(
        &mut h,
        "close_vesting (usage-gated: releases its budget)",
        ix::close_vesting(&k, &w0.pubkey(), &schedules[4]),
        &[w0],
    )
    .await;
    // Expiry needs the epoch containing end + grace closed: close every
    // ended epoch (not measured) with the lookup table.
    h.warp_by(coherence::constants::MIN_VESTING_GRACE_SECS as i64 + DAY as i64).await;
    let (engine, now) = (f.engine(&mut h).await, h.now().await);
    for (_, close) in coherence_sdk::ops::due_closes(&k, &engine, &me, now) {
        h.bank.send_with_tables(&[close], &[&payer], std::slice::from_ref(&table)).await.expect("close");
    }
    b.run(&mut h, "expire_vesting", ix::expire_vesting(&k, &schedules[3]), &[]).await;

    // Governance.
    let mut q = p;
    q.gate_bps = 8_000;
    b.run(&mut h, "propose_params", ix::propose_params(&k, &governor.pubkey(), q), &[&governor]).await;
    b.run(&mut h, "cancel_params", ix::cancel_params(&k, &governor.pubkey()), &[&governor]).await;
    b.run(&mut h, "propose_params", ix::propose_params(&k, &governor.pubkey(), q), &[&governor]).await;
    h.warp_by(p.timelock_secs as i64).await;
    b.run(&mut h, "apply_params", ix::apply_params(&k), &[]).await;
    let next = h.wallet().await;
    b.run(&mut h, "propose_authority", ix::propose_authority(&k, &governor.pubkey(), next.pubkey()), &[&governor])
        .await;
    b.run(&mut h, "accept_authority", ix::accept_authority(&k, &next.pubkey()), &[&next]).await;
    b.run(&mut h, "set_pause", ix::set_pause(&k, &next.pubkey(), true), &[&next]).await;
    b.run(&mut h, "set_pause", ix::set_pause(&k, &next.pubkey(), false), &[&next]).await;
    let budget = f.engine(&mut h).await.time_only_budget;
    b.run(&mut h, "lower_time_only_budget", ix::lower_time_only_budget(&k, &next.pubkey(), budget - 1), &[&next]).await;
    // An engine from before the time-only budget (its bytes rewritten to
    // version 2): counting its five schedules (one closed) in one transaction.
    let mut old: coherence::state::Engine = f.engine(&mut h).await;
    (old.version, old.time_only_budget, old.time_only_used, old.time_only_synced) = (2, 0, 0, false);
    h.overwrite(&k.engine, &old).await;
    b.run(&mut h, "sync_time_only_budget (5 schedules)", ix::sync_time_only_budget(&k, 0, old.vesting_count), &[])
        .await;

    println!("Compute units per instruction, SBF build (`{}`), solana-program-test 3.1.12:\n", so_name());
    b.print();
}

async fn preview_owed(h: &mut Harness, k: &EngineKeys, pos: &Pubkey) -> u64 {
    let now = h.now().await;
    coherence_sdk::preview::preview_rewards(&h.get(pos).await, &h.get(&k.stake_pool).await, now).unwrap()
}

fn so_name() -> String {
    coherence_sdk::client::local::sbf_program().ok().flatten().map(|p| p.display().to_string()).unwrap_or_default()
}
