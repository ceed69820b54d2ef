//! `coherence source register|claim|show`.

use crate::amount;
use crate::context::Ctx;
use crate::error::CliResult;
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use coherence::state::Source;
use coherence_sdk::accounts::filters;
use coherence_sdk::{instructions as ix, ops, pda};

#[derive(Subcommand)]
pub enum SourceCmd {
    /// Register a usage source with the signer as builder.
    Register,
    /// Claim a source's builder rewards.
    Claim { id: u64 },
    /// Show the sources of a builder (default: the signer).
    Show {
        #[arg(long)]
        builder: Option<Pubkey>,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: SourceCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    match cmd {
        SourceCmd::Register => {
            let id = engine.source_count;
            if ctx
                .write(&format!("register source #{id}"), vec![ix::register_source(&keys, &me, id)], &[])
                .await?
                .is_some()
            {
                ctx.out(format!("source #{id}: {}", pda::source(&keys.engine, id)), serde_json::json!({ "id": id }));
            }
        }
        SourceCmd::Claim { id } => {
            let source = pda::source(&keys.engine, id);
            let ixs = ops::claim_source_rewards_ixs(&mut ctx.client, &keys, &me, &source).await?;
            ctx.write(&format!("claim the builder rewards of source #{id}"), ixs, &[]).await?;
        }
        SourceCmd::Show { builder } => {
            let who = builder.unwrap_or(me);
            let list: Vec<(Pubkey, Source)> =
                ctx.client.program_accounts(&[filters::engine(&keys.engine), filters::builder(&who)]).await?;
            let text: Vec<String> = list
                .iter()
                .map(|(k, s)| {
                    format!(
                        "#{} {k} epoch {} usage {} claimable {} claimed {}",
                        s.id,
                        s.epoch,
                        amount::format(s.usage, decimals),
                        amount::format(s.claimable, decimals),
                        amount::format_u128(s.claimed, decimals)
                    )
                })
                .collect();
            let json: Vec<_> = list
                .iter()
                .map(|(k, s)| serde_json::json!({ "id": s.id, "address": k.to_string(), "epoch": s.epoch, "usage": s.usage, "claimable": s.claimable, "claimed": amount::json(s.claimed) }))
                .collect();
            ctx.out(
                if text.is_empty() { "no sources".into() } else { text.join("\n") },
                serde_json::Value::Array(json),
            );
        }
    }
    Ok(())
}
