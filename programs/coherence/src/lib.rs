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
//!    beneficiaries claim what has vested.
//! 3. **Stakers** — holders lock tokens in positions (constant lock, duration
//!    boost) and earn a streamed share of emission.
//! 4. **Epochs** — users burn tokens to pay for the service (`record_usage`);
//!    anyone closes an ended epoch (`close_epoch`), which mints at most
//!    α·usage, only if usage holds up against its baseline, under a decaying
//!    cap and the hard max supply.
//! 5. **Governance** — parameter changes are proposed, wait out the timelock,
//!    then anyone applies them; authority moves in two steps; pause stops new
//!    stakes, usage and emission but never exits.
//!
//! Who may do what: the **authority** proposes/cancels parameters, proposes a
//! new authority, pauses, creates and revokes vesting; **anyone** applies due
//! parameters, deposits to the treasury, funds rewards and closes epochs;
//! **owners** act on their own positions and schedules. No key can mint or
//! move vault funds outside these rules (I4).

#![allow(unexpected_cfgs)]

pub mod constants;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod math;
pub mod pda_init;
pub mod state;
pub mod token_cpi;
pub mod token_policy;

use anchor_lang::prelude::*;
use instructions::*;
use math::Params;

declare_id!("5YEr37ADsipUmgSzAaShRoesbTpCmDK9hjmbAUJ3mrQJ");

#[cfg(not(feature = "no-entrypoint"))]
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
        InitializeEngine::initialize_engine(ctx, args)
    }

    /// Authority: propose new parameters (applied after the timelock).
    pub fn propose_params(ctx: Context<ProposeParams>, params: Params) -> Result<()> {
        ProposeParams::propose_params(ctx, params)
    }

    /// Authority: withdraw the pending parameter proposal.
    pub fn cancel_params(ctx: Context<CancelParams>) -> Result<()> {
        CancelParams::cancel_params(ctx)
    }

    /// Anyone: apply pending parameters once their timelock has elapsed.
    pub fn apply_params(ctx: Context<ApplyParams>) -> Result<()> {
        ApplyParams::apply_params(ctx)
    }

    /// Authority: name the next authority (step 1 of 2).
    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Pubkey) -> Result<()> {
        ProposeAuthority::propose_authority(ctx, new_authority)
    }

    /// Pending authority: take over (step 2 of 2).
    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        AcceptAuthority::accept_authority(ctx)
    }

    /// Authority: pause or resume new stakes, usage and emission.
    pub fn set_pause(ctx: Context<SetPause>, paused: bool) -> Result<()> {
        SetPause::set_pause(ctx, paused)
    }

    /// Anyone: deposit tokens into the treasury.
    pub fn deposit_treasury(ctx: Context<DepositTreasury>, amount: u64) -> Result<()> {
        DepositTreasury::deposit_treasury(ctx, amount)
    }
}
