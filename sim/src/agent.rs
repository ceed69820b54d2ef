//! Agents: who they are, what they start with, and their ledger.

use crate::rng::Rng;
use serde::Serialize;
use solana_keypair::Keypair;

/// Stakeholder classes the verdicts compare.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    User,
    Staker,
    Builder,
    Insider,
    /// Insider on a usage-gated schedule: vests `min(time, rate · usage)`.
    GatedInsider,
    Strategic,
    /// Honest twin of a strategic agent: same capital, honest strategy.
    Twin,
    /// Trades the market only (opt-in): momentum or mean-reverting.
    Speculator,
}

impl Class {
    /// Plural name for tables and charts ("gated insiders").
    pub fn plural(&self) -> &'static str {
        match self {
            Class::User => "users",
            Class::Staker => "stakers",
            Class::Builder => "builders",
            Class::Insider => "insiders",
            Class::GatedInsider => "gated insiders",
            Class::Strategic => "strategic agents",
            Class::Twin => "twins",
            Class::Speculator => "speculators",
        }
    }

    /// Every class, in table order.
    pub const ALL: [Class; 8] = [
        Class::User,
        Class::Staker,
        Class::Builder,
        Class::Insider,
        Class::GatedInsider,
        Class::Strategic,
        Class::Twin,
        Class::Speculator,
    ];
}

/// What an agent does each epoch.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Kind {
    /// Buys its share of the epoch's usage and pays (burns) it, naming its
    /// builder's source when it has one.
    User { weight: u64, source: Option<u64> },
    /// Stakes at genesis for `lock_secs`; claims every `claim_every` epochs.
    Staker { lock_secs: u64, claim_every: u64, restake: bool },
    /// Registered source `source`; claims its share every 4 epochs.
    Builder { source: u64 },
    /// Vesting schedule `schedule` (usage-gated at `usage_rate_bps` when
    /// non-zero); claims and sells every epoch after the cliff.
    Insider { schedule: u64, usage_rate_bps: u16 },
    /// Stakes its capital at max lock, registers a source and burns
    /// `share_bps` of each epoch's planned usage through it, farming emission.
    WashCoalition { source: u64, share_bps: u64 },
    /// Stakes at min lock a minute before an epoch closes with emission due,
    /// unbonds once the stream is paid, withdraws, repeats.
    Sniper,
    /// Stakes, then burns 3 weeks of everyone's usage in one epoch to pump
    /// the baseline, hoping for the emission of that epoch.
    BaselinePumper { pump_epoch: u64 },
    /// Funds the reward stream with 1 base unit five times an epoch.
    Griefer,
    /// Opens a min-lock position, unbonds at once, withdraws, reopens.
    Churner,
    /// Holds a vesting schedule and tries to claim every epoch from the
    /// start (it holds what it gets, like its twin, so their nets in quote
    /// compare at one price).
    EarlySeller { schedule: u64 },
    /// Twin of a staking strategy: stakes the same capital at min lock when
    /// the strategy first does, and stays.
    StakingTwin { of: String },
    /// Twin of the early seller: same schedule, claims once at the end.
    PatientInsider { schedule: u64 },
    /// Buys when the price rose over the last `lookback` closes, sells half
    /// its tokens when it fell.
    Momentum { lookback: u64 },
    /// Buys when the price is below its `window`-close average, sells half
    /// its tokens when above.
    MeanReverting { window: u64 },
}

/// Money in and out of one agent, in base units.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Ledger {
    /// Given at genesis.
    pub start: u64,
    /// Bought from the market during the run (users buy what they pay).
    pub bought: u64,
    /// Burned as usage or given to the reward stream.
    pub paid: u64,
    /// Claimed: staking rewards, source rewards, vested tokens.
    pub received: u64,
    /// Sold back to the market.
    pub sold: u64,
    /// Quote paid for what it bought, and received for what it sold (the
    /// market's ledger: there is no quote mint on chain).
    pub quote_spent: u64,
    pub quote_received: u64,
    /// Most principal staked at once (capital at risk).
    pub staked_max: u64,
    /// Wallet balance after every exit.
    pub end: u64,
    /// Attempts the program refused, by error name.
    pub refused: Vec<String>,
}

impl Ledger {
    /// Net gain against holding: what it received minus what it paid.
    pub fn net(&self) -> i128 {
        self.received as i128 - self.paid as i128
    }

    /// Net in the quote asset: quote received − quote spent, plus the tokens
    /// it gained or lost over the run (`end − start`, capital staked counted
    /// as held) valued with `value` (the pool's price).
    pub fn net_quote(&self, value: impl Fn(i128) -> i128) -> i128 {
        let held = self.bought as i128 - self.paid as i128 + self.received as i128 - self.sold as i128;
        self.quote_received as i128 - self.quote_spent as i128 + value(held)
    }

    /// What it put in: paid, plus capital locked.
    pub fn put_in(&self) -> u64 {
        self.paid.saturating_add(self.staked_max)
    }

    /// The balance identity every agent must satisfy:
    /// end = start + bought − paid + received − sold (checked after the run).
    pub fn balances(&self) -> bool {
        self.start as i128 + self.bought as i128 - self.paid as i128 + self.received as i128 - self.sold as i128
            == self.end as i128
    }
}

/// One simulated wallet.
pub struct Agent {
    pub name: String,
    pub class: Class,
    pub kind: Kind,
    pub key: Keypair,
    pub ledger: Ledger,
    /// Open position ids, newest last.
    pub positions: Vec<u64>,
    pub next_position: u64,
    /// Principal put into each position: (id, amount).
    pub contributed: Vec<(u64, u64)>,
}

impl Agent {
    /// A fresh agent with `start` tokens and a key drawn from `rng`.
    pub fn new(name: String, class: Class, kind: Kind, rng: &mut Rng, start: u64) -> Agent {
        Agent {
            name,
            class,
            kind,
            key: Keypair::new_from_array(rng.bytes32()),
            ledger: Ledger { start, ..Ledger::default() },
            positions: Vec::new(),
            next_position: 0,
            contributed: Vec::new(),
        }
    }
}
