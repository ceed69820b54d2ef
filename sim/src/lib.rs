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
//! The [`Verdicts`] say whether any strategic agent beat its honest
//! alternative (extraction), whether any stakeholder class earned more in
//! the lower-usage run (coherence), and who gained with no usage at all.
//! [`chart`] draws the run as SVG; [`sweep`] reruns a scenario per value of
//! one parameter.

pub mod agent;
mod behave;
pub mod chart;
mod genesis;
mod population;
mod positions;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod sweep;
pub mod usage;
pub mod verdict;
mod world;

pub use report::Run;
pub use scenario::Scenario;
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

/// A scenario's three runs and their verdicts.
#[derive(Debug, serde::Serialize)]
pub struct Outcome {
    pub main: Run,
    pub lower: Run,
    pub zero: Run,
    pub verdicts: Verdicts,
}

/// Runs `scenario`, its lower-usage twin and its zero-usage run; `progress`
/// hears (epochs done, epochs in all) across the three.
pub async fn simulate(scenario: Scenario, progress: &mut dyn FnMut(u64, u64)) -> Result<Outcome, SimError> {
    let usage = scenario.usage();
    let n = scenario.epochs;
    let main = run::run(scenario.clone(), usage.clone(), &mut |d, _| progress(d, 3 * n)).await?;
    let lower = run::run(scenario.clone(), usage::lower_twin(&usage), &mut |d, _| progress(n + d, 3 * n)).await?;
    let zero = run::run(scenario, vec![0; n as usize], &mut |d, _| progress(2 * n + d, 3 * n)).await?;
    let verdicts = Verdicts::of(&main, &lower, &zero);
    Ok(Outcome { main, lower, zero, verdicts })
}
