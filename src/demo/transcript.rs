//! The demo's transcript: what people did and what bots answered, in order, read from the
//! simulator's record of Bot API calls.

use std::collections::HashMap;

use anyhow::Context as _;

use crate::simulator::{Call, SimBot, SimUser, Simulator};

/// Prints what people and bots said, in order.
pub struct Transcript {
    sim: Simulator,
    seen: usize,
    names: HashMap<i64, String>,
}

impl Transcript {
    /// Starts printing from now on.
    pub fn new(sim: Simulator) -> Self {
        let seen = sim.calls().len();
        Self { sim, seen, names: HashMap::new() }
    }

    /// A heading.
    pub fn section(&mut self, title: &str) {
        self.flush();
        println!("\n── {title} ──");
    }

    /// A line of narration.
    pub fn note(&self, text: &str) {
        println!("   · {text}");
    }

    /// A user sent a text (already delivered with `status`).
    pub fn say(&mut self, user: &SimUser, bot: &SimBot, text: &str, status: u16) {
        self.names.insert(user.id, user.first_name.clone());
        println!("👤 {} → @{}: {text}   [HTTP {status}]", user.first_name, bot.username);
        self.flush();
    }

    /// The user presses the button with `data` on the newest message that has it.
    pub async fn press(&mut self, user: &SimUser, bot: &SimBot, data: &str) -> anyhow::Result<()> {
        let message = self
            .sim
            .messages_in(bot.id, user.id)
            .into_iter()
            .rev()
            .find(|m| m.buttons().iter().flatten().any(|(_, d)| d == data))
            .with_context(|| format!("no button {data} for {}", user.first_name))?;
        let label = message.buttons().concat().into_iter().find(|(_, d)| d == data).map(|(l, _)| l).unwrap_or_default();
        let status = self.sim.press_button(bot.id, user, message.message_id, data).await?.status;
        println!("👤 {} → @{}: [presses “{label}”]   [HTTP {status}]", user.first_name, bot.username);
        self.flush();
        Ok(())
    }

    /// The user sends a text, printed as `shown` (a token is not printed).
    pub async fn type_text(&mut self, user: &SimUser, bot: &SimBot, text: &str, shown: &str) -> anyhow::Result<()> {
        let status = self.sim.send_text(bot.id, user, text).await?.status;
        self.say(user, bot, shown, status);
        Ok(())
    }

    /// The user sends a photo (e.g. a receipt), described as `what`.
    pub async fn send_photo(&mut self, user: &SimUser, bot: &SimBot, what: &str) -> anyhow::Result<()> {
        let status = self.sim.send_photo(bot.id, user, None).await?.status;
        self.say(user, bot, &format!("[photo: {what}]"), status);
        Ok(())
    }

    /// Prints the bots' calls made since the last flush.
    pub fn flush(&mut self) {
        let calls = self.sim.calls();
        for call in calls.iter().skip(self.seen) {
            self.print_call(call);
        }
        self.seen = calls.len();
    }

    fn print_call(&self, call: &Call) {
        let bot = self.sim.bot(call.bot_id).map(|b| b.username).unwrap_or_default();
        let text = call.params["text"].as_str().unwrap_or_default().replace('\n', "\n      ");
        let to = call.params["chat_id"]
            .as_i64()
            .map(|id| self.names.get(&id).cloned().unwrap_or_else(|| id.to_string()))
            .unwrap_or_default();
        match call.method.as_str() {
            "sendMessage" => println!("🤖 @{bot} → {to}: {text}{}", buttons(&call.params)),
            "editMessageText" => println!("🤖 @{bot} ✎ {to}: {text}{}", buttons(&call.params)),
            "sendPhoto" | "sendDocument" => {
                let caption = call.params["caption"].as_str().unwrap_or_default().replace('\n', "\n      ");
                println!(
                    "🤖 @{bot} → {to}: [{}] {caption}{}",
                    call.method.trim_start_matches("send").to_lowercase(),
                    buttons(&call.params)
                );
            }
            "editMessageCaption" => {
                let caption = call.params["caption"].as_str().unwrap_or_default().replace('\n', "\n      ");
                println!("🤖 @{bot} ✎ {to}: {caption}{}", buttons(&call.params));
            }
            "createChatInviteLink" => println!("   · @{bot} creates a personal invite link (join request required)"),
            "approveChatJoinRequest" => {
                println!("   · @{bot} approves the join request of {}", self.user_name(&call.params))
            }
            "declineChatJoinRequest" => {
                println!("   · @{bot} declines the join request of {}", self.user_name(&call.params))
            }
            "revokeChatInviteLink" => println!("   · @{bot} revokes the used link"),
            "deleteMessage" => println!("   · @{bot} deletes the message carrying the secret"),
            "sendInvoice" => {
                let prices: serde_json::Value = match &call.params["prices"] {
                    serde_json::Value::String(raw) => serde_json::from_str(raw).unwrap_or_default(),
                    other => other.clone(),
                };
                let title = call.params["title"].as_str().unwrap_or_default();
                println!("🤖 @{bot} → {to}: [invoice] {title} — {} ⭐", prices[0]["amount"]);
            }
            "createInvoiceLink" => println!("   · @{bot} creates a Stars invoice link renewing every 30 days"),
            "answerPreCheckoutQuery" => match call.params["error_message"].as_str() {
                Some(reason) => println!("   · @{bot} declines the checkout: {reason}"),
                None => println!("   · @{bot} accepts the checkout (answerPreCheckoutQuery ok, within 10 s)"),
            },
            "refundStarPayment" => println!("   · @{bot} refunds the Stars (refundStarPayment)"),
            "editUserStarSubscription" => println!("   · @{bot} stops the subscription renewing"),
            "answerCallbackQuery" => {
                if let Some(toast) = call.params["text"].as_str() {
                    println!("🤖 @{bot} (toast): {toast}");
                }
            }
            _ => {}
        }
    }
}

impl Transcript {
    fn user_name(&self, params: &serde_json::Value) -> String {
        let id = params["user_id"].as_i64().unwrap_or_default();
        self.names.get(&id).cloned().unwrap_or_else(|| id.to_string())
    }

    /// Remembers a person's name for the transcript.
    pub fn name(&mut self, user: &SimUser) {
        self.names.insert(user.id, user.first_name.clone());
    }
}

fn buttons(params: &serde_json::Value) -> String {
    let markup = match &params["reply_markup"] {
        serde_json::Value::String(s) => serde_json::from_str(s).unwrap_or_default(),
        other => other.clone(),
    };
    let labels: Vec<String> = markup["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["text"].as_str().map(|t| format!("[{t}]")))
        .collect();
    if labels.is_empty() {
        String::new()
    } else {
        format!("\n      {}", labels.join(" "))
    }
}
