//! Vesting schedules.

use super::{build, event_authority, shard_metas};
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use coherence::instructions::CreateVestingArgs;
use coherence::{accounts as acc, instruction as ix};

use crate::pda::{self, EngineKeys};

/// Authority funds schedule number `id` (the engine's current
/// `vesting_count`). Accounts: `[w,s] payer, [s] authority, [w] engine,
/// [w] vesting, mint, [w] treasury, [w] vesting_vault, token_program,
/// system_program`; for a usage-gated schedule (`usage_rate_bps > 0`) then
/// the engine's `usage_shards` usage shards, read-only, in index order (the
/// usage already paid into open epochs is kept out of the schedule's `U`).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let args = coherence::instructions::CreateVestingArgs { beneficiary: b, total: 1_000, start: 0, cliff: 90 * 86_400,
///     end: 365 * 86_400, period: 0, revocable: false, usage_rate_bps: 0, grace_secs: 0 };
/// let ix = coherence_sdk::instructions::create_vesting(&keys, &a, &a, 0, args, 4);
/// assert_eq!(ix.accounts.len(), 11, "time-only: no shards");
/// let gated = coherence::instructions::CreateVestingArgs { usage_rate_bps: 500, grace_secs: 30 * 86_400, ..args };
/// assert_eq!(coherence_sdk::instructions::create_vesting(&keys, &a, &a, 0, gated, 4).accounts.len(), 15);
/// ```
pub fn create_vesting(
    keys: &EngineKeys,
    payer: &Pubkey,
    authority: &Pubkey,
    id: u64,
    args: CreateVestingArgs,
    usage_shards: u8,
) -> Instruction {
    let shards = if args.usage_rate_bps > 0 { usage_shards } else { 0 };
    let mut instruction = build(
        acc::CreateVesting {
            payer: *payer,
            authority: *authority,
            engine: keys.engine,
            vesting: pda::vesting(&keys.engine, id),
            mint: keys.mint,
            treasury: keys.treasury,
            vesting_vault: keys.vesting_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::CreateVesting { args },
    );
    instruction.accounts.extend(shard_metas(keys, shards));
    instruction
}

/// Count an older engine's schedules `from..from + count` into its
/// time-only ledger (anyone). Accounts: `[w] engine`, then the schedules.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let ix = coherence_sdk::instructions::sync_time_only_budget(&keys, 0, 3);
/// assert_eq!(ix.accounts.len(), 3 + 3);
/// ```
pub fn sync_time_only_budget(keys: &EngineKeys, from: u64, count: u64) -> Instruction {
    let mut instruction = build(
        acc::SyncTimeOnlyBudget { engine: keys.engine, event_authority: event_authority(), program: coherence::ID },
        ix::SyncTimeOnlyBudget {},
    );
    let ids = from..from.saturating_add(count);
    instruction.accounts.extend(ids.map(|id| AccountMeta::new_readonly(pda::vesting(&keys.engine, id), false)));
    instruction
}

/// Beneficiary claims vested tokens into `destination` (its own token account).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::claim_vesting(&keys, &a, &coherence_sdk::pda::vesting(&keys.engine, 0), &b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn claim_vesting(keys: &EngineKeys, beneficiary: &Pubkey, vesting: &Pubkey, destination: &Pubkey) -> Instruction {
    build(
        acc::ClaimVesting {
            beneficiary: *beneficiary,
            engine: keys.engine,
            vesting: *vesting,
            mint: keys.mint,
            vesting_vault: keys.vesting_vault,
            destination: *destination,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ClaimVesting {},
    )
}

/// Authority revokes a revocable schedule.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::revoke_vesting(&keys, &a, &coherence_sdk::pda::vesting(&keys.engine, 0));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn revoke_vesting(keys: &EngineKeys, authority: &Pubkey, vesting: &Pubkey) -> Instruction {
    build(
        acc::RevokeVesting {
            authority: *authority,
            engine: keys.engine,
            vesting: *vesting,
            mint: keys.mint,
            treasury: keys.treasury,
            vesting_vault: keys.vesting_vault,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::RevokeVesting {},
    )
}

/// Anyone expires a usage-gated schedule after its `end + grace_secs`.
/// Accounts: `[w] engine, [w] vesting, mint, [w] treasury, [w] vesting_vault, token_program`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let ix = coherence_sdk::instructions::expire_vesting(&keys, &coherence_sdk::pda::vesting(&keys.engine, 0));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn expire_vesting(keys: &EngineKeys, vesting: &Pubkey) -> Instruction {
    build(
        acc::ExpireVesting {
            engine: keys.engine,
            vesting: *vesting,
            mint: keys.mint,
            treasury: keys.treasury,
            vesting_vault: keys.vesting_vault,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ExpireVesting {},
    )
}

/// Beneficiary hands the schedule to `new_beneficiary`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::transfer_vesting(&a, &coherence_sdk::pda::vesting(&keys.engine, 0), b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn transfer_vesting(beneficiary: &Pubkey, vesting: &Pubkey, new_beneficiary: Pubkey) -> Instruction {
    build(
        acc::TransferVesting {
            beneficiary: *beneficiary,
            vesting: *vesting,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::TransferVesting { new_beneficiary },
    )
}

/// Beneficiary closes a schedule that owes nothing more; a finished
/// usage-gated schedule gives its rate back to the engine's budget.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::close_vesting(&keys, &a, &coherence_sdk::pda::vesting(&keys.engine, 0));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn close_vesting(keys: &EngineKeys, beneficiary: &Pubkey, vesting: &Pubkey) -> Instruction {
    build(
        acc::CloseVesting {
            beneficiary: *beneficiary,
            engine: keys.engine,
            vesting: *vesting,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::CloseVesting {},
    )
}
