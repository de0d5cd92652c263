//! Read-only views of the simulated world for tests.

use bytes::Bytes;

use crate::simulator::state::{BotMember, Status};
use crate::simulator::types::{SentMessage, SimBot, WebhookInfo};
use crate::simulator::Simulator;

/// State of an invite link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InviteLinkInfo {
    /// The `https://t.me/+…` link.
    pub link: String,
    /// Chat it leads to.
    pub chat_id: i64,
    /// Bot that created it.
    pub creator_bot: i64,
    /// Name given at creation.
    pub name: Option<String>,
    /// Unix expiry time.
    pub expire_date: Option<i64>,
    /// Member limit.
    pub member_limit: Option<i64>,
    /// Whether joining needs approval.
    pub creates_join_request: bool,
    /// Whether it was revoked.
    pub is_revoked: bool,
    /// How many joined through it.
    pub joined: i64,
    /// How many requests through it are pending.
    pub pending: i64,
}

impl Simulator {
    /// Messages the bot sent in a chat (private chat id = user id), oldest first, in their
    /// latest state (edited and deleted ones included, flagged).
    pub fn messages_in(&self, bot_id: i64, chat_id: i64) -> Vec<SentMessage> {
        let st = self.inner.lock();
        st.logs
            .get(&(bot_id, chat_id))
            .map(|l| l.msgs.iter().filter(|m| m.from_bot).cloned().collect())
            .unwrap_or_default()
    }

    /// Every message of the chat as the bot sees it, the simulated user's ones included.
    pub fn chat_log(&self, bot_id: i64, chat_id: i64) -> Vec<SentMessage> {
        let st = self.inner.lock();
        st.logs.get(&(bot_id, chat_id)).map(|l| l.msgs.iter().cloned().collect()).unwrap_or_default()
    }

    /// The latest non-deleted message the bot sent in a chat.
    pub fn last_message(&self, bot_id: i64, chat_id: i64) -> Option<SentMessage> {
        let st = self.inner.lock();
        st.logs.get(&(bot_id, chat_id))?.msgs.iter().rev().find(|m| m.from_bot && !m.deleted).cloned()
    }

    /// One message by id (any sender), in its latest state.
    pub fn message(&self, bot_id: i64, chat_id: i64, message_id: i64) -> Option<SentMessage> {
        let mut st = self.inner.lock();
        st.logs.get_mut(&(bot_id, chat_id))?.get_mut(message_id).map(|m| m.clone())
    }

    /// Inline buttons of a message as rows of `(text, callback_data or url)`.
    pub fn buttons(&self, bot_id: i64, chat_id: i64, message_id: i64) -> Vec<Vec<(String, String)>> {
        self.message(bot_id, chat_id, message_id).map(|m| m.buttons()).unwrap_or_default()
    }

    /// The bot's webhook, if set.
    pub fn webhook(&self, bot_id: i64) -> Option<WebhookInfo> {
        let st = self.inner.lock();
        let b = st.bots.get(&bot_id)?;
        b.webhook.as_ref().map(|w| WebhookInfo { allowed_updates: b.allowed_updates.clone(), ..w.clone() })
    }

    /// The bot with its current token.
    pub fn bot(&self, bot_id: i64) -> Option<SimBot> {
        self.inner.lock().bots.get(&bot_id).map(|b| b.sim.clone())
    }

    /// The bot's commands as set by `setMyCommands` (JSON array).
    pub fn commands(&self, bot_id: i64) -> Option<serde_json::Value> {
        self.inner.lock().bots.get(&bot_id).map(|b| b.commands.clone())
    }

    /// Whether the user started the bot (may be messaged by it).
    pub fn has_started(&self, bot_id: i64, user_id: i64) -> bool {
        self.inner.lock().bots.get(&bot_id).is_some_and(|b| b.started.contains(&user_id))
    }

    /// Status of a person or bot in a chat as the Bot API names it: `creator`, `administrator`,
    /// `member`, `left` or `kicked`; `None` if the chat is unknown.
    pub fn member_status(&self, chat_id: i64, user_id: i64) -> Option<&'static str> {
        let st = self.inner.lock();
        let chat = st.chats.get(&chat_id)?;
        if let Some(b) = chat.bots.get(&user_id) {
            return Some(match b {
                BotMember::Admin(_) => "administrator",
                BotMember::Member => "member",
                BotMember::Kicked => "kicked",
                BotMember::Left => "left",
            });
        }
        Some(match chat.members.get(&user_id) {
            Some(Status::Owner) => "creator",
            Some(Status::Member) => "member",
            Some(Status::Kicked { .. }) => "kicked",
            Some(Status::Left) | None => "left",
        })
    }

    /// Ids of people in a chat (owner and members).
    pub fn members(&self, chat_id: i64) -> Vec<i64> {
        let st = self.inner.lock();
        let mut ids: Vec<i64> = st
            .chats
            .get(&chat_id)
            .map(|c| {
                c.members
                    .iter()
                    .filter(|(_, m)| matches!(m, Status::Owner | Status::Member))
                    .map(|(id, _)| *id)
                    .collect()
            })
            .unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    /// Users with a pending join request in a chat.
    pub fn pending_join_requests(&self, chat_id: i64) -> Vec<i64> {
        let st = self.inner.lock();
        let mut ids: Vec<i64> =
            st.chats.get(&chat_id).map(|c| c.requests.keys().copied().collect()).unwrap_or_default();
        ids.sort_unstable();
        ids
    }

    /// State of an invite link.
    pub fn invite_link(&self, link: &str) -> Option<InviteLinkInfo> {
        let st = self.inner.lock();
        let chat_id = *st.link_index.get(link)?;
        let l = st.chats.get(&chat_id)?.links.get(link)?;
        Some(InviteLinkInfo {
            link: l.link.clone(),
            chat_id,
            creator_bot: l.creator_bot,
            name: l.name.clone(),
            expire_date: l.expire_date,
            member_limit: l.member_limit,
            creates_join_request: l.creates_join_request,
            is_revoked: l.is_revoked,
            joined: l.joined,
            pending: l.pending,
        })
    }

    /// Links of a chat, in no particular order.
    pub fn invite_links(&self, chat_id: i64) -> Vec<InviteLinkInfo> {
        let links: Vec<String> = {
            let st = self.inner.lock();
            st.chats.get(&chat_id).map(|c| c.links.keys().cloned().collect()).unwrap_or_default()
        };
        links.iter().filter_map(|l| self.invite_link(l)).collect()
    }

    /// Whether a callback query was answered (`None` if unknown).
    pub fn callback_answered(&self, query_id: &str) -> Option<bool> {
        self.inner.lock().callbacks.get(query_id).map(|c| c.answered)
    }

    /// Content and owner bot of a stored file.
    pub fn file(&self, file_id: &str) -> Option<(i64, Bytes)> {
        self.inner.lock().files.get(file_id).map(|f| (f.owner_bot, f.data.clone()))
    }
}
