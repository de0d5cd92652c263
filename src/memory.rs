//! Freed memory given back to the operating system on threads that have gone quiet.
//!
//! mimalloc keeps a thread's freed pages for a second before it purges them, but it purges
//! only when that thread next allocates: a thread that goes idle after a burst keeps them
//! resident for good. Each long-lived thread (the System's, each bot thread, each HTTP
//! worker) runs [`give_back_when_quiet`]: once its runtime has been nearly idle for a whole
//! period, the allocator purges what is due. A busy thread is left alone (purging pages it
//! is about to reuse cost ~8% of the webhook bench's throughput when done every 2 s).

use std::time::Duration;

/// How often a thread checks whether it has gone quiet.
pub const QUIET_CHECK_EVERY: Duration = Duration::from_secs(2);

/// Whether a thread busy for `busy` during `period` counts as quiet (under 2% busy).
pub fn is_quiet(busy: Duration, period: Duration) -> bool {
    busy < period / 50
}

/// Runs on the calling thread (a current-thread runtime, as every actix thread is) until
/// the runtime stops. Harmless when mimalloc is not the global allocator, as in tests.
pub async fn give_back_when_quiet(period: Duration) {
    let metrics = tokio::runtime::Handle::current().metrics();
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut busy_before = metrics.worker_total_busy_duration(0);
    loop {
        tick.tick().await;
        let busy = metrics.worker_total_busy_duration(0);
        let quiet = is_quiet(busy.saturating_sub(busy_before), period);
        busy_before = busy;
        if quiet {
            // SAFETY: `mi_collect` takes no pointers; `false` asks for the ordinary (not
            // forced) collection of the calling thread's heap and the purges that are due.
            #[allow(unsafe_code)]
            unsafe {
                libmimalloc_sys::mi_collect(false)
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_thread_is_quiet_under_two_percent_busy() {
        let period = Duration::from_secs(2);
        assert!(is_quiet(Duration::from_millis(39), period));
        assert!(!is_quiet(Duration::from_millis(40), period));
        assert!(!is_quiet(period, period));
    }

    #[actix_web::test]
    async fn the_check_runs_on_an_actix_thread() {
        // The first tick is immediate: a few turns of the runtime run one check (an idle
        // thread, so the allocator is asked to collect) with no time passing.
        let task = actix_web::rt::spawn(give_back_when_quiet(Duration::from_secs(3600)));
        for _ in 0..4 {
            tokio::task::yield_now().await;
        }
        assert!(!task.is_finished(), "it reads the runtime's metrics and keeps running");
        task.abort();
    }
}
