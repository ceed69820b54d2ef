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
