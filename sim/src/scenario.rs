//! Scenarios: a usage path × a population of agents × engine parameters.
//! Built-in scenarios share one population and differ in their usage path,
//! except `wash`, where a coalition is the whole engine.

use crate::market::MarketConfig;
use crate::rng::Rng;
use crate::usage::UsagePath;
use coherence::math::Params;
use serde::Serialize;

/// Base units per token (the simulated mint has 6 decimals).
pub const TOKEN: u64 = 1_000_000;
/// Decimals of the simulated mint.
pub const DECIMALS: u8 = 6;
/// One week: the simulated engines close an epoch per week.
pub const EPOCH_SECS: u64 = 7 * 86_400;
/// Max supply of the simulated mint: 1 billion tokens.
pub const MAX_SUPPLY: u64 = 1_000_000_000 * TOKEN;
/// Minted at genesis to the market, before the engine takes the mint
/// authority: what users buy their usage from over the whole run.
pub const GENESIS_SUPPLY: u64 = 900_000_000 * TOKEN;
/// Base usage per epoch for the named paths: 1 million tokens.
pub const BASE_USAGE: u64 = 1_000_000 * TOKEN;

/// How many agents of each honest kind; strategic agents (and their honest
/// twins) are always present unless `strategic` is false.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Population {
    pub users: u32,
    pub stakers: u32,
    pub builders: u32,
    pub insiders: u32,
    pub strategic: bool,
    /// Only the wash coalition (sole staker, sole builder, sole payer).
    pub wash_only: bool,
    /// Users hold their whole usage plan from genesis (an airdrop) and burn
    /// from it instead of buying from the market: usage then brings no buyer.
    pub airdropped_usage: bool,
    /// Speculators trading the market (none by default).
    pub momentum_traders: u32,
    pub mean_reverting_traders: u32,
}

impl Population {
    /// The standard mix for `agents` agents in all (at least 20): 6
    /// strategic agents and 5 honest twins, then of the rest about 31 %
    /// stakers, 11 % builders, 7 % insiders (at least 2; every other one on
    /// a usage-gated schedule) and the remainder users.
    pub fn standard(agents: u32) -> Population {
        let rest = agents.max(20) - STRATEGIC_AGENTS;
        let (stakers, builders, insiders) = ((rest * 28 / 90).max(2), (rest / 9).max(1), (rest * 6 / 90).max(2));
        Population {
            users: rest - stakers - builders - insiders,
            stakers,
            builders,
            insiders,
            strategic: true,
            wash_only: false,
            airdropped_usage: false,
            momentum_traders: 0,
            mean_reverting_traders: 0,
        }
    }

    /// Speculators in all.
    pub fn speculators(&self) -> u32 {
        self.momentum_traders + self.mean_reverting_traders
    }

    /// Agents in all.
    pub fn agents(&self) -> u32 {
        let traders = self.speculators();
        if self.wash_only {
            return 1 + traders;
        }
        self.users
            + self.stakers
            + self.builders
            + self.insiders
            + if self.strategic { STRATEGIC_AGENTS } else { 0 }
            + traders
    }

    /// The same population without speculators.
    pub fn without_speculators(&self) -> Population {
        Population { momentum_traders: 0, mean_reverting_traders: 0, ..self.clone() }
    }
}

/// Strategic agents (6) and their honest twins (5).
pub const STRATEGIC_AGENTS: u32 = 11;

/// One simulation's inputs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub name: String,
    pub path: UsagePath,
    pub population: Population,
    pub params: Params,
    pub epochs: u64,
    pub seed: u64,
    /// Per-epoch usage base (base units) for named paths.
    pub base_usage: u64,
    /// Epoch length of the simulated engine, seconds.
    pub epoch_secs: u64,
    /// Per-epoch usage noise: each epoch's usage is scaled by a factor drawn
    /// uniformly in `1 ± noise_bps / 10 000` from the seed (0: the path as is).
    pub noise_bps: u16,
    /// The pool users buy from and the others sell into.
    pub market: MarketConfig,
}

/// Built-in scenarios: name, what it shows.
pub const BUILT_IN: [(&str, &str); 8] = [
    ("growth", "usage grows along an S-curve to 6x; the standard population"),
    ("plateau", "usage flat at 1M tokens a week"),
    ("decline", "usage falls 1.5 % a week"),
    ("crash", "usage drops to 15 % after a third of the run"),
    ("shock", "usage drops to 25 % at a quarter and recovers by half-time"),
    ("seasonal", "usage swings +-50 % over a 52-week year"),
    ("zero", "nobody pays: what still gains value without usage"),
    ("wash", "a wash coalition is the sole staker, builder and payer, burning 1M a week"),
];

/// The recommended parameters for the simulated engine (cap 1 % of max supply).
pub fn recommended_params() -> Params {
    coherence::math::params::recommended(MAX_SUPPLY / 100)
}

/// A deliberately incoherent market, for tests and docs. Within the
/// program's bounds no parameter set can make less usage lift the price
/// while users buy what they burn: emission and usage-gated vesting are at
/// most `α + Σ rate ≤ 100 %` of usage, so the sells usage causes never
/// outweigh the buys it is. What does it is usage that brings no buyer:
/// users burn tokens airdropped at genesis, α at its 90 % bound goes to
/// stakers and builders only, and both sell everything they receive (no
/// strategic agent buys either). Less usage then means less emission sold,
/// so the lower-usage run's price is above the main run's.
pub fn incoherent_market(mut s: Scenario) -> Scenario {
    s.population.airdropped_usage = true;
    s.population.strategic = false;
    s.params.alpha_bps = 9_000;
    s.params.stakers_bps = 8_000;
    s.params.builders_bps = 2_000;
    s.params.treasury_bps = 0;
    s.market.stakers_sell_bps = 10_000;
    s.market.builders_sell_bps = 10_000;
    s.market.insiders_sell_bps = 10_000;
    s
}

/// A deliberately incoherent parameter set, for tests and docs: the gate
/// demands usage at 150 % of its baseline (so swings beat steady usage),
/// the treasury takes its maximum 20 %, and insiders vest over the shortest
/// schedule the bounds allow (1-day cliff, 30 days).
pub fn incoherent_params() -> Params {
    let day = coherence::constants::DAY;
    Params {
        gate_bps: 15_000,
        stakers_bps: 6_000,
        builders_bps: 2_000,
        treasury_bps: 2_000,
        min_vesting_cliff: day,
        min_vesting_duration: 30 * day,
        ..recommended_params()
    }
}

impl Scenario {
    /// A built-in scenario by name, with 100 agents over 104 weekly epochs.
    pub fn built_in(name: &str, seed: u64) -> Option<Scenario> {
        let (path, population) = match name {
            "wash" => (UsagePath::Plateau, Population { wash_only: true, ..Population::standard(20) }),
            other => (UsagePath::parse(other)?, Population::standard(100)),
        };
        Some(Scenario {
            name: name.into(),
            path,
            population,
            params: recommended_params(),
            epochs: 104,
            seed,
            base_usage: BASE_USAGE,
            epoch_secs: EPOCH_SECS,
            noise_bps: 0,
            market: MarketConfig::default(),
        })
    }

    /// The same scenario with `agents` agents (speculators and options kept).
    pub fn with_agents(mut self, agents: u32) -> Scenario {
        if !self.population.wash_only {
            let p = &self.population;
            self.population = Population {
                strategic: p.strategic,
                airdropped_usage: p.airdropped_usage,
                momentum_traders: p.momentum_traders,
                mean_reverting_traders: p.mean_reverting_traders,
                ..Population::standard(agents)
            };
        }
        self
    }

    /// Per-epoch usage in base units: the path, with the seed's noise.
    pub fn usage(&self) -> Vec<u64> {
        let series = self.path.series(self.epochs, self.base_usage);
        if self.noise_bps == 0 {
            return series;
        }
        let mut rng = Rng::new(self.seed, NOISE_STREAM);
        let span = u64::from(self.noise_bps.min(10_000));
        series
            .into_iter()
            .map(|u| {
                let factor_bps = 10_000 - span + rng.range(0, 2 * span);
                (u as u128 * factor_bps as u128 / 10_000) as u64
            })
            .collect()
    }

    /// The same scenario without speculators: the path the speculation
    /// report compares against.
    pub fn without_speculators(&self) -> Scenario {
        Scenario { population: self.population.without_speculators(), ..self.clone() }
    }
}

/// Random stream of the usage noise (agents use 0 and their own streams).
const NOISE_STREAM: u64 = 0x5EED;

/// A live engine's parameters carried over to the simulated mint: the cap
/// keeps its fraction of max supply; everything else is unchanged.
pub fn adapt_params(live: &Params, live_max_supply: u64) -> Params {
    let cap =
        (live.cap as u128 * MAX_SUPPLY as u128 / live_max_supply.max(1) as u128).clamp(1, MAX_SUPPLY as u128) as u64;
    Params { cap, ..*live }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standard_population_has_the_asked_size() {
        for n in [20, 50, 100, 200] {
            assert_eq!(Population::standard(n).agents(), n);
        }
        assert_eq!(Scenario::built_in("wash", 1).unwrap().population.agents(), 1);
        assert!(Scenario::built_in("nope", 1).is_none());
    }
}
