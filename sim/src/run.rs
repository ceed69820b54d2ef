//! One simulation run: genesis, then per epoch phase A, phase B and the
//! crank, reading each closed epoch's record and the market at the close;
//! then every agent exits, and the ledgers are checked against the wallets
//! and the pool against the market wallet.

use crate::agent::Kind;
use crate::behave;
use crate::report::{class_nets, AgentRow, EpochRow, MarketSummary, Run};
use crate::scenario::Scenario;
use crate::world::World;
use crate::SimError;
use coherence::state::{EpochRecord, StakePool, VestingSchedule};
use coherence_sdk::{ops, pda, preview};
use std::time::Instant;

/// Called after each epoch with (epochs done, epochs in all).
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64);

/// Runs `scenario` with per-epoch `usage` (base units) to the end.
pub async fn run(scenario: Scenario, usage: Vec<u64>, progress: Progress<'_>) -> Result<Run, SimError> {
    let started = Instant::now();
    let epochs = scenario.epochs;
    let mut w = crate::genesis::genesis(scenario, usage).await?;
    let opened = w.pool.clone();
    let mut rows = Vec::new();
    let mut acc = w.client.get::<StakePool>(&w.keys.stake_pool).await?.stream.acc;
    for epoch in 0..epochs {
        w.epoch = epoch;
        w.warp(w.epoch_start(epoch) + 3_600).await?;
        for i in 0..w.agents.len() {
            behave::phase_a(&mut w, i, epoch).await?;
        }
        w.warp(w.epoch_start(epoch + 1) - 60).await?;
        for i in 0..w.agents.len() {
            behave::phase_b(&mut w, i, epoch).await?;
        }
        w.warp(w.epoch_start(epoch + 1)).await?;
        let closed = ops::crank(&mut w.client, &w.keys).await?;
        w.txs += closed.len() as u64;
        let r: EpochRecord = w.client.get(&pda::epoch_record(&w.keys.engine, epoch)).await?;
        let pool: StakePool = w.client.get(&w.keys.stake_pool).await?;
        let acc_delta = pool.stream.acc.wrapping_sub(acc);
        acc = pool.stream.acc;
        let insiders_vested = vested_now(&mut w).await?;
        let supply = ops::mint_supply(&mut w.client, &w.keys.mint).await?;
        let market = (&w.pool, std::mem::take(&mut w.flows), class_nets(&w.agents, &w.pool));
        rows.push(EpochRow::new(&r, acc_delta, insiders_vested, supply, market));
        w.closes.push(w.pool.price());
        progress(epoch + 1, epochs);
    }
    w.epoch = epochs;
    exit_everyone(&mut w).await?;
    let agents = ledgers(&mut w).await?;
    w.reconcile_market().await?;
    let secs = started.elapsed().as_secs_f64();
    let market =
        MarketSummary { opening_price: opened.price(), final_price: w.pool.price(), opened, closed: w.pool.clone() };
    Ok(Run {
        scenario: w.scenario.clone(),
        usage_plan: w.usage.clone(),
        rows,
        agents,
        txs: w.txs,
        secs,
        time_only_budget: w.created.time_only_budget,
        market,
        trades: std::mem::take(&mut w.trades),
    })
}

/// Vested amount now of every time-only schedule and of every usage-gated
/// one (insiders' accrued value).
async fn vested_now(w: &mut World) -> Result<(u64, u64), SimError> {
    let now = w.client.now().await?;
    let usage = w.client.get::<coherence::state::Engine>(&w.keys.engine).await?.total_usage_burned;
    let (mut time_only, mut gated) = (0u64, 0u64);
    for i in 0..w.agents.len() {
        if let Kind::Insider { schedule, .. } | Kind::EarlySeller { schedule } | Kind::PatientInsider { schedule } =
            w.agents[i].kind
        {
            let v: VestingSchedule = w.client.get(&pda::vesting(&w.keys.engine, schedule)).await?;
            let vested = v.claimed + preview::preview_vested(&v, usage, now)?; // claimed + claimable
            *if v.gate().is_some() { &mut gated } else { &mut time_only } += vested;
        }
    }
    Ok((time_only, gated))
}

/// One epoch after the last close (so its stream is paid out), everyone
/// claims and unbonds; after the longest lock, everyone withdraws.
async fn exit_everyone(w: &mut World) -> Result<(), SimError> {
    let end = w.epoch_start(w.scenario.epochs + 1);
    w.warp(end).await?;
    for i in 0..w.agents.len() {
        match w.agents[i].kind.clone() {
            Kind::Builder { source } | Kind::WashCoalition { source, .. } => behave::claim_source(w, i, source).await?,
            Kind::Insider { schedule, .. } | Kind::EarlySeller { schedule } | Kind::PatientInsider { schedule } => {
                behave::claim_vested(w, i, schedule, false).await?
            }
            _ => {}
        }
        for id in w.agents[i].positions.clone() {
            if w.position(i, id).await?.unbond_start == 0 {
                w.start_unbond(i, id).await?;
            }
        }
    }
    w.warp(end + (w.scenario.params.max_lock + w.scenario.epoch_secs) as i64).await?;
    for i in 0..w.agents.len() {
        for id in w.agents[i].positions.clone() {
            w.withdraw_and_close(i, id).await?;
        }
    }
    Ok(())
}

/// Final balances; every ledger must satisfy its balance identity, or the
/// run is wrong (in the simulator or the program) and fails loudly.
async fn ledgers(w: &mut World) -> Result<Vec<AgentRow>, SimError> {
    let mut out = Vec::new();
    for i in 0..w.agents.len() {
        w.agents[i].ledger.end = w.balance(i).await?;
        let a = &w.agents[i];
        if !a.ledger.balances() {
            return Err(SimError::Ledger(format!("{}: {:?}", a.name, a.ledger)));
        }
        out.push(AgentRow::new(a, &w.pool));
    }
    Ok(out)
}
