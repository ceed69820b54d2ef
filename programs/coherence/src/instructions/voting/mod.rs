//! Voting: the engine as a voter-weight plugin for SPL Governance (Realms).
//! The registrar (realm, governance program, fixed max voter weight) is
//! proposed by the authority and applied after the timelock; owners refresh
//! their voter weight (Σ weight of their locked positions) in the same
//! transaction as each governance action; anyone writes the max voter
//! weight record. Exits check the owner's votes (`support::voting_lock`).
pub mod apply_voting;
pub mod propose_voting;
pub mod update_max_voter_weight_record;
pub mod update_voter_weight_record;

pub use apply_voting::*;
pub use propose_voting::*;
pub use update_max_voter_weight_record::*;
pub use update_voter_weight_record::*;
