//! Builds a scenario's agents: honest users, stakers, builders and insiders,
//! then each strategic agent with the honest twin it is judged against.

use crate::agent::{Agent, Class, Kind};
use crate::rng::Rng;
use crate::scenario::{Scenario, TOKEN};

/// Vesting for each honest insider, and for the early seller and its twin.
const INSIDER_GRANT: u64 = 5_000_000 * TOKEN;
const SELLER_GRANT: u64 = 2_000_000 * TOKEN;
/// Capital of each staking strategy and of its twin.
pub const STRATEGY_CAPITAL: u64 = 2_000_000 * TOKEN;

/// Vested total of an insider-like agent's schedule.
pub fn schedule_total(kind: &Kind) -> u64 {
    match kind {
        Kind::Insider { .. } => INSIDER_GRANT,
        _ => SELLER_GRANT,
    }
}

/// The epoch of the baseline pumper's burst: a quarter into the run.
pub fn pump_epoch(s: &Scenario) -> u64 {
    s.epochs / 4
}

/// Σ totals of the agents' time-only schedules (insiders without a gate,
/// the early seller and its twin): the engine's declared time-only budget.
pub fn time_only_total(agents: &[Agent]) -> u64 {
    agents
        .iter()
        .filter(|a| match a.kind {
            Kind::Insider { usage_rate_bps, .. } => usage_rate_bps == 0,
            Kind::EarlySeller { .. } | Kind::PatientInsider { .. } => true,
            _ => false,
        })
        .map(|a| schedule_total(&a.kind))
        .sum()
}

/// Usage rate of each gated insider, the same in a scenario's three runs:
/// on pace, i.e. when the scenario's planned usage is paid, usage unlocks what time has vested by the end of
/// the run (rounded up, at least 1 bps) — less usage, less vested. Capped by
/// an equal share of what α leaves of the usage budget (α + Σ rate ≤ 100 %).
pub fn gated_rate_bps(s: &Scenario) -> u16 {
    let gated = (s.population.insiders / 2).max(1);
    let left = 10_000u64.saturating_sub(u64::from(s.params.alpha_bps)) / u64::from(gated);
    let planned: u128 = s.usage().iter().map(|&u| u128::from(u)).sum();
    // Insiders vest over twice the minimum duration (see `genesis::genesis`).
    let duration = u128::from(2 * s.params.min_vesting_duration);
    let run = u128::from(s.epochs) * u128::from(s.epoch_secs);
    let on_pace = u128::from(INSIDER_GRANT) * run.min(duration) / duration.max(1);
    let needed = match planned {
        0 => left,
        p => (on_pace * 10_000).div_ceil(p).min(10_000) as u64,
    };
    needed.clamp(1, left.max(1)) as u16
}

/// Tokens the run's agents will buy from the market for their burns:
/// users' usage (unless airdropped), the wash coalition's share, the
/// pumper's burst.
pub fn planned_buys(s: &Scenario, usage: &[u64]) -> u64 {
    let p = &s.population;
    let total: u64 = usage.iter().sum();
    if p.wash_only {
        return total;
    }
    let users = if p.airdropped_usage { 0 } else { total };
    let strategic = if p.strategic {
        usage.iter().map(|u| u / 10).sum::<u64>() + 3 * usage.get(pump_epoch(s) as usize).copied().unwrap_or(0)
    } else {
        0
    };
    users + strategic
}

/// The speculators of `s` (none unless opted in), after everyone else.
fn speculators(s: &Scenario, rng: &mut Rng, out: &mut Vec<Agent>) {
    let p = &s.population;
    for k in 0..p.momentum_traders {
        let kind = Kind::Momentum { lookback: 4 };
        out.push(Agent::new(format!("momentum trader {k}"), Class::Speculator, kind, rng, 0));
    }
    for k in 0..p.mean_reverting_traders {
        let kind = Kind::MeanReverting { window: 8 };
        out.push(Agent::new(format!("mean-reverting trader {k}"), Class::Speculator, kind, rng, 0));
    }
}

/// The agents of `s`. The wash coalition and the pumper buy what they burn
/// from the market during the run; with `airdropped_usage`, users hold
/// their share of the scenario's planned usage from genesis.
pub fn build(s: &Scenario, rng: &mut Rng) -> Vec<Agent> {
    let mut out = Vec::new();
    let p = &s.population;
    if p.wash_only {
        // Alone, the coalition pays the scenario's whole usage plan itself.
        let kind = Kind::WashCoalition { source: 0, share_bps: 10_000 };
        out.push(Agent::new("wash coalition".into(), Class::Strategic, kind, rng, STRATEGY_CAPITAL));
        speculators(s, rng, &mut out);
        return out;
    }
    let (mut schedules, mut sources) = (0u64, 0u64);
    for b in 0..p.builders {
        out.push(Agent::new(format!("builder {b}"), Class::Builder, Kind::Builder { source: sources }, rng, 0));
        sources += 1;
    }
    for u in 0..p.users {
        let source = (p.builders > 0 && rng.chance(6_000)).then(|| rng.range(0, p.builders as u64 - 1));
        let weight = rng.range(1, 10);
        out.push(Agent::new(format!("user {u}"), Class::User, Kind::User { weight, source }, rng, 0));
    }
    let (min, max) = (s.params.min_lock, s.params.max_lock);
    for k in 0..p.stakers {
        let lock_secs = min + (max - min) * k as u64 / (p.stakers.max(2) - 1) as u64;
        let claim_every = [1, 4, 13][rng.range(0, 2) as usize];
        let kind = Kind::Staker { lock_secs, claim_every, restake: rng.chance(5_000) };
        let stake = rng.range(1_000_000, 10_000_000) * TOKEN;
        out.push(Agent::new(format!("staker {k}"), Class::Staker, kind, rng, stake));
    }
    // Every other insider is on a usage-gated schedule (insider 1, 3, …).
    let rate = gated_rate_bps(s);
    for k in 0..p.insiders {
        let usage_rate_bps = if k % 2 == 1 { rate } else { 0 };
        let (name, class) = match usage_rate_bps {
            0 => (format!("insider {k}"), Class::Insider),
            _ => (format!("gated insider {k}"), Class::GatedInsider),
        };
        out.push(Agent::new(name, class, Kind::Insider { schedule: schedules, usage_rate_bps }, rng, 0));
        schedules += 1;
    }
    if p.airdropped_usage {
        airdrop_usage(s, &mut out);
    }
    if !p.strategic {
        speculators(s, rng, &mut out);
        return out;
    }
    // In a population the coalition burns a tenth of each epoch's planned usage.
    let wash = Kind::WashCoalition { source: sources, share_bps: 1_000 };
    out.push(Agent::new("wash coalition".into(), Class::Strategic, wash, rng, STRATEGY_CAPITAL));
    out.push(Agent::new(
        "wash twin".into(),
        Class::Twin,
        Kind::StakingTwin { of: "wash coalition".into() },
        rng,
        STRATEGY_CAPITAL,
    ));
    out.push(Agent::new("jit sniper".into(), Class::Strategic, Kind::Sniper, rng, STRATEGY_CAPITAL));
    out.push(Agent::new(
        "sniper twin".into(),
        Class::Twin,
        Kind::StakingTwin { of: "jit sniper".into() },
        rng,
        STRATEGY_CAPITAL,
    ));
    let pump = Kind::BaselinePumper { pump_epoch: pump_epoch(s) };
    out.push(Agent::new("baseline pumper".into(), Class::Strategic, pump, rng, STRATEGY_CAPITAL));
    out.push(Agent::new(
        "pumper twin".into(),
        Class::Twin,
        Kind::StakingTwin { of: "baseline pumper".into() },
        rng,
        STRATEGY_CAPITAL,
    ));
    out.push(Agent::new("1-unit griefer".into(), Class::Strategic, Kind::Griefer, rng, 1_000 * TOKEN));
    out.push(Agent::new("churner".into(), Class::Strategic, Kind::Churner, rng, STRATEGY_CAPITAL));
    out.push(Agent::new(
        "churner twin".into(),
        Class::Twin,
        Kind::StakingTwin { of: "churner".into() },
        rng,
        STRATEGY_CAPITAL,
    ));
    out.push(Agent::new("early seller".into(), Class::Strategic, Kind::EarlySeller { schedule: schedules }, rng, 0));
    out.push(Agent::new(
        "early seller twin".into(),
        Class::Twin,
        Kind::PatientInsider { schedule: schedules + 1 },
        rng,
        0,
    ));
    speculators(s, rng, &mut out);
    out
}

/// Gives each user its weight's share of the scenario's planned usage (the
/// same in its three runs, whatever each run's usage), to burn from.
fn airdrop_usage(s: &Scenario, agents: &mut [Agent]) {
    let planned: u128 = s.usage().iter().map(|&u| u128::from(u)).sum();
    let weight = |a: &Agent| if let Kind::User { weight, .. } = a.kind { weight } else { 0 };
    let total: u64 = agents.iter().map(weight).sum();
    for a in agents.iter_mut().filter(|a| a.class == Class::User) {
        // Rounded up: every epoch's share, floored per epoch, stays within it.
        a.ledger.start = (planned * u128::from(weight(a))).div_ceil(u128::from(total.max(1))) as u64;
    }
}
