//! `coherence engine init|show`.

use crate::amount;
use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use anchor_lang::Discriminator;
use clap::Subcommand;
use coherence::instructions::InitEngineArgs;
use coherence_sdk::{defaults, ops, EngineKeys};

#[derive(Subcommand)]
pub enum EngineCmd {
    /// Genesis: the signer (the mint's current mint authority) hands the mint to a new engine.
    Init {
        #[arg(long)]
        mint: Pubkey,
        /// Governance key (default: the signer).
        #[arg(long)]
        authority: Option<Pubkey>,
        /// Max supply in UI units.
        #[arg(long)]
        max_supply: String,
        #[arg(long, default_value_t = 86_400)]
        epoch_secs: u64,
        #[arg(long, default_value_t = 4)]
        usage_shards: u8,
        /// Most that time-only vesting may ever commit, in UI units (the
        /// value that can accrue without usage; only lowered afterwards).
        #[arg(long, default_value = "0")]
        time_only_budget: String,
    },
    /// Show the engine's configuration and accounting.
    Show,
}

pub async fn run(ctx: &mut Ctx, cmd: EngineCmd) -> CliResult {
    match cmd {
        EngineCmd::Init { mint, authority, max_supply, epoch_secs, usage_shards, time_only_budget } => {
            let account =
                ctx.client.account(&mint).await?.ok_or_else(|| CliError::Input(format!("no mint at {mint}")))?;
            let decimals = *account.data.get(44).ok_or_else(|| CliError::Input(format!("{mint} is not a mint")))?;
            let max = amount::parse(&max_supply, decimals)?;
            let mut args = defaults::init_args(authority.unwrap_or(ctx.signer_key()), max);
            args.epoch_secs = epoch_secs;
            args.usage_shards = usage_shards;
            args.time_only_budget = match time_only_budget.trim() {
                "0" => 0,
                text => amount::parse(text, decimals)?,
            };
            let keys = EngineKeys::new(mint, account.owner);
            let summary = format!(
                "initialize engine {} for mint {mint} (max supply {max_supply}, time-only budget {time_only_budget})",
                keys.engine
            );
            let txs = genesis_txs(ctx, &keys, &summary, args).await?;
            if ctx.write_all(&summary, txs, &[]).await?.is_some() {
                ctx.out(keys.engine.to_string(), serde_json::json!({ "engine": keys.engine.to_string() }));
            }
            Ok(())
        }
        EngineCmd::Show => crate::commands::status::run(ctx, None).await,
    }
}

/// Every transaction genesis still needs (`ops::genesis_transactions`),
/// each with its summary.
async fn genesis_txs(ctx: &mut Ctx, keys: &EngineKeys, summary: &str, args: InitEngineArgs) -> CliResult<Vec<Tx>> {
    let txs = ops::genesis_transactions(&mut ctx.client, keys, args).await?;
    Ok(txs
        .into_iter()
        .map(|ixs| {
            let what = if ixs
                .first()
                .is_some_and(|i| i.data.starts_with(coherence::instruction::InitializeEngine::DISCRIMINATOR))
            {
                summary.to_string()
            } else {
                format!("create {} usage shards", ixs.len())
            };
            Tx::new(what, ixs)
        })
        .collect())
}
