//! A ready engine: mint created, genesis supply minted to a holder, engine
//! initialized with [`default_params`] and the mint authority handed over.

use crate::{Harness, TxResult};
use anchor_lang::prelude::Pubkey;
use coherence::constants::DAY;
use coherence::instructions::InitEngineArgs;
use coherence::math::Params;
use coherence_sdk::{instructions as ix, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

pub const EPOCH_SECS: u64 = DAY;
pub const USAGE_SHARDS: u8 = 4;
/// 1 billion tokens of 6 decimals.
pub const MAX_SUPPLY: u64 = 1_000_000_000_000_000;
/// Minted before genesis to the genesis holder.
pub const GENESIS_SUPPLY: u64 = 400_000_000_000_000;

pub fn default_params() -> Params {
    Params {
        alpha_bps: 5_000,
        gate_bps: 9_000,
        ema_bps: 2_000,
        cap: 10_000_000_000_000,
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

pub fn default_args(authority: Pubkey) -> InitEngineArgs {
    InitEngineArgs {
        authority,
        epoch_secs: EPOCH_SECS,
        usage_shards: USAGE_SHARDS,
        max_supply: MAX_SUPPLY,
        params: default_params(),
    }
}

pub struct Fixture {
    pub keys: EngineKeys,
    pub authority: Keypair,
    /// Holds the genesis supply.
    pub genesis: Keypair,
    pub genesis_tokens: Pubkey,
}

impl Fixture {
    /// Creates a mint on `token_program` and an engine for it.
    pub async fn new(h: &mut Harness, token_program: Pubkey) -> Fixture {
        let mint_authority = h.wallet().await;
        let mint = h.create_mint(token_program, &mint_authority.pubkey(), None, &[]).await;
        Self::for_mint(h, mint, token_program, &mint_authority).await
    }

    /// Mints the genesis supply and initializes the engine for `mint`.
    pub async fn for_mint(h: &mut Harness, mint: Pubkey, token_program: Pubkey, mint_authority: &Keypair) -> Fixture {
        let genesis = h.wallet().await;
        let genesis_tokens = h.token_account(&mint, &genesis.pubkey()).await;
        h.mint_to(&mint, &genesis_tokens, mint_authority, GENESIS_SUPPLY).await;
        let authority = h.wallet().await;
        let keys = EngineKeys::new(mint, token_program);
        h.send(&[init_ix(h, &keys, mint_authority, default_args(authority.pubkey()))], &[mint_authority])
            .await
            .expect("initialize_engine");
        Fixture { keys, authority, genesis, genesis_tokens }
    }

    /// A new wallet holding `amount` tokens (moved from the genesis holder).
    pub async fn user(&self, h: &mut Harness, amount: u64) -> (Keypair, Pubkey) {
        let user = h.wallet().await;
        let tokens = h.token_account(&self.keys.mint, &user.pubkey()).await;
        if amount > 0 {
            h.transfer(&self.keys.mint, &self.genesis_tokens, &tokens, &self.genesis, amount).await;
        }
        (user, tokens)
    }

    /// Deposits `amount` of the genesis supply into the treasury.
    pub async fn fund_treasury(&self, h: &mut Harness, amount: u64) -> TxResult {
        let ix = ix::deposit_treasury(&self.keys, &self.genesis.pubkey(), &self.genesis_tokens, amount);
        h.send(&[ix], &[&self.genesis]).await
    }

    pub async fn engine(&self, h: &mut Harness) -> coherence::state::Engine {
        h.get(&self.keys.engine).await
    }
}

/// `initialize_engine` paid by the harness payer.
pub fn init_ix(h: &Harness, keys: &EngineKeys, mint_authority: &Keypair, args: InitEngineArgs) -> anchor_lang::solana_program::instruction::Instruction {
    ix::initialize_engine(keys, &h.ctx.payer.pubkey(), &mint_authority.pubkey(), args)
}

/// Vesting arguments relative to `start`.
pub fn vesting_args(beneficiary: Pubkey, total: u64, start: i64, cliff_secs: u64, duration_secs: u64, period: u64, revocable: bool) -> coherence::instructions::CreateVestingArgs {
    coherence::instructions::CreateVestingArgs {
        beneficiary,
        total,
        start,
        cliff: start + cliff_secs as i64,
        end: start + duration_secs as i64,
        period,
        revocable,
    }
}

impl Fixture {
    /// Creates a schedule (authority signs) and returns its address.
    pub async fn create_vesting(&self, h: &mut Harness, args: coherence::instructions::CreateVestingArgs) -> Result<Pubkey, solana_program_test::BanksClientError> {
        let id = self.engine(h).await.vesting_count;
        let payer = h.payer().pubkey();
        let ix = ix::create_vesting(&self.keys, &payer, &self.authority.pubkey(), id, args);
        h.send(&[ix], &[&self.authority]).await?;
        Ok(coherence_sdk::pda::vesting(&self.keys.engine, id))
    }

    /// Opens position `id` for `owner` and returns its address.
    pub async fn open(&self, h: &mut Harness, owner: &Keypair, from: &Pubkey, id: u64, amount: u64, lock: u64) -> Result<Pubkey, solana_program_test::BanksClientError> {
        let ix = ix::open_position(&self.keys, &owner.pubkey(), from, id, amount, lock);
        h.send(&[ix], &[owner]).await?;
        Ok(coherence_sdk::pda::position(&self.keys.engine, &owner.pubkey(), id))
    }

    /// Funds the reward stream from the genesis holder.
    pub async fn fund_rewards(&self, h: &mut Harness, amount: u64) -> TxResult {
        let ix = ix::fund_rewards(&self.keys, &self.genesis.pubkey(), &self.genesis_tokens, amount);
        h.send(&[ix], &[&self.genesis]).await
    }

    /// Claims rewards of `position` into `to`; returns the amount received.
    pub async fn claim(&self, h: &mut Harness, owner: &Keypair, position: &Pubkey, to: &Pubkey) -> Result<u64, solana_program_test::BanksClientError> {
        let before = h.balance(to).await;
        h.send(&[ix::claim_rewards(&self.keys, &owner.pubkey(), position, to, false)], &[owner]).await?;
        Ok(h.balance(to).await - before)
    }

    pub async fn pause(&self, h: &mut Harness, paused: bool) {
        h.send(&[ix::set_pause(&self.keys, &self.authority.pubkey(), paused)], &[&self.authority]).await.expect("set_pause");
    }
}
