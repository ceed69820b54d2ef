//! Genesis of a simulated world: the population, a bank with every wallet
//! funded, the mint and the engine with the scenario's parameters, the
//! treasury deposit, and what each agent sets up at once (its tokens,
//! stakes, a builder source, a vesting schedule). The market wallet keeps
//! what is left of the genesis supply: the pool's token side, opened at the
//! scenario's price.

use crate::agent::Kind;
use crate::behave::twin_step;
use crate::market::{Flows, Pool};
use crate::population::{self, schedule_total, STRATEGY_CAPITAL};
use crate::rng::Rng;
use crate::scenario::{Scenario, DECIMALS, GENESIS_SUPPLY, MAX_SUPPLY, TOKEN};
use crate::world::{World, GENESIS_TIME, TREASURY_DEPOSIT};
use crate::SimError;
use anchor_lang::prelude::Pubkey;
use coherence::instructions::{CreateVestingArgs, InitEngineArgs};
use coherence::state::Engine;
use coherence_sdk::client::local::LocalBank;
use coherence_sdk::{instructions as ix, ops, Client};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// Builds the population, starts a bank with every wallet funded, and
/// runs genesis: the mint, the engine with the scenario's parameters, the
/// treasury deposit, endowments, stakes, sources and vesting schedules.
pub async fn genesis(scenario: Scenario, usage: Vec<u64>) -> Result<World, SimError> {
    let mut rng = Rng::new(scenario.seed, 0);
    let market = Keypair::new_from_array(rng.bytes32());
    let authority = Keypair::new_from_array(rng.bytes32());
    let agents = population::build(&scenario, &mut rng);
    let endowed: u64 = TREASURY_DEPOSIT + agents.iter().map(|a| a.ledger.start.max(1)).sum::<u64>();
    let needed = endowed + population::planned_buys(&scenario, &usage);
    if needed > GENESIS_SUPPLY {
        return Err(SimError::Input(format!(
            "the usage plan and endowments need {} tokens; the market holds {}: lower the usage",
            needed / TOKEN,
            GENESIS_SUPPLY / TOKEN
        )));
    }
    let opening = GENESIS_SUPPLY - endowed;
    let quote = (u128::from(opening) * u128::from(scenario.market.price_micros) / 1_000_000) as u64;
    let pool = Pool::new(opening, quote, scenario.market.fee_bps)
        .map_err(|e| SimError::Input(format!("the market cannot open: {e}")))?;
    let mut wallets: Vec<Pubkey> = agents.iter().map(|a| a.key.pubkey()).collect();
    wallets.extend([market.pubkey(), authority.pubkey()]);
    let mut bank = LocalBank::start(None, &wallets).await?;
    bank.warp_to(GENESIS_TIME).await?;
    let mut client = Client::local(bank, market);

    let mint = Keypair::new_from_array(rng.bytes32());
    let token_program = anchor_spl::token::ID;
    let me = client.payer().pubkey();
    let create = ops::create_mint_ixs(&me, &mint.pubkey(), &token_program, DECIMALS, GENESIS_SUPPLY)?;
    client.send(&create, &[&mint]).await?;
    let args = InitEngineArgs {
        authority: authority.pubkey(),
        epoch_secs: scenario.epoch_secs,
        usage_shards: 4,
        max_supply: MAX_SUPPLY,
        params: scenario.params,
        // Exactly the time-only grants the population holds: the declared
        // ceiling on value without usage that the zero-usage run checks.
        time_only_budget: population::time_only_total(&agents),
    };
    let keys = ops::init_engine(&mut client, mint.pubkey(), token_program, args).await.map_err(SimError::Genesis)?;
    let created: Engine = client.get(&keys.engine).await?;
    let genesis_ts = created.genesis_ts;
    let total_user_weight =
        agents.iter().map(|a| if let Kind::User { weight, .. } = a.kind { weight } else { 0 }).sum();
    let mut world = World {
        client,
        keys,
        authority,
        agents,
        scenario,
        usage,
        txs: 0,
        created,
        genesis_ts,
        total_user_weight,
        pool,
        trades: Vec::new(),
        epoch: 0,
        flows: Flows::default(),
        closes: Vec::new(),
    };
    let market_ata = world.market_ata();
    world.send(vec![ix::deposit_treasury(&keys, &me, &market_ata, TREASURY_DEPOSIT)], None).await?;
    for i in 0..world.agents.len() {
        endow(&mut world, i).await?;
    }
    world.reconcile_market().await?;
    Ok(world)
}

/// Genesis for one agent: its tokens, and what its kind sets up at once
/// (stakes, a source, a vesting schedule).
async fn endow(w: &mut World, i: usize) -> Result<(), SimError> {
    let who = w.agents[i].key.pubkey();
    let start = w.agents[i].ledger.start;
    w.send(w.transfer_from_market(&who, start.max(1))?, None).await?;
    w.agents[i].ledger.start = start.max(1);
    let keys = w.keys;
    match w.agents[i].kind.clone() {
        Kind::Staker { lock_secs, .. } => w.open_position(i, start, lock_secs).await?,
        Kind::WashCoalition { source, .. } => {
            w.open_position(i, STRATEGY_CAPITAL, w.scenario.params.max_lock).await?;
            register_source(w, i, source).await?;
        }
        Kind::BaselinePumper { .. } => w.open_position(i, STRATEGY_CAPITAL, w.scenario.params.max_lock).await?,
        Kind::StakingTwin { .. } => twin_step(w, i).await?,
        Kind::Builder { source } => register_source(w, i, source).await?,
        Kind::Insider { schedule, .. } | Kind::EarlySeller { schedule } | Kind::PatientInsider { schedule } => {
            let usage_rate_bps = match w.agents[i].kind {
                Kind::Insider { usage_rate_bps, .. } => usage_rate_bps,
                _ => 0,
            };
            let p = w.scenario.params;
            let total = schedule_total(&w.agents[i].kind);
            let args = CreateVestingArgs {
                beneficiary: who,
                total,
                start: w.genesis_ts,
                cliff: w.genesis_ts + p.min_vesting_cliff as i64,
                end: w.genesis_ts + (2 * p.min_vesting_duration) as i64,
                period: 0,
                revocable: false,
                usage_rate_bps,
                grace_secs: if usage_rate_bps > 0 { coherence::constants::MIN_VESTING_GRACE_SECS as u32 } else { 0 },
            };
            let me = w.client.payer().pubkey();
            let auth = w.authority.insecure_clone();
            let shards = w.created.usage_shards;
            w.send(vec![ix::create_vesting(&keys, &me, &auth.pubkey(), schedule, args, shards)], Some(&auth)).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn register_source(w: &mut World, i: usize, id: u64) -> Result<(), SimError> {
    let builder = w.agents[i].key.pubkey();
    w.send_as(i, vec![ix::register_source(&w.keys, &builder, id)]).await?;
    Ok(())
}
