//! Creating PDA accounts that cannot be blocked by a griefer.
//!
//! Every PDA address here is predictable (engine from the mint, vesting and
//! source ids from counters, epoch records from the epoch number). Anyone can
//! send lamports to such an address before it exists; `create_account` then
//! fails and the address would be unusable forever. So a prefunded address is
//! completed with transfer + allocate + assign instead, which works on every
//! runtime. An address that already holds data or belongs to another program
//! is refused with `AccountAlreadyInitialized`.

use crate::errors::CoherenceError;
use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};
use anchor_spl::token_interface::{self, InitializeAccount3};

/// Creates `target` (a PDA signed by `seeds`) with `space` bytes owned by `owner`.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    seeds: &[&[u8]],
) -> Result<()> {
    let signer: &[&[&[u8]]] = &[seeds];
    let rent = Rent::get()?.minimum_balance(space);
    let current = target.lamports();
    if current == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: target.clone() };
        return system_program::create_account(
            CpiContext::new_with_signer(system.key(), accounts, signer),
            rent,
            space as u64,
            owner,
        );
    }
    require!(target.data_is_empty() && *target.owner == system_program::ID, CoherenceError::AccountAlreadyInitialized);
    if rent > current {
        let accounts = Transfer { from: payer.clone(), to: target.clone() };
        system_program::transfer(CpiContext::new(system.key(), accounts), rent.saturating_sub(current))?;
    }
    let accounts = Allocate { account_to_allocate: target.clone() };
    system_program::allocate(CpiContext::new_with_signer(system.key(), accounts, signer), space as u64)?;
    let accounts = Assign { account_to_assign: target.clone() };
    system_program::assign(CpiContext::new_with_signer(system.key(), accounts, signer), owner)
}

/// Creates a program account at `target` and writes `value` (with its
/// discriminator) into it.
pub fn init_program_account<'info, T: AccountSerialize + Space + Discriminator>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    seeds: &[&[u8]],
    value: &T,
) -> Result<()> {
    let space = T::INIT_SPACE.saturating_add(T::DISCRIMINATOR.len());
    create_pda(payer, target, system, space, &crate::ID, seeds)?;
    let mut data = target.try_borrow_mut_data()?;
    let mut cursor: &mut [u8] = &mut data;
    value.try_serialize(&mut cursor)
}

/// Creates a token account at `target` for `mint`, owned by `authority`.
/// Accepted mints need no account extensions, so the base length suffices.
pub fn init_token_account<'info>(
    payer: &AccountInfo<'info>,
    target: &AccountInfo<'info>,
    system: &AccountInfo<'info>,
    token_program: &AccountInfo<'info>,
    mint: &AccountInfo<'info>,
    authority: &AccountInfo<'info>,
    seeds: &[&[u8]],
) -> Result<()> {
    use anchor_lang::solana_program::program_pack::Pack;
    let len = anchor_spl::token_2022::spl_token_2022::state::Account::LEN;
    create_pda(payer, target, system, len, token_program.key, seeds)?;
    let accounts = InitializeAccount3 { account: target.clone(), mint: mint.clone(), authority: authority.clone() };
    token_interface::initialize_account3(CpiContext::new(token_program.key(), accounts))
}

/// Reads the program account `T` at `target`, lets `change` update it and
/// writes it back in place (its size never changes). The account must be
/// this program's (`AccountOwnedByWrongProgram`) and a `T` (its discriminator).
pub fn update_program_account<T: AccountSerialize + AccountDeserialize>(
    target: &AccountInfo,
    change: impl FnOnce(&mut T),
) -> Result<()> {
    require_keys_eq!(*target.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let mut data = target.try_borrow_mut_data()?;
    let mut value = T::try_deserialize(&mut &data[..])?;
    change(&mut value);
    let mut cursor: &mut [u8] = &mut data;
    value.try_serialize(&mut cursor)
}
