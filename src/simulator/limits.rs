//! Telegram's flood limits, as the Bot API enforces them on sending methods: about 30
//! messages per second per bot, 1 per second per chat, and 20 per minute per group. Beyond
//! them Telegram answers 429 `Too Many Requests: retry after N` with `parameters.retry_after`.
//!
//! Off by default (tests that drive a conversation quickly stay fast); a test of pacing turns
//! it on with [`Simulator::set_flood_limits`](super::Simulator::set_flood_limits).

use std::{
    collections::{HashMap, VecDeque},
    time::{Duration, Instant},
};

/// Messages per second one bot may send in all.
pub const PER_BOT_PER_SECOND: usize = 30;
/// Messages per second to one chat.
pub const PER_CHAT_PER_SECOND: usize = 1;
/// Messages per minute to one group, supergroup or channel.
pub const PER_GROUP_PER_MINUTE: usize = 20;
/// Slack on the windows: a client that paces its sends a second apart may see them arrive a
/// little closer (a slower upload, a network hop), and Telegram does not count to the
/// millisecond either.
const JITTER: Duration = Duration::from_millis(200);

/// The methods that send a message (edits and answers have no such limit).
pub fn is_sending(method: &str) -> bool {
    matches!(
        method,
        "sendMessage"
            | "sendPhoto"
            | "sendDocument"
            | "sendVideo"
            | "sendAnimation"
            | "sendAudio"
            | "sendVoice"
            | "sendMediaGroup"
            | "sendInvoice"
            | "copyMessage"
            | "forwardMessage"
    )
}

/// When each bot and each (bot, chat) last sent, within the windows that matter.
#[derive(Default)]
pub struct FloodLimits {
    on: bool,
    per_bot: HashMap<i64, VecDeque<Instant>>,
    per_chat: HashMap<(i64, i64), VecDeque<Instant>>,
}

impl FloodLimits {
    /// Turns the limits on or off (and forgets the past).
    pub fn set(&mut self, on: bool) {
        *self = FloodLimits { on, ..FloodLimits::default() };
    }

    /// Admits one message from `bot_id` to `chat_id` at `now`, or says after how many whole
    /// seconds it may be retried.
    pub fn admit(&mut self, bot_id: i64, chat_id: i64, now: Instant) -> Result<(), u32> {
        if !self.on {
            return Ok(());
        }
        let (chat_window, chat_cap) = if chat_id < 0 {
            (Duration::from_secs(60) - JITTER, PER_GROUP_PER_MINUTE)
        } else {
            (Duration::from_secs(1) - JITTER, PER_CHAT_PER_SECOND)
        };
        let bot = self.per_bot.entry(bot_id).or_default();
        let bot_wait = wait(bot, Duration::from_secs(1) - JITTER, PER_BOT_PER_SECOND, now);
        let chat = self.per_chat.entry((bot_id, chat_id)).or_default();
        let chat_wait = wait(chat, chat_window, chat_cap, now);
        match bot_wait.max(chat_wait) {
            Some(wait) => Err(wait.as_secs_f64().ceil().max(1.0) as u32),
            None => {
                chat.push_back(now);
                self.per_bot.entry(bot_id).or_default().push_back(now);
                Ok(())
            }
        }
    }
}

/// Forgets sends older than `window`; when `cap` remain, how long until the oldest leaves.
fn wait(sent: &mut VecDeque<Instant>, window: Duration, cap: usize, now: Instant) -> Option<Duration> {
    while sent.front().is_some_and(|t| now.duration_since(*t) >= window) {
        sent.pop_front();
    }
    (sent.len() >= cap).then(|| window - now.duration_since(sent[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chats_groups_and_bots_have_telegrams_limits() {
        let mut limits = FloodLimits::default();
        let t0 = Instant::now();
        assert_eq!(limits.admit(1, 5, t0), Ok(()), "off by default");
        assert_eq!(limits.admit(1, 5, t0), Ok(()));
        limits.set(true);
        assert_eq!(limits.admit(1, 5, t0), Ok(()));
        assert_eq!(limits.admit(1, 5, t0 + Duration::from_millis(300)), Err(1), "1 per second per chat");
        assert_eq!(limits.admit(1, 5, t0 + Duration::from_secs(1)), Ok(()));
        assert_eq!(limits.admit(2, 5, t0), Ok(()), "per bot");
        for i in 0..20 {
            assert_eq!(limits.admit(1, -100, t0 + Duration::from_secs(i)), Ok(()), "group message {i}");
        }
        assert_eq!(limits.admit(1, -100, t0 + Duration::from_secs(21)), Err(39), "20 per minute per group");
        assert_eq!(limits.admit(1, 6, t0), Ok(()));
        assert_eq!(limits.admit(1, 6, t0 + Duration::from_millis(850)), Ok(()), "a paced send that arrived early");
        let mut bot = FloodLimits::default();
        bot.set(true);
        for chat in 0..30 {
            assert_eq!(bot.admit(9, chat, t0), Ok(()));
        }
        assert_eq!(bot.admit(9, 31, t0 + Duration::from_millis(10)), Err(1), "30 per second per bot");
    }
}
