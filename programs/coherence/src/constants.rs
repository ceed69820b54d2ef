//! Compiled-in hard bounds. No governance action can move a parameter outside
//! these ranges (DESIGN §5, invariant I9). Times are in seconds, shares in
//! basis points (1 bps = 0.01 %).

/// 100 % in basis points.
pub const BPS: u64 = 10_000;

/// Emission may never exceed 90 % of the usage burned in an epoch (I1).
pub const MAX_ALPHA_BPS: u16 = 9_000;

/// The usage gate compares an epoch's usage to this share of the baseline.
/// Below 50 % the gate would let a collapse in usage still emit.
pub const MIN_GATE_BPS: u16 = 5_000;
/// Above 100 % the gate is incoherent: steady usage stops emitting once its
/// baseline catches up while a swinging path keeps passing (the simulator
/// showed it). An engine set above 100 % before this bound keeps running;
/// no proposal can set it again.
pub const MAX_GATE_BPS: u16 = 10_000;

/// Weight of the newest epoch in the baseline EMA.
pub const MIN_EMA_BPS: u16 = 100;
pub const MAX_EMA_BPS: u16 = 5_000;

/// The per-epoch emission cap must decay, at most by 20 % per epoch.
pub const MIN_CAP_DECAY_BPS: u16 = 1;
pub const MAX_CAP_DECAY_BPS: u16 = 2_000;

/// The treasury's share of each emission is bounded (DESIGN: MAX_TREASURY_BPS).
pub const MAX_TREASURY_BPS: u16 = 2_000;
/// The builders' share of each emission is bounded.
pub const MAX_BUILDERS_BPS: u16 = 5_000;

/// Longest lock a position can take, and the largest duration boost.
pub const MAX_LOCK_SECS: u64 = 4 * 365 * DAY;
pub const MAX_BOOST_BPS: u16 = 30_000;

/// Epoch length bounds (fixed at genesis).
pub const MIN_EPOCH_SECS: u64 = 60;
pub const MAX_EPOCH_SECS: u64 = 30 * DAY;

/// Usage shards (fixed at genesis).
pub const MAX_USAGE_SHARDS: u8 = 16;

/// Vesting minimums may not be set below these floors, nor above the ceilings.
pub const MIN_VESTING_CLIFF_FLOOR: u64 = DAY;
pub const MIN_VESTING_DURATION_FLOOR: u64 = 30 * DAY;
pub const MAX_VESTING_MIN_SECS: u64 = 10 * 365 * DAY;

/// Governance timelock bounds.
pub const MIN_TIMELOCK_SECS: u64 = DAY;
pub const MAX_TIMELOCK_SECS: u64 = 30 * DAY;

pub const DAY: u64 = 86_400;

/// Layout version written into accounts whose layout never changed.
pub const ACCOUNT_VERSION: u8 = 1;

/// Engine layout version 2 uses two reserved bytes for `gated_rate_bps`.
/// A version-1 engine wrote zeros there, which reads as "no usage-gated
/// schedule holds budget": exactly true, since version 1 had none.
/// Version 3 adds the baseline's usage history and the time-only ledger
/// (`Engine::upgrade` brings an older engine up in place).
pub const ENGINE_VERSION: u8 = 3;

/// Engine layout version 4 holds the realm and governance program its
/// holders vote in (`voting_realm`, `voting_program`), in what older versions
/// kept as zeroed reserved bytes: zero reads as "no voting", exactly true for
/// an older engine. `apply_voting` writes this version; an engine that never
/// configures voting stays at `ENGINE_VERSION`.
pub const ENGINE_VOTING_VERSION: u8 = 4;

/// Registrar layout version.
pub const REGISTRAR_VERSION: u8 = 1;

/// Source layout version 2 holds a second epoch's usage (slot B).
pub const SOURCE_VERSION: u8 = 2;

/// Usage shard layout version 2 carries the escrow's address.
pub const USAGE_SHARD_VERSION: u8 = 2;

/// Vesting layout version 2 carries the usage gate in what version 1 kept
/// as zeroed reserved bytes. The program reads the gate only from version
/// ≥ 2 accounts, so a version-1 schedule stays time-only whatever its bytes.
/// Version 3 changes no byte: a version-3 time-only schedule is counted in
/// its engine's time-only ledger, and a version-3 gated schedule's
/// `usage_snapshot` includes the usage already paid into open epochs when it
/// was created (so `U` counts only usage paid after its creation).
pub const VESTING_VERSION: u8 = 3;

/// A usage-gated schedule that has not fully vested by `end + grace` can be
/// expired by anyone; the grace is chosen per schedule within these bounds
/// (long enough for a bad quarter, short enough that dead grants go back).
pub const MIN_VESTING_GRACE_SECS: u64 = 30 * DAY;
pub const MAX_VESTING_GRACE_SECS: u64 = 3 * 365 * DAY;
