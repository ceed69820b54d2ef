//! The SDK's RPC path, without a validator: an `RpcClient` over
//! [`BankSender`], which forwards JSON-RPC to the in-process bank.

use coherence::errors::CoherenceError;
use coherence::state::Position;
use coherence_sdk::accounts::filters;
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{instructions as ix, pda, Client, ClientError};
use coherence_tests::rpc_mock::BankSender;
use coherence_tests::*;
use solana_commitment_config::CommitmentConfig;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_rpc_client::rpc_client::RpcClientConfig;
use solana_signer::Signer;

const AMOUNT: u64 = 1_000_000_000;

#[tokio::test]
async fn rpc_send_simulate_failure_and_account_listing() {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 2 * AMOUNT).await;
    let known = [f.keys.engine, f.keys.stake_pool, tokens];
    let sender = BankSender::new(h.bank.ctx.banks_client.clone(), known);
    let calls = sender.calls.clone();
    let rpc = RpcClient::new_sender(sender, RpcClientConfig::with_commitment(CommitmentConfig::confirmed()));
    let mut client = Client::rpc(RpcBackend::with_client(rpc, PriorityFee::Recent), user.insecure_clone());

    // Send: simulate → compute budget → priority fee → v0 transaction → confirm.
    let open = ix::open_position(&f.keys, &user.pubkey(), &tokens, 7, AMOUNT, 7 * 86_400);
    let signature = client.send(&[open], &[]).await.expect("send over RPC");
    assert!(!signature.is_empty());
    let sent: Vec<String> = calls.lock().unwrap().clone();
    let pos = |m: &str| sent.iter().position(|c| c == m).unwrap_or_else(|| panic!("{m} not called: {sent:?}"));
    assert!(pos("simulateTransaction") < pos("sendTransaction"), "simulates first: {sent:?}");
    assert!(pos("getRecentPrioritizationFees") < pos("sendTransaction"));
    assert!(pos("sendTransaction") < pos("getSignatureStatuses"));
    let position: Position = client.get(&pda::position(&f.keys.engine, &user.pubkey(), 7)).await.unwrap();
    assert_eq!(position.principal, AMOUNT);

    // A failing transaction comes back as the program's named error, with logs.
    let early = ix::withdraw(&f.keys, &user.pubkey(), &pda::position(&f.keys.engine, &user.pubkey(), 7), &tokens);
    let failure = client.send(&[early], &[]).await.unwrap_err();
    assert_eq!(failure.program_error(), Some(CoherenceError::PositionNotUnbonding));
    assert!(failure.to_string().starts_with("PositionNotUnbonding (6053)"), "{failure}");
    assert!(!failure.logs().is_empty());
    let missing = client.get::<Position>(&pda::position(&f.keys.engine, &user.pubkey(), 99)).await.unwrap_err();
    assert!(matches!(missing, ClientError::AccountNotFound(_)));

    // Typed account listing through getProgramAccounts.
    let mine: Vec<(anchor_lang::prelude::Pubkey, Position)> = client
        .program_accounts(&[filters::engine(&f.keys.engine), filters::position_owner(&user.pubkey())])
        .await
        .unwrap();
    assert_eq!(mine.len(), 1);
    assert_eq!(mine[0].1.id, 7);
    let others: Vec<(anchor_lang::prelude::Pubkey, Position)> =
        client.program_accounts(&[filters::position_owner(&f.authority.pubkey())]).await.unwrap();
    assert!(others.is_empty());
    assert!(client.now().await.unwrap() > 0);
}

/// A client on the RPC path and the faults it will meet.
async fn faulty_client(
    h: &mut Harness,
    f: &Fixture,
    payer: &solana_keypair::Keypair,
    tokens: anchor_lang::prelude::Pubkey,
) -> (Client, std::sync::Arc<coherence_tests::rpc_mock::Faults>) {
    let sender = BankSender::new(h.bank.ctx.banks_client.clone(), [f.keys.engine, tokens]);
    let faults = sender.faults.clone();
    let rpc = RpcClient::new_sender(sender, RpcClientConfig::with_commitment(CommitmentConfig::confirmed()));
    (Client::rpc(RpcBackend::with_client(rpc, PriorityFee::None), payer.insecure_clone()), faults)
}

/// A user holding 10 × AMOUNT, its client through the faulty node, and a
/// payment of AMOUNT from it: what each test below starts from.
async fn paying_user() -> (
    Harness,
    anchor_lang::prelude::Pubkey,
    Client,
    std::sync::Arc<coherence_tests::rpc_mock::Faults>,
    anchor_lang::solana_program::instruction::Instruction,
) {
    let mut h = Harness::new().await;
    let f = Fixture::new(&mut h, TOKEN).await;
    let (user, tokens) = f.user(&mut h, 10 * AMOUNT).await;
    let (client, faults) = faulty_client(&mut h, &f, &user, tokens).await;
    let pay = ix::record_usage(&f.keys, &user.pubkey(), &tokens, 0, AMOUNT, None, None);
    (h, tokens, client, faults, pay)
}

/// The node crashes right after accepting a payment: the client sees an
/// RPC error, not the outcome. Its retry of the same intent checks the
/// first signature before sending anything, finds it confirmed, and returns
/// it: the payment is made once.
#[tokio::test]
async fn a_retry_after_a_lost_reply_returns_the_first_signature_and_pays_once() {
    let (mut h, tokens, mut client, faults, pay) = paying_user().await;
    faults.lose_next_reply.store(true, std::sync::atomic::Ordering::SeqCst);
    let lost = client.send(std::slice::from_ref(&pay), &[]).await.unwrap_err();
    assert!(matches!(lost, ClientError::Rpc(_)), "{lost}");
    assert_eq!(h.balance(&tokens).await, 9 * AMOUNT, "the payment landed");
    faults.down.store(false, std::sync::atomic::Ordering::SeqCst);
    let retried = client.send(std::slice::from_ref(&pay), &[]).await.expect("retry");
    let landed = faults.landed.lock().unwrap().clone();
    assert_eq!(landed, vec![retried], "the retry returned the first signature and sent nothing new");
    assert_eq!(h.balance(&tokens).await, 9 * AMOUNT, "paid once");
    // A new payment of the same amount afterwards is a new intent: it pays.
    client.send(std::slice::from_ref(&pay), &[]).await.expect("a second payment");
    assert_eq!(h.balance(&tokens).await, 8 * AMOUNT);
}

/// The node crashes before accepting it: the retry sends the *same* signed
/// transaction while its blockhash is valid (it lands once); once the
/// blockhash has expired unseen, a retry builds a new one (the first can
/// never land): either way the payment is made once.
#[tokio::test]
async fn a_retry_after_a_lost_send_resends_the_same_transaction_or_a_new_one_once_expired() {
    let (mut h, tokens, mut client, faults, pay) = paying_user().await;
    use std::sync::atomic::Ordering::SeqCst;
    faults.lose_next_send.store(true, SeqCst);
    assert!(client.send(std::slice::from_ref(&pay), &[]).await.is_err());
    assert_eq!(h.balance(&tokens).await, 10 * AMOUNT, "nothing landed");
    faults.down.store(false, SeqCst);
    let signature = client.send(std::slice::from_ref(&pay), &[]).await.expect("retry");
    assert_eq!(faults.landed.lock().unwrap().clone(), vec![signature.clone()]);
    assert_eq!(h.balance(&tokens).await, 9 * AMOUNT, "paid once");

    faults.lose_next_send.store(true, SeqCst);
    assert!(client.send(std::slice::from_ref(&pay), &[]).await.is_err());
    faults.down.store(false, SeqCst);
    faults.block_height.store(1_000_001, SeqCst); // the lost one has expired
    let fresh = client.send(std::slice::from_ref(&pay), &[]).await.expect("a new transaction");
    assert_ne!(fresh, signature);
    assert_eq!(faults.landed.lock().unwrap().len(), 2);
    assert_eq!(h.balance(&tokens).await, 8 * AMOUNT, "each intent paid once");
}

/// Two equal payments a moment apart, within one blockhash, are two intents:
/// each builds its own transaction (they differ in their compute-unit limit)
/// and each pays. The same transaction twice would be dropped as a duplicate
/// and the second payment silently not made.
#[tokio::test]
async fn two_equal_payments_within_one_blockhash_both_pay() {
    let (mut h, tokens, mut client, faults, pay) = paying_user().await;
    *faults.blockhash.lock().unwrap() = Some(h.bank.ctx.banks_client.get_latest_blockhash().await.unwrap());
    let first = client.send(std::slice::from_ref(&pay), &[]).await.expect("first payment");
    let second = client.send(std::slice::from_ref(&pay), &[]).await.expect("second payment");
    assert_ne!(first, second);
    assert_eq!(faults.landed.lock().unwrap().clone(), vec![first, second]);
    assert_eq!(h.balance(&tokens).await, 8 * AMOUNT, "both paid");
}
