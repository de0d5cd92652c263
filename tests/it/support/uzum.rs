//! A shop with Uzum Bank connected, and customers reaching Uzum's service link.

use std::sync::Arc;

use getolog::{
    db::payment_accounts::PaymentAccount,
    services::payment_accounts::{self, UzumCredentials},
    simulator::{
        uzum::{open_checkout, UzumCheckout, UzumSandbox},
        SimUser,
    },
};

use super::{shop::Shop, TestApp};

/// The service every test shop's Uzum uses.
pub const UZUM_SERVICE: i64 = 50_123;
/// The credentials every test shop agreed with Uzum.
pub const UZUM_LOGIN: (&str, &str) = ("kamola_shop", "Uzum#Pass&2026");

impl TestApp {
    /// Connects Uzum for the shop's bot and returns Uzum calling the account's webhooks.
    pub async fn connect_uzum(&self, shop: &Shop) -> (PaymentAccount, UzumSandbox) {
        let bot_id = self.user_bot_id(shop.bot).await;
        let service = UZUM_SERVICE.to_string();
        let given = UzumCredentials { service_id: &service, login: UZUM_LOGIN.0, password: UZUM_LOGIN.1 };
        let now = getolog::clock::Clock::now(&self.clock);
        let account =
            payment_accounts::connect_uzum(&mut self.db().await, &self.env.settings.vault, bot_id, &given, now)
                .await
                .expect("uzum connected");
        let base = payment_accounts::uzum_endpoint(&self.address, &account);
        (account, UzumSandbox::new(&base, UZUM_SERVICE, UZUM_LOGIN, Arc::new(self.clock.clone())))
    }

    /// The customer buys the shop's channel with Uzum: the service link the button opens.
    pub async fn uzum_checkout(&self, shop: &Shop, customer: &SimUser) -> UzumCheckout {
        let url = self.checkout_url(shop, customer, "uzum", "https://www.uzumbank.uz").await;
        open_checkout(&url).expect("an Uzum service link")
    }
}
