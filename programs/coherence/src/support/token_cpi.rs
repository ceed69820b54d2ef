//! Token CPIs used by the handlers. Every movement uses the `*_checked`
//! variants, so SPL Token and Token-2022 behave alike.

use crate::state::Engine;
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::invoke_signed_unchecked;
use anchor_spl::token_interface::{self, BurnChecked, MintTo, TokenInterface};

/// Moves `amount` out of an engine-owned vault, signed by the engine PDA.
pub fn transfer_from_vault<'info>(
    engine: &Account<'info, Engine>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let seeds = engine.signer_seeds();
    let accounts = [vault.to_account_info(), mint.to_account_info(), to.to_account_info(), engine.to_account_info()];
    transfer_checked(token_program.key, accounts, amount, mint.decimals, &[&seeds])
}

/// Moves `amount` from a wallet's token account, signed by the wallet.
pub fn transfer_from_user<'info>(
    owner: &Signer<'info>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    from: &InterfaceAccount<'info, TokenAccount>,
    to: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let accounts = [from.to_account_info(), mint.to_account_info(), to.clone(), owner.to_account_info()];
    transfer_checked(token_program.key, accounts, amount, mint.decimals, &[])
}

/// SPL Token's `TransferChecked` (instruction 12 in SPL Token and
/// Token-2022 alike: the amount, then the decimals; accounts source, mint,
/// destination, authority), built directly: the same instruction
/// anchor-spl's `transfer_checked` builds through the token crate's
/// general encoder, which costs a few hundred compute units more.
fn transfer_checked<'info>(
    token_program: &Pubkey,
    [from, mint, to, authority]: [AccountInfo<'info>; 4],
    amount: u64,
    decimals: u8,
    signer: &[&[&[u8]]],
) -> Result<()> {
    let ix = transfer_checked_ix(token_program, [from.key, mint.key, to.key, authority.key], amount, decimals);
    // What `invoke_signed` checks before the call — that no account the
    // callee may write is borrowed here — made on the four accounts in
    // the instruction's order, which is known, instead of searching the
    // list for every account's key (about 230 compute units).
    for (info, writable) in [(&from, true), (&mint, false), (&to, true), (&authority, false)] {
        if writable {
            drop(info.try_borrow_mut_lamports()?);
            drop(info.try_borrow_mut_data()?);
        } else {
            drop(info.try_borrow_lamports()?);
            drop(info.try_borrow_data()?);
        }
    }
    invoke_signed_unchecked(&ix, &[from, mint, to, authority], signer).map_err(Into::into)
}

/// The `TransferChecked` instruction itself.
fn transfer_checked_ix(token_program: &Pubkey, keys: [&Pubkey; 4], amount: u64, decimals: u8) -> Instruction {
    const TRANSFER_CHECKED: u8 = 12;
    let [from, mint, to, authority] = keys;
    let mut data = Vec::with_capacity(10);
    data.push(TRANSFER_CHECKED);
    data.extend_from_slice(&amount.to_le_bytes());
    data.push(decimals);
    Instruction {
        program_id: *token_program,
        accounts: vec![
            AccountMeta::new(*from, false),
            AccountMeta::new_readonly(*mint, false),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(*authority, true),
        ],
        data,
    }
}

/// Burns `amount` from an engine-owned usage escrow, signed by the engine
/// PDA. Only `close_epoch` calls this.
pub fn burn_escrow<'info>(
    engine: &Account<'info, Engine>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    escrow: &AccountInfo<'info>,
    amount: u64,
) -> Result<()> {
    let seeds = engine.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let accounts =
        BurnChecked { mint: mint.to_account_info(), from: escrow.clone(), authority: engine.to_account_info() };
    token_interface::burn_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, signer),
        amount,
        mint.decimals,
    )
}

/// Mints `amount` into an engine vault, signed by the engine PDA (the mint
/// authority). Only `close_epoch` calls this (I1, I4).
pub fn mint_to_vault<'info>(
    engine: &Account<'info, Engine>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    if amount == 0 {
        return Ok(());
    }
    let seeds = engine.signer_seeds();
    let signer: &[&[&[u8]]] = &[&seeds];
    let accounts =
        MintTo { mint: mint.to_account_info(), to: vault.to_account_info(), authority: engine.to_account_info() };
    token_interface::mint_to(CpiContext::new_with_signer(token_program.key(), accounts, signer), amount)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_2022::spl_token_2022;

    /// The direct encoding is the token crate's, for both token programs.
    #[test]
    fn transfer_checked_is_the_token_programs_instruction() {
        let keys = [Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique()];
        for program in [anchor_spl::token::ID, spl_token_2022::ID] {
            for (amount, decimals) in [(0, 0), (1, 9), (u64::MAX, 6), (0x0102_0304_0506_0708, 255)] {
                let ours = transfer_checked_ix(&program, [&keys[0], &keys[1], &keys[2], &keys[3]], amount, decimals);
                let theirs = spl_token_2022::instruction::transfer_checked(
                    &program,
                    &keys[0],
                    &keys[1],
                    &keys[2],
                    &keys[3],
                    &[],
                    amount,
                    decimals,
                )
                .unwrap();
                assert_eq!(ours, theirs);
            }
        }
    }
}
