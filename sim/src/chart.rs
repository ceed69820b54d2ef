//! SVG charts drawn with `plotters`: of a run, usage against its baseline
//! and the emission it allowed, supply over time, the reward per unit of
//! staking weight, and each agent's net as bars; of a scenario, the price in
//! each of its runs; of a Monte Carlo run, bands (P5–P95 shaded, P50 line).
//! Parameter maps draw themselves ([`crate::heatmap`]).

use crate::agent::Class;
use crate::montecarlo::{Band, MonteCarlo};
use crate::report::{short, AgentRow, Run};
use crate::scenario::TOKEN;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

/// A labelled line: (legend label, colour, points).
type Line = (&'static str, RGBColor, Vec<(f64, f64)>);
type Area<'b> = DrawingArea<SVGBackend<'b>, plotters::coord::Shift>;
type Chart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Chart file names, each with what it shows.
pub const CHARTS: [(&str, &str); 4] = [
    ("usage.svg", "usage, its baseline, the gate line and the emission it allowed, per epoch"),
    ("supply.svg", "token supply after each epoch, against the max supply"),
    ("reward.svg", "rewards released per 100 tokens of staking weight, per epoch"),
    ("agents.svg", "net of each strategic agent next to its honest twin, and of each honest class's average agent"),
];

fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

fn tok(v: u64) -> f64 {
    v as f64 / TOKEN as f64
}

/// Every chart of `run`, as (file name, SVG text).
pub fn all(run: &Run) -> Result<Vec<(&'static str, String)>, String> {
    let mut out = Vec::new();
    for (k, (name, _)) in CHARTS.iter().enumerate() {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (960, 440)).into_drawing_area();
            root.fill(&WHITE).map_err(err)?;
            match k {
                0 => usage(run, &root)?,
                1 => supply(run, &root)?,
                2 => reward(run, &root)?,
                _ => agents(run, &root)?,
            }
            root.present().map_err(err)?;
        }
        out.push((*name, svg));
    }
    Ok(out)
}

fn line_chart<'a, 'b: 'a>(
    root: &'a Area<'b>,
    title: &str,
    epochs: usize,
    y_max: f64,
    y_desc: &str,
) -> Result<Chart<'a, 'b>, String> {
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..epochs.max(1) as f64, 0f64..(y_max * 1.1).max(1.0))
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc("epoch")
        .y_desc(y_desc)
        .light_line_style(WHITE)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| short(*y))
        .draw()
        .map_err(err)?;
    Ok(chart)
}

fn legend<'a, 'b: 'a>(chart: &mut Chart<'a, 'b>) -> Result<(), String> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK.mix(0.3))
        .draw()
        .map_err(err)
}

fn series(run: &Run, f: impl Fn(&crate::report::EpochRow) -> f64) -> Vec<(f64, f64)> {
    run.rows.iter().map(|r| (r.epoch as f64, f(r))).collect()
}

fn usage<'a, 'b: 'a>(run: &Run, root: &'a Area<'b>) -> Result<(), String> {
    let max = run.rows.iter().map(|r| tok(r.usage.max(r.baseline))).fold(0.0, f64::max);
    let title = format!("{}: usage, baseline and emission per epoch", run.scenario.name);
    let mut chart = line_chart(root, &title, run.rows.len(), max, "tokens")?;
    let gate = run.scenario.params.gate_bps as f64 / 10_000.0;
    let lines: [Line; 4] = [
        ("usage burned", BLUE, series(run, |r| tok(r.usage))),
        ("baseline (EMA of 3-epoch medians)", RGBColor(120, 120, 120), series(run, |r| tok(r.baseline))),
        ("gate: baseline x gate", RGBColor(230, 140, 0), series(run, |r| tok(r.baseline) * gate)),
        ("emission (minted)", RGBColor(0, 150, 60), series(run, |r| tok(r.emission))),
    ];
    for (label, color, points) in lines {
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))
            .map_err(err)?
            .label(label)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
    }
    let failed = run
        .rows
        .iter()
        .filter(|r| !r.gate_passed && r.usage > 0)
        .map(|r| Cross::new((r.epoch as f64, tok(r.usage)), 4, RED.stroke_width(2)));
    chart
        .draw_series(failed)
        .map_err(err)?
        .label("gate failed: no emission")
        .legend(|(x, y)| Cross::new((x + 9, y), 4, RED.stroke_width(2)));
    legend(&mut chart)
}

fn supply<'a, 'b: 'a>(run: &Run, root: &'a Area<'b>) -> Result<(), String> {
    let max = tok(crate::scenario::MAX_SUPPLY);
    let mut chart = line_chart(
        root,
        &format!("{}: supply (usage burns it, emission mints it)", run.scenario.name),
        run.rows.len(),
        max,
        "tokens",
    )?;
    let s = series(run, |r| tok(r.supply));
    chart
        .draw_series(LineSeries::new(s, BLUE.stroke_width(2)))
        .map_err(err)?
        .label("supply")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], BLUE));
    let cap = vec![(0.0, max), (run.rows.len() as f64, max)];
    chart
        .draw_series(LineSeries::new(cap, RED.stroke_width(1)))
        .map_err(err)?
        .label("max supply")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], RED));
    legend(&mut chart)
}

fn reward<'a, 'b: 'a>(run: &Run, root: &'a Area<'b>) -> Result<(), String> {
    let max = run.rows.iter().map(|r| r.reward_per_weight_pct).fold(0.0, f64::max);
    let title = format!("{}: rewards released per 100 tokens of weight", run.scenario.name);
    let mut chart = line_chart(root, &title, run.rows.len(), max, "% per epoch")?;
    let s = series(run, |r| r.reward_per_weight_pct);
    let color = RGBColor(0, 150, 60);
    chart
        .draw_series(LineSeries::new(s, color.stroke_width(2)))
        .map_err(err)?
        .label("reward / weight")
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color));
    legend(&mut chart)
}

/// Bars: each honest class's average agent, then strategic agents next
/// to their twins; net in tokens.
fn bars(run: &Run) -> Vec<(String, f64, RGBColor)> {
    let mut out = Vec::new();
    for class in [Class::User, Class::Staker, Class::Builder, Class::Insider, Class::GatedInsider] {
        let rows: Vec<&AgentRow> = run.agents.iter().filter(|a| a.class == class).collect();
        if !rows.is_empty() {
            let net: i128 = rows.iter().map(|a| a.net).sum();
            let avg = net as f64 / rows.len() as f64 / TOKEN as f64;
            out.push((format!("{} (avg of {})", class.plural(), rows.len()), avg, RGBColor(110, 110, 110)));
        }
    }
    for a in run.agents.iter().filter(|a| matches!(a.class, Class::Strategic | Class::Twin)) {
        let color = if a.class == Class::Twin { RGBColor(0, 150, 60) } else { RGBColor(220, 40, 40) };
        out.push((a.name.clone(), a.net as f64 / TOKEN as f64, color));
    }
    out
}

fn agents<'a, 'b: 'a>(run: &Run, root: &'a Area<'b>) -> Result<(), String> {
    let data = bars(run);
    let lo = data.iter().map(|d| d.1).fold(0.0, f64::min);
    let hi = data.iter().map(|d| d.1).fold(0.0, f64::max);
    let pad = ((hi - lo) * 0.08).max(1.0);
    let n = data.len() as u32;
    let title = format!("{}: net of each agent (received - paid), tokens", run.scenario.name);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(150)
        .build_cartesian_2d((lo - pad)..(hi + pad), (0u32..n.saturating_sub(1).max(1)).into_segmented())
        .map_err(err)?;
    let names: Vec<String> = data.iter().map(|d| d.0.clone()).collect();
    chart
        .configure_mesh()
        .disable_y_mesh()
        .light_line_style(WHITE)
        .x_label_formatter(&|x| short(*x))
        .x_desc("net tokens (red: strategic agent; green: its honest twin, same capital)")
        .y_labels(n as usize)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => names.get(*i as usize).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .draw()
        .map_err(err)?;
    chart
        .draw_series(data.iter().enumerate().map(|(i, (_, v, c))| {
            let i = i as u32;
            let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(i)), (*v, SegmentValue::Exact(i + 1))], c.filled());
            bar.set_margin(3, 3, 0, 0);
            bar
        }))
        .map_err(err)?;
    Ok(())
}

/// Writes every chart of `run` into `dir`.
pub fn write(run: &Run, dir: &std::path::Path) -> Result<Vec<std::path::PathBuf>, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut paths = Vec::new();
    for (name, svg) in all(run)? {
        let path = dir.join(name);
        std::fs::write(&path, svg).map_err(|e| format!("{}: {e}", path.display()))?;
        paths.push(path);
    }
    Ok(paths)
}

/// The price at each close of a scenario's runs: main, lower-usage and
/// zero-usage (no speculators), and with speculators when it has them.
pub fn price(o: &crate::Outcome) -> Result<String, String> {
    let mut runs: Vec<(&'static str, RGBColor, &Run)> = vec![
        ("main run", BLUE, &o.main),
        ("lower and volatile usage", RGBColor(230, 140, 0), &o.lower),
        ("zero usage", RGBColor(120, 120, 120), &o.zero),
    ];
    if let Some(s) = &o.speculative {
        runs.push(("main run with speculators", RGBColor(200, 30, 120), s));
    }
    let max = runs.iter().flat_map(|(_, _, r)| r.rows.iter().map(|x| x.price)).fold(0.0, f64::max);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let title = format!("{}: price at each close (quote per token)", o.main.scenario.name);
        let mut chart = line_chart(&root, &title, o.main.rows.len(), max, "quote per token")?;
        for (label, color, run) in runs {
            chart
                .draw_series(LineSeries::new(series(run, |r| r.price), color.stroke_width(2)))
                .map_err(err)?
                .label(label)
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Bands: P5–P95 shaded, P50 as a line, for each (label, colour, band).
fn bands_chart(title: &str, y_desc: &str, bands: &[(&str, RGBColor, &Band)]) -> Result<String, String> {
    let epochs = bands.iter().map(|b| b.2.p50.len()).max().unwrap_or(0);
    let max = bands.iter().flat_map(|b| b.2.p95.iter().copied()).fold(f64::MIN, f64::max);
    let min = bands.iter().flat_map(|b| b.2.p5.iter().copied()).fold(f64::MAX, f64::min);
    let (min, max) = if min <= max { (min, max) } else { (0.0, 1.0) };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 440)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let pad = ((max - min) * 0.1).max(1e-9);
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(80)
            .build_cartesian_2d(0f64..epochs.max(1) as f64, (min - pad)..(max + pad))
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("epoch")
            .y_desc(y_desc)
            .light_line_style(WHITE)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .y_label_formatter(&|y| if max < 100.0 { format!("{y:.2}") } else { short(*y) })
            .draw()
            .map_err(err)?;
        for &(label, color, band) in bands {
            let upper = band.p95.iter().enumerate().map(|(e, v)| (e as f64, *v));
            let lower = band.p5.iter().enumerate().rev().map(|(e, v)| (e as f64, *v));
            let outline: Vec<(f64, f64)> = upper.chain(lower).collect();
            chart.draw_series(std::iter::once(Polygon::new(outline, color.mix(0.22).filled()))).map_err(err)?;
            let p50 = band.p50.iter().enumerate().map(|(e, v)| (e as f64, *v));
            chart
                .draw_series(LineSeries::new(p50, color.stroke_width(2)))
                .map_err(err)?
                .label(format!("{label}: P50 (band P5-P95)"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], color.stroke_width(2)));
        }
        legend(&mut chart)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// Monte Carlo chart file names, each with what it shows.
pub const BAND_CHARTS: [(&str, &str); 4] = [
    ("price-bands.svg", "price at each close across the seeds (and with speculators when on)"),
    ("usage-bands.svg", "usage and emission per epoch across the seeds"),
    ("supply-bands.svg", "supply after each close across the seeds"),
    ("nets-bands.svg", "each earning class's realized cumulative net in quote across the seeds"),
];

/// Every band chart of a Monte Carlo run, as (file name, SVG text).
pub fn bands(mc: &MonteCarlo) -> Result<Vec<(&'static str, String)>, String> {
    let title = |what: &str| format!("{}: {what}, {} seeds (P5-P95 shaded, P50 line)", mc.scenario.name, mc.runs.len());
    let get = |m: &str| mc.band(m).ok_or_else(|| format!("no band {m}"));
    let mut price = vec![("price", BLUE, get("price")?)];
    if let Some(b) = mc.band("price with speculators") {
        price.push(("with speculators", RGBColor(200, 30, 120), b));
    }
    let flows = [("usage", BLUE, get("usage")?), ("emission", RGBColor(0, 150, 60), get("emission")?)];
    let supply = [("supply", BLUE, get("supply")?)];
    let palette = [BLUE, RGBColor(0, 150, 60), RGBColor(230, 140, 0), RGBColor(120, 120, 120), RGBColor(150, 60, 200)];
    let nets: Vec<(&str, RGBColor, &Band)> =
        [Class::User, Class::Staker, Class::Builder, Class::Insider, Class::GatedInsider]
            .iter()
            .filter_map(|c| mc.band(&format!("net in quote: {}", c.plural())).map(|b| (c.plural(), b)))
            .zip(palette)
            .map(|((label, b), color)| (label, color, b))
            .collect();
    Ok(vec![
        ("price-bands.svg", bands_chart(&title("price at each close"), "quote per token", &price)?),
        ("usage-bands.svg", bands_chart(&title("usage and emission"), "tokens", &flows)?),
        ("supply-bands.svg", bands_chart(&title("supply"), "tokens", &supply)?),
        ("nets-bands.svg", bands_chart(&title("realized net of each earning class"), "quote", &nets)?),
    ])
}
