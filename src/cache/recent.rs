//! A node's memory of once-per-period flags it saw set in Redis recently, so a flag asked
//! about on every update (the once-a-day "shop not ready" notice) costs a Redis round trip
//! at most once a minute per node. Only "already set" is remembered: the first caller in a
//! period still finds out from Redis, cluster-wide.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

/// Longest a flag is trusted from memory (less when its period is shorter).
pub const MEMO: Duration = Duration::from_secs(60);
/// Above this many remembered flags, stale ones are dropped as new ones come.
const PRUNE_ABOVE: usize = 10_000;

/// Flags seen set, by full key, with when they were seen.
#[derive(Debug, Default)]
pub struct RecentFlags(Mutex<HashMap<String, Instant>>);

impl RecentFlags {
    /// Whether `key` was seen set within `window` before `now`.
    pub fn seen_within(&self, key: &str, window: Duration, now: Instant) -> bool {
        let seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(key).is_some_and(|at| now.saturating_duration_since(*at) < window)
    }

    /// Notes that `key` is set in Redis as of `now`.
    pub fn note(&self, key: String, now: Instant) {
        let mut seen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= PRUNE_ABOVE {
            seen.retain(|_, at| now.saturating_duration_since(*at) < MEMO);
        }
        seen.insert(key, now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flag_is_trusted_for_its_window_only_and_stale_ones_are_pruned() {
        let flags = RecentFlags::default();
        let t0 = Instant::now();
        assert!(!flags.seen_within("a", MEMO, t0), "unknown until seen");
        flags.note("a".into(), t0);
        assert!(flags.seen_within("a", MEMO, t0 + Duration::from_secs(59)));
        assert!(!flags.seen_within("a", MEMO, t0 + Duration::from_secs(60)), "asked again after a minute");
        assert!(!flags.seen_within("a", Duration::from_secs(5), t0 + Duration::from_secs(6)), "a shorter period wins");
        for i in 0..PRUNE_ABOVE {
            flags.note(format!("k{i}"), t0);
        }
        flags.note("b".into(), t0 + MEMO);
        assert_eq!(flags.0.lock().unwrap().len(), 1, "stale flags dropped");
    }
}
