//! Playing users toward a bot's webhook: messages, photos, documents, button presses, raw
//! updates and redelivery.

use bytes::Bytes;
use serde_json::{json, Value};

use crate::simulator::delivery::{self, Outgoing};
use crate::simulator::state::{now, random_string, CallbackRec};
use crate::simulator::types::{Delivery, SentMessage, SimError, SimUser};
use crate::simulator::Simulator;

/// What a simulated user sends.
enum Content<'a> {
    Text(&'a str),
    Photo(Option<&'a str>),
    /// A photo the user sent this bot before, sent again (same file, same `file_unique_id`).
    SamePhoto(&'a str),
    Document(&'a str, Option<&'a str>),
}

impl Simulator {
    /// The user writes `text` to the bot in their private chat.
    pub async fn send_text(&self, bot_id: i64, user: &SimUser, text: &str) -> Result<Delivery, SimError> {
        self.user_message(bot_id, user, Content::Text(text)).await
    }

    /// The user sends the bot a photo (a new file owned by that bot), with an optional caption.
    pub async fn send_photo(&self, bot_id: i64, user: &SimUser, caption: Option<&str>) -> Result<Delivery, SimError> {
        self.user_message(bot_id, user, Content::Photo(caption)).await
    }

    /// The user sends the bot a photo they sent it before (`file_id` as the bot received it):
    /// a new message carrying the same file, as when a customer sends a receipt again.
    pub async fn send_same_photo(&self, bot_id: i64, user: &SimUser, file_id: &str) -> Result<Delivery, SimError> {
        self.user_message(bot_id, user, Content::SamePhoto(file_id)).await
    }

    /// The user sends the bot a document named `file_name`, with an optional caption.
    pub async fn send_document(
        &self,
        bot_id: i64,
        user: &SimUser,
        file_name: &str,
        caption: Option<&str>,
    ) -> Result<Delivery, SimError> {
        self.user_message(bot_id, user, Content::Document(file_name, caption)).await
    }

    async fn user_message(&self, bot_id: i64, user: &SimUser, content: Content<'_>) -> Result<Delivery, SimError> {
        let out = {
            let mut st = self.inner.lock();
            if !st.bots.contains_key(&bot_id) {
                return Err(SimError::UnknownBot(bot_id));
            }
            if st.bots.get(&bot_id).is_some_and(|b| b.webhook.is_none()) {
                return Err(SimError::NoWebhook(bot_id));
            }
            st.users.entry(user.id).or_insert_with(|| user.clone());
            let mut msg = SentMessage::blank(user.id, false);
            let caption = match content {
                Content::Text(t) => Some(t),
                Content::Photo(c) => {
                    let data = Bytes::from(format!("photo from {} {}", user.id, random_string(8)));
                    msg.photo = Some(st.add_file(bot_id, "photo", None, data));
                    c
                }
                Content::SamePhoto(file_id) => {
                    msg.photo = Some(file_id.to_owned());
                    None
                }
                Content::Document(name, c) => {
                    let data = Bytes::from(format!("document {name} from {}", user.id));
                    msg.document = Some(st.add_file(bot_id, "document", Some(name.to_owned()), data));
                    c
                }
            };
            msg.text = caption.map(str::to_owned);
            msg.raw_text = msg.text.clone();
            let msg = st.push_message(bot_id, msg);
            let mut payload = st.message_json(bot_id, &msg);
            payload["from"] = crate::simulator::state::user_json(user);
            if let Some(t) = caption.filter(|t| t.starts_with('/')) {
                let cmd = t.split_whitespace().next().unwrap_or(t);
                let key = if msg.text.is_some() && msg.photo.is_none() && msg.document.is_none() {
                    "entities"
                } else {
                    "caption_entities"
                };
                payload[key] = json!([{"type": "bot_command", "offset": 0, "length": cmd.encode_utf16().count()}]);
            }
            st.make_update(bot_id, "message", payload)?
        };
        Ok(delivery::post(&self.inner, &out).await)
    }

    /// The user presses the inline button with `data` under a message of the bot in their
    /// private chat; the bot gets a `callback_query` with a fresh id it may answer once.
    pub async fn press_button(
        &self,
        bot_id: i64,
        user: &SimUser,
        message_id: i64,
        data: &str,
    ) -> Result<Delivery, SimError> {
        self.press_button_in(bot_id, user, user.id, message_id, data).await
    }

    /// Like [`press_button`](Self::press_button), delivered to the node at `base` (e.g.
    /// `http://127.0.0.1:PORT`) instead of the registered webhook's host: a second device's
    /// press landing on another node during a rolling restart or failover.
    pub async fn press_button_via(
        &self,
        base: &str,
        bot_id: i64,
        user: &SimUser,
        message_id: i64,
        data: &str,
    ) -> Result<Delivery, SimError> {
        let mut out = self.press_update(bot_id, user, user.id, message_id, data)?;
        let path = url::Url::parse(&out.url).map(|u| u.path().to_owned()).unwrap_or_default();
        out.url = format!("{}{path}", base.trim_end_matches('/'));
        Ok(delivery::post(&self.inner, &out).await)
    }

    /// Like [`press_button`](Self::press_button) for a message in any chat (e.g. a channel post).
    pub async fn press_button_in(
        &self,
        bot_id: i64,
        user: &SimUser,
        chat_id: i64,
        message_id: i64,
        data: &str,
    ) -> Result<Delivery, SimError> {
        let out = self.press_update(bot_id, user, chat_id, message_id, data)?;
        Ok(delivery::post(&self.inner, &out).await)
    }

    fn press_update(
        &self,
        bot_id: i64,
        user: &SimUser,
        chat_id: i64,
        message_id: i64,
        data: &str,
    ) -> Result<Outgoing, SimError> {
        let out = {
            let mut st = self.inner.lock();
            st.users.entry(user.id).or_insert_with(|| user.clone());
            let msg = st.message_mut(bot_id, chat_id, message_id).ok_or(SimError::NoMessage(message_id))?.clone();
            let has_button = msg.buttons().iter().flatten().any(|(_, d)| d == data);
            if !has_button {
                return Err(SimError::NoButton(data.to_owned()));
            }
            let id = format!("{}{}", st.next(), rand::random::<u32>());
            st.callbacks.insert(id.clone(), CallbackRec { bot_id, answered: false });
            let payload = json!({
                "id": id, "from": crate::simulator::state::user_json(user),
                "message": st.message_json(bot_id, &msg),
                "chat_instance": format!("{}", chat_id.unsigned_abs() ^ 0x5bd1_e995),
                "data": data,
            });
            st.make_update(bot_id, "callback_query", payload)?
        };
        Ok(out)
    }

    /// Id of the last callback query issued to the bot (as sent in `callback_query.id`).
    pub fn last_callback_id(&self, bot_id: i64) -> Option<String> {
        let st = self.inner.lock();
        let b = st.bots.get(&bot_id)?;
        b.updates
            .iter()
            .rev()
            .find_map(|(_, u)| u.pointer("/callback_query/id").and_then(Value::as_str))
            .map(str::to_owned)
    }

    /// The user writes `text` in a group or supergroup the bot is in (Telegram delivers a
    /// group's messages to a bot that administers it).
    pub async fn send_group_text(
        &self,
        bot_id: i64,
        chat_id: i64,
        user: &SimUser,
        text: &str,
    ) -> Result<Delivery, SimError> {
        let kind = if chat_id <= -1_000_000_000_000 { "supergroup" } else { "group" };
        let message = json!({
            "message_id": 1, "date": now(),
            "chat": {"id": chat_id, "type": kind, "title": "Group"},
            "from": {"id": user.id, "is_bot": false, "first_name": user.first_name},
            "text": text
        });
        self.deliver_raw(bot_id, json!({ "message": message })).await
    }

    /// Delivers an arbitrary update. `update` holds one kind key (e.g. `{"message": {...}}`);
    /// any `update_id` in it is replaced with the bot's next one. The kind is still filtered by
    /// `allowed_updates`.
    pub async fn deliver_raw(&self, bot_id: i64, update: Value) -> Result<Delivery, SimError> {
        let Value::Object(mut map) = update else {
            return Err(SimError::Invalid("update must be a JSON object".into()));
        };
        map.remove("update_id");
        let mut entries = map.into_iter();
        let (Some((kind, payload)), None) = (entries.next(), entries.next()) else {
            return Err(SimError::Invalid("update must have exactly one kind key".into()));
        };
        let out = self.make_update(bot_id, &kind, payload)?;
        Ok(delivery::post(&self.inner, &out).await)
    }

    /// Posts an already delivered update again, byte for byte (at-least-once delivery).
    pub async fn redeliver(&self, bot_id: i64, update_id: i64) -> Result<Delivery, SimError> {
        let out: Outgoing = self.inner.lock().stored_update(bot_id, update_id)?;
        Ok(delivery::post(&self.inner, &out).await)
    }

    /// The last update delivered (or built) for the bot.
    pub fn last_update(&self, bot_id: i64) -> Option<Value> {
        let st = self.inner.lock();
        st.bots.get(&bot_id)?.updates.back().map(|(_, u)| u.clone())
    }

    /// Posts any body to the bot's webhook URL with the given secret header (or none), for
    /// testing the webhook front; returns the HTTP status (0 on transport failure).
    pub async fn post_to_webhook(
        &self,
        bot_id: i64,
        body: impl Into<Vec<u8>>,
        secret: Option<&str>,
    ) -> Result<u16, SimError> {
        let url = {
            let st = self.inner.lock();
            let b = st.bots.get(&bot_id).ok_or(SimError::UnknownBot(bot_id))?;
            b.webhook.as_ref().ok_or(SimError::NoWebhook(bot_id))?.url.clone()
        };
        Ok(delivery::post_raw(&self.inner.client, &url, secret, body.into()).await)
    }
}
