//! Access to a sold chat: the rules of handing over a personal invite link (join request
//! required, named after the payment). The seller bot's calls are made by the bot actors
//! (`actors::bot::invite`); this module decides what they start from and records the link.
//!
//! A link is stored before the message carrying it is sent, with the name of the delivery
//! that made it. A retry of that delivery (a crash, a 429 on the customer's chat) sends the
//! same link again, so a customer never holds two links for one subscription.

use std::time::Duration;

use crate::{
    cache::lock::JobLock,
    db::{channels, subscriptions, DbError},
    state::AppState,
};

/// Why a link cannot be handed over now.
#[derive(Debug, thiserror::Error)]
pub enum AccessError {
    /// Another delivery of this subscription's link is under way (another press, another
    /// node): this one waits its turn.
    #[error("a link for this subscription is being delivered")]
    InProgress,
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] DbError),
}

impl From<diesel::result::Error> for AccessError {
    fn from(e: diesel::result::Error) -> Self {
        AccessError::Storage(DbError::Query(e))
    }
}

/// How long one delivery of a link may hold its subscription (it releases it when done; a
/// hold whose process died is taken over at once, see [`hold`], else it lapses).
const DELIVERY_HOLD: Duration = Duration::from_secs(60);

/// Where a delivery of a link starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InviteStart {
    /// The subscription is no longer active (or is gone): nothing to hand over.
    Ended,
    /// This delivery made and stored its link before, and is retried: the same link again.
    Made(String),
    /// A new link is to be made in `chat_id`; `replaces` is the previous unused link, which
    /// the new one makes useless and which is revoked.
    New {
        /// The channel or group (Telegram id).
        chat_id: i64,
        /// The previous link, when the customer never used it.
        replaces: Option<String>,
    },
}

/// Holds the subscription for one delivery, cluster-wide; `InProgress` while another holds
/// it. The hold names this process's lease holder: a hold left by a process that died (its
/// lease-holder lock gone) is taken over at once, so a crash mid-delivery does not hold the
/// customer's invite back for a minute.
pub async fn hold(app: &AppState, subscription_id: i64) -> Result<JobLock, AccessError> {
    let (job, holder) = (format!("invite:{subscription_id}"), app.leases.key());
    let unavailable = |e: crate::cache::CacheError| DbError::Unavailable(e.to_string());
    let (seen, theirs) = match app.cache.try_lock_as(&job, DELIVERY_HOLD, holder).await.map_err(unavailable)? {
        Ok(held) => return Ok(held),
        Err((seen, Some(theirs))) => (seen, theirs),
        Err((_, None)) => return Err(AccessError::InProgress),
    };
    let alive = {
        let mut conn = app.db.get().await.map_err(DbError::from)?;
        crate::db::lease_holder::is_held(&mut conn, theirs).await?
    };
    if alive {
        return Err(AccessError::InProgress);
    }
    tracing::info!(subscription_id, "taking over a link delivery whose process is gone");
    let taken = app.cache.take_over_lock(&job, &seen, DELIVERY_HOLD, holder).await.map_err(unavailable)?;
    taken.ok_or(AccessError::InProgress)
}

/// Lets the next delivery of the subscription's link begin.
pub async fn release(app: &AppState, held: JobLock) {
    if let Err(e) = app.cache.unlock(held).await {
        tracing::warn!(error = %e, "link delivery hold not released; it lapses");
    }
}

/// What the delivery named `delivery` starts from (call while holding the subscription).
pub async fn begin(app: &AppState, subscription_id: i64, delivery: &str) -> Result<InviteStart, AccessError> {
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    let Some(sub) = subscriptions::find(&mut conn, subscription_id).await? else { return Ok(InviteStart::Ended) };
    if sub.status != "active" {
        return Ok(InviteStart::Ended);
    }
    if let Some(link) = subscriptions::link_of_delivery(&mut conn, subscription_id, delivery).await? {
        return Ok(InviteStart::Made(link));
    }
    let Some(chat) = channels::find(&conn, sub.channel_id).await? else { return Ok(InviteStart::Ended) };
    let replaces = sub.invite_link.filter(|_| !sub.link_used);
    Ok(InviteStart::New { chat_id: chat.telegram_chat_id, replaces })
}

/// Records the link `delivery` made, before it is sent: from now on it is the one that lets
/// the customer in, and a retry of the delivery sends it again.
pub async fn record(app: &AppState, subscription_id: i64, delivery: &str, link: &str) -> Result<(), AccessError> {
    let mut conn = app.db.get().await.map_err(DbError::from)?;
    subscriptions::set_invite_link(&mut conn, subscription_id, link, delivery).await?;
    Ok(())
}
