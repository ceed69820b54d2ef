//! The simulated world: an in-process bank running the real program, the
//! engine's keys, the market (genesis holder and fee payer, whose token
//! account is the pool's token side), the engine authority and the agents.
//! Every action is a real transaction sent through the SDK's local client;
//! time moves only by warping the bank's clock. Trades are priced by the
//! pool before their transaction and applied to it once the transaction
//! succeeded.

use crate::agent::{Agent, Class, Kind};
use crate::market::{Cause, Fill, Flows, Pool, Side, Trade};
use crate::scenario::{Scenario, DECIMALS, TOKEN};
use crate::SimError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::errors::CoherenceError;
use coherence::state::Engine;
use coherence_sdk::{ops, Client, ClientError, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The clock at genesis: fixed, so every run of a seed is identical.
pub const GENESIS_TIME: i64 = 1_900_000_000;
/// Given to the treasury at genesis; insiders' schedules are funded from it.
pub const TREASURY_DEPOSIT: u64 = 60_000_000 * TOKEN;

pub struct World {
    pub client: Client,
    pub keys: EngineKeys,
    pub authority: Keypair,
    pub agents: Vec<Agent>,
    pub scenario: Scenario,
    pub usage: Vec<u64>,
    /// Transactions sent (successful and refused).
    pub txs: u64,
    /// The engine as genesis created it: its epoch schedule (genesis time,
    /// epoch length) never changes.
    pub created: Engine,
    pub genesis_ts: i64,
    /// Sum of the users' weights: each pays `usage × weight / total`.
    pub total_user_weight: u64,
    /// The market: its token reserve is the market wallet's balance.
    pub pool: Pool,
    /// Every trade, in order.
    pub trades: Vec<Trade>,
    /// The epoch in progress, and what moved through the market in it.
    pub epoch: u64,
    pub flows: Flows,
    /// The pool's price at each close so far (what speculators look at).
    pub closes: Vec<f64>,
}

impl World {
    /// The market's (genesis holder's) token account.
    pub fn market_ata(&self) -> Pubkey {
        ops::ata(&self.keys, &self.client.payer().pubkey())
    }

    /// Sends one transaction, paid by the market, signed by `signer` too
    /// (the local client keeps its blockhash fresh and resends one that
    /// expired before the bank saw it).
    pub async fn send(&mut self, ixs: Vec<Instruction>, signer: Option<&Keypair>) -> Result<(), ClientError> {
        self.txs += 1;
        let signers: Vec<&Keypair> = signer.into_iter().collect();
        self.client.send(&ixs, &signers).await.map(|_| ())
    }

    async fn send_as_raw(&mut self, i: usize, ixs: Vec<Instruction>) -> Result<(), ClientError> {
        let key = self.agents[i].key.insecure_clone();
        self.send(ixs, Some(&key)).await
    }

    /// Sends as agent `i`; a failure names the agent (honest actions must succeed).
    pub async fn send_as(&mut self, i: usize, ixs: Vec<Instruction>) -> Result<(), SimError> {
        self.send_as_raw(i, ixs).await.map_err(|e| SimError::Agent(self.agents[i].name.clone(), e))
    }

    /// Sends as agent `i`; a refusal by the program is returned as its
    /// error, anything else (a bug) fails the run.
    async fn try_as(&mut self, i: usize, ixs: Vec<Instruction>) -> Result<Result<(), CoherenceError>, SimError> {
        match self.send_as_raw(i, ixs).await {
            Ok(()) => Ok(Ok(())),
            Err(e) => match e.program_error() {
                Some(p) => Ok(Err(p)),
                None => Err(SimError::Agent(self.agents[i].name.clone(), e)),
            },
        }
    }

    /// A strategic attempt as agent `i`: a refusal by the program is
    /// recorded in its ledger by error name and returned as `false`.
    pub async fn attempt_as(&mut self, i: usize, ixs: Vec<Instruction>) -> Result<bool, SimError> {
        match self.try_as(i, ixs).await? {
            Ok(()) => Ok(true),
            Err(p) => {
                self.agents[i].ledger.refused.push(p.name());
                Ok(false)
            }
        }
    }

    /// Sends as agent `i`, where the one refusal an honest agent can meet
    /// is `NothingToClaim` (a settled epoch that emitted nothing): `false`
    /// then, nothing recorded; any other refusal fails the run.
    pub async fn claim_as(&mut self, i: usize, ixs: Vec<Instruction>) -> Result<bool, SimError> {
        match self.try_as(i, ixs).await? {
            Ok(()) => Ok(true),
            Err(CoherenceError::NothingToClaim) => Ok(false),
            Err(p) => Err(SimError::Input(format!("{}: claim refused: {}", self.agents[i].name, p.name()))),
        }
    }

    /// The pool's token reserve must be the market wallet's balance: the
    /// market's books against the chain (after genesis and after every run).
    pub async fn reconcile_market(&mut self) -> Result<(), SimError> {
        let ata = self.market_ata();
        let held = ops::token_balance(&mut self.client, &ata).await?;
        if held != self.pool.tokens {
            return Err(SimError::Ledger(format!("market: wallet holds {held}, the pool counts {}", self.pool.tokens)));
        }
        Ok(())
    }

    /// Moves the clock to `unix`.
    pub async fn warp(&mut self, unix: i64) -> Result<(), SimError> {
        let bank = self.client.local_bank().ok_or(SimError::NotLocal)?;
        bank.warp_to(unix).await?;
        Ok(())
    }

    /// Start of epoch `e`.
    pub fn epoch_start(&self, e: u64) -> i64 {
        self.created.epoch_start(e).unwrap_or(i64::MAX)
    }

    /// Agent `i`'s wallet balance.
    pub async fn balance(&mut self, i: usize) -> Result<u64, SimError> {
        let ata = ops::ata(&self.keys, &self.agents[i].key.pubkey());
        Ok(ops::token_balance(&mut self.client, &ata).await?)
    }

    /// A transfer of `amount` from the market wallet to `to` (creating its
    /// account): genesis endowments, before the pool opens, and the token
    /// leg of a buy.
    pub fn transfer_from_market(&self, to: &Pubkey, amount: u64) -> Result<Vec<Instruction>, SimError> {
        let me = self.client.payer().pubkey();
        let transfer = t22::instruction::transfer_checked(
            &self.keys.token_program,
            &self.market_ata(),
            &self.keys.mint,
            &ops::ata(&self.keys, to),
            &me,
            &[],
            amount,
            DECIMALS,
        )
        .map_err(|e| SimError::Setup(e.to_string()))?;
        Ok(vec![ops::create_ata_ix(&self.keys, &me, to), transfer])
    }

    /// Agent `i` buying exactly `tokens` from the pool: the instructions
    /// (the token leg) and the fill to [`World::settle`] once they succeed.
    pub fn buy(&self, i: usize, tokens: u64) -> Result<(Vec<Instruction>, Fill), SimError> {
        let fill = self.pool.buy_exact(tokens).map_err(|e| SimError::Market(self.agents[i].name.clone(), e))?;
        Ok((self.transfer_from_market(&self.agents[i].key.pubkey(), tokens)?, fill))
    }

    /// Agent `i` buying tokens with `quote`.
    pub fn buy_with(&self, i: usize, quote: u64) -> Result<(Vec<Instruction>, Fill), SimError> {
        let fill = self.pool.buy_with(quote).map_err(|e| SimError::Market(self.agents[i].name.clone(), e))?;
        Ok((self.transfer_from_market(&self.agents[i].key.pubkey(), fill.tokens)?, fill))
    }

    /// Agent `i` selling `tokens` into the pool.
    pub fn sell(&self, i: usize, tokens: u64) -> Result<(Instruction, Fill), SimError> {
        let fill = self.pool.sell(tokens).map_err(|e| SimError::Market(self.agents[i].name.clone(), e))?;
        Ok((self.to_market(i, tokens)?, fill))
    }

    /// After its transaction succeeded: applies agent `i`'s trade to the
    /// pool, its ledger (tokens and quote), the epoch's flows and the log.
    pub fn settle(&mut self, i: usize, fill: &Fill) -> Result<(), SimError> {
        if fill.tokens == 0 && fill.quote == 0 {
            return Ok(());
        }
        let a = &mut self.agents[i];
        self.pool.apply(fill).map_err(|e| SimError::Market(a.name.clone(), e))?;
        let cause = match (&a.class, &a.kind) {
            (Class::Speculator, _) => Cause::Speculation,
            (Class::Insider | Class::GatedInsider, _) | (_, Kind::EarlySeller { .. } | Kind::PatientInsider { .. }) => {
                Cause::Vesting
            }
            (_, _) if fill.side == Side::Buy => Cause::Usage,
            _ => Cause::Emission,
        };
        self.flows.add(cause, fill);
        let l = &mut a.ledger;
        match fill.side {
            Side::Buy => {
                l.bought += fill.tokens;
                l.quote_spent += fill.quote;
            }
            Side::Sell => {
                l.sold += fill.tokens;
                l.quote_received += fill.quote;
            }
        }
        self.trades.push(Trade {
            epoch: self.epoch,
            agent: a.name.clone(),
            side: fill.side,
            tokens: fill.tokens,
            quote: fill.quote,
            fee: fill.fee,
            price_after: self.pool.price(),
        });
        Ok(())
    }

    /// The share (bps) of what agent `i` receives that it sells at once:
    /// the scenario's shares for honest stakers, builders and insiders;
    /// strategic agents and their twins hold, so each pair's nets in quote
    /// differ by what the strategy did, not by when it sold.
    pub fn sell_bps(&self, i: usize) -> u16 {
        let m = &self.scenario.market;
        match self.agents[i].kind {
            Kind::Staker { .. } => m.stakers_sell_bps,
            Kind::Builder { .. } => m.builders_sell_bps,
            Kind::Insider { .. } => m.insiders_sell_bps,
            _ => 0,
        }
    }

    /// The part of `received` agent `i` sells at once.
    pub fn sale_of(&self, i: usize, received: u64) -> u64 {
        (u128::from(received) * u128::from(self.sell_bps(i)) / 10_000) as u64
    }

    /// Sells the share of `received` agent `i` sells, in its own transaction.
    pub async fn sell_share(&mut self, i: usize, received: u64) -> Result<(), SimError> {
        let sale = self.sale_of(i, received);
        if sale == 0 {
            return Ok(());
        }
        let (ix, fill) = self.sell(i, sale)?;
        self.send_as(i, vec![ix]).await?;
        self.settle(i, &fill)
    }

    /// A transfer of `amount` from agent `i` to the market wallet (the token leg of a sale).
    pub fn to_market(&self, i: usize, amount: u64) -> Result<Instruction, SimError> {
        let who = self.agents[i].key.pubkey();
        t22::instruction::transfer_checked(
            &self.keys.token_program,
            &ops::ata(&self.keys, &who),
            &self.keys.mint,
            &self.market_ata(),
            &who,
            &[],
            amount,
            DECIMALS,
        )
        .map_err(|e| SimError::Setup(e.to_string()))
    }

    /// Emission the epoch in progress would produce if it closed now (the
    /// SDK's exact preview of the program's rule).
    pub async fn emission_due(&mut self, epoch: u64) -> Result<u64, SimError> {
        Ok(ops::preview_epoch(&mut self.client, &self.keys, epoch).await?.0.emission)
    }
}
