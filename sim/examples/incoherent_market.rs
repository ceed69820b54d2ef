//! The price verdict on a market where usage brings no buyer
//! (`scenario::incoherent_market`: users burn an airdrop, α at its 90 %
//! bound, all emission sold, no strategic agent) next to the same scenario
//! on the recommended set: prints each one's price verdict and scorecard.
//!
//! `cargo run -p coherence-sim --example incoherent_market [AGENTS] [EPOCHS] > /dev/null`
//! (defaults 20 and 26, the size of the test that asserts it). The verdicts
//! go to stderr: in process, the program's own logs go to stdout.

use coherence_sim::scenario::{incoherent_market, Scenario};
use coherence_sim::simulate;

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().ok());
    let agents = args.next().flatten().unwrap_or(20) as u32;
    let epochs = args.next().flatten().unwrap_or(26);
    let mut base = Scenario::built_in("plateau", 1).expect("plateau").with_agents(agents);
    base.epochs = epochs;
    for (name, s) in [("recommended", base.clone()), ("usage brings no buyer", incoherent_market(base))] {
        let o = simulate(s, &mut |_, _| {}).await.unwrap_or_else(|e| panic!("{name}: {e}"));
        eprintln!("== {name}\n{}{}", o.verdicts.price.text(), o.scorecard.text());
    }
}
