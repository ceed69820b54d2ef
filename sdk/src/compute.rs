//! Compute-unit budgets from measurement, not guesses: each Coherence
//! instruction's worst case in the SBF benchmark
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
const MEASURED: [(&[u8], u32); 26] = [
    (ixs::InitializeEngine::DISCRIMINATOR, 76_096),
    (ixs::ProposeParams::DISCRIMINATOR, 7_880),
    (ixs::CancelParams::DISCRIMINATOR, 6_086),
    (ixs::ApplyParams::DISCRIMINATOR, 7_091),
    (ixs::ProposeAuthority::DISCRIMINATOR, 6_854),
    (ixs::AcceptAuthority::DISCRIMINATOR, 6_857),
    (ixs::SetPause::DISCRIMINATOR, 6_009),
    (ixs::DepositTreasury::DISCRIMINATOR, 15_994),
    (ixs::CreateVesting::DISCRIMINATOR, 25_609),
    (ixs::ClaimVesting::DISCRIMINATOR, 17_415),
    (ixs::RevokeVesting::DISCRIMINATOR, 17_273),
    (ixs::TransferVesting::DISCRIMINATOR, 5_251),
    (ixs::CloseVesting::DISCRIMINATOR, 4_662),
    (ixs::OpenPosition::DISCRIMINATOR, 27_250),
    (ixs::AddToPosition::DISCRIMINATOR, 23_523),
    (ixs::ExtendLock::DISCRIMINATOR, 10_667),
    (ixs::StartUnbond::DISCRIMINATOR, 12_692),
    (ixs::Withdraw::DISCRIMINATOR, 20_093),
    (ixs::ClaimRewards::DISCRIMINATOR, 27_527),
    (ixs::ClosePosition::DISCRIMINATOR, 7_432),
    (ixs::FundRewards::DISCRIMINATOR, 17_630),
    (ixs::InitUsageShard::DISCRIMINATOR, 15_043),
    (ixs::RecordUsage::DISCRIMINATOR, 20_434),
    (ixs::CloseEpoch::DISCRIMINATOR, 66_186),
    (ixs::RegisterSource::DISCRIMINATOR, 23_915),
    (ixs::ClaimSourceRewards::DISCRIMINATOR, 19_163),
];

/// The budget of one instruction: measured worst + 25 % + 5,000 for
/// Coherence; a fixed allowance for the system, token and ATA programs; the
/// runtime's 200,000 default for anything else.
///
/// ```
/// let keys = coherence_sdk::EngineKeys::new(anchor_lang::prelude::Pubkey::new_unique(), anchor_spl::token::ID);
/// let close = coherence_sdk::instructions::close_epoch(&keys, &keys.mint, 0, 16);
/// assert_eq!(coherence_sdk::compute::budget(&close), 66_186 * 5 / 4 + 5_000);
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
