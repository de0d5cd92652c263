//! The notices of a plan paid to the platform through a provider, or refunded: the owner is
//! told in their language what they have now, and each moderator gets a line for the books.
//! Keys are named after the plan payment, so a provider's repeat sends nothing twice.

use diesel_async::AsyncPgConnection;

use super::Planned;
use crate::{
    db::{owners, platform_payments::plan_months},
    handlers::{
        common::{date_text, display_name_of, period_text},
        Effect,
    },
    i18n::Lang,
    services::{
        input::format_amount,
        plans::{PlanDecision, PlanRefund},
    },
    state::AppState,
};

/// A plan paid: the owner's confirmation and the moderators' lines.
pub(super) async fn paid(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    decision: &PlanDecision,
    provider: &str,
) -> diesel::QueryResult<Vec<Planned>> {
    let (payment, owner) = (&decision.payment, &decision.owner);
    let i18n = &app.i18n;
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let months = plan_months(&payment.plan).unwrap_or(1);
    let mut planned = Vec::new();
    if let Some(end) = decision.ends_at {
        let (plan, date) = (period_text(i18n, lang, months), date_text(end, app.settings.timezone));
        let id = payment.id.to_string();
        let text = i18n.tr(lang, "plan-paid", &[("provider", provider), ("id", &id), ("plan", &plan), ("date", &date)]);
        planned.push(Planned {
            key: format!("plan-payment:{}:paid:owner", payment.id),
            chat: owner.telegram_id,
            effect: Effect::Notify { chat_id: owner.telegram_id, text, keyboard: None },
        });
    }
    planned.extend(to_moderators(conn, app, decision_line(decision, provider, "plan-paid-moderator"), "paid").await?);
    Ok(planned)
}

/// A plan refunded: the owner is told what is left, and the moderators get a line.
pub(super) async fn refunded(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    refund: &PlanRefund,
    provider: &str,
) -> diesel::QueryResult<Vec<Planned>> {
    let (payment, owner) = (&refund.payment, &refund.owner);
    let i18n = &app.i18n;
    let lang: Lang = owner.language.parse().unwrap_or(Lang::Uz);
    let details = match refund.ends_at {
        Some(end) if !refund.ended => {
            i18n.tr(lang, "plan-refund-shortened", &[("date", &date_text(end, app.settings.timezone))])
        }
        _ => i18n.tr(lang, "plan-refund-ended", &[]),
    };
    let id = payment.id.to_string();
    let text = i18n.tr(lang, "plan-refunded", &[("provider", provider), ("id", &id), ("details", &details)]);
    let mut planned = vec![Planned {
        key: format!("plan-payment:{}:refunded:owner", payment.id),
        chat: owner.telegram_id,
        effect: Effect::Notify { chat_id: owner.telegram_id, text, keyboard: None },
    }];
    let line = Line { payment_id: payment.id, owner, plan: &payment.plan, amount: &payment.amount, provider };
    planned.extend(to_moderators(conn, app, (line, "plan-refunded-moderator"), "refunded").await?);
    Ok(planned)
}

/// What a moderator's line says.
struct Line<'a> {
    payment_id: i64,
    owner: &'a owners::Owner,
    plan: &'a str,
    amount: &'a bigdecimal::BigDecimal,
    provider: &'a str,
}

fn decision_line<'a>(decision: &'a PlanDecision, provider: &'a str, key: &'static str) -> (Line<'a>, &'static str) {
    let payment = &decision.payment;
    let line =
        Line { payment_id: payment.id, owner: &decision.owner, plan: &payment.plan, amount: &payment.amount, provider };
    (line, key)
}

/// One line per moderator, each in their language (English unless they are an owner too).
async fn to_moderators(
    conn: &mut AsyncPgConnection,
    app: &AppState,
    (line, key): (Line<'_>, &str),
    event: &str,
) -> diesel::QueryResult<Vec<Planned>> {
    let who = display_name_of(&line.owner.full_name, line.owner.username.as_deref(), line.owner.telegram_id);
    let (id, amount) = (line.payment_id.to_string(), format!("{} UZS", format_amount(line.amount)));
    let mut planned = Vec::new();
    for moderator in app.settings.moderator_ids.iter().copied() {
        let stored = owners::find_by_telegram_id(conn, moderator).await?;
        let lang = stored.and_then(|o| o.language.parse().ok()).unwrap_or(Lang::En);
        let plan = period_text(&app.i18n, lang, plan_months(line.plan).unwrap_or(1));
        let args =
            [("id", id.as_str()), ("name", &who), ("plan", &plan), ("amount", &amount), ("provider", line.provider)];
        planned.push(Planned {
            key: format!("plan-payment:{}:{event}:moderator:{moderator}", line.payment_id),
            chat: moderator,
            effect: Effect::Notify { chat_id: moderator, text: app.i18n.tr(lang, key, &args), keyboard: None },
        });
    }
    Ok(planned)
}
