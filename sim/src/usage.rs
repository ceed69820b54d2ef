//! Usage paths: how much users pay (burn) in each epoch, as a multiple of a
//! base amount, plus user-supplied series and the lower twin of a path that
//! the coherence verdict compares against.

use serde::Serialize;

/// The shape of usage over a run.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UsagePath {
    /// S-curve from 1× to 6× the base, steepest mid-run.
    Growth,
    /// The base every epoch.
    Plateau,
    /// −1.5 % per epoch.
    Decline,
    /// The base for the first third, then 15 %.
    Crash,
    /// The base, a drop to 25 % at one quarter, linear recovery by one half.
    Shock,
    /// ±50 % around the base over a 52-epoch year.
    Seasonal,
    /// Nothing at all (the value-without-usage run).
    Zero,
    /// Base units per epoch, given (repeats its last value past its end).
    Series(Vec<u64>),
}

impl UsagePath {
    /// Every named path, for `--list`.
    pub const NAMED: [&'static str; 7] = ["growth", "plateau", "decline", "crash", "shock", "seasonal", "zero"];

    /// A named path.
    pub fn parse(name: &str) -> Option<UsagePath> {
        Some(match name {
            "growth" => UsagePath::Growth,
            "plateau" => UsagePath::Plateau,
            "decline" => UsagePath::Decline,
            "crash" => UsagePath::Crash,
            "shock" => UsagePath::Shock,
            "seasonal" => UsagePath::Seasonal,
            "zero" => UsagePath::Zero,
            _ => return None,
        })
    }

    /// Multiple of the base at `epoch` of `epochs`.
    fn factor(&self, epoch: u64, epochs: u64) -> f64 {
        let (e, n) = (epoch as f64, epochs.max(1) as f64);
        match self {
            UsagePath::Growth => 1.0 + 5.0 / (1.0 + (-(e - n / 2.0) / (n / 10.0)).exp()),
            UsagePath::Plateau => 1.0,
            UsagePath::Decline => 0.985f64.powf(e),
            UsagePath::Crash => {
                if e < n / 3.0 {
                    1.0
                } else {
                    0.15
                }
            }
            UsagePath::Shock => {
                let (drop, back) = (n / 4.0, n / 2.0);
                if e < drop || e >= back {
                    1.0
                } else {
                    0.25 + 0.75 * (e - drop) / (back - drop)
                }
            }
            UsagePath::Seasonal => 1.0 + 0.5 * (2.0 * std::f64::consts::PI * e / 52.0).sin(),
            UsagePath::Zero | UsagePath::Series(_) => 0.0,
        }
    }

    /// Base units paid in each of `epochs` epochs.
    pub fn series(&self, epochs: u64, base: u64) -> Vec<u64> {
        match self {
            UsagePath::Series(v) => (0..epochs as usize).map(|e| *v.get(e).or(v.last()).unwrap_or(&0)).collect(),
            path => (0..epochs).map(|e| (base as f64 * path.factor(e, epochs)).round() as u64).collect(),
        }
    }
}

/// The lower twin of a series for the paired coherence run: strictly below
/// it wherever it is positive, and volatile (60 % and 10 % in turn), so a
/// gate that rewards swings over level shows up as a violation.
pub fn lower_twin(series: &[u64]) -> Vec<u64> {
    series.iter().enumerate().map(|(e, u)| if e % 2 == 1 { u * 6 / 10 } else { u / 10 }).collect()
}

/// Reads per-epoch usage from CSV text: one value per line, or the last
/// column of `epoch,usage` rows; a header line and blank lines are skipped.
/// Values are in tokens (UI units, decimals allowed) and scaled by `unit`.
pub fn parse_csv(text: &str, unit: u64) -> Result<Vec<u64>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let cell = line.split(',').next_back().unwrap_or("").trim();
        if cell.is_empty() {
            continue;
        }
        match cell.parse::<f64>() {
            Ok(v) if v >= 0.0 && v.is_finite() => out.push((v * unit as f64).round() as u64),
            Ok(_) => return Err(format!("line {}: usage must be a non-negative number, got {cell}", n + 1)),
            Err(_) if out.is_empty() && n == 0 => continue, // header
            Err(_) => return Err(format!("line {}: not a number: {cell}", n + 1)),
        }
    }
    if out.is_empty() {
        return Err("the usage CSV has no values".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_have_their_shapes() {
        let g = UsagePath::Growth.series(104, 1_000);
        assert!(g.windows(2).all(|w| w[0] <= w[1]) && g[103] > 5 * g[0]);
        assert!(UsagePath::Plateau.series(10, 7).iter().all(|&u| u == 7));
        let d = UsagePath::Decline.series(104, 1_000);
        assert!(d.windows(2).all(|w| w[0] >= w[1]) && d[103] < d[0] / 4);
        let c = UsagePath::Crash.series(30, 1_000);
        assert_eq!((c[9], c[10]), (1_000, 150));
        let s = UsagePath::Shock.series(40, 1_000);
        assert_eq!((s[9], s[10], s[20]), (1_000, 250, 1_000));
        assert!(UsagePath::Zero.series(5, 1_000).iter().all(|&u| u == 0));
        assert_eq!(UsagePath::Series(vec![1, 2]).series(4, 0), vec![1, 2, 2, 2]);
    }

    #[test]
    fn lower_twin_is_strictly_below() {
        let g = UsagePath::Growth.series(52, 1_000_000);
        assert!(lower_twin(&g).iter().zip(&g).all(|(l, h)| l < h));
    }

    #[test]
    fn csv_reads_columns_and_names_bad_lines() {
        assert_eq!(parse_csv("epoch,usage\n0,1.5\n1,2\n\n", 10), Ok(vec![15, 20]));
        assert_eq!(parse_csv("3\n4\n", 1), Ok(vec![3, 4]));
        assert!(parse_csv("1\nx\n", 1).unwrap_err().contains("line 2"));
        assert!(parse_csv("1\n-2\n", 1).unwrap_err().contains("non-negative"));
        assert!(parse_csv("usage\n", 1).is_err());
    }
}
