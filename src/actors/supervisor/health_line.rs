//! The supervisor's account to the operator: one log line a minute (bots by state,
//! restarts since the last line), the node's heartbeat, and each restart or failure recorded
//! for `getolog status`.

use std::sync::atomic::{AtomicU32, Ordering};

use super::registry::Registry;
use crate::cache::{
    operations::{node_name, NodeBeat, Restart},
    Cache,
};

/// Restarts since the last health line.
static RESTARTS: AtomicU32 = AtomicU32::new(0);

/// Logs the health line and sends the heartbeat.
pub fn report(registry: &Registry, cache: &Cache) {
    let counts = registry.counts();
    let restarts = RESTARTS.swap(0, Ordering::Relaxed);
    let states = counts.iter().map(|(state, n)| format!("{state} {n}")).collect::<Vec<_>>().join(", ");
    tracing::info!(bots = registry.len(), %states, restarts, "health");
    let (cache, beat) = (cache.clone(), NodeBeat { node: node_name(), at: chrono::Utc::now(), bots: registry.len() });
    actix::spawn(async move {
        if let Err(e) = cache.beat(&beat).await {
            tracing::debug!(error = %e, "heartbeat not recorded");
        }
    });
}

/// Counts and records a restart (`what` = `restarted` or `failed`).
pub fn record(cache: &Cache, telegram_bot_id: i64, what: &str, reason: &str) {
    if what == "restarted" {
        RESTARTS.fetch_add(1, Ordering::Relaxed);
    }
    let restart = Restart {
        telegram_bot_id,
        at: chrono::Utc::now(),
        what: what.into(),
        reason: crate::crypto::redact_tokens(reason),
        node: node_name(),
    };
    let cache = cache.clone();
    actix::spawn(async move {
        if let Err(e) = cache.record_restart(&restart).await {
            tracing::debug!(error = %e, "restart not recorded");
        }
    });
}
