//! The program's entrypoint: Anchor's dispatcher (`crate::entry`) behind two
//! checks Anchor does not make. Anchor decodes an instruction's arguments
//! from the front of its data and ignores whatever follows them, so
//! malformed input — a stale client's layout, a truncated or padded buffer —
//! could run. Every Coherence instruction has fixed-size arguments, so the
//! data must be exactly its discriminator and its arguments:
//! `InstructionDataLength` otherwise (data too short for a discriminator, or
//! an unknown one, still get Anchor's own `InstructionMissing` and
//! `InstructionFallbackNotFound`); the instruction's shape is found by the
//! remainder of its discriminator ([`shape_of`]). And the event CPI's `program` account,
//! which Anchor leaves unchecked, must be this program
//! (`EventProgramMismatch`). The event CPI itself is answered here, before
//! Anchor's dispatch would try every instruction's discriminator: the same
//! check Anchor makes (the event authority PDA signs), 580 compute units
//! cheaper inside every event. The build script (`build.rs`) makes this
//! the on-chain entrypoint, which reads the account list onto the stack
//! rather than into a `Vec` (`runtime`); the in-process test bank calls
//! [`process_instruction`] too.

use crate::errors::CoherenceError;
use crate::instruction as ix;
use crate::instructions::{CreateVestingArgs, InitEngineArgs};
use crate::math::Params;
use crate::state::{VoterWeightAction, VotingConfig};
use anchor_lang::prelude::*;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::Discriminator;

#[cfg(coherence_entrypoint)]
mod runtime {
    //! What the runtime calls: `entrypoint!` with the account list read onto
    //! the stack instead of into a growing `Vec` (the upstream
    //! `deserialize_into`, 20–30 compute units less per account). Its array
    //! holds 64 accounts; a longer list (more than any instruction declares,
    //! remaining accounts included, but a caller may pass one) is read into
    //! a `Vec` as before, so no list length fails here.
    use anchor_lang::solana_program::entrypoint::{self as upstream, SUCCESS};
    use anchor_lang::solana_program::{account_info::AccountInfo, pubkey::Pubkey};
    use core::mem::MaybeUninit;

    const STACK_ACCOUNTS: usize = 64;

    /// # Safety
    /// Called by the runtime with its serialized input.
    #[no_mangle]
    pub unsafe extern "C" fn entrypoint(input: *mut u8) -> u64 {
        // SAFETY: the input starts with the account count (u64).
        let count = unsafe { *(input as *const u64) } as usize;
        let result = if count <= STACK_ACCOUNTS {
            read_onto_stack(input)
        } else {
            // SAFETY: the runtime's input, as `entrypoint!` reads it.
            let (program_id, accounts, data) = unsafe { upstream::deserialize(input) };
            super::process_instruction(program_id, &accounts, data)
        };
        match result {
            Ok(()) => SUCCESS,
            Err(error) => error.into(),
        }
    }

    #[inline(never)]
    fn read_onto_stack(input: *mut u8) -> anchor_lang::solana_program::entrypoint::ProgramResult {
        let mut slots = [const { MaybeUninit::<AccountInfo>::uninit() }; STACK_ACCOUNTS];
        // SAFETY: the runtime's input, with at most `STACK_ACCOUNTS` accounts
        // (checked by the caller); `deserialize_into` initializes the first
        // `count` slots, and only those are read, while `slots` lives.
        unsafe {
            let (program_id, count, data): (&Pubkey, usize, &[u8]) = upstream::deserialize_into(input, &mut slots);
            let accounts = core::slice::from_raw_parts(slots.as_ptr().cast::<AccountInfo>(), count);
            super::process_instruction(program_id, accounts, data)
        }
    }

    anchor_lang::solana_program::entrypoint::custom_heap_default!();
    anchor_lang::solana_program::entrypoint::custom_panic_default!();
}

/// What the entrypoint knows of an instruction before Anchor reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shape {
    pub discriminator: &'static [u8],
    /// Bytes after the discriminator (Borsh: u8/bool 1, u64 8, Pubkey 32;
    /// the argument structs by their `InitSpace`).
    pub args: usize,
    /// Accounts the instruction declares, `event_authority` and `program`
    /// (the event CPI's, last) included; remaining accounts follow them.
    pub accounts: usize,
}

const fn shape(discriminator: &'static [u8], args: usize, accounts: usize) -> Shape {
    Shape { discriminator, args, accounts }
}

/// Every instruction's shape.
pub const SHAPES: [Shape; 33] = [
    shape(ix::InitializeEngine::DISCRIMINATOR, InitEngineArgs::INIT_SPACE, 14),
    shape(ix::ProposeParams::DISCRIMINATOR, Params::INIT_SPACE, 4),
    shape(ix::CancelParams::DISCRIMINATOR, 0, 4),
    shape(ix::ApplyParams::DISCRIMINATOR, 0, 3),
    shape(ix::ProposeAuthority::DISCRIMINATOR, 32, 4),
    shape(ix::AcceptAuthority::DISCRIMINATOR, 0, 4),
    shape(ix::SetPause::DISCRIMINATOR, 1, 4),
    shape(ix::DepositTreasury::DISCRIMINATOR, 8, 8),
    shape(ix::LowerTimeOnlyBudget::DISCRIMINATOR, 8, 4),
    shape(ix::CreateVesting::DISCRIMINATOR, CreateVestingArgs::INIT_SPACE, 11),
    shape(ix::ClaimVesting::DISCRIMINATOR, 0, 9),
    shape(ix::RevokeVesting::DISCRIMINATOR, 0, 9),
    shape(ix::TransferVesting::DISCRIMINATOR, 32, 4),
    shape(ix::CloseVesting::DISCRIMINATOR, 0, 5),
    shape(ix::OpenPosition::DISCRIMINATOR, 24, 11),
    shape(ix::AddToPosition::DISCRIMINATOR, 8, 10),
    shape(ix::ExtendLock::DISCRIMINATOR, 8, 6),
    shape(ix::StartUnbond::DISCRIMINATOR, 0, 7),
    shape(ix::Withdraw::DISCRIMINATOR, 0, 11),
    shape(ix::ClaimRewards::DISCRIMINATOR, 1, 11),
    shape(ix::ClosePosition::DISCRIMINATOR, 0, 6),
    shape(ix::FundRewards::DISCRIMINATOR, 8, 9),
    shape(ix::InitUsageShard::DISCRIMINATOR, 1, 9),
    shape(ix::RecordUsage::DISCRIMINATOR, 8, 11),
    shape(ix::CloseEpoch::DISCRIMINATOR, 8, 12),
    shape(ix::ExpireVesting::DISCRIMINATOR, 0, 8),
    shape(ix::SyncTimeOnlyBudget::DISCRIMINATOR, 0, 3),
    shape(ix::RegisterSource::DISCRIMINATOR, 0, 6),
    shape(ix::ClaimSourceRewards::DISCRIMINATOR, 0, 11),
    shape(ix::ProposeVoting::DISCRIMINATOR, VotingConfig::INIT_SPACE, 7),
    shape(ix::ApplyVoting::DISCRIMINATOR, 0, 4),
    shape(ix::UpdateVoterWeightRecord::DISCRIMINATOR, VoterWeightAction::INIT_SPACE + 32, 7),
    shape(ix::UpdateMaxVoterWeightRecord::DISCRIMINATOR, 0, 7),
];

/// Each shape's discriminator read as a little-endian `u64`, in [`SHAPES`]'s order.
const KEYS: [u64; SHAPES.len()] = {
    let mut keys = [0u64; SHAPES.len()];
    let mut i = 0;
    while i < SHAPES.len() {
        let d = SHAPES[i].discriminator;
        assert!(d.len() == 8, "every discriminator is 8 bytes");
        keys[i] = u64::from_le_bytes([d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7]]);
        i += 1;
    }
    keys
};

/// The smallest modulus at which the keys' remainders all differ (found at
/// compile time), so `key % MODULUS` names the only shape a key can be.
const MODULUS: u64 = {
    let mut m = SHAPES.len() as u64;
    'search: loop {
        let mut i = 0;
        while i < KEYS.len() {
            let mut j = i + 1;
            while j < KEYS.len() {
                if KEYS[i] % m == KEYS[j] % m {
                    m += 1;
                    // Two equal discriminators would never part: stop the build.
                    assert!(m <= 4096, "no modulus separates the discriminators");
                    continue 'search;
                }
                j += 1;
            }
            i += 1;
        }
        break m;
    }
};

/// No shape in this slot.
const EMPTY: u8 = u8::MAX;

/// By remainder, the index in [`SHAPES`] of the shape whose key leaves it.
/// A lookup is one division, one load and one comparison at any opt-level;
/// the linear search over the 33 discriminators it replaced was cheap at
/// opt-level 3 but cost 186 to 326 compute units per instruction at level 2
/// (the `cu` benchmark's profile).
const SLOTS: [u8; MODULUS as usize] = {
    assert!(SHAPES.len() < EMPTY as usize);
    let mut slots = [EMPTY; MODULUS as usize];
    let mut i = 0;
    while i < KEYS.len() {
        slots[(KEYS[i] % MODULUS) as usize] = i as u8;
        i += 1;
    }
    slots
};

/// The shape of the instruction whose discriminator is `discriminator`.
fn shape_of(discriminator: &[u8; 8]) -> Option<&'static Shape> {
    let key = u64::from_le_bytes(*discriminator);
    let i = usize::from(SLOTS[(key % MODULUS) as usize]);
    (i < KEYS.len() && KEYS[i] == key).then(|| &SHAPES[i])
}

/// `InstructionDataLength` unless `data` is a known instruction's
/// discriminator followed by exactly its arguments; `EventProgramMismatch`
/// unless its `program` account (the event CPI's) is this program. The
/// event CPI would fail too on another account, but deep inside, without a
/// name; refused here, a wrong account is named and costs nothing.
pub fn check_shape(accounts: &[AccountInfo], data: &[u8]) -> Result<()> {
    let Some((discriminator, args)) = data.split_first_chunk::<8>() else { return Ok(()) };
    let Some(shape) = shape_of(discriminator) else { return Ok(()) };
    require!(args.len() == shape.args, CoherenceError::InstructionDataLength);
    if let Some(program) = shape.accounts.checked_sub(1).and_then(|i| accounts.get(i)) {
        require_keys_eq!(*program.key, crate::ID, CoherenceError::EventProgramMismatch);
    }
    Ok(())
}

/// The event CPI (the program invoking itself so that an event lands in
/// the transaction's inner instructions) is answered here, with the check
/// Anchor's dispatch would make after trying every instruction's
/// discriminator: its first account is the event authority PDA, signing
/// (only this program can sign for it). Nothing else is read.
fn event_cpi(accounts: &[AccountInfo]) -> ProgramResult {
    use anchor_lang::error::ErrorCode;
    let authority = accounts.first().ok_or(ProgramError::NotEnoughAccountKeys)?;
    let refuse = |code: ErrorCode| {
        let e = anchor_lang::error::Error::from(code).with_account_name("event_authority");
        e.log();
        Err(e.into())
    };
    if !authority.is_signer {
        return refuse(ErrorCode::ConstraintSigner);
    }
    if *authority.key != crate::EVENT_AUTHORITY_AND_BUMP.0 {
        return refuse(ErrorCode::ConstraintSeeds);
    }
    Ok(())
}

/// The entrypoint: the event CPI answered at once, the data length check,
/// then Anchor's dispatch.
pub fn process_instruction<'info>(
    program_id: &'info Pubkey,
    accounts: &'info [AccountInfo<'info>],
    data: &'info [u8],
) -> ProgramResult {
    crate::cu_mark!("cu: entry");
    crate::cu_mark!("cu: entry (after one mark)");
    if data.starts_with(anchor_lang::event::EVENT_IX_TAG_LE) {
        return event_cpi(accounts);
    }
    if let Err(e) = check_shape(accounts, data) {
        e.log();
        return Err(e.into());
    }
    crate::cu_mark!("cu: shape checked");
    let result = crate::entry(program_id, accounts, data);
    crate::cu_mark!("cu: exit");
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::InstructionData;

    /// Each length is that of a real encoding (a sample of every argument
    /// type), so the table cannot drift from the argument types.
    #[test]
    fn argument_lengths_match_the_encodings() {
        let p = crate::math::params::recommended(1);
        let key = Pubkey::new_unique();
        let init = InitEngineArgs {
            authority: key,
            epoch_secs: 1,
            usage_shards: 1,
            max_supply: 1,
            params: p,
            time_only_budget: 0,
        };
        let vest = CreateVestingArgs {
            beneficiary: key,
            total: 1,
            start: 0,
            cliff: 0,
            end: 0,
            period: 0,
            revocable: false,
            usage_rate_bps: 0,
            grace_secs: 0,
        };
        let samples: Vec<Vec<u8>> = vec![
            ix::InitializeEngine { args: init }.data(),
            ix::ProposeParams { params: p }.data(),
            ix::CancelParams {}.data(),
            ix::ApplyParams {}.data(),
            ix::ProposeAuthority { new_authority: key }.data(),
            ix::AcceptAuthority {}.data(),
            ix::SetPause { paused: true }.data(),
            ix::DepositTreasury { amount: 1 }.data(),
            ix::LowerTimeOnlyBudget { budget: 1 }.data(),
            ix::CreateVesting { args: vest }.data(),
            ix::ClaimVesting {}.data(),
            ix::RevokeVesting {}.data(),
            ix::TransferVesting { new_beneficiary: key }.data(),
            ix::CloseVesting {}.data(),
            ix::OpenPosition { id: 0, amount: 1, lock_secs: 1 }.data(),
            ix::AddToPosition { amount: 1 }.data(),
            ix::ExtendLock { lock_secs: 1 }.data(),
            ix::StartUnbond {}.data(),
            ix::Withdraw {}.data(),
            ix::ClaimRewards { restake: false }.data(),
            ix::ClosePosition {}.data(),
            ix::FundRewards { amount: 1 }.data(),
            ix::InitUsageShard { shard: 0 }.data(),
            ix::RecordUsage { amount: 1 }.data(),
            ix::CloseEpoch { epoch: 0 }.data(),
            ix::ExpireVesting {}.data(),
            ix::SyncTimeOnlyBudget {}.data(),
            ix::RegisterSource {}.data(),
            ix::ClaimSourceRewards {}.data(),
            ix::ProposeVoting { config: VotingConfig { realm: key, governance_program: key, max_voter_weight: 1 } }
                .data(),
            ix::ApplyVoting {}.data(),
            ix::UpdateVoterWeightRecord { action: VoterWeightAction::CastVote, target: key }.data(),
            ix::UpdateMaxVoterWeightRecord {}.data(),
        ];
        assert_eq!(samples.len(), SHAPES.len());
        for (data, shape) in samples.iter().zip(SHAPES) {
            assert_eq!(&data[..8], shape.discriminator);
            assert_eq!(data.len(), 8 + shape.args, "{:?}", shape.discriminator);
            assert!(check_shape(&[], data).is_ok());
            let mut long = data.clone();
            long.push(0);
            assert!(check_shape(&[], &long).is_err());
            if data.len() > 8 {
                assert!(check_shape(&[], &data[..data.len() - 1]).is_err());
            }
        }
        // The lookup finds every shape, and nothing for keys that are not one.
        for shape in SHAPES {
            assert_eq!(shape_of(shape.discriminator.try_into().unwrap()), Some(&shape));
        }
        let mut misses = 0;
        for k in 0..10_000u64 {
            let key = k.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            if !KEYS.contains(&key) {
                assert_eq!(shape_of(&key.to_le_bytes()), None);
                misses += 1;
            }
        }
        assert_eq!(misses, 10_000);
        assert!(check_shape(&[], &[1, 2, 3]).is_ok(), "too short for a discriminator: Anchor's InstructionMissing");
        assert!(check_shape(&[], &[9; 12]).is_ok(), "unknown: Anchor's InstructionFallbackNotFound");
    }
}
