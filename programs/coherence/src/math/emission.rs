//! The usage-gated emission rule (DESIGN §4, invariants I1–I3).
//!
//! ```text
//! passed = U * 10_000 >= B * gate_bps          (B = 0: any U passes)
//! E      = passed && U > 0 ? min(cap, U * alpha_bps / 10_000, max_supply - supply) : 0
//! B'     = (B * (10_000 - ema_bps) + U * ema_bps) / 10_000
//! cap'   = cap * (10_000 - cap_decay_bps) / 10_000
//! ```

use super::params::Params;
use super::safe_math::{mul_div_u64, SafeMath};
use crate::constants::BPS;
use crate::errors::CoherenceError;

/// Result of closing one epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EpochOutcome {
    pub passed: bool,
    pub emission: u64,
    pub next_baseline: u64,
    pub next_cap: u64,
}

/// Applies the gate, α, the cap and the supply ceiling to one epoch's usage.
pub fn close_epoch(
    usage: u64,
    baseline: u64,
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
    let keep = BPS.safe_sub(p.ema_bps as u64)?;
    let next_baseline = ((baseline as u128).safe_mul(keep as u128)?)
        .safe_add((usage as u128).safe_mul(p.ema_bps as u128)?)?
        .safe_div(BPS as u128)?;
    let next_cap = mul_div_u64(cap, BPS.safe_sub(p.cap_decay_bps as u64)?, BPS)?;
    Ok(EpochOutcome {
        passed,
        emission,
        next_baseline: u64::try_from(next_baseline).map_err(|_| CoherenceError::CastOverflow)?,
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
    let outcome = close_epoch(usage, baseline, cap, supply, max_supply, p)?;
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
    use crate::math::params::tests::good;
    use proptest::prelude::*;

    #[test]
    fn gate_blocks_declining_usage() {
        let p = good(); // gate 90 %, alpha 50 %
        let o = close_epoch(899, 1_000, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert!(!o.passed);
        assert_eq!(o.emission, 0);
        let o = close_epoch(900, 1_000, 1_000_000, 0, u64::MAX, &p).unwrap();
        assert_eq!(o.emission, 450);
    }

    #[test]
    fn cap_supply_and_decay() {
        let p = good();
        assert_eq!(close_epoch(1_000, 0, 100, 0, u64::MAX, &p).unwrap().emission, 100);
        assert_eq!(close_epoch(1_000, 0, 1_000, 990, 1_000, &p).unwrap().emission, 10);
        assert_eq!(close_epoch(1_000, 0, 1_000, 0, 1_000, &p).unwrap().next_cap, 990);
        assert_eq!(close_epoch(0, 0, 1_000, 0, 1_000, &p).unwrap().emission, 0);
    }

    proptest! {
        #[test]
        fn invariants_over_random_usage(usages in proptest::collection::vec(0u64..1_000_000_000_000, 1..60),
                                         max_supply in 1u64..u64::MAX / 2) {
            let p = good();
            let (mut baseline, mut cap, mut supply, mut burned) = (0u64, p.cap, 0u64, 0u128);
            for u in usages {
                let o = close_epoch(u, baseline, cap, supply, max_supply, &p).unwrap();
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
                cap = o.next_cap;
            }
        }
    }
}
