//! `--sweep PARAM=FROM:TO:STEP`: the same scenario once per parameter value,
//! with its verdicts and key figures in one table. The values run on the
//! cores ([`crate::parallel`]); the two-parameter form is [`crate::heatmap`].

use crate::outcome::{simulate, Outcome};
use crate::parallel;
use crate::scenario::Scenario;
use crate::SimError;
use coherence_sdk::params::set as set_param;
use serde::Serialize;

/// A parsed sweep.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sweep {
    pub param: String,
    pub values: Vec<u64>,
}

impl Sweep {
    /// Parses `alpha_bps=1000:9000:1000` (inclusive bounds; at most 50 values).
    pub fn parse(spec: &str) -> Result<Sweep, String> {
        let (param, range) = spec.split_once('=').ok_or("expected PARAM=FROM:TO:STEP")?;
        let parts: Vec<u64> = range
            .split(':')
            .map(|p| p.trim().parse::<u64>().map_err(|_| format!("not a number: {p}")))
            .collect::<Result<_, _>>()?;
        let [from, to, step] = parts[..] else { return Err("expected FROM:TO:STEP".into()) };
        if step == 0 || to < from {
            return Err("need STEP > 0 and FROM <= TO".into());
        }
        let values: Vec<u64> = (from..=to).step_by(step as usize).collect();
        if values.len() > 50 {
            return Err(format!("{} values; a sweep runs at most 50", values.len()));
        }
        set_param(&mut crate::scenario::recommended_params(), param, from)?;
        Ok(Sweep { param: param.into(), values })
    }
}

/// One value's result.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    pub value: u64,
    /// The program's error name when genesis refused this value.
    pub refused: Option<String>,
    pub emitted: u64,
    pub usage: u64,
    /// Wash coalition's net and its excess over its honest twin (base units).
    pub wash_net: i128,
    pub wash_excess: i128,
    /// Honest stakers' net as % of their capital.
    pub staker_yield_pct: f64,
    pub extractions: usize,
    pub violations: usize,
    /// Highest price ratio of the lower-usage run to the main run.
    pub price_ratio: f64,
    /// The scenario's scorecard passed.
    pub passed: bool,
}

/// The program's error name when genesis refused a scenario; other errors pass through.
pub fn refusal(r: Result<Outcome, SimError>) -> Result<Result<Outcome, String>, SimError> {
    match r {
        Ok(o) => Ok(Ok(o)),
        Err(SimError::Genesis(e)) => Ok(Err(e.program_error().map_or(e.to_string(), |p| p.name()))),
        Err(e) => Err(e),
    }
}

/// Runs `base` with each of `settings` (parameter name, value) applied, on
/// up to `threads` threads, and keeps `summary` of each outcome (or of the
/// program's error name when genesis refused it).
pub fn each<S: Send>(
    base: &Scenario,
    settings: Vec<Vec<(String, u64)>>,
    threads: usize,
    done: &(dyn Fn(usize, usize) + Sync),
    summary: impl Fn(Result<&Outcome, &str>) -> S + Sync,
) -> Result<Vec<S>, SimError> {
    let mut scenarios = Vec::new();
    for set in settings {
        let mut s = base.clone();
        for (name, value) in set {
            set_param(&mut s.params, &name, value).map_err(SimError::Input)?;
        }
        scenarios.push(s);
    }
    let summary = &summary;
    let results = parallel::map(scenarios, threads, done, |s| async move {
        refusal(simulate(s, &mut |_, _| {}).await).map(|o| summary(o.as_ref().map_err(String::as_str)))
    })?;
    results.into_iter().collect()
}

/// Runs the sweep on up to `threads` threads.
pub fn run(
    base: &Scenario,
    sweep: &Sweep,
    threads: usize,
    done: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<Point>, SimError> {
    let settings = sweep.values.iter().map(|&v| vec![(sweep.param.clone(), v)]).collect();
    let values = &sweep.values;
    let points = each(base, settings, threads, done, |o| match o {
        Ok(o) => point(0, o),
        Err(name) => Point {
            value: 0,
            refused: Some(name.to_string()),
            emitted: 0,
            usage: 0,
            wash_net: 0,
            wash_excess: 0,
            staker_yield_pct: 0.0,
            extractions: 0,
            violations: 0,
            price_ratio: 0.0,
            passed: false,
        },
    })?;
    Ok(values.iter().zip(points).map(|(&value, p)| Point { value, ..p }).collect())
}

/// Honest stakers' net over their capital, %.
pub fn staker_yield_pct(o: &Outcome) -> f64 {
    let stakers: Vec<_> = crate::report::class_rows(&o.main, crate::agent::Class::Staker).collect();
    let (net, capital) = stakers.iter().fold((0i128, 0u64), |(n, c), a| (n + a.net, c + a.ledger.staked_max));
    if capital == 0 {
        0.0
    } else {
        net as f64 * 100.0 / capital as f64
    }
}

fn point(value: u64, o: &Outcome) -> Point {
    let wash = o.verdicts.extraction.iter().find(|e| e.agent == "wash coalition");
    Point {
        value,
        refused: None,
        emitted: o.main.rows.iter().map(|r| r.emission).sum(),
        usage: o.main.rows.iter().map(|r| r.usage).sum(),
        wash_net: wash.map_or(0, |w| w.net),
        wash_excess: wash.map_or(0, |w| w.excess),
        staker_yield_pct: staker_yield_pct(o),
        extractions: o.verdicts.extraction.iter().filter(|e| e.extracts || e.extracts_in_quote).count(),
        violations: o.verdicts.coherence.len(),
        price_ratio: o.verdicts.price.lower.max_ratio,
        passed: o.scorecard.passed,
    }
}

/// The sweep as a Markdown table (amounts in whole tokens).
pub fn table(param: &str, points: &[Point]) -> String {
    let t = |v: i128| v / crate::scenario::TOKEN as i128;
    let mut s = format!("| {param} | usage paid | emitted | wash net | wash vs twin | staker yield | extracting | coherence violations | price lower/main (max) | scorecard |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
    for p in points {
        match &p.refused {
            Some(e) => s += &format!("| {} | refused at genesis: `{e}` | | | | | | | | |\n", p.value),
            None => {
                s += &format!(
                    "| {} | {} | {} | {} | {} | {:.2} % | {} | {} | {:.4} | {} |\n",
                    p.value,
                    t(p.usage as i128),
                    t(p.emitted as i128),
                    t(p.wash_net),
                    t(p.wash_excess),
                    p.staker_yield_pct,
                    p.extractions,
                    p.violations,
                    p.price_ratio,
                    if p.passed { "pass" } else { "FAIL" }
                )
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::Sweep;

    #[test]
    fn sweep_specs_parse_or_name_the_problem() {
        assert_eq!(Sweep::parse("alpha_bps=1000:5000:2000").unwrap().values, vec![1_000, 3_000, 5_000]);
        assert!(Sweep::parse("alpha_bps").is_err());
        assert!(Sweep::parse("alpha_bps=1:2").is_err());
        assert!(Sweep::parse("alpha_bps=5:1:1").is_err());
        assert!(Sweep::parse("beta=1:2:1").unwrap_err().contains("unknown parameter"));
        assert!(Sweep::parse("cap=1:1000:1").unwrap_err().contains("at most 50"));
    }
}
