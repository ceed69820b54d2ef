//! The token program the harness runs at SPL Token's address is the one
//! `COHERENCE_P_TOKEN` selects (`coherence_tests::token_program`), in its
//! account and in what a transfer costs: SPL Token 3.5 by default, p-token
//! (mainnet's) with `COHERENCE_P_TOKEN=1`. CI runs this file both ways.

use coherence_tests::token_program::{p_token_so, SplToken};
use coherence_tests::*;
use solana_signer::Signer;

#[tokio::test]
async fn the_selected_token_program_runs_at_spl_tokens_address() {
    let mut h = Harness::new().await;
    let program = h.bank.ctx.banks_client.get_account(TOKEN).await.expect("rpc").expect("SPL Token's account");
    let selected = SplToken::selected();
    assert_eq!(program.data == p_token_so(), selected == SplToken::PToken, "{}", selected.label());

    // A TransferChecked through it: p-token takes about a hundred units,
    // SPL Token 3.5 about six thousand.
    let owner = h.wallet().await;
    let mint_authority = h.wallet().await;
    let mint = h.create_mint(TOKEN, &mint_authority.pubkey(), None, &[]).await;
    let from = h.token_account(&mint, &owner.pubkey()).await;
    let receiver = h.wallet().await;
    let to = h.token_account(&mint, &receiver.pubkey()).await;
    h.mint_to(&mint, &from, &mint_authority, 10).await;
    let decimals = h.mint_state(&mint).await.decimals;
    let ix = anchor_spl::token_2022::spl_token_2022::instruction::transfer_checked(
        &TOKEN,
        &from,
        &mint,
        &to,
        &owner.pubkey(),
        &[],
        7,
        decimals,
    )
    .expect("transfer_checked");
    let sim = h.simulate(std::slice::from_ref(&ix), &[&owner]).await;
    let units = sim.simulation_details.expect("simulated").units_consumed;
    match selected {
        SplToken::PToken => assert!(units < 1_000, "p-token's TransferChecked took {units}"),
        SplToken::Classic => assert!(units > 4_000, "SPL Token 3.5's TransferChecked took {units}"),
    }
    h.send(&[ix], &[&owner]).await.expect("the transfer");
    assert_eq!((h.balance(&from).await, h.balance(&to).await), (3, 7));
}
