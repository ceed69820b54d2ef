//! The test of coherence as rules: given what an engine's accounts say
//! ([`Facts`], read by [`gather`]), [`assess`] lists every parameter,
//! authority or balance that would let value accrue without usage or let
//! someone extract it, each a [`Finding`] with a [`Severity`] and a stable
//! code. The rules are pure (same facts, same findings); `coherence check`
//! prints them, and any other tool can run them.

use crate::accounts::filters;
use crate::client::{Client, ClientResult};
use crate::EngineKeys;
use anchor_lang::prelude::Pubkey;
use coherence::constants::{DAY, MAX_ALPHA_BPS};
use coherence::math::Params;
use coherence::state::{Engine, StakePool, VestingSchedule};

/// How serious a finding is (ordered: `Critical` is the greatest).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing; no action needed.
    Info,
    /// A way value could accrue without usage, or a weak setting.
    Warn,
    /// A broken invariant or an open extraction path.
    Critical,
}

/// One finding of [`assess`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// How serious it is.
    pub severity: Severity,
    /// Stable code, e.g. `single-key-authority`.
    pub code: &'static str,
    /// What was found, with the figures.
    pub reason: String,
}

/// Everything `check` reads, gathered first so the rules stay pure.
pub struct Facts {
    /// The engine's address.
    pub engine_key: Pubkey,
    /// The engine's state.
    pub engine: Engine,
    /// The mint's mint authority.
    pub mint_authority: Option<Pubkey>,
    /// The mint's freeze authority.
    pub freeze_authority: Option<Pubkey>,
    /// The mint's supply, base units.
    pub supply: u64,
    /// The governance authority's account owner (system program = a single key).
    pub authority_owner: Option<Pubkey>,
    /// The program's upgrade authority, if the program is upgradeable.
    pub upgrade_authority: Option<Pubkey>,
    /// The upgrade authority's account owner (system program = a single key).
    pub upgrade_authority_owner: Option<Pubkey>,
    /// The stake vault's balance, base units.
    pub stake_vault_balance: u64,
    /// The stake pool.
    pub pool: StakePool,
    /// Every vesting schedule of the engine.
    pub schedules: Vec<VestingSchedule>,
    /// Cluster time, for what time-only schedules have still to vest.
    pub now: i64,
    /// Time-only schedules still to vest at least this many base units are reported.
    pub vesting_threshold: u64,
    /// The engine's known address lookup table for `close_epoch` (flag,
    /// tables file or deployment record), as the cluster has it: `None`
    /// when none is known; `Some((key, None))` when it no longer exists.
    pub lookup_table: Option<(Pubkey, Option<crate::lookup::TableState>)>,
    /// The wallet that runs the crank (the one running `check`).
    pub cranker: Pubkey,
    /// When the authority is an SPL Governance governance: its account.
    pub governance: Option<crate::spl_governance::Governance>,
    /// The registrar's applied max voter weight, if holders vote.
    pub max_voter_weight: Option<u64>,
}

const SYSTEM: Pubkey = anchor_lang::system_program::ID;

/// A finding (for tools that add their own, like `check --simulate`).
pub fn finding(severity: Severity, code: &'static str, reason: String) -> Finding {
    Finding { severity, code, reason }
}

fn params_findings(p: &Params, label: &str, out: &mut Vec<Finding>) {
    use Severity::*;
    if p.alpha_bps >= 8_000 {
        out.push(finding(
            Warn,
            "alpha-near-bound",
            format!(
                "{label} alpha_bps {} is near the {MAX_ALPHA_BPS} bound: wash usage recovers up to {}%",
                p.alpha_bps,
                p.alpha_bps / 100
            ),
        ));
    }
    if p.treasury_bps > 1_500 {
        out.push(finding(
            Warn,
            "treasury-share-high",
            format!("{label} treasury_bps {}: more than 15 % of every emission goes to the treasury", p.treasury_bps),
        ));
    }
    if p.timelock_secs < 2 * DAY {
        out.push(finding(
            Warn,
            "short-timelock",
            format!("{label} timelock {} s: holders get under 2 days to react to parameter changes", p.timelock_secs),
        ));
    }
    if p.min_vesting_cliff < 90 * DAY {
        out.push(finding(
            Warn,
            "short-vesting-cliff",
            format!("{label} min_vesting_cliff {} days: insiders can start selling early", p.min_vesting_cliff / DAY),
        ));
    }
    if p.gate_bps > 10_000 {
        out.push(finding(Warn, "gate-above-usage", format!("{label} gate_bps {}: steady usage stops emitting once its baseline catches up, while swinging usage keeps passing (see `coherence simulate`)", p.gate_bps)));
    }
    if p.gate_bps < 8_000 {
        out.push(finding(
            Info,
            "loose-gate",
            format!(
                "{label} gate_bps {}: epochs emit even after a {}% drop in usage",
                p.gate_bps,
                100 - p.gate_bps / 100
            ),
        ));
    }
}

/// The rules. Pure: same facts, same findings.
pub fn assess(f: &Facts) -> Vec<Finding> {
    use Severity::*;
    let e = &f.engine;
    let mut out = Vec::new();
    if f.mint_authority != Some(f.engine_key) {
        out.push(finding(
            Critical,
            "mint-authority",
            format!("mint authority is {:?}, not the engine: tokens can be minted without usage", f.mint_authority),
        ));
    }
    if let Some(freeze) = f.freeze_authority {
        out.push(finding(
            Critical,
            "freeze-authority",
            format!("mint has freeze authority {freeze}: holders' exits can be blocked"),
        ));
    }
    if f.supply > e.max_supply {
        out.push(finding(
            Critical,
            "supply-above-max",
            format!("supply {} exceeds max supply {}", f.supply, e.max_supply),
        ));
    }
    if e.total_emitted.saturating_mul(10_000) > e.total_usage_burned.saturating_mul(MAX_ALPHA_BPS.into()) {
        out.push(finding(
            Critical,
            "emission-above-usage",
            format!("emitted {} > 90 % of usage burned {}", e.total_emitted, e.total_usage_burned),
        ));
    }
    if f.stake_vault_balance != f.pool.total_principal {
        out.push(finding(
            Critical,
            "stake-vault-mismatch",
            format!("stake vault holds {} but positions hold {}", f.stake_vault_balance, f.pool.total_principal),
        ));
    }
    params_findings(&e.params, "active", &mut out);
    if let Some(p) = &e.pending_params {
        let mut pending = Vec::new();
        params_findings(p, "pending", &mut pending);
        out.extend(pending);
        if p.alpha_bps > e.params.alpha_bps {
            out.push(finding(
                Info,
                "pending-alpha-raise",
                format!("a pending proposal raises alpha to {} at {}", p.alpha_bps, e.pending_eta),
            ));
        }
    }
    if f.authority_owner == Some(SYSTEM) {
        out.push(finding(
            Warn,
            "single-key-authority",
            format!(
                "engine authority {} is a single key, not a multisig or its holders' governance (`coherence gov`)",
                e.authority
            ),
        ));
    }
    governance_findings(f, &mut out);
    match f.upgrade_authority {
        Some(upgrade) => {
            if f.upgrade_authority_owner == Some(SYSTEM) {
                out.push(finding(
                    Warn,
                    "single-key-upgrade",
                    format!("program upgradeable by the single key {upgrade}: it can replace every rule"),
                ));
            }
            if upgrade == e.authority {
                out.push(finding(
                    Warn,
                    "pause-equals-upgrade",
                    "the engine (pause) authority is also the program's upgrade authority".into(),
                ));
            }
        }
        None => out.push(finding(
            Info,
            "not-upgradeable",
            "program is not upgradeable (or not a BPF upgradeable program here)".into(),
        )),
    }
    if e.paused {
        out.push(finding(Info, "paused", "engine is paused: no new stakes, usage or emission".into()));
    }
    for s in &f.schedules {
        if s.cliff.saturating_sub(s.start) < (90 * DAY) as i64 {
            out.push(finding(
                Warn,
                "insider-short-cliff",
                format!("schedule #{} of {} has a {}-day cliff", s.id, s.beneficiary, (s.cliff - s.start) / DAY as i64),
            ));
        }
    }
    vesting_findings(f, &mut out);
    time_only_findings(f, &mut out);
    table_findings(f, &mut out);
    out.sort_by_key(|f| std::cmp::Reverse(f.severity));
    out
}

/// The holders' governance (DESIGN §9): who holds the levers, under which
/// voting rules, and whether the locked weight can reach the threshold of
/// the fixed max voter weight at all.
fn governance_findings(f: &Facts, out: &mut Vec<Finding>) {
    use crate::spl_governance::VoteThreshold;
    use Severity::*;
    if let Some(g) = &f.governance {
        let c = &g.config;
        out.push(finding(
            Info,
            "governance-authority",
            format!(
                "engine authority {} is a governance of realm {}: yes ≥ {:?} of the max voter weight, votes run {} s (+{} s cool-off), transactions wait {} s, then the engine's {} s timelock",
                f.engine.authority,
                g.realm,
                c.community_vote_threshold,
                c.voting_base_time,
                c.voting_cool_off_time,
                c.min_transaction_hold_up_time,
                f.engine.params.timelock_secs
            ),
        ));
        if let (VoteThreshold::YesVotePercentage(pct), Some(max)) = (c.community_vote_threshold, f.max_voter_weight) {
            let needed = u128::from(max) * u128::from(pct) / 100;
            if f.pool.stream.total_weight < needed {
                out.push(finding(
                    Warn,
                    "quorum-unreachable",
                    format!(
                        "all locked weight ({}) is below the {pct} % of the max voter weight ({max}) a proposal needs: no vote can pass until more is locked or the max is lowered",
                        f.pool.stream.total_weight
                    ),
                ));
            }
        }
    } else if f.engine.voting_enabled() {
        out.push(finding(
            Info,
            "voting-without-authority",
            format!(
                "holders vote in realm {}, but the engine authority {} is not its governance yet",
                f.engine.voting_realm, f.engine.authority
            ),
        ));
    }
}

/// Time-only schedules are value that accrues without usage; the usage
/// budget (α + Σ rate of gated schedules) must stay within 100 % and match
/// the schedules that hold it.
fn vesting_findings(f: &Facts, out: &mut Vec<Finding>) {
    use Severity::*;
    let e = &f.engine;
    for s in f.schedules.iter().filter(|s| s.revoked().is_none() && s.gate().is_none()) {
        let to_vest = s.total.saturating_sub(s.curve().vested(f.now).unwrap_or(s.total));
        if to_vest > 0 && to_vest >= f.vesting_threshold {
            out.push(finding(Warn, "time-only-vesting", format!("schedule #{} of {} still vests {} base units by {} on time alone, with or without usage (a usage-gated schedule would not)", s.id, s.beneficiary, to_vest, s.end)));
        }
    }
    // The schedules the program counts in `gated_rate_bps` (VestingSchedule::in_budget).
    let holding: Vec<&VestingSchedule> = f.schedules.iter().filter(|s| s.in_budget()).collect();
    let held: u64 = holding.iter().map(|s| u64::from(s.usage_rate_bps)).sum();
    let gated = holding.len();
    let (alpha, rate) = (u64::from(e.budget_alpha_bps()), u64::from(e.gated_rate_bps));
    let pct = |b: u64| format!("{}.{:02} %", b / 100, b % 100);
    if alpha + rate > 10_000 {
        out.push(finding(
            Critical,
            "usage-budget-exceeded",
            format!("alpha {} + gated vesting {} > 100 %: washing usage pays", pct(alpha), pct(rate)),
        ));
    }
    if held != rate {
        out.push(finding(
            Critical,
            "usage-budget-mismatch",
            format!("engine counts {} of gated rate, its schedules hold {}", pct(rate), pct(held)),
        ));
    }
    out.push(finding(
        Info,
        "usage-budget",
        format!(
            "usage budget in use: alpha {} + gated vesting {} ({gated} schedules) = {} of 100 %",
            pct(alpha),
            pct(rate),
            pct(alpha + rate)
        ),
    ));
}

/// The time-only budget: what may ever vest without usage, what is
/// committed, what is left; the engine's ledger must match its schedules.
fn time_only_findings(f: &Facts, out: &mut Vec<Finding>) {
    use Severity::*;
    let e = &f.engine;
    if !e.time_only_synced {
        out.push(finding(
            Warn,
            "time-only-budget-not-synced",
            format!(
                "engine created before the time-only budget: {} of {} schedules counted so far; run `coherence vesting sync-budget` (no new time-only grant until then)",
                e.time_only_scanned, e.vesting_count
            ),
        ));
        return;
    }
    let counted: u64 = f
        .schedules
        .iter()
        .filter(|s| e.counts_time_only(s))
        .map(|s| s.committed().unwrap_or(s.total))
        .fold(0u64, u64::saturating_add);
    // Schedules closed by their beneficiaries are gone from the list; what
    // they committed is still in the engine's figure, so it may only be larger.
    if counted > e.time_only_used {
        out.push(finding(
            Critical,
            "time-only-ledger-mismatch",
            format!("time-only schedules commit {counted} but the engine counts {}", e.time_only_used),
        ));
    }
    if e.time_only_used > e.time_only_budget {
        out.push(finding(
            Critical,
            "time-only-over-budget",
            format!("time-only schedules commit {} above the budget {}", e.time_only_used, e.time_only_budget),
        ));
    }
    let left = e.time_only_budget.saturating_sub(e.time_only_used);
    let share = |v: u64| format!("{:.2} %", v as f64 * 100.0 / e.max_supply.max(1) as f64);
    out.push(finding(
        Info,
        "time-only-budget",
        format!(
            "time-only budget {} ({} of max supply): used {}, left {}: at most this much can ever vest without usage",
            e.time_only_budget,
            share(e.time_only_budget),
            e.time_only_used,
            left
        ),
    ));
}

/// The crank's lookup table: anyone holding its authority can deactivate it.
/// The SDK never uses a deactivated one (it falls back to a legacy message
/// or creates a new, frozen table), but an operator should know.
fn table_findings(f: &Facts, out: &mut Vec<Finding>) {
    use Severity::*;
    let Some((key, state)) = &f.lookup_table else { return };
    let needed = crate::lookup::close_epoch_addresses(
        &crate::EngineKeys::new(f.engine.mint, f.engine.token_program),
        f.engine.usage_shards,
    );
    let mut finding_of = |severity, code, reason: String| out.push(finding(severity, code, reason));
    match state {
        None => finding_of(Warn, "lookup-table-missing", format!("the known lookup table {key} does not exist (closed?): the crank will create a new one")),
        Some(t) if !t.is_active() => finding_of(
            Warn,
            "lookup-table-deactivated",
            format!("lookup table {key} was deactivated at slot {}: the crank no longer uses it (legacy close or a new, frozen table)", t.deactivation_slot),
        ),
        Some(t) if !crate::lookup::covers(&t.account, &needed) => finding_of(
            Warn,
            "lookup-table-incomplete",
            format!("lookup table {key} lacks some of the engine's close_epoch accounts: the crank will create a new one"),
        ),
        Some(t) => match t.authority {
            None => finding_of(Info, "lookup-table", format!("lookup table {key} is frozen: nobody can deactivate it")),
            Some(a) if a != f.cranker => finding_of(
                Warn,
                "lookup-table-authority",
                format!("lookup table {key} can be deactivated by {a}, not by the cranker {}: freeze it, or let the crank create a frozen one", f.cranker),
            ),
            Some(a) => finding_of(Info, "lookup-table", format!("lookup table {key} is active; its authority is the cranker {a} (it can be frozen)")),
        },
    }
}

async fn owner_of(client: &mut Client, key: &Pubkey) -> ClientResult<Option<Pubkey>> {
    Ok(client.account(key).await?.map(|a| a.owner))
}

/// The upgrade authority of the Coherence program, if upgradeable.
async fn upgrade_authority(client: &mut Client) -> ClientResult<Option<Pubkey>> {
    let loader = anchor_lang::solana_program::bpf_loader_upgradeable::ID;
    let Some(program) = client.account(&coherence::ID).await? else { return Ok(None) };
    if program.owner != loader || program.data.len() < 36 {
        return Ok(None);
    }
    let data_key =
        Pubkey::try_from(&program.data[4..36]).map_err(|_| crate::ClientError::Decode("bad program account".into()))?;
    let Some(data) = client.account(&data_key).await? else { return Ok(None) };
    // ProgramData: tag (4) | slot (8) | Option<Pubkey> (1 + 32).
    if data.data.len() >= 45 && data.data[12] == 1 {
        return Ok(Pubkey::try_from(&data.data[13..45]).ok());
    }
    Ok(None)
}

/// Reads everything [`assess`] needs about `engine` (its keys `keys`):
/// the mint, the authorities' owners, the program's upgrade authority, the
/// stake vault and pool, and every vesting schedule. Time-only schedules
/// still to vest at least `vesting_threshold_bps` of max supply are reported.
///
/// ```no_run
/// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
/// let engine: coherence::state::Engine = client.get(&keys.engine).await?;
/// let me = solana_signer::Signer::pubkey(client.payer());
/// let facts = coherence_sdk::audit::gather(client, &keys, engine, 10, me).await?;
/// for f in coherence_sdk::audit::assess(&facts) {
///     println!("{:?} {} {}", f.severity, f.code, f.reason);
/// }
/// # Ok(()) }
/// ```
pub async fn gather(
    client: &mut Client,
    keys: &EngineKeys,
    engine: Engine,
    vesting_threshold_bps: u16,
    cranker: Pubkey,
) -> ClientResult<Facts> {
    let mint =
        client.account(&keys.mint).await?.ok_or_else(|| crate::ClientError::AccountNotFound(keys.mint.to_string()))?;
    let coption = |d: &[u8], at: usize| -> Option<Pubkey> {
        (d.get(at..at + 4) == Some(&[1, 0, 0, 0])).then(|| Pubkey::try_from(&d[at + 4..at + 36]).ok()).flatten()
    };
    let supply = crate::ops::mint_supply(client, &keys.mint).await?;
    if client.account(&keys.stake_vault).await?.is_none() {
        return Err(crate::ClientError::AccountNotFound(keys.stake_vault.to_string()));
    }
    let schedules: Vec<(Pubkey, VestingSchedule)> = client.program_accounts(&[filters::engine(&keys.engine)]).await?;
    let upgrade = upgrade_authority(client).await?;
    let facts = Facts {
        engine_key: keys.engine,
        mint_authority: coption(&mint.data, 0),
        freeze_authority: coption(&mint.data, 46),
        supply,
        authority_owner: owner_of(client, &engine.authority).await?,
        upgrade_authority: upgrade,
        upgrade_authority_owner: match upgrade {
            Some(u) => owner_of(client, &u).await?,
            None => None,
        },
        stake_vault_balance: crate::ops::token_balance(client, &keys.stake_vault).await?,
        pool: client.get(&keys.stake_pool).await?,
        schedules: schedules.into_iter().map(|(_, s)| s).collect(),
        now: client.now().await?,
        vesting_threshold: (u128::from(engine.max_supply) * u128::from(vesting_threshold_bps) / 10_000) as u64,
        lookup_table: match client.lookup_table(&keys.engine) {
            Some(key) => {
                Some((key, client.account(&key).await?.and_then(|a| crate::lookup::decode_state(key, &a.data).ok())))
            }
            None => None,
        },
        cranker,
        governance: None,
        max_voter_weight: None,
        engine,
    };
    let mut facts = facts;
    if facts.authority_owner.is_some_and(|o| o != SYSTEM) {
        let data = client.account(&facts.engine.authority).await?.map(|a| a.data).unwrap_or_default();
        use crate::spl_governance::{account_type, decode};
        facts.governance = decode(&data, account_type::GOVERNANCE_V2);
    }
    if facts.engine.voting_enabled() {
        let registrar: coherence::state::Registrar = client.get(&crate::pda::registrar(&keys.engine)).await?;
        facts.max_voter_weight = registrar.config.map(|c| c.max_voter_weight);
    }
    Ok(facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use coherence::math::stake::Stream;

    fn facts() -> Facts {
        let engine_key = Pubkey::new_unique();
        let authority = Pubkey::new_unique();
        let engine = Engine {
            version: 3,
            bump: 0,
            mint: Pubkey::new_unique(),
            token_program: anchor_spl::token::ID,
            authority,
            pending_authority: None,
            paused: false,
            epoch_secs: DAY,
            usage_shards: 4,
            max_supply: 1_000,
            genesis_ts: 0,
            params: crate::defaults::params(10),
            pending_params: None,
            pending_eta: 0,
            next_epoch: 0,
            baseline: 0,
            cap: 10,
            total_emitted: 0,
            total_usage_burned: 0,
            stake_vault: Pubkey::new_unique(),
            reward_vault: Pubkey::new_unique(),
            treasury: Pubkey::new_unique(),
            vesting_vault: Pubkey::new_unique(),
            builder_vault: Pubkey::new_unique(),
            vesting_count: 0,
            source_count: 0,
            gated_rate_bps: 0,
            recent_usage: [0; 2],
            time_only_budget: 1_000,
            time_only_used: 0,
            time_only_scanned: 0,
            time_only_synced: true,
            voting_realm: Pubkey::default(),
            voting_program: Pubkey::default(),
            reserved: [0; 5],
        };
        Facts {
            engine_key,
            engine,
            mint_authority: Some(engine_key),
            freeze_authority: None,
            supply: 500,
            authority_owner: Some(Pubkey::new_unique()),
            upgrade_authority: None,
            upgrade_authority_owner: None,
            stake_vault_balance: 0,
            pool: StakePool {
                version: 1,
                bump: 0,
                engine: engine_key,
                stream: Stream::default(),
                total_principal: 0,
                positions: 0,
                reserved: [0; 32],
            },
            schedules: vec![],
            now: 1_000,
            vesting_threshold: 1,
            lookup_table: None,
            cranker: Pubkey::new_unique(),
            governance: None,
            max_voter_weight: None,
        }
    }

    fn schedule(id: u64, rate: u16) -> VestingSchedule {
        VestingSchedule {
            version: 2,
            bump: 0,
            engine: Pubkey::new_unique(),
            id,
            beneficiary: Pubkey::new_unique(),
            total: 100,
            claimed: 0,
            start: 0,
            cliff: 90 * DAY as i64,
            end: 365 * DAY as i64,
            period: 0,
            revocable: false,
            revoked_at: 0,
            usage_rate_bps: rate,
            usage_snapshot: 0,
            grace_secs: 0,
            frozen_vested: 0,
            holds_budget: rate > 0,
            reserved: [0; 1],
        }
    }

    #[test]
    fn time_only_schedules_and_the_usage_budget_are_reported() {
        let mut f = facts();
        f.schedules = vec![schedule(0, 0), schedule(1, 2_000)];
        f.engine.gated_rate_bps = 2_000;
        let all = assess(&f);
        let time_only: Vec<_> = all.iter().filter(|x| x.code == "time-only-vesting").collect();
        assert_eq!(time_only.len(), 1, "{all:?}");
        assert!(time_only[0].reason.contains("schedule #0") && time_only[0].reason.contains("100 base units"));
        let budget = all.iter().find(|x| x.code == "usage-budget").unwrap();
        assert!(
            budget.reason.contains("alpha 50.00 % + gated vesting 20.00 % (1 schedules) = 70.00 %"),
            "{}",
            budget.reason
        );
        // Under the threshold, or revoked, or fully vested: not reported.
        f.vesting_threshold = 101;
        assert!(!codes(&f).contains(&"time-only-vesting"));
        f.vesting_threshold = 1;
        f.now = 365 * DAY as i64;
        assert!(!codes(&f).contains(&"time-only-vesting"));
        // A budget the schedules do not account for is critical.
        f.engine.gated_rate_bps = 2_500;
        assert!(codes(&f).contains(&"usage-budget-mismatch"));
        f.engine.gated_rate_bps = 6_000;
        f.schedules[1].usage_rate_bps = 6_000;
        assert!(codes(&f).contains(&"usage-budget-exceeded"));
    }

    fn codes(f: &Facts) -> Vec<&'static str> {
        assess(f).into_iter().filter(|x| x.severity >= Severity::Warn).map(|x| x.code).collect()
    }

    #[test]
    fn the_time_only_budget_is_reported_and_checked() {
        let mut f = facts();
        let mut s = schedule(0, 0);
        s.version = 3;
        f.schedules = vec![s];
        f.engine.time_only_used = 100;
        f.vesting_threshold = u64::MAX; // `time-only-vesting` is another test's

        let all = assess(&f);
        let budget = all.iter().find(|x| x.code == "time-only-budget").unwrap();
        assert!(
            budget.reason.contains("time-only budget 1000 (100.00 % of max supply): used 100, left 900"),
            "{}",
            budget.reason
        );
        assert!(codes(&f).is_empty(), "{all:?}");
        // The engine counts less than its schedules commit, or more than its budget.
        f.engine.time_only_used = 99;
        assert!(codes(&f).contains(&"time-only-ledger-mismatch"));
        f.engine.time_only_used = 1_001;
        assert!(codes(&f).contains(&"time-only-over-budget"));
        // An engine from before the budget, not yet synced.
        f.engine.time_only_synced = false;
        assert_eq!(codes(&f), vec!["time-only-budget-not-synced"]);
    }

    /// A lookup table holding every `close_epoch` account of `f`'s engine.
    fn table(f: &Facts, authority: Option<Pubkey>, deactivation_slot: u64) -> crate::lookup::TableState {
        let keys = crate::EngineKeys::new(f.engine.mint, f.engine.token_program);
        let addresses = crate::lookup::close_epoch_addresses(&keys, f.engine.usage_shards);
        crate::lookup::TableState {
            account: crate::lookup::AddressLookupTableAccount { key: Pubkey::new_unique(), addresses },
            authority,
            deactivation_slot,
        }
    }

    #[test]
    fn a_frozen_lookup_table_is_fine_and_one_the_cranker_holds_is_only_noted() {
        let mut f = facts();
        f.lookup_table = Some((Pubkey::new_unique(), Some(table(&f, None, u64::MAX))));
        assert!(codes(&f).is_empty(), "{:?}", assess(&f));
        f.lookup_table = Some((Pubkey::new_unique(), Some(table(&f, Some(f.cranker), u64::MAX))));
        assert!(codes(&f).is_empty(), "{:?}", assess(&f));
        let mut partial = table(&f, None, u64::MAX);
        partial.account.addresses.pop();
        f.lookup_table = Some((Pubkey::new_unique(), Some(partial)));
        assert_eq!(codes(&f), vec!["lookup-table-incomplete"]);
    }

    fn governance(f: &Facts) -> crate::spl_governance::Governance {
        crate::spl_governance::Governance {
            account_type: crate::spl_governance::account_type::GOVERNANCE_V2,
            realm: Pubkey::new_unique(),
            governed_account: f.engine_key,
            reserved1: 0,
            config: crate::spl_governance::governance_config(60, 3 * 86_400, 0),
            reserved_v2: [0; 120],
            active_proposal_count: 0,
        }
    }

    #[test]
    fn a_governance_authority_is_noted_with_its_rules() {
        let mut f = facts();
        f.governance = Some(governance(&f));
        f.max_voter_weight = Some(100);
        f.pool.stream.total_weight = 60;
        let found = assess(&f);
        let rules = found.iter().find(|x| x.code == "governance-authority").expect("noted");
        assert_eq!(rules.severity, Severity::Info);
        assert!(rules.reason.contains("votes run 259200 s"), "{}", rules.reason);
        assert!(codes(&f).is_empty(), "60 of 100 locked reaches 60 %: {found:?}");
    }

    #[test]
    fn a_well_configured_engine_has_no_warnings() {
        assert!(codes(&facts()).is_empty(), "{:?}", assess(&facts()));
    }

    #[test]
    fn each_seeded_misconfiguration_is_flagged() {
        type Seed = fn(&mut Facts);
        let cases: Vec<(&str, Seed)> = vec![
            ("mint-authority", |f| f.mint_authority = Some(Pubkey::new_unique())),
            ("freeze-authority", |f| f.freeze_authority = Some(Pubkey::new_unique())),
            ("supply-above-max", |f| f.supply = 1_001),
            ("emission-above-usage", |f| {
                f.engine.total_emitted = 10;
                f.engine.total_usage_burned = 10
            }),
            ("stake-vault-mismatch", |f| f.stake_vault_balance = 1),
            ("alpha-near-bound", |f| f.engine.params.alpha_bps = 9_000),
            ("treasury-share-high", |f| {
                f.engine.params.treasury_bps = 2_000;
                f.engine.params.stakers_bps = 6_000
            }),
            ("short-timelock", |f| f.engine.params.timelock_secs = DAY),
            ("short-vesting-cliff", |f| f.engine.params.min_vesting_cliff = DAY),
            ("gate-above-usage", |f| f.engine.params.gate_bps = 15_000),
            ("single-key-authority", |f| f.authority_owner = Some(SYSTEM)),
            ("single-key-upgrade", |f| {
                f.upgrade_authority = Some(Pubkey::new_unique());
                f.upgrade_authority_owner = Some(SYSTEM)
            }),
            ("pause-equals-upgrade", |f| f.upgrade_authority = Some(f.engine.authority)),
            ("lookup-table-missing", |f| f.lookup_table = Some((Pubkey::new_unique(), None))),
            ("lookup-table-authority", |f| {
                f.lookup_table = Some((Pubkey::new_unique(), Some(table(f, Some(Pubkey::new_unique()), u64::MAX))))
            }),
            ("lookup-table-deactivated", |f| f.lookup_table = Some((Pubkey::new_unique(), Some(table(f, None, 7))))),
            ("quorum-unreachable", |f| {
                f.governance = Some(governance(f));
                f.max_voter_weight = Some(1_000)
            }),
        ];
        for (code, seed) in cases {
            let mut f = facts();
            seed(&mut f);
            assert!(codes(&f).contains(&code), "{code} not flagged: {:?}", assess(&f));
        }
    }
}
