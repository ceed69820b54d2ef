//! Emitting an event through the event CPI, as Anchor's `emit_cpi!` does,
//! without its byte-by-byte copy.
//!
//! The instruction is the same, byte for byte — this program, one account
//! (the event authority PDA, signing), data `EVENT_IX_TAG_LE ‖ the event's
//! discriminator ‖ its Borsh encoding` — so indexers, the SDK's decoder and
//! the entrypoint's answer to the CPI (`entrypoint::event_cpi`) see no
//! difference. `emit_cpi!` builds that data by chaining two byte iterators
//! into a `Vec` one byte at a time, then copies it again into the
//! instruction; here it is encoded once into the buffer the instruction
//! takes (measured on the SBF build: the `cu` benchmark's own units).

use anchor_lang::prelude::*;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::invoke_signed;

/// Seeds of the event authority PDA (Anchor's `#[event_cpi]` accounts).
const EVENT_AUTHORITY_SEED: &[u8] = b"__event_authority";

/// Emits `event` as an inner instruction signed by `event_authority` (the
/// instruction's `event_authority` account, checked by its `#[event_cpi]`
/// address constraint).
pub fn emit<E: anchor_lang::Event>(event_authority: &AccountInfo, event: &E) -> Result<()> {
    let tag = anchor_lang::event::EVENT_IX_TAG_LE;
    // The tag and discriminator (16 bytes) and room for every event's fields.
    let mut data = Vec::with_capacity(256);
    data.extend_from_slice(tag);
    data.extend_from_slice(E::DISCRIMINATOR);
    event.serialize(&mut data).map_err(|_| error!(anchor_lang::error::ErrorCode::AccountDidNotSerialize))?;
    let ix = Instruction {
        program_id: crate::ID,
        accounts: vec![AccountMeta::new_readonly(*event_authority.key, true)],
        data,
    };
    let bump = [crate::EVENT_AUTHORITY_AND_BUMP.1];
    invoke_signed(&ix, core::slice::from_ref(event_authority), &[&[EVENT_AUTHORITY_SEED, &bump]])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The data `emit` builds is what `emit_cpi!` builds: the tag, then
    /// `Event::data` (discriminator and Borsh encoding).
    #[test]
    fn same_data_as_anchors_emit_cpi() {
        let event = crate::events::PauseSet { engine: Pubkey::new_unique(), paused: true };
        let mut data = anchor_lang::event::EVENT_IX_TAG_LE.to_vec();
        data.extend_from_slice(<crate::events::PauseSet as anchor_lang::Discriminator>::DISCRIMINATOR);
        event.serialize(&mut data).unwrap();
        let anchors: Vec<u8> =
            anchor_lang::event::EVENT_IX_TAG_LE.iter().copied().chain(anchor_lang::Event::data(&event)).collect();
        assert_eq!(data, anchors);
        let (authority, _) = Pubkey::find_program_address(&[EVENT_AUTHORITY_SEED], &crate::ID);
        assert_eq!(authority, crate::EVENT_AUTHORITY_AND_BUMP.0, "the seed Anchor's #[event_cpi] derives from");
    }
}
