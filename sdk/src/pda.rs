//! Program-derived addresses, from the program's own seed constants.

use anchor_lang::prelude::Pubkey;
use coherence::state::seeds;

fn find(seeds: &[&[u8]]) -> Pubkey {
    Pubkey::find_program_address(seeds, &coherence::ID).0
}

/// `["engine", mint]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::engine(&m);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn engine(mint: &Pubkey) -> Pubkey {
    find(&[seeds::ENGINE, mint.as_ref()])
}
/// `["stake_pool", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::stake_pool(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn stake_pool(engine: &Pubkey) -> Pubkey {
    find(&[seeds::STAKE_POOL, engine.as_ref()])
}
/// `["stake_vault", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::stake_vault(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn stake_vault(engine: &Pubkey) -> Pubkey {
    find(&[seeds::STAKE_VAULT, engine.as_ref()])
}
/// `["reward_vault", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::reward_vault(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn reward_vault(engine: &Pubkey) -> Pubkey {
    find(&[seeds::REWARD_VAULT, engine.as_ref()])
}
/// `["treasury", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::treasury(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn treasury(engine: &Pubkey) -> Pubkey {
    find(&[seeds::TREASURY, engine.as_ref()])
}
/// `["vesting_vault", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::vesting_vault(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn vesting_vault(engine: &Pubkey) -> Pubkey {
    find(&[seeds::VESTING_VAULT, engine.as_ref()])
}
/// `["builder_vault", engine]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::builder_vault(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn builder_vault(engine: &Pubkey) -> Pubkey {
    find(&[seeds::BUILDER_VAULT, engine.as_ref()])
}
/// `["registrar", engine]`: the engine's voter-weight plugin configuration.
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::registrar(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn registrar(engine: &Pubkey) -> Pubkey {
    find(&[seeds::REGISTRAR, engine.as_ref()])
}
/// `["voter_weight", engine, owner]`: the owner's `VoterWeightRecord`.
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::voter_weight_record(&e, &m);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn voter_weight_record(engine: &Pubkey, owner: &Pubkey) -> Pubkey {
    find(&[seeds::VOTER_WEIGHT, engine.as_ref(), owner.as_ref()])
}
/// `["max_voter_weight", engine]`: the engine's `MaxVoterWeightRecord`.
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::max_voter_weight_record(&e);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn max_voter_weight_record(engine: &Pubkey) -> Pubkey {
    find(&[seeds::MAX_VOTER_WEIGHT, engine.as_ref()])
}
/// The owner's SPL Governance `TokenOwnerRecord`: the governance program's
/// PDA `["governance", realm, mint, owner]` (what `start_unbond` and
/// `withdraw` read while the engine's holders vote).
///
/// ```
/// # let (p, r, m, o) = (anchor_lang::prelude::Pubkey::new_unique(), anchor_lang::prelude::Pubkey::new_unique(), anchor_lang::prelude::Pubkey::new_unique(), anchor_lang::prelude::Pubkey::new_unique());
/// let a = coherence_sdk::pda::token_owner_record(&p, &r, &m, &o);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn token_owner_record(governance_program: &Pubkey, realm: &Pubkey, mint: &Pubkey, owner: &Pubkey) -> Pubkey {
    let seeds: &[&[u8]] = &[seeds::GOVERNANCE, realm.as_ref(), mint.as_ref(), owner.as_ref()];
    Pubkey::find_program_address(seeds, governance_program).0
}
/// `["position", engine, owner, id_le]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::position(&e, &m, 0);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn position(engine: &Pubkey, owner: &Pubkey, id: u64) -> Pubkey {
    position_with_bump(engine, owner, id).0
}
/// Position `id`'s address and bump (the one seed list of both functions).
fn position_with_bump(engine: &Pubkey, owner: &Pubkey, id: u64) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[seeds::POSITION, engine.as_ref(), owner.as_ref(), &id.to_le_bytes()], &coherence::ID)
}
/// The first position id from `from` on whose address `open_position`
/// finds at its first try. The program searches a new position's address
/// from bump 255 down, at 1,500 compute units a try; an id is any `u64` its
/// owner picks, and about half of all ids need a single try, so this search
/// (off-chain, free) is short and every open pays for one.
///
/// ```
/// # let (e, o) = (anchor_lang::prelude::Pubkey::new_unique(), anchor_lang::prelude::Pubkey::new_unique());
/// let id = coherence_sdk::pda::position_id_from(&e, &o, 0);
/// let seeds: &[&[u8]] = &[b"position", e.as_ref(), o.as_ref(), &id.to_le_bytes()];
/// assert_eq!(anchor_lang::prelude::Pubkey::find_program_address(seeds, &coherence::ID).1, u8::MAX);
/// ```
pub fn position_id_from(engine: &Pubkey, owner: &Pubkey, from: u64) -> u64 {
    (from..=u64::MAX).find(|&id| position_with_bump(engine, owner, id).1 == u8::MAX).unwrap_or(from)
}
/// `["vesting", engine, id_le]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::vesting(&e, 0);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn vesting(engine: &Pubkey, id: u64) -> Pubkey {
    find(&[seeds::VESTING, engine.as_ref(), &id.to_le_bytes()])
}
/// `["usage", engine, shard]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::usage_shard(&e, 0);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn usage_shard(engine: &Pubkey, shard: u8) -> Pubkey {
    find(&[seeds::USAGE, engine.as_ref(), &shard.to_le_bytes()])
}
/// `["usage_escrow", engine, shard]`: the shard's escrow token account.
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::usage_escrow(&e, 0);
/// assert_ne!(a, coherence_sdk::pda::usage_shard(&e, 0));
/// ```
pub fn usage_escrow(engine: &Pubkey, shard: u8) -> Pubkey {
    find(&[seeds::USAGE_ESCROW, engine.as_ref(), &shard.to_le_bytes()])
}
/// `["epoch", engine, epoch_le]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::epoch_record(&e, 0);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn epoch_record(engine: &Pubkey, epoch: u64) -> Pubkey {
    find(&[seeds::EPOCH, engine.as_ref(), &epoch.to_le_bytes()])
}
/// `["source", engine, id_le]`
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::source(&e, 0);
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn source(engine: &Pubkey, id: u64) -> Pubkey {
    find(&[seeds::SOURCE, engine.as_ref(), &id.to_le_bytes()])
}
/// Anchor's event authority (`["__event_authority"]`), signer of `emit_cpi!`.
///
/// ```
/// # let m = anchor_lang::prelude::Pubkey::new_unique();
/// # let e = coherence_sdk::pda::engine(&m);
/// let a = coherence_sdk::pda::event_authority();
/// assert!(!a.is_on_curve(), "a PDA");
/// ```
pub fn event_authority() -> Pubkey {
    find(&[b"__event_authority"])
}

/// Every address of one engine, derived from its mint and token program.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EngineKeys {
    /// The governed mint.
    pub mint: Pubkey,
    /// SPL Token or Token-2022.
    pub token_program: Pubkey,
    /// `["engine", mint]`
    pub engine: Pubkey,
    /// `["stake_pool", engine]`
    pub stake_pool: Pubkey,
    /// `["stake_vault", engine]`
    pub stake_vault: Pubkey,
    /// `["reward_vault", engine]`
    pub reward_vault: Pubkey,
    /// `["treasury", engine]`
    pub treasury: Pubkey,
    /// `["vesting_vault", engine]`
    pub vesting_vault: Pubkey,
    /// `["builder_vault", engine]`
    pub builder_vault: Pubkey,
}

impl EngineKeys {
    /// Derives all addresses of the engine for `mint`.
    ///
    /// ```
    /// use anchor_lang::prelude::Pubkey;
    /// let mint = Pubkey::new_unique();
    /// let keys = coherence_sdk::EngineKeys::new(mint, anchor_spl::token::ID);
    /// assert_eq!(keys.engine, coherence_sdk::pda::engine(&mint));
    /// ```
    pub fn new(mint: Pubkey, token_program: Pubkey) -> Self {
        let engine = engine(&mint);
        Self {
            mint,
            token_program,
            engine,
            stake_pool: stake_pool(&engine),
            stake_vault: stake_vault(&engine),
            reward_vault: reward_vault(&engine),
            treasury: treasury(&engine),
            vesting_vault: vesting_vault(&engine),
            builder_vault: builder_vault(&engine),
        }
    }
}
