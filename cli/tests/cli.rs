//! Every `coherence` subcommand, run as a process in local mode against one
//! ledger file, plus bad input: each bad call exits non-zero with a clear
//! message and sends nothing.

use anchor_lang::Discriminator;
use base64::Engine as _;
use solana_message::Message;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

struct Cli {
    dir: tempfile::TempDir,
    engine: Option<String>,
}

impl Cli {
    fn new() -> Cli {
        Cli { dir: tempfile::tempdir().expect("tempdir"), engine: None }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn raw(&self, keypair: &Path, args: &[&str]) -> Output {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_coherence"));
        cmd.arg("--ledger").arg(self.path("ledger.bin")).arg("--keypair").arg(keypair).arg("-y");
        if let Some(engine) = &self.engine {
            cmd.args(["--engine", engine]);
        }
        cmd.args(args).output().expect("run coherence")
    }

    /// Runs as `who` and expects success; returns stdout.
    fn ok(&self, who: &str, args: &[&str]) -> String {
        let out = self.raw(&self.path(who), args);
        assert!(out.status.success(), "coherence {args:?} failed:\n{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf8")
    }

    /// Runs as `who` and expects failure whose stderr contains `message`.
    fn fails(&self, who: &str, args: &[&str], message: &str) {
        let out = self.raw(&self.path(who), args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "coherence {args:?} unexpectedly succeeded");
        assert!(stderr.contains(message), "coherence {args:?}: expected {message:?} in:\n{stderr}");
    }

    fn json(&self, who: &str, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--output", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(self.ok(who, &all).trim()).expect("json output")
    }
}

const WEEK: &str = "604800";

/// One transaction printed by `--print-tx`, decoded.
struct Printed {
    summary: String,
    signers: usize,
    message: Message,
}

impl Printed {
    /// Its instructions as `program` or `coherence:Instruction`, in order,
    /// after the compute-unit limit every printed message starts with.
    fn labels(&self) -> Vec<String> {
        let all: Vec<String> = self
            .message
            .instructions
            .iter()
            .map(|ix| label(&self.message.account_keys[ix.program_id_index as usize].to_string(), &ix.data))
            .collect();
        assert_eq!(
            all.first().map(String::as_str),
            Some("compute_budget"),
            "a printed message starts with its CU limit"
        );
        all[1..].to_vec()
    }

    /// The compute-unit limit the message requests (its first instruction).
    fn cu_limit(&self) -> u32 {
        let data = &self.message.instructions[0].data;
        assert_eq!(data[0], 2, "SetComputeUnitLimit");
        u32::from_le_bytes(data[1..5].try_into().unwrap())
    }
}

/// Names an instruction by its program and, for Coherence, its discriminator.
fn label(program: &str, data: &[u8]) -> String {
    macro_rules! names {
        ($($ix:ident),* $(,)?) => { [$((coherence::instruction::$ix::DISCRIMINATOR, stringify!($ix))),*] };
    }
    let coherence = names![
        InitializeEngine,
        ProposeParams,
        CancelParams,
        ApplyParams,
        ProposeAuthority,
        AcceptAuthority,
        SetPause,
        DepositTreasury,
        CreateVesting,
        ClaimVesting,
        RevokeVesting,
        TransferVesting,
        CloseVesting,
        OpenPosition,
        AddToPosition,
        ExtendLock,
        StartUnbond,
        Withdraw,
        ClaimRewards,
        ClosePosition,
        FundRewards,
        InitUsageShard,
        RecordUsage,
        CloseEpoch,
        RegisterSource,
        ClaimSourceRewards,
    ];
    if program == coherence::ID.to_string() {
        let name = coherence.iter().find(|(d, _)| data.starts_with(d)).map_or("unknown", |(_, n)| *n);
        return format!("coherence:{name}");
    }
    let others = [
        (anchor_spl::token::ID, "token"),
        (anchor_spl::associated_token::ID, "ata"),
        (anchor_lang::system_program::ID, "system"),
        (solana_compute_budget_interface::ID, "compute_budget"),
    ];
    others.iter().find(|(id, _)| id.to_string() == program).map_or(program.to_string(), |(_, n)| n.to_string())
}

/// Decodes one base64 message as `--print-tx` prints it.
fn decode(base64: &str) -> Message {
    let bytes = base64::engine::general_purpose::STANDARD.decode(base64.trim()).expect("base64 message");
    bincode::deserialize(&bytes).expect("bincode message")
}

impl Cli {
    /// Runs `--print-tx --output json` as `who`: expects success and an
    /// unchanged ledger (nothing sent); returns the printed transactions.
    fn print_tx(&self, who: &str, args: &[&str]) -> Vec<Printed> {
        let before = std::fs::read(self.path("ledger.bin")).unwrap();
        let mut all = vec!["--print-tx"];
        all.extend_from_slice(args);
        let printed = self.json(who, &all);
        assert_eq!(std::fs::read(self.path("ledger.bin")).unwrap(), before, "--print-tx {args:?} changed the ledger");
        printed
            .as_array()
            .unwrap_or_else(|| panic!("--print-tx {args:?}: expected a JSON array, got {printed}"))
            .iter()
            .map(|tx| Printed {
                summary: tx["summary"].as_str().expect("summary").to_string(),
                signers: tx["signers"].as_array().expect("signers").len(),
                message: decode(tx["message"].as_str().expect("message")),
            })
            .collect()
    }

    /// [`Cli::print_tx`], expecting one transaction per entry of `expected`
    /// with exactly those instructions (see [`Printed::labels`]), signed by the payer alone.
    fn print_tx_is(&self, who: &str, args: &[&str], expected: &[&[&str]]) -> Vec<Printed> {
        let printed = self.print_tx(who, args);
        let labels: Vec<Vec<String>> = printed.iter().map(Printed::labels).collect();
        assert_eq!(labels, expected, "--print-tx {args:?}");
        for tx in &printed {
            assert!(!tx.summary.is_empty());
            assert_eq!(tx.signers, 1, "--print-tx {args:?}: {}", tx.summary);
            assert_eq!(tx.message.header.num_required_signatures, 1);
        }
        printed
    }
}

/// The epoch a printed `close_epoch` closes (its argument after the discriminator).
fn closed_epoch(tx: &Printed) -> u64 {
    let data = &tx.message.instructions[1].data; // after the CU limit
    u64::from_le_bytes(data[8..16].try_into().unwrap())
}

#[test]
fn every_subcommand_in_local_mode() {
    let mut c = Cli::new();
    let admin_key = c.ok("-", &["keygen", c.path("admin.json").to_str().unwrap()]).trim().to_string();
    let user_key = c.ok("-", &["keygen", c.path("user.json").to_str().unwrap()]).trim().to_string();
    c.fails("admin.json", &["keygen", c.path("admin.json").to_str().unwrap()], "refusing to overwrite");

    // Genesis.
    let mint =
        c.json("admin.json", &["local", "init-mint", "--supply", "1000000"])["mint"].as_str().unwrap().to_string();
    let engine = c.json(
        "admin.json",
        &["engine", "init", "--mint", &mint, "--max-supply", "10000000", "--time-only-budget", "1000"],
    )["engine"]
        .as_str()
        .unwrap()
        .to_string();
    c.engine = Some(engine.clone());
    let status = c.json("admin.json", &["status"]);
    assert_eq!(status["engine"], engine.as_str());
    assert_eq!(status["authority"], admin_key.as_str());
    c.ok("admin.json", &["engine", "show"]);

    // Treasury and vesting (to the user).
    c.ok("admin.json", &["treasury", "deposit", "1000"]);
    assert_eq!(c.json("admin.json", &["status"])["vaults"]["treasury"], 1_000_000_000u64);
    c.ok(
        "admin.json",
        &[
            "vesting",
            "create",
            "--beneficiary",
            &user_key,
            "--amount",
            "100",
            "--cliff-secs",
            "7776000",
            "--duration-secs",
            "31536000",
            "--revocable",
        ],
    );
    c.ok(
        "admin.json",
        &[
            "vesting",
            "create",
            "--beneficiary",
            &user_key,
            "--amount",
            "50",
            "--cliff-secs",
            "7776000",
            "--duration-secs",
            "31536000",
            "--revocable",
        ],
    );
    let schedules = c.json("user.json", &["vesting", "show"]);
    assert_eq!(schedules.as_array().unwrap().len(), 2);
    c.fails("user.json", &["vesting", "claim", "0"], "NothingToClaim");
    c.ok("admin.json", &["vesting", "revoke", "1"]);
    // A usage-gated schedule (#2): 5 % of usage, within the budget (α 50 %).
    let gated = [
        "vesting",
        "create",
        "--beneficiary",
        user_key.as_str(),
        "--amount",
        "20",
        "--cliff-secs",
        "7776000",
        "--duration-secs",
        "31536000",
    ];
    c.fails("admin.json", &[&gated[..], &["--usage-rate-bps", "6000"]].concat(), "UsageBudgetExceeded");
    c.ok("admin.json", &[&gated[..], &["--usage-rate-bps", "500"]].concat());
    let shown = c.json("user.json", &["vesting", "show", "2"]);
    assert_eq!((shown[0]["usage_rate_bps"].as_u64(), shown[0]["usage_limit"].as_u64()), (Some(500), Some(0)));
    assert_eq!(shown[0]["grace_secs"], 180 * 86_400);
    c.fails("admin.json", &["vesting", "expire", "2"], "GraceNotElapsed");

    // Staking.
    c.ok("admin.json", &["stake", "open", "100", "--lock-secs", WEEK]);
    c.ok("admin.json", &["rewards", "fund", "10"]);
    c.ok("admin.json", &["local", "warp", "86400"]);
    let positions = c.json("admin.json", &["stake", "show"]);
    let owed = positions[0]["claimable_rewards"].as_u64().unwrap();
    assert!(owed > 0 && owed <= 10_000_000);
    c.ok("admin.json", &["stake", "claim", "0"]);
    c.ok("admin.json", &["stake", "add", "0", "1.5"]);
    c.ok("admin.json", &["stake", "extend", "0", "1209600"]);
    c.fails("admin.json", &["stake", "withdraw", "0"], "PositionNotUnbonding");
    c.ok("admin.json", &["stake", "unbond", "0"]);
    c.fails("admin.json", &["stake", "withdraw", "0"], "StillLocked");
    c.ok("admin.json", &["local", "warp", "1209600"]);
    c.ok("admin.json", &["stake", "withdraw", "0"]);
    let _ = c.raw(&c.path("admin.json"), &["stake", "claim", "0"]);
    c.ok("admin.json", &["stake", "close", "0"]);
    assert_eq!(c.json("admin.json", &["stake", "show"]).as_array().unwrap().len(), 0);

    // Usage, epochs, builder source.
    c.ok("admin.json", &["crank"]);
    c.ok("admin.json", &["source", "register"]);
    c.ok("admin.json", &["usage", "record", "5", "--source", "0"]);
    c.ok("admin.json", &["usage", "record", "3", "--shard", "2"]);
    let preview = c.json("admin.json", &["epoch", "show"]);
    assert_eq!(preview["open"], true);
    assert_eq!(preview["emission"], 4_000_000u64);
    c.ok("admin.json", &["local", "warp", "86400"]);
    let closed = c.json("admin.json", &["epoch", "close"]);
    assert_eq!(closed["emission"], 4_000_000u64);
    let record = c.json("admin.json", &["epoch", "show", closed["epoch"].as_u64().unwrap().to_string().as_str()]);
    assert_eq!(record["usage"], 8_000_000u64);
    c.ok("admin.json", &["local", "warp", "86400"]);
    c.ok("admin.json", &["crank"]);
    let sources = c.json("admin.json", &["source", "show"]);
    assert_eq!(sources[0]["usage"], 5_000_000u64);
    c.ok("admin.json", &["source", "claim", "0"]);
    assert!(c.json("admin.json", &["source", "show"])[0]["claimed"].as_u64().unwrap() > 0);

    // Vesting after the cliff. The gated schedule: 5 % of the 8 tokens of
    // usage closed since its creation; usage binds, not time.
    c.ok("admin.json", &["local", "warp", "7776000"]);
    let shown = c.json("user.json", &["vesting", "show", "2"]);
    assert_eq!((shown[0]["usage_limit"].as_u64(), shown[0]["binding"].as_str()), (Some(400_000), Some("usage")));
    assert!(shown[0]["time_limit"].as_u64().unwrap() > 400_000);
    let text = c.ok("user.json", &["vesting", "show", "2"]);
    assert!(text.contains("usage binds"), "{text}");
    c.ok("user.json", &["vesting", "claim", "2"]);
    c.ok("user.json", &["vesting", "claim", "0"]);
    c.ok("user.json", &["vesting", "transfer", "0", &admin_key]);
    c.fails("user.json", &["vesting", "close", "0"], "NotBeneficiary");

    // Governance.
    c.ok("admin.json", &["params", "propose", "--alpha-bps", "6000"]);
    assert_eq!(c.json("admin.json", &["params", "show"])["pending"]["alpha_bps"], 6000);
    c.ok("admin.json", &["params", "cancel"]);
    c.fails("admin.json", &["params", "apply"], "NoPendingParams");
    c.fails("admin.json", &["params", "propose", "--alpha-bps", "9001"], "AlphaOutOfBounds");
    c.ok("admin.json", &["params", "propose", "--timelock-secs", "86400"]);
    c.fails("admin.json", &["params", "apply"], "TimelockNotElapsed");
    c.ok("admin.json", &["local", "warp", "172800"]);
    c.ok("admin.json", &["crank"]);
    c.ok("admin.json", &["params", "apply"]);
    c.ok("admin.json", &["authority", "propose", &user_key]);
    c.ok("user.json", &["authority", "accept"]);
    c.fails("admin.json", &["pause"], "NotAuthority");
    c.ok("user.json", &["pause"]);
    assert_eq!(c.json("user.json", &["status"])["paused"], true);
    c.fails("admin.json", &["usage", "record", "1"], "Paused");
    c.ok("user.json", &["unpause"]);
    c.ok("admin.json", &["local", "time"]);

    // The coherence check: a single-key authority and a 1-day timelock are findings.
    let out = c.raw(&c.path("admin.json"), &["--output", "json", "check"]);
    assert!(!out.status.success());
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"single-key-authority") && codes.contains(&"short-timelock"), "{codes:?}");
    // The usage budget in use; schedule #0 (time-only, 100 tokens) is below
    // the default 0.1 %-of-max-supply threshold, and listed without one.
    assert!(codes.contains(&"usage-budget") && !codes.contains(&"time-only-vesting"), "{codes:?}");
    let budget = report["findings"].as_array().unwrap().iter().find(|f| f["code"] == "usage-budget").unwrap();
    assert!(budget["reason"].as_str().unwrap().contains("gated vesting 5.00 % (1 schedules)"), "{budget}");
    let out = c.raw(&c.path("admin.json"), &["--output", "json", "check", "--vesting-threshold-bps", "0"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let time_only: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "time-only-vesting")
        .map(|f| f["reason"].as_str().unwrap())
        .collect();
    assert_eq!(time_only.len(), 1, "{time_only:?}");
    assert!(time_only[0].starts_with("schedule #0 "), "{time_only:?}");

    // --simulate runs the four standard scenarios on this engine's
    // parameters: each is coherent, nothing extracts.
    let out = c.raw(
        &c.path("admin.json"),
        &["--output", "json", "check", "--simulate", "--sim-epochs", "6", "--sim-agents", "20"],
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert_eq!(codes.iter().filter(|c| **c == "sim-coherent").count(), 4, "{codes:?}");
    assert!(!codes.contains(&"sim-extraction") && !codes.contains(&"sim-incoherent"), "{codes:?}");
}

#[test]
fn bad_input_is_refused_and_sends_nothing() {
    let mut c = Cli::new();
    c.ok("-", &["keygen", c.path("admin.json").to_str().unwrap()]);
    let mint = c.json("admin.json", &["local", "init-mint", "--supply", "1000"])["mint"].as_str().unwrap().to_string();
    let engine = c.json(
        "admin.json",
        &["engine", "init", "--mint", &mint, "--max-supply", "10000", "--time-only-budget", "1000"],
    )["engine"]
        .as_str()
        .unwrap()
        .to_string();
    let ledger = std::fs::read(c.path("ledger.bin")).unwrap();

    // Wrong keypair path; not a keypair.
    c.fails("missing.json", &["--engine", &engine, "status"], "cannot read keypair");
    std::fs::write(c.path("junk.json"), "hello").unwrap();
    c.fails("junk.json", &["--engine", &engine, "status"], "is not a keypair file");
    // A non-existent engine; no engine at all.
    c.fails("admin.json", &["--engine", "11111111111111111111111111111112", "status"], "no engine at");
    c.fails("admin.json", &["status"], "pass --engine");
    c.engine = Some(engine);
    // Amounts: too many decimals, negative, zero, garbage.
    c.fails("admin.json", &["treasury", "deposit", "1.0000001"], "more than 6 decimals");
    c.fails("admin.json", &["treasury", "deposit", "-1"], "must be positive");
    c.fails("admin.json", &["stake", "open", "0", "--lock-secs", WEEK], "must be positive");
    c.fails("admin.json", &["usage", "record", "abc"], "not a number");
    c.fails("admin.json", &["rewards", "fund", "99999999999999999999"], "too large");
    // A bad cluster alias.
    c.fails("admin.json", &["--url", "moon", "status"], "unknown --url");
    // Vesting below the engine's minimum cliff is refused before sending.
    c.fails(
        "admin.json",
        &[
            "vesting",
            "create",
            "--beneficiary",
            &mint,
            "--amount",
            "1",
            "--cliff-secs",
            "60",
            "--duration-secs",
            "31536000",
        ],
        "VestingCliffTooShort",
    );
    assert_eq!(std::fs::read(c.path("ledger.bin")).unwrap(), ledger, "nothing was sent");

    // Without -y and without a terminal, writes are refused.
    let out = Command::new(env!("CARGO_BIN_EXE_coherence"))
        .args(["--ledger", c.path("ledger.bin").to_str().unwrap(), "--keypair", c.path("admin.json").to_str().unwrap()])
        .args(["--engine", c.engine.as_deref().unwrap(), "treasury", "deposit", "1"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not confirmed"));
    // --print-tx prints the unsigned message and sends nothing.
    let printed = c.json("admin.json", &["--print-tx", "treasury", "deposit", "1"]);
    assert!(printed[0]["message"].as_str().unwrap().len() > 100);
    assert_eq!(c.json("admin.json", &["status"])["vaults"]["treasury"], 0);
}

/// The README's main job: the demo completes and its report is coherent.
#[test]
fn demo_runs_a_full_lifecycle_in_process() {
    let out =
        Command::new(env!("CARGO_BIN_EXE_coherence")).args(["demo", "--output", "json"]).output().expect("run demo");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("demo prints JSON only on stdout");
    let epochs = report["epochs"].as_array().unwrap();
    assert_eq!(epochs.len(), 8);
    for e in epochs {
        let (usage, emission) = (e["usage"].as_u64().unwrap(), e["emission"].as_u64().unwrap());
        assert!(emission * 2 <= usage, "α = 50 %");
        let split = e["treasury"].as_u64().unwrap() + e["builders"].as_u64().unwrap() + e["stakers"].as_u64().unwrap();
        assert_eq!(split, emission);
    }
    assert_eq!(epochs[5]["gate_passed"], false, "the decline fails the gate");
    assert_eq!(epochs[5]["emission"], 0);
    let log: Vec<&str> = report["log"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    assert!(log.iter().any(|l| l.ends_with("-> StillLocked")));
    assert!(log.iter().any(|l| l.ends_with("-> NothingToClaim")));
    assert!(log.iter().any(|l| l.ends_with("-> NotBeneficiary")));
    let earned = &report["earned"];
    assert!(
        earned["long staker"].as_u64().unwrap() > earned["short staker"].as_u64().unwrap(),
        "the longer lock earns more"
    );
    // The usage-gated advisor gets exactly 5 % of the usage burned, far less than time allowed.
    let usage = report["total_usage_burned"].as_u64().unwrap();
    assert_eq!(earned["advisor (usage-gated)"].as_u64().unwrap(), usage / 20);
    assert!(report["total_emitted"].as_u64().unwrap() * 10 <= report["total_usage_burned"].as_u64().unwrap() * 9);
}

/// `--print-tx` on every write command: exit 0, every transaction the
/// command would send printed in order (decoded and checked here), and the
/// ledger file byte for byte unchanged.
#[test]
fn print_tx_prints_every_transaction_and_sends_nothing() {
    let mut c = Cli::new();
    let admin = c.ok("-", &["keygen", c.path("admin.json").to_str().unwrap()]).trim().to_string();
    let user = c.ok("-", &["keygen", c.path("user.json").to_str().unwrap()]).trim().to_string();
    let mint =
        c.json("admin.json", &["local", "init-mint", "--supply", "1000000"])["mint"].as_str().unwrap().to_string();

    // A new mint: one transaction, co-signed by the (fresh) mint keypair.
    let printed = c.print_tx("admin.json", &["local", "init-mint"]);
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].labels(), ["system", "token", "ata", "token"]);
    assert_eq!((printed[0].signers, printed[0].message.header.num_required_signatures), (2, 2));

    // Genesis: initialize_engine, then 16 usage shards (each with its
    // escrow) 4 per transaction.
    let genesis = [
        "engine",
        "init",
        "--mint",
        mint.as_str(),
        "--max-supply",
        "10000000",
        "--usage-shards",
        "16",
        "--time-only-budget",
        "1000",
    ];
    let shards = ["coherence:InitUsageShard"; 4];
    let printed =
        c.print_tx_is("admin.json", &genesis, &[&["coherence:InitializeEngine"], &shards, &shards, &shards, &shards]);
    // Limits from the measured budgets (coherence_sdk::compute): 4 shards at their worst, +25 % +5,000 each.
    let shard_worst = coherence_sdk::compute::worst(&coherence_sdk::instructions::init_usage_shard(
        &coherence_sdk::EngineKeys::new(mint.parse().unwrap(), anchor_spl::token::ID),
        &anchor_lang::prelude::Pubkey::new_unique(),
        0,
    ))
    .unwrap();
    assert_eq!(printed[1].cu_limit(), 4 * (shard_worst * 5 / 4 + 5_000));
    assert_eq!(printed[0].cu_limit(), 75_811 * 5 / 4 + 5_000);
    // Text mode prints the same messages.
    let mut text_args = vec!["--print-tx"];
    text_args.extend_from_slice(&genesis);
    let text = c.ok("admin.json", &text_args);
    let blocks: Vec<&str> =
        text.split("unsigned message (base64):\n").skip(1).map(|b| b.lines().next().unwrap()).collect();
    assert_eq!(blocks.len(), 5, "{text}");
    for (block, tx) in blocks.iter().zip(&printed) {
        assert_eq!(decode(block), tx.message);
    }
    let engine = c.json("admin.json", &genesis)["engine"].as_str().unwrap().to_string();
    c.engine = Some(engine);
    assert!(c.print_tx("admin.json", &genesis).is_empty(), "genesis is done: nothing to send");

    // State the other commands act on: treasury, a schedule, a position, a source, usage, ended epochs.
    c.ok("user.json", &["status"]);
    c.ok("admin.json", &["treasury", "deposit", "1000"]);
    c.ok(
        "admin.json",
        &[
            "vesting",
            "create",
            "--beneficiary",
            &user,
            "--amount",
            "100",
            "--cliff-secs",
            "7776000",
            "--duration-secs",
            "31536000",
            "--revocable",
        ],
    );
    c.ok("admin.json", &["stake", "open", "100", "--lock-secs", WEEK]);
    c.ok("admin.json", &["source", "register"]);
    c.ok("admin.json", &["usage", "record", "5", "--source", "0"]);
    c.ok("admin.json", &["local", "warp", "259200"]);

    let one = |ix: &'static str| -> Vec<&'static str> { vec![ix] };
    let with_ata = |ix: &'static str| -> Vec<&'static str> { vec!["ata", ix] };
    let cases: Vec<(&str, Vec<&str>, Vec<&str>)> = vec![
        ("admin.json", vec!["params", "propose", "--alpha-bps", "6000"], one("coherence:ProposeParams")),
        ("admin.json", vec!["params", "cancel"], one("coherence:CancelParams")),
        ("admin.json", vec!["params", "apply"], one("coherence:ApplyParams")),
        ("admin.json", vec!["authority", "propose", user.as_str()], one("coherence:ProposeAuthority")),
        ("user.json", vec!["authority", "accept"], one("coherence:AcceptAuthority")),
        ("admin.json", vec!["pause"], one("coherence:SetPause")),
        ("admin.json", vec!["unpause"], one("coherence:SetPause")),
        ("admin.json", vec!["treasury", "deposit", "1"], one("coherence:DepositTreasury")),
        (
            "admin.json",
            vec![
                "vesting",
                "create",
                "--beneficiary",
                user.as_str(),
                "--amount",
                "1",
                "--cliff-secs",
                "7776000",
                "--duration-secs",
                "31536000",
            ],
            one("coherence:CreateVesting"),
        ),
        ("user.json", vec!["vesting", "claim", "0"], with_ata("coherence:ClaimVesting")),
        ("admin.json", vec!["vesting", "revoke", "0"], one("coherence:RevokeVesting")),
        ("user.json", vec!["vesting", "transfer", "0", admin.as_str()], one("coherence:TransferVesting")),
        ("user.json", vec!["vesting", "close", "0"], one("coherence:CloseVesting")),
        ("admin.json", vec!["stake", "open", "1", "--lock-secs", WEEK], one("coherence:OpenPosition")),
        ("admin.json", vec!["stake", "add", "0", "1"], one("coherence:AddToPosition")),
        ("admin.json", vec!["stake", "extend", "0", "1209600"], one("coherence:ExtendLock")),
        ("admin.json", vec!["stake", "unbond", "0"], one("coherence:StartUnbond")),
        ("admin.json", vec!["stake", "withdraw", "0"], with_ata("coherence:Withdraw")),
        ("admin.json", vec!["stake", "claim", "0"], with_ata("coherence:ClaimRewards")),
        ("admin.json", vec!["stake", "claim", "0", "--restake"], with_ata("coherence:ClaimRewards")),
        ("admin.json", vec!["stake", "close", "0"], one("coherence:ClosePosition")),
        ("admin.json", vec!["rewards", "fund", "1"], one("coherence:FundRewards")),
        ("admin.json", vec!["usage", "record", "1"], one("coherence:RecordUsage")),
        ("admin.json", vec!["usage", "record", "1", "--source", "0"], one("coherence:RecordUsage")),
        ("admin.json", vec!["source", "register"], one("coherence:RegisterSource")),
        ("admin.json", vec!["source", "claim", "0"], with_ata("coherence:ClaimSourceRewards")),
    ];
    for (who, args, labels) in &cases {
        c.print_tx_is(who, args, &[labels.as_slice()]);
    }

    // Epochs: `epoch close` prints the next one and reads nothing back; the
    // crank prints one close_epoch per ended epoch, exactly what it then sends.
    let close = c.print_tx_is("admin.json", &["epoch", "close"], &[&["coherence:CloseEpoch"]]);
    assert_eq!(closed_epoch(&close[0]), 0);
    let close = ["coherence:CloseEpoch"];
    let crank = c.print_tx_is("admin.json", &["crank"], &[&close, &close, &close]);
    let printed: Vec<u64> = crank.iter().map(closed_epoch).collect();
    assert_eq!(printed, [0, 1, 2]);
    let ledger = std::fs::read(c.path("ledger.bin")).unwrap();
    c.fails("admin.json", &["--print-tx", "crank", "--watch"], "--watch cannot be combined with --print-tx");
    c.fails("admin.json", &["--print-tx", "local", "warp", "60"], "no transaction to print");
    assert_eq!(std::fs::read(c.path("ledger.bin")).unwrap(), ledger, "refused calls send nothing");
    assert_eq!(c.json("admin.json", &["crank"])["closed"], serde_json::json!(printed));
    assert!(c.print_tx("admin.json", &["crank"]).is_empty(), "no ended epoch left: nothing to send");
    assert_eq!(c.ok("admin.json", &["--print-tx", "crank"]).trim(), "nothing to send");
}
