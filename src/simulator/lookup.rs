//! Read-only chat methods: getChat, getChatMember, getChatMemberCount, getChatAdministrators.

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::chats::{member_of, visible_chat};
use crate::simulator::methods::Ctx;
use crate::simulator::state::{bot_member_json, member_json, BotMember, Status};
use crate::simulator::types::ChatKind;

/// `getChatMemberCount`: people present plus bots present.
pub(crate) fn member_count(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat = visible_chat(cx.st, cx.bot_id, cx.p.chat_id("chat_id")?)?;
    let people = chat.members.values().filter(|m| matches!(m, Status::Owner | Status::Member)).count();
    let bots = chat.bots.values().filter(|m| matches!(m, BotMember::Admin(_) | BotMember::Member)).count();
    Ok(json!(people + bots))
}

/// `getChatAdministrators`: the owner and admin bots.
pub(crate) fn administrators(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat = visible_chat(cx.st, cx.bot_id, cx.p.chat_id("chat_id")?)?;
    let mut list: Vec<Value> = chat.owner.iter().map(|o| member_json(cx.st.user_json(*o), Status::Owner)).collect();
    for (bot, m) in &chat.bots {
        if matches!(m, BotMember::Admin(_)) {
            list.push(bot_member_json(cx.st.bot_user_json(*bot), *m));
        }
    }
    Ok(Value::Array(list))
}

/// `getChat`: a `ChatFullInfo`.
pub(crate) fn get_chat(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let mut v = if cx.st.chats.contains_key(&chat_id) {
        let chat = visible_chat(cx.st, cx.bot_id, chat_id)?;
        let mut v = cx.st.chat_json(chat_id);
        if chat.kind == ChatKind::Supergroup {
            v["join_by_request"] = json!(false);
        }
        v
    } else if chat_id > 0 && cx.st.users.contains_key(&chat_id) {
        cx.st.chat_json(chat_id)
    } else {
        return Err(ApiError::bad("chat not found"));
    };
    v["accent_color_id"] = json!(0);
    v["max_reaction_count"] = json!(11);
    v["accepted_gift_types"] = json!({
        "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false
    });
    Ok(v)
}

/// `getChatMember`: a `ChatMember` for a person or bot.
pub(crate) fn get_member(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let user_id = cx.p.req_i64("user_id")?;
    let chat = visible_chat(cx.st, cx.bot_id, chat_id)?;
    if let Some(m) = chat.bots.get(&user_id) {
        return Ok(bot_member_json(cx.st.bot_user_json(user_id), *m));
    }
    if chat.owner == Some(user_id) {
        return Ok(member_json(cx.st.user_json(user_id), Status::Owner));
    }
    let m = member_of(cx.st, chat_id, user_id)?;
    Ok(member_json(cx.st.user_json(user_id), m))
}
