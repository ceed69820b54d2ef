//! Staking actions of an agent: open, read, claim, unbond, withdraw and
//! close positions, keeping the agent's ledger (what comes back above the
//! principal it put in counts as received). What reaches the wallet is
//! sold at once in the agent's share ([`World::sell_bps`]), in the same
//! transaction.

use crate::world::World;
use crate::SimError;
use coherence::state::{Position, StakePool};
use coherence_sdk::{instructions as ix, ops, pda, preview};
use solana_signer::Signer;

impl World {
    /// Opens a new position of `amount` for `lock_secs` for agent `i`.
    pub async fn open_position(&mut self, i: usize, amount: u64, lock_secs: u64) -> Result<(), SimError> {
        let who = self.agents[i].key.pubkey();
        // Ids as the SDK recommends (`pda::position_id_from`): the next one
        // whose address the program finds at its first try.
        let id = pda::position_id_from(&self.keys.engine, &who, self.agents[i].next_position);
        let open = ix::open_position(&self.keys, &who, &ops::ata(&self.keys, &who), id, amount, lock_secs);
        self.send_as(i, vec![open]).await?;
        let a = &mut self.agents[i];
        a.next_position = id + 1;
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

    /// Claims position `id`'s rewards to the wallet (or restakes them), if
    /// any, selling the agent's share of what reaches the wallet.
    pub async fn claim_rewards(&mut self, i: usize, id: u64, restake: bool) -> Result<(), SimError> {
        let owed = self.owed(i, id).await?;
        if owed == 0 {
            return Ok(());
        }
        let who = self.agents[i].key.pubkey();
        let pos = pda::position(&self.keys.engine, &who, id);
        let mut ixs = vec![ix::claim_rewards(&self.keys, &who, &pos, &ops::ata(&self.keys, &who), restake)];
        let sale = if restake { None } else { Some(self.sell(i, self.sale_of(i, owed))?) };
        ixs.extend(sale.iter().filter(|(_, f)| f.tokens > 0).map(|(ix, _)| ix.clone()));
        let before = self.balance(i).await?;
        self.send_as(i, ixs).await?;
        let sold = sale.as_ref().map_or(0, |(_, f)| f.tokens);
        let got = self.balance(i).await? + sold - before;
        self.agents[i].ledger.received += got;
        if let Some((_, fill)) = sale {
            self.settle(i, &fill)?;
        }
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
        let put = self.agents[i].contributed.iter().find(|(p, _)| *p == id).map_or(0, |(_, v)| *v);
        // Restaked rewards come back with the principal: the share sold is of those.
        let above = self.position(i, id).await?.principal.saturating_sub(put);
        let (sale, fill) = self.sell(i, self.sale_of(i, above))?;
        let mut ixs = vec![ix::withdraw(&self.keys, &who, &pos, &dest), ix::close_position(&self.keys, &who, &pos)];
        if fill.tokens > 0 {
            ixs.push(sale);
        }
        let before = self.balance(i).await?;
        self.send_as(i, ixs).await?;
        let back = self.balance(i).await? + fill.tokens - before;
        self.settle(i, &fill)?;
        let a = &mut self.agents[i];
        a.ledger.received += back.saturating_sub(put);
        a.positions.retain(|p| *p != id);
        Ok(())
    }
}
