//! `outbox`: platform events stored with the change they announce and drained by the
//! `ModeratorActor` (at-least-once; several nodes drain without overlap thanks to
//! `FOR UPDATE SKIP LOCKED` and a lease).

use super::prepared::prepared;
use chrono::{DateTime, Duration, Utc};
use diesel::{
    sql_types::{BigInt, Jsonb, Timestamptz},
    ExpressionMethods, QueryDsl, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::outbox;
use crate::events::PlatformEvent;

#[derive(QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = Jsonb)]
    payload: serde_json::Value,
}

/// Stores an event for delivery.
pub async fn enqueue(
    conn: &mut AsyncPgConnection,
    event: &PlatformEvent,
    now: DateTime<Utc>,
) -> diesel::QueryResult<i64> {
    let payload = serde_json::to_value(event).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(outbox::table)
        .values((outbox::payload.eq(payload), outbox::created_at.eq(now)))
        .returning(outbox::id)
        .get_result(conn)
        .await
}

/// Leases up to `limit` undelivered events (oldest first) for `lease`, in the name of
/// `holder` (see [`super::lease_holder`]): an event is free when its lease lapsed or its
/// holder is gone.
pub async fn claim_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    (lease, holder): (Duration, i32),
    limit: i64,
) -> diesel::QueryResult<Vec<(i64, PlatformEvent)>> {
    static CLAIM_DUE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "UPDATE outbox SET claimed_until = $1, claimed_by = $4, attempts = attempts + 1 \
             WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL \
                          AND (claimed_until IS NULL OR claimed_until < $2 OR {}) \
                          ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) \
             RETURNING id, payload",
            super::lease_holder::HOLDER_GONE
        )
    });
    let rows: Vec<ClaimedRow> = diesel::sql_query(CLAIM_DUE.as_str())
        .bind::<Timestamptz, _>(now + lease)
        .bind::<Timestamptz, _>(now)
        .bind::<BigInt, _>(limit)
        .bind::<diesel::sql_types::Integer, _>(holder)
        .load(conn)
        .await?;
    let mut events: Vec<(i64, PlatformEvent)> = rows
        .into_iter()
        .filter_map(|row| match serde_json::from_value(row.payload) {
            Ok(event) => Some((row.id, event)),
            Err(e) => {
                tracing::error!(outbox_id = row.id, error = %e, "unreadable outbox event skipped");
                None
            }
        })
        .collect();
    events.sort_by_key(|(id, _)| *id);
    Ok(events)
}

/// Marks events delivered.
pub async fn mark_sent(conn: &mut AsyncPgConnection, ids: &[i64], now: DateTime<Utc>) -> diesel::QueryResult<usize> {
    prepared(diesel::update(outbox::table.filter(outbox::id.eq_any(ids))).set(outbox::sent_at.eq(now)))
        .execute(conn)
        .await
}

/// Gives leased events back for the next drain (after a transient failure).
pub async fn release(conn: &mut AsyncPgConnection, ids: &[i64]) -> diesel::QueryResult<usize> {
    prepared(
        diesel::update(outbox::table.filter(outbox::id.eq_any(ids)))
            .set(outbox::claimed_until.eq(None::<DateTime<Utc>>)),
    )
    .execute(conn)
    .await
}

/// Undelivered events (for tests and the moderator dashboard).
pub async fn pending_count(conn: &mut AsyncPgConnection) -> diesel::QueryResult<i64> {
    outbox::table.filter(outbox::sent_at.is_null()).count().get_result(conn).await
}
