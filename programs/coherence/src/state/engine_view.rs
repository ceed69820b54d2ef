//! The engine as eleven user instructions that only read it see it: the
//! fields they use, taken from the `Engine` account's bytes, instead of the
//! whole account decoded and moved into its box. (`close_position`,
//! `init_usage_shard`, `propose_voting` and the two voter-weight updates
//! also only read it, and still take `Account<Engine>`.)
//!
//! `Box<Account<Engine>>` decodes all of the engine's 656 bytes and moves
//! them twice on the way into the box (measured on the SBF build: about 900
//! compute units of `record_usage`, with the engine's constraints).
//! [`EngineView`] walks the same encoding, keeps a few fields and passes
//! over the rest; it is taken as `Box<InterfaceAccount<EngineView<K>>>`,
//! whose owner check is the program's. Every view keeps the fields the
//! user instructions share (mint, token program, pause flag, epoch clock,
//! parameters, next epoch); `K` is what one group of instructions keeps
//! besides, reached through `Deref` so that their `has_one` constraints
//! read it as they read `Engine`'s fields:
//!
//! - [`StakeVault`] (the default): `record_usage`, `open_position`,
//!   `add_to_position`, `extend_lock`: the hottest instructions keep only
//!   the stake vault besides.
//! - [`Vaults`]: the instructions that pay from or into a vault or exit a
//!   position — `claim_rewards`, `claim_vesting`, `claim_source_rewards`,
//!   `fund_rewards`, `deposit_treasury`, `start_unbond`, `withdraw` — with
//!   the bump the engine signs with, the lifetime usage that gates vesting
//!   and the realm whose votes hold an exit.
//!
//! It is the same account, not a new one: the same owner, discriminator and
//! bytes, and in the IDL the same account and type (`Engine`'s). It accepts
//! exactly the data `Engine` accepts — the walk checks every `bool` and
//! `Option` tag of the encoding, the only bytes that can make Borsh refuse
//! — with the same errors, and reads the same values: the tests below
//! compare both over random data and its truncations. It is read-only:
//! it has no way to be written back (written, it refuses), so it is never
//! declared `mut`.

use crate::layout::{Field, Read, Reader, Unchecked};
use crate::math::Params;
use crate::state::Engine;
use anchor_lang::error::ErrorCode;
use anchor_lang::prelude::*;
use anchor_lang::{Discriminator, Space};

/// The fields of an [`Engine`] that a user instruction which only reads
/// it uses (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EngineView<K = StakeVault> {
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
    /// What this group of instructions keeps besides (`Deref`).
    keys: K,
}

/// The fields of the engine's encoding that a view may keep besides the
/// shared ones, as the walk reads them.
pub struct Tail {
    pub bump: u8,
    pub total_usage_burned: u128,
    pub stake_vault: Pubkey,
    pub reward_vault: Pubkey,
    pub treasury: Pubkey,
    pub vesting_vault: Pubkey,
    pub builder_vault: Pubkey,
    pub voting_realm: Pubkey,
    pub voting_program: Pubkey,
}

/// What a view keeps of the [`Tail`]. The walk reads every field of the
/// tail, and the compiler drops the reads of those not kept (measured: the
/// hot three moved by −3 units when `Vaults` was added beside them).
pub trait Keep: Clone {
    fn keep(tail: Tail) -> Self;
}

/// [`Engine::stake_vault`], for the instructions that stake or pay usage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StakeVault {
    pub stake_vault: Pubkey,
}

impl Keep for StakeVault {
    #[inline(always)]
    fn keep(tail: Tail) -> Self {
        StakeVault { stake_vault: tail.stake_vault }
    }
}

/// The five vaults, the engine's bump, its lifetime usage and its realm,
/// for the instructions that pay from or into a vault or exit a position.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Vaults {
    /// [`Engine::bump`]: the engine signs with it ([`EngineView::signer_seeds`]).
    pub bump: u8,
    /// [`Engine::total_usage_burned`].
    pub total_usage_burned: u128,
    pub stake_vault: Pubkey,
    pub reward_vault: Pubkey,
    pub treasury: Pubkey,
    pub vesting_vault: Pubkey,
    pub builder_vault: Pubkey,
    /// [`Engine::voting_realm`].
    pub voting_realm: Pubkey,
    /// [`Engine::voting_program`].
    pub voting_program: Pubkey,
}

impl Keep for Vaults {
    #[inline(always)]
    fn keep(tail: Tail) -> Self {
        let Tail {
            bump,
            total_usage_burned,
            stake_vault,
            reward_vault,
            treasury,
            vesting_vault,
            builder_vault,
            voting_realm,
            voting_program,
        } = tail;
        Vaults {
            bump,
            total_usage_burned,
            stake_vault,
            reward_vault,
            treasury,
            vesting_vault,
            builder_vault,
            voting_realm,
            voting_program,
        }
    }
}

impl<K> core::ops::Deref for EngineView<K> {
    type Target = K;
    fn deref(&self) -> &K {
        &self.keys
    }
}

impl<K> EngineView<K> {
    /// The epoch containing `now` ([`Engine::epoch_at`]).
    pub fn epoch_at(&self, now: i64) -> u64 {
        super::engine::epoch_at(self.genesis_ts, self.epoch_secs, now)
    }
}

impl EngineView<Vaults> {
    /// Seeds to sign as the engine PDA ([`Engine::signer_seeds`]).
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        super::engine::signer_seeds(&self.mint, &self.keys.bump)
    }

    /// Whether holders vote ([`Engine::voting_enabled`]).
    pub fn voting_enabled(&self) -> bool {
        super::engine::voting_enabled(&self.keys.voting_realm)
    }
}

impl<K: Keep> EngineView<K> {
    /// The view of a decoded engine.
    #[cfg(test)]
    fn of(engine: &Engine) -> Self {
        let tail = Tail {
            bump: engine.bump,
            total_usage_burned: engine.total_usage_burned,
            stake_vault: engine.stake_vault,
            reward_vault: engine.reward_vault,
            treasury: engine.treasury,
            vesting_vault: engine.vesting_vault,
            builder_vault: engine.builder_vault,
            voting_realm: engine.voting_realm,
            voting_program: engine.voting_program,
        };
        EngineView {
            mint: engine.mint,
            token_program: engine.token_program,
            paused: engine.paused,
            epoch_secs: engine.epoch_secs,
            genesis_ts: engine.genesis_ts,
            params: engine.params,
            next_epoch: engine.next_epoch,
            keys: K::keep(tail),
        }
    }

    /// Walks `Engine`'s encoding (after the discriminator) in its field
    /// order, keeping the view's fields and passing over the others; `None`
    /// where `Engine`'s decode refuses: a `bool` or `Option` tag other than
    /// 0 or 1, or data too short.
    #[inline(always)]
    fn read<R: Read>(r: &mut R) -> Option<Self> {
        const KEY: usize = 32;
        r.skip(1)?; // version
        let bump = u8::get(r)?;
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
        r.skip(8 + 8 + 16)?; // baseline, cap, total_emitted
        let total_usage_burned = u128::get(r)?;
        let stake_vault = Pubkey::get(r)?;
        let reward_vault = Pubkey::get(r)?;
        let treasury = Pubkey::get(r)?;
        let vesting_vault = Pubkey::get(r)?;
        let builder_vault = Pubkey::get(r)?;
        // vesting_count, source_count, gated_rate_bps, recent_usage,
        // time_only_budget, time_only_used, time_only_scanned
        r.skip(8 + 8 + 2 + 2 * 8 + 8 + 8 + 8)?;
        bool::get(r)?; // time_only_synced
        let voting_realm = Pubkey::get(r)?;
        let voting_program = Pubkey::get(r)?;
        r.skip(5)?; // reserved
        let tail = Tail {
            bump,
            total_usage_burned,
            stake_vault,
            reward_vault,
            treasury,
            vesting_vault,
            builder_vault,
            voting_realm,
            voting_program,
        };
        Some(EngineView {
            mint,
            token_program,
            paused,
            epoch_secs,
            genesis_ts,
            params,
            next_epoch,
            keys: K::keep(tail),
        })
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

impl<K> Discriminator for EngineView<K> {
    const DISCRIMINATOR: &'static [u8] = Engine::DISCRIMINATOR;
}

/// The program, the only owner of an engine.
static OWNER: [Pubkey; 1] = [crate::ID];

impl<K> anchor_lang::Owners for EngineView<K> {
    fn owners() -> &'static [Pubkey] {
        &OWNER
    }
}

impl<K: Keep> AccountDeserialize for EngineView<K> {
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

impl<K> AccountSerialize for EngineView<K> {
    /// The view is read-only: an instruction that declared it `mut` fails
    /// here rather than drop a change.
    fn try_serialize<W: std::io::Write>(&self, _writer: &mut W) -> Result<()> {
        Err(ErrorCode::AccountDidNotSerialize.into())
    }
}

/// In the IDL, the account is `Engine`.
#[cfg(feature = "idl-build")]
impl<K> anchor_lang::IdlBuild for EngineView<K> {
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
    use crate::layout::tests::bytes;
    use anchor_lang::AnchorSerialize;

    fn code(result: Result<impl Sized>) -> Option<u32> {
        match result {
            Ok(_) => None,
            Err(Error::AnchorError(e)) => Some(e.error_code_number),
            Err(e) => panic!("not an Anchor error: {e:?}"),
        }
    }

    /// Over random full-length data, the exact (shorter) encodings and
    /// truncations (0, 7, 8, 9 bytes, half, one byte short): the view accepts what `Engine` accepts, refuses
    /// with the same error, and reads the same values.
    fn reads_what_engine_reads<K: Keep + PartialEq + core::fmt::Debug>() {
        let (mut seed, mut valid, mut invalid, mut exact) = (0x2545_f491_4f6c_dd1du64, 0, 0, 0);
        for _ in 0..6_000 {
            let mut data = Engine::DISCRIMINATOR.to_vec();
            data.extend(bytes(&mut seed, Engine::INIT_SPACE));
            let engine = Engine::try_deserialize(&mut &data[..]);
            let view = EngineView::<K>::try_deserialize(&mut &data[..]);
            let Ok(engine) = engine else {
                assert_eq!(code(view), code(engine), "refused with another error");
                invalid += 1;
                continue;
            };
            valid += 1;
            assert_eq!(view.unwrap(), EngineView::<K>::of(&engine));
            let mut encoded = Engine::DISCRIMINATOR.to_vec();
            engine.serialize(&mut encoded).unwrap();
            if encoded.len() < data.len() {
                exact += 1;
                assert_eq!(EngineView::<K>::try_deserialize(&mut &encoded[..]).unwrap(), EngineView::<K>::of(&engine));
            }
            for cut in [0, 7, 8, 9, encoded.len() / 2, encoded.len() - 1] {
                let short = &encoded[..cut];
                assert_eq!(
                    code(EngineView::<K>::try_deserialize(&mut &short[..])),
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
            code(EngineView::<K>::try_deserialize(&mut &wrong[..])),
            Some(ErrorCode::AccountDiscriminatorMismatch as u32)
        );
    }

    #[test]
    fn every_view_reads_what_engine_reads() {
        reads_what_engine_reads::<StakeVault>();
        reads_what_engine_reads::<Vaults>();
    }

    /// The view signs with the engine's own seeds.
    #[test]
    fn the_view_signs_as_the_engine() {
        let mut seed = 7;
        let mut data = Engine::DISCRIMINATOR.to_vec();
        data.extend(vec![0; Engine::INIT_SPACE]);
        data[9..42].copy_from_slice(&bytes(&mut seed, 33)); // bump, mint
        let engine = Engine::try_deserialize(&mut &data[..]).unwrap();
        let view = EngineView::<Vaults>::try_deserialize(&mut &data[..]).unwrap();
        assert_eq!(view.signer_seeds(), engine.signer_seeds());
    }

    /// Written back, the view refuses (it is never declared `mut`).
    #[test]
    fn the_view_is_never_written() {
        let mut data = Engine::DISCRIMINATOR.to_vec();
        data.extend(vec![0; Engine::INIT_SPACE]);
        let view = EngineView::<StakeVault>::try_deserialize(&mut &data[..]).unwrap();
        assert_eq!(code(view.try_serialize(&mut Vec::new())), Some(ErrorCode::AccountDidNotSerialize as u32));
    }
}
