//! Governance: genesis, parameters, the authority transfer, pause and the treasury.

use super::{build, event_authority};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;
use coherence::instructions::InitEngineArgs;
use coherence::math::Params;
use coherence::{accounts as acc, instruction as ix};

use crate::pda::EngineKeys;

/// Genesis. Accounts: `[w,s] payer, [s] mint_authority, [w] mint, [w] engine,
/// [w] stake_pool, [w] stake_vault, [w] reward_vault, [w] treasury,
/// [w] vesting_vault, [w] builder_vault, token_program, system_program`.
///
/// ```
/// use anchor_lang::prelude::Pubkey;
/// # fn params() -> coherence::math::Params { unimplemented!() }
/// let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let payer = Pubkey::new_unique();
/// # if false {
/// let args = coherence::instructions::InitEngineArgs {
///     authority: payer, epoch_secs: 86_400, usage_shards: 4, max_supply: 1_000_000, params: params(),
///     time_only_budget: 100_000,
/// };
/// let ix = coherence_sdk::instructions::initialize_engine(&keys, &payer, &payer, args);
/// assert_eq!(ix.program_id, coherence::ID);
/// # }
/// ```
pub fn initialize_engine(
    keys: &EngineKeys,
    payer: &Pubkey,
    mint_authority: &Pubkey,
    args: InitEngineArgs,
) -> Instruction {
    build(
        acc::InitializeEngine {
            payer: *payer,
            mint_authority: *mint_authority,
            mint: keys.mint,
            engine: keys.engine,
            stake_pool: keys.stake_pool,
            stake_vault: keys.stake_vault,
            reward_vault: keys.reward_vault,
            treasury: keys.treasury,
            vesting_vault: keys.vesting_vault,
            builder_vault: keys.builder_vault,
            token_program: keys.token_program,
            system_program: system_program::ID,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::InitializeEngine { args },
    )
}

/// Authority proposes parameters. Accounts: `[s] authority, [w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::propose_params(&keys, &a, coherence_sdk::defaults::params(1_000));
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn propose_params(keys: &EngineKeys, authority: &Pubkey, params: Params) -> Instruction {
    build(
        acc::ProposeParams {
            authority: *authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ProposeParams { params },
    )
}

/// Authority cancels the pending proposal. Accounts: `[s] authority, [w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::cancel_params(&keys, &a);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn cancel_params(keys: &EngineKeys, authority: &Pubkey) -> Instruction {
    build(
        acc::CancelParams {
            authority: *authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::CancelParams {},
    )
}

/// Anyone applies due parameters. Accounts: `[w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::apply_params(&keys);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn apply_params(keys: &EngineKeys) -> Instruction {
    build(
        acc::ApplyParams { engine: keys.engine, event_authority: event_authority(), program: coherence::ID },
        ix::ApplyParams {},
    )
}

/// Authority names its successor. Accounts: `[s] authority, [w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::propose_authority(&keys, &a, b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn propose_authority(keys: &EngineKeys, authority: &Pubkey, new_authority: Pubkey) -> Instruction {
    build(
        acc::ProposeAuthority {
            authority: *authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::ProposeAuthority { new_authority },
    )
}

/// Successor takes over. Accounts: `[s] new_authority, [w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::accept_authority(&keys, &b);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn accept_authority(keys: &EngineKeys, new_authority: &Pubkey) -> Instruction {
    build(
        acc::AcceptAuthority {
            new_authority: *new_authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::AcceptAuthority {},
    )
}

/// Authority pauses or resumes. Accounts: `[s] authority, [w] engine`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::set_pause(&keys, &a, true);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn set_pause(keys: &EngineKeys, authority: &Pubkey, paused: bool) -> Instruction {
    build(
        acc::SetPause {
            authority: *authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::SetPause { paused },
    )
}

/// Anyone deposits into the treasury. Accounts: `[s] depositor, engine, mint,
/// [w] from, [w] treasury, token_program`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let (a, b) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ix = coherence_sdk::instructions::deposit_treasury(&keys, &a, &b, 1_000);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn deposit_treasury(keys: &EngineKeys, depositor: &Pubkey, from: &Pubkey, amount: u64) -> Instruction {
    build(
        acc::DepositTreasury {
            depositor: *depositor,
            engine: keys.engine,
            mint: keys.mint,
            from: *from,
            treasury: keys.treasury,
            token_program: keys.token_program,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::DepositTreasury { amount },
    )
}

/// Authority lowers the engine's time-only budget to `budget`.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// let ix = coherence_sdk::instructions::lower_time_only_budget(&keys, &Pubkey::new_unique(), 1_000);
/// assert_eq!(ix.program_id, coherence::ID);
/// ```
pub fn lower_time_only_budget(keys: &EngineKeys, authority: &Pubkey, budget: u64) -> Instruction {
    build(
        acc::LowerTimeOnlyBudget {
            authority: *authority,
            engine: keys.engine,
            event_authority: event_authority(),
            program: coherence::ID,
        },
        ix::LowerTimeOnlyBudget { budget },
    )
}
