//! Token accounts, mints and balances of the engine's mint (SPL Token or
//! Token-2022 layouts).

use crate::client::{Client, ClientError, ClientResult};
use crate::EngineKeys;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::associated_token::{get_associated_token_address_with_program_id, spl_associated_token_account};
use solana_signer::Signer;

/// The wallet's associated token account of the engine's mint.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let a = Pubkey::new_unique();
/// let x = coherence_sdk::ops::ata(&keys, &a);
/// # let _ = x;
/// ```
pub fn ata(keys: &EngineKeys, owner: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, &keys.mint, &keys.token_program)
}

/// Creates `owner`'s associated token account if it does not exist (idempotent).
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// # let keys = coherence_sdk::EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
/// # let a = Pubkey::new_unique();
/// let x = coherence_sdk::ops::create_ata_ix(&keys, &a, &a);
/// # let _ = x;
/// ```
pub fn create_ata_ix(
    keys: &EngineKeys,
    payer: &Pubkey,
    owner: &Pubkey,
) -> anchor_lang::solana_program::instruction::Instruction {
    spl_associated_token_account::instruction::create_associated_token_account_idempotent(
        payer,
        owner,
        &keys.mint,
        &keys.token_program,
    )
}

/// The wallet's associated token account of the engine's mint (created if missing).
///
/// ```no_run
/// # use anchor_lang::prelude::Pubkey;
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// # use solana_signer::Signer;
/// let me = client.payer().pubkey();
/// let tokens = coherence_sdk::ops::ensure_ata(client, &keys, &me).await?;
/// # Ok(()) }
/// ```
pub async fn ensure_ata(client: &mut Client, keys: &EngineKeys, owner: &Pubkey) -> ClientResult<Pubkey> {
    let ata = get_associated_token_address_with_program_id(owner, &keys.mint, &keys.token_program);
    if client.account(&ata).await?.is_none() {
        let payer = client.payer().pubkey();
        let create = spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            &payer,
            owner,
            &keys.mint,
            &keys.token_program,
        );
        client.send(&[create], &[]).await?;
    }
    Ok(ata)
}

/// The instructions that create a mint (`mint` must sign; `payer` becomes its
/// mint authority), the payer's associated token account, and mint `supply`
/// base units into it. Genesis hands the authority to the engine afterwards.
///
/// ```
/// # use anchor_lang::prelude::Pubkey;
/// let (payer, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let ixs = coherence_sdk::ops::create_mint_ixs(&payer, &mint, &anchor_spl::token::ID, 6, 1_000_000).unwrap();
/// assert_eq!(ixs.len(), 4);
/// ```
pub fn create_mint_ixs(
    payer: &Pubkey,
    mint: &Pubkey,
    token_program: &Pubkey,
    decimals: u8,
    supply: u64,
) -> ClientResult<Vec<Instruction>> {
    use anchor_spl::token_2022::spl_token_2022 as t22;
    /// Rent-exempt minimum of an 82-byte mint.
    const MINT_RENT: u64 = 1_461_600;
    let ata = get_associated_token_address_with_program_id(payer, mint, token_program);
    let bad = |e: anchor_lang::solana_program::program_error::ProgramError| ClientError::Decode(e.to_string());
    Ok(vec![
        solana_system_interface::instruction::create_account(payer, mint, MINT_RENT, 82, token_program),
        t22::instruction::initialize_mint2(token_program, mint, payer, None, decimals).map_err(bad)?,
        spl_associated_token_account::instruction::create_associated_token_account_idempotent(
            payer,
            payer,
            mint,
            token_program,
        ),
        t22::instruction::mint_to_checked(token_program, mint, &ata, payer, &[], supply, decimals).map_err(bad)?,
    ])
}

/// A token account's balance (SPL Token or Token-2022 layout); 0 when the
/// account does not exist.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let in_treasury = coherence_sdk::ops::token_balance(client, &keys.treasury).await?;
/// # Ok(()) }
/// ```
pub async fn token_balance(client: &mut Client, account: &Pubkey) -> ClientResult<u64> {
    match client.account(account).await? {
        None => Ok(0),
        Some(a) => a
            .data
            .get(64..72)
            .and_then(|b| b.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or_else(|| ClientError::Decode(format!("{account} is not a token account"))),
    }
}

/// A mint's supply in base units.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let supply = coherence_sdk::ops::mint_supply(client, &keys.mint).await?;
/// # Ok(()) }
/// ```
pub async fn mint_supply(client: &mut Client, mint: &Pubkey) -> ClientResult<u64> {
    let a = client.account(mint).await?.ok_or_else(|| ClientError::Decode(format!("mint {mint} does not exist")))?;
    a.data
        .get(36..44)
        .and_then(|b| b.try_into().ok())
        .map(u64::from_le_bytes)
        .ok_or_else(|| ClientError::Decode(format!("{mint} is not a mint")))
}
