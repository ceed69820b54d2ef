//! `coherence vesting create|claim|revoke|expire|transfer|close|lower-budget|sync-budget|show`.

use crate::amount;
use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use coherence::instructions::CreateVestingArgs;
use coherence::math::params::{check_usage_budget, validate_usage_gate};
use coherence::state::{Engine, VestingSchedule};
use coherence_sdk::accounts::filters;
use coherence_sdk::{instructions as ix, ops, pda, preview};

#[derive(Subcommand)]
pub enum VestingCmd {
    /// Fund a schedule from the treasury (authority).
    Create {
        #[arg(long)]
        beneficiary: Pubkey,
        /// Total, UI units.
        #[arg(long, allow_hyphen_values = true)]
        amount: String,
        /// Start (unix seconds); default: now.
        #[arg(long)]
        start: Option<i64>,
        #[arg(long)]
        cliff_secs: u64,
        #[arg(long)]
        duration_secs: u64,
        /// Step length in seconds; 0 = linear.
        #[arg(long, default_value_t = 0)]
        period_secs: u64,
        #[arg(long)]
        revocable: bool,
        /// Gate the schedule on usage: at most this many bps of the usage
        /// burned after creation vest (0 = time-only). Takes this much of the
        /// engine's usage budget (α + Σ rate ≤ 10 000).
        #[arg(long, default_value_t = 0)]
        usage_rate_bps: u16,
        /// Gated schedules: seconds after the end before anyone may expire
        /// what has not vested (default 180 days).
        #[arg(long)]
        grace_secs: Option<u32>,
    },
    /// Claim vested tokens (beneficiary).
    Claim { id: u64 },
    /// Revoke a revocable schedule (authority).
    Revoke { id: u64 },
    /// Expire a usage-gated schedule after its end + grace (anyone).
    Expire { id: u64 },
    /// Hand a schedule to a new beneficiary.
    Transfer { id: u64, new_beneficiary: Pubkey },
    /// Close a fully settled schedule (rent back).
    Close { id: u64 },
    /// Lower the time-only budget, the most time-only vesting may ever commit (authority).
    LowerBudget {
        #[arg(allow_hyphen_values = true)]
        amount: String,
    },
    /// Count an older engine's schedules into its time-only ledger (anyone).
    SyncBudget,
    /// Show one schedule, or every schedule of a beneficiary (default: the signer).
    Show {
        id: Option<u64>,
        #[arg(long)]
        beneficiary: Option<Pubkey>,
    },
}

/// Grace used by `vesting create --usage-rate-bps` when none is given.
const DEFAULT_GRACE_SECS: u32 = 180 * 86_400;

fn bps(v: u16) -> String {
    format!("{}.{:02}", v / 100, v % 100)
}

/// One schedule for `vesting show`: both limits, and which one binds.
fn describe(
    key: &Pubkey,
    s: &VestingSchedule,
    engine: &Engine,
    now: i64,
    decimals: u8,
) -> CliResult<(String, serde_json::Value)> {
    let fmt = |v: u64| amount::format(v, decimals);
    let claimable = preview::preview_vested(s, engine.total_usage_burned, now)?;
    let limits = preview::preview_limits(s, engine.total_usage_burned, now)?;
    let state = match s.revoked_at {
        0 => String::new(),
        at => format!(" (vesting stopped at {at}: revoked or expired)"),
    };
    let (gate_text, binds) = match (s.gate(), limits.usage) {
        (Some(g), Some(u)) => {
            let used = g.usage_since(engine.total_usage_burned);
            let binds = if s.revoked_at != 0 {
                "frozen"
            } else if limits.usage_binds() {
                "usage"
            } else {
                "time"
            };
            let expiry = s.end.saturating_add(i64::from(s.grace_secs));
            (format!("; time limit {} usage limit {} ({} % of {} usage since creation) → {binds} binds; expirable from {expiry}",
                fmt(limits.time), fmt(u), bps(g.rate_bps), fmt(u64::try_from(used).unwrap_or(u64::MAX))), binds)
        }
        _ => (String::new(), if s.revoked_at != 0 { "frozen" } else { "time" }),
    };
    let line = format!(
        "#{} {key} beneficiary {} total {} claimed {} claimable now {}{gate_text}{state}",
        s.id,
        s.beneficiary,
        fmt(s.total),
        fmt(s.claimed),
        fmt(claimable),
    );
    let value = serde_json::json!({
        "id": s.id, "address": key.to_string(), "beneficiary": s.beneficiary.to_string(), "total": s.total,
        "claimed": s.claimed, "claimable": claimable, "start": s.start, "cliff": s.cliff, "end": s.end,
        "period": s.period, "revocable": s.revocable, "revoked_at": s.revoked_at, "version": s.version,
        "usage_rate_bps": s.gate().map_or(0, |g| g.rate_bps), "grace_secs": s.grace_secs,
        "time_limit": limits.time, "usage_limit": limits.usage, "binding": binds,
        "holds_budget": s.holds_budget,
    });
    Ok((line, value))
}

fn secs(v: u64) -> CliResult<i64> {
    i64::try_from(v).map_err(|_| CliError::Input(format!("{v} seconds is too large")))
}

pub async fn run(ctx: &mut Ctx, cmd: VestingCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    match cmd {
        VestingCmd::Create {
            beneficiary,
            amount: text,
            start,
            cliff_secs,
            duration_secs,
            period_secs,
            revocable,
            usage_rate_bps,
            grace_secs,
        } => {
            let total = amount::parse(&text, decimals)?;
            let start = match start {
                Some(s) => s,
                None => ctx.client.now().await?,
            };
            let args = CreateVestingArgs {
                beneficiary,
                total,
                start,
                cliff: start.checked_add(secs(cliff_secs)?).ok_or_else(|| CliError::Input("cliff overflows".into()))?,
                end: start.checked_add(secs(duration_secs)?).ok_or_else(|| CliError::Input("end overflows".into()))?,
                period: period_secs,
                revocable,
                usage_rate_bps,
                grace_secs: if usage_rate_bps == 0 {
                    grace_secs.unwrap_or(0)
                } else {
                    grace_secs.unwrap_or(DEFAULT_GRACE_SECS)
                },
            };
            let named = |e: coherence::errors::CoherenceError| CliError::Input(format!("{}: {e}", e.name()));
            args.curve()
                .validate(engine.params.min_vesting_cliff, engine.params.min_vesting_duration)
                .map_err(named)?;
            validate_usage_gate(args.usage_rate_bps, args.grace_secs).map_err(named)?;
            if usage_rate_bps > 0 {
                check_usage_budget(
                    engine.budget_alpha_bps(),
                    u64::from(engine.gated_rate_bps) + u64::from(usage_rate_bps),
                )
                .map_err(named)?;
            } else if args.total > engine.time_only_room().map_err(named)? {
                return Err(named(coherence::errors::CoherenceError::TimeOnlyBudgetExceeded));
            }
            let id = engine.vesting_count;
            let gate = match usage_rate_bps {
                0 => String::new(),
                r => format!(", gated at {} % of usage, grace {}s", bps(r), args.grace_secs),
            };
            let summary = format!(
                "vest {text} to {beneficiary} (schedule #{id}, cliff {cliff_secs}s, over {duration_secs}s{gate})"
            );
            ctx.write(&summary, vec![ix::create_vesting(&keys, &me, &me, id, args, engine.usage_shards)], &[]).await?;
        }
        VestingCmd::LowerBudget { amount: text } => {
            let budget = match text.trim() {
                "0" => 0,
                t => amount::parse(t, decimals)?,
            };
            let summary = format!(
                "lower the time-only budget from {} to {text} (committed: {})",
                amount::format(engine.time_only_budget, decimals),
                amount::format(engine.time_only_used, decimals)
            );
            ctx.write(&summary, vec![ix::lower_time_only_budget(&keys, &me, budget)], &[]).await?;
        }
        VestingCmd::SyncBudget => {
            let txs = ops::sync_time_only_transactions(&mut ctx.client, &keys).await?;
            let txs: Vec<Tx> =
                txs.into_iter().map(|ixs| Tx::new("count schedules into the time-only ledger", ixs)).collect();
            if txs.is_empty() {
                ctx.out("the time-only ledger is already synced".into(), serde_json::json!({ "synced": true }));
            } else if ctx.write_all("sync the time-only ledger", txs, &[]).await?.is_some() {
                let e: Engine = ctx.client.get(&keys.engine).await?;
                ctx.out(
                    format!("time-only budget {} = used {} (synced)", e.time_only_budget, e.time_only_used),
                    serde_json::json!({ "synced": e.time_only_synced, "budget": e.time_only_budget, "used": e.time_only_used }),
                );
            }
        }
        VestingCmd::Claim { id } => {
            let v = pda::vesting(&keys.engine, id);
            let ixs = ops::claim_vesting_ixs(&keys, &me, &me, &v);
            ctx.write(&format!("claim vested tokens of schedule #{id}"), ixs, &[]).await?;
        }
        VestingCmd::Revoke { id } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(
                &format!("revoke schedule #{id} (unvested part returns to the treasury)"),
                vec![ix::revoke_vesting(&keys, &me, &v)],
                &[],
            )
            .await?;
        }
        VestingCmd::Expire { id } => {
            let v = pda::vesting(&keys.engine, id);
            let what = format!("expire schedule #{id} (unvested part returns to the treasury)");
            ctx.write(&what, vec![ix::expire_vesting(&keys, &v)], &[]).await?;
        }
        VestingCmd::Transfer { id, new_beneficiary } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(
                &format!("transfer schedule #{id} to {new_beneficiary}"),
                vec![ix::transfer_vesting(&me, &v, new_beneficiary)],
                &[],
            )
            .await?;
        }
        VestingCmd::Close { id } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(&format!("close schedule #{id}"), vec![ix::close_vesting(&keys, &me, &v)], &[]).await?;
        }
        VestingCmd::Show { id, beneficiary } => {
            let now = ctx.client.now().await?;
            let list: Vec<(Pubkey, VestingSchedule)> = match id {
                Some(id) => {
                    let key = pda::vesting(&keys.engine, id);
                    vec![(key, ctx.client.get(&key).await?)]
                }
                None => {
                    let who = beneficiary.unwrap_or(me);
                    ctx.client.program_accounts(&[filters::engine(&keys.engine), filters::beneficiary(&who)]).await?
                }
            };
            let mut text = Vec::new();
            let mut json = Vec::new();
            for (key, s) in list {
                let (line, value) = describe(&key, &s, &engine, now, decimals)?;
                text.push(line);
                json.push(value);
            }
            ctx.out(
                if text.is_empty() { "no schedules".into() } else { text.join("\n") },
                serde_json::Value::Array(json),
            );
        }
    }
    Ok(())
}
