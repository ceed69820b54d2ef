//! `coherence demo`: a full engine lifecycle in process (no validator):
//! genesis, vesting for a team and an investor, stakers with different locks,
//! users paying for usage over several epochs with growth and a decline, a
//! builder source, attempted extractions, and a report of who earned what.
//! Every epoch's result is checked against the SDK's preview before closing.

use crate::amount;
use crate::context::Output;
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::constants::DAY;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence::state::{Engine, EpochRecord, Position, StakePool};
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::{defaults, instructions as ix, ops, pda, preview, Client, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

const DECIMALS: u8 = 6;
const TOKEN: u64 = 1_000_000;

struct Demo {
    client: Client,
    keys: EngineKeys,
}

impl Demo {
    async fn balance(&mut self, owner: &Pubkey) -> CliResult<u64> {
        let ata = ops::ata(&self.keys, owner);
        Ok(ops::token_balance(&mut self.client, &ata).await?)
    }

    async fn give(&mut self, from: &Keypair, to: &Pubkey, amount: u64) -> CliResult {
        let payer = self.client.payer().pubkey();
        let create = ops::create_ata_ix(&self.keys, &payer, to);
        let transfer = t22::instruction::transfer_checked(
            &self.keys.token_program,
            &ops::ata(&self.keys, &from.pubkey()),
            &self.keys.mint,
            &ops::ata(&self.keys, to),
            &from.pubkey(),
            &[],
            amount,
            DECIMALS,
        )
        .map_err(|e| CliError::Input(e.to_string()))?;
        self.client.send(&[create, transfer], &[from]).await?;
        Ok(())
    }

    async fn warp(&mut self, secs: i64) -> CliResult {
        let bank = self.client.local_bank().ok_or_else(|| CliError::Input("demo runs in process".into()))?;
        let now = bank.now().await?;
        bank.warp_to(now + secs).await?;
        Ok(())
    }
}

fn fmt(v: u64) -> String {
    amount::format(v, DECIMALS)
}

pub async fn run(output: Output) -> CliResult {
    let names = [
        "creator",
        "authority",
        "team",
        "investor",
        "advisor",
        "long staker",
        "short staker",
        "user 1",
        "user 2",
        "builder",
        "attacker",
    ];
    let wallets: Vec<Keypair> = names.iter().map(|_| Keypair::new()).collect();
    let [creator, authority, team, investor, advisor, long, short, user1, user2, builder, attacker] =
        <[Keypair; 11]>::try_from(wallets).map_err(|_| CliError::Input("wallets".into()))?;
    let all: Vec<Pubkey> =
        [&creator, &authority, &team, &investor, &advisor, &long, &short, &user1, &user2, &builder, &attacker]
            .iter()
            .map(|k| k.pubkey())
            .collect();
    let bank = LocalBank::start(None, &all).await?;
    let mut client = Client::local(bank, creator.insecure_clone());
    let mut log = Vec::new();

    // Genesis: a 100M-token SPL mint, handed to a new engine.
    let mint = Keypair::new();
    let program = anchor_spl::token::ID;
    let me = creator.pubkey();
    let ata = anchor_spl::associated_token::get_associated_token_address_with_program_id(&me, &mint.pubkey(), &program);
    client.send(&ops::create_mint_ixs(&me, &mint.pubkey(), &program, DECIMALS, 100_000_000 * TOKEN)?, &[&mint]).await?;
    // The team's and the investor's time-only grants are all the value that
    // may ever vest without usage: 15M, declared at genesis.
    let args = InitEngineArgs {
        time_only_budget: 15_000_000 * TOKEN,
        ..defaults::init_args(authority.pubkey(), 1_000_000_000 * TOKEN)
    };
    let keys = ops::init_engine(&mut client, mint.pubkey(), program, args).await?;
    let mut d = Demo { client, keys };
    log.push(format!(
        "genesis: mint {} -> engine {} (mint authority handed over, 4 usage shards)",
        mint.pubkey(),
        keys.engine
    ));

    // Treasury and insider vesting.
    d.client.send(&[ix::deposit_treasury(&keys, &me, &ata, 20_000_000 * TOKEN)], &[]).await?;
    let now = d.client.now().await?;
    let team_args = CreateVestingArgs {
        beneficiary: team.pubkey(),
        total: 10_000_000 * TOKEN,
        start: now,
        cliff: now + 90 * DAY as i64,
        end: now + 365 * DAY as i64,
        period: 0,
        revocable: false,
        usage_rate_bps: 0,
        grace_secs: 0,
    };
    let inv_args = CreateVestingArgs {
        beneficiary: investor.pubkey(),
        total: 5_000_000 * TOKEN,
        start: now,
        cliff: now + 120 * DAY as i64,
        end: now + 720 * DAY as i64,
        period: 30 * DAY,
        revocable: true,
        usage_rate_bps: 0,
        grace_secs: 0,
    };
    // The advisor's grant is usage-gated: it vests min(time, 5 % of the usage
    // burned from now on), within the budget α 50 % + 5 % ≤ 100 %.
    let advisor_args = CreateVestingArgs {
        beneficiary: advisor.pubkey(),
        usage_rate_bps: 500,
        grace_secs: 180 * DAY as u32,
        total: 2_000_000 * TOKEN,
        ..team_args
    };
    for (id, a) in [(0u64, team_args), (1, inv_args), (2, advisor_args)] {
        d.client.send(&[ix::create_vesting(&keys, &me, &authority.pubkey(), id, a, 4)], &[&authority]).await?;
    }
    log.push("vesting: team 10M (90-day cliff, 1 year linear); investor 5M (120-day cliff, monthly steps, revocable); advisor 2M like the team's but usage-gated at 5 % of usage".into());

    // Holders, stakers, users.
    for (who, amount) in
        [(&long, 5_000_000), (&short, 5_000_000), (&user1, 3_000_000), (&user2, 3_000_000), (&attacker, 1_000_000)]
    {
        d.give(&creator, &who.pubkey(), amount * TOKEN).await?;
    }
    d.give(&creator, &builder.pubkey(), 1).await?;
    let long_pos = pda::position(&keys.engine, &long.pubkey(), 0);
    let short_pos = pda::position(&keys.engine, &short.pubkey(), 0);
    d.client
        .send(
            &[ix::open_position(
                &keys,
                &long.pubkey(),
                &ops::ata(&keys, &long.pubkey()),
                0,
                3_000_000 * TOKEN,
                365 * DAY,
            )],
            &[&long],
        )
        .await?;
    d.client
        .send(
            &[ix::open_position(
                &keys,
                &short.pubkey(),
                &ops::ata(&keys, &short.pubkey()),
                0,
                3_000_000 * TOKEN,
                7 * DAY,
            )],
            &[&short],
        )
        .await?;
    let w_long: Position = d.client.get(&long_pos).await?;
    let w_short: Position = d.client.get(&short_pos).await?;
    log.push(format!(
        "staking: 3M locked 1 year (weight {}), 3M locked 7 days (weight {})",
        w_long.weight, w_short.weight
    ));
    d.client.send(&[ix::register_source(&keys, &builder.pubkey(), 0)], &[&builder]).await?;
    let source = pda::source(&keys.engine, 0);

    // Epochs: growth, a decline that fails the gate, recovery.
    let usage_plan = [100_000u64, 150_000, 220_000, 260_000, 300_000, 60_000, 280_000, 330_000];
    let mut rows = Vec::new();
    for (i, planned) in usage_plan.iter().enumerate() {
        let epoch = i as u64;
        let half = planned * TOKEN / 2;
        ops::record_usage(&mut d.client, &keys, &user1, 0, half, Some(source)).await?;
        ops::record_usage(&mut d.client, &keys, &user2, 1, half, None).await?;
        let start = d.client.get::<Engine>(&keys.engine).await?.epoch_end(epoch).unwrap_or(i64::MAX);
        let now = d.client.now().await?;
        d.warp(start - now).await?;
        let (predicted, _) = ops::preview_epoch(&mut d.client, &keys, epoch).await?;
        ops::crank(&mut d.client, &keys).await?;
        let r: EpochRecord = d.client.get(&pda::epoch_record(&keys.engine, epoch)).await?;
        if r.emission != predicted.emission || r.gate_passed != predicted.passed {
            return Err(CliError::Input(format!(
                "epoch {epoch}: preview {} != on-chain {}",
                predicted.emission, r.emission
            )));
        }
        rows.push(r);
    }

    // Attempted extractions.
    let attack = |e: coherence_sdk::ClientError| e.program_error().map_or(e.to_string(), |p| p.name());
    let a_pos = pda::position(&keys.engine, &attacker.pubkey(), 0);
    let a_ata = ops::ata(&keys, &attacker.pubkey());
    let flash = d
        .client
        .send(
            &[
                ix::open_position(&keys, &attacker.pubkey(), &a_ata, 0, 500_000 * TOKEN, 7 * DAY),
                ix::start_unbond(&keys, &attacker.pubkey(), &a_pos),
                ix::withdraw(&keys, &attacker.pubkey(), &a_pos, &a_ata),
            ],
            &[&attacker],
        )
        .await;
    log.push(format!(
        "attack: flash stake (open+unbond+withdraw in one tx) -> {}",
        flash.err().map_or("SUCCEEDED (bug!)".into(), attack)
    ));
    let team_v = pda::vesting(&keys.engine, 0);
    let early = d.client.send(&ops::claim_vesting_ixs(&keys, &me, &team.pubkey(), &team_v), &[&team]).await;
    log.push(format!(
        "attack: team claims before its cliff -> {}",
        early.err().map_or("SUCCEEDED (bug!)".into(), attack)
    ));
    let steal = d.client.send(&[ix::claim_vesting(&keys, &attacker.pubkey(), &team_v, &a_ata)], &[&attacker]).await;
    log.push(format!(
        "attack: attacker claims the team's schedule -> {}",
        steal.err().map_or("SUCCEEDED (bug!)".into(), attack)
    ));

    // Time passes: the cliff, the rest of the streams; everyone collects.
    d.warp(100 * DAY as i64).await?;
    let closed = ops::crank(&mut d.client, &keys).await?;
    log.push(format!("100 days later: crank closed {} missed epochs (no usage, no emission)", closed.len()));
    let mut earned = Vec::new();
    for (name, who, pos) in [("long staker", &long, long_pos), ("short staker", &short, short_pos)] {
        let pool: StakePool = d.client.get(&keys.stake_pool).await?;
        let p: Position = d.client.get(&pos).await?;
        let now = d.client.now().await?;
        let owed = preview::preview_rewards(&p, &pool, now)?;
        let before = d.balance(&who.pubkey()).await?;
        d.client
            .send(&[ix::claim_rewards(&keys, &who.pubkey(), &pos, &ops::ata(&keys, &who.pubkey()), false)], &[who])
            .await?;
        let got = d.balance(&who.pubkey()).await? - before;
        if got != owed {
            return Err(CliError::Input(format!("{name}: preview {owed} != claimed {got}")));
        }
        earned.push((name, got));
    }
    let before = d.balance(&builder.pubkey()).await?;
    let claim_source = ops::claim_source_rewards_ixs(&mut d.client, &keys, &builder.pubkey(), &source).await?;
    d.client.send(&claim_source, &[&builder]).await?;
    earned.push(("builder", d.balance(&builder.pubkey()).await? - before));
    let claim_team = ops::claim_vesting_ixs(&keys, &me, &team.pubkey(), &team_v);
    d.client.send(&claim_team, &[&team]).await?;
    earned.push(("team (vested so far)", d.balance(&team.pubkey()).await?));
    // The advisor: time alone would have vested as much as the team's share;
    // usage (5 % of what was burned) is what binds.
    let advisor_v = pda::vesting(&keys.engine, 2);
    let s: coherence::state::VestingSchedule = d.client.get(&advisor_v).await?;
    let usage = d.client.get::<Engine>(&keys.engine).await?.total_usage_burned;
    let limits = preview::preview_limits(&s, usage, d.client.now().await?)?;
    let owed = preview::preview_vested(&s, usage, d.client.now().await?)?;
    let claim_advisor = ops::claim_vesting_ixs(&keys, &me, &advisor.pubkey(), &advisor_v);
    d.client.send(&claim_advisor, &[&advisor]).await?;
    let got = d.balance(&advisor.pubkey()).await?;
    if got != owed || !limits.usage_binds() {
        return Err(CliError::Input(format!(
            "advisor: preview {owed} != claimed {got}, or usage did not bind ({limits:?})"
        )));
    }
    log.push(format!(
        "advisor (usage-gated): time would allow {}, 5 % of usage allows {}: claimed {}",
        fmt(limits.time),
        fmt(limits.usage.unwrap_or(0)),
        fmt(got)
    ));
    earned.push(("advisor (usage-gated)", got));
    let engine: Engine = d.client.get(&keys.engine).await?;
    let treasury = ops::token_balance(&mut d.client, &keys.treasury).await?;

    match output {
        Output::Json => {
            let epochs: Vec<_> = rows.iter().map(|r| serde_json::json!({
                "epoch": r.epoch, "usage": r.usage, "baseline": r.baseline, "gate_passed": r.gate_passed, "emission": r.emission,
                "treasury": r.treasury_amount, "builders": r.builders_amount, "stakers": r.stakers_amount,
            })).collect();
            let who: serde_json::Map<_, _> =
                earned.iter().map(|(n, v)| (n.to_string(), serde_json::json!(v))).collect();
            crate::outln!(
                "{}",
                serde_json::json!({ "engine": keys.engine.to_string(), "epochs": epochs, "earned": who,
                "total_emitted": amount::json(engine.total_emitted), "total_usage_burned": amount::json(engine.total_usage_burned), "log": log })
            );
        }
        Output::Text => {
            crate::outln!("Coherence demo: a full engine lifecycle, in process\n");
            for line in &log {
                crate::outln!("- {line}");
            }
            crate::outln!(
                "\n{:>5} {:>12} {:>12} {:>6} {:>12} {:>11} {:>11} {:>12}",
                "epoch",
                "usage",
                "baseline",
                "gate",
                "emission",
                "treasury",
                "builders",
                "stakers"
            );
            for r in &rows {
                crate::outln!(
                    "{:>5} {:>12} {:>12} {:>6} {:>12} {:>11} {:>11} {:>12}",
                    r.epoch,
                    fmt(r.usage),
                    fmt(r.baseline),
                    if r.gate_passed { "pass" } else { "FAIL" },
                    fmt(r.emission),
                    fmt(r.treasury_amount),
                    fmt(r.builders_amount),
                    fmt(r.stakers_amount)
                );
            }
            crate::outln!("\nwho earned what (every number matched the SDK preview):");
            for (name, v) in &earned {
                crate::outln!("  {name:<22} {}", fmt(*v));
            }
            crate::outln!("  {:<22} {}", "treasury", fmt(treasury));
            crate::outln!(
                "\ntotal usage burned {}, total emitted {} ({:.1} % of usage; alpha {} %, never above 90 %)",
                amount::format_u128(engine.total_usage_burned, DECIMALS),
                amount::format_u128(engine.total_emitted, DECIMALS),
                engine.total_emitted as f64 * 100.0 / engine.total_usage_burned.max(1) as f64,
                engine.params.alpha_bps / 100,
            );
        }
    }
    Ok(())
}
