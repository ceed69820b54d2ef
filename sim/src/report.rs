//! What a run produces: the per-epoch table, per-agent ledgers, and their
//! JSON, CSV and text forms.

use crate::agent::{Agent, Class, Ledger};
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
}

impl EpochRow {
    pub fn new(r: &EpochRecord, acc_delta: u128, (insiders_vested, gated_vested): (u64, u64), supply: u64) -> EpochRow {
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
}

impl AgentRow {
    pub fn new(a: &Agent) -> AgentRow {
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
        }
    }
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
        let mut s = String::from("epoch,usage,attributed,baseline,gate_passed,cap,emission,stakers,builders,treasury,supply,reward_per_weight_pct,insiders_vested,gated_vested\n");
        for r in &self.rows {
            s += &format!(
                "{},{},{},{},{},{},{},{},{},{},{},{:.6},{},{}\n",
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
                r.gated_vested
            );
        }
        s
    }

    /// The per-agent ledger as CSV.
    pub fn agents_csv(&self) -> String {
        let mut s =
            String::from("name,class,kind,start,bought,paid,received,sold,staked_max,end,net,net_pct,refused\n");
        for a in &self.agents {
            let l = &a.ledger;
            s += &format!(
                "{},{:?},{},{},{},{},{},{},{},{},{},{},{}\n",
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
                l.refused.len()
            );
        }
        s
    }

    /// The per-epoch table as text (every `every`-th epoch), amounts in tokens.
    pub fn epochs_text(&self, every: usize) -> String {
        let mut s = format!(
            "{:>5} {:>11} {:>11} {:>5} {:>10} {:>10} {:>10} {:>9} {:>13} {:>9}\n",
            "epoch", "usage", "baseline", "gate", "emission", "stakers", "builders", "treasury", "supply", "rpw %"
        );
        for r in self.rows.iter().step_by(every.max(1)) {
            s += &format!(
                "{:>5} {:>11} {:>11} {:>5} {:>10} {:>10} {:>10} {:>9} {:>13} {:>9.4}\n",
                r.epoch,
                tokens(r.usage),
                tokens(r.baseline),
                if r.gate_passed { "pass" } else { "FAIL" },
                tokens(r.emission),
                tokens(r.stakers),
                tokens(r.builders),
                tokens(r.treasury),
                tokens(r.supply),
                r.reward_per_weight_pct
            );
        }
        s
    }

    /// The per-agent ledger as text: strategic agents and twins one by one,
    /// honest classes summed.
    pub fn agents_text(&self) -> String {
        let mut s = format!("{:<20} {:>14} {:>14} {:>14} {:>9}\n", "agent / class", "paid", "received", "net", "net %");
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
            s += &format!(
                "{:<20} {:>14} {:>14} {:>14} {:>9}\n",
                format!("{} ({})", class.plural(), rows.len()),
                tokens(paid),
                tokens(recv),
                signed(net),
                pct(p)
            );
        }
        for a in self.agents.iter().filter(|a| matches!(a.class, Class::Strategic | Class::Twin)) {
            s += &format!(
                "{:<20} {:>14} {:>14} {:>14} {:>9}\n",
                a.name,
                tokens(a.ledger.paid),
                tokens(a.ledger.received),
                signed(a.net),
                pct(a.net_pct)
            );
        }
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

/// Honest agents of `class` in a run.
pub fn class_rows(run: &Run, class: Class) -> impl Iterator<Item = &AgentRow> {
    run.agents.iter().filter(move |a| a.class == class)
}
