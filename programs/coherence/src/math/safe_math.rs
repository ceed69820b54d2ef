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
    /// Quotient and remainder from one division.
    fn safe_div_rem(self, rhs: Self) -> Result<(Self, Self), CoherenceError>;
}

/// The two operations whose fastest exact form depends on the width: for
/// u128 the fast paths of [`mul_u128`] and [`div_rem_u128`] (a 128-bit
/// multiplication or division is a software routine on SBF, about 1,400
/// compute units for a division), the native operators otherwise.
trait Wide: Sized {
    fn mul_checked(self, rhs: Self) -> Option<Self>;
    /// `(self / rhs, self % rhs)`; `rhs` is non-zero.
    fn div_rem(self, rhs: Self) -> (Self, Self);
}

macro_rules! native_wide {
    ($($t:ty),*) => {$(
        impl Wide for $t {
            #[inline(always)]
            fn mul_checked(self, rhs: Self) -> Option<Self> {
                self.checked_mul(rhs)
            }
            #[inline(always)]
            fn div_rem(self, rhs: Self) -> (Self, Self) {
                (self.checked_div(rhs).unwrap_or(0), self.checked_rem(rhs).unwrap_or(0))
            }
        }
    )*};
}
native_wide!(u16, u64);

impl Wide for u128 {
    #[inline(always)]
    fn mul_checked(self, rhs: Self) -> Option<Self> {
        mul_u128(self, rhs)
    }
    #[inline(always)]
    fn div_rem(self, rhs: Self) -> (Self, Self) {
        div_rem_u128(self, rhs)
    }
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
                self.mul_checked(rhs).ok_or_else(|| fail(CoherenceError::MathOverflow))
            }
            #[track_caller]
            #[inline(always)]
            fn safe_div(self, rhs: Self) -> Result<Self, CoherenceError> {
                Ok(self.safe_div_rem(rhs)?.0)
            }
            #[track_caller]
            #[inline(always)]
            fn safe_div_ceil(self, rhs: Self) -> Result<Self, CoherenceError> {
                let (q, r) = self.safe_div_rem(rhs)?;
                // q < MAX whenever r > 0 (rhs ≥ 2), so the increment cannot wrap.
                Ok(if r > 0 { q.wrapping_add(1) } else { q })
            }
            #[track_caller]
            #[inline(always)]
            fn safe_div_rem(self, rhs: Self) -> Result<(Self, Self), CoherenceError> {
                if rhs == 0 {
                    return Err(fail(CoherenceError::DivisionByZero));
                }
                Ok(self.div_rem(rhs))
            }
        }
    )*};
}
impl_safe_math!(u16, u64, u128);

/// `a · b`, `None` on overflow. Two factors below 2^64 (the usual case:
/// an amount times a rate) cannot overflow and skip the overflow test.
#[inline(always)]
pub fn mul_u128(a: u128, b: u128) -> Option<u128> {
    if a >> 64 == 0 && b >> 64 == 0 {
        return Some(a.wrapping_mul(b));
    }
    a.checked_mul(b)
}

/// `(n / d, n % d)` for `d > 0` (0 if `d` is 0, which callers refuse first).
///
/// Four paths, each exact, none calling the software 128-bit division:
/// both below 2^64, one native 64-bit division; a divisor below 2^32, long
/// division by 32-bit digits (four native divisions); a divisor below
/// 2^64, the high word natively and the rest by [`div_128_by_64`]; a wider
/// divisor (the quotient then fits in 64 bits), one [`div_128_by_64`] on
/// the normalized operands and one correction step.
#[inline(never)]
pub fn div_rem_u128(n: u128, d: u128) -> (u128, u128) {
    if d == 0 {
        return (0, 0);
    }
    if let (Ok(n), Ok(d)) = (u64::try_from(n), u64::try_from(d)) {
        return (u128::from(n.checked_div(d).unwrap_or(0)), u128::from(n.checked_rem(d).unwrap_or(0)));
    }
    if let Ok(d) = u32::try_from(d) {
        let d = u64::from(d);
        let (mut q, mut r) = (0u128, 0u64);
        for shift in [96u32, 64, 32, 0] {
            // r < d < 2^32, so the digit fits below it in 64 bits.
            let cur = (r << 32) | (n.wrapping_shr(shift) as u64 & 0xffff_ffff);
            q = (q << 32) | u128::from(cur.checked_div(d).unwrap_or(0));
            r = cur.checked_rem(d).unwrap_or(0);
        }
        return (q, u128::from(r));
    }
    let (n1, n0) = ((n >> 64) as u64, n as u64);
    if let Ok(d) = u64::try_from(d) {
        let (q1, r1) = (n1.checked_div(d).unwrap_or(0), n1.checked_rem(d).unwrap_or(0));
        let (q0, r) = div_128_by_64(r1, n0, d);
        return ((u128::from(q1) << 64) | u128::from(q0), u128::from(r));
    }
    // d ≥ 2^64: shift d left until its top bit is set and take its high word
    // v (≥ 2^63); n / 2 divided by v has a high word below v. That quotient,
    // scaled back, is the true one or one more; less one, it is the true one
    // or one less, which the last comparison settles.
    let s = ((d >> 64) as u64).leading_zeros();
    let v = (d.wrapping_shl(s) >> 64) as u64;
    let half = n >> 1;
    let (q, _) = div_128_by_64((half >> 64) as u64, half as u64, v);
    let mut q = u128::from(q).wrapping_shl(s) >> 63;
    q = q.saturating_sub(1);
    // q ≤ n / d here, so q · d ≤ n: no wrap.
    let mut r = n.wrapping_sub(q.wrapping_mul(d));
    if r >= d {
        q = q.wrapping_add(1);
        r = r.wrapping_sub(d);
    }
    (q, r)
}

/// `(u1 · 2^64 + u0) / v` and its remainder, for `u1 < v` (so the quotient
/// fits in 64 bits): schoolbook division in 32-bit digits on the operands
/// shifted so that `v`'s top bit is set, each quotient digit estimated
/// from the top two digits over `v`'s top digit and corrected at most twice
/// (Knuth, TAOCP vol. 2, §4.3.1, algorithm D).
fn div_128_by_64(u1: u64, u0: u64, v: u64) -> (u64, u64) {
    const B: u64 = 1 << 32;
    let s = v.leading_zeros();
    let v = v.wrapping_shl(s);
    let (v1, v0) = (v >> 32, v & (B - 1));
    // u1 < v, so u1 shifted by s loses nothing.
    let top = if s == 0 { u1 } else { u1.wrapping_shl(s) | u0.wrapping_shr(64u32.wrapping_sub(s)) };
    let low = u0.wrapping_shl(s);
    let (l1, l0) = (low >> 32, low & (B - 1));
    // One quotient digit of `(hi · B + digit) / v`, with hi < v.
    let digit = |hi: u64, next: u64| -> u64 {
        let mut q = hi.checked_div(v1).unwrap_or(0);
        let mut rhat = hi.wrapping_sub(q.wrapping_mul(v1));
        // q ≥ B or q·v0 > rhat·B + next: q is too big (at most by 2).
        while q >= B || q.wrapping_mul(v0) > rhat.wrapping_mul(B).wrapping_add(next) {
            q = q.wrapping_sub(1);
            rhat = rhat.wrapping_add(v1);
            if rhat >= B {
                break;
            }
        }
        q
    };
    let q1 = digit(top, l1);
    // The partial remainder: below v, so the wrapping arithmetic is exact.
    let mid = top.wrapping_mul(B).wrapping_add(l1).wrapping_sub(q1.wrapping_mul(v));
    let q0 = digit(mid, l0);
    let r = mid.wrapping_mul(B).wrapping_add(l0).wrapping_sub(q0.wrapping_mul(v));
    (q1.wrapping_mul(B).wrapping_add(q0), r.wrapping_shr(s))
}

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
        assert_eq!(u128::MAX.safe_div(0), Err(CoherenceError::DivisionByZero));
        assert_eq!(u128::MAX.safe_div_ceil(0), Err(CoherenceError::DivisionByZero));
        assert_eq!((u64::MAX as u128).safe_mul(u64::MAX as u128), Ok((u64::MAX as u128) * (u64::MAX as u128)));
        assert_eq!((1u128 << 64).safe_mul(1 << 64), Err(CoherenceError::MathOverflow));
    }

    /// Edges of each path: the 2^32 and 2^64 boundaries, the largest
    /// values, quotients of 0, 1 and u128::MAX, divisors one apart.
    #[test]
    fn division_edges_match_the_native_operator() {
        let values = [
            0u128,
            1,
            2,
            3,
            (1 << 32) - 1,
            1 << 32,
            (1 << 32) + 1,
            u64::MAX as u128 - 1,
            u64::MAX as u128,
            1 << 64,
            (1 << 64) + 1,
            (1 << 96) - 1,
            1 << 96,
            1_000_000_000_000_000_000,
            (1 << 127) - 1,
            1 << 127,
            u128::MAX - 1,
            u128::MAX,
        ];
        for &n in &values {
            for &d in values.iter().filter(|d| **d > 0) {
                assert_eq!(div_rem_u128(n, d), (n / d, n % d), "{n} / {d}");
                assert_eq!(n.safe_div_ceil(d), Ok(n.div_ceil(d)), "{n} / {d} rounded up");
                assert_eq!(mul_u128(n, d), n.checked_mul(d), "{n} * {d}");
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(20_000))]
        /// Every path, against the native 128-bit operators: operands of
        /// every width (a random value shifted right by a random amount).
        #[test]
        fn division_and_product_match_the_native_operators(
            n in proptest::prelude::any::<u128>(), d in proptest::prelude::any::<u128>(),
            ns in 0u32..128, ds in 0u32..128,
        ) {
            let (n, d) = (n >> ns, (d >> ds).max(1));
            proptest::prop_assert_eq!(div_rem_u128(n, d), (n / d, n % d));
            proptest::prop_assert_eq!(mul_u128(n >> (ns / 2), d), (n >> (ns / 2)).checked_mul(d));
        }

        /// The two-digit step alone, on every divisor width and high words
        /// up to `v − 1` (where the digit estimates need their corrections).
        #[test]
        fn two_word_division_matches_the_native_operator(
            v in proptest::prelude::any::<u64>(), vs in 0u32..64, u1 in proptest::prelude::any::<u64>(),
            u0 in proptest::prelude::any::<u64>(), near_top in proptest::prelude::any::<bool>(),
        ) {
            let v = (v >> vs).max(1);
            let u1 = if near_top { v - 1 } else { u1 % v };
            let n = (u128::from(u1) << 64) | u128::from(u0);
            let (q, r) = div_128_by_64(u1, u0, v);
            proptest::prop_assert_eq!((u128::from(q), u128::from(r)), (n / u128::from(v), n % u128::from(v)));
        }
    }
}
