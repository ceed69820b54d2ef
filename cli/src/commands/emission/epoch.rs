//! `coherence epoch close|show` and `coherence crank`.

use crate::amount;
use crate::context::Ctx;
use crate::error::CliResult;
use clap::Subcommand;
use coherence::state::EpochRecord;
use coherence_sdk::{instructions as ix, ops, pda};

#[derive(Subcommand)]
pub enum EpochCmd {
    /// Close the next due epoch (anyone).
    Close,
    /// Show a closed epoch's record, or (default) a preview of the open one.
    Show { epoch: Option<u64> },
}

pub async fn run(ctx: &mut Ctx, cmd: EpochCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let fmt = |v: u64| amount::format(v, decimals);
    match cmd {
        EpochCmd::Close => {
            let epoch = engine.next_epoch;
            let payer = ctx.signer_key();
            if ctx.print_tx() {
                let ixs = vec![ix::close_epoch(&keys, &payer, epoch, engine.usage_shards)];
                ctx.write(&format!("close epoch {epoch}"), ixs, &[]).await?;
                return Ok(()); // the record does not exist
            }
            ctx.confirm(&format!("close epoch {epoch}"))?;
            let before = ctx.client.lookup_table(&keys.engine);
            ops::close_epoch(&mut ctx.client, &keys, epoch, engine.usage_shards).await?;
            let (table_text, table) = new_table(ctx, &keys.engine, before);
            ctx.remember_lookup_table()?;
            let r: EpochRecord = ctx.client.get(&pda::epoch_record(&keys.engine, epoch)).await?;
            ctx.out(
                format!("epoch {epoch}: usage {} gate {} emission {}{table_text}", fmt(r.usage), if r.gate_passed { "passed" } else { "failed" }, fmt(r.emission)),
                serde_json::json!({ "epoch": epoch, "usage": r.usage, "gate_passed": r.gate_passed, "emission": r.emission, "lookup_table": table }),
            );
        }
        EpochCmd::Show { epoch: Some(epoch) } if epoch < engine.next_epoch => {
            let r: EpochRecord = ctx.client.get(&pda::epoch_record(&keys.engine, epoch)).await?;
            ctx.out(
                format!(
                    "epoch {epoch}: usage {} (attributed {}) baseline {} cap {} gate {} emission {} = treasury {} + builders {} + stakers {}",
                    fmt(r.usage), fmt(r.attributed), fmt(r.baseline), fmt(r.cap), if r.gate_passed { "passed" } else { "failed" },
                    fmt(r.emission), fmt(r.treasury_amount), fmt(r.builders_amount), fmt(r.stakers_amount),
                ),
                serde_json::json!({
                    "epoch": epoch, "usage": r.usage, "attributed": r.attributed, "baseline": r.baseline, "cap": r.cap,
                    "gate_passed": r.gate_passed, "emission": r.emission, "treasury": r.treasury_amount,
                    "builders": r.builders_amount, "stakers": r.stakers_amount,
                }),
            );
        }
        EpochCmd::Show { epoch } => {
            let epoch = epoch.unwrap_or(engine.next_epoch);
            let (o, s) = coherence_sdk::ops::preview_epoch(&mut ctx.client, &keys, epoch).await?;
            ctx.out(
                format!(
                    "epoch {epoch} (open): if closed now, gate {} emission {} = treasury {} + builders {} + stakers {}",
                    if o.passed { "passes" } else { "fails" },
                    fmt(o.emission),
                    fmt(s.treasury),
                    fmt(s.builders),
                    fmt(s.stakers),
                ),
                serde_json::json!({ "epoch": epoch, "open": true, "gate_passed": o.passed, "emission": o.emission }),
            );
        }
    }
    Ok(())
}

/// The lookup table closing created, if it did (text to append, JSON
/// value): pass it with `--lookup-table` from then on.
fn new_table(
    ctx: &Ctx,
    engine: &anchor_lang::prelude::Pubkey,
    before: Option<anchor_lang::prelude::Pubkey>,
) -> (String, Option<String>) {
    match ctx.client.lookup_table(engine).filter(|t| before != Some(*t)) {
        Some(table) => (
            format!("\ncreated the engine's address lookup table {table} (frozen); remembered in the tables file"),
            Some(table.to_string()),
        ),
        None => (String::new(), None),
    }
}
