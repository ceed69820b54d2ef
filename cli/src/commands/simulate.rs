//! `coherence simulate`: economic scenarios on the real program, in process
//! (see the `coherence-sim` crate). Prints the per-epoch table, who earned
//! what, and the verdicts; `--out DIR` writes CSV, JSON and SVG charts;
//! `--sweep` reruns the scenario per parameter value. Exit code 1 when a
//! strategy extracts or a class earns more with less usage.

use crate::context::Output;
use crate::error::{CliError, CliResult};
use clap::Args;
use coherence_sim::scenario::{self, Scenario, BUILT_IN};
use coherence_sim::sweep::{self, Sweep};
use coherence_sim::{chart, usage, Outcome};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct SimulateArgs {
    /// Built-in scenario (see --list).
    #[arg(long, default_value = "growth")]
    pub scenario: String,
    /// List the built-in scenarios and exit.
    #[arg(long)]
    pub list: bool,
    /// Weekly epochs to run (default 104: two years).
    #[arg(long)]
    pub epochs: Option<u64>,
    /// Agents in all (default 100; at least 20).
    #[arg(long)]
    pub agents: Option<u32>,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// JSON parameters over the recommended ones: {"alpha_bps": 7000, ...}
    /// (or a genesis file with a "params" object).
    #[arg(long)]
    pub params: Option<PathBuf>,
    /// Per-epoch usage in tokens (one value per line, or `epoch,usage` rows).
    #[arg(long)]
    pub usage_csv: Option<PathBuf>,
    /// Write epochs.csv, agents.csv, outcome.json and the SVG charts here.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Rerun per value: PARAM=FROM:TO:STEP (e.g. alpha_bps=1000:9000:1000).
    #[arg(long)]
    pub sweep: Option<String>,
}

fn input(e: impl std::fmt::Display) -> CliError {
    CliError::Input(e.to_string())
}

/// The scenario the flags describe.
pub fn scenario_of(a: &SimulateArgs) -> CliResult<Scenario> {
    let names: Vec<&str> = BUILT_IN.iter().map(|(n, _)| *n).collect();
    let mut s = Scenario::built_in(&a.scenario, a.seed)
        .ok_or_else(|| CliError::Input(format!("unknown scenario {}; one of: {}", a.scenario, names.join(", "))))?;
    if let Some(n) = a.agents {
        s = s.with_agents(n);
    }
    if let Some(path) = &a.params {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        coherence_sdk::params::apply_json(&mut s.params, &json).map_err(input)?;
    }
    if let Some(path) = &a.usage_csv {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        let series = usage::parse_csv(&text, scenario::TOKEN)
            .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        s.epochs = series.len() as u64;
        s.path = usage::UsagePath::Series(series);
        s.name = format!("{} (usage from {})", s.name, path.display());
    }
    if let Some(n) = a.epochs {
        if n == 0 || n > 520 {
            return Err(CliError::Input("--epochs must be 1..=520".into()));
        }
        s.epochs = n;
    }
    Ok(s)
}

/// A progress bar on stderr (hidden when stderr is not a terminal).
pub fn progress_bar(what: &str) -> ProgressBar {
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.set_message(what.to_string());
    bar
}

pub async fn run(a: SimulateArgs, output: Output) -> CliResult {
    if a.list {
        for (name, what) in BUILT_IN {
            crate::outln!("{name:<10} {what}");
        }
        return Ok(());
    }
    let s = scenario_of(&a)?;
    if let Some(spec) = &a.sweep {
        return run_sweep(&s, &Sweep::parse(spec).map_err(input)?, &a, output).await;
    }
    let bar = progress_bar(&format!("simulating {} (3 runs)", s.name));
    let outcome = coherence_sim::simulate(s, &mut |d, n| {
        bar.set_length(n);
        bar.set_position(d);
    })
    .await
    .map_err(input)?;
    bar.finish_and_clear();
    if let Some(dir) = &a.out {
        write_out(&outcome, dir)?;
    }
    match output {
        Output::Json => crate::outln!("{}", serde_json::to_string(&outcome).map_err(input)?),
        Output::Text => crate::outln!("{}", text(&outcome)),
    }
    let bad = outcome.verdicts.extraction.iter().filter(|e| e.extracts).count() + outcome.verdicts.coherence.len();
    if bad > 0 {
        Err(CliError::Findings(bad))
    } else {
        Ok(())
    }
}

/// The report of one scenario as text.
pub fn text(o: &Outcome) -> String {
    let m = &o.main;
    let every = if m.rows.len() > 30 { 4 } else { 1 };
    format!(
        "scenario {}: {} agents, {} epochs, seed {}\n\nper epoch{} (tokens):\n{}\nwho earned what (tokens):\n{}\n{}\nruns: main {} tx in {:.1} s ({:.0} tx/s); lower-usage twin {:.1} s; zero usage {:.1} s",
        m.scenario.name, m.agents.len(), m.rows.len(), m.scenario.seed,
        if every > 1 { format!(", every {every}th") } else { String::new() },
        m.epochs_text(every), m.agents_text(), o.verdicts.text(), m.txs, m.secs, m.tps(), o.lower.secs, o.zero.secs
    )
}

fn write_file(path: &Path, text: &str) -> CliResult {
    std::fs::write(path, text).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

fn write_out(o: &Outcome, dir: &Path) -> CliResult {
    std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
    write_file(&dir.join("epochs.csv"), &o.main.epochs_csv())?;
    write_file(&dir.join("agents.csv"), &o.main.agents_csv())?;
    write_file(&dir.join("outcome.json"), &serde_json::to_string_pretty(o).map_err(input)?)?;
    chart::write(&o.main, dir).map_err(input)?;
    Ok(())
}

async fn run_sweep(s: &Scenario, sw: &Sweep, a: &SimulateArgs, output: Output) -> CliResult {
    let bar = progress_bar(&format!("sweeping {} over {} values", sw.param, sw.values.len()));
    bar.set_length(sw.values.len() as u64);
    let points = sweep::run(s, sw, &mut |d, _| bar.set_position(d)).await.map_err(input)?;
    bar.finish_and_clear();
    let table = sweep::table(&sw.param, &points);
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
        write_file(&dir.join("sweep.md"), &table)?;
        write_file(&dir.join("sweep.json"), &serde_json::to_string_pretty(&points).map_err(input)?)?;
    }
    match output {
        Output::Json => crate::outln!("{}", serde_json::to_string(&points).map_err(input)?),
        Output::Text => crate::outln!("scenario {}, {} epochs, sweeping {}:\n\n{table}", s.name, s.epochs, sw.param),
    }
    Ok(())
}
