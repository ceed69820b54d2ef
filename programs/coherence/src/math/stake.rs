//! Position weight and the streamed reward accumulator (DESIGN §4, I6, I8).
//!
//! Fixed point: `acc` is reward base units per unit of weight, scaled by
//! [`ACC_SCALE`] (1e18). A position's earned reward is
//! `weight * (acc - snapshot) / ACC_SCALE`, rounded down (protocol's favour).

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

/// Reward earned by `weight` since its snapshot, rounded down.
pub fn earned(weight: u128, acc: u128, snapshot: u128) -> Result<u64, CoherenceError> {
    weight.safe_mul(acc.safe_sub(snapshot)?)?.safe_div(ACC_SCALE)?.cast()
}

/// The stakers' reward stream: tokens in `remaining` are released linearly
/// until `end`; released tokens raise `acc` (or, while nobody is staked, go to
/// `undistributed`, which joins the next stream).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stream {
    /// Reward per unit weight, × ACC_SCALE.
    pub acc: u128,
    /// Σ weight of locked (not unbonding) positions.
    pub total_weight: u128,
    /// Tokens not yet released by the running stream.
    pub remaining: u64,
    /// Unix time at which the running stream has released everything.
    pub end: i64,
    /// Last time `accrue` ran.
    pub last_update: i64,
    /// Released while total weight was 0; carried into the next stream.
    pub undistributed: u64,
}

impl Stream {
    /// Releases the stream up to `now`: `released = remaining * dt / (end - last_update)`.
    pub fn accrue(&mut self, now: i64) -> Result<(), CoherenceError> {
        let t = now.min(self.end);
        if t > self.last_update && self.remaining > 0 {
            let released = if t >= self.end {
                self.remaining
            } else {
                // t > last_update and end > t here, so both differences are positive.
                let dt = t.saturating_sub(self.last_update) as u64;
                let span = self.end.saturating_sub(self.last_update) as u64;
                super::safe_math::mul_div_u64(self.remaining, dt, span)?
            };
            self.remaining = self.remaining.safe_sub(released)?;
            if self.total_weight > 0 {
                let inc = (released as u128).safe_mul(ACC_SCALE)?.safe_div(self.total_weight)?;
                self.acc = self.acc.safe_add(inc)?;
            } else {
                self.undistributed = self.undistributed.safe_add(released)?;
            }
        }
        self.last_update = self.last_update.max(now);
        Ok(())
    }

    /// Whether tokens are still being released at `now`.
    pub fn is_running(&self, now: i64) -> bool {
        self.end > now && self.remaining > 0
    }

    /// Adds `amount` to the stream without letting a funder move its end:
    /// a running stream spreads `amount` over its remaining time; otherwise a
    /// new stream of `duration` seconds starts (carrying `undistributed`).
    pub fn fund(&mut self, amount: u64, now: i64, duration: u64) -> Result<(), CoherenceError> {
        self.accrue(now)?;
        if self.is_running(now) {
            self.remaining = self.remaining.safe_add(amount)?;
            Ok(())
        } else {
            self.restart(amount, now, duration)
        }
    }

    /// Starts a new stream over `duration` seconds with `amount` plus every
    /// unreleased and undistributed token (used when an epoch closes).
    pub fn restart(&mut self, amount: u64, now: i64, duration: u64) -> Result<(), CoherenceError> {
        self.accrue(now)?;
        self.remaining = self.remaining.safe_add(self.undistributed)?.safe_add(amount)?;
        self.undistributed = 0;
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
        assert_eq!(s.remaining, 0);
    }

    #[test]
    fn nobody_staked_means_carried_forward() {
        let mut s = Stream::default();
        s.fund(1_000, 0, 100).unwrap();
        s.accrue(40).unwrap();
        assert_eq!(s.undistributed, 400);
        s.add_weight(1).unwrap();
        s.restart(0, 40, 100).unwrap();
        assert_eq!(s.remaining, 1_000);
        assert_eq!(s.undistributed, 0);
    }

    #[test]
    fn funding_a_running_stream_never_moves_its_end() {
        let mut s = Stream { total_weight: 1, ..Default::default() };
        s.fund(1_000, 0, 100).unwrap();
        s.fund(1, 99, 100).unwrap();
        assert_eq!(s.end, 100);
    }

    proptest! {
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
