//! Small helpers both dispatch trees use: replies, names, command matching.

use teloxide_core::types::{CallbackQuery, User};

use super::Effect;

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
