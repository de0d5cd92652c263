//! The supervisor's account to the operator: one log line a minute (bots by state,
//! restarts since the last line), the node's heartbeat, and each restart or failure recorded
//! for `getolog status`.

use super::registry::Registry;
use crate::cache::{
    operations::{node_name, NodeBeat, Restart},
    Cache,
};

/// Logs the health line (with the restarts since the last one) and sends the heartbeat.
pub fn report(registry: &Registry, cache: &Cache, restarts: u32) {
    let counts = registry.counts();
    let states = counts.iter().map(|(state, n)| format!("{state} {n}")).collect::<Vec<_>>().join(", ");
    tracing::info!(bots = registry.len(), %states, restarts, "health");
    let (cache, beat) = (cache.clone(), NodeBeat { node: node_name(), at: chrono::Utc::now(), bots: registry.len() });
    actix::spawn(async move {
        if let Err(e) = cache.beat(&beat).await {
            tracing::debug!(error = %e, "heartbeat not recorded");
        }
    });
}

/// Records a restart (`what` = `restarted` or `failed`) for `getolog status`.
pub fn record(cache: &Cache, telegram_bot_id: i64, what: &str, reason: &str) {
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
