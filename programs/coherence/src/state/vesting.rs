use crate::errors::CoherenceError;
use crate::layout::fixed_account;
use crate::math::vesting::{Curve, Limits, UsageGate};
use crate::math::SafeMath;
use anchor_lang::prelude::*;

fixed_account! {
    discriminator = [130, 200, 173, 148, 39, 75, 243, 147];
    /// A vesting schedule funded from the treasury.
    /// Seeds: `["vesting", engine, id_le]` (id survives a beneficiary transfer).
    #[derive(InitSpace, Debug)]
    pub struct VestingSchedule {
        pub version: u8,
        pub bump: u8,
        pub engine: Pubkey,
        pub id: u64,
        pub beneficiary: Pubkey,
        /// Tokens committed, base units.
        pub total: u64,
        /// Tokens already claimed, base units.
        pub claimed: u64,
        pub start: i64,
        pub cliff: i64,
        pub end: i64,
        /// Seconds per unlock step; 0 = linear.
        pub period: u64,
        pub revocable: bool,
        /// Unix time of revocation or expiry; 0 = neither. Vesting stops here.
        pub revoked_at: i64,
        // ---- version 2 (was `reserved: [u8; 32]`, all zero, in version 1) ----
        /// Usage gate rate: at most `rate · U / 10 000` is vested, `U` being
        /// the usage burned in epochs closed since creation; 0 = time-only.
        pub usage_rate_bps: u16,
        /// The engine's `total_usage_burned` at creation (`U = now − this`).
        pub usage_snapshot: u128,
        /// A gated schedule not fully vested by `end + grace_secs` can be expired.
        pub grace_secs: u32,
        /// Amount vested when the schedule was revoked or expired (version 2).
        pub frozen_vested: u64,
        /// True while `usage_rate_bps` counts in the engine's `gated_rate_bps`.
        pub holds_budget: bool,
        pub reserved: [u8; 1],
    }
}

impl VestingSchedule {
    pub fn curve(&self) -> Curve {
        Curve { total: self.total, start: self.start, cliff: self.cliff, end: self.end, period: self.period }
    }
    pub fn revoked(&self) -> Option<i64> {
        (self.revoked_at != 0).then_some(self.revoked_at)
    }

    /// The usage gate, read only from version ≥ 2 accounts.
    pub fn gate(&self) -> Option<UsageGate> {
        (self.version >= 2 && self.usage_rate_bps > 0)
            .then_some(UsageGate { rate_bps: self.usage_rate_bps, snapshot: self.usage_snapshot })
    }

    /// Both limits at `now` given the engine's `total_usage_burned`.
    pub fn limits(&self, now: i64, lifetime_usage: u128) -> core::result::Result<Limits, CoherenceError> {
        Limits::of(&self.curve(), self.gate(), now, lifetime_usage)
    }

    /// Amount vested at `now`: frozen at revocation or expiry.
    pub fn vested(&self, now: i64, lifetime_usage: u128) -> core::result::Result<u64, CoherenceError> {
        match self.revoked() {
            Some(_) if self.version >= 2 => Ok(self.frozen_vested),
            Some(at) => self.curve().vested(at.min(now)),
            None => Ok(self.limits(now, lifetime_usage)?.vested()),
        }
    }

    /// What `claim_vesting` would transfer at `now`.
    pub fn claimable(&self, now: i64, lifetime_usage: u128) -> core::result::Result<u64, CoherenceError> {
        self.vested(now, lifetime_usage)?.safe_sub(self.claimed)
    }

    /// Stops vesting at `now` (revocation or expiry). Returns
    /// `(vested, returned)`: what stays claimable and what goes back.
    pub fn freeze(&mut self, now: i64, lifetime_usage: u128) -> core::result::Result<(u64, u64), CoherenceError> {
        let vested = self.vested(now, lifetime_usage)?;
        let returned = self.total.safe_sub(vested)?;
        self.revoked_at = now;
        self.frozen_vested = vested;
        Ok((vested, returned))
    }

    /// The rate to give back to the engine's budget, once: when the
    /// schedule has finished, or was revoked or expired.
    pub fn take_budget(&mut self) -> Option<u16> {
        let held = self.in_budget();
        self.holds_budget = false;
        held.then_some(self.usage_rate_bps)
    }

    /// Whether the schedule's rate counts in the engine's budget (version ≥ 2
    /// only: a version-1 account's bytes there mean nothing).
    pub fn in_budget(&self) -> bool {
        self.version >= 2 && self.holds_budget
    }

    /// What the schedule commits for good: its total, or once revoked or
    /// expired the part that had vested (the rest went back). A time-only
    /// schedule's contribution to its engine's `time_only_used`.
    pub fn committed(&self) -> core::result::Result<u64, CoherenceError> {
        Ok(self.final_amount()?.unwrap_or(self.total))
    }

    /// Everything the schedule will ever owe its beneficiary, when that is
    /// already fixed (`None` while it can still vest).
    pub fn final_amount(&self) -> core::result::Result<Option<u64>, CoherenceError> {
        // Once stopped, `vested` no longer depends on the time or the usage.
        self.revoked().map(|at| self.vested(at, 0)).transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MONTH: i64 = 30 * 86_400;

    /// 1,200 over 12 months from 1,000, 3-month cliff, 100 claimed.
    fn schedule(version: u8) -> VestingSchedule {
        VestingSchedule {
            version,
            bump: 0,
            engine: Pubkey::default(),
            id: 0,
            beneficiary: Pubkey::default(),
            total: 1_200,
            claimed: 100,
            start: 1_000,
            cliff: 1_000 + 3 * MONTH,
            end: 1_000 + 12 * MONTH,
            period: 0,
            revocable: true,
            revoked_at: 0,
            usage_rate_bps: 0,
            usage_snapshot: 0,
            grace_secs: 0,
            frozen_vested: 0,
            holds_budget: false,
            reserved: [0; 1],
        }
    }

    #[test]
    fn revocation_freezes_vesting() {
        // Version 1: vesting stops at `revoked_at` on the time curve.
        let mut v1 = schedule(1);
        v1.revoked_at = v1.start + 6 * MONTH;
        assert_eq!(v1.claimable(v1.end, 0), Ok(500));
        assert_eq!(v1.final_amount(), Ok(Some(600)));
        // Version 2: the amount frozen by `freeze` (time and usage at that moment).
        let mut v2 = schedule(2);
        v2.usage_rate_bps = 5_000;
        assert_eq!(v2.freeze(v2.start + 6 * MONTH, 800), Ok((400, 800)));
        assert_eq!(v2.claimable(v2.end, u128::MAX), Ok(300));
        assert_eq!(v2.final_amount(), Ok(Some(400)));
        assert_eq!(schedule(2).final_amount(), Ok(None));
    }
}
