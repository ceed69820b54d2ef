//! Which SPL Token program the in-process bank runs at SPL Token's address.
//!
//! solana-program-test 3.1.12 loads SPL Token 3.5 there, the program every
//! figure of the test tiers was measured against. Mainnet has run p-token
//! (SIMD-0266) at the same address since epoch 971: the same instructions
//! and account layouts, rewritten to cost a few hundred compute units where
//! SPL Token 3.5 costs thousands. Set [`P_TOKEN_ENV`] to `1` and every bank
//! this crate starts ([`local_bank`]: the [`Harness`](crate::Harness)'s, and
//! those of the tests that drive the SDK's client in process) loads p-token's
//! bytecode (`tests/fixtures/p_token.so`, see `fixtures/README.md`) at SPL
//! Token's address instead, so those tests and the `cu` benchmark run against
//! the token program mainnet runs. The banks of other crates' tests (the
//! CLI's, the simulator's, the deploy script's) keep SPL Token 3.5. The
//! validator tier's validators ([`crate::validator::TestValidator`]) load it
//! too (`--bpf-program`), for whichever crate starts them.

use anchor_lang::prelude::Pubkey;
use coherence_sdk::client::local::{LocalBank, ProgramTest};

/// Set to `1` to run p-token at SPL Token's address.
pub const P_TOKEN_ENV: &str = "COHERENCE_P_TOKEN";

/// The token program the harness loads at SPL Token's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplToken {
    /// SPL Token 3.5, the one solana-program-test and solana-test-validator bundle.
    Classic,
    /// p-token, from the committed fixture.
    PToken,
}

impl SplToken {
    /// The choice [`P_TOKEN_ENV`] makes (any value other than `1`, or none:
    /// [`SplToken::Classic`]).
    pub fn selected() -> SplToken {
        match std::env::var(P_TOKEN_ENV).as_deref() {
            Ok("1") => SplToken::PToken,
            _ => SplToken::Classic,
        }
    }

    /// How the benchmark names it.
    pub fn label(self) -> &'static str {
        match self {
            SplToken::Classic => "SPL Token 3.5 (bundled with solana-program-test and solana-test-validator)",
            SplToken::PToken => "p-token (mainnet's SPL Token since epoch 971)",
        }
    }

    /// Loads the selected program into a test bank before it starts
    /// (nothing for [`SplToken::Classic`], which the bank has already).
    pub fn add_to(self, pt: &mut ProgramTest) {
        if self == SplToken::PToken {
            coherence_sdk::client::local::add_bpf_program(pt, crate::TOKEN, p_token_so());
        }
    }
}

/// Where p-token's bytecode is committed (see `fixtures/README.md`).
pub fn p_token_so_path() -> std::path::PathBuf {
    crate::fixture_so_path("p_token.so")
}

/// p-token's bytecode, as committed.
pub fn p_token_so() -> Vec<u8> {
    crate::fixture_so("p_token.so")
}

/// The bytecode of the program at `id` on a validator: the account's data
/// under the BPF loader, or its program data's (after the loader's header)
/// under the upgradeable loader, as `--bpf-program` loads it.
pub async fn program_elf(rpc: &solana_rpc_client::nonblocking::rpc_client::RpcClient, id: &Pubkey) -> Vec<u8> {
    use solana_loader_v3_interface::{get_program_data_address, state::UpgradeableLoaderState};
    let program = rpc.get_account(id).await.expect("the program's account");
    if program.owner != anchor_lang::solana_program::bpf_loader_upgradeable::ID {
        return program.data;
    }
    let data = rpc.get_account(&get_program_data_address(id)).await.expect("the program data account").data;
    data[UpgradeableLoaderState::size_of_programdata_metadata()..].to_vec()
}

/// An in-process bank with the program, the token program [`P_TOKEN_ENV`]
/// selects, funded `wallets` and whatever `extra` adds
/// (`LocalBank::start_with` otherwise).
pub async fn local_bank(wallets: &[Pubkey], extra: impl FnOnce(&mut ProgramTest)) -> LocalBank {
    let token = SplToken::selected();
    LocalBank::start_with(None, wallets, |pt| {
        token.add_to(pt);
        extra(pt)
    })
    .await
    .expect("start the in-process bank")
}
