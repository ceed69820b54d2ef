//! Benchmark: compute units of every instruction, measured on the SBF build
//! of the program in solana-program-test's VM, including the worst cases
//! (`close_epoch` with 16 shards that all hold usage, `record_usage` with a
//! source and its settlement record, `claim_rewards` with restake,
//! `open_position` at the maximum lock, `initialize_engine` on Token-2022).
//! Prints min / median / worst per instruction as a Markdown table.
//!
//! ```sh
//! scripts/build-sbf.sh --locked
//! COHERENCE_SBF=1 SBF_OUT_DIR=$PWD/target/deploy cargo run --locked -p coherence-tests --example cu
//! ```
//!
//! The instructions are the tour's (`coherence_tests::tour`): each is
//! simulated alone, its CU recorded from the program's top-level "consumed"
//! log line (its own work plus every CPI it makes), split by the nested
//! "consumed" lines into token/system CPIs, the event CPI and the program's
//! own work, then sent. A profiling build
//! (`scripts/build-sbf.sh --features cu-profile`, whose `cu_mark!` lines
//! log the units left) adds a table of the own work by phase
//! (`COHERENCE_CU_MARKS=1` also prints every step between marks, for extra
//! marks placed in a scratch build). Keys are a fixed sequence, so two runs
//! of one build print the same figures. A run of a release build above the
//! SDK's budget basis (`coherence_sdk::compute::worst`) fails the benchmark
//! (exit 1).

use async_trait::async_trait;
use coherence_tests::tour::{send_stop, tour, Stop, Visit};
use coherence_tests::*;
use std::collections::BTreeMap;

/// One measured run of an instruction, split by where its compute units go.
#[derive(Clone, Copy, Default)]
struct Sample {
    /// The program's top-level "consumed" figure: its own work plus every CPI.
    total: u64,
    /// Consumed inside other programs (SPL Token, Token-2022, System, ATA).
    cpis: u64,
    /// Consumed inside the event CPI (the program invoking itself).
    event: u64,
    /// Phases from a profiling build's `cu_mark!` lines (empty otherwise):
    /// before the entrypoint's first mark, the shape check, Anchor's account
    /// reading and checks, the handler (CPIs subtracted), the write-back.
    phases: Option<[u64; 5]>,
}

impl Sample {
    /// The program's own work: the total less what ran inside other
    /// programs and inside the event CPI. The CPI invocations' own price
    /// (the runtime's base charge and account copies) counts as the program's.
    fn own(&self) -> u64 {
        self.total - self.cpis - self.event
    }
}

/// Splits one transaction's logs: the top-level "consumed" line, what the
/// nested invocations consumed (by program), and the profiling marks made
/// at the top level.
fn split(name: &str, logs: &[String]) -> Sample {
    let me = coherence::ID.to_string();
    let mut stack: Vec<String> = Vec::new();
    let mut sample = Sample::default();
    let mut budget = 0;
    let mut marks: Vec<(String, u64)> = Vec::new();
    let mut label: Option<String> = None;
    for line in logs {
        let Some(rest) = line.strip_prefix("Program ") else { continue };
        if let Some(l) = rest.strip_prefix("log: cu: ") {
            label = (stack.len() == 1).then(|| l.to_string());
        } else if let Some(r) = rest.strip_prefix("consumption: ") {
            if let (Some(l), Some(left)) = (label.take(), r.split(' ').next().and_then(|n| n.parse().ok())) {
                marks.push((l, left));
            }
        } else if rest.ends_with(']') && rest.contains(" invoke [") {
            stack.push(rest.split(' ').next().unwrap_or_default().to_string());
        } else if rest.contains(" consumed ") {
            let mut words = rest.split(' ');
            let (program, used, budget_at_start) = (words.next(), words.nth(1), words.nth(1));
            let used: u64 = used.and_then(|n| n.parse().ok()).unwrap_or(0);
            match (stack.len(), program) {
                (1, Some(p)) if p == me => {
                    sample.total = used;
                    budget = budget_at_start.and_then(|n| n.parse().ok()).unwrap_or(0);
                }
                (2, Some(p)) if p == me => sample.event += used,
                (2, _) => sample.cpis += used,
                _ => {}
            }
        } else if rest.ends_with(" success") || rest.contains(" failed") {
            stack.pop();
        }
    }
    assert!(sample.total > 0, "{name}: no consumed line (is this the SBF build?)\n{}", logs.join("\n"));
    if std::env::var_os("COHERENCE_CU_MARKS").is_some() && marks.len() > 6 {
        // Extra marks placed in a scratch build: each step's units, in order.
        let steps: Vec<String> = marks.windows(2).map(|w| format!("{} {}", w[1].0, w[0].1 - w[1].1)).collect();
        eprintln!("{name}: {}", steps.join(" | "));
    }
    sample.phases = phases(sample, budget, &marks);
    sample
}

/// The profile's phases, each less the price of the mark that ends it
/// (measured by two marks in a row at the entry).
fn phases(sample: Sample, budget: u64, marks: &[(String, u64)]) -> Option<[u64; 5]> {
    let at = |label: &str| marks.iter().find(|(l, _)| l == label).map(|m| m.1);
    let (entry, second) = (at("entry")?, at("entry (after one mark)")?);
    let (shape, read, done, exit) = (at("shape checked")?, at("accounts read")?, at("handler done")?, at("exit")?);
    let mark = entry - second;
    let less = |from: u64, to: u64| (from - to).saturating_sub(mark);
    Some([
        less(budget, entry),
        less(second, shape),
        less(shape, read),
        less(read, done).saturating_sub(sample.cpis + sample.event),
        less(done, exit),
    ])
}

/// Compute-unit samples per instruction.
#[derive(Default)]
struct Bench {
    samples: BTreeMap<String, Vec<Sample>>,
    /// Runs that used more than the SDK's budget basis for the instruction
    /// (`coherence_sdk::compute::worst`): the table there must be raised.
    over_budget: Vec<String>,
}

#[async_trait(?Send)]
impl Visit for Bench {
    /// Simulates the stop's instruction alone, records its CU, then sends it.
    async fn visit(&mut self, h: &mut Harness, stop: Stop<'_>) {
        let payer = h.payer();
        let mut signers = vec![&payer];
        signers.extend(stop.signers.iter().copied());
        h.bank.ctx.last_blockhash = h.bank.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
        let tx = h.bank.transaction_v0(std::slice::from_ref(&stop.instruction), &signers, stop.tables).expect("tx");
        let sim = h.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate");
        let details = sim.simulation_details.as_ref().expect("simulation details");
        if let Some(Err(e)) = &sim.result {
            panic!("{} failed: {e:?}\n{}", stop.name, details.logs.join("\n"));
        }
        let sample = split(stop.name, &details.logs);
        // A profiling build's marks cost units of their own: not compared.
        match coherence_sdk::compute::worst(&stop.instruction) {
            _ if sample.phases.is_some() => {}
            Some(worst) if sample.total <= u64::from(worst) => {}
            worst => self.over_budget.push(format!("{}: {} units, SDK worst {worst:?}", stop.name, sample.total)),
        }
        self.samples.entry(stop.name.to_string()).or_default().push(sample);
        send_stop(h, &stop).await;
    }
}

impl Bench {
    /// Per instruction: min / median / worst total, and the worst run split
    /// into CPIs, the event CPI and the program's own work (and, in a
    /// profiling build, that own work by phase).
    fn print(&self) {
        println!("| instruction | runs | min CU | median CU | worst CU | token/system CPIs | event CPI | own |");
        println!("|---|---:|---:|---:|---:|---:|---:|---:|");
        for (name, samples) in &self.samples {
            let mut s = samples.clone();
            s.sort_unstable_by_key(|x| x.total);
            let worst = s[s.len() - 1];
            println!(
                "| {name} | {} | {} | {} | {} | {} | {} | {} |",
                s.len(),
                s[0].total,
                s[s.len() / 2].total,
                worst.total,
                worst.cpis,
                worst.event,
                worst.own()
            );
        }
        if self.samples.values().any(|s| s.iter().any(|x| x.phases.is_some())) {
            println!("\nProfile of the worst run (marks' own price removed):\n");
            println!("| instruction | own | runtime entry | shape check | accounts read and checked | handler | written back |");
            println!("|---|---:|---:|---:|---:|---:|---:|");
            for (name, samples) in &self.samples {
                let worst = samples.iter().max_by_key(|x| x.total).copied().unwrap_or_default();
                if let Some(p) = worst.phases {
                    println!(
                        "| {name} | {} | {} | {} | {} | {} | {} |",
                        p.iter().sum::<u64>(),
                        p[0],
                        p[1],
                        p[2],
                        p[3],
                        p[4]
                    );
                }
            }
        }
    }
}

#[tokio::main]
async fn main() {
    if coherence_sdk::client::local::sbf_program().expect("SBF setup").is_none() {
        eprintln!("cu: run with COHERENCE_SBF=1 SBF_OUT_DIR=<dir with coherence.so> (scripts/build-sbf.sh builds it)");
        std::process::exit(2);
    }
    // The same wallets, mints and so PDA bumps in every run (see
    // `deterministic_keys`): before/after figures compare the same work.
    deterministic_keys();
    let mut h = Harness::new().await;
    // The test bank registers a new blockhash every tick but raises the
    // block height once per slot, and computes a blockhash's last valid
    // height as `height + 150 - age`: on a young bank, a blockhash more
    // than 150 ticks old (about a second on a loaded machine) underflows
    // that and stops the bank. Two hundred slots first keep it clear.
    for _ in 0..200 {
        h.bank.next_slot().await.expect("slot");
    }
    let mut bench = Bench::default();
    tour(&mut h, &mut bench).await;
    let so = coherence_sdk::client::local::sbf_program().ok().flatten().map(|p| p.display().to_string());
    println!(
        "Compute units per instruction, SBF build (`{}`), solana-program-test 3.1.12, {}:\n",
        so.unwrap_or_default(),
        coherence_tests::token_program::SplToken::selected().label()
    );
    bench.print();
    if !bench.over_budget.is_empty() {
        eprintln!("cu: above coherence_sdk::compute's measured worst:\n{}", bench.over_budget.join("\n"));
        std::process::exit(1);
    }
}
