//! The simulated world: an in-process bank running the real program, the
//! engine's keys, the market (genesis holder and fee payer), the engine
//! authority and the agents. Every action is a real transaction sent through
//! the SDK's local client; time moves only by warping the bank's clock.

use crate::agent::{Agent, Class, Kind, Ledger};
use crate::rng::Rng;
use crate::scenario::{Scenario, DECIMALS, GENESIS_SUPPLY, MAX_SUPPLY, TOKEN};
use crate::SimError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence::errors::CoherenceError;
use coherence::state::Engine;
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::{instructions as ix, ops, Client, ClientError, EngineKeys};
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
    pub genesis_ts: i64,
    /// Sum of the users' weights: each pays `usage × weight / total`.
    pub total_user_weight: u64,
}

impl World {
    /// Builds the population, starts a bank with every wallet funded, and
    /// runs genesis: the mint, the engine with the scenario's parameters, the
    /// treasury deposit, endowments, stakes, sources and vesting schedules.
    pub async fn genesis(scenario: Scenario, usage: Vec<u64>) -> Result<World, SimError> {
        let mut rng = Rng::new(scenario.seed, 0);
        let market = Keypair::new_from_array(rng.bytes32());
        let authority = Keypair::new_from_array(rng.bytes32());
        let agents = crate::population::build(&scenario, &usage, &mut rng);
        let needed: u64 = TREASURY_DEPOSIT + usage.iter().sum::<u64>() + agents.iter().map(|a| a.ledger.start).sum::<u64>();
        if needed > GENESIS_SUPPLY {
            return Err(SimError::Input(format!(
                "the usage plan and endowments need {} tokens; the market holds {}: lower the usage",
                needed / TOKEN, GENESIS_SUPPLY / TOKEN
            )));
        }
        let mut wallets: Vec<Pubkey> = agents.iter().map(|a| a.key.pubkey()).collect();
        wallets.extend([market.pubkey(), authority.pubkey()]);
        let mut bank = LocalBank::start(None, &wallets).await?;
        bank.warp_to(GENESIS_TIME).await?;
        let mut client = Client::local(bank, market);

        let mint = Keypair::new_from_array(rng.bytes32());
        let token_program = anchor_spl::token::ID;
        let me = client.payer().pubkey();
        let create = ops::create_mint_ixs(&me, &mint.pubkey(), &token_program, DECIMALS, GENESIS_SUPPLY)?;
        client.send(&create, &[&mint]).await?;
        let args = InitEngineArgs { authority: authority.pubkey(), epoch_secs: scenario.epoch_secs, usage_shards: 4, max_supply: MAX_SUPPLY, params: scenario.params };
        let keys = ops::init_engine(&mut client, mint.pubkey(), token_program, args).await.map_err(SimError::Genesis)?;
        let genesis_ts = client.get::<Engine>(&keys.engine).await?.genesis_ts;
        let total_user_weight = agents.iter().map(|a| if let Kind::User { weight, .. } = a.kind { weight } else { 0 }).sum();
        let mut world = World { client, keys, authority, agents, scenario, usage, txs: 0, genesis_ts, total_user_weight };
        let market_ata = world.market_ata();
        world.send(vec![ix::deposit_treasury(&keys, &me, &market_ata, TREASURY_DEPOSIT)], None).await?;
        for i in 0..world.agents.len() {
            world.endow(i).await?;
        }
        Ok(world)
    }

    /// The market's (genesis holder's) token account.
    pub fn market_ata(&self) -> Pubkey {
        ops::ata(&self.keys, &self.client.payer().pubkey())
    }

    /// Sends one transaction, paid by the market, signed by `signer` too.
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

    /// Moves the clock to `unix`.
    pub async fn warp(&mut self, unix: i64) -> Result<(), SimError> {
        let bank = self.client.local_bank().ok_or(SimError::NotLocal)?;
        bank.warp_to(unix).await?;
        Ok(())
    }

    /// Start of epoch `e`.
    pub fn epoch_start(&self, e: u64) -> i64 {
        self.genesis_ts + (e * self.scenario.epoch_secs) as i64
    }

    /// Agent `i`'s wallet balance.
    pub async fn balance(&mut self, i: usize) -> Result<u64, SimError> {
        let ata = ops::ata(&self.keys, &self.agents[i].key.pubkey());
        Ok(ops::token_balance(&mut self.client, &ata).await?)
    }

    /// A transfer of `amount` from the market to `to` (creating its account).
    pub fn buy_from_market(&self, to: &Pubkey, amount: u64) -> Result<Vec<Instruction>, SimError> {
        let me = self.client.payer().pubkey();
        let transfer = t22::instruction::transfer_checked(
            &self.keys.token_program, &self.market_ata(), &self.keys.mint, &ops::ata(&self.keys, to), &me, &[], amount, DECIMALS,
        )
        .map_err(|e| SimError::Setup(e.to_string()))?;
        Ok(vec![ops::create_ata_ix(&self.keys, &me, to), transfer])
    }

    /// A transfer of `amount` from agent `i` back to the market (a sale).
    pub fn to_market(&self, i: usize, amount: u64) -> Result<Instruction, SimError> {
        let who = self.agents[i].key.pubkey();
        t22::instruction::transfer_checked(
            &self.keys.token_program, &ops::ata(&self.keys, &who), &self.keys.mint, &self.market_ata(), &who, &[], amount, DECIMALS,
        )
        .map_err(|e| SimError::Setup(e.to_string()))
    }

    /// Genesis for one agent: its tokens, and what its kind sets up at once
    /// (stakes, a source, a vesting schedule).
    async fn endow(&mut self, i: usize) -> Result<(), SimError> {
        let who = self.agents[i].key.pubkey();
        let start = self.agents[i].ledger.start;
        self.send(self.buy_from_market(&who, start.max(1))?, None).await?;
        self.agents[i].ledger.start = start.max(1);
        let keys = self.keys;
        match self.agents[i].kind.clone() {
            Kind::Staker { lock_secs, .. } => self.open_position(i, start, lock_secs).await?,
            Kind::WashCoalition { source, .. } => {
                self.open_position(i, crate::population::STRATEGY_CAPITAL, self.scenario.params.max_lock).await?;
                self.register_source(i, source).await?;
            }
            Kind::BaselinePumper { .. } => self.open_position(i, crate::population::STRATEGY_CAPITAL, self.scenario.params.max_lock).await?,
            Kind::StakingTwin { .. } => crate::behave::twin_step(self, i).await?,
            Kind::Builder { source } => self.register_source(i, source).await?,
            Kind::Insider { schedule, .. } | Kind::EarlySeller { schedule } | Kind::PatientInsider { schedule } => {
                let usage_rate_bps = match self.agents[i].kind {
                    Kind::Insider { usage_rate_bps, .. } => usage_rate_bps,
                    _ => 0,
                };
                let p = self.scenario.params;
                let total = crate::population::schedule_total(&self.agents[i].kind);
                let args = CreateVestingArgs {
                    beneficiary: who,
                    total,
                    start: self.genesis_ts,
                    cliff: self.genesis_ts + p.min_vesting_cliff as i64,
                    end: self.genesis_ts + (2 * p.min_vesting_duration) as i64,
                    period: 0,
                    revocable: false,
                    usage_rate_bps,
                    grace_secs: if usage_rate_bps > 0 { coherence::constants::MIN_VESTING_GRACE_SECS as u32 } else { 0 },
                };
                let me = self.client.payer().pubkey();
                let auth = self.authority.insecure_clone();
                self.send(vec![ix::create_vesting(&keys, &me, &auth.pubkey(), schedule, args)], Some(&auth)).await?;
            }
            _ => {}
        }
        Ok(())
    }

    async fn register_source(&mut self, i: usize, id: u64) -> Result<(), SimError> {
        let builder = self.agents[i].key.pubkey();
        self.send_as(i, vec![ix::register_source(&self.keys, &builder, id)]).await?;
        Ok(())
    }

    /// Emission the epoch in progress would produce if it closed now (the
    /// SDK's exact preview of the program's rule).
    pub async fn emission_due(&mut self, epoch: u64) -> Result<u64, SimError> {
        Ok(ops::preview_epoch(&mut self.client, &self.keys, epoch).await?.0.emission)
    }
}

/// A fresh agent with `start` tokens.
pub fn agent(name: String, class: Class, kind: Kind, rng: &mut Rng, start: u64) -> Agent {
    Agent {
        name,
        class,
        kind,
        key: Keypair::new_from_array(rng.bytes32()),
        ledger: Ledger { start, ..Ledger::default() },
        positions: Vec::new(),
        next_position: 0,
        contributed: Vec::new(),
    }
}
