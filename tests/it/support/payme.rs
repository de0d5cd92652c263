//! A shop with Payme connected, and customers reaching Payme's checkout from the seller bot.

use std::sync::Arc;

use getolog::{
    db::payment_accounts::PaymentAccount,
    services::payment_accounts::{self, PaymeCredentials},
    simulator::{
        payme::{open_checkout, PaymeCheckout, PaymeSandbox},
        SimUser,
    },
};

use super::{shop::Shop, TestApp};

/// The sandbox key every test shop's Payme uses.
pub const PAYME_TEST_KEY: &str = "Test#Key&Sandbox?2026_xyz";
/// The cashbox id every test shop's Payme uses.
pub const PAYME_CASHBOX: &str = "5e730e8e0b852a417aa49ceb";

impl TestApp {
    /// Connects Payme (sandbox key, test mode) for the shop's bot, as the owner's settings
    /// would store it, and returns Payme calling the account's endpoint.
    pub async fn connect_payme(&self, shop: &Shop) -> (PaymentAccount, PaymeSandbox) {
        let bot_id = self.user_bot_id(shop.bot).await;
        let given =
            PaymeCredentials { merchant_id: PAYME_CASHBOX, key: None, test_key: Some(PAYME_TEST_KEY), test_mode: true };
        let account = payment_accounts::connect_payme(
            &mut self.db().await,
            &self.env.settings.vault,
            bot_id,
            &given,
            getolog::clock::Clock::now(&self.clock),
        )
        .await
        .expect("payme connected");
        let endpoint = payment_accounts::payme_endpoint(&self.address, &account);
        (account, PaymeSandbox::new(&endpoint, PAYME_TEST_KEY, Arc::new(self.clock.clone())))
    }

    /// The customer buys the shop's channel with Payme (from the offer on screen, else after
    /// `/start` in English): the checkout the seller bot's button opens.
    pub async fn payme_checkout(&self, shop: &Shop, customer: &SimUser) -> PaymeCheckout {
        let url = self.checkout_url(shop, customer, "payme", "https://checkout").await;
        open_checkout(&url).expect("a Payme checkout link")
    }

    /// Presses Buy and then the provider's method for the shop's channel; returns the URL of
    /// the checkout button (starting with `prefix`).
    pub async fn checkout_url(&self, shop: &Shop, customer: &SimUser, provider: &str, prefix: &str) -> String {
        let buy = format!("buy:{}", shop.channel);
        let last = self
            .last_message(shop.bot, customer.id)
            .buttons()
            .into_iter()
            .flatten()
            .map(|(_, d)| d)
            .collect::<Vec<_>>();
        if last.iter().any(|d| d == "offer") {
            self.press(shop.bot, customer, "offer").await;
        } else if !last.contains(&buy) {
            self.start_and_choose(shop.bot, customer, "en").await;
        }
        self.press(shop.bot, customer, &buy).await;
        let screen = self.press(shop.bot, customer, &format!("pay:{}:{provider}", shop.channel)).await;
        screen
            .buttons()
            .into_iter()
            .flatten()
            .map(|(_, data)| data)
            .find(|d| d.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {provider} checkout button in {:?}", screen.text))
    }

    /// `user_bots.id` of a bot.
    pub async fn user_bot_id(&self, telegram_bot_id: i64) -> i64 {
        use diesel::{ExpressionMethods, QueryDsl};
        use diesel_async::RunQueryDsl;
        use getolog::db::schema::user_bots;
        user_bots::table
            .filter(user_bots::telegram_bot_id.eq(telegram_bot_id))
            .select(user_bots::id)
            .first(&mut self.db().await)
            .await
            .expect("the bot is stored")
    }
}
