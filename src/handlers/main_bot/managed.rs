//! One-tap shop bots (Bot API managed bots): the reply-keyboard button that asks Telegram to
//! create the owner's bot, the `managed_bot` update that connects it the way a pasted token
//! is connected, and a new token in one tap when Telegram stops accepting the old one.

use super::{
    screens::{Screen, Target},
    typing::refusal,
    Session,
};
use crate::{
    actors::supervisor::connect::ManagedOutcome,
    db::{owners, DbError},
    handlers::{common::send, Effect, HandlerContext, HandlerError},
    i18n::Lang,
    services::bots::{suggested_shop_bot, ConnectError},
    telegram::{
        errors::TelegramFailure,
        managed::{ManagedBotUpdated, ReplyKeyboard},
    },
};

/// Names the one button of the creation keyboard (Telegram wants a signed 32-bit id).
const CREATE_REQUEST_ID: i32 = 1;

type Pressed = (Option<String>, Vec<Effect>);

/// "🤖 Create my shop bot": the reply keyboard whose button opens Telegram's creation form,
/// pre-filled from the owner's name. Only while the owner has no bot and the main bot may
/// manage bots.
pub async fn offer(session: &Session<'_>, target: Target) -> Result<Pressed, HandlerError> {
    if !session.ctx.platform.can_manage_bots() {
        return Ok((Some(session.t("stale-button")), Vec::new()));
    }
    if let Some(bot) = session.bot().await? {
        let notice = session.ta("token-second-bot", &[("bot", &format!("@{}", bot.bot_username))]);
        return Ok((None, vec![session.menu_screen().await?.with_notice(notice).show(target)]));
    }
    let owner = &session.owner;
    let (suggested_name, suggested_username) =
        suggested_shop_bot(&owner.full_name, owner.username.as_deref(), owner.telegram_id);
    let keyboard = ReplyKeyboard::CreateBot {
        label: session.t("button-create-bot"),
        request_id: CREATE_REQUEST_ID,
        suggested_name,
        suggested_username,
    };
    let offer = Effect::SendReplyKeyboard { chat_id: session.chat_id, text: session.t("create-bot-offer"), keyboard };
    Ok((None, vec![offer]))
}

/// The `managed_bot` update: a bot the main bot manages was created, or its token changed.
/// A new bot's creator must be a registered owner with no other bot; then its token is
/// fetched and it is connected like a pasted one. A Telegram outage fails the update, so
/// Telegram delivers it again.
pub async fn on_created(ctx: &HandlerContext<'_>, created: ManagedBotUpdated) -> Result<Vec<Effect>, HandlerError> {
    let creator = created.user.id.0 as i64;
    let at = format!("@{}", created.bot.username.as_deref().unwrap_or_default());
    let owner = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        owners::find_by_telegram_id(&mut conn, creator).await?
    };
    let fallback = Lang::from_telegram(created.user.language_code.as_deref());
    let Some(owner) = owner else {
        tracing::info!(bot_id = created.bot.id.0, "a managed bot created by someone who is not an owner was refused");
        return Ok(vec![send(creator, ctx.app.i18n.tr(fallback, "managed-bot-stranger", &[("bot", &at)]))]);
    };
    let lang = owner.language.parse().unwrap_or(fallback);
    if owner.banned {
        return Ok(vec![send(creator, ctx.app.i18n.tr(lang, "banned-notice", &[]))]);
    }
    let session = Session { ctx, owner, lang, chat_id: creator };
    let here = Target::New { chat_id: creator };
    match ctx.platform.on_managed_update(session.owner.id, created.bot.id.0 as i64).await {
        Ok(ManagedOutcome::Connected(connected)) => {
            session.clear_step().await?;
            let key = if connected.renewed { "bot-renewed" } else { "bot-connected" };
            let live = session.ta(key, &[("bot", &format!("@{}", connected.username))]);
            Ok(vec![
                Effect::SendReplyKeyboard { chat_id: creator, text: live, keyboard: ReplyKeyboard::Remove },
                session.menu_screen().await?.show(here),
            ])
        }
        // A token change of a bot already connected (or of one left disconnected) is taken
        // quietly: the owner who pressed "Issue a new token" was answered there.
        Ok(ManagedOutcome::Renewed | ManagedOutcome::Ignored) => Ok(Vec::new()),
        Err(ConnectError::TelegramUnavailable(failure)) => {
            Err(HandlerError::Telegram(TelegramFailure::Transient(format!("managed bot not connected: {failure}"))))
        }
        Err(e) => {
            let text = refusal(&session, e)?;
            Ok(vec![Effect::SendReplyKeyboard { chat_id: creator, text, keyboard: ReplyKeyboard::Remove }])
        }
    }
}

/// "🔑 Issue a new token": the owner's managed bot gets a new token from Telegram and is
/// connected again with it, with no visit to @BotFather.
pub async fn reissue(session: &Session<'_>, target: Target) -> Result<Pressed, HandlerError> {
    let screen = |notice: String, screen: Screen| Ok((None, vec![screen.with_notice(notice).show(target)]));
    match session.ctx.platform.reissue_token(session.owner.id).await {
        Ok(connected) => {
            let notice = session.ta("bot-renewed", &[("bot", &format!("@{}", connected.username))]);
            screen(notice, session.menu_screen().await?)
        }
        Err(ConnectError::NotManaged) => screen(session.t("reissue-not-managed"), session.menu_screen().await?),
        Err(e) => {
            let text = refusal(session, e)?;
            Ok((Some(text), Vec::new()))
        }
    }
}
