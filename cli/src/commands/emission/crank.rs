//! `coherence crank`: close every ended epoch; with `--watch`, a service
//! that keeps doing it (a systemd unit: docs/crank-service.md).
//!
//! In watch mode nothing stops the loop but `--max-lag`: a failed round
//! (RPC down, validator restarting, a transaction that did not land) is one
//! line on stderr, then a retry after a growing pause (1 s, 2 s, 4 s … at
//! most the interval); a round that succeeds resets it. The program keeps
//! every close in order and once (`EpochOutOfOrder`, `EpochAlreadyClosed`),
//! and the SDK's crank skips an epoch another crank closed first.
//!
//! Exit codes: 0 done (without `--watch`); 1 an error (bad input, or without
//! `--watch` a failed close); 2 bad flags; 3 `--max-lag` exceeded: the
//! engine has more than N ended epochs nobody closed.
//!
//! `--heartbeat FILE` is rewritten (atomically) after every round, for an
//! operator's alert: the engine, its next epoch to close, the lag in
//! epochs, when (unix seconds), whether the round succeeded and its error.

use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use coherence::state::Engine;
use coherence_sdk::{ops, EngineKeys};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Exit code of `--max-lag` exceeded.
pub const EXIT_LAGGING: u8 = 3;

/// The crank's flags.
#[derive(clap::Args, Clone, Debug)]
pub struct CrankArgs {
    /// Keep closing ended epochs, every `--interval` seconds, until stopped.
    #[arg(long)]
    pub watch: bool,
    /// Seconds between rounds in watch mode (also the longest pause after failures).
    #[arg(long, default_value_t = 30)]
    pub interval: u64,
    /// Exit with code 3 when more than this many ended epochs are still open
    /// after a round (something keeps the crank from closing them).
    #[arg(long)]
    pub max_lag: Option<u64>,
    /// Rewrite this JSON file after every round (last closed epoch, lag, time, error).
    #[arg(long)]
    pub heartbeat: Option<PathBuf>,
}

/// The state one heartbeat reports.
struct Beat {
    next_epoch: Option<u64>,
    lag: Option<u64>,
    closed: Vec<u64>,
    error: Option<String>,
}

fn unix_now() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// Writes the heartbeat atomically (a temporary file, then a rename).
fn write_heartbeat(path: &Path, engine: &Pubkey, beat: &Beat) -> CliResult {
    let json = serde_json::json!({
        "engine": engine.to_string(),
        "next_epoch": beat.next_epoch,
        "last_closed_epoch": beat.next_epoch.and_then(|n| n.checked_sub(1)),
        "lag_epochs": beat.lag,
        "closed_this_round": beat.closed,
        "ok": beat.error.is_none(),
        "error": beat.error,
        "at": unix_now(),
    });
    let tmp = path.with_extension("tmp");
    let io = |e: std::io::Error| CliError::Input(format!("heartbeat {}: {e}", path.display()));
    std::fs::write(&tmp, json.to_string()).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// One round: close every ended epoch; then how far behind the engine is.
async fn round(ctx: &mut Ctx, keys: &EngineKeys) -> Result<(Vec<u64>, u64, u64), coherence_sdk::ClientError> {
    let closed = ops::crank(&mut ctx.client, keys).await?;
    let engine: Engine = ctx.client.get(&keys.engine).await?;
    let now = ctx.client.now().await?;
    let lag = engine.due_epochs(now).count() as u64;
    Ok((closed, engine.next_epoch, lag))
}

pub async fn run(ctx: &mut Ctx, args: CrankArgs) -> CliResult {
    if args.watch && ctx.print_tx() {
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
    let interval = Duration::from_secs(args.interval.max(1));
    let mut failures = 0u32;
    loop {
        let before = ctx.client.lookup_table(&keys.engine);
        let spinner = (!args.watch).then(|| {
            let s = indicatif::ProgressBar::new_spinner();
            s.set_message("closing due epochs");
            s.enable_steady_tick(Duration::from_millis(120));
            s
        });
        let result = round(ctx, &keys).await;
        if let Some(s) = spinner {
            s.finish_and_clear();
        }
        let beat = match &result {
            Ok((closed, next, lag)) => {
                Beat { next_epoch: Some(*next), lag: Some(*lag), closed: closed.clone(), error: None }
            }
            Err(e) => Beat { next_epoch: None, lag: None, closed: vec![], error: Some(e.to_string()) },
        };
        if let Some(path) = &args.heartbeat {
            write_heartbeat(path, &keys.engine, &beat)?;
        }
        match result {
            Ok((closed, _, lag)) => {
                failures = 0;
                let (table_text, table) = table_change(ctx, &keys.engine, before);
                ctx.remember_lookup_table()?;
                if !args.watch || !closed.is_empty() || !table_text.is_empty() {
                    ctx.out(
                        format!("closed epochs: {closed:?}{table_text}"),
                        serde_json::json!({ "closed": closed, "lookup_table": table, "lag": lag }),
                    );
                }
                if let Some(max) = args.max_lag.filter(|max| lag > *max) {
                    eprintln!(
                        "crank: {lag} ended epochs are still open, more than --max-lag {max}: exiting with code 3"
                    );
                    return Err(CliError::Lagging(lag));
                }
                if !args.watch {
                    return Ok(());
                }
                tokio::time::sleep(interval).await;
            }
            Err(e) if args.watch => {
                failures = failures.saturating_add(1);
                let pause = Duration::from_secs(1u64 << failures.min(16).saturating_sub(1)).min(interval);
                eprintln!(
                    "crank: {} round failed (attempt {failures}): {}; retrying in {}s",
                    unix_now(),
                    e.to_string().replace('\n', " "),
                    pause.as_secs()
                );
                tokio::time::sleep(pause).await;
            }
            Err(e) => return Err(e.into()),
        }
    }
}

/// The lookup table the round started using, if it changed (text to append,
/// JSON value): a new table was created, or a deactivated one replaced.
fn table_change(ctx: &Ctx, engine: &Pubkey, before: Option<Pubkey>) -> (String, Option<String>) {
    let now = ctx.client.lookup_table(engine);
    match (before, now) {
        (b, Some(t)) if b != Some(t) => {
            let why = match b {
                Some(old) => format!("the lookup table {old} is deactivated, closed or incomplete: "),
                None => String::new(),
            };
            (
                format!("\n{why}created the engine's address lookup table {t} (frozen) and remembered it"),
                Some(t.to_string()),
            )
        }
        (Some(old), None) => (
            format!("\nthe lookup table {old} is deactivated, closed or incomplete: closing with legacy transactions"),
            None,
        ),
        _ => (String::new(), None),
    }
}
