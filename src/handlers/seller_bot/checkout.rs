//! Paying through a provider from the seller bot: the Payme button is offered for a chat
//! priced in UZS while the owner's Payme is connected and switched on; pressing it makes (or
//! reuses) the customer's order and gives a button to Payme's checkout. Access follows from
//! Payme's own calls (`http::payme`), not from anything the customer sends here.

use teloxide_core::types::CallbackQuery;

use super::{actions::Action, shop::load_offer, Customer};
use crate::{
    db::{channels::Channel, payment_accounts},
    handlers::{
        common::{chat_label, terms_text},
        Button, Effect, HandlerError, Keyboard,
    },
    services::checkout,
};

/// Whether Payme can sell `chat` (when the bot lists it among its methods): UZS prices only.
pub(super) fn payme_sells(chat: &Channel) -> bool {
    chat.currency == "UZS"
}

/// The Payme press: the order and its checkout button (or the stale-button toast when the
/// chat or Payme is no longer offered).
pub(super) async fn payme(
    customer: &Customer<'_>,
    channel_id: i64,
    query: &CallbackQuery,
) -> Result<(Option<String>, Vec<Effect>), HandlerError> {
    let stale = || Ok((Some(customer.t("stale-button")), Vec::new()));
    let Some((_, offer)) = load_offer(customer).await? else { return stale() };
    let Some((chat, price)) = offer.items.iter().find(|(c, _)| c.id == channel_id) else { return stale() };
    if !payme_sells(chat) {
        return stale();
    }
    let now = customer.ctx.app.clock.now();
    let (account, order) = {
        let mut conn = customer.conn().await?;
        let account = payment_accounts::of_bot(&mut conn, customer.user.user_bot_id).await?;
        let Some(account) = account.filter(|a| a.payme_ready()) else { return stale() };
        let order = checkout::order_for(&mut conn, &customer.user, chat, price, now).await?;
        (account, order)
    };
    let Some(order) = order else { return stale() };
    let return_url = format!("https://t.me/{}", customer.ctx.bot.username);
    let Some(url) = checkout::payme_checkout(&account, &order, &return_url, customer.lang.code()) else {
        return stale();
    };
    let (i18n, lang) = (&customer.ctx.app.i18n, customer.lang);
    let item = format!(
        "{} — {}",
        chat_label(&chat.kind, &chat.title),
        terms_text(i18n, lang, price, &chat.currency, chat.duration_months)
    );
    let text = customer.ta("shop-payme", &[("title", &item), ("id", &order.id.to_string())]);
    let keyboard = Some(Keyboard(vec![
        vec![Button::link(customer.t("button-pay-payme"), &url)],
        vec![Button { text: customer.t("button-back"), data: Action::Offer.data() }],
    ]));
    let effect = match query.message.as_ref().map(|m| (m.chat().id.0, m.id().0)) {
        Some((chat_id, message_id)) => Effect::Edit { chat_id, message_id, text, keyboard },
        None => Effect::Send { chat_id: customer.chat_id, text, keyboard },
    };
    Ok((None, vec![effect]))
}
