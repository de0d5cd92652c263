//! The owner answers an end user's support message; the answer (text or photo) reaches the
//! user through the seller bot.

use teloxide_core::types::Message;

use super::{screens::Target, typing::Step, Session};
use crate::{
    db::{end_users, user_bots},
    handlers::{
        common::{media_of, send},
        Effect, HandlerError, Media, Sender,
    },
    i18n::Lang,
};

/// "Reply" under a support message: asks for the answer.
pub async fn ask(session: &Session<'_>, end_user_id: i64) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let user = {
        let mut conn = session.conn().await?;
        end_users::find_for_owner(&mut conn, session.owner.id, end_user_id).await?
    };
    let Some(user) = user else { return Ok((Some(session.t("stale-button")), Vec::new())) };
    session.set_step(&Step::SupportReply { end_user_id }).await?;
    let prompt = session.prompt(session.ta("support-reply-ask", &[("name", &user.full_name)]));
    Ok((None, vec![prompt.show(Target::New { chat_id: session.chat_id })]))
}

/// The owner's answer.
pub async fn answer(session: &Session<'_>, end_user_id: i64, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let media = media_of(msg);
    let text = msg.text().or(msg.caption()).unwrap_or_default().trim().to_owned();
    if text.is_empty() && media.is_none() {
        return Ok(vec![session
            .prompt(session.t("input-text-expected"))
            .show(Target::New { chat_id: session.chat_id })]);
    }
    let (user, bot) = {
        let mut conn = session.conn().await?;
        let Some(user) = end_users::find_for_owner(&mut conn, session.owner.id, end_user_id).await? else {
            drop(conn);
            session.clear_step().await?;
            return Ok(vec![send(session.chat_id, session.t("stale-button"))]);
        };
        let bot = user_bots::find(&mut conn, user.user_bot_id).await?;
        (user, bot)
    };
    session.clear_step().await?;
    let Some(bot) = bot else { return Ok(Vec::new()) };
    let lang: Lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(Lang::Uz);
    let heading = session.ctx.app.i18n.tr(lang, "support-from-seller", &[]);
    let body = if text.is_empty() { heading } else { format!("{heading}\n\n{text}") };
    let to_user = match media {
        Some((file_id, kind)) => Effect::SendMedia {
            via: Sender::This,
            chat_id: user.telegram_id,
            media: Media { kind, file_id, owner: Sender::Main },
            caption: body,
            keyboard: None,
        },
        None => Effect::Send { chat_id: user.telegram_id, text: body, keyboard: None },
    };
    Ok(vec![
        send(session.chat_id, session.ta("support-reply-sent", &[("name", &user.full_name)])),
        Effect::AsBot { telegram_bot_id: bot.telegram_bot_id, effects: vec![to_user] },
    ])
}
