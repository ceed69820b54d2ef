use anchor_lang::prelude::*;

/// History of one closed epoch, written once by `close_epoch`.
/// Seeds: `["epoch", engine, epoch_le]`.
#[account]
#[derive(InitSpace, Debug)]
pub struct EpochRecord {
    pub version: u8,
    pub bump: u8,
    pub engine: Pubkey,
    pub epoch: u64,
    /// Tokens burned as usage in the epoch (Σ shards), base units.
    pub usage: u64,
    /// Part of `usage` attributed to builder sources.
    pub attributed: u64,
    /// Baseline before this epoch.
    pub baseline: u64,
    /// Running emission cap before this epoch.
    pub cap: u64,
    /// Mint supply when the epoch closed (before minting).
    pub supply_before: u64,
    pub gate_passed: bool,
    /// Minted for this epoch: treasury + builders + stakers.
    pub emission: u64,
    pub treasury_amount: u64,
    /// Builders' pool of this epoch; sources claim it pro rata to usage.
    pub builders_amount: u64,
    pub stakers_amount: u64,
    pub closed_at: i64,
    /// Tokens burned from the shards' escrows at this close: this epoch's
    /// usage plus any already paid into the next epoch (0 in records closed
    /// before escrows existed: these bytes were reserved, all zero).
    pub escrow_burned: u64,
    /// Median of this epoch's usage and the two before: what entered the
    /// baseline's EMA (0 in records closed before engine version 3).
    pub baseline_input: u64,
    pub reserved: [u8; 16],
}

impl EpochRecord {
    /// Reads an epoch record passed as an unchecked account (a source's
    /// settlement record, which a client may pass before it is needed): it
    /// must be the program's, decode as a record, and belong to `engine`
    /// (`WrongEpochRecord` otherwise; the epoch is checked by the caller).
    pub fn load(info: &AccountInfo, engine: &Pubkey) -> Result<EpochRecord> {
        require_keys_eq!(*info.owner, crate::ID, crate::errors::CoherenceError::WrongEpochRecord);
        let record = EpochRecord::try_deserialize(&mut &info.try_borrow_data()?[..])
            .map_err(|_| error!(crate::errors::CoherenceError::WrongEpochRecord))?;
        require_keys_eq!(record.engine, *engine, crate::errors::CoherenceError::WrongEpochRecord);
        Ok(record)
    }
}
