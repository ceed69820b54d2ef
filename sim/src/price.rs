//! The seed's test in price terms: is there an epoch in which the run with
//! less usage has the higher price? And, with speculators on, how far and
//! how long speculation lifts the price above the path without them while
//! usage falls, and whether the mechanism's own flows pull it back.

use crate::agent::Class;
use crate::report::{EpochRow, Run};
use serde::Serialize;

/// An epoch at which the run with less usage closed at the higher price.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Breach {
    pub epoch: u64,
    /// Price and usage of that epoch in the run with less usage, and in the main run.
    pub price: f64,
    pub main_price: f64,
    pub usage: u64,
    pub main_usage: u64,
}

/// One paired comparison of prices: the main run against a run with less usage.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PricePair {
    /// "lower" (the lower and volatile usage twin) or "zero".
    pub run: String,
    /// Epochs in which this run's usage was lower and its price higher.
    pub breaches: Vec<Breach>,
    /// Largest price ratio (this run / main) over the epochs, and where.
    pub max_ratio: f64,
    pub max_ratio_epoch: u64,
    /// The ratio at the last close.
    pub final_ratio: f64,
}

/// `a`'s close price is strictly above `b`'s (exact: reserves cross-multiplied).
fn above(a: &EpochRow, b: &EpochRow) -> bool {
    u128::from(a.pool_quote) * u128::from(b.pool_tokens) > u128::from(b.pool_quote) * u128::from(a.pool_tokens)
}

/// The main run against `other` (a run of the same scenario with less usage).
pub fn compare(main: &Run, other: &Run, name: &str) -> PricePair {
    let mut pair =
        PricePair { run: name.into(), breaches: Vec::new(), max_ratio: 0.0, max_ratio_epoch: 0, final_ratio: 0.0 };
    for (m, o) in main.rows.iter().zip(&other.rows) {
        let ratio = o.price / m.price;
        if ratio > pair.max_ratio {
            (pair.max_ratio, pair.max_ratio_epoch) = (ratio, m.epoch);
        }
        pair.final_ratio = ratio;
        if o.usage < m.usage && above(o, m) {
            pair.breaches.push(Breach {
                epoch: m.epoch,
                price: o.price,
                main_price: m.price,
                usage: o.usage,
                main_usage: m.usage,
            });
        }
    }
    pair
}

/// The price verdict of a scenario's paired runs (no speculators).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PriceVerdict {
    pub lower: PricePair,
    pub zero: PricePair,
    /// The pool's price when it opened and at the last close of each run.
    pub opening: f64,
    pub final_main: f64,
    pub final_lower: f64,
    pub final_zero: f64,
}

impl PriceVerdict {
    /// From the main run, its lower-usage twin and the zero-usage run.
    pub fn of(main: &Run, lower: &Run, zero: &Run) -> PriceVerdict {
        let last = |r: &Run| r.rows.last().map_or(r.market.opening_price, |x| x.price);
        PriceVerdict {
            lower: compare(main, lower, "lower"),
            zero: compare(main, zero, "zero"),
            opening: main.market.opening_price,
            final_main: last(main),
            final_lower: last(lower),
            final_zero: last(zero),
        }
    }

    /// No epoch in which less usage had the higher price.
    pub fn holds(&self) -> bool {
        self.lower.breaches.is_empty() && self.zero.breaches.is_empty()
    }

    /// The verdict as text.
    pub fn text(&self) -> String {
        let mut s = format!(
            "price (quote per token; no speculators): opens at {:.4}, last close main {:.4}, lower-usage {:.4}, zero-usage {:.4}\n",
            self.opening, self.final_main, self.final_lower, self.final_zero
        );
        for p in [&self.lower, &self.zero] {
            s += &format!(
                "  {:<6} run: highest price ratio to main {:.4} (epoch {}); ",
                p.run, p.max_ratio, p.max_ratio_epoch
            );
            match p.breaches.first() {
                None => s += "never above main with less usage\n",
                Some(b) => {
                    s += &format!(
                    "VIOLATION: above main with less usage in {} epochs, first {}: {:.4} > {:.4} with usage {} < {}\n",
                    p.breaches.len(),
                    b.epoch,
                    b.price,
                    b.main_price,
                    crate::report::tokens(b.usage),
                    crate::report::tokens(b.main_usage)
                )
                }
            }
        }
        s
    }
}

/// What speculators did to the price, against the same scenario without them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Speculation {
    pub traders: usize,
    pub epochs: u64,
    /// Largest lift of the price above the path without speculators, %, and its epoch.
    pub max_lift_pct: f64,
    pub max_lift_epoch: u64,
    /// Over the epochs in which usage fell (below the epoch before): the
    /// largest lift, how many were lifted, and the longest run of them.
    pub falling_epochs: usize,
    pub max_lift_falling_pct: f64,
    pub lifted_falling_epochs: usize,
    pub longest_lifted_falling: usize,
    /// The lift at the last close.
    pub final_lift_pct: f64,
    /// The mechanism's own flows after the peak lift (tokens): usage buys,
    /// emission and vesting sells, and their net (positive: net buying).
    pub usage_buys_after_peak: u64,
    pub emission_sells_after_peak: u64,
    pub vesting_sells_after_peak: u64,
    pub mechanism_net_after_peak: i128,
    /// The lift at the end is at most half the peak's.
    pub pulled_back: bool,
    /// The speculators' net in quote, and the tokens they still hold at the end.
    pub speculators_net_quote: i128,
    pub speculators_hold: u64,
}

/// `spec` (the scenario with speculators) against `base` (without them):
/// same usage, same agents otherwise, same seed.
pub fn speculation(base: &Run, spec: &Run) -> Speculation {
    let lift: Vec<f64> = base.rows.iter().zip(&spec.rows).map(|(b, s)| (s.price / b.price - 1.0) * 100.0).collect();
    let falling: Vec<bool> =
        base.rows.iter().enumerate().map(|(e, r)| e > 0 && r.usage < base.rows[e - 1].usage).collect();
    let (mut peak, mut peak_epoch) = (f64::MIN, 0usize);
    for (e, &l) in lift.iter().enumerate() {
        if l > peak {
            (peak, peak_epoch) = (l, e);
        }
    }
    let (mut max_falling, mut lifted, mut streak, mut longest) = (0.0f64, 0, 0, 0);
    for (e, &l) in lift.iter().enumerate() {
        if falling[e] && l > 0.0 {
            max_falling = max_falling.max(l);
            lifted += 1;
            streak += 1;
            longest = longest.max(streak);
        } else {
            streak = 0;
        }
    }
    let after = spec.rows.iter().skip(peak_epoch + 1);
    let (buys, emission, vesting) = after.fold((0u64, 0u64, 0u64), |(b, em, v), r| {
        (b + r.flows.usage_buys, em + r.flows.emission_sells, v + r.flows.vesting_sells)
    });
    let final_lift = lift.last().copied().unwrap_or(0.0);
    let traders: Vec<_> = spec.agents.iter().filter(|a| a.class == Class::Speculator).collect();
    Speculation {
        traders: traders.len(),
        epochs: lift.len() as u64,
        max_lift_pct: peak.max(0.0),
        max_lift_epoch: peak_epoch as u64,
        falling_epochs: falling.iter().filter(|f| **f).count(),
        max_lift_falling_pct: max_falling,
        lifted_falling_epochs: lifted,
        longest_lifted_falling: longest,
        final_lift_pct: final_lift,
        usage_buys_after_peak: buys,
        emission_sells_after_peak: emission,
        vesting_sells_after_peak: vesting,
        mechanism_net_after_peak: buys as i128 - emission as i128 - vesting as i128,
        pulled_back: peak <= 0.0 || final_lift <= peak / 2.0,
        speculators_net_quote: traders.iter().map(|a| a.net_quote).sum(),
        speculators_hold: traders.iter().map(|a| a.ledger.end).sum(),
    }
}

impl Speculation {
    /// The report as text.
    pub fn text(&self) -> String {
        use crate::report::{signed, tokens};
        let mut s = format!(
            "speculation ({} traders, against the same run without them): highest lift {:.2} % at epoch {}; last close {:+.2} %\n",
            self.traders, self.max_lift_pct, self.max_lift_epoch, self.final_lift_pct
        );
        s += &format!(
            "  while usage fell ({} epochs): lifted in {}, at most {:.2} %, longest run {} epochs\n",
            self.falling_epochs, self.lifted_falling_epochs, self.max_lift_falling_pct, self.longest_lifted_falling
        );
        if self.max_lift_pct <= 0.0 {
            s += "  speculation never lifted the price\n";
        } else if self.max_lift_epoch + 1 >= self.epochs {
            s += "  the lift peaked at the last close: nothing after it to pull it back\n";
        } else {
            s += &format!(
                "  after the peak the mechanism bought {} for usage and sold {} of emission and {} of vesting: net {} ({}); {}\n",
                tokens(self.usage_buys_after_peak),
                tokens(self.emission_sells_after_peak),
                tokens(self.vesting_sells_after_peak),
                signed(self.mechanism_net_after_peak),
                if self.mechanism_net_after_peak < 0 { "a net seller" } else { "a net buyer" },
                if self.pulled_back {
                    "the lift fell to half its peak or less by the end"
                } else {
                    "the lift held above half its peak to the end"
                }
            );
        }
        s += &format!(
            "  speculators' net {} quote, holding {} tokens at the end\n",
            signed(self.speculators_net_quote),
            tokens(self.speculators_hold)
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tests::{row, run_of};

    fn run(rows: Vec<EpochRow>) -> Run {
        run_of(rows, 0)
    }

    /// A run with less usage closing above the main run is a breach; equal
    /// prices, or a higher price with as much usage, are not.
    #[test]
    fn less_usage_at_a_higher_price_is_a_breach() {
        let main = run(vec![row(0, 100, 1_000, 1_000), row(1, 100, 1_000, 2_000), row(2, 100, 1_000, 2_000)]);
        let other = run(vec![row(0, 50, 1_000, 1_000), row(1, 50, 1_000, 3_000), row(2, 100, 1_000, 3_000)]);
        let pair = compare(&main, &other, "lower");
        assert_eq!(pair.breaches.len(), 1, "{pair:?}");
        assert_eq!((pair.breaches[0].epoch, pair.breaches[0].price, pair.breaches[0].main_price), (1, 3.0, 2.0));
        assert_eq!((pair.max_ratio, pair.max_ratio_epoch, pair.final_ratio), (1.5, 1, 1.5));
        assert!(compare(&main, &main, "lower").breaches.is_empty());
    }
}
