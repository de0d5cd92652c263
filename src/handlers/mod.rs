//! The dispatch trees, one per bot kind: the main Getolog bot (owners, moderators) and
//! seller bots (end users). Handlers read and write through `services`/`db` and return
//! [`Effect`]s; only the bot actor talks to Telegram.

pub(crate) mod common;
pub mod effects;
pub mod handover;
mod keyboards;
mod main_bot;
pub mod paid;
mod seller_bot;
pub mod tokens;

pub(crate) use main_bot::actions as main_bot_actions;
pub(crate) use seller_bot::actions as seller_bot_actions;

use teloxide_core::types::{Message, Update, UpdateKind};

pub use effects::{Button, Effect, Invite, Keyboard, Media, MediaKind, Sender, LINK_SLOT};

use crate::{cache::CacheError, db::DbError, platform::Platform, state::AppState};

/// Which handler tree a bot runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BotKind {
    /// The platform's own bot (from `BOT_TOKEN`).
    Main,
    /// An owner's seller bot.
    Seller {
        /// `user_bots.id`.
        user_bot_id: i64,
        /// `user_admins.id` of its owner.
        owner_id: i64,
    },
}

/// Who a bot is.
#[derive(Debug, Clone)]
pub struct BotProfile {
    /// Telegram id of the bot.
    pub telegram_id: i64,
    /// `@username` without `@`.
    pub username: String,
    /// Main or seller.
    pub kind: BotKind,
}

impl BotProfile {
    /// `"main"` or `"seller"`, for logs and metrics.
    pub fn kind_label(&self) -> &'static str {
        match self.kind {
            BotKind::Main => "main",
            BotKind::Seller { .. } => "seller",
        }
    }
}

/// A handler could not finish; the update should be redelivered.
#[derive(Debug, thiserror::Error)]
pub enum HandlerError {
    /// PostgreSQL failed.
    #[error(transparent)]
    Db(#[from] DbError),
    /// Redis failed.
    #[error(transparent)]
    Cache(#[from] CacheError),
    /// Telegram failed transiently in a call the handler needed the answer of.
    #[error("Telegram: {0:?}")]
    Telegram(crate::telegram::errors::TelegramFailure),
}

impl From<diesel::result::Error> for HandlerError {
    fn from(e: diesel::result::Error) -> Self {
        HandlerError::Db(DbError::Query(e))
    }
}

/// Everything a handler may use.
pub struct HandlerContext<'a> {
    /// The bot the update arrived at.
    pub bot: &'a BotProfile,
    /// Shared services.
    pub app: &'a AppState,
    /// Telegram for any bot, and the supervisor.
    pub platform: &'a Platform,
}

/// Routes one update to the tree of its bot and returns what to do.
pub async fn dispatch(ctx: &HandlerContext<'_>, update: &Update) -> Result<Vec<Effect>, HandlerError> {
    if let Some(trigger) = ctx.app.settings.test_panic_trigger.as_deref() {
        if let UpdateKind::Message(m) = &update.kind {
            if m.text() == Some(trigger) {
                panic!("test panic trigger received by bot {}", ctx.bot.telegram_id);
            }
        }
    }
    match ctx.bot.kind {
        BotKind::Main => main_bot::handle(ctx, update).await,
        BotKind::Seller { user_bot_id, owner_id } => seller_bot::handle(ctx, update, user_bot_id, owner_id).await,
    }
}

/// A language guess from the sender's Telegram settings, for messages sent before any
/// record is read (e.g. the rate limiter's notice).
pub fn lang_hint(update: &Update) -> crate::i18n::Lang {
    crate::i18n::Lang::from_telegram(update.from().and_then(|u| u.language_code.as_deref()))
}

/// Whether the product acts on this update at all. Anything else (the chatter of a group
/// the seller bot administers, other service messages, reactions) is acknowledged before
/// any claim, rate count or lane: it costs no Redis round trip and never queues ahead of a
/// paying customer's join request. A seller bot's group upgraded to a supergroup is acted on:
/// the linked chat must follow it.
pub fn acts_on(kind: &BotKind, update: &Update) -> bool {
    match &update.kind {
        // A service message teloxide-core does not know (`managed_bot_created`) reads as empty.
        UpdateKind::Message(message) if matches!(message.kind, teloxide_core::types::MessageKind::Empty { .. }) => {
            false
        }
        UpdateKind::Message(message) => {
            message.chat.is_private() || (matches!(kind, BotKind::Seller { .. }) && group_upgrade(message).is_some())
        }
        UpdateKind::CallbackQuery(_) => true,
        UpdateKind::MyChatMember(_) | UpdateKind::ChatJoinRequest(_) | UpdateKind::ChatMember(_) => {
            matches!(kind, BotKind::Seller { .. })
        }
        UpdateKind::PreCheckoutQuery(_) => matches!(kind, BotKind::Seller { .. }),
        UpdateKind::Error(_) => match kind {
            BotKind::Main => crate::telegram::managed::managed_bot(update).is_some(),
            BotKind::Seller { .. } => crate::telegram::stars::subscription_update(update).is_some(),
        },
        _ => false,
    }
}

/// `(old group id, new supergroup id)` when `message` is one of the two service messages
/// Telegram sends when a basic group is upgraded (`migrate_to_chat_id` in the old group,
/// `migrate_from_chat_id` in the new supergroup).
pub fn group_upgrade(message: &Message) -> Option<(i64, i64)> {
    if let Some(to) = message.migrate_to_chat_id() {
        return Some((message.chat.id.0, to.0));
    }
    message.migrate_from_chat_id().map(|from| (from.0, message.chat.id.0))
}

/// The chat an update belongs to (private chat of the sender for callback queries), which
/// decides the order lane it is handled in.
pub fn lane_of(update: &Update) -> i64 {
    let creator = || crate::telegram::managed::managed_bot(update).map(|m| m.user.id.0 as i64);
    let subscriber = || crate::telegram::stars::subscription_update(update).map(|s| s.user.id.0 as i64);
    update
        .chat()
        .map(|c| c.id.0)
        .or_else(|| update.from().map(|u| u.id.0 as i64))
        .or_else(creator)
        .or_else(subscriber)
        .unwrap_or(0)
}
