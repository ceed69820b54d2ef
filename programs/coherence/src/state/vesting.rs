use crate::math::vesting::Curve;
use anchor_lang::prelude::*;

/// A vesting schedule funded from the treasury.
/// Seeds: `["vesting", engine, id_le]` (id survives a beneficiary transfer).
#[account]
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
    /// Unix time of revocation; 0 = not revoked.
    pub revoked_at: i64,
    pub reserved: [u8; 32],
}

impl VestingSchedule {
    pub fn curve(&self) -> Curve {
        Curve { total: self.total, start: self.start, cliff: self.cliff, end: self.end, period: self.period }
    }
    pub fn revoked(&self) -> Option<i64> {
        (self.revoked_at != 0).then_some(self.revoked_at)
    }
}
