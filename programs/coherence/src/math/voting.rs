//! Voting power from positions (DESIGN §9): an owner's voter weight is the
//! sum of their locked positions' weights, the same duration-boosted
//! `weight` that earns rewards; unbonding positions weigh 0.

use super::safe_math::{Cast, SafeMath};
use crate::errors::CoherenceError;

/// Σ weight of the positions, each given as `(weight, unbonding)`; an
/// unbonding position adds 0 whatever its stored weight. `CastOverflow`
/// if the sum does not fit the u64 that SPL Governance counts votes in.
pub fn voter_weight(positions: impl IntoIterator<Item = (u128, bool)>) -> Result<u64, CoherenceError> {
    let mut sum: u128 = 0;
    for (weight, unbonding) in positions {
        if !unbonding {
            sum = sum.safe_add(weight)?;
        }
    }
    sum.cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_locked_positions_only() {
        assert_eq!(voter_weight([]), Ok(0));
        assert_eq!(voter_weight([(100, false), (250, false)]), Ok(350));
        assert_eq!(voter_weight([(100, false), (250, true)]), Ok(100));
        assert_eq!(voter_weight([(u64::MAX as u128, false), (1, false)]), Err(CoherenceError::CastOverflow));
    }
}
