//! Which SPL Token program the in-process bank runs at SPL Token's address.
//!
//! solana-program-test 3.1.12 loads SPL Token 3.5 there, the program every
//! figure of the test tiers was measured against. Mainnet has run p-token
//! (SIMD-0266) at the same address since epoch 971: the same instructions
//! and account layouts, rewritten to cost a few hundred compute units where
//! SPL Token 3.5 costs thousands. Set [`P_TOKEN_ENV`] to `1` and every
//! harness bank loads p-token's bytecode (`tests/fixtures/p_token.so`, see
//! `fixtures/README.md`) at SPL Token's address instead, so the same tests
//! and the `cu` benchmark run against the token program mainnet runs.

use anchor_lang::prelude::Pubkey;

/// Set to `1` to run p-token at SPL Token's address.
pub const P_TOKEN_ENV: &str = "COHERENCE_P_TOKEN";

/// The token program the harness loads at SPL Token's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SplToken {
    /// SPL Token 3.5, solana-program-test's own.
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
            SplToken::Classic => "SPL Token 3.5 (solana-program-test's)",
            SplToken::PToken => "p-token (mainnet's SPL Token since epoch 971)",
        }
    }

    /// Loads the selected program into a test bank before it starts
    /// (nothing for [`SplToken::Classic`], which the bank has already).
    pub fn add_to(self, pt: &mut solana_program_test::ProgramTest) {
        if self == SplToken::PToken {
            coherence_sdk::client::local::add_bpf_program(pt, SPL_TOKEN, p_token_so());
        }
    }
}

/// SPL Token's program id.
const SPL_TOKEN: Pubkey = anchor_spl::token::ID;

/// p-token's bytecode, as committed (see `fixtures/README.md`).
pub fn p_token_so() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/p_token.so");
    std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}
