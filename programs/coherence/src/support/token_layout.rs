//! SPL Token accounts and mints, read by their fixed layout.
//!
//! `InterfaceAccount<'info, TokenAccount>` and `InterfaceAccount<'info, Mint>`
//! with these types in place of anchor-spl's: the same owner check (SPL Token
//! or Token-2022), the same accounts accepted, the same errors, but only the
//! fields the program reads are copied out of the account data. anchor-spl's
//! types unpack the whole base state through Token-2022's `Pack` code and
//! copy it twice (about 300 compute units per account on the SBF build);
//! these read a few bytes at fixed offsets.
//!
//! What is accepted is exactly what Token-2022's
//! `StateWithExtensions::unpack` accepts (the test below compares the two
//! over random and edited account data), and a refusal is that function's
//! own error: the fast path only decides acceptance, and on refusal the
//! account is handed to Token-2022's unpack for the error value.
//!
//! Layouts (both token programs; Token-2022's extensions follow the base):
//! an account is `mint` 0..32, `owner` 32..64, `amount` 64..72, `delegate`
//! COption 72..108, `state` 108, `is_native` COption<u64> 109..121,
//! `delegated_amount` 121..129, `close_authority` COption 129..165; a mint
//! is `mint_authority` COption 0..36, `supply` 36..44, `decimals` 44,
//! `is_initialized` 45, `freeze_authority` COption 46..82. An account with
//! extensions carries its account type at byte 165 (a mint is padded with
//! zeros up to it).

use anchor_lang::prelude::*;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token_2022::spl_token_2022::{
    self,
    extension::{BaseState, StateWithExtensions},
};

/// Base account length, and the length no token account may have (a multisig's).
const ACCOUNT_LEN: usize = 165;
const MINT_LEN: usize = 82;
const MULTISIG_LEN: usize = 355;
/// Token-2022's `AccountType` byte at offset 165 of an extended account.
const TYPE_MINT: u8 = 1;
const TYPE_ACCOUNT: u8 = 2;

/// The two token programs, as anchor-spl's `token_interface` lists them.
static TOKEN_PROGRAMS: [Pubkey; 2] = [anchor_spl::token::ID, spl_token_2022::ID];

/// A token account of SPL Token or Token-2022: the fields the program reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TokenAccount {
    pub mint: Pubkey,
    pub owner: Pubkey,
    pub amount: u64,
}

/// A mint of SPL Token or Token-2022: the fields the program reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Mint {
    pub supply: u64,
    pub decimals: u8,
}

fn bytes<const N: usize>(data: &[u8], at: usize) -> Option<[u8; N]> {
    data.get(at..)?.first_chunk::<N>().copied()
}

/// A `COption` tag (4 bytes, little-endian 0 or 1) is valid.
fn coption_ok(data: &[u8], at: usize) -> bool {
    matches!(bytes::<4>(data, at), Some([0 | 1, 0, 0, 0]))
}

/// Token-2022's rule for the bytes after a base state of `base` bytes:
/// none, or zero padding up to byte 165 and then the account type `kind`.
fn extensions_ok(data: &[u8], base: usize, kind: u8) -> bool {
    if data.len() == MULTISIG_LEN || data.len() < base {
        return false;
    }
    data.len() == base
        || (data.len() > ACCOUNT_LEN && data[base..ACCOUNT_LEN].iter().all(|b| *b == 0) && data[ACCOUNT_LEN] == kind)
}

impl TokenAccount {
    /// The account's fields, when Token-2022's unpack would accept `data`.
    pub fn read(data: &[u8]) -> Option<Self> {
        let state_ok = matches!(data.get(108), Some(1 | 2)); // initialized or frozen
        let ok = extensions_ok(data, ACCOUNT_LEN, TYPE_ACCOUNT)
            && state_ok
            && coption_ok(data, 72)
            && coption_ok(data, 109)
            && coption_ok(data, 129);
        ok.then(|| TokenAccount {
            mint: Pubkey::new_from_array(bytes(data, 0).unwrap_or_default()),
            owner: Pubkey::new_from_array(bytes(data, 32).unwrap_or_default()),
            amount: u64::from_le_bytes(bytes(data, 64).unwrap_or_default()),
        })
    }
}

impl Mint {
    /// The mint's fields, when Token-2022's unpack would accept `data`.
    pub fn read(data: &[u8]) -> Option<Self> {
        let ok = extensions_ok(data, MINT_LEN, TYPE_MINT)
            && data.get(45) == Some(&1) // is_initialized
            && coption_ok(data, 0)
            && coption_ok(data, 46);
        ok.then(|| Mint {
            supply: u64::from_le_bytes(bytes(data, 36).unwrap_or_default()),
            decimals: data.get(44).copied().unwrap_or_default(),
        })
    }
}

/// Token-2022's error for data the fast path refused.
#[cold]
fn refusal<S: BaseState + Pack>(data: &[u8]) -> Error {
    match StateWithExtensions::<S>::unpack(data) {
        Err(e) => e.into(),
        Ok(_) => ProgramError::InvalidAccountData.into(),
    }
}

impl AccountDeserialize for TokenAccount {
    fn try_deserialize_unchecked(buf: &mut &[u8]) -> Result<Self> {
        Self::read(buf).ok_or_else(|| refusal::<spl_token_2022::state::Account>(buf))
    }
}

impl AccountDeserialize for Mint {
    fn try_deserialize_unchecked(buf: &mut &[u8]) -> Result<Self> {
        Self::read(buf).ok_or_else(|| refusal::<spl_token_2022::state::Mint>(buf))
    }
}

/// Never written by this program (the token program writes them).
impl AccountSerialize for TokenAccount {}
impl AccountSerialize for Mint {}

impl Owners for TokenAccount {
    fn owners() -> &'static [Pubkey] {
        &TOKEN_PROGRAMS
    }
}

impl Owners for Mint {
    fn owners() -> &'static [Pubkey] {
        &TOKEN_PROGRAMS
    }
}

// The IDL lists no type for accounts owned by another program; the IDL
// build only needs the traits (as anchor-spl's own wrappers do).
#[cfg(feature = "idl-build")]
mod idl {
    use super::{Mint, TokenAccount};
    impl anchor_lang::IdlBuild for TokenAccount {}
    impl anchor_lang::IdlBuild for Mint {}
    impl anchor_lang::Discriminator for TokenAccount {
        const DISCRIMINATOR: &'static [u8] = &[];
    }
    impl anchor_lang::Discriminator for Mint {
        const DISCRIMINATOR: &'static [u8] = &[];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spl_token_2022::state::{Account as SplAccount, Mint as SplMint};

    /// xorshift bytes, mostly 0 and 1 so that tags are often valid.
    fn fill(seed: &mut u64, out: &mut [u8]) {
        for b in out.iter_mut() {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *b = match *seed % 8 {
                0..=3 => 0,
                4 | 5 => 1,
                6 => 2,
                _ => (*seed >> 8) as u8,
            };
        }
    }

    /// Data near the valid shapes: every length that matters; in two of
    /// three samples the `COption` tags and the state byte made valid (then
    /// one random byte among them spoiled in some), the padding and account
    /// type set right or wrong.
    fn samples(base: usize, kind: u8, tags: &[usize], state_at: usize) -> Vec<Vec<u8>> {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut out = Vec::new();
        for len in [0, 1, base - 1, base, base + 1, ACCOUNT_LEN, ACCOUNT_LEN + 1, ACCOUNT_LEN + 9, MULTISIG_LEN, 400] {
            for i in 0..600usize {
                let mut data = vec![0u8; len];
                fill(&mut seed, &mut data);
                if i % 3 != 0 && len >= base {
                    for &t in tags {
                        data[t..t + 4].copy_from_slice(&[(i / 3 % 2) as u8, 0, 0, 0]);
                    }
                    data[state_at] = 1 + (i % 2) as u8;
                    if i % 5 == 0 {
                        data[tags[i % tags.len()] + i % 4] = 2;
                    }
                }
                if i % 2 == 0 && len > ACCOUNT_LEN {
                    data[base..ACCOUNT_LEN].fill(0);
                    data[ACCOUNT_LEN] = if i % 4 == 0 { kind } else { 3 - kind };
                }
                out.push(data);
            }
        }
        out
    }

    #[test]
    fn token_accounts_are_read_as_token_2022_unpacks_them() {
        let mut accepted = 0;
        for data in samples(ACCOUNT_LEN, TYPE_ACCOUNT, &[72, 109, 129], 108) {
            let spl = StateWithExtensions::<SplAccount>::unpack(&data);
            let ours = TokenAccount::try_deserialize_unchecked(&mut &data[..]);
            match (spl, ours) {
                (Ok(spl), Ok(ours)) => {
                    accepted += 1;
                    assert_eq!((ours.mint, ours.owner, ours.amount), (spl.base.mint, spl.base.owner, spl.base.amount));
                }
                (Err(spl), Err(ours)) => assert_eq!(ours, Error::from(spl), "{data:?}"),
                (spl, ours) => panic!("disagree on {data:?}: spl {:?}, ours {ours:?}", spl.map(|s| s.base)),
            }
        }
        assert!(accepted > 100, "{accepted} accepted samples");
    }

    #[test]
    fn mints_are_read_as_token_2022_unpacks_them() {
        let mut accepted = 0;
        for data in samples(MINT_LEN, TYPE_MINT, &[0, 46], 45) {
            let spl = StateWithExtensions::<SplMint>::unpack(&data);
            let ours = Mint::try_deserialize_unchecked(&mut &data[..]);
            match (spl, ours) {
                (Ok(spl), Ok(ours)) => {
                    accepted += 1;
                    assert_eq!((ours.supply, ours.decimals), (spl.base.supply, spl.base.decimals));
                }
                (Err(spl), Err(ours)) => assert_eq!(ours, Error::from(spl), "{data:?}"),
                (spl, ours) => panic!("disagree on {data:?}: spl {:?}, ours {ours:?}", spl.map(|s| s.base)),
            }
        }
        assert!(accepted > 100, "{accepted} accepted samples");
    }
}
