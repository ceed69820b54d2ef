//! Compute-unit budgets from measurement, not guesses: each Coherence
//! instruction's worst case in the SBF benchmark
//! (`cargo run -p coherence-tests --example cu` with `COHERENCE_SBF=1`; the
//! README's table), plus 25 % and 5,000 units of margin for the difference
//! between the upstream-LLVM and platform-tools builds. The benchmark's keys
//! are a fixed sequence; an instruction that creates an account at a PDA
//! whose address search needs more tries than there pays 1,500 units per
//! try, so those entries carry 3,000 more than measured (two more tries),
//! and `open_position` 6,000 (the CLI numbers positions from 0 rather than
//! picking single-try ids, `pda::position_id_from`).
//!
//! The figures are measured with solana-program-test's SPL Token 3.5, whose
//! `TransferChecked` takes 6,174 units. On a cluster that runs p-token (the
//! SPL Token program mainnet runs, SIMD-0266) each token CPI takes about a
//! hundred, so there these budgets are generous by about 6,000 a transfer;
//! they stay on SPL Token 3.5's figures because a local validator, and any
//! cluster without p-token, needs them.
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
    (ixs::InitializeEngine::DISCRIMINATOR, 75_811),
    (ixs::ProposeParams::DISCRIMINATOR, 4_103),
    (ixs::CancelParams::DISCRIMINATOR, 3_547),
    (ixs::ApplyParams::DISCRIMINATOR, 3_777),
    (ixs::ProposeAuthority::DISCRIMINATOR, 3_601),
    (ixs::AcceptAuthority::DISCRIMINATOR, 3_606),
    (ixs::SetPause::DISCRIMINATOR, 3_541),
    (ixs::DepositTreasury::DISCRIMINATOR, 11_900),
    (ixs::CreateVesting::DISCRIMINATOR, 29_795),
    (ixs::ClaimVesting::DISCRIMINATOR, 13_635),
    (ixs::RevokeVesting::DISCRIMINATOR, 13_649),
    (ixs::TransferVesting::DISCRIMINATOR, 2_912),
    (ixs::CloseVesting::DISCRIMINATOR, 5_780),
    (ixs::OpenPosition::DISCRIMINATOR, 23_237),
    (ixs::AddToPosition::DISCRIMINATOR, 13_367),
    (ixs::ExtendLock::DISCRIMINATOR, 4_308),
    // With the owner's token owner record (holders vote, its address searched
    // under the governance program): 13,749 + two more tries.
    (ixs::StartUnbond::DISCRIMINATOR, 16_749),
    // With the owner's token owner record (holders vote): 22,618 + two more tries.
    (ixs::Withdraw::DISCRIMINATOR, 25_618),
    (ixs::ClaimRewards::DISCRIMINATOR, 14_308),
    (ixs::ClosePosition::DISCRIMINATOR, 4_472),
    (ixs::FundRewards::DISCRIMINATOR, 12_740),
    (ixs::InitUsageShard::DISCRIMINATOR, 28_938),
    (ixs::RecordUsage::DISCRIMINATOR, 13_792),
    (ixs::CloseEpoch::DISCRIMINATOR, 144_254),
    (ixs::RegisterSource::DISCRIMINATOR, 14_204),
    (ixs::ExpireVesting::DISCRIMINATOR, 15_953),
    (ixs::ClaimSourceRewards::DISCRIMINATOR, 14_092),
    (ixs::LowerTimeOnlyBudget::DISCRIMINATOR, 3_559),
    // Measured 8,349 for 5 schedules (each schedule's address searched, ~1.5k
    // a try); the SDK sends at most `ops::SCHEDULES_PER_SYNC` = 20 per transaction.
    (ixs::SyncTimeOnlyBudget::DISCRIMINATOR, 40_000),
    // Voting: measured creating the registrar and the records.
    (ixs::ProposeVoting::DISCRIMINATOR, 12_022),
    (ixs::ApplyVoting::DISCRIMINATOR, 6_549),
    // Measured 13,588 with 3 positions (the record's address searched each
    // time); each further position adds its deserialization and checks: sized for ~10.
    (ixs::UpdateVoterWeightRecord::DISCRIMINATOR, 25_000),
    (ixs::UpdateMaxVoterWeightRecord::DISCRIMINATOR, 13_397),
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
/// assert_eq!(coherence_sdk::compute::budget(&close), 144_254 * 5 / 4 + 5_000);
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
