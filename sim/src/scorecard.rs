//! The scorecard: each scenario ends with pass or fail against stated
//! success criteria, drawn from its verdicts.

use crate::report::{signed, tokens};
use crate::verdict::Verdicts;
use serde::Serialize;

/// The criteria, by code, with what each states.
pub const CRITERIA: [(&str, &str); 4] = [
    ("no-extraction", "no strategy beats its honest alternative, in tokens or in the quote asset"),
    ("no-gain-with-less-usage", "no class earns more in the run with less usage"),
    ("price-follows-usage", "the price is never higher in a run with less usage (no speculators)"),
    ("value-without-usage-within-budget", "value released without usage stays within the declared time-only budget"),
];

/// One criterion's result.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Criterion {
    pub code: &'static str,
    pub criterion: &'static str,
    pub passed: bool,
    /// The figures behind the result.
    pub detail: String,
}

/// Pass or fail against every criterion.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scorecard {
    pub criteria: Vec<Criterion>,
    pub passed: bool,
}

impl Scorecard {
    /// The scorecard of a scenario's verdicts.
    pub fn of(v: &Verdicts) -> Scorecard {
        let worst = v.extraction.iter().max_by_key(|e| e.excess);
        let worst_quote = v.extraction.iter().max_by_key(|e| e.excess_quote);
        let extraction = match (worst, worst_quote) {
            (Some(t), Some(q)) => format!(
                "worst excess over the alternative: {} tokens ({}), {} quote ({})",
                signed(t.excess),
                t.agent,
                signed(q.excess_quote),
                q.agent
            ),
            _ => "no strategic agent in this scenario".into(),
        };
        let coherence = match v.coherence.first() {
            None => "no violation".into(),
            Some(x) => {
                format!("{} violations; first: {} at epoch {} ({})", v.coherence.len(), x.class, x.epoch, x.cause)
            }
        };
        let p = &v.price;
        let price = format!(
            "highest price ratio to main: lower-usage run {:.4} (epoch {}), zero-usage run {:.4} (epoch {}); epochs above main with less usage: {} and {}",
            p.lower.max_ratio,
            p.lower.max_ratio_epoch,
            p.zero.max_ratio,
            p.zero.max_ratio_epoch,
            p.lower.breaches.len(),
            p.zero.breaches.len()
        );
        let c = &v.ceiling;
        let budget = format!("released without usage {} of a budget of {}", tokens(c.released), tokens(c.budget));
        let results = [
            (v.extraction.iter().all(|e| !e.extracts && !e.extracts_in_quote), extraction),
            (v.coherence.is_empty(), coherence),
            (p.holds(), price),
            (c.within, budget),
        ];
        let criteria: Vec<Criterion> = CRITERIA
            .iter()
            .zip(results)
            .map(|(&(code, criterion), (passed, detail))| Criterion { code, criterion, passed, detail })
            .collect();
        Scorecard { passed: criteria.iter().all(|c| c.passed), criteria }
    }

    /// The criteria that failed.
    pub fn failed(&self) -> impl Iterator<Item = &Criterion> {
        self.criteria.iter().filter(|c| !c.passed)
    }

    /// The scorecard as text.
    pub fn text(&self) -> String {
        let mut s = format!("scorecard: {}\n", if self.passed { "PASS" } else { "FAIL" });
        for c in &self.criteria {
            s += &format!("  [{}] {}: {}\n", if c.passed { "pass" } else { "FAIL" }, c.criterion, c.detail);
        }
        s
    }
}
