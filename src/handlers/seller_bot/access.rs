//! Access through the personal links: join requests (only the payer is let in, the link is
//! then revoked), joins (recorded, the owner told), and a fresh link on request.

use teloxide_core::types::{ChatJoinRequest, ChatMemberUpdated};

use super::Customer;
use crate::{
    db::{channels, end_users, owners, subscriptions, DbError},
    handlers::{
        common::{chat_label, display_name_of, send},
        Effect, HandlerContext, HandlerError, Invite, LINK_SLOT,
    },
    i18n::Lang,
};

/// A join request on one of the bot's chats.
pub async fn on_join_request(
    ctx: &HandlerContext<'_>,
    request: &ChatJoinRequest,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let Some(link) = request.invite_link.as_ref().map(|l| l.invite_link.as_str()) else { return Ok(Vec::new()) };
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    // Links Getolog did not create (the owner's own) are left to the owner.
    let Some(sub) = subscriptions::by_invite_link(&mut conn, link).await? else { return Ok(Vec::new()) };
    let Some(chat) = channels::find(&conn, sub.channel_id).await?.filter(|c| c.user_bot_id == user_bot_id) else {
        return Ok(Vec::new());
    };
    let payer = end_users::find(&conn, sub.end_user_id).await?;
    let chat_id = request.chat.id.0;
    let asker = request.from.id.0 as i64;
    let is_payer = payer.as_ref().is_some_and(|p| p.telegram_id == asker && !p.banned);
    if is_payer && sub.status == "active" {
        subscriptions::mark_link_used(&mut conn, sub.id, ctx.app.clock.now()).await?;
        return Ok(vec![
            Effect::JoinRequest { chat_id, user_id: asker, approve: true },
            Effect::RevokeLink { chat_id, link: link.to_owned() },
        ]);
    }
    let mut effects = vec![Effect::JoinRequest { chat_id, user_id: asker, approve: false }];
    if let (Some(owner), Some(payer)) = (owners::find_by_id(&mut conn, owner_id).await?, payer) {
        let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
        let stranger = display_name_of(&request.from.full_name(), request.from.username.as_deref(), asker);
        let payer = display_name_of(&payer.full_name, payer.username.as_deref(), payer.telegram_id);
        let text = ctx.app.i18n.tr(
            lang,
            "owner-foreign-join",
            &[("name", &stranger), ("owner", &payer), ("title", &chat_label(&chat.kind, &chat.title))],
        );
        effects.push(Effect::Notify { chat_id: owner.telegram_id, text, keyboard: None }.later());
    }
    Ok(effects)
}

/// Someone's membership changed in one of the bot's chats: a subscriber's first join is
/// recorded and the owner told (unless muted).
pub async fn on_chat_member(
    ctx: &HandlerContext<'_>,
    change: &ChatMemberUpdated,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    if !change.new_chat_member.is_present() || change.old_chat_member.is_present() {
        return Ok(Vec::new());
    }
    let user_id = change.new_chat_member.user.id.0 as i64;
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    let Some(user) = end_users::by_telegram_id(&mut conn, user_bot_id, user_id).await? else { return Ok(Vec::new()) };
    let Some(chat) = channels::by_chat_id(&mut conn, user_bot_id, change.chat.id.0).await? else {
        return Ok(Vec::new());
    };
    let joined = subscriptions::mark_joined(&mut conn, user.id, chat.id, ctx.app.clock.now()).await?;
    let owner = owners::find_by_id(&mut conn, owner_id).await?;
    let (Some(_), Some(owner)) = (joined, owner.filter(|o| o.notify_joins)) else { return Ok(Vec::new()) };
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let who = display_name_of(&user.full_name, user.username.as_deref(), user.telegram_id);
    let text =
        ctx.app.i18n.tr(lang, "owner-joined", &[("name", &who), ("title", &chat_label(&chat.kind, &chat.title))]);
    Ok(vec![Effect::Inform { chat_id: owner.telegram_id, text }])
}

/// "🔗 Get my link": a new personal link for each active subscription whose chat the user
/// is not in (the old unused link is revoked), handed over by the bot (see [`Invite`]);
/// `press` names the press, so its redelivery hands over the same links.
pub async fn fresh_links(customer: &Customer<'_>, press: &str) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let subs = {
        let mut conn = customer.conn().await?;
        let mut subs = Vec::new();
        for sub in subscriptions::active_of_end_user(&mut conn, customer.user.id).await? {
            if let Some(chat) = channels::find(&conn, sub.channel_id).await? {
                subs.push((sub, chat));
            }
        }
        subs
    };
    if subs.is_empty() {
        return Ok((Some(customer.t("access-none")), Vec::new()));
    }
    let invites = subs.into_iter().map(|(sub, chat)| {
        let title = chat_label(&chat.kind, &chat.title);
        let text = customer.ta("access-fresh-link", &[("title", &title), ("link", LINK_SLOT)]);
        Effect::Invite(Box::new(Invite {
            subscription_id: sub.id,
            user_id: customer.user.telegram_id,
            name: format!("Getolog #{}", sub.payment_id.unwrap_or(sub.id)),
            text: Invite::around_link(&text),
            if_member: Some(customer.ta("access-already-in", &[("title", &title)])),
            otherwise: vec![send(customer.chat_id, customer.ta("access-link-failed", &[("title", &title)]))],
            delivery: format!("fresh:{press}:{}", sub.id),
        }))
    });
    Ok((None, invites.collect()))
}
