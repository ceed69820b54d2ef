//! `coherence gov …`: the engine governed by its holders through SPL
//! Governance (Realms), Coherence being the realm's voter-weight plugin
//! (DESIGN §9).
//!
//! - `setup`: the realm (plugin configured), the governance over the
//!   engine, and `propose_voting` (the signer is the engine's authority and
//!   becomes the realm's);
//! - `apply`: `apply_voting` after the timelock, and the max voter weight record;
//! - `propose params|vesting|accept-authority|pause`: a proposal whose one
//!   transaction is that engine instruction, signed by the governance;
//! - `vote <PROPOSAL> yes|no`: the voter weight refreshed from the signer's
//!   locked positions in the same transaction as the vote;
//! - `execute <PROPOSAL>`: finalize when due, then execute;
//! - `relinquish <PROPOSAL>`: release a vote (positions can leave again);
//! - `show [PROPOSAL]`.
pub mod propose;
pub mod setup;
pub mod show;
pub mod vote;

use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use clap::Subcommand;
use coherence_sdk::spl_governance::Realms;
use coherence_sdk::{ops, EngineKeys};

#[derive(Subcommand)]
pub enum GovCmd {
    /// Create the realm and its governance over the engine, and propose the voting configuration.
    Setup(setup::SetupArgs),
    /// Apply the voting configuration once its timelock has passed, and write the max voter weight.
    Apply,
    /// A proposal whose transaction is an engine instruction.
    #[command(subcommand)]
    Propose(propose::ProposeCmd),
    /// Vote on a proposal (your locked positions' weight).
    Vote(vote::VoteArgs),
    /// Finalize a proposal whose vote is over, and execute its transaction.
    Execute { proposal: anchor_lang::prelude::Pubkey },
    /// Relinquish your vote on a proposal (needed before your positions can leave).
    Relinquish { proposal: anchor_lang::prelude::Pubkey },
    /// Show the registrar, the realm's rules and your weight, or a proposal.
    Show { proposal: Option<anchor_lang::prelude::Pubkey> },
}

pub async fn run(ctx: &mut Ctx, cmd: GovCmd) -> CliResult {
    match cmd {
        GovCmd::Setup(args) => setup::setup(ctx, args).await,
        GovCmd::Apply => setup::apply(ctx).await,
        GovCmd::Propose(cmd) => propose::run(ctx, cmd).await,
        GovCmd::Vote(args) => vote::vote(ctx, args).await,
        GovCmd::Execute { proposal } => vote::execute(ctx, proposal).await,
        GovCmd::Relinquish { proposal } => vote::relinquish(ctx, proposal).await,
        GovCmd::Show { proposal } => show::run(ctx, proposal).await,
    }
}

/// The engine and the realm its holders vote in (`VotingNotConfigured`-like
/// input error before `gov apply`).
pub async fn voting(ctx: &mut Ctx) -> CliResult<(EngineKeys, coherence::state::Engine, Realms)> {
    let (keys, engine) = ctx.engine().await?;
    let realms = ops::engine_realm(&keys, &engine).ok_or_else(|| {
        CliError::Input("holders do not vote on this engine yet: run `gov setup`, then `gov apply`".into())
    })?;
    Ok((keys, engine, realms))
}
