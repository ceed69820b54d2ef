//! Fixed account layouts, read and written without Borsh's per-field calls.
//!
//! Every Coherence account is a fixed-size Borsh encoding (no `Vec`, no
//! `String`): integers little-endian, `bool` and `Option` tags one byte,
//! arrays element by element. Anchor's `#[account]` decodes and re-encodes
//! the whole struct on every instruction through `std::io` traits, and its
//! write-back makes one `sol_memcpy` system call per field: about 1,700
//! compute units to write the `Engine` back and 1,000 to read it (measured
//! on the SBF build with `cu_mark!`). [`fixed_account!`] declares an
//! account that keeps the same bytes — the same Borsh derive, so the same
//! IDL and the same encoding for every client — but whose
//! `AccountDeserialize`/`AccountSerialize` (what `Account<T>` calls on-chain)
//! copy each field straight out of the account data, and encode into one
//! buffer written back with a single copy. [`fixed_layout!`] does the same
//! for a struct nested in an account (`Params`, `Stream`, `UsageSlot`).
//!
//! An account this program creates has room for its largest encoding (its
//! `INIT_SPACE`), so its data is read without a length check per field
//! ([`Unchecked`]), straight into the decode's result; data shorter than
//! that (a truncated account) is read with a check on every field
//! ([`Reader`]). The write-back buffer has that room by construction.
//!
//! The two encodings are one: `tests` below encodes random values both
//! ways and compares the bytes, and decodes each with the other (the
//! largest-encoding path on full-length data, the checked path on the exact
//! encoding); invalid `bool` and `Option` tags and short data are refused as
//! Borsh refuses them (`AccountDidNotDeserialize`).

use anchor_lang::prelude::Pubkey;

/// Where a field's bytes are read from.
pub trait Read {
    /// The next `N` bytes; `None` when fewer are left.
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]>;
    /// Passes over the next `n` bytes; `None` when fewer are left.
    fn skip(&mut self, n: usize) -> Option<()>;
}

/// Account data of any length: every read checks what is left.
pub struct Reader<'a>(pub &'a [u8]);

impl Read for Reader<'_> {
    #[inline(always)]
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.0.split_first_chunk::<N>()?;
        self.0 = rest;
        Some(*head)
    }
    #[inline(always)]
    fn skip(&mut self, n: usize) -> Option<()> {
        self.0 = self.0.get(n..)?;
        Some(())
    }
}

/// Account data at least as long as the type's largest encoding (its
/// `INIT_SPACE`, which every account of this program is created with): no
/// read can run past it, so none is checked. Data shorter than that (a
/// truncated account) is read with [`Reader`] instead.
pub struct Unchecked<'a> {
    at: *const u8,
    _data: core::marker::PhantomData<&'a [u8]>,
}

impl<'a> Unchecked<'a> {
    /// # Safety
    /// `data` must hold at least as many bytes as will be read from it:
    /// the largest encoding of the value decoded (`Space::INIT_SPACE`).
    #[inline(always)]
    pub unsafe fn new(data: &'a [u8]) -> Self {
        Unchecked { at: data.as_ptr(), _data: core::marker::PhantomData }
    }
}

impl Read for Unchecked<'_> {
    #[inline(always)]
    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        // SAFETY: `Unchecked::new`'s contract: these `N` bytes are within the data.
        let value = unsafe { core::ptr::read_unaligned(self.at.cast::<[u8; N]>()) };
        // SAFETY: at most one past the end of the data (same contract).
        self.at = unsafe { self.at.add(N) };
        Some(value)
    }
    #[inline(always)]
    fn skip(&mut self, n: usize) -> Option<()> {
        // SAFETY: at most one past the end of the data (`Unchecked::new`'s contract).
        self.at = unsafe { self.at.add(n) };
        Some(())
    }
}

/// Where an encoding is written: a buffer sized for the type's largest
/// encoding (`8 + INIT_SPACE`), so no write is checked.
pub struct Writer<'a> {
    at: *mut u8,
    start: *const u8,
    _buf: core::marker::PhantomData<&'a mut [u8]>,
}

impl<'a> Writer<'a> {
    /// # Safety
    /// `buf` must hold at least as many bytes as will be written to it.
    #[inline(always)]
    pub unsafe fn new(buf: &'a mut [u8]) -> Self {
        Writer { at: buf.as_mut_ptr(), start: buf.as_ptr(), _buf: core::marker::PhantomData }
    }

    /// Bytes written so far.
    #[inline(always)]
    pub fn written(&self) -> usize {
        (self.at as usize).saturating_sub(self.start as usize)
    }

    /// Writes `bytes` next.
    #[inline(always)]
    pub fn bytes<const N: usize>(&mut self, bytes: [u8; N]) {
        // SAFETY: `Writer::new`'s contract: the buffer has room for them.
        unsafe {
            core::ptr::write_unaligned(self.at.cast::<[u8; N]>(), bytes);
            self.at = self.at.add(N);
        }
    }

    /// Writes `bytes` (of any length) next.
    #[inline(always)]
    pub fn slice(&mut self, bytes: &[u8]) {
        // SAFETY: `Writer::new`'s contract: the buffer has room for them.
        unsafe {
            core::ptr::copy_nonoverlapping(bytes.as_ptr(), self.at, bytes.len());
            self.at = self.at.add(bytes.len());
        }
    }
}

/// A value with a fixed Borsh encoding, read and written directly.
pub trait Field: Sized {
    /// Writes the value's encoding next (the buffer has room: [`Writer`]).
    fn put(&self, w: &mut Writer<'_>);
    fn get<R: Read>(r: &mut R) -> Option<Self>;

    /// [`Field::get`] as an account read: `AccountDidNotDeserialize` when
    /// the bytes are not a value. A struct builds its value in the result
    /// itself (no copy of a large account between the two).
    #[inline(always)]
    fn decode<R: Read>(r: &mut R) -> anchor_lang::Result<Self> {
        Self::get(r).ok_or(anchor_lang::error::ErrorCode::AccountDidNotDeserialize.into())
    }
}

macro_rules! le_field {
    ($($t:ty),*) => {$(
        impl Field for $t {
            #[inline(always)]
            fn put(&self, w: &mut Writer<'_>) {
                w.bytes(self.to_le_bytes())
            }
            #[inline(always)]
            fn get<R: Read>(r: &mut R) -> Option<Self> {
                r.bytes().map(<$t>::from_le_bytes)
            }
        }
    )*};
}
le_field!(u8, u16, u32, u64, i64, u128);

impl Field for bool {
    #[inline(always)]
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes([u8::from(*self)])
    }
    /// 0 or 1, as Borsh: any other byte is refused.
    #[inline(always)]
    fn get<R: Read>(r: &mut R) -> Option<Self> {
        match r.bytes::<1>()? {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

impl Field for Pubkey {
    #[inline(always)]
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(self.to_bytes())
    }
    #[inline(always)]
    fn get<R: Read>(r: &mut R) -> Option<Self> {
        r.bytes().map(Pubkey::new_from_array)
    }
}

/// Byte arrays (the reserved space) in one copy.
impl<const N: usize> Field for [u8; N] {
    #[inline(always)]
    fn put(&self, w: &mut Writer<'_>) {
        w.bytes(*self)
    }
    #[inline(always)]
    fn get<R: Read>(r: &mut R) -> Option<Self> {
        r.bytes()
    }
}

/// Arrays of other fields, element by element (Borsh's order).
macro_rules! array_field {
    ($($t:ty),*) => {$(
        impl<const N: usize> $crate::layout::Field for [$t; N] {
            fn put(&self, w: &mut $crate::layout::Writer<'_>) {
                self.iter().for_each(|x| $crate::layout::Field::put(x, w))
            }
            fn get<R: $crate::layout::Read>(r: &mut R) -> Option<Self> {
                let mut out = [<$t>::default(); N];
                for x in out.iter_mut() {
                    *x = $crate::layout::Field::get(r)?;
                }
                Some(out)
            }
        }
    )*};
}
pub(crate) use array_field;
array_field!(u64);

/// `Option`: a tag byte (0 none, 1 some, anything else refused) then the value.
impl<T: Field> Field for Option<T> {
    #[inline(always)]
    fn put(&self, w: &mut Writer<'_>) {
        match self {
            None => w.bytes([0]),
            Some(value) => {
                w.bytes([1]);
                value.put(w)
            }
        }
    }
    #[inline(always)]
    fn get<R: Read>(r: &mut R) -> Option<Self> {
        match r.bytes::<1>()? {
            [0] => Some(None),
            [1] => T::get(r).map(Some),
            _ => None,
        }
    }
}

/// A struct nested in an account: declared as usual (its derives and docs
/// pass through) and given a [`Field`] encoding, its fields in declaration
/// order, exactly as the Borsh derive writes them. A field's type is one
/// token tree with at most one generic argument (`u64`, `[u8; 5]`,
/// `Option<Pubkey>`), passed on as tokens so that `InitSpace` can read it.
macro_rules! fixed_layout {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* $field_vis:vis $field:ident : $ty:tt $(<$inner:tt>)?),* $(,)?
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* $field_vis $field: $ty $(<$inner>)?),*
        }

        impl $crate::layout::Field for $name {
            #[inline(always)]
            fn put(&self, w: &mut $crate::layout::Writer<'_>) {
                $($crate::layout::Field::put(&self.$field, w);)*
            }
            #[inline(always)]
            fn get<R: $crate::layout::Read>(r: &mut R) -> Option<Self> {
                Some(Self { $($field: $crate::layout::Field::get(r)?),* })
            }
            #[inline(always)]
            fn decode<R: $crate::layout::Read>(r: &mut R) -> anchor_lang::Result<Self> {
                use anchor_lang::error::ErrorCode::AccountDidNotDeserialize;
                Ok(Self { $($field: $crate::layout::Field::get(r).ok_or(AccountDidNotDeserialize)?),* })
            }
        }
    };
}
pub(crate) use fixed_layout;

/// An account of this program, what `#[account]` declares — the Borsh
/// derive (so the IDL and every client see the same type), the 8-byte
/// discriminator (`sha256("account:<Name>")[..8]`, checked by a test), the
/// owner — with the direct [`Field`] encoding on-chain. The struct must
/// derive `InitSpace` (the write-back buffer's size).
macro_rules! fixed_account {
    (
        discriminator = $disc:expr;
        $(#[$meta:meta])*
        $vis:vis struct $name:ident { $($body:tt)* }
    ) => {
        $crate::layout::fixed_layout! {
            #[derive(anchor_lang::AnchorSerialize, anchor_lang::AnchorDeserialize, Clone)]
            $(#[$meta])*
            $vis struct $name { $($body)* }
        }

        impl anchor_lang::Discriminator for $name {
            const DISCRIMINATOR: &'static [u8] = &$disc;
        }

        impl anchor_lang::Owner for $name {
            fn owner() -> anchor_lang::prelude::Pubkey {
                crate::ID
            }
        }

        impl anchor_lang::AccountSerialize for $name {
            /// Encoded into one buffer, then written with one copy.
            fn try_serialize<W: std::io::Write>(&self, writer: &mut W) -> anchor_lang::Result<()> {
                use anchor_lang::{error::ErrorCode, Discriminator, Space};
                let mut buf = [0u8; 8 + <$name as Space>::INIT_SPACE];
                // SAFETY: the discriminator (8 bytes) and the value's
                // encoding (at most `INIT_SPACE`) fit in the buffer.
                let mut w = unsafe { $crate::layout::Writer::new(&mut buf[..]) };
                w.slice(Self::DISCRIMINATOR);
                $crate::layout::Field::put(self, &mut w);
                let used = w.written();
                writer.write_all(buf.get(..used).unwrap_or_default()).map_err(|_| ErrorCode::AccountDidNotSerialize.into())
            }
        }

        impl anchor_lang::AccountDeserialize for $name {
            /// The same checks and errors as `#[account]`'s.
            fn try_deserialize(buf: &mut &[u8]) -> anchor_lang::Result<Self> {
                use anchor_lang::{error::ErrorCode, Discriminator};
                let Some(given) = buf.get(..Self::DISCRIMINATOR.len()) else {
                    return Err(ErrorCode::AccountDiscriminatorNotFound.into());
                };
                if given != Self::DISCRIMINATOR {
                    return Err(anchor_lang::error!(ErrorCode::AccountDiscriminatorMismatch)
                        .with_account_name(stringify!($name)));
                }
                Self::try_deserialize_unchecked(buf)
            }

            fn try_deserialize_unchecked(buf: &mut &[u8]) -> anchor_lang::Result<Self> {
                use anchor_lang::{error::ErrorCode, Discriminator};
                use anchor_lang::Space;
                let data = buf.get(Self::DISCRIMINATOR.len()..).ok_or(ErrorCode::AccountDidNotDeserialize)?;
                if data.len() >= <$name as Space>::INIT_SPACE {
                    // SAFETY: the data holds the largest encoding.
                    <Self as $crate::layout::Field>::decode(&mut unsafe { $crate::layout::Unchecked::new(data) })
                } else {
                    <Self as $crate::layout::Field>::get(&mut $crate::layout::Reader(data))
                        .ok_or(ErrorCode::AccountDidNotDeserialize.into())
                }
            }
        }
    };
}
pub(crate) use fixed_account;

#[cfg(test)]
pub(crate) mod tests {
    use crate::state::{Engine, Position, Source, StakePool, UsageShard, VestingSchedule};
    use anchor_lang::{AccountDeserialize, AccountSerialize, AnchorDeserialize, AnchorSerialize, Discriminator, Space};

    /// xorshift: bytes that are 0 or 1 half the time (so `bool` and
    /// `Option` tags are often valid) and anything otherwise.
    pub(crate) fn bytes(seed: &mut u64, n: usize) -> Vec<u8> {
        (0..n)
            .map(|_| {
                *seed ^= *seed << 13;
                *seed ^= *seed >> 7;
                *seed ^= *seed << 17;
                match *seed % 4 {
                    0 => 0,
                    1 => 1,
                    _ => (*seed >> 8) as u8,
                }
            })
            .collect()
    }

    /// Over random account data: the direct decoder accepts exactly what
    /// Borsh accepts and reads the same value; both encoders write the
    /// same bytes; every truncation Borsh refuses is refused. Returns the
    /// number of samples Borsh refused (invalid `bool`/`Option` tags).
    fn same_as_borsh<T>(name: &str) -> usize
    where
        T: AccountSerialize + AccountDeserialize + AnchorSerialize + AnchorDeserialize + Discriminator + Space,
    {
        let discriminator = &solana_sha256_hasher::hash(format!("account:{name}").as_bytes()).to_bytes()[..8];
        assert_eq!(T::DISCRIMINATOR, discriminator, "{name}: sha256(\"account:{name}\")[..8]");
        let (mut seed, mut valid, mut invalid) = (0x9e37_79b9_7f4a_7c15u64, 0, 0);
        for _ in 0..4_000 {
            let mut data = T::DISCRIMINATOR.to_vec();
            data.extend(bytes(&mut seed, T::INIT_SPACE));
            let borsh = T::deserialize(&mut &data[8..]);
            let direct = T::try_deserialize(&mut &data[..]);
            let (Ok(borsh), Ok(direct)) = (borsh, direct.as_ref()) else {
                assert!(direct.is_err(), "{name}: the direct decoder accepted what Borsh refuses");
                invalid += 1;
                continue;
            };
            valid += 1;
            let mut expected = T::DISCRIMINATOR.to_vec();
            borsh.serialize(&mut expected).unwrap();
            // What makes the unchecked reader and writer sound: no encoding
            // is longer than the largest (`INIT_SPACE`).
            assert!(expected.len() <= 8 + T::INIT_SPACE, "{name}: an encoding longer than INIT_SPACE");
            let mut written = Vec::new();
            direct.try_serialize(&mut written).unwrap();
            assert_eq!(written, expected, "{name}: encodings differ");
            assert_eq!(&data[..expected.len()], &expected[..], "{name}: decoded values differ");
            // The exact encoding, shorter than the largest when an `Option`
            // is `None`, is read by the checked reader: the same value.
            let mut exact = Vec::new();
            T::try_deserialize(&mut &expected[..]).unwrap().try_serialize(&mut exact).unwrap();
            assert_eq!(exact, expected, "{name}: the checked reader differs");
            for cut in [8, expected.len() / 2, expected.len() - 1] {
                assert!(T::try_deserialize(&mut &data[..cut]).is_err(), "{name}: short data accepted");
            }
        }
        assert!(valid > 50, "{name}: {valid} valid samples");
        let mut wrong = T::DISCRIMINATOR.to_vec();
        wrong[0] ^= 1;
        wrong.extend(vec![0; T::INIT_SPACE]);
        assert!(T::try_deserialize(&mut &wrong[..]).is_err(), "{name}: wrong discriminator accepted");
        assert!(T::try_deserialize(&mut &T::DISCRIMINATOR[..7]).is_err(), "{name}: no discriminator accepted");
        invalid
    }

    #[test]
    fn every_fixed_account_reads_and_writes_borsh_bytes() {
        // Those with `bool`/`Option` fields met data Borsh refuses.
        assert!(same_as_borsh::<Engine>("Engine") > 50);
        assert!(same_as_borsh::<VestingSchedule>("VestingSchedule") > 50);
        same_as_borsh::<StakePool>("StakePool");
        same_as_borsh::<Position>("Position");
        same_as_borsh::<UsageShard>("UsageShard");
        same_as_borsh::<Source>("Source");
    }
}
