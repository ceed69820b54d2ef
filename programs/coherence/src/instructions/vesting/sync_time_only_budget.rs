//! Anyone: count an engine's older schedules into its time-only ledger.
//! An engine created before version 3 has no ledger: its time-only
//! schedules were granted without a budget. This instruction walks its
//! schedules in id order, from `time_only_scanned`, and adds what each
//! time-only one commits (its total, or the vested part frozen by a
//! revocation) to both the budget and the used amount. Once every schedule
//! is counted the ledger is synced: the budget then equals exactly what the
//! existing time-only schedules hold, so no new time-only grant fits.
//! Resumable: pass as many schedules as fit in a transaction, repeat.
//!
//! Remaining accounts: the schedules `["vesting", engine, id]` for
//! `id = time_only_scanned, time_only_scanned + 1, …`, in order; a schedule
//! closed by its beneficiary is passed as its (empty) address and counts 0
//! (it owes nothing more).

use crate::errors::CoherenceError;
use crate::events::TimeOnlyBudgetSynced;
use crate::math::SafeMath;
use crate::state::{seeds, Engine, VestingSchedule};
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct SyncTimeOnlyBudget<'info> {
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
}

/// What schedule `id` of `engine` commits to the time-only ledger: its
/// committed amount if it is an older time-only schedule, 0 if gated,
/// created at version 3 (counted at creation) or closed.
fn committed(engine: &Pubkey, id: u64, info: &AccountInfo) -> Result<u64> {
    if info.data_is_empty() && *info.owner == anchor_lang::system_program::ID {
        let (closed, _) =
            Pubkey::find_program_address(&[seeds::VESTING, engine.as_ref(), &id.to_le_bytes()], &crate::ID);
        require_keys_eq!(info.key(), closed, CoherenceError::WrongVestingAccounts);
        return Ok(0);
    }
    require_keys_eq!(*info.owner, crate::ID, CoherenceError::WrongVestingAccounts);
    let schedule = VestingSchedule::try_deserialize(&mut &info.try_borrow_data()?[..])
        .map_err(|_| error!(CoherenceError::WrongVestingAccounts))?;
    require!(schedule.engine == *engine && schedule.id == id, CoherenceError::WrongVestingAccounts);
    if schedule.gate().is_some() || schedule.version >= 3 {
        return Ok(0);
    }
    Ok(schedule.committed()?)
}

impl<'info> SyncTimeOnlyBudget<'info> {
    fn validate(&self) -> Result<()> {
        require!(!self.engine.time_only_synced, CoherenceError::TimeOnlyLedgerAlreadySynced);
        Ok(())
    }

    #[access_control(ctx.accounts.validate())]
    pub fn sync_time_only_budget(ctx: Context<'info, Self>) -> Result<()> {
        let engine = &mut ctx.accounts.engine;
        engine.upgrade();
        let key = engine.key();
        for info in ctx.remaining_accounts {
            let id = engine.time_only_scanned;
            require!(id < engine.vesting_count, CoherenceError::WrongVestingAccounts);
            let amount = committed(&key, id, info)?;
            engine.time_only_budget = engine.time_only_budget.safe_add(amount)?;
            engine.time_only_used = engine.time_only_used.safe_add(amount)?;
            engine.time_only_scanned = id.safe_add(1)?;
        }
        engine.time_only_synced = engine.time_only_scanned >= engine.vesting_count;
        let event = TimeOnlyBudgetSynced {
            engine: key,
            scanned: engine.time_only_scanned,
            time_only_budget: engine.time_only_budget,
            time_only_used: engine.time_only_used,
            synced: engine.time_only_synced,
        };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
