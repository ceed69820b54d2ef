//! `coherence gov show [PROPOSAL]`.

use crate::amount;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use coherence::state::{Position, Registrar};
use coherence_sdk::accounts::filters;
use coherence_sdk::spl_governance::{self as gov, account_type};
use coherence_sdk::{ops, pda};

pub async fn run(ctx: &mut Ctx, proposal: Option<Pubkey>) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    if let Some(proposal) = proposal {
        let data = ctx.client.account(&proposal).await?.map(|a| a.data).unwrap_or_default();
        let p: gov::Proposal = gov::decode(&data, account_type::PROPOSAL_V2)
            .ok_or_else(|| CliError::Input(format!("no proposal at {proposal}")))?;
        let text = format!(
            "{:?} {:?}: yes {} no {} (max {}), voting since {}",
            p.name,
            p.state,
            amount::format(p.yes(), decimals),
            amount::format(p.no(), decimals),
            p.max_vote_weight.map_or("-".into(), |m| amount::format(m, decimals)),
            p.voting_at.map_or("-".into(), |t| t.to_string()),
        );
        let json = serde_json::json!({
            "name": p.name, "state": format!("{:?}", p.state), "yes": p.yes(), "no": p.no(),
            "max_vote_weight": p.max_vote_weight, "voting_at": p.voting_at,
        });
        ctx.out(text, json);
        return Ok(());
    }
    let registrar: Option<Registrar> = match ctx.client.account(&pda::registrar(&keys.engine)).await? {
        Some(_) => Some(ctx.client.get(&pda::registrar(&keys.engine)).await?),
        None => None,
    };
    let me = ctx.signer_key();
    let list: Vec<(Pubkey, Position)> =
        ctx.client.program_accounts(&[filters::engine(&keys.engine), filters::position_owner(&me)]).await?;
    let weight: u128 = list.iter().filter(|(_, p)| !p.is_unbonding()).map(|(_, p)| p.weight).sum();
    let mut lines = vec![format!("authority {}", engine.authority)];
    let mut json = serde_json::json!({ "authority": engine.authority.to_string() });
    match registrar.as_ref().and_then(|r| r.config) {
        Some(c) => {
            lines.push(format!(
                "realm {} (program {}), max voter weight {}",
                c.realm,
                c.governance_program,
                amount::format(c.max_voter_weight, decimals)
            ));
            json["realm"] = c.realm.to_string().into();
            json["max_voter_weight"] = c.max_voter_weight.into();
        }
        None => lines.push("holders do not vote on this engine yet".into()),
    }
    if let Some(p) = registrar.as_ref().and_then(|r| r.pending) {
        let eta = registrar.as_ref().map_or(0, |r| r.pending_eta);
        lines.push(format!("pending: realm {} max voter weight {} (eta {eta})", p.realm, p.max_voter_weight));
    }
    if let Some(realms) = ops::engine_realm(&keys, &engine) {
        let governance = ops::engine_governance(&keys, &realms);
        let data = ctx.client.account(&governance).await?.map(|a| a.data).unwrap_or_default();
        if let Some(g) = gov::decode::<gov::Governance>(&data, account_type::GOVERNANCE_V2) {
            lines.push(format!(
                "governance {governance}: yes ≥ {:?} of the max, votes run {} s, hold-up {} s{}",
                g.config.community_vote_threshold,
                g.config.voting_base_time,
                g.config.min_transaction_hold_up_time,
                if engine.authority == governance { " (holds the engine's authority)" } else { "" },
            ));
            json["governance"] = governance.to_string().into();
        }
    }
    lines.push(format!("your voter weight {} ({} locked positions)", weight, list.len()));
    json["voter_weight"] = weight.to_string().into();
    ctx.out(lines.join("\n"), json);
    Ok(())
}
