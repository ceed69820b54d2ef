//! The engine as the hottest user instructions read it: the few fields they
//! use, taken from the `Engine` account's bytes, instead of the whole
//! account decoded and moved into its box.
//!
//! `record_usage`, `open_position` and `add_to_position` only read the
//! engine, and use eight of its 33 fields. `Box<Account<Engine>>` decodes
//! all 656 bytes and moves them twice on the way into the box (measured on
//! the SBF build: about 900 compute units of `record_usage`, with the
//! engine's constraints). [`EngineView`] walks the same encoding, keeps
//! those eight fields and skips the rest; it is taken as
//! `Box<InterfaceAccount<EngineView>>`, whose owner check is the program.
//!
//! It is the same account, not a new one: the same owner, discriminator and
//! bytes, and in the IDL the same account and type (`Engine`'s). It accepts
//! exactly the data `Engine` accepts — the walk checks every `bool` and
//! `Option` tag of the encoding, the only bytes that can make Borsh refuse
//! — with the same errors, and reads the same values: the tests below
//! compare both over random data and every truncation. It is read-only:
//! it has no way to be written back (written, it refuses), so it is never
//! declared `mut`.

use crate::layout::{Field, Read, Reader, Unchecked};
use crate::math::Params;
use crate::state::Engine;
use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_lang::{Discriminator, Space};

/// The fields of an [`Engine`] that `record_usage`, `open_position` and
/// `add_to_position` read (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineView {
    /// [`Engine::mint`].
    pub mint: Pubkey,
    /// [`Engine::token_program`].
    pub token_program: Pubkey,
    /// [`Engine::paused`].
    pub paused: bool,
    /// [`Engine::epoch_secs`].
    pub epoch_secs: u64,
    /// [`Engine::genesis_ts`].
    pub genesis_ts: i64,
    /// [`Engine::params`].
    pub params: Params,
    /// [`Engine::next_epoch`].
    pub next_epoch: u64,
    /// [`Engine::stake_vault`].
    pub stake_vault: Pubkey,
}

impl EngineView {
    /// The epoch containing `now` ([`Engine::epoch_at`]).
    pub fn epoch_at(&self, now: i64) -> u64 {
        super::engine::epoch_at(self.genesis_ts, self.epoch_secs, now)
    }

    /// The view of a decoded engine.
    #[cfg(test)]
    fn of(engine: &Engine) -> Self {
        EngineView {
            mint: engine.mint,
            token_program: engine.token_program,
            paused: engine.paused,
            epoch_secs: engine.epoch_secs,
            genesis_ts: engine.genesis_ts,
            params: engine.params,
            next_epoch: engine.next_epoch,
            stake_vault: engine.stake_vault,
        }
    }

    /// Walks `Engine`'s encoding (after the discriminator) in its field
    /// order, keeping the view's fields and skipping the others; `None`
    /// where `Engine`'s decode refuses: a `bool` or `Option` tag other than
    /// 0 or 1, or data too short.
    #[inline(always)]
    fn read<R: Read>(r: &mut R) -> Option<Self> {
        const KEY: usize = 32;
        r.skip(1 + 1)?; // version, bump
        let mint = Pubkey::get(r)?;
        let token_program = Pubkey::get(r)?;
        r.skip(KEY)?; // authority
        skip_option(r, KEY)?; // pending_authority
        let paused = bool::get(r)?;
        let epoch_secs = u64::get(r)?;
        r.skip(1 + 8)?; // usage_shards, max_supply
        let genesis_ts = i64::get(r)?;
        let params = Params::get(r)?;
        skip_option(r, Params::INIT_SPACE)?; // pending_params
        r.skip(8)?; // pending_eta
        let next_epoch = u64::get(r)?;
        r.skip(8 + 8 + 16 + 16)?; // baseline, cap, total_emitted, total_usage_burned
        let stake_vault = Pubkey::get(r)?;
        // reward_vault, treasury, vesting_vault, builder_vault, vesting_count,
        // source_count, gated_rate_bps, recent_usage, time_only_budget,
        // time_only_used, time_only_scanned
        r.skip(4 * KEY + 8 + 8 + 2 + 2 * 8 + 8 + 8 + 8)?;
        bool::get(r)?; // time_only_synced
        r.skip(KEY + KEY + 5)?; // voting_realm, voting_program, reserved
        Some(EngineView { mint, token_program, paused, epoch_secs, genesis_ts, params, next_epoch, stake_vault })
    }
}

/// Skips an `Option` of a `size`-byte value: its tag (0 or 1, as Borsh
/// requires), then the value if there is one.
#[inline(always)]
fn skip_option<R: Read>(r: &mut R, size: usize) -> Option<()> {
    match r.bytes::<1>()? {
        [0] => Some(()),
        [1] => r.skip(size),
        _ => None,
    }
}

impl Discriminator for EngineView {
    const DISCRIMINATOR: &'static [u8] = Engine::DISCRIMINATOR;
}

/// The program, the only owner of an engine.
static OWNER: [Pubkey; 1] = [crate::ID];

impl anchor_lang::Owners for EngineView {
    fn owners() -> &'static [Pubkey] {
        &OWNER
    }
}

impl AccountDeserialize for EngineView {
    /// `Engine`'s checks and errors.
    fn try_deserialize(buf: &mut &[u8]) -> Result<Self> {
        let Some(given) = buf.get(..Engine::DISCRIMINATOR.len()) else {
            return Err(ErrorCode::AccountDiscriminatorNotFound.into());
        };
        if given != Engine::DISCRIMINATOR {
            return Err(error!(ErrorCode::AccountDiscriminatorMismatch).with_account_name("Engine"));
        }
        Self::try_deserialize_unchecked(buf)
    }

    fn try_deserialize_unchecked(buf: &mut &[u8]) -> Result<Self> {
        let data = buf.get(Engine::DISCRIMINATOR.len()..).unwrap_or_default();
        let view = if data.len() >= Engine::INIT_SPACE {
            // SAFETY: the data holds `Engine`'s largest encoding, the most `read` reads.
            Self::read(&mut unsafe { Unchecked::new(data) })
        } else {
            // A truncated engine (none that this program creates): every read checked.
            Self::read(&mut Reader(data))
        };
        match view {
            Some(view) => Ok(view),
            None => Err(ErrorCode::AccountDidNotDeserialize.into()),
        }
    }
}

impl AccountSerialize for EngineView {
    /// The view is read-only: an instruction that declared it `mut` fails
    /// here rather than drop a change.
    fn try_serialize<W: std::io::Write>(&self, _writer: &mut W) -> Result<()> {
        Err(ErrorCode::AccountDidNotSerialize.into())
    }
}

/// In the IDL, the account is `Engine`.
#[cfg(feature = "idl-build")]
impl anchor_lang::IdlBuild for EngineView {
    fn create_type() -> Option<anchor_lang::idl::types::IdlTypeDef> {
        Engine::create_type()
    }
    fn insert_types(types: &mut std::collections::BTreeMap<String, anchor_lang::idl::types::IdlTypeDef>) {
        Engine::insert_types(types)
    }
    fn get_full_path() -> String {
        Engine::get_full_path()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::AnchorSerialize;

    /// xorshift bytes, 0 or 1 half the time (so the tags are often valid).
    fn bytes(seed: &mut u64, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                match *seed % 4 {
                    0 => 0,
                    1 => 1,
                    _ => (*seed >> 8) as u8,
                }
            })
            .collect()
    }

    fn code(result: Result<impl Sized>) -> Option<u32> {
        match result {
            Ok(_) => None,
            Err(Error::AnchorError(e)) => Some(e.error_code_number),
            Err(e) => panic!("not an Anchor error: {e:?}"),
        }
    }

    /// Over random full-length data, the exact (shorter) encodings and
    /// every truncation: the view accepts what `Engine` accepts, refuses
    /// with the same error, and reads the same values.
    #[test]
    fn the_view_reads_what_engine_reads() {
        let (mut seed, mut valid, mut invalid, mut exact) = (0x2545_f491_4f6c_dd1du64, 0, 0, 0);
        for _ in 0..6_000 {
            let mut data = Engine::DISCRIMINATOR.to_vec();
            data.extend(bytes(&mut seed, Engine::INIT_SPACE));
            let engine = Engine::try_deserialize(&mut &data[..]);
            let view = EngineView::try_deserialize(&mut &data[..]);
            let Ok(engine) = engine else {
                assert_eq!(code(view), code(engine), "refused with another error");
                invalid += 1;
                continue;
            };
            valid += 1;
            assert_eq!(view.unwrap(), EngineView::of(&engine));
            let mut encoded = Engine::DISCRIMINATOR.to_vec();
            engine.serialize(&mut encoded).unwrap();
            if encoded.len() < data.len() {
                exact += 1;
                assert_eq!(EngineView::try_deserialize(&mut &encoded[..]).unwrap(), EngineView::of(&engine));
            }
            for cut in [0, 7, 8, 9, encoded.len() / 2, encoded.len() - 1] {
                let short = &encoded[..cut];
                assert_eq!(
                    code(EngineView::try_deserialize(&mut &short[..])),
                    code(Engine::try_deserialize(&mut &short[..])),
                    "cut at {cut}"
                );
            }
        }
        assert!(valid > 100 && invalid > 100 && exact > 50, "{valid} valid, {invalid} refused, {exact} shorter");
        let mut wrong = Engine::DISCRIMINATOR.to_vec();
        wrong[3] ^= 1;
        wrong.extend(vec![0; Engine::INIT_SPACE]);
        assert_eq!(
            code(EngineView::try_deserialize(&mut &wrong[..])),
            Some(ErrorCode::AccountDiscriminatorMismatch as u32)
        );
    }

    /// Written back, the view refuses (it is never declared `mut`).
    #[test]
    fn the_view_is_never_written() {
        let mut data = Engine::DISCRIMINATOR.to_vec();
        data.extend(vec![0; Engine::INIT_SPACE]);
        let view = EngineView::try_deserialize(&mut &data[..]).unwrap();
        assert_eq!(code(view.try_serialize(&mut Vec::new())), Some(ErrorCode::AccountDidNotSerialize as u32));
    }
}
