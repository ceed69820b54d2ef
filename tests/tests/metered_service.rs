//! A program that meters usage by CPI (`programs/metered-service`): each
//! call pays the service's fee from the caller's tokens into a Coherence
//! usage shard, attributed to the operator's own source; it counts at the
//! next `close_epoch`. The caller's signature is what authorizes the
//! payment: a service cannot spend a wallet that did not sign, and it never
//! attributes usage to another builder's source.

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::{AccountMeta, Instruction};
use anchor_lang::{InstructionData, ToAccountMetas};
use coherence::state::UsageShard;
use coherence_sdk::{pda, EngineKeys};
use coherence_tests::*;
use metered_service::{accounts as acc, instruction as msix, ServiceError};
use solana_instruction_error::InstructionError;
use solana_keypair::Keypair;
use solana_program_test::{processor, BanksClientError};
use solana_signer::Signer;
use solana_transaction_error::TransactionError;

const FEE: u64 = 250_000;

fn service_entry(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    // SAFETY: only unifies the slice's lifetime with Anchor's single 'info lifetime.
    let accounts = unsafe { core::mem::transmute::<&[AccountInfo<'_>], &[AccountInfo<'_>]>(accounts) };
    metered_service::entry(program_id, accounts, data)
}

/// Coherence as the harness loads it (native, or SBF bytecode in the SBF
/// tier) and the service natively: its upstream-LLVM SBF build is not part
/// of the project's toolchain (README, "Usage at scale").
async fn harness() -> Harness {
    Harness::with_programs(|pt| {
        pt.prefer_bpf(false);
        pt.add_program("metered_service", metered_service::ID, processor!(service_entry));
    })
    .await
}

fn service_key(keys: &EngineKeys, operator: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[b"service", keys.engine.as_ref(), operator.as_ref()], &metered_service::ID).0
}

fn init_service(
    keys: &EngineKeys,
    operator: &Pubkey,
    source: Option<Pubkey>,
    source_arg: Option<Pubkey>,
) -> Instruction {
    let mut accounts = acc::InitService {
        operator: *operator,
        engine: keys.engine,
        service: service_key(keys, operator),
        system_program: anchor_lang::system_program::ID,
    }
    .to_account_metas(None);
    accounts.extend(source.map(|s| AccountMeta::new_readonly(s, false)));
    Instruction {
        program_id: metered_service::ID,
        accounts,
        data: msix::InitService { fee: FEE, source: source_arg }.data(),
    }
}

fn call(
    keys: &EngineKeys,
    user: &Pubkey,
    tokens: &Pubkey,
    operator: &Pubkey,
    shard: u8,
    source: Option<Pubkey>,
    record: Option<Pubkey>,
) -> Instruction {
    let accounts = acc::Call {
        user: *user,
        service: service_key(keys, operator),
        engine: keys.engine,
        usage_shard: pda::usage_shard(&keys.engine, shard),
        usage_escrow: pda::usage_escrow(&keys.engine, shard),
        mint: keys.mint,
        user_tokens: *tokens,
        source,
        source_record: record,
        token_program: keys.token_program,
        event_authority: Pubkey::find_program_address(&[b"__event_authority"], &coherence::ID).0,
        coherence_program: coherence::ID,
    };
    let mut metas = accounts.to_account_metas(None);
    // The service leaves `user` unchecked; an honest client marks it as a
    // signer and has the user sign (see the attack test for the other case).
    metas[0].is_signer = true;
    Instruction { program_id: metered_service::ID, accounts: metas, data: msix::Call {}.data() }
}

fn service_error(result: &TxResult) -> Option<u32> {
    custom_code(result)
}

/// Operator with a registered source and a service attributed to it.
async fn setup(h: &mut Harness) -> (Fixture, Keypair, Pubkey) {
    let f = Fixture::new(h, TOKEN).await;
    let operator = h.wallet().await;
    let source = f.register_source(h, &operator).await;
    h.send(&[init_service(&f.keys, &operator.pubkey(), Some(source), Some(source))], &[&operator])
        .await
        .expect("init_service");
    (f, operator, source)
}

#[tokio::test]
async fn a_call_pays_its_fee_into_the_shard_and_it_counts_at_the_next_close() {
    let mut h = harness().await;
    let (f, operator, source) = setup(&mut h).await;
    let (user, tokens) = f.user(&mut h, 10 * FEE).await;
    for shard in [1u8, 1, 3] {
        h.send(&[call(&f.keys, &user.pubkey(), &tokens, &operator.pubkey(), shard, Some(source), None)], &[&user])
            .await
            .unwrap();
    }
    assert_eq!(h.balance(&tokens).await, 7 * FEE);
    let s1: UsageShard = h.get(&pda::usage_shard(&f.keys.engine, 1)).await;
    assert_eq!((s1.usage_of(0).usage, s1.usage_of(0).attributed), (2 * FEE, 2 * FEE));
    assert_eq!(h.balance(&pda::usage_escrow(&f.keys.engine, 3)).await, FEE);
    let service: metered_service::Service = h.get(&service_key(&f.keys, &operator.pubkey())).await;
    assert_eq!(service.calls, 3);

    f.warp_to_epoch(&mut h, 1).await;
    f.close(&mut h, 0).await.unwrap();
    let r = f.record_of(&mut h, 0).await;
    assert_eq!((r.usage, r.attributed, r.escrow_burned), (3 * FEE, 3 * FEE, 3 * FEE));
    assert!(r.builders_amount > 0);
    // The operator's source earned the whole builders' pool of the epoch.
    let operator_tokens = h.token_account(&f.keys.mint, &operator.pubkey()).await;
    let got = f.claim_source(&mut h, &operator, &source, &operator_tokens).await.unwrap();
    assert_eq!(got, r.builders_amount);
}

#[tokio::test]
async fn a_service_cannot_spend_a_wallet_that_did_not_sign() {
    let mut h = harness().await;
    let (f, operator, source) = setup(&mut h).await;
    let (victim, victim_tokens) = f.user(&mut h, 10 * FEE).await;
    // Anyone (here the fee payer) sends a call naming the victim as the
    // user, without the victim's signature: the CPI cannot lend a signature
    // the transaction does not carry.
    let mut ix = call(&f.keys, &victim.pubkey(), &victim_tokens, &operator.pubkey(), 0, Some(source), None);
    ix.accounts[0].is_signer = false;
    let result = h.send(&[ix], &[]).await;
    // The runtime refuses the CPI with PrivilegeEscalation; in process, with
    // the service running natively, program-test's CPI stub aborts the
    // caller on that same error (it panics with "PrivilegeEscalation"), which
    // surfaces as ProgramFailedToComplete.
    match result {
        Err(BanksClientError::TransactionError(TransactionError::InstructionError(
            1, // after the compute-budget instruction
            InstructionError::PrivilegeEscalation | InstructionError::ProgramFailedToComplete,
        ))) => {}
        other => panic!("expected the CPI to be refused as a privilege escalation, got {other:?}"),
    }
    assert_eq!(h.balance(&victim_tokens).await, 10 * FEE);
    assert_eq!(h.get::<UsageShard>(&pda::usage_shard(&f.keys.engine, 0)).await.usage_of(0).usage, 0);
    // The victim's own call works.
    h.send(&[call(&f.keys, &victim.pubkey(), &victim_tokens, &operator.pubkey(), 0, Some(source), None)], &[&victim])
        .await
        .unwrap();
    assert_eq!(h.balance(&victim_tokens).await, 9 * FEE);
}

#[tokio::test]
async fn a_service_cannot_attribute_usage_to_another_builders_source() {
    let mut h = harness().await;
    let (f, operator, own) = setup(&mut h).await;
    let rival = h.wallet().await;
    let rivals = f.register_source(&mut h, &rival).await;
    let (user, tokens) = f.user(&mut h, 10 * FEE).await;
    let not_ours = ServiceError::NotOurSource as u32 + 6000;
    // At set-up: another builder's source is refused.
    let thief = h.wallet().await;
    let r = h.send(&[init_service(&f.keys, &thief.pubkey(), Some(rivals), Some(rivals))], &[&thief]).await;
    assert_eq!(service_error(&r), Some(not_ours), "{r:?}");
    // At call time: a different source, or none, is refused.
    let r =
        h.send(&[call(&f.keys, &user.pubkey(), &tokens, &operator.pubkey(), 0, Some(rivals), None)], &[&user]).await;
    assert_eq!(service_error(&r), Some(not_ours));
    let r = h.send(&[call(&f.keys, &user.pubkey(), &tokens, &operator.pubkey(), 0, None, None)], &[&user]).await;
    assert_eq!(service_error(&r), Some(not_ours));
    assert_eq!(h.balance(&tokens).await, 10 * FEE, "nothing paid by refused calls");
    h.send(&[call(&f.keys, &user.pubkey(), &tokens, &operator.pubkey(), 0, Some(own), None)], &[&user]).await.unwrap();
    let rival_source: coherence::state::Source = h.get(&rivals).await;
    assert_eq!(rival_source.usage, 0);
}
