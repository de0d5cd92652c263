//! A shop with Click connected, and customers reaching Click's checkout from the seller bot.

use std::sync::Arc;

use getolog::{
    db::payment_accounts::PaymentAccount,
    services::payment_accounts::{self, ClickCredentials},
    simulator::{
        click::{open_checkout, ClickCheckout, ClickSandbox},
        SimUser,
    },
};

use super::{shop::Shop, TestApp};

/// The secret key every test shop's Click uses.
pub const CLICK_SECRET: &str = "Click#Secret&2026";
/// The service every test shop's Click uses.
pub const CLICK_SERVICE: i64 = 41_234;

impl TestApp {
    /// Connects Click for the shop's bot, as the owner's settings would store it, and returns
    /// Click calling the account's two URLs.
    pub async fn connect_click(&self, shop: &Shop) -> (PaymentAccount, ClickSandbox) {
        let bot_id = self.user_bot_id(shop.bot).await;
        let service = CLICK_SERVICE.to_string();
        let given = ClickCredentials {
            service_id: &service,
            merchant_id: "7001",
            merchant_user_id: "9001",
            secret: CLICK_SECRET,
        };
        let now = getolog::clock::Clock::now(&self.clock);
        let account =
            payment_accounts::connect_click(&mut self.db().await, &self.env.settings.vault, bot_id, &given, now)
                .await
                .expect("click connected");
        let (prepare, complete) = payment_accounts::click_endpoints(&self.address, &account);
        let click = ClickSandbox::new((&prepare, &complete), CLICK_SERVICE, CLICK_SECRET, Arc::new(self.clock.clone()));
        (account, click)
    }

    /// The customer buys the shop's channel with Click (from the offer on screen, else after
    /// `/start` in English): the checkout the seller bot's button opens.
    pub async fn click_checkout(&self, shop: &Shop, customer: &SimUser) -> ClickCheckout {
        let url = self.checkout_url(shop, customer, "click", "https://my.click.uz").await;
        open_checkout(&url).expect("a Click checkout link")
    }
}
