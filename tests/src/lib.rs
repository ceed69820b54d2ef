//! Shared in-process harness: the Coherence program runs natively inside
//! `solana-program-test` next to the real SPL Token and Token-2022 bytecode.
//! Time moves by setting the Clock sysvar; errors are asserted by variant.

pub mod fixture;
pub mod mints;
pub mod rpc_mock;

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{AccountDeserialize, AnchorDeserialize, Discriminator};
use coherence::errors::CoherenceError;
use solana_banks_interface::BanksTransactionResultWithSimulation;
use solana_clock::Clock;
use solana_compute_budget_interface::ComputeBudgetInstruction;
use solana_keypair::Keypair;
use solana_program_test::{processor, BanksClientError, ProgramTest, ProgramTestContext};
use solana_signer::Signer;
use solana_transaction::Transaction;

pub use fixture::*;
pub use mints::*;

fn coherence_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    // SAFETY: only unifies the slice's lifetime with Anchor's single 'info lifetime.
    let accounts = unsafe { core::mem::transmute::<&[AccountInfo<'_>], &[AccountInfo<'_>]>(accounts) };
    coherence::entry(program_id, accounts, data)
}

/// Compute-unit limit requested by every harness transaction (minus a nonce).
const CU_LIMIT: u32 = 400_000;
/// The bank limits write-locked compute per account per block; a new slot
/// every this many transactions keeps long tests from stalling.
const TXS_PER_SLOT: u32 = 16;

/// A running in-process bank with the program loaded.
pub struct Harness {
    pub ctx: ProgramTestContext,
    nonce: u32,
}

/// Outcome of a transaction: Ok, or the bank's error.
pub type TxResult = Result<(), BanksClientError>;

impl Harness {
    pub async fn new() -> Self {
        let mut pt = ProgramTest::default();
        pt.prefer_bpf(false);
        // ProgramTest turns on debug logs of every instruction; keep test
        // output readable unless RUST_LOG asks for more.
        agave_logger::setup_with_default("error");
        pt.add_program("coherence", coherence::ID, processor!(coherence_entry));
        let ctx = pt.start_with_context().await;
        let mut h = Harness { ctx, nonce: 1 };
        // Start the clock at a round, realistic time.
        h.warp_to(1_800_000_000).await;
        h
    }

    pub fn payer(&self) -> Keypair {
        self.ctx.payer.insecure_clone()
    }

    /// Builds a transaction paid by the harness payer. A compute-budget
    /// instruction with a per-call value keeps identical transactions distinct.
    fn tx(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Transaction {
        self.nonce += 1;
        let mut all = vec![ComputeBudgetInstruction::set_compute_unit_limit(CU_LIMIT - self.nonce)];
        all.extend_from_slice(ixs);
        let payer = self.payer();
        let mut keys: Vec<&Keypair> = vec![&payer];
        keys.extend(signers.iter().copied().filter(|k| k.pubkey() != payer.pubkey()));
        Transaction::new_signed_with_payer(&all, Some(&payer.pubkey()), &keys, self.ctx.last_blockhash)
    }

    /// Sends and confirms `ixs`, signed by the payer and `signers`.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> TxResult {
        if self.nonce.is_multiple_of(TXS_PER_SLOT) {
            self.next_slot().await;
        }
        let tx = self.tx(ixs, signers);
        self.ctx.banks_client.process_transaction(tx).await
    }

    /// Simulates `ixs` (nothing is committed) and returns the details,
    /// including inner instructions where `emit_cpi!` events live.
    pub async fn simulate(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> BanksTransactionResultWithSimulation {
        let tx = self.tx(ixs, signers);
        self.ctx.banks_client.simulate_transaction(tx).await.expect("simulate")
    }

    /// Sends `ixs` and returns every event of type `E` they emitted.
    pub async fn send_events<E: AnchorDeserialize + Discriminator>(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Vec<E> {
        let sim = self.simulate(ixs, signers).await;
        sim.result.clone().expect("simulation failed").expect("transaction failed in simulation");
        let events = events_in::<E>(&sim);
        self.send(ixs, signers).await.expect("send after simulate");
        events
    }

    pub async fn clock(&mut self) -> Clock {
        self.ctx.banks_client.get_sysvar::<Clock>().await.expect("clock")
    }

    pub async fn now(&mut self) -> i64 {
        self.clock().await.unix_timestamp
    }

    /// Moves to the next slot (a fresh block, so per-block cost limits never
    /// stall long tests) while keeping the Clock's unix time.
    pub async fn next_slot(&mut self) {
        let clock = self.clock().await;
        self.ctx.warp_to_slot(clock.slot + 1).expect("warp");
        let mut after = self.clock().await;
        after.unix_timestamp = clock.unix_timestamp;
        self.ctx.set_sysvar(&after);
        self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
    }

    /// Sets the Clock's unix time (the program's only notion of time).
    pub async fn warp_to(&mut self, unix: i64) {
        let mut clock = self.clock().await;
        clock.unix_timestamp = unix;
        self.ctx.set_sysvar(&clock);
    }

    pub async fn warp_by(&mut self, secs: i64) {
        let now = self.now().await;
        self.warp_to(now + secs).await;
    }

    /// A new wallet with `sol` lamports (for rent and fees of its own).
    pub async fn wallet(&mut self) -> Keypair {
        let kp = Keypair::new();
        let payer = self.payer();
        let ix = solana_system_interface::instruction::transfer(&payer.pubkey(), &kp.pubkey(), 1_000_000_000);
        self.send(&[ix], &[]).await.expect("fund wallet");
        kp
    }

    pub async fn account_data(&mut self, key: &Pubkey) -> Option<Vec<u8>> {
        self.ctx.banks_client.get_account(*key).await.expect("get_account").map(|a| a.data)
    }

    pub async fn lamports(&mut self, key: &Pubkey) -> u64 {
        self.ctx.banks_client.get_account(*key).await.expect("get_account").map_or(0, |a| a.lamports)
    }

    /// Fetches and decodes a program account (panics if missing).
    pub async fn get<T: AccountDeserialize>(&mut self, key: &Pubkey) -> T {
        let data = self.account_data(key).await.unwrap_or_else(|| panic!("account {key} missing"));
        T::try_deserialize(&mut &data[..]).expect("decode")
    }

    pub async fn exists(&mut self, key: &Pubkey) -> bool {
        self.account_data(key).await.is_some()
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
        Err(BanksClientError::TransactionError(TransactionError::InstructionError(_, InstructionError::Custom(c)))) => Some(*c),
        Err(BanksClientError::SimulationError { err: TransactionError::InstructionError(_, InstructionError::Custom(c)), .. }) => {
            Some(*c)
        }
        _ => None,
    }
}

/// Index of the instruction that failed, if the transaction failed in one.
pub fn failed_instruction(result: &TxResult) -> Option<u8> {
    use solana_transaction_error::TransactionError;
    match result {
        Err(BanksClientError::TransactionError(TransactionError::InstructionError(i, _)))
        | Err(BanksClientError::SimulationError { err: TransactionError::InstructionError(i, _), .. }) => Some(*i),
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

/// Asserts that `result` failed (for failures outside the program, such as a
/// missing signature rejected by the runtime).
#[track_caller]
pub fn assert_failed(result: TxResult) {
    assert!(result.is_err(), "transaction unexpectedly succeeded");
}
