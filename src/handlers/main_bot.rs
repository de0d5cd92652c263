//! The main Getolog bot: owners register and choose their language here.

use teloxide_core::types::{CallbackQuery, Message, Update, UpdateKind};

use super::{
    common::{display_name, is_command, reply_in_place, send},
    keyboards, Effect, HandlerContext, HandlerError,
};
use crate::{
    db::owners::{self, OwnerProfile},
    i18n::Lang,
    services,
};

/// Entry point of the main bot's tree.
pub async fn handle(ctx: &HandlerContext<'_>, update: &Update) -> Result<Vec<Effect>, HandlerError> {
    match &update.kind {
        UpdateKind::Message(msg) if msg.chat.is_private() => on_message(ctx, msg).await,
        UpdateKind::CallbackQuery(query) => on_callback(ctx, query).await,
        _ => Ok(Vec::new()),
    }
}

async fn on_message(ctx: &HandlerContext<'_>, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let mut conn = ctx.app.db.get().await.map_err(crate::db::DbError::from)?;
    let owner = owners::find_by_telegram_id(&mut conn, from.id.0 as i64).await?;
    let lang = owner
        .as_ref()
        .and_then(|o| o.language.parse().ok())
        .unwrap_or_else(|| Lang::from_telegram(from.language_code.as_deref()));
    let chat_id = msg.chat.id.0;
    if owner.as_ref().is_some_and(|o| o.banned) {
        return Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "banned-notice", &[]))]);
    }
    let text = msg.text().unwrap_or_default();
    if is_command(text, "start") {
        return Ok(vec![Effect::Send {
            chat_id,
            text: ctx.app.i18n.tr(lang, "language-prompt", &[]),
            keyboard: Some(keyboards::language_keyboard()),
        }]);
    }
    Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "unknown-command", &[]))])
}

async fn on_callback(ctx: &HandlerContext<'_>, query: &CallbackQuery) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let Some(lang) = query.data.as_deref().and_then(keyboards::parse_language) else {
        let lang = Lang::from_telegram(query.from.language_code.as_deref());
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "stale-button", &[])))]);
    };
    let name = display_name(&query.from);
    let profile = OwnerProfile {
        telegram_id: query.from.id.0 as i64,
        username: query.from.username.as_deref(),
        full_name: &name,
        language: lang.code(),
    };
    let mut conn = ctx.app.db.get().await.map_err(crate::db::DbError::from)?;
    if owners::find_by_telegram_id(&mut conn, profile.telegram_id).await?.is_some_and(|o| o.banned) {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
    }
    // A new owner's announcement is stored in the same transaction (outbox).
    let (owner, _created) = services::owners::register(&mut conn, &profile).await?;
    let effects = vec![
        answer(Some(ctx.app.i18n.tr(lang, "language-saved", &[]))),
        reply_in_place(query, ctx.app.i18n.tr(lang, "owner-welcome", &[("name", &owner.full_name)])),
    ];
    Ok(effects)
}
