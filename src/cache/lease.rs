//! Claims on updates are leases of a live process.
//!
//! A claim lives only [`CLAIM_LEASE`] unless its holder renews it. Every process renews the
//! claims it holds every [`RENEW_EVERY`], for as long as their work runs, so a slow handler
//! is never taken over; when the process dies (`kill -9`, a lost machine) its claims lapse
//! within [`CLAIM_LEASE`] and Telegram's redelivery is handled by whichever node gets it.
//! Before, a crashed process's claims blocked their chats for two minutes.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use super::{Cache, CacheError};

/// How long a claim outlives its holder's last renewal.
pub const CLAIM_LEASE: Duration = Duration::from_millis(2000);
/// How often a process renews the claims it holds (several chances per lease).
pub const RENEW_EVERY: Duration = Duration::from_millis(400);

/// Renews each claim still holding this process's value; claims taken over are left alone.
const RENEW: &str = r#"
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i + 1] then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0"#;

/// The claims this process holds: key → the value it wrote.
#[derive(Default)]
pub struct HeldClaims(Mutex<HashMap<String, String>>);

impl HeldClaims {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Starts renewing `key` (holding `value`).
    pub fn hold(&self, key: String, value: String) {
        self.lock().insert(key, value);
    }

    /// Stops renewing `key`.
    pub fn drop_claim(&self, key: &str) {
        self.lock().remove(key);
    }

    /// Stops renewing `key` if it holds `value` (a stale delivery's release must not end
    /// the live holder's renewals).
    pub fn drop_claim_of(&self, key: &str, value: &str) {
        let mut held = self.lock();
        if held.get(key).is_some_and(|v| v == value) {
            held.remove(key);
        }
    }

    /// How many claims are held now.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// True when none is held.
    pub fn is_empty(&self) -> bool {
        self.lock().is_empty()
    }

    fn snapshot(&self) -> Vec<(String, String)> {
        self.lock().iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
}

/// Stops renewing a claim when the work holding it ends, however it ends (even a dropped
/// future): a forgotten claim must lapse, never be renewed for the life of the process.
pub struct ClaimGuard {
    held: Arc<HeldClaims>,
    key: String,
    value: String,
}

impl Drop for ClaimGuard {
    fn drop(&mut self) {
        self.held.drop_claim_of(&self.key, &self.value);
    }
}

impl Cache {
    /// A guard that stops renewing `token`'s claim on `(bot_id, update_id)` when dropped.
    pub fn claim_guard(&self, bot_id: i64, update_id: u32, token: &str) -> ClaimGuard {
        ClaimGuard { held: self.held.clone(), key: self.update_key(bot_id, update_id), value: format!("p:{token}") }
    }

    /// The claims this process is renewing.
    pub fn held_claims(&self) -> &HeldClaims {
        &self.held
    }

    /// Renews every claim this process holds, in one round trip.
    pub async fn renew_claims(&self) -> Result<(), CacheError> {
        let held = self.held.snapshot();
        if held.is_empty() {
            return Ok(());
        }
        let renew = redis::Script::new(RENEW);
        let mut script = renew.prepare_invoke();
        script.arg(CLAIM_LEASE.as_millis() as u64);
        for (key, value) in &held {
            script.key(key).arg(value);
        }
        let mut conn = self.conn().await?;
        let _: i64 = script.invoke_async(&mut *conn).await?;
        Ok(())
    }

    /// Renews this process's claims every [`RENEW_EVERY`] until the runtime stops.
    pub async fn keep_claims_alive(self) {
        let mut tick = tokio::time::interval(RENEW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = self.renew_claims().await {
                tracing::warn!(error = %e, "could not renew update claims");
            }
        }
    }
}
