use crate::errors::CoherenceError;
use crate::layout::fixed_account;
use crate::math::emission::source_share;
use crate::math::SafeMath;
use crate::state::EpochRecord;
use anchor_lang::prelude::*;

fixed_account! {
    discriminator = [234, 248, 11, 137, 202, 183, 168, 229];
    /// A builder's usage source (an integration). Usage attributed to it earns a
    /// pro-rata share of its epoch's builders' pool.
    /// Seeds: `["source", engine, id_le]`; id from `Engine::source_count`.
    ///
    /// Like a usage shard, a source holds the usage of two epochs at once (slot
    /// A: `epoch`/`usage`, slot B: `epoch_b`/`usage_b`), so a payment right after
    /// an epoch boundary does not wait for the previous epoch's close: it only
    /// fails where a shard would (`EpochBacklog`). A slot is settled into
    /// `claimable` with its epoch's record when it is reused or claimed.
    /// Version 2 adds slot B in what were reserved bytes (zero in version 1: an
    /// empty slot).
    #[derive(InitSpace, Debug)]
    pub struct Source {
        pub version: u8,
        pub bump: u8,
        pub engine: Pubkey,
        pub id: u64,
        /// Wallet that claims the source's rewards.
        pub builder: Pubkey,
        /// Slot A: an epoch in which usage was attributed to this source.
        pub epoch: u64,
        /// Usage attributed in `epoch`, base units (0 once settled).
        pub usage: u64,
        /// Settled, unclaimed builder rewards, base units.
        pub claimable: u64,
        /// Σ builder rewards ever claimed (u128, saturating: statistics only,
        /// never bounded by the supply since emission recycles burned tokens).
        pub claimed: u128,
        // ---- version 2 (was reserved, zero in version 1) ----
        /// Slot B: another epoch with attributed usage.
        pub epoch_b: u64,
        /// Usage attributed in `epoch_b`, base units (0 once settled).
        pub usage_b: u64,
        pub reserved: [u8; 8],
    }
}

/// Which of a source's two slots.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Slot {
    A,
    B,
}

impl Source {
    fn slot(&self, s: Slot) -> (u64, u64) {
        match s {
            Slot::A => (self.epoch, self.usage),
            Slot::B => (self.epoch_b, self.usage_b),
        }
    }

    fn slot_mut(&mut self, s: Slot) -> (&mut u64, &mut u64) {
        match s {
            Slot::A => (&mut self.epoch, &mut self.usage),
            Slot::B => (&mut self.epoch_b, &mut self.usage_b),
        }
    }

    /// The slot a payment in `epoch` goes to: the one holding `epoch`, else
    /// an empty one, else the older one (which then holds a closed epoch's
    /// usage that must be settled first).
    fn slot_for(&self, epoch: u64) -> Slot {
        match () {
            // A slot already holding usage of `epoch`.
            _ if self.usage > 0 && self.epoch == epoch => Slot::A,
            _ if self.usage_b > 0 && self.epoch_b == epoch => Slot::B,
            // An empty slot.
            _ if self.usage == 0 => Slot::A,
            _ if self.usage_b == 0 => Slot::B,
            // Both hold other epochs: the older one is reused.
            _ if self.epoch <= self.epoch_b => Slot::A,
            _ => Slot::B,
        }
    }

    /// The epoch whose record a payment in `epoch` needs passed: that of the
    /// slot it reuses, when the slot still holds unsettled usage.
    pub fn record_needed(&self, epoch: u64) -> Option<u64> {
        let (e, u) = self.slot(self.slot_for(epoch));
        (e != epoch && u > 0).then_some(e)
    }

    /// The epoch a client should pass the record of with a payment: the
    /// older slot's, when both slots hold usage (whatever epoch the payment
    /// lands in, that is the only record it can need).
    pub fn record_for_payment(&self) -> Option<u64> {
        (self.usage > 0 && self.usage_b > 0).then_some(self.epoch.min(self.epoch_b))
    }

    /// The closed epochs (below `next_epoch`) whose usage awaits settlement:
    /// a claim passes their records.
    pub fn settles_with(&self, next_epoch: u64) -> impl Iterator<Item = u64> + '_ {
        [Slot::A, Slot::B]
            .into_iter()
            .map(|s| self.slot(s))
            .filter(move |&(e, u)| u > 0 && e < next_epoch)
            .map(|(e, _)| e)
    }

    /// Attributes `amount` of usage paid in `epoch`. A reused slot holding
    /// unsettled usage is settled first with `record` (its epoch's record),
    /// which that epoch must be closed for (below `next_epoch`).
    pub fn credit(
        &mut self,
        epoch: u64,
        amount: u64,
        next_epoch: u64,
        record: Option<&EpochRecord>,
    ) -> std::result::Result<(), CoherenceError> {
        let slot = self.slot_for(epoch);
        let (held, usage) = self.slot(slot);
        if held != epoch && usage > 0 {
            if held >= next_epoch {
                return Err(CoherenceError::SourceEpochNotClosed);
            }
            self.settle_slot(slot, record.ok_or(CoherenceError::EpochRecordRequired)?)?;
        }
        let (e, u) = self.slot_mut(slot);
        if *e != epoch {
            (*e, *u) = (epoch, 0);
        }
        *u = u.safe_add(amount)?;
        Ok(())
    }

    /// Settles every closed slot (below `next_epoch`) holding usage, each
    /// with its epoch's record among `records` (`EpochRecordRequired` if one
    /// is missing; `WrongEpochRecord` for a record that settles nothing).
    pub fn settle_closed(
        &mut self,
        next_epoch: u64,
        records: &[EpochRecord],
    ) -> std::result::Result<(), CoherenceError> {
        let due: Vec<u64> = self.settles_with(next_epoch).collect();
        if records.iter().any(|r| !due.contains(&r.epoch)) {
            return Err(CoherenceError::WrongEpochRecord);
        }
        for slot in [Slot::A, Slot::B] {
            let (e, u) = self.slot(slot);
            if u > 0 && e < next_epoch {
                let record = records.iter().find(|r| r.epoch == e).ok_or(CoherenceError::EpochRecordRequired)?;
                self.settle_slot(slot, record)?;
            }
        }
        Ok(())
    }

    /// Converts a slot's usage into claimable tokens with its epoch's record.
    fn settle_slot(&mut self, slot: Slot, record: &EpochRecord) -> std::result::Result<(), CoherenceError> {
        let (epoch, usage) = self.slot(slot);
        if record.epoch != epoch || record.engine != self.engine {
            return Err(CoherenceError::WrongEpochRecord);
        }
        let share = source_share(record.builders_amount, usage, record.attributed)?;
        self.claimable = self.claimable.safe_add(share)?;
        *self.slot_mut(slot).1 = 0;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source() -> Source {
        Source {
            version: 2,
            bump: 0,
            engine: Pubkey::new_unique(),
            id: 0,
            builder: Pubkey::default(),
            epoch: 0,
            usage: 0,
            claimable: 0,
            claimed: 0,
            epoch_b: 0,
            usage_b: 0,
            reserved: [0; 8],
        }
    }

    fn record(s: &Source, epoch: u64, builders: u64, attributed: u64) -> EpochRecord {
        EpochRecord {
            version: 1,
            bump: 0,
            engine: s.engine,
            epoch,
            usage: attributed,
            attributed,
            baseline: 0,
            cap: 0,
            supply_before: 0,
            gate_passed: true,
            emission: builders,
            treasury_amount: 0,
            builders_amount: builders,
            stakers_amount: 0,
            closed_at: 0,
            escrow_burned: 0,
            baseline_input: 0,
            reserved: [0; 16],
        }
    }

    /// Two open epochs at once, as a shard holds them: payments in epoch 6
    /// while epoch 5 is not closed need no record; a payment in epoch 7
    /// reuses epoch 5's slot and needs its record (epoch 5 closed by then);
    /// a claim settles every closed slot.
    #[test]
    fn two_epochs_at_once_and_settlement_with_the_reused_slots_record() {
        let mut s = source();
        s.credit(5, 10, 5, None).unwrap();
        s.credit(6, 20, 5, None).expect("epoch 5 open: the other slot takes epoch 6");
        s.credit(6, 1, 5, None).unwrap();
        assert_eq!((s.epoch, s.usage, s.epoch_b, s.usage_b), (5, 10, 6, 21));
        assert_eq!(s.record_for_payment(), Some(5));
        assert_eq!(s.record_needed(7), Some(5));
        assert_eq!(s.credit(7, 1, 5, None), Err(CoherenceError::SourceEpochNotClosed), "backlog: 5 still open");
        assert_eq!(s.credit(7, 1, 6, None), Err(CoherenceError::EpochRecordRequired));
        assert_eq!(s.credit(7, 1, 6, Some(&record(&s, 6, 100, 21))), Err(CoherenceError::WrongEpochRecord));
        s.credit(7, 3, 6, Some(&record(&s, 5, 100, 40))).unwrap();
        assert_eq!((s.epoch, s.usage, s.claimable), (7, 3, 25), "10 of 40 attributed: a quarter of 100");
        assert_eq!(s.settles_with(8).collect::<Vec<_>>(), vec![7, 6]);
        assert_eq!(s.settle_closed(8, &[record(&s, 6, 100, 21)]), Err(CoherenceError::EpochRecordRequired));
        s.settle_closed(8, &[record(&s, 6, 100, 21), record(&s, 7, 30, 3)]).unwrap();
        assert_eq!((s.usage, s.usage_b, s.claimable), (0, 0, 25 + 100 + 30));
    }

    /// A version-1 source (slot B zero) keeps its pending epoch in slot A.
    #[test]
    fn a_version_1_source_reads_an_empty_second_slot() {
        let mut s = source();
        s.version = 1;
        s.credit(3, 5, 3, None).unwrap();
        s.credit(4, 5, 3, None).unwrap();
        assert_eq!((s.epoch, s.usage, s.epoch_b, s.usage_b), (3, 5, 4, 5));
    }
}
