//! Exact off-chain previews, computed with the program's own math module.

use coherence::math::stake::earned;
use coherence::state::{Position, StakePool, VestingSchedule};

use crate::error::SdkError;

/// Tokens the beneficiary could claim from `schedule` at unix time `now`,
/// exactly as `claim_vesting` would transfer them.
pub fn preview_vested(schedule: &VestingSchedule, now: i64) -> Result<u64, SdkError> {
    Ok(schedule.curve().claimable(schedule.claimed, schedule.revoked(), now)?)
}

/// Rewards `claim_rewards` would pay for `position` at unix time `now`
/// (accrues a copy of the pool's stream exactly as the program does).
pub fn preview_rewards(position: &Position, pool: &StakePool, now: i64) -> Result<u64, SdkError> {
    let mut stream = pool.stream;
    stream.accrue(now)?;
    let gained = earned(position.weight, stream.acc, position.acc_snapshot)?;
    position.pending_reward.checked_add(gained).ok_or(SdkError::Program(coherence::errors::CoherenceError::MathOverflow))
}
