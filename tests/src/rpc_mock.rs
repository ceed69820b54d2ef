//! An `RpcSender` that answers the SDK's RPC calls from the in-process bank,
//! so the SDK's real RPC path (simulate → size → send → confirm, account
//! reads, `getProgramAccounts`) is tested without a validator.

use anchor_lang::prelude::Pubkey;
use base64::Engine as _;
use serde_json::{json, Value};
use solana_program_test::BanksClient;
use solana_rpc_client::rpc_sender::{RpcSender, RpcTransportStats};
use solana_rpc_client_api::client_error::{Error as ClientError, ErrorKind, Result};
use solana_rpc_client_api::request::RpcRequest;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction_error::TransactionError;
use solana_transaction_status_client_types::UiTransactionError;
use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;

/// Forwards JSON-RPC requests to a `BanksClient`.
pub struct BankSender {
    banks: BanksClient,
    /// Every account key seen in a transaction (BanksClient has no getProgramAccounts).
    known: Mutex<BTreeSet<Pubkey>>,
    /// Outcome of every sent transaction, by signature.
    statuses: Mutex<HashMap<String, Option<TransactionError>>>,
    /// Calls received, by method name (shared, for assertions).
    pub calls: std::sync::Arc<Mutex<Vec<String>>>,
    /// Faults to inject (shared: a test flips them while the client runs).
    pub faults: std::sync::Arc<Faults>,
}

/// Faults a test injects into [`BankSender`], as a crashing node shows them.
#[derive(Default)]
pub struct Faults {
    /// Every request fails (the node is down).
    pub down: AtomicBool,
    /// The next `sendTransaction` lands, then its reply is lost and the node
    /// goes down (it crashed after accepting the transaction).
    pub lose_next_reply: AtomicBool,
    /// The next `sendTransaction` never reaches the bank, and the node goes
    /// down (it crashed before accepting it).
    pub lose_next_send: AtomicBool,
    /// The block height the node reports (blockhashes are valid up to
    /// 1,000,000: above it every earlier transaction has expired).
    pub block_height: AtomicU64,
    /// Signatures of the transactions that reached the bank, in order.
    pub landed: Mutex<Vec<String>>,
    /// When set, every `getLatestBlockhash` answers this one (the node has
    /// not moved to a new slot between two requests).
    pub blockhash: Mutex<Option<solana_hash::Hash>>,
}

fn err(message: impl Into<String>) -> ClientError {
    ClientError::from(ErrorKind::Custom(message.into()))
}

fn ctx(value: Value) -> Value {
    json!({ "context": { "slot": 1 }, "value": value })
}

fn decode_tx(params: &Value) -> Result<VersionedTransaction> {
    let encoded = params[0].as_str().ok_or_else(|| err("missing transaction"))?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|e| err(e.to_string()))?;
    bincode::deserialize(&bytes).map_err(|e| err(e.to_string()))
}

fn ui_account(account: &solana_account::Account) -> Value {
    json!({
        "lamports": account.lamports,
        "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
        "owner": account.owner.to_string(),
        "executable": account.executable,
        "rentEpoch": account.rent_epoch,
        "space": account.data.len(),
    })
}

fn ui_error(e: &TransactionError) -> Value {
    serde_json::to_value(UiTransactionError::from(e.clone())).unwrap_or(Value::Null)
}

impl BankSender {
    pub fn new(banks: BanksClient, known: impl IntoIterator<Item = Pubkey>) -> Self {
        BankSender {
            banks,
            known: Mutex::new(known.into_iter().collect()),
            statuses: Mutex::new(HashMap::new()),
            calls: Default::default(),
            faults: Default::default(),
        }
    }

    fn remember(&self, tx: &VersionedTransaction) {
        if let Ok(mut known) = self.known.lock() {
            known.extend(tx.message.static_account_keys().iter().copied());
        }
    }

    fn memcmp_matches(filter: &Value, data: &[u8]) -> bool {
        let m = &filter["memcmp"];
        let offset = m["offset"].as_u64().unwrap_or(0) as usize;
        let bytes: Option<Vec<u8>> = match (&m["bytes"], m["encoding"].as_str()) {
            (Value::Array(raw), _) => raw.iter().map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok())).collect(),
            (Value::String(s), Some("base64")) => base64::engine::general_purpose::STANDARD.decode(s).ok(),
            (Value::String(s), _) => bs58::decode(s).into_vec().ok(),
            _ => None,
        };
        // An undecodable filter matches nothing.
        bytes.is_some_and(|b| data.get(offset..offset + b.len()) == Some(&b[..]))
    }
}

#[async_trait::async_trait]
impl RpcSender for BankSender {
    async fn send(&self, request: RpcRequest, params: Value) -> Result<Value> {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(request.to_string());
        }
        let f = &self.faults;
        if f.down.load(Ordering::SeqCst) {
            return Err(err("connection refused (the node is down)"));
        }
        let banks = self.banks.clone();
        match request {
            RpcRequest::GetLatestBlockhash => {
                let pinned = *f.blockhash.lock().unwrap();
                let hash = match pinned {
                    Some(hash) => hash,
                    None => banks.get_latest_blockhash().await.map_err(|e| err(e.to_string()))?,
                };
                Ok(ctx(json!({ "blockhash": hash.to_string(), "lastValidBlockHeight": 1_000_000u64 })))
            }
            RpcRequest::GetBlockHeight => Ok(json!(f.block_height.load(Ordering::SeqCst).max(1))),
            RpcRequest::GetRecentPrioritizationFees => Ok(json!([{ "slot": 1, "prioritizationFee": 7 }])),
            RpcRequest::SimulateTransaction => {
                let tx = decode_tx(&params)?;
                let sim = banks.simulate_transaction(tx).await.map_err(|e| err(e.to_string()))?;
                let (logs, units) = sim.simulation_details.map_or((vec![], 0), |d| (d.logs, d.units_consumed));
                let error = match sim.result {
                    Some(Err(e)) => ui_error(&e),
                    _ => Value::Null,
                };
                Ok(ctx(
                    json!({ "err": error, "logs": logs, "accounts": null, "unitsConsumed": units, "returnData": null }),
                ))
            }
            RpcRequest::SendTransaction => {
                let tx = decode_tx(&params)?;
                self.remember(&tx);
                let signature = tx.signatures[0].to_string();
                if f.lose_next_send.swap(false, Ordering::SeqCst) {
                    f.down.store(true, Ordering::SeqCst);
                    return Err(err("connection reset before the node accepted the transaction"));
                }
                if self.statuses.lock().map_err(|_| err("poisoned"))?.contains_key(&signature) {
                    return Ok(json!(signature)); // a resend of a known transaction
                }
                if let Ok(mut landed) = f.landed.lock() {
                    landed.push(signature.clone());
                }
                let outcome = banks.process_transaction(tx).await;
                let error = match outcome {
                    Ok(()) => None,
                    Err(solana_program_test::BanksClientError::TransactionError(e)) => Some(e),
                    Err(other) => return Err(err(other.to_string())),
                };
                if let Ok(mut statuses) = self.statuses.lock() {
                    statuses.insert(signature.clone(), error);
                }
                if f.lose_next_reply.swap(false, Ordering::SeqCst) {
                    f.down.store(true, Ordering::SeqCst);
                    return Err(err("connection reset after the node accepted the transaction"));
                }
                Ok(json!(signature))
            }
            RpcRequest::GetSignatureStatuses => {
                let statuses = self.statuses.lock().map_err(|_| err("poisoned"))?;
                let list: Vec<Value> = params[0]
                    .as_array()
                    .map(|sigs| {
                        sigs.iter()
                            .map(|s| match statuses.get(s.as_str().unwrap_or_default()) {
                                None => Value::Null,
                                Some(outcome) => {
                                    let e = outcome.as_ref().map(ui_error).unwrap_or(Value::Null);
                                    let status = match outcome {
                                        None => json!({ "Ok": null }),
                                        Some(_) => json!({ "Err": e.clone() }),
                                    };
                                    json!({ "slot": 1, "confirmations": null, "err": e, "status": status, "confirmationStatus": "finalized" })
                                }
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                Ok(ctx(Value::Array(list)))
            }
            RpcRequest::GetAccountInfo => {
                let key = Pubkey::from_str(params[0].as_str().unwrap_or_default()).map_err(|e| err(e.to_string()))?;
                let account = banks.get_account(key).await.map_err(|e| err(e.to_string()))?;
                Ok(ctx(account.as_ref().map(ui_account).unwrap_or(Value::Null)))
            }
            RpcRequest::GetProgramAccounts => {
                let program =
                    Pubkey::from_str(params[0].as_str().unwrap_or_default()).map_err(|e| err(e.to_string()))?;
                let filters = params[1]["filters"].as_array().cloned().unwrap_or_default();
                let keys: Vec<Pubkey> = self.known.lock().map_err(|_| err("poisoned"))?.iter().copied().collect();
                let mut out = Vec::new();
                for key in keys {
                    if let Some(a) = banks.get_account(key).await.map_err(|e| err(e.to_string()))? {
                        if a.owner == program && filters.iter().all(|f| Self::memcmp_matches(f, &a.data)) {
                            out.push(json!({ "pubkey": key.to_string(), "account": ui_account(&a) }));
                        }
                    }
                }
                Ok(Value::Array(out))
            }
            other => Err(err(format!("BankSender does not serve {other}"))),
        }
    }

    fn get_transport_stats(&self) -> RpcTransportStats {
        RpcTransportStats::default()
    }

    fn url(&self) -> String {
        "in-process-bank".into()
    }
}
