//! Paying through a provider from the seller bot: Payme, Click and Uzum are offered for a chat
//! priced in UZS while the owner's account with them is complete and switched on; pressing
//! one makes (or reuses) the customer's order and gives a button to the provider's checkout.
//! Access follows from the provider's own calls (`http::payme`, `http::click`), not from
//! anything the customer sends here.

use teloxide_core::types::CallbackQuery;

use super::{actions::Action, shop::load_offer, Customer};
use crate::{
    db::{
        channels::Channel,
        payment_accounts::{self, PaymentAccount},
    },
    handlers::{
        common::{chat_label, terms_text},
        Button, Effect, HandlerError, Keyboard,
    },
    services::checkout,
};

/// A provider with a checkout page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Provider {
    /// Payme.
    Payme,
    /// Click.
    Click,
    /// Uzum Bank.
    Uzum,
}

impl Provider {
    /// Its method code and the suffix of its fluent keys.
    fn code(self) -> &'static str {
        match self {
            Provider::Payme => "payme",
            Provider::Click => "click",
            Provider::Uzum => "uzum",
        }
    }
}

/// Whether a provider can sell `chat` (when the bot lists it among its methods): UZS prices
/// only.
pub(super) fn provider_sells(chat: &Channel) -> bool {
    chat.currency == "UZS"
}

/// A provider's press: the order and its checkout button (or the stale-button toast when the
/// chat or the provider is no longer offered).
pub(super) async fn pay_through(
    customer: &Customer<'_>,
    (channel_id, provider): (i64, Provider),
    query: &CallbackQuery,
) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let stale = || Ok((Some(customer.t("stale-button")), Vec::new()));
    let Some((_, offer)) = load_offer(customer).await? else { return stale() };
    let Some((chat, Some(price))) = offer.items.iter().find(|(c, _)| c.id == channel_id) else { return stale() };
    if !provider_sells(chat) {
        return stale();
    }
    let now = customer.ctx.app.clock.now();
    let (account, order) = {
        let mut conn = customer.conn().await?;
        let account = payment_accounts::of_bot(&mut conn, customer.user.user_bot_id).await?;
        let ready = |a: &PaymentAccount| match provider {
            Provider::Payme => a.payme_ready(),
            Provider::Click => a.click_ready(),
            Provider::Uzum => a.uzum_ready(),
        };
        let Some(account) = account.filter(ready) else { return stale() };
        let order = checkout::order_for(&mut conn, &customer.user, chat, price, now).await?;
        (account, order)
    };
    let Some(order) = order else { return stale() };
    let return_url = format!("https://t.me/{}", customer.ctx.bot.username);
    let url = match provider {
        Provider::Payme => checkout::payme_checkout(&account, &order, &return_url, customer.lang.code()),
        Provider::Click => checkout::click_checkout(&account, &order, &return_url),
        Provider::Uzum => checkout::uzum_checkout(&account, &order),
    };
    let Some(url) = url else { return stale() };
    let (i18n, lang) = (&customer.ctx.app.i18n, customer.lang);
    let item = format!(
        "{} — {}",
        chat_label(&chat.kind, &chat.title),
        terms_text(i18n, lang, price, &chat.currency, chat.duration_months)
    );
    let code = provider.code();
    let text = customer.ta(&format!("shop-{code}"), &[("title", &item), ("id", &order.id.to_string())]);
    let keyboard = Some(Keyboard(vec![
        vec![Button::link(customer.t(&format!("button-pay-{code}")), &url)],
        vec![Button { text: customer.t("button-back"), data: Action::Offer.data() }],
    ]));
    let effect = match query.message.as_ref().map(|m| (m.chat().id.0, m.id().0)) {
        Some((chat_id, message_id)) => Effect::Edit { chat_id, message_id, text, keyboard },
        None => Effect::Send { chat_id: customer.chat_id, text, keyboard },
    };
    Ok((None, vec![effect]))
}
