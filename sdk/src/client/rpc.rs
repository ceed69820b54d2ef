//! RPC backend: simulate, size the compute budget, price it, send a v0
//! transaction, resend until confirmed or the blockhash expires.

use super::{ClientError, ClientResult, MemcmpFilter};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use solana_account::Account;
use solana_commitment_config::CommitmentConfig;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_hash::Hash;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client_api::config::{
    RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcSendTransactionConfig, RpcSimulateTransactionConfig,
};
use solana_rpc_client_api::filter::{Memcmp, RpcFilterType};
use solana_transaction::versioned::VersionedTransaction;
use std::time::Duration;

/// Most compute units a transaction may request.
const MAX_CU: u32 = 1_400_000;
/// Margin over the simulated compute units: +20 % and 1 000 units (never
/// below the measured worst case, see `send`).
fn with_margin(units: u64) -> u32 {
    u32::try_from(units.saturating_mul(12) / 10 + 1_000).unwrap_or(MAX_CU).min(MAX_CU)
}

/// How to price transactions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorityFee {
    /// No priority fee.
    None,
    /// A fixed price in micro-lamports per compute unit.
    Fixed(u64),
    /// The median of recent prioritization fees on the written accounts.
    Recent,
}

/// Talks to one RPC URL.
pub struct RpcBackend {
    client: RpcClient,
    fee: PriorityFee,
    /// How often to resend while waiting for confirmation.
    resend_every: Duration,
    /// Transactions sent whose outcome this client did not see (the RPC
    /// failed before confirmation), by intent: the next send of the same
    /// instructions by the same signers checks them first (see
    /// [`RpcBackend::send_with_tables`]), so a retry never pays twice.
    in_flight: std::collections::HashMap<Vec<u8>, InFlight>,
    /// New transactions built so far: see [`distinct_limit`].
    built: u32,
}

/// Two sends of the same instructions by the same signers within one
/// blockhash (two equal payments a moment apart) would build the very same
/// transaction: the second would be dropped as a duplicate and report the
/// first's signature, and the payment would be made once. So every new
/// transaction's compute-unit limit carries the client's count of built
/// transactions (0 to 255 units) on top of what it needs. A retry of an
/// intent whose outcome was not seen reuses its signed transaction instead.
fn distinct_limit(limit: u32, built: u32) -> u32 {
    let k = built % 256;
    if limit + k <= MAX_CU {
        limit + k
    } else {
        limit - k
    }
}

/// A sent transaction whose outcome is not known yet.
#[derive(Clone)]
struct InFlight {
    tx: VersionedTransaction,
    /// Last block height at which it can still land.
    last_valid: u64,
}

/// What a retry is: the same instructions (programs, accounts, data), the
/// same signers and the same lookup tables.
fn intent(ixs: &[Instruction], signers: &[&Keypair], tables: &[AddressLookupTableAccount]) -> Vec<u8> {
    let mut parts: Vec<Vec<u8>> = Vec::new();
    for ix in ixs {
        parts.push(ix.program_id.to_bytes().to_vec());
        for m in &ix.accounts {
            parts.push([m.pubkey.to_bytes().as_slice(), &[u8::from(m.is_signer), u8::from(m.is_writable)]].concat());
        }
        parts.push(ix.data.clone());
    }
    parts.extend(signers.iter().map(|k| solana_signer::Signer::pubkey(*k).to_bytes().to_vec()));
    parts.extend(tables.iter().map(|t| t.key.to_bytes().to_vec()));
    // Length-prefixed, so that no two intents concatenate alike.
    parts.iter().flat_map(|p| (p.len() as u32).to_le_bytes().into_iter().chain(p.iter().copied())).collect()
}

impl RpcBackend {
    /// A backend for `url` at `commitment`, pricing transactions with `fee`.
    ///
    /// ```
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::Fixed(1_000));
    /// assert_eq!(rpc.url(), "http://127.0.0.1:8899");
    /// ```
    pub fn new(url: String, commitment: CommitmentConfig, fee: PriorityFee) -> Self {
        Self::with_client(RpcClient::new_with_commitment(url, commitment), fee)
    }

    /// Wraps an existing `RpcClient` (e.g. one over a custom `RpcSender`).
    ///
    /// ```no_run
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// use solana_rpc_client::nonblocking::rpc_client::RpcClient;
    /// let rpc = RpcBackend::with_client(RpcClient::new("http://127.0.0.1:8899".into()), PriorityFee::Fixed(1));
    /// ```
    pub fn with_client(client: RpcClient, fee: PriorityFee) -> Self {
        RpcBackend { client, fee, resend_every: Duration::from_millis(2_000), in_flight: Default::default(), built: 0 }
    }

    /// The RPC URL.
    pub fn url(&self) -> String {
        self.client.url()
    }

    /// An RPC failure as one readable line. The RPC client reports a node it
    /// cannot reach as "AccountNotFound: pubkey=…: error sending request for
    /// url (…)" when reading an account; that is said as what it is.
    fn rpc_err(e: impl std::fmt::Display) -> ClientError {
        let text = e.to_string();
        match text.find("error sending request for url") {
            Some(at) => ClientError::Rpc(format!("the RPC node is unreachable ({})", &text[at..])),
            None => ClientError::Rpc(text),
        }
    }

    fn message(
        ixs: &[Instruction],
        payer: &Pubkey,
        cu: Option<u32>,
        price: u64,
        blockhash: Hash,
        tables: &[AddressLookupTableAccount],
    ) -> ClientResult<VersionedMessage> {
        let mut all = Vec::with_capacity(ixs.len() + 2);
        if let Some(cu) = cu {
            all.push(ComputeBudgetInstruction::set_compute_unit_limit(cu));
        }
        if price > 0 {
            all.push(ComputeBudgetInstruction::set_compute_unit_price(price));
        }
        all.extend_from_slice(ixs);
        let message = v0::Message::try_compile(payer, &all, tables, blockhash).map_err(Self::rpc_err)?;
        Ok(VersionedMessage::V0(message))
    }

    async fn price(&self, ixs: &[Instruction]) -> ClientResult<u64> {
        match self.fee {
            PriorityFee::None => Ok(0),
            PriorityFee::Fixed(p) => Ok(p),
            PriorityFee::Recent => {
                let mut writable: Vec<Pubkey> =
                    ixs.iter().flat_map(|ix| ix.accounts.iter()).filter(|m| m.is_writable).map(|m| m.pubkey).collect();
                writable.sort();
                writable.dedup();
                writable.truncate(128);
                let fees = self.client.get_recent_prioritization_fees(&writable).await.map_err(Self::rpc_err)?;
                let mut values: Vec<u64> = fees.iter().map(|f| f.prioritization_fee).collect();
                values.sort_unstable();
                Ok(values.get(values.len() / 2).copied().unwrap_or(0))
            }
        }
    }

    /// Simulates with the maximum compute budget; returns the units used,
    /// or the program's named error with its logs.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let mut rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::None);
    /// # let payer = solana_keypair::Keypair::new();
    /// let units = rpc.simulate(&[], &[&payer]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn simulate(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<u64> {
        self.simulate_with_tables(ixs, signers, &[]).await
    }

    /// [`RpcBackend::simulate`] with a v0 message compiled against `tables`.
    pub async fn simulate_with_tables(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> ClientResult<u64> {
        let payer = signers.first().ok_or_else(|| ClientError::Rpc("no payer".into()))?;
        let blockhash = self.client.get_latest_blockhash().await.map_err(Self::rpc_err)?;
        let message = Self::message(ixs, &solana_signer::Signer::pubkey(*payer), Some(MAX_CU), 0, blockhash, tables)?;
        let tx = VersionedTransaction::try_new(message, signers).map_err(Self::rpc_err)?;
        let config = RpcSimulateTransactionConfig {
            sig_verify: false,
            replace_recent_blockhash: true,
            commitment: Some(self.client.commitment()),
            ..RpcSimulateTransactionConfig::default()
        };
        let sim = self.client.simulate_transaction_with_config(&tx, config).await.map_err(Self::rpc_err)?.value;
        let logs = sim.logs.unwrap_or_default();
        if let Some(err) = sim.err {
            return Err(ClientError::from_transaction(err.into(), logs));
        }
        Ok(sim.units_consumed.unwrap_or(0))
    }

    /// Simulate → size → price → sign → send → confirm (resending).
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let mut rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::None);
    /// # let payer = solana_keypair::Keypair::new();
    /// let signature = rpc.send(&[], &[&payer]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<String> {
        self.send_with_tables(ixs, signers, &[]).await
    }

    /// [`RpcBackend::send`] with a v0 message compiled against `tables`.
    ///
    /// A retry never pays twice: when an earlier send of the same intent
    /// (same instructions, signers and tables) failed on the RPC before its
    /// outcome was seen, its signature is checked first — confirmed: that
    /// signature is returned and nothing is sent; failed on-chain: its error;
    /// unknown but its blockhash still valid: the same signed transaction is
    /// sent again and awaited. Only once it has expired unseen is a new
    /// transaction built.
    pub async fn send_with_tables(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> ClientResult<String> {
        let key = intent(ixs, signers, tables);
        if let Some(earlier) = self.in_flight.get(&key).cloned() {
            let signature = earlier.tx.signatures[0];
            let status = self.client.get_signature_statuses(&[signature]).await.map_err(Self::rpc_err)?.value;
            match status.into_iter().next().flatten() {
                Some(s) if s.err.is_some() || s.satisfies_commitment(self.client.commitment()) => {
                    self.in_flight.remove(&key);
                    return match s.err {
                        Some(err) => Err(ClientError::from_transaction(err, vec![])),
                        None => Ok(signature.to_string()),
                    };
                }
                _ => {
                    let height = self.client.get_block_height().await.map_err(Self::rpc_err)?;
                    if height <= earlier.last_valid {
                        return self.confirm(key, earlier).await;
                    }
                    self.in_flight.remove(&key); // expired unseen: it never landed
                }
            }
        }
        let units = self.simulate_with_tables(ixs, signers, tables).await?;
        let price = self.price(ixs).await?;
        let payer = signers.first().ok_or_else(|| ClientError::Rpc("no payer".into()))?;
        let (blockhash, last_valid) =
            self.client.get_latest_blockhash_with_commitment(self.client.commitment()).await.map_err(Self::rpc_err)?;
        // The simulation ran a moment earlier: the clock may have moved, and
        // an accrual that found nothing to release then may release now and
        // cost more. The measured worst case (`compute::limit_for`) is the floor.
        let limit = with_margin(units).max(crate::compute::limit_for(ixs)).min(MAX_CU);
        let limit = distinct_limit(limit, self.built);
        self.built = self.built.wrapping_add(1);
        let message =
            Self::message(ixs, &solana_signer::Signer::pubkey(*payer), Some(limit), price, blockhash, tables)?;
        let tx = VersionedTransaction::try_new(message, signers).map_err(Self::rpc_err)?;
        let earlier = InFlight { tx, last_valid };
        self.in_flight.insert(key.clone(), earlier.clone());
        self.confirm(key, earlier).await
    }

    /// Sends `sent.tx` (again) and waits for its outcome, resending until it
    /// is confirmed or its blockhash expires. The intent stays in flight
    /// only when the RPC failed before the outcome was seen.
    async fn confirm(&mut self, key: Vec<u8>, sent: InFlight) -> ClientResult<String> {
        let signature = sent.tx.signatures[0];
        let config = RpcSendTransactionConfig { skip_preflight: true, max_retries: Some(0), ..Default::default() };
        let outcome = loop {
            if let Err(e) = self.client.send_transaction_with_config(&sent.tx, config).await {
                return Err(Self::rpc_err(e));
            }
            let deadline = tokio::time::Instant::now() + self.resend_every;
            let mut seen = None;
            while tokio::time::Instant::now() < deadline {
                let statuses = self.client.get_signature_statuses(&[signature]).await.map_err(Self::rpc_err)?.value;
                if let Some(Some(status)) = statuses.first() {
                    if let Some(err) = &status.err {
                        seen = Some(Err(ClientError::from_transaction(err.clone(), vec![])));
                        break;
                    }
                    if status.satisfies_commitment(self.client.commitment()) {
                        seen = Some(Ok(signature.to_string()));
                        break;
                    }
                }
                tokio::time::sleep(Duration::from_millis(400)).await;
            }
            if let Some(outcome) = seen {
                break outcome;
            }
            let height = self.client.get_block_height().await.map_err(Self::rpc_err)?;
            if height > sent.last_valid {
                break Err(ClientError::Expired);
            }
        };
        self.in_flight.remove(&key);
        outcome
    }

    /// The cluster's current slot at the client's commitment.
    pub async fn slot(&mut self) -> ClientResult<u64> {
        self.client.get_slot().await.map_err(Self::rpc_err)
    }

    /// A slot every bank lists in its `SlotHashes` (what
    /// `create_lookup_table` needs): the finalized slot. A confirmed slot can
    /// be the very bank a transaction runs in, whose `SlotHashes` holds only
    /// its ancestors ("… is not a recent slot" with fast slots).
    pub async fn recent_slot(&mut self) -> ClientResult<u64> {
        self.client.get_slot_with_commitment(CommitmentConfig::finalized()).await.map_err(Self::rpc_err)
    }

    /// Waits (polling) until the cluster is past `slot`.
    pub async fn wait_past(&mut self, slot: u64) -> ClientResult<()> {
        while self.slot().await? <= slot {
            tokio::time::sleep(Duration::from_millis(400)).await;
        }
        Ok(())
    }

    /// Raw account at the client's commitment, if it exists.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let mut rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::None);
    /// let engine = rpc.account(&anchor_lang::prelude::Pubkey::new_unique()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn account(&mut self, key: &Pubkey) -> ClientResult<Option<Account>> {
        let response =
            self.client.get_account_with_commitment(key, self.client.commitment()).await.map_err(Self::rpc_err)?;
        Ok(response.value)
    }

    /// The cluster's Clock unix time.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let mut rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::None);
    /// let unix = rpc.now().await?;
    /// # Ok(()) }
    /// ```
    pub async fn now(&mut self) -> ClientResult<i64> {
        let clock = self
            .account(&solana_clock::sysvar::ID)
            .await?
            .ok_or_else(|| ClientError::AccountNotFound("Clock".into()))?;
        let clock: solana_clock::Clock = bincode_clock(&clock.data)?;
        Ok(clock.unix_timestamp)
    }

    /// Program accounts matching every memcmp filter.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let mut rpc = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::None);
    /// let all = rpc.program_accounts(&[]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn program_accounts(&mut self, filters: &[MemcmpFilter]) -> ClientResult<Vec<(Pubkey, Account)>> {
        let config = RpcProgramAccountsConfig {
            filters: Some(
                filters
                    .iter()
                    .map(|f| RpcFilterType::Memcmp(Memcmp::new_raw_bytes(f.offset, f.bytes.clone())))
                    .collect(),
            ),
            account_config: RpcAccountInfoConfig {
                commitment: Some(self.client.commitment()),
                // The default (base58) is refused for accounts over 128 bytes,
                // which every Coherence account is.
                encoding: Some(solana_account_decoder_client_types::UiAccountEncoding::Base64),
                ..RpcAccountInfoConfig::default()
            },
            ..RpcProgramAccountsConfig::default()
        };
        // The raw-account variant decodes for us; its UI-account successor
        // would need the account-decoder crate for the same result.
        #[allow(deprecated)]
        let accounts = self.client.get_program_accounts_with_config(&coherence::ID, config).await;
        accounts.map_err(Self::rpc_err)
    }
}

/// The Clock sysvar's layout: five little-endian 8-byte fields.
fn bincode_clock(data: &[u8]) -> ClientResult<solana_clock::Clock> {
    let field = |i: usize| -> ClientResult<[u8; 8]> {
        data.get(i * 8..i * 8 + 8)
            .and_then(|s| s.try_into().ok())
            .ok_or_else(|| ClientError::Decode("clock sysvar".into()))
    };
    Ok(solana_clock::Clock {
        slot: u64::from_le_bytes(field(0)?),
        epoch_start_timestamp: i64::from_le_bytes(field(1)?),
        epoch: u64::from_le_bytes(field(2)?),
        leader_schedule_epoch: u64::from_le_bytes(field(3)?),
        unix_timestamp: i64::from_le_bytes(field(4)?),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn compute_margin_is_capped() {
        assert_eq!(super::with_margin(10_000), 13_000);
        assert_eq!(super::with_margin(u64::MAX), super::MAX_CU);
    }

    #[test]
    fn consecutive_transactions_ask_for_different_limits_within_the_cap() {
        use super::{distinct_limit, MAX_CU};
        assert_ne!(distinct_limit(20_000, 0), distinct_limit(20_000, 1));
        assert_eq!(distinct_limit(20_000, 256), 20_000);
        assert!(distinct_limit(20_000, 255) >= 20_000, "never below the need");
        assert_ne!(distinct_limit(MAX_CU, 3), distinct_limit(MAX_CU, 4));
        assert!((0..512).all(|n| distinct_limit(MAX_CU, n) <= MAX_CU));
    }
}
