//! The simulator's mutable world: bots, users, chats, messages, files, links.
//!
//! Everything lives in one [`State`] behind a `std::sync::Mutex`; handlers lock it for short,
//! synchronous sections and never across an `.await`.

use std::collections::{HashMap, HashSet, VecDeque};

use bytes::Bytes;
use serde_json::{json, Value};

use crate::simulator::types::{ChatKind, FaultRule, Rights, SentMessage, SimBot, SimUser, WebhookInfo};

/// How many messages are kept per (bot, chat) log before the oldest are dropped.
pub(crate) const MESSAGES_PER_CHAT: usize = 2000;
/// How many delivered updates are kept per bot for [`redeliver`](super::Simulator::redeliver)
/// (Telegram keeps an unanswered update for a day; a burst to one bot leaves tens of thousands).
pub(crate) const UPDATES_PER_BOT: usize = 100_000;

/// Per-bot state.
pub(crate) struct BotState {
    pub sim: SimBot,
    pub revoked: bool,
    pub webhook: Option<WebhookInfo>,
    /// Kept across `deleteWebhook` and when `setWebhook` omits it.
    pub allowed_updates: Vec<String>,
    pub next_update_id: i64,
    /// Users who started the bot (sent it anything).
    pub started: HashSet<i64>,
    /// Users who blocked the bot.
    pub blocked: HashSet<i64>,
    pub commands: Value,
    /// Recently delivered updates, for redelivery.
    pub updates: VecDeque<(i64, Value)>,
    /// Bot management switched on in @BotFather (`can_manage_bots`).
    pub can_manage_bots: bool,
    /// The bot that manages this one (it was created through it), and who created it.
    pub manager: Option<i64>,
    /// The user who created it through its manager.
    pub creator: Option<i64>,
    /// Display name, when it is not the username.
    pub first_name: String,
}

/// Status of a person in a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Status {
    Owner,
    Member,
    Left,
    Kicked { until: i64 },
}

/// Status of a bot in a chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum BotMember {
    Admin(Rights),
    Member,
    Kicked,
    Left,
}

/// A chat invite link.
#[derive(Clone, Debug)]
pub(crate) struct InviteLink {
    pub link: String,
    pub creator_bot: i64,
    pub name: Option<String>,
    pub expire_date: Option<i64>,
    pub member_limit: Option<i64>,
    pub creates_join_request: bool,
    pub is_revoked: bool,
    pub joined: i64,
    pub pending: i64,
}

/// A pending join request.
#[derive(Clone, Debug)]
pub(crate) struct JoinRequest {
    pub link: Option<String>,
    pub date: i64,
}

/// A group, supergroup or channel.
pub(crate) struct ChatState {
    pub id: i64,
    pub kind: ChatKind,
    pub title: String,
    pub owner: Option<i64>,
    pub members: HashMap<i64, Status>,
    pub bots: HashMap<i64, BotMember>,
    pub links: HashMap<String, InviteLink>,
    pub requests: HashMap<i64, JoinRequest>,
    pub next_message_id: i64,
}

impl ChatState {
    /// Rights of a bot if it is an administrator.
    pub fn bot_rights(&self, bot_id: i64) -> Option<Rights> {
        match self.bots.get(&bot_id) {
            Some(BotMember::Admin(r)) => Some(*r),
            _ => None,
        }
    }
}

/// Messages of one chat as one bot sees them.
#[derive(Default)]
pub(crate) struct ChatLog {
    pub next_id: i64,
    pub msgs: VecDeque<SentMessage>,
}

impl ChatLog {
    /// Finds a stored message by id.
    pub fn get_mut(&mut self, message_id: i64) -> Option<&mut SentMessage> {
        let idx = self.msgs.binary_search_by_key(&message_id, |m| m.message_id).ok()?;
        self.msgs.get_mut(idx)
    }
}

/// A stored file.
#[derive(Clone, Debug)]
pub(crate) struct FileRec {
    pub owner_bot: i64,
    pub unique_id: String,
    pub kind: &'static str,
    pub file_name: Option<String>,
    pub data: Bytes,
}

/// An issued callback query.
pub(crate) struct CallbackRec {
    pub bot_id: i64,
    pub answered: bool,
}

/// The whole simulated world.
#[derive(Default)]
pub(crate) struct State {
    pub bots: HashMap<i64, BotState>,
    pub tokens: HashMap<String, i64>,
    pub users: HashMap<i64, SimUser>,
    pub chats: HashMap<i64, ChatState>,
    pub logs: HashMap<(i64, i64), ChatLog>,
    pub files: HashMap<String, FileRec>,
    pub callbacks: HashMap<String, CallbackRec>,
    pub link_index: HashMap<String, i64>,
    pub faults: Vec<FaultRule>,
    /// Basic groups upgraded to supergroups: old id → new id.
    pub migrated: HashMap<i64, i64>,
    /// Telegram Stars: invoices, checkouts, payments.
    pub stars: crate::simulator::stars::StarsState,
    pub counter: i64,
}

/// Current Unix time in seconds.
pub(crate) fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// `n` random characters of `A-Za-z0-9_-`.
pub(crate) fn random_string(n: usize) -> String {
    use rand::Rng;
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut rng = rand::rng();
    (0..n).map(|_| char::from(CHARS[rng.random_range(0..CHARS.len())])).collect()
}

impl State {
    /// A fresh number, unique within this simulator.
    pub fn next(&mut self) -> i64 {
        self.counter += 1;
        self.counter
    }

    /// The bot id for an active token.
    pub fn bot_by_token(&self, token: &str) -> Option<i64> {
        let id = *self.tokens.get(token)?;
        self.bots.get(&id).filter(|b| !b.revoked).map(|_| id)
    }

    /// `User` object of a bot.
    pub fn bot_user_json(&self, bot_id: i64) -> Value {
        match self.bots.get(&bot_id) {
            Some(b) => json!({
                "id": bot_id, "is_bot": true,
                "first_name": b.first_name.clone(), "username": b.sim.username.clone(),
            }),
            None => json!({"id": bot_id, "is_bot": true, "first_name": "bot"}),
        }
    }

    /// `User` object of a person (a placeholder if unknown).
    pub fn user_json(&self, user_id: i64) -> Value {
        match self.users.get(&user_id) {
            Some(u) => user_json(u),
            None => {
                json!({"id": user_id, "is_bot": false, "first_name": format!("User {user_id}")})
            }
        }
    }

    /// `Chat` object for any chat id (private chats are users).
    pub fn chat_json(&self, chat_id: i64) -> Value {
        if let Some(c) = self.chats.get(&chat_id) {
            return json!({"id": c.id, "type": c.kind.as_str(), "title": c.title.clone()});
        }
        let mut v = json!({"id": chat_id, "type": "private"});
        if let Some(u) = self.users.get(&chat_id) {
            v["first_name"] = json!(u.first_name);
            if let Some(name) = &u.username {
                v["username"] = json!(name);
            }
        } else {
            v["first_name"] = json!(format!("User {chat_id}"));
        }
        v
    }

    /// `Message` object of a stored message as `bot_id` sees it.
    pub fn message_json(&self, bot_id: i64, m: &SentMessage) -> Value {
        let mut v = json!({
            "message_id": m.message_id,
            "date": m.date,
            "chat": self.chat_json(m.chat_id),
        });
        let channel = matches!(self.chats.get(&m.chat_id), Some(c) if c.kind == ChatKind::Channel);
        if channel {
            v["sender_chat"] = self.chat_json(m.chat_id);
        } else if m.from_bot {
            v["from"] = self.bot_user_json(bot_id);
        } else {
            v["from"] = self.user_json(m.chat_id);
        }
        if m.edited {
            v["edit_date"] = json!(now());
        }
        let text_key = if m.photo.is_some() || m.document.is_some() { "caption" } else { "text" };
        if let Some(t) = &m.text {
            v[text_key] = json!(t);
        }
        if let Some(id) = &m.photo {
            v["photo"] = json!([self.photo_size_json(id)]);
        }
        if let Some(id) = &m.document {
            v["document"] = self.document_json(id);
        }
        if let Some(markup) = &m.reply_markup {
            if markup.get("inline_keyboard").is_some() {
                v["reply_markup"] = markup.clone();
            }
        }
        v
    }

    /// `PhotoSize` object for a stored file.
    pub fn photo_size_json(&self, file_id: &str) -> Value {
        let (uid, size) = self.files.get(file_id).map(|f| (f.unique_id.clone(), f.data.len())).unwrap_or_default();
        json!({"file_id": file_id, "file_unique_id": uid, "width": 800, "height": 600, "file_size": size})
    }

    /// `Document` object for a stored file.
    pub fn document_json(&self, file_id: &str) -> Value {
        let f = self.files.get(file_id);
        json!({
            "file_id": file_id,
            "file_unique_id": f.map(|f| f.unique_id.clone()).unwrap_or_default(),
            "file_name": f.and_then(|f| f.file_name.clone()).unwrap_or_else(|| "file.bin".into()),
            "mime_type": "application/octet-stream",
            "file_size": f.map(|f| f.data.len()).unwrap_or_default(),
        })
    }

    /// Stores a new file owned by `bot_id` and returns its id.
    pub fn add_file(&mut self, bot_id: i64, kind: &'static str, name: Option<String>, data: Bytes) -> String {
        let n = self.next();
        let prefix = if kind == "photo" { "AgAC" } else { "BQAC" };
        let id = format!("{prefix}{bot_id:x}{n:x}{}", random_string(24));
        let rec = FileRec {
            owner_bot: bot_id,
            unique_id: format!("AQAD{n:x}{}", random_string(8)),
            kind,
            file_name: name,
            data,
        };
        self.files.insert(id.clone(), rec);
        id
    }

    /// Appends a message to the (bot, chat) log, assigning the next message id.
    pub fn push_message(&mut self, bot_id: i64, mut msg: SentMessage) -> SentMessage {
        let shared_id = self.chats.get_mut(&msg.chat_id).map(|c| {
            c.next_message_id += 1;
            c.next_message_id
        });
        let log = self.logs.entry((bot_id, msg.chat_id)).or_default();
        msg.message_id = shared_id.unwrap_or_else(|| {
            log.next_id += 1;
            log.next_id
        });
        if log.msgs.len() >= MESSAGES_PER_CHAT {
            log.msgs.pop_front();
        }
        log.msgs.push_back(msg.clone());
        msg
    }

    /// A message from `user` in their chat with `bot_id` (a service message such as
    /// `successful_payment` is added to it), stored, as the update's `message` JSON.
    pub fn user_service_message(&mut self, bot_id: i64, user: &SimUser) -> Value {
        let msg = self.push_message(bot_id, SentMessage::blank(user.id, false));
        let mut payload = self.message_json(bot_id, &msg);
        payload["from"] = user_json(user);
        payload
    }

    /// A stored message of `bot_id`'s view of a chat.
    pub fn message_mut(&mut self, bot_id: i64, chat_id: i64, message_id: i64) -> Option<&mut SentMessage> {
        self.logs.get_mut(&(bot_id, chat_id))?.get_mut(message_id).filter(|m| !m.deleted)
    }
}

/// `User` object of a person.
pub(crate) fn user_json(u: &SimUser) -> Value {
    let mut v = json!({"id": u.id, "is_bot": false, "first_name": u.first_name});
    if let Some(name) = &u.username {
        v["username"] = json!(name);
    }
    if let Some(code) = &u.language_code {
        v["language_code"] = json!(code);
    }
    v
}

/// `ChatMember` object (without `user`) for a person's status.
pub(crate) fn member_json(user: Value, m: Status) -> Value {
    match m {
        Status::Owner => json!({"user": user, "status": "creator", "is_anonymous": false}),
        Status::Member => json!({"user": user, "status": "member"}),
        Status::Left => json!({"user": user, "status": "left"}),
        Status::Kicked { until } => json!({"user": user, "status": "kicked", "until_date": until}),
    }
}

/// `ChatMember` object for a bot's status.
pub(crate) fn bot_member_json(user: Value, m: BotMember) -> Value {
    match m {
        BotMember::Admin(r) => json!({
            "user": user, "status": "administrator", "can_be_edited": false,
            "is_anonymous": false, "can_manage_chat": r.can_manage_chat,
            "can_change_info": r.can_change_info, "can_post_messages": r.can_post_messages,
            "can_edit_messages": r.can_edit_messages, "can_delete_messages": r.can_delete_messages,
            "can_manage_video_chats": false, "can_invite_users": r.can_invite_users,
            "can_restrict_members": r.can_restrict_members, "can_pin_messages": r.can_pin_messages,
            "can_promote_members": r.can_promote_members, "can_post_stories": false,
            "can_edit_stories": false, "can_delete_stories": false,
        }),
        BotMember::Member => json!({"user": user, "status": "member"}),
        BotMember::Kicked => json!({"user": user, "status": "kicked", "until_date": 0}),
        BotMember::Left => json!({"user": user, "status": "left"}),
    }
}
