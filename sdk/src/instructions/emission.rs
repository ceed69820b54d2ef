//! Usage, epochs and builder sources.

use super::{build, event_authority};
use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use coherence::{accounts as acc, instruction as ix};

use crate::pda::{self, EngineKeys};

/// Anyone creates usage shard `shard` and its escrow (or adds the escrow to
/// a version-1 shard). Accounts: `[w,s] payer, engine, [w] usage_shard,
/// [w] usage_escrow, mint, token_program, system_program`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::init_usage_shard(&keys, &a, 0);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn init_usage_shard(keys: &EngineKeys, payer: &Pubkey, shard: u8) -> Instruction {
    build(
        acc::InitUsageShard {
            payer: *payer,
            engine: keys.engine,
            usage_shard: pda::usage_shard(&keys.engine, shard),
            usage_escrow: pda::usage_escrow(&keys.engine, shard),
            mint: keys.mint,
            token_program: keys.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::InitUsageShard { shard },
    )
}

/// User pays `amount` from `payer_tokens` as usage into shard `shard`'s
/// escrow (burned when the epoch closes), optionally attributed to `source`.
/// Writes only `payer_tokens`, the shard, its escrow and `source`. `source_record` is the epoch record of
/// the source's last epoch when that usage still has to be settled.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::record_usage(&keys, &a, &b, 0, 1_000, None, None);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn record_usage(
    keys: &EngineKeys,
    payer: &Pubkey,
    payer_tokens: &Pubkey,
    shard: u8,
    amount: u64,
    source: Option<Pubkey>,
    source_record: Option<Pubkey>,
) -> Instruction {
    build(
        acc::RecordUsage {
            payer: *payer,
            engine: keys.engine,
            usage_shard: pda::usage_shard(&keys.engine, shard),
            usage_escrow: pda::usage_escrow(&keys.engine, shard),
            mint: keys.mint,
            payer_tokens: *payer_tokens,
            source,
            source_record,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::RecordUsage { amount },
    )
}

/// Anyone closes `epoch`. The engine's `usage_shards` shard accounts follow
/// as read-only remaining accounts, in index order, then their escrows
/// (writable: burned) in the same order. With 16 shards the transaction
/// needs an address lookup table (see [`crate::lookup`]).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::close_epoch(&keys, &a, 0, 4);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn close_epoch(keys: &EngineKeys, payer: &Pubkey, epoch: u64, usage_shards: u8) -> Instruction {
    let mut instruction = build(
        acc::CloseEpoch {
            payer: *payer,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            epoch_record: pda::epoch_record(&keys.engine, epoch),
            mint: keys.mint,
            treasury: keys.treasury,
            reward_vault: keys.reward_vault,
            builder_vault: keys.builder_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::CloseEpoch { epoch },
    );
    instruction.accounts.extend(super::shard_metas(keys, usage_shards));
    instruction.accounts.extend((0..usage_shards).map(|i| AccountMeta::new(pda::usage_escrow(&keys.engine, i), false)));
    instruction
}

/// Builder registers source number `id` (the engine's current `source_count`).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::register_source(&keys, &a, 0);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn register_source(keys: &EngineKeys, builder: &Pubkey, id: u64) -> Instruction {
    build(
        acc::RegisterSource {
            builder: *builder,
            engine: keys.engine,
            source: pda::source(&keys.engine, id),
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::RegisterSource {},
    )
}

/// Builder claims `source`'s rewards into `destination`, settling first the
/// closed epochs it still holds usage of: `records` are their epoch records
/// (at most two; `coherence_sdk::ops::source_claim_records` finds them).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::claim_source_rewards(&keys, &a, &coherence_sdk::pda::source(&keys.engine, 0), &[], &b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn claim_source_rewards(
    keys: &EngineKeys,
    builder: &Pubkey,
    source: &Pubkey,
    records: &[Pubkey],
    destination: &Pubkey,
) -> Instruction {
    build(
        acc::ClaimSourceRewards {
            builder: *builder,
            engine: keys.engine,
            source: *source,
            source_record: records.first().copied(),
            source_record_b: records.get(1).copied(),
            mint: keys.mint,
            builder_vault: keys.builder_vault,
            destination: *destination,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ClaimSourceRewards {},
    )
}
