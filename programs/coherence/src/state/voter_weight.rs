//! The two accounts SPL Governance reads from a voter-weight plugin, in
//! the layouts of its `addin-api` (`voter_weight.rs`, `max_voter_weight.rs`):
//! borsh, behind an 8-byte discriminator that is Anchor's own
//! `sha256("account:<Name>")[..8]` for these struct names (checked byte for
//! byte in `tests/tests/voting.rs`). The governance program checks their
//! owner (the plugin program configured in the realm), their realm, mint and
//! owner fields, and their expiry, action and target; not their address.

use anchor_lang::prelude::*;

/// The governance action a voter weight was computed for (addin-api's
/// `VoterWeightAction`, same variant order).
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoterWeightAction {
    /// Target: the proposal.
    CastVote,
    /// Target: the proposal.
    CommentProposal,
    /// Target: the realm.
    CreateGovernance,
    /// Target: the governance.
    CreateProposal,
    /// Target: the proposal.
    SignOffProposal,
}

/// An owner's voting power: the sum of the weights of their locked
/// positions in this engine. Seeds: `["voter_weight", engine, owner]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct VoterWeightRecord {
    pub realm: Pubkey,
    pub governing_token_mint: Pubkey,
    /// The wallet (the `TokenOwnerRecord`'s `governing_token_owner`).
    pub governing_token_owner: Pubkey,
    pub voter_weight: u64,
    /// The slot it was computed in: valid for that slot only, so the
    /// update must run in the same transaction as the governance action.
    pub voter_weight_expiry: Option<u64>,
    pub weight_action: Option<VoterWeightAction>,
    pub weight_action_target: Option<Pubkey>,
    pub reserved: [u8; 8],
}

/// The denominator of every vote threshold and quorum: the registrar's
/// fixed figure. Seeds: `["max_voter_weight", engine]`.
#[account]
#[derive(InitSpace, Debug, PartialEq, Eq)]
pub struct MaxVoterWeightRecord {
    pub realm: Pubkey,
    pub governing_token_mint: Pubkey,
    pub max_voter_weight: u64,
    /// `None`: the figure is a constant of the registrar, never stale.
    pub max_voter_weight_expiry: Option<u64>,
    pub reserved: [u8; 8],
}

/// SPL Governance's `TokenOwnerRecordV2` account type (first byte); `2` is
/// the legacy V1, converted by the governance program when read.
pub const TOKEN_OWNER_RECORD_V2: u8 = 17;
const TOKEN_OWNER_RECORD_V1: u8 = 2;

/// The vote and proposal counters of a `TokenOwnerRecord` (SPL Governance
/// 3.1, `state/token_owner_record.rs`): fixed offsets up to the delegate —
/// type at 0, realm 1..33, governing mint 33..65, owner 65..97,
/// `unrelinquished_votes_count` u64 at 105 (two u32 before layout version 1,
/// of which the low one counts), `outstanding_proposal_count` u8 at 113,
/// layout `version` at 114. `WrongTokenOwnerRecord` unless it is a record of
/// `realm`, `mint` and `owner`.
pub fn token_owner_record_counts(
    data: &[u8],
    realm: &Pubkey,
    mint: &Pubkey,
    owner: &Pubkey,
) -> std::result::Result<(u64, u8), crate::errors::CoherenceError> {
    use crate::errors::CoherenceError::WrongTokenOwnerRecord;
    let field = |from: usize, to: usize| data.get(from..to).ok_or(WrongTokenOwnerRecord);
    let kind = *data.first().ok_or(WrongTokenOwnerRecord)?;
    let known = kind == TOKEN_OWNER_RECORD_V2 || kind == TOKEN_OWNER_RECORD_V1;
    let matches =
        field(1, 33)? == realm.as_ref() && field(33, 65)? == mint.as_ref() && field(65, 97)? == owner.as_ref();
    if !known || !matches {
        return Err(WrongTokenOwnerRecord);
    }
    let mut votes = [0u8; 8];
    votes.copy_from_slice(field(105, 113)?);
    let mut votes = u64::from_le_bytes(votes);
    let outstanding = *data.get(113).ok_or(WrongTokenOwnerRecord)?;
    if data.get(114).copied().unwrap_or(0) < 1 {
        votes &= u64::from(u32::MAX);
    }
    Ok((votes, outstanding))
}
