//! A scenario's paired runs — as given, with a lower and volatile usage
//! path, with no usage — their verdicts and scorecard; with speculators on,
//! a fourth run: the main path with them.

use crate::price::speculation;
use crate::report::Run;
use crate::scenario::Scenario;
use crate::scorecard::Scorecard;
use crate::verdict::Verdicts;
use crate::{run, usage, SimError};
use serde::Serialize;

/// A scenario's runs, verdicts and scorecard.
#[derive(Debug, Serialize)]
pub struct Outcome {
    /// The paired runs, without speculators.
    pub main: Run,
    pub lower: Run,
    pub zero: Run,
    /// The main path with the scenario's speculators (when it has any).
    pub speculative: Option<Run>,
    pub verdicts: Verdicts,
    pub scorecard: Scorecard,
}

/// Runs `scenario` without speculators, its lower-usage twin and its
/// zero-usage run, then (if it has speculators) the main path with them;
/// `progress` hears (epochs done, epochs in all) across the runs.
pub async fn simulate(scenario: Scenario, progress: &mut dyn FnMut(u64, u64)) -> Result<Outcome, SimError> {
    let base = scenario.without_speculators();
    let with_speculators = scenario.population.speculators() > 0;
    let usage = base.usage();
    let n = base.epochs;
    let all = if with_speculators { 4 * n } else { 3 * n };
    let main = run::run(base.clone(), usage.clone(), &mut |d, _| progress(d, all)).await?;
    let lower = run::run(base.clone(), usage::lower_twin(&usage), &mut |d, _| progress(n + d, all)).await?;
    let zero = run::run(base, vec![0; n as usize], &mut |d, _| progress(2 * n + d, all)).await?;
    let speculative = match with_speculators {
        true => Some(run::run(scenario, usage, &mut |d, _| progress(3 * n + d, all)).await?),
        false => None,
    };
    let mut verdicts = Verdicts::of(&main, &lower, &zero);
    verdicts.speculation = speculative.as_ref().map(|s| speculation(&main, s));
    let scorecard = Scorecard::of(&verdicts);
    Ok(Outcome { main, lower, zero, speculative, verdicts, scorecard })
}
