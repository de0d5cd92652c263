//! A seller bot: end users choose a language, see the offer, pay by card and get their
//! personal invite; the bot's own membership changes link its owner's channel and group;
//! join requests and joins on its links are handled here.

mod access;
pub(crate) mod actions;
mod checkout;
mod membership;
mod shop;
mod stars;
mod support;

use teloxide_core::types::{CallbackQuery, Message, Update, UpdateKind};

use self::{actions::Action, shop::Step};
use super::{
    common::{display_name, is_command, send},
    keyboards, Effect, HandlerContext, HandlerError,
};
use crate::{
    db::{
        end_users::{self, EndUser},
        owners::{self, Owner},
        DbConn, DbError,
    },
    i18n::Lang,
};

/// One end user's request to a seller bot.
pub(super) struct Customer<'a> {
    ctx: &'a HandlerContext<'a>,
    user: EndUser,
    lang: Lang,
    chat_id: i64,
    owner_id: i64,
}

impl Customer<'_> {
    fn t(&self, key: &str) -> String {
        self.ctx.app.i18n.tr(self.lang, key, &[])
    }

    fn ta(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.ctx.app.i18n.tr(self.lang, key, args)
    }

    async fn conn(&self) -> Result<DbConn<'_>, HandlerError> {
        Ok(self.ctx.app.db.get().await.map_err(DbError::from)?)
    }

    async fn owner(&self) -> Result<Option<Owner>, HandlerError> {
        let mut conn = self.conn().await?;
        Ok(owners::find_by_id(&mut conn, self.owner_id).await?)
    }

    async fn step(&self) -> Result<Option<Step>, HandlerError> {
        Ok(self.ctx.app.cache.load_step(self.ctx.bot.telegram_id, self.chat_id).await?)
    }

    async fn set_step(&self, step: &Step) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.save_step(self.ctx.bot.telegram_id, self.chat_id, step).await?)
    }

    async fn clear_step(&self) -> Result<(), HandlerError> {
        Ok(self.ctx.app.cache.clear_step(self.ctx.bot.telegram_id, self.chat_id).await?)
    }
}

/// Entry point of a seller bot's tree.
pub async fn handle(
    ctx: &HandlerContext<'_>,
    update: &Update,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    match &update.kind {
        UpdateKind::MyChatMember(change) => membership::on_my_chat_member(ctx, change, user_bot_id, owner_id).await,
        UpdateKind::ChatJoinRequest(request) => access::on_join_request(ctx, request, user_bot_id, owner_id).await,
        UpdateKind::ChatMember(change) => access::on_chat_member(ctx, change, user_bot_id, owner_id).await,
        UpdateKind::Message(msg) if msg.chat.is_private() && msg.successful_payment().is_some() => {
            stars::on_paid(ctx, msg, user_bot_id).await
        }
        UpdateKind::Message(msg) if msg.chat.is_private() => on_message(ctx, msg, user_bot_id, owner_id).await,
        UpdateKind::PreCheckoutQuery(query) => stars::on_pre_checkout(ctx, query, (user_bot_id, owner_id)).await,
        UpdateKind::Error(_) => match crate::telegram::stars::subscription_update(update) {
            Some(changed) => stars::on_subscription(ctx, &changed, user_bot_id).await,
            None => Ok(Vec::new()),
        },
        UpdateKind::Message(msg) => match super::group_upgrade(msg) {
            Some((old, new)) => {
                crate::services::channels::follow_upgrade(ctx.app, old, new).await?;
                Ok(Vec::new())
            }
            None => Ok(Vec::new()),
        },
        UpdateKind::CallbackQuery(query) => on_callback(ctx, query, user_bot_id, owner_id).await,
        _ => Ok(Vec::new()),
    }
}

/// A moderator banned the bot's owner: the bot tells customers the shop is closed and takes
/// no payments (subscriptions still end on time; an unban reopens it at once). The hot paths
/// (a message, the language button) learn it from the same statement that records the user.
async fn shop_closed(ctx: &HandlerContext<'_>, owner_id: i64) -> Result<bool, HandlerError> {
    let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
    Ok(crate::db::owner_directory::is_banned(&mut conn, owner_id).await?)
}

fn closed_notice(ctx: &HandlerContext<'_>, chat_id: i64, lang: Lang) -> Effect {
    send(chat_id, ctx.app.i18n.tr(lang, "shop-closed", &[]))
}

async fn on_message(
    ctx: &HandlerContext<'_>,
    msg: &Message,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let Some(from) = msg.from.as_ref() else { return Ok(Vec::new()) };
    let chat_id = msg.chat.id.0;
    let end_users::Touched { user, created, closed, paid_plan, tell_owner } = {
        // A lazy commit: a crash of PostgreSQL itself may lose the touch (see `Commits::Lazy`).
        let mut conn = ctx.app.db_lazy.get().await.map_err(DbError::from)?;
        let (owner, bot) = (owner_id, user_bot_id);
        let (username, now) = (from.username.as_deref(), ctx.app.clock.now());
        end_users::touch(&mut conn, (owner, bot), from.id.0 as i64, username, &display_name(from), now).await?
    };
    let lang = user
        .language
        .as_deref()
        .and_then(|l| l.parse().ok())
        .unwrap_or_else(|| Lang::from_telegram(from.language_code.as_deref()));
    if closed {
        return Ok(vec![closed_notice(ctx, chat_id, lang)]);
    }
    if user.banned {
        return Ok(vec![send(chat_id, ctx.app.i18n.tr(lang, "banned-notice", &[]))]);
    }
    let customer = Customer { ctx, user, lang, chat_id, owner_id };
    let mut effects = Vec::new();
    if let Some(owner) = tell_owner {
        effects.push(shop::new_customer_notice(&customer, owner));
    }
    let text = msg.text().unwrap_or_default();
    if is_command(text, "start") {
        if !created {
            customer.clear_step().await?; // a customer made just now has no step to leave
        }
        effects.push(shop::language_prompt(&customer, paid_plan));
        return Ok(effects);
    }
    if is_command(text, "support") {
        effects.extend(support::ask(&customer).await?);
        return Ok(effects);
    }
    if is_command(text, "cancel") {
        customer.clear_step().await?;
        effects.extend(shop::offer_screen(&customer, None).await?);
        return Ok(effects);
    }
    match customer.step().await? {
        Some(Step::Receipt { channel_id }) => effects.extend(shop::on_receipt(&customer, channel_id, msg).await?),
        Some(Step::Support) => effects.extend(support::relay(&customer, msg).await?),
        None if msg.photo().is_some() || msg.document().is_some() => {
            effects.extend(shop::on_loose_receipt(&customer, msg).await?)
        }
        None => effects.push(send(chat_id, customer.t("unknown-command"))),
    }
    Ok(effects)
}

async fn on_callback(
    ctx: &HandlerContext<'_>,
    query: &CallbackQuery,
    user_bot_id: i64,
    owner_id: i64,
) -> Result<Vec<Effect>, HandlerError> {
    let answer = |text: Option<String>| Effect::AnswerCallback { query_id: query.id.0.clone(), text };
    let fallback = Lang::from_telegram(query.from.language_code.as_deref());
    let chat_id = query.from.id.0 as i64;
    if let Some(lang) = query.data.as_deref().and_then(keyboards::parse_language) {
        let name = display_name(&query.from);
        let end_users::Chosen { user, closed, shop_version } = {
            // A lazy commit: a crash of PostgreSQL itself may lose the choice (`Commits::Lazy`).
            let mut conn = ctx.app.db_lazy.get().await.map_err(DbError::from)?;
            let now = ctx.app.clock.now();
            end_users::set_language(&mut conn, (owner_id, user_bot_id), chat_id, &name, lang.code(), now).await?
        };
        if closed {
            return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "shop-closed", &[])))]);
        }
        if user.banned {
            return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
        }
        let customer = Customer { ctx, user, lang, chat_id, owner_id };
        let mut effects = vec![answer(None)];
        effects.extend(shop::after_language(&customer, query, shop_version).await?);
        return Ok(effects);
    }
    let user = {
        let mut conn = ctx.app.db.get().await.map_err(DbError::from)?;
        end_users::by_telegram_id(&mut conn, user_bot_id, chat_id).await?
    };
    let (Some(action), Some(user)) = (query.data.as_deref().and_then(Action::parse), user) else {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(fallback, "stale-button", &[])))]);
    };
    if shop_closed(ctx, owner_id).await? {
        let lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(fallback);
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "shop-closed", &[])))]);
    }
    let lang = user.language.as_deref().and_then(|l| l.parse().ok()).unwrap_or(fallback);
    if user.banned {
        return Ok(vec![answer(Some(ctx.app.i18n.tr(lang, "banned-notice", &[])))]);
    }
    let customer = Customer { ctx, user, lang, chat_id, owner_id };
    let (toast, mut effects) = match action {
        Action::FreshLink => access::fresh_links(&customer, &query.id.0).await?,
        Action::Support => (None, support::ask(&customer).await?),
        Action::PayByPayme(channel_id) => {
            checkout::pay_through(&customer, (channel_id, checkout::Provider::Payme), query).await?
        }
        Action::PayByClick(channel_id) => {
            checkout::pay_through(&customer, (channel_id, checkout::Provider::Click), query).await?
        }
        Action::PayByUzum(channel_id) => {
            checkout::pay_through(&customer, (channel_id, checkout::Provider::Uzum), query).await?
        }
        Action::PayByStars(channel_id) => stars::pay_by_stars(&customer, channel_id).await?,
        action => shop::on_action(&customer, action, query).await?,
    };
    effects.insert(0, answer(toast));
    Ok(effects)
}
