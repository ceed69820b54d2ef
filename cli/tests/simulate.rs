//! `coherence simulate` as a process: the list, a small run with every
//! output file, a sweep that reports a refused value by the program's error
//! name, a usage CSV, a parameter file the program refuses by name, and bad
//! input refused with a clear message.

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
    for chart in ["usage.svg", "supply.svg", "reward.svg", "agents.svg"] {
        assert!(std::fs::read_to_string(dir.path().join(chart)).expect(chart).starts_with("<svg"), "{chart}");
    }
    let text = ok(&["--scenario", "plateau", "--epochs", "3", "--agents", "20"]);
    assert!(text.contains("extraction") && text.contains("no class earned more with less usage"), "{text}");
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
    let dir = tempfile::tempdir().expect("tempdir");
    let params = dir.path().join("p.json");
    std::fs::write(&params, r#"{"alpha_bps": "high"}"#).unwrap();
    fails(&["--params", params.to_str().unwrap()], "alpha_bps: expected a non-negative integer");
    std::fs::write(&params, r#"{"alpha_bps": 9500}"#).unwrap();
    fails(&["--params", params.to_str().unwrap(), "--epochs", "2"], "AlphaOutOfBounds");
}
