//! Typed input: the step a chat is in says what the next text means. A refused input keeps
//! the step (the owner just tries again); `/cancel` leaves it.

use teloxide_core::types::Message;

use super::{screens::Target, Session};
use crate::{
    db::{
        bot_settings::{self, SettingChange},
        channels::{self, Terms},
    },
    handlers::{Effect, HandlerError},
    i18n::Lang,
    services::{
        bots::ConnectError,
        input::{parse_card_number, parse_holder_name, parse_price},
    },
};

/// Longest welcome text an owner may set (Telegram allows 4096; the offer follows it).
pub const MAX_WELCOME_CHARS: usize = 1000;

/// What the chat's next text is for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum Step {
    /// A bot token (connect, or replace the token of the same bot).
    Token,
    /// The price of one chat.
    Price {
        /// `channels.id`.
        channel_id: i64,
    },
    /// The price of one chat in Telegram Stars.
    StarsPrice {
        /// `channels.id`.
        channel_id: i64,
    },
    /// The card number.
    Card,
    /// The card holder's name.
    Holder,
    /// A value a payment provider needs.
    PaymentField {
        /// Which value.
        field: super::providers::Field,
    },
    /// The welcome text of one language.
    Welcome {
        /// The language.
        lang: Lang,
    },
    /// An answer to an end user's support message (text or photo).
    SupportReply {
        /// `end_users.id`.
        end_user_id: i64,
    },
    /// A search among the bot's end users.
    CustomerSearch,
    /// The reason for rejecting a payment.
    RejectReason {
        /// `payments.id`.
        payment_id: i64,
        /// The revision the owner's copy showed (1 for a step stored before revisions).
        #[serde(default = "first_revision")]
        revision: i32,
    },
    /// The receipt for a plan of some months.
    PlanReceipt {
        /// 1, 6 or 12.
        months: i32,
    },
    /// A moderator's search among owners.
    OwnerSearch,
    /// A moderator's reason for rejecting a plan payment.
    PlanRejectReason {
        /// `platform_payments.id`.
        payment_id: i64,
        /// The revision the moderator's copy showed (1 for a step stored before revisions).
        #[serde(default = "first_revision")]
        revision: i32,
    },
}

/// A payment's first revision: what a step stored before revisions existed saw.
fn first_revision() -> i32 {
    1
}

impl Step {
    /// Whether the step belongs to the moderator panel.
    pub fn is_moderators(&self) -> bool {
        matches!(self, Step::OwnerSearch | Step::PlanRejectReason { .. })
    }
}

/// Reads one message for the current step.
pub async fn on_input(session: &Session<'_>, step: Step, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    if let Step::SupportReply { end_user_id } = step {
        return super::support::answer(session, end_user_id, msg).await;
    }
    if let Step::PlanReceipt { months } = step {
        return super::plan::on_receipt(session, months, msg).await;
    }
    let Some(text) = msg.text() else {
        return Ok(vec![session.prompt(session.t("input-text-expected")).show(here)]);
    };
    match step {
        _ if text.starts_with('/') => Ok(vec![session.prompt(session.t("input-not-a-command")).show(here)]),
        Step::Token => on_token(session, text).await,
        Step::Price { channel_id } => on_price(session, channel_id, text).await,
        Step::StarsPrice { channel_id } => match crate::services::stars::parse_price(text) {
            Ok(stars) => on_terms(session, channel_id, Terms::Stars(Some(stars))).await,
            Err(e) => Ok(vec![session.prompt(session.t(e.message_key())).show(here)]),
        },
        Step::Card => match parse_card_number(text) {
            Ok(digits) => save_setting(session, SettingChange::Card(digits), "card-saved").await,
            Err(e) => Ok(vec![session.prompt(session.t(e.message_key())).show(here)]),
        },
        Step::Holder => match parse_holder_name(text) {
            Ok(name) => save_setting(session, SettingChange::Holder(name), "holder-saved").await,
            Err(e) => Ok(vec![session.prompt(session.t(e.message_key())).show(here)]),
        },
        Step::Welcome { lang } => on_welcome(session, lang, text).await,
        Step::PaymentField { field } => super::providers::on_input(session, field, msg, text).await,
        // answered above, or by the moderator panel
        Step::SupportReply { .. } | Step::PlanReceipt { .. } | Step::OwnerSearch | Step::PlanRejectReason { .. } => {
            Ok(Vec::new())
        }
        Step::CustomerSearch => {
            session.clear_step().await?;
            let (_, effects) = super::customers::list(session, 0, Some(text), here).await?;
            Ok(effects)
        }
        Step::RejectReason { payment_id, revision } => {
            let reason = super::review::Reason::Typed(text.trim());
            let (toast, mut effects) = super::review::reject(session, (payment_id, revision), reason, None).await?;
            session.clear_step().await?;
            let done = match toast {
                Some(toast) => toast,
                None => session.ta("review-rejected-typed", &[("id", &payment_id.to_string())]),
            };
            effects.insert(0, crate::handlers::common::send(session.chat_id, done));
            Ok(effects)
        }
    }
}

async fn on_token(session: &Session<'_>, text: &str) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let (ctx, owner_id) = (session.ctx, session.owner.id);
    match ctx.platform.connect_bot(owner_id, text).await {
        Ok(connected) => {
            session.clear_step().await?;
            let at = format!("@{}", connected.username);
            let key = if connected.renewed { "bot-renewed" } else { "bot-connected" };
            let notice = session.ta(key, &[("bot", &at)]);
            Ok(vec![session.menu_screen().await?.with_notice(notice).show(here)])
        }
        Err(e) => Ok(vec![session.prompt(refusal(session, e)?).show(here)]),
    }
}

/// What the owner is told when a bot was not connected (a storage failure is an error).
pub fn refusal(session: &Session<'_>, error: ConnectError) -> Result<String, HandlerError> {
    Ok(match error {
        ConnectError::Storage(e) => return Err(e.into()),
        ConnectError::Malformed => session.t("token-malformed"),
        ConnectError::PlatformToken => session.t("token-platform"),
        ConnectError::Refused => session.t("token-refused"),
        ConnectError::TelegramUnavailable(failure) => {
            tracing::warn!(?failure, "Telegram failed while connecting a bot");
            session.t("token-telegram-unavailable")
        }
        ConnectError::TakenByAnother => session.t("token-taken"),
        ConnectError::OwnerHasAnotherBot(username) => {
            session.ta("token-second-bot", &[("bot", &format!("@{username}"))])
        }
        ConnectError::NotManaged => session.t("reissue-not-managed"),
        ConnectError::Disconnected => session.t("stale-button"),
    })
}

async fn on_price(session: &Session<'_>, channel_id: i64, text: &str) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    match parse_price(text) {
        Ok(price) => on_terms(session, channel_id, Terms::Price(price)).await,
        Err(e) => Ok(vec![session.prompt(session.t(e.message_key())).show(here)]),
    }
}

/// A typed price (in the chat's currency, or in Stars) stored on a chat the owner still sells.
async fn on_terms(session: &Session<'_>, channel_id: i64, terms: Terms) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let mut conn = session.conn().await?;
    let sellable = |c: &channels::Channel| matches!(c.link_status.as_str(), "linked" | "broken");
    let found = channels::find_for_owner(&mut conn, session.owner.id, channel_id).await?.filter(sellable);
    let Some(chat) = found else {
        drop(conn);
        session.clear_step().await?;
        return Ok(vec![session.menu_screen().await?.with_notice(session.t("stale-button")).show(here)]);
    };
    let chat = channels::set_terms(&mut conn, chat.id, terms).await?;
    drop(conn);
    session.clear_step().await?;
    let notice = session.ta("price-saved", &[("terms", &session.terms_text(&chat))]);
    Ok(vec![session.channel_screen(&chat).with_notice(notice).show(here)])
}

async fn on_welcome(session: &Session<'_>, lang: Lang, text: &str) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let text = text.trim();
    if crate::crypto::redact_tokens(text) != text {
        return Ok(vec![session.prompt(session.t("welcome-has-token")).show(here)]);
    }
    if text.chars().count() > MAX_WELCOME_CHARS {
        let max = MAX_WELCOME_CHARS.to_string();
        return Ok(vec![session.prompt(session.ta("welcome-too-long", &[("count", &max)])).show(here)]);
    }
    let Some(bot) = session.bot().await? else {
        session.clear_step().await?;
        return Ok(vec![session.menu_screen().await?.show(here)]);
    };
    let mut texts = bot.welcome_message.clone();
    if !texts.is_object() {
        texts = serde_json::json!({});
    }
    texts[lang.code()] = serde_json::Value::String(text.to_owned());
    save_setting(session, SettingChange::Welcome(texts), "welcome-saved").await
}

/// Stores a setting, leaves the step and shows the settings screen with a notice.
pub async fn save_setting(
    session: &Session<'_>,
    change: SettingChange,
    notice_key: &str,
) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let saved = {
        let mut conn = session.conn().await?;
        bot_settings::change(&mut conn, session.owner.id, change).await?
    };
    session.clear_step().await?;
    Ok(vec![match saved {
        Some(bot) => session.settings_screen(&bot).with_notice(session.t(notice_key)).show(here),
        None => session.menu_screen().await?.with_notice(session.t("stale-button")).show(here),
    }])
}
