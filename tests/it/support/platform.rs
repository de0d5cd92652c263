//! The platform's own Payme, Click and Uzum account (owners pay their plans into it), as the
//! operator's `PLATFORM_*` variables would configure it, and the providers calling it.

use std::sync::Arc;

use getolog::{
    crypto::TokenVault,
    db::payment_accounts::{Merchant, PaymentAccount, PLATFORM_ROUTE},
    simulator::{click::ClickSandbox, payme::PaymeSandbox, uzum::UzumSandbox},
};

use super::{TestApp, TestEnv};

/// The platform cashbox's sandbox key.
pub const PLATFORM_PAYME_KEY: &str = "Platform#Key&Sandbox?2026_abc";
/// The platform's cashbox id.
pub const PLATFORM_CASHBOX: &str = "6a730e8e0b852a417aa49cec";
/// The platform's Click service.
pub const PLATFORM_CLICK_SERVICE: i64 = 70_001;
/// The platform's Click secret key.
pub const PLATFORM_CLICK_SECRET: &str = "platform-click-secret";
/// The platform's Uzum service.
pub const PLATFORM_UZUM_SERVICE: i64 = 80_001;
/// The platform's Uzum login and password.
pub const PLATFORM_UZUM: (&str, &str) = ("getolog", "platform-uzum-password");

/// The account the three `PLATFORM_*` groups give (Payme in test mode).
pub fn platform_account(vault: &TokenVault) -> PaymentAccount {
    PaymentAccount {
        id: 0,
        merchant: Merchant::Platform,
        route_key: PLATFORM_ROUTE.to_owned(),
        payme_merchant_id: Some(PLATFORM_CASHBOX.into()),
        payme_key: None,
        payme_test_key: Some(vault.encrypt_secret(PLATFORM_PAYME_KEY)),
        payme_test_mode: true,
        payme_enabled: true,
        click_service_id: Some(PLATFORM_CLICK_SERVICE),
        click_merchant_id: Some(70_002),
        click_merchant_user_id: Some(70_003),
        click_secret: Some(vault.encrypt_secret(PLATFORM_CLICK_SECRET)),
        click_enabled: true,
        uzum_service_id: Some(PLATFORM_UZUM_SERVICE),
        uzum_login: Some(PLATFORM_UZUM.0.into()),
        uzum_password: Some(vault.encrypt_secret(PLATFORM_UZUM.1)),
        uzum_enabled: true,
    }
}

impl TestEnv {
    /// Configures the platform's own account with all three providers.
    pub fn with_platform_account(&mut self) {
        self.settings.platform_account = Some(platform_account(&self.settings.vault));
    }
}

impl TestApp {
    /// Payme calling the platform's endpoint.
    pub fn platform_payme(&self) -> PaymeSandbox {
        let endpoint = format!("{}/pay/payme/{PLATFORM_ROUTE}", self.address);
        PaymeSandbox::new(&endpoint, PLATFORM_PAYME_KEY, Arc::new(self.clock.clone()))
    }

    /// Click calling the platform's endpoints.
    pub fn platform_click(&self) -> ClickSandbox {
        let base = format!("{}/pay/click/{PLATFORM_ROUTE}", self.address);
        let urls = (format!("{base}/prepare"), format!("{base}/complete"));
        ClickSandbox::new(
            (&urls.0, &urls.1),
            PLATFORM_CLICK_SERVICE,
            PLATFORM_CLICK_SECRET,
            Arc::new(self.clock.clone()),
        )
    }

    /// Uzum calling the platform's endpoints.
    pub fn platform_uzum(&self) -> UzumSandbox {
        let base = format!("{}/pay/uzum/{PLATFORM_ROUTE}", self.address);
        UzumSandbox::new(&base, PLATFORM_UZUM_SERVICE, PLATFORM_UZUM, Arc::new(self.clock.clone()))
    }

    /// The owner opens the plan screen, chooses `months`, then `provider` (`pm`, `ck`, `uz`);
    /// returns the URL of the checkout button.
    pub async fn plan_checkout_url(&self, owner: &getolog::simulator::SimUser, months: i32, provider: &str) -> String {
        let main = self.main_id();
        self.say(main, owner, "/plan").await;
        self.press(main, owner, &format!("pl:{months}")).await;
        let screen = self.press(main, owner, &format!("pl:{months}:{provider}")).await;
        screen
            .buttons()
            .into_iter()
            .flatten()
            .map(|(_, data)| data)
            .find(|d| d.starts_with("https://"))
            .unwrap_or_else(|| panic!("no checkout button in {:?}", screen.text))
    }
}
