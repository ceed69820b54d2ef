//! Account decoders: raw account data → the program's account types
//! (discriminator checked).

use anchor_lang::AccountDeserialize;
use coherence::state::{Engine, Position, StakePool, VestingSchedule};

use crate::error::SdkError;

/// Decodes any Anchor account of the program, checking its discriminator.
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Result<T, SdkError> {
    T::try_deserialize(&mut &data[..]).map_err(|e| SdkError::Decode(e.to_string()))
}

pub fn engine(data: &[u8]) -> Result<Engine, SdkError> {
    decode(data)
}
pub fn stake_pool(data: &[u8]) -> Result<StakePool, SdkError> {
    decode(data)
}
pub fn position(data: &[u8]) -> Result<Position, SdkError> {
    decode(data)
}
pub fn vesting(data: &[u8]) -> Result<VestingSchedule, SdkError> {
    decode(data)
}
