//! Holders govern, in process: the real SPL Governance 3.1.2 bytecode
//! (`tests/fixtures/spl_governance.so`) next to Coherence, a realm whose
//! voter-weight and max-voter-weight plugin is Coherence, and a governance
//! over the engine. No mock of the governance program.

use crate::{Fixture, Harness, TxResult, TOKEN};
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use coherence::state::{VoterWeightAction, VotingConfig};
use coherence_sdk::instructions as ix;
use coherence_sdk::spl_governance::{self as gov, Realms, Vote, REALMS_PROGRAM_ID};
use solana_keypair::Keypair;
use solana_signer::Signer;

/// The governance program's bytecode, as committed (see `fixtures/README.md`).
pub fn spl_governance_so() -> Vec<u8> {
    crate::fixture_so("spl_governance.so")
}

/// Loads SPL Governance at Realms' program id into a test bank.
pub fn add_spl_governance(pt: &mut solana_program_test::ProgramTest) {
    coherence_sdk::client::local::add_bpf_program(pt, REALMS_PROGRAM_ID, spl_governance_so());
}

/// A harness whose bank also runs SPL Governance.
pub async fn harness() -> Harness {
    Harness::with_programs(add_spl_governance).await
}

/// Yes must reach 60 % of the max voter weight.
pub const YES_PERCENT: u8 = 60;
/// Votes run three days.
pub const VOTING_SECS: u32 = 3 * 86_400;

/// An engine governed by its holders through a realm.
pub struct Dao {
    pub f: Fixture,
    pub realms: Realms,
    /// The governance over the engine (its seed is the engine's address).
    pub governance: Pubkey,
    pub realm_authority: Keypair,
}

impl Dao {
    /// Engine, realm (Coherence as its plugin), governance, and voting
    /// applied through the timelock with `max_voter_weight`; the max voter
    /// weight record written.
    pub async fn setup(h: &mut Harness, max_voter_weight: u64) -> Dao {
        let f = Fixture::new(h, TOKEN).await;
        let realm_authority = h.wallet().await;
        let realms = Realms::new(REALMS_PROGRAM_ID, "coherence", f.keys.mint);
        let payer = h.payer().pubkey();
        h.send(&[realms.create_realm(&realm_authority.pubkey(), &payer, &coherence::ID)], &[])
            .await
            .expect("CreateRealm");
        let config = gov::governance_config(YES_PERCENT, VOTING_SECS, 0);
        let create = realms.create_governance(&f.keys.engine, &realm_authority.pubkey(), &payer, config);
        h.send(&[create], &[&realm_authority]).await.expect("CreateGovernance");
        let governance = realms.governance(&f.keys.engine);
        let dao = Dao { f, realms, governance, realm_authority };
        dao.configure_voting(h, max_voter_weight).await;
        dao
    }

    /// The engine's voting configuration for this realm.
    pub fn voting_config(&self, max_voter_weight: u64) -> VotingConfig {
        VotingConfig { realm: self.realms.realm, governance_program: REALMS_PROGRAM_ID, max_voter_weight }
    }

    /// propose_voting (authority), the timelock, apply_voting, the max record.
    pub async fn configure_voting(&self, h: &mut Harness, max_voter_weight: u64) {
        let payer = h.payer().pubkey();
        let config = self.voting_config(max_voter_weight);
        let propose = ix::propose_voting(&self.f.keys, &self.f.authority.pubkey(), &payer, config);
        h.send(&[propose], &[&self.f.authority]).await.expect("propose_voting");
        let timelock = self.f.engine(h).await.params.timelock_secs as i64;
        h.warp_by(timelock).await;
        h.send(&[ix::apply_voting(&self.f.keys)], &[]).await.expect("apply_voting");
        h.send(&[ix::update_max_voter_weight_record(&self.f.keys, &payer)], &[]).await.expect("max voter weight");
    }

    /// A holder of `amount` who locks it all for `lock_secs` in position 0
    /// and has a token owner record in the realm.
    pub async fn locker(&self, h: &mut Harness, amount: u64, lock_secs: u64) -> (Keypair, Pubkey) {
        let (user, tokens) = self.f.user(h, amount).await;
        let position = self.f.open(h, &user, &tokens, 0, amount, lock_secs).await.expect("open_position");
        self.create_record(h, &user.pubkey()).await;
        (user, position)
    }

    pub async fn create_record(&self, h: &mut Harness, owner: &Pubkey) {
        let payer = h.payer().pubkey();
        h.send(&[self.realms.create_token_owner_record(owner, &payer)], &[]).await.expect("CreateTokenOwnerRecord");
    }

    pub fn voter_weight_record(&self, owner: &Pubkey) -> Pubkey {
        coherence_sdk::pda::voter_weight_record(&self.f.keys.engine, owner)
    }

    pub fn max_voter_weight_record(&self) -> Pubkey {
        coherence_sdk::pda::max_voter_weight_record(&self.f.keys.engine)
    }

    /// `update_voter_weight_record` by `owner` (paid by the harness payer).
    pub fn refresh(
        &self,
        h: &Harness,
        owner: &Pubkey,
        action: VoterWeightAction,
        target: &Pubkey,
        positions: &[Pubkey],
    ) -> Instruction {
        ix::update_voter_weight_record(&self.f.keys, &h.payer().pubkey(), owner, action, target, positions)
    }

    /// Creates a proposal by `proposer` (weight refreshed in the same
    /// transaction) whose one transaction is `ixs`, and signs it off.
    pub async fn propose(
        &self,
        h: &mut Harness,
        proposer: &Keypair,
        positions: &[Pubkey],
        name: &str,
        ixs: &[Instruction],
    ) -> Result<Pubkey, solana_program_test::BanksClientError> {
        let seed = Pubkey::new_unique();
        let payer = h.payer().pubkey();
        let owner = proposer.pubkey();
        let refresh = self.refresh(h, &owner, VoterWeightAction::CreateProposal, &self.governance, positions);
        let vwr = self.voter_weight_record(&owner);
        let create = self.realms.create_proposal(&self.governance, &owner, &payer, name, "", &seed, &vwr);
        h.send(&[refresh, create], &[proposer]).await?;
        let proposal = self.realms.proposal(&self.governance, &seed);
        let insert = self.realms.insert_transaction(&self.governance, &proposal, &owner, &payer, 0, 0, ixs);
        h.send(&[insert], &[proposer]).await?;
        h.send(&[self.realms.sign_off_proposal(&self.governance, &proposal, &owner)], &[proposer]).await?;
        Ok(proposal)
    }

    /// `voter` votes on `proposal` (by `proposer`), the weight refreshed in
    /// the same transaction from `positions`.
    pub fn vote_ixs(
        &self,
        h: &Harness,
        voter: &Pubkey,
        positions: &[Pubkey],
        proposal: &Pubkey,
        proposer: &Pubkey,
        vote: Vote,
    ) -> Vec<Instruction> {
        let refresh = self.refresh(h, voter, VoterWeightAction::CastVote, proposal, positions);
        vec![refresh, self.cast(h, voter, proposal, proposer, vote)]
    }

    /// CastVote alone (the voter weight record as it is).
    pub fn cast(&self, h: &Harness, voter: &Pubkey, proposal: &Pubkey, proposer: &Pubkey, vote: Vote) -> Instruction {
        let (vwr, max) = (self.voter_weight_record(voter), self.max_voter_weight_record());
        self.realms.cast_vote(&self.governance, proposal, proposer, voter, &h.payer().pubkey(), vote, &vwr, &max)
    }

    pub async fn vote(
        &self,
        h: &mut Harness,
        voter: &Keypair,
        positions: &[Pubkey],
        proposal: &Pubkey,
        proposer: &Pubkey,
        vote: Vote,
    ) -> TxResult {
        let ixs = self.vote_ixs(h, &voter.pubkey(), positions, proposal, proposer, vote);
        h.send(&ixs, &[voter]).await
    }

    /// Waits out the voting time and finalizes.
    pub async fn finalize(&self, h: &mut Harness, proposal: &Pubkey, proposer: &Pubkey) -> TxResult {
        h.warp_by(i64::from(VOTING_SECS) + 1).await;
        let max = self.max_voter_weight_record();
        h.send(&[self.realms.finalize_vote(&self.governance, proposal, proposer, &max)], &[]).await
    }

    /// Executes the proposal's transaction `ixs` (permissionless).
    pub async fn execute(&self, h: &mut Harness, proposal: &Pubkey, ixs: &[Instruction]) -> TxResult {
        h.send(&[self.realms.execute_transaction(&self.governance, proposal, 0, ixs)], &[]).await
    }

    /// Relinquishes `voter`'s vote on a decided `proposal` (permissionless).
    pub async fn relinquish(&self, h: &mut Harness, proposal: &Pubkey, voter: &Pubkey) -> TxResult {
        h.send(&[self.realms.relinquish_vote(&self.governance, proposal, voter, None)], &[]).await
    }

    pub async fn proposal(&self, h: &mut Harness, proposal: &Pubkey) -> gov::Proposal {
        let data = h.account_data(proposal).await.expect("proposal exists");
        gov::decode(&data, gov::account_type::PROPOSAL_V2).expect("a ProposalV2")
    }

    pub async fn token_owner_record(&self, h: &mut Harness, owner: &Pubkey) -> gov::TokenOwnerRecord {
        let data = h.account_data(&self.realms.token_owner_record(owner)).await.expect("record exists");
        gov::decode(&data, gov::account_type::TOKEN_OWNER_RECORD_V2).expect("a TokenOwnerRecordV2")
    }

    /// Hands the engine to the governance: propose_authority by the key,
    /// then a proposal (by `proposer`, voted yes by every `voters` with
    /// their positions) whose transaction is `accept_authority`.
    pub async fn hand_over(&self, h: &mut Harness, proposer: &Keypair, voters: &[(&Keypair, Pubkey)]) {
        let keys = &self.f.keys;
        let propose = ix::propose_authority(keys, &self.f.authority.pubkey(), self.governance);
        h.send(&[propose], &[&self.f.authority]).await.expect("propose_authority");
        let accept = vec![ix::accept_authority(keys, &self.governance)];
        let proposer_position = voters.iter().find(|(k, _)| k.pubkey() == proposer.pubkey()).map(|(_, p)| *p);
        let positions: Vec<Pubkey> = proposer_position.into_iter().collect();
        let proposal = self.propose(h, proposer, &positions, "Hand the engine to its holders", &accept).await.unwrap();
        for (voter, position) in voters {
            self.vote(h, voter, &[*position], &proposal, &proposer.pubkey(), Vote::yes()).await.expect("vote");
        }
        self.finalize(h, &proposal, &proposer.pubkey()).await.expect("finalize");
        self.execute(h, &proposal, &accept).await.expect("execute accept_authority");
        for (voter, _) in voters {
            self.relinquish(h, &proposal, &voter.pubkey()).await.expect("relinquish");
        }
    }
}
