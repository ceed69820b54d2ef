//! `coherence`: the operator CLI. Every user, admin and crank action, status
//! views, the `check` audit, `demo` (a full lifecycle in process) and
//! `simulate` (economic scenarios on the real program).
//!
//! `--url local` (the default) runs the program natively in process with a
//! ledger file (`--ledger`), so consecutive commands share state without any
//! validator; any other `--url` talks to a cluster over RPC.

mod amount;
mod commands;
mod context;
mod error;
mod output;

use anchor_lang::prelude::Pubkey;
use clap::{Parser, Subcommand};
use context::{Ctx, Global};
use error::{CliError, CliResult};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "coherence", version, about = "Operate a Coherence engine: usage-gated emission, vesting, staking")]
struct Cli {
    #[command(flatten)]
    global: Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a full engine lifecycle in process and print a report
    /// (`demo governance`: the lockers govern the engine through Realms).
    Demo {
        #[command(subcommand)]
        which: Option<DemoCmd>,
    },
    /// Economic scenarios on the real program, in process: who earns what,
    /// whether any strategy extracts, charts.
    Simulate(commands::simulate::SimulateArgs),
    /// Write a new keypair file.
    Keygen { path: PathBuf },
    /// In-process ledger helpers: create a mint, move the clock.
    #[command(subcommand)]
    Local(commands::local::LocalCmd),
    /// Create or inspect an engine.
    #[command(subcommand)]
    Engine(commands::governance::engine::EngineCmd),
    /// Propose, cancel, apply or show parameters.
    #[command(subcommand)]
    Params(commands::governance::params::ParamsCmd),
    /// Two-step authority transfer.
    #[command(subcommand)]
    Authority(commands::governance::params::AuthorityCmd),
    /// Pause new stakes, usage and emission (never exits).
    Pause,
    /// Resume.
    Unpause,
    /// Deposit into the treasury.
    #[command(subcommand)]
    Treasury(commands::governance::treasury::TreasuryCmd),
    /// Vesting schedules.
    #[command(subcommand)]
    Vesting(commands::vesting::VestingCmd),
    /// Staking positions.
    #[command(subcommand)]
    Stake(commands::staking::StakeCmd),
    /// Fund the stakers' reward stream.
    #[command(subcommand)]
    Rewards(commands::staking::RewardsCmd),
    /// Pay for usage (burn).
    #[command(subcommand)]
    Usage(commands::emission::usage::UsageCmd),
    /// Close or show epochs.
    #[command(subcommand)]
    Epoch(commands::emission::epoch::EpochCmd),
    /// Close every ended epoch; with --watch, keep doing it (a service).
    ///
    /// Exit codes: 0 done (without --watch); 1 an error; 2 bad flags; 3
    /// --max-lag exceeded. In watch mode failures are logged one line each
    /// and retried after a growing pause; see docs/crank-service.md.
    Crank(commands::emission::crank::CrankArgs),
    /// Builder sources.
    #[command(subcommand)]
    Source(commands::emission::source::SourceCmd),
    /// The engine governed by its holders through SPL Governance (Realms).
    #[command(subcommand)]
    Gov(commands::gov::GovCmd),
    /// Engine, epoch and wallet status.
    Status {
        #[arg(long)]
        wallet: Option<Pubkey>,
    },
    /// Audit an engine for any way value could accrue without usage.
    Check {
        /// Also run the standard scenarios in process on this engine's parameters.
        #[arg(long)]
        simulate: bool,
        /// Epochs of each simulated scenario (with --simulate).
        #[arg(long, default_value_t = 52)]
        sim_epochs: u64,
        /// Agents of each simulated scenario (with --simulate; at least 20).
        #[arg(long, default_value_t = 40)]
        sim_agents: u32,
        /// Report time-only schedules still to vest at least this share of
        /// max supply, in bps (default 10 = 0.1 %).
        #[arg(long, default_value_t = 10)]
        vesting_threshold_bps: u16,
    },
}

#[derive(Subcommand)]
enum DemoCmd {
    /// The lockers vote a parameter change through SPL Governance (Realms)
    /// and the engine applies it after its timelock.
    Governance,
}

async fn run(cli: Cli) -> CliResult {
    if cli.global.url == "local"
        || matches!(cli.command, Command::Demo { .. } | Command::Simulate(_) | Command::Check { simulate: true, .. })
    {
        output::silence_native_logs();
    }
    match cli.command {
        Command::Demo { which: None } => return commands::demo::run(cli.global.output).await,
        Command::Demo { which: Some(DemoCmd::Governance) } => {
            return commands::demo_governance::run(cli.global.output).await
        }
        Command::Simulate(args) => return commands::simulate::run(args, cli.global.output).await,
        Command::Keygen { path } => return commands::local::keygen(&path),
        _ => {}
    }
    let mut ctx = Ctx::new(&cli.global).await?;
    let result = match cli.command {
        Command::Demo { .. } | Command::Simulate(_) | Command::Keygen { .. } => unreachable!("handled above"),
        Command::Local(cmd) => commands::local::run(&mut ctx, cmd).await,
        Command::Engine(cmd) => commands::governance::engine::run(&mut ctx, cmd).await,
        Command::Params(cmd) => commands::governance::params::params(&mut ctx, cmd).await,
        Command::Authority(cmd) => commands::governance::params::authority(&mut ctx, cmd).await,
        Command::Pause => commands::governance::params::pause(&mut ctx, true).await,
        Command::Unpause => commands::governance::params::pause(&mut ctx, false).await,
        Command::Treasury(cmd) => commands::governance::treasury::run(&mut ctx, cmd).await,
        Command::Vesting(cmd) => commands::vesting::run(&mut ctx, cmd).await,
        Command::Stake(cmd) => commands::staking::run(&mut ctx, cmd).await,
        Command::Rewards(cmd) => commands::staking::rewards(&mut ctx, cmd).await,
        Command::Usage(cmd) => commands::emission::usage::run(&mut ctx, cmd).await,
        Command::Epoch(cmd) => commands::emission::epoch::run(&mut ctx, cmd).await,
        Command::Crank(args) => commands::emission::crank::run(&mut ctx, args).await,
        Command::Source(cmd) => commands::emission::source::run(&mut ctx, cmd).await,
        Command::Gov(cmd) => commands::gov::run(&mut ctx, cmd).await,
        Command::Status { wallet } => commands::status::run(&mut ctx, wallet).await,
        Command::Check { simulate, sim_epochs, sim_agents, vesting_threshold_bps } => {
            let sim = simulate.then_some(commands::check::SimSize { epochs: sim_epochs, agents: sim_agents });
            commands::check::run(&mut ctx, sim, vesting_threshold_bps).await
        }
    };
    // The local ledger keeps whatever succeeded, even when a later step failed.
    ctx.finish().await?;
    result
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            if let CliError::Client(c) = &e {
                for line in c.logs() {
                    eprintln!("  log: {line}");
                }
            }
            match e {
                CliError::Lagging(_) => ExitCode::from(commands::emission::crank::EXIT_LAGGING),
                _ => ExitCode::FAILURE,
            }
        }
    }
}
