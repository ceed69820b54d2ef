//! The program's one error enum. Append new variants at the end; never reorder
//! (clients map codes 6000+ back to these names).
use anchor_lang::prelude::*;

#[error_code]
#[derive(PartialEq, Eq)]
pub enum CoherenceError {
    #[msg("Arithmetic overflow or underflow")]
    MathOverflow,
    #[msg("Division by zero")]
    DivisionByZero,
    #[msg("Value does not fit the target integer type")]
    CastOverflow,
    #[msg("The engine is paused: new stakes, usage and emission are stopped")]
    Paused,
    #[msg("Signer is not the engine authority")]
    NotAuthority,
    #[msg("Signer is not the pending authority")]
    NotPendingAuthority,
    #[msg("No authority transfer is pending")]
    NoPendingAuthority,
    #[msg("Signer is not the mint's current mint authority")]
    NotMintAuthority,
    #[msg("The mint has a freeze authority")]
    FreezeAuthorityNotAllowed,
    #[msg("Token-2022 permanent delegate extension is not allowed")]
    PermanentDelegateNotAllowed,
    #[msg("Token-2022 transfer hook extension is not allowed")]
    TransferHookNotAllowed,
    #[msg("Token-2022 transfer fee extension is not allowed")]
    TransferFeeNotAllowed,
    #[msg("Token-2022 non-transferable extension is not allowed")]
    NonTransferableNotAllowed,
    #[msg("Token-2022 default account state extension is not allowed")]
    DefaultAccountStateNotAllowed,
    #[msg("Token-2022 confidential transfer extensions are not allowed")]
    ConfidentialTransferNotAllowed,
    #[msg("Token-2022 mint extension is not supported")]
    UnsupportedMintExtension,
    #[msg("The mint's supply already exceeds max_supply")]
    SupplyExceedsMax,
    #[msg("max_supply must be positive")]
    InvalidMaxSupply,
    #[msg("epoch_secs is outside its hard bounds")]
    EpochSecsOutOfBounds,
    #[msg("usage_shards must be between 1 and 16")]
    UsageShardsOutOfBounds,
    #[msg("alpha_bps exceeds MAX_ALPHA_BPS (9000)")]
    AlphaOutOfBounds,
    #[msg("gate_bps is outside its hard bounds")]
    GateOutOfBounds,
    #[msg("ema_bps is outside its hard bounds")]
    EmaOutOfBounds,
    #[msg("cap must be positive and at most max_supply")]
    CapOutOfBounds,
    #[msg("cap_decay_bps is outside its hard bounds")]
    CapDecayOutOfBounds,
    #[msg("min_lock must be at least epoch_secs and at most max_lock")]
    MinLockOutOfBounds,
    #[msg("max_lock must be at least min_lock and at most MAX_LOCK_SECS")]
    MaxLockOutOfBounds,
    #[msg("max_boost_bps exceeds MAX_BOOST_BPS")]
    BoostOutOfBounds,
    #[msg("stakers_bps + builders_bps + treasury_bps must equal 10000")]
    SplitsMustSumToBps,
    #[msg("treasury_bps exceeds MAX_TREASURY_BPS")]
    TreasuryShareOutOfBounds,
    #[msg("builders_bps exceeds MAX_BUILDERS_BPS")]
    BuildersShareOutOfBounds,
    #[msg("min_vesting_cliff is outside its hard bounds")]
    VestingCliffFloorOutOfBounds,
    #[msg("min_vesting_duration is outside its hard bounds")]
    VestingDurationFloorOutOfBounds,
    #[msg("timelock_secs is outside its hard bounds")]
    TimelockOutOfBounds,
    #[msg("No parameter change is pending")]
    NoPendingParams,
    #[msg("The parameter timelock has not elapsed")]
    TimelockNotElapsed,
    #[msg("Account belongs to another engine")]
    EngineMismatch,
    #[msg("Token account has the wrong mint")]
    WrongMint,
    #[msg("Token account has the wrong owner")]
    WrongTokenOwner,
    #[msg("Token program does not match the engine's token program")]
    WrongTokenProgram,
    #[msg("Amount must be positive")]
    ZeroAmount,
    #[msg("Vesting cliff is shorter than the engine's minimum")]
    VestingCliffTooShort,
    #[msg("Vesting duration is shorter than the engine's minimum")]
    VestingDurationTooShort,
    #[msg("Vesting schedule is malformed (start <= cliff <= end, period divides nothing past end)")]
    InvalidVestingSchedule,
    #[msg("Nothing is claimable yet")]
    NothingToClaim,
    #[msg("Signer is not the schedule's beneficiary")]
    NotBeneficiary,
    #[msg("Schedule is not revocable")]
    NotRevocable,
    #[msg("Schedule was already revoked or expired")]
    AlreadyRevoked,
    #[msg("Schedule still holds unclaimed tokens")]
    ScheduleNotEmpty,
    #[msg("Treasury balance is too small")]
    InsufficientTreasury,
    #[msg("Lock duration is outside [min_lock, max_lock]")]
    LockOutOfBounds,
    #[msg("Signer is not the position owner")]
    NotPositionOwner,
    #[msg("Position is unbonding")]
    PositionUnbonding,
    #[msg("Position is not unbonding")]
    PositionNotUnbonding,
    #[msg("Position is still locked")]
    StillLocked,
    #[msg("New lock must be longer than the current one")]
    LockNotExtended,
    #[msg("Position still holds principal or rewards")]
    PositionNotEmpty,
    #[msg("The same account was passed twice where distinct accounts are required")]
    DuplicateAccount,
    #[msg("Epoch has not ended yet")]
    EpochNotEnded,
    #[msg("Epochs close strictly in order")]
    EpochOutOfOrder,
    #[msg("Usage shard index out of range")]
    InvalidShard,
    #[msg("Wrong number or order of usage shard accounts")]
    WrongShardAccounts,
    #[msg("Source does not belong to this engine")]
    SourceMismatch,
    #[msg("Signer is not the source's builder")]
    NotBuilder,
    #[msg("Epoch record does not match the source's epoch")]
    WrongEpochRecord,
    #[msg("Account already exists")]
    AccountAlreadyInitialized,
    #[msg("Vesting start lies in the past")]
    VestingStartInPast,
    #[msg("An ended epoch is still open: close it (permissionless close_epoch) before recording more usage")]
    EpochBacklog,
    #[msg("The source's last epoch is not closed yet")]
    SourceEpochNotClosed,
    #[msg("The source's last epoch must be settled: pass its epoch record")]
    EpochRecordRequired,
    #[msg("Epoch already closed")]
    EpochAlreadyClosed,
    #[msg("Usage budget exceeded: alpha_bps + Σ usage_rate_bps of active gated schedules must stay ≤ 10000")]
    UsageBudgetExceeded,
    #[msg("usage_rate_bps must be between 0 (time-only) and 10000")]
    UsageRateOutOfBounds,
    #[msg("grace_secs must be 0 for a time-only schedule and within [MIN_VESTING_GRACE_SECS, MAX_VESTING_GRACE_SECS] for a gated one")]
    GraceOutOfBounds,
    #[msg("Schedule is not usage-gated")]
    NotUsageGated,
    #[msg("The schedule's end + grace has not passed yet")]
    GraceNotElapsed,
    #[msg("Usage shard has no escrow yet: run init_usage_shard for it again")]
    ShardWithoutEscrow,
    #[msg("The epoch containing the schedule's end + grace is not closed yet: close it first, so its usage counts")]
    ExpiryEpochOpen,
    #[msg("Time-only budget exceeded: the engine's time-only schedules may commit at most time_only_budget")]
    TimeOnlyBudgetExceeded,
    #[msg("The time-only ledger of an engine created before version 3 is not synced yet: run sync_time_only_budget")]
    TimeOnlyBudgetNotSynced,
    #[msg("The time-only budget can only be lowered")]
    TimeOnlyBudgetCannotRise,
    #[msg("The time-only budget cannot go below what time-only schedules already committed")]
    TimeOnlyBudgetBelowUsed,
    #[msg("The time-only budget cannot exceed max supply")]
    TimeOnlyBudgetAboveMaxSupply,
    #[msg("Vesting accounts must be the engine's schedules in id order, from the next one to count")]
    WrongVestingAccounts,
    #[msg("Every schedule is already counted in the time-only ledger")]
    TimeOnlyLedgerAlreadySynced,
    #[msg("Instruction data must be exactly the discriminator and the instruction's arguments")]
    InstructionDataLength,
    #[msg("The event-CPI program account must be this program")]
    EventProgramMismatch,
    #[msg("Voting configuration needs a realm, a governance program and a positive max voter weight")]
    InvalidVotingConfig,
    #[msg("No voting configuration is pending")]
    NoPendingVoting,
    #[msg("Holders do not vote on this engine: no registrar was applied")]
    VotingNotConfigured,
    #[msg("The engine's holders vote: pass the owner's TokenOwnerRecord of its realm")]
    TokenOwnerRecordRequired,
    #[msg("Not the owner's TokenOwnerRecord for the engine's realm and mint")]
    WrongTokenOwnerRecord,
    #[msg("The owner has votes not yet relinquished in the engine's realm: relinquish them first")]
    VotesNotRelinquished,
    #[msg("The owner has proposals not yet finalized in the engine's realm")]
    ProposalsOutstanding,
}
