//! Attack: build an engine on a mint whose holders can be robbed or frozen
//! (a Token-2022 permanent delegate, or a freeze authority), so "coherent"
//! value can be taken or exits blocked. Defense: genesis refuses the mint.

use coherence::errors::CoherenceError;
use coherence_sdk::EngineKeys;
use coherence_tests::*;
use solana_signer::Signer;

#[tokio::test]
async fn token_2022_permanent_delegate_or_freeze_authority_rejected() {
    let mut h = Harness::new().await;
    let mint_authority = h.wallet().await;
    let delegate = h.create_mint(TOKEN_2022, &mint_authority.pubkey(), None, &[Ext::PermanentDelegate]).await;
    let frozen = h.create_mint(TOKEN_2022, &mint_authority.pubkey(), Some(&mint_authority.pubkey()), &[]).await;
    for (mint, err) in
        [(delegate, CoherenceError::PermanentDelegateNotAllowed), (frozen, CoherenceError::FreezeAuthorityNotAllowed)]
    {
        let keys = EngineKeys::new(mint, TOKEN_2022);
        let init = init_ix(&h, &keys, &mint_authority, default_args(mint_authority.pubkey()));
        assert_error(h.send(&[init], &[&mint_authority]).await, err);
        assert!(!h.exists(&keys.engine).await);
        let state = h.mint_state(&mint).await;
        assert_eq!(Option::<anchor_lang::prelude::Pubkey>::from(state.mint_authority), Some(mint_authority.pubkey()));
    }
}
