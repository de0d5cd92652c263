//! Exactly-once handling of Telegram's at-least-once deliveries.
//!
//! A key per (bot, update_id) moves `absent → processing → done`. `processing` holds a random
//! token of the delivery that claimed it, so only that delivery can release it. It is a
//! lease of the live process (see `lease`): renewed while the work runs, lapsing within
//! seconds when the process dies, so a redelivery after a crash is handled at once; a
//! failed handler releases the key at once so the redelivery is not refused.

use std::time::Duration;

use super::{
    journal::{self, Journal},
    lease::CLAIM_LEASE,
    rate_limit::{self, Rate, RateCheck},
    Cache, CacheError,
};

/// How long a handled update is remembered (Telegram gives up redelivering within a day).
const DONE_TTL: Duration = Duration::from_secs(24 * 3600);

/// Claims the key (a lease) and, when it was free, returns the update's journal if a previous
/// attempt left one, or else counts the update against its user's rate limit (when keys 3
/// and 4 are given): one round trip for all three.
static CLAIM: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
    redis::Script::new(&format!(
        r#"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  local journal = redis.call('HMGET', KEYS[2], 'plan', 'next')
  if journal[1] then return {{'resume', journal[1], journal[2] or '0'}} end
  if not KEYS[3] then return {{'new'}} end
{}
end
if redis.call('GET', KEYS[1]) == 'd' then return {{'done'}} end
return {{'busy'}}
"#,
        rate_limit::COUNT
    ))
});

const RELEASE: &str =
    r#"if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end"#;

/// What the de-duplicator says about an arriving update.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First sight: handle it, then `finish` or `release`.
    New,
    /// An earlier attempt planned these effects and stopped: continue them (the handler does
    /// not run again), then `finish` or `release`.
    Resume(Journal),
    /// Already handled: acknowledge without handling.
    AlreadyDone,
    /// Being handled right now by another delivery: ask Telegram to retry later.
    InProgress,
}

impl Cache {
    pub(super) fn update_key(&self, bot_id: i64, update_id: u32) -> String {
        self.key(format_args!("upd:{bot_id}:{update_id}"))
    }

    /// Claims an update for handling on behalf of the delivery holding `token`. A new
    /// claim is renewed by this process until it is finished or released (or the
    /// [`ClaimGuard`](super::lease::ClaimGuard) of the work holding it is dropped).
    pub async fn claim_update(&self, bot_id: i64, update_id: u32, token: &str) -> Result<Claim, CacheError> {
        Ok(self.claim_counted(bot_id, update_id, token, None).await?.0)
    }

    /// [`claim_update`](Self::claim_update), and for a new update (one the handler will
    /// see) the verdict of the user's rate limit, in the same round trip.
    pub async fn claim_counted(
        &self,
        bot_id: i64,
        update_id: u32,
        token: &str,
        rate: Option<RateCheck>,
    ) -> Result<(Claim, Option<Rate>), CacheError> {
        let (key, value) = (self.update_key(bot_id, update_id), format!("p:{token}"));
        let mut invocation = CLAIM.key(&key);
        invocation.key(self.journal_key(bot_id, update_id)).arg(&value).arg(CLAIM_LEASE.as_millis() as u64);
        if let Some(check) = &rate {
            let (keys, args) = self.count_args(check);
            invocation.key(&keys[0]).key(&keys[1]).arg(args[0]).arg(args[1]).arg(args[2]);
        }
        let mut conn = self.conn().await?;
        let answer: Vec<String> = invocation.invoke_async(&mut *conn).await?;
        let claim = match answer.first().map(String::as_str) {
            Some("done") => return Ok((Claim::AlreadyDone, None)),
            Some("busy") => return Ok((Claim::InProgress, None)),
            Some("resume") => {
                let next = answer.get(2).and_then(|n| n.parse().ok());
                journal::parse(answer.get(1).cloned(), next).map_or(Claim::New, Claim::Resume)
            }
            _ => Claim::New,
        };
        let verdict = match (&claim, &rate) {
            (Claim::New, Some(_)) => Some(rate_limit::verdict(answer.get(1).map(String::as_str))),
            _ => None,
        };
        self.held.hold(key, value);
        Ok((claim, verdict))
    }

    /// Marks an update as handled. Unconditional on purpose: the work is done, whoever holds
    /// the claim now (a delivery whose claim expired still did the work), and one plain `SET`
    /// keeps the hot path cheap.
    pub async fn finish_update(&self, bot_id: i64, update_id: u32) -> Result<(), CacheError> {
        self.finish(bot_id, update_id, false).await
    }

    /// Marks an update as handled and, when it was journaled, deletes its journal in the
    /// same round trip.
    pub async fn finish(&self, bot_id: i64, update_id: u32, journaled: bool) -> Result<(), CacheError> {
        let key = self.update_key(bot_id, update_id);
        self.held.drop_claim(&key);
        let mut conn = self.conn().await?;
        let mut pipe = redis::pipe();
        pipe.cmd("SET").arg(&key).arg("d").arg("EX").arg(DONE_TTL.as_secs()).ignore();
        if journaled {
            pipe.del(self.journal_key(bot_id, update_id)).ignore();
        }
        let _: () = pipe.query_async(&mut *conn).await?;
        Ok(())
    }

    /// Counts one more crash while handling this update; returns the count so far.
    pub async fn count_crash(&self, bot_id: i64, update_id: u32) -> Result<u32, CacheError> {
        let key = self.key(format_args!("crash:{bot_id}:{update_id}"));
        let mut conn = self.conn().await?;
        let (count, _): (u32, i64) = redis::pipe()
            .atomic()
            .incr(&key, 1)
            .expire(&key, DONE_TTL.as_secs() as i64)
            .query_async(&mut *conn)
            .await?;
        Ok(count)
    }

    /// Gives an update this delivery claimed back after a failure, so its redelivery is
    /// handled (no-op if the claim is not ours).
    pub async fn release_update(&self, bot_id: i64, update_id: u32, token: &str) -> Result<(), CacheError> {
        let (key, value) = (self.update_key(bot_id, update_id), format!("p:{token}"));
        self.held.drop_claim_of(&key, &value);
        let mut conn = self.conn().await?;
        let _: i64 = redis::Script::new(RELEASE).key(&key).arg(&value).invoke_async(&mut *conn).await?;
        Ok(())
    }
}
