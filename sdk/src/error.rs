//! SDK errors, and the mapping from on-chain error codes to names.

use coherence::errors::CoherenceError;

/// Errors of decoding and previews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkError {
    /// Account data did not decode as the expected type.
    Decode(String),
    /// Math failed off-chain exactly as it would on-chain.
    Program(CoherenceError),
}

impl core::fmt::Display for SdkError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            SdkError::Decode(e) => write!(f, "account decode failed: {e}"),
            SdkError::Program(e) => write!(f, "{}: {}", e.name(), e),
        }
    }
}

impl std::error::Error for SdkError {}

impl From<CoherenceError> for SdkError {
    fn from(e: CoherenceError) -> Self {
        SdkError::Program(e)
    }
}

/// Maps a custom program error code (6000 + variant index) back to the
/// program's error variant.
///
/// ```
/// use coherence::errors::CoherenceError;
/// assert_eq!(coherence_sdk::error::program_error(6003), Some(CoherenceError::Paused));
/// assert_eq!(coherence_sdk::error::program_error(3012), None);
/// ```
pub fn program_error(code: u32) -> Option<CoherenceError> {
    let index = code.checked_sub(anchor_lang::error::ERROR_CODE_OFFSET)?;
    ALL_ERRORS.get(usize::try_from(index).ok()?).copied()
}

/// Every variant of the program's error enum, in declaration order.
pub const ALL_ERRORS: &[CoherenceError] = &{
    use CoherenceError::*;
    [
        MathOverflow,
        DivisionByZero,
        CastOverflow,
        Paused,
        NotAuthority,
        NotPendingAuthority,
        NoPendingAuthority,
        NotMintAuthority,
        FreezeAuthorityNotAllowed,
        PermanentDelegateNotAllowed,
        TransferHookNotAllowed,
        TransferFeeNotAllowed,
        NonTransferableNotAllowed,
        DefaultAccountStateNotAllowed,
        ConfidentialTransferNotAllowed,
        UnsupportedMintExtension,
        SupplyExceedsMax,
        InvalidMaxSupply,
        EpochSecsOutOfBounds,
        UsageShardsOutOfBounds,
        AlphaOutOfBounds,
        GateOutOfBounds,
        EmaOutOfBounds,
        CapOutOfBounds,
        CapDecayOutOfBounds,
        MinLockOutOfBounds,
        MaxLockOutOfBounds,
        BoostOutOfBounds,
        SplitsMustSumToBps,
        TreasuryShareOutOfBounds,
        BuildersShareOutOfBounds,
        VestingCliffFloorOutOfBounds,
        VestingDurationFloorOutOfBounds,
        TimelockOutOfBounds,
        NoPendingParams,
        TimelockNotElapsed,
        EngineMismatch,
        WrongMint,
        WrongTokenOwner,
        WrongTokenProgram,
        ZeroAmount,
        VestingCliffTooShort,
        VestingDurationTooShort,
        InvalidVestingSchedule,
        NothingToClaim,
        NotBeneficiary,
        NotRevocable,
        AlreadyRevoked,
        ScheduleNotEmpty,
        InsufficientTreasury,
        LockOutOfBounds,
        NotPositionOwner,
        PositionUnbonding,
        PositionNotUnbonding,
        StillLocked,
        LockNotExtended,
        PositionNotEmpty,
        DuplicateAccount,
        EpochNotEnded,
        EpochOutOfOrder,
        InvalidShard,
        WrongShardAccounts,
        SourceMismatch,
        NotBuilder,
        WrongEpochRecord,
        AccountAlreadyInitialized,
        VestingStartInPast,
        EpochBacklog,
        SourceEpochNotClosed,
        EpochRecordRequired,
        EpochAlreadyClosed,
        UsageBudgetExceeded,
        UsageRateOutOfBounds,
        GraceOutOfBounds,
        NotUsageGated,
        GraceNotElapsed,
        ShardWithoutEscrow,
        ExpiryEpochOpen,
        TimeOnlyBudgetExceeded,
        TimeOnlyBudgetNotSynced,
        TimeOnlyBudgetCannotRise,
        TimeOnlyBudgetBelowUsed,
        TimeOnlyBudgetAboveMaxSupply,
        WrongVestingAccounts,
        TimeOnlyLedgerAlreadySynced,
        InstructionDataLength,
        EventProgramMismatch,
        InvalidVotingConfig,
        NoPendingVoting,
        VotingNotConfigured,
        TokenOwnerRecordRequired,
        WrongTokenOwnerRecord,
        VotesNotRelinquished,
        ProposalsOutstanding,
    ]
};

/// Every Anchor framework error (codes 100–5000: instruction, IDL,
/// constraint and account checks), so a refusal by Anchor is named too.
pub const ANCHOR_ERRORS: &[anchor_lang::error::ErrorCode] = &{
    use anchor_lang::error::ErrorCode::*;
    [
        InstructionMissing,
        InstructionFallbackNotFound,
        InstructionDidNotDeserialize,
        InstructionDidNotSerialize,
        IdlInstructionStub,
        IdlInstructionInvalidProgram,
        IdlAccountNotEmpty,
        EventInstructionStub,
        ConstraintMut,
        ConstraintHasOne,
        ConstraintSigner,
        ConstraintRaw,
        ConstraintOwner,
        ConstraintRentExempt,
        ConstraintSeeds,
        ConstraintExecutable,
        ConstraintState,
        ConstraintAssociated,
        ConstraintAssociatedInit,
        ConstraintClose,
        ConstraintAddress,
        ConstraintZero,
        ConstraintTokenMint,
        ConstraintTokenOwner,
        ConstraintMintMintAuthority,
        ConstraintMintFreezeAuthority,
        ConstraintMintDecimals,
        ConstraintSpace,
        ConstraintAccountIsNone,
        ConstraintTokenTokenProgram,
        ConstraintMintTokenProgram,
        ConstraintAssociatedTokenTokenProgram,
        ConstraintMintGroupPointerExtension,
        ConstraintMintGroupPointerExtensionAuthority,
        ConstraintMintGroupPointerExtensionGroupAddress,
        ConstraintMintGroupMemberPointerExtension,
        ConstraintMintGroupMemberPointerExtensionAuthority,
        ConstraintMintGroupMemberPointerExtensionMemberAddress,
        ConstraintMintMetadataPointerExtension,
        ConstraintMintMetadataPointerExtensionAuthority,
        ConstraintMintMetadataPointerExtensionMetadataAddress,
        ConstraintMintCloseAuthorityExtension,
        ConstraintMintCloseAuthorityExtensionAuthority,
        ConstraintMintPermanentDelegateExtension,
        ConstraintMintPermanentDelegateExtensionDelegate,
        ConstraintMintTransferHookExtension,
        ConstraintMintTransferHookExtensionAuthority,
        ConstraintMintTransferHookExtensionProgramId,
        ConstraintDuplicateMutableAccount,
        AccountAlreadyMigrated,
        AccountNotMigrated,
        ConstraintMintPausableExtension,
        ConstraintMintPausableAuthority,
        RequireViolated,
        RequireEqViolated,
        RequireKeysEqViolated,
        RequireNeqViolated,
        RequireKeysNeqViolated,
        RequireGtViolated,
        RequireGteViolated,
        AccountDiscriminatorAlreadySet,
        AccountDiscriminatorNotFound,
        AccountDiscriminatorMismatch,
        AccountDidNotDeserialize,
        AccountDidNotSerialize,
        AccountNotEnoughKeys,
        AccountNotMutable,
        AccountOwnedByWrongProgram,
        InvalidProgramId,
        InvalidProgramExecutable,
        AccountNotSigner,
        AccountNotSystemOwned,
        AccountNotInitialized,
        AccountNotProgramData,
        AccountNotAssociatedTokenAccount,
        AccountSysvarMismatch,
        AccountReallocExceedsLimit,
        AccountDuplicateReallocs,
        DeclaredProgramIdMismatch,
        TryingToInitPayerAsProgramAccount,
        InvalidNumericConversion,
        Deprecated,
    ]
};

/// The name of an Anchor framework error code.
///
/// ```
/// assert_eq!(coherence_sdk::error::anchor_error_name(3010).as_deref(), Some("AccountNotSigner"));
/// assert_eq!(coherence_sdk::error::anchor_error_name(6000), None);
/// ```
pub fn anchor_error_name(code: u32) -> Option<String> {
    ANCHOR_ERRORS.iter().find(|e| u32::from(**e) == code).map(|e| e.name())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchor_error_codes_are_unique_and_in_anchors_range() {
        let mut codes: Vec<u32> = ANCHOR_ERRORS.iter().map(|e| u32::from(*e)).collect();
        assert!(codes.iter().all(|c| (100..=5000).contains(c)));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), ANCHOR_ERRORS.len());
        assert_eq!(anchor_error_name(2001).as_deref(), Some("ConstraintHasOne"));
    }

    #[test]
    fn every_code_maps_back_to_its_variant() {
        for (i, e) in ALL_ERRORS.iter().enumerate() {
            assert_eq!(*e as u32, i as u32, "ALL_ERRORS out of order at {}", e.name());
            assert_eq!(program_error(6000 + i as u32), Some(*e));
        }
        assert_eq!(program_error(6000 + ALL_ERRORS.len() as u32), None);
        assert_eq!(program_error(42), None);
    }
}
