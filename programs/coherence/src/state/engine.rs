use crate::constants::ENGINE_VERSION;
use crate::errors::CoherenceError;
use crate::layout::fixed_account;
use crate::math::{emission, Params};
use crate::state::{seeds, UsageSlot};
use anchor_lang::prelude::*;

fixed_account! {
    discriminator = [246, 94, 41, 147, 231, 121, 110, 19];
    /// Global configuration and accounting of one engine (one per mint).
    /// Seeds: `["engine", mint]`.
    #[derive(InitSpace, Debug)]
    pub struct Engine {
        /// Layout version (`ACCOUNT_VERSION`).
        pub version: u8,
        pub bump: u8,
        /// The governed token; the engine PDA is its only mint authority.
        pub mint: Pubkey,
        /// SPL Token or Token-2022: the program that owns `mint`.
        pub token_program: Pubkey,
        /// Governance key (typically a multisig).
        pub authority: Pubkey,
        /// Proposed next authority; it must sign `accept_authority`.
        pub pending_authority: Option<Pubkey>,
        /// Stops new stakes, usage and emission; never exits (I7).
        pub paused: bool,
        /// Epoch length, seconds. Fixed at genesis.
        pub epoch_secs: u64,
        /// Number of usage shard accounts. Fixed at genesis.
        pub usage_shards: u8,
        /// Hard ceiling on the mint's supply, base units. Fixed at genesis (I3).
        pub max_supply: u64,
        /// Unix time at which epoch 0 starts.
        pub genesis_ts: i64,
        /// Active parameters.
        pub params: Params,
        /// Proposed parameters, applicable once `pending_eta` has passed.
        pub pending_params: Option<Params>,
        /// Unix time after which `pending_params` may be applied.
        pub pending_eta: i64,
        /// Next epoch index that `close_epoch` will close.
        pub next_epoch: u64,
        /// Usage baseline (EMA of closed epochs' usage), base units.
        pub baseline: u64,
        /// Running per-epoch emission cap, base units; decays every closed epoch.
        pub cap: u64,
        /// Σ tokens minted by `close_epoch`, base units. Statistics only:
        /// u128 and saturating, because burned tokens are re-minted, so lifetime
        /// totals are not bounded by the supply and must never halt the engine.
        pub total_emitted: u128,
        /// Σ tokens burned through `record_usage` in closed epochs, base units
        /// (u128, saturating: see `total_emitted`).
        pub total_usage_burned: u128,
        pub stake_vault: Pubkey,
        pub reward_vault: Pubkey,
        pub treasury: Pubkey,
        pub vesting_vault: Pubkey,
        pub builder_vault: Pubkey,
        /// Next vesting schedule id.
        pub vesting_count: u64,
        /// Next builder source id.
        pub source_count: u64,
        /// Σ `usage_rate_bps` of the usage-gated schedules that still hold
        /// budget (version 2; zero bytes in version 1). `alpha_bps` plus this
        /// never exceeds 10 000 (DESIGN §4.5b).
        pub gated_rate_bps: u16,
        // ---- version 3 (zero bytes in versions 1 and 2; see `Engine::upgrade`) ----
        /// Usage of the two epochs closed last, oldest first: with the epoch
        /// being closed, the three whose median enters the baseline (§4.5).
        pub recent_usage: [u64; 2],
        /// Most that time-only vesting may ever commit, base units: declared at
        /// genesis, only lowered afterwards (`lower_time_only_budget`). The value
        /// that can accrue without usage, readable on-chain from day one.
        pub time_only_budget: u64,
        /// Committed by time-only schedules: Σ totals at creation, less what
        /// revocations returned (the part that never vested). ≤ `time_only_budget`.
        pub time_only_used: u64,
        /// Engines created before version 3: schedules with an id below this
        /// were counted into the ledger by `sync_time_only_budget`.
        pub time_only_scanned: u64,
        /// True once every time-only schedule is in the ledger (always, for an
        /// engine created at version 3; after `sync_time_only_budget` for one
        /// created before). New time-only grants need it.
        pub time_only_synced: bool,
        // ---- version 4 (zero bytes before; see `ENGINE_VOTING_VERSION`) ----
        /// The Realms realm whose voters govern this engine (`Pubkey::default()`:
        /// no voting configured). Set by `apply_voting` only, through the
        /// timelock. While set, `start_unbond` and `withdraw` read the owner's
        /// `TokenOwnerRecord` in this realm (no exit while a vote is unrelinquished).
        pub voting_realm: Pubkey,
        /// The SPL Governance program that owns `voting_realm`.
        pub voting_program: Pubkey,
        /// Free space for later versions (the account size never changes).
        pub reserved: [u8; 5],
    }
}

/// The epoch containing `now`, for an engine whose epoch 0 starts at
/// `genesis_ts` and whose epochs last `epoch_secs` (the rule of
/// [`Engine::epoch_at`] and [`crate::state::EngineView::epoch_at`]).
pub(crate) fn epoch_at(genesis_ts: i64, epoch_secs: u64, now: i64) -> u64 {
    let elapsed = now.saturating_sub(genesis_ts).max(0) as u64;
    elapsed.checked_div(epoch_secs).unwrap_or(0)
}

/// Seeds to sign as the engine PDA of `mint` (`["engine", mint]` and its
/// bump): [`Engine::signer_seeds`] and [`crate::state::EngineView::signer_seeds`].
pub(crate) fn signer_seeds<'a>(mint: &'a Pubkey, bump: &'a u8) -> [&'a [u8]; 3] {
    [seeds::ENGINE, mint.as_ref(), core::slice::from_ref(bump)]
}

/// Whether an engine with this `voting_realm` has holders voting (a
/// registrar was applied): [`Engine::voting_enabled`] and
/// [`crate::state::EngineView::voting_enabled`].
pub(crate) fn voting_enabled(voting_realm: &Pubkey) -> bool {
    *voting_realm != Pubkey::default()
}

impl Engine {
    /// Start of epoch `e`, unix seconds.
    pub fn epoch_start(&self, epoch: u64) -> Option<i64> {
        let offset = epoch.checked_mul(self.epoch_secs)?;
        self.genesis_ts.checked_add(i64::try_from(offset).ok()?)
    }

    /// End of epoch `e` (the start of `e + 1`), unix seconds.
    pub fn epoch_end(&self, epoch: u64) -> Option<i64> {
        self.epoch_start(epoch.checked_add(1)?)
    }

    /// The epoch containing `now`.
    pub fn epoch_at(&self, now: i64) -> u64 {
        epoch_at(self.genesis_ts, self.epoch_secs, now)
    }

    /// The usage history the next close takes: as stored from version 3
    /// on; for an older engine not yet upgraded, `[baseline, baseline]`
    /// (what [`Engine::upgrade`] will store).
    pub fn recent(&self) -> [u64; 2] {
        if self.version < ENGINE_VERSION {
            [self.baseline; 2]
        } else {
            self.recent_usage
        }
    }

    /// Whether epoch `e` has ended at `now`, so that `close_epoch` may close
    /// it (in order: `e` must also be `next_epoch`). The one definition of
    /// "ended" that the program, the SDK's crank, the CLI and the tests use.
    pub fn is_due(&self, epoch: u64, now: i64) -> bool {
        self.epoch_end(epoch).is_some_and(|end| now >= end)
    }

    /// The epochs a crank would close at `now`, in order: from `next_epoch`,
    /// every one that has ended (epoch `e` has ended exactly when `e` is
    /// below the epoch containing `now`; see [`Engine::is_due`]).
    pub fn due_epochs(&self, now: i64) -> core::ops::Range<u64> {
        self.next_epoch..self.epoch_at(now).max(self.next_epoch)
    }

    /// What closing an epoch does, given its usage in every shard and the
    /// mint's supply after the escrows are burned: the emission rule of
    /// [`emission::close_epoch`] on this engine's baseline, cap, ceiling and
    /// parameters, and the split. `close_epoch` applies it; the SDK's preview
    /// calls the same function.
    pub fn close_outcome(
        &self,
        slots: impl IntoIterator<Item = UsageSlot>,
        supply: u64,
    ) -> core::result::Result<emission::EpochClose, CoherenceError> {
        let usage = slots.into_iter().map(|slot| (slot.usage, slot.attributed));
        emission::close_from_usage(usage, self.baseline, self.recent(), self.cap, supply, self.max_supply, &self.params)
    }

    /// α that the usage budget must allow for: the live one, or a pending
    /// proposal's if higher (it could be applied at any time after its eta).
    pub fn budget_alpha_bps(&self) -> u16 {
        self.pending_params.map_or(self.params.alpha_bps, |p| p.alpha_bps.max(self.params.alpha_bps))
    }

    /// Brings a version 1 or 2 engine to version 3 in place: the baseline's
    /// history starts as `[baseline, baseline]` (so the first median is the
    /// baseline itself, not a zero that would drag it down), and the
    /// time-only ledger reads as not yet synced (its zero bytes), so no
    /// time-only grant is possible until `sync_time_only_budget` has counted
    /// the existing schedules. Idempotent.
    pub fn upgrade(&mut self) {
        if self.version < ENGINE_VERSION {
            self.recent_usage = [self.baseline; 2];
            self.version = ENGINE_VERSION;
        }
    }

    /// What time-only schedules may still commit: `budget − used`, once
    /// the ledger is synced (`TimeOnlyBudgetNotSynced` before).
    pub fn time_only_room(&self) -> core::result::Result<u64, CoherenceError> {
        if !self.time_only_synced {
            return Err(CoherenceError::TimeOnlyBudgetNotSynced);
        }
        Ok(self.time_only_budget.saturating_sub(self.time_only_used))
    }

    /// Whether a time-only schedule is counted in the ledger: every one
    /// created at version 3, and the older ones the sync has counted.
    pub fn counts_time_only(&self, schedule: &crate::state::VestingSchedule) -> bool {
        schedule.gate().is_none() && (schedule.version >= 3 || schedule.id < self.time_only_scanned)
    }

    /// Gives back `returned` (the part of a revoked time-only schedule that
    /// never vested). Saturating: this runs on revocation, which an
    /// accounting error must never block; `coherence check` compares.
    pub fn release_time_only(&mut self, returned: u64) {
        self.time_only_used = self.time_only_used.saturating_sub(returned);
    }

    /// Returns a gated schedule's rate to the budget. Saturating: this runs
    /// on exits (close, revoke, expire), which an accounting error must
    /// never block; `coherence check` compares the sum with the schedules.
    pub fn release_budget(&mut self, rate_bps: u16) {
        self.gated_rate_bps = self.gated_rate_bps.saturating_sub(rate_bps);
    }

    /// Whether holders vote with their positions (a registrar was applied):
    /// exits must then show the owner's `TokenOwnerRecord`.
    pub fn voting_enabled(&self) -> bool {
        voting_enabled(&self.voting_realm)
    }

    /// Seeds to sign as the engine PDA (mint authority, vault owner).
    pub fn signer_seeds(&self) -> [&[u8]; 3] {
        signer_seeds(&self.mint, &self.bump)
    }
}
