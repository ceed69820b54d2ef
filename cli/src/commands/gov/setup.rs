//! `coherence gov setup` and `coherence gov apply`.

use crate::amount;
use crate::context::{Ctx, Tx};
use crate::error::{CliError, CliResult};
use anchor_lang::prelude::Pubkey;
use clap::Args;
use coherence::state::{StakePool, VotingConfig};
use coherence_sdk::spl_governance::{governance_config, Realms, REALMS_PROGRAM_ID};
use coherence_sdk::{instructions as ix, ops};

#[derive(Args)]
pub struct SetupArgs {
    /// The realm's name (its address seed; at most 32 bytes).
    #[arg(long)]
    pub realm: String,
    /// The fixed max voter weight, in token units of weight (default: the
    /// weight locked now). Quorum is a share of it; nothing but another
    /// timelocked configuration moves it.
    #[arg(long)]
    pub max_voter_weight: Option<String>,
    /// Yes votes needed, percent of the max voter weight.
    #[arg(long, default_value_t = 60)]
    pub yes_percent: u8,
    /// How long a vote runs, seconds.
    #[arg(long, default_value_t = 3 * 86_400)]
    pub voting_secs: u32,
    /// Wait between a proposal's success and its execution, seconds.
    #[arg(long, default_value_t = 0)]
    pub hold_up_secs: u32,
    /// The SPL Governance program (default: the one Realms uses).
    #[arg(long, default_value_t = REALMS_PROGRAM_ID)]
    pub governance_program: Pubkey,
}

pub async fn setup(ctx: &mut Ctx, args: SetupArgs) -> CliResult {
    let (keys, engine) = ctx.engine().await?;
    let decimals = ctx.decimals(&keys).await?;
    let me = ctx.signer_key();
    if args.realm.is_empty() || args.realm.len() > 32 {
        return Err(CliError::Input("--realm: 1 to 32 bytes".into()));
    }
    let max = match &args.max_voter_weight {
        Some(text) => amount::parse(text, decimals)?,
        None => {
            let pool: StakePool = ctx.client.get(&keys.stake_pool).await?;
            u64::try_from(pool.stream.total_weight).map_err(|_| CliError::Input("locked weight exceeds u64".into()))?
        }
    };
    if max == 0 {
        return Err(CliError::Input(
            "the max voter weight must be positive: lock tokens first or pass --max-voter-weight".into(),
        ));
    }
    let realms = Realms::new(args.governance_program, &args.realm, keys.mint);
    let governance = ops::engine_governance(&keys, &realms);
    let rules = governance_config(args.yes_percent, args.voting_secs, args.hold_up_secs);
    let config =
        VotingConfig { realm: realms.realm, governance_program: args.governance_program, max_voter_weight: max };
    let txs = vec![
        Tx::new(
            format!("create realm {:?} ({}) with Coherence as its voter-weight plugin", args.realm, realms.realm),
            vec![realms.create_realm(&me, &me, &coherence::ID)],
        ),
        Tx::new(
            format!("create the governance {governance} over the engine"),
            vec![realms.create_governance(&keys.engine, &me, &me, rules)],
        ),
        Tx::new(
            format!(
                "propose voting in {} (max voter weight {}; applicable after {} s)",
                realms.realm,
                amount::format(max, decimals),
                engine.params.timelock_secs
            ),
            vec![ix::propose_voting(&keys, &me, &me, config)],
        ),
    ];
    if ctx.write_all("set up the holders' governance", txs, &[]).await?.is_some() {
        ctx.out(
            format!("realm {}\ngovernance {governance}\nnext: `gov apply` after the timelock, then `authority propose {governance}` and `gov propose accept-authority`", realms.realm),
            serde_json::json!({ "realm": realms.realm.to_string(), "governance": governance.to_string(), "max_voter_weight": max }),
        );
    }
    Ok(())
}

pub async fn apply(ctx: &mut Ctx) -> CliResult {
    let (keys, _) = ctx.engine().await?;
    let me = ctx.signer_key();
    let ixs = vec![ix::apply_voting(&keys), ix::update_max_voter_weight_record(&keys, &me)];
    ctx.write("apply the voting configuration and write the max voter weight", ixs, &[]).await?;
    Ok(())
}
