//! A seller bot: end users start it and choose their language here; the bot's own
//! membership changes link its owner's channel and group.

mod membership;

use teloxide_core::types::{CallbackQuery, Message, Update, UpdateKind};

use super::{
    common::{display_name, is_command, reply_in_place, send},
    keyboards, Effect, HandlerContext, HandlerError,
};
use crate::{
    db::{bot_settings, end_users},
    i18n::Lang,
};

/// Entry point of a seller bot's tree.
pub async fn handle(
    ctx: &HandlerContext<'_>,
    update: &Update,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    match &update.kind {
        UpdateKind::MyChatMember(change) => membership::on_my_chat_member(ctx, change, user_bot_id, owner_id).await,
        UpdateKind::Message(msg) if msg.chat.is_private() => on_message(ctx, msg, user_bot_id).await,
        UpdateKind::CallbackQuery(query) => on_callback(ctx, query, user_bot_id).await,
        _ => Ok(Vec::new()),
    }
}

async fn on_message(ctx: &HandlerContext<'_>, msg: &Message, user_bot_id: i64) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let chat_id = msg.chat.id.0;
    let mut conn = ctx.app.db.get().await.map_err(crate::db::DbError::from)?;
    let (user, _created) =
        end_users::touch(&mut conn, user_bot_id, from.id.0 as i64, from.username.as_deref(), &display_name(from))
            .await?;
    let lang = user
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| Lang::from_telegram(from.language_code.as_deref()));
    if user.banned {
        return Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "banned-notice", &[]))]);
    }
    if is_command(msg.text().unwrap_or_default(), "start") {
        return Ok(vec![Effect::Send {
            chat_id,
            text: ctx.app.i18n.tr(lang, "language-prompt", &[]),
            keyboard: Some(keyboards::language_keyboard()),
        }]);
    }
    Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "unknown-command", &[]))])
}

async fn on_callback(
    ctx: &HandlerContext<'_>,
    query: &CallbackQuery,
    user_bot_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let Some(lang) = query.data.as_deref().and_then(keyboards::parse_language) else {
        let lang = Lang::from_telegram(query.from.language_code.as_deref());
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "stale-button", &[])))]);
    };
    let name = display_name(&query.from);
    let mut conn = ctx.app.db.get().await.map_err(crate::db::DbError::from)?;
    let user = end_users::set_language(&mut conn, user_bot_id, query.from.id.0 as i64, &name, lang.code()).await?;
    if user.banned {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
    }
    let bot = format!("@{}", ctx.bot.username);
    let welcome = match bot_settings::welcome_text(&mut conn, user_bot_id, lang.code()).await? {
        Some(own) => own,
        None => ctx.app.i18n.tr(lang, "seller-welcome-default", &[("name", &name), ("bot", &bot)]),
    };
    Ok(vec![answer(None), reply_in_place(query, welcome)])
}
