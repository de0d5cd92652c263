//! `deliveries`: effects an update queued for the courier (see `actors::courier`). One row per
//! key, so queuing it again is a no-op: a planned effect is keyed by `bot:update:index` (its
//! redelivery queues nothing new), a decision's follow-up by the decision and its recipient,
//! e.g. `payment:7:rejected:customer` (whoever plans it again, it is sent once).

use super::prepared::prepared;
use chrono::{DateTime, Duration, Utc};
use diesel::{
    sql_types::{BigInt, Jsonb, Timestamptz},
    ExpressionMethods, QueryDsl, QueryableByName,
};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::deliveries;
use crate::handlers::Effect;

/// A queued effect the courier has leased.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// Row id.
    pub id: i64,
    /// Telegram id of the bot whose update queued it (its client sends "this bot" effects).
    pub bot_id: i64,
    /// The chat of that update.
    pub reply_chat: i64,
    /// What to do.
    pub effect: Effect,
    /// Attempts so far, this one included.
    pub attempts: i32,
}

#[derive(QueryableByName)]
struct LeasedRow {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = BigInt)]
    bot_id: i64,
    #[diesel(sql_type = BigInt)]
    reply_chat: i64,
    #[diesel(sql_type = Jsonb)]
    effect: serde_json::Value,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    attempts: i32,
}

/// Queues `effect` under `key` (nothing happens when that key is already queued).
pub async fn enqueue(
    mut conn: &AsyncPgConnection,
    key: &str,
    (bot_id, reply_chat): (i64, i64),
    effect: &Effect,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let effect = serde_json::to_value(effect).map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(deliveries::table)
        .values((
            deliveries::dedupe_key.eq(key),
            deliveries::bot_id.eq(bot_id),
            deliveries::reply_chat.eq(reply_chat),
            deliveries::effect.eq(effect),
            deliveries::created_at.eq(now),
            deliveries::due_at.eq(now),
        ))
        .on_conflict(deliveries::dedupe_key)
        .do_nothing()
        .execute(&mut conn)
        .await
}

/// Deliveries leased per chat (of the update that queued them) at a time: a chat at
/// Telegram's limit, with many deliveries waiting, never fills a whole batch.
pub const PER_CHAT: i64 = 4;

/// Leases up to `limit` due deliveries, oldest first and at most [`PER_CHAT`] per chat, for
/// `lease`, in the name of `holder` (see [`super::lease_holder`]): a row is due when its lease
/// lapsed or its holder is gone.
pub async fn lease_due(
    conn: &mut AsyncPgConnection,
    now: DateTime<Utc>,
    (lease, holder): (Duration, i32),
    limit: i64,
) -> diesel::QueryResult<Vec<Delivery>> {
    static LEASE_DUE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        format!(
            "UPDATE deliveries SET claimed_until = $1, claimed_by = $5, attempts = attempts + 1
             WHERE id IN (SELECT id FROM deliveries
                          WHERE id IN (SELECT id FROM (SELECT id, row_number() OVER (PARTITION BY reply_chat ORDER BY due_at, id) AS nth
                                                       FROM deliveries WHERE done_at IS NULL AND due_at <= $2
                                                         AND (claimed_until IS NULL OR claimed_until < $2 OR {})) due
                                       WHERE nth <= $4)
                          ORDER BY due_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
             RETURNING id, bot_id, reply_chat, effect, attempts",
            super::lease_holder::HOLDER_GONE
        )
    });
    let rows: Vec<LeasedRow> = prepared(
        diesel::sql_query(LEASE_DUE.as_str())
            .bind::<Timestamptz, _>(now + lease)
            .bind::<Timestamptz, _>(now)
            .bind::<BigInt, _>(limit)
            .bind::<BigInt, _>(PER_CHAT)
            .bind::<diesel::sql_types::Integer, _>(holder),
    )
    .load(conn)
    .await?;
    let mut leased: Vec<Delivery> = rows
        .into_iter()
        .filter_map(|row| match serde_json::from_value(row.effect) {
            Ok(effect) => Some(Delivery {
                id: row.id,
                bot_id: row.bot_id,
                reply_chat: row.reply_chat,
                effect,
                attempts: row.attempts,
            }),
            Err(e) => {
                tracing::error!(delivery = row.id, error = %e, "unreadable delivery skipped");
                None
            }
        })
        .collect();
    leased.sort_by_key(|d| d.id);
    Ok(leased)
}

/// Marks a delivery done (sent, or given up for good).
pub async fn mark_done(conn: &mut AsyncPgConnection, id: i64, now: DateTime<Utc>) -> diesel::QueryResult<usize> {
    prepared(diesel::update(deliveries::table.filter(deliveries::id.eq(id))).set(deliveries::done_at.eq(now)))
        .execute(conn)
        .await
}

/// Gives a delivery back, due again at `due_at`.
pub async fn retry_at(conn: &mut AsyncPgConnection, id: i64, due_at: DateTime<Utc>) -> diesel::QueryResult<usize> {
    prepared(
        diesel::update(deliveries::table.filter(deliveries::id.eq(id)))
            .set((deliveries::due_at.eq(due_at), deliveries::claimed_until.eq(None::<DateTime<Utc>>))),
    )
    .execute(conn)
    .await
}

/// Gives leased deliveries back untried (due now, the attempt not counted): a round takes
/// only a few per chat, so one busy chat never holds up the others.
pub async fn release(conn: &mut AsyncPgConnection, ids: &[i64]) -> diesel::QueryResult<usize> {
    if ids.is_empty() {
        return Ok(0);
    }
    prepared(
        diesel::update(deliveries::table.filter(deliveries::id.eq_any(ids))).set((
            deliveries::claimed_until.eq(None::<DateTime<Utc>>),
            deliveries::attempts.eq(deliveries::attempts - 1),
        )),
    )
    .execute(conn)
    .await
}

/// How many deliveries are not done yet.
pub async fn pending(conn: &mut AsyncPgConnection) -> diesel::QueryResult<i64> {
    deliveries::table.filter(deliveries::done_at.is_null()).count().get_result(conn).await
}
