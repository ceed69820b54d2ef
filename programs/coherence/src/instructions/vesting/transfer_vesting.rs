//! Beneficiary: hand the schedule to a new beneficiary. The schedule's address
//! (id-based) does not change.

use crate::errors::CoherenceError;
use crate::events::VestingTransferred;
use crate::state::VestingSchedule;
use crate::support::event_cpi;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct TransferVesting<'info> {
    pub beneficiary: Signer<'info>,
    #[account(mut, dup, has_one = beneficiary @ CoherenceError::NotBeneficiary)]
    pub vesting: Box<Account<'info, VestingSchedule>>,
}

impl TransferVesting<'_> {
    pub fn transfer_vesting(ctx: Context<Self>, new_beneficiary: Pubkey) -> Result<()> {
        let vesting = &mut ctx.accounts.vesting;
        let previous = vesting.beneficiary;
        vesting.beneficiary = new_beneficiary;
        let event = VestingTransferred { vesting: vesting.key(), previous, beneficiary: new_beneficiary };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
