//! Every PDA seed, defined once. The program's constraints and the SDK's
//! `pda` module both use these constants.

/// `["engine", mint]`: one engine per mint.
pub const ENGINE: &[u8] = b"engine";
/// `["stake_pool", engine]`
pub const STAKE_POOL: &[u8] = b"stake_pool";
/// `["stake_vault", engine]`: holds every position's principal.
pub const STAKE_VAULT: &[u8] = b"stake_vault";
/// `["reward_vault", engine]`: holds the stakers' reward stream.
pub const REWARD_VAULT: &[u8] = b"reward_vault";
/// `["treasury", engine]`: genesis allocation plus the treasury share of emission.
pub const TREASURY: &[u8] = b"treasury";
/// `["vesting_vault", engine]`: tokens committed to vesting schedules.
pub const VESTING_VAULT: &[u8] = b"vesting_vault";
/// `["builder_vault", engine]`: builders' share of emission until claimed.
pub const BUILDER_VAULT: &[u8] = b"builder_vault";
/// `["position", engine, owner, id_le]`
pub const POSITION: &[u8] = b"position";
/// `["vesting", engine, id_le]`; id from `Engine::vesting_count`.
pub const VESTING: &[u8] = b"vesting";
/// `["usage", engine, shard]` (`shard` is one byte: `shard.to_le_bytes()`)
pub const USAGE: &[u8] = b"usage";
/// `["usage_escrow", engine, shard]`: the shard's token account, owned by the
/// engine PDA; `record_usage` pays into it and `close_epoch` burns it.
pub const USAGE_ESCROW: &[u8] = b"usage_escrow";
/// `["epoch", engine, epoch_le]`
pub const EPOCH: &[u8] = b"epoch";
/// `["source", engine, id_le]`; id from `Engine::source_count`.
pub const SOURCE: &[u8] = b"source";
/// `["registrar", engine]`: the engine's voter-weight plugin configuration.
pub const REGISTRAR: &[u8] = b"registrar";
/// `["voter_weight", engine, owner]`: an owner's `VoterWeightRecord`.
pub const VOTER_WEIGHT: &[u8] = b"voter_weight";
/// `["max_voter_weight", engine]`: the engine's `MaxVoterWeightRecord`.
pub const MAX_VOTER_WEIGHT: &[u8] = b"max_voter_weight";
/// SPL Governance's own seed prefix: a `TokenOwnerRecord` is the governance
/// program's PDA `["governance", realm, governing_token_mint, owner]`.
pub const GOVERNANCE: &[u8] = b"governance";
