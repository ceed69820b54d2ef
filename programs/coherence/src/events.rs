//! One event per state change, carrying the keys and post-state amounts.
//! Emitted through the event CPI (`support::event_cpi::emit`, the instruction
//! Anchor's `emit_cpi!` makes), so they are recorded as inner instructions
//! (visible to indexers and to native tests alike).
use crate::math::Params;
use anchor_lang::prelude::*;

#[event]
pub struct EngineInitialized {
    pub engine: Pubkey,
    pub mint: Pubkey,
    pub authority: Pubkey,
    pub max_supply: u64,
    pub epoch_secs: u64,
    pub usage_shards: u8,
    pub genesis_ts: i64,
    pub params: Params,
    /// Most that time-only vesting may ever commit (value without usage).
    pub time_only_budget: u64,
}

#[event]
pub struct ParamsProposed {
    pub engine: Pubkey,
    pub params: Params,
    pub eta: i64,
}

#[event]
pub struct ParamsCancelled {
    pub engine: Pubkey,
}

#[event]
pub struct ParamsApplied {
    pub engine: Pubkey,
    pub params: Params,
    /// Running emission cap after applying (never raised).
    pub cap: u64,
}

#[event]
pub struct AuthorityProposed {
    pub engine: Pubkey,
    pub authority: Pubkey,
    pub pending_authority: Pubkey,
}

#[event]
pub struct AuthorityAccepted {
    pub engine: Pubkey,
    pub previous: Pubkey,
    pub authority: Pubkey,
}

#[event]
pub struct PauseSet {
    pub engine: Pubkey,
    pub paused: bool,
}

#[event]
pub struct TreasuryDeposited {
    pub engine: Pubkey,
    pub depositor: Pubkey,
    pub amount: u64,
    pub treasury_balance: u64,
}

#[event]
pub struct VestingCreated {
    pub engine: Pubkey,
    pub vesting: Pubkey,
    pub id: u64,
    pub beneficiary: Pubkey,
    pub total: u64,
    pub start: i64,
    pub cliff: i64,
    pub end: i64,
    pub period: u64,
    pub revocable: bool,
    /// 0 = time-only.
    pub usage_rate_bps: u16,
    /// Usage paid before creation (closed epochs and open ones): `U`
    /// counts what is paid after it.
    pub usage_snapshot: u128,
    pub grace_secs: u32,
    /// The engine's Σ rate of active gated schedules, this one included.
    pub gated_rate_bps: u16,
    pub treasury_balance: u64,
    /// The engine's time-only commitments, this one included if time-only.
    pub time_only_used: u64,
}

#[event]
pub struct VestingClaimed {
    pub vesting: Pubkey,
    pub beneficiary: Pubkey,
    pub amount: u64,
    pub claimed: u64,
}

#[event]
pub struct VestingRevoked {
    pub vesting: Pubkey,
    pub revoked_at: i64,
    /// Unvested tokens returned to the treasury.
    pub returned: u64,
    /// Vested tokens that stay claimable by the beneficiary.
    pub vested: u64,
    /// The engine's time-only commitments afterwards (a time-only schedule
    /// gives `returned` back to the time-only budget).
    pub time_only_used: u64,
}

/// The authority lowered the time-only budget.
#[event]
pub struct TimeOnlyBudgetLowered {
    pub engine: Pubkey,
    pub time_only_budget: u64,
    pub time_only_used: u64,
}

/// `sync_time_only_budget` counted older schedules into the ledger.
#[event]
pub struct TimeOnlyBudgetSynced {
    pub engine: Pubkey,
    /// Schedules with an id below this are counted.
    pub scanned: u64,
    pub time_only_budget: u64,
    pub time_only_used: u64,
    /// True once every schedule is counted.
    pub synced: bool,
}

#[event]
pub struct VestingExpired {
    pub vesting: Pubkey,
    pub expired_at: i64,
    /// Unvested tokens returned to the treasury.
    pub returned: u64,
    /// Vested tokens that stay claimable by the beneficiary.
    pub vested: u64,
}

/// A gated schedule stopped holding usage budget (finished, revoked or
/// expired); `gated_rate_bps` is the engine's Σ rate afterwards.
#[event]
pub struct UsageBudgetReleased {
    pub engine: Pubkey,
    pub vesting: Pubkey,
    pub rate_bps: u16,
    pub gated_rate_bps: u16,
}

#[event]
pub struct VestingTransferred {
    pub vesting: Pubkey,
    pub previous: Pubkey,
    pub beneficiary: Pubkey,
}

#[event]
pub struct VestingClosed {
    pub vesting: Pubkey,
    pub beneficiary: Pubkey,
}

#[event]
pub struct PositionOpened {
    pub engine: Pubkey,
    pub position: Pubkey,
    pub owner: Pubkey,
    pub id: u64,
    pub amount: u64,
    pub lock_secs: u64,
    pub weight: u128,
    pub total_weight: u128,
}

#[event]
pub struct PositionIncreased {
    pub position: Pubkey,
    pub amount: u64,
    pub principal: u64,
    pub weight: u128,
    pub total_weight: u128,
}

#[event]
pub struct LockExtended {
    pub position: Pubkey,
    pub lock_secs: u64,
    pub weight: u128,
    pub total_weight: u128,
}

#[event]
pub struct UnbondStarted {
    pub position: Pubkey,
    pub unbond_start: i64,
    pub withdrawable_at: i64,
    pub total_weight: u128,
}

#[event]
pub struct PositionWithdrawn {
    pub position: Pubkey,
    pub amount: u64,
    pub total_principal: u64,
}

#[event]
pub struct RewardsClaimed {
    pub position: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
    pub restaked: bool,
}

#[event]
pub struct RewardsFunded {
    pub engine: Pubkey,
    pub funder: Pubkey,
    pub amount: u64,
    pub stream_remaining: u64,
    pub stream_end: i64,
}

#[event]
pub struct PositionClosed {
    pub position: Pubkey,
    pub owner: Pubkey,
}

#[event]
pub struct UsageShardInitialized {
    pub engine: Pubkey,
    pub shard: u8,
    /// The shard's escrow token account.
    pub escrow: Pubkey,
    /// True when an existing version-1 shard was upgraded (escrow added).
    pub upgraded: bool,
}

#[event]
pub struct UsageRecorded {
    pub engine: Pubkey,
    pub payer: Pubkey,
    pub epoch: u64,
    pub shard: u8,
    pub amount: u64,
    pub source: Option<Pubkey>,
    /// The shard's usage of `epoch` after this payment.
    pub shard_usage: u64,
}

#[event]
pub struct EpochClosed {
    pub engine: Pubkey,
    pub epoch: u64,
    pub usage: u64,
    pub attributed: u64,
    pub baseline: u64,
    /// Median of this epoch's usage and the two before: what entered the EMA.
    pub baseline_input: u64,
    pub next_baseline: u64,
    pub gate_passed: bool,
    pub emission: u64,
    pub treasury_amount: u64,
    pub builders_amount: u64,
    pub stakers_amount: u64,
    pub next_cap: u64,
    pub total_emitted: u128,
    /// Burned from the usage escrows at this close.
    pub escrow_burned: u64,
}

#[event]
pub struct SourceRegistered {
    pub engine: Pubkey,
    pub source: Pubkey,
    pub id: u64,
    pub builder: Pubkey,
}

#[event]
pub struct SourceRewardsClaimed {
    pub source: Pubkey,
    pub builder: Pubkey,
    pub amount: u64,
}

#[event]
pub struct VotingProposed {
    pub engine: Pubkey,
    pub config: crate::state::VotingConfig,
    pub eta: i64,
}

#[event]
pub struct VotingApplied {
    pub engine: Pubkey,
    pub config: crate::state::VotingConfig,
}

#[event]
pub struct VoterWeightUpdated {
    pub engine: Pubkey,
    pub owner: Pubkey,
    pub voter_weight: u64,
    /// Positions counted (locked ones; unbonding ones add 0).
    pub positions: u8,
    pub slot: u64,
    pub action: crate::state::VoterWeightAction,
    pub target: Pubkey,
}

#[event]
pub struct MaxVoterWeightUpdated {
    pub engine: Pubkey,
    pub max_voter_weight: u64,
}
