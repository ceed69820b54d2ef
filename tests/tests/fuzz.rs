//! Malformed input to every instruction. The tour (`coherence_tests::tour`)
//! reaches every instruction at a moment when it is valid; there, before it
//! is sent, this test sends it broken in every way below:
//!
//! - **data**: truncated (to 0, 1, 7 and 8 bytes, and within its
//!   arguments), over-long (1, 8 and a random number of bytes more), and
//!   random bytes of a random length after the discriminator;
//! - **accounts**: each account in turn replaced by a random address, a
//!   system-owned wallet, a token account of another mint, and the
//!   corresponding account of another engine; and each writable account
//!   replaced by each other writable one (the same account twice);
//! - **signers**: each signer flag dropped.
//!
//! Every attempt must fail with a *named* error — the program's, Anchor's or
//! the token program's — never a panic, an access violation or an exhausted
//! compute budget (400k units), and leave every account it names
//! byte-identical (the fee is paid by a wallet the instruction does not
//! name). Random bytes of the *exact* argument length may decode as valid
//! arguments: they are simulated only, and must either fail by name or be
//! accepted.
//!
//! The counts per instruction are printed (`--nocapture`). Bounded for CI:
//! the first visit of each instruction is fuzzed with 4 random draws per
//! class; `COHERENCE_FUZZ_DRAWS=N` raises the draws and `COHERENCE_FUZZ_ALL=1`
//! fuzzes every visit. The same test runs on the SBF build with
//! `COHERENCE_SBF=1`.

use anchor_lang::prelude::{AccountMeta, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use async_trait::async_trait;
use coherence_sdk::{pda, EngineKeys};
use coherence_tests::tour::{send_stop, tour, Stop, Visit};
use coherence_tests::*;
use solana_account::Account;
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_program_test::BanksClientError;
use solana_signer::Signer;
use solana_transaction_error::TransactionError;
use std::collections::{BTreeMap, HashMap};

/// A tiny deterministic generator (xorshift64*), seeded per run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next() as u8).collect()
    }
}

/// Attempts per class, for one instruction.
#[derive(Default, Clone)]
struct Counts {
    data: usize,
    accounts: usize,
    signers: usize,
    random_args: usize,
    /// Random exact-length arguments the program accepted as valid.
    accepted: usize,
    /// Error names seen, with how often.
    errors: BTreeMap<String, usize>,
}

struct Fuzzer {
    rng: Rng,
    draws: usize,
    every_visit: bool,
    /// Pays every attempt; named by no instruction.
    fee_payer: Keypair,
    /// A funded system account that signs nothing.
    bystander: Pubkey,
    /// Engines seen so far (from `initialize_engine`), with a token account
    /// of each one's mint (another mint's account for the other engine).
    engines: Vec<(EngineKeys, Pubkey)>,
    counts: BTreeMap<String, Counts>,
    failures: Vec<String>,
}

/// The name of an error, if it is a named one: the program's, Anchor's or
/// the token program's.
fn error_name(e: &BanksClientError) -> Option<String> {
    let (BanksClientError::TransactionError(TransactionError::InstructionError(_, err))
    | BanksClientError::SimulationError { err: TransactionError::InstructionError(_, err), .. }) = e
    else {
        return None;
    };
    let code = match err {
        InstructionError::Custom(code) => code,
        // The standard refusals of Solana's program model, named by it: what
        // Anchor and the token program return for undecodable account data,
        // a wrong program or a missing signature.
        InstructionError::InvalidAccountData
        | InstructionError::IncorrectProgramId
        | InstructionError::MissingRequiredSignature
        | InstructionError::MissingAccount => return Some(format!("ProgramError::{err:?}")),
        // Panics, access violations, exhausted budgets: not a refusal.
        _ => return None,
    };
    if let Some(p) = coherence_sdk::error::program_error(*code) {
        return Some(p.name());
    }
    if let Some(a) = coherence_sdk::error::anchor_error_name(*code) {
        return Some(format!("Anchor::{a}"));
    }
    use anchor_spl::token_2022::spl_token_2022::error::TokenError;
    <TokenError as num_traits::FromPrimitive>::from_u32(*code).map(|t| format!("Token::{t:?}"))
}

impl Fuzzer {
    async fn new(h: &mut Harness) -> Fuzzer {
        let draws = std::env::var("COHERENCE_FUZZ_DRAWS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
        let seed = std::env::var("COHERENCE_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0x5EED_C0DE);
        let fee_payer = h.wallet().await;
        let payer = h.payer();
        let fund =
            solana_system_interface::instruction::transfer(&payer.pubkey(), &fee_payer.pubkey(), 500_000_000_000);
        h.send(&[fund], &[]).await.expect("fund the fuzzer");
        let bystander = h.wallet().await.pubkey();
        Fuzzer {
            rng: Rng(seed),
            draws,
            every_visit: std::env::var_os("COHERENCE_FUZZ_ALL").is_some(),
            fee_payer,
            bystander,
            engines: Vec::new(),
            counts: BTreeMap::new(),
            failures: Vec::new(),
        }
    }

    /// Every account `ix` names, as it is now.
    async fn snapshot(h: &mut Harness, ix: &Instruction) -> HashMap<Pubkey, Option<Account>> {
        let mut out = HashMap::new();
        for m in &ix.accounts {
            if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(m.pubkey) {
                slot.insert(h.bank.ctx.banks_client.get_account(m.pubkey).await.expect("get_account"));
            }
        }
        out
    }

    /// The keypairs among `signers` that `ix` needs, led by the fee payer.
    fn signers_for<'a>(&'a self, ix: &Instruction, signers: &[&'a Keypair]) -> Vec<&'a Keypair> {
        let mut out = vec![&self.fee_payer];
        for k in signers {
            let needed = ix.accounts.iter().any(|m| m.is_signer && m.pubkey == k.pubkey());
            if needed && !out.iter().any(|o| o.pubkey() == k.pubkey()) {
                out.push(*k);
            }
        }
        out
    }

    /// Sends one broken attempt; it must fail by name and change nothing.
    async fn attempt(
        &mut self,
        h: &mut Harness,
        stop: &Stop<'_>,
        name: &str,
        class: &str,
        ix: Instruction,
        signers: &[&Keypair],
    ) {
        let before = Self::snapshot(h, &stop.instruction).await;
        let all = self.signers_for(&ix, signers);
        let tx = h.bank.prepare_v0(std::slice::from_ref(&ix), &all, stop.tables).await.expect("build attempt");
        let result = h.bank.ctx.banks_client.process_transaction(tx).await;
        let entry = self.counts.entry(name.to_string()).or_default();
        match class {
            "data" => entry.data += 1,
            c if c.starts_with("accounts") => entry.accounts += 1,
            _ => entry.signers += 1,
        }
        match result {
            Ok(()) => self.failures.push(format!("{name}: a {class} attempt succeeded: {:?}", ix.data)),
            Err(e) => match error_name(&e) {
                Some(n) => *entry.errors.entry(n).or_default() += 1,
                None => self.failures.push(format!("{name}: {class} attempt failed without a named error: {e:?}")),
            },
        }
        if Self::snapshot(h, &stop.instruction).await != before {
            self.failures.push(format!("{name}: a failed {class} attempt changed an account"));
        }
    }

    /// Random bytes of the exact argument length: simulated only.
    async fn random_args(
        &mut self,
        h: &mut Harness,
        stop: &Stop<'_>,
        name: &str,
        ix: Instruction,
        signers: &[&Keypair],
    ) {
        let all = self.signers_for(&ix, signers);
        let tx = h.bank.transaction_v0(std::slice::from_ref(&ix), &all, stop.tables).expect("build attempt");
        let sim = h.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate");
        let entry = self.counts.entry(name.to_string()).or_default();
        entry.random_args += 1;
        match sim.result.unwrap_or(Ok(())) {
            Ok(()) => entry.accepted += 1,
            Err(err) => match error_name(&BanksClientError::TransactionError(err.clone())) {
                Some(n) => *entry.errors.entry(n).or_default() += 1,
                None => self.failures.push(format!("{name}: random arguments failed without a named error: {err:?}")),
            },
        }
    }

    /// What replaces `key` as "the same account of another engine".
    fn counterpart(&self, key: &Pubkey) -> Option<Pubkey> {
        let (mine, other) = match self.engines.as_slice() {
            [(a, _), (b, _)] if self.names(a, key) => (a, b),
            [(a, _), (b, _)] => (b, a),
            _ => return None,
        };
        let fixed = [
            (mine.engine, other.engine),
            (mine.stake_pool, other.stake_pool),
            (mine.mint, other.mint),
            (mine.stake_vault, other.stake_vault),
            (mine.reward_vault, other.reward_vault),
            (mine.treasury, other.treasury),
            (mine.vesting_vault, other.vesting_vault),
            (mine.builder_vault, other.builder_vault),
        ];
        if let Some((_, o)) = fixed.iter().find(|(m, _)| m == key) {
            return Some(*o);
        }
        for i in 0..16u8 {
            if *key == pda::usage_shard(&mine.engine, i) {
                return Some(pda::usage_shard(&other.engine, i % 4));
            }
            if *key == pda::usage_escrow(&mine.engine, i) {
                return Some(pda::usage_escrow(&other.engine, i % 4));
            }
        }
        Some(other.engine)
    }

    /// Whether `key` belongs to engine `e`'s fixed accounts or shards.
    fn names(&self, e: &EngineKeys, key: &Pubkey) -> bool {
        [e.engine, e.stake_pool, e.mint, e.stake_vault, e.reward_vault, e.treasury, e.vesting_vault, e.builder_vault]
            .contains(key)
            || (0..16u8).any(|i| *key == pda::usage_shard(&e.engine, i) || *key == pda::usage_escrow(&e.engine, i))
    }

    /// A token account of another mint than the one `ix` works with.
    fn wrong_mint_tokens(&self, ix: &Instruction) -> Option<Pubkey> {
        let keys: Vec<Pubkey> = ix.accounts.iter().map(|m| m.pubkey).collect();
        self.engines.iter().find(|(e, _)| !keys.contains(&e.mint)).map(|(_, t)| *t)
    }
}

#[async_trait(?Send)]
impl Visit for Fuzzer {
    async fn visit(&mut self, h: &mut Harness, stop: Stop<'_>) {
        let name = stop.name.split(" (").next().unwrap_or(stop.name).to_string();
        let fresh = !self.counts.contains_key(&name);
        if fresh || self.every_visit {
            self.fuzz(h, &stop, &name).await;
        }
        send_stop(h, &stop).await;
        if name == "initialize_engine" {
            let a = &stop.instruction.accounts;
            let keys = EngineKeys::new(a[2].pubkey, a[10].pubkey);
            let owner = h.wallet().await.pubkey();
            let tokens = h.token_account(&keys.mint, &owner).await;
            self.engines.push((keys, tokens));
        }
    }
}

impl Fuzzer {
    async fn fuzz(&mut self, h: &mut Harness, stop: &Stop<'_>, name: &str) {
        let base = stop.instruction.clone();
        // The harness payer signs where the tour's instruction names it.
        let payer = h.payer();
        let signers: Vec<&Keypair> = std::iter::once(&payer).chain(stop.signers.iter().copied()).collect();
        // The unbroken instruction is valid here (else the tour is wrong).
        let all = self.signers_for(&base, &signers);
        let tx = h.bank.transaction_v0(std::slice::from_ref(&base), &all, stop.tables).expect("base");
        let sim = h.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate base");
        if let Some(Err(e)) = sim.result {
            panic!("{}: the tour's instruction is not valid here: {e:?}", stop.name);
        }
        let with_data = |data: Vec<u8>| Instruction { data, ..base.clone() };
        let args = base.data.len() - 8;

        // Data: truncated, over-long, random bytes of a random length.
        let mut cuts = vec![0, 1, 7, 8];
        if args > 0 {
            cuts.extend([8 + args / 2, 8 + args - 1]);
            cuts.extend((0..self.draws).map(|_| 8 + self.rng.below(args as u64) as usize));
        }
        cuts.sort_unstable();
        cuts.dedup();
        for cut in cuts.into_iter().filter(|&c| c < base.data.len()) {
            self.attempt(h, stop, name, "data", with_data(base.data[..cut].to_vec()), &signers).await;
        }
        let mut extra = vec![1, 8];
        extra.extend((0..self.draws).map(|_| 1 + self.rng.below(64) as usize));
        for n in extra {
            let mut long = base.data.clone();
            long.extend(self.rng.bytes(n));
            self.attempt(h, stop, name, "data", with_data(long), &signers).await;
        }
        for _ in 0..self.draws {
            let len = loop {
                let l = self.rng.below(2 * args as u64 + 16) as usize;
                if l != args {
                    break l;
                }
            };
            let mut data = base.data[..8].to_vec();
            data.extend(self.rng.bytes(len));
            self.attempt(h, stop, name, "data", with_data(data), &signers).await;
        }
        for _ in 0..self.draws.min(if args > 0 { usize::MAX } else { 0 }) {
            let mut data = base.data[..8].to_vec();
            data.extend(self.rng.bytes(args));
            self.random_args(h, stop, name, with_data(data), &signers).await;
        }

        // Accounts: each replaced in turn (never signing: we hold no key).
        let wrong_mint = self.wrong_mint_tokens(&base);
        for i in 0..base.accounts.len() {
            let original = base.accounts[i].pubkey;
            let mut substitutes =
                vec![("a random address", Pubkey::new_unique()), ("a system-owned wallet", self.bystander)];
            substitutes.extend(wrong_mint.map(|t| ("a token account of another mint", t)));
            substitutes.extend(self.counterpart(&original).map(|c| ("another engine's account", c)));
            for (what, sub) in substitutes.into_iter().filter(|(_, s)| *s != original) {
                let mut ix = base.clone();
                ix.accounts[i] =
                    AccountMeta { pubkey: sub, is_signer: false, is_writable: base.accounts[i].is_writable };
                let class = format!("accounts: #{i} replaced by {what}");
                self.attempt(h, stop, name, &class, ix, &signers).await;
            }
        }

        // Accounts: one writable account in place of another writable one
        // (the program's own duplicate rule, `instructions` module docs):
        // every ordered pair of distinct writable accounts.
        let writable: Vec<usize> = (0..base.accounts.len()).filter(|&i| base.accounts[i].is_writable).collect();
        for &i in &writable {
            for &j in writable.iter().filter(|&&j| base.accounts[j].pubkey != base.accounts[i].pubkey) {
                let mut ix = base.clone();
                ix.accounts[j] = AccountMeta { pubkey: base.accounts[i].pubkey, is_signer: false, is_writable: true };
                let class = format!("accounts: #{j} replaced by writable #{i} (the same account twice)");
                self.attempt(h, stop, name, &class, ix, &signers).await;
            }
        }

        // Signers: each flag dropped.
        for i in (0..base.accounts.len()).filter(|&i| base.accounts[i].is_signer) {
            let mut ix = base.clone();
            for m in ix.accounts.iter_mut().filter(|m| m.pubkey == base.accounts[i].pubkey) {
                m.is_signer = false;
            }
            self.attempt(h, stop, name, "signers", ix, &signers).await;
        }
    }

    fn report(&self) -> String {
        let mut s = String::from(
            "| instruction | data | accounts | signers | random arguments (accepted) | attempts | refusals by name |\n|---|---:|---:|---:|---:|---:|---|\n",
        );
        for (name, c) in &self.counts {
            let total = c.data + c.accounts + c.signers + c.random_args;
            let errors: Vec<String> = c.errors.iter().map(|(n, k)| format!("{n} {k}")).collect();
            s += &format!(
                "| {name} | {} | {} | {} | {} ({}) | {total} | {} |\n",
                c.data,
                c.accounts,
                c.signers,
                c.random_args,
                c.accepted,
                errors.join(", ")
            );
        }
        s
    }
}

#[tokio::test]
async fn malformed_input_to_every_instruction_is_refused_by_name_and_changes_nothing() {
    let mut h = Harness::new().await;
    let mut fuzzer = Fuzzer::new(&mut h).await;
    tour(&mut h, &mut fuzzer).await;
    println!("{}", fuzzer.report());
    let total: usize = fuzzer.counts.values().map(|c| c.data + c.accounts + c.signers + c.random_args).sum();
    println!("{total} attempts on {} instructions", fuzzer.counts.len());
    assert!(fuzzer.failures.is_empty(), "{} failures:\n{}", fuzzer.failures.len(), fuzzer.failures.join("\n"));
    // Every instruction of the program was reached and broken.
    assert_eq!(fuzzer.counts.len(), coherence::entrypoint::SHAPES.len(), "{:?}", fuzzer.counts.keys());
    assert!(fuzzer.counts.values().all(|c| c.data >= 7 && c.accounts >= 4));
}
