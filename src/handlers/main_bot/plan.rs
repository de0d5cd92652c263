//! The owner's platform plan: the current plan and what Free means (the advert in their
//! seller bot), the price of 1 / 6 / 12 months, and two ways to pay: the platform's card, then
//! the receipt, which every moderator gets to review; or, in one tap, Payme, Click or Uzum
//! into the platform's own account, where the plan starts when the provider confirms
//! (`http::payme` and the others), with nothing to review.

use teloxide_core::types::Message;

use super::{
    actions::Action,
    panel::receipt_copies,
    providers::Provider,
    screens::{Screen, Target},
    typing::Step,
    Session,
};
use crate::{
    db::{payments::Receipt, plans},
    handlers::{
        common::{date_text, media_of, period_text},
        Button, Effect, HandlerError, Media, Sender,
    },
    services::{
        checkout,
        input::{format_amount, format_card},
        paid_orders::soum,
        plans::{price_of, submit_receipt},
    },
};

/// Plan lengths on sale, in months.
const LENGTHS: [i32; 3] = [1, 6, 12];

/// The plan screen.
pub async fn screen(session: &Session<'_>) -> Result<Screen, HandlerError> {
    let now = session.ctx.app.clock.now();
    let running = {
        let mut conn = session.conn().await?;
        plans::running(&mut conn, session.owner.id, now).await?
    };
    let i18n = &session.ctx.app.i18n;
    let current = match running {
        Some((_, code, end)) => {
            let months = crate::db::platform_payments::plan_months(&code).unwrap_or(1);
            let date = date_text(end, session.ctx.app.settings.timezone);
            session.ta("plan-current-paid", &[("plan", &period_text(i18n, session.lang, months)), ("date", &date)])
        }
        None => session.t("plan-current-free"),
    };
    let prices = &session.ctx.app.settings.plan_prices;
    let mut rows: Vec<Vec<Button>> = LENGTHS
        .iter()
        .filter_map(|months| {
            let price = price_of(prices, *months)?;
            let text = format!("{} — {} UZS", period_text(i18n, session.lang, *months), format_amount(&price));
            Some(vec![Button { text, data: Action::BuyPlan(*months).data() }])
        })
        .collect();
    rows.push(vec![session.button("button-back", Action::Menu)]);
    Ok(Screen { text: format!("{current}\n\n{}", session.t("plan-explained")), rows })
}

/// The providers of the platform's account that owners can pay through now.
fn platform_providers(session: &Session<'_>) -> Vec<Provider> {
    let account = session.ctx.app.settings.platform_account.as_ref();
    Provider::ALL.into_iter().filter(|p| account.is_some_and(|a| p.ready(a))).collect()
}

/// A length was chosen: the exact price; the card, then wait for the receipt; and a button
/// for each provider of the platform's account.
pub async fn buy(session: &Session<'_>, months: i32) -> Result<Screen, HandlerError> {
    let settings = &session.ctx.app.settings;
    let Some(price) = price_of(&settings.plan_prices, months) else { return screen(session).await };
    let providers = platform_providers(session);
    let card = !settings.platform_card_number.is_empty();
    if !card && providers.is_empty() {
        return Ok(screen(session).await?.with_notice(session.t("plan-unavailable")));
    }
    let amount = format!("{} UZS", format_amount(&price));
    let plan = period_text(&session.ctx.app.i18n, session.lang, months);
    let mut text = if card {
        session.set_step(&Step::PlanReceipt { months }).await?;
        let args = [
            ("plan", plan.as_str()),
            ("amount", amount.as_str()),
            ("card", &format_card(&settings.platform_card_number)),
            ("holder", settings.platform_card_holder.as_str()),
        ];
        session.ta("plan-pay", &args)
    } else {
        session.ta("plan-price", &[("plan", &plan), ("amount", &amount)])
    };
    if !providers.is_empty() {
        text = format!("{text}\n\n{}", session.t(if card { "plan-pay-through" } else { "plan-pay-tap" }));
    }
    let mut rows: Vec<Vec<Button>> = providers
        .into_iter()
        .map(|provider| {
            let text = session.ta("plan-pay-open", &[("amount", &amount), ("provider", provider.label())]);
            vec![Button { text, data: Action::PayPlan(months, provider).data() }]
        })
        .collect();
    rows.push(vec![session.button("button-cancel", Action::Cancel)]);
    Ok(Screen { text, rows })
}

/// A provider was chosen for a plan: the owner's plan order (made, or reused while its price
/// holds) and a button to the provider's checkout. Nothing is granted here: the plan starts
/// when the provider confirms the payment to the platform's endpoint.
pub async fn pay_through(session: &Session<'_>, months: i32, provider: Provider) -> Result<Screen, HandlerError> {
    let settings = &session.ctx.app.settings;
    let account = settings.platform_account.as_ref().filter(|a| provider.ready(a));
    let Some(account) = account else { return Ok(screen(session).await?.with_notice(session.t("stale-button"))) };
    let order = {
        let mut conn = session.conn().await?;
        let now = session.ctx.app.clock.now();
        checkout::plan_order_for(&mut conn, &settings.plan_prices, session.owner.id, months, now).await?
    };
    let Some(order) = order else { return screen(session).await };
    let return_url = format!("https://t.me/{}", session.ctx.bot.username);
    let url = match provider {
        Provider::Payme => checkout::payme_checkout(account, &order, &return_url, session.lang.code()),
        Provider::Click => checkout::click_checkout(account, &order, &return_url),
        Provider::Uzum => checkout::uzum_checkout(account, &order),
    };
    let Some(url) = url else { return Ok(screen(session).await?.with_notice(session.t("plan-order-failed"))) };
    let amount = format!("{} UZS", format_amount(&soum(order.amount_tiyin)));
    let plan = period_text(&session.ctx.app.i18n, session.lang, months);
    let args =
        [("plan", plan.as_str()), ("amount", &amount), ("id", &order.id.to_string()), ("provider", provider.label())];
    let open = session.ta("plan-pay-open", &[("amount", &amount), ("provider", provider.label())]);
    Ok(Screen {
        text: session.ta("plan-checkout", &args),
        rows: vec![vec![Button::link(open, &url)], vec![session.button("button-back", Action::Plan)]],
    })
}

/// The receipt (a photo or a document): a pending plan payment, and a copy for every
/// moderator. Anything else gets a prompt and the step stays.
pub async fn on_receipt(session: &Session<'_>, months: i32, msg: &Message) -> Result<Vec<Effect>, HandlerError> {
    let here = Target::New { chat_id: session.chat_id };
    let Some((file_id, kind)) = media_of(msg) else {
        return Ok(vec![session.prompt(session.t("plan-receipt-expected")).show(here)]);
    };
    let stored = {
        let mut conn = session.conn().await?;
        let receipt = Receipt { file_id: &file_id, kind: kind.label(), unique_id: None };
        let (prices, now) = (&session.ctx.app.settings.plan_prices, session.ctx.app.clock.now());
        submit_receipt(&mut conn, prices, session.owner.id, months, &receipt, now).await?
    };
    let Some((payment, _)) = stored else { return Ok(vec![screen(session).await?.show(here)]) };
    session.clear_step().await?;
    let media = Media { kind, file_id, owner: Sender::This };
    let mut effects = receipt_copies(session.ctx, &payment, &session.owner, media).await?;
    let received = session.ta("plan-receipt-received", &[("id", &payment.id.to_string())]);
    effects.push(Effect::Send { chat_id: session.chat_id, text: received, keyboard: None });
    Ok(effects)
}
