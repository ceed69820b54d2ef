//! Compute-unit budgets from measurement, not guesses: each Coherence
//! instruction's worst case over runs of the SBF benchmark (figures
//! move by up to ~1,500 CU per extra PDA bump iteration, as keys are random)
//! (`cargo run -p coherence-tests --example cu` with `COHERENCE_SBF=1`; the
//! README's table), plus 25 % and 5,000 units of margin for the difference
//! between the upstream-LLVM and platform-tools builds.
//!
//! The RPC client sizes every transaction from its own simulation; these
//! budgets are for transactions that cannot be simulated first, such as a
//! multisig proposal printed by the CLI's `--print-tx`.

use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::Discriminator;
use coherence::instruction as ixs;

/// Most compute units one transaction may request.
pub const MAX_TRANSACTION_CU: u32 = 1_400_000;
/// The runtime's default per instruction, for programs not measured here.
const UNKNOWN_CU: u32 = 200_000;

/// Worst measured CU of each instruction (SBF, upstream-LLVM build).
const MEASURED: [(&[u8], u32); 33] = [
    (ixs::InitializeEngine::DISCRIMINATOR, 80_675),
    (ixs::ProposeParams::DISCRIMINATOR, 8_165),
    (ixs::CancelParams::DISCRIMINATOR, 6_368),
    (ixs::ApplyParams::DISCRIMINATOR, 7_380),
    (ixs::ProposeAuthority::DISCRIMINATOR, 7_138),
    (ixs::AcceptAuthority::DISCRIMINATOR, 7_142),
    (ixs::SetPause::DISCRIMINATOR, 6_293),
    (ixs::DepositTreasury::DISCRIMINATOR, 16_128),
    (ixs::CreateVesting::DISCRIMINATOR, 38_501),
    (ixs::ClaimVesting::DISCRIMINATOR, 18_717),
    (ixs::RevokeVesting::DISCRIMINATOR, 21_296),
    (ixs::TransferVesting::DISCRIMINATOR, 5_500),
    (ixs::CloseVesting::DISCRIMINATOR, 10_514),
    (ixs::OpenPosition::DISCRIMINATOR, 36_721),
    (ixs::AddToPosition::DISCRIMINATOR, 23_651),
    (ixs::ExtendLock::DISCRIMINATOR, 10_724),
    // With the owner's token owner record (holders vote): 10,696; worst run 13,538.
    (ixs::StartUnbond::DISCRIMINATOR, 13_538),
    // With the owner's token owner record (holders vote): 22,740.
    (ixs::Withdraw::DISCRIMINATOR, 22_740),
    (ixs::ClaimRewards::DISCRIMINATOR, 27_606),
    (ixs::ClosePosition::DISCRIMINATOR, 7_489),
    (ixs::FundRewards::DISCRIMINATOR, 17_746),
    (ixs::InitUsageShard::DISCRIMINATOR, 35_589),
    (ixs::RecordUsage::DISCRIMINATOR, 20_627),
    (ixs::CloseEpoch::DISCRIMINATOR, 175_622),
    (ixs::RegisterSource::DISCRIMINATOR, 17_968),
    (ixs::ExpireVesting::DISCRIMINATOR, 24_444),
    (ixs::ClaimSourceRewards::DISCRIMINATOR, 22_254),
    (ixs::LowerTimeOnlyBudget::DISCRIMINATOR, 6_684),
    // Measured 13,426 for 5 schedules (~1.7k each after a ~5k base); the
    // SDK sends at most `ops::SCHEDULES_PER_SYNC` = 20 per transaction.
    (ixs::SyncTimeOnlyBudget::DISCRIMINATOR, 40_000),
    // Voting: measured creating the registrar and the records.
    (ixs::ProposeVoting::DISCRIMINATOR, 11_603),
    (ixs::ApplyVoting::DISCRIMINATOR, 11_436),
    // Measured 13,582 creating the record with 3 positions; each further
    // position adds its deserialization and checks: sized for ~10.
    (ixs::UpdateVoterWeightRecord::DISCRIMINATOR, 25_000),
    (ixs::UpdateMaxVoterWeightRecord::DISCRIMINATOR, 13_698),
];

/// The measured worst case of a Coherence instruction, if measured.
///
/// ```
/// let keys = coherence_sdk::EngineKeys::new(anchor_lang::prelude::Pubkey::new_unique(), anchor_spl::token::ID);
/// assert!(coherence_sdk::compute::worst(&coherence_sdk::instructions::apply_params(&keys)).is_some());
/// ```
pub fn worst(ix: &Instruction) -> Option<u32> {
    (ix.program_id == coherence::ID)
        .then(|| MEASURED.iter().find(|(d, _)| ix.data.starts_with(d)).map(|(_, w)| *w))
        .flatten()
}

/// The budget of one instruction: measured worst + 25 % + 5,000 for
/// Coherence; a fixed allowance for the system, token and ATA programs; the
/// runtime's 200,000 default for anything else.
///
/// ```
/// let keys = coherence_sdk::EngineKeys::new(anchor_lang::prelude::Pubkey::new_unique(), anchor_spl::token::ID);
/// let close = coherence_sdk::instructions::close_epoch(&keys, &keys.mint, 0, 16);
/// assert_eq!(coherence_sdk::compute::budget(&close), 175_622 * 5 / 4 + 5_000);
/// ```
pub fn budget(ix: &Instruction) -> u32 {
    if ix.program_id == coherence::ID {
        return MEASURED
            .iter()
            .find(|(d, _)| ix.data.starts_with(d))
            .map_or(UNKNOWN_CU, |(_, worst)| worst.saturating_mul(5) / 4 + 5_000);
    }
    match ix.program_id {
        id if id == anchor_lang::system_program::ID => 1_000,
        id if id == anchor_spl::token::ID || id == anchor_spl::token_2022::ID => 10_000,
        id if id == anchor_spl::associated_token::ID => 40_000,
        _ => UNKNOWN_CU,
    }
}

/// The compute-unit limit for a transaction of `ixs`: the sum of their
/// budgets, at most [`MAX_TRANSACTION_CU`].
///
/// ```
/// assert_eq!(coherence_sdk::compute::limit_for(&[]), 0);
/// ```
pub fn limit_for(ixs: &[Instruction]) -> u32 {
    ixs.iter().map(budget).fold(0u32, u32::saturating_add).min(MAX_TRANSACTION_CU)
}
