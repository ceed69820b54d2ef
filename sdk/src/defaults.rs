//! Conservative default parameters for a new engine (inside every hard
//! bound; see `coherence::constants`).

use anchor_lang::prelude::Pubkey;
use coherence::constants::DAY;
use coherence::instructions::InitEngineArgs;
use coherence::math::Params;

/// α 50 %, gate 90 %, 20 % EMA, 1 %/epoch cap decay, locks 7 days–1 year with
/// up to 2× weight, split 70/20/10, vesting ≥ 90-day cliff over ≥ 1 year,
/// 2-day timelock.
///
/// ```
/// let p = coherence_sdk::defaults::params(1_000);
/// assert!(coherence::math::params::validate_params(&p, 86_400, 100_000).is_ok());
/// ```
pub fn params(cap: u64) -> Params {
    coherence::math::params::recommended(cap)
}

/// Genesis arguments: daily epochs, 4 usage shards, the cap at 1 % of max
/// supply, and a time-only budget of 0: no value may accrue without usage
/// unless the deployer declares how much (`time_only_budget`).
///
/// ```
/// let a = coherence_sdk::defaults::init_args(anchor_lang::prelude::Pubkey::new_unique(), 1_000_000);
/// assert_eq!(a.params.cap, 10_000);
/// ```
pub fn init_args(authority: Pubkey, max_supply: u64) -> InitEngineArgs {
    InitEngineArgs {
        authority,
        epoch_secs: DAY,
        usage_shards: 4,
        max_supply,
        params: params((max_supply / 100).max(1)),
        time_only_budget: 0,
    }
}
