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

    /// Whether it is switched on (offered once complete).
    pub fn enabled(self, account: &PaymentAccount) -> bool {
        match self {
            Provider::Payme => account.payme_enabled,
            Provider::Click => account.click_enabled,
            Provider::Uzum => account.uzum_enabled,
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

/// A checked value: text (a secret already encrypted) or a number.
enum Value {
    Text(String),
    Id(i64),
}

/// A change to one provider's values.
enum Change<'a> {
    Payme(PaymeChange<'a>),
    Click(ClickChange<'a>),
    Uzum(UzumChange<'a>),
}

impl Change<'_> {
    fn provider(&self) -> Provider {
        match self {
            Change::Payme(_) => Provider::Payme,
            Change::Click(_) => Provider::Click,
            Change::Uzum(_) => Provider::Uzum,
        }
    }

    /// Offering `provider`, or not.
    fn switch(provider: Provider, on: bool) -> Change<'static> {
        match provider {
            Provider::Payme => Change::Payme(PaymeChange { enabled: Some(on), ..Default::default() }),
            Provider::Click => Change::Click(ClickChange { enabled: Some(on), ..Default::default() }),
            Provider::Uzum => Change::Uzum(UzumChange { enabled: Some(on), ..Default::default() }),
        }
    }

    /// The change `field` set to `value` makes.
    fn of(field: Field, value: &Value) -> Change<'_> {
        let (text, id) = match value {
            Value::Text(text) => (Some(text.as_str()), None),
            Value::Id(id) => (None, Some(*id)),
        };
        match field {
            Field::PaymeCashbox => Change::Payme(PaymeChange { merchant_id: text, ..Default::default() }),
            Field::PaymeKey => Change::Payme(PaymeChange { key: text, ..Default::default() }),
            Field::PaymeTestKey => Change::Payme(PaymeChange { test_key: text, ..Default::default() }),
            Field::ClickService => Change::Click(ClickChange { service_id: id, ..Default::default() }),
            Field::ClickMerchant => Change::Click(ClickChange { merchant_id: id, ..Default::default() }),
            Field::ClickMerchantUser => Change::Click(ClickChange { merchant_user_id: id, ..Default::default() }),
            Field::ClickSecret => Change::Click(ClickChange { secret: text, ..Default::default() }),
            Field::UzumService => Change::Uzum(UzumChange { service_id: id, ..Default::default() }),
            Field::UzumLogin => Change::Uzum(UzumChange { login: text, ..Default::default() }),
            Field::UzumPassword => Change::Uzum(UzumChange { password: text, ..Default::default() }),
        }
    }

    async fn apply(
        &self,
        conn: &mut diesel_async::AsyncPgConnection,
        account_id: i64,
        now: DateTime<Utc>,
    ) -> diesel::QueryResult<PaymentAccount> {
        match self {
            Change::Payme(change) => payment_accounts::change_payme(conn, account_id, change, now).await,
            Change::Click(change) => payment_accounts::change_click(conn, account_id, change, now).await,
            Change::Uzum(change) => payment_accounts::change_uzum(conn, account_id, change, now).await,
        }
    }
}

/// A typed value, checked.
fn parse(field: Field, text: &str) -> Result<Value, CredentialError> {
    Ok(match field {
        Field::PaymeCashbox => Value::Text(payme_merchant_id(text)?),
        Field::PaymeKey | Field::PaymeTestKey => Value::Text(payme_key(text)?),
        Field::ClickSecret => Value::Text(click_secret(text)?),
        Field::UzumLogin => Value::Text(uzum_login(text)?),
        Field::UzumPassword => Value::Text(uzum_password(text)?),
        Field::ClickService | Field::ClickMerchant | Field::ClickMerchantUser | Field::UzumService => {
            Value::Id(click_id(text)?)
        }
    })
}

/// Checks and stores a typed value (a secret encrypted); `Ok(Err(_))` is a refused value.
pub async fn store_value(
    session: &Session<'_>,
    user_bot_id: i64,
    field: Field,
    text: &str,
) -> Result<Result<PaymentAccount, CredentialError>, HandlerError> {
    let value = match parse(field, text) {
        Ok(Value::Text(secret)) if field.secret() => {
            Value::Text(session.ctx.app.settings.vault.encrypt_secret(&secret))
        }
        Ok(value) => value,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(store(session, user_bot_id, &Change::of(field, &value), session.ctx.app.clock.now()).await?))
}

/// Payme's test mode on or off.
pub async fn store_mode(
    session: &Session<'_>,
    user_bot_id: i64,
    test: bool,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    store(session, user_bot_id, &Change::Payme(PaymeChange { test_mode: Some(test), ..Default::default() }), now).await
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
    Ok(Change::switch(provider, on).apply(&mut conn, account_id, now).await?)
}

/// Stores a change on the bot's account (made on first use), switching its provider on the
/// first time the provider is complete.
async fn store(
    session: &Session<'_>,
    user_bot_id: i64,
    change: &Change<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, HandlerError> {
    let provider = change.provider();
    let mut conn = session.conn().await?;
    let account =
        payment_accounts::ensure(&mut conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let was_complete = provider.complete(&account);
    let account = change.apply(&mut conn, account.id, now).await?;
    if !was_complete && provider.complete(&account) && !provider.enabled(&account) {
        return Ok(Change::switch(provider, true).apply(&mut conn, account.id, now).await?);
    }
    Ok(account)
}
