//! `coherence simulate` as a process: the list, a small run with every
//! output file and its scorecard, a sweep that reports a refused value by
//! the program's error name, a parameter map and its cap, Monte Carlo on
//! two threads, speculators, a market where usage brings no buyer failing
//! the price criterion, a usage CSV, a parameter file the program refuses by
//! name, and bad input refused with a clear message.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_coherence")).arg("simulate").args(args).output().expect("run coherence")
}

fn ok(args: &[&str]) -> String {
    let out = run(args);
    assert!(out.status.success(), "simulate {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf8")
}

fn fails(args: &[&str], message: &str) {
    let out = run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "simulate {args:?} unexpectedly succeeded");
    assert!(stderr.contains(message), "simulate {args:?}: expected {message:?} in:\n{stderr}");
}

fn lines(path: &Path) -> usize {
    std::fs::read_to_string(path).expect("file").lines().count()
}

#[test]
fn list_names_every_built_in_scenario() {
    let out = ok(&["--list"]);
    for name in ["growth", "plateau", "decline", "crash", "shock", "seasonal", "zero", "wash"] {
        assert!(out.lines().any(|l| l.starts_with(name)), "{name} missing:\n{out}");
    }
}

#[test]
fn a_small_run_writes_tables_json_and_charts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = ok(&[
        "--scenario",
        "plateau",
        "--epochs",
        "4",
        "--agents",
        "20",
        "--out",
        dir.path().to_str().unwrap(),
        "--output",
        "json",
    ]);
    let o: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    assert_eq!(o["main"]["rows"].as_array().unwrap().len(), 4);
    assert_eq!(o["main"]["agents"].as_array().unwrap().len(), 20);
    assert_eq!(o["verdicts"]["extraction"].as_array().unwrap().len(), 6);
    assert!(o["verdicts"]["coherence"].as_array().unwrap().is_empty());
    assert_eq!(lines(&dir.path().join("epochs.csv")), 5);
    assert_eq!(lines(&dir.path().join("agents.csv")), 21);
    for chart in ["usage.svg", "supply.svg", "reward.svg", "agents.svg", "price.svg"] {
        assert!(std::fs::read_to_string(dir.path().join(chart)).expect(chart).starts_with("<svg"), "{chart}");
    }
    // The market: a price at every close, every trade logged, the scorecard.
    assert!(o["main"]["rows"][3]["price"].as_f64().unwrap() > 0.0);
    let trades = o["main"]["trades"].as_array().unwrap().len();
    assert!(trades > 0 && lines(&dir.path().join("trades.csv")) == trades + 1);
    assert_eq!(o["scorecard"]["passed"], true);
    assert_eq!(o["scorecard"]["criteria"].as_array().unwrap().len(), 4);
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("outcome.json")).unwrap()).unwrap();
    assert_eq!(saved["scorecard"], o["scorecard"]);
    let text = ok(&["--scenario", "plateau", "--epochs", "3", "--agents", "20"]);
    assert!(text.contains("extraction") && text.contains("no class earned more with less usage"), "{text}");
    assert!(text.contains("scorecard: PASS") && text.contains("never above main with less usage"), "{text}");
}

#[test]
fn monte_carlo_repeats_over_seeds_on_threads_and_draws_bands() {
    let dir = tempfile::tempdir().expect("tempdir");
    let args = ["--scenario", "shock", "--epochs", "4", "--agents", "20", "--runs", "3", "--threads", "2"];
    let out = ok(&[&args[..], &["--seed", "4", "--out", dir.path().to_str().unwrap(), "--output", "json"]].concat());
    let mc: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    let seeds: Vec<u64> = mc["runs"].as_array().unwrap().iter().map(|r| r["seed"].as_u64().unwrap()).collect();
    assert_eq!(seeds, vec![4, 5, 6]);
    assert_eq!((mc["threads"].as_u64(), mc["passed"].as_u64()), (Some(2), Some(3)));
    let price = mc["bands"].as_array().unwrap().iter().find(|b| b["metric"] == "price").expect("price band");
    assert_eq!(price["p50"].as_array().unwrap().len(), 4);
    for chart in ["price-bands.svg", "usage-bands.svg", "supply-bands.svg", "nets-bands.svg"] {
        assert!(std::fs::read_to_string(dir.path().join(chart)).expect(chart).contains("P5-P95"), "{chart}");
    }
    let text = ok(&args);
    assert!(text.contains("scorecard passed for 3 of 3 seeds") && text.contains("at once on average"), "{text}");
}

#[test]
fn a_two_parameter_sweep_draws_a_heatmap_per_verdict_and_a_large_grid_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sweep = "alpha_bps=3000:5000:2000,gate_bps=9000:11000:2000";
    let args = ["--epochs", "3", "--agents", "20", "--threads", "2", "--sweep", sweep];
    let out = ok(&[&args[..], &["--out", dir.path().to_str().unwrap()]].concat());
    assert!(out.contains("parameter map") && out.contains("`GateOutOfBounds`"), "{out}");
    assert!(out.contains("| alpha_bps \\ gate_bps | 9000 | 11000 |"), "{out}");
    for file in
        ["heatmap-extraction.svg", "heatmap-violations.svg", "heatmap-staker-yield.svg", "heatmap-price-ratio.svg"]
    {
        let svg = std::fs::read_to_string(dir.path().join(file)).expect(file);
        assert!(svg.contains("refused: GateOutOfBounds") && svg.contains("outlined: recommended"), "{file}");
    }
    let map: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("map.json")).unwrap()).unwrap();
    assert_eq!(map["cells"].as_array().unwrap().len(), 4);
    fails(&["--sweep", "alpha_bps=1000:6000:500,gate_bps=1000:10000:1000"], "grid too large: 110 cells");
    fails(&["--sweep", "alpha_bps=1000:2000:500,alpha_bps=1:2:1"], "two different parameters");
}

#[test]
fn speculators_run_beside_the_paired_runs() {
    let args = ["--scenario", "decline", "--epochs", "6", "--agents", "20", "--output", "json"];
    let out =
        ok(&[&args[..], &["--speculators", "momentum=2,mean-reverting", "--speculator-quote", "1000000"]].concat());
    let o: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    let agents = o["speculative"]["agents"].as_array().unwrap();
    assert_eq!(agents.iter().filter(|a| a["class"] == "speculator").count(), 3);
    assert_eq!(o["main"]["agents"].as_array().unwrap().len(), 20, "the paired runs have no speculators");
    assert_eq!(o["verdicts"]["speculation"]["traders"], 3);
    fails(&["--speculators", "whale"], "unknown speculator whale");
    fails(&["--speculators", "momentum=0"], "the count must be 1..=20");
}

/// Users burning an airdrop bring no buyer; with α at its bound and all
/// emission sold, the lower-usage run's price ends above the main run's:
/// the scorecard fails on the price criterion and the exit code says so.
#[test]
fn a_market_where_usage_brings_no_buyer_fails_the_price_criterion() {
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("params.json");
    std::fs::write(&params, r#"{"alpha_bps": 9000, "stakers_bps": 8000, "builders_bps": 2000, "treasury_bps": 0}"#)
        .unwrap();
    let args = ["--scenario", "plateau", "--epochs", "40", "--agents", "20", "--airdropped-usage"];
    let out = run(&[&args[..], &["--staker-sell-bps", "10000", "--params", params.to_str().unwrap()]].concat());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{text}");
    assert!(text.contains("scorecard: FAIL") && text.contains("[FAIL] the price is never higher"), "{text}");
    assert!(text.contains("[pass] no strategy beats its honest alternative"), "{text}");
}

#[test]
fn a_sweep_tabulates_each_value_and_names_a_refused_one() {
    let out = ok(&["--scenario", "growth", "--epochs", "3", "--agents", "20", "--sweep", "alpha_bps=8000:10000:1000"]);
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| ") && !l.starts_with("| alpha")).collect();
    assert_eq!(rows.len(), 3, "{out}");
    assert!(rows[0].starts_with("| 8000 |") && !rows[0].contains("refused"), "{out}");
    assert!(rows[2].contains("refused at genesis: `AlphaOutOfBounds`"), "{out}");
}

#[test]
fn a_usage_csv_sets_the_epochs_and_the_usage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let csv = dir.path().join("usage.csv");
    std::fs::write(&csv, "epoch,usage\n0,100000\n1,250000.5\n2,0\n").unwrap();
    let out =
        ok(&["--scenario", "plateau", "--agents", "20", "--usage-csv", csv.to_str().unwrap(), "--output", "json"]);
    let o: serde_json::Value = serde_json::from_str(out.trim()).expect("json");
    let plan: Vec<u64> = o["main"]["usage_plan"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap()).collect();
    assert_eq!(plan, vec![100_000_000_000, 250_000_500_000, 0]);
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "1\nmany\n").unwrap();
    fails(&["--usage-csv", bad.to_str().unwrap()], "line 2: not a number");
}

/// The formerly incoherent gate (150 %) is refused by the program at
/// genesis, by name, and the simulator says so.
#[test]
fn a_gate_above_100_percent_is_refused_by_name() {
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("params.json");
    let json = r#"{"gate_bps": 15000, "stakers_bps": 6000, "treasury_bps": 2000, "min_vesting_cliff": 86400, "min_vesting_duration": 2592000}"#;
    std::fs::write(&params, json).unwrap();
    let args = ["--scenario", "plateau", "--epochs", "30", "--agents", "20", "--params", params.to_str().unwrap()];
    fails(&args, "genesis refused the scenario: GateOutOfBounds");
}

#[test]
fn bad_input_is_named() {
    fails(&["--scenario", "moon"], "unknown scenario moon");
    fails(&["--sweep", "beta=1:2:1"], "unknown parameter beta");
    fails(&["--sweep", "alpha_bps=5:1:1"], "FROM <= TO");
    fails(&["--epochs", "0"], "--epochs must be 1..=520");
    fails(&["--runs", "0"], "--runs must be 1..=1000");
    fails(&["--threads", "0", "--runs", "2"], "--threads must be at least 1");
    fails(&["--fee-bps", "10000"], "--fee-bps must be below 10000");
    fails(&["--staker-sell-bps", "10001"], "--staker-sell-bps must be 0..=10000");
    fails(&["--price", "0"], "--price must be between");
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("p.json");
    std::fs::write(&params, r#"{"alpha_bps": "high"}"#).unwrap();
    fails(&["--params", params.to_str().unwrap()], "alpha_bps: expected a non-negative integer");
    std::fs::write(&params, r#"{"alpha_bps": 9500}"#).unwrap();
    fails(&["--params", params.to_str().unwrap(), "--epochs", "2"], "AlphaOutOfBounds");
}
