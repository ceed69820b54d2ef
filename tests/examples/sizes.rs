//! Benchmark: every account's size and rent, and the serialized size of the
//! heaviest transactions (record_usage with a source; close_epoch with 1, 4,
//! 9 and 16 shards, as a legacy transaction and as a v0 transaction with the
//! engine's address lookup table). Prints Markdown tables; the README
//! records their output.
//!
//! `cargo run -p coherence-tests --example sizes`

use anchor_lang::prelude::{Pubkey, Rent};
use anchor_lang::Space;
use coherence::state::*;
use coherence_sdk::lookup::{self, AddressLookupTableAccount};
use coherence_sdk::{instructions as ix, pda, EngineKeys};
use solana_keypair::Keypair;
use solana_message::{v0, VersionedMessage};
use solana_signer::Signer;
use solana_transaction::versioned::VersionedTransaction;
use solana_transaction::Transaction;

/// Solana's packet limit for a serialized transaction.
const PACKET: usize = 1232;

fn tx_size(ixs: &[anchor_lang::solana_program::instruction::Instruction], signers: &[&Keypair]) -> (usize, usize) {
    let payer = signers[0].pubkey();
    let tx = Transaction::new_signed_with_payer(ixs, Some(&payer), signers, Default::default());
    let bytes = bincode::serialize(&tx).expect("serialize");
    (bytes.len(), tx.message.account_keys.len())
}

/// Size and account count of a v0 transaction compiled against `tables`.
fn v0_size(
    ixs: &[anchor_lang::solana_program::instruction::Instruction],
    signers: &[&Keypair],
    tables: &[AddressLookupTableAccount],
) -> (usize, usize) {
    let payer = signers[0].pubkey();
    let message = v0::Message::try_compile(&payer, ixs, tables, Default::default()).expect("compile");
    let looked_up: usize =
        message.address_table_lookups.iter().map(|l| l.writable_indexes.len() + l.readonly_indexes.len()).sum();
    let accounts = message.account_keys.len() + looked_up;
    let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), signers).expect("sign");
    (bincode::serialize(&tx).expect("serialize").len(), accounts)
}

fn main() {
    let rent = Rent::default();
    println!("| account | size (bytes) | rent-exempt lamports |\n|---|---:|---:|");
    let rows: [(&str, usize); 10] = [
        ("Engine", 8 + Engine::INIT_SPACE),
        ("StakePool", 8 + StakePool::INIT_SPACE),
        ("Position", 8 + Position::INIT_SPACE),
        ("VestingSchedule", 8 + VestingSchedule::INIT_SPACE),
        ("UsageShard", 8 + UsageShard::INIT_SPACE),
        ("EpochRecord", 8 + EpochRecord::INIT_SPACE),
        ("Source", 8 + Source::INIT_SPACE),
        ("Registrar", 8 + Registrar::INIT_SPACE),
        ("VoterWeightRecord", 8 + VoterWeightRecord::INIT_SPACE),
        ("MaxVoterWeightRecord", 8 + MaxVoterWeightRecord::INIT_SPACE),
    ];
    for (name, size) in rows {
        println!("| {name} | {size} | {} |", rent.minimum_balance(size));
    }
    println!("| token vault (×5, SPL layout) | 165 | {} |", rent.minimum_balance(165));

    let keys = EngineKeys::new(Pubkey::new_unique(), anchor_spl::token::ID);
    let (payer, user) = (Keypair::new(), Keypair::new());
    let tokens = Pubkey::new_unique();
    let cu = solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_limit(200_000);
    let price = solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_price(1);
    let source = pda::source(&keys.engine, 0);
    let cases = [
        (
            "record_usage (no source)",
            vec![cu.clone(), price.clone(), ix::record_usage(&keys, &user.pubkey(), &tokens, 3, 1, None, None)],
        ),
        (
            "record_usage (source + settlement record)",
            vec![
                cu.clone(),
                price.clone(),
                ix::record_usage(
                    &keys,
                    &user.pubkey(),
                    &tokens,
                    3,
                    1,
                    Some(source),
                    Some(pda::epoch_record(&keys.engine, 7)),
                ),
            ],
        ),
    ];
    println!(
        "\n| transaction (legacy, with compute-budget ixs) | bytes | of {PACKET} | accounts |\n|---|---:|---:|---:|"
    );
    for (name, ixs) in cases {
        let (bytes, accounts) = tx_size(&ixs, &[&payer, &user]);
        println!("| {name} | {bytes} | {:.0} % | {accounts} |", bytes as f64 * 100.0 / PACKET as f64);
    }

    // close_epoch: every shard and its escrow are named; the engine's lookup
    // table holds them (and the fixed accounts), one byte each in a v0 message.
    println!("\n| close_epoch (with compute-budget ixs) | legacy bytes | v0 + lookup table bytes | of {PACKET} | accounts |\n|---|---:|---:|---:|---:|");
    for shards in [1u8, 4, 9, 16] {
        let ixs = vec![cu.clone(), price.clone(), ix::close_epoch(&keys, &payer.pubkey(), 7, shards)];
        let (legacy, accounts) = tx_size(&ixs, &[&payer]);
        let table = AddressLookupTableAccount {
            key: Pubkey::new_unique(),
            addresses: lookup::close_epoch_addresses(&keys, shards),
        };
        let (with_table, _) = v0_size(&ixs, &[&payer], &[table]);
        let fits = if legacy <= PACKET { format!("{legacy}") } else { format!("{legacy} (does not fit)") };
        println!(
            "| {shards} shard{} | {fits} | {with_table} | {:.0} % | {accounts} |",
            if shards == 1 { "" } else { "s" },
            with_table as f64 * 100.0 / PACKET as f64
        );
    }
}
