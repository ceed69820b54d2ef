//! Genesis from a file, idempotently: create the engine (and its usage
//! shards) for an existing mint, make the initial treasury deposit, and fund
//! the vesting allocations — each step skipped when already done, so the
//! script can be re-run after a partial failure.

use anchor_lang::prelude::Pubkey;
use coherence::instructions::CreateVestingArgs;
use coherence::math::Params;
use coherence::state::Engine;
use coherence_sdk::{defaults, instructions as ix, ops, Client, ClientError, EngineKeys};
use serde::Deserialize;
use solana_signer::Signer;
use std::str::FromStr;

/// The genesis file (JSON). Amounts are in base units.
/// Seconds between the cluster clock read by the script and the default
/// start of a vesting schedule, so the start is still ahead of the clock
/// when the transaction lands (`VestingStartInPast` otherwise; found on a
/// real validator).
pub const DEFAULT_START_DELAY_SECS: i64 = 120;

#[derive(Clone, Debug, Deserialize)]
pub struct Genesis {
    pub mint: String,
    /// Governance key (default: the deployer).
    pub authority: Option<String>,
    pub max_supply: u64,
    #[serde(default = "day")]
    pub epoch_secs: u64,
    #[serde(default = "four")]
    pub usage_shards: u8,
    /// Parameters, every field (default: `coherence_sdk::defaults::params`
    /// with a cap of 1 % of max supply); names as in `coherence_sdk::params`.
    pub params: Option<Params>,
    /// Moved from the deployer into the treasury on the first run.
    #[serde(default)]
    pub treasury_deposit: u64,
    #[serde(default)]
    pub vesting: Vec<Allocation>,
    /// Most that time-only vesting may ever commit, base units (the value
    /// that can accrue without usage; only lowered afterwards). Default: the
    /// sum of the time-only allocations below, so nothing more fits.
    pub time_only_budget: Option<u64>,
}

impl Genesis {
    /// The declared time-only budget, or the sum of the time-only allocations.
    pub fn time_only_budget(&self) -> u64 {
        self.time_only_budget.unwrap_or_else(|| {
            self.vesting.iter().filter(|a| a.usage_rate_bps == 0).map(|a| a.amount).fold(0, u64::saturating_add)
        })
    }
}

fn day() -> u64 {
    86_400
}
fn four() -> u8 {
    4
}

/// One vesting schedule; allocation `i` becomes schedule id `i`.
#[derive(Clone, Debug, Deserialize)]
pub struct Allocation {
    pub beneficiary: String,
    pub amount: u64,
    /// Unix start; default: when the script runs, plus
    /// [`DEFAULT_START_DELAY_SECS`].
    pub start: Option<i64>,
    pub cliff_secs: u64,
    pub duration_secs: u64,
    #[serde(default)]
    pub period_secs: u64,
    #[serde(default)]
    pub revocable: bool,
    /// Usage gate in bps of usage burned after creation (0 = time-only).
    #[serde(default)]
    pub usage_rate_bps: u16,
    /// Seconds after the end before an unfinished gated schedule can be expired.
    #[serde(default)]
    pub grace_secs: u32,
}

/// What a run did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub engine: Pubkey,
    pub engine_created: bool,
    pub deposited: u64,
    pub schedules_created: Vec<u64>,
    /// The engine's address lookup table for `close_epoch`: the one the
    /// client already knew (e.g. from an earlier deployment record), or one
    /// created now because a legacy `close_epoch` would not fit (more than
    /// `lookup::LEGACY_MAX_SHARDS` shards).
    pub lookup_table: Option<Pubkey>,
}

fn key(text: &str) -> Result<Pubkey, ClientError> {
    Pubkey::from_str(text).map_err(|e| ClientError::Decode(format!("{text}: {e}")))
}

/// Runs genesis from `g` with `client`'s payer as deployer (the mint's
/// current mint authority on the first run).
pub async fn deploy(client: &mut Client, g: &Genesis) -> Result<Report, ClientError> {
    let mint = key(&g.mint)?;
    let token_program = client.account(&mint).await?.ok_or_else(|| ClientError::AccountNotFound(g.mint.clone()))?.owner;
    let me = client.payer().pubkey();
    let keys = EngineKeys::new(mint, token_program);
    let existed = client.account(&keys.engine).await?.is_some();
    let authority = match &g.authority {
        Some(a) => key(a)?,
        None => me,
    };
    let mut args = defaults::init_args(authority, g.max_supply);
    args.epoch_secs = g.epoch_secs;
    args.usage_shards = g.usage_shards;
    args.time_only_budget = g.time_only_budget();
    if let Some(p) = g.params {
        args.params = p;
    }
    ops::init_engine(client, mint, token_program, args).await?;
    let mut report = Report { engine: keys.engine, engine_created: !existed, ..Report::default() };

    let engine: Engine = client.get(&keys.engine).await?;
    if g.treasury_deposit > 0 && engine.vesting_count == 0 && !existed {
        let from = ops::ata(&keys, &me);
        client.send(&[ix::deposit_treasury(&keys, &me, &from, g.treasury_deposit)], &[]).await?;
        report.deposited = g.treasury_deposit;
    }
    // A default start a little ahead of the cluster clock: it moves while the
    // transaction travels, and the program refuses a start in the past.
    let now = client.now().await?.saturating_add(DEFAULT_START_DELAY_SECS);
    for (i, a) in g.vesting.iter().enumerate() {
        let id = i as u64;
        let engine: Engine = client.get(&keys.engine).await?;
        if engine.vesting_count > id {
            continue; // created by an earlier run
        }
        let start = a.start.unwrap_or(now);
        let args = CreateVestingArgs {
            beneficiary: key(&a.beneficiary)?,
            total: a.amount,
            start,
            cliff: start.saturating_add(a.cliff_secs as i64),
            end: start.saturating_add(a.duration_secs as i64),
            period: a.period_secs,
            revocable: a.revocable,
            usage_rate_bps: a.usage_rate_bps,
            grace_secs: a.grace_secs,
        };
        client.send(&[ix::create_vesting(&keys, &me, &me, id, args, engine.usage_shards)], &[]).await?;
        report.schedules_created.push(id);
    }
    if client.lookup_table(&keys.engine).is_some() || engine.usage_shards > coherence_sdk::lookup::LEGACY_MAX_SHARDS {
        report.lookup_table = Some(ops::ensure_lookup_table(client, &keys, engine.usage_shards).await?.key);
    }
    Ok(report)
}
