//! Independent runs on every core: a few worker threads, each with its own
//! single-threaded runtime, so every run has its own in-process bank on one
//! thread. Results come back in input order whatever the thread count, and
//! each run depends only on its input: the same inputs give the same
//! results on 1 thread or many.

use crate::SimError;
use std::collections::VecDeque;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// Cores this machine offers (at least 1): the default thread count.
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Runs `f` on every item on up to `threads` threads; `done` hears
/// (items finished, items in all) from whichever thread finished one.
pub fn map<T, R, F, Fut>(
    items: Vec<T>,
    threads: usize,
    done: &(dyn Fn(usize, usize) + Sync),
    f: F,
) -> Result<Vec<R>, SimError>
where
    T: Send,
    R: Send,
    F: Fn(T) -> Fut + Sync,
    Fut: Future<Output = R>,
{
    let n = items.len();
    let queue = Mutex::new(items.into_iter().enumerate().collect::<VecDeque<_>>());
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..n).map(|_| None).collect());
    let finished = AtomicUsize::new(0);
    let failed: Mutex<Option<String>> = Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, n.max(1)) {
            scope.spawn(|| {
                let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                    Ok(r) => r,
                    Err(e) => {
                        *failed.lock().unwrap_or_else(|p| p.into_inner()) = Some(e.to_string());
                        return;
                    }
                };
                loop {
                    let next = queue.lock().unwrap_or_else(|p| p.into_inner()).pop_front();
                    let Some((k, item)) = next else { break };
                    let r = runtime.block_on(f(item));
                    results.lock().unwrap_or_else(|p| p.into_inner())[k] = Some(r);
                    done(finished.fetch_add(1, Ordering::SeqCst) + 1, n);
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().unwrap_or_else(|p| p.into_inner()) {
        return Err(SimError::Setup(format!("a worker could not start its runtime: {e}")));
    }
    let results = results.into_inner().unwrap_or_else(|p| p.into_inner());
    results.into_iter().map(|r| r.ok_or_else(|| SimError::Setup("a run did not finish".into()))).collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_input_order_on_any_thread_count() {
        let square = |x: u64| async move { x * x };
        let one = super::map((0..20).collect(), 1, &|_, _| {}, square).unwrap();
        let three = super::map((0..20).collect(), 3, &|_, _| {}, square).unwrap();
        assert_eq!(one, (0..20).map(|x| x * x).collect::<Vec<u64>>());
        assert_eq!(one, three);
        assert!(super::map(Vec::<u64>::new(), 2, &|_, _| {}, square).unwrap().is_empty());
    }
}
