//! How simulation time grows with agents and epochs: runs the growth
//! scenario (main run only) for each size and prints a Markdown table of
//! transactions, wall time and transactions per second.
//!
//! `cargo run --release -p coherence-sim --example scale [AGENTS,..] [EPOCHS,..]`
//! (defaults 25,50,100 and 26,52,104).

use coherence_sim::run;
use coherence_sim::scenario::Scenario;

fn list(arg: Option<String>, default: &[u64]) -> Vec<u64> {
    arg.map_or(default.to_vec(), |a| a.split(',').filter_map(|x| x.trim().parse().ok()).collect())
}

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let agents = list(args.next(), &[25, 50, 100]);
    let epochs = list(args.next(), &[26, 52, 104]);
    println!("| agents | epochs | transactions | seconds | tx/s |\n|---:|---:|---:|---:|---:|");
    for &a in &agents {
        for &e in &epochs {
            let mut s = Scenario::built_in("growth", 1).expect("growth").with_agents(a as u32);
            s.epochs = e;
            let usage = s.usage();
            let r =
                run::run(s, usage, &mut |_, _| {}).await.unwrap_or_else(|err| panic!("{a} agents, {e} epochs: {err}"));
            println!("| {a} | {e} | {} | {:.1} | {:.0} |", r.txs, r.secs, r.tps());
        }
    }
}
