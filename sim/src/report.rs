//! What a run produces: the per-epoch table, per-agent ledgers, and their
//! JSON, CSV and text forms.

use crate::agent::{Agent, Class, Ledger};
use crate::market::{Flows, Pool, Trade};
use crate::scenario::{Scenario, TOKEN};
use coherence::state::EpochRecord;
use serde::Serialize;

/// Scale of the reward accumulator (reward base units per weight unit × 1e18).
const ACC_SCALE: f64 = 1e18;

/// One closed epoch, read from its on-chain record.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EpochRow {
    pub epoch: u64,
    pub usage: u64,
    pub attributed: u64,
    pub baseline: u64,
    pub gate_passed: bool,
    pub cap: u64,
    pub emission: u64,
    pub stakers: u64,
    pub builders: u64,
    pub treasury: u64,
    /// Mint supply after the close.
    pub supply: u64,
    /// Rewards released per unit of staking weight during this epoch, in
    /// percent (tokens of reward per 100 tokens of weight).
    pub reward_per_weight_pct: f64,
    /// Vested amount of every time-only insider schedule at the close.
    pub insiders_vested: u64,
    /// Vested amount of every usage-gated insider schedule at the close.
    pub gated_vested: u64,
    /// The market at the close: the pool's price (quote per token) and reserves.
    pub price: f64,
    pub pool_tokens: u64,
    pub pool_quote: u64,
    /// What moved through the market during the epoch, by cause.
    pub flows: Flows,
    /// Each class's cumulative net at the close as realized so far (what
    /// was claimed; rewards still in positions count when claimed), in
    /// tokens and in quote.
    pub nets: Vec<ClassNet>,
}

/// A class's cumulative net at a close.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassNet {
    pub class: Class,
    /// Σ received − paid so far, base units.
    pub net: i128,
    /// Σ quote received − quote spent + tokens gained valued at the close's
    /// price, quote base units.
    pub net_quote: i128,
}

/// Every class present among `agents`, with its cumulative nets valued at `pool`'s price.
pub fn class_nets(agents: &[Agent], pool: &Pool) -> Vec<ClassNet> {
    Class::ALL
        .iter()
        .filter(|c| agents.iter().any(|a| a.class == **c))
        .map(|&class| {
            let of = agents.iter().filter(|a| a.class == class);
            ClassNet {
                class,
                net: of.clone().map(|a| a.ledger.net()).sum(),
                net_quote: of.map(|a| a.ledger.net_quote(|t| pool.value(t))).sum(),
            }
        })
        .collect()
}

impl EpochRow {
    /// A row from the epoch's record, the reward accumulator's move, the
    /// vested amounts, the supply, and the market at the close.
    pub fn new(
        r: &EpochRecord,
        acc_delta: u128,
        (insiders_vested, gated_vested): (u64, u64),
        supply: u64,
        (pool, flows, nets): (&Pool, Flows, Vec<ClassNet>),
    ) -> EpochRow {
        EpochRow {
            epoch: r.epoch,
            usage: r.usage,
            attributed: r.attributed,
            baseline: r.baseline,
            gate_passed: r.gate_passed,
            cap: r.cap,
            emission: r.emission,
            stakers: r.stakers_amount,
            builders: r.builders_amount,
            treasury: r.treasury_amount,
            supply,
            reward_per_weight_pct: acc_delta as f64 / ACC_SCALE * 100.0,
            insiders_vested,
            gated_vested,
            price: pool.price(),
            pool_tokens: pool.tokens,
            pool_quote: pool.quote,
            flows,
            nets,
        }
    }
}

/// One agent's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AgentRow {
    pub name: String,
    pub class: Class,
    pub kind: String,
    #[serde(flatten)]
    pub ledger: Ledger,
    pub net: i128,
    /// Net as a percentage of what it put in (paid + capital locked);
    /// none when it put in nothing (builders, insiders).
    pub net_pct: Option<f64>,
    /// Net in the quote asset, tokens valued at the pool's final price
    /// (see [`Ledger::net_quote`]), quote base units.
    pub net_quote: i128,
}

impl AgentRow {
    /// `a`'s result, its tokens valued at `pool`'s price.
    pub fn new(a: &Agent, pool: &Pool) -> AgentRow {
        let kind =
            serde_json::to_value(&a.kind).ok().and_then(|v| v["kind"].as_str().map(String::from)).unwrap_or_default();
        let put_in = a.ledger.put_in();
        AgentRow {
            name: a.name.clone(),
            class: a.class,
            kind,
            ledger: a.ledger.clone(),
            net: a.ledger.net(),
            net_pct: (put_in > 0).then(|| a.ledger.net() as f64 * 100.0 / put_in as f64),
            net_quote: a.ledger.net_quote(|t| pool.value(t)),
        }
    }
}

/// The market over a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MarketSummary {
    /// The pool when it opened (after genesis) and after everyone exited.
    pub opened: Pool,
    pub closed: Pool,
    pub opening_price: f64,
    pub final_price: f64,
}

/// A finished run.
#[derive(Clone, Debug, Serialize)]
pub struct Run {
    pub scenario: Scenario,
    pub usage_plan: Vec<u64>,
    pub rows: Vec<EpochRow>,
    pub agents: Vec<AgentRow>,
    /// Transactions sent, and wall time of the run.
    pub txs: u64,
    pub secs: f64,
    /// The engine's declared time-only budget: the most that may ever vest
    /// without usage.
    pub time_only_budget: u64,
    pub market: MarketSummary,
    /// Every price-moving trade, in order.
    pub trades: Vec<Trade>,
}

impl Run {
    /// Transactions per second of wall time.
    pub fn tps(&self) -> f64 {
        self.txs as f64 / self.secs.max(1e-9)
    }

    /// The agent called `name`.
    pub fn agent(&self, name: &str) -> Option<&AgentRow> {
        self.agents.iter().find(|a| a.name == name)
    }

    /// The per-epoch table as CSV.
    pub fn epochs_csv(&self) -> String {
        let mut s = String::from("epoch,usage,attributed,baseline,gate_passed,cap,emission,stakers,builders,treasury,supply,reward_per_weight_pct,insiders_vested,gated_vested,price,pool_tokens,pool_quote,usage_buys,emission_sells,vesting_sells,speculator_buys,speculator_sells\n");
        for r in &self.rows {
            let f = &r.flows;
            s += &format!(
                "{},{},{},{},{},{},{},{},{},{},{},{:.6},{},{},{:.6},{},{},{},{},{},{},{}\n",
                r.epoch,
                r.usage,
                r.attributed,
                r.baseline,
                r.gate_passed,
                r.cap,
                r.emission,
                r.stakers,
                r.builders,
                r.treasury,
                r.supply,
                r.reward_per_weight_pct,
                r.insiders_vested,
                r.gated_vested,
                r.price,
                r.pool_tokens,
                r.pool_quote,
                f.usage_buys,
                f.emission_sells,
                f.vesting_sells,
                f.speculator_buys,
                f.speculator_sells
            );
        }
        s
    }

    /// Every trade as CSV.
    pub fn trades_csv(&self) -> String {
        let mut s = String::from("epoch,agent,side,tokens,quote,fee,price_after\n");
        for t in &self.trades {
            s += &format!(
                "{},{},{:?},{},{},{},{:.6}\n",
                t.epoch, t.agent, t.side, t.tokens, t.quote, t.fee, t.price_after
            );
        }
        s
    }

    /// The per-agent ledger as CSV.
    pub fn agents_csv(&self) -> String {
        let mut s =
            String::from("name,class,kind,start,bought,paid,received,sold,staked_max,end,net,net_pct,quote_spent,quote_received,net_quote,refused\n");
        for a in &self.agents {
            let l = &a.ledger;
            s += &format!(
                "{},{:?},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                a.name,
                a.class,
                a.kind,
                l.start,
                l.bought,
                l.paid,
                l.received,
                l.sold,
                l.staked_max,
                l.end,
                a.net,
                pct(a.net_pct),
                l.quote_spent,
                l.quote_received,
                a.net_quote,
                l.refused.len()
            );
        }
        s
    }

    /// The per-epoch table as text (every `every`-th epoch), amounts in tokens.
    pub fn epochs_text(&self, every: usize) -> String {
        let mut s = format!(
            "{:>5} {:>11} {:>11} {:>5} {:>10} {:>10} {:>10} {:>9} {:>13} {:>9} {:>8}\n",
            "epoch",
            "usage",
            "baseline",
            "gate",
            "emission",
            "stakers",
            "builders",
            "treasury",
            "supply",
            "rpw %",
            "price"
        );
        for r in self.rows.iter().step_by(every.max(1)) {
            s += &format!(
                "{:>5} {:>11} {:>11} {:>5} {:>10} {:>10} {:>10} {:>9} {:>13} {:>9.4} {:>8.4}\n",
                r.epoch,
                tokens(r.usage),
                tokens(r.baseline),
                if r.gate_passed { "pass" } else { "FAIL" },
                tokens(r.emission),
                tokens(r.stakers),
                tokens(r.builders),
                tokens(r.treasury),
                tokens(r.supply),
                r.reward_per_weight_pct,
                r.price
            );
        }
        s
    }

    /// The per-agent ledger as text: strategic agents and twins one by one,
    /// honest classes summed.
    pub fn agents_text(&self) -> String {
        let mut s = format!(
            "{:<24} {:>14} {:>14} {:>14} {:>9} {:>16}\n",
            "agent / class", "paid", "received", "net", "net %", "net in quote"
        );
        for class in [Class::User, Class::Staker, Class::Builder, Class::Insider, Class::GatedInsider] {
            let rows: Vec<&AgentRow> = self.agents.iter().filter(|a| a.class == class).collect();
            if rows.is_empty() {
                continue;
            }
            let (paid, recv, put): (u64, u64, u64) = rows
                .iter()
                .fold((0, 0, 0), |(p, r, i), a| (p + a.ledger.paid, r + a.ledger.received, i + a.ledger.put_in()));
            let net = recv as i128 - paid as i128;
            let p = (put > 0).then(|| net as f64 * 100.0 / put as f64);
            let quote: i128 = rows.iter().map(|a| a.net_quote).sum();
            s += &format!(
                "{:<24} {:>14} {:>14} {:>14} {:>9} {:>16}\n",
                format!("{} ({})", class.plural(), rows.len()),
                tokens(paid),
                tokens(recv),
                signed(net),
                pct(p),
                signed(quote)
            );
        }
        for a in self.agents.iter().filter(|a| matches!(a.class, Class::Strategic | Class::Twin | Class::Speculator)) {
            s += &format!(
                "{:<24} {:>14} {:>14} {:>14} {:>9} {:>16}\n",
                a.name,
                tokens(a.ledger.paid),
                tokens(a.ledger.received),
                signed(a.net),
                pct(a.net_pct),
                signed(a.net_quote)
            );
        }
        let m = &self.market;
        s += &format!(
            "market: price {:.4} -> {:.4} quote per token; pool {} tokens / {} quote -> {} / {}; fees {} tokens, {} quote; {} trades\n",
            m.opening_price,
            m.final_price,
            tokens(m.opened.tokens),
            tokens(m.opened.quote),
            tokens(m.closed.tokens),
            tokens(m.closed.quote),
            tokens(m.closed.fees_tokens),
            tokens(m.closed.fees_quote),
            self.trades.len()
        );
        s
    }
}

/// A percentage with two decimals, or `-`.
pub fn pct(p: Option<f64>) -> String {
    p.map_or("-".into(), |p| format!("{p:.2}%"))
}

/// Base units as tokens: whole tokens from 1,000 up, else with decimals.
pub fn tokens(v: u64) -> String {
    signed(v as i128)
}

/// A signed amount in tokens (whole from 1,000 up, else with decimals).
pub fn signed(v: i128) -> String {
    if v.unsigned_abs() >= 1_000 * TOKEN as u128 {
        format!("{}", v / TOKEN as i128)
    } else {
        let s = format!("{:.6}", v as f64 / TOKEN as f64);
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// 1234567.0 → "1.23M", 2500.0 → "2.5k", 0.75 → "0.75".
pub fn short(v: f64) -> String {
    let a = v.abs();
    let (x, unit) = if a >= 1e9 {
        (v / 1e9, "B")
    } else if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let s = format!("{x:.2}");
    format!("{}{unit}", s.trim_end_matches('0').trim_end_matches('.'))
}

/// Honest agents of `class` in a run.
pub fn class_rows(run: &Run, class: Class) -> impl Iterator<Item = &AgentRow> {
    run.agents.iter().filter(move |a| a.class == class)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A closed epoch with `usage` and the pool at `pool_tokens` / `pool_quote`.
    pub(crate) fn row(epoch: u64, usage: u64, pool_tokens: u64, pool_quote: u64) -> EpochRow {
        EpochRow {
            epoch,
            usage,
            attributed: 0,
            baseline: 100,
            gate_passed: true,
            cap: 1_000,
            emission: 0,
            stakers: 0,
            builders: 0,
            treasury: 0,
            supply: 0,
            reward_per_weight_pct: 0.0,
            insiders_vested: 0,
            gated_vested: 0,
            price: pool_quote as f64 / pool_tokens as f64,
            pool_tokens,
            pool_quote,
            flows: Flows::default(),
            nets: vec![],
        }
    }

    /// A run of `scenario` with `rows` and nobody in it.
    pub(crate) fn run_of(rows: Vec<EpochRow>, budget: u64) -> Run {
        let pool = Pool::new(1, 1, 0).expect("pool");
        Run {
            scenario: crate::scenario::Scenario::built_in("plateau", 1).expect("built-in"),
            usage_plan: vec![],
            rows,
            agents: vec![],
            txs: 0,
            secs: 1.0,
            time_only_budget: budget,
            market: MarketSummary { opened: pool.clone(), closed: pool, opening_price: 1.0, final_price: 1.0 },
            trades: vec![],
        }
    }
}
