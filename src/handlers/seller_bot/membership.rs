//! The seller bot's own status in chats (`my_chat_member`): being made administrator of
//! the owner's channel or group starts linking it; losing the bot or its rights breaks a
//! link. The owner hears about each, in the main Getolog bot.

use teloxide_core::types::{ChatKind, ChatMemberKind, ChatMemberUpdated, PublicChatKind};

use crate::{
    db::{owners, DbError},
    handlers::{main_bot::actions::Action, Button, Effect, HandlerContext, HandlerError, Keyboard},
    i18n::Lang,
    services::channels::{self, BotStatus, MembershipNews, Right},
};

/// Handles a change of the bot's own membership in a chat.
pub async fn on_my_chat_member(
    ctx: &HandlerContext<'_>,
    update: &ChatMemberUpdated,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let kind = match &update.chat.kind {
        ChatKind::Public(public) => match public.kind {
            PublicChatKind::Channel(_) => "channel",
            PublicChatKind::Group | PublicChatKind::Supergroup(_) => "group",
        },
        ChatKind::Private(_) => return Ok(Vec::new()),
    };
    let status = match &update.new_chat_member.kind {
        ChatMemberKind::Administrator(admin) => BotStatus::Admin(admin.can_invite_users, admin.can_restrict_members),
        ChatMemberKind::Member(_) | ChatMemberKind::Restricted(_) => BotStatus::Member,
        _ => BotStatus::Gone,
    };
    let title = update.chat.title().unwrap_or_default();
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    let (chat_id, now) = (update.chat.id.0, ctx.app.clock.now());
    let news = channels::on_membership(&mut conn, user_bot_id, chat_id, kind, title, status, now).await?;
    let Some(owner) = owners::find_by_id(&mut conn, owner_id).await? else { return Ok(Vec::new()) };
    drop(conn);
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let t = |key: &str, args: &[(&str, &str)]| ctx.app.i18n.tr(lang, key, args);
    let bot = format!("@{}", ctx.bot.username);
    let rights_list = |missing: &[Right]| {
        missing.iter().map(|r| format!("• {}", t(r.message_key(), &[]))).collect::<Vec<_>>().join("\n")
    };
    let (text, keyboard) = match news {
        MembershipNews::Nothing => return Ok(Vec::new()),
        MembershipNews::AskToLink(chat) => {
            let key = if chat.kind == "channel" { "link-ask-channel" } else { "link-ask-group" };
            let buttons = vec![
                Button { text: t("button-link", &[]), data: Action::Link(chat.id).data() },
                Button { text: t("button-ignore", &[]), data: Action::Unlink(chat.id).data() },
            ];
            (t(key, &[("title", &chat.title), ("bot", &bot)]), Some(Keyboard(vec![buttons])))
        }
        MembershipNews::MissingRights(chat, missing) => {
            (t("link-missing-rights", &[("title", &chat.title), ("details", &rights_list(&missing))]), None)
        }
        MembershipNews::Broken(chat, missing) => (
            t("link-broken-rights", &[("title", &chat.title), ("bot", &bot), ("details", &rights_list(&missing))]),
            None,
        ),
        MembershipNews::NotAdmin(chat) => (t("link-not-admin", &[("title", &chat.title), ("bot", &bot)]), None),
        MembershipNews::Removed(chat) => (t("link-broken-removed", &[("title", &chat.title), ("bot", &bot)]), None),
        MembershipNews::Restored(chat) => (t("link-restored", &[("title", &chat.title)]), None),
    };
    Ok(vec![Effect::Notify { chat_id: owner.telegram_id, text, keyboard }.later()])
}
