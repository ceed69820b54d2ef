//! Checked arithmetic that names the failing line.
//!
//! Every operation returns `Result<_, CoherenceError>`; on failure the caller's
//! file and line are logged (`#[track_caller]`), so an overflow in production
//! points at the formula that overflowed instead of a bare error code.

use crate::errors::CoherenceError;

#[track_caller]
#[inline(never)]
fn fail(err: CoherenceError) -> CoherenceError {
    let at = core::panic::Location::caller();
    anchor_lang::solana_program::msg!("{:?} at {}:{}", err, at.file(), at.line());
    err
}

/// Checked add / sub / mul / div with a logged location.
pub trait SafeMath: Sized {
    fn safe_add(self, rhs: Self) -> Result<Self, CoherenceError>;
    fn safe_sub(self, rhs: Self) -> Result<Self, CoherenceError>;
    fn safe_mul(self, rhs: Self) -> Result<Self, CoherenceError>;
    /// Division rounding down (toward zero).
    fn safe_div(self, rhs: Self) -> Result<Self, CoherenceError>;
    /// Division rounding up, for debts owed to the protocol.
    fn safe_div_ceil(self, rhs: Self) -> Result<Self, CoherenceError>;
}

macro_rules! impl_safe_math {
    ($($t:ty),*) => {$(
        impl SafeMath for $t {
            #[track_caller]
            #[inline(always)]
            fn safe_add(self, rhs: Self) -> Result<Self, CoherenceError> {
                self.checked_add(rhs).ok_or_else(|| fail(CoherenceError::MathOverflow))
            }
            #[track_caller]
            #[inline(always)]
            fn safe_sub(self, rhs: Self) -> Result<Self, CoherenceError> {
                self.checked_sub(rhs).ok_or_else(|| fail(CoherenceError::MathOverflow))
            }
            #[track_caller]
            #[inline(always)]
            fn safe_mul(self, rhs: Self) -> Result<Self, CoherenceError> {
                self.checked_mul(rhs).ok_or_else(|| fail(CoherenceError::MathOverflow))
            }
            #[track_caller]
            #[inline(always)]
            fn safe_div(self, rhs: Self) -> Result<Self, CoherenceError> {
                self.checked_div(rhs).ok_or_else(|| fail(CoherenceError::DivisionByZero))
            }
            #[track_caller]
            #[inline(always)]
            fn safe_div_ceil(self, rhs: Self) -> Result<Self, CoherenceError> {
                if rhs == 0 {
                    return Err(fail(CoherenceError::DivisionByZero));
                }
                Ok(self.div_ceil(rhs))
            }
        }
    )*};
}
impl_safe_math!(u16, u64, u128);

/// Checked narrowing / widening conversions with a logged location.
pub trait Cast: Sized {
    fn cast<T: TryFrom<Self>>(self) -> Result<T, CoherenceError>;
}

macro_rules! impl_cast {
    ($($t:ty),*) => {$(
        impl Cast for $t {
            #[track_caller]
            #[inline(always)]
            fn cast<T: TryFrom<Self>>(self) -> Result<T, CoherenceError> {
                T::try_from(self).map_err(|_| fail(CoherenceError::CastOverflow))
            }
        }
    )*};
}
impl_cast!(u8, u16, u64, u128, i64);

/// `a * b / d`, rounded down, in u128 (inputs are u64 so the product cannot
/// overflow u128).
#[track_caller]
pub fn mul_div_u64(a: u64, b: u64, d: u64) -> Result<u64, CoherenceError> {
    (a as u128).safe_mul(b as u128)?.safe_div(d as u128)?.cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        assert_eq!(u64::MAX.safe_add(1), Err(CoherenceError::MathOverflow));
        assert_eq!(0u64.safe_sub(1), Err(CoherenceError::MathOverflow));
        assert_eq!(u128::MAX.safe_mul(2), Err(CoherenceError::MathOverflow));
        assert_eq!(1u64.safe_div(0), Err(CoherenceError::DivisionByZero));
        assert_eq!(7u64.safe_div_ceil(2), Ok(4));
        assert_eq!((u64::MAX as u128 + 1).cast::<u64>(), Err(CoherenceError::CastOverflow));
        assert_eq!(mul_div_u64(u64::MAX, u64::MAX, u64::MAX), Ok(u64::MAX));
    }
}
