//! `coherence status`: the engine, its current epoch and a wallet.

use crate::amount;
use crate::context::Ctx;
use crate::error::CliResult;
use anchor_lang::prelude::Pubkey;
use coherence::state::StakePool;

pub async fn run(ctx: &mut Ctx, wallet: Option<Pubkey>) -> CliResult {
    let (keys, e) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let fmt = |v: u64| amount::format(v, decimals);
    let now = ctx.client.now().await?;
    let pool: StakePool = ctx.client.get(&keys.stake_pool).await?;
    let mut balances = Vec::new();
    for (name, key) in [
        ("treasury", keys.treasury),
        ("stake vault", keys.stake_vault),
        ("reward vault", keys.reward_vault),
        ("vesting vault", keys.vesting_vault),
        ("builder vault", keys.builder_vault),
    ] {
        balances.push((name, coherence_sdk::ops::token_balance(&mut ctx.client, &key).await?));
    }
    let mut text = format!(
        "engine {}\n  mint {} (decimals {decimals})\n  authority {}{}\n  paused {}\n  epoch now {} (next to close {}), epoch length {}s\n  baseline {}  running cap {}  max supply {}\n  total emitted {}  total usage burned {}\n  staked {} in {} positions, stream remaining {} until {}",
        keys.engine, e.mint, e.authority,
        e.pending_authority.map_or(String::new(), |p| format!(" (pending {p})")),
        e.paused, e.epoch_at(now), e.next_epoch, e.epoch_secs, fmt(e.baseline), fmt(e.cap), fmt(e.max_supply),
        amount::format_u128(e.total_emitted, decimals), amount::format_u128(e.total_usage_burned, decimals), fmt(pool.total_principal), pool.positions,
        fmt(pool.stream.remaining()), pool.stream.end,
    );
    for (name, amount) in &balances {
        text.push_str(&format!("\n  {name}: {}", fmt(*amount)));
    }
    let left = e.time_only_budget.saturating_sub(e.time_only_used);
    text.push_str(&match e.time_only_synced {
        true => format!(
            "\n  time-only budget {} (the most that can ever vest without usage): used {}, left {}",
            fmt(e.time_only_budget),
            fmt(e.time_only_used),
            fmt(left)
        ),
        false => format!(
            "\n  time-only budget: not synced ({} of {} schedules counted; run `vesting sync-budget`)",
            e.time_only_scanned, e.vesting_count
        ),
    });
    let mut json = serde_json::json!({
        "engine": keys.engine.to_string(), "mint": e.mint.to_string(), "authority": e.authority.to_string(),
        "paused": e.paused, "epoch": e.epoch_at(now), "next_epoch": e.next_epoch, "baseline": e.baseline, "cap": e.cap,
        "max_supply": e.max_supply, "total_emitted": amount::json(e.total_emitted), "total_usage_burned": amount::json(e.total_usage_burned),
        "total_staked": pool.total_principal, "positions": pool.positions,
        "vaults": balances.iter().map(|(n, a)| (n.to_string(), serde_json::json!(a))).collect::<serde_json::Map<_, _>>(),
        "time_only": { "budget": e.time_only_budget, "used": e.time_only_used, "left": left, "synced": e.time_only_synced },
    });
    if let Some(w) = wallet {
        let ata = coherence_sdk::ops::ata(&keys, &w);
        let bal = coherence_sdk::ops::token_balance(&mut ctx.client, &ata).await?;
        text.push_str(&format!("\nwallet {w}: {}", fmt(bal)));
        json["wallet"] = serde_json::json!({ "address": w.to_string(), "balance": bal });
    }
    ctx.out(text, json);
    Ok(())
}
