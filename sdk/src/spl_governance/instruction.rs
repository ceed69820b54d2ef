//! Builders of the governance instructions the holders' flow needs, with
//! the account lists of the governance program's processors (3.1).

use super::state::{GovernanceConfig, InstructionData, RealmConfigArgs, Vote, VoteType};
use anchor_lang::prelude::{AccountMeta, AnchorSerialize, Pubkey};
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::system_program;

/// Instruction tags (the `GovernanceInstruction` variant index).
pub mod tag {
    /// `CreateRealm`.
    pub const CREATE_REALM: u8 = 0;
    /// `CreateGovernance`.
    pub const CREATE_GOVERNANCE: u8 = 4;
    /// `CreateProposal`.
    pub const CREATE_PROPOSAL: u8 = 6;
    /// `InsertTransaction`.
    pub const INSERT_TRANSACTION: u8 = 9;
    /// `SignOffProposal`.
    pub const SIGN_OFF_PROPOSAL: u8 = 12;
    /// `CastVote`.
    pub const CAST_VOTE: u8 = 13;
    /// `FinalizeVote`.
    pub const FINALIZE_VOTE: u8 = 14;
    /// `RelinquishVote`.
    pub const RELINQUISH_VOTE: u8 = 15;
    /// `ExecuteTransaction`.
    pub const EXECUTE_TRANSACTION: u8 = 16;
    /// `CreateTokenOwnerRecord`.
    pub const CREATE_TOKEN_OWNER_RECORD: u8 = 23;
}

fn data(tag: u8, args: impl AnchorSerialize) -> Vec<u8> {
    let mut out = vec![tag];
    args.serialize(&mut out).expect("borsh into a Vec");
    out
}

/// One realm of one governance program, for one governing mint: the
/// addresses and builders of the flow.
///
/// ```
/// use anchor_lang::prelude::Pubkey;
/// let (program, mint) = (Pubkey::new_unique(), Pubkey::new_unique());
/// let realm = coherence_sdk::spl_governance::Realms::new(program, "coherence", mint);
/// assert_eq!(realm.realm, coherence_sdk::spl_governance::realm(&program, "coherence"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Realms {
    /// The governance program.
    pub program: Pubkey,
    /// The realm's name (its address seed).
    pub name: String,
    /// The realm.
    pub realm: Pubkey,
    /// The community (governing) mint.
    pub mint: Pubkey,
}

impl Realms {
    /// The realm named `name` of `program` with community mint `mint`.
    pub fn new(program: Pubkey, name: &str, mint: Pubkey) -> Realms {
        Realms { program, name: name.to_string(), realm: super::realm(&program, name), mint }
    }

    /// An existing realm at `realm` (its name is only needed to create it).
    pub fn at(program: Pubkey, realm: Pubkey, mint: Pubkey) -> Realms {
        Realms { program, name: String::new(), realm, mint }
    }

    /// `owner`'s token owner record.
    pub fn token_owner_record(&self, owner: &Pubkey) -> Pubkey {
        super::token_owner_record(&self.program, &self.realm, &self.mint, owner)
    }

    /// The realm config account.
    pub fn realm_config(&self) -> Pubkey {
        super::realm_config(&self.program, &self.realm)
    }

    /// The governance of `governed` (any seed key) in this realm.
    pub fn governance(&self, governed: &Pubkey) -> Pubkey {
        super::governance(&self.program, &self.realm, governed)
    }

    /// The proposal of `governance` with `seed`.
    pub fn proposal(&self, governance: &Pubkey, seed: &Pubkey) -> Pubkey {
        super::proposal(&self.program, governance, &self.mint, seed)
    }

    /// `CreateRealm` without a council, the community token `Dormant`
    /// (no deposits: voting power comes from the plugin), with the
    /// voter-weight and max-voter-weight plugin `plugin` (e.g. Coherence).
    pub fn create_realm(&self, authority: &Pubkey, payer: &Pubkey, plugin: &Pubkey) -> Instruction {
        use super::state::{GoverningTokenConfigArgs, GoverningTokenType, MintMaxVoterWeightSource};
        let args = RealmConfigArgs {
            use_council_mint: false,
            min_community_weight_to_create_governance: u64::MAX,
            community_mint_max_voter_weight_source: MintMaxVoterWeightSource::SupplyFraction(10_000_000_000),
            community_token_config_args: GoverningTokenConfigArgs {
                use_voter_weight_addin: true,
                use_max_voter_weight_addin: true,
                token_type: GoverningTokenType::Dormant,
            },
            council_token_config_args: GoverningTokenConfigArgs {
                use_voter_weight_addin: false,
                use_max_voter_weight_addin: false,
                token_type: GoverningTokenType::Liquid,
            },
        };
        let accounts = vec![
            AccountMeta::new(self.realm, false),
            AccountMeta::new_readonly(*authority, false),
            AccountMeta::new_readonly(self.mint, false),
            AccountMeta::new(super::holding(&self.program, &self.realm, &self.mint), false),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(anchor_spl::token::ID, false),
            AccountMeta::new_readonly(anchor_lang::solana_program::rent::ID, false),
            AccountMeta::new(self.realm_config(), false),
            AccountMeta::new_readonly(*plugin, false),
            AccountMeta::new_readonly(*plugin, false),
        ];
        Instruction { program_id: self.program, accounts, data: data(tag::CREATE_REALM, (self.name.clone(), args)) }
    }

    /// `CreateTokenOwnerRecord` for `owner` (permissionless; with a plugin
    /// nobody deposits, so this is how a voter gets a record).
    pub fn create_token_owner_record(&self, owner: &Pubkey, payer: &Pubkey) -> Instruction {
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new_readonly(*owner, false),
            AccountMeta::new(self.token_owner_record(owner), false),
            AccountMeta::new_readonly(self.mint, false),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
        ];
        Instruction { program_id: self.program, accounts, data: vec![tag::CREATE_TOKEN_OWNER_RECORD] }
    }

    /// `CreateGovernance` of `governed`, signed by the realm authority.
    pub fn create_governance(
        &self,
        governed: &Pubkey,
        realm_authority: &Pubkey,
        payer: &Pubkey,
        config: GovernanceConfig,
    ) -> Instruction {
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new(self.governance(governed), false),
            AccountMeta::new_readonly(*governed, false),
            AccountMeta::new_readonly(self.token_owner_record(realm_authority), false),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(*realm_authority, true),
            AccountMeta::new_readonly(self.realm_config(), false),
        ];
        Instruction { program_id: self.program, accounts, data: data(tag::CREATE_GOVERNANCE, config) }
    }

    /// `CreateProposal`: a yes/no proposal (one option, "Approve", with the
    /// deny option) by `owner`, whose voter weight record (for
    /// `CreateProposal` on `governance`) must be refreshed in the same
    /// transaction.
    #[allow(clippy::too_many_arguments)]
    pub fn create_proposal(
        &self,
        governance: &Pubkey,
        owner: &Pubkey,
        payer: &Pubkey,
        name: &str,
        description: &str,
        seed: &Pubkey,
        voter_weight_record: &Pubkey,
    ) -> Instruction {
        let proposal = self.proposal(governance, seed);
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new(proposal, false),
            AccountMeta::new(*governance, false),
            AccountMeta::new(self.token_owner_record(owner), false),
            AccountMeta::new_readonly(self.mint, false),
            AccountMeta::new_readonly(*owner, true),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(self.realm_config(), false),
            AccountMeta::new_readonly(*voter_weight_record, false),
            AccountMeta::new(super::proposal_deposit(&self.program, &proposal, payer), false),
        ];
        let args = (
            name.to_string(),
            description.to_string(),
            VoteType::SingleChoice,
            vec!["Approve".to_string()],
            true,
            *seed,
        );
        Instruction { program_id: self.program, accounts, data: data(tag::CREATE_PROPOSAL, args) }
    }

    /// `InsertTransaction` `index` of option 0: `instructions`, executed by
    /// the governance after `hold_up_secs`.
    #[allow(clippy::too_many_arguments)]
    pub fn insert_transaction(
        &self,
        governance: &Pubkey,
        proposal: &Pubkey,
        owner: &Pubkey,
        payer: &Pubkey,
        index: u16,
        hold_up_secs: u32,
        instructions: &[Instruction],
    ) -> Instruction {
        let accounts = vec![
            AccountMeta::new_readonly(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new_readonly(self.token_owner_record(owner), false),
            AccountMeta::new_readonly(*owner, true),
            AccountMeta::new(super::proposal_transaction(&self.program, proposal, 0, index), false),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(anchor_lang::solana_program::rent::ID, false),
        ];
        let stored: Vec<InstructionData> = instructions.iter().map(InstructionData::from).collect();
        let args = (0u8, index, hold_up_secs, stored);
        Instruction { program_id: self.program, accounts, data: data(tag::INSERT_TRANSACTION, args) }
    }

    /// `SignOffProposal` by its owner (no other signatories): voting starts.
    pub fn sign_off_proposal(&self, governance: &Pubkey, proposal: &Pubkey, owner: &Pubkey) -> Instruction {
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new_readonly(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new_readonly(*owner, true),
            AccountMeta::new_readonly(self.token_owner_record(owner), false),
        ];
        Instruction { program_id: self.program, accounts, data: vec![tag::SIGN_OFF_PROPOSAL] }
    }

    /// `CastVote` by `voter` on `proposal` (owned by `proposal_owner`), with
    /// the voter's weight record (refreshed for `CastVote` on `proposal` in
    /// the same transaction) and the max voter weight record.
    #[allow(clippy::too_many_arguments)]
    pub fn cast_vote(
        &self,
        governance: &Pubkey,
        proposal: &Pubkey,
        proposal_owner: &Pubkey,
        voter: &Pubkey,
        payer: &Pubkey,
        vote: Vote,
        voter_weight_record: &Pubkey,
        max_voter_weight_record: &Pubkey,
    ) -> Instruction {
        let voter_record = self.token_owner_record(voter);
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new(self.token_owner_record(proposal_owner), false),
            AccountMeta::new(voter_record, false),
            AccountMeta::new_readonly(*voter, true),
            AccountMeta::new(super::vote_record(&self.program, proposal, &voter_record), false),
            AccountMeta::new_readonly(self.mint, false),
            AccountMeta::new(*payer, true),
            AccountMeta::new_readonly(system_program::ID, false),
            AccountMeta::new_readonly(self.realm_config(), false),
            AccountMeta::new_readonly(*voter_weight_record, false),
            AccountMeta::new_readonly(*max_voter_weight_record, false),
        ];
        Instruction { program_id: self.program, accounts, data: data(tag::CAST_VOTE, vote) }
    }

    /// `FinalizeVote` once the voting time is over (permissionless).
    pub fn finalize_vote(
        &self,
        governance: &Pubkey,
        proposal: &Pubkey,
        proposal_owner: &Pubkey,
        max_voter_weight_record: &Pubkey,
    ) -> Instruction {
        let accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new(self.token_owner_record(proposal_owner), false),
            AccountMeta::new_readonly(self.mint, false),
            AccountMeta::new_readonly(self.realm_config(), false),
            AccountMeta::new_readonly(*max_voter_weight_record, false),
        ];
        Instruction { program_id: self.program, accounts, data: vec![tag::FINALIZE_VOTE] }
    }

    /// `RelinquishVote` of `voter` on `proposal`. While the vote is open the
    /// voter signs and the vote is withdrawn (`beneficiary` gets the vote
    /// record's rent); after it, anyone may relinquish (`None`).
    pub fn relinquish_vote(
        &self,
        governance: &Pubkey,
        proposal: &Pubkey,
        voter: &Pubkey,
        beneficiary: Option<&Pubkey>,
    ) -> Instruction {
        let voter_record = self.token_owner_record(voter);
        let mut accounts = vec![
            AccountMeta::new_readonly(self.realm, false),
            AccountMeta::new_readonly(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new(voter_record, false),
            AccountMeta::new(super::vote_record(&self.program, proposal, &voter_record), false),
            AccountMeta::new_readonly(self.mint, false),
        ];
        if let Some(beneficiary) = beneficiary {
            accounts.push(AccountMeta::new_readonly(*voter, true));
            accounts.push(AccountMeta::new(*beneficiary, false));
        }
        Instruction { program_id: self.program, accounts, data: vec![tag::RELINQUISH_VOTE] }
    }

    /// `ExecuteTransaction` `index` of option 0, whose stored instructions
    /// are `instructions` (their programs and accounts follow; the
    /// governance and its native treasury sign inside, not here).
    pub fn execute_transaction(
        &self,
        governance: &Pubkey,
        proposal: &Pubkey,
        index: u16,
        instructions: &[Instruction],
    ) -> Instruction {
        let treasury = super::native_treasury(&self.program, governance);
        let mut accounts = vec![
            AccountMeta::new_readonly(*governance, false),
            AccountMeta::new(*proposal, false),
            AccountMeta::new(super::proposal_transaction(&self.program, proposal, 0, index), false),
        ];
        for ix in instructions {
            accounts.push(AccountMeta::new_readonly(ix.program_id, false));
            for meta in &ix.accounts {
                let pda = meta.pubkey == *governance || meta.pubkey == treasury;
                accounts.push(AccountMeta {
                    pubkey: meta.pubkey,
                    is_signer: meta.is_signer && !pda,
                    is_writable: meta.is_writable,
                });
            }
        }
        Instruction { program_id: self.program, accounts, data: vec![tag::EXECUTE_TRANSACTION] }
    }
}

/// Voting rules for a governance of the engine: yes must reach
/// `yes_percent` of the max voter weight, votes run `voting_secs`, and
/// transactions wait `hold_up_secs` after success; no council, no tipping
/// (every vote runs its full time), proposals by anyone with weight ≥ 1.
///
/// ```
/// let c = coherence_sdk::spl_governance::governance_config(60, 3 * 86_400, 0);
/// assert_eq!(c.voting_base_time, 3 * 86_400);
/// ```
pub fn governance_config(yes_percent: u8, voting_secs: u32, hold_up_secs: u32) -> GovernanceConfig {
    use super::state::{VoteThreshold, VoteTipping};
    GovernanceConfig {
        community_vote_threshold: VoteThreshold::YesVotePercentage(yes_percent),
        min_community_weight_to_create_proposal: 1,
        min_transaction_hold_up_time: hold_up_secs,
        voting_base_time: voting_secs,
        community_vote_tipping: VoteTipping::Disabled,
        council_vote_threshold: VoteThreshold::Disabled,
        council_veto_vote_threshold: VoteThreshold::Disabled,
        min_council_weight_to_create_proposal: u64::MAX,
        council_vote_tipping: VoteTipping::Disabled,
        community_veto_vote_threshold: VoteThreshold::Disabled,
        voting_cool_off_time: 0,
        deposit_exempt_proposal_count: 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example bytes of the governance source's own layout (60 %, min
    /// weight 1, hold-up 0, 259 200 s, tipping disabled, no council).
    #[test]
    fn governance_config_bytes() {
        let mut c = governance_config(60, 259_200, 0);
        c.community_vote_tipping = crate::spl_governance::VoteTipping::Disabled;
        let mut bytes = Vec::new();
        c.serialize(&mut bytes).unwrap();
        let want: Vec<u8> = [
            vec![0, 0x3c],
            1u64.to_le_bytes().to_vec(),
            0u32.to_le_bytes().to_vec(),
            259_200u32.to_le_bytes().to_vec(),
            vec![2, 2, 2],
            u64::MAX.to_le_bytes().to_vec(),
            vec![2, 2],
            0u32.to_le_bytes().to_vec(),
            vec![10],
        ]
        .concat();
        assert_eq!(bytes, want);
        assert_eq!(bytes.len(), 36);
    }

    #[test]
    fn cast_vote_yes_bytes() {
        assert_eq!(data(tag::CAST_VOTE, Vote::yes()), vec![13, 0, 1, 0, 0, 0, 0, 100]);
        assert_eq!(data(tag::CAST_VOTE, Vote::Deny), vec![13, 1]);
    }
}
