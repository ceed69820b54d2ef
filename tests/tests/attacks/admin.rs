//! Attack: the admin (or the former mint authority) mints tokens or moves
//! vault funds (I4).
//!
//! Defense: genesis hands the mint authority to the engine PDA; no
//! instruction mints except `close_epoch`, and vault transfers are signed by
//! the engine PDA only inside rule-checked handlers.
//!
//! Asserted: direct `mint_to` by either key fails in the token program; every
//! admin instruction leaves supply and vault balances untouched.

use anchor_lang::prelude::Pubkey;
use anchor_spl::token_2022::spl_token_2022 as t22;
use coherence_sdk::instructions as ix;
use coherence_tests::*;
use solana_signer::Signer;

#[tokio::test]
async fn admin_minting_impossible() {
    for program in [TOKEN, TOKEN_2022] {
        let mut h = Harness::new().await;
        let mint_authority = h.wallet().await;
        let mint = h.create_mint(program, &mint_authority.pubkey(), None, &[]).await;
        let f = Fixture::for_mint(&mut h, mint, program, &mint_authority).await;
        f.fund_treasury(&mut h, 1_000).await.unwrap();
        let supply = h.mint_state(&mint).await.supply;
        let (_, attacker_tokens) = f.user(&mut h, 0).await;

        for signer in [&mint_authority, &f.authority] {
            let mint_ix = t22::instruction::mint_to_checked(
                &program,
                &mint,
                &attacker_tokens,
                &signer.pubkey(),
                &[],
                1,
                DECIMALS,
            )
            .unwrap();
            // SPL Token's OwnerMismatch (4): the signer is not the mint authority.
            assert_eq!(custom_code(&h.send(&[mint_ix], &[signer]).await), Some(4));
        }

        // Every admin instruction, run for real, moves no tokens.
        let a = f.authority.pubkey();
        let mut p = default_params();
        p.alpha_bps = 9_000;
        h.send(&[ix::propose_params(&f.keys, &a, p)], &[&f.authority]).await.unwrap();
        h.send(&[ix::cancel_params(&f.keys, &a)], &[&f.authority]).await.unwrap();
        h.send(&[ix::propose_params(&f.keys, &a, p)], &[&f.authority]).await.unwrap();
        h.warp_by(2 * 86_400).await;
        h.send(&[ix::apply_params(&f.keys)], &[]).await.unwrap();
        h.send(&[ix::set_pause(&f.keys, &a, true)], &[&f.authority]).await.unwrap();
        h.send(&[ix::propose_authority(&f.keys, &a, a)], &[&f.authority]).await.unwrap();
        h.send(&[ix::accept_authority(&f.keys, &a)], &[&f.authority]).await.unwrap();

        assert_eq!(h.mint_state(&mint).await.supply, supply);
        assert_eq!(h.balance(&attacker_tokens).await, 0);
        assert_eq!(h.balance(&f.keys.treasury).await, 1_000);
        let vaults: [Pubkey; 4] = [f.keys.stake_vault, f.keys.reward_vault, f.keys.vesting_vault, f.keys.builder_vault];
        for v in vaults {
            assert_eq!(h.balance(&v).await, 0);
        }
    }
}
