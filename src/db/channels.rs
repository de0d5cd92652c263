//! `channels`: the channel and the group a seller bot sells, with the bot's rights there,
//! the link state and the selling terms (price, period, currency).

use super::prepared::prepared;
use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::{channels, user_bots};

/// A channel or group a seller bot was added to.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = channels)]
pub struct Channel {
    /// Internal id.
    pub id: i64,
    /// The seller bot (`user_bots.id`).
    pub user_bot_id: i64,
    /// Telegram chat id.
    pub telegram_chat_id: i64,
    /// `channel` or `group`.
    #[diesel(column_name = type_)]
    pub kind: String,
    /// Title as last seen.
    pub title: String,
    /// Price of one period; none until the owner sets it.
    pub price: Option<BigDecimal>,
    /// ISO currency code.
    pub currency: String,
    /// 1, 6 or 12 months, or 0 for lifetime.
    pub duration_months: i32,
    /// `pending` (awaiting the owner), `linked`, `broken` (rights lost) or `unlinked`.
    pub link_status: String,
    /// The bot may create invite links there.
    pub can_invite_users: bool,
    /// The bot may remove members there.
    pub can_restrict_members: bool,
    /// The price of one period in Telegram Stars, if the chat is sold for Stars.
    pub price_stars: Option<i32>,
}

/// What a `my_chat_member` update says about the bot in a chat.
#[derive(Debug, Clone)]
pub struct SeenChat<'a> {
    /// Telegram chat id.
    pub telegram_chat_id: i64,
    /// `channel` or `group`.
    pub kind: &'a str,
    /// Chat title.
    pub title: &'a str,
    /// May invite users.
    pub can_invite_users: bool,
    /// May restrict/ban members.
    pub can_restrict_members: bool,
}

/// Records the bot's current rights in a chat (a new chat starts `unlinked`); returns the row
/// with its link state unchanged.
pub async fn record_seen(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    seen: &SeenChat<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Channel> {
    diesel::insert_into(channels::table)
        .values((
            channels::user_bot_id.eq(user_bot_id),
            channels::telegram_chat_id.eq(seen.telegram_chat_id),
            channels::type_.eq(seen.kind),
            channels::title.eq(seen.title),
            channels::link_status.eq("unlinked"),
            channels::can_invite_users.eq(seen.can_invite_users),
            channels::can_restrict_members.eq(seen.can_restrict_members),
            channels::created_at.eq(now),
        ))
        .on_conflict((channels::user_bot_id, channels::telegram_chat_id))
        .do_update()
        .set((
            channels::type_.eq(seen.kind),
            channels::title.eq(seen.title),
            channels::can_invite_users.eq(seen.can_invite_users),
            channels::can_restrict_members.eq(seen.can_restrict_members),
        ))
        .returning(Channel::as_returning())
        .get_result(conn)
        .await
}

/// Moves a chat from one of `from` to `to`; returns the row if it moved (guarded transition).
pub async fn transition(
    conn: &mut AsyncPgConnection,
    id: i64,
    from: &[&str],
    to: &str,
) -> diesel::QueryResult<Option<Channel>> {
    prepared(
        diesel::update(channels::table.filter(channels::id.eq(id)).filter(channels::link_status.eq_any(from)))
            .set(channels::link_status.eq(to))
            .returning(Channel::as_returning()),
    )
    .get_result(conn)
    .await
    .optional()
}

/// One chat of the owner's active bot, or none if it is not theirs: every owner action
/// goes through this, so forged ids reach nothing.
pub async fn find_for_owner(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    channel_id: i64,
) -> diesel::QueryResult<Option<Channel>> {
    channels::table
        .inner_join(user_bots::table)
        .filter(channels::id.eq(channel_id))
        .filter(user_bots::user_admin_id.eq(owner_id))
        .filter(user_bots::is_active.eq(true))
        .select(Channel::as_select())
        .first(conn)
        .await
        .optional()
}

/// The bot's chats that are linked, awaiting confirmation or broken, channel first.
pub async fn list_for_bot(conn: &mut AsyncPgConnection, user_bot_id: i64) -> diesel::QueryResult<Vec<Channel>> {
    channels::table
        .filter(channels::user_bot_id.eq(user_bot_id))
        .filter(channels::link_status.eq_any(["linked", "broken", "pending"]))
        .select(Channel::as_select())
        .order((channels::type_, channels::id))
        .load(conn)
        .await
}

/// The bot's linked chat of a kind, if any.
pub async fn linked_of_kind(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    kind: &str,
) -> diesel::QueryResult<Option<Channel>> {
    channels::table
        .filter(channels::user_bot_id.eq(user_bot_id))
        .filter(channels::type_.eq(kind))
        .filter(channels::link_status.eq("linked"))
        .select(Channel::as_select())
        .first(conn)
        .await
        .optional()
}

/// A change of selling terms.
#[derive(Debug, Clone)]
pub enum Terms {
    /// New price.
    Price(BigDecimal),
    /// New period in months (0 = lifetime).
    Period(i32),
    /// New currency code.
    Currency(String),
    /// New price in Telegram Stars, or none (not sold for Stars).
    Stars(Option<i32>),
}

/// Applies new selling terms to a chat.
pub async fn set_terms(conn: &mut AsyncPgConnection, id: i64, terms: Terms) -> diesel::QueryResult<Channel> {
    let target = channels::table.filter(channels::id.eq(id));
    let query = match terms {
        Terms::Price(price) => {
            prepared(diesel::update(target).set(channels::price.eq(Some(price))).returning(Channel::as_returning()))
                .get_result(conn)
                .await
        }
        Terms::Period(months) => {
            prepared(
                diesel::update(target).set(channels::duration_months.eq(months)).returning(Channel::as_returning()),
            )
            .get_result(conn)
            .await
        }
        Terms::Currency(code) => {
            prepared(diesel::update(target).set(channels::currency.eq(code)).returning(Channel::as_returning()))
                .get_result(conn)
                .await
        }
        Terms::Stars(stars) => {
            prepared(diesel::update(target).set(channels::price_stars.eq(stars)).returning(Channel::as_returning()))
                .get_result(conn)
                .await
        }
    };
    query
}

/// One chat of a bot by id (for the bot's own handlers).
pub async fn find_of_bot(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    channel_id: i64,
) -> diesel::QueryResult<Option<Channel>> {
    channels::table
        .filter(channels::id.eq(channel_id))
        .filter(channels::user_bot_id.eq(user_bot_id))
        .select(Channel::as_select())
        .first(conn)
        .await
        .optional()
}

/// One chat of a bot by its Telegram chat id.
pub async fn by_chat_id(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    telegram_chat_id: i64,
) -> diesel::QueryResult<Option<Channel>> {
    channels::table
        .filter(channels::telegram_chat_id.eq(telegram_chat_id))
        .filter(channels::user_bot_id.eq(user_bot_id))
        .select(Channel::as_select())
        .first(conn)
        .await
        .optional()
}

/// One chat by id, whoever owns it (after an ownership check elsewhere).
///
/// Takes the connection shared, so it can be pipelined with other statements.
pub async fn find(mut conn: &AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<Channel>> {
    channels::table.filter(channels::id.eq(id)).select(Channel::as_select()).first(&mut conn).await.optional()
}

/// A basic group became a supergroup: every bot's row for the old chat id now points at
/// the new one (a bot that already has a row for the new id keeps that one). Returns the
/// rows moved; a repeat (the second service message, a redelivery) moves none.
pub async fn follow_upgrade(
    conn: &mut AsyncPgConnection,
    old_chat_id: i64,
    new_chat_id: i64,
) -> diesel::QueryResult<usize> {
    diesel::sql_query(
        "UPDATE channels c SET telegram_chat_id = $2
         WHERE c.telegram_chat_id = $1
           AND NOT EXISTS (SELECT 1 FROM channels n WHERE n.user_bot_id = c.user_bot_id AND n.telegram_chat_id = $2)",
    )
    .bind::<diesel::sql_types::BigInt, _>(old_chat_id)
    .bind::<diesel::sql_types::BigInt, _>(new_chat_id)
    .execute(conn)
    .await
}
