//! Parameter validation against the compiled-in hard bounds (I9).
//!
//! `validate_genesis` checks what is fixed forever at `initialize_engine`
//! (epoch length, shard count, max supply, and the time-only budget, which
//! can only go down afterwards); `validate_params` checks every
//! governable parameter, at genesis and at each `propose_params`.

use crate::constants::*;
use crate::errors::CoherenceError;
use anchor_lang::prelude::{AnchorDeserialize, AnchorSerialize, InitSpace};

crate::layout::fixed_layout! {
    /// Governable parameters. Changes go through `propose_params` → timelock →
    /// `apply_params`, and must lie inside the bounds in [`crate::constants`].
    #[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
    #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize), serde(deny_unknown_fields))]
    pub struct Params {
        /// Share of an epoch's burned usage that may be minted, in bps (≤ 9 000).
        pub alpha_bps: u16,
        /// An epoch emits only if usage ≥ baseline × gate_bps / 10 000.
        pub gate_bps: u16,
        /// Weight of the newest epoch in the usage baseline EMA, in bps.
        pub ema_bps: u16,
        /// Per-epoch emission cap in base units. Applying a new value can only
        /// lower the running (decaying) cap, never raise it.
        pub cap: u64,
        /// The running cap shrinks by this many bps at every closed epoch.
        pub cap_decay_bps: u16,
        /// Shortest lock of a staking position, seconds (≥ epoch_secs).
        pub min_lock: u64,
        /// Longest lock (and the lock that earns the full boost), seconds.
        pub max_lock: u64,
        /// Extra weight at `max_lock`, in bps of principal.
        pub max_boost_bps: u16,
        /// Emission split; the three shares sum to 10 000.
        pub stakers_bps: u16,
        pub builders_bps: u16,
        pub treasury_bps: u16,
        /// Every vesting schedule's cliff (seconds after start) is at least this.
        pub min_vesting_cliff: u64,
        /// Every vesting schedule's duration (end − start) is at least this.
        pub min_vesting_duration: u64,
        /// Delay between `propose_params` and `apply_params`, seconds.
        pub timelock_secs: u64,
    }
}

/// Conservative parameters inside every bound: α 50 %, gate 90 %, 20 % EMA,
/// 1 %/epoch cap decay, locks 7 days–1 year with up to 2× weight, split
/// 70/20/10, vesting ≥ 90-day cliff over ≥ 1 year, 2-day timelock.
pub fn recommended(cap: u64) -> Params {
    Params {
        alpha_bps: 5_000,
        gate_bps: 9_000,
        ema_bps: 2_000,
        cap,
        cap_decay_bps: 100,
        min_lock: 7 * DAY,
        max_lock: 365 * DAY,
        max_boost_bps: 10_000,
        stakers_bps: 7_000,
        builders_bps: 2_000,
        treasury_bps: 1_000,
        min_vesting_cliff: 90 * DAY,
        min_vesting_duration: 365 * DAY,
        timelock_secs: 2 * DAY,
    }
}

/// Checks the genesis-only values.
pub fn validate_genesis(
    epoch_secs: u64,
    usage_shards: u8,
    max_supply: u64,
    time_only_budget: u64,
) -> Result<(), CoherenceError> {
    if !(MIN_EPOCH_SECS..=MAX_EPOCH_SECS).contains(&epoch_secs) {
        return Err(CoherenceError::EpochSecsOutOfBounds);
    }
    if !(1..=MAX_USAGE_SHARDS).contains(&usage_shards) {
        return Err(CoherenceError::UsageShardsOutOfBounds);
    }
    if max_supply == 0 {
        return Err(CoherenceError::InvalidMaxSupply);
    }
    if time_only_budget > max_supply {
        return Err(CoherenceError::TimeOnlyBudgetAboveMaxSupply);
    }
    Ok(())
}

/// Checks every governable parameter against its hard bound.
pub fn validate_params(p: &Params, epoch_secs: u64, max_supply: u64) -> Result<(), CoherenceError> {
    use CoherenceError::*;
    let check = |ok: bool, err: CoherenceError| if ok { Ok(()) } else { Err(err) };
    check(p.alpha_bps <= MAX_ALPHA_BPS, AlphaOutOfBounds)?;
    check((MIN_GATE_BPS..=MAX_GATE_BPS).contains(&p.gate_bps), GateOutOfBounds)?;
    check((MIN_EMA_BPS..=MAX_EMA_BPS).contains(&p.ema_bps), EmaOutOfBounds)?;
    check(p.cap > 0 && p.cap <= max_supply, CapOutOfBounds)?;
    check((MIN_CAP_DECAY_BPS..=MAX_CAP_DECAY_BPS).contains(&p.cap_decay_bps), CapDecayOutOfBounds)?;
    check(p.min_lock >= epoch_secs && p.min_lock <= p.max_lock, MinLockOutOfBounds)?;
    check(p.max_lock <= MAX_LOCK_SECS, MaxLockOutOfBounds)?;
    check(p.max_boost_bps <= MAX_BOOST_BPS, BoostOutOfBounds)?;
    check(p.treasury_bps <= MAX_TREASURY_BPS, TreasuryShareOutOfBounds)?;
    check(p.builders_bps <= MAX_BUILDERS_BPS, BuildersShareOutOfBounds)?;
    let sum: u64 = [p.stakers_bps, p.builders_bps, p.treasury_bps].iter().map(|&b| u64::from(b)).sum();
    check(sum == BPS, SplitsMustSumToBps)?;
    check(
        (MIN_VESTING_CLIFF_FLOOR..=MAX_VESTING_MIN_SECS).contains(&p.min_vesting_cliff),
        VestingCliffFloorOutOfBounds,
    )?;
    check(
        (MIN_VESTING_DURATION_FLOOR..=MAX_VESTING_MIN_SECS).contains(&p.min_vesting_duration),
        VestingDurationFloorOutOfBounds,
    )?;
    check((MIN_TIMELOCK_SECS..=MAX_TIMELOCK_SECS).contains(&p.timelock_secs), TimelockOutOfBounds)
}

/// The wash-proof usage budget (DESIGN §4.5b): one unit of burned usage
/// unlocks at most `alpha` through emission and `Σ rate` through gated
/// vesting, so washing usage can only pay if `alpha + Σ rate > 100 %`.
pub fn check_usage_budget(alpha_bps: u16, gated_rate_bps: u64) -> Result<(), CoherenceError> {
    match u64::from(alpha_bps).checked_add(gated_rate_bps) {
        Some(sum) if sum <= BPS => Ok(()),
        _ => Err(CoherenceError::UsageBudgetExceeded),
    }
}

/// A schedule's gate: `rate == 0` is time-only and takes no grace; a gated
/// schedule takes a rate ≤ 100 % and a grace inside the compiled bounds.
pub fn validate_usage_gate(rate_bps: u16, grace_secs: u32) -> Result<(), CoherenceError> {
    if u64::from(rate_bps) > BPS {
        return Err(CoherenceError::UsageRateOutOfBounds);
    }
    let grace = u64::from(grace_secs);
    let ok =
        if rate_bps == 0 { grace == 0 } else { (MIN_VESTING_GRACE_SECS..=MAX_VESTING_GRACE_SECS).contains(&grace) };
    if ok {
        Ok(())
    } else {
        Err(CoherenceError::GraceOutOfBounds)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn good() -> Params {
        recommended(1_000_000)
    }

    #[test]
    fn good_params_pass_and_each_bound_is_named() {
        let ok = |p: &Params| validate_params(p, DAY, 10_000_000);
        assert_eq!(ok(&good()), Ok(()));
        type Mutation = fn(&mut Params);
        let cases: Vec<(Mutation, CoherenceError)> = vec![
            (|p| p.alpha_bps = MAX_ALPHA_BPS + 1, CoherenceError::AlphaOutOfBounds),
            (|p| p.gate_bps = MIN_GATE_BPS - 1, CoherenceError::GateOutOfBounds),
            (|p| p.gate_bps = 10_001, CoherenceError::GateOutOfBounds),
            (|p| p.ema_bps = MAX_EMA_BPS + 1, CoherenceError::EmaOutOfBounds),
            (|p| p.cap = 0, CoherenceError::CapOutOfBounds),
            (|p| p.cap_decay_bps = 0, CoherenceError::CapDecayOutOfBounds),
            (|p| p.min_lock = DAY - 1, CoherenceError::MinLockOutOfBounds),
            (|p| p.max_lock = MAX_LOCK_SECS + 1, CoherenceError::MaxLockOutOfBounds),
            (|p| p.max_boost_bps = MAX_BOOST_BPS + 1, CoherenceError::BoostOutOfBounds),
            (|p| p.timelock_secs = MIN_TIMELOCK_SECS - 1, CoherenceError::TimelockOutOfBounds),
        ];
        for (mutate, err) in cases {
            let mut p = good();
            mutate(&mut p);
            assert_eq!(ok(&p), Err(err));
        }
        assert_eq!(validate_genesis(DAY, 0, 1, 0), Err(CoherenceError::UsageShardsOutOfBounds));
        assert_eq!(validate_genesis(DAY, 17, 1, 0), Err(CoherenceError::UsageShardsOutOfBounds));
        assert_eq!(validate_genesis(59, 1, 1, 0), Err(CoherenceError::EpochSecsOutOfBounds));
        assert_eq!(validate_genesis(DAY, 1, 0, 0), Err(CoherenceError::InvalidMaxSupply));
        assert_eq!(validate_genesis(DAY, 1, 10, 10), Ok(()));
        assert_eq!(validate_genesis(DAY, 1, 10, 11), Err(CoherenceError::TimeOnlyBudgetAboveMaxSupply));
    }

    #[test]
    fn usage_budget_and_gate_bounds_are_named() {
        assert_eq!(check_usage_budget(9_000, 1_000), Ok(()));
        assert_eq!(check_usage_budget(9_000, 1_001), Err(CoherenceError::UsageBudgetExceeded));
        assert_eq!(check_usage_budget(0, 10_000), Ok(()));
        assert_eq!(check_usage_budget(1, u64::MAX), Err(CoherenceError::UsageBudgetExceeded));
        let grace = MIN_VESTING_GRACE_SECS as u32;
        assert_eq!(validate_usage_gate(0, 0), Ok(()));
        assert_eq!(validate_usage_gate(0, grace), Err(CoherenceError::GraceOutOfBounds));
        assert_eq!(validate_usage_gate(10_000, grace), Ok(()));
        assert_eq!(validate_usage_gate(10_001, grace), Err(CoherenceError::UsageRateOutOfBounds));
        assert_eq!(validate_usage_gate(1, grace - 1), Err(CoherenceError::GraceOutOfBounds));
        assert_eq!(validate_usage_gate(1, MAX_VESTING_GRACE_SECS as u32), Ok(()));
        assert_eq!(validate_usage_gate(1, MAX_VESTING_GRACE_SECS as u32 + 1), Err(CoherenceError::GraceOutOfBounds));
    }
}
