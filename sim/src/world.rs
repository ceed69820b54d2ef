//! The simulated world: an in-process bank running the real program, the
//! engine's keys, the market (genesis holder and fee payer), the engine
//! authority and the agents. Every action is a real transaction sent through
//! the SDK's local client; time moves only by warping the bank's clock.

use crate::agent::Agent;
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
}

impl World {
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
        self.created.epoch_start(e).unwrap_or(i64::MAX)
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

    /// A transfer of `amount` from agent `i` back to the market (a sale).
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
