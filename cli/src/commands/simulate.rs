//! `coherence simulate`: economic scenarios on the real program, in process
//! (see the `coherence-sim` crate). Prints the per-epoch table, who earned
//! what, the verdicts and the scorecard; `--out DIR` writes CSV, JSON and
//! SVG charts; `--runs N` repeats the scenario over N seeds on every core
//! (bands); `--sweep` reruns it per value of one parameter, or over a grid
//! of two (heatmaps). Exit code 1 when the scorecard fails (for any seed).

use crate::context::Output;
use crate::error::{CliError, CliResult};
use clap::Args;
use coherence_sim::heatmap::{self, Grid};
use coherence_sim::montecarlo::{self, MonteCarlo};
use coherence_sim::scenario::{self, Scenario, BUILT_IN};
use coherence_sim::sweep::{self, Sweep};
use coherence_sim::{chart, parallel, usage, Outcome};
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
    /// Rerun per value: PARAM=FROM:TO:STEP (e.g. alpha_bps=1000:9000:1000),
    /// or over a grid of two, A=FROM:TO:STEP,B=FROM:TO:STEP (heatmaps; at
    /// most 100 cells).
    #[arg(long)]
    pub sweep: Option<String>,
    /// Repeat the scenario over this many seeds (from --seed) and report
    /// P5/P50/P95 bands per epoch.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
    /// Threads for --runs and --sweep (default: the cores available).
    #[arg(long)]
    pub threads: Option<usize>,
    /// Usage noise per epoch, bps: usage scaled by 1 ± this, drawn from the
    /// seed (default 0, or 1000 with --runs above 1).
    #[arg(long)]
    pub noise_bps: Option<u16>,
    /// Speculators trading the market: momentum and/or mean-reverting,
    /// each with an optional count (e.g. momentum=2,mean-reverting).
    #[arg(long)]
    pub speculators: Option<String>,
    /// Quote each speculator starts with (whole quote units).
    #[arg(long)]
    pub speculator_quote: Option<u64>,
    /// Pool fee, bps (default 30).
    #[arg(long)]
    pub fee_bps: Option<u16>,
    /// Opening price, quote per token (default 1).
    #[arg(long)]
    pub price: Option<f64>,
    /// Share of what they receive that insiders, stakers and builders sell, bps.
    #[arg(long)]
    pub insider_sell_bps: Option<u16>,
    #[arg(long)]
    pub staker_sell_bps: Option<u16>,
    #[arg(long)]
    pub builder_sell_bps: Option<u16>,
    /// Users burn tokens airdropped at genesis instead of buying them (usage
    /// brings no buyer to the market).
    #[arg(long)]
    pub airdropped_usage: bool,
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
    market_of(a, &mut s)?;
    Ok(s)
}

fn bps(flag: &str, v: Option<u16>) -> CliResult<Option<u16>> {
    match v {
        Some(b) if b > 10_000 => Err(CliError::Input(format!("--{flag} must be 0..=10000"))),
        other => Ok(other),
    }
}

/// The market, speculator and noise flags onto `s`.
fn market_of(a: &SimulateArgs, s: &mut Scenario) -> CliResult {
    let m = &mut s.market;
    if let Some(fee) = bps("fee-bps", a.fee_bps)? {
        if fee >= 10_000 {
            return Err(CliError::Input("--fee-bps must be below 10000".into()));
        }
        m.fee_bps = fee;
    }
    if let Some(p) = a.price {
        if !(p.is_finite() && (1e-6..=1e6).contains(&p)) {
            return Err(CliError::Input("--price must be between 0.000001 and 1000000 quote per token".into()));
        }
        m.price_micros = (p * 1e6).round() as u64;
    }
    m.insiders_sell_bps = bps("insider-sell-bps", a.insider_sell_bps)?.unwrap_or(m.insiders_sell_bps);
    m.stakers_sell_bps = bps("staker-sell-bps", a.staker_sell_bps)?.unwrap_or(m.stakers_sell_bps);
    m.builders_sell_bps = bps("builder-sell-bps", a.builder_sell_bps)?.unwrap_or(m.builders_sell_bps);
    if let Some(q) = a.speculator_quote {
        m.speculator_quote =
            q.checked_mul(scenario::TOKEN).ok_or_else(|| CliError::Input("--speculator-quote is too large".into()))?;
    }
    if let Some(list) = &a.speculators {
        for item in list.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            let (name, count) = item.split_once('=').unwrap_or((item, "1"));
            let count: u32 = count
                .parse()
                .ok()
                .filter(|c| (1..=20).contains(c))
                .ok_or_else(|| CliError::Input(format!("--speculators {item}: the count must be 1..=20")))?;
            match name {
                "momentum" => s.population.momentum_traders = count,
                "mean-reverting" => s.population.mean_reverting_traders = count,
                other => {
                    return Err(CliError::Input(format!(
                        "unknown speculator {other}; one of: momentum, mean-reverting"
                    )))
                }
            }
        }
    }
    s.population.airdropped_usage |= a.airdropped_usage;
    if a.runs == 0 || a.runs > montecarlo::MAX_RUNS {
        return Err(CliError::Input(format!("--runs must be 1..={}", montecarlo::MAX_RUNS)));
    }
    s.noise_bps = bps("noise-bps", a.noise_bps)?.unwrap_or(if a.runs > 1 { montecarlo::DEFAULT_NOISE_BPS } else { 0 });
    Ok(())
}

fn threads_of(a: &SimulateArgs) -> CliResult<usize> {
    match a.threads {
        Some(0) => Err(CliError::Input("--threads must be at least 1".into())),
        Some(t) => Ok(t),
        None => Ok(parallel::available_threads()),
    }
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
    let threads = threads_of(&a)?;
    if let Some(spec) = &a.sweep {
        if spec.contains(',') {
            return run_map(&s, Grid::parse(spec).map_err(input)?, threads, &a, output).await;
        }
        return run_sweep(&s, &Sweep::parse(spec).map_err(input)?, threads, &a, output).await;
    }
    if a.runs > 1 {
        return run_montecarlo(&s, montecarlo::seeds(a.seed, a.runs), threads, &a, output).await;
    }
    let runs = if s.population.speculators() > 0 { 4 } else { 3 };
    let bar = progress_bar(&format!("simulating {} ({runs} runs)", s.name));
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
    match outcome.scorecard.failed().count() {
        0 => Ok(()),
        bad => Err(CliError::Findings(bad)),
    }
}

/// The report of one scenario as text.
pub fn text(o: &Outcome) -> String {
    let m = &o.main;
    let every = if m.rows.len() > 30 { 4 } else { 1 };
    format!(
        "scenario {}: {} agents, {} epochs, seed {}\n\nper epoch{} (tokens; price in quote per token):\n{}\nwho earned what (tokens; net in quote at the final price):\n{}\n{}\n{}\nruns: main {} tx in {:.1} s ({:.0} tx/s); lower-usage twin {:.1} s; zero usage {:.1} s{}",
        m.scenario.name, m.agents.len(), m.rows.len(), m.scenario.seed,
        if every > 1 { format!(", every {every}th") } else { String::new() },
        m.epochs_text(every), m.agents_text(), o.verdicts.text(), o.scorecard.text(), m.txs, m.secs, m.tps(), o.lower.secs, o.zero.secs,
        o.speculative.as_ref().map_or(String::new(), |r| format!("; with speculators {:.1} s", r.secs))
    )
}

fn write_file(path: &Path, text: &str) -> CliResult {
    std::fs::write(path, text).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))
}

fn write_out(o: &Outcome, dir: &Path) -> CliResult {
    std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
    write_file(&dir.join("epochs.csv"), &o.main.epochs_csv())?;
    write_file(&dir.join("agents.csv"), &o.main.agents_csv())?;
    write_file(&dir.join("trades.csv"), &o.main.trades_csv())?;
    write_file(&dir.join("outcome.json"), &serde_json::to_string_pretty(o).map_err(input)?)?;
    chart::write(&o.main, dir).map_err(input)?;
    write_file(&dir.join("price.svg"), &chart::price(o).map_err(input)?)?;
    Ok(())
}

/// Runs blocking, multi-threaded work off the async runtime, with a
/// progress bar fed from the worker threads.
async fn on_threads<R: Send + 'static>(
    what: String,
    work: impl FnOnce(&(dyn Fn(usize, usize) + Sync)) -> Result<R, coherence_sim::SimError> + Send + 'static,
) -> CliResult<R> {
    let bar = progress_bar(&what);
    let worker_bar = bar.clone();
    let result = tokio::task::spawn_blocking(move || {
        work(&|done, all| {
            worker_bar.set_length(all as u64);
            worker_bar.set_position(done as u64);
        })
    })
    .await
    .map_err(|e| CliError::Input(format!("a worker failed: {e}")))?;
    bar.finish_and_clear();
    result.map_err(input)
}

async fn run_montecarlo(s: &Scenario, seeds: Vec<u64>, threads: usize, a: &SimulateArgs, output: Output) -> CliResult {
    let base = s.clone();
    let what = format!("Monte Carlo: {} over {} seeds on {threads} threads", s.name, seeds.len());
    let mc: MonteCarlo = on_threads(what, move |done| montecarlo::run(&base, &seeds, threads, done)).await?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
        write_file(&dir.join("montecarlo.json"), &serde_json::to_string_pretty(&mc).map_err(input)?)?;
        write_file(&dir.join("montecarlo.txt"), &mc.text())?;
        for (name, svg) in chart::bands(&mc).map_err(input)? {
            write_file(&dir.join(name), &svg)?;
        }
    }
    match output {
        Output::Json => crate::outln!("{}", serde_json::to_string(&mc).map_err(input)?),
        Output::Text => crate::outln!("{}", mc.text()),
    }
    match mc.runs.len() - mc.passed {
        0 => Ok(()),
        failed => Err(CliError::Findings(failed)),
    }
}

async fn run_map(s: &Scenario, grid: Grid, threads: usize, a: &SimulateArgs, output: Output) -> CliResult {
    let base = s.clone();
    let cells = grid.a.values.len() * grid.b.values.len();
    let what = format!("mapping {} x {} over {cells} cells on {threads} threads", grid.a.param, grid.b.param);
    let map = on_threads(what, move |done| heatmap::run(&base, &grid, threads, done)).await?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
        write_file(&dir.join("map.json"), &serde_json::to_string_pretty(&map).map_err(input)?)?;
        write_file(&dir.join("map.md"), &map.text())?;
        for (metric, file, _, _) in heatmap::METRICS {
            write_file(&dir.join(file), &map.svg(metric).map_err(input)?)?;
        }
    }
    match output {
        Output::Json => crate::outln!("{}", serde_json::to_string(&map).map_err(input)?),
        Output::Text => crate::outln!("{}", map.text()),
    }
    Ok(())
}

async fn run_sweep(s: &Scenario, sw: &Sweep, threads: usize, a: &SimulateArgs, output: Output) -> CliResult {
    let (base, sweep) = (s.clone(), sw.clone());
    let what = format!("sweeping {} over {} values on {threads} threads", sw.param, sw.values.len());
    let points = on_threads(what, move |done| sweep::run(&base, &sweep, threads, done)).await?;
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
