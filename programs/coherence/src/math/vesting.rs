//! Vesting curve (DESIGN §4, invariant I5).
//!
//! ```text
//! vested(t) = 0                                  if t < cliff
//!           = total                              if t >= end
//!           = total * steps(t) / steps(end)      otherwise, rounded down
//! steps(t)  = floor((t - start) / period)        if period > 0 (step unlocks)
//!           = t - start                          if period == 0 (linear)
//! claimable = vested(min(now, revoked_at)) - claimed
//! ```

use super::safe_math::{Cast, SafeMath};
use crate::errors::CoherenceError;

/// The time shape of a schedule. Times are unix seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Curve {
    pub total: u64,
    pub start: i64,
    pub cliff: i64,
    pub end: i64,
    /// Seconds per unlock step; 0 = linear (per second).
    pub period: u64,
}

impl Curve {
    /// Checks ordering and the engine's minimum cliff and duration.
    pub fn validate(&self, min_cliff: u64, min_duration: u64) -> Result<(), CoherenceError> {
        if self.total == 0 {
            return Err(CoherenceError::ZeroAmount);
        }
        if !(self.start <= self.cliff && self.cliff <= self.end && self.start < self.end) {
            return Err(CoherenceError::InvalidVestingSchedule);
        }
        let duration: u64 = i128::from(self.end).saturating_sub(i128::from(self.start)).cast_i128()?;
        let cliff: u64 = i128::from(self.cliff).saturating_sub(i128::from(self.start)).cast_i128()?;
        if self.period > duration {
            return Err(CoherenceError::InvalidVestingSchedule);
        }
        if cliff < min_cliff {
            return Err(CoherenceError::VestingCliffTooShort);
        }
        if duration < min_duration {
            return Err(CoherenceError::VestingDurationTooShort);
        }
        Ok(())
    }

    fn steps(&self, t: i64) -> Result<u64, CoherenceError> {
        let elapsed: u64 = i128::from(t).saturating_sub(i128::from(self.start)).max(0).cast_i128()?;
        // period == 0 means linear: one step per second.
        Ok(elapsed.checked_div(self.period).unwrap_or(elapsed))
    }

    /// Amount vested at time `t`, rounded down.
    pub fn vested(&self, t: i64) -> Result<u64, CoherenceError> {
        if t < self.cliff {
            return Ok(0);
        }
        if t >= self.end {
            return Ok(self.total);
        }
        let total_steps = self.steps(self.end)?;
        if total_steps == 0 {
            return Ok(0);
        }
        (self.total as u128)
            .safe_mul(self.steps(t)? as u128)?
            .safe_div(total_steps as u128)?
            .cast()
    }

    /// What the beneficiary may claim now: vesting stops at `revoked_at`.
    pub fn claimable(&self, claimed: u64, revoked_at: Option<i64>, now: i64) -> Result<u64, CoherenceError> {
        let t = revoked_at.map_or(now, |r| r.min(now));
        self.vested(t)?.safe_sub(claimed)
    }
}

/// i128 → unsigned conversion for time differences.
trait CastI128 {
    fn cast_i128(self) -> Result<u64, CoherenceError>;
}
impl CastI128 for i128 {
    fn cast_i128(self) -> Result<u64, CoherenceError> {
        u64::try_from(self).map_err(|_| CoherenceError::CastOverflow)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const MONTH: i64 = 30 * 86_400;

    fn linear() -> Curve {
        Curve { total: 1_200, start: 1_000, cliff: 1_000 + 3 * MONTH, end: 1_000 + 12 * MONTH, period: 0 }
    }

    #[test]
    fn cliff_then_linear_then_total() {
        let c = linear();
        assert_eq!(c.vested(c.cliff - 1), Ok(0));
        assert_eq!(c.vested(c.cliff), Ok(300));
        assert_eq!(c.vested(c.start + 6 * MONTH), Ok(600));
        assert_eq!(c.vested(c.end), Ok(1_200));
        assert_eq!(c.vested(i64::MAX), Ok(1_200));
    }

    #[test]
    fn step_schedule_unlocks_on_boundaries_only() {
        let c = Curve { period: MONTH as u64, ..linear() };
        assert_eq!(c.vested(c.start + 4 * MONTH - 1), Ok(300));
        assert_eq!(c.vested(c.start + 4 * MONTH), Ok(400));
    }

    #[test]
    fn revocation_freezes_vesting() {
        let c = linear();
        let at = c.start + 6 * MONTH;
        assert_eq!(c.claimable(100, Some(at), c.end), Ok(500));
    }

    #[test]
    fn validation_names_each_violation() {
        let c = linear();
        assert_eq!(c.validate(3 * MONTH as u64, 12 * MONTH as u64), Ok(()));
        assert_eq!(c.validate(3 * MONTH as u64 + 1, 0), Err(CoherenceError::VestingCliffTooShort));
        assert_eq!(c.validate(0, 12 * MONTH as u64 + 1), Err(CoherenceError::VestingDurationTooShort));
        assert_eq!(Curve { total: 0, ..c }.validate(0, 0), Err(CoherenceError::ZeroAmount));
        assert_eq!(Curve { cliff: c.end + 1, ..c }.validate(0, 0), Err(CoherenceError::InvalidVestingSchedule));
        let huge = Curve { total: u64::MAX, ..c };
        assert_eq!(huge.vested(c.start + 6 * MONTH), Ok(u64::MAX / 2));
    }

    fn curve() -> impl Strategy<Value = Curve> {
        (1u64..=u64::MAX, 0i64..1_000_000, 0i64..10_000_000, 1i64..100_000_000, 0u64..5_000_000).prop_map(
            |(total, start, cliff_off, dur, period)| {
                let cliff_off = cliff_off.min(dur);
                Curve { total, start, cliff: start + cliff_off, end: start + dur, period: period.min(dur as u64) }
            },
        )
    }

    proptest! {
        #[test]
        fn monotone_bounded_and_complete(c in curve(), a in 0i64..200_000_000, b in 0i64..200_000_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (vl, vh) = (c.vested(lo).unwrap(), c.vested(hi).unwrap());
            prop_assert!(vl <= vh);
            prop_assert!(vh <= c.total);
            prop_assert_eq!(c.vested(c.end).unwrap(), c.total);
        }

        #[test]
        fn steps_only_move_on_boundaries(c in curve(), t in 0i64..200_000_000) {
            prop_assume!(c.period > 1 && t > c.cliff && t < c.end);
            let on_boundary = (t - c.start) % c.period as i64 == 0;
            if !on_boundary {
                prop_assert_eq!(c.vested(t).unwrap(), c.vested(t - 1).unwrap());
            }
        }
    }
}
