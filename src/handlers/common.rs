//! Small helpers both dispatch trees use: replies, names, command matching.

use teloxide_core::types::{CallbackQuery, Message, User};

use bigdecimal::BigDecimal;
use chrono::{DateTime, Utc};

use super::{Effect, MediaKind};
use crate::{
    i18n::{I18n, Lang},
    services::input::format_amount,
};

/// Replaces the message a button belongs to, or sends a new one when it is too old to edit.
pub(super) fn reply_in_place(query: &CallbackQuery, text: String) -> Effect {
    match query.message.as_ref() {
        Some(message) => {
            Effect::Edit { chat_id: message.chat().id.0, message_id: message.id().0, text, keyboard: None }
        }
        None => send(query.from.id.0 as i64, text),
    }
}

pub(super) fn send(chat_id: i64, text: String) -> Effect {
    Effect::Send { chat_id, text, keyboard: None }
}

/// First and last name, falling back to the username.
pub(super) fn display_name(user: &User) -> String {
    let name = user.full_name();
    if name.trim().is_empty() {
        user.username.clone().unwrap_or_default()
    } else {
        name
    }
}

/// `/start`, `/start payload` or `/start@bot` (case-sensitive, like Telegram clients send it).
pub(super) fn is_command(text: &str, command: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    let Some(name) = first.strip_prefix('/') else { return false };
    name.split('@').next() == Some(command)
}

/// "1 month", "6 months", "lifetime" in a language.
pub(crate) fn period_text(i18n: &I18n, lang: Lang, months: i32) -> String {
    match months {
        0 => i18n.tr(lang, "period-lifetime", &[]),
        months => i18n.tr(lang, "period-months", &[("count", &months.to_string())]),
    }
}

/// "50 000 UZS / 1 month".
pub(super) fn terms_text(i18n: &I18n, lang: Lang, price: &BigDecimal, currency: &str, months: i32) -> String {
    format!("{} {currency} / {}", format_amount(price), period_text(i18n, lang, months))
}

/// A chat's terms in the offer: its price, its price in Stars, or both, and the period
/// ("50 000 UZS · 250 ⭐ / 1 month").
pub(super) fn offer_terms(
    i18n: &I18n,
    lang: Lang,
    chat: &crate::db::channels::Channel,
    price: Option<&BigDecimal>,
    stars: Option<i32>,
) -> String {
    let period = period_text(i18n, lang, chat.duration_months);
    match (price, stars) {
        (Some(price), Some(stars)) => format!("{} {} · {stars} ⭐ / {period}", format_amount(price), chat.currency),
        (Some(price), None) => format!("{} {} / {period}", format_amount(price), chat.currency),
        (None, Some(stars)) => format!("{stars} ⭐ / {period}"),
        (None, None) => period,
    }
}

/// Approved revenue per payment method: "Card transfer 50 000 UZS · 💳 Payme 100 000 UZS".
pub(crate) fn methods_text(i18n: &I18n, lang: Lang, sums: &[crate::db::owner_stats::MethodSum]) -> String {
    if sums.is_empty() {
        return "0".into();
    }
    sums.iter()
        .map(|s| {
            format!(
                "{} {} {}",
                i18n.tr(lang, &format!("method-{}", s.method), &[]),
                format_amount(&s.total),
                s.currency
            )
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// "Aziza (@aziza, id 42)": who a person is, for an owner.
pub(crate) fn display_name_of(full_name: &str, username: Option<&str>, telegram_id: i64) -> String {
    match username {
        Some(username) => format!("{full_name} (@{username}, id {telegram_id})"),
        None => format!("{full_name} (id {telegram_id})"),
    }
}

/// The photo (largest size) or document a message carries: its file id and kind.
/// The `file_unique_id` of a message's photo or document (the same file sent again has the
/// same one).
pub(super) fn unique_id_of(msg: &Message) -> Option<String> {
    match msg.photo().and_then(|sizes| sizes.last()) {
        Some(largest) => Some(largest.file.unique_id.0.clone()),
        None => msg.document().map(|doc| doc.file.unique_id.0.clone()),
    }
}

pub(super) fn media_of(msg: &Message) -> Option<(String, MediaKind)> {
    if let Some(largest) = msg.photo().and_then(|sizes| sizes.last()) {
        return Some((largest.file.id.0.clone(), MediaKind::Photo));
    }
    msg.document().map(|doc| (doc.file.id.0.clone(), MediaKind::Document))
}

/// A date for people, in the platform's time zone: `25.12.2026`.
pub(crate) fn date_text(at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
    at.with_timezone(&tz).format("%d.%m.%Y").to_string()
}

/// 📢 or 👥 and the title.
pub(crate) fn chat_label(kind: &str, title: &str) -> String {
    let icon = if kind == "channel" { "📢" } else { "👥" };
    format!("{icon} {title}")
}

#[cfg(test)]
mod tests {
    use super::is_command;

    #[test]
    fn commands_are_recognised() {
        assert!(is_command("/start", "start"));
        assert!(is_command("/start abc", "start"));
        assert!(is_command("/start@shop_bot", "start"));
        assert!(!is_command("start", "start"));
        assert!(!is_command("/started", "start"));
        assert!(!is_command("", "start"));
    }
}
