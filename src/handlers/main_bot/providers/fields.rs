//! The values each provider needs, how an owner's typed value is checked and stored
//! (secrets encrypted), and when a provider is switched on by itself.

use chrono::{DateTime, Utc};

use super::super::Session;
use crate::{
    db::payment_accounts::{self, ClickChange, PaymeChange, PaymentAccount, UzumChange},
    handlers::HandlerError,
    services::payment_accounts::{
        click_id, click_secret, payme_key, payme_merchant_id, uzum_login, uzum_password, CredentialError,
    },
};

/// A payment provider an owner connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Provider {
    /// Payme Business.
    Payme,
    /// Click.
    Click,
    /// Uzum Bank.
    Uzum,
}

impl Provider {
    /// Every provider, in the methods screen's order.
    pub const ALL: [Provider; 3] = [Provider::Payme, Provider::Click, Provider::Uzum];

    /// Its name for people.
    pub fn label(self) -> &'static str {
        match self {
            Provider::Payme => "Payme",
            Provider::Click => "Click",
            Provider::Uzum => "Uzum",
        }
    }

    /// Its part of the callback data.
    pub fn data_code(self) -> &'static str {
        match self {
            Provider::Payme => "pm",
            Provider::Click => "ck",
            Provider::Uzum => "uz",
        }
    }

    /// The provider of a callback data part.
    pub fn from_data_code(code: &str) -> Option<Self> {
        match code {
            "pm" => Some(Provider::Payme),
            "ck" => Some(Provider::Click),
            "uz" => Some(Provider::Uzum),
            _ => None,
        }
    }

    /// Fluent key of its button on the methods screen.
    pub fn button_key(self) -> &'static str {
        match self {
            Provider::Payme => "button-payme",
            Provider::Click => "button-click",
            Provider::Uzum => "button-uzum",
        }
    }

    /// Whether every value it needs is set.
    pub fn complete(self, account: &PaymentAccount) -> bool {
        match self {
            Provider::Payme => account.payme_merchant_id.is_some() && account.payme_key_in_use().is_some(),
            Provider::Click => account.click_complete(),
            Provider::Uzum => account.uzum_complete(),
        }
    }

    /// Whether customers are offered it.
    pub fn ready(self, account: &PaymentAccount) -> bool {
        match self {
            Provider::Payme => account.payme_ready(),
            Provider::Click => account.click_ready(),
            Provider::Uzum => account.uzum_ready(),
        }
    }
}

/// One value an owner types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Payme's cashbox id.
    PaymeCashbox,
    /// Payme's production key.
    PaymeKey,
    /// Payme's test key.
    PaymeTestKey,
    /// Click's `service_id`.
    ClickService,
    /// Click's `merchant_id`.
    ClickMerchant,
    /// Click's `merchant_user_id`.
    ClickMerchantUser,
    /// Click's secret key.
    ClickSecret,
    /// Uzum's `serviceId`.
    UzumService,
    /// The login agreed with Uzum.
    UzumLogin,
    /// The password agreed with Uzum.
    UzumPassword,
}

impl Field {
    /// Every field.
    pub const ALL: [Field; 10] = [
        Field::PaymeCashbox,
        Field::PaymeKey,
        Field::PaymeTestKey,
        Field::ClickService,
        Field::ClickMerchant,
        Field::ClickMerchantUser,
        Field::ClickSecret,
        Field::UzumService,
        Field::UzumLogin,
        Field::UzumPassword,
    ];

    /// Its provider.
    pub fn provider(self) -> Provider {
        match self {
            Field::PaymeCashbox | Field::PaymeKey | Field::PaymeTestKey => Provider::Payme,
            Field::UzumService | Field::UzumLogin | Field::UzumPassword => Provider::Uzum,
            _ => Provider::Click,
        }
    }

    /// Its part of the callback data.
    pub fn code(self) -> &'static str {
        match self {
            Field::PaymeCashbox => "id",
            Field::PaymeKey => "key",
            Field::PaymeTestKey => "tkey",
            Field::ClickService => "svc",
            Field::ClickMerchant => "mer",
            Field::ClickMerchantUser => "usr",
            Field::ClickSecret => "sec",
            Field::UzumService => "svc",
            Field::UzumLogin => "login",
            Field::UzumPassword => "pwd",
        }
    }

    /// The provider's field with this code.
    pub fn from_code(provider: Provider, code: &str) -> Option<Self> {
        Field::ALL.into_iter().find(|f| f.provider() == provider && f.code() == code)
    }

    /// Whether it is a secret (deleted from the chat, stored encrypted, never shown).
    pub fn secret(self) -> bool {
        matches!(self, Field::PaymeKey | Field::PaymeTestKey | Field::ClickSecret | Field::UzumPassword)
    }

    /// Fluent key of the question.
    pub fn ask_key(self) -> &'static str {
        match self {
            Field::PaymeCashbox => "payme-ask-cashbox",
            Field::PaymeKey => "payme-ask-key",
            Field::PaymeTestKey => "payme-ask-test-key",
            Field::ClickService => "click-ask-service",
            Field::ClickMerchant => "click-ask-merchant",
            Field::ClickMerchantUser => "click-ask-merchant-user",
            Field::ClickSecret => "click-ask-secret",
            Field::UzumService => "uzum-ask-service",
            Field::UzumLogin => "uzum-ask-login",
            Field::UzumPassword => "uzum-ask-password",
        }
    }
}

/// Checks and stores a typed value; `Ok(Err(_))` is a refused value.
pub async fn store_value(
    session: &Session<'_>,
    user_bot_id: i64,
    field: Field,
    text: &str,
) -> Result<Result<PaymentAccount, CredentialError>, HandlerError> {
    let vault = &session.ctx.app.settings.vault;
    let now = session.ctx.app.clock.now();
    let stored = match field {
        Field::PaymeCashbox => match payme_merchant_id(text) {
            Ok(id) => {
                store_payme(session, user_bot_id, &PaymeChange { merchant_id: Some(&id), ..Default::default() }, now)
                    .await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::PaymeKey | Field::PaymeTestKey => match payme_key(text) {
            Ok(key) => {
                let encrypted = vault.encrypt_secret(&key);
                let change = if field == Field::PaymeTestKey {
                    PaymeChange { test_key: Some(&encrypted), ..Default::default() }
                } else {
                    PaymeChange { key: Some(&encrypted), ..Default::default() }
                };
                store_payme(session, user_bot_id, &change, now).await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::ClickSecret => match click_secret(text) {
            Ok(secret) => {
                let encrypted = vault.encrypt_secret(&secret);
                store_click(session, user_bot_id, &ClickChange { secret: Some(&encrypted), ..Default::default() }, now)
                    .await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::UzumService => match click_id(text) {
            Ok(id) => {
                store_uzum(session, user_bot_id, &UzumChange { service_id: Some(id), ..Default::default() }, now)
                    .await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::UzumLogin => match uzum_login(text) {
            Ok(login) => {
                store_uzum(session, user_bot_id, &UzumChange { login: Some(&login), ..Default::default() }, now).await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::UzumPassword => match uzum_password(text) {
            Ok(password) => {
                let encrypted = vault.encrypt_secret(&password);
                store_uzum(session, user_bot_id, &UzumChange { password: Some(&encrypted), ..Default::default() }, now)
                    .await?
            }
            Err(e) => return Ok(Err(e)),
        },
        Field::ClickService | Field::ClickMerchant | Field::ClickMerchantUser => match click_id(text) {
            Ok(id) => {
                let change = match field {
                    Field::ClickService => ClickChange { service_id: Some(id), ..Default::default() },
                    Field::ClickMerchant => ClickChange { merchant_id: Some(id), ..Default::default() },
                    _ => ClickChange { merchant_user_id: Some(id), ..Default::default() },
                };
                store_click(session, user_bot_id, &change, now).await?
            }
            Err(e) => return Ok(Err(e)),
        },
    };
    Ok(Ok(stored))
}

/// Payme's test mode on or off.
pub async fn store_mode(
    session: &Session<'_>,
    user_bot_id: i64,
    test: bool,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    store_payme(session, user_bot_id, &PaymeChange { test_mode: Some(test), ..Default::default() }, now).await
}

/// Offers a provider, or stops offering it.
pub async fn store_switch(
    session: &Session<'_>,
    account_id: i64,
    provider: Provider,
    on: bool,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let mut conn = session.conn().await?;
    Ok(match provider {
        Provider::Payme => {
            let change = PaymeChange { enabled: Some(on), ..Default::default() };
            payment_accounts::change_payme(&mut conn, account_id, &change, now).await?
        }
        Provider::Click => {
            let change = ClickChange { enabled: Some(on), ..Default::default() };
            payment_accounts::change_click(&mut conn, account_id, &change, now).await?
        }
        Provider::Uzum => {
            let change = UzumChange { enabled: Some(on), ..Default::default() };
            payment_accounts::change_uzum(&mut conn, account_id, &change, now).await?
        }
    })
}

/// Stores a Payme change on the bot's account (made on first use), switching Payme on the
/// first time it is complete.
async fn store_payme(
    session: &Session<'_>,
    user_bot_id: i64,
    change: &PaymeChange<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let mut conn = session.conn().await?;
    let account =
        payment_accounts::ensure(&mut conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let was_complete = Provider::Payme.complete(&account);
    let account = payment_accounts::change_payme(&mut conn, account.id, change, now).await?;
    if !was_complete && Provider::Payme.complete(&account) && !account.payme_enabled {
        let on = PaymeChange { enabled: Some(true), ..Default::default() };
        return Ok(payment_accounts::change_payme(&mut conn, account.id, &on, now).await?);
    }
    Ok(account)
}

/// Stores a Click change, switching Click on the first time it is complete.
async fn store_click(
    session: &Session<'_>,
    user_bot_id: i64,
    change: &ClickChange<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let mut conn = session.conn().await?;
    let account =
        payment_accounts::ensure(&mut conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let was_complete = Provider::Click.complete(&account);
    let account = payment_accounts::change_click(&mut conn, account.id, change, now).await?;
    if !was_complete && Provider::Click.complete(&account) && !account.click_enabled {
        let on = ClickChange { enabled: Some(true), ..Default::default() };
        return Ok(payment_accounts::change_click(&mut conn, account.id, &on, now).await?);
    }
    Ok(account)
}

/// Stores an Uzum change, switching Uzum on the first time it is complete.
async fn store_uzum(
    session: &Session<'_>,
    user_bot_id: i64,
    change: &UzumChange<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let mut conn = session.conn().await?;
    let account =
        payment_accounts::ensure(&mut conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let was_complete = Provider::Uzum.complete(&account);
    let account = payment_accounts::change_uzum(&mut conn, account.id, change, now).await?;
    if !was_complete && Provider::Uzum.complete(&account) && !account.uzum_enabled {
        let on = UzumChange { enabled: Some(true), ..Default::default() };
        return Ok(payment_accounts::change_uzum(&mut conn, account.id, &on, now).await?);
    }
    Ok(account)
}
