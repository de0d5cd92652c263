//! Message methods: send, edit, copy, delete, callback answers.

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::markup;
use crate::simulator::methods::Ctx;
use crate::simulator::state::{now, BotMember, State};
use crate::simulator::types::{ChatKind, SentMessage};

/// Longest message text.
const MAX_TEXT: usize = 4096;
/// Longest caption.
const MAX_CAPTION: usize = 1024;
/// How long a pending join request lets the bot write to the requester.
const JOIN_REQUEST_WINDOW: i64 = 300;

/// Checks that `bot_id` may post into `chat_id`.
pub(crate) fn check_can_send(st: &State, bot_id: i64, chat_id: i64) -> Result<(), ApiError> {
    if let Some(chat) = st.chats.get(&chat_id) {
        let kind = chat.kind.as_str();
        return match chat.bots.get(&bot_id) {
            Some(BotMember::Admin(r)) if chat.kind == ChatKind::Channel && !r.can_post_messages => {
                Err(ApiError::bad("need administrator rights in the channel chat"))
            }
            Some(BotMember::Admin(_)) => Ok(()),
            Some(BotMember::Member) if chat.kind != ChatKind::Channel => Ok(()),
            Some(BotMember::Kicked) => Err(ApiError::forbidden(&format!("bot was kicked from the {kind} chat"))),
            _ => Err(ApiError::forbidden(&format!("bot is not a member of the {kind} chat"))),
        };
    }
    if chat_id <= 0 || !st.users.contains_key(&chat_id) {
        return Err(ApiError::bad("chat not found"));
    }
    let b = st.bots.get(&bot_id).ok_or_else(ApiError::unauthorized)?;
    if b.blocked.contains(&chat_id) {
        return Err(ApiError::forbidden("bot was blocked by the user"));
    }
    if b.started.contains(&chat_id) {
        return Ok(());
    }
    let t = now();
    let pending = st.chats.values().any(|c| {
        c.bot_rights(bot_id).is_some() && c.requests.get(&chat_id).is_some_and(|r| t - r.date <= JOIN_REQUEST_WINDOW)
    });
    if pending {
        Ok(())
    } else {
        Err(ApiError::forbidden("bot can't initiate conversation with a user"))
    }
}

/// Validates and returns the `reply_markup` parameter.
fn reply_markup(cx: &Ctx<'_, '_>) -> Result<Option<Value>, ApiError> {
    let Some(m) = cx.p.json("reply_markup")? else {
        return Ok(None);
    };
    if !m.is_object() {
        return Err(ApiError::bad("can't parse reply keyboard markup JSON object"));
    }
    if let Some(rows) = m.get("inline_keyboard") {
        let rows = rows.as_array().ok_or_else(|| {
            ApiError::bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object")
        })?;
        for b in rows.iter().flat_map(|r| r.as_array().into_iter().flatten()) {
            if b.get("text").and_then(Value::as_str).is_none_or(str::is_empty) {
                return Err(ApiError::bad(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                ));
            }
            if let Some(d) = b.get("callback_data").and_then(Value::as_str) {
                if d.is_empty() || d.len() > 64 {
                    return Err(ApiError::bad("BUTTON_DATA_INVALID"));
                }
            }
        }
    }
    Ok(Some(m))
}

/// Checks text/caption under `parse_mode`; returns (plain, raw).
fn checked_text(cx: &Ctx<'_, '_>, key: &str, required: bool) -> Result<(Option<String>, Option<String>), ApiError> {
    let raw = cx.p.str(key);
    let Some(raw) = raw else {
        if required {
            return Err(ApiError::bad("message text is empty"));
        }
        return Ok((None, None));
    };
    let mode = cx.p.str("parse_mode");
    let plain =
        markup::plain_text(&raw, mode.as_deref()).map_err(|e| ApiError::bad(&format!("can't parse entities: {e}")))?;
    if key == "text" {
        if plain.trim().is_empty() {
            return Err(ApiError::bad("message text is empty"));
        }
        if plain.chars().count() > MAX_TEXT {
            return Err(ApiError::bad("message is too long"));
        }
    } else if plain.chars().count() > MAX_CAPTION {
        return Err(ApiError::bad("message caption is too long"));
    }
    Ok((Some(plain), Some(raw)))
}

fn new_message(chat_id: i64, text: Option<String>, raw: Option<String>, parse_mode: Option<String>) -> SentMessage {
    SentMessage { text, raw_text: raw, parse_mode, ..SentMessage::blank(chat_id, true) }
}

pub(crate) fn send_message(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let (plain, raw) = checked_text(cx, "text", true)?;
    let markup = reply_markup(cx)?;
    check_can_send(cx.st, cx.bot_id, chat_id)?;
    if let Some(markup) = &markup {
        crate::simulator::managed::check_keyboard(cx.st, cx.bot_id, chat_id, markup)?;
    }
    let mut msg = new_message(chat_id, plain, raw, cx.p.str("parse_mode"));
    msg.reply_markup = markup;
    let msg = cx.st.push_message(cx.bot_id, msg);
    Ok(cx.st.message_json(cx.bot_id, &msg))
}

pub(crate) fn send_media(cx: &mut Ctx<'_, '_>, kind: &'static str) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let file = cx.p.str(kind).ok_or_else(|| ApiError::bad(&format!("there is no {kind} in the request")))?;
    let (plain, raw) = checked_text(cx, "caption", false)?;
    let markup = reply_markup(cx)?;
    check_can_send(cx.st, cx.bot_id, chat_id)?;
    let file_id = if file.starts_with("http://") || file.starts_with("https://") {
        let name = file.rsplit('/').next().map(str::to_owned);
        cx.st.add_file(cx.bot_id, kind, name, bytes::Bytes::new())
    } else {
        match cx.st.files.get(&file) {
            Some(f) if f.owner_bot == cx.bot_id => file,
            _ => return Err(ApiError::bad("wrong file identifier/HTTP URL specified")),
        }
    };
    let mut msg = new_message(chat_id, plain, raw, cx.p.str("parse_mode"));
    msg.reply_markup = markup;
    if kind == "photo" {
        msg.photo = Some(file_id);
    } else {
        msg.document = Some(file_id);
    }
    let msg = cx.st.push_message(cx.bot_id, msg);
    Ok(cx.st.message_json(cx.bot_id, &msg))
}

fn target(cx: &Ctx<'_, '_>) -> Result<(i64, i64), ApiError> {
    if cx.p.get("inline_message_id").is_some() {
        return Err(ApiError::bad("inline messages are not simulated"));
    }
    let chat_id = cx.p.chat_id("chat_id")?;
    let message_id = cx.p.i64("message_id")?.ok_or_else(|| ApiError::bad("message identifier is not specified"))?;
    Ok((chat_id, message_id))
}

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

pub(crate) fn edit_text(cx: &mut Ctx<'_, '_>, caption: bool) -> Result<Value, ApiError> {
    let (chat_id, message_id) = target(cx)?;
    let (plain, raw) = checked_text(cx, if caption { "caption" } else { "text" }, !caption)?;
    let markup = reply_markup(cx)?;
    let mode = cx.p.str("parse_mode");
    let bot_id = cx.bot_id;
    let m = cx.st.message_mut(bot_id, chat_id, message_id).ok_or_else(|| ApiError::bad("message to edit not found"))?;
    if !m.from_bot {
        return Err(ApiError::bad("message can't be edited"));
    }
    let is_media = m.photo.is_some() || m.document.is_some();
    if !caption && is_media {
        return Err(ApiError::bad("there is no text in the message to edit"));
    }
    if caption && !is_media {
        return Err(ApiError::bad("there is no caption in the message to edit"));
    }
    if m.text == plain && m.raw_text == raw && m.reply_markup == markup {
        return Err(ApiError::bad(NOT_MODIFIED));
    }
    m.text = plain;
    m.raw_text = raw;
    m.parse_mode = mode;
    m.reply_markup = markup;
    m.edited = true;
    let m = m.clone();
    Ok(cx.st.message_json(bot_id, &m))
}

pub(crate) fn edit_markup(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let (chat_id, message_id) = target(cx)?;
    let markup = reply_markup(cx)?;
    let bot_id = cx.bot_id;
    let m = cx.st.message_mut(bot_id, chat_id, message_id).ok_or_else(|| ApiError::bad("message to edit not found"))?;
    if !m.from_bot {
        return Err(ApiError::bad("message can't be edited"));
    }
    if m.reply_markup == markup {
        return Err(ApiError::bad(NOT_MODIFIED));
    }
    m.reply_markup = markup;
    m.edited = true;
    let m = m.clone();
    Ok(cx.st.message_json(bot_id, &m))
}

pub(crate) fn delete_message(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let (chat_id, message_id) = target(cx)?;
    let bot_id = cx.bot_id;
    let m =
        cx.st.message_mut(bot_id, chat_id, message_id).ok_or_else(|| ApiError::bad("message to delete not found"))?;
    m.deleted = true;
    Ok(json!(true))
}

pub(crate) fn copy_message(cx: &mut Ctx<'_, '_>, forward: bool) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let from_chat = cx.p.chat_id("from_chat_id")?;
    let message_id = cx.p.i64("message_id")?.ok_or_else(|| ApiError::bad("message identifier is not specified"))?;
    let caption = if forward { (None, None) } else { checked_text(cx, "caption", false)? };
    let markup = if forward { None } else { reply_markup(cx)? };
    let bot_id = cx.bot_id;
    let src = cx
        .st
        .message_mut(bot_id, from_chat, message_id)
        .ok_or_else(|| {
            ApiError::bad(if forward { "message to forward not found" } else { "message to copy not found" })
        })?
        .clone();
    check_can_send(cx.st, bot_id, chat_id)?;
    let mut msg = new_message(chat_id, src.text, src.raw_text, src.parse_mode);
    msg.photo = src.photo;
    msg.document = src.document;
    if let (Some(plain), Some(raw)) = caption {
        if msg.photo.is_some() || msg.document.is_some() {
            msg.text = Some(plain);
            msg.raw_text = Some(raw);
            msg.parse_mode = cx.p.str("parse_mode");
        }
    }
    msg.reply_markup = if forward { src.reply_markup } else { markup };
    let msg = cx.st.push_message(bot_id, msg);
    if forward {
        Ok(cx.st.message_json(bot_id, &msg))
    } else {
        Ok(json!({"message_id": msg.message_id}))
    }
}

pub(crate) fn answer_callback(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    const TOO_OLD: &str = "query is too old and response timeout expired or query ID is invalid";
    let id = cx.p.str("callback_query_id").ok_or_else(|| ApiError::bad("callback_query_id is empty"))?;
    if cx.p.str("text").is_some_and(|t| t.chars().count() > 200) {
        return Err(ApiError::bad("MESSAGE_TOO_LONG"));
    }
    let rec = cx
        .st
        .callbacks
        .get_mut(&id)
        .filter(|r| r.bot_id == cx.bot_id && !r.answered)
        .ok_or_else(|| ApiError::bad(TOO_OLD))?;
    rec.answered = true;
    Ok(json!(true))
}
