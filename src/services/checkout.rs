//! Choosing to pay through a provider: the order (a customer's, its amount fixed from the
//! chat's price, one open order per customer and chat; or an owner's plan order at today's
//! plan price, one open per owner), reused while its terms hold, and the provider's checkout
//! link.

use base64::Engine as _;
use bigdecimal::{BigDecimal, ToPrimitive};
use chrono::{DateTime, Utc};
use diesel_async::AsyncPgConnection;

use super::plans::price_of;
use crate::{
    config::PlanPrices,
    db::{
        channels::Channel,
        end_users::EndUser,
        orders::{self, Order},
        payment_accounts::PaymentAccount,
        platform_payments::plan_code,
    },
};

/// Whole tiyin of a price in so'm (`None` for a price with fractions of a tiyin, or not
/// positive).
pub fn tiyin(price: &BigDecimal) -> Option<i64> {
    let scaled = price * BigDecimal::from(100);
    if !scaled.is_integer() {
        return None;
    }
    scaled.to_i64().filter(|t| *t > 0)
}

/// The customer's open order for `chat` at its current price (`None` when that price cannot
/// be paid through a provider: not in UZS).
pub async fn order_for(
    conn: &mut AsyncPgConnection,
    user: &EndUser,
    chat: &Channel,
    price: &BigDecimal,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Order>> {
    let Some(amount) = tiyin(price).filter(|_| chat.currency == "UZS") else { return Ok(None) };
    let terms = orders::Terms { amount, currency: "UZS", months: chat.duration_months, renews: false };
    let order = orders::open_for(conn, (user.id, chat.user_bot_id, chat.id), terms, now).await?;
    Ok(Some(order))
}

/// The owner's open plan order for a plan of `months` at today's price (`None` for a length
/// not on sale).
pub async fn plan_order_for(
    conn: &mut AsyncPgConnection,
    prices: &PlanPrices,
    owner_id: i64,
    months: i32,
    now: DateTime<Utc>,
) -> diesel::QueryResult<Option<Order>> {
    let (Some(code), Some(price)) = (plan_code(months), price_of(prices, months)) else { return Ok(None) };
    let Some(amount) = tiyin(&price) else { return Ok(None) };
    Ok(Some(orders::open_plan_for(conn, (owner_id, code), (amount, months), now).await?))
}

/// Payme's checkout link for an order (the GET form): the cashbox, the order, the amount in
/// tiyin, where to come back, and the page's language; the sandbox host in test mode.
pub fn payme_checkout(account: &PaymentAccount, order: &Order, return_url: &str, lang: &str) -> Option<String> {
    let merchant = account.payme_merchant_id.as_deref()?;
    let form = format!("m={merchant};ac.order_id={};a={};c={return_url};l={lang}", order.id, order.amount_tiyin);
    let host = if account.payme_test_mode { "checkout.test.paycom.uz" } else { "checkout.paycom.uz" };
    Some(format!("https://{host}/{}", base64::engine::general_purpose::STANDARD.encode(form)))
}

/// Click's checkout link for an order: the service, the merchant, the amount in so'm, the
/// order as `transaction_param`, and where to come back.
pub fn click_checkout(account: &PaymentAccount, order: &Order, return_url: &str) -> Option<String> {
    let (service, merchant) = (account.click_service_id?, account.click_merchant_id?);
    let amount = super::paid_orders::soum(order.amount_tiyin);
    let amount = if amount.is_integer() { amount.with_scale(0).to_string() } else { amount.to_string() };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("service_id", &service.to_string())
        .append_pair("merchant_id", &merchant.to_string())
        .append_pair("amount", &amount)
        .append_pair("transaction_param", &order.id.to_string())
        .append_pair("return_url", return_url)
        .finish();
    Some(format!("https://my.click.uz/services/pay?{query}"))
}

/// Uzum Bank's service link for an order (best effort: the link is not in Uzum's official
/// specification): the service, the order and the amount in tiyin.
pub fn uzum_checkout(account: &PaymentAccount, order: &Order) -> Option<String> {
    let service = account.uzum_service_id?;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("serviceId", &service.to_string())
        .append_pair("order_id", &order.id.to_string())
        .append_pair("amount", &order.amount_tiyin.to_string())
        .finish();
    Some(format!("https://www.uzumbank.uz/open-service?{query}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_become_whole_tiyin() {
        assert_eq!(tiyin(&BigDecimal::from(50_000)), Some(5_000_000));
        assert_eq!(tiyin(&"1.5".parse().unwrap_or_default()), Some(150));
        assert_eq!(tiyin(&"0.001".parse().unwrap_or_default()), None);
        assert_eq!(tiyin(&BigDecimal::from(0)), None);
    }

    #[test]
    fn the_payme_link_carries_the_order_and_amount_in_base64() {
        let account = PaymentAccount {
            id: 1,
            merchant: crate::db::payment_accounts::Merchant::Seller(1),
            route_key: "k".into(),
            payme_merchant_id: Some("5e730e8e0b852a417aa49ceb".into()),
            payme_key: None,
            payme_test_key: None,
            payme_test_mode: true,
            payme_enabled: true,
            click_service_id: None,
            click_merchant_id: None,
            click_merchant_user_id: None,
            click_secret: None,
            click_enabled: false,
            uzum_service_id: None,
            uzum_login: None,
            uzum_password: None,
            uzum_enabled: false,
        };
        let order = Order {
            id: 42,
            goods: orders::Goods::Access { user_bot_id: 1, end_user_id: 1, channel_id: 1 },
            amount_tiyin: 5_000_000,
            currency: "UZS".into(),
            renews: false,
            duration_months: 1,
            status: "open".into(),
            created_at: DateTime::<Utc>::UNIX_EPOCH,
        };
        let link = payme_checkout(&account, &order, "https://t.me/shop_bot", "en").unwrap_or_default();
        let encoded = link.strip_prefix("https://checkout.test.paycom.uz/").unwrap_or_default();
        let form = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
        assert_eq!(
            String::from_utf8(form).unwrap_or_default(),
            "m=5e730e8e0b852a417aa49ceb;ac.order_id=42;a=5000000;c=https://t.me/shop_bot;l=en"
        );
    }
}
