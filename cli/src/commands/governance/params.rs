//! `coherence params …`, `coherence authority …`, `coherence pause|unpause`.

use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use clap::{Args, Subcommand};
use coherence::math::Params;
use coherence_sdk::{instructions as ix, params};

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

/// One `--<name>` flag per governable parameter (`--alpha-bps`, `--cap`, …),
/// taken from `coherence_sdk::params::names`: a new parameter gets its flag
/// without an edit here. Unset flags keep the current value.
#[derive(Default)]
pub struct ParamFlags(Vec<(&'static str, u64)>);

impl ParamFlags {
    pub fn apply(&self, mut p: Params) -> CliResult<Params> {
        for (name, value) in &self.0 {
            params::set(&mut p, name, *value).map_err(CliError::Input)?;
        }
        Ok(p)
    }

    /// The flag of parameter `name`: `alpha_bps` → `--alpha-bps`.
    fn flag(name: &'static str) -> clap::Arg {
        let long: &'static str = Box::leak(name.replace('_', "-").into_boxed_str());
        clap::Arg::new(name)
            .long(long)
            .value_name("VALUE")
            .value_parser(clap::value_parser!(u64))
            .help(format!("New {name} (base units, seconds or bps, as the field)"))
    }
}

impl clap::FromArgMatches for ParamFlags {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        Ok(ParamFlags(params::names().iter().filter_map(|n| m.get_one::<u64>(n).map(|v| (*n, *v))).collect()))
    }

    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for ParamFlags {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        params::names().iter().fold(cmd, |cmd, name| cmd.arg(ParamFlags::flag(name)))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

#[derive(Subcommand)]
pub enum AuthorityCmd {
    /// Name the next authority (step 1).
    Propose { new_authority: Pubkey },
    /// Take over as the pending authority (step 2; the signer is the new authority).
    Accept,
}

pub async fn params(ctx: &mut Ctx, cmd: ParamsCmd) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let me = ctx.signer_key();
    match cmd {
        ParamsCmd::Propose(flags) => {
            let p = flags.apply(engine.params)?;
            let summary = format!(
                "propose parameters (applicable after {} s): {}",
                engine.params.timelock_secs,
                params::to_json(&p)
            );
            ctx.write(&summary, vec![ix::propose_params(&keys, &me, p)], &[]).await?;
        }
        ParamsCmd::Cancel => {
            ctx.write("cancel the pending parameter proposal", vec![ix::cancel_params(&keys, &me)], &[]).await?;
        }
        ParamsCmd::Apply => {
            ctx.write("apply the pending parameters", vec![ix::apply_params(&keys)], &[]).await?;
        }
        ParamsCmd::Show => {
            let pending = engine.pending_params.as_ref().map(params::to_json);
            let text = format!(
                "active:  {}\npending: {}{}",
                params::to_json(&engine.params),
                pending.as_ref().map_or("none".to_string(), |p| p.to_string()),
                if engine.pending_params.is_some() { format!(" (eta {})", engine.pending_eta) } else { String::new() },
            );
            ctx.out(text, serde_json::json!({ "active": params::to_json(&engine.params), "pending": pending, "eta": engine.pending_eta }));
        }
    }
    Ok(())
}

pub async fn authority(ctx: &mut Ctx, cmd: AuthorityCmd) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let me = ctx.signer_key();
    match cmd {
        AuthorityCmd::Propose { new_authority } => {
            ctx.write(
                &format!("propose {new_authority} as the next authority"),
                vec![ix::propose_authority(&keys, &me, new_authority)],
                &[],
            )
            .await?;
        }
        AuthorityCmd::Accept => {
            ctx.write(&format!("accept the engine authority as {me}"), vec![ix::accept_authority(&keys, &me)], &[])
                .await?;
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
