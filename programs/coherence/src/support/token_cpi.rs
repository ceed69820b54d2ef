//! Token CPIs used by the handlers. Every movement uses the `*_checked`
//! variants (and `MintTo`, whose mint is the engine's own), so SPL Token and
//! Token-2022 behave alike.
//!
//! The instructions are built here rather than through anchor-spl, which
//! encodes them with the token crate's general instruction encoder and sends
//! them with `invoke_signed`, whose check that no account the callee may
//! write is borrowed searches the account list for every key. Here the
//! accounts are in the instruction's order, which is known, and are checked
//! in it: a few hundred compute units less per CPI (the `cu` benchmark), the
//! same instructions (the tests below compare them with the token crate's).

use crate::state::{Engine, EngineView, Vaults};
use crate::support::token_layout::{Mint, TokenAccount};
use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::invoke_signed_unchecked;
use anchor_spl::token_interface::TokenInterface;

/// The token programs' instruction tags (SPL Token and Token-2022 share them).
const MINT_TO: u8 = 7;
const TRANSFER_CHECKED: u8 = 12;
const BURN_CHECKED: u8 = 15;

/// The engine PDA as the signer of a token CPI: an `Engine` account, or a
/// view of one that keeps the bump (`EngineView<Vaults>`).
pub trait EngineSigner<'info>: ToAccountInfo<'info> {
    /// Seeds to sign as the engine PDA.
    fn seeds(&self) -> [&[u8]; 3];
}

impl<'info> EngineSigner<'info> for Account<'info, Engine> {
    fn seeds(&self) -> [&[u8]; 3] {
        self.signer_seeds()
    }
}

impl<'info> EngineSigner<'info> for InterfaceAccount<'info, EngineView<Vaults>> {
    fn seeds(&self) -> [&[u8]; 3] {
        self.signer_seeds()
    }
}

/// Moves `amount` out of an engine-owned vault, signed by the engine PDA.
pub fn transfer_from_vault<'info>(
    engine: &impl EngineSigner<'info>,
    token_program: &Interface<'info, TokenInterface>,
    mint: &InterfaceAccount<'info, Mint>,
    vault: &InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    let seeds = engine.seeds();
    let accounts = [vault.to_account_info(), mint.to_account_info(), to.to_account_info(), engine.to_account_info()];
    let [from, mint_info, to, authority] = &accounts;
    let ix =
        transfer_checked_ix(token_program.key, [from.key, mint_info.key, to.key, authority.key], amount, mint.decimals);
    invoke_token(&ix, accounts, &[&seeds])
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
    let [from, mint_info, to, authority] = &accounts;
    let ix =
        transfer_checked_ix(token_program.key, [from.key, mint_info.key, to.key, authority.key], amount, mint.decimals);
    invoke_token(&ix, accounts, &[])
}

/// SPL Token's `TransferChecked` (instruction 12 in SPL Token and
/// Token-2022 alike: the amount, then the decimals; accounts source, mint
/// (read), destination, authority).
fn transfer_checked_ix(token_program: &Pubkey, keys: [&Pubkey; 4], amount: u64, decimals: u8) -> Instruction {
    let [from, mint, to, authority] = keys;
    let data = amount_data(TRANSFER_CHECKED, amount, Some(decimals));
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
    let accounts = [escrow.clone(), mint.to_account_info(), engine.to_account_info()];
    let [escrow, mint_info, authority] = &accounts;
    let ix = burn_checked_ix(token_program.key, [escrow.key, mint_info.key, authority.key], amount, mint.decimals);
    invoke_token(&ix, accounts, &[&seeds])
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
    let accounts = [mint.to_account_info(), vault.to_account_info(), engine.to_account_info()];
    let [mint, vault, authority] = &accounts;
    let ix = mint_to_ix(token_program.key, [mint.key, vault.key, authority.key], amount);
    invoke_token(&ix, accounts, &[&seeds])
}

/// `BurnChecked`: accounts source, mint (both written), authority.
fn burn_checked_ix(token_program: &Pubkey, keys: [&Pubkey; 3], amount: u64, decimals: u8) -> Instruction {
    let [from, mint, authority] = keys;
    Instruction {
        program_id: *token_program,
        accounts: vec![
            AccountMeta::new(*from, false),
            AccountMeta::new(*mint, false),
            AccountMeta::new_readonly(*authority, true),
        ],
        data: amount_data(BURN_CHECKED, amount, Some(decimals)),
    }
}

/// `MintTo`: accounts mint, destination (both written), authority.
fn mint_to_ix(token_program: &Pubkey, keys: [&Pubkey; 3], amount: u64) -> Instruction {
    let [mint, to, authority] = keys;
    Instruction {
        program_id: *token_program,
        accounts: vec![
            AccountMeta::new(*mint, false),
            AccountMeta::new(*to, false),
            AccountMeta::new_readonly(*authority, true),
        ],
        data: amount_data(MINT_TO, amount, None),
    }
}

/// The data of a token instruction that moves an amount: its tag, the
/// amount (little-endian) and, for a `*_checked` one, the mint's decimals.
#[inline(always)]
fn amount_data(tag: u8, amount: u64, decimals: Option<u8>) -> Vec<u8> {
    let mut data = Vec::with_capacity(10);
    data.push(tag);
    data.extend_from_slice(&amount.to_le_bytes());
    if let Some(decimals) = decimals {
        data.push(decimals);
    }
    data
}

/// Invokes the token program with `ix`, whose accounts are `accounts` in
/// order. First, what `invoke_signed` checks — that no account the callee
/// may write is borrowed here — made on each account against its own
/// entry of the instruction, instead of searching the list for every key
/// (about 230 compute units for four accounts).
#[inline(always)]
fn invoke_token<'info, const N: usize>(
    ix: &Instruction,
    accounts: [AccountInfo<'info>; N],
    signer: &[&[&[u8]]],
) -> Result<()> {
    debug_assert_eq!(accounts.len(), ix.accounts.len(), "one account per entry of the instruction");
    for (info, meta) in accounts.iter().zip(&ix.accounts) {
        if meta.is_writable {
            drop(info.try_borrow_mut_lamports()?);
            drop(info.try_borrow_mut_data()?);
        } else {
            drop(info.try_borrow_lamports()?);
            drop(info.try_borrow_data()?);
        }
    }
    invoke_signed_unchecked(ix, &accounts, signer).map_err(Into::into)
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_spl::token_2022::spl_token_2022::{self, instruction as spl};

    /// Each instruction built here is the token crate's, for both token
    /// programs, at the edges of the amount and the decimals.
    #[test]
    fn token_instructions_are_the_token_crates() {
        let [a, b, c, d] = [Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique(), Pubkey::new_unique()];
        for program in [anchor_spl::token::ID, spl_token_2022::ID] {
            for (amount, decimals) in [(0, 0), (1, 9), (u64::MAX, 6), (0x0102_0304_0506_0708, 255)] {
                let ours = transfer_checked_ix(&program, [&a, &b, &c, &d], amount, decimals);
                assert_eq!(ours, spl::transfer_checked(&program, &a, &b, &c, &d, &[], amount, decimals).unwrap());
                let ours = burn_checked_ix(&program, [&a, &b, &d], amount, decimals);
                assert_eq!(ours, spl::burn_checked(&program, &a, &b, &d, &[], amount, decimals).unwrap());
                let ours = mint_to_ix(&program, [&b, &a, &d], amount);
                assert_eq!(ours, spl::mint_to(&program, &b, &a, &d, &[], amount).unwrap());
            }
        }
    }
}
