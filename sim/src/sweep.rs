//! `--sweep PARAM=FROM:TO:STEP`: the same scenario once per parameter value,
//! with its verdicts and key figures in one table.

use crate::scenario::Scenario;
use crate::{simulate, Outcome, SimError};
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
}

/// Runs the sweep.
pub async fn run(base: &Scenario, sweep: &Sweep, progress: &mut dyn FnMut(u64, u64)) -> Result<Vec<Point>, SimError> {
    let mut out = Vec::new();
    let n = sweep.values.len() as u64;
    for (k, &value) in sweep.values.iter().enumerate() {
        let mut s = base.clone();
        set_param(&mut s.params, &sweep.param, value).map_err(SimError::Input)?;
        let point = match simulate(s, &mut |_, _| {}).await {
            Ok(o) => point(value, &o),
            Err(SimError::Genesis(e)) => Point {
                value,
                refused: Some(e.program_error().map_or(e.to_string(), |p| p.name())),
                emitted: 0,
                usage: 0,
                wash_net: 0,
                wash_excess: 0,
                staker_yield_pct: 0.0,
                extractions: 0,
                violations: 0,
            },
            Err(e) => return Err(e),
        };
        out.push(point);
        progress(k as u64 + 1, n);
    }
    Ok(out)
}

fn point(value: u64, o: &Outcome) -> Point {
    let wash = o.verdicts.extraction.iter().find(|e| e.agent == "wash coalition");
    let stakers: Vec<_> = crate::report::class_rows(&o.main, crate::agent::Class::Staker).collect();
    let (net, capital) = stakers.iter().fold((0i128, 0u64), |(n, c), a| (n + a.net, c + a.ledger.staked_max));
    Point {
        value,
        refused: None,
        emitted: o.main.rows.iter().map(|r| r.emission).sum(),
        usage: o.main.rows.iter().map(|r| r.usage).sum(),
        wash_net: wash.map_or(0, |w| w.net),
        wash_excess: wash.map_or(0, |w| w.excess),
        staker_yield_pct: if capital == 0 { 0.0 } else { net as f64 * 100.0 / capital as f64 },
        extractions: o.verdicts.extraction.iter().filter(|e| e.extracts).count(),
        violations: o.verdicts.coherence.len(),
    }
}

/// The sweep as a Markdown table (amounts in whole tokens).
pub fn table(param: &str, points: &[Point]) -> String {
    let t = |v: i128| v / crate::scenario::TOKEN as i128;
    let mut s = format!("| {param} | usage paid | emitted | wash net | wash vs twin | staker yield | extracting | coherence violations |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for p in points {
        match &p.refused {
            Some(e) => s += &format!("| {} | refused at genesis: `{e}` | | | | | | |\n", p.value),
            None => {
                s += &format!(
                    "| {} | {} | {} | {} | {} | {:.2} % | {} | {} |\n",
                    p.value,
                    t(p.usage as i128),
                    t(p.emitted as i128),
                    t(p.wash_net),
                    t(p.wash_excess),
                    p.staker_yield_pct,
                    p.extractions,
                    p.violations
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
