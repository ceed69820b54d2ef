//! `coherence usage record`.

use crate::amount;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use clap::Subcommand;
use coherence_sdk::{ops, pda};

#[derive(Subcommand)]
pub enum UsageCmd {
    /// Pay for the service: burn `amount` as usage of the current epoch.
    Record {
        #[arg(allow_hyphen_values = true)]
        amount: String,
        /// Usage shard (default: derived from the signer, to spread write locks).
        #[arg(long)]
        shard: Option<u8>,
        /// Attribute the usage to builder source `id`.
        #[arg(long)]
        source: Option<u64>,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: UsageCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    match cmd {
        UsageCmd::Record { amount: text, shard, source } => {
            let units = amount::parse(&text, decimals)?;
            let shard = shard.unwrap_or(me.to_bytes()[0] % engine.usage_shards);
            if shard >= engine.usage_shards {
                return Err(CliError::Input(format!("shard {shard} >= usage_shards {}", engine.usage_shards)));
            }
            let source = source.map(|id| pda::source(&keys.engine, id));
            let ixs = ops::record_usage_ixs(&mut ctx.client, &keys, &me, shard, units, source).await?;
            ctx.write(&format!("burn {text} as usage (shard {shard})"), ixs, &[]).await?;
        }
    }
    Ok(())
}
