//! Token CPIs used by the handlers. Every movement uses the `*_checked`
//! variants, so SPL Token and Token-2022 behave alike.

use crate::state::Engine;
use anchor_lang::prelude::*;
use anchor_spl::token_interface::{self, BurnChecked, Mint, MintTo, TokenAccount, TokenInterface, TransferChecked};

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
    let signer: &[&[&[u8]]] = &[&seeds];
    let accounts = TransferChecked {
        from: vault.to_account_info(),
        mint: mint.to_account_info(),
        to: to.to_account_info(),
        authority: engine.to_account_info(),
    };
    token_interface::transfer_checked(
        CpiContext::new_with_signer(token_program.key(), accounts, signer),
        amount,
        mint.decimals,
    )
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
    let accounts = TransferChecked {
        from: from.to_account_info(),
        mint: mint.to_account_info(),
        to: to.clone(),
        authority: owner.to_account_info(),
    };
    token_interface::transfer_checked(CpiContext::new(token_program.key(), accounts), amount, mint.decimals)
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
