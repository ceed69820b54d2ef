//! `coherence stake open|add|extend|unbond|withdraw|claim|close|show` and
//! `coherence rewards fund`.

use crate::amount;
use crate::context::Ctx;
use crate::error::CliResult;
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use coherence::state::{Position, StakePool};
use coherence_sdk::accounts::filters;
use coherence_sdk::{instructions as ix, ops, pda, preview};

#[derive(Subcommand)]
pub enum StakeCmd {
    /// Lock tokens in a new position.
    Open {
        #[arg(allow_hyphen_values = true)]
        amount: String,
        #[arg(long)]
        lock_secs: u64,
        /// Position id (default: the first unused one).
        #[arg(long)]
        id: Option<u64>,
    },
    /// Add tokens to a locked position.
    Add {
        id: u64,
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Lengthen a position's lock.
    Extend { id: u64, lock_secs: u64 },
    /// Start unbonding (earns nothing from now; withdrawable after the lock).
    Unbond { id: u64 },
    /// Withdraw an unbonded position.
    Withdraw { id: u64 },
    /// Claim earned rewards (or restake them).
    Claim {
        id: u64,
        #[arg(long)]
        restake: bool,
    },
    /// Close an empty position (rent back).
    Close { id: u64 },
    /// Show the positions of a wallet (default: the signer).
    Show {
        #[arg(long)]
        owner: Option<Pubkey>,
    },
}

#[derive(Subcommand)]
pub enum RewardsCmd {
    /// Add tokens to the stakers' reward stream (anyone).
    Fund {
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: StakeCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    let tokens = ops::ata(&keys, &me);
    let position = |id: u64| pda::position(&keys.engine, &me, id);
    // While the engine's holders vote, exits show the owner's token owner record.
    let record = ops::exit_record(&keys, &engine, &me);
    match cmd {
        StakeCmd::Open { amount: text, lock_secs, id } => {
            let units = amount::parse(&text, decimals)?;
            let id = match id {
                Some(id) => id,
                None => {
                    let mut id = 0;
                    while ctx.client.account(&position(id)).await?.is_some() {
                        id += 1;
                    }
                    id
                }
            };
            let summary = format!("stake {text} locked for {lock_secs}s as position #{id}");
            ctx.write(&summary, vec![ix::open_position(&keys, &me, &tokens, id, units, lock_secs)], &[]).await?;
        }
        StakeCmd::Add { id, amount: text } => {
            let units = amount::parse(&text, decimals)?;
            ctx.write(
                &format!("add {text} to position #{id}"),
                vec![ix::add_to_position(&keys, &me, &position(id), &tokens, units)],
                &[],
            )
            .await?;
        }
        StakeCmd::Extend { id, lock_secs } => {
            ctx.write(
                &format!("extend position #{id} to {lock_secs}s"),
                vec![ix::extend_lock(&keys, &me, &position(id), lock_secs)],
                &[],
            )
            .await?;
        }
        StakeCmd::Unbond { id } => {
            ctx.write(
                &format!("start unbonding position #{id}"),
                vec![ix::start_unbond_voting(&keys, &me, &position(id), record)],
                &[],
            )
            .await?;
        }
        StakeCmd::Withdraw { id } => {
            let ixs = vec![
                ops::create_ata_ix(&keys, &me, &me),
                ix::withdraw_voting(&keys, &me, &position(id), &tokens, record),
            ];
            ctx.write(&format!("withdraw position #{id}"), ixs, &[]).await?;
        }
        StakeCmd::Claim { id, restake } => {
            let ixs = vec![
                ops::create_ata_ix(&keys, &me, &me),
                ix::claim_rewards(&keys, &me, &position(id), &tokens, restake),
            ];
            let what = if restake { "restake" } else { "claim" };
            ctx.write(&format!("{what} the rewards of position #{id}"), ixs, &[]).await?;
        }
        StakeCmd::Close { id } => {
            ctx.write(&format!("close position #{id}"), vec![ix::close_position(&keys, &me, &position(id))], &[])
                .await?;
        }
        StakeCmd::Show { owner } => {
            let who = owner.unwrap_or(me);
            let now = ctx.client.now().await?;
            let pool: StakePool = ctx.client.get(&keys.stake_pool).await?;
            let list: Vec<(Pubkey, Position)> =
                ctx.client.program_accounts(&[filters::engine(&keys.engine), filters::position_owner(&who)]).await?;
            let mut text = Vec::new();
            let mut json = Vec::new();
            for (key, p) in list {
                let rewards = preview::preview_rewards(&p, &pool, now)?;
                let state = if p.unbond_start == 0 {
                    "locked".to_string()
                } else {
                    format!("unbonding, withdrawable at {}", p.withdrawable_at().unwrap_or(i64::MAX))
                };
                text.push(format!(
                    "#{} {key} principal {} lock {}s weight {} rewards {} ({state})",
                    p.id,
                    amount::format(p.principal, decimals),
                    p.lock_secs,
                    p.weight,
                    amount::format(rewards, decimals),
                ));
                json.push(serde_json::json!({
                    "id": p.id, "address": key.to_string(), "principal": p.principal, "lock_secs": p.lock_secs,
                    "weight": p.weight.to_string(), "claimable_rewards": rewards, "unbond_start": p.unbond_start,
                }));
            }
            ctx.out(
                if text.is_empty() { "no positions".into() } else { text.join("\n") },
                serde_json::Value::Array(json),
            );
        }
    }
    Ok(())
}

pub async fn rewards(ctx: &mut Ctx, cmd: RewardsCmd) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    match cmd {
        RewardsCmd::Fund { amount: text } => {
            let units = amount::parse(&text, decimals)?;
            let from = ops::ata(&keys, &me);
            ctx.write(
                &format!("fund the reward stream with {text}"),
                vec![ix::fund_rewards(&keys, &me, &from, units)],
                &[],
            )
            .await?;
        }
    }
    Ok(())
}
