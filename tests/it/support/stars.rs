//! A shop selling its channel for Telegram Stars, and a customer's way to its invoice.

use std::sync::Arc;

use diesel::{ExpressionMethods, QueryDsl};
use diesel_async::RunQueryDsl;
use getolog::{
    db::schema::{star_subscriptions, subscriptions},
    simulator::{SentMessage, SimUser},
};

use super::{shop::Shop, TestApp};

impl TestApp {
    /// A ready shop whose channel is sold for `months` (1: a monthly Stars subscription) at
    /// `stars` Stars as well as 50 000 UZS, with Stars switched on. The simulator's Stars
    /// follow the test's clock.
    pub async fn stars_shop(&self, owner_id: i64, username: &str, months: i32, stars: i32) -> Shop {
        self.sim().use_clock_for_stars(Arc::new(self.clock.clone()));
        let shop = self.ready_shop(owner_id, username).await;
        let main = self.main_id();
        if months != 1 {
            self.press(main, &shop.owner, &format!("c:{}:period", shop.channel)).await;
            self.press(main, &shop.owner, &format!("c:{}:period:{months}", shop.channel)).await;
        }
        self.press(main, &shop.owner, &format!("c:{}:stars", shop.channel)).await;
        let saved = self.say(main, &shop.owner, &stars.to_string()).await;
        assert!(saved.text.unwrap_or_default().contains('⭐'), "the Stars price was not saved");
        self.say(main, &shop.owner, "/menu").await;
        self.press(main, &shop.owner, "s").await;
        self.press(main, &shop.owner, "s:methods").await;
        self.press(main, &shop.owner, "s:method:stars:on").await;
        shop
    }

    /// The customer starts the shop (English), presses Buy, then ⭐: returns the bot's
    /// newest message (the invoice, or the subscription link's message).
    pub async fn stars_invoice(&self, shop: &Shop, customer: &SimUser) -> SentMessage {
        self.start_and_choose(shop.bot, customer, "en").await;
        self.press(shop.bot, customer, &format!("buy:{}", shop.channel)).await;
        self.press(shop.bot, customer, &format!("pay:{}:stars", shop.channel)).await
    }

    /// The owner presses a main-bot button by its data (as from the menu); returns the text
    /// the main bot shows them next.
    pub async fn press_forged_screen(&self, owner: &SimUser, data: &str) -> String {
        self.press_forged(self.main_id(), owner, data).await;
        self.last_message(self.main_id(), owner.id).text.unwrap_or_default()
    }

    /// The URL of the first link button of a message.
    pub fn link_button(message: &SentMessage) -> String {
        let markup = message.reply_markup.clone().unwrap_or_default();
        markup["inline_keyboard"][0][0]["url"].as_str().unwrap_or_else(|| panic!("no link button: {markup}")).to_owned()
    }

    /// The customer's subscription end in the shop's chat.
    pub async fn access_end(&self, shop: &Shop) -> Option<chrono::DateTime<chrono::Utc>> {
        subscriptions::table
            .filter(subscriptions::channel_id.eq(shop.channel))
            .select(subscriptions::expires_at)
            .first(&mut self.db().await)
            .await
            .expect("a subscription")
    }

    /// The state, paid end and renewals of the shop's one Stars subscription.
    pub async fn star_subscription(&self, shop: &Shop) -> (String, chrono::DateTime<chrono::Utc>, i32) {
        star_subscriptions::table
            .filter(star_subscriptions::channel_id.eq(shop.channel))
            .select((star_subscriptions::state, star_subscriptions::paid_until, star_subscriptions::renewals))
            .first(&mut self.db().await)
            .await
            .expect("a Stars subscription")
    }

    /// Waits (bounded, 5 s) until the customer's join is recorded on the shop's subscription:
    /// the join's own update writes that row, and the warnings' claim skips a row being written.
    pub async fn wait_for_join_recorded(&self, shop: &Shop) {
        for _ in 0..100 {
            let recorded: Option<chrono::DateTime<chrono::Utc>> = subscriptions::table
                .filter(subscriptions::channel_id.eq(shop.channel))
                .select(subscriptions::joined_at)
                .first(&mut self.db().await)
                .await
                .expect("a subscription");
            if recorded.is_some() {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// What the scheduler's claims look at for the shop's subscription and bots (for a
    /// failure's message).
    pub async fn claim_view(&self, shop: &Shop) -> String {
        use getolog::db::schema::user_bots;
        let id: i64 = subscriptions::table
            .filter(subscriptions::channel_id.eq(shop.channel))
            .select(subscriptions::id)
            .first(&mut self.db().await)
            .await
            .expect("a subscription");
        let bots: Vec<(bool, String)> = user_bots::table
            .select((user_bots::is_active, user_bots::health))
            .load(&mut self.db().await)
            .await
            .expect("bots");
        format!("subscription {:?}, bots {bots:?}", self.subscription_state(id).await)
    }
}
