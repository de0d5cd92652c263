//! Upgrading a basic group to a supergroup, as Telegram does it: the chat gets a new `-100…`
//! id and keeps its members, administrators (with their rights), invite links and pending
//! join requests; every bot in it gets two service messages (`migrate_to_chat_id` in the old
//! group, `migrate_from_chat_id` in the new supergroup); and from then on every call on the
//! old id answers 400 `group chat was upgraded to a supergroup chat` with
//! `parameters.migrate_to_chat_id` (see `server::run`).

use serde_json::json;

use crate::simulator::delivery::Outgoing;
use crate::simulator::state::{now, BotMember};
use crate::simulator::types::{ChatKind, SimError};
use crate::simulator::Simulator;

/// The user id Telegram shows as the sender of messages signed by a group itself.
const GROUP_ANONYMOUS_BOT: i64 = 1_087_968_824;

impl Simulator {
    /// Upgrades the basic group `chat_id` to a supergroup and returns the supergroup's id.
    /// Bots still in the chat get the migrate service messages (old group first).
    pub async fn upgrade_to_supergroup(&self, chat_id: i64) -> Result<i64, SimError> {
        let out: Vec<Outgoing> = {
            let mut st = self.inner.lock();
            let Some(mut chat) = st.chats.remove(&chat_id) else { return Err(SimError::UnknownChat(chat_id)) };
            if chat.kind != ChatKind::Group {
                st.chats.insert(chat_id, chat);
                return Err(SimError::Invalid("only a basic group can be upgraded".into()));
            }
            let new_id = -(1_002_000_000_000 + st.next());
            let old_chat = json!({"id": chat_id, "type": "group", "title": chat.title.clone()});
            chat.id = new_id;
            chat.kind = ChatKind::Supergroup;
            for link in chat.links.keys() {
                st.link_index.insert(link.clone(), new_id);
            }
            let from = st.user_json(chat.owner.unwrap_or_default());
            let mut bots: Vec<i64> = chat
                .bots
                .iter()
                .filter(|(_, m)| matches!(m, BotMember::Admin(_) | BotMember::Member))
                .map(|(b, _)| *b)
                .collect();
            bots.sort_unstable();
            chat.next_message_id += 2;
            let (to_id, from_id) = (chat.next_message_id - 1, chat.next_message_id);
            st.chats.insert(new_id, chat);
            st.migrated.insert(chat_id, new_id);
            let new_chat = st.chat_json(new_id);
            let mut out = Vec::new();
            for bot in bots {
                let date = now();
                let to = json!({"message_id": to_id, "date": date, "chat": old_chat.clone(), "from": from.clone(),
                                "migrate_to_chat_id": new_id});
                // In the supergroup Telegram signs it as the group itself (GroupAnonymousBot).
                let back = json!({"message_id": from_id, "date": date, "chat": new_chat.clone(),
                                  "from": {"id": GROUP_ANONYMOUS_BOT, "is_bot": true, "first_name": "Group",
                                           "username": "GroupAnonymousBot"},
                                  "sender_chat": new_chat.clone(), "migrate_from_chat_id": chat_id});
                out.extend(st.make_update(bot, "message", to).ok());
                out.extend(st.make_update(bot, "message", back).ok());
            }
            out
        };
        self.post_all(out).await;
        let new_id = self.inner.lock().migrated.get(&chat_id).copied();
        new_id.ok_or(SimError::UnknownChat(chat_id))
    }
}
