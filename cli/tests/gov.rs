//! `coherence gov …` as a process in local mode against one ledger file,
//! with the real SPL Governance 3.1.2 bytecode loaded in the local bank:
//! the realm and its governance set up, voting applied after the
//! timelock, the engine handed to its holders by their vote, a parameter
//! change voted, executed and applied after its timelock; exits wait for
//! relinquished votes.

use std::path::PathBuf;
use std::process::{Command, Output};

struct Cli {
    dir: tempfile::TempDir,
    engine: Option<String>,
}

impl Cli {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn raw(&self, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_coherence"));
        cmd.arg("--ledger").arg(self.path("ledger.bin")).arg("--keypair").arg(self.path("admin.json")).arg("-y");
        if let Some(engine) = &self.engine {
            cmd.args(["--engine", engine]);
        }
        cmd.args(args).output().expect("run coherence")
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = self.raw(args);
        assert!(out.status.success(), "coherence {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }

    fn fails(&self, args: &[&str], message: &str) {
        let out = self.raw(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "coherence {args:?} unexpectedly succeeded");
        assert!(stderr.contains(message), "coherence {args:?}: expected {message:?} in:\n{stderr}");
    }

    fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(self.ok(&all).trim()).expect("json output")
    }

    /// A proposal voted yes by the signer, decided and executed.
    fn pass(&self, propose: &[&str]) -> String {
        let mut args = vec!["gov", "propose"];
        args.extend_from_slice(propose);
        let proposal = self.json(&args)["proposal"].as_str().unwrap().to_string();
        self.ok(&["gov", "vote", &proposal, "yes"]);
        assert_eq!(self.json(&["gov", "show", &proposal])["state"], "Voting");
        self.ok(&["local", "warp", "259201"]);
        self.ok(&["gov", "execute", &proposal]);
        assert_eq!(self.json(&["gov", "show", &proposal])["state"], "Completed");
        proposal
    }
}

#[test]
fn holders_govern_through_the_cli() {
    let mut c = Cli { dir: tempfile::tempdir().expect("tempdir"), engine: None };
    c.ok(&["keygen", c.path("admin.json").to_str().unwrap()]);
    let mint = c.json(&["local", "init-mint", "--supply", "1000000"])["mint"].as_str().unwrap().to_string();
    let engine = c.json(&["engine", "init", "--mint", &mint, "--max-supply", "10000000"])["engine"]
        .as_str()
        .unwrap()
        .to_string();
    c.engine = Some(engine);
    c.fails(&["gov", "propose", "pause", "true"], "gov setup");
    c.ok(&["stake", "open", "100", "--lock-secs", "31536000"]);

    // The realm, its governance, voting through the timelock.
    let setup = c.json(&["gov", "setup", "--realm", "cli-test"]);
    let governance = setup["governance"].as_str().unwrap().to_string();
    assert_eq!(setup["max_voter_weight"], 200_000_000u64, "the weight locked now: 100 tokens at the 2x boost");
    c.fails(&["gov", "apply"], "TimelockNotElapsed");
    c.ok(&["local", "warp", "172800"]);
    c.ok(&["gov", "apply"]);

    let check = |c: &Cli| String::from_utf8_lossy(&c.raw(&["check"]).stdout).to_string();
    assert!(check(&c).contains("single-key-authority"), "{}", check(&c));

    // The engine handed to its holders by their vote.
    c.ok(&["authority", "propose", &governance]);
    let handover = c.pass(&["accept-authority"]);
    assert_eq!(c.json(&["status"])["authority"], governance.as_str());
    c.fails(&["params", "propose", "--alpha-bps", "4000"], "NotAuthority");
    let audit = check(&c);
    assert!(audit.contains("governance-authority") && !audit.contains("single-key-authority"), "{audit}");

    // A parameter change, by proposal, applied after the engine's timelock.
    let change = c.pass(&["params", "--alpha-bps", "4000"]);
    assert_eq!(c.json(&["params", "show"])["pending"]["alpha_bps"], 4000);
    c.ok(&["local", "warp", "172800"]);
    c.ok(&["crank"]);
    c.ok(&["params", "apply"]);
    assert_eq!(c.json(&["params", "show"])["active"]["alpha_bps"], 4000);
    let shown = c.json(&["gov", "show"]);
    assert_eq!((shown["governance"].as_str(), shown["authority"].as_str()), (Some(&*governance), Some(&*governance)));

    // Exits wait for relinquished votes.
    c.fails(&["stake", "unbond", "0"], "VotesNotRelinquished");
    c.ok(&["gov", "relinquish", &handover]);
    c.ok(&["gov", "relinquish", &change]);
    c.ok(&["stake", "unbond", "0"]);
}

#[test]
fn demo_governance_runs_as_designed() {
    let out = Command::new(env!("CARGO_BIN_EXE_coherence"))
        .args(["--output", "json", "demo", "governance"])
        .output()
        .expect("run coherence");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!((report["ok"].as_bool(), report["alpha_bps"].as_u64()), (Some(true), Some(4_000)));
    assert_eq!(report["defeated_without_quorum"], true);
}
