//! `coherence demo governance`: the engine governed by its lockers, in
//! process, against the real SPL Governance 3.1.2 bytecode (the committed
//! fixture). Genesis, two lockers with different lock lengths, a realm
//! with Coherence as its voter-weight plugin, voting applied through the
//! timelock, the engine handed to the realm's governance by a vote; then a
//! parameter change voted with weights exactly the positions' boosted
//! weights, executed by the governance and applied after the engine's
//! timelock; a second proposal without quorum is defeated; exits wait for
//! relinquished votes.

use crate::amount;
use crate::context::{spl_governance_so, Output};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::constants::DAY;
use coherence::state::{Position, VotingConfig};
use coherence_sdk::client::local::{add_bpf_program, LocalBank};
use coherence_sdk::spl_governance::{self as gov, governance_config, Realms, Vote, REALMS_PROGRAM_ID};
use coherence_sdk::{defaults, instructions as ix, ops, Client, EngineKeys};
use solana_keypair::Keypair;
use solana_signer::Signer;

const DECIMALS: u8 = 6;
const TOKEN: u64 = 1_000_000;
const YES_PERCENT: u8 = 60;
const VOTING_SECS: u32 = 3 * 86_400;

struct Dao {
    client: Client,
    keys: EngineKeys,
    realms: Realms,
    governance: Pubkey,
}

impl Dao {
    async fn warp(&mut self, secs: i64) -> CliResult {
        let bank = self.client.local_bank().ok_or_else(|| CliError::Input("demo runs in process".into()))?;
        let now = bank.now().await?;
        bank.warp_to(now + secs).await?;
        Ok(())
    }

    async fn proposal(&mut self, proposal: &Pubkey) -> CliResult<gov::Proposal> {
        let data = self.client.account(proposal).await?.map(|a| a.data).unwrap_or_default();
        gov::decode(&data, gov::account_type::PROPOSAL_V2).ok_or_else(|| CliError::Input("no proposal".into()))
    }

    /// A proposal by `proposer` whose transaction is `ixs`, voted yes by `voters`.
    async fn propose_and_vote(
        &mut self,
        proposer: &Keypair,
        name: &str,
        ixs: &[Instruction],
        voters: &[&Keypair],
    ) -> CliResult<Pubkey> {
        let (proposal, plan) =
            ops::propose_transactions(&mut self.client, &self.keys, &self.realms, &proposer.pubkey(), name, ixs)
                .await?;
        for tx in plan {
            self.client.send(&tx, &[proposer]).await?;
        }
        for voter in voters {
            let vote =
                ops::vote_ixs(&mut self.client, &self.keys, &self.realms, &proposal, &voter.pubkey(), Vote::yes())
                    .await?;
            self.client.send(&vote, &[voter]).await?;
        }
        Ok(proposal)
    }

    /// Waits out the vote; finalizes and, if it passed, executes.
    async fn decide(&mut self, proposal: &Pubkey) -> CliResult<gov::Proposal> {
        self.warp(i64::from(VOTING_SECS) + 1).await?;
        let ixs = ops::execute_ixs(&mut self.client, &self.keys, &self.realms, proposal).await?;
        let (finalize, execute) = ixs.split_at(ixs.len().saturating_sub(1));
        self.client.send(finalize, &[]).await?;
        let p = self.proposal(proposal).await?;
        if p.state == gov::ProposalState::Succeeded {
            self.client.send(execute, &[]).await?;
        }
        self.proposal(proposal).await
    }

    async fn relinquish(&mut self, proposal: &Pubkey, voter: &Pubkey) -> CliResult {
        let ix = self.realms.relinquish_vote(&self.governance, proposal, voter, None);
        self.client.send(&[ix], &[]).await?;
        Ok(())
    }
}

fn fmt(v: u64) -> String {
    amount::format(v, DECIMALS)
}

pub async fn run(output: Output) -> CliResult {
    let elf = spl_governance_so().ok_or_else(|| {
        CliError::Input("SPL Governance bytecode not found: set COHERENCE_SPL_GOVERNANCE to spl_governance.so".into())
    })?;
    let [creator, authority, long, short] = [(); 4].map(|_| Keypair::new());
    let wallets: Vec<Pubkey> = [&creator, &authority, &long, &short].iter().map(|k| k.pubkey()).collect();
    let bank = LocalBank::start_with(None, &wallets, |pt| add_bpf_program(pt, REALMS_PROGRAM_ID, elf)).await?;
    let mut client = Client::local(bank, creator.insecure_clone());
    let mut log = Vec::new();

    // Genesis, and two holders who lock the same amount for different lengths.
    let mint = Keypair::new();
    let program = anchor_spl::token::ID;
    let me = creator.pubkey();
    client.send(&ops::create_mint_ixs(&me, &mint.pubkey(), &program, DECIMALS, 100_000_000 * TOKEN)?, &[&mint]).await?;
    let args = defaults::init_args(authority.pubkey(), 1_000_000_000 * TOKEN);
    let keys = ops::init_engine(&mut client, mint.pubkey(), program, args).await?;
    let params = client.get::<coherence::state::Engine>(&keys.engine).await?.params;
    let mut positions = Vec::new();
    for (who, lock) in [(&long, params.max_lock), (&short, 30 * DAY)] {
        let to = ops::ata(&keys, &who.pubkey());
        let transfer = t22::instruction::transfer_checked(
            &program,
            &ops::ata(&keys, &me),
            &mint.pubkey(),
            &to,
            &me,
            &[],
            1_000_000 * TOKEN,
            DECIMALS,
        )
        .map_err(|e| CliError::Input(e.to_string()))?;
        client.send(&[ops::create_ata_ix(&keys, &me, &who.pubkey()), transfer], &[]).await?;
        client.send(&[ix::open_position(&keys, &who.pubkey(), &to, 0, 1_000_000 * TOKEN, lock)], &[who]).await?;
        let position: Position = client.get(&coherence_sdk::pda::position(&keys.engine, &who.pubkey(), 0)).await?;
        positions.push(u64::try_from(position.weight).map_err(|_| CliError::Input("weight".into()))?);
    }
    let (w_long, w_short) = (positions[0], positions[1]);
    log.push(format!(
        "lockers: 1M locked {} days (weight {}), 1M locked 30 days (weight {})",
        params.max_lock / DAY,
        fmt(w_long),
        fmt(w_short)
    ));

    // The realm: Coherence is its voter-weight and max-voter-weight plugin;
    // a governance over the engine; voting through the engine's timelock.
    let realms = Realms::new(REALMS_PROGRAM_ID, "coherence demo", keys.mint);
    let governance = ops::engine_governance(&keys, &realms);
    let rules = governance_config(YES_PERCENT, VOTING_SECS, 0);
    client.send(&[realms.create_realm(&authority.pubkey(), &me, &coherence::ID)], &[]).await?;
    client.send(&[realms.create_governance(&keys.engine, &authority.pubkey(), &me, rules)], &[&authority]).await?;
    let max = w_long + w_short;
    let config = VotingConfig { realm: realms.realm, governance_program: REALMS_PROGRAM_ID, max_voter_weight: max };
    client.send(&[ix::propose_voting(&keys, &authority.pubkey(), &me, config)], &[&authority]).await?;
    let mut d = Dao { client, keys, realms, governance };
    let early = d.client.send(&[ix::apply_voting(&keys)], &[]).await;
    d.warp(params.timelock_secs as i64).await?;
    d.client.send(&[ix::apply_voting(&keys), ix::update_max_voter_weight_record(&keys, &me)], &[]).await?;
    log.push(format!(
        "realm {} with Coherence as its plugin; governance {governance} (yes ≥ {YES_PERCENT} % of the max, 3-day votes); voting applied after the {}-day timelock (an early apply: {}); max voter weight {} (fixed)",
        d.realms.realm,
        params.timelock_secs / DAY,
        if early.is_err() { "refused" } else { "ACCEPTED" },
        fmt(max)
    ));

    // The engine is handed to its holders, by their vote.
    d.client.send(&[ix::propose_authority(&keys, &authority.pubkey(), governance)], &[&authority]).await?;
    let accept = [ix::accept_authority(&keys, &governance)];
    let handover = d.propose_and_vote(&long, "hand the engine to its holders", &accept, &[&long, &short]).await?;
    let decided = d.decide(&handover).await?;
    let engine: coherence::state::Engine = d.client.get(&keys.engine).await?;
    log.push(format!("hand-over: {:?}; the engine's authority is now {}", decided.state, engine.authority));

    // A parameter change: both vote; weights are exactly their positions'.
    let mut next = engine.params;
    next.alpha_bps = 4_000;
    let change = [ix::propose_params(&keys, &governance, next)];
    let proposal = d.propose_and_vote(&short, "alpha 50 % -> 40 %", &change, &[&long, &short]).await?;
    let p = d.proposal(&proposal).await?;
    let exact = p.yes() == w_long + w_short;
    let decided = d.decide(&proposal).await?;
    let pending = d.client.get::<coherence::state::Engine>(&keys.engine).await?;
    let too_early = d.client.send(&[ix::apply_params(&keys)], &[]).await;
    d.warp(params.timelock_secs as i64).await?;
    ops::crank(&mut d.client, &keys).await?;
    d.client.send(&[ix::apply_params(&keys)], &[]).await?;
    let applied = d.client.get::<coherence::state::Engine>(&keys.engine).await?;
    log.push(format!(
        "proposal {proposal}: yes {} = {} + {} ({}), {:?}; executed by the governance (pending alpha {:?}); apply before the timelock {}; after it alpha is {} %",
        fmt(p.yes()),
        fmt(w_long),
        fmt(w_short),
        if exact { "exactly the boosted weights" } else { "MISMATCH" },
        decided.state,
        pending.pending_params.map(|p| p.alpha_bps),
        if too_early.is_err() { "refused" } else { "ACCEPTED" },
        applied.params.alpha_bps / 100
    ));

    // Without quorum: only the short locker votes (below 60 % of the max).
    let mut next = applied.params;
    next.alpha_bps = 3_000;
    let change = [ix::propose_params(&keys, &governance, next)];
    let lonely = d.propose_and_vote(&short, "alpha 40 % -> 30 %", &change, &[&short]).await?;
    let decided = d.decide(&lonely).await?;
    log.push(format!(
        "proposal {lonely}: only the 30-day locker votes, yes {} of max {} ({:.1} % < {YES_PERCENT} %): {:?}, nothing to execute",
        fmt(decided.yes()),
        fmt(max),
        decided.yes() as f64 * 100.0 / max as f64,
        decided.state
    ));

    // Exits wait for relinquished votes.
    let record = d.realms.token_owner_record(&short.pubkey());
    let position = coherence_sdk::pda::position(&keys.engine, &short.pubkey(), 0);
    let unbond = ix::start_unbond_voting(&keys, &short.pubkey(), &position, Some(record));
    let blocked = d.client.send(std::slice::from_ref(&unbond), &[&short]).await.is_err();
    for p in [handover, proposal, lonely] {
        d.relinquish(&p, &short.pubkey()).await?;
    }
    d.client.send(&[unbond], &[&short]).await?;
    log.push(format!(
        "exits: the 30-day locker's unbond {} while votes were unrelinquished, then went through",
        if blocked { "was refused" } else { "WENT THROUGH" }
    ));

    let ok = early.is_err() && exact && too_early.is_err() && blocked && applied.params.alpha_bps == 4_000;
    match output {
        Output::Json => crate::outln!(
            "{}",
            serde_json::json!({ "engine": keys.engine.to_string(), "realm": d.realms.realm.to_string(),
                "governance": governance.to_string(), "weights": [w_long, w_short], "max_voter_weight": max,
                "alpha_bps": applied.params.alpha_bps, "defeated_without_quorum": decided.state == gov::ProposalState::Defeated,
                "ok": ok, "log": log })
        ),
        Output::Text => {
            crate::outln!("Coherence demo: holders govern through Realms (SPL Governance 3.1.2), in process\n");
            for line in &log {
                crate::outln!("- {line}");
            }
        }
    }
    if ok {
        Ok(())
    } else {
        Err(CliError::Input("the governance demo did not go as designed (see above)".into()))
    }
}
