//! The verdicts: does any strategy extract more than its honest
//! alternative (in tokens and in the quote asset); does any stakeholder
//! class earn more when usage is lower; is the price ever higher with less
//! usage ([`crate::price`]); what still gains value when nobody uses the
//! system.

use crate::agent::Class;
use crate::price::{PriceVerdict, Speculation};
use crate::report::{class_rows, signed, tokens, EpochRow, Run};

use serde::Serialize;

/// Each strategic agent and the honest twin it is judged against
/// (`None`: holding its tokens, a net of 0).
pub const ALTERNATIVES: [(&str, Option<&str>); 6] = [
    ("wash coalition", Some("wash twin")),
    ("jit sniper", Some("sniper twin")),
    ("baseline pumper", Some("pumper twin")),
    ("1-unit griefer", None),
    ("churner", Some("churner twin")),
    ("early seller", Some("early seller twin")),
];

/// One strategic agent's result against its honest alternative.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Extraction {
    pub agent: String,
    pub alternative: String,
    pub paid: u64,
    pub received: u64,
    pub net: i128,
    pub alternative_net: i128,
    /// net − alternative_net: above 0 would be extraction.
    pub excess: i128,
    pub extracts: bool,
    /// The same in the quote asset (nets valued at the pool's final price,
    /// trades at their own prices; quote base units).
    pub net_quote: i128,
    pub alternative_net_quote: i128,
    pub excess_quote: i128,
    pub extracts_in_quote: bool,
    /// Attempts the program refused, by error name, with counts.
    pub refused: Vec<(String, usize)>,
}

/// Extraction verdict of every strategic agent present in `run`.
pub fn extraction(run: &Run) -> Vec<Extraction> {
    let mut out = Vec::new();
    for (name, twin) in ALTERNATIVES {
        let Some(a) = run.agent(name) else { continue };
        let twin_row = twin.and_then(|t| run.agent(t));
        let alternative_net = twin_row.map_or(0, |t| t.net);
        let alternative_net_quote = twin_row.map_or(0, |t| t.net_quote);
        let mut refused: Vec<(String, usize)> = Vec::new();
        for r in &a.ledger.refused {
            match refused.iter_mut().find(|(n, _)| n == r) {
                Some((_, c)) => *c += 1,
                None => refused.push((r.clone(), 1)),
            }
        }
        out.push(Extraction {
            agent: name.into(),
            alternative: twin_row.map_or("holding".into(), |t| format!("{} (same capital, honest)", t.name)),
            paid: a.ledger.paid,
            received: a.ledger.received,
            net: a.net,
            alternative_net,
            excess: a.net - alternative_net,
            extracts: a.net > alternative_net,
            net_quote: a.net_quote,
            alternative_net_quote,
            excess_quote: a.net_quote - alternative_net_quote,
            extracts_in_quote: a.net_quote > alternative_net_quote,
            refused,
        });
    }
    out
}

/// A class earning more by some epoch in the lower-usage run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    pub class: String,
    pub epoch: u64,
    /// Cumulative gain by this epoch in the lower and the higher run.
    pub lower: u64,
    pub higher: u64,
    pub cause: String,
}

/// Classes compared, with each epoch's gain (cumulative for insiders).
const CLASSES: [&str; 5] = ["stakers", "builders", "treasury", "insiders", "gated insiders"];

fn cumulative(rows: &[EpochRow], class: &str) -> Vec<u64> {
    let mut sum = 0u64;
    rows.iter()
        .map(|r| match class {
            "stakers" => {
                sum += r.stakers;
                sum
            }
            "builders" => {
                sum += r.builders;
                sum
            }
            "treasury" => {
                sum += r.treasury;
                sum
            }
            "insiders" => r.insiders_vested,
            _ => r.gated_vested,
        })
        .collect()
}

/// Why the lower run's epoch paid a class more than the higher run's.
fn cause(h: &EpochRow, l: &EpochRow, gate_bps: u16) -> String {
    if !h.gate_passed && l.gate_passed {
        format!(
            "gate: higher run's usage {} < {} % of its baseline {}, while the lower run's {} passed against {}",
            tokens(h.usage),
            gate_bps / 100,
            tokens(h.baseline),
            tokens(l.usage),
            tokens(l.baseline)
        )
    } else if h.emission == h.cap && h.cap < l.cap {
        format!("cap: the higher run's cap {} binds below the lower run's {}", tokens(h.cap), tokens(l.cap))
    } else if l.builders > h.builders {
        format!(
            "attribution: lower run attributed {} of {}, higher {} of {}",
            tokens(l.attributed),
            tokens(l.usage),
            tokens(h.attributed),
            tokens(h.usage)
        )
    } else {
        format!("earlier epochs: lower run's emission {} vs higher {}", tokens(l.emission), tokens(h.emission))
    }
}

/// Paired runs that differ only in usage (`low` below `high` every epoch):
/// every epoch at which some class is ahead, cumulatively, in `low` and
/// this epoch's gain added to that lead (so each listed epoch has a cause).
pub fn coherence(high: &Run, low: &Run) -> Vec<Violation> {
    let gate = high.scenario.params.gate_bps;
    let mut out = Vec::new();
    for class in CLASSES {
        let (h, l) = (cumulative(&high.rows, class), cumulative(&low.rows, class));
        for e in 0..h.len().min(l.len()) {
            let (dh, dl) = if e == 0 { (h[0], l[0]) } else { (h[e] - h[e - 1], l[e] - l[e - 1]) };
            if l[e] > h[e] && dl > dh {
                out.push(Violation {
                    class: class.into(),
                    epoch: e as u64,
                    lower: l[e],
                    higher: h[e],
                    cause: cause(&high.rows[e], &low.rows[e], gate),
                });
            }
        }
    }
    out
}

/// Classes whose gain was the same in both paired runs although usage
/// differed: value that does not follow usage (typically time vesting).
pub fn usage_independent(high: &Run, low: &Run) -> Vec<(String, u64)> {
    CLASSES
        .iter()
        .filter_map(|&c| {
            let (h, l) = (cumulative(&high.rows, c).last().copied()?, cumulative(&low.rows, c).last().copied()?);
            (h == l && h > 0).then(|| (c.to_string(), h))
        })
        .collect()
}

/// A class that gained in the zero-usage run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gain {
    pub class: String,
    pub amount: u64,
    pub why: String,
}

/// Who still gains when nobody pays: realized gains of honest classes and
/// the treasury's emission share in a zero-usage run.
pub fn without_usage(zero: &Run) -> Vec<Gain> {
    let mut out = Vec::new();
    let sum = |class: Class| class_rows(zero, class).map(|a| a.ledger.received).sum::<u64>();
    let insiders = sum(Class::Insider);
    if insiders > 0 {
        out.push(Gain {
            class: "insiders".into(),
            amount: insiders,
            why: "time-based vesting unlocks whatever the usage".into(),
        });
    }
    let gated = sum(Class::GatedInsider);
    if gated > 0 {
        out.push(Gain {
            class: "gated insiders".into(),
            amount: gated,
            why: "usage-gated vesting unlocked without usage (a defect)".into(),
        });
    }
    for (class, name) in [(Class::Staker, "stakers"), (Class::Builder, "builders")] {
        let v = sum(class);
        if v > 0 {
            out.push(Gain { class: name.into(), amount: v, why: "rewards without emission (funded streams)".into() });
        }
    }
    let treasury: u64 = zero.rows.iter().map(|r| r.treasury).sum();
    if treasury > 0 {
        out.push(Gain { class: "treasury".into(), amount: treasury, why: "emission share without usage".into() });
    }
    out
}

/// What the mechanism released in the zero-usage run (vesting and the
/// treasury's emission share; funded reward streams are transfers between
/// holders, listed in `without_usage` but not counted here), against the
/// engine's declared time-only budget.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Ceiling {
    pub released: u64,
    pub budget: u64,
    /// `released ≤ budget`: value without usage stays within what genesis declared.
    pub within: bool,
}

/// Value released without usage, against the declared budget.
pub fn ceiling(zero: &Run) -> Ceiling {
    let last = zero.rows.last();
    let vested = last.map_or(0, |r| r.insiders_vested.saturating_add(r.gated_vested));
    let treasury: u64 = zero.rows.iter().map(|r| r.treasury).sum();
    let released = vested.saturating_add(treasury);
    Ceiling { released, budget: zero.time_only_budget, within: released <= zero.time_only_budget }
}

/// The baseline pumper's burst, and the epochs after it in which honest
/// usage failed the gate *because of* the burst: the program's own rule
/// (`math::emission::close_epoch`), replayed on the run's usage without the
/// burst, passes there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BurstStalls {
    pub burst_epoch: u64,
    pub burst: u64,
    pub stalled_epochs: Vec<u64>,
}

/// The pumper's effect on the gate in `run` (`None` without a pumper).
pub fn burst_stalls(run: &Run) -> Option<BurstStalls> {
    let pumper = run.agent("baseline pumper").filter(|a| a.ledger.paid > 0)?;
    let pump_epoch = crate::population::pump_epoch(&run.scenario);
    let p = run.scenario.params;
    let honest: Vec<u64> = run
        .rows
        .iter()
        .map(|r| if r.epoch == pump_epoch { r.usage.saturating_sub(pumper.ledger.paid) } else { r.usage })
        .collect();
    let (mut baseline, mut recent, mut stalled) = (0u64, [0u64; 2], Vec::new());
    for (row, usage) in run.rows.iter().zip(honest) {
        let o = coherence::math::emission::close_epoch(usage, baseline, recent, u64::MAX, 0, u64::MAX, &p).ok()?;
        if row.epoch > pump_epoch && !row.gate_passed && o.passed {
            stalled.push(row.epoch);
        }
        (baseline, recent) = (o.next_baseline, o.next_recent);
    }
    Some(BurstStalls { burst_epoch: pump_epoch, burst: pumper.ledger.paid, stalled_epochs: stalled })
}

/// All verdicts of one scenario.
#[derive(Clone, Debug, Serialize)]
pub struct Verdicts {
    pub extraction: Vec<Extraction>,
    pub coherence: Vec<Violation>,
    pub usage_independent: Vec<(String, u64)>,
    pub without_usage: Vec<Gain>,
    /// Value released without usage, against the declared budget.
    pub ceiling: Ceiling,
    /// Honest epochs the pumper's burst stalled at the gate (main run).
    pub burst: Option<BurstStalls>,
    /// Is the price ever higher with less usage (paired runs, no speculators)?
    pub price: PriceVerdict,
    /// With speculators on: what they did to the price.
    pub speculation: Option<Speculation>,
}

impl Verdicts {
    /// From the main run, its lower-usage twin and the zero-usage run.
    pub fn of(main: &Run, lower: &Run, zero: &Run) -> Verdicts {
        Verdicts {
            extraction: extraction(main),
            coherence: coherence(main, lower),
            usage_independent: usage_independent(main, lower),
            without_usage: without_usage(zero),
            ceiling: ceiling(zero),
            burst: burst_stalls(main),
            price: PriceVerdict::of(main, lower, zero),
            speculation: None,
        }
    }

    /// No strategy extracts (in tokens or in quote), no class earns more
    /// with less usage, the price is never higher with less usage, and
    /// what accrues without usage stays within the declared budget: the
    /// scorecard's criteria ([`crate::scorecard`]).
    pub fn coherent(&self) -> bool {
        self.extraction.iter().all(|e| !e.extracts && !e.extracts_in_quote)
            && self.coherence.is_empty()
            && self.ceiling.within
            && self.price.holds()
    }

    /// The verdicts as text.
    pub fn text(&self) -> String {
        let mut s = String::from(
            "extraction (net against the honest alternative; > 0 would extract; in tokens, then in quote):\n",
        );
        for e in &self.extraction {
            let refused: Vec<String> = e.refused.iter().map(|(n, c)| format!("{n} x{c}")).collect();
            s += &format!(
                "  {:<16} paid {:>11} received {:>11} net {:>11} vs {:<40} {:>11} -> excess {:>11} {}; in quote {:>12} {}{}\n",
                e.agent,
                tokens(e.paid),
                tokens(e.received),
                signed(e.net),
                e.alternative,
                signed(e.alternative_net),
                signed(e.excess),
                if e.extracts { "EXTRACTS" } else { "ok" },
                signed(e.excess_quote),
                if e.extracts_in_quote { "EXTRACTS" } else { "ok" },
                if refused.is_empty() { String::new() } else { format!(" (refused: {})", refused.join(", ")) }
            );
        }
        s += "coherence (lower-usage twin run vs this run, cumulative per class):\n";
        if self.coherence.is_empty() {
            s += "  no class earned more with less usage\n";
        }
        for v in &self.coherence {
            s += &format!(
                "  VIOLATION {} epoch {}: lower {} > higher {} ({})\n",
                v.class,
                v.epoch,
                tokens(v.lower),
                tokens(v.higher),
                v.cause
            );
        }
        for (c, v) in &self.usage_independent {
            s += &format!("  note: {c} gained {} in both runs: not tied to usage\n", tokens(*v));
        }
        s += "value without usage (zero-usage run):\n";
        if self.without_usage.is_empty() {
            s += "  nobody gains\n";
        }
        for g in &self.without_usage {
            s += &format!("  {} gain {} ({})\n", g.class, tokens(g.amount), g.why);
        }
        let c = &self.ceiling;
        s += &format!(
            "  released without usage {} {} the declared time-only budget {}{}\n",
            tokens(c.released),
            if c.within { "<=" } else { ">" },
            tokens(c.budget),
            if c.within { "" } else { ": VIOLATION" }
        );
        if let Some(b) = &self.burst {
            s += &format!(
                "baseline pumper: burst of {} at epoch {}; honest epochs it stalled at the gate: {}\n",
                tokens(b.burst),
                b.burst_epoch,
                if b.stalled_epochs.is_empty() { "none".to_string() } else { format!("{:?}", b.stalled_epochs) }
            );
        }
        s += &self.price.text();
        if let Some(sp) = &self.speculation {
            s += &sp.text();
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::run_of as run;

    fn row(epoch: u64, usage: u64, stakers: u64, gate_passed: bool) -> EpochRow {
        let mut r = crate::report::tests::row(epoch, usage, 1, 1);
        (r.gate_passed, r.emission, r.stakers) = (gate_passed, stakers, stakers);
        r
    }

    /// The verdict machinery itself: a lower-usage run that pays stakers
    /// more (the higher run failing its gate) is a violation with its cause,
    /// and value released without usage above the budget breaks coherence.
    /// The program's bounds keep real runs from producing either; these
    /// synthetic runs show the checks can fail.
    #[test]
    fn a_lower_run_that_pays_more_is_a_violation_and_value_above_the_budget_is_flagged() {
        let high = run(vec![row(0, 1_000, 50, true), row(1, 1_000, 0, false)], 0);
        let low = run(vec![row(0, 500, 25, true), row(1, 500, 60, true)], 0);
        let v = coherence(&high, &low);
        assert_eq!(v.len(), 1, "{v:?}");
        assert_eq!((v[0].class.as_str(), v[0].epoch, v[0].lower, v[0].higher), ("stakers", 1, 85, 50));
        assert!(v[0].cause.starts_with("gate:"), "{}", v[0].cause);
        assert!(coherence(&low, &low).is_empty());

        let mut zero = run(vec![row(0, 0, 0, true)], 10);
        zero.rows[0].insiders_vested = 10;
        assert!(ceiling(&zero).within);
        zero.rows[0].treasury = 1;
        assert_eq!(ceiling(&zero), Ceiling { released: 11, budget: 10, within: false });
    }
}
