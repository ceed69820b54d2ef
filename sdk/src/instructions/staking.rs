//! Staking positions and the reward stream.

use super::{build, event_authority};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use coherence::{accounts as acc, instruction as ix};

use crate::pda::{self, EngineKeys};

/// Owner opens position `id`, paying `amount` from `from`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::open_position(&keys, &a, &b, 0, 1_000, 7 * 86_400);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn open_position(
    keys: &EngineKeys,
    owner: &Pubkey,
    from: &Pubkey,
    id: u64,
    amount: u64,
    lock_secs: u64,
) -> Instruction {
    build(
        acc::OpenPosition {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: pda::position(&keys.engine, owner, id),
            mint: keys.mint,
            from: *from,
            stake_vault: keys.stake_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::OpenPosition { id, amount, lock_secs },
    )
}

/// Owner adds `amount` to `position`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::add_to_position(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), &b, 1_000);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn add_to_position(
    keys: &EngineKeys,
    owner: &Pubkey,
    position: &Pubkey,
    from: &Pubkey,
    amount: u64,
) -> Instruction {
    build(
        acc::AddToPosition {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            mint: keys.mint,
            from: *from,
            stake_vault: keys.stake_vault,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::AddToPosition { amount },
    )
}

/// Owner lengthens the lock of `position` to `lock_secs`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::extend_lock(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), 14 * 86_400);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn extend_lock(keys: &EngineKeys, owner: &Pubkey, position: &Pubkey, lock_secs: u64) -> Instruction {
    build(
        acc::ExtendLock {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ExtendLock { lock_secs },
    )
}

/// Owner starts unbonding `position`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::start_unbond(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn start_unbond(keys: &EngineKeys, owner: &Pubkey, position: &Pubkey) -> Instruction {
    start_unbond_voting(keys, owner, position, None)
}

/// [`start_unbond`] on an engine whose holders vote: `token_owner_record`
/// is the owner's record in the engine's realm
/// ([`crate::pda::token_owner_record`]), required once voting is applied.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, r) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::start_unbond_voting(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), Some(r));
/// assert_eq!(ix.accounts[4].pubkey, r);
/// ```
pub fn start_unbond_voting(
    keys: &EngineKeys,
    owner: &Pubkey,
    position: &Pubkey,
    token_owner_record: Option<Pubkey>,
) -> Instruction {
    build(
        acc::StartUnbond {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            token_owner_record,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::StartUnbond {},
    )
}

/// Owner withdraws the principal of an unbonded `position` to `destination`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::withdraw(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), &b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn withdraw(keys: &EngineKeys, owner: &Pubkey, position: &Pubkey, destination: &Pubkey) -> Instruction {
    withdraw_voting(keys, owner, position, destination, None)
}

/// [`withdraw`] on an engine whose holders vote (see [`start_unbond_voting`]).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b, r) = (Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::withdraw_voting(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), &b, Some(r));
/// assert_eq!(ix.accounts[8].pubkey, r);
/// ```
pub fn withdraw_voting(
    keys: &EngineKeys,
    owner: &Pubkey,
    position: &Pubkey,
    destination: &Pubkey,
    token_owner_record: Option<Pubkey>,
) -> Instruction {
    build(
        acc::Withdraw {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            mint: keys.mint,
            stake_vault: keys.stake_vault,
            destination: *destination,
            token_program: keys.token_program,
            token_owner_record,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::Withdraw {},
    )
}

/// Owner claims (or restakes) the rewards of `position`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::claim_rewards(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0), &b, false);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn claim_rewards(
    keys: &EngineKeys,
    owner: &Pubkey,
    position: &Pubkey,
    destination: &Pubkey,
    restake: bool,
) -> Instruction {
    build(
        acc::ClaimRewards {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            mint: keys.mint,
            reward_vault: keys.reward_vault,
            stake_vault: keys.stake_vault,
            destination: *destination,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ClaimRewards { restake },
    )
}

/// Owner closes an empty `position`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::close_position(&keys, &a, &coherence_sdk::pda::position(&keys.engine, &a, 0));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn close_position(keys: &EngineKeys, owner: &Pubkey, position: &Pubkey) -> Instruction {
    build(
        acc::ClosePosition {
            owner: *owner,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            position: *position,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ClosePosition {},
    )
}

/// Anyone adds `amount` from `from` to the reward stream.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::fund_rewards(&keys, &a, &b, 1_000);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn fund_rewards(keys: &EngineKeys, funder: &Pubkey, from: &Pubkey, amount: u64) -> Instruction {
    build(
        acc::FundRewards {
            funder: *funder,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            mint: keys.mint,
            from: *from,
            reward_vault: keys.reward_vault,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::FundRewards { amount },
    )
}
