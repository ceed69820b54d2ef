//! Account decoders: raw account data → the program's account types
//! (discriminator checked).

use anchor_lang::AccountDeserialize;
use coherence::state::{Engine, Position, StakePool, VestingSchedule};

use crate::error::SdkError;

/// Decodes any Anchor account of the program, checking its discriminator.
///
/// ```
/// let err = coherence_sdk::accounts::decode::<coherence::state::Position>(&[1, 2, 3]);
/// assert!(err.is_err());
/// ```
pub fn decode<T: AccountDeserialize>(data: &[u8]) -> Result<T, SdkError> {
    T::try_deserialize(&mut &data[..]).map_err(|e| SdkError::Decode(e.to_string()))
}

/// Decodes an `Engine`.
///
/// ```
/// assert!(coherence_sdk::accounts::engine(&[0u8; 8]).is_err(), "wrong discriminator");
/// ```
pub fn engine(data: &[u8]) -> Result<Engine, SdkError> {
    decode(data)
}
/// Decodes the `StakePool`.
///
/// ```
/// assert!(coherence_sdk::accounts::stake_pool(&[]).is_err());
/// ```
pub fn stake_pool(data: &[u8]) -> Result<StakePool, SdkError> {
    decode(data)
}
/// Decodes a `Position`.
///
/// ```
/// assert!(coherence_sdk::accounts::position(&[]).is_err());
/// ```
pub fn position(data: &[u8]) -> Result<Position, SdkError> {
    decode(data)
}
/// Decodes a `VestingSchedule`.
///
/// ```
/// assert!(coherence_sdk::accounts::vesting(&[]).is_err());
/// ```
pub fn vesting(data: &[u8]) -> Result<VestingSchedule, SdkError> {
    decode(data)
}

/// Typed `getProgramAccounts` filters (offsets of the fixed account layouts:
/// 8-byte discriminator, version, bump, then `engine`).
pub mod filters {
    use crate::client::MemcmpFilter;
    use anchor_lang::prelude::Pubkey;

    const ENGINE_OFFSET: usize = 8 + 1 + 1;
    /// `Position.owner`, `VestingSchedule.id`, `Source.id` follow `engine`.
    const AFTER_ENGINE: usize = ENGINE_OFFSET + 32;
    /// `VestingSchedule.beneficiary` and `Source.builder` follow the u64 id.
    const AFTER_ID: usize = AFTER_ENGINE + 8;

    /// Accounts of `engine` (positions, schedules, sources, records, shards).
    ///
    /// ```
    /// let f = coherence_sdk::accounts::filters::engine(&anchor_lang::prelude::Pubkey::new_unique());
    /// assert_eq!(f.bytes.len(), 32);
    /// ```
    pub fn engine(engine: &Pubkey) -> MemcmpFilter {
        MemcmpFilter { offset: ENGINE_OFFSET, bytes: engine.to_bytes().to_vec() }
    }
    /// Positions owned by `owner`.
    ///
    /// ```
    /// let f = coherence_sdk::accounts::filters::position_owner(&anchor_lang::prelude::Pubkey::new_unique());
    /// assert_eq!(f.bytes.len(), 32);
    /// ```
    pub fn position_owner(owner: &Pubkey) -> MemcmpFilter {
        MemcmpFilter { offset: AFTER_ENGINE, bytes: owner.to_bytes().to_vec() }
    }
    /// Schedules of `beneficiary`.
    ///
    /// ```
    /// let f = coherence_sdk::accounts::filters::beneficiary(&anchor_lang::prelude::Pubkey::new_unique());
    /// assert_eq!(f.bytes.len(), 32);
    /// ```
    pub fn beneficiary(beneficiary: &Pubkey) -> MemcmpFilter {
        MemcmpFilter { offset: AFTER_ID, bytes: beneficiary.to_bytes().to_vec() }
    }
    /// Sources of `builder`.
    ///
    /// ```
    /// let f = coherence_sdk::accounts::filters::builder(&anchor_lang::prelude::Pubkey::new_unique());
    /// assert_eq!(f.bytes.len(), 32);
    /// ```
    pub fn builder(builder: &Pubkey) -> MemcmpFilter {
        MemcmpFilter { offset: AFTER_ID, bytes: builder.to_bytes().to_vec() }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use anchor_lang::{AccountSerialize, Space};
        use coherence::state::{Position, Source, VestingSchedule};

        fn bytes<T: AccountSerialize>(value: &T) -> Vec<u8> {
            let mut out = Vec::new();
            value.try_serialize(&mut out).unwrap();
            out
        }

        #[test]
        fn offsets_match_the_account_layouts() {
            let (engine_key, who) = (Pubkey::new_unique(), Pubkey::new_unique());
            let p = Position {
                version: 1,
                bump: 2,
                engine: engine_key,
                owner: who,
                id: 3,
                principal: 0,
                lock_secs: 0,
                weight: 0,
                acc_snapshot: 0,
                pending_reward: 0,
                unbond_start: 0,
                opened_at: 0,
                reserved: [0; 32],
            };
            let data = bytes(&p);
            assert_eq!(data.len(), 8 + Position::INIT_SPACE);
            assert!(engine(&engine_key).matches(&data) && position_owner(&who).matches(&data));
            let v = VestingSchedule {
                version: 1,
                bump: 2,
                engine: engine_key,
                id: 3,
                beneficiary: who,
                total: 0,
                claimed: 0,
                start: 0,
                cliff: 0,
                end: 0,
                period: 0,
                revocable: false,
                revoked_at: 0,
                usage_rate_bps: 0,
                usage_snapshot: 0,
                grace_secs: 0,
                frozen_vested: 0,
                holds_budget: false,
                reserved: [0; 1],
            };
            assert!(beneficiary(&who).matches(&bytes(&v)));
            let s = Source {
                version: 1,
                bump: 2,
                engine: engine_key,
                id: 3,
                builder: who,
                epoch: 0,
                usage: 0,
                claimable: 0,
                claimed: 0,
                epoch_b: 0,
                usage_b: 0,
                reserved: [0; 8],
            };
            assert!(builder(&who).matches(&bytes(&s)) && engine(&engine_key).matches(&bytes(&s)));
        }
    }
}
