//! Position weight and the streamed reward accumulator (DESIGN §4, I6, I8).
//!
//! Fixed point: `acc` is reward base units per unit of weight, scaled by
//! [`ACC_SCALE`] (1e18). A position's earned reward is
//! `weight * (acc - snapshot) / ACC_SCALE`, rounded down (protocol's favour).
//!
//! ## The accumulator wraps, and that is exact
//!
//! `acc` only ever grows, so a pool whose rewards are recycled (claimed and
//! funded again) long enough would push it past `u128::MAX`. It therefore
//! wraps (`wrapping_add`) and rewards use the wrapping difference
//! `acc.wrapping_sub(snapshot)`, as Uniswap v3 does with fee growth. This is
//! exact: between two settlements of a position of weight `w`, the true
//! growth `Δ` of `acc` satisfies `w · Δ / ACC_SCALE ≤` the tokens released to
//! that position `≤` the reward vault's balance `≤ u64::MAX`, because every
//! increment is `released · ACC_SCALE / total_weight` (rounded down) with
//! `w ≤ total_weight`. So `w · Δ < 2^64 · 10^18 < 2^128`: the wrapped
//! difference equals `Δ`, and `w · Δ` never overflows. No accrual can fail on
//! arithmetic, and no exit can be locked by the accumulator.
//!
//! ## The stream releases by segment
//!
//! Every funding opens a *segment*: `amount` tokens released linearly over
//! `[start, end)`. At time `t` the segment has released
//!
//! ```text
//! released(t) = floor(amount · (min(t, end) − start) / (end − start))
//! ```
//!
//! and an accrual releases `released(t) − released`. What is released by `t`
//! therefore does not depend on how often the stream was accrued (rounding
//! per accrual would otherwise hold back up to one base unit per call and
//! shift rewards toward the end of the stream). Each credit to `acc` carries
//! the remainder of its division (`acc_carry`, token·ACC_SCALE units), so no
//! released token is lost to rounding either.

use super::safe_math::{Cast, SafeMath};
use crate::constants::BPS;
use crate::errors::CoherenceError;
use anchor_lang::prelude::{AnchorDeserialize, AnchorSerialize, InitSpace};

/// Scale of the reward-per-weight accumulator.
pub const ACC_SCALE: u128 = 1_000_000_000_000_000_000;

/// `weight = amount * (10_000 + max_boost_bps * min(D, max_lock) / max_lock) / 10_000`
pub fn weight(amount: u64, lock_secs: u64, max_lock: u64, max_boost_bps: u16) -> Result<u128, CoherenceError> {
    let d = lock_secs.min(max_lock) as u128;
    let boost = (max_boost_bps as u128).safe_mul(d)?.safe_div(max_lock.max(1) as u128)?;
    (amount as u128).safe_mul((BPS as u128).safe_add(boost)?)?.safe_div(BPS as u128)
}

/// Reward earned by `weight` since its snapshot, rounded down:
/// `weight * (acc − snapshot) / ACC_SCALE` with the wrapping difference
/// (exact, see the module documentation).
pub fn earned(weight: u128, acc: u128, snapshot: u128) -> Result<u64, CoherenceError> {
    weight.safe_mul(acc.wrapping_sub(snapshot))?.safe_div(ACC_SCALE)?.cast()
}

crate::layout::fixed_layout! {
    /// The stakers' reward stream: the current segment's `amount` is released
    /// linearly from `start` until `end`; released tokens raise `acc` (or, while
    /// nobody is staked, go to `undistributed`, which joins the next stream).
    #[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq)]
    pub struct Stream {
        /// Reward per unit weight, × ACC_SCALE. Wraps (module documentation).
        pub acc: u128,
        /// Σ weight of locked (not unbonding) positions.
        pub total_weight: u128,
        /// Released tokens × ACC_SCALE not yet added to `acc` (the remainder of
        /// the last division by `total_weight`).
        pub acc_carry: u128,
        /// Tokens of the current segment, base units.
        pub amount: u64,
        /// Tokens of the current segment released so far, base units.
        pub released: u64,
        /// Unix time at which the current segment started.
        pub start: i64,
        /// Unix time at which the stream has released everything.
        pub end: i64,
        /// Last time `accrue` ran.
        pub last_update: i64,
        /// Released while total weight was 0; carried into the next stream.
        pub undistributed: u64,
    }
}

impl Stream {
    /// Tokens of the running stream not yet released.
    pub fn remaining(&self) -> u64 {
        self.amount.saturating_sub(self.released)
    }

    /// What the current segment has released by `t` (see module docs).
    fn released_by(&self, t: i64) -> Result<u64, CoherenceError> {
        if t >= self.end {
            return Ok(self.amount);
        }
        // start ≤ t < end here, so both differences are positive.
        let elapsed = t.saturating_sub(self.start).max(0) as u64;
        let span = self.end.saturating_sub(self.start) as u64;
        super::safe_math::mul_div_u64(self.amount, elapsed, span)
    }

    /// Releases the stream up to `now`.
    pub fn accrue(&mut self, now: i64) -> Result<(), CoherenceError> {
        let t = now.min(self.end);
        if t > self.last_update {
            let target = self.released_by(t)?.max(self.released);
            let released = target.safe_sub(self.released)?;
            self.released = target;
            self.credit(released)?;
        }
        self.last_update = self.last_update.max(now);
        Ok(())
    }

    /// Adds `released` tokens to the accumulator, carrying the remainder.
    fn credit(&mut self, released: u64) -> Result<(), CoherenceError> {
        if released == 0 {
            return Ok(());
        }
        if self.total_weight == 0 {
            // Bounded by the reward vault's balance (a u64).
            self.undistributed = self.undistributed.safe_add(released)?;
            return Ok(());
        }
        // released · 1e18 < 2^124 and acc_carry < 2^70 (Σ weight ≤ 4 · u64::MAX):
        // the sum cannot overflow.
        let scaled = (released as u128).safe_mul(ACC_SCALE)?.safe_add(self.acc_carry)?;
        let (increment, carry) = scaled.safe_div_rem(self.total_weight)?;
        self.acc = self.acc.wrapping_add(increment);
        self.acc_carry = carry;
        Ok(())
    }

    /// Whether tokens are still being released at `now`.
    pub fn is_running(&self, now: i64) -> bool {
        self.end > now && self.remaining() > 0
    }

    /// Adds `amount` to the stream without letting a funder move its end:
    /// a running stream spreads `amount` over its remaining time (a new
    /// segment from now); otherwise a new stream of `duration` seconds starts
    /// (carrying `undistributed`).
    pub fn fund(&mut self, amount: u64, now: i64, duration: u64) -> Result<(), CoherenceError> {
        self.accrue(now)?;
        if self.is_running(now) {
            self.amount = self.remaining().safe_add(amount)?;
            self.released = 0;
            self.start = now;
            Ok(())
        } else {
            self.restart(amount, now, duration)
        }
    }

    /// Starts a new stream over `duration` seconds with `amount` plus every
    /// unreleased and undistributed token (used when an epoch closes).
    pub fn restart(&mut self, amount: u64, now: i64, duration: u64) -> Result<(), CoherenceError> {
        self.accrue(now)?;
        self.amount = self.remaining().safe_add(self.undistributed)?.safe_add(amount)?;
        self.released = 0;
        self.undistributed = 0;
        self.start = now;
        self.end = now.checked_add(duration.cast()?).ok_or(CoherenceError::MathOverflow)?;
        self.last_update = now;
        Ok(())
    }

    /// Adds or removes weight after settling the stream.
    pub fn add_weight(&mut self, w: u128) -> Result<(), CoherenceError> {
        self.total_weight = self.total_weight.safe_add(w)?;
        Ok(())
    }
    pub fn remove_weight(&mut self, w: u128) -> Result<(), CoherenceError> {
        self.total_weight = self.total_weight.safe_sub(w)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn boost_at_min_and_max_lock() {
        assert_eq!(weight(1_000, 0, 100, 10_000), Ok(1_000));
        assert_eq!(weight(1_000, 50, 100, 10_000), Ok(1_500));
        assert_eq!(weight(1_000, 100, 100, 10_000), Ok(2_000));
        assert_eq!(weight(1_000, 500, 100, 10_000), Ok(2_000));
        assert!(weight(u64::MAX, 100, 100, 30_000).is_ok());
    }

    #[test]
    fn stream_releases_linearly_and_fully() {
        let mut s = Stream { total_weight: 10, ..Default::default() };
        s.fund(1_000, 0, 100).unwrap();
        s.accrue(50).unwrap();
        assert_eq!(earned(10, s.acc, 0), Ok(500));
        s.accrue(1_000).unwrap();
        assert_eq!(earned(10, s.acc, 0), Ok(1_000));
        assert_eq!(s.remaining(), 0);
    }

    #[test]
    fn nobody_staked_means_carried_forward() {
        let mut s = Stream::default();
        s.fund(1_000, 0, 100).unwrap();
        s.accrue(40).unwrap();
        assert_eq!(s.undistributed, 400);
        s.add_weight(1).unwrap();
        s.restart(0, 40, 100).unwrap();
        assert_eq!(s.remaining(), 1_000);
        assert_eq!(s.undistributed, 0);
    }

    #[test]
    fn funding_a_running_stream_never_moves_its_end() {
        let mut s = Stream { total_weight: 1, ..Default::default() };
        s.fund(1_000, 0, 100).unwrap();
        s.fund(1, 99, 100).unwrap();
        assert_eq!(s.end, 100);
    }

    /// Review finding: per-second accrual used to hold back up to one base
    /// unit per call. With a 0-decimal mint, 1,800 tokens over 3,600 s:
    /// accruing every second releases exactly what one accrual does.
    #[test]
    fn per_second_accrual_releases_what_one_accrual_does() {
        let mut every = Stream { total_weight: 1, ..Default::default() };
        every.fund(1_800, 0, 3_600).unwrap();
        let mut once = every;
        for t in 1..=1_800 {
            every.accrue(t).unwrap();
        }
        once.accrue(1_800).unwrap();
        assert_eq!(every.released, 900);
        assert_eq!(once.released, 900);
        assert_eq!(earned(1, every.acc, 0), earned(1, once.acc, 0));
        assert_eq!(earned(1, every.acc, 0), Ok(900));
    }

    /// Review finding: a recycled pool could push `acc` past u128::MAX and
    /// make every accrual (and so every exit) fail. It wraps, exactly.
    #[test]
    fn accumulator_wraps_exactly() {
        let mut s = Stream { acc: u128::MAX - 5, total_weight: 1, ..Default::default() };
        let snapshot = s.acc;
        s.fund(u64::MAX, 0, 100).unwrap();
        s.accrue(100).unwrap();
        assert!(s.acc < snapshot, "wrapped");
        assert_eq!(earned(1, s.acc, snapshot), Ok(u64::MAX));
    }

    /// Division remainders are carried: many tiny credits to a huge weight
    /// lose nothing overall.
    #[test]
    fn remainders_are_carried() {
        let w = 3 * ACC_SCALE; // 3e18 weight: 1 token gives acc + 1/3
        let mut s = Stream { total_weight: w, ..Default::default() };
        s.fund(3_000, 0, 3_000).unwrap();
        for t in 1..=3_000 {
            s.accrue(t).unwrap();
        }
        assert_eq!(earned(w, s.acc, 0), Ok(3_000));
    }

    proptest! {
        /// Frequency independence: however the interval is cut into
        /// accruals, the release by each time equals one-shot accrual's.
        #[test]
        fn release_does_not_depend_on_accrual_frequency(amount in 0u64..=u64::MAX, dur in 1u64..10_000_000,
                                                        cuts in proptest::collection::vec(0i64..10_000_000, 0..50)) {
            let mut fine = Stream { total_weight: 7, ..Default::default() };
            fine.fund(amount, 0, dur).unwrap();
            let mut cuts = cuts;
            cuts.sort_unstable();
            for t in cuts {
                fine.accrue(t).unwrap();
                let mut once = Stream { total_weight: 7, ..Default::default() };
                once.fund(amount, 0, dur).unwrap();
                once.accrue(t).unwrap();
                prop_assert_eq!(fine.released, once.released);
                prop_assert!(earned(7, fine.acc, 0).unwrap().abs_diff(earned(7, once.acc, 0).unwrap()) <= 1);
            }
        }

        /// Conservation and proportionality: two positions staked together earn
        /// in ratio of their weights, and all claims never exceed what was funded.
        #[test]
        fn claims_never_exceed_funding(w1 in 1u128..1_000_000_000, w2 in 1u128..1_000_000_000,
                                        funds in proptest::collection::vec((1u64..1_000_000_000_000, 0i64..500), 1..20)) {
            let mut s = Stream { total_weight: w1 + w2, ..Default::default() };
            let mut now = 0i64;
            let mut funded = 0u64;
            for (amount, dt) in funds {
                now += dt;
                s.fund(amount, now, 100).unwrap();
                funded += amount;
            }
            s.accrue(now + 1_000).unwrap();
            let (e1, e2) = (earned(w1, s.acc, 0).unwrap(), earned(w2, s.acc, 0).unwrap());
            prop_assert!(e1 + e2 <= funded);
            prop_assert!(funded - (e1 + e2) <= 2 + (funded / 1_000_000_000_000));
            // proportional within one unit of rounding
            let lhs = e1 as u128 * w2;
            let rhs = e2 as u128 * w1;
            prop_assert!(lhs.abs_diff(rhs) <= w1.max(w2));
        }
    }
}
