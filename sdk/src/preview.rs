//! Exact off-chain previews, computed with the program's own math module.

use coherence::math::vesting::Curve;
use coherence::state::VestingSchedule;

use crate::error::SdkError;

/// Tokens the beneficiary could claim from `schedule` at unix time `now`,
/// exactly as `claim_vesting` would transfer them.
pub fn preview_vested(schedule: &VestingSchedule, now: i64) -> Result<u64, SdkError> {
    let curve: Curve = schedule.curve();
    Ok(curve.claimable(schedule.claimed, schedule.revoked(), now)?)
}
