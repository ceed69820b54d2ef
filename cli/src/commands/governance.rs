//! `coherence params …`, `coherence authority …`, `coherence pause|unpause`.

use crate::context::Ctx;
use crate::error::CliResult;
use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand};
use coherence::math::Params;
use coherence_sdk::instructions as ix;

#[derive(Subcommand)]
pub enum ParamsCmd {
    /// Propose new values (unset flags keep the current value).
    Propose(ParamFlags),
    /// Withdraw the pending proposal.
    Cancel,
    /// Apply the pending proposal once its timelock has passed (anyone).
    Apply,
    /// Show active and pending parameters.
    Show,
}

#[derive(Args, Default)]
pub struct ParamFlags {
    #[arg(long)] pub alpha_bps: Option<u16>,
    #[arg(long)] pub gate_bps: Option<u16>,
    #[arg(long)] pub ema_bps: Option<u16>,
    /// Per-epoch emission cap, base units.
    #[arg(long)] pub cap: Option<u64>,
    #[arg(long)] pub cap_decay_bps: Option<u16>,
    #[arg(long)] pub min_lock: Option<u64>,
    #[arg(long)] pub max_lock: Option<u64>,
    #[arg(long)] pub max_boost_bps: Option<u16>,
    #[arg(long)] pub stakers_bps: Option<u16>,
    #[arg(long)] pub builders_bps: Option<u16>,
    #[arg(long)] pub treasury_bps: Option<u16>,
    #[arg(long)] pub min_vesting_cliff: Option<u64>,
    #[arg(long)] pub min_vesting_duration: Option<u64>,
    #[arg(long)] pub timelock_secs: Option<u64>,
}

impl ParamFlags {
    fn apply(&self, mut p: Params) -> Params {
        macro_rules! set { ($($f:ident),*) => { $( if let Some(v) = self.$f { p.$f = v; } )* } }
        set!(alpha_bps, gate_bps, ema_bps, cap, cap_decay_bps, min_lock, max_lock, max_boost_bps, stakers_bps,
             builders_bps, treasury_bps, min_vesting_cliff, min_vesting_duration, timelock_secs);
        p
    }
}

#[derive(Subcommand)]
pub enum AuthorityCmd {
    /// Name the next authority (step 1).
    Propose { new_authority: Pubkey },
    /// Take over as the pending authority (step 2; the signer is the new authority).
    Accept,
}

pub fn params_json(p: &Params) -> serde_json::Value {
    serde_json::json!({
        "alpha_bps": p.alpha_bps, "gate_bps": p.gate_bps, "ema_bps": p.ema_bps, "cap": p.cap,
        "cap_decay_bps": p.cap_decay_bps, "min_lock": p.min_lock, "max_lock": p.max_lock,
        "max_boost_bps": p.max_boost_bps, "stakers_bps": p.stakers_bps, "builders_bps": p.builders_bps,
        "treasury_bps": p.treasury_bps, "min_vesting_cliff": p.min_vesting_cliff,
        "min_vesting_duration": p.min_vesting_duration, "timelock_secs": p.timelock_secs,
    })
}

pub async fn params(ctx: &mut Ctx, cmd: ParamsCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let me = ctx.signer_key();
    match cmd {
        ParamsCmd::Propose(flags) => {
            let p = flags.apply(engine.params);
            let summary = format!("propose parameters (applicable after {} s): {}", engine.params.timelock_secs, params_json(&p));
            ctx.write(&summary, vec![ix::propose_params(&keys, &me, p)], &[]).await?;
        }
        ParamsCmd::Cancel => {
            ctx.write("cancel the pending parameter proposal", vec![ix::cancel_params(&keys, &me)], &[]).await?;
        }
        ParamsCmd::Apply => {
            ctx.write("apply the pending parameters", vec![ix::apply_params(&keys)], &[]).await?;
        }
        ParamsCmd::Show => {
            let pending = engine.pending_params.as_ref().map(params_json);
            let text = format!(
                "active:  {}\npending: {}{}",
                params_json(&engine.params),
                pending.as_ref().map_or("none".to_string(), |p| p.to_string()),
                if engine.pending_params.is_some() { format!(" (eta {})", engine.pending_eta) } else { String::new() },
            );
            ctx.out(text, serde_json::json!({ "active": params_json(&engine.params), "pending": pending, "eta": engine.pending_eta }));
        }
    }
    Ok(())
}

pub async fn authority(ctx: &mut Ctx, cmd: AuthorityCmd) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let me = ctx.signer_key();
    match cmd {
        AuthorityCmd::Propose { new_authority } => {
            ctx.write(&format!("propose {new_authority} as the next authority"), vec![ix::propose_authority(&keys, &me, new_authority)], &[]).await?;
        }
        AuthorityCmd::Accept => {
            ctx.write(&format!("accept the engine authority as {me}"), vec![ix::accept_authority(&keys, &me)], &[]).await?;
        }
    }
    Ok(())
}

pub async fn pause(ctx: &mut Ctx, paused: bool) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let me = ctx.signer_key();
    let what = if paused { "pause new stakes, usage and emission" } else { "resume" };
    ctx.write(what, vec![ix::set_pause(&keys, &me, paused)], &[]).await?;
    Ok(())
}
