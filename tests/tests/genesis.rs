//! Genesis: `initialize_engine` on SPL Token and Token-2022 mints, the mint
//! policy (DESIGN §6) and the genesis bounds.

use anchor_lang::error::ErrorCode as AnchorError;
use coherence::errors::CoherenceError;
use coherence::events::EngineInitialized;
use coherence::state::{Engine, StakePool};
use coherence_sdk::{instructions as ix, EngineKeys};
use coherence_tests::*;
use solana_signer::Signer;

async fn engine_for(token_program: anchor_lang::prelude::Pubkey, exts: &[Ext]) {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(token_program, &mint_authority.pubkey(), None, exts).await;
    let keys = EngineKeys::new(mint, token_program);
    let authority = h.wallet().await;
    let init = init_ix(&h, &keys, &mint_authority, default_args(authority.pubkey()));
    let events = h.send_events::<EngineInitialized>(&[init], &[&mint_authority]).await;

    let engine: Engine = h.get(&keys.engine).await;
    assert_eq!(engine.mint, mint);
    assert_eq!(engine.token_program, token_program);
    assert_eq!(engine.authority, authority.pubkey());
    assert_eq!(engine.max_supply, MAX_SUPPLY);
    assert_eq!(engine.params, default_params());
    assert_eq!(engine.cap, default_params().cap);
    assert_eq!(engine.genesis_ts, h.now().await);
    assert_eq!(engine.stake_vault, keys.stake_vault);
    assert_eq!(engine.builder_vault, keys.builder_vault);
    let pool: StakePool = h.get(&keys.stake_pool).await;
    assert_eq!(pool.engine, keys.engine);
    assert_eq!(pool.stream.total_weight, 0);

    // The engine PDA is now the only mint authority; no freeze authority.
    let state = h.mint_state(&mint).await;
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(state.mint_authority), Some(keys.engine));
    assert!(Option::<anchor_lang::prelude::Pubkey>::from(state.freeze_authority).is_none());
    for vault in [keys.stake_vault, keys.reward_vault, keys.treasury, keys.vesting_vault, keys.builder_vault] {
        assert_eq!(h.balance(&vault).await, 0);
    }
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].engine, keys.engine);
    assert_eq!(events[0].authority, authority.pubkey());
    assert_eq!(events[0].params, default_params());
}

#[tokio::test]
async fn init_with_spl_token() {
    engine_for(TOKEN, &[]).await;
}

#[tokio::test]
async fn init_with_token_2022() {
    engine_for(TOKEN_2022, &[]).await;
}

#[tokio::test]
async fn init_with_token_2022_metadata_pointer_is_accepted() {
    engine_for(TOKEN_2022, &[Ext::MetadataPointer]).await;
}

#[tokio::test]
async fn init_rejects_each_forbidden_extension() {
    let cases = [
        (Ext::PermanentDelegate, CoherenceError::PermanentDelegateNotAllowed),
        (Ext::TransferHook, CoherenceError::TransferHookNotAllowed),
        (Ext::TransferFee, CoherenceError::TransferFeeNotAllowed),
        (Ext::NonTransferable, CoherenceError::NonTransferableNotAllowed),
        (Ext::DefaultFrozen, CoherenceError::DefaultAccountStateNotAllowed),
        (Ext::ConfidentialTransfer, CoherenceError::ConfidentialTransferNotAllowed),
        (Ext::MintCloseAuthority, CoherenceError::UnsupportedMintExtension),
    ];
    let mut h = Harness::new().await;
    for (ext, err) in cases {
        let mint_authority = h.wallet().await;
        // A default-frozen mint needs a freeze authority; the extension is reported first.
        let freeze = (ext == Ext::DefaultFrozen).then(|| mint_authority.pubkey());
        let mint = h.create_mint(TOKEN_2022, &mint_authority.pubkey(), freeze.as_ref(), &[ext]).await;
        let keys = EngineKeys::new(mint, TOKEN_2022);
        let init = init_ix(&h, &keys, &mint_authority, default_args(mint_authority.pubkey()));
        assert_error(h.send(&[init], &[&mint_authority]).await, err);
        assert!(!h.exists(&keys.engine).await, "{ext:?}: nothing created");
    }
}

#[tokio::test]
async fn init_rejects_freeze_authority() {
    let mut h = Harness::new().await;
    for program in [TOKEN, TOKEN_2022] {
        let mint_authority = h.wallet().await;
        let mint = h.create_mint(program, &mint_authority.pubkey(), Some(&mint_authority.pubkey()), &[]).await;
        let keys = EngineKeys::new(mint, program);
        let init = init_ix(&h, &keys, &mint_authority, default_args(mint_authority.pubkey()));
        assert_error(h.send(&[init], &[&mint_authority]).await, CoherenceError::FreezeAuthorityNotAllowed);
    }
}

#[tokio::test]
async fn init_by_wallet_that_is_not_mint_authority_rejected() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let intruder = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let keys = EngineKeys::new(mint, TOKEN);
    let init = init_ix(&h, &keys, &intruder, default_args(intruder.pubkey()));
    assert_error(h.send(&[init], &[&intruder]).await, CoherenceError::NotMintAuthority);
    let state = h.mint_state(&mint).await;
    assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(state.mint_authority), Some(mint_authority.pubkey()));
}

#[tokio::test]
async fn init_without_mint_authority_signature_rejected() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let keys = EngineKeys::new(mint, TOKEN);
    let init = ix::without_signer(
        init_ix(&h, &keys, &mint_authority, default_args(mint_authority.pubkey())),
        &mint_authority.pubkey(),
    );
    assert_anchor_error(h.send(&[init], &[]).await, AnchorError::AccountNotSigner);
}

#[tokio::test]
async fn reinitialization_rejected() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let before: Engine = h.get(&f.keys.engine).await;
    // Even the engine's own authority cannot re-run genesis over it.
    let again = init_ix(&h, &f.keys, &f.authority, default_args(f.authority.pubkey()));
    let result = h.send(&[again], &[&f.authority]).await;
    // After genesis the engine PDA is the mint authority, so nobody can sign
    // a second hand-over; the engine account itself would also be refused.
    assert_error(result, CoherenceError::NotMintAuthority);
    let after: Engine = h.get(&f.keys.engine).await;
    assert_eq!(after.authority, before.authority);
    assert_eq!(after.genesis_ts, before.genesis_ts);
}

#[tokio::test]
async fn init_rejects_supply_above_max_and_genesis_bounds() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let holder = h.token_account(&mint, &mint_authority.pubkey()).await;
    h.mint_to(&mint, &holder, &mint_authority, MAX_SUPPLY + 1).await;
    let keys = EngineKeys::new(mint, TOKEN);
    let args = default_args(mint_authority.pubkey());
    let cases = [
        (args.clone(), CoherenceError::SupplyExceedsMax),
        (InitEngineArgsExt::with(&args, |a| a.usage_shards = 0), CoherenceError::UsageShardsOutOfBounds),
        (InitEngineArgsExt::with(&args, |a| a.usage_shards = 17), CoherenceError::UsageShardsOutOfBounds),
        (InitEngineArgsExt::with(&args, |a| a.epoch_secs = 59), CoherenceError::EpochSecsOutOfBounds),
        (InitEngineArgsExt::with(&args, |a| a.epoch_secs = 31 * 86_400), CoherenceError::EpochSecsOutOfBounds),
        (InitEngineArgsExt::with(&args, |a| a.max_supply = 0), CoherenceError::InvalidMaxSupply),
        (InitEngineArgsExt::with(&args, |a| a.params.alpha_bps = 9_001), CoherenceError::AlphaOutOfBounds),
        (InitEngineArgsExt::with(&args, |a| a.params.gate_bps = 10_001), CoherenceError::GateOutOfBounds),
        (
            InitEngineArgsExt::with(&args, |a| a.time_only_budget = a.max_supply + 1),
            CoherenceError::TimeOnlyBudgetAboveMaxSupply,
        ),
    ];
    for (args, err) in cases {
        let init = init_ix(&h, &keys, &mint_authority, args);
        assert_error(h.send(&[init], &[&mint_authority]).await, err);
    }
}

/// Small helper to vary init arguments.
struct InitEngineArgsExt;
impl InitEngineArgsExt {
    fn with(
        base: &coherence::instructions::InitEngineArgs,
        f: impl FnOnce(&mut coherence::instructions::InitEngineArgs),
    ) -> coherence::instructions::InitEngineArgs {
        let mut a = base.clone();
        f(&mut a);
        a
    }
}

/// Attack: block genesis forever by sending lamports to the (predictable)
/// engine and vault addresses before they exist. Anchor's `init` would take
/// its prefunded path, which this runtime rejects; `pda_init` completes the
/// prefunded account instead.
#[tokio::test]
async fn prefunded_engine_address_does_not_block_genesis() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let keys = EngineKeys::new(mint, TOKEN);
    let griefer = h.wallet().await;
    for target in [keys.engine, keys.stake_pool, keys.treasury] {
        let gift = solana_system_interface::instruction::transfer(&griefer.pubkey(), &target, 1_000_000);
        h.send(&[gift], &[&griefer]).await.unwrap();
    }
    let init = init_ix(&h, &keys, &mint_authority, default_args(mint_authority.pubkey()));
    h.send(&[init], &[&mint_authority]).await.unwrap();
    let engine: Engine = h.get(&keys.engine).await;
    assert_eq!(engine.mint, mint);
    let pool: StakePool = h.get(&keys.stake_pool).await;
    assert_eq!(pool.engine, keys.engine);
    assert_eq!(h.balance(&keys.treasury).await, 0);
}
