//! How the jobs talk to people: end users through their seller bot (with a Renew button),
//! owners through the main bot; every message in the recipient's language and through the
//! sender's throttled client (Telegram's per-bot and per-chat limits, `retry_after`).

use chrono::{DateTime, Utc};
use teloxide_core::{
    payloads::SendMessageSetters,
    requests::Requester,
    types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup},
};

use super::Jobs;
use crate::{
    handlers::seller_bot_actions::Action,
    i18n::Lang,
    telegram::{
        errors::{classify, TelegramFailure},
        BotClient,
    },
};

/// The language stored for a person, Uzbek when none was chosen.
pub(super) fn lang_of(code: Option<&str>) -> Lang {
    code.and_then(|c| c.parse().ok()).unwrap_or(Lang::Uz)
}

/// Whole days left until `end` (rounded up, at least 1), for "ends in N days".
pub(super) fn days_left(now: DateTime<Utc>, end: DateTime<Utc>) -> i64 {
    let hours = (end - now).num_hours().max(1);
    (hours + 23) / 24
}

impl Jobs {
    /// A date for people in the platform's time zone.
    pub(super) fn date(&self, at: DateTime<Utc>) -> String {
        crate::handlers::common::date_text(at, self.app.settings.timezone)
    }

    /// Sends an end user a message from the seller bot, with a button to renew the chat when
    /// `renew` names it.
    pub(super) async fn tell_end_user(
        &self,
        client: &BotClient,
        lang: Lang,
        user_id: i64,
        text: String,
        renew: Option<(i64, &str)>,
    ) -> Result<(), TelegramFailure> {
        let request = client.throttled().send_message(ChatId(user_id), text);
        let sent = match renew {
            Some((channel_id, title)) => {
                let renew = self.app.i18n.tr(lang, "button-renew", &[("title", title)]);
                let button = InlineKeyboardButton::callback(renew, Action::Buy(channel_id).data());
                request.reply_markup(InlineKeyboardMarkup::new([[button]])).await
            }
            None => request.await,
        };
        sent.map(drop).map_err(|e| classify(&e))
    }

    /// Sends an owner (or moderator) a message from the main bot.
    pub(super) async fn tell_owner(&self, chat_id: i64, text: String) -> Result<(), TelegramFailure> {
        let sent = self.platform.main.throttled().send_message(ChatId(chat_id), text).await;
        sent.map(drop).map_err(|e| classify(&e))
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn days_left_round_up() {
        let now = Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap();
        assert_eq!(days_left(now, now + chrono::Duration::hours(72)), 3);
        assert_eq!(days_left(now, now + chrono::Duration::hours(50)), 3);
        assert_eq!(days_left(now, now + chrono::Duration::hours(24)), 1);
        assert_eq!(days_left(now, now + chrono::Duration::minutes(5)), 1);
    }

    #[test]
    fn unknown_languages_fall_back_to_uzbek() {
        assert_eq!(lang_of(Some("ru")), Lang::Ru);
        assert_eq!(lang_of(None), Lang::Uz);
        assert_eq!(lang_of(Some("xx")), Lang::Uz);
    }
}
