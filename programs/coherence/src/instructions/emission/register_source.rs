//! Builder: register a usage source (an integration). Usage attributed to it
//! earns the builders' share of each epoch's emission, pro rata.

use crate::constants::SOURCE_VERSION;
use crate::events::SourceRegistered;
use crate::math::SafeMath;
use crate::state::{seeds, Engine, Source};
use crate::support::event_cpi;
use crate::support::pda_init::init_program_account;
use anchor_lang::prelude::*;

#[event_cpi]
#[derive(Accounts)]
pub struct RegisterSource<'info> {
    #[account(mut)]
    pub builder: Signer<'info>,
    #[account(mut, dup)]
    pub engine: Box<Account<'info, Engine>>,
    /// CHECK: created here at `["source", engine, engine.source_count]`.
    #[account(mut, seeds = [seeds::SOURCE, engine.key().as_ref(), &engine.source_count.to_le_bytes()], bump)]
    pub source: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

impl RegisterSource<'_> {
    pub fn register_source(ctx: Context<Self>) -> Result<()> {
        let a = &mut *ctx.accounts;
        let id = a.engine.source_count;
        let engine_key = a.engine.key();
        let value = Source {
            version: SOURCE_VERSION,
            bump: ctx.bumps.source,
            engine: engine_key,
            id,
            builder: a.builder.key(),
            epoch: 0,
            usage: 0,
            claimable: 0,
            claimed: 0,
            epoch_b: 0,
            usage_b: 0,
            reserved: [0; 8],
        };
        let id_bytes = id.to_le_bytes();
        let source_seeds: &[&[u8]] = &[seeds::SOURCE, engine_key.as_ref(), &id_bytes, &[ctx.bumps.source]];
        init_program_account(
            &a.builder.to_account_info(),
            &a.source,
            &a.system_program.to_account_info(),
            source_seeds,
            &value,
        )?;
        a.engine.source_count = id.safe_add(1)?;
        let event = SourceRegistered { engine: engine_key, source: a.source.key(), id, builder: a.builder.key() };
        event_cpi::emit(&ctx.accounts.event_authority, &event)?;
        Ok(())
    }
}
