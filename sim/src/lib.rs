//! `coherence-sim`: economic scenarios on the real Coherence program.
//!
//! A [`Scenario`] is a usage path × a population of agents × engine
//! parameters. [`simulate`] runs it three times in process — as given, with
//! a lower-usage twin path, and with no usage at all — each time starting a
//! fresh `solana-program-test` bank with the program loaded (native, or SBF
//! with `COHERENCE_SBF=1`) and driving every agent's action as a real
//! transaction through the SDK's local client. Nothing re-implements the
//! rules: emission, rewards and vesting are whatever the program did, read
//! back from its accounts.
//!
//! Tokens trade in a [`market`]: a constant-product pool against a quote
//! asset, outside the program (the token side is real, held by the market
//! wallet; the quote side is the simulator's ledger). Users buy what they
//! burn; stakers, builders and insiders sell a share of what they receive;
//! speculators are opt-in.
//!
//! The [`Verdicts`] say whether any strategic agent beat its honest
//! alternative (extraction, in tokens and in quote), whether any
//! stakeholder class earned more in the lower-usage run (coherence), whether
//! the price was ever higher with less usage ([`price`]), and who gained
//! with no usage at all; the [`Scorecard`] is pass or fail against them.
//! [`chart`] draws a run as SVG; [`montecarlo`] repeats a scenario over
//! seeds on every core and reports bands; [`sweep`] reruns a scenario per
//! value of one parameter, [`heatmap`] over a grid of two.
//!
//! Modules form a tree: `rng`, `market`, `scenario`, `usage`, `agent` →
//! `population` → `world` → `positions`, `behave` → `genesis` → `report` →
//! `run` → `verdict` (with `price`) → `scorecard` → `outcome` → `parallel`
//! → `montecarlo`, `sweep` → `heatmap`; `chart` draws what they produce.

pub mod agent;
mod behave;
pub mod chart;
mod genesis;
pub mod heatmap;
pub mod market;
pub mod montecarlo;
pub mod outcome;
pub mod parallel;
mod population;
mod positions;
pub mod price;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod scorecard;
pub mod sweep;
pub mod usage;
pub mod verdict;
mod world;

pub use outcome::{simulate, Outcome};
pub use report::Run;
pub use scenario::Scenario;
pub use scorecard::Scorecard;
pub use verdict::Verdicts;

use coherence_sdk::ClientError;

/// Why a simulation could not run to the end.
#[derive(Debug)]
pub enum SimError {
    /// Genesis refused the scenario (usually a parameter out of bounds; the
    /// program's error is inside).
    Genesis(ClientError),
    /// A transaction failed: a bug in the simulator or the program.
    Client(ClientError),
    /// Agent (named) had a transaction fail that an honest agent expects to pass.
    Agent(String, ClientError),
    /// A ledger does not match its wallet after the run.
    Ledger(String),
    /// Bad input (parameter names, files).
    Input(String),
    /// Building an instruction failed.
    Setup(String),
    /// The market refused agent (named)'s trade.
    Market(String, market::MarketError),
    /// The world needs the in-process bank.
    NotLocal,
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Genesis(e) => {
                write!(f, "genesis refused the scenario: {}", e.program_error().map_or(e.to_string(), |p| p.name()))
            }
            SimError::Client(e) => write!(f, "transaction failed: {e}"),
            SimError::Agent(a, e) => write!(f, "{a}: transaction failed: {e}"),
            SimError::Ledger(l) => write!(f, "ledger does not balance: {l}"),
            SimError::Input(s) | SimError::Setup(s) => f.write_str(s),
            SimError::Market(a, e) => write!(f, "{a}: the market refused the trade: {e}"),
            SimError::NotLocal => f.write_str("the simulator runs in process only"),
        }
    }
}

impl std::error::Error for SimError {}

impl From<ClientError> for SimError {
    fn from(e: ClientError) -> Self {
        SimError::Client(e)
    }
}

impl From<coherence_sdk::SdkError> for SimError {
    fn from(e: coherence_sdk::SdkError) -> Self {
        SimError::Client(e.into())
    }
}
