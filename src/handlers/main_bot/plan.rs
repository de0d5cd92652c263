//! The owner's platform plan: the current plan and what Free means (the advert in their
//! seller bot), the price of 1 / 6 / 12 months and the platform's card, then the receipt,
//! which every moderator gets to review.

use teloxide_core::types::Message;

use super::{
    actions::Action,
    panel::receipt_copies,
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
        input::{format_amount, format_card},
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

/// A length was chosen: the exact price and the card, then wait for the receipt.
pub async fn buy(session: &Session<'_>, months: i32) -> Result<Screen, HandlerError> {
    let settings = &session.ctx.app.settings;
    let Some(price) = price_of(&settings.plan_prices, months) else { return screen(session).await };
    if settings.platform_card_number.is_empty() {
        return Ok(screen(session).await?.with_notice(session.t("plan-unavailable")));
    }
    session.set_step(&Step::PlanReceipt { months }).await?;
    let args = [
        ("plan", period_text(&session.ctx.app.i18n, session.lang, months)),
        ("amount", format!("{} UZS", format_amount(&price))),
        ("card", format_card(&settings.platform_card_number)),
        ("holder", settings.platform_card_holder.clone()),
    ];
    let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (*k, v.as_str())).collect();
    Ok(Screen {
        text: session.ta("plan-pay", &args),
        rows: vec![vec![session.button("button-cancel", Action::Cancel)]],
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
