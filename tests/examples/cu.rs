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
//! log line (its own work plus every CPI it makes), then sent.

use async_trait::async_trait;
use coherence_tests::tour::{send_stop, tour, Stop, Visit};
use coherence_tests::*;
use std::collections::BTreeMap;

/// The program's top-level "consumed" log line: its CU, CPIs included.
fn consumed(name: &str, logs: &[String]) -> u64 {
    let needle = format!("Program {} consumed ", coherence::ID);
    logs.iter()
        .rev()
        .find_map(|l| {
            l.strip_prefix(&needle).and_then(|rest| rest.split(' ').next()).and_then(|n| n.parse::<u64>().ok())
        })
        .unwrap_or_else(|| panic!("{name}: no consumed line (is this the SBF build?)\n{}", logs.join("\n")))
}

/// Compute-unit samples per instruction.
#[derive(Default)]
struct Bench {
    samples: BTreeMap<String, Vec<u64>>,
}

#[async_trait(?Send)]
impl Visit for Bench {
    /// Simulates the stop's instruction alone, records its CU, then sends it.
    async fn visit(&mut self, h: &mut Harness, stop: Stop<'_>) {
        let payer = h.payer();
        let mut signers = vec![&payer];
        signers.extend(stop.signers.iter().copied());
        let tx = h.bank.transaction_v0(std::slice::from_ref(&stop.instruction), &signers, stop.tables).expect("tx");
        let sim = h.bank.ctx.banks_client.simulate_transaction(tx).await.expect("simulate");
        let details = sim.simulation_details.as_ref().expect("simulation details");
        if let Some(Err(e)) = &sim.result {
            panic!("{} failed: {e:?}\n{}", stop.name, details.logs.join("\n"));
        }
        let used = consumed(stop.name, &details.logs);
        self.samples.entry(stop.name.to_string()).or_default().push(used);
        send_stop(h, &stop).await;
    }
}

impl Bench {
    fn print(&self) {
        println!("| instruction | runs | min CU | median CU | worst CU |\n|---|---:|---:|---:|---:|");
        for (name, samples) in &self.samples {
            let mut s = samples.clone();
            s.sort_unstable();
            println!("| {name} | {} | {} | {} | {} |", s.len(), s[0], s[s.len() / 2], s[s.len() - 1]);
        }
    }
}

#[tokio::main]
async fn main() {
    if coherence_sdk::client::local::sbf_program().expect("SBF setup").is_none() {
        eprintln!("cu: run with COHERENCE_SBF=1 SBF_OUT_DIR=<dir with coherence.so> (scripts/build-sbf.sh builds it)");
        std::process::exit(2);
    }
    let mut h = Harness::new().await;
    let mut bench = Bench::default();
    tour(&mut h, &mut bench).await;
    let so = coherence_sdk::client::local::sbf_program().ok().flatten().map(|p| p.display().to_string());
    println!("Compute units per instruction, SBF build (`{}`), solana-program-test 3.1.12:\n", so.unwrap_or_default());
    bench.print();
}
