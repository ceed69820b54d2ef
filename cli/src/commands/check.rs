//! `coherence check`: the test of coherence for a deployed engine. The
//! rules and the reading are the SDK's (`coherence_sdk::audit`); this command
//! prints the findings and, with `--simulate`, adds the standard scenarios
//! run in process on the engine's parameters. Exit code 1 when any finding is
//! at warning level or above.

use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use coherence::state::Engine;
use coherence_sdk::audit::{self, finding, Finding, Severity};

/// Scenarios `check --simulate` runs on the live parameters.
const SIM_SCENARIOS: [&str; 4] = ["growth", "crash", "shock", "wash"];

/// Size of each scenario `check --simulate` runs.
#[derive(Clone, Copy, Debug)]
pub struct SimSize {
    pub epochs: u64,
    pub agents: u32,
}

/// Runs the standard scenarios in process on `engine`'s parameters (cap
/// scaled to the simulated supply, same epoch length) and reads each one's
/// scorecard: an extraction (in tokens or in quote) is critical; a class
/// earning more with less usage, a price higher with less usage, or value
/// without usage above the declared budget is a warning; a passing
/// scorecard is info, and so is each gain without usage.
async fn simulate_findings(engine: &Engine, size: SimSize, out: &mut Vec<Finding>) -> CliResult {
    use coherence_sim::scenario::{adapt_params, Scenario};
    for name in SIM_SCENARIOS {
        let mut s = Scenario::built_in(name, 1)
            .ok_or_else(|| CliError::Input(format!("no scenario {name}")))?
            .with_agents(size.agents);
        s.epochs = size.epochs.clamp(1, 520);
        s.epoch_secs = engine.epoch_secs;
        s.params = adapt_params(&engine.params, engine.max_supply);
        let bar = crate::commands::simulate::progress_bar(&format!("simulating {name} on this engine's parameters"));
        let o = coherence_sim::simulate(s, &mut |d, n| {
            bar.set_length(n);
            bar.set_position(d);
        })
        .await
        .map_err(|e| CliError::Input(format!("simulate {name}: {e}")))?;
        bar.finish_and_clear();
        for e in o.verdicts.extraction.iter().filter(|e| e.extracts || e.extracts_in_quote) {
            out.push(finding(
                Severity::Critical,
                "sim-extraction",
                format!(
                    "{name}: {} beats its honest alternative by {} base units ({} quote base units)",
                    e.agent, e.excess, e.excess_quote
                ),
            ));
        }
        for v in &o.verdicts.coherence {
            out.push(finding(
                Severity::Warn,
                "sim-incoherent",
                format!("{name}: {} earn more with less usage by epoch {} ({})", v.class, v.epoch, v.cause),
            ));
        }
        let price = &o.verdicts.price;
        if !price.holds() {
            for p in [&price.lower, &price.zero].into_iter().filter(|p| !p.breaches.is_empty()) {
                out.push(finding(
                    Severity::Warn,
                    "sim-price-incoherent",
                    format!(
                        "{name}: the {}-usage run's price is above the main run's with less usage in {} epochs (first {}; highest ratio {:.4})",
                        p.run,
                        p.breaches.len(),
                        p.breaches[0].epoch,
                        p.max_ratio
                    ),
                ));
            }
        }
        if o.scorecard.passed {
            let txs = o.main.txs + o.lower.txs + o.zero.txs;
            let codes: Vec<&str> = o.scorecard.criteria.iter().map(|c| c.code).collect();
            out.push(finding(
                Severity::Info,
                "sim-coherent",
                format!("{name}: scorecard passed ({}; {txs} transactions)", codes.join(", ")),
            ));
        }
        let c = &o.verdicts.ceiling;
        if !c.within {
            out.push(finding(
                Severity::Warn,
                "sim-above-budget",
                format!(
                    "{name}: {} base units released without usage, above the time-only budget {}",
                    c.released, c.budget
                ),
            ));
        }
        if let Some(b) = o.verdicts.burst.as_ref().filter(|b| !b.stalled_epochs.is_empty()) {
            out.push(finding(
                Severity::Warn,
                "sim-burst-stalls-gate",
                format!("{name}: a one-epoch burst stalled honest usage at the gate in epochs {:?}", b.stalled_epochs),
            ));
        }
        if name == "growth" {
            for g in &o.verdicts.without_usage {
                out.push(finding(
                    Severity::Info,
                    "sim-value-without-usage",
                    format!(
                        "{} gain {} base units of the simulated mint with zero usage ({})",
                        g.class, g.amount, g.why
                    ),
                ));
            }
        }
    }
    Ok(())
}

pub async fn run(ctx: &mut Ctx, simulate: Option<SimSize>, vesting_threshold_bps: u16) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let cranker = ctx.signer_key();
    let facts = audit::gather(&mut ctx.client, &keys, engine, vesting_threshold_bps, cranker).await?;
    let mut findings = audit::assess(&facts);
    if let Some(size) = simulate {
        simulate_findings(&facts.engine, size, &mut findings).await?;
    }
    let serious = findings.iter().filter(|f| f.severity >= Severity::Warn).count();
    let text = if findings.is_empty() {
        format!("engine {}: coherent, no findings", keys.engine)
    } else {
        findings
            .iter()
            .map(|f| format!("{:<8} {:<22} {}", format!("{:?}", f.severity).to_uppercase(), f.code, f.reason))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let json = serde_json::json!({
        "engine": keys.engine.to_string(),
        "findings": findings.iter().map(|f| serde_json::json!({ "severity": format!("{:?}", f.severity).to_lowercase(), "code": f.code, "reason": f.reason })).collect::<Vec<_>>(),
    });
    ctx.out(text, json);
    if serious > 0 {
        Err(CliError::Findings(serious))
    } else {
        Ok(())
    }
}
