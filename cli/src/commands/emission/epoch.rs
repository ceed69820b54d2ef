//! `coherence epoch close|show` and `coherence crank`.

use crate::amount;
use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
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

/// Closes every ended epoch; with `watch`, again every `interval` seconds.
/// `--print-tx` prints one `close_epoch` per ended epoch, once: watching
/// would print the same messages forever, since nothing gets closed.
pub async fn crank(ctx: &mut Ctx, watch: bool, interval: u64) -> CliResult {
    if watch && ctx.print_tx() {
        return Err(CliError::Input(
            "--watch cannot be combined with --print-tx: print the due epochs once, without --watch".into(),
        ));
    }
    let (keys, engine) = ctx.engine().await?;
    if ctx.print_tx() {
        let now = ctx.client.now().await?;
        let payer = ctx.signer_key();
        let txs = ops::due_closes(&keys, &engine, &payer, now)
            .into_iter()
            .map(|(epoch, close)| Tx::new(format!("close epoch {epoch}"), vec![close]))
            .collect();
        ctx.write_all("close every ended epoch", txs, &[]).await?;
        return Ok(());
    }
    ctx.confirm("close every ended epoch")?;
    let before = ctx.client.lookup_table(&keys.engine);
    loop {
        let spinner = indicatif::ProgressBar::new_spinner();
        spinner.set_message("closing due epochs");
        spinner.enable_steady_tick(std::time::Duration::from_millis(120));
        let closed = ops::crank(&mut ctx.client, &keys).await;
        spinner.finish_and_clear();
        let closed = closed?;
        let (table_text, table) = new_table(ctx, &keys.engine, before);
        ctx.out(
            format!("closed epochs: {closed:?}{table_text}"),
            serde_json::json!({ "closed": closed, "lookup_table": table }),
        );
        if !watch {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(interval)).await;
    }
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
            format!("\ncreated the engine's address lookup table {table}: pass --lookup-table {table} from now on"),
            Some(table.to_string()),
        ),
        None => (String::new(), None),
    }
}
