//! `InboxActor`: owners' informational notices (a new customer, a customer joined) sent
//! through the main bot without holding up the update that caused them, coalesced per chat.
//!
//! Telegram lets a bot write to one chat about once a second and about 30 messages a second
//! in all, and every owner shares the main bot; so a popular seller bot's stream of new
//! customers becomes one message per owner per flush instead of one per customer, and the
//! end user's update is answered at once. These notices are best-effort by design (kept in
//! memory, lost if the process dies before the flush); payments and link requests are not
//! sent this way.

use std::collections::BTreeMap;

use actix::{Actor, AsyncContext, Context, Handler, Message};
use teloxide_core::{requests::Requester, types::ChatId};

use crate::telegram::{errors::classify, BotClient};

/// Lines one flush sends to a chat before "… +N".
const LINES_PER_MESSAGE: usize = 20;

/// One line for an owner.
#[derive(Debug, Clone, Message)]
#[rtype(result = "()")]
pub struct Inform {
    /// The owner's chat with the main bot.
    pub chat_id: i64,
    /// The line, already in the owner's language.
    pub text: String,
}

#[derive(Default)]
struct Pending {
    lines: Vec<String>,
    more: usize,
}

impl Pending {
    fn push(&mut self, line: String) {
        if self.lines.len() < LINES_PER_MESSAGE {
            self.lines.push(line);
        } else {
            self.more += 1;
        }
    }
}

/// Coalesces notices per chat and flushes them on a timer.
pub struct InboxActor {
    main: BotClient,
    every: std::time::Duration,
    pending: BTreeMap<i64, Pending>,
}

impl InboxActor {
    /// An inbox flushing every `every` through the main bot.
    pub fn new(main: BotClient, every: std::time::Duration) -> Self {
        Self { main, every, pending: BTreeMap::new() }
    }

    fn flush(&mut self) {
        for (chat_id, pending) in std::mem::take(&mut self.pending) {
            let mut text = pending.lines.join("\n");
            if pending.more > 0 {
                text.push_str(&format!("\n… +{}", pending.more));
            }
            let bot = self.main.clone();
            actix::spawn(async move {
                if let Err(e) = bot.throttled().send_message(ChatId(chat_id), text).await {
                    tracing::info!(chat_id, failure = ?classify(&e), "owner notice not delivered");
                }
            });
        }
    }
}

impl Actor for InboxActor {
    type Context = Context<Self>;

    fn started(&mut self, ctx: &mut Self::Context) {
        ctx.run_interval(self.every, |this, _| this.flush());
    }
}

impl Handler<Inform> for InboxActor {
    type Result = ();

    fn handle(&mut self, msg: Inform, _ctx: &mut Self::Context) {
        self.pending.entry(msg.chat_id).or_default().push(msg.text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_beyond_the_cap_are_counted_not_kept() {
        let mut pending = Pending::default();
        for i in 0..25 {
            pending.push(i.to_string());
        }
        assert_eq!((pending.lines.len(), pending.more), (20, 5));
    }
}
