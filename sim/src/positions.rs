//! Staking actions of an agent: open, read, claim, unbond, withdraw and
//! close positions, keeping the agent's ledger (what comes back above the
//! principal it put in counts as received).

use crate::world::World;
use crate::SimError;
use coherence::state::{Position, StakePool};
use coherence_sdk::{instructions as ix, ops, pda, preview};
use solana_signer::Signer;

impl World {
    /// Opens a new position of `amount` for `lock_secs` for agent `i`.
    pub async fn open_position(&mut self, i: usize, amount: u64, lock_secs: u64) -> Result<(), SimError> {
        let who = self.agents[i].key.pubkey();
        let id = self.agents[i].next_position;
        let open = ix::open_position(&self.keys, &who, &ops::ata(&self.keys, &who), id, amount, lock_secs);
        self.send_as(i, vec![open]).await?;
        let a = &mut self.agents[i];
        a.next_position += 1;
        a.positions.push(id);
        a.contributed.push((id, amount));
        let staked: u64 = a.contributed.iter().filter(|(p, _)| a.positions.contains(p)).map(|(_, v)| v).sum();
        a.ledger.staked_max = a.ledger.staked_max.max(staked);
        Ok(())
    }

    /// Agent `i`'s position `id`.
    pub async fn position(&mut self, i: usize, id: u64) -> Result<Position, SimError> {
        let who = self.agents[i].key.pubkey();
        Ok(self.client.get(&pda::position(&self.keys.engine, &who, id)).await?)
    }

    /// Rewards position `id` of agent `i` could claim now.
    pub async fn owed(&mut self, i: usize, id: u64) -> Result<u64, SimError> {
        let p = self.position(i, id).await?;
        let pool: StakePool = self.client.get(&self.keys.stake_pool).await?;
        let now = self.client.now().await?;
        Ok(preview::preview_rewards(&p, &pool, now)?)
    }

    /// Claims position `id`'s rewards to the wallet (or restakes them), if any.
    pub async fn claim_rewards(&mut self, i: usize, id: u64, restake: bool) -> Result<(), SimError> {
        if self.owed(i, id).await? == 0 {
            return Ok(());
        }
        let who = self.agents[i].key.pubkey();
        let pos = pda::position(&self.keys.engine, &who, id);
        let before = self.balance(i).await?;
        self.send_as(i, vec![ix::claim_rewards(&self.keys, &who, &pos, &ops::ata(&self.keys, &who), restake)]).await?;
        let got = self.balance(i).await? - before;
        self.agents[i].ledger.received += got;
        Ok(())
    }

    /// Starts unbonding position `id` (its weight drops to 0 now).
    pub async fn start_unbond(&mut self, i: usize, id: u64) -> Result<(), SimError> {
        let who = self.agents[i].key.pubkey();
        let pos = pda::position(&self.keys.engine, &who, id);
        self.send_as(i, vec![ix::start_unbond(&self.keys, &who, &pos)]).await?;
        Ok(())
    }

    /// Claims what is left, withdraws and closes position `id`: whatever
    /// comes back above the principal the agent put in counts as received.
    pub async fn withdraw_and_close(&mut self, i: usize, id: u64) -> Result<(), SimError> {
        self.claim_rewards(i, id, false).await?;
        let who = self.agents[i].key.pubkey();
        let pos = pda::position(&self.keys.engine, &who, id);
        let dest = ops::ata(&self.keys, &who);
        let before = self.balance(i).await?;
        self.send_as(i, vec![ix::withdraw(&self.keys, &who, &pos, &dest), ix::close_position(&self.keys, &who, &pos)])
            .await?;
        let back = self.balance(i).await? - before;
        let a = &mut self.agents[i];
        let put = a.contributed.iter().find(|(p, _)| *p == id).map_or(0, |(_, v)| *v);
        a.ledger.received += back.saturating_sub(put);
        a.positions.retain(|p| *p != id);
        Ok(())
    }
}
