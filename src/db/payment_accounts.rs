//! `payment_accounts`: a seller bot's merchant accounts with the payment providers. Its
//! endpoint URLs carry `route_key`, an unguessable id, so a provider's request finds its
//! account (and the key to check its authorization with) before anything else is read.
//! Keys are stored encrypted (see `crypto::TokenVault::encrypt_secret`).

use super::prepared::prepared;
use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, Queryable, Selectable, SelectableHelper};
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use super::schema::payment_accounts;

/// Whose merchant account a provider pays into: a seller bot's owner (customers buying
/// access) or the platform itself (owners buying plans).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merchant {
    /// The seller bot (`user_bots.id`).
    Seller(i64),
    /// Getolog, with the account configured by the operator.
    Platform,
}

impl From<i64> for Merchant {
    fn from(user_bot_id: i64) -> Self {
        Merchant::Seller(user_bot_id)
    }
}

impl Merchant {
    /// The seller bot, unless this is the platform.
    pub fn seller(self) -> Option<i64> {
        match self {
            Merchant::Seller(bot) => Some(bot),
            Merchant::Platform => None,
        }
    }
}

/// The `route_key` of the platform's own account (its endpoint URLs end in it); a seller's
/// keys are long random strings, so they never meet it.
pub const PLATFORM_ROUTE: &str = "platform";

/// A payment account: a seller bot's (a row here) or the platform's (built from the
/// operator's configuration, never stored: its `id` is 0).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = payment_accounts)]
pub struct PaymentAccount {
    /// Row id.
    pub id: i64,
    /// Whose account: the seller bot (`user_bots.id`) or the platform.
    #[diesel(column_name = user_bot_id, deserialize_as = i64)]
    pub merchant: Merchant,
    /// The unguessable part of the endpoint URLs.
    pub route_key: String,
    /// Payme cashbox (merchant) id.
    pub payme_merchant_id: Option<String>,
    /// Payme production key, encrypted.
    pub payme_key: Option<String>,
    /// Payme sandbox key, encrypted.
    pub payme_test_key: Option<String>,
    /// Whether the sandbox key and checkout are in use.
    pub payme_test_mode: bool,
    /// Whether customers are offered Payme.
    pub payme_enabled: bool,
    /// Click `service_id`.
    pub click_service_id: Option<i64>,
    /// Click `merchant_id`.
    pub click_merchant_id: Option<i64>,
    /// Click `merchant_user_id`.
    pub click_merchant_user_id: Option<i64>,
    /// Click secret key, encrypted.
    pub click_secret: Option<String>,
    /// Whether customers are offered Click.
    pub click_enabled: bool,
    /// Uzum `serviceId`.
    pub uzum_service_id: Option<i64>,
    /// The login agreed with Uzum.
    pub uzum_login: Option<String>,
    /// The password agreed with Uzum, encrypted.
    pub uzum_password: Option<String>,
    /// Whether customers are offered Uzum.
    pub uzum_enabled: bool,
}

impl PaymentAccount {
    /// The encrypted Payme key in use (the test key in test mode), if set.
    pub fn payme_key_in_use(&self) -> Option<&str> {
        if self.payme_test_mode {
            self.payme_test_key.as_deref()
        } else {
            self.payme_key.as_deref()
        }
    }

    /// Whether Payme can be offered: switched on, with a cashbox id and the key in use.
    pub fn payme_ready(&self) -> bool {
        self.payme_enabled && self.payme_merchant_id.is_some() && self.payme_key_in_use().is_some()
    }
}

impl PaymentAccount {
    /// Whether Click's four values are all set.
    pub fn click_complete(&self) -> bool {
        self.click_service_id.is_some()
            && self.click_merchant_id.is_some()
            && self.click_merchant_user_id.is_some()
            && self.click_secret.is_some()
    }

    /// Whether Click can be offered: switched on and complete.
    pub fn click_ready(&self) -> bool {
        self.click_enabled && self.click_complete()
    }

    /// Whether Uzum's three values are all set.
    pub fn uzum_complete(&self) -> bool {
        self.uzum_service_id.is_some() && self.uzum_login.is_some() && self.uzum_password.is_some()
    }

    /// Whether Uzum can be offered: switched on and complete.
    pub fn uzum_ready(&self) -> bool {
        self.uzum_enabled && self.uzum_complete()
    }
}

/// Uzum credentials as the owner gave them (the password already encrypted); `None` leaves a
/// value as it is.
#[derive(Debug, Clone, Default)]
pub struct UzumChange<'a> {
    /// `serviceId`.
    pub service_id: Option<i64>,
    /// The login.
    pub login: Option<&'a str>,
    /// The password, encrypted.
    pub password: Option<&'a str>,
    /// Offered or not.
    pub enabled: Option<bool>,
}

/// Changes the account's Uzum settings (and whether the bot lists Uzum among its methods).
pub async fn change_uzum(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    change: &UzumChange<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<PaymentAccount> {
    let current = payment_accounts::table.find(account_id).select(PaymentAccount::as_select()).first(conn).await?;
    let changed = diesel::update(payment_accounts::table.find(account_id))
        .set((
            payment_accounts::uzum_service_id.eq(change.service_id.or(current.uzum_service_id)),
            payment_accounts::uzum_login.eq(change.login.or(current.uzum_login.as_deref())),
            payment_accounts::uzum_password.eq(change.password.or(current.uzum_password.as_deref())),
            payment_accounts::uzum_enabled.eq(change.enabled.unwrap_or(current.uzum_enabled)),
            payment_accounts::updated_at.eq(now),
        ))
        .returning(PaymentAccount::as_returning())
        .get_result::<PaymentAccount>(conn)
        .await?;
    if let Some(bot) = changed.merchant.seller() {
        list_method(conn, bot, "uzum", changed.uzum_ready()).await?;
    }
    Ok(changed)
}

/// Erases the account's Uzum settings.
pub async fn disconnect_uzum(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let bot: i64 = payment_accounts::table.find(account_id).select(payment_accounts::user_bot_id).first(conn).await?;
    list_method(conn, bot, "uzum", false).await?;
    prepared(diesel::update(payment_accounts::table.find(account_id)).set((
        payment_accounts::uzum_service_id.eq(None::<i64>),
        payment_accounts::uzum_login.eq(None::<String>),
        payment_accounts::uzum_password.eq(None::<String>),
        payment_accounts::uzum_enabled.eq(false),
        payment_accounts::updated_at.eq(now),
    )))
    .execute(conn)
    .await
}

/// Click credentials as the owner gave them (the secret already encrypted); `None` leaves a
/// value as it is.
#[derive(Debug, Clone, Default)]
pub struct ClickChange<'a> {
    /// `service_id`.
    pub service_id: Option<i64>,
    /// `merchant_id`.
    pub merchant_id: Option<i64>,
    /// `merchant_user_id`.
    pub merchant_user_id: Option<i64>,
    /// The secret key, encrypted.
    pub secret: Option<&'a str>,
    /// Offered or not.
    pub enabled: Option<bool>,
}

/// Changes the account's Click settings (and whether the bot lists Click among its methods).
pub async fn change_click(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    change: &ClickChange<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<PaymentAccount> {
    let current = payment_accounts::table.find(account_id).select(PaymentAccount::as_select()).first(conn).await?;
    let changed = diesel::update(payment_accounts::table.find(account_id))
        .set((
            payment_accounts::click_service_id.eq(change.service_id.or(current.click_service_id)),
            payment_accounts::click_merchant_id.eq(change.merchant_id.or(current.click_merchant_id)),
            payment_accounts::click_merchant_user_id.eq(change.merchant_user_id.or(current.click_merchant_user_id)),
            payment_accounts::click_secret.eq(change.secret.or(current.click_secret.as_deref())),
            payment_accounts::click_enabled.eq(change.enabled.unwrap_or(current.click_enabled)),
            payment_accounts::updated_at.eq(now),
        ))
        .returning(PaymentAccount::as_returning())
        .get_result::<PaymentAccount>(conn)
        .await?;
    if let Some(bot) = changed.merchant.seller() {
        list_method(conn, bot, "click", changed.click_ready()).await?;
    }
    Ok(changed)
}

/// Erases the account's Click settings.
pub async fn disconnect_click(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let bot: i64 = payment_accounts::table.find(account_id).select(payment_accounts::user_bot_id).first(conn).await?;
    list_method(conn, bot, "click", false).await?;
    prepared(diesel::update(payment_accounts::table.find(account_id)).set((
        payment_accounts::click_service_id.eq(None::<i64>),
        payment_accounts::click_merchant_id.eq(None::<i64>),
        payment_accounts::click_merchant_user_id.eq(None::<i64>),
        payment_accounts::click_secret.eq(None::<String>),
        payment_accounts::click_enabled.eq(false),
        payment_accounts::updated_at.eq(now),
    )))
    .execute(conn)
    .await
}

/// The account an endpoint URL names.
pub async fn by_route_key(
    conn: &mut AsyncPgConnection,
    route_key: &str,
) -> diesel::QueryResult<Option<PaymentAccount>> {
    payment_accounts::table
        .filter(payment_accounts::route_key.eq(route_key))
        .select(PaymentAccount::as_select())
        .first(conn)
        .await
        .optional()
}

/// The bot's account, if it has one.
pub async fn of_bot(conn: &mut AsyncPgConnection, user_bot_id: i64) -> diesel::QueryResult<Option<PaymentAccount>> {
    payment_accounts::table
        .filter(payment_accounts::user_bot_id.eq(user_bot_id))
        .select(PaymentAccount::as_select())
        .first(conn)
        .await
        .optional()
}

/// The bot's account, made (with `route_key`) when it has none yet.
pub async fn ensure(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    route_key: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<PaymentAccount> {
    diesel::insert_into(payment_accounts::table)
        .values((
            payment_accounts::user_bot_id.eq(user_bot_id),
            payment_accounts::route_key.eq(route_key),
            payment_accounts::created_at.eq(now),
            payment_accounts::updated_at.eq(now),
        ))
        .on_conflict(payment_accounts::user_bot_id)
        .do_nothing()
        .execute(conn)
        .await?;
    of_bot(conn, user_bot_id).await?.ok_or(diesel::result::Error::NotFound)
}

/// Payme credentials as the owner gave them (keys already encrypted); `None` leaves a value
/// as it is.
#[derive(Debug, Clone, Default)]
pub struct PaymeChange<'a> {
    /// The cashbox id.
    pub merchant_id: Option<&'a str>,
    /// The production key, encrypted.
    pub key: Option<&'a str>,
    /// The sandbox key, encrypted.
    pub test_key: Option<&'a str>,
    /// Test mode on or off.
    pub test_mode: Option<bool>,
    /// Offered or not.
    pub enabled: Option<bool>,
}

/// Changes the account's Payme settings (and whether the bot lists Payme among its methods).
pub async fn change_payme(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    change: &PaymeChange<'_>,
    now: DateTime<Utc>,
) -> diesel::QueryResult<PaymentAccount> {
    let current = payment_accounts::table.find(account_id).select(PaymentAccount::as_select()).first(conn).await?;
    let changed = diesel::update(payment_accounts::table.find(account_id))
        .set((
            payment_accounts::payme_merchant_id.eq(change.merchant_id.or(current.payme_merchant_id.as_deref())),
            payment_accounts::payme_key.eq(change.key.or(current.payme_key.as_deref())),
            payment_accounts::payme_test_key.eq(change.test_key.or(current.payme_test_key.as_deref())),
            payment_accounts::payme_test_mode.eq(change.test_mode.unwrap_or(current.payme_test_mode)),
            payment_accounts::payme_enabled.eq(change.enabled.unwrap_or(current.payme_enabled)),
            payment_accounts::updated_at.eq(now),
        ))
        .returning(PaymentAccount::as_returning())
        .get_result::<PaymentAccount>(conn)
        .await?;
    if let Some(bot) = changed.merchant.seller() {
        list_method(conn, bot, "payme", changed.payme_ready()).await?;
    }
    Ok(changed)
}

/// Lists `method` among the bot's payment methods while it is ready, and takes it off when
/// it is not (a bot left with none offers the card transfer, as a new bot does). The bot's
/// settings version moves with it, so every node's kept shop sees the change.
async fn list_method(
    conn: &mut AsyncPgConnection,
    user_bot_id: i64,
    method: &str,
    ready: bool,
) -> diesel::QueryResult<usize> {
    use diesel::sql_types::{BigInt, Bool, Text};
    diesel::sql_query(
        "UPDATE user_bots SET payment_methods = CASE
             WHEN $3 THEN CASE WHEN $2 = ANY(payment_methods) THEN payment_methods
                               ELSE array_append(payment_methods, $2) END
             WHEN array_remove(payment_methods, $2) = '{}' THEN ARRAY['card']::TEXT[]
             ELSE array_remove(payment_methods, $2) END
         WHERE id = $1",
    )
    .bind::<BigInt, _>(user_bot_id)
    .bind::<Text, _>(method)
    .bind::<Bool, _>(ready)
    .execute(conn)
    .await
}

/// Erases the account's Payme settings: nothing usable is kept.
pub async fn disconnect_payme(
    conn: &mut AsyncPgConnection,
    account_id: i64,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let bot: i64 = payment_accounts::table.find(account_id).select(payment_accounts::user_bot_id).first(conn).await?;
    list_method(conn, bot, "payme", false).await?;
    prepared(diesel::update(payment_accounts::table.find(account_id)).set((
        payment_accounts::payme_merchant_id.eq(None::<String>),
        payment_accounts::payme_key.eq(None::<String>),
        payment_accounts::payme_test_key.eq(None::<String>),
        payment_accounts::payme_test_mode.eq(false),
        payment_accounts::payme_enabled.eq(false),
        payment_accounts::updated_at.eq(now),
    )))
    .execute(conn)
    .await
}

/// Stores a new Payme key in place of the one in use (Payme's ChangePassword), encrypted.
pub async fn replace_payme_key_in_use(
    conn: &mut AsyncPgConnection,
    account: &PaymentAccount,
    encrypted: &str,
    now: DateTime<Utc>,
) -> diesel::QueryResult<usize> {
    let target = payment_accounts::table.find(account.id);
    if account.payme_test_mode {
        prepared(
            diesel::update(target)
                .set((payment_accounts::payme_test_key.eq(encrypted), payment_accounts::updated_at.eq(now))),
        )
        .execute(conn)
        .await
    } else {
        prepared(
            diesel::update(target)
                .set((payment_accounts::payme_key.eq(encrypted), payment_accounts::updated_at.eq(now))),
        )
        .execute(conn)
        .await
    }
}
