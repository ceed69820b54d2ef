//! Vesting curve (DESIGN §4, invariant I5).
//!
//! ```text
//! vested(t)   = 0                                       if t < cliff
//!             = total                                   if t >= end
//!             = total * unlocked(t) / (end - start)     otherwise, rounded down
//! unlocked(t) = floor((t - start) / period) * period    if period > 0 (step unlocks)
//!             = t - start                               if period == 0 (linear)
//! claimable   = vested(min(now, revoked_at)) - claimed   (VestingSchedule::claimable)
//! ```
//!
//! A **usage-gated** schedule (DESIGN §4.5b) adds a second limit:
//!
//! ```text
//! usage_limit(U) = floor(U * rate_bps / 10_000)   U = usage burned in closed
//!                                                 epochs since creation
//! vested(t, U)   = min(vested(t), usage_limit(U))
//! ```
//!
//! Both limits are monotone, so the gated amount is monotone in `t` and in
//! `U`, never exceeds either, and reaches `total` only when both allow it.
//!
//! Steps are measured against the *declared* duration `end - start`, not
//! against the number of whole periods in it. Because
//! `floor(x / p) * p <= x`, a schedule never vests ahead of the linear line
//! `total * (t - start) / (end - start)`, whatever its period; when the
//! period does not divide the duration, the last partial step unlocks at
//! `end`. (Dividing by the number of whole periods instead would let a
//! 365-day schedule with 183-day periods vest 100 % at day 183.)

use super::safe_math::{Cast, SafeMath};
use crate::constants::BPS;
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

    /// Seconds since `start`, clamped at 0.
    fn elapsed(&self, t: i64) -> Result<u64, CoherenceError> {
        i128::from(t).saturating_sub(i128::from(self.start)).max(0).cast_i128()
    }

    /// Seconds of the schedule unlocked at `t`: whole periods only
    /// (`period == 0` means linear, one second per step).
    fn unlocked(&self, t: i64) -> Result<u64, CoherenceError> {
        let elapsed = self.elapsed(t)?;
        match elapsed.checked_div(self.period) {
            Some(steps) => steps.safe_mul(self.period),
            None => Ok(elapsed),
        }
    }

    /// Amount vested at time `t`, rounded down.
    pub fn vested(&self, t: i64) -> Result<u64, CoherenceError> {
        if t < self.cliff {
            return Ok(0);
        }
        if t >= self.end {
            return Ok(self.total);
        }
        let duration = self.elapsed(self.end)?;
        if duration == 0 {
            return Ok(0);
        }
        (self.total as u128).safe_mul(self.unlocked(t)? as u128)?.safe_div(duration as u128)?.cast()
    }
}

/// The usage limit of a gated schedule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UsageGate {
    /// Base units unlocked per 10 000 base units of usage burned.
    pub rate_bps: u16,
    /// The engine's `total_usage_burned` when the schedule was created.
    pub snapshot: u128,
}

impl UsageGate {
    /// `U`: usage burned in epochs closed since the schedule was created.
    pub fn usage_since(&self, lifetime_usage: u128) -> u128 {
        lifetime_usage.saturating_sub(self.snapshot)
    }

    /// `floor(U * rate / 10 000)`, exact for every `U` (split as
    /// `q * 10 000 + m` so nothing overflows) and clamped to `u64::MAX`,
    /// which is above any schedule's `total`.
    pub fn limit(&self, lifetime_usage: u128) -> u64 {
        let usage = self.usage_since(lifetime_usage);
        let (bps, rate) = (u128::from(BPS), u128::from(self.rate_bps));
        let (q, m) = (usage.checked_div(bps).unwrap_or(0), usage.checked_rem(bps).unwrap_or(0));
        // m · rate < 10 000², so the product cannot saturate.
        let part = m.saturating_mul(rate).checked_div(bps).unwrap_or(0);
        u64::try_from(q.saturating_mul(rate).saturating_add(part)).unwrap_or(u64::MAX)
    }
}

/// Both limits of a schedule at one instant, and the amount vested.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// What the time curve alone would have vested.
    pub time: u64,
    /// What usage alone would have unlocked (`None`: time-only schedule).
    pub usage: Option<u64>,
}

impl Limits {
    pub fn of(curve: &Curve, gate: Option<UsageGate>, t: i64, lifetime_usage: u128) -> Result<Self, CoherenceError> {
        Ok(Self { time: curve.vested(t)?, usage: gate.map(|g| g.limit(lifetime_usage)) })
    }

    /// `min(time, usage)`.
    pub fn vested(&self) -> u64 {
        self.usage.map_or(self.time, |u| u.min(self.time))
    }

    /// True when usage, not time, is what holds the schedule back.
    pub fn usage_binds(&self) -> bool {
        self.usage.is_some_and(|u| u < self.time)
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

    /// Review finding: 365-day duration, 90-day cliff, 183-day period used
    /// to vest 100 % at day 183. Steps now count against the duration.
    #[test]
    fn period_not_dividing_duration_never_vests_early() {
        let day = 86_400i64;
        let c = Curve { total: 1_000_000, start: 0, cliff: 90 * day, end: 365 * day, period: 183 * 86_400 };
        assert_eq!(c.vested(183 * day - 1), Ok(0));
        assert_eq!(c.vested(183 * day), Ok(1_000_000 * 183 / 365));
        assert_eq!(c.vested(365 * day - 1), Ok(1_000_000 * 183 / 365));
        assert_eq!(c.vested(365 * day), Ok(1_000_000));
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

    #[test]
    fn usage_gate_is_exact_and_never_overflows() {
        let g = UsageGate { rate_bps: 2_500, snapshot: 1_000 };
        assert_eq!(g.limit(0), 0);
        assert_eq!(g.limit(1_000), 0);
        assert_eq!(g.limit(1_003), 0);
        assert_eq!(g.limit(1_004), 1);
        assert_eq!(g.limit(41_000), 10_000);
        assert_eq!(g.limit(u128::MAX), u64::MAX);
        let full = UsageGate { rate_bps: 10_000, snapshot: 0 };
        assert_eq!(full.limit(u128::from(u64::MAX)), u64::MAX);
        assert_eq!(full.limit(12_345), 12_345);
        // A gated schedule vests nothing without usage, however long one waits.
        let c = linear();
        let none = Limits::of(&c, Some(UsageGate { rate_bps: 10_000, snapshot: 7 }), i64::MAX, 7).unwrap();
        assert_eq!((none.time, none.usage, none.vested(), none.usage_binds()), (c.total, Some(0), 0, true));
        let time_only = Limits::of(&c, None, c.end, 0).unwrap();
        assert_eq!((time_only.vested(), time_only.usage_binds()), (c.total, false));
    }

    fn gate() -> impl Strategy<Value = UsageGate> {
        (0u16..=10_000, any::<u64>()).prop_map(|(rate_bps, s)| UsageGate { rate_bps, snapshot: u128::from(s) })
    }

    fn usage() -> impl Strategy<Value = u128> {
        prop_oneof![0u128..10_000_000_000, any::<u64>().prop_map(u128::from), any::<u128>()]
    }

    proptest! {
        /// Gated vesting is monotone in time and in usage.
        #[test]
        fn gated_vesting_is_monotone_in_time_and_usage(
            c in curve(), g in gate(), a in 0i64..200_000_000, b in 0i64..200_000_000, u1 in usage(), u2 in usage(),
        ) {
            let (t0, t1) = (a.min(b), a.max(b));
            let (v0, v1) = (u1.min(u2), u1.max(u2));
            let at = |t, u| Limits::of(&c, Some(g), t, u).unwrap().vested();
            prop_assert!(at(t0, v0) <= at(t1, v0));
            prop_assert!(at(t0, v0) <= at(t0, v1));
            prop_assert!(at(t0, v0) <= at(t1, v1));
        }

        /// Never above either limit; `total` only when both allow it.
        #[test]
        fn gated_vesting_respects_both_limits(c in curve(), g in gate(), t in 0i64..200_000_000, u in usage()) {
            let l = Limits::of(&c, Some(g), t, u).unwrap();
            let v = l.vested();
            prop_assert!(v <= l.time);
            prop_assert!(v <= g.limit(u));
            prop_assert!(v <= c.total);
            let both_allow = l.time == c.total && g.limit(u) >= c.total;
            prop_assert_eq!(v == c.total, both_allow);
            // The limit is floor(U·r/10 000), computed without overflow.
            let usage = g.usage_since(u);
            if let Some(exact) = usage.checked_mul(u128::from(g.rate_bps)) {
                prop_assert_eq!(u128::from(g.limit(u)), (exact / 10_000).min(u128::from(u64::MAX)));
            }
        }

        #[test]
        fn monotone_bounded_and_complete(c in curve(), a in 0i64..200_000_000, b in 0i64..200_000_000) {
            let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
            let (vl, vh) = (c.vested(lo).unwrap(), c.vested(hi).unwrap());
            prop_assert!(vl <= vh);
            prop_assert!(vh <= c.total);
            prop_assert_eq!(c.vested(c.end).unwrap(), c.total);
        }

        /// I5: no schedule is ever ahead of the linear line over its
        /// declared duration (and so never complete before `end`).
        #[test]
        fn never_ahead_of_linear(c in curve(), t in 0i64..200_000_000) {
            let v = c.vested(t).unwrap() as u128;
            let elapsed = (t - c.start).clamp(0, c.end - c.start) as u128;
            let linear = c.total as u128 * elapsed / (c.end - c.start) as u128;
            prop_assert!(v <= linear, "vested {} > linear {} at t={} for {:?}", v, linear, t, c);
        }

        #[test]
        fn steps_only_move_on_boundaries(
            total in 1u64..=u64::MAX, start in 0i64..1_000_000, cliff_off in 0i64..10_000_000,
            span in 2i64..90_000_000, period in 2u64..5_000_000, frac in 0u64..1_000_000,
        ) {
            // Built so every sample is a stepped schedule with t strictly
            // inside (cliff, end): no rejected samples, so no seed can abort
            // the run on "too many global rejects".
            let (cliff, end) = (start + cliff_off, start + cliff_off + span);
            let c = Curve { total, start, cliff, end, period: period.min((end - start) as u64) };
            let t = cliff + 1 + ((span - 1) as u128 * frac as u128 / 1_000_000) as i64;
            let on_boundary = (t - c.start) % c.period as i64 == 0;
            if !on_boundary {
                prop_assert_eq!(c.vested(t).unwrap(), c.vested(t - 1).unwrap());
            }
        }
    }
}
