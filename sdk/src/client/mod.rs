//! Sending transactions: one [`Client`] over RPC or in process.
//!
//! Instruction builders never send; this layer signs, sends and reads. The
//! RPC backend simulates first, sets the compute-unit limit from the
//! simulation plus a margin, adds an optional priority fee, sends a v0
//! transaction and resends until it is confirmed or its blockhash expires.
//! The local backend (feature `local`) runs the program natively inside
//! `solana-program-test`, optionally persisting its accounts to a file.

mod error;
#[cfg(feature = "local")]
pub mod local;
pub mod rpc;

pub use error::ClientError;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::AccountDeserialize;
use solana_account::Account;
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Result of client operations.
pub type ClientResult<T> = Result<T, ClientError>;

/// A `getProgramAccounts` memcmp filter: `bytes` at `offset` of the data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemcmpFilter {
    /// Byte offset into the account data.
    pub offset: usize,
    /// Bytes that must appear there.
    pub bytes: Vec<u8>,
}

impl MemcmpFilter {
    /// Whether `data` carries `bytes` at `offset`.
    ///
    /// ```
    /// let f = coherence_sdk::client::MemcmpFilter { offset: 1, bytes: vec![7] };
    /// assert!(f.matches(&[0, 7]) && !f.matches(&[7]));
    /// ```
    pub fn matches(&self, data: &[u8]) -> bool {
        data.get(self.offset..self.offset + self.bytes.len()) == Some(&self.bytes[..])
    }
}

enum Backend {
    Rpc(rpc::RpcBackend),
    #[cfg(feature = "local")]
    Local(Box<local::LocalBank>),
}

/// Sends transactions and reads accounts, over RPC or in process.
pub struct Client {
    backend: Backend,
    payer: Keypair,
    /// Address lookup table known for each engine (see [`crate::lookup`]).
    tables: std::collections::HashMap<Pubkey, Pubkey>,
}

impl Client {
    /// A client over RPC; `payer` pays fees and signs.
    ///
    /// ```no_run
    /// use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
    /// let backend = RpcBackend::new("http://127.0.0.1:8899".into(), Default::default(), PriorityFee::Recent);
    /// let client = coherence_sdk::Client::rpc(backend, solana_keypair::Keypair::new());
    /// ```
    pub fn rpc(backend: rpc::RpcBackend, payer: Keypair) -> Self {
        Client { backend: Backend::Rpc(backend), payer, tables: Default::default() }
    }

    /// A client over an in-process bank; `payer` is funded in it.
    #[cfg(feature = "local")]
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::LocalBank;
    /// use solana_signer::Signer;
    /// let payer = solana_keypair::Keypair::new();
    /// let bank = LocalBank::start(None, &[payer.pubkey()]).await?;
    /// let mut client = coherence_sdk::Client::local(bank, payer);
    /// assert!(client.now().await? > 0);
    /// # Ok(()) }
    /// ```
    pub fn local(bank: local::LocalBank, payer: Keypair) -> Self {
        Client { backend: Backend::Local(Box::new(bank)), payer, tables: Default::default() }
    }

    /// The fee payer (and default signer).
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// use solana_signer::Signer;
    /// let me: Pubkey = client.payer().pubkey();
    /// # Ok(()) }
    /// ```
    pub fn payer(&self) -> &Keypair {
        &self.payer
    }

    /// The in-process bank, when this client runs locally.
    #[cfg(feature = "local")]
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// if let Some(bank) = client.local_bank() {
    ///     let now = bank.now().await?;
    ///     bank.warp_to(now + 86_400).await?;
    /// }
    /// # Ok(()) }
    /// ```
    pub fn local_bank(&mut self) -> Option<&mut local::LocalBank> {
        match &mut self.backend {
            Backend::Local(bank) => Some(bank),
            Backend::Rpc(_) => None,
        }
    }

    /// Signs (payer + `signers`), sends and confirms; returns the signature.
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let ix = coherence_sdk::instructions::apply_params(&keys);
    /// match client.send(&[ix], &[]).await {
    ///     Ok(signature) => println!("{signature}"),
    ///     Err(e) => println!("{e}: {:?}", e.program_error()),
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<String> {
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != self.payer.pubkey()));
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.send(ixs, &all).await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.send(ixs, &all).await,
        }
    }

    /// [`Client::send`] as a v0 transaction compiled against `tables`.
    ///
    /// ```no_run
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let table = coherence_sdk::ops::ensure_lookup_table(client, &keys, 16).await?;
    /// let me = solana_signer::Signer::pubkey(client.payer());
    /// client.send_with_tables(&[coherence_sdk::instructions::close_epoch(&keys, &me, 0, 16)], &[], &[table]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send_with_tables(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[solana_message::AddressLookupTableAccount],
    ) -> ClientResult<String> {
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != self.payer.pubkey()));
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.send_with_tables(ixs, &all, tables).await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.send_with_tables(ixs, &all, tables).await,
        }
    }

    /// A recent slot for `create_lookup_table`.
    pub async fn recent_slot(&mut self) -> ClientResult<u64> {
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.recent_slot().await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.recent_slot().await,
        }
    }

    /// Returns once the cluster has moved past the current slot (lookup
    /// table addresses become usable one slot after they are added).
    pub async fn next_slot(&mut self) -> ClientResult<()> {
        match &mut self.backend {
            Backend::Rpc(rpc) => {
                let now = rpc.slot().await?;
                rpc.wait_past(now).await
            }
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.next_slot().await,
        }
    }

    /// Remembers `table` as `engine`'s lookup table (e.g. from a deployment file).
    pub fn set_lookup_table(&mut self, engine: Pubkey, table: Pubkey) {
        self.tables.insert(engine, table);
    }

    /// Forgets `engine`'s lookup table (deactivated, closed or incomplete).
    pub fn forget_lookup_table(&mut self, engine: &Pubkey) {
        self.tables.remove(engine);
    }

    /// The lookup table this client knows for `engine`, if any.
    pub fn lookup_table(&self, engine: &Pubkey) -> Option<Pubkey> {
        self.tables.get(engine).copied()
    }

    /// Simulates without committing; returns the compute units consumed.
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let units = client.simulate(&[coherence_sdk::instructions::apply_params(&keys)], &[]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn simulate(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<u64> {
        let mut all: Vec<&Keypair> = vec![&self.payer];
        all.extend(signers.iter().copied().filter(|k| k.pubkey() != self.payer.pubkey()));
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.simulate(ixs, &all).await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.simulate(ixs, &all).await,
        }
    }

    /// Raw account, if it exists.
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let exists = client.account(&keys.engine).await?.is_some();
    /// # Ok(()) }
    /// ```
    pub async fn account(&mut self, key: &Pubkey) -> ClientResult<Option<Account>> {
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.account(key).await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.account(key).await,
        }
    }

    /// Fetches and decodes a program account.
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let engine: coherence::state::Engine = client.get(&keys.engine).await?;
    /// # Ok(()) }
    /// ```
    pub async fn get<T: AccountDeserialize>(&mut self, key: &Pubkey) -> ClientResult<T> {
        let account = self.account(key).await?.ok_or_else(|| ClientError::AccountNotFound(key.to_string()))?;
        T::try_deserialize(&mut &account.data[..]).map_err(|e| ClientError::Decode(format!("{key}: {e}")))
    }

    /// Current unix time of the cluster (Clock sysvar).
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// let unix = client.now().await?;
    /// # Ok(()) }
    /// ```
    pub async fn now(&mut self) -> ClientResult<i64> {
        match &mut self.backend {
            Backend::Rpc(rpc) => rpc.now().await,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.now().await,
        }
    }

    /// Program accounts of type `T` matching every filter (the account
    /// discriminator is always matched first).
    ///
    /// ```no_run
    /// # use anchor_lang::prelude::Pubkey;
    /// # async fn demo(client: &mut coherence_sdk::Client, keys: coherence_sdk::EngineKeys) -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::accounts::filters;
    /// let owner = Pubkey::new_unique();
    /// let positions: Vec<(Pubkey, coherence::state::Position)> =
    ///     client.program_accounts(&[filters::engine(&keys.engine), filters::position_owner(&owner)]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn program_accounts<T: AccountDeserialize + anchor_lang::Discriminator>(
        &mut self,
        filters: &[MemcmpFilter],
    ) -> ClientResult<Vec<(Pubkey, T)>> {
        let mut all = vec![MemcmpFilter { offset: 0, bytes: T::DISCRIMINATOR.to_vec() }];
        all.extend_from_slice(filters);
        let raw = match &mut self.backend {
            Backend::Rpc(rpc) => rpc.program_accounts(&all).await?,
            #[cfg(feature = "local")]
            Backend::Local(bank) => bank.program_accounts(&all).await?,
        };
        raw.into_iter()
            .map(|(k, a)| {
                T::try_deserialize(&mut &a.data[..])
                    .map(|t| (k, t))
                    .map_err(|e| ClientError::Decode(format!("{k}: {e}")))
            })
            .collect()
    }
}
