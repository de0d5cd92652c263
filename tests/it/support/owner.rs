//! Driving the owner's side of the main bot: register, press buttons by their data, type,
//! connect a seller bot.

use std::time::Duration;

use getolog::simulator::{SentMessage, SimBot, SimUser};

use super::{TestApp, TestEnv};

impl TestApp {
    /// The main Getolog bot's id.
    pub fn main_id(&self) -> i64 {
        self.env.main_bot.id
    }

    /// Registers an owner in the main bot with the chosen language.
    pub async fn register_owner(&self, id: i64, name: &str, lang: &str) -> SimUser {
        let owner = self.user(id, name);
        self.start_and_choose(self.main_id(), &owner, lang).await;
        owner
    }

    /// Presses the button with `data` on the newest message of `bot` in the user's chat that
    /// has it; returns what the user sees next (a new message, or the edited one).
    /// A button on a message sent by the courier (an owner's notice) may arrive a moment after
    /// the update that queued it was answered: it is waited for, up to 5 s.
    pub async fn press(&self, bot: i64, user: &SimUser, data: &str) -> SentMessage {
        let has_button = |m: &SentMessage| m.buttons().iter().flatten().any(|(_, d)| d == data);
        self.sim()
            .wait_for(std::time::Duration::from_secs(5), |s| s.messages_in(bot, user.id).iter().any(has_button))
            .await;
        let messages = self.sim().messages_in(bot, user.id);
        let pressed = messages
            .iter()
            .rev()
            .find(|m| has_button(m))
            .unwrap_or_else(|| panic!("no button {data} in chat {}: {messages:#?}", user.id))
            .message_id;
        let before = self.last_message(bot, user.id).message_id;
        let d = self.sim().press_button(bot, user, pressed, data).await.expect("press");
        assert_eq!(d.status, 200, "button {data} not acknowledged");
        let last = self.last_message(bot, user.id);
        if last.message_id != before {
            last
        } else {
            self.sim().message(bot, user.id, pressed).expect("pressed message")
        }
    }

    /// The newest button of `bot` in the user's chat whose data starts with `prefix` (a grant
    /// button carries a token drawn with its screen): its message and its data. Within a
    /// message the first such button in reading order wins.
    pub fn button_starting(&self, bot: i64, user: &SimUser, prefix: &str) -> (i64, String) {
        let messages = self.sim().messages_in(bot, user.id);
        messages
            .iter()
            .rev()
            .find_map(|m| {
                let data = m.buttons().into_iter().flatten().map(|(_, d)| d).find(|d| d.starts_with(prefix))?;
                Some((m.message_id, data))
            })
            .unwrap_or_else(|| panic!("no button {prefix}… in chat {}: {messages:#?}", user.id))
    }

    /// Presses the newest button whose data starts with `prefix`; returns what the user sees
    /// next, like [`press`](Self::press).
    pub async fn press_starting(&self, bot: i64, user: &SimUser, prefix: &str) -> SentMessage {
        let (_, data) = self.button_starting(bot, user, prefix);
        self.press(bot, user, &data).await
    }

    /// Delivers a callback query with any data, as if from a button nobody drew (forged, or
    /// from a message long gone).
    pub async fn press_forged(&self, bot: i64, user: &SimUser, data: &str) {
        let forged = serde_json::json!({"callback_query": {
            "id": format!("forged-{}", rand::random::<u32>()),
            "from": {"id": user.id, "is_bot": false, "first_name": user.first_name},
            "chat_instance": "1",
            "data": data,
        }});
        let delivered = self.sim().deliver_raw(bot, forged).await.expect("deliver");
        assert_eq!(delivered.status, 200, "forged {data} not acknowledged");
    }

    /// Types a text to a bot; returns the bot's last message afterwards.
    pub async fn say(&self, bot: i64, user: &SimUser, text: &str) -> SentMessage {
        let d = self.sim().send_text(bot, user, text).await.expect("deliver");
        assert_eq!(d.status, 200, "{text:?} not acknowledged");
        self.last_message(bot, user.id)
    }

    /// The text of the last callback answer (toast) the bot gave.
    pub fn last_toast(&self, bot: i64) -> Option<String> {
        let calls = self.sim().calls_to(bot, "answerCallbackQuery");
        calls.last().and_then(|c| c.params.get("text")).and_then(|t| t.as_str()).map(str::to_owned)
    }

    /// Creates a bot in BotFather, connects it as `owner` and waits until it serves.
    pub async fn connect_bot(&self, owner: &SimUser, username: &str) -> SimBot {
        let bot = self.sim().create_bot(username);
        self.connect_existing_bot(owner, &bot).await;
        bot
    }

    /// Connects a bot already created in BotFather as `owner` and waits until it serves.
    pub async fn connect_existing_bot(&self, owner: &SimUser, bot: &SimBot) {
        let username = &bot.username;
        self.say(self.main_id(), owner, "/menu").await;
        self.press(self.main_id(), owner, "b:token").await;
        let reply = self.say(self.main_id(), owner, &bot.token).await;
        assert!(reply.text.as_deref().unwrap_or("").contains(&format!("@{username}")), "{reply:?}");
        assert!(self.wait_for_webhook(bot.id).await, "webhook of @{username} not set");
    }

    /// Waits (bounded) until the owner has a message with buttons (a review, a question)
    /// from the main bot containing `needle`.
    pub async fn wait_for_owner_buttons(&self, owner: &SimUser, needle: &str) -> SentMessage {
        let main = self.main_id();
        let matches = |m: &SentMessage| m.text.as_deref().unwrap_or("").contains(needle) && !m.buttons().is_empty();
        let found =
            self.sim().wait_for(Duration::from_secs(5), |s| s.messages_in(main, owner.id).iter().any(matches)).await;
        assert!(found, "owner never got buttons with {needle:?}: {:#?}", self.sim().messages_in(main, owner.id));
        self.sim().messages_in(main, owner.id).into_iter().rev().find(|m| matches(m)).expect("message")
    }

    /// Moderator alerts that mention `needle`, after waiting (bounded) for the first.
    pub async fn alerts_about(&self, needle: &str) -> usize {
        let main = self.main_id();
        let seen = |s: &getolog::simulator::Simulator| {
            s.messages_in(main, super::MODERATOR_ID)
                .iter()
                .filter(|m| m.text.as_deref().unwrap_or("").contains(needle))
                .count()
        };
        self.sim().wait_for(Duration::from_secs(5), |s| seen(s) > 0).await;
        seen(self.sim())
    }

    /// Waits (bounded) until the owner has a message from the main bot containing `needle`.
    pub async fn wait_for_owner_message(&self, owner: &SimUser, needle: &str) -> SentMessage {
        let main = self.main_id();
        let found = self
            .sim()
            .wait_for(Duration::from_secs(5), |s| {
                s.messages_in(main, owner.id).iter().any(|m| m.text.as_deref().unwrap_or("").contains(needle))
            })
            .await;
        assert!(found, "owner never got {needle:?}: {:#?}", self.sim().messages_in(main, owner.id));
        let messages = self.sim().messages_in(main, owner.id);
        messages.into_iter().rev().find(|m| m.text.as_deref().unwrap_or("").contains(needle)).expect("message")
    }
}

impl TestApp {
    /// Stops this node gracefully and starts a new one on the same database, Redis prefix,
    /// simulator and port (a process restart, as far as the state outside memory goes).
    pub async fn restart(self) -> TestApp {
        self.server.stop(true).await;
        self.env.start().await
    }

    /// Stops serving webhooks and hands the environment back (to run the real binary on it).
    pub async fn stop(self) -> TestEnv {
        self.server.stop(true).await;
        self.env
    }
}
