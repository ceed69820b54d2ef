//! `coherence local …` (in-process ledger only) and `coherence keygen`.

use crate::amount;
use crate::context::{write_keypair, Ctx};
use crate::error::{CliError, CliResult};
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use clap::Subcommand;
use solana_keypair::Keypair;
use solana_signer::Signer;
use std::path::Path;

#[derive(Subcommand)]
pub enum LocalCmd {
    /// Create a mint (the signer is its mint authority) and mint a supply to the signer.
    InitMint {
        /// Initial supply in UI units.
        #[arg(long, default_value = "1000000")]
        supply: String,
        #[arg(long, default_value_t = 6)]
        decimals: u8,
        /// Use Token-2022 instead of SPL Token.
        #[arg(long)]
        token_2022: bool,
    },
    /// Move the ledger's clock forward by `secs`.
    Warp { secs: u64 },
    /// Print the ledger's clock.
    Time,
}

pub fn keygen(path: &Path) -> CliResult {
    if path.exists() {
        return Err(CliError::Input(format!("{} exists; refusing to overwrite a keypair", path.display())));
    }
    let keypair = Keypair::new();
    write_keypair(path, &keypair)?;
    crate::outln!("{}", keypair.pubkey());
    Ok(())
}

pub async fn run(ctx: &mut Ctx, cmd: LocalCmd) -> CliResult {
    if !ctx.is_local() {
        return Err(CliError::Input("`coherence local` works only with --url local".into()));
    }
    match cmd {
        LocalCmd::InitMint { supply, decimals, token_2022 } => {
            let units = amount::parse(&supply, decimals)?;
            let program = if token_2022 { anchor_spl::token_2022::ID } else { anchor_spl::token::ID };
            let mint = Keypair::new();
            let owner = ctx.signer_key();
            let ata = get_associated_token_address_with_program_id(&owner, &mint.pubkey(), &program);
            let ixs = coherence_sdk::ops::create_mint_ixs(&owner, &mint.pubkey(), &program, decimals, units)?;
            // With --print-tx the mint keypair is a required signer of the printed message.
            if ctx.write(&format!("create mint {} with {supply} tokens", mint.pubkey()), ixs, &[&mint]).await?.is_some()
            {
                ctx.out(
                    mint.pubkey().to_string(),
                    serde_json::json!({ "mint": mint.pubkey().to_string(), "token_account": ata.to_string() }),
                );
            }
        }
        LocalCmd::Warp { .. } if ctx.print_tx() => {
            return Err(CliError::Input(
                "`local warp` moves the ledger clock and has no transaction to print: drop --print-tx".into(),
            ));
        }
        LocalCmd::Warp { secs } => {
            let bank = ctx.client.local_bank().ok_or_else(|| CliError::Input("not local".into()))?;
            let now = bank.now().await?;
            let to = now
                .checked_add(i64::try_from(secs).map_err(input)?)
                .ok_or_else(|| CliError::Input("time overflow".into()))?;
            bank.warp_to(to).await?;
            ctx.out(format!("clock: {now} -> {to}"), serde_json::json!({ "from": now, "to": to }));
        }
        LocalCmd::Time => {
            let now = ctx.client.now().await?;
            ctx.out(now.to_string(), serde_json::json!({ "unix_time": now }));
        }
    }
    Ok(())
}

fn input(e: impl std::fmt::Display) -> CliError {
    CliError::Input(e.to_string())
}
