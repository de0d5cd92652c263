//! The main Getolog bot: owners register, connect their seller bot, link its channel and
//! group and set their selling terms here.
//!
//! Buttons carry [`actions::Action`]s; typed input is read according to the chat's
//! [`typing::Step`], kept in Redis. Every screen is drawn from the records of the owner who
//! pressed or typed, never from what the button says about them.

pub(crate) mod actions;
mod buttons;
mod customers;
mod managed;
pub(crate) mod panel;
mod plan;
mod providers;
mod review;
mod screens;
mod stars;
mod stats;
mod support;
mod typing;

use teloxide_core::types::{CallbackQuery, Message, Update, UpdateKind};

use self::{
    actions::Action,
    screens::{Screen, Target},
    typing::Step,
};
use super::{
    common::{display_name, is_command, send},
    keyboards, Effect, HandlerContext, HandlerError,
};
use crate::{
    db::{
        bot_settings::{self, OwnedBot},
        owners::{self, Owner, OwnerProfile},
        DbConn, DbError,
    },
    i18n::Lang,
    services,
};

/// One owner's request: who they are, in which language and chat.
pub(super) struct Session<'a> {
    ctx: &'a HandlerContext<'a>,
    owner: Owner,
    lang: Lang,
    chat_id: i64,
}

impl Session<'_> {
    /// A translated text.
    fn t(&self, key: &str) -> String {
        self.ctx.app.i18n.tr(self.lang, key, &[])
    }

    /// A translated text with arguments.
    fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.ctx.app.i18n.tr(self.lang, key, args)
    }

    async fn conn(&self) -> Result<DbConn<'_>, HandlerError> {
        Ok(self.ctx.app.db.get().await.map_err(DbError::from)?)
    }

    /// The owner's connected bot.
    async fn bot(&self) -> Result<Option<OwnedBot>, HandlerError> {
        let mut conn = self.conn().await?;
        Ok(bot_settings::active_of_owner(&mut conn, self.owner.id).await?)
    }

    fn main_bot_id(&self) -> i64 {
        self.ctx.platform.main_bot_id
    }

    async fn set_step(&self, step: &Step) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.save_step(self.main_bot_id(), self.chat_id, step).await?)
    }

    async fn clear_step(&self) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.clear_step(self.main_bot_id(), self.chat_id).await?)
    }

    /// The main menu as it is now.
    async fn menu_screen(&self) -> Result<Screen, HandlerError> {
        Ok(self.menu(self.bot().await?.as_ref()))
    }
}

/// Entry point of the main bot's tree.
pub async fn handle(ctx: &HandlerContext<'_>, update: &Update) -> Result<Vec<Effect>, HandlerError> {
    match &update.kind {
        UpdateKind::Message(msg) if msg.chat.is_private() => on_message(ctx, msg).await,
        UpdateKind::CallbackQuery(query) => on_callback(ctx, query).await,
        _ => match crate::telegram::managed::managed_bot(update) {
            Some(created) => managed::on_created(ctx, created).await,
            None => Ok(Vec::new()),
        },
    }
}

async fn on_message(ctx: &HandlerContext<'_>, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let owner = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        owners::find_by_telegram_id(&mut conn, from.id.0 as i64).await?
    };
    let lang = owner
        .as_ref()
        .and_then(|o| o.language.parse().ok())
        .unwrap_or_else(|| Lang::from_telegram(from.language_code.as_deref()));
    let chat_id = msg.chat.id.0;
    if owner.as_ref().is_some_and(|o| o.banned) {
        return Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "banned-notice", &[]))]);
    }
    let text = msg.text().unwrap_or_default();
    if panel::is_moderator(ctx, from.id.0 as i64) {
        if is_command(text, "panel") {
            return panel::on_command(ctx, msg).await;
        }
        let step = ctx.app.cache.load_step::<Step>(ctx.platform.main_bot_id, chat_id).await?;
        if let Some(step) = step.filter(|s| s.is_moderators() && !is_command(text, "cancel")) {
            return panel::on_input(ctx, msg, step).await;
        }
    }
    // A token is a secret: whatever it was sent for, it does not stay in the chat history.
    let carries_token = crate::crypto::redact_tokens(text) != text;
    let mut effects = Vec::new();
    if carries_token {
        effects.push(Effect::Delete { chat_id, message_id: msg.id.0 });
    }
    effects.extend(owner_message(ctx, msg, owner, lang, text).await?);
    Ok(effects)
}

async fn owner_message(
    ctx: &HandlerContext<'_>,
    msg: &Message,
    owner: Option<Owner>,
    lang: Lang,
    text: &str,
) -> Result<Vec<Effect>, HandlerError> {
    let chat_id = msg.chat.id.0;
    if is_command(text, "start") {
        ctx.app.cache.clear_step(ctx.platform.main_bot_id, chat_id).await?;
        return Ok(vec![Effect::Send {
            chat_id,
            text: ctx.app.i18n.tr(lang, "language-prompt", &[]),
            keyboard: Some(keyboards::language_keyboard()),
        }]);
    }
    let Some(owner) = owner else {
        return Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "unknown-command", &[]))]);
    };
    let session = Session { ctx, owner, lang, chat_id };
    let here = Target::New { chat_id };
    if is_command(text, "cancel") {
        let had_step = session.ctx.app.cache.load_step::<Step>(session.main_bot_id(), chat_id).await?.is_some();
        session.clear_step().await?;
        let notice = session.t(if had_step { "cancelled" } else { "nothing-to-cancel" });
        return Ok(vec![session.menu_screen().await?.with_notice(notice).show(here)]);
    }
    if is_command(text, "menu") {
        session.clear_step().await?;
        return Ok(vec![session.menu_screen().await?.show(here)]);
    }
    if is_command(text, "stats") {
        session.clear_step().await?;
        return Ok(vec![stats::screen(&session, actions::Period::Today).await?.show(here)]);
    }
    if is_command(text, "plan") {
        session.clear_step().await?;
        return Ok(vec![plan::screen(&session).await?.show(here)]);
    }
    // A token is read as a token whatever step the chat is in (it must never become, say,
    // a public welcome text), and also without pressing "Connect" first.
    if crate::crypto::BotToken::parse(text).is_ok() {
        return typing::on_input(&session, Step::Token, msg).await;
    }
    if let Some(step) = session.ctx.app.cache.load_step::<Step>(session.main_bot_id(), chat_id).await? {
        return typing::on_input(&session, step, msg).await;
    }
    let notice = session.t("unknown-command");
    Ok(vec![session.menu_screen().await?.with_notice(notice).show(here)])
}

async fn on_callback(ctx: &HandlerContext<'_>, query: &CallbackQuery) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let fallback_lang = Lang::from_telegram(query.from.language_code.as_deref());
    if let Some(lang) = query.data.as_deref().and_then(keyboards::parse_language) {
        return on_language(ctx, query, lang).await;
    }
    // Anyone but a moderator falls through and is answered like any unknown button.
    if let Some(action) = query.data.as_deref().and_then(panel::actions::PanelAction::parse) {
        if panel::is_moderator(ctx, query.from.id.0 as i64) {
            return panel::on_callback(ctx, query, action).await;
        }
    }
    let owner = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        owners::find_by_telegram_id(&mut conn, query.from.id.0 as i64).await?
    };
    let known_lang = owner.as_ref().and_then(|o| o.language.parse().ok()).unwrap_or(fallback_lang);
    let (Some(action), Some(owner)) = (query.data.as_deref().and_then(Action::parse), owner) else {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(known_lang, "stale-button", &[])))]);
    };
    let lang = owner.language.parse().unwrap_or(fallback_lang);
    if owner.banned {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
    }
    let chat_id = query.from.id.0 as i64;
    let target = match query.message.as_ref() {
        Some(message) => Target::Edit { chat_id: message.chat().id.0, message_id: message.id().0 },
        None => Target::New { chat_id },
    };
    let session = Session { ctx, owner, lang, chat_id };
    let (toast, mut effects) = match action {
        Action::Approve(..)
        | Action::Reject(..)
        | Action::RejectPreset(..)
        | Action::RejectTyped(..)
        | Action::Review(..) => review::on_review(&session, action, query).await?,
        Action::SupportReply(end_user_id) => support::ask(&session, end_user_id).await?,
        Action::Customers(..)
        | Action::SearchCustomers
        | Action::Customer(_)
        | Action::BanCustomer(..)
        | Action::GrantChoose(_)
        | Action::GrantChat(..)
        | Action::Grant(..) => customers::on_action(&session, action, target).await?,
        Action::RefundStars(..) | Action::StopRenewal(..) => stars::on_action(&session, action, target).await?,
        Action::CreateBot => managed::offer(&session, target).await?,
        Action::ReissueToken => managed::reissue(&session, target).await?,
        Action::Plan => (None, vec![plan::screen(&session).await?.show(target)]),
        Action::BuyPlan(months) => (None, vec![plan::buy(&session, months).await?.show(target)]),
        Action::PayPlan(months, provider) => {
            (None, vec![plan::pay_through(&session, months, provider).await?.show(target)])
        }
        Action::Stats(period) => (None, vec![stats::screen(&session, period).await?.show(target)]),
        Action::StatsChart => (None, stats::chart(&session).await?),
        Action::ExportPayments(_) | Action::ExportSubscribers => (None, stats::export(&session, action).await?),
        action => buttons::on_action(&session, action, target).await?,
    };
    effects.insert(0, answer(toast));
    Ok(effects)
}

/// A language button: registers the owner (Free plan, moderators told) or changes their
/// language, then shows the menu.
async fn on_language(ctx: &HandlerContext<'_>, query: &CallbackQuery, lang: Lang) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let name = display_name(&query.from);
    let profile = OwnerProfile {
        telegram_id: query.from.id.0 as i64,
        username: query.from.username.as_deref(),
        full_name: &name,
        language: lang.code(),
    };
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    if owners::find_by_telegram_id(&mut conn, profile.telegram_id).await?.is_some_and(|o| o.banned) {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
    }
    // A new owner's announcement is stored in the same transaction (outbox).
    let (owner, created) = services::owners::register(&mut conn, &profile, ctx.app.clock.now()).await?;
    drop(conn);
    let chat_id = profile.telegram_id;
    let target = match query.message.as_ref() {
        Some(message) => Target::Edit { chat_id: message.chat().id.0, message_id: message.id().0 },
        None => Target::New { chat_id },
    };
    let session = Session { ctx, owner, lang, chat_id };
    let menu = session.menu_screen().await?;
    let screen = if created {
        menu.with_notice(session.ta("owner-welcome", &[("name", &session.owner.full_name)]))
    } else {
        menu.with_notice(session.t("language-saved"))
    };
    Ok(vec![answer(Some(session.t("language-saved"))), screen.show(target)])
}
