//! `user_admins` (owners) and their platform plan rows in `admin_subscriptions`.

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
) -> diesel::QueryResult<(Owner, bool)> {
    conn.transaction(async |conn| {
        let inserted = diesel::insert_into(user_admins::table)
            .values((
                user_admins::telegram_id.eq(profile.telegram_id),
                user_admins::username.eq(profile.username),
                user_admins::full_name.eq(profile.full_name),
                user_admins::language.eq(profile.language),
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
                ))
                .execute(conn)
                .await?;
            return Ok((owner, true));
        }
        let owner = diesel::update(user_admins::table.filter(user_admins::telegram_id.eq(profile.telegram_id)))
            .set((
                user_admins::username.eq(profile.username),
                user_admins::full_name.eq(profile.full_name),
                user_admins::language.eq(profile.language),
            ))
            .returning(Owner::as_returning())
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
