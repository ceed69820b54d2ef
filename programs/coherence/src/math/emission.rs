//! The usage-gated emission rule (DESIGN §4.5, invariants I1–I3).
//!
//! ```text
//! passed = U * 10_000 >= B * gate_bps          (B = 0: any U passes)
//! E      = passed && U > 0 ? min(cap, U * alpha_bps / 10_000, max_supply - supply) : 0
//! m      = median(U[e-2], U[e-1], U)           the baseline's input: one epoch alone cannot move it
//! B'     = (B * (10_000 - ema_bps) + m * ema_bps) / 10_000
//! cap'   = cap * (10_000 - cap_decay_bps) / 10_000
//! ```
//!
//! The baseline follows the median of the last three epochs' usage, not the
//! usage itself: `median(a, b, x)` lies between `a` and `b` whatever `x`
//! is, so a single epoch of any size (a paid burst) cannot lift the baseline
//! above what its neighbours give, and cannot stall the gate for honest
//! usage afterwards. A rise sustained for two epochs enters the baseline in
//! full at its second epoch (DESIGN §4.5 has the proof sketch).

use super::params::Params;
use super::safe_math::{mul_div_u64, SafeMath};
use crate::constants::BPS;
use crate::errors::CoherenceError;

/// Result of closing one epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochOutcome {
    pub passed: bool,
    pub emission: u64,
    /// What entered the baseline's EMA: the median of this epoch's usage
    /// and the two before it.
    pub baseline_input: u64,
    pub next_baseline: u64,
    /// `[usage of the previous epoch, usage of this one]`: the history the
    /// next close takes.
    pub next_recent: [u64; 2],
    pub next_cap: u64,
}

/// The middle one of three values.
pub fn median3(a: u64, b: u64, c: u64) -> u64 {
    a.min(b).max(a.max(b).min(c))
}

/// Applies the gate, α, the cap and the supply ceiling to one epoch's
/// usage; `recent` is the usage of the two epochs closed before it, oldest
/// first.
pub fn close_epoch(
    usage: u64,
    baseline: u64,
    recent: [u64; 2],
    cap: u64,
    supply: u64,
    max_supply: u64,
    p: &Params,
) -> Result<EpochOutcome, CoherenceError> {
    let passed = (usage as u128).safe_mul(BPS as u128)? >= (baseline as u128).safe_mul(p.gate_bps as u128)?;
    let emission = if passed && usage > 0 {
        let by_usage = mul_div_u64(usage, p.alpha_bps as u64, BPS)?;
        cap.min(by_usage).min(max_supply.saturating_sub(supply))
    } else {
        0
    };
    let baseline_input = median3(recent[0], recent[1], usage);
    let keep = BPS.safe_sub(p.ema_bps as u64)?;
    let next_baseline = ((baseline as u128).safe_mul(keep as u128)?)
        .safe_add((baseline_input as u128).safe_mul(p.ema_bps as u128)?)?
        .safe_div(BPS as u128)?;
    let next_cap = mul_div_u64(cap, BPS.safe_sub(p.cap_decay_bps as u64)?, BPS)?;
    Ok(EpochOutcome {
        passed,
        emission,
        baseline_input,
        next_baseline: u64::try_from(next_baseline).map_err(|_| CoherenceError::CastOverflow)?,
        next_recent: [recent[1], usage],
        next_cap,
    })
}

/// Everything closing one epoch decides: its usage summed over the shards,
/// the outcome of the rule and the split of the emission.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochClose {
    /// Σ usage of the epoch over every shard, base units.
    pub usage: u64,
    /// Σ usage attributed to builder sources, base units.
    pub attributed: u64,
    pub outcome: EpochOutcome,
    pub split: Split,
}

/// Sums each shard's `(usage, attributed)` for the epoch, applies
/// [`close_epoch`] and [`split`]: the whole computation of closing an epoch,
/// shared by the program and the SDK's preview.
pub fn close_from_usage(
    shards: impl IntoIterator<Item = (u64, u64)>,
    baseline: u64,
    recent: [u64; 2],
    cap: u64,
    supply: u64,
    max_supply: u64,
    p: &Params,
) -> Result<EpochClose, CoherenceError> {
    let (mut usage, mut attributed) = (0u64, 0u64);
    for (u, a) in shards {
        usage = usage.safe_add(u)?;
        attributed = attributed.safe_add(a)?;
    }
    let outcome = close_epoch(usage, baseline, recent, cap, supply, max_supply, p)?;
    let split = split(outcome.emission, attributed, usage, p)?;
    Ok(EpochClose { usage, attributed, outcome, split })
}

/// How an emission is split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Split {
    pub treasury: u64,
    pub builders: u64,
    pub stakers: u64,
}

/// `treasury = E * treasury_bps`, `builders = E * builders_bps * attributed / U`,
/// stakers get the rest (each share rounded down; the remainder goes to stakers).
pub fn split(emission: u64, attributed: u64, usage: u64, p: &Params) -> Result<Split, CoherenceError> {
    let treasury = mul_div_u64(emission, p.treasury_bps as u64, BPS)?;
    let builders = if usage == 0 {
        0
    } else {
        let pool = mul_div_u64(emission, p.builders_bps as u64, BPS)?;
        mul_div_u64(pool, attributed.min(usage), usage)?
    };
    let stakers = emission.safe_sub(treasury)?.safe_sub(builders)?;
    Ok(Split { treasury, builders, stakers })
}

/// A source's share of an epoch's builders' pool, pro rata to its usage.
pub fn source_share(pool: u64, source_usage: u64, attributed_total: u64) -> Result<u64, CoherenceError> {
    if attributed_total == 0 {
        return Ok(0);
    }
    mul_div_u64(pool, source_usage.min(attributed_total), attributed_total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{MAX_EMA_BPS, MIN_EMA_BPS};
    use crate::math::params::tests::good;
    use proptest::prelude::*;

    const NO_HISTORY: [u64; 2] = [0, 0];

    #[test]
    fn gate_blocks_declining_usage() {
        let p = good(); // gate 90 %, alpha 50 %
        let o = close_epoch(899, 1_000, NO_HISTORY, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert!(!o.passed);
        assert_eq!(o.emission, 0);
        let o = close_epoch(900, 1_000, NO_HISTORY, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert_eq!(o.emission, 450);
    }

    #[test]
    fn cap_supply_and_decay() {
        let p = good();
        assert_eq!(close_epoch(1_000, 0, NO_HISTORY, 100, 0, u64::MAX, &p).unwrap().emission, 100);
        assert_eq!(close_epoch(1_000, 0, NO_HISTORY, 1_000, 990, 1_000, &p).unwrap().emission, 10);
        assert_eq!(close_epoch(1_000, 0, NO_HISTORY, 1_000, 0, 1_000, &p).unwrap().next_cap, 990);
        assert_eq!(close_epoch(0, 0, NO_HISTORY, 1_000, 0, 1_000, &p).unwrap().emission, 0);
    }

    #[test]
    fn median_of_three() {
        for (a, b, c, m) in [
            (1, 2, 3, 2),
            (3, 2, 1, 2),
            (2, 3, 1, 2),
            (5, 5, 0, 5),
            (0, 0, u64::MAX, 0),
            (u64::MAX, 7, u64::MAX, u64::MAX),
        ] {
            assert_eq!(median3(a, b, c), m, "median({a}, {b}, {c})");
        }
    }

    /// The baseline pumper of the simulator: steady usage, one epoch at 3×,
    /// then steady again. The burst never reaches the baseline, so honest
    /// usage passes the gate in every later epoch, at a gate of 100 %.
    #[test]
    fn a_one_epoch_burst_does_not_move_the_baseline() {
        let p = Params { gate_bps: 10_000, ..good() };
        let run = |burst: Option<usize>| {
            let (mut b, mut recent, mut out) = (0u64, NO_HISTORY, Vec::new());
            for e in 0..30 {
                let u = if Some(e) == burst { 3_000 } else { 1_000 };
                let o = close_epoch(u, b, recent, 1_000_000, 0, u64::MAX, &p).unwrap();
                out.push((o.passed, o.next_baseline));
                (b, recent) = (o.next_baseline, o.next_recent);
            }
            out
        };
        let (honest, pumped) = (run(None), run(Some(12)));
        assert_eq!(honest, pumped, "the baseline path is the same with and without the burst");
        assert!(pumped.iter().all(|(passed, _)| *passed), "{pumped:?}");
    }

    /// A step from L to H sustained for two or more epochs enters the EMA in
    /// full at its second epoch: the baseline is then exactly the plain EMA
    /// of the new level, one epoch late.
    #[test]
    fn a_sustained_step_is_tracked_from_its_second_epoch() {
        let p = good(); // EMA 20 %
        let (mut b, mut recent) = (1_000u64, [1_000, 1_000]);
        let mut inputs = Vec::new();
        for _ in 0..12 {
            let o = close_epoch(2_000, b, recent, 1_000_000, 0, u64::MAX, &p).unwrap();
            inputs.push(o.baseline_input);
            (b, recent) = (o.next_baseline, o.next_recent);
        }
        assert_eq!(inputs[0], 1_000, "one epoch at the new level is not yet trusted");
        assert!(inputs[1..].iter().all(|&m| m == 2_000), "{inputs:?}");
        // 11 epochs of the plain EMA at 20 %: within 10 % of the new level.
        assert!(b >= 1_900, "baseline {b}");
    }

    /// A zero baseline grows from the second epoch that has usage.
    #[test]
    fn a_zero_baseline_grows() {
        let p = good();
        let o0 = close_epoch(1_000, 0, NO_HISTORY, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert!(o0.passed && o0.next_baseline == 0);
        let o1 = close_epoch(1_000, o0.next_baseline, o0.next_recent, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert_eq!(o1.next_baseline, 200);
    }

    proptest! {
        #[test]
        fn invariants_over_random_usage(usages in proptest::collection::vec(0u64..1_000_000_000_000, 1..60),
                                         max_supply in 1u64..u64::MAX / 2) {
            let p = good();
            let (mut baseline, mut recent, mut cap, mut supply, mut burned) = (0u64, NO_HISTORY, p.cap, 0u64, 0u128);
            for u in usages {
                let o = close_epoch(u, baseline, recent, cap, supply, max_supply, &p).unwrap();
                if !o.passed { prop_assert_eq!(o.emission, 0); }
                prop_assert!(o.emission as u128 * 10_000 <= u as u128 * p.alpha_bps as u128);
                let s = split(o.emission, u / 2, u, &p).unwrap();
                prop_assert_eq!(s.treasury + s.builders + s.stakers, o.emission);
                supply += o.emission;
                burned += u as u128;
                prop_assert!(supply <= max_supply);
                prop_assert!(supply as u128 * 10_000 <= burned * p.alpha_bps as u128);
                prop_assert!(o.next_cap <= cap);
                baseline = o.next_baseline;
                recent = o.next_recent;
                cap = o.next_cap;
            }
        }

        /// One epoch of any size, up to u64::MAX, moves the baseline by at
        /// most what the largest of its neighbouring epochs would: the whole
        /// baseline path with epoch `i` at `x` stays at or below the path with
        /// epoch `i` at `M`, the largest usage of the (up to) four epochs
        /// around it, and above the path with epoch `i` at 0. No overflow.
        #[test]
        fn one_epoch_moves_the_baseline_no_further_than_its_neighbours(
            usages in proptest::collection::vec(0u64..u64::MAX, 3..40),
            at in 0usize..40,
            x in prop_oneof![Just(u64::MAX), Just(0u64), any::<u64>()],
            ema in MIN_EMA_BPS..=MAX_EMA_BPS,
        ) {
            let p = Params { ema_bps: ema, ..good() };
            let i = at % usages.len();
            let path = |v: u64| {
                let mut s = usages.clone();
                s[i] = v;
                let (mut b, mut recent, mut out) = (0u64, NO_HISTORY, Vec::new());
                for u in s {
                    let o = close_epoch(u, b, recent, 1, 0, u64::MAX, &p).unwrap();
                    (b, recent) = (o.next_baseline, o.next_recent);
                    out.push(b);
                }
                out
            };
            let m = usages[i.saturating_sub(2)..(i + 3).min(usages.len())]
                .iter().enumerate().filter(|(j, _)| *j + i.saturating_sub(2) != i).map(|(_, &u)| u).max().unwrap_or(0);
            let (with_x, high, low) = (path(x), path(m), path(0));
            for e in 0..with_x.len() {
                prop_assert!(with_x[e] <= high[e], "epoch {}: {} > {} (neighbours' max {})", e, with_x[e], high[e], m);
                prop_assert!(with_x[e] >= low[e]);
            }
        }
    }
}
