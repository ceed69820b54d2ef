//! Monte Carlo: a scenario repeated over a list of seeds (each seed draws
//! the population — stakes, weights, sources, claim cadence — the usage
//! noise and the speculators' timing), every seed's paired runs on their
//! own bank, spread over the cores. Reports P5 / P50 / P95 per epoch for
//! usage, emission, supply, price and each class's cumulative net, and each
//! seed's scorecard. Results depend only on the seed list, not on the
//! number of threads.

use crate::agent::Class;
use crate::outcome::{simulate, Outcome};
use crate::parallel;
use crate::report::short;
use crate::scenario::{Scenario, TOKEN};
use crate::SimError;
use serde::Serialize;
use std::time::Instant;

/// Usage noise a Monte Carlo run applies when the scenario has none: ±10 %
/// per epoch.
pub const DEFAULT_NOISE_BPS: u16 = 1_000;
/// Most seeds one Monte Carlo run takes.
pub const MAX_RUNS: usize = 1_000;

/// `runs` consecutive seeds from `first`.
pub fn seeds(first: u64, runs: usize) -> Vec<u64> {
    (0..runs as u64).map(|k| first.wrapping_add(k)).collect()
}

/// One seed's main run, per epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Series {
    pub usage: Vec<u64>,
    pub emission: Vec<u64>,
    pub supply: Vec<u64>,
    pub price: Vec<f64>,
    /// Each class's cumulative net as realized by each close (claimed,
    /// vested and claimed; rewards still in positions count at exit), in
    /// tokens (base units) and in quote.
    pub nets: Vec<(Class, Vec<i128>)>,
    pub nets_quote: Vec<(Class, Vec<i128>)>,
    /// The price with the scenario's speculators, when it has any.
    pub speculative_price: Option<Vec<f64>>,
}

/// One seed's result (everything but its wall time, which is in
/// [`MonteCarlo::run_secs`]).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeedRun {
    pub seed: u64,
    /// Its scorecard passed, and the codes of the criteria that failed.
    pub passed: bool,
    pub failed: Vec<&'static str>,
    /// Largest excess of a strategy over its alternative, tokens and quote (base units).
    pub worst_excess: i128,
    pub worst_excess_quote: i128,
    pub violations: usize,
    pub price_breaches: usize,
    pub max_price_ratio_lower: f64,
    pub txs: u64,
    pub series: Series,
}

impl SeedRun {
    fn of(seed: u64, o: &Outcome) -> SeedRun {
        let m = &o.main;
        let v = &o.verdicts;
        let classes: Vec<Class> = m.rows.first().map_or(Vec::new(), |r| r.nets.iter().map(|n| n.class).collect());
        let net = |c: Class, quote: bool| -> Vec<i128> {
            m.rows
                .iter()
                .map(|r| r.nets.iter().find(|n| n.class == c).map_or(0, |n| if quote { n.net_quote } else { n.net }))
                .collect()
        };
        SeedRun {
            seed,
            passed: o.scorecard.passed,
            failed: o.scorecard.failed().map(|c| c.code).collect(),
            worst_excess: v.extraction.iter().map(|e| e.excess).max().unwrap_or(0),
            worst_excess_quote: v.extraction.iter().map(|e| e.excess_quote).max().unwrap_or(0),
            violations: v.coherence.len(),
            price_breaches: v.price.lower.breaches.len() + v.price.zero.breaches.len(),
            max_price_ratio_lower: v.price.lower.max_ratio,
            txs: o.main.txs + o.lower.txs + o.zero.txs + o.speculative.as_ref().map_or(0, |s| s.txs),
            series: Series {
                usage: m.rows.iter().map(|r| r.usage).collect(),
                emission: m.rows.iter().map(|r| r.emission).collect(),
                supply: m.rows.iter().map(|r| r.supply).collect(),
                price: m.rows.iter().map(|r| r.price).collect(),
                nets: classes.iter().map(|&c| (c, net(c, false))).collect(),
                nets_quote: classes.iter().map(|&c| (c, net(c, true))).collect(),
                speculative_price: o.speculative.as_ref().map(|s| s.rows.iter().map(|r| r.price).collect()),
            },
        }
    }
}

/// P5, P50 and P95 of one metric per epoch, across the seeds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Band {
    pub metric: String,
    pub unit: &'static str,
    pub p5: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
}

/// The `p`-th percentile of `values` by nearest rank (`values` not empty).
pub fn percentile(values: &[f64], p: f64) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

fn band(metric: String, unit: &'static str, per_seed: &[Vec<f64>]) -> Band {
    let epochs = per_seed.iter().map(Vec::len).min().unwrap_or(0);
    let at = |e: usize| per_seed.iter().map(|s| s[e]).collect::<Vec<f64>>();
    Band {
        metric,
        unit,
        p5: (0..epochs).map(|e| percentile(&at(e), 5.0)).collect(),
        p50: (0..epochs).map(|e| percentile(&at(e), 50.0)).collect(),
        p95: (0..epochs).map(|e| percentile(&at(e), 95.0)).collect(),
    }
}

/// Every band of the seeds' runs: usage, emission and supply in tokens,
/// the price, and each class's cumulative net in tokens and in quote.
pub fn bands(runs: &[SeedRun]) -> Vec<Band> {
    if runs.is_empty() {
        return Vec::new();
    }
    let tok = |v: &[u64]| v.iter().map(|&x| x as f64 / TOKEN as f64).collect::<Vec<f64>>();
    let tok_i = |v: &[i128]| v.iter().map(|&x| x as f64 / TOKEN as f64).collect::<Vec<f64>>();
    let of = |f: &dyn Fn(&Series) -> Vec<f64>| runs.iter().map(|r| f(&r.series)).collect::<Vec<_>>();
    let mut out = vec![
        band("usage".into(), "tokens", &of(&|s| tok(&s.usage))),
        band("emission".into(), "tokens", &of(&|s| tok(&s.emission))),
        band("supply".into(), "tokens", &of(&|s| tok(&s.supply))),
        band("price".into(), "quote per token", &of(&|s| s.price.clone())),
    ];
    if runs[0].series.speculative_price.is_some() {
        let spec = of(&|s| s.speculative_price.clone().unwrap_or_default());
        out.push(band("price with speculators".into(), "quote per token", &spec));
    }
    for (k, (class, _)) in runs[0].series.nets.iter().enumerate() {
        let tokens = of(&|s| s.nets.get(k).map_or(Vec::new(), |n| tok_i(&n.1)));
        out.push(band(format!("net: {}", class.plural()), "tokens", &tokens));
        let quote = of(&|s| s.nets_quote.get(k).map_or(Vec::new(), |n| tok_i(&n.1)));
        out.push(band(format!("net in quote: {}", class.plural()), "quote", &quote));
    }
    out
}

/// A Monte Carlo run's results.
#[derive(Clone, Debug, Serialize)]
pub struct MonteCarlo {
    /// The scenario (its seed is the first of the list).
    pub scenario: Scenario,
    pub seeds: Vec<u64>,
    pub threads: usize,
    /// Per seed, in seed order.
    pub runs: Vec<SeedRun>,
    pub bands: Vec<Band>,
    /// Seeds whose scorecard passed.
    pub passed: usize,
    /// Wall time of the whole, the wall time of each seed's runs, and their
    /// sum over the whole's wall time: how many seeds ran at once on
    /// average. Not a speed-up: on a busy machine the threads share cores,
    /// so that is measured against a `--threads 1` run.
    pub wall_secs: f64,
    pub run_secs: Vec<f64>,
    pub concurrency: f64,
}

/// Runs `base` once per seed (its paired runs, and the speculative run if
/// it has speculators) on up to `threads` threads; `done` hears (seeds
/// finished, seeds in all).
pub fn run(
    base: &Scenario,
    seeds: &[u64],
    threads: usize,
    done: &(dyn Fn(usize, usize) + Sync),
) -> Result<MonteCarlo, SimError> {
    if seeds.is_empty() || seeds.len() > MAX_RUNS {
        return Err(SimError::Input(format!("Monte Carlo takes 1..={MAX_RUNS} runs, not {}", seeds.len())));
    }
    let started = Instant::now();
    let scenarios: Vec<Scenario> = seeds.iter().map(|&seed| Scenario { seed, ..base.clone() }).collect();
    let results = parallel::map(scenarios, threads, done, |s| async move {
        let seed = s.seed;
        let t = Instant::now();
        let o = simulate(s, &mut |_, _| {}).await?;
        Ok::<_, SimError>((SeedRun::of(seed, &o), t.elapsed().as_secs_f64()))
    })?;
    let (runs, run_secs): (Vec<SeedRun>, Vec<f64>) =
        results.into_iter().collect::<Result<Vec<_>, _>>()?.into_iter().unzip();
    let wall_secs = started.elapsed().as_secs_f64();
    Ok(MonteCarlo {
        scenario: base.clone(),
        seeds: seeds.to_vec(),
        threads: threads.clamp(1, seeds.len()),
        bands: bands(&runs),
        passed: runs.iter().filter(|r| r.passed).count(),
        concurrency: run_secs.iter().sum::<f64>() / wall_secs.max(1e-9),
        runs,
        wall_secs,
        run_secs,
    })
}

impl MonteCarlo {
    /// The band called `metric`.
    pub fn band(&self, metric: &str) -> Option<&Band> {
        self.bands.iter().find(|b| b.metric == metric)
    }

    /// The summary as text: each band at a few epochs, the seeds' scorecards, the timing.
    pub fn text(&self) -> String {
        let n = self.runs.len();
        let epochs = self.bands.first().map_or(0, |b| b.p50.len());
        let s0 = &self.scenario;
        let mut s = format!(
            "Monte Carlo: {} over {n} seeds ({}..={}), {} agents, {} epochs, usage noise ±{:.1} %\n\n",
            s0.name,
            self.seeds.first().copied().unwrap_or(0),
            self.seeds.last().copied().unwrap_or(0),
            s0.population.agents(),
            s0.epochs,
            f64::from(s0.noise_bps) / 100.0
        );
        let picks: Vec<usize> = [epochs / 4, epochs / 2, 3 * epochs / 4, epochs.saturating_sub(1)]
            .into_iter()
            .filter(|&e| e < epochs)
            .fold(Vec::new(), |mut v, e| {
                if !v.contains(&e) {
                    v.push(e);
                }
                v
            });
        s += &format!("{:<32}", "P5 / P50 / P95 at epoch");
        for e in &picks {
            s += &format!(" {:>32}", e);
        }
        s += "\n";
        for b in &self.bands {
            s += &format!("{:<32}", format!("{} ({})", b.metric, b.unit));
            for &e in &picks {
                let f = |v: f64| if b.unit == "quote per token" { format!("{v:.4}") } else { short(v) };
                s += &format!(" {:>32}", format!("{} / {} / {}", f(b.p5[e]), f(b.p50[e]), f(b.p95[e])));
            }
            s += "\n";
        }
        s += &format!("\nscorecard passed for {} of {n} seeds\n", self.passed);
        for (code, _) in crate::scorecard::CRITERIA {
            let failing: Vec<u64> = self.runs.iter().filter(|r| r.failed.contains(&code)).map(|r| r.seed).collect();
            if !failing.is_empty() {
                s += &format!("  {code} failed for seeds {failing:?}\n");
            }
        }
        let worst = self.runs.iter().map(|r| r.worst_excess).max().unwrap_or(0);
        let worst_q = self.runs.iter().map(|r| r.worst_excess_quote).max().unwrap_or(0);
        let ratio = self.runs.iter().map(|r| r.max_price_ratio_lower).fold(0.0, f64::max);
        s += &format!(
            "  worst strategy excess over all seeds: {} tokens, {} quote; highest lower/main price ratio {:.4}\n",
            crate::report::signed(worst),
            crate::report::signed(worst_q),
            ratio
        );
        let txs: u64 = self.runs.iter().map(|r| r.txs).sum();
        s += &format!(
            "\n{} transactions in {:.1} s on {} thread{}; the seeds' runs took {:.1} s in all ({:.2} at once on average)\n",
            txs,
            self.wall_secs,
            self.threads,
            if self.threads == 1 { "" } else { "s" },
            self.run_secs.iter().sum::<f64>(),
            self.concurrency
        );
        s
    }
}

#[cfg(test)]
mod tests {
    use super::percentile;

    #[test]
    fn percentiles_by_nearest_rank() {
        let v: Vec<f64> = (1..=20).map(f64::from).collect();
        assert_eq!((percentile(&v, 5.0), percentile(&v, 50.0), percentile(&v, 95.0)), (1.0, 10.0, 19.0));
        assert_eq!(percentile(&[3.0], 95.0), 3.0);
        assert_eq!(percentile(&[2.0, 1.0], 5.0), 1.0);
    }
}
