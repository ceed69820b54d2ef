//! `coherence vesting create|claim|revoke|transfer|close|show`.

use crate::amount;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use clap::Subcommand;
use coherence::instructions::CreateVestingArgs;
use coherence::state::VestingSchedule;
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
    },
    /// Claim vested tokens (beneficiary).
    Claim { id: u64 },
    /// Revoke a revocable schedule (authority).
    Revoke { id: u64 },
    /// Hand a schedule to a new beneficiary.
    Transfer { id: u64, new_beneficiary: Pubkey },
    /// Close a fully settled schedule (rent back).
    Close { id: u64 },
    /// Show one schedule, or every schedule of a beneficiary (default: the signer).
    Show {
        id: Option<u64>,
        #[arg(long)]
        beneficiary: Option<Pubkey>,
    },
}

fn secs(v: u64) -> CliResult<i64> {
    i64::try_from(v).map_err(|_| CliError::Input(format!("{v} seconds is too large")))
}

pub async fn run(ctx: &mut Ctx, cmd: VestingCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    match cmd {
        VestingCmd::Create { beneficiary, amount: text, start, cliff_secs, duration_secs, period_secs, revocable } => {
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
            };
            args.curve()
                .validate(engine.params.min_vesting_cliff, engine.params.min_vesting_duration)
                .map_err(|e| CliError::Input(format!("{}: {e}", e.name())))?;
            let id = engine.vesting_count;
            let summary = format!("vest {text} to {beneficiary} (schedule #{id}, cliff {cliff_secs}s, over {duration_secs}s)");
            ctx.write(&summary, vec![ix::create_vesting(&keys, &me, &me, id, args)], &[]).await?;
        }
        VestingCmd::Claim { id } => {
            let v = pda::vesting(&keys.engine, id);
            let dest = ops::ata(&keys, &me);
            let ixs = vec![ops::create_ata_ix(&keys, &me, &me), ix::claim_vesting(&keys, &me, &v, &dest)];
            ctx.write(&format!("claim vested tokens of schedule #{id}"), ixs, &[]).await?;
        }
        VestingCmd::Revoke { id } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(&format!("revoke schedule #{id} (unvested part returns to the treasury)"), vec![ix::revoke_vesting(&keys, &me, &v)], &[]).await?;
        }
        VestingCmd::Transfer { id, new_beneficiary } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(&format!("transfer schedule #{id} to {new_beneficiary}"), vec![ix::transfer_vesting(&me, &v, new_beneficiary)], &[]).await?;
        }
        VestingCmd::Close { id } => {
            let v = pda::vesting(&keys.engine, id);
            ctx.write(&format!("close schedule #{id}"), vec![ix::close_vesting(&me, &v)], &[]).await?;
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
                let claimable = preview::preview_vested(&s, now)?;
                text.push(format!(
                    "#{} {key} beneficiary {} total {} claimed {} claimable now {}{}",
                    s.id, s.beneficiary, amount::format(s.total, decimals), amount::format(s.claimed, decimals),
                    amount::format(claimable, decimals), if s.revoked_at != 0 { " (revoked)" } else { "" },
                ));
                json.push(serde_json::json!({
                    "id": s.id, "address": key.to_string(), "beneficiary": s.beneficiary.to_string(), "total": s.total,
                    "claimed": s.claimed, "claimable": claimable, "start": s.start, "cliff": s.cliff, "end": s.end,
                    "period": s.period, "revocable": s.revocable, "revoked_at": s.revoked_at,
                }));
            }
            ctx.out(if text.is_empty() { "no schedules".into() } else { text.join("\n") }, serde_json::Value::Array(json));
        }
    }
    Ok(())
}
