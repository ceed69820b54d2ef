//! Payment traffic against a real cluster, and the exactly-once audit of
//! what it did, read back from the ledger alone.
//!
//! [`run`] drives payers concurrently (one SDK RPC client each), each
//! paying amounts of its own (so every payment is a distinct intent) and
//! retrying the *same* intent after an RPC failure — the SDK checks the
//! first signature before it sends anything new — until it is confirmed or
//! refused on-chain. [`audit`] then reads every payer's transactions from the
//! cluster, decodes the `UsageRecorded` events, and checks that each
//! confirmed payment is there exactly once, in the epoch whose clock it
//! landed in, that the epoch records add up, that the escrows burned
//! exactly what was paid and that no unconfirmed payment moved a token.

use anchor_lang::prelude::Pubkey;
use anchor_lang::{AnchorDeserialize, Discriminator};
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence::events::UsageRecorded;
use coherence::state::{Engine, EpochRecord};
use coherence_sdk::client::rpc::{PriorityFee, RpcBackend};
use coherence_sdk::{defaults, instructions as ix, ops, pda, Client, ClientError, EngineKeys};
use solana_commitment_config::CommitmentConfig;
use solana_keypair::Keypair;
use solana_rpc_client::nonblocking::rpc_client::RpcClient;
use solana_signer::Signer;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const UNIT: u64 = 1_000_000;

/// One payer: its wallet (fee payer too), token account, shard and source.
pub struct Payer {
    pub wallet: Keypair,
    pub tokens: Pubkey,
    pub shard: u8,
    pub source: Option<Pubkey>,
}

/// A confirmed payment, as the client saw it.
#[derive(Clone, Debug)]
pub struct Payment {
    pub payer: usize,
    pub amount: u64,
    pub signature: String,
    /// From the first send to confirmation (retries included).
    pub latency: Duration,
    /// RPC failures this intent went through before it was confirmed.
    pub retries: u32,
}

/// Everything a traffic run did.
#[derive(Default, Debug)]
pub struct Traffic {
    pub confirmed: Vec<Payment>,
    /// Refusals and expiries, by cause (the program's error name, or the
    /// client's): none of them moved a token.
    pub failed: BTreeMap<String, usize>,
    /// RPC failures retried (the same intent again).
    pub rpc_retries: usize,
    pub elapsed: Duration,
}

impl Traffic {
    /// Confirmed payments per second of the run.
    pub fn per_second(&self) -> f64 {
        self.confirmed.len() as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    /// The `p`-th percentile of confirmation latency.
    pub fn latency(&self, p: f64) -> Duration {
        let mut all: Vec<Duration> = self.confirmed.iter().map(|c| c.latency).collect();
        all.sort_unstable();
        all.get(((all.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or_default()
    }
}

/// The name of why a payment failed.
fn cause(e: &ClientError) -> String {
    match e {
        ClientError::Program { error, .. } => error.name(),
        ClientError::Anchor { code, .. } => {
            coherence_sdk::error::anchor_error_name(*code).unwrap_or_else(|| format!("Anchor {code}"))
        }
        ClientError::Expired => "blockhash expired (not landed)".into(),
        ClientError::Transaction { error, .. } => format!("transaction: {error}"),
        other => format!("{other}"),
    }
}

/// Runs `payers` against `url` until `until` (new intents stop then; an
/// intent in flight is retried until it resolves, at most `settle` longer)
/// or until `max` payments were attempted, or `stop` is set.
pub async fn run(
    url: &str,
    keys: EngineKeys,
    payers: Vec<Payer>,
    until: Instant,
    settle: Duration,
    max: usize,
    stop: Arc<AtomicBool>,
) -> Traffic {
    let started = Instant::now();
    let attempts = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for (index, payer) in payers.into_iter().enumerate() {
        let (url, stop, attempts) = (url.to_string(), stop.clone(), attempts.clone());
        tasks.push(tokio::spawn(async move {
            let rpc = RpcBackend::new(url, CommitmentConfig::confirmed(), PriorityFee::None);
            let mut client = Client::rpc(rpc, payer.wallet.insecure_clone());
            let me = payer.wallet.pubkey();
            let mut out = Traffic::default();
            let mut n = 0u64;
            while Instant::now() < until
                && !stop.load(Ordering::SeqCst)
                && attempts.fetch_add(1, Ordering::SeqCst) < max
            {
                n += 1;
                // Amounts of this payer's own: every payment is its own intent.
                let amount = 1_000 * n + index as u64;
                let first = Instant::now();
                let mut retries = 0u32;
                let mut ixs = None;
                loop {
                    if ixs.is_none() {
                        match ops::record_usage_ixs(&mut client, &keys, &me, payer.shard, amount, payer.source).await {
                            Ok(built) => ixs = Some(built),
                            Err(_) if Instant::now() < until + settle => {
                                retries += 1;
                                tokio::time::sleep(Duration::from_millis(500)).await;
                                continue;
                            }
                            Err(e) => {
                                *out.failed.entry(format!("unresolved: {}", cause(&e))).or_default() += 1;
                                break;
                            }
                        }
                    }
                    let built = ixs.as_ref().expect("built");
                    match client.send(built, &[]).await {
                        Ok(signature) => {
                            let latency = first.elapsed();
                            out.confirmed.push(Payment { payer: index, amount, signature, latency, retries });
                            break;
                        }
                        Err(ClientError::Rpc(_)) if Instant::now() < until + settle => {
                            retries += 1;
                            out.rpc_retries += 1;
                            tokio::time::sleep(Duration::from_millis(500)).await;
                        }
                        Err(e) => {
                            *out.failed.entry(cause(&e)).or_default() += 1;
                            break;
                        }
                    }
                }
            }
            out
        }));
    }
    let mut all = Traffic::default();
    for task in tasks {
        let t = task.await.expect("payer task");
        all.confirmed.extend(t.confirmed);
        all.rpc_retries += t.rpc_retries;
        for (k, v) in t.failed {
            *all.failed.entry(k).or_default() += v;
        }
    }
    all.elapsed = started.elapsed().min(until.saturating_duration_since(started).max(Duration::from_secs(1)));
    all
}

/// The `UsageRecorded` events of a transaction's inner instructions (the
/// event CPI: Anchor's event tag, then the event's discriminator and data).
fn usage_events(
    tx: &solana_transaction_status_client_types::EncodedConfirmedTransactionWithStatusMeta,
) -> Vec<UsageRecorded> {
    use solana_transaction_status_client_types::option_serializer::OptionSerializer;
    use solana_transaction_status_client_types::UiInstruction;
    let Some(meta) = &tx.transaction.meta else { return vec![] };
    if meta.err.is_some() {
        return vec![];
    }
    let OptionSerializer::Some(inner) = &meta.inner_instructions else { return vec![] };
    let mut out = Vec::new();
    for group in inner {
        for ix in &group.instructions {
            let UiInstruction::Compiled(c) = ix else { continue };
            let Ok(data) = bs58::decode(&c.data).into_vec() else { continue };
            let tag = anchor_lang::event::EVENT_IX_TAG_LE;
            if data.len() > 16 && data[..8] == *tag && data[8..16] == *UsageRecorded::DISCRIMINATOR {
                if let Ok(e) = UsageRecorded::try_from_slice(&data[16..]) {
                    out.push(e);
                }
            }
        }
    }
    out
}

/// What the ledger says the payers paid, and the checks of it.
#[derive(Debug, Default)]
pub struct Audit {
    /// Σ amounts of the payments found on the ledger, per epoch.
    pub per_epoch: BTreeMap<u64, u64>,
    pub payments: usize,
}

/// Reads every transaction of every payer from the cluster at `url` and
/// checks the run against the ledger. `start_balances` are the payers'
/// token balances before the run; `others` are payments the payers did not
/// make in `traffic` but the epochs hold (none in a pure run).
///
/// Panics with what differs: a confirmed payment missing or found twice, a
/// payment on the ledger the client never saw confirmed, an epoch record
/// whose usage is not the sum of its payments, escrows that did not burn
/// exactly what was paid, a payer whose balance moved by more or less than
/// its confirmed payments, or the supply history (I1, I3).
pub async fn audit(
    url: &str,
    keys: &EngineKeys,
    payers: &[(Pubkey, Pubkey)],
    start_balances: &[u64],
    traffic: &Traffic,
    start_supply: u64,
) -> Audit {
    let rpc = RpcClient::new_with_commitment(url.to_string(), CommitmentConfig::confirmed());
    let mut found: HashMap<String, Vec<UsageRecorded>> = HashMap::new();
    for (wallet, _) in payers {
        let mut before = None;
        loop {
            let config = solana_rpc_client::rpc_client::GetConfirmedSignaturesForAddress2Config {
                before,
                until: None,
                limit: Some(1_000),
                commitment: Some(CommitmentConfig::confirmed()),
            };
            let page = rpc.get_signatures_for_address_with_config(wallet, config).await.expect("signatures");
            if page.is_empty() {
                break;
            }
            before = page.last().and_then(|s| s.signature.parse().ok());
            for s in page.iter().filter(|s| s.err.is_none()) {
                let signature = s.signature.parse().expect("signature");
                let config = solana_rpc_client_api::config::RpcTransactionConfig {
                    encoding: Some(solana_transaction_status_client_types::UiTransactionEncoding::Base64),
                    commitment: Some(CommitmentConfig::confirmed()),
                    max_supported_transaction_version: Some(0),
                };
                let tx = rpc.get_transaction_with_config(&signature, config).await.expect("transaction");
                let events = usage_events(&tx);
                if !events.is_empty() {
                    found.insert(s.signature.clone(), events);
                }
            }
        }
    }
    let mut audit = Audit::default();
    // Every confirmed payment is on the ledger exactly once, as sent.
    let mut confirmed_by_sig: HashMap<&str, &Payment> = HashMap::new();
    for p in &traffic.confirmed {
        assert!(
            confirmed_by_sig.insert(p.signature.as_str(), p).is_none(),
            "signature {} confirmed twice",
            p.signature
        );
        let events =
            found.get(&p.signature).unwrap_or_else(|| panic!("confirmed payment {} not on the ledger", p.signature));
        assert_eq!(events.len(), 1, "{}: {} usage events", p.signature, events.len());
        assert_eq!((events[0].amount, events[0].payer), (p.amount, payers[p.payer].0), "{}", p.signature);
    }
    // Nothing on the ledger the client did not see confirmed.
    for (sig, events) in &found {
        assert!(
            confirmed_by_sig.contains_key(sig.as_str()),
            "{sig} paid {:?} but the client never saw it",
            events[0].amount
        );
        for e in events {
            *audit.per_epoch.entry(e.epoch).or_default() += e.amount;
            audit.payments += 1;
        }
    }
    // The epoch records add up; the escrows burned exactly what was paid.
    let engine: Engine = fetch(&rpc, &keys.engine).await;
    let (mut burned, mut emitted) = (0u128, 0u128);
    for epoch in 0..engine.next_epoch {
        let r: EpochRecord = fetch(&rpc, &pda::epoch_record(&keys.engine, epoch)).await;
        assert_eq!(
            r.usage,
            audit.per_epoch.get(&epoch).copied().unwrap_or(0),
            "epoch {epoch}: record vs the payments in it"
        );
        burned += u128::from(r.escrow_burned);
        emitted += u128::from(r.emission);
    }
    let mut escrowed = 0u128;
    for shard in 0..engine.usage_shards {
        let escrow = pda::usage_escrow(&keys.engine, shard);
        escrowed += u128::from(token_amount(&rpc, &escrow).await);
    }
    let paid: u128 = audit.per_epoch.values().map(|&v| u128::from(v)).sum();
    assert_eq!(burned + escrowed, paid, "escrows: burned {burned} + held {escrowed} = paid {paid}");
    // Each payer moved exactly its confirmed payments.
    for (i, (_, tokens)) in payers.iter().enumerate() {
        let sent: u64 = traffic.confirmed.iter().filter(|p| p.payer == i).map(|p| p.amount).sum();
        let now = token_amount(&rpc, tokens).await;
        assert_eq!(start_balances[i] - now, sent, "payer {i}: balance moved by its confirmed payments only");
    }
    // Supply history, I1 and I3.
    let supply = mint_supply(&rpc, &keys.mint).await;
    assert_eq!(u128::from(supply) + burned, u128::from(start_supply) + emitted, "supply = start − burned + emitted");
    assert!(engine.total_emitted * 10_000 <= engine.total_usage_burned * 9_000, "I1");
    assert!(supply <= engine.max_supply, "I3");
    audit
}

async fn fetch<T: anchor_lang::AccountDeserialize>(rpc: &RpcClient, key: &Pubkey) -> T {
    let data = rpc.get_account_data(key).await.unwrap_or_else(|e| panic!("{key}: {e}"));
    T::try_deserialize(&mut &data[..]).expect("decode")
}

async fn token_amount(rpc: &RpcClient, account: &Pubkey) -> u64 {
    let data = rpc.get_account_data(account).await.unwrap_or_default();
    data.get(64..72).map_or(0, |b| u64::from_le_bytes(b.try_into().expect("8 bytes")))
}

/// The payers' token balances (the second of each `(wallet, tokens)` pair),
/// in order: what [`audit`] takes as `start_balances`.
pub async fn token_balances(rpc: &RpcClient, payers: &[(Pubkey, Pubkey)]) -> Vec<u64> {
    let mut out = Vec::with_capacity(payers.len());
    for (_, tokens) in payers {
        out.push(token_amount(rpc, tokens).await);
    }
    out
}

/// The mint's supply.
pub async fn mint_supply(rpc: &RpcClient, mint: &Pubkey) -> u64 {
    let data = rpc.get_account_data(mint).await.expect("mint");
    u64::from_le_bytes(data[36..44].try_into().expect("8 bytes"))
}

/// A mint, an engine with `shards` shards and 60-second epochs, `builders`
/// sources and `n` funded payers (SOL and tokens), on `client`'s cluster.
pub async fn setup(client: &mut Client, shards: u8, n: usize, builders: usize) -> (EngineKeys, Vec<Payer>) {
    let me = client.payer().pubkey();
    let mint = crate::new_keypair();
    let program = anchor_spl::token::ID;
    let keys = EngineKeys::new(mint.pubkey(), program);
    let tokens = ops::ata(&keys, &me);
    let mut ixs = crate::create_mint_ixs(&me, &mint.pubkey(), program, &me, None, &[], 6);
    ixs.push(ops::create_ata_ix(&keys, &me, &me));
    ixs.push(
        t22::instruction::mint_to_checked(&program, &mint.pubkey(), &tokens, &me, &[], 100_000_000 * UNIT, 6).unwrap(),
    );
    client.send(&ixs, &[&mint]).await.expect("mint");
    let mut args = defaults::init_args(me, 1_000_000_000 * UNIT);
    (args.epoch_secs, args.usage_shards) = (60, shards);
    args.params.min_lock = 60;
    ops::init_engine(client, mint.pubkey(), program, args).await.expect("genesis");
    let mut sources = Vec::new();
    for id in 0..builders as u64 {
        let builder = crate::new_keypair();
        let fund = solana_system_interface::instruction::transfer(&me, &builder.pubkey(), 100_000_000);
        client.send(&[fund], &[]).await.expect("fund builder");
        client.send(&[ix::register_source(&keys, &builder.pubkey(), id)], &[&builder]).await.expect("source");
        sources.push(pda::source(&keys.engine, id));
    }
    let mut payers = Vec::new();
    for i in 0..n {
        let wallet = crate::new_keypair();
        let tokens = ops::ata(&keys, &wallet.pubkey());
        let source = (i % 4 == 0 && !sources.is_empty()).then(|| sources[(i / 4) % sources.len()]);
        payers.push(Payer { wallet, tokens, shard: (i % usize::from(shards)) as u8, source });
    }
    for chunk in payers.chunks(4) {
        let mut ixs = Vec::new();
        for p in chunk {
            let who = p.wallet.pubkey();
            ixs.push(solana_system_interface::instruction::transfer(&me, &who, 1_000_000_000));
            ixs.push(ops::create_ata_ix(&keys, &me, &who));
            ixs.push(
                t22::instruction::transfer_checked(
                    &program,
                    &tokens,
                    &keys.mint,
                    &p.tokens,
                    &me,
                    &[],
                    100_000 * UNIT,
                    6,
                )
                .unwrap(),
            );
        }
        client.send(&ixs, &[]).await.expect("fund payers");
    }
    (keys, payers)
}

/// Closes every ended epoch once the clock has passed `epoch`'s end.
pub async fn close_through(client: &mut Client, keys: &EngineKeys, epoch: u64) {
    loop {
        let _ = ops::crank(client, keys).await;
        if client.get::<Engine>(&keys.engine).await.expect("engine").next_epoch > epoch {
            return;
        }
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}
