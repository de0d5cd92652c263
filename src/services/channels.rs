//! Linking a seller bot's channel and group: what the bot's own membership changes mean
//! (`my_chat_member`), the owner's confirmation, and unlinking.

use diesel_async::{AsyncConnection, AsyncPgConnection};

use crate::{
    db::{
        channels::{self, Channel, SeenChat},
        DbError,
    },
    state::AppState,
};

/// A right the bot needs in a chat it sells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Right {
    /// Create invite links and approve join requests.
    InviteUsers,
    /// Remove members whose access ended.
    RestrictMembers,
}

impl Right {
    /// Fluent key of the right's name.
    pub fn message_key(self) -> &'static str {
        match self {
            Right::InviteUsers => "right-invite-users",
            Right::RestrictMembers => "right-restrict-members",
        }
    }
}

/// The rights the bot lacks in a chat, from its current flags.
pub fn missing_rights(can_invite_users: bool, can_restrict_members: bool) -> Vec<Right> {
    let mut missing = Vec::new();
    if !can_invite_users {
        missing.push(Right::InviteUsers);
    }
    if !can_restrict_members {
        missing.push(Right::RestrictMembers);
    }
    missing
}

/// What the owner should hear after the bot's membership in a chat changed.
#[derive(Debug, Clone)]
pub enum MembershipNews {
    /// Admin with every right and not linked yet: ask the owner to confirm.
    AskToLink(Channel),
    /// Admin but missing rights, not linked: tell the owner which.
    MissingRights(Channel, Vec<Right>),
    /// A linked chat lost the bot or its rights: the link is broken.
    Broken(Channel, Vec<Right>),
    /// The bot was removed from a linked chat: the link is broken.
    Removed(Channel),
    /// A broken link has every right again: linked again.
    Restored(Channel),
    /// Added as a plain member, not an administrator: tell the owner to promote it.
    NotAdmin(Channel),
    /// Nothing worth a message (e.g. an unlinked chat the bot left).
    Nothing,
}

/// The bot's status in a chat as a `my_chat_member` update gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BotStatus {
    /// Administrator with (may invite users, may restrict members).
    Admin(bool, bool),
    /// A plain (or restricted) member.
    Member,
    /// Left or removed.
    Gone,
}

/// Records the bot's status in a chat and decides the link's fate.
pub async fn on_membership(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    chat_id: i64,
    kind: &str,
    title: &str,
    status: BotStatus,
    now: chrono::DateTime<chrono::Utc>,
) -> diesel::QueryResult<MembershipNews> {
    let rights = match status {
        BotStatus::Admin(invite, restrict) => Some((invite, restrict)),
        BotStatus::Member | BotStatus::Gone => None,
    };
    conn.transaction(async |conn| {
        let (invite, restrict) = rights.unwrap_or((false, false));
        let seen = SeenChat {
            telegram_chat_id: chat_id,
            kind,
            title,
            can_invite_users: invite,
            can_restrict_members: restrict,
        };
        let row = channels::record_seen(conn, user_bot_id, &seen, now).await?;
        let missing = missing_rights(invite, restrict);
        let link = row.link_status.as_str();
        Ok(match (rights.is_some(), missing.is_empty(), link) {
            (true, true, "broken") if channels::linked_of_kind(conn, user_bot_id, kind).await?.is_none() => {
                match channels::transition(conn, row.id, &["broken"], "linked").await? {
                    Some(row) => MembershipNews::Restored(row),
                    None => MembershipNews::Nothing,
                }
            }
            // Another chat of that kind was linked meanwhile: this one stays broken.
            (true, true, "broken") => MembershipNews::Nothing,
            (true, true, "linked") => MembershipNews::Nothing,
            (true, true, _) => match channels::transition(conn, row.id, &["unlinked", "pending"], "pending").await? {
                Some(row) => MembershipNews::AskToLink(row),
                None => MembershipNews::Nothing,
            },
            (true, false, "linked" | "broken") => {
                let row = channels::transition(conn, row.id, &["linked", "broken"], "broken").await?.unwrap_or(row);
                MembershipNews::Broken(row, missing)
            }
            (true, false, _) => {
                let row = channels::transition(conn, row.id, &["pending"], "unlinked").await?.unwrap_or(row);
                MembershipNews::MissingRights(row, missing)
            }
            (false, _, "linked" | "broken") => {
                let row = channels::transition(conn, row.id, &["linked", "broken"], "broken").await?.unwrap_or(row);
                MembershipNews::Removed(row)
            }
            (false, _, _) => {
                let row = channels::transition(conn, row.id, &["pending"], "unlinked").await?.unwrap_or(row);
                match status {
                    BotStatus::Member => MembershipNews::NotAdmin(row),
                    _ => MembershipNews::Nothing,
                }
            }
        })
    })
    .await
}

/// Why a link was not made.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Not the owner's, or no longer awaiting confirmation.
    #[error("nothing to link")]
    Stale,
    /// The bot lacks rights there.
    #[error("missing rights")]
    MissingRights(Vec<Right>),
    /// A chat of that kind is linked already.
    #[error("already linked: {0}")]
    AlreadyLinked(String),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] diesel::result::Error),
}

/// The owner confirms selling access to a chat the bot was added to.
pub async fn confirm_link(conn: &mut AsyncPgConnection, owner_id: i64, channel_id: i64) -> Result<Channel, LinkError> {
    conn.transaction(async |conn| {
        let row = channels::find_for_owner(conn, owner_id, channel_id).await?.ok_or(LinkError::Stale)?;
        if row.link_status != "pending" {
            return Err(LinkError::Stale);
        }
        let missing = missing_rights(row.can_invite_users, row.can_restrict_members);
        if !missing.is_empty() {
            return Err(LinkError::MissingRights(missing));
        }
        if let Some(other) = channels::linked_of_kind(conn, row.user_bot_id, &row.kind).await? {
            return Err(LinkError::AlreadyLinked(other.title));
        }
        channels::transition(conn, row.id, &["pending"], "linked").await?.ok_or(LinkError::Stale)
    })
    .await
    .map_err(|e| match e {
        // Another chat of that kind was linked at the same moment: this press is outdated.
        LinkError::Storage(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        )) => LinkError::Stale,
        other => other,
    })
}

/// The owner declines a pending chat, or unlinks a linked/broken one. Returns the chat, or
/// `None` when it is not theirs or already unlinked.
pub async fn unlink(
    conn: &mut AsyncPgConnection,
    owner_id: i64,
    channel_id: i64,
) -> diesel::QueryResult<Option<Channel>> {
    let Some(row) = channels::find_for_owner(conn, owner_id, channel_id).await? else { return Ok(None) };
    channels::transition(conn, row.id, &["pending", "linked", "broken"], "unlinked").await
}

/// A basic group the bot sells was upgraded to a supergroup (Telegram said so in a service
/// message, or answered a call on the old id with `migrate_to_chat_id`): the linked chat
/// follows it, so removals, invites and join requests go on in the supergroup. Idempotent.
pub async fn follow_upgrade(app: &AppState, old_chat_id: i64, new_chat_id: i64) -> Result<(), DbError> {
    let mut conn = app.db.get().await?;
    let moved = channels::follow_upgrade(&mut conn, old_chat_id, new_chat_id).await?;
    if moved > 0 {
        tracing::info!(old_chat_id, new_chat_id, moved, "group upgraded to a supergroup; linked chat follows it");
    }
    Ok(())
}

/// The supergroup a failed call said its basic group became (`migrated_to`, from Telegram's
/// answer), after moving the linked chat there; `None` for any other failure (or when the
/// move could not be stored: the caller then fails as it would have, and the next attempt
/// learns it again).
pub async fn upgraded_to(app: &AppState, old_chat_id: i64, migrated_to: Option<i64>) -> Option<i64> {
    let to = migrated_to?;
    match follow_upgrade(app, old_chat_id, to).await {
        Ok(()) => Some(to),
        Err(e) => {
            tracing::warn!(old_chat_id, error = %e, "group upgrade not recorded");
            None
        }
    }
}
