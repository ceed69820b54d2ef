//! The committed IDL (`idl/coherence.json`) must match the program, and a
//! client that reads only that file must be able to derive every account of
//! every instruction.
//!
//! Generation uses the program's `idl-build` feature through
//! `anchor-lang-idl` (no Anchor CLI needed), in its own target directory so it
//! does not invalidate the main build. `UPDATE_IDL=1 cargo test --test idl`
//! rewrites the committed file.

use anchor_lang::prelude::Pubkey;
use anchor_lang_idl::types::{Idl, IdlInstructionAccountItem, IdlPda, IdlSeed, IdlSeedAccount, IdlSeedConst};
use coherence_sdk::{pda, EngineKeys};
use serde_json::Value;
use std::collections::HashMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf()
}

#[test]
fn committed_idl_is_current() {
    let root = root();
    // anchor-lang-idl 0.1.4 mishandles RUSTUP_TOOLCHAIN (set by rustup's cargo proxy).
    std::env::remove_var("RUSTUP_TOOLCHAIN");
    std::env::set_var("CARGO_TARGET_DIR", root.join("target/idl"));
    let idl = anchor_lang_idl::build::IdlBuilder::new()
        .program_path(root.join("programs/coherence"))
        .build()
        .expect("IDL build");
    let idl = complete_event_cpi_accounts(idl);
    let fresh = serde_json::to_string_pretty(&idl).expect("serialize IDL") + "\n";
    let path = root.join("idl/coherence.json");
    if std::env::var("UPDATE_IDL").is_ok() {
        std::fs::write(&path, &fresh).expect("write IDL");
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(committed == fresh, "idl/coherence.json is stale: run `UPDATE_IDL=1 cargo test --test idl` and commit it");

    // The SDK's error-name table covers exactly the IDL's errors, in order.
    let names: Vec<String> = idl.errors.iter().map(|e| e.name.clone()).collect();
    let sdk: Vec<String> = coherence_sdk::error::ALL_ERRORS.iter().map(|e| e.name()).collect();
    assert_eq!(names, sdk);
    for (i, e) in idl.errors.iter().enumerate() {
        assert_eq!(e.code, 6000 + i as u32);
    }

    // Every instruction has a measured compute budget (`coherence_sdk::compute`,
    // from the SBF benchmark), so `--print-tx` never falls back to a guess.
    for ix in &idl.instructions {
        let probe = anchor_lang::solana_program::instruction::Instruction {
            program_id: coherence::ID,
            accounts: vec![],
            data: ix.discriminator.clone(),
        };
        assert!(coherence_sdk::compute::worst(&probe).is_some(), "{} has no measured compute budget", ix.name);
        // And a shape the entrypoint checks: its account count, `program` last.
        let shape = coherence::entrypoint::SHAPES.iter().find(|s| s.discriminator == ix.discriminator.as_slice());
        let shape = shape.unwrap_or_else(|| panic!("{} has no shape in the entrypoint's table", ix.name));
        assert_eq!(shape.accounts, ix.accounts.len(), "{}: declared accounts", ix.name);
        let last = match ix.accounts.last() {
            Some(IdlInstructionAccountItem::Single(a)) => a.name.as_str(),
            _ => "",
        };
        assert_eq!(last, "program", "{}: the event CPI's program is the last declared account", ix.name);
    }
    assert_eq!(idl.instructions.len(), coherence::entrypoint::SHAPES.len(), "one shape per instruction");
}

/// Anchor 1.2.2's IDL generator leaves the two accounts that `#[event_cpi]`
/// appends without an address (`event_authority` is constrained by
/// `address = crate::EVENT_AUTHORITY_AND_BUMP.0`, which it cannot express).
/// Fill them in, so an IDL-only client can build every instruction:
/// `event_authority` is the program's PDA `["__event_authority"]`, `program`
/// is the program itself.
fn complete_event_cpi_accounts(mut idl: Idl) -> Idl {
    for ix in &mut idl.instructions {
        for item in &mut ix.accounts {
            let IdlInstructionAccountItem::Single(account) = item else { continue };
            match account.name.as_str() {
                "event_authority" if account.pda.is_none() => {
                    let seeds = vec![IdlSeed::Const(IdlSeedConst { value: b"__event_authority".to_vec() })];
                    account.pda = Some(IdlPda { seeds, program: None });
                }
                "program" if account.address.is_none() => account.address = Some(coherence::ID.to_string()),
                "token_owner_record" if account.pda.is_none() => account.pda = Some(token_owner_record_pda()),
                _ => {}
            }
        }
    }
    idl
}

/// Accounts whose address is the client's own choice, not derivable: the
/// signer's token account of the engine's mint (any, e.g. its ATA), and the
/// mint an engine is created for (`initialize_engine`; elsewhere the IDL
/// relates `mint` to the engine).
const CLIENT_CHOSEN: [&str; 4] = ["from", "destination", "payer_tokens", "mint"];
/// Accounts that hold an epoch record under another name (a source's epochs:
/// `["epoch", engine, source.epoch]`, `source.epoch_b`).
const EPOCH_RECORD_ALIASES: [&str; 2] = ["source_record", "source_record_b"];
/// Accounts fixed by another account of the same instruction, which the IDL
/// must resolve in that instruction itself (seeds, a relation or an
/// address), not only where the account is created: a client must not need
/// to know where else to look.
const RESOLVED_IN_PLACE: [&str; 3] = ["usage_escrow", "event_authority", "program"];

/// Anchor 1.2.2's IDL generator also drops the seeds of an account whose
/// `seeds::program` is a field of another account: the owner's SPL
/// Governance `TokenOwnerRecord` (`start_unbond`, `withdraw`), the
/// governance program's PDA `["governance", engine.voting_realm,
/// engine.mint, owner]` under `engine.voting_program`. Filled in from the
/// program's own constraint.
fn token_owner_record_pda() -> IdlPda {
    let field = |path: &str| IdlSeed::Account(IdlSeedAccount { path: path.into(), account: Some("Engine".into()) });
    let owner = IdlSeed::Account(IdlSeedAccount { path: "owner".into(), account: None });
    let seeds = vec![
        IdlSeed::Const(IdlSeedConst { value: coherence::state::seeds::GOVERNANCE.to_vec() }),
        field("engine.voting_realm"),
        field("engine.mint"),
        owner,
    ];
    IdlPda { seeds, program: Some(field("engine.voting_program")) }
}

/// Reads the committed IDL as a third-party client would.
fn committed_idl() -> Value {
    let text = std::fs::read_to_string(root().join("idl/coherence.json")).expect("read idl/coherence.json");
    serde_json::from_str(&text).expect("IDL JSON")
}

/// Every account of every instruction is either a signer, a fixed address,
/// a PDA whose seeds the IDL carries (here or where the account is created),
/// an address stored in a related account (`relations`, or the engine's
/// `token_program` field), or the signer's own token account. And every PDA
/// the IDL describes derives to the address the program and SDK use.
#[test]
fn idl_derives_every_account_address() {
    let idl = committed_idl();
    let instructions = idl["instructions"].as_array().expect("instructions");
    let mut pdas: HashMap<String, Value> = HashMap::new();
    for ix in instructions {
        for account in ix["accounts"].as_array().expect("accounts") {
            if let Some(p) = account.get("pda") {
                pdas.entry(account["name"].as_str().unwrap().to_string()).or_insert_with(|| p.clone());
            }
        }
    }
    let mut underivable = Vec::new();
    for ix in instructions {
        for account in ix["accounts"].as_array().unwrap() {
            let name = account["name"].as_str().unwrap();
            let derivable = account["signer"].as_bool() == Some(true)
                || account.get("address").is_some()
                || pdas.contains_key(name)
                || (EPOCH_RECORD_ALIASES.contains(&name) && pdas.contains_key("epoch_record"))
                || account["relations"].as_array().is_some_and(|r| !r.is_empty())
                || name == "token_program"
                || CLIENT_CHOSEN.contains(&name);
            let in_place = account.get("pda").is_some()
                || account.get("address").is_some()
                || account["relations"].as_array().is_some_and(|r| !r.is_empty());
            if !derivable || (RESOLVED_IN_PLACE.contains(&name) && !in_place) {
                underivable.push(format!("{}.{name}", ix["name"].as_str().unwrap()));
            }
        }
    }
    assert!(underivable.is_empty(), "accounts an IDL-only client cannot derive: {underivable:?}");

    // Derive each PDA from the IDL's seeds alone and compare with the SDK.
    let mint = Pubkey::new_unique();
    let keys = EngineKeys::new(mint, anchor_spl::token::ID);
    let owner = Pubkey::new_unique();
    let (realm, governance_program) = (Pubkey::new_unique(), Pubkey::new_unique());
    let accounts: HashMap<&str, Vec<u8>> = HashMap::from([
        ("mint", mint.to_bytes().to_vec()),
        ("engine", keys.engine.to_bytes().to_vec()),
        ("owner", owner.to_bytes().to_vec()),
        ("engine.vesting_count", 7u64.to_le_bytes().to_vec()),
        ("engine.source_count", 9u64.to_le_bytes().to_vec()),
        ("engine.voting_realm", realm.to_bytes().to_vec()),
        ("engine.mint", mint.to_bytes().to_vec()),
        ("engine.voting_program", governance_program.to_bytes().to_vec()),
    ]);
    let args: HashMap<&str, Vec<u8>> = HashMap::from([
        ("id", 5u64.to_le_bytes().to_vec()),
        ("epoch", 11u64.to_le_bytes().to_vec()),
        ("shard", vec![3u8]),
    ]);
    let expected: HashMap<&str, Pubkey> = HashMap::from([
        ("engine", keys.engine),
        ("stake_pool", keys.stake_pool),
        ("stake_vault", keys.stake_vault),
        ("reward_vault", keys.reward_vault),
        ("treasury", keys.treasury),
        ("vesting_vault", keys.vesting_vault),
        ("builder_vault", keys.builder_vault),
        ("position", pda::position(&keys.engine, &owner, 5)),
        ("vesting", pda::vesting(&keys.engine, 7)),
        ("source", pda::source(&keys.engine, 9)),
        ("epoch_record", pda::epoch_record(&keys.engine, 11)),
        ("usage_shard", pda::usage_shard(&keys.engine, 3)),
        ("event_authority", Pubkey::find_program_address(&[b"__event_authority"], &coherence::ID).0),
        ("registrar", pda::registrar(&keys.engine)),
        ("voter_weight_record", pda::voter_weight_record(&keys.engine, &owner)),
        ("max_voter_weight_record", pda::max_voter_weight_record(&keys.engine)),
        ("token_owner_record", pda::token_owner_record(&governance_program, &realm, &mint, &owner)),
    ]);
    for (name, want) in &expected {
        let seeds =
            pdas.get(*name).unwrap_or_else(|| panic!("the IDL has no seeds for {name}"))["seeds"].as_array().unwrap();
        let bytes: Vec<Vec<u8>> = seeds
            .iter()
            .map(|seed| {
                let path = seed["path"].as_str().unwrap_or_default();
                match seed["kind"].as_str().unwrap() {
                    "const" => seed["value"].as_array().unwrap().iter().map(|b| b.as_u64().unwrap() as u8).collect(),
                    "arg" => args.get(path).unwrap_or_else(|| panic!("{name}: arg {path}")).clone(),
                    "account" => accounts.get(path).unwrap_or_else(|| panic!("{name}: account {path}")).clone(),
                    other => panic!("{name}: seed kind {other}"),
                }
            })
            .collect();
        let slices: Vec<&[u8]> = bytes.iter().map(Vec::as_slice).collect();
        let program = match pdas[*name].get("program") {
            Some(p) => {
                let path = p["path"].as_str().unwrap();
                Pubkey::try_from(accounts.get(path).unwrap_or_else(|| panic!("{name}: program {path}")).as_slice())
                    .unwrap()
            }
            None => coherence::ID,
        };
        let derived = Pubkey::find_program_address(&slices, &program).0;
        assert_eq!(derived, *want, "{name}: IDL seeds derive another address");
    }
}
