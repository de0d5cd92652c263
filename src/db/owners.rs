//! `user_admins` (owners) and their platform plan rows in `admin_subscriptions`.

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};

use super::schema::{admin_subscriptions, user_admins};

/// An owner ("User Admin").
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = user_admins)]
pub struct Owner {
    /// Internal id.
    pub id: i64,
    /// Telegram user id.
    pub telegram_id: i64,
    /// Telegram username, without `@`.
    pub username: Option<String>,
    /// Display name.
    pub full_name: String,
    /// Chosen language code.
    pub language: String,
    /// Banned by a moderator.
    pub banned: bool,
    /// Wants to hear about every new end user.
    pub notify_new_end_users: bool,
    /// Wants to hear when an end user joins the channel or group.
    pub notify_joins: bool,
    /// Registration time.
    pub created_at: DateTime<Utc>,
}

/// Who the owner is on Telegram, as seen in an update.
#[derive(Debug, Clone)]
pub struct OwnerProfile<'a> {
    /// Telegram user id.
    pub telegram_id: i64,
    /// Username, if any.
    pub username: Option<&'a str>,
    /// First and last name.
    pub full_name: &'a str,
    /// Chosen language code.
    pub language: &'a str,
}

/// Finds an owner by Telegram id.
pub async fn find_by_telegram_id(conn: &mut AsyncPgConnection, telegram_id: i64) -> diesel::QueryResult<Option<Owner>> {
    user_admins::table
        .filter(user_admins::telegram_id.eq(telegram_id))
        .select(Owner::as_select())
        .first(conn)
        .await
        .optional()
}

/// Registers the owner (with a Free plan row) or updates their profile and language.
/// Returns the owner and whether they were created just now. One transaction.
pub async fn register_or_update(
    conn: &mut AsyncPgConnection,
    profile: &OwnerProfile<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<(Owner, bool)> {
    conn.transaction(async |conn| {
        let inserted = diesel::insert_into(user_admins::table)
            .values((
                user_admins::telegram_id.eq(profile.telegram_id),
                user_admins::username.eq(profile.username),
                user_admins::full_name.eq(profile.full_name),
                user_admins::language.eq(profile.language),
                user_admins::created_at.eq(now),
            ))
            .on_conflict_do_nothing()
            .returning(Owner::as_returning())
            .get_result(conn)
            .await
            .optional()?;
        if let Some(owner) = inserted {
            diesel::insert_into(admin_subscriptions::table)
                .values((
                    admin_subscriptions::user_admin_id.eq(owner.id),
                    admin_subscriptions::plan.eq("free"),
                    admin_subscriptions::status.eq("active"),
                    admin_subscriptions::started_at.eq(now),
                ))
                .execute(conn)
                .await?;
            return Ok((owner, true));
        }
        let owner = prepared(
            diesel::update(user_admins::table.filter(user_admins::telegram_id.eq(profile.telegram_id)))
                .set((
                    user_admins::username.eq(profile.username),
                    user_admins::full_name.eq(profile.full_name),
                    user_admins::language.eq(profile.language),
                ))
                .returning(Owner::as_returning()),
        )
        .get_result(conn)
        .await?;
        Ok((owner, false))
    })
    .await
}

/// Finds an owner by internal id.
pub async fn find_by_id(conn: &mut AsyncPgConnection, id: i64) -> diesel::QueryResult<Option<Owner>> {
    user_admins::table.filter(user_admins::id.eq(id)).select(Owner::as_select()).first(conn).await.optional()
}

/// Whether the owner's plan is a paid one still running at `now` (the seller bot then shows
/// no platform advert).
pub async fn has_paid_plan(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<bool> {
    let paid: i64 = admin_subscriptions::table
        .filter(admin_subscriptions::user_admin_id.eq(owner_id))
        .filter(admin_subscriptions::status.eq("active"))
        .filter(admin_subscriptions::plan.ne("free"))
        .filter(admin_subscriptions::expires_at.gt(now))
        .count()
        .get_result(conn)
        .await?;
    Ok(paid > 0)
}

/// Which notification an owner switches on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OwnerNotice {
    /// A new end user pressed /start.
    NewEndUsers,
    /// An end user joined the channel or group.
    Joins,
}

/// Switches a notification on or off.
pub async fn set_notice(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    notice: OwnerNotice,
    on: bool,
) -> diesel::QueryResult<Owner> {
    let target = diesel::update(user_admins::table.filter(user_admins::id.eq(owner_id)));
    match notice {
        OwnerNotice::NewEndUsers => {
            target.set(user_admins::notify_new_end_users.eq(on)).returning(Owner::as_returning()).get_result(conn).await
        }
        OwnerNotice::Joins => {
            target.set(user_admins::notify_joins.eq(on)).returning(Owner::as_returning()).get_result(conn).await
        }
    }
}
