//! Owners' merchant accounts with the payment providers: validating what the owner gives,
//! storing keys encrypted, and the endpoint URLs to paste into the provider's cabinet.

use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use crate::{
    crypto::TokenVault,
    db::payment_accounts::{self, ClickChange, PaymeChange, PaymentAccount, UzumChange},
};

/// Why a value the owner gave was refused; each has a message in the owner's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CredentialError {
    /// A Payme cashbox id is 24 hexadecimal characters.
    #[error("not a Payme cashbox id")]
    PaymeMerchantId,
    /// A Payme key is 16–128 visible characters without spaces.
    #[error("not a Payme key")]
    PaymeKey,
    /// A Click id (service, merchant, merchant user) is a positive whole number.
    #[error("not a Click id")]
    ClickId,
    /// A Click secret key is 8–128 visible characters without spaces.
    #[error("not a Click secret key")]
    ClickSecret,
    /// An Uzum login is 1–128 visible characters without spaces or colons.
    #[error("not an Uzum login")]
    UzumLogin,
    /// An Uzum password is 8–128 visible characters without spaces.
    #[error("not an Uzum password")]
    UzumPassword,
}

impl CredentialError {
    /// Fluent key of the owner's explanation.
    pub fn message_key(self) -> &'static str {
        match self {
            CredentialError::PaymeMerchantId => "payme-bad-merchant-id",
            CredentialError::PaymeKey => "payme-bad-key",
            CredentialError::ClickId => "click-bad-id",
            CredentialError::ClickSecret => "click-bad-secret",
            CredentialError::UzumLogin => "uzum-bad-login",
            CredentialError::UzumPassword => "uzum-bad-password",
        }
    }
}

/// A Payme cashbox id, checked.
pub fn payme_merchant_id(raw: &str) -> Result<String, CredentialError> {
    let id = raw.trim();
    if id.len() == 24 && id.chars().all(|c| c.is_ascii_hexdigit()) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(CredentialError::PaymeMerchantId)
    }
}

/// A Payme key, checked.
pub fn payme_key(raw: &str) -> Result<String, CredentialError> {
    let key = raw.trim();
    if (16..=128).contains(&key.len()) && key.chars().all(|c| c.is_ascii_graphic()) {
        Ok(key.to_owned())
    } else {
        Err(CredentialError::PaymeKey)
    }
}

/// A Click id (service, merchant or merchant user), checked.
pub fn click_id(raw: &str) -> Result<i64, CredentialError> {
    raw.trim().parse::<i64>().ok().filter(|id| *id > 0).ok_or(CredentialError::ClickId)
}

/// A Click secret key, checked.
pub fn click_secret(raw: &str) -> Result<String, CredentialError> {
    let secret = raw.trim();
    if (8..=128).contains(&secret.len()) && secret.chars().all(|c| c.is_ascii_graphic()) {
        Ok(secret.to_owned())
    } else {
        Err(CredentialError::ClickSecret)
    }
}

/// An Uzum login, checked (Basic authorization splits at the first colon).
pub fn uzum_login(raw: &str) -> Result<String, CredentialError> {
    let login = raw.trim();
    if (1..=128).contains(&login.len()) && login.chars().all(|c| c.is_ascii_graphic() && c != ':') {
        Ok(login.to_owned())
    } else {
        Err(CredentialError::UzumLogin)
    }
}

/// An Uzum password, checked.
pub fn uzum_password(raw: &str) -> Result<String, CredentialError> {
    let password = raw.trim();
    if (8..=128).contains(&password.len()) && password.chars().all(|c| c.is_ascii_graphic()) {
        Ok(password.to_owned())
    } else {
        Err(CredentialError::UzumPassword)
    }
}

/// The account an endpoint URL names: the platform's own (built from the operator's
/// configuration, `None` when no provider is configured) or a seller's.
pub async fn by_route(
    conn: &mut AsyncPgConnection,
    platform: Option<&PaymentAccount>,
    route_key: &str,
) -> diesel::QueryResult<Option<PaymentAccount>> {
    if route_key == payment_accounts::PLATFORM_ROUTE {
        return Ok(platform.cloned());
    }
    payment_accounts::by_route_key(conn, route_key).await
}

/// Uzum credentials as an owner gives them.
#[derive(Debug, Clone)]
pub struct UzumCredentials<'a> {
    /// `serviceId`.
    pub service_id: &'a str,
    /// The login agreed with Uzum.
    pub login: &'a str,
    /// The password agreed with Uzum.
    pub password: &'a str,
}

/// Connects (or reconnects) Uzum for a bot: checked, the password encrypted, switched on.
pub async fn connect_uzum(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    user_bot_id: i64,
    given: &UzumCredentials<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, ConnectError> {
    let login = uzum_login(given.login)?;
    let password = vault.encrypt_secret(&uzum_password(given.password)?);
    let change = UzumChange {
        service_id: Some(click_id(given.service_id)?),
        login: Some(&login),
        password: Some(&password),
        enabled: Some(true),
    };
    let account = payment_accounts::ensure(conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    Ok(payment_accounts::change_uzum(conn, account.id, &change, now).await?)
}

/// The base of an account's Uzum webhook URLs (`…/check`, `…/create`, `…/confirm`,
/// `…/reverse`, `…/status`), to give the Uzum manager.
pub fn uzum_endpoint(server_url: &str, account: &PaymentAccount) -> String {
    format!("{}/pay/uzum/{}", server_url.trim_end_matches('/'), account.route_key)
}

/// Click credentials as an owner gives them.
#[derive(Debug, Clone)]
pub struct ClickCredentials<'a> {
    /// `service_id`.
    pub service_id: &'a str,
    /// `merchant_id`.
    pub merchant_id: &'a str,
    /// `merchant_user_id`.
    pub merchant_user_id: &'a str,
    /// The secret key.
    pub secret: &'a str,
}

/// Connects (or reconnects) Click for a bot: the values are checked, the secret encrypted,
/// and the method switched on.
pub async fn connect_click(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    user_bot_id: i64,
    given: &ClickCredentials<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, ConnectError> {
    let secret = vault.encrypt_secret(&click_secret(given.secret)?);
    let change = ClickChange {
        service_id: Some(click_id(given.service_id)?),
        merchant_id: Some(click_id(given.merchant_id)?),
        merchant_user_id: Some(click_id(given.merchant_user_id)?),
        secret: Some(&secret),
        enabled: Some(true),
    };
    let account = payment_accounts::ensure(conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    Ok(payment_accounts::change_click(conn, account.id, &change, now).await?)
}

/// Click's Prepare and Complete URLs of an account, to register in the Click merchant cabinet.
pub fn click_endpoints(server_url: &str, account: &PaymentAccount) -> (String, String) {
    let base = format!("{}/pay/click/{}", server_url.trim_end_matches('/'), account.route_key);
    (format!("{base}/prepare"), format!("{base}/complete"))
}

/// Payme credentials as an owner gives them.
#[derive(Debug, Clone)]
pub struct PaymeCredentials<'a> {
    /// The cashbox id (checked with [`payme_merchant_id`]).
    pub merchant_id: &'a str,
    /// The production key, if given.
    pub key: Option<&'a str>,
    /// The sandbox key, if given.
    pub test_key: Option<&'a str>,
    /// Whether the sandbox is in use.
    pub test_mode: bool,
}

/// Connects (or reconnects) Payme for a bot: the values are checked, the keys encrypted, and
/// the method switched on. Returns the account (its `route_key` names the endpoint).
pub async fn connect_payme(
    conn: &mut AsyncPgConnection,
    vault: &TokenVault,
    user_bot_id: i64,
    given: &PaymeCredentials<'_>,
    now: DateTime<Utc>,
) -> Result<PaymentAccount, ConnectError> {
    let merchant_id = payme_merchant_id(given.merchant_id)?;
    let key = given.key.map(payme_key).transpose()?.map(|k| vault.encrypt_secret(&k));
    let test_key = given.test_key.map(payme_key).transpose()?.map(|k| vault.encrypt_secret(&k));
    let account = payment_accounts::ensure(conn, user_bot_id, &crate::crypto::random_webhook_secret(), now).await?;
    let change = PaymeChange {
        merchant_id: Some(&merchant_id),
        key: key.as_deref(),
        test_key: test_key.as_deref(),
        test_mode: Some(given.test_mode),
        enabled: Some(true),
    };
    Ok(payment_accounts::change_payme(conn, account.id, &change, now).await?)
}

/// Why connecting failed.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// A value was refused.
    #[error(transparent)]
    Invalid(#[from] CredentialError),
    /// Storage failed.
    #[error(transparent)]
    Storage(#[from] diesel::result::Error),
}

/// The Payme endpoint URL of an account, to paste into the Payme Business cabinet.
pub fn payme_endpoint(server_url: &str, account: &PaymentAccount) -> String {
    format!("{}/pay/payme/{}", server_url.trim_end_matches('/'), account.route_key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payme_cashbox_id_is_24_hex_characters() {
        assert_eq!(payme_merchant_id(" 5E730E8E0B852A417AA49CEB ").as_deref(), Ok("5e730e8e0b852a417aa49ceb"));
        assert_eq!(payme_merchant_id("5e730e8e0b852a417aa49ce"), Err(CredentialError::PaymeMerchantId));
        assert_eq!(payme_merchant_id("5e730e8e0b852a417aa49cez"), Err(CredentialError::PaymeMerchantId));
    }

    #[test]
    fn a_payme_key_is_long_and_has_no_spaces() {
        assert!(payme_key("Zx#9Wv2&Yq1?Ut5@Rs3k").is_ok());
        assert_eq!(payme_key("short"), Err(CredentialError::PaymeKey));
        assert_eq!(payme_key("has a space inside it ok"), Err(CredentialError::PaymeKey));
    }
}
