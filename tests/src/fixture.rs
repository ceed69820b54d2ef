//! A ready engine: mint created, genesis supply minted to a holder, engine
//! initialized with [`default_params`] and the mint authority handed over.

use crate::{Harness, TxResult, TOKEN};
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

/// The SDK's default parameters, with a per-epoch cap of 1 % of [`MAX_SUPPLY`].
pub fn default_params() -> Params {
    coherence_sdk::defaults::params(MAX_SUPPLY / 100)
}

pub fn default_args(authority: Pubkey) -> InitEngineArgs {
    InitEngineArgs {
        authority,
        epoch_secs: EPOCH_SECS,
        usage_shards: USAGE_SHARDS,
        max_supply: MAX_SUPPLY,
        params: default_params(),
        // Tests not about the time-only budget may grant any time-only schedule.
        time_only_budget: MAX_SUPPLY,
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
        let authority = h.wallet().await;
        Self::with_supply(h, mint, token_program, mint_authority, authority, GENESIS_SUPPLY, |_| {}).await
    }

    /// Like [`Fixture::new`] with the genesis arguments adjusted by `tweak`.
    pub async fn with(h: &mut Harness, tweak: impl FnOnce(&mut InitEngineArgs)) -> Fixture {
        Self::custom(h, crate::DECIMALS, GENESIS_SUPPLY, tweak).await
    }

    /// An SPL Token engine whose mint has `decimals` decimals and a genesis
    /// supply of `genesis_supply` base units (e.g. 0 decimals, or 9 decimals
    /// near `u64::MAX`), with the genesis arguments adjusted by `tweak`.
    pub async fn custom(
        h: &mut Harness,
        decimals: u8,
        genesis_supply: u64,
        tweak: impl FnOnce(&mut InitEngineArgs),
    ) -> Fixture {
        let mint_authority = h.wallet().await;
        let mint = h.create_mint_with_decimals(TOKEN, &mint_authority.pubkey(), None, &[], decimals).await;
        let authority = h.wallet().await;
        Self::with_supply(h, mint, TOKEN, &mint_authority, authority, genesis_supply, tweak).await
    }

    async fn with_supply(
        h: &mut Harness,
        mint: Pubkey,
        token_program: Pubkey,
        mint_authority: &Keypair,
        authority: Keypair,
        genesis_supply: u64,
        tweak: impl FnOnce(&mut InitEngineArgs),
    ) -> Fixture {
        let genesis = h.wallet().await;
        let genesis_tokens = h.token_account(&mint, &genesis.pubkey()).await;
        if genesis_supply > 0 {
            h.mint_to(&mint, &genesis_tokens, mint_authority, genesis_supply).await;
        }
        let keys = EngineKeys::new(mint, token_program);
        let mut args = default_args(authority.pubkey());
        tweak(&mut args);
        // The default time-only budget (max supply) follows a tweaked max supply.
        if args.time_only_budget == MAX_SUPPLY && args.max_supply > 0 {
            args.time_only_budget = args.max_supply.min(MAX_SUPPLY);
        }
        h.send(&[init_ix(h, &keys, mint_authority, args.clone())], &[mint_authority]).await.expect("initialize_engine");
        let payer = h.payer().pubkey();
        let shards: Vec<_> = (0..args.usage_shards).map(|i| ix::init_usage_shard(&keys, &payer, i)).collect();
        for chunk in shards.chunks(coherence_sdk::ops::SHARDS_PER_TX) {
            h.send(chunk, &[]).await.expect("init_usage_shard");
        }
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
pub fn init_ix(
    h: &Harness,
    keys: &EngineKeys,
    mint_authority: &Keypair,
    args: InitEngineArgs,
) -> anchor_lang::solana_program::instruction::Instruction {
    ix::initialize_engine(keys, &h.bank.ctx.payer.pubkey(), &mint_authority.pubkey(), args)
}

/// Vesting arguments relative to `start`.
pub fn vesting_args(
    beneficiary: Pubkey,
    total: u64,
    start: i64,
    cliff_secs: u64,
    duration_secs: u64,
    period: u64,
    revocable: bool,
) -> coherence::instructions::CreateVestingArgs {
    coherence::instructions::CreateVestingArgs {
        beneficiary,
        total,
        start,
        cliff: start + cliff_secs as i64,
        end: start + duration_secs as i64,
        period,
        revocable,
        usage_rate_bps: 0,
        grace_secs: 0,
    }
}

impl Fixture {
    /// Creates a schedule (authority signs) and returns its address.
    pub async fn create_vesting(
        &self,
        h: &mut Harness,
        args: coherence::instructions::CreateVestingArgs,
    ) -> Result<Pubkey, solana_program_test::BanksClientError> {
        let id = self.engine(h).await.vesting_count;
        let payer = h.payer().pubkey();
        let shards = self.engine(h).await.usage_shards;
        let ix = ix::create_vesting(&self.keys, &payer, &self.authority.pubkey(), id, args, shards);
        h.send(&[ix], &[&self.authority]).await?;
        Ok(coherence_sdk::pda::vesting(&self.keys.engine, id))
    }

    /// Opens position `id` for `owner` and returns its address.
    pub async fn open(
        &self,
        h: &mut Harness,
        owner: &Keypair,
        from: &Pubkey,
        id: u64,
        amount: u64,
        lock: u64,
    ) -> Result<Pubkey, solana_program_test::BanksClientError> {
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
    pub async fn claim(
        &self,
        h: &mut Harness,
        owner: &Keypair,
        position: &Pubkey,
        to: &Pubkey,
    ) -> Result<u64, solana_program_test::BanksClientError> {
        let before = h.balance(to).await;
        h.send(&[ix::claim_rewards(&self.keys, &owner.pubkey(), position, to, false)], &[owner]).await?;
        Ok(h.balance(to).await - before)
    }

    pub async fn pause(&self, h: &mut Harness, paused: bool) {
        h.send(&[ix::set_pause(&self.keys, &self.authority.pubkey(), paused)], &[&self.authority])
            .await
            .expect("set_pause");
    }
}

impl Fixture {
    /// Unix time at which `epoch` starts.
    pub async fn epoch_start(&self, h: &mut Harness, epoch: u64) -> i64 {
        let e = self.engine(h).await;
        e.epoch_start(epoch).expect("epoch start")
    }

    /// Moves the clock to the start of `epoch`.
    pub async fn warp_to_epoch(&self, h: &mut Harness, epoch: u64) {
        let t = self.epoch_start(h, epoch).await;
        h.warp_to(t).await;
    }

    /// `user` burns `amount` as usage in `shard`, optionally for `source`
    /// (the source's last epoch record is passed when it needs settling).
    pub async fn record(
        &self,
        h: &mut Harness,
        user: &Keypair,
        tokens: &Pubkey,
        shard: u8,
        amount: u64,
        source: Option<Pubkey>,
    ) -> TxResult {
        let record = match source {
            Some(s) => {
                let src: coherence::state::Source = h.get(&s).await;
                src.record_for_payment().map(|epoch| coherence_sdk::pda::epoch_record(&self.keys.engine, epoch))
            }
            None => None,
        };
        let ix = ix::record_usage(&self.keys, &user.pubkey(), tokens, shard, amount, source, record);
        h.send(&[ix], &[user]).await
    }

    /// Closes `epoch` (permissionless; the harness payer cranks).
    pub async fn close(&self, h: &mut Harness, epoch: u64) -> TxResult {
        let shards = self.engine(h).await.usage_shards;
        let payer = h.payer().pubkey();
        h.send(&[ix::close_epoch(&self.keys, &payer, epoch, shards)], &[]).await
    }

    pub async fn record_of(&self, h: &mut Harness, epoch: u64) -> coherence::state::EpochRecord {
        h.get(&coherence_sdk::pda::epoch_record(&self.keys.engine, epoch)).await
    }

    /// Registers a source for `builder` and returns its address.
    pub async fn register_source(&self, h: &mut Harness, builder: &Keypair) -> Pubkey {
        let id = self.engine(h).await.source_count;
        h.send(&[ix::register_source(&self.keys, &builder.pubkey(), id)], &[builder]).await.expect("register_source");
        coherence_sdk::pda::source(&self.keys.engine, id)
    }

    /// Claims a source's rewards (passing the records of the closed epochs it holds).
    pub async fn claim_source(
        &self,
        h: &mut Harness,
        builder: &Keypair,
        source: &Pubkey,
        to: &Pubkey,
    ) -> Result<u64, solana_program_test::BanksClientError> {
        let src: coherence::state::Source = h.get(source).await;
        let next_epoch = self.engine(h).await.next_epoch;
        let records: Vec<Pubkey> = src
            .settles_with(next_epoch)
            .map(|epoch| coherence_sdk::pda::epoch_record(&self.keys.engine, epoch))
            .collect();
        let before = h.balance(to).await;
        h.send(&[ix::claim_source_rewards(&self.keys, &builder.pubkey(), source, &records, to)], &[builder]).await?;
        Ok(h.balance(to).await - before)
    }
}

impl Fixture {
    /// Creates the engine's address lookup table for `close_epoch` with
    /// `shards` shards, fills it and waits a slot so it can be used.
    pub async fn lookup_table(&self, h: &mut Harness, shards: u8) -> coherence_sdk::lookup::AddressLookupTableAccount {
        let payer = h.payer();
        let slot = h.bank.recent_slot().await.expect("recent slot");
        let addresses = coherence_sdk::lookup::close_epoch_addresses(&self.keys, shards);
        let (key, txs) = coherence_sdk::lookup::create_txs(&payer.pubkey(), slot, &addresses);
        for tx in txs {
            h.send(&tx, &[]).await.expect("create/extend lookup table");
        }
        h.bank.next_slot().await.expect("next slot");
        coherence_sdk::lookup::AddressLookupTableAccount { key, addresses }
    }

    /// Closes every ended epoch, in order (what the CLI's crank does).
    pub async fn crank(&self, h: &mut Harness) -> TxResult {
        let now = h.now().await;
        loop {
            let engine = self.engine(h).await;
            if !engine.is_due(engine.next_epoch, now) {
                return Ok(());
            }
            self.close(h, engine.next_epoch).await?;
        }
    }
}
