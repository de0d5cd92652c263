//! The bound on database lookups the webhook front may cause: a delivery for an id the
//! routing table does not know asks the supervisor to look it up (another node may have
//! connected the bot). At most `limit` such lookups run at once; a delivery that finds every
//! slot taken is answered 503 with `Retry-After` at once instead of queueing, so a flood of
//! made-up ids cannot starve the database pool that real updates need.

use std::sync::{
    atomic::{AtomicU64, AtomicUsize, Ordering},
    Arc,
};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Slots for lookups of unknown bot ids, with counters an operator or a test can read.
pub struct BotLookups {
    slots: Arc<Semaphore>,
    started: AtomicU64,
    running: AtomicUsize,
    most_at_once: AtomicUsize,
}

/// One running lookup; its slot is freed when dropped.
pub struct LookupSlot {
    lookups: Arc<BotLookups>,
    _permit: OwnedSemaphorePermit,
}

impl BotLookups {
    /// At most `limit` lookups at once (at least one).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            slots: Arc::new(Semaphore::new(limit.max(1))),
            started: AtomicU64::new(0),
            running: AtomicUsize::new(0),
            most_at_once: AtomicUsize::new(0),
        })
    }

    /// A slot for one lookup, or `None` when all are taken (the caller answers 503).
    pub fn try_start(self: &Arc<Self>) -> Option<LookupSlot> {
        let Ok(permit) = self.slots.clone().try_acquire_owned() else {
            metrics::counter!("getolog_unknown_bot_requests_total", "answer" => "busy").increment(1);
            return None;
        };
        metrics::counter!("getolog_unknown_bot_requests_total", "answer" => "looked_up").increment(1);
        self.started.fetch_add(1, Ordering::Relaxed);
        let running = self.running.fetch_add(1, Ordering::AcqRel) + 1;
        self.most_at_once.fetch_max(running, Ordering::AcqRel);
        Some(LookupSlot { lookups: self.clone(), _permit: permit })
    }

    /// How many lookups were started since this node started.
    pub fn started(&self) -> u64 {
        self.started.load(Ordering::Relaxed)
    }

    /// The most lookups that ever ran at once.
    pub fn most_at_once(&self) -> usize {
        self.most_at_once.load(Ordering::Acquire)
    }
}

impl Drop for LookupSlot {
    fn drop(&mut self) {
        self.lookups.running.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_bounded_counted_and_freed() {
        let lookups = BotLookups::new(2);
        let (a, b) = (lookups.try_start(), lookups.try_start());
        assert!(a.is_some() && b.is_some());
        assert!(lookups.try_start().is_none(), "a third lookup must not start");
        drop(a);
        let c = lookups.try_start();
        assert!(c.is_some(), "a freed slot is reused");
        assert_eq!((lookups.started(), lookups.most_at_once()), (3, 2));
        drop((b, c));
        assert!(BotLookups::new(0).try_start().is_some(), "at least one slot");
    }
}
