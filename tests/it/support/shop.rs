//! A seller bot ready to sell (linked channel, price, card) and driving its customers.

use std::time::Duration;

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::channels,
    simulator::{ChatKind, Rights, SentMessage, SimUser, Simulator},
};

use super::TestApp;

/// An owner's shop that can sell its channel.
#[derive(Debug, Clone)]
pub struct Shop {
    /// The owner in the main bot.
    pub owner: SimUser,
    /// The seller bot's Telegram id.
    pub bot: i64,
    /// The channel's Telegram chat id.
    pub chat: i64,
    /// The channel's `channels.id`.
    pub channel: i64,
}

impl TestApp {
    /// Registers an owner (English), connects `username`, links a channel "VIP club" priced
    /// 50 000 UZS for 1 month, and sets the card 8600 1234 1234 1239 / "Kamola Yusupova".
    pub async fn ready_shop(&self, owner_id: i64, username: &str) -> Shop {
        self.ready_shop_of(ChatKind::Channel, owner_id, username).await
    }

    /// Like [`ready_shop`](Self::ready_shop), selling a chat of `kind` (a group is also
    /// titled "VIP club").
    pub async fn ready_shop_of(&self, kind: ChatKind, owner_id: i64, username: &str) -> Shop {
        let owner = self.register_owner(owner_id, "Kamola", "en").await;
        let bot = self.connect_bot(&owner, username).await.id;
        let chat = self.sim().create_chat(kind, "VIP club");
        self.sim().set_bot_rights(chat, bot, Some(Rights::getolog())).await.unwrap();
        let asked =
            if kind == ChatKind::Channel { "Sell access to this channel?" } else { "Sell access to this group?" };
        self.wait_for_owner_message(&owner, asked).await;
        let channel: i64 = channels::table
            .filter(channels::telegram_chat_id.eq(chat))
            .select(channels::id)
            .first(&mut self.db().await)
            .await
            .unwrap();
        let main = self.main_id();
        self.press(main, &owner, &format!("c:{channel}:link")).await;
        self.press(main, &owner, &format!("c:{channel}:price")).await;
        self.say(main, &owner, "50 000").await;
        self.say(main, &owner, "/menu").await;
        self.press(main, &owner, "s").await;
        self.press(main, &owner, "s:card").await;
        self.say(main, &owner, "8600 1234 1234 1239").await;
        self.press(main, &owner, "s:holder").await;
        self.say(main, &owner, "Kamola Yusupova").await;
        Shop { owner, bot, chat, channel }
    }

    /// A customer starts the shop, picks English, buys the channel by card and sends a
    /// photo receipt; returns the owner's review message in the main bot.
    pub async fn buy_and_send_receipt(&self, shop: &Shop, customer: &SimUser) -> SentMessage {
        self.buy_and_send_receipt_after_start(shop, customer, "en").await;
        self.wait_for_owner_message(&shop.owner, "awaits your review").await
    }

    /// Like [`buy_and_send_receipt`](Self::buy_and_send_receipt) in language `lang`, without
    /// waiting for the owner's copy.
    pub async fn buy_and_send_receipt_after_start(&self, shop: &Shop, customer: &SimUser, lang: &str) {
        self.start_and_choose(shop.bot, customer, lang).await;
        self.press(shop.bot, customer, &format!("buy:{}", shop.channel)).await;
        self.press(shop.bot, customer, &format!("pay:{}:card", shop.channel)).await;
        let d = self.sim().send_photo(shop.bot, customer, None).await.unwrap();
        assert_eq!(d.status, 200);
    }
}

impl TestApp {
    /// Waits (bounded) until `bot` has told the customer something containing `needle` (a
    /// decision's notice goes by the courier, a moment after the press); returns the newest
    /// such message.
    pub async fn wait_for_customer_message(&self, bot: i64, customer: &SimUser, needle: &str) -> SentMessage {
        wait_for_message(self.sim(), bot, customer.id, needle).await
    }

    /// Waits for the personal invite link `bot` hands the customer (the courier delivers it a
    /// moment after the decision) and returns the newest one, with its message.
    pub async fn wait_for_link(&self, bot: i64, customer: &SimUser) -> (String, String) {
        let text = self.wait_for_customer_message(bot, customer, "https://t.me/+").await.text.unwrap_or_default();
        (link_in(&text), text)
    }
}

impl TestApp {
    /// Waits (bounded, 10 s) until the courier has carried out everything queued.
    pub async fn wait_for_courier(&self) {
        use getolog::db::schema::deliveries;
        for _ in 0..200 {
            let open: i64 = deliveries::table
                .filter(deliveries::done_at.is_null())
                .count()
                .get_result(&mut self.db().await)
                .await
                .expect("deliveries");
            if open == 0 {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the courier left deliveries undone");
    }
}

/// The first invite link in a message.
pub fn link_in(text: &str) -> String {
    text.split_whitespace().find(|w| w.starts_with("https://t.me/+")).expect("an invite link").to_owned()
}

/// Waits (bounded, 10 s) until `bot` has sent `chat` a message containing `needle`; returns
/// the newest such message.
pub async fn wait_for_message(sim: &Simulator, bot: i64, chat: i64, needle: &str) -> SentMessage {
    let has = |m: &SentMessage| m.from_bot && m.text.as_deref().unwrap_or("").contains(needle);
    let found = sim.wait_for(Duration::from_secs(10), |s| s.messages_in(bot, chat).iter().any(has)).await;
    assert!(found, "{chat} never got {needle:?} from {bot}: {:#?}", sim.messages_in(bot, chat));
    sim.messages_in(bot, chat).into_iter().rev().find(|m| has(m)).expect("message")
}

/// How many messages `bot` sent `chat` containing `needle`.
pub fn count_messages(sim: &Simulator, bot: i64, chat: i64, needle: &str) -> usize {
    let has = |m: &SentMessage| m.from_bot && m.text.as_deref().unwrap_or("").contains(needle);
    sim.messages_in(bot, chat).iter().filter(|m| has(m)).count()
}
