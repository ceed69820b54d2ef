//! `coherence gov propose params|vesting|accept-authority|pause`.

use super::voting;
use crate::amount;
use crate::commands::governance::params::ParamFlags;
use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use clap::Subcommand;
use coherence::instructions::CreateVestingArgs;
use coherence_sdk::{instructions as ix, ops, params, spl_governance as gov};

#[derive(Subcommand)]
pub enum ProposeCmd {
    /// New parameter values (unset flags keep the current value); applied after the engine's timelock.
    Params(ParamFlags),
    /// A time-only vesting grant from the treasury (rent paid by the
    /// governance's native treasury, which must hold SOL).
    Vesting {
        #[arg(long)]
        beneficiary: Pubkey,
        /// Total, UI units.
        #[arg(long)]
        amount: String,
        /// Start (unix seconds); default: now.
        #[arg(long)]
        start: Option<i64>,
        #[arg(long)]
        cliff_secs: u64,
        #[arg(long)]
        duration_secs: u64,
        #[arg(long)]
        revocable: bool,
    },
    /// Take over the engine's authority (after `authority propose <GOVERNANCE>`).
    AcceptAuthority,
    /// Pause (`true`) or resume (`false`).
    Pause {
        #[arg(action = clap::ArgAction::Set)]
        paused: bool,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: ProposeCmd) -> CliResult {
    let (keys, engine, realms) = voting(ctx).await?;
    let governance = ops::engine_governance(&keys, &realms);
    let me = ctx.signer_key();
    let (name, ixs): (String, Vec<Instruction>) = match cmd {
        ProposeCmd::Params(flags) => {
            let p = flags.apply(engine.params)?;
            (format!("parameters {}", params::to_json(&p)), vec![ix::propose_params(&keys, &governance, p)])
        }
        ProposeCmd::Vesting { beneficiary, amount: text, start, cliff_secs, duration_secs, revocable } => {
            let decimals = ctx.decimals(&keys).await?;
            let start = match start {
                Some(s) => s,
                None => ctx.client.now().await?,
            };
            let offset = |secs: u64| -> CliResult<i64> {
                i64::try_from(secs)
                    .ok()
                    .and_then(|s| start.checked_add(s))
                    .ok_or_else(|| CliError::Input("time overflows".into()))
            };
            let args = CreateVestingArgs {
                beneficiary,
                total: amount::parse(&text, decimals)?,
                start,
                cliff: offset(cliff_secs)?,
                end: offset(duration_secs)?,
                period: 0,
                revocable,
                usage_rate_bps: 0,
                grace_secs: 0,
            };
            let treasury = gov::native_treasury(&realms.program, &governance);
            let id = engine.vesting_count;
            let grant = ix::create_vesting(&keys, &treasury, &governance, id, args, engine.usage_shards);
            (format!("vesting #{id}: {text} to {beneficiary}"), vec![grant])
        }
        ProposeCmd::AcceptAuthority => {
            ("hand the engine to its holders".to_string(), vec![ix::accept_authority(&keys, &governance)])
        }
        ProposeCmd::Pause { paused } => {
            (if paused { "pause" } else { "resume" }.to_string(), vec![ix::set_pause(&keys, &governance, paused)])
        }
    };
    let (proposal, plan) = ops::propose_transactions(&mut ctx.client, &keys, &realms, &me, &name, &ixs).await?;
    let steps = ["create the proposal (voter weight refreshed)", "insert its transaction", "sign off: voting starts"];
    let txs = plan.into_iter().zip(steps).map(|(ixs, what)| Tx::new(what, ixs)).collect();
    if ctx.write_all(&format!("propose {name:?} as proposal {proposal}"), txs, &[]).await?.is_some() {
        ctx.out(proposal.to_string(), serde_json::json!({ "proposal": proposal.to_string(), "name": name }));
    }
    Ok(())
}
