//! `coherence treasury deposit`.

use crate::amount;
use crate::context::Ctx;
use crate::error::CliResult;
use clap::Subcommand;
use coherence_sdk::{instructions as ix, ops};

#[derive(Subcommand)]
pub enum TreasuryCmd {
    /// Move tokens from the signer into the treasury (anyone may).
    Deposit {
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
}

pub async fn run(ctx: &mut Ctx, cmd: TreasuryCmd) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    match cmd {
        TreasuryCmd::Deposit { amount: text } => {
            let units = amount::parse(&text, decimals)?;
            let me = ctx.signer_key();
            let from = ops::ata(&keys, &me);
            ctx.write(
                &format!("deposit {text} into the treasury"),
                vec![ix::deposit_treasury(&keys, &me, &from, units)],
                &[],
            )
            .await?;
        }
    }
    Ok(())
}
