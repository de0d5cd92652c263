//! Chat methods: invite links, join requests, bans, chat and member lookups.

use serde_json::{json, Value};

use crate::simulator::api::ApiError;
use crate::simulator::delivery::Outgoing;
use crate::simulator::lookup;
use crate::simulator::methods::Ctx;
use crate::simulator::state::{member_json, now, random_string, BotMember, ChatState, InviteLink, State, Status};
use crate::simulator::types::Rights;

/// Runs the chat methods; unknown names give 404.
pub(crate) fn handle(cx: &mut Ctx<'_, '_>, method: &str) -> Result<Value, ApiError> {
    match method {
        "createChatInviteLink" => create_link(cx),
        "editChatInviteLink" => edit_link(cx),
        "revokeChatInviteLink" => revoke_link(cx),
        "approveChatJoinRequest" => answer_request(cx, true),
        "declineChatJoinRequest" => answer_request(cx, false),
        "banChatMember" => ban(cx),
        "unbanChatMember" => unban(cx),
        "getChat" => lookup::get_chat(cx),
        "getChatMember" => lookup::get_member(cx),
        "getChatMemberCount" => lookup::member_count(cx),
        "getChatAdministrators" => lookup::administrators(cx),
        "leaveChat" => {
            let chat_id = cx.p.chat_id("chat_id")?;
            visible_chat(cx.st, cx.bot_id, chat_id)?;
            if let Some(c) = cx.st.chats.get_mut(&chat_id) {
                c.bots.insert(cx.bot_id, BotMember::Left);
            }
            Ok(json!(true))
        }
        _ => Err(ApiError::new(404, "Not Found: method not found")),
    }
}

/// A chat the bot is (or was) in; never-seen chats are "not found".
pub(crate) fn visible_chat(st: &State, bot_id: i64, chat_id: i64) -> Result<&ChatState, ApiError> {
    let chat = st.chats.get(&chat_id).ok_or_else(|| ApiError::bad("chat not found"))?;
    let kind = chat.kind.as_str();
    match chat.bots.get(&bot_id) {
        None => Err(ApiError::bad("chat not found")),
        Some(BotMember::Kicked) => Err(ApiError::forbidden(&format!("bot was kicked from the {kind} chat"))),
        Some(BotMember::Left) => Err(ApiError::forbidden(&format!("bot is not a member of the {kind} chat"))),
        Some(_) => Ok(chat),
    }
}

/// The bot's rights in a chat, requiring one right (`need`) or failing with `not enough rights …`.
fn require(st: &State, bot_id: i64, chat_id: i64, need: fn(&Rights) -> bool, what: &str) -> Result<(), ApiError> {
    let chat = visible_chat(st, bot_id, chat_id)?;
    match chat.bot_rights(bot_id) {
        Some(r) if need(&r) => Ok(()),
        _ => Err(ApiError::bad(&format!("not enough rights to {what}"))),
    }
}

const INVITE: &str = "manage chat invite link";
const RESTRICT: &str = "restrict/unrestrict chat member";

/// `ChatInviteLink` object.
pub(crate) fn link_json(st: &State, l: &InviteLink) -> Value {
    let mut v = json!({
        "invite_link": l.link, "creator": st.bot_user_json(l.creator_bot),
        "creates_join_request": l.creates_join_request, "is_primary": false, "is_revoked": l.is_revoked,
    });
    if let Some(n) = &l.name {
        v["name"] = json!(n);
    }
    if let Some(d) = l.expire_date {
        v["expire_date"] = json!(d);
    }
    if let Some(m) = l.member_limit {
        v["member_limit"] = json!(m);
    }
    if l.creates_join_request {
        v["pending_join_request_count"] = json!(l.pending);
    }
    v
}

/// Reads and checks name / expire_date / member_limit / creates_join_request into `l`.
fn apply_link_params(cx: &Ctx<'_, '_>, l: &mut InviteLink) -> Result<(), ApiError> {
    if let Some(name) = cx.p.str("name") {
        if name.chars().count() > 32 {
            return Err(ApiError::bad("invite link name is too long"));
        }
        l.name = Some(name).filter(|n| !n.is_empty());
    }
    if let Some(d) = cx.p.i64("expire_date")? {
        l.expire_date = Some(d).filter(|d| *d != 0);
    }
    if let Some(m) = cx.p.i64("member_limit")? {
        if !(0..=99_999).contains(&m) {
            return Err(ApiError::bad("MEMBER_LIMIT_INVALID"));
        }
        l.member_limit = Some(m).filter(|m| *m != 0);
    }
    if cx.p.get("creates_join_request").is_some() {
        l.creates_join_request = cx.p.bool("creates_join_request");
    }
    if l.creates_join_request && l.member_limit.is_some() {
        return Err(ApiError::bad("member_limit can't be specified for links requiring administrator approval"));
    }
    Ok(())
}

fn create_link(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_invite_users, INVITE)?;
    let mut l = InviteLink {
        link: format!("https://t.me/+{}", random_string(16)),
        creator_bot: cx.bot_id,
        name: None,
        expire_date: None,
        member_limit: None,
        creates_join_request: false,
        is_revoked: false,
        joined: 0,
        pending: 0,
    };
    apply_link_params(cx, &mut l)?;
    let v = link_json(cx.st, &l);
    cx.st.link_index.insert(l.link.clone(), chat_id);
    if let Some(c) = cx.st.chats.get_mut(&chat_id) {
        c.links.insert(l.link.clone(), l);
    }
    Ok(v)
}

fn chat_link(cx: &Ctx<'_, '_>, chat_id: i64) -> Result<InviteLink, ApiError> {
    let link = cx.p.str("invite_link").unwrap_or_default();
    cx.st
        .chats
        .get(&chat_id)
        .and_then(|c| c.links.get(&link))
        .cloned()
        .ok_or_else(|| ApiError::bad("INVITE_HASH_EXPIRED"))
}

fn store_link(cx: &mut Ctx<'_, '_>, chat_id: i64, l: InviteLink) -> Value {
    let v = link_json(cx.st, &l);
    if let Some(c) = cx.st.chats.get_mut(&chat_id) {
        c.links.insert(l.link.clone(), l);
    }
    v
}

fn edit_link(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_invite_users, INVITE)?;
    let mut l = chat_link(cx, chat_id)?;
    if l.is_revoked {
        return Err(ApiError::bad("INVITE_HASH_EXPIRED"));
    }
    apply_link_params(cx, &mut l)?;
    Ok(store_link(cx, chat_id, l))
}

fn revoke_link(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_invite_users, INVITE)?;
    let mut l = chat_link(cx, chat_id)?;
    l.is_revoked = true;
    Ok(store_link(cx, chat_id, l))
}

/// Queues `chat_member` updates about `user_id` for every admin bot that asked for them.
pub(crate) fn member_updates(
    st: &mut State,
    chat_id: i64,
    user_id: i64,
    (old, new): (Status, Status),
    from: Value,
    invite_link: Option<Value>,
    via_join_request: bool,
) -> Vec<Outgoing> {
    let Some(chat) = st.chats.get(&chat_id) else {
        return Vec::new();
    };
    let admins: Vec<i64> =
        chat.bots.iter().filter(|(_, m)| matches!(m, BotMember::Admin(_))).map(|(b, _)| *b).collect();
    let user = st.user_json(user_id);
    let mut payload = json!({
        "chat": st.chat_json(chat_id), "from": from, "date": now(),
        "old_chat_member": member_json(user.clone(), old),
        "new_chat_member": member_json(user, new),
    });
    if let Some(l) = invite_link {
        payload["invite_link"] = l;
    }
    if via_join_request {
        payload["via_join_request"] = json!(true);
    }
    admins.into_iter().filter_map(|bot| st.make_update(bot, "chat_member", payload.clone()).ok()).collect()
}

pub(crate) fn member_of(st: &State, chat_id: i64, user_id: i64) -> Result<Status, ApiError> {
    if !st.users.contains_key(&user_id) {
        return Err(ApiError::bad("user not found"));
    }
    let chat = st.chats.get(&chat_id).ok_or_else(|| ApiError::bad("chat not found"))?;
    Ok(chat.members.get(&user_id).copied().unwrap_or(Status::Left))
}

fn set_member(cx: &mut Ctx<'_, '_>, chat_id: i64, user_id: i64, m: Status) {
    if let Some(c) = cx.st.chats.get_mut(&chat_id) {
        c.members.insert(user_id, m);
    }
}

fn answer_request(cx: &mut Ctx<'_, '_>, approve: bool) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let user_id = cx.p.req_i64("user_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_invite_users, INVITE)?;
    let chat = cx.st.chats.get_mut(&chat_id).ok_or_else(|| ApiError::bad("chat not found"))?;
    let req = chat.requests.remove(&user_id).ok_or_else(|| ApiError::bad("HIDE_REQUESTER_MISSING"))?;
    let mut link = req.link.and_then(|l| chat.links.get_mut(&l));
    if let Some(l) = link.as_deref_mut() {
        l.pending = (l.pending - 1).max(0);
        if approve {
            l.joined += 1;
        }
    }
    let link = link.map(|l| l.clone());
    if !approve {
        return Ok(json!(true));
    }
    let old = member_of(cx.st, chat_id, user_id)?;
    set_member(cx, chat_id, user_id, Status::Member);
    let link_v = link.map(|l| link_json(cx.st, &l));
    let from = cx.st.user_json(user_id);
    let ups = member_updates(cx.st, chat_id, user_id, (old, Status::Member), from, link_v, true);
    cx.out.extend(ups);
    Ok(json!(true))
}

fn ban(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let user_id = cx.p.req_i64("user_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_restrict_members, RESTRICT)?;
    let old = member_of(cx.st, chat_id, user_id)?;
    if old == Status::Owner {
        return Err(ApiError::bad("can't remove chat owner"));
    }
    let t = now();
    let until = cx.p.i64("until_date")?.unwrap_or(0);
    let until = if until - t < 30 || until - t > 366 * 86_400 { 0 } else { until };
    let new = Status::Kicked { until };
    set_member(cx, chat_id, user_id, new);
    if let Some(c) = cx.st.chats.get_mut(&chat_id) {
        c.requests.remove(&user_id);
    }
    if old != new {
        let from = cx.st.bot_user_json(cx.bot_id);
        let ups = member_updates(cx.st, chat_id, user_id, (old, new), from, None, false);
        cx.out.extend(ups);
    }
    Ok(json!(true))
}

fn unban(cx: &mut Ctx<'_, '_>) -> Result<Value, ApiError> {
    let chat_id = cx.p.chat_id("chat_id")?;
    let user_id = cx.p.req_i64("user_id")?;
    require(cx.st, cx.bot_id, chat_id, |r| r.can_restrict_members, RESTRICT)?;
    let old = member_of(cx.st, chat_id, user_id)?;
    let only_if_banned = cx.p.bool("only_if_banned");
    let new = match old {
        Status::Owner => return Err(ApiError::bad("can't remove chat owner")),
        Status::Kicked { .. } => Status::Left,
        Status::Member if !only_if_banned => Status::Left,
        other => other,
    };
    if old != new {
        set_member(cx, chat_id, user_id, new);
        let from = cx.st.bot_user_json(cx.bot_id);
        let ups = member_updates(cx.st, chat_id, user_id, (old, new), from, None, false);
        cx.out.extend(ups);
    }
    Ok(json!(true))
}
