//! Shared in-process harness: the Coherence program runs natively inside
//! `solana-program-test` next to the real SPL Token and Token-2022 bytecode.
//! Time moves by setting the Clock sysvar; errors are asserted by variant.

pub mod fixture;
pub mod mints;
pub mod rpc_mock;
pub mod token_program;
pub mod tour;
pub mod traffic;
pub mod validator;
pub mod voting;

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, AnchorDeserialize, Discriminator};
use coherence::errors::CoherenceError;
use coherence_sdk::client::local::LocalBank;
use solana_banks_interface::BanksTransactionResultWithSimulation;
use solana_clock::Clock;
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;

static KEY_SEQUENCE: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Makes every later [`new_keypair`] in this process the next of a fixed
/// sequence instead of random. The `cu` benchmark calls it: a PDA's
/// address search costs 1,500 units per bump tried, so with random keys the
/// same instruction measures up to thousands of units apart between runs.
pub fn deterministic_keys() {
    KEY_SEQUENCE.store(1, std::sync::atomic::Ordering::SeqCst);
}

/// A new keypair for a wallet, mint or account the fixtures create: random,
/// or after [`deterministic_keys`] the next of the fixed sequence.
pub fn new_keypair() -> Keypair {
    match KEY_SEQUENCE.fetch_update(std::sync::atomic::Ordering::SeqCst, std::sync::atomic::Ordering::SeqCst, |n| {
        (n > 0).then_some(n + 1)
    }) {
        Ok(n) => {
            let mut secret = [7u8; 32];
            secret[..8].copy_from_slice(&n.to_le_bytes());
            Keypair::new_from_array(secret)
        }
        Err(_) => Keypair::new(),
    }
}

pub use fixture::*;
pub use mints::*;

/// A third-party program's bytecode committed in `tests/fixtures/` (its
/// provenance in that folder's README).
pub fn fixture_so_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(name)
}

/// The bytes of [`fixture_so_path`]`(name)`.
pub fn fixture_so(name: &str) -> Vec<u8> {
    let path = fixture_so_path(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A running in-process bank with the program loaded: the SDK's
/// [`LocalBank`] plus test conveniences (raw bank errors, events, wallets).
pub struct Harness {
    pub bank: LocalBank,
}

/// Outcome of a transaction: Ok, or the bank's error.
pub type TxResult = Result<(), BanksClientError>;

impl Harness {
    pub async fn new() -> Self {
        Self::with_programs(|_| {}).await
    }

    /// A harness whose bank also runs the programs `extra` adds.
    pub async fn with_programs(extra: impl FnOnce(&mut solana_program_test::ProgramTest)) -> Self {
        let bank = token_program::local_bank(&[], extra).await;
        let mut h = Harness { bank };
        // Start the clock at a round, realistic time.
        h.warp_to(1_800_000_000).await;
        h
    }

    pub fn payer(&self) -> Keypair {
        self.bank.ctx.payer.insecure_clone()
    }

    fn signers<'a>(payer: &'a Keypair, signers: &[&'a Keypair]) -> Vec<&'a Keypair> {
        let mut keys: Vec<&Keypair> = vec![payer];
        keys.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        keys
    }

    /// Sends and confirms `ixs`, signed by the payer and `signers`.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        let payer = self.payer();
        self.bank.process(ixs, &Self::signers(&payer, signers)).await
    }

    /// Simulates `ixs` (nothing is committed) and returns the details,
    /// including inner instructions where `emit_cpi!` events live.
    pub async fn simulate(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> BanksTransactionResultWithSimulation {
        let payer = self.payer();
        let tx = self.bank.prepare(ixs, &Self::signers(&payer, signers)).await.expect("build transaction");
        self.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate")
    }

    /// Sends `ixs` and returns every event of type `E` they emitted.
    pub async fn send_events<E: AnchorDeserialize + Discriminator>(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Vec<E> {
        let sim = self.simulate(ixs, signers).await;
        sim.result.clone().expect("simulation failed").expect("transaction failed in simulation");
        let events = events_in::<E>(&sim);
        self.send(ixs, signers).await.expect("send after simulate");
        events
    }

    pub async fn clock(&mut self) -> Clock {
        self.bank.clock().await.expect("clock")
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Sets the Clock's unix time (the program's only notion of time).
    pub async fn warp_to(&mut self, unix: i64) {
        self.bank.warp_to(unix).await.expect("warp");
    }

    pub async fn warp_by(&mut self, secs: i64) {
        let now = self.now().await;
        self.warp_to(now + secs).await;
    }

    /// A new wallet with `sol` lamports (for rent and fees of its own).
    pub async fn wallet(&mut self) -> Keypair {
        let kp = new_keypair();
        let payer = self.payer();
        let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &kp.pubkey(), 1_000_000_000);
        self.send(&[ix], &[]).await.expect("fund wallet");
        kp
    }

    pub async fn account_data(&mut self, key: &Pubkey) -> Option<Vec<u8>> {
        self.bank.ctx.banks_client.get_account(*key).await.expect("get_account").map(|a| a.data)
    }

    pub async fn lamports(&mut self, key: &Pubkey) -> u64 {
        self.bank.ctx.banks_client.get_account(*key).await.expect("get_account").map_or(0, |a| a.lamports)
    }

    /// Fetches and decodes a program account (panics if missing).
    pub async fn get<T: AccountDeserialize>(&mut self, key: &Pubkey) -> T {
        let data = self.account_data(key).await.unwrap_or_else(|| panic!("account {key} missing"));
        T::try_deserialize(&mut &data[..]).expect("decode")
    }

    pub async fn exists(&mut self, key: &Pubkey) -> bool {
        self.account_data(key).await.is_some()
    }

    /// Whether `ixs` would succeed now (simulated; nothing is committed).
    /// The error names the failure for a test's message.
    pub async fn would_succeed(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), String> {
        let sim = self.simulate(ixs, signers).await;
        match sim.result {
            Some(Ok(())) => Ok(()),
            Some(Err(e)) => Err(format!("{e:?}")),
            None => Err("no simulation result".into()),
        }
    }

    /// Replaces a program account's contents with `value` (same length):
    /// puts a test at a state that is reachable but slow to reach (e.g. an
    /// accumulator after many recycled streams).
    pub async fn overwrite<T: anchor_lang::AccountSerialize>(&mut self, key: &Pubkey, value: &T) {
        let mut account =
            self.bank.ctx.banks_client.get_account(*key).await.expect("get_account").expect("account exists");
        let mut data = Vec::with_capacity(account.data.len());
        value.try_serialize(&mut data).expect("serialize");
        account.data[..data.len()].copy_from_slice(&data);
        self.bank.ctx.set_account(key, &account.into());
    }
}

/// Decodes every `emit_cpi!` event of type `E` from a simulation.
pub fn events_in<E: AnchorDeserialize + Discriminator>(sim: &BanksTransactionResultWithSimulation) -> Vec<E> {
    let details = sim.simulation_details.as_ref().expect("simulation details");
    let inner = details.inner_instructions.as_ref().expect("inner instructions recorded");
    let tag = anchor_lang::event::EVENT_IX_TAG_LE;
    inner
        .iter()
        .flat_map(|ii| ii.iter())
        .filter_map(|ci| {
            let data = &ci.instruction.data;
            let rest = data.strip_prefix(tag)?;
            let body = rest.strip_prefix(E::DISCRIMINATOR)?;
            E::deserialize(&mut &body[..]).ok()
        })
        .collect()
}

/// The custom error code a failed transaction returned, if any.
pub fn custom_code(result: &TxResult) -> Option<u32> {
    use solana_instruction_error::InstructionError;
    use solana_transaction_error::TransactionError;
    match result {
        Err(BanksClientError::TransactionError(TransactionError::InstructionError(_, InstructionError::Custom(c)))) => {
            Some(*c)
        }
        Err(BanksClientError::SimulationError {
            err: TransactionError::InstructionError(_, InstructionError::Custom(c)),
            ..
        }) => Some(*c),
        _ => None,
    }
}

/// Asserts that `result` failed with exactly the program error `expected`.
#[track_caller]
pub fn assert_error(result: TxResult, expected: CoherenceError) {
    let code = custom_code(&result);
    let want = anchor_lang::error::ERROR_CODE_OFFSET + expected as u32;
    assert_eq!(
        code,
        Some(want),
        "expected {} ({want}), got {:?}",
        expected.name(),
        result.map_err(|e| format!("{e:?}"))
    );
}

/// Asserts that `result` failed with an Anchor framework error (e.g.
/// `ConstraintSeeds`, `AccountNotSigner`, `ConstraintHasOne`).
#[track_caller]
pub fn assert_anchor_error(result: TxResult, expected: anchor_lang::error::ErrorCode) {
    let code = custom_code(&result);
    assert_eq!(code, Some(expected as u32), "expected {expected:?}, got {:?}", result.map_err(|e| format!("{e:?}")));
}
