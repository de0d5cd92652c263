//! Owners: registration in the main bot.

use chrono::{DateTime, Utc};
use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::{
    db::{
        outbox,
        owners::{self, Owner, OwnerProfile},
    },
    events::PlatformEvent,
};

/// Registers the owner (Free plan) or updates their profile and language. A new owner's
/// "registered" event is stored in the outbox in the same transaction, so the moderators
/// hear about every registration exactly when it happened, even if the process dies next.
pub async fn register(
    conn: &mut AsyncPgConnection,
    profile: &OwnerProfile<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(Owner, bool)> {
    conn.transaction(async |conn| {
        let (owner, created) = owners::register_or_update(conn, profile, now).await?;
        if created {
            let event =
                PlatformEvent::OwnerRegistered { telegram_id: owner.telegram_id, name: owner.full_name.clone() };
            outbox::enqueue(conn, &event, now).await?;
        }
        Ok((owner, created))
    })
    .await
}
