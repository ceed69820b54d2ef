//! In-process backend: the program compiled natively and run by
//! `solana-program-test`, next to the real SPL Token and Token-2022 bytecode.
//! No validator needed. A [`LocalState`] snapshot (accounts + clock) can be
//! saved to a file and loaded again, so CLI invocations in local mode share
//! one ledger.

use super::{ClientError, ClientResult, MemcmpFilter};
use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use serde::{Deserialize, Serialize};
use solana_account::Account;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_program_test::{processor, BanksClientError, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;
use std::collections::BTreeSet;
use std::path::Path;

fn coherence_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    // SAFETY: only unifies the slice's lifetime with Anchor's single 'info lifetime.
    let accounts = unsafe { core::mem::transmute::<&[AccountInfo<'_>], &[AccountInfo<'_>]>(accounts) };
    coherence::entrypoint::process_instruction(program_id, accounts, data)
}

/// Compute-unit limit of local transactions, minus a per-call nonce below
/// [`NONCE_SPAN`] that keeps otherwise identical transactions distinct: at
/// least 300k, several times the worst instruction measured as SBF.
const CU_LIMIT: u32 = 400_000;
const NONCE_SPAN: u32 = 100_000;
/// A new slot every this many transactions, so per-block cost limits never
/// stall: the fee payer is written by each, and 24 × 400k CU stays under the
/// 12M CU a block allows per writable account.
const TXS_PER_SLOT: u32 = 24;
/// The test bank registers a blockhash every few milliseconds of wall time
/// and forgets it after 300 (about two seconds); on a young bank, one older
/// than 150 even stops the bank (its "last valid height" underflows). So
/// the next transaction takes a new blockhash once the last is this old.
const BLOCKHASH_MAX_AGE: std::time::Duration = std::time::Duration::from_millis(400);
/// Sends of one transaction whose blockhash expired before the bank saw it.
const BLOCKHASH_RETRIES: usize = 3;
/// Lamports given to a wallet the local ledger has never seen.
pub const LOCAL_AIRDROP: u64 = 1_000_000_000_000;

/// One saved account.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SavedAccount {
    /// Account address.
    pub address: [u8; 32],
    /// Balance.
    pub lamports: u64,
    /// Owning program.
    pub owner: [u8; 32],
    /// Account data.
    pub data: Vec<u8>,
}

/// A snapshot of a local ledger: the clock and every account it touched.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct LocalState {
    /// The Clock's unix time when saved.
    pub unix_time: i64,
    /// Every non-program account the ledger touched.
    pub accounts: Vec<SavedAccount>,
}

impl LocalState {
    /// Reads a ledger file; `None` if it does not exist yet.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// let state: Option<LocalState> = LocalState::load(path)?;
    /// # Ok(()) }
    /// ```
    pub fn load(path: &Path) -> ClientResult<Option<LocalState>> {
        match std::fs::read(path) {
            Ok(bytes) => bincode::deserialize(&bytes)
                .map(Some)
                .map_err(|e| ClientError::Io(format!("{}: not a local ledger file ({e})", path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(ClientError::Io(format!("{}: {e}", path.display()))),
        }
    }

    /// Writes the ledger file (creating its folder).
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// LocalState::default().save(path)?;
    /// # Ok(()) }
    /// ```
    pub fn save(&self, path: &Path) -> ClientResult<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| ClientError::Io(format!("{}: {e}", dir.display())))?;
        }
        let bytes = bincode::serialize(self).map_err(|e| ClientError::Io(e.to_string()))?;
        std::fs::write(path, bytes).map_err(|e| ClientError::Io(format!("{}: {e}", path.display())))
    }
}

/// Set to `1` to run the program as SBF bytecode: `coherence.so` from
/// `SBF_OUT_DIR` (or `BPF_OUT_DIR`), built by `scripts/build-sbf.sh`.
pub const SBF_ENV: &str = "COHERENCE_SBF";

/// The `.so` the in-process bank loads when [`SBF_ENV`] is `1`, or `None`
/// (native). Asking for SBF without the file is an error, never a silent
/// fallback to the native build.
///
/// ```
/// std::env::remove_var(coherence_sdk::client::local::SBF_ENV);
/// assert!(coherence_sdk::client::local::sbf_program().unwrap().is_none());
/// ```
pub fn sbf_program() -> ClientResult<Option<std::path::PathBuf>> {
    if std::env::var(SBF_ENV).as_deref() != Ok("1") {
        return Ok(None);
    }
    let dir = std::env::var("BPF_OUT_DIR")
        .or_else(|_| std::env::var("SBF_OUT_DIR"))
        .map_err(|_| ClientError::Rpc(format!("{SBF_ENV}=1 needs SBF_OUT_DIR: the directory holding coherence.so")))?;
    let so = std::path::Path::new(&dir).join("coherence.so");
    if !so.is_file() {
        return Err(ClientError::Rpc(format!("{SBF_ENV}=1 but {} is missing: run scripts/build-sbf.sh", so.display())));
    }
    Ok(Some(so))
}

/// The in-process test bank's builder, for [`LocalBank::start_with`].
pub use solana_program_test::ProgramTest;

/// Adds SBF bytecode `elf` as program `id` (executable, BPF loader), as
/// `ProgramTest::add_program` does with `prefer_bpf` for a `.so` on its
/// search path; here the bytes come from wherever the caller keeps them
/// (e.g. a third-party program committed as a test fixture), and a native
/// Coherence can run next to it.
pub fn add_bpf_program(pt: &mut ProgramTest, id: Pubkey, elf: Vec<u8>) {
    let lamports = anchor_lang::prelude::Rent::default().minimum_balance(elf.len()).max(1);
    let owner = Pubkey::from_str_const("BPFLoader2111111111111111111111111111111111");
    pt.add_account(id, Account { lamports, data: elf, owner, executable: true, rent_epoch: 0 });
}

/// A running in-process bank with the program loaded.
pub struct LocalBank {
    /// The underlying program-test context (bank, payer, blockhash).
    pub ctx: ProgramTestContext,
    known: BTreeSet<Pubkey>,
    nonce: u32,
    /// When `ctx.last_blockhash` was taken from the bank.
    blockhash_at: std::time::Instant,
}

impl LocalBank {
    /// Starts a bank from `state` (or empty), funding `wallets` it has not seen.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// let mut bank = LocalBank::start(LocalState::load(path)?, &[]).await?;
    /// bank.snapshot().await?.save(path)?;
    /// # Ok(()) }
    /// ```
    pub async fn start(state: Option<LocalState>, wallets: &[Pubkey]) -> ClientResult<LocalBank> {
        Self::start_with(state, wallets, |_| {}).await
    }

    /// [`LocalBank::start`], letting `extra` add programs (e.g. a program
    /// that calls Coherence by CPI) before the bank starts.
    pub async fn start_with(
        state: Option<LocalState>,
        wallets: &[Pubkey],
        extra: impl FnOnce(&mut ProgramTest),
    ) -> ClientResult<LocalBank> {
        let mut pt = ProgramTest::default();
        agave_logger::setup_with_default("error");
        if sbf_program()?.is_some() {
            // The SBF bytecode in the VM: real compute units, stack and heap.
            pt.prefer_bpf(true);
            pt.add_program("coherence", coherence::ID, None);
        } else {
            pt.prefer_bpf(false);
            pt.add_program("coherence", coherence::ID, processor!(coherence_entry));
        }
        extra(&mut pt);
        let state = state.unwrap_or_default();
        let mut known = BTreeSet::new();
        for saved in &state.accounts {
            let address = Pubkey::new_from_array(saved.address);
            known.insert(address);
            pt.add_account(
                address,
                Account {
                    lamports: saved.lamports,
                    data: saved.data.clone(),
                    owner: Pubkey::new_from_array(saved.owner),
                    executable: false,
                    rent_epoch: 0,
                },
            );
        }
        let fresh: Vec<Pubkey> = wallets.iter().filter(|w| !known.contains(*w)).copied().collect();
        for wallet in fresh {
            pt.add_account(wallet, Account { lamports: LOCAL_AIRDROP, ..Account::default() });
            known.insert(wallet);
        }
        let ctx = pt.start_with_context().await;
        let mut bank = LocalBank { ctx, known, nonce: 1, blockhash_at: std::time::Instant::now() };
        if state.unix_time != 0 {
            bank.warp_to(state.unix_time).await?;
        }
        Ok(bank)
    }

    /// Snapshot of every account this ledger has touched.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let state = bank.snapshot().await?;
    /// # Ok(()) }
    /// ```
    pub async fn snapshot(&mut self) -> ClientResult<LocalState> {
        let mut accounts = Vec::new();
        for key in self.known.clone() {
            if let Some(a) = self.account(&key).await? {
                let is_program_or_sysvar = a.executable
                    || a.owner == solana_sdk_ids_sysvar()
                    || a.owner == anchor_lang::solana_program::bpf_loader_upgradeable::ID;
                if !is_program_or_sysvar {
                    accounts.push(SavedAccount {
                        address: key.to_bytes(),
                        lamports: a.lamports,
                        owner: a.owner.to_bytes(),
                        data: a.data,
                    });
                }
            }
        }
        Ok(LocalState { unix_time: self.now().await?, accounts })
    }

    fn remember(&mut self, ixs: &[Instruction]) {
        for ix in ixs {
            self.known.extend(ix.accounts.iter().map(|m| m.pubkey));
        }
    }

    /// A signed transaction (`signers[0]` pays) led by a compute-budget
    /// instruction whose per-call value keeps identical transactions distinct.
    pub fn transaction(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<Transaction> {
        let (payer, all) = self.budgeted(ixs, signers)?;
        let mut tx = Transaction::new_with_payer(&all, Some(&payer));
        tx.try_sign(&signers.to_vec(), self.ctx.last_blockhash).map_err(|e| ClientError::Rpc(e.to_string()))?;
        Ok(tx)
    }

    /// The payer and `ixs` led by the compute-budget instruction, whose
    /// per-call value keeps otherwise identical transactions distinct.
    fn budgeted(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<(Pubkey, Vec<Instruction>)> {
        self.nonce += 1;
        let payer = signers.first().ok_or_else(|| ClientError::Rpc("no payer".into()))?.pubkey();
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(CU_LIMIT - self.nonce % NONCE_SPAN)];
        all.extend_from_slice(ixs);
        Ok((payer, all))
    }

    /// Before each transaction: move to a fresh slot every few transactions
    /// (so per-block cost limits never stall long runs) and remember the
    /// accounts it names (for snapshots and `program_accounts`).
    async fn before_send(&mut self, ixs: &[Instruction]) -> ClientResult<()> {
        if self.nonce.is_multiple_of(TXS_PER_SLOT) {
            self.next_slot().await?;
        } else if self.blockhash_at.elapsed() > BLOCKHASH_MAX_AGE {
            self.fresh_blockhash().await?;
        }
        self.remember(ixs);
        Ok(())
    }

    /// Takes the bank's latest blockhash for the next transactions.
    async fn fresh_blockhash(&mut self) -> ClientResult<()> {
        self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.map_err(Self::map_err)?;
        self.blockhash_at = std::time::Instant::now();
        Ok(())
    }

    /// Builds the next transaction (see [`LocalBank::transaction`]), first
    /// moving to a fresh slot when due.
    pub async fn prepare(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Transaction, BanksClientError> {
        let io = |e: ClientError| BanksClientError::Io(std::io::Error::other(e.to_string()));
        self.before_send(ixs).await.map_err(io)?;
        self.transaction(ixs, signers).map_err(io)
    }

    /// [`LocalBank::prepare`] as a v0 transaction against `tables`
    /// (`signers[0]` pays): for tests that process it themselves.
    pub async fn prepare_v0(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> Result<VersionedTransaction, BanksClientError> {
        let io = |e: ClientError| BanksClientError::Io(std::io::Error::other(e.to_string()));
        self.before_send(ixs).await.map_err(io)?;
        self.transaction_v0(ixs, signers, tables).map_err(io)
    }

    /// Processes `tx`. A failed transaction commits nothing but its fee:
    /// `replay` rebuilds it (same instructions, new signature) to simulate
    /// it for the program logs the error then carries.
    ///
    /// A transaction refused for a blockhash the bank no longer knows was
    /// not processed: it is rebuilt with a fresh blockhash and sent again
    /// (up to [`BLOCKHASH_RETRIES`] times).
    async fn submit(
        &mut self,
        mut tx: VersionedTransaction,
        replay: impl Fn(&mut Self) -> ClientResult<VersionedTransaction>,
    ) -> ClientResult<String> {
        let mut result = self.ctx.banks_client.process_transaction(tx.clone()).await;
        for _ in 0..BLOCKHASH_RETRIES {
            if !matches!(&result, Err(e) if Self::expired(e)) {
                break;
            }
            self.fresh_blockhash().await?;
            tx = replay(self)?;
            result = self.ctx.banks_client.process_transaction(tx.clone()).await;
        }
        let signature = tx.signatures[0].to_string();
        if let Err(e) = result {
            let replay = replay(self)?;
            if let Ok(sim) = self.ctx.banks_client.simulate_transaction(replay).await {
                if let (Err(err), Some(details)) = (sim.result.unwrap_or(Ok(())), sim.simulation_details) {
                    return Err(ClientError::from_transaction(err, details.logs));
                }
            }
            return Err(Self::map_err(e));
        }
        Ok(signature)
    }

    /// Sends and confirms, returning the bank's own error (tests assert on it).
    pub async fn process(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), BanksClientError> {
        let tx = self.prepare(ixs, signers).await?;
        self.ctx.banks_client.process_transaction(tx).await
    }

    /// Whether the bank refused a transaction for its blockhash.
    fn expired(e: &BanksClientError) -> bool {
        use solana_transaction_error::TransactionError::BlockhashNotFound;
        match e {
            BanksClientError::TransactionError(err) | BanksClientError::SimulationError { err, .. } => {
                *err == BlockhashNotFound
            }
            _ => false,
        }
    }

    fn map_err(e: BanksClientError) -> ClientError {
        match e {
            BanksClientError::TransactionError(err) => ClientError::from_transaction(err, vec![]),
            BanksClientError::SimulationError { err, logs, .. } => ClientError::from_transaction(err, logs),
            other => ClientError::Rpc(other.to_string()),
        }
    }

    /// Sends and confirms; a failure carries its program logs.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// # let payer = solana_keypair::Keypair::new();
    /// # let ixs = vec![];
    /// let signature = bank.send(&ixs, &[&payer]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<String> {
        let tx = self.prepare(ixs, signers).await.map_err(Self::map_err)?;
        self.submit(tx.into(), |bank| Ok(bank.transaction(ixs, signers)?.into())).await
    }

    /// Sends a v0 transaction compiled against `tables` (a legacy one when
    /// `tables` is empty); a failure carries its program logs.
    pub async fn send_with_tables(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> ClientResult<String> {
        if tables.is_empty() {
            return self.send(ixs, signers).await;
        }
        self.before_send(ixs).await?;
        let tx = self.transaction_v0(ixs, signers, tables)?;
        self.submit(tx, |bank| bank.transaction_v0(ixs, signers, tables)).await
    }

    /// A signed v0 transaction against `tables` (`signers[0]` pays), led by
    /// the same distinct compute-budget instruction as [`LocalBank::transaction`].
    pub fn transaction_v0(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
        tables: &[AddressLookupTableAccount],
    ) -> ClientResult<VersionedTransaction> {
        let (payer, all) = self.budgeted(ixs, signers)?;
        let err = |e: &dyn std::fmt::Display| ClientError::Rpc(e.to_string());
        let message = v0::Message::try_compile(&payer, &all, tables, self.ctx.last_blockhash).map_err(|e| err(&e))?;
        VersionedTransaction::try_new(VersionedMessage::V0(message), signers).map_err(|e| err(&e))
    }

    /// A slot the bank lists in `SlotHashes` (for `create_lookup_table`):
    /// moves to a new slot and returns the previous one.
    pub async fn recent_slot(&mut self) -> ClientResult<u64> {
        self.next_slot().await?;
        Ok(self.clock().await?.slot.saturating_sub(1))
    }

    /// Simulates; returns the compute units used.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// # let payer = solana_keypair::Keypair::new();
    /// let units = bank.simulate(&[], &[&payer]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn simulate(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> ClientResult<u64> {
        let tx = self.transaction(ixs, signers)?;
        let sim = self.ctx.banks_client.simulate_transaction(tx).await.map_err(Self::map_err)?;
        let (logs, units) = sim.simulation_details.map_or((vec![], 0), |d| (d.logs, d.units_consumed));
        if let Err(err) = sim.result.unwrap_or(Ok(())) {
            return Err(ClientError::from_transaction(err, logs));
        }
        Ok(units)
    }

    /// Raw account, if it exists.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let none = bank.account(&anchor_lang::prelude::Pubkey::new_unique()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn account(&mut self, key: &Pubkey) -> ClientResult<Option<Account>> {
        self.ctx.banks_client.get_account(*key).await.map_err(Self::map_err)
    }

    /// The Clock sysvar.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let slot = bank.clock().await?.slot;
    /// # Ok(()) }
    /// ```
    pub async fn clock(&mut self) -> ClientResult<Clock> {
        self.ctx.banks_client.get_sysvar::<Clock>().await.map_err(Self::map_err)
    }

    /// The Clock's unix time.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let unix = bank.now().await?;
    /// # Ok(()) }
    /// ```
    pub async fn now(&mut self) -> ClientResult<i64> {
        Ok(self.clock().await?.unix_timestamp)
    }

    /// Sets the Clock's unix time.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let now = bank.now().await?;
    /// bank.warp_to(now + 3_600).await?;
    /// # Ok(()) }
    /// ```
    pub async fn warp_to(&mut self, unix: i64) -> ClientResult<()> {
        let mut clock = self.clock().await?;
        clock.unix_timestamp = unix;
        self.ctx.set_sysvar(&clock);
        Ok(())
    }

    /// Moves to the next slot, keeping the Clock's unix time.
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// bank.next_slot().await?;
    /// # Ok(()) }
    /// ```
    pub async fn next_slot(&mut self) -> ClientResult<()> {
        let clock = self.clock().await?;
        self.ctx.warp_to_slot(clock.slot + 1).map_err(|e| ClientError::Rpc(format!("{e:?}")))?;
        self.warp_to(clock.unix_timestamp).await?;
        self.fresh_blockhash().await
    }

    /// Moves `n` slots ahead at once, keeping the Clock's unix time (e.g.
    /// past an address lookup table's deactivation cool-down).
    pub async fn skip_slots(&mut self, n: u64) -> ClientResult<()> {
        let clock = self.clock().await?;
        self.ctx.warp_to_slot(clock.slot + n.max(1)).map_err(|e| ClientError::Rpc(format!("{e:?}")))?;
        self.warp_to(clock.unix_timestamp).await?;
        self.fresh_blockhash().await
    }

    /// Scans the accounts this ledger knows (BanksClient has no
    /// `getProgramAccounts`).
    ///
    /// ```no_run
    /// # async fn demo() -> coherence_sdk::client::ClientResult<()> {
    /// use coherence_sdk::client::local::{LocalBank, LocalState};
    /// let path = std::path::Path::new(".coherence/ledger.bin");
    /// # let mut bank = LocalBank::start(None, &[]).await?;
    /// let all = bank.program_accounts(&[]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn program_accounts(&mut self, filters: &[MemcmpFilter]) -> ClientResult<Vec<(Pubkey, Account)>> {
        let mut out = Vec::new();
        for key in self.known.clone() {
            if let Some(a) = self.account(&key).await? {
                if a.owner == coherence::ID && filters.iter().all(|f| f.matches(&a.data)) {
                    out.push((key, a));
                }
            }
        }
        Ok(out)
    }
}

fn solana_sdk_ids_sysvar() -> Pubkey {
    anchor_lang::pubkey!("Sysvar1111111111111111111111111111111111111")
}
