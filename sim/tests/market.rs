//! The market, the price verdict, Monte Carlo and the parameter map against
//! the real program (in process): the pool's books replay from the trade
//! log and match the chain; a deliberately incoherent market fails the
//! price verdict while the recommended set passes it; speculators move only
//! prices; Monte Carlo replays from its seed list on any thread count; a
//! parameter map holds one cell per pair with the values of those runs.

use coherence_sim::agent::Class;
use coherence_sim::heatmap::{self, Grid, Map};
use coherence_sim::market::{Fill, Pool};
use coherence_sim::montecarlo;
use coherence_sim::scenario::{incoherent_market, Scenario};
use coherence_sim::{simulate, Outcome, Run};

fn small(name: &str, agents: u32, epochs: u64) -> Scenario {
    let mut s = Scenario::built_in(name, 1).expect("built-in").with_agents(agents);
    s.epochs = epochs;
    s
}

async fn outcome(s: Scenario) -> Outcome {
    simulate(s, &mut |_, _| {}).await.expect("simulate")
}

/// Replays every trade of `run` on the pool as it opened: `k` never
/// decreases, and the replay ends exactly at the pool the run closed with
/// (reserves and fees), whose token side the run already reconciled with
/// the market wallet on chain.
fn replay(run: &Run) -> Pool {
    let mut pool = run.market.opened.clone();
    for t in &run.trades {
        let k = pool.k();
        let fill =
            Fill { side: t.side, tokens: t.tokens, quote: t.quote, fee: t.fee, priced_at: (pool.tokens, pool.quote) };
        pool.apply(&fill).expect("a logged trade applies");
        assert!(pool.k() >= k, "k fell on {t:?}");
        assert!((pool.price() - t.price_after).abs() < 1e-12, "{t:?}");
    }
    pool
}

#[tokio::test]
async fn the_pools_books_replay_from_the_trade_log_and_every_agent_is_valued_in_quote() {
    let o = outcome(small("growth", 20, 16)).await;
    for run in [&o.main, &o.lower, &o.zero] {
        assert_eq!(replay(run), run.market.closed);
        let fees = run.market.closed.fees_quote + run.market.closed.fees_tokens;
        assert!(fees > 0 || run.trades.is_empty());
    }
    let m = &o.main;
    // Users bought every token they burned, paying quote for it.
    for u in m.agents.iter().filter(|a| a.class == Class::User) {
        assert_eq!(u.ledger.bought, u.ledger.paid, "{}", u.name);
        assert!(u.ledger.quote_spent >= u.ledger.bought && u.net_quote < 0, "{}: {:?}", u.name, u.ledger);
    }
    // Stakers sold half of what reached their wallets; insiders all of it.
    for a in m.agents.iter().filter(|a| a.class == Class::Insider) {
        assert_eq!(a.ledger.sold, a.ledger.received, "{}", a.name);
    }
    let stakers: Vec<_> = m.agents.iter().filter(|a| a.class == Class::Staker).collect();
    assert!(stakers.iter().any(|a| a.ledger.sold > 0 && a.ledger.sold <= a.ledger.received / 2 + 1));
    // Every epoch's flows add up to the trades logged in it.
    for r in &m.rows {
        let bought: u64 = m
            .trades
            .iter()
            .filter(|t| t.epoch == r.epoch && t.side == coherence_sim::market::Side::Buy)
            .map(|t| t.tokens)
            .sum();
        assert_eq!(bought, r.flows.usage_buys + r.flows.speculator_buys, "epoch {}", r.epoch);
    }
    // Usage buys lift the price; the run with no usage only has sellers.
    let p = &o.verdicts.price;
    assert!(p.final_main > p.opening && p.final_zero < p.opening, "{p:?}");
}

/// The seed's test, measured: on the recommended parameters the price is
/// never higher with less usage; a market where usage brings no buyer
/// (usage paid from an airdrop, α at its bound, emission sold) fails it.
#[tokio::test]
async fn the_price_verdict_flags_an_incoherent_market_and_passes_the_recommended_set() {
    for name in ["growth", "decline", "crash"] {
        let o = outcome(small(name, 20, 26)).await;
        assert!(o.verdicts.price.holds(), "{name}: {}", o.verdicts.price.text());
        assert!(o.verdicts.price.lower.max_ratio <= 1.0 && o.verdicts.price.zero.max_ratio <= 1.0);
        assert!(o.scorecard.passed, "{name}: {}", o.scorecard.text());
    }
    let o = outcome(incoherent_market(small("plateau", 20, 26))).await;
    let p = &o.verdicts.price;
    assert!(!p.holds(), "{}", p.text());
    assert!(p.lower.breaches.len() > 13 && p.lower.final_ratio > 1.0, "{}", p.text());
    let b = &p.lower.breaches[0];
    assert!(b.price > b.main_price && b.usage < b.main_usage, "{b:?}");
    assert!(!p.zero.breaches.is_empty(), "{}", p.text());
    // The scorecard names the price criterion, and only that one.
    let failed: Vec<&str> = o.scorecard.failed().map(|c| c.code).collect();
    assert_eq!(failed, vec!["price-follows-usage"], "{}", o.scorecard.text());
    // Nobody bought for usage: the users burned their airdrop.
    assert!(o.main.rows.iter().all(|r| r.flows.usage_buys == 0));
}

/// Speculators trade the pool only: with usage in tokens, every other
/// agent's token ledger is the same with and without them; what changes is
/// the price, which the speculation report compares.
#[tokio::test]
async fn speculators_move_the_price_and_nothing_else() {
    let mut s = small("decline", 20, 20);
    s.population.momentum_traders = 1;
    s.population.mean_reverting_traders = 1;
    s.market.speculator_quote = 50_000_000 * coherence_sim::scenario::TOKEN;
    let o = outcome(s).await;
    let spec = o.speculative.as_ref().expect("the run with speculators");
    assert_eq!(o.main.agents.len() + 2, spec.agents.len());
    for a in &o.main.agents {
        let b = spec.agent(&a.name).expect("same agents");
        assert_eq!((a.ledger.paid, a.ledger.received), (b.ledger.paid, b.ledger.received), "{}", a.name);
    }
    assert!(spec.rows.iter().zip(&o.main.rows).all(|(x, y)| x.emission == y.emission && x.usage == y.usage));
    let sp = o.verdicts.speculation.as_ref().expect("speculation report");
    assert_eq!(sp.traders, 2);
    assert!(spec.trades.iter().any(|t| t.agent.starts_with("momentum")), "the momentum trader traded");
    assert!(sp.max_lift_pct > 0.0 && sp.falling_epochs > 0, "{}", sp.text());
    // The paired runs (and so the scorecard) are the ones without speculators.
    assert!(o.main.agents.iter().all(|a| a.class != Class::Speculator));
}

/// The same seed list gives the same per-seed results on 1 thread and on 2,
/// and twice in a row.
#[test]
fn monte_carlo_replays_from_its_seed_list_on_any_thread_count() {
    let mut s = small("shock", 20, 8);
    s.noise_bps = montecarlo::DEFAULT_NOISE_BPS;
    let seeds = montecarlo::seeds(5, 3);
    let one = montecarlo::run(&s, &seeds, 1, &|_, _| {}).expect("1 thread");
    let two = montecarlo::run(&s, &seeds, 2, &|_, _| {}).expect("2 threads");
    assert_eq!(one.runs, two.runs);
    assert_eq!(one.bands, two.bands);
    assert_eq!(one.runs.iter().map(|r| r.seed).collect::<Vec<_>>(), vec![5, 6, 7]);
    // Seeds differ (population and usage noise), so the band has width.
    let usage = one.band("usage").expect("usage band");
    assert!(usage.p5.iter().zip(&usage.p95).any(|(lo, hi)| lo < hi));
    assert!(one.band("price").is_some() && one.band("net in quote: stakers").is_some());
    assert_eq!(one.passed, 3, "{}", one.text());
}

/// A 3 x 3 map: one cell per pair, a refused value named, and each cell's
/// values exactly those of the scenario run directly with that pair.
#[tokio::test(flavor = "multi_thread")]
async fn the_parameter_map_has_one_cell_per_pair_with_those_runs_values() {
    let base = small("growth", 20, 12);
    let grid = Grid::parse("alpha_bps=3000:7000:2000,gate_bps=9000:11000:1000").expect("grid");
    let map = tokio::task::spawn_blocking({
        let (base, grid) = (base.clone(), grid.clone());
        move || heatmap::run(&base, &grid, 2, &|_, _| {})
    })
    .await
    .expect("join")
    .expect("map");
    assert_eq!(map.cells.len(), 9);
    for a in [3_000, 5_000, 7_000] {
        for g in [9_000, 10_000, 11_000] {
            assert_eq!(map.cells.iter().filter(|c| (c.a, c.b) == (a, g)).count(), 1, "({a}, {g})");
        }
    }
    assert_eq!(map.recommended, (5_000, 9_000));
    for a in [3_000, 5_000, 7_000] {
        let refused = map.cell(a, 11_000).expect("cell").refused.clone();
        assert_eq!(refused.as_deref(), Some("GateOutOfBounds"), "a gate above 100 % is refused by name");
    }
    for (a, g) in [(5_000, 9_000), (3_000, 10_000)] {
        let mut s = base.clone();
        (s.params.alpha_bps, s.params.gate_bps) = (a, g);
        let o = outcome(s).await;
        let c = map.cell(u64::from(a), u64::from(g)).expect("cell");
        let worst = o.verdicts.extraction.iter().map(|e| e.excess).max().expect("strategies");
        assert_eq!(c.worst_excess, worst);
        assert_eq!(c.violations, o.verdicts.coherence.len());
        assert_eq!(c.price_ratio, o.verdicts.price.lower.max_ratio);
        assert_eq!(c.staker_yield_pct, coherence_sim::sweep::staker_yield_pct(&o));
        assert_eq!(c.passed, o.scorecard.passed);
    }
    let svg = map.svg("price_ratio").expect("svg");
    assert!(svg.contains("refused: GateOutOfBounds"));
    for c in map.cells.iter().filter(|c| c.refused.is_none()) {
        let v = Map::value(c, "price_ratio").expect("not refused");
        assert!(svg.contains(&format!("{v:.4}")), "cell ({}, {}) value {v:.4} missing", c.a, c.b);
    }
    assert!(map.text().contains("**"), "the recommended cell is marked");
}
