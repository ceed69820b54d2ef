//! Exact off-chain previews, computed with the program's own math module.

use coherence::math::stake::earned;
use coherence::math::vesting::Limits;
use coherence::state::{Position, StakePool, VestingSchedule};

use crate::error::SdkError;

/// Tokens the beneficiary could claim from `schedule` at unix time `now`,
/// exactly as `claim_vesting` would transfer them. A usage-gated schedule
/// reads the usage burned since its creation from `engine`.
///
/// ```
/// use coherence::state::VestingSchedule;
/// # use anchor_lang::prelude::Pubkey;
/// let s = VestingSchedule { version: 2, bump: 0, engine: Pubkey::default(), id: 0, beneficiary: Pubkey::default(),
///     total: 1_200, claimed: 0, start: 0, cliff: 300, end: 1_200, period: 0, revocable: false, revoked_at: 0,
///     usage_rate_bps: 0, usage_snapshot: 0, grace_secs: 0, frozen_vested: 0, holds_budget: false, reserved: [0; 1] };
/// assert_eq!(coherence_sdk::preview::preview_vested(&s, 0, 299).unwrap(), 0);
/// assert_eq!(coherence_sdk::preview::preview_vested(&s, 0, 600).unwrap(), 600);
/// // Gated at 50 %: 400 base units of usage since creation unlock 200.
/// let g = VestingSchedule { usage_rate_bps: 5_000, holds_budget: true, ..s };
/// assert_eq!(coherence_sdk::preview::preview_vested(&g, 400, 600).unwrap(), 200);
/// ```
pub fn preview_vested(schedule: &VestingSchedule, engine_usage_burned: u128, now: i64) -> Result<u64, SdkError> {
    Ok(schedule.claimable(now, engine_usage_burned)?)
}

/// Both limits of `schedule` at `now` (time curve; usage gate if any) and
/// the vested amount `min` of them, before revocation or expiry.
pub fn preview_limits(schedule: &VestingSchedule, engine_usage_burned: u128, now: i64) -> Result<Limits, SdkError> {
    Ok(schedule.limits(now, engine_usage_burned)?)
}

/// Rewards `claim_rewards` would pay for `position` at unix time `now`
/// (accrues a copy of the pool's stream exactly as the program does).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys, position: anchor_lang::prelude::Pubkey) -> coherence_sdk::client::ClientResult<()> {
/// let pool: coherence::state::StakePool = client.get(&keys.stake_pool).await?;
/// let pos: coherence::state::Position = client.get(&position).await?;
/// let owed = coherence_sdk::preview::preview_rewards(&pos, &pool, client.now().await?)?;
/// # Ok(()) }
/// ```
pub fn preview_rewards(position: &Position, pool: &StakePool, now: i64) -> Result<u64, SdkError> {
    let mut stream = pool.stream;
    stream.accrue(now)?;
    let gained = earned(position.weight, stream.acc, position.acc_snapshot)?;
    position
        .pending_reward
        .checked_add(gained)
        .ok_or(SdkError::Program(coherence::errors::CoherenceError::MathOverflow))
}

/// What `close_epoch(epoch)` would do if it ran now: the gate result,
/// emission, next baseline and cap, and the split. `shards` are the engine's
/// usage shards; `supply` is the mint's supply once the usage escrows are
/// burned, i.e. its current supply minus [`crate::ops::escrowed`] (what
/// `close_epoch` burns before it computes the emission).
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys, supply: u64) -> coherence_sdk::client::ClientResult<()> {
/// let engine: coherence::state::Engine = client.get(&keys.engine).await?;
/// let mut shards = Vec::new();
/// for i in 0..engine.usage_shards {
///     shards.push(client.get(&coherence_sdk::pda::usage_shard(&keys.engine, i)).await?);
/// }
/// let (outcome, split) = coherence_sdk::preview::preview_emission(&engine, &shards, supply, engine.next_epoch)?;
/// # Ok(()) }
/// ```
pub fn preview_emission(
    engine: &coherence::state::Engine,
    shards: &[coherence::state::UsageShard],
    supply: u64,
    epoch: u64,
) -> Result<(coherence::math::emission::EpochOutcome, coherence::math::emission::Split), SdkError> {
    let close = engine.close_outcome(shards.iter().map(|shard| shard.usage_of(epoch)), supply)?;
    Ok((close.outcome, close.split))
}
