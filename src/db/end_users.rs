//! `end_users`: customers of one seller bot (UNIQUE per bot and Telegram id).

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::{prepared::prepared, schema::end_users};

/// A customer of one seller bot.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = end_users)]
pub struct EndUser {
    /// Internal id.
    pub id: i64,
    /// Telegram user id.
    pub telegram_id: i64,
    /// The seller bot (internal id).
    pub user_bot_id: i64,
    /// Telegram username.
    pub username: Option<String>,
    /// Display name.
    pub full_name: String,
    /// Chosen language, once chosen.
    pub language: Option<String>,
    /// Banned by the owner.
    pub banned: bool,
    /// First `/start`.
    pub created_at: DateTime<Utc>,
}

/// Whether the bot's owner is banned, read in the same statement as the user (a banned
/// owner's shop is closed; asking here saves a round trip on every update).
fn owner_banned(
    owner_id: i64,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool, impl diesel::query_builder::QueryFragment<diesel::pg::Pg>>
{
    diesel::dsl::sql::<diesel::sql_types::Bool>("COALESCE((SELECT banned FROM user_admins WHERE id = ")
        .bind::<diesel::sql_types::BigInt, _>(owner_id)
        .sql("), FALSE)")
}

/// For a row just inserted (`xmax = 0`), the owner's Telegram id and language when they want
/// to hear of new customers, read in the same statement as the user.
fn owner_to_tell(
    owner_id: i64,
) -> diesel::expression::SqlLiteral<
    diesel::sql_types::Nullable<diesel::sql_types::Text>,
    impl diesel::query_builder::QueryFragment<diesel::pg::Pg>,
> {
    diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::Text>>(
        "CASE WHEN end_users.xmax = 0 THEN (SELECT telegram_id::text || ':' || language FROM user_admins \
         WHERE notify_new_end_users AND id = ",
    )
    .bind::<diesel::sql_types::BigInt, _>(owner_id)
    .sql(") END")
}

/// Whether the bot's owner has a paid plan at `now` (no platform advert then), read in the
/// same statement as the user.
fn owner_paid(
    owner_id: i64,
    now: DateTime<Utc>,
) -> diesel::expression::SqlLiteral<diesel::sql_types::Bool, impl diesel::query_builder::QueryFragment<diesel::pg::Pg>>
{
    diesel::dsl::sql::<diesel::sql_types::Bool>(
        "EXISTS (SELECT 1 FROM admin_subscriptions WHERE status = 'active' AND plan <> 'free' AND user_admin_id = ",
    )
    .bind::<diesel::sql_types::BigInt, _>(owner_id)
    .sql(" AND expires_at > ")
    .bind::<diesel::sql_types::Timestamptz, _>(now)
    .sql(")")
}

/// What recording a message tells about its sender and the shop.
#[derive(Debug, Clone)]
pub struct Touched {
    /// The customer's row.
    pub user: EndUser,
    /// The row was made now (a new customer).
    pub created: bool,
    /// The bot's owner is banned: the shop is closed.
    pub closed: bool,
    /// The bot's owner has a paid plan (no platform advert).
    pub paid_plan: bool,
    /// For a new customer, the owner to tell (their Telegram id and language), unless they
    /// muted new-customer notices.
    pub tell_owner: Option<(i64, String)>,
}

/// Records the user's first `/start`, or refreshes their name and username; returns the row,
/// whether it is new, and the owner's flags the reply depends on. One statement (`xmax = 0`
/// tells an insert from an update).
pub async fn touch(
    conn: &mut AsyncPgConnection,
    (owner_id, user_bot_id): (i64, i64),
    telegram_id: i64,
    username: Option<&str>,
    full_name: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Touched> {
    use diesel::{dsl::sql, sql_types::Bool, upsert::excluded};
    let upsert = diesel::insert_into(end_users::table)
        .values((
            end_users::user_bot_id.eq(user_bot_id),
            end_users::telegram_id.eq(telegram_id),
            end_users::username.eq(username),
            end_users::full_name.eq(full_name),
            end_users::created_at.eq(now),
        ))
        .on_conflict((end_users::telegram_id, end_users::user_bot_id))
        .do_update()
        .set((
            end_users::username.eq(excluded(end_users::username)),
            end_users::full_name.eq(excluded(end_users::full_name)),
        ))
        .returning((
            EndUser::as_returning(),
            sql::<Bool>("xmax = 0"),
            owner_banned(owner_id),
            owner_paid(owner_id, now),
            owner_to_tell(owner_id),
        ));
    let (user, created, closed, paid_plan, tell): (EndUser, bool, bool, bool, Option<String>) =
        prepared(upsert).get_result(conn).await?;
    let tell_owner = tell.and_then(|t| {
        let (id, language) = t.split_once(':')?;
        Some((id.parse().ok()?, language.to_owned()))
    });
    Ok(Touched { user, created, closed, paid_plan, tell_owner })
}

/// What a language press found.
#[derive(Debug, Clone)]
pub struct Chosen {
    /// The customer's row.
    pub user: EndUser,
    /// The bot's owner is banned (the shop is closed).
    pub closed: bool,
    /// The bot's settings version (see `services::shops`).
    pub shop_version: i64,
}

/// The bot's settings version, read in the same statement as the user.
fn shop_version(
    user_bot_id: i64,
) -> diesel::expression::SqlLiteral<diesel::sql_types::BigInt, impl diesel::query_builder::QueryFragment<diesel::pg::Pg>>
{
    diesel::dsl::sql::<diesel::sql_types::BigInt>("COALESCE((SELECT settings_version FROM user_bots WHERE id = ")
        .bind::<diesel::sql_types::BigInt, _>(user_bot_id)
        .sql("), 0)")
}

/// Stores the chosen language, creating the row if the user never sent `/start`; returns
/// the row, whether the bot's owner is banned, and the bot's settings version.
pub async fn set_language(
    conn: &mut AsyncPgConnection,
    (owner_id, user_bot_id): (i64, i64),
    telegram_id: i64,
    full_name: &str,
    language: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Chosen> {
    let upsert = diesel::insert_into(end_users::table)
        .values((
            end_users::user_bot_id.eq(user_bot_id),
            end_users::telegram_id.eq(telegram_id),
            end_users::full_name.eq(full_name),
            end_users::language.eq(language),
            end_users::created_at.eq(now),
        ))
        .on_conflict((end_users::telegram_id, end_users::user_bot_id))
        .do_update()
        .set(end_users::language.eq(language))
        .returning((EndUser::as_returning(), owner_banned(owner_id), shop_version(user_bot_id)));
    let (user, closed, shop_version) = prepared(upsert).get_result(conn).await?;
    Ok(Chosen { user, closed, shop_version })
}

/// One end user by internal id.
///
/// Takes the connection shared, so it can go out in one round trip with other statements
/// (diesel-async pipelines futures polled together on one connection).
pub async fn find(mut conn: &AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<EndUser>> {
    end_users::table.filter(end_users::id.eq(id)).select(EndUser::as_select()).first(&mut conn).await.optional()
}

/// One end user of a bot by Telegram id.
pub async fn by_telegram_id(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    telegram_id: i64,
) -> diesel::QueryResult<Option<EndUser>> {
    end_users::table
        .filter(end_users::user_bot_id.eq(user_bot_id))
        .filter(end_users::telegram_id.eq(telegram_id))
        .select(EndUser::as_select())
        .first(conn)
        .await
        .optional()
}

/// One end user of the owner's connected bot, or none if not theirs.
pub async fn find_for_owner(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    end_user_id: i64,
) -> diesel::QueryResult<Option<EndUser>> {
    use super::schema::user_bots;
    end_users::table
        .inner_join(user_bots::table)
        .filter(end_users::id.eq(end_user_id))
        .filter(user_bots::user_admin_id.eq(owner_id))
        .filter(user_bots::is_active.eq(true))
        .select(EndUser::as_select())
        .first(conn)
        .await
        .optional()
}

/// A page of a bot's end users, newest first, optionally matching `search` (name or
/// username, case-insensitive, or the exact Telegram id). Returns the page and the total.
pub async fn page_of_bot(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    search: Option<&str>,
    offset: i64,
    limit: i64,
) -> diesel::QueryResult<(Vec<EndUser>, i64)> {
    use diesel::{BoolExpressionMethods, PgTextExpressionMethods};
    let mut query = end_users::table.filter(end_users::user_bot_id.eq(user_bot_id)).into_boxed();
    let mut count = end_users::table.filter(end_users::user_bot_id.eq(user_bot_id)).into_boxed();
    if let Some(search) = search.map(str::trim).filter(|s| !s.is_empty()) {
        let pattern = format!("%{}%", search.trim_start_matches('@').replace(['%', '_'], ""));
        let id: i64 = search.parse().unwrap_or(-1);
        let matches = end_users::full_name
            .ilike(pattern.clone())
            .or(end_users::username.ilike(pattern.clone()))
            .or(end_users::telegram_id.eq(id));
        query = query.filter(matches);
        let matches = end_users::full_name
            .ilike(pattern.clone())
            .or(end_users::username.ilike(pattern))
            .or(end_users::telegram_id.eq(id));
        count = count.filter(matches);
    }
    let page =
        query.order(end_users::id.desc()).offset(offset).limit(limit).select(EndUser::as_select()).load(conn).await?;
    let total = count.count().get_result(conn).await?;
    Ok((page, total))
}

/// Bans or unbans an end user.
pub async fn set_banned(conn: &mut AsyncPgConnection, id: i64, banned: bool) -> diesel::QueryResult<usize> {
    prepared(diesel::update(end_users::table.filter(end_users::id.eq(id))).set(end_users::banned.eq(banned)))
        .execute(conn)
        .await
}
