//! `--sweep A=FROM:TO:STEP,B=FROM:TO:STEP`: a parameter map. The scenario
//! runs (paired runs and verdicts) once per (A, B) pair, on the cores; each
//! verdict becomes a heatmap — one cell per pair, its value printed in it, a
//! colour scale, the recommended parameters' cell outlined — so a team sees
//! the safe region at a glance.

use crate::outcome::Outcome;
use crate::report::short;
use crate::scenario::{recommended_params, Scenario, TOKEN};
use crate::sweep::{self, Sweep};
use crate::SimError;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde::Serialize;

/// Most cells a map runs.
pub const MAX_CELLS: usize = 100;

/// Why a grid was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GridError {
    /// Not `A=FROM:TO:STEP,B=FROM:TO:STEP` (or one of them is bad).
    Spec(String),
    /// The same parameter twice.
    SameParameter(String),
    /// More than [`MAX_CELLS`] cells.
    TooLarge { cells: usize },
}

impl std::fmt::Display for GridError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GridError::Spec(s) => f.write_str(s),
            GridError::SameParameter(p) => write!(f, "a parameter map needs two different parameters, not {p} twice"),
            GridError::TooLarge { cells } => {
                write!(f, "grid too large: {cells} cells; a parameter map runs at most {MAX_CELLS}")
            }
        }
    }
}

/// Two parameters' values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    pub a: Sweep,
    pub b: Sweep,
}

impl Grid {
    /// Parses `alpha_bps=1000:9000:2000,gate_bps=6000:10000:1000`.
    pub fn parse(spec: &str) -> Result<Grid, GridError> {
        let (a, b) =
            spec.split_once(',').ok_or_else(|| GridError::Spec("expected A=FROM:TO:STEP,B=FROM:TO:STEP".into()))?;
        let (a, b) = (Sweep::parse(a).map_err(GridError::Spec)?, Sweep::parse(b).map_err(GridError::Spec)?);
        if a.param == b.param {
            return Err(GridError::SameParameter(a.param));
        }
        let cells = a.values.len() * b.values.len();
        if cells > MAX_CELLS {
            return Err(GridError::TooLarge { cells });
        }
        Ok(Grid { a, b })
    }
}

/// One (A, B) pair's verdicts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cell {
    pub a: u64,
    pub b: u64,
    /// The program's error name when genesis refused the pair.
    pub refused: Option<String>,
    /// The strategy with the largest excess over its alternative, and that excess (tokens, base units).
    pub worst_strategy: String,
    pub worst_excess: i128,
    pub violations: usize,
    pub staker_yield_pct: f64,
    /// Highest price ratio of the lower-usage run to the main run.
    pub price_ratio: f64,
    pub passed: bool,
}

impl Cell {
    fn of(o: Result<&Outcome, &str>) -> Cell {
        let mut c = Cell {
            a: 0,
            b: 0,
            refused: None,
            worst_strategy: String::new(),
            worst_excess: 0,
            violations: 0,
            staker_yield_pct: 0.0,
            price_ratio: 0.0,
            passed: false,
        };
        match o {
            Err(name) => c.refused = Some(name.to_string()),
            Ok(o) => {
                if let Some(w) = o.verdicts.extraction.iter().max_by_key(|e| e.excess) {
                    (c.worst_strategy, c.worst_excess) = (w.agent.clone(), w.excess);
                }
                c.violations = o.verdicts.coherence.len();
                c.staker_yield_pct = sweep::staker_yield_pct(o);
                c.price_ratio = o.verdicts.price.lower.max_ratio;
                c.passed = o.scorecard.passed;
            }
        }
        c
    }
}

/// The verdicts a map draws: key, file, title, and the threshold above
/// which a cell is on the wrong side (none: no side is wrong).
pub const METRICS: [(&str, &str, &str, Option<f64>); 4] = [
    (
        "extraction",
        "heatmap-extraction.svg",
        "extraction margin of the worst strategy (tokens; > 0 extracts)",
        Some(0.0),
    ),
    (
        "violations",
        "heatmap-violations.svg",
        "coherence violations (epochs a class earned more with less usage)",
        Some(0.0),
    ),
    ("staker_yield", "heatmap-staker-yield.svg", "honest stakers' yield over the run (% of capital)", None),
    (
        "price_ratio",
        "heatmap-price-ratio.svg",
        "highest price ratio, lower-usage run / main run (> 1: incoherent)",
        Some(1.0),
    ),
];

/// A parameter map.
#[derive(Clone, Debug, Serialize)]
pub struct Map {
    pub scenario: String,
    pub agents: u32,
    pub epochs: u64,
    pub param_a: String,
    pub param_b: String,
    pub a_values: Vec<u64>,
    pub b_values: Vec<u64>,
    /// Row-major: for each A value, each B value.
    pub cells: Vec<Cell>,
    /// The recommended parameters' (A, B) values.
    pub recommended: (u64, u64),
}

/// A parameter's value in `p`, by name.
fn value_of(p: &coherence::math::Params, name: &str) -> u64 {
    coherence_sdk::params::to_json(p)[name].as_u64().unwrap_or(0)
}

/// Runs `base` on every (A, B) pair of `grid` on up to `threads` threads.
pub fn run(
    base: &Scenario,
    grid: &Grid,
    threads: usize,
    done: &(dyn Fn(usize, usize) + Sync),
) -> Result<Map, SimError> {
    let (a, b) = (&grid.a, &grid.b);
    let pairs: Vec<(u64, u64)> = a.values.iter().flat_map(|&x| b.values.iter().map(move |&y| (x, y))).collect();
    let settings = pairs.iter().map(|&(x, y)| vec![(a.param.clone(), x), (b.param.clone(), y)]).collect();
    let cells = sweep::each(base, settings, threads, done, Cell::of)?;
    let rec = recommended_params();
    Ok(Map {
        scenario: base.name.clone(),
        agents: base.population.agents(),
        epochs: base.epochs,
        param_a: a.param.clone(),
        param_b: b.param.clone(),
        a_values: a.values.clone(),
        b_values: b.values.clone(),
        cells: pairs.iter().zip(cells).map(|(&(x, y), c)| Cell { a: x, b: y, ..c }).collect(),
        recommended: (value_of(&rec, &a.param), value_of(&rec, &b.param)),
    })
}

impl Map {
    /// `metric`'s value in `cell` (none when genesis refused it).
    pub fn value(cell: &Cell, metric: &str) -> Option<f64> {
        if cell.refused.is_some() {
            return None;
        }
        Some(match metric {
            "extraction" => cell.worst_excess as f64 / TOKEN as f64,
            "violations" => cell.violations as f64,
            "staker_yield" => cell.staker_yield_pct,
            _ => cell.price_ratio,
        })
    }

    /// The cell of (a, b).
    pub fn cell(&self, a: u64, b: u64) -> Option<&Cell> {
        self.cells.iter().find(|c| c.a == a && c.b == b)
    }

    /// `metric`'s value formatted for a cell.
    fn label(v: f64, metric: &str) -> String {
        match metric {
            "extraction" => short(v),
            "violations" => format!("{v:.0}"),
            "staker_yield" => format!("{v:.1} %"),
            _ => format!("{v:.4}"),
        }
    }

    /// One verdict as a Markdown grid: rows are A's values, columns B's;
    /// the recommended cell in bold.
    pub fn table(&self, metric: &str) -> String {
        let mut s = format!("| {} \\ {} |", self.param_a, self.param_b);
        for b in &self.b_values {
            s += &format!(" {b} |");
        }
        s += &format!("\n|---|{}\n", "---:|".repeat(self.b_values.len()));
        for &a in &self.a_values {
            s += &format!("| {a} |");
            for &b in &self.b_values {
                let Some(c) = self.cell(a, b) else { continue };
                let text = match (&c.refused, Map::value(c, metric)) {
                    (Some(e), _) => format!("`{e}`"),
                    (None, Some(v)) => Map::label(v, metric),
                    (None, None) => String::new(),
                };
                if (a, b) == self.recommended {
                    s += &format!(" **{text}** |");
                } else {
                    s += &format!(" {text} |");
                }
            }
            s += "\n";
        }
        s
    }

    /// Every verdict's grid as text, with what each is.
    pub fn text(&self) -> String {
        let mut s = format!(
            "parameter map: {}, {} agents, {} epochs; rows {}, columns {}; recommended ({}, {}) in bold{}\n",
            self.scenario,
            self.agents,
            self.epochs,
            self.param_a,
            self.param_b,
            self.recommended.0,
            self.recommended.1,
            if self.cell(self.recommended.0, self.recommended.1).is_some() { "" } else { " (off the grid)" }
        );
        for (key, _, title, _) in METRICS {
            s += &format!("\n{title}:\n\n{}", self.table(key));
        }
        let passed = self.cells.iter().filter(|c| c.passed).count();
        s += &format!("\nscorecard passed in {passed} of {} cells\n", self.cells.len());
        s
    }

    /// The heatmap of `metric` as SVG.
    pub fn svg(&self, metric: &str) -> Result<String, String> {
        let (_, _, title, threshold) =
            METRICS.iter().find(|m| m.0 == metric).ok_or_else(|| format!("no metric {metric}"))?;
        let values: Vec<f64> = self.cells.iter().filter_map(|c| Map::value(c, metric)).collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min).min(threshold.unwrap_or(f64::INFINITY));
        let hi = values.iter().copied().fold(f64::NEG_INFINITY, f64::max).max(threshold.unwrap_or(f64::NEG_INFINITY));
        let (lo, hi) = if lo.is_finite() && hi.is_finite() { (lo, hi) } else { (0.0, 1.0) };
        let scale = Scale { lo, hi, threshold: *threshold };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (960, 640)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            let (main, bar) = root.split_horizontally(820);
            self.draw_cells(&main, metric, title, &scale)?;
            draw_scale(&bar, &scale, metric)?;
            root.present().map_err(err)?;
        }
        Ok(svg)
    }

    fn draw_cells(
        &self,
        area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
        metric: &str,
        title: &str,
        scale: &Scale,
    ) -> Result<(), String> {
        let (na, nb) = (self.a_values.len() as u32, self.b_values.len() as u32);
        let caption = format!("{}: {title}", self.scenario);
        let mut chart = ChartBuilder::on(area)
            .caption(caption, ("sans-serif", 17))
            .margin(14)
            .x_label_area_size(44)
            .y_label_area_size(70)
            .build_cartesian_2d((0u32..na).into_segmented(), (0u32..nb).into_segmented())
            .map_err(err)?;
        let (a_values, b_values) = (&self.a_values, &self.b_values);
        let recommended_note = if self.cell(self.recommended.0, self.recommended.1).is_some() {
            "outlined: recommended"
        } else {
            "recommended: off the grid"
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .label_style(("sans-serif", 15))
            .axis_desc_style(("sans-serif", 16))
            .x_desc(format!("{} ({recommended_note}; {} agents, {} epochs)", self.param_a, self.agents, self.epochs))
            .y_desc(self.param_b.clone())
            .x_labels(na as usize)
            .y_labels(nb as usize)
            .x_label_formatter(&|v| seg(v, a_values))
            .y_label_formatter(&|v| seg(v, b_values))
            .draw()
            .map_err(err)?;
        for (i, &a) in self.a_values.iter().enumerate() {
            for (j, &b) in self.b_values.iter().enumerate() {
                let Some(c) = self.cell(a, b) else { continue };
                let (i, j) = (i as u32, j as u32);
                let corners = [
                    (SegmentValue::Exact(i), SegmentValue::Exact(j)),
                    (SegmentValue::Exact(i + 1), SegmentValue::Exact(j + 1)),
                ];
                let (fill, text) = match (&c.refused, Map::value(c, metric)) {
                    (Some(e), _) => (RGBColor(200, 200, 200), format!("refused: {e}")),
                    (None, Some(v)) => (scale.colour(v), Map::label(v, metric)),
                    (None, None) => (WHITE, String::new()),
                };
                chart.draw_series(std::iter::once(Rectangle::new(corners.clone(), fill.filled()))).map_err(err)?;
                chart
                    .draw_series(std::iter::once(Rectangle::new(corners.clone(), WHITE.stroke_width(1))))
                    .map_err(err)?;
                let ink = if luminance(fill) < 0.45 { WHITE } else { BLACK };
                let style = TextStyle::from(("sans-serif", 18).into_font())
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                let at = (SegmentValue::CenterOf(i), SegmentValue::CenterOf(j));
                chart.draw_series(std::iter::once(Text::new(text, at, style))).map_err(err)?;
                if (a, b) == self.recommended {
                    let (x0, y0, x1, y1) = (
                        SegmentValue::Exact(i),
                        SegmentValue::Exact(j),
                        SegmentValue::Exact(i + 1),
                        SegmentValue::Exact(j + 1),
                    );
                    let outline = vec![
                        (x0.clone(), y0.clone()),
                        (x1.clone(), y0.clone()),
                        (x1.clone(), y1.clone()),
                        (x0.clone(), y1),
                        (x0, y0),
                    ];
                    chart
                        .draw_series(std::iter::once(PathElement::new(outline, BLACK.stroke_width(4))))
                        .map_err(err)?;
                }
            }
        }
        Ok(())
    }
}

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn seg(v: &SegmentValue<u32>, values: &[u64]) -> String {
    match v {
        SegmentValue::CenterOf(i) => values.get(*i as usize).map_or(String::new(), u64::to_string),
        _ => String::new(),
    }
}

fn luminance(c: RGBColor) -> f64 {
    (0.299 * f64::from(c.0) + 0.587 * f64::from(c.1) + 0.114 * f64::from(c.2)) / 255.0
}

fn blend(a: (u8, u8, u8), b: (u8, u8, u8), t: f64) -> RGBColor {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The colour scale: with a threshold, greens on the safe side (deeper the
/// farther from it) and reds beyond it; without one, light to dark blue.
struct Scale {
    lo: f64,
    hi: f64,
    threshold: Option<f64>,
}

impl Scale {
    fn colour(&self, v: f64) -> RGBColor {
        match self.threshold {
            Some(t) if v > t => blend((252, 187, 161), (165, 15, 21), (v - t) / (self.hi - t)),
            Some(t) => blend((229, 245, 224), (0, 109, 44), if t > self.lo { (t - v) / (t - self.lo) } else { 0.0 }),
            None => blend((222, 235, 247), (8, 69, 148), (v - self.lo) / (self.hi - self.lo)),
        }
    }
}

fn draw_scale(
    area: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    scale: &Scale,
    metric: &str,
) -> Result<(), String> {
    let (lo, hi) = (scale.lo, if scale.hi > scale.lo { scale.hi } else { scale.lo + 1.0 });
    let mut chart = ChartBuilder::on(area)
        .margin_top(50)
        .margin_bottom(58)
        .margin_right(8)
        .y_label_area_size(70)
        .build_cartesian_2d(0f64..1f64, lo..hi)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .label_style(("sans-serif", 14))
        .y_labels(6)
        .y_label_formatter(&|v| Map::label(*v, metric))
        .draw()
        .map_err(err)?;
    let steps = 60;
    let step = (hi - lo) / steps as f64;
    chart
        .draw_series((0..steps).map(|k| {
            let y = lo + step * k as f64;
            Rectangle::new([(0.0, y), (1.0, y + step)], scale.colour(y + step / 2.0).filled())
        }))
        .map_err(err)?;
    if let Some(t) = scale.threshold.filter(|t| (lo..=hi).contains(t)) {
        chart
            .draw_series(std::iter::once(PathElement::new(vec![(0.0, t), (1.0, t)], BLACK.stroke_width(2))))
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_parse_and_a_large_one_is_refused_by_name() {
        let g = Grid::parse("alpha_bps=1000:9000:4000,gate_bps=5000:10000:2500").unwrap();
        assert_eq!((g.a.values.len(), g.b.values.len()), (3, 3));
        assert_eq!(Grid::parse("alpha_bps=1:11:1,gate_bps=1:10:1"), Err(GridError::TooLarge { cells: 110 }));
        assert!(GridError::TooLarge { cells: 110 }.to_string().contains("grid too large"));
        assert!(matches!(Grid::parse("alpha_bps=1:2:1,alpha_bps=1:2:1"), Err(GridError::SameParameter(_))));
        assert!(matches!(Grid::parse("alpha_bps=1:2:1"), Err(GridError::Spec(_))));
        assert!(
            matches!(Grid::parse("alpha_bps=1:2:1,beta=1:2:1"), Err(GridError::Spec(e)) if e.contains("unknown parameter"))
        );
    }

    #[test]
    fn a_map_draws_one_cell_per_pair_with_its_value_and_marks_the_recommended_one() {
        let cell = |a, b, excess: i128| Cell {
            a,
            b,
            refused: None,
            worst_strategy: "wash coalition".into(),
            worst_excess: excess * TOKEN as i128,
            violations: 0,
            staker_yield_pct: 1.0,
            price_ratio: 0.5,
            passed: true,
        };
        let mut cells = vec![cell(5_000, 9_000, -7), cell(5_000, 10_000, -3), cell(6_000, 9_000, 2)];
        cells.push(Cell { refused: Some("GateOutOfBounds".into()), ..cell(6_000, 10_000, 0) });
        let map = Map {
            scenario: "growth".into(),
            agents: 20,
            epochs: 4,
            param_a: "alpha_bps".into(),
            param_b: "gate_bps".into(),
            a_values: vec![5_000, 6_000],
            b_values: vec![9_000, 10_000],
            cells,
            recommended: (5_000, 9_000),
        };
        let svg = map.svg("extraction").unwrap();
        for text in ["-7", "-3", "2", "refused: GateOutOfBounds", "alpha_bps", "outlined: recommended"] {
            assert!(svg.contains(text), "{text} missing");
        }
        assert!(svg.contains("stroke-width=\"4\""), "the recommended cell is outlined");
        let table = map.table("extraction");
        assert!(table.contains("| 5000 | **-7** | -3 |") && table.contains("`GateOutOfBounds`"), "{table}");
    }
}
