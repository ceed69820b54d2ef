//! `coherence gov vote|execute|relinquish`.

use super::voting;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use clap::{Args, ValueEnum};
use coherence_sdk::ops;
use coherence_sdk::spl_governance::Vote;

#[derive(Clone, Copy, ValueEnum)]
pub enum Choice {
    Yes,
    No,
}

#[derive(Args)]
pub struct VoteArgs {
    pub proposal: Pubkey,
    pub choice: Choice,
}

pub async fn vote(ctx: &mut Ctx, args: VoteArgs) -> CliResult {
    let (keys, _, realms) = voting(ctx).await?;
    let me = ctx.signer_key();
    let positions = ops::voting_positions(&mut ctx.client, &keys, &me).await?;
    if positions.is_empty() {
        return Err(CliError::Input("no locked position: nothing to vote with".into()));
    }
    let (vote, what) = match args.choice {
        Choice::Yes => (Vote::yes(), "yes"),
        Choice::No => (Vote::Deny, "no"),
    };
    let ixs = ops::vote_ixs(&mut ctx.client, &keys, &realms, &args.proposal, &me, vote).await?;
    let summary = format!("vote {what} on {} with {} locked position(s)", args.proposal, positions.len());
    ctx.write(&summary, ixs, &[]).await?;
    Ok(())
}

pub async fn execute(ctx: &mut Ctx, proposal: Pubkey) -> CliResult {
    let (keys, _, realms) = voting(ctx).await?;
    let ixs = ops::execute_ixs(&mut ctx.client, &keys, &realms, &proposal).await?;
    ctx.write(&format!("execute proposal {proposal}"), ixs, &[]).await?;
    Ok(())
}

pub async fn relinquish(ctx: &mut Ctx, proposal: Pubkey) -> CliResult {
    let (keys, _, realms) = voting(ctx).await?;
    let me = ctx.signer_key();
    let governance = ops::engine_governance(&keys, &realms);
    // While the vote is open the voter withdraws it (and signs); after, anyone relinquishes.
    let data = ctx.client.account(&proposal).await?.map(|a| a.data).unwrap_or_default();
    let open = coherence_sdk::spl_governance::decode::<coherence_sdk::spl_governance::Proposal>(
        &data,
        coherence_sdk::spl_governance::account_type::PROPOSAL_V2,
    )
    .is_some_and(|p| p.state == coherence_sdk::spl_governance::ProposalState::Voting);
    let ix = realms.relinquish_vote(&governance, &proposal, &me, open.then_some(&me));
    ctx.write(&format!("relinquish your vote on {proposal}"), vec![ix], &[]).await?;
    Ok(())
}
