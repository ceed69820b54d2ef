//! Which mints an engine accepts (DESIGN §6).
//!
//! A Token-2022 extension is accepted only if it cannot move, freeze, tax or
//! hide holders' tokens: metadata and group pointers. Everything else is
//! rejected, with a named error for the known extraction points.

use crate::errors::CoherenceError;
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::{
    extension::{BaseStateWithExtensions, ExtensionType, StateWithExtensions},
    state::Mint as MintState,
};

/// Checks the mint's extensions (Token-2022 only; an SPL Token mint has none).
pub fn check_mint_extensions(mint: &AccountInfo) -> Result<()> {
    if *mint.owner != anchor_spl::token_2022::ID {
        return Ok(());
    }
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    for ext in state.get_extension_types()? {
        reject_extension(ext)?;
    }
    Ok(())
}

fn reject_extension(ext: ExtensionType) -> std::result::Result<(), CoherenceError> {
    use ExtensionType::*;
    match ext {
        MetadataPointer | TokenMetadata | GroupPointer | TokenGroup | GroupMemberPointer | TokenGroupMember => Ok(()),
        PermanentDelegate => Err(CoherenceError::PermanentDelegateNotAllowed),
        TransferHook => Err(CoherenceError::TransferHookNotAllowed),
        TransferFeeConfig => Err(CoherenceError::TransferFeeNotAllowed),
        NonTransferable => Err(CoherenceError::NonTransferableNotAllowed),
        DefaultAccountState => Err(CoherenceError::DefaultAccountStateNotAllowed),
        ConfidentialTransferMint | ConfidentialTransferFeeConfig | ConfidentialMintBurn => {
            Err(CoherenceError::ConfidentialTransferNotAllowed)
        }
        _ => Err(CoherenceError::UnsupportedMintExtension),
    }
}
