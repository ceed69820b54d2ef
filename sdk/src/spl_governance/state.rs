//! Borsh mirrors of the governance program's types and accounts (3.1 layouts).

use anchor_lang::prelude::{AnchorDeserialize, AnchorSerialize, Pubkey};

/// `VoteThreshold`: only `YesVotePercentage` and `Disabled` are accepted.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteThreshold {
    /// Yes votes needed, percent of the max voter weight (1..=100).
    YesVotePercentage(u8),
    /// Rejected by 3.x.
    QuorumPercentage(u8),
    /// This population does not vote.
    Disabled,
}

/// When a vote may end before its time is up.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteTipping {
    /// Once yes is a majority of the max voter weight.
    Strict,
    /// Once yes reaches the threshold and leads.
    Early,
    /// Only at the end.
    Disabled,
}

/// The realm's community max voter weight when no plugin provides it.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MintMaxVoterWeightSource {
    /// Fraction of the supply, base 10^10.
    SupplyFraction(u64),
    /// A fixed figure.
    Absolute(u64),
}

/// How a governing token is held.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum GoverningTokenType {
    /// Deposited and withdrawn freely.
    Liquid,
    /// Cannot be withdrawn.
    Membership,
    /// No deposits: voting power comes from a plugin.
    Dormant,
}

/// Plugin flags of one governing token.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct GoverningTokenConfigArgs {
    /// A voter-weight plugin (its program follows as an account).
    pub use_voter_weight_addin: bool,
    /// A max-voter-weight plugin (its program follows as an account).
    pub use_max_voter_weight_addin: bool,
    /// How the token is held.
    pub token_type: GoverningTokenType,
}

/// `CreateRealm`'s configuration.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct RealmConfigArgs {
    /// Whether a council mint follows.
    pub use_council_mint: bool,
    /// Weight a member needs to create a governance (`u64::MAX`: nobody).
    pub min_community_weight_to_create_governance: u64,
    /// Used only without a max-voter-weight plugin.
    pub community_mint_max_voter_weight_source: MintMaxVoterWeightSource,
    /// The community token's plugins.
    pub community_token_config_args: GoverningTokenConfigArgs,
    /// The council token's plugins.
    pub council_token_config_args: GoverningTokenConfigArgs,
}

/// A governance's voting rules (`state/governance.rs`, field order exact).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct GovernanceConfig {
    pub community_vote_threshold: VoteThreshold,
    pub min_community_weight_to_create_proposal: u64,
    /// Seconds between a proposal's success and the execution of its transactions.
    pub min_transaction_hold_up_time: u32,
    /// Seconds a vote is open for yes votes.
    pub voting_base_time: u32,
    pub community_vote_tipping: VoteTipping,
    pub council_vote_threshold: VoteThreshold,
    pub council_veto_vote_threshold: VoteThreshold,
    pub min_council_weight_to_create_proposal: u64,
    pub council_vote_tipping: VoteTipping,
    pub community_veto_vote_threshold: VoteThreshold,
    /// Seconds after `voting_base_time` in which only no and veto count.
    pub voting_cool_off_time: u32,
    pub deposit_exempt_proposal_count: u8,
}

/// `MultiChoiceType` (3.1.1).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum MultiChoiceType {
    FullWeight,
    Weighted,
}

/// `VoteType` (3.1.1 layout).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum VoteType {
    SingleChoice,
    MultiChoice { choice_type: MultiChoiceType, min_voter_options: u8, max_voter_options: u8, max_winning_options: u8 },
}

/// One choice of an approve vote.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct VoteChoice {
    pub rank: u8,
    pub weight_percentage: u8,
}

/// A vote.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub enum Vote {
    /// Yes, with one choice per option.
    Approve(Vec<VoteChoice>),
    /// No (the deny option).
    Deny,
    /// Rejected by 3.x.
    Abstain,
    /// Veto by the other population.
    Veto,
}

impl Vote {
    /// Yes on a single-option proposal.
    pub fn yes() -> Vote {
        Vote::Approve(vec![VoteChoice { rank: 0, weight_percentage: 100 }])
    }
}

/// An account of an instruction stored in a proposal transaction.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct AccountMetaData {
    pub pubkey: Pubkey,
    pub is_signer: bool,
    pub is_writable: bool,
}

/// An instruction stored in a proposal transaction.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct InstructionData {
    pub program_id: Pubkey,
    pub accounts: Vec<AccountMetaData>,
    pub data: Vec<u8>,
}

impl From<&anchor_lang::solana_program::instruction::Instruction> for InstructionData {
    fn from(ix: &anchor_lang::solana_program::instruction::Instruction) -> Self {
        let accounts = ix
            .accounts
            .iter()
            .map(|m| AccountMetaData { pubkey: m.pubkey, is_signer: m.is_signer, is_writable: m.is_writable })
            .collect();
        InstructionData { program_id: ix.program_id, accounts, data: ix.data.clone() }
    }
}

/// Account types (first byte) this module decodes.
pub mod account_type {
    /// `RealmV2`.
    pub const REALM_V2: u8 = 16;
    /// `TokenOwnerRecordV2`.
    pub const TOKEN_OWNER_RECORD_V2: u8 = 17;
    /// `GovernanceV2`.
    pub const GOVERNANCE_V2: u8 = 18;
    /// `ProposalV2`.
    pub const PROPOSAL_V2: u8 = 14;
    /// `ProposalTransactionV2`.
    pub const PROPOSAL_TRANSACTION_V2: u8 = 13;
}

/// `RealmConfig` inside a realm.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct RealmConfig {
    pub legacy1: u8,
    pub legacy2: u8,
    pub reserved: [u8; 6],
    pub min_community_weight_to_create_governance: u64,
    pub community_mint_max_voter_weight_source: MintMaxVoterWeightSource,
    pub council_mint: Option<Pubkey>,
}

/// `RealmV2` (type 16).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Realm {
    pub account_type: u8,
    pub community_mint: Pubkey,
    pub config: RealmConfig,
    pub reserved: [u8; 6],
    pub legacy1: u16,
    pub authority: Option<Pubkey>,
    pub name: String,
}

/// `TokenOwnerRecordV2` (type 17), up to the delegate.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct TokenOwnerRecord {
    pub account_type: u8,
    pub realm: Pubkey,
    pub governing_token_mint: Pubkey,
    pub governing_token_owner: Pubkey,
    pub governing_token_deposit_amount: u64,
    pub unrelinquished_votes_count: u64,
    pub outstanding_proposal_count: u8,
    pub version: u8,
    pub reserved: [u8; 6],
    pub governance_delegate: Option<Pubkey>,
}

/// `GovernanceV2` (type 18).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Governance {
    pub account_type: u8,
    pub realm: Pubkey,
    pub governed_account: Pubkey,
    pub reserved1: u32,
    pub config: GovernanceConfig,
    pub reserved_v2: [u8; 120],
    pub active_proposal_count: u64,
}

/// `ProposalState`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum ProposalState {
    Draft,
    SigningOff,
    Voting,
    Succeeded,
    Executing,
    Completed,
    Cancelled,
    Defeated,
    ExecutingWithErrors,
    Vetoed,
}

/// `OptionVoteResult`.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum OptionVoteResult {
    None,
    Succeeded,
    Defeated,
}

/// One option of a proposal.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ProposalOption {
    pub label: String,
    /// Yes weight.
    pub vote_weight: u64,
    pub vote_result: OptionVoteResult,
    pub transactions_executed_count: u16,
    pub transactions_count: u16,
    pub transactions_next_index: u16,
}

/// `ProposalV2` (type 14).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Proposal {
    pub account_type: u8,
    pub governance: Pubkey,
    pub governing_token_mint: Pubkey,
    pub state: ProposalState,
    pub token_owner_record: Pubkey,
    pub signatories_count: u8,
    pub signatories_signed_off_count: u8,
    pub vote_type: VoteType,
    pub options: Vec<ProposalOption>,
    /// No weight.
    pub deny_vote_weight: Option<u64>,
    pub reserved1: u8,
    pub abstain_vote_weight: Option<u64>,
    pub start_voting_at: Option<i64>,
    pub draft_at: i64,
    pub signing_off_at: Option<i64>,
    pub voting_at: Option<i64>,
    pub voting_at_slot: Option<u64>,
    pub voting_completed_at: Option<i64>,
    pub executing_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub execution_flags: u8,
    pub max_vote_weight: Option<u64>,
    pub max_voting_time: Option<u32>,
    pub vote_threshold: Option<VoteThreshold>,
    pub reserved: [u8; 64],
    pub name: String,
    pub description_link: String,
    pub veto_vote_weight: u64,
}

/// Decodes a governance account of type `expected` as `T` (trailing bytes
/// ignored, as the governance program reads them); `None` if it is not one.
///
/// ```
/// use coherence_sdk::spl_governance::{decode, account_type, TokenOwnerRecord};
/// assert!(decode::<TokenOwnerRecord>(&[0; 10], account_type::TOKEN_OWNER_RECORD_V2).is_none());
/// ```
pub fn decode<T: AnchorDeserialize>(data: &[u8], expected: u8) -> Option<T> {
    if data.first() != Some(&expected) {
        return None;
    }
    T::deserialize(&mut &data[..]).ok()
}

impl Proposal {
    /// Yes weight of the first option.
    pub fn yes(&self) -> u64 {
        self.options.first().map_or(0, |o| o.vote_weight)
    }
    /// No weight.
    pub fn no(&self) -> u64 {
        self.deny_vote_weight.unwrap_or(0)
    }
}

/// `ProposalTransactionV2` (type 13).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct ProposalTransaction {
    pub account_type: u8,
    pub proposal: Pubkey,
    pub option_index: u8,
    pub transaction_index: u16,
    pub hold_up_time: u32,
    pub instructions: Vec<InstructionData>,
    pub executed_at: Option<i64>,
    pub execution_status: u8,
}

impl InstructionData {
    /// The stored instruction as an `Instruction`.
    pub fn to_instruction(&self) -> anchor_lang::solana_program::instruction::Instruction {
        use anchor_lang::prelude::AccountMeta;
        let accounts = self
            .accounts
            .iter()
            .map(|a| AccountMeta { pubkey: a.pubkey, is_signer: a.is_signer, is_writable: a.is_writable })
            .collect();
        anchor_lang::solana_program::instruction::Instruction {
            program_id: self.program_id,
            accounts,
            data: self.data.clone(),
        }
    }
}
