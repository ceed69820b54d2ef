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

/// What `close_epoch(epoch)` would do if it ran now: the gate result,
/// emission, next baseline and cap, and the split. `shards` are the engine's
/// usage shards; `supply` is the mint's current supply.
pub fn preview_emission(
    engine: &coherence::state::Engine,
    shards: &[coherence::state::UsageShard],
    supply: u64,
    epoch: u64,
) -> Result<(coherence::math::emission::EpochOutcome, coherence::math::emission::Split), SdkError> {
    use coherence::math::emission;
    let (mut usage, mut attributed) = (0u64, 0u64);
    for shard in shards {
        let slot = shard.usage_of(epoch);
        usage = usage.checked_add(slot.usage).ok_or(SdkError::Program(coherence::errors::CoherenceError::MathOverflow))?;
        attributed = attributed
            .checked_add(slot.attributed)
            .ok_or(SdkError::Program(coherence::errors::CoherenceError::MathOverflow))?;
    }
    let outcome = emission::close_epoch(usage, engine.baseline, engine.cap, supply, engine.max_supply, &engine.params)?;
    let split = emission::split(outcome.emission, attributed, usage, &engine.params)?;
    Ok((outcome, split))
}
