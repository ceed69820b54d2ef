//! # Coherence
//!
//! A token as a coordination engine: value accrues to holders only when the
//! system is used, insiders vest, long-term stakers beat short-term traders,
//! and every extraction path is closed or unprofitable (see `DESIGN.md`,
//! invariants I1–I9).
//!
//! ## Lifecycle
//!
//! 1. **Genesis** — the mint's current mint authority signs
//!    [`coherence::initialize_engine`]: the engine PDA (`["engine", mint]`)
//!    becomes the only mint authority, the vaults are created, parameters are
//!    checked against the compiled-in bounds. Anyone may then
//!    [`coherence::deposit_treasury`] (e.g. the genesis allocation).
//! 2. **Insiders** — the authority funds vesting schedules from the treasury;
//!    beneficiaries claim what has vested. A usage-gated schedule vests only
//!    as usage paid after its creation is burned (`min(time, rate · usage)`),
//!    within the budget `α + Σ rate ≤ 100 %`, and anyone may expire it after
//!    `end + grace`. Time-only schedules draw from the time-only budget
//!    declared at genesis (only ever lowered): the most value that can
//!    accrue without usage, readable on-chain from day one.
//! 3. **Stakers** — holders lock tokens in positions (constant lock, duration
//!    boost) and earn a streamed share of emission.
//! 4. **Epochs** — users burn tokens to pay for the service (`record_usage`);
//!    anyone closes an ended epoch (`close_epoch`), which mints at most
//!    α·usage, only if usage holds up against its baseline, under a decaying
//!    cap and the hard max supply.
//! 5. **Governance** — parameter changes are proposed, wait out the timelock,
//!    then anyone applies them; authority moves in two steps; pause stops new
//!    stakes, usage and emission but never exits.
//! 6. **Holders govern** (optional) — the authority proposes a realm of SPL
//!    Governance (Realms) and a fixed max voter weight
//!    ([`coherence::propose_voting`], applied after the timelock by
//!    [`coherence::apply_voting`]); Coherence is the realm's voter-weight
//!    plugin: an owner's voting power is the sum of their locked positions'
//!    weights, refreshed in the same transaction as each vote
//!    ([`coherence::update_voter_weight_record`]); exits wait for the owner's
//!    votes to be relinquished. The authority can then be handed to the
//!    realm's governance, which runs every authority instruction as a
//!    proposal it executes (DESIGN §9).
//!
//! Who may do what: the **authority** proposes/cancels parameters, proposes a
//! new authority, pauses, creates and revokes vesting, lowers the time-only
//! budget, proposes the voting configuration (a key, a multisig, or the
//! holders' Realms governance); **anyone** applies due parameters and voting
//! configurations, deposits to the treasury, funds rewards, closes epochs,
//! expires overdue gated schedules, syncs an older engine's time-only ledger
//! and writes the max voter weight record;
//! **owners** act on their own positions and schedules, and refresh their
//! voter weight from their own positions. No key can mint or
//! move vault funds outside these rules (I4).

#![allow(unexpected_cfgs)]
// Every arithmetic operation in program code is checked (see math::safe_math).
#![cfg_attr(not(test), deny(clippy::arithmetic_side_effects))]

pub mod constants;
pub mod entrypoint;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod layout;
pub mod math;
pub mod state;
pub mod support;

use anchor_lang::prelude::*;
use instructions::*;
// Upstream-LLVM SBF build only (see Cargo.toml); inert elsewhere.
use math::Params;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;
use state::{VoterWeightAction, VotingConfig};

declare_id!("5YEr37ADsipUmgSzAaShRoesbTpCmDK9hjmbAUJ3mrQJ");

// With the program's own entrypoint only (see `build.rs`).
#[cfg(coherence_entrypoint)]
solana_security_txt::security_txt! {
    name: "Coherence",
    project_url: "https://coherence.example/",
    contacts: "email:security@coherence.example",
    policy: "https://coherence.example/SECURITY.md",
    preferred_languages: "en",
    source_code: "https://coherence.example/source"
}

#[program]
pub mod coherence {
    use super::*;

    /// Genesis: create the engine for a mint and take over its mint authority.
    pub fn initialize_engine(ctx: Context<InitializeEngine>, args: InitEngineArgs) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = InitializeEngine::initialize_engine(ctx, args);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: propose new parameters (applied after the timelock).
    pub fn propose_params(ctx: Context<ProposeParams>, params: Params) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ProposeParams::propose_params(ctx, params);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: withdraw the pending parameter proposal.
    pub fn cancel_params(ctx: Context<CancelParams>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = CancelParams::cancel_params(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: apply pending parameters once their timelock has elapsed.
    pub fn apply_params(ctx: Context<ApplyParams>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ApplyParams::apply_params(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: name the next authority (step 1 of 2).
    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ProposeAuthority::propose_authority(ctx, new_authority);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Pending authority: take over (step 2 of 2).
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = AcceptAuthority::accept_authority(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: pause or resume new stakes, usage and emission.
    pub fn set_pause(ctx: Context<SetPause>, paused: bool) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = SetPause::set_pause(ctx, paused);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: deposit tokens into the treasury.
    pub fn deposit_treasury(ctx: Context<DepositTreasury>, amount: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = DepositTreasury::deposit_treasury(ctx, amount);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: lower the time-only budget (never raise it, never below what is committed).
    pub fn lower_time_only_budget(ctx: Context<LowerTimeOnlyBudget>, budget: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = LowerTimeOnlyBudget::lower_time_only_budget(ctx, budget);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: fund a vesting schedule from the treasury.
    ///
    /// Remaining accounts, for a usage-gated schedule only: the engine's
    /// usage shards `["usage", engine, [i]]`, all of them in index order (the
    /// usage already paid into open epochs is excluded from its `U`).
    pub fn create_vesting(ctx: Context<CreateVesting>, args: CreateVestingArgs) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = CreateVesting::create_vesting(ctx, args);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Beneficiary: claim vested tokens (never paused).
    pub fn claim_vesting(ctx: Context<ClaimVesting>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ClaimVesting::claim_vesting(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: revoke a revocable schedule; the unvested part returns to the treasury.
    pub fn revoke_vesting(ctx: Context<RevokeVesting>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = RevokeVesting::revoke_vesting(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Beneficiary: hand the schedule to a new beneficiary.
    pub fn transfer_vesting(ctx: Context<TransferVesting>, new_beneficiary: Pubkey) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = TransferVesting::transfer_vesting(ctx, new_beneficiary);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Beneficiary: close a schedule that owes nothing more (rent back).
    pub fn close_vesting(ctx: Context<CloseVesting>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = CloseVesting::close_vesting(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: lock tokens in a new position with a constant lock.
    pub fn open_position(ctx: Context<OpenPosition>, id: u64, amount: u64, lock_secs: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = OpenPosition::open_position(ctx, id, amount, lock_secs);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: add principal to a locked position.
    pub fn add_to_position(ctx: Context<AddToPosition>, amount: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = AddToPosition::add_to_position(ctx, amount);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: lengthen a locked position's lock.
    pub fn extend_lock(ctx: Context<ExtendLock>, lock_secs: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ExtendLock::extend_lock(ctx, lock_secs);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: start unbonding (weight 0 from now; withdrawable after the lock).
    pub fn start_unbond(ctx: Context<StartUnbond>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = StartUnbond::start_unbond(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: withdraw an unbonded position's principal (never paused).
    pub fn withdraw(ctx: Context<Withdraw>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = Withdraw::withdraw(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: claim earned rewards, or restake them (claiming is never paused).
    pub fn claim_rewards(ctx: Context<ClaimRewards>, restake: bool) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ClaimRewards::claim_rewards(ctx, restake);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: close an empty position (rent back).
    pub fn close_position(ctx: Context<ClosePosition>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ClosePosition::close_position(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: add tokens to the stakers' reward stream.
    pub fn fund_rewards(ctx: Context<FundRewards>, amount: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = FundRewards::fund_rewards(ctx, amount);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: create usage shard `shard` and its escrow (all shards must exist
    /// before epochs close); on a version-1 shard, adds the escrow.
    pub fn init_usage_shard(ctx: Context<InitUsageShard>, shard: u8) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = InitUsageShard::init_usage_shard(ctx, shard);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// User: pay tokens for the service into the shard's escrow (burned when
    /// the epoch closes); credits the current epoch's usage.
    ///
    /// `usage_shard` is any one of the engine's shards, the PDA
    /// `["usage", engine, [shard]]` with `shard < engine.usage_shards`
    /// (payers spread over shards to avoid write-lock contention).
    pub fn record_usage(ctx: Context<RecordUsage>, amount: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = RecordUsage::record_usage(ctx, amount);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: close an ended epoch (in order, once) and mint its usage-gated emission.
    ///
    /// Remaining accounts: the engine's `usage_shards` usage shard accounts, all of
    /// them, in index order 0, 1, …; shard `i` is the PDA
    /// `["usage", engine, [i]]` (see `init_usage_shard`); then each shard's
    /// escrow token account in the same order, `["usage_escrow", engine, [i]]`
    /// (writable: every escrow is burned in full).
    pub fn close_epoch<'info>(ctx: Context<'info, CloseEpoch<'info>>, epoch: u64) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = CloseEpoch::close_epoch(ctx, epoch);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: expire a usage-gated schedule after `end + grace_secs`; its
    /// unvested part returns to the treasury, its vested part stays claimable.
    pub fn expire_vesting(ctx: Context<ExpireVesting>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ExpireVesting::expire_vesting(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: count an older engine's schedules into its time-only ledger.
    ///
    /// Remaining accounts: the schedules `["vesting", engine, id]` from
    /// `engine.time_only_scanned` on, in id order (a closed one as its empty
    /// address); resumable over several transactions.
    pub fn sync_time_only_budget<'info>(ctx: Context<'info, SyncTimeOnlyBudget<'info>>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = SyncTimeOnlyBudget::sync_time_only_budget(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Builder: register a usage source.
    pub fn register_source(ctx: Context<RegisterSource>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = RegisterSource::register_source(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Builder: claim the source's share of builders' pools (never paused).
    pub fn claim_source_rewards(ctx: Context<ClaimSourceRewards>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ClaimSourceRewards::claim_source_rewards(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Authority: propose the realm the holders vote in, its governance
    /// program and the fixed max voter weight (applied after the timelock).
    pub fn propose_voting(ctx: Context<ProposeVoting>, config: VotingConfig) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ProposeVoting::propose_voting(ctx, config);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: apply the pending voting configuration once its timelock has elapsed.
    pub fn apply_voting(ctx: Context<ApplyVoting>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = ApplyVoting::apply_voting(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Owner: refresh their voter weight for one governance action (expires
    /// at the end of this slot: send it in the same transaction).
    ///
    /// Remaining accounts: the owner's positions in this engine
    /// `["position", engine, owner, id]`, each at most once.
    pub fn update_voter_weight_record<'info>(
        ctx: Context<'info, UpdateVoterWeightRecord<'info>>,
        action: VoterWeightAction,
        target: Pubkey,
    ) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = UpdateVoterWeightRecord::update_voter_weight_record(ctx, action, target);
        crate::cu_mark!("cu: handler done");
        result
    }

    /// Anyone: write the max voter weight record from the applied registrar.
    pub fn update_max_voter_weight_record(ctx: Context<UpdateMaxVoterWeightRecord>) -> Result<()> {
        crate::cu_mark!("cu: accounts read");
        let result = UpdateMaxVoterWeightRecord::update_max_voter_weight_record(ctx);
        crate::cu_mark!("cu: handler done");
        result
    }
}
