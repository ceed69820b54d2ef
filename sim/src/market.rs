//! The market: a constant-product pool of the token against a quote asset,
//! outside the program. Users buy the tokens they burn from it; insiders,
//! stakers and builders sell a share of what they receive into it;
//! speculators (opt-in) trade it.
//!
//! `tokens · quote = k`, with a fee in bps on what goes in that stays in the
//! pool (so `k` only grows). The math is integer (`u128`), every rounding in
//! the pool's favour; `f64` is for reporting only. A trade is priced first
//! ([`Pool::buy_exact`], [`Pool::buy_with`], [`Pool::sell`] give a [`Fill`])
//! and applied once its transaction succeeded ([`Pool::apply`] refuses a
//! fill priced against other reserves).
//!
//! The token side is real: the simulated market wallet holds it on the
//! program's mint, and every trade moves tokens to or from it in a
//! transaction. There is no quote mint on chain: the quote side is this
//! ledger.

use serde::Serialize;

/// Basis points in one.
const BPS: u128 = 10_000;

/// Which way a trade goes, seen from the trader.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// Quote in, tokens out.
    Buy,
    /// Tokens in, quote out.
    Sell,
}

/// A priced trade. A buy puts `quote` into the pool and takes `tokens` out;
/// a sell puts `tokens` in and takes `quote` out. `fee` is the part of what
/// went in (quote for a buy, tokens for a sell) that did not count for the
/// price and stays in the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Fill {
    pub side: Side,
    pub tokens: u64,
    pub quote: u64,
    pub fee: u64,
    /// Reserves (tokens, quote) the fill was priced against.
    #[serde(skip)]
    pub priced_at: (u64, u64),
}

/// Why the pool refused a trade.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarketError {
    /// The pool holds `reserve` tokens; `asked` or more cannot come out.
    Depleted { asked: u64, reserve: u64 },
    /// An amount does not fit in 64 bits.
    Overflow,
    /// The fill was priced against other reserves than the pool's now.
    Stale,
    /// A pool needs both reserves above 0 and a fee below 100 %.
    BadPool,
}

impl std::fmt::Display for MarketError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MarketError::Depleted { asked, reserve } => {
                write!(f, "the pool cannot deliver {asked} base units: it holds {reserve}")
            }
            MarketError::Overflow => f.write_str("a trade amount overflows 64 bits"),
            MarketError::Stale => f.write_str("a fill was priced against other reserves"),
            MarketError::BadPool => f.write_str("a pool needs both reserves above 0 and a fee below 10000 bps"),
        }
    }
}

impl std::error::Error for MarketError {}

/// A constant-product pool.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Pool {
    /// Token reserve, base units (the market wallet's balance).
    pub tokens: u64,
    /// Quote reserve, quote base units (6 decimals, like the token).
    pub quote: u64,
    pub fee_bps: u16,
    /// Fees that stayed in the pool: tokens (from sells) and quote (from buys).
    pub fees_tokens: u64,
    pub fees_quote: u64,
}

fn fits(v: u128) -> Result<u64, MarketError> {
    u64::try_from(v).map_err(|_| MarketError::Overflow)
}

impl Pool {
    /// A pool holding `tokens` and `quote`, charging `fee_bps` on what goes in.
    pub fn new(tokens: u64, quote: u64, fee_bps: u16) -> Result<Pool, MarketError> {
        if tokens == 0 || quote == 0 || u128::from(fee_bps) >= BPS {
            return Err(MarketError::BadPool);
        }
        Ok(Pool { tokens, quote, fee_bps, fees_tokens: 0, fees_quote: 0 })
    }

    /// The invariant `tokens · quote`.
    pub fn k(&self) -> u128 {
        u128::from(self.tokens) * u128::from(self.quote)
    }

    /// Spot price, quote per token (for reporting).
    pub fn price(&self) -> f64 {
        self.quote as f64 / self.tokens as f64
    }

    /// `amount` tokens valued at the spot price, in quote base units
    /// (rounded toward zero).
    pub fn value(&self, amount: i128) -> i128 {
        amount * i128::from(self.quote) / i128::from(self.tokens)
    }

    fn net_of_fee(&self, gross: u64) -> u128 {
        u128::from(gross) * (BPS - u128::from(self.fee_bps)) / BPS
    }

    /// The quote it costs to take exactly `tokens` out (rounded up, fee included).
    pub fn buy_exact(&self, tokens: u64) -> Result<Fill, MarketError> {
        let (x, y) = (u128::from(self.tokens), u128::from(self.quote));
        if u128::from(tokens) >= x {
            return Err(MarketError::Depleted { asked: tokens, reserve: self.tokens });
        }
        let net = (y * u128::from(tokens)).div_ceil(x - u128::from(tokens));
        let gross = (net * BPS).div_ceil(BPS - u128::from(self.fee_bps));
        Ok(Fill {
            side: Side::Buy,
            tokens,
            quote: fits(gross)?,
            fee: fits(gross - net)?,
            priced_at: (self.tokens, self.quote),
        })
    }

    /// The tokens `quote` buys (rounded down, after the fee).
    pub fn buy_with(&self, quote: u64) -> Result<Fill, MarketError> {
        let (x, y) = (u128::from(self.tokens), u128::from(self.quote));
        let net = self.net_of_fee(quote);
        let out = x * net / (y + net);
        Ok(Fill {
            side: Side::Buy,
            tokens: fits(out)?,
            quote,
            fee: fits(u128::from(quote) - net)?,
            priced_at: (self.tokens, self.quote),
        })
    }

    /// The quote `tokens` sell for (rounded down, after the fee).
    pub fn sell(&self, tokens: u64) -> Result<Fill, MarketError> {
        let (x, y) = (u128::from(self.tokens), u128::from(self.quote));
        if self.tokens.checked_add(tokens).is_none() {
            return Err(MarketError::Overflow);
        }
        let net = self.net_of_fee(tokens);
        let out = y * net / (x + net);
        Ok(Fill {
            side: Side::Sell,
            tokens,
            quote: fits(out)?,
            fee: fits(u128::from(tokens) - net)?,
            priced_at: (self.tokens, self.quote),
        })
    }

    /// Applies a fill priced against the current reserves.
    pub fn apply(&mut self, f: &Fill) -> Result<(), MarketError> {
        if f.priced_at != (self.tokens, self.quote) {
            return Err(MarketError::Stale);
        }
        let mut next = self.clone();
        match f.side {
            Side::Buy => {
                next.tokens = self.tokens.checked_sub(f.tokens).ok_or(MarketError::Overflow)?;
                next.quote = self.quote.checked_add(f.quote).ok_or(MarketError::Overflow)?;
                next.fees_quote = self.fees_quote.checked_add(f.fee).ok_or(MarketError::Overflow)?;
            }
            Side::Sell => {
                next.tokens = self.tokens.checked_add(f.tokens).ok_or(MarketError::Overflow)?;
                next.quote = self.quote.checked_sub(f.quote).ok_or(MarketError::Overflow)?;
                next.fees_tokens = self.fees_tokens.checked_add(f.fee).ok_or(MarketError::Overflow)?;
            }
        }
        if next.tokens == 0 || next.quote == 0 {
            return Err(MarketError::Depleted { asked: f.tokens, reserve: self.tokens });
        }
        *self = next;
        Ok(())
    }
}

/// One price-moving trade, as logged.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Trade {
    pub epoch: u64,
    pub agent: String,
    pub side: Side,
    /// Tokens bought or sold, and the quote paid or received.
    pub tokens: u64,
    pub quote: u64,
    pub fee: u64,
    /// Spot price after the trade, quote per token.
    pub price_after: f64,
}

/// What moved through the market in one epoch, tokens, by cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flows {
    /// Bought to be burned as usage (users, the wash coalition, the pumper).
    pub usage_buys: u64,
    /// Staking and source rewards sold (emission).
    pub emission_sells: u64,
    /// Vested tokens sold (insiders, the early seller).
    pub vesting_sells: u64,
    /// Speculators' buys and sells.
    pub speculator_buys: u64,
    pub speculator_sells: u64,
}

impl Flows {
    /// The mechanism's own net flow into the market: usage buys minus
    /// emission and vesting sells (positive: a net buyer, lifting the price).
    pub fn mechanism_net(&self) -> i128 {
        self.usage_buys as i128 - self.emission_sells as i128 - self.vesting_sells as i128
    }
}

/// Why a trade happened, for [`Flows`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    Usage,
    Emission,
    Vesting,
    Speculation,
}

impl Flows {
    /// Counts `fill` under `cause`.
    pub fn add(&mut self, cause: Cause, fill: &Fill) {
        let slot = match (cause, fill.side) {
            (Cause::Speculation, Side::Buy) => &mut self.speculator_buys,
            (Cause::Speculation, Side::Sell) => &mut self.speculator_sells,
            (Cause::Vesting, Side::Sell) => &mut self.vesting_sells,
            (_, Side::Sell) => &mut self.emission_sells,
            (_, Side::Buy) => &mut self.usage_buys,
        };
        *slot = slot.saturating_add(fill.tokens);
    }
}

/// How the market is set up, and how much of what they receive each
/// honest class sells.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MarketConfig {
    /// Pool fee on what goes in, bps.
    pub fee_bps: u16,
    /// Opening price, quote base units per token (1 000 000 = 1 quote per token).
    pub price_micros: u64,
    /// Share of what they receive that insiders, stakers and builders sell, bps.
    pub insiders_sell_bps: u16,
    pub stakers_sell_bps: u16,
    pub builders_sell_bps: u16,
    /// Quote each speculator starts with, quote base units.
    pub speculator_quote: u64,
}

impl Default for MarketConfig {
    /// 0.3 % fee, opening at 1 quote per token; insiders sell all they vest
    /// (as before the market existed), stakers half their rewards, builders
    /// all of theirs; speculators hold 20 M quote each.
    fn default() -> Self {
        MarketConfig {
            fee_bps: 30,
            price_micros: 1_000_000,
            insiders_sell_bps: 10_000,
            stakers_sell_bps: 5_000,
            builders_sell_bps: 10_000,
            speculator_quote: 20_000_000 * 1_000_000,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    /// Random buys (exact out and with quote) and sells: `k` never
    /// decreases, every reserve moves by exactly what went in and out, the
    /// fees add up, and a round trip never pays back more than it cost.
    #[test]
    fn the_pool_conserves_value_and_accounts_its_fees() {
        for fee_bps in [0u16, 30, 100] {
            let mut pool = Pool::new(600_000_000_000_000, 600_000_000_000_000, fee_bps).unwrap();
            let mut rng = Rng::new(11, u64::from(fee_bps));
            let (mut fees_q, mut fees_t) = (0u64, 0u64);
            let (mut quote_in, mut quote_out) = (0u128, 0u128);
            let start_quote = pool.quote;
            for _ in 0..5_000 {
                let amount = rng.range(1, 5_000_000_000_000);
                let fill = match rng.range(0, 2) {
                    0 => pool.buy_exact(amount).unwrap(),
                    1 => pool.buy_with(amount).unwrap(),
                    _ => pool.sell(amount).unwrap(),
                };
                let (before, k) = (pool.clone(), pool.k());
                pool.apply(&fill).unwrap();
                assert!(pool.k() >= k, "k fell: {k} -> {} on {fill:?}", pool.k());
                match fill.side {
                    Side::Buy => {
                        assert_eq!((pool.tokens, pool.quote), (before.tokens - fill.tokens, before.quote + fill.quote));
                        fees_q += fill.fee;
                        quote_in += u128::from(fill.quote);
                    }
                    Side::Sell => {
                        assert_eq!((pool.tokens, pool.quote), (before.tokens + fill.tokens, before.quote - fill.quote));
                        fees_t += fill.fee;
                        quote_out += u128::from(fill.quote);
                    }
                }
                // The fee is the bps share of what went in (to one unit of rounding).
                let input = u128::from(if fill.side == Side::Buy { fill.quote } else { fill.tokens });
                let share = input * u128::from(fee_bps) / BPS;
                assert!((share..=share + 1).contains(&u128::from(fill.fee)), "{fill:?}");
            }
            assert_eq!((pool.fees_quote, pool.fees_tokens), (fees_q, fees_t));
            assert_eq!(u128::from(pool.quote), u128::from(start_quote) + quote_in - quote_out);
            if fee_bps > 0 {
                assert!(fees_q > 0 && fees_t > 0);
            }
            // Buy exactly some tokens, sell them straight back: never a profit.
            let buy = pool.buy_exact(1_000_000_000_000).unwrap();
            pool.apply(&buy).unwrap();
            let sell = pool.sell(buy.tokens).unwrap();
            assert!(sell.quote <= buy.quote, "round trip paid {} for {}", sell.quote, buy.quote);
            // With quote in: the tokens bought sell back for at most the quote.
            let before = pool.clone();
            let buy = before.buy_with(3_000_000_000).unwrap();
            let mut after = before.clone();
            after.apply(&buy).unwrap();
            assert!(after.sell(buy.tokens).unwrap().quote <= buy.quote);
        }
    }

    #[test]
    fn prices_follow_the_reserves_and_bad_trades_are_named() {
        let mut pool = Pool::new(1_000, 2_000, 0).unwrap();
        assert_eq!(pool.price(), 2.0);
        assert_eq!(pool.value(10), 20);
        // 1000 x 2000: taking 500 tokens costs 2000 quote (rounded up).
        let fill = pool.buy_exact(500).unwrap();
        assert_eq!((fill.tokens, fill.quote, fill.fee), (500, 2_000, 0));
        assert_eq!(pool.buy_exact(1_000), Err(MarketError::Depleted { asked: 1_000, reserve: 1_000 }));
        pool.apply(&fill).unwrap();
        assert_eq!((pool.tokens, pool.quote, pool.price()), (500, 4_000, 8.0));
        assert_eq!(pool.apply(&fill), Err(MarketError::Stale), "a fill applies once");
        // A 1 % fee: 100 tokens in count as 99.
        let fee = Pool::new(1_000, 1_000, 100).unwrap().sell(100).unwrap();
        assert_eq!((fee.fee, fee.quote), (1, 1_000 * 99 / 1_099));
        assert_eq!(Pool::new(0, 1, 0), Err(MarketError::BadPool));
        assert_eq!(Pool::new(1, 1, 10_000), Err(MarketError::BadPool));
    }
}
